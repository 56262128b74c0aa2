"""The dataset's glossary: the one English rendering of each recurring term, read-only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..model import GlossaryEntry
from ..textsafe import one_line
from ..ui.words import Lang, pick
from .reader import ReaderScreen, reader_bindings


def glossary_text(entries: Sequence[GlossaryEntry], lang: Lang) -> Text:
    """The glossary as plain Text built from data (never markup): a term per line, its
    English beside it, its note (if any) on the next line, indented."""
    text = Text()
    if not entries:
        empty = pick("本数据集没有术语表。", "This dataset has no glossary.", lang)
        text.append(empty, style="dim")
        return text
    for number, entry in enumerate(entries):
        if number:
            text.append("\n")
        text.append(one_line(entry.zh), style="bold")
        text.append("  ")
        text.append(one_line(entry.en), style="bold cyan")
        if entry.note:
            text.append("\n    ")
            text.append(one_line(entry.note), style="dim")
    return text


def glossary_table(entries: Sequence[GlossaryEntry], lang: Lang) -> Table | Text:
    """The glossary in two columns, so that wrapped lines keep their indent: the
    Chinese term; its English with the note under it.  Every cell is a Text of data."""
    if not entries:
        return glossary_text(entries, lang)
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1, 0, 0))
    table.add_column(ratio=2, overflow="fold")
    table.add_column(ratio=3, overflow="fold")
    for entry in entries:
        english = Text(one_line(entry.en), style="bold cyan")
        if entry.note:
            english.append("\n" + one_line(entry.note), style="dim")
        table.add_row(Text(one_line(entry.zh), style="bold"), english)
    return table


class GlossaryScreen(ReaderScreen):
    """A scrollable list of the glossary's terms; Esc, q or g closes it."""

    BINDINGS: ClassVar[list[BindingType]] = reader_bindings("glossary", "escape,q,g")

    def __init__(self, entries: Sequence[GlossaryEntry], lang: Lang) -> None:
        super().__init__()
        self.entries = tuple(entries)
        self.lang = lang

    def compose(self) -> ComposeResult:
        title = Text(pick("术语表", "Glossary", self.lang), style="bold underline")
        title.append(
            f"  {len(self.entries)}  " + pick("Esc、q、g 关闭", "Esc, q or g closes", self.lang),
            style="dim",
        )
        with VerticalScroll():
            yield Static(title, id="glossary-title")
            yield Static(glossary_table(self.entries, self.lang), id="glossary-body")
