"""Bars comparing a figure with the other figures of the same unit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from ..model import FigureRecord
from ..textsafe import one_line
from ..ui.bars import bars_text
from ..ui.words import Lang, word


class FigureBars(Widget):
    """One bar per figure of a unit, the current figure marked ▶; redrawn to its width."""

    DEFAULT_CSS = """
    FigureBars { height: auto; margin: 1 0 0 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._figures: list[FigureRecord] = []
        self._current: FigureRecord | None = None
        self._lang: Lang = "both"

    def show(
        self, figures: Sequence[FigureRecord], current: FigureRecord | None, lang: Lang
    ) -> None:
        self._figures = list(figures)
        self._current = current
        self._lang = lang
        self.display = bool(self._figures)
        self.styles.height = len(self._figures) + 1
        self.refresh(layout=True)

    def render(self) -> Text:
        if not self._figures:
            return Text("")
        unit = self._figures[0]
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(word("same_unit", self._lang), style="bold underline")
        unit_name = unit.unit_en if self._lang == "en" else unit.unit
        if self._lang == "both":
            unit_name = f"{unit.unit} {unit.unit_en}"
        title.append(f" ({one_line(unit_name)})", style="dim")
        title.append("\n")
        width = max(self.size.width, 10)
        title.append_text(bars_text(self._figures, self._current, self._lang, width))
        return title
