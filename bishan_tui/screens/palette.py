"""Command palette: "go to record", backed by the project's own search.

Textual's fuzzy matcher is not used: it blows up on long Chinese text.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..model import INFO_BY_KIND
from ..ui.detail import record_line
from .main import MainScreen


class MainScreenProvider(Provider):
    """A palette provider that acts on the main screen, wherever it is in the stack
    (the palette itself is a screen above it)."""

    def _main(self) -> MainScreen | None:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None


class RecordCommands(MainScreenProvider):
    """Go to a record by its title (汉字, pinyin, English: whatever the search takes)."""

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for record in main.dataset.records[:30]:
            info = INFO_BY_KIND[record.kind]
            yield DiscoveryHit(
                record_line(record, main.lang),
                partial(main.jump_to, record.id),
                text=record.title,
                help=f"Go to record · {info.label_en} {info.label_zh}",
            )

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None or not query.strip():
            return
        if main.index is not None:
            records = [m.record for m in main.index.search(query, limit=20)]
        else:
            folded = query.casefold()
            records = [
                r
                for r in main.dataset.records
                if folded in r.title.casefold() or folded in r.title_en.casefold()
            ][:20]
        for rank, record in enumerate(records):
            info = INFO_BY_KIND[record.kind]
            yield Hit(
                # below a command the query names (score 1.0: "export" is the export
                # command first, then records, among them a typo match for "experts")
                0.95 - rank / 40,
                record_line(record, main.lang),
                partial(main.jump_to, record.id),
                text=record.title,
                help=f"Go to record · {info.label_en} {info.label_zh}",
            )
