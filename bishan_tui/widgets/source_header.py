"""One line naming the article the facts come from."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

from ..model import Source
from ..ui.text import data_text
from ..ui.words import Lang


class SourceHeader(Static):
    """The source's title (Chinese, English or both) and its by-line, as much of it as
    fits the width in whole parts: a title is left out, never cut in the middle."""

    DEFAULT_CSS = """
    SourceHeader { height: 1; width: 1fr; }
    """

    def __init__(self, source: Source, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.lang: Lang = "both"

    def set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self._draw()

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _parts(self) -> list[tuple[int, Text]]:
        """(priority, text) in reading order: 0 is always shown, then 1, 2 … as room
        allows."""
        source, lang = self.source, self.lang
        parts: list[tuple[int, Text]] = [(0, Text(" 璧山 Bishan ", style="reverse bold"))]
        if lang in ("zh", "both"):
            parts.append((1, data_text(source.title, style="bold", single_line=True)))
            if source.subtitle:
                parts.append((3, data_text(source.subtitle, style="bold", single_line=True)))
        if lang in ("en", "both"):
            priority = 1 if lang == "en" else 2
            parts.append((priority, data_text(source.title_en, style="italic", single_line=True)))
            if source.subtitle_en:
                parts.append(
                    (priority + 2, data_text(source.subtitle_en, style="italic", single_line=True))
                )
        byline = source.byline("en" if lang == "en" else "zh")
        if byline:
            parts.append((5, data_text(byline, style="dim", single_line=True)))
        return parts

    def _draw(self) -> None:
        width = self.size.width or 80
        parts = self._parts()
        kept: set[int] = set()
        used = 0
        for priority in sorted({p for p, _ in parts}):
            extra = sum(cell_len(t.plain) + 2 for p, t in parts if p == priority)
            if priority and used + extra > width:
                break
            kept.add(priority)
            used += extra
        out = Text(no_wrap=True, overflow="crop")
        for i, (priority, text) in enumerate(parts):
            if priority in kept:
                if i:
                    out.append("  ")
                out.append_text(text)
        self.update(out)
