"""Command palette entries for export and the search history.

Matching is a plain case-folded substring test, not Textual's fuzzy matcher (which
blows up on Chinese text with repeated characters).
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits

from ..textsafe import one_line
from .palette import MainScreenProvider

RECENT = 10  # past queries listed when the palette opens
SHOWN = 20  # past queries listed for a typed filter


class ToolCommands(MainScreenProvider):
    """ "Export results…" and "Search again: QUERY" for past queries."""

    def _export(self) -> tuple[str, str]:
        return "Export results… 导出", "Save or copy the results as CSV, JSON or Markdown (e)"

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        name, help_text = self._export()
        yield DiscoveryHit(name, main.action_export, help=help_text)
        for query in reversed(main.search_history().entries[-RECENT:]):
            yield DiscoveryHit(
                f"Search again: {one_line(query)}",
                partial(main.recall_query, query),
                help="Search history 搜索历史 (Ctrl+↑ / Ctrl+↓ in the search box)",
            )

    async def search(self, query: str) -> Hits:
        main = self._main()
        wanted = query.strip().casefold()
        if main is None or not wanted:
            return
        name, help_text = self._export()
        if any(wanted in word for word in ("export", "save", "导出", "csv", "json", "markdown")):
            yield Hit(1.0, name, main.action_export, help=help_text)
        shown = 0
        for past in reversed(main.search_history().entries):
            if wanted in past.casefold() or wanted in "search again history":
                yield Hit(
                    0.9 - shown / 100,
                    f"Search again: {one_line(past)}",
                    partial(main.recall_query, past),
                    help="Search history 搜索历史",
                )
                shown += 1
                if shown == SHOWN:
                    break
