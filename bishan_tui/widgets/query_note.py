"""The line under the search box: how the query was read, and for a query that found
nothing, the closest titles (by the search's typo measure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..textsafe import one_line
from ..ui.words import Lang, pick

if TYPE_CHECKING:
    from ..search import SearchResult


def query_note(result: SearchResult, lang: Lang) -> Text | None:
    """The note for a search result, or None when there is nothing to say (a query
    of plain words that found something)."""
    query = result.query
    text = Text(no_wrap=True, overflow="ellipsis", style="dim")
    if query.syntax or query.notes:
        text.append(pick("读作", "read as", lang) + ": ", style="bold")
        text.append(one_line(query.describe()))
    if not result.total:
        near = result.suggestions(3)
        if near:
            if text:
                text.append("  ")
            text.append(pick("最接近", "closest", lang) + ": ", style="bold")
            titles = [r.title_en if lang == "en" and r.title_en else r.title for r in near]
            text.append(" · ".join(one_line(title) for title in titles))
    return text if text else None
