"""One line naming the article the facts come from."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..model import Source
from ..ui_text import Lang, data_text


class SourceHeader(Static):
    """The source's title (Chinese, English or both) and its by-line."""

    DEFAULT_CSS = """
    SourceHeader { height: 1; width: 1fr; }
    """

    def __init__(self, source: Source, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source

    def set_lang(self, lang: Lang) -> None:
        source = self.source
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(" 璧山 Bishan ", style="reverse bold")
        out.append(" ")
        if lang in ("zh", "both"):
            title = source.title + (f" · {source.subtitle}" if source.subtitle else "")
            out.append_text(data_text(title, style="bold", single_line=True))
        if lang == "both":
            out.append("  ")
        if lang in ("en", "both"):
            title_en = source.title_en + (f": {source.subtitle_en}" if source.subtitle_en else "")
            out.append_text(data_text(title_en, style="italic", single_line=True))
        byline = source.byline("en" if lang == "en" else "zh")
        if byline:
            out.append("  ")
            out.append_text(data_text(byline, style="dim", single_line=True))
        self.update(out)
