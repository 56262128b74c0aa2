"""Every key and what it does, in the current language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..ui.words import Lang, pick, word
from .bindings import DOCS, PLACES, doc_keys
from .reader import ReaderScreen, reader_bindings


def sections(keymap: Mapping[str, str]) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(heading Chinese, heading English, [(keys, Chinese, English), ...]) per place,
    from the key declarations (bindings.py), with the keys ``keymap`` chose.  The key
    model (keys.py): the app opens in the search box, where every printable key is
    typed; Esc Esc leads to the table, where letters are commands."""
    return [
        (zh, en, [(doc_keys(d, keymap), d.zh, d.en) for d in DOCS if d.place == place])
        for place, (zh, en) in PLACES.items()
    ]


# (syntax, Chinese, English): the query language of the search box (docs/search.md).
QUERY_SYNTAX: tuple[tuple[str, str, str], ...] = (
    (
        "kind:figure",
        "只看一类（也可用标签名：kind:数据）",
        "Only one kind (or a tab's name: kind:数据)",
    ),
    (
        "title:康佳",
        "只在一个字段：title summary quote tags section",
        "In one field: title, summary, quote, tags, section",
    ),
    ("-word", "排除含该词的条目（-kind:figure 亦可）", "Leave out records with the word"),
    ('"blade battery"', "词语相邻、原样匹配", "The words side by side, as typed"),
    ("value:>=300", "数值比较：>= > <= < = 或 100..300", "Compare figures' values (or 100..300)"),
    (
        "2020-03..2020-06",
        "日期完全落在区间内（任一端可省）",
        "Dated wholly within the range (either end optional)",
    ),
    ("kangjai", "5个字母以上的拼音或英文词容许一处笔误", "One typo allowed in words of 5+ letters"),
)


class HelpScreen(ReaderScreen):
    """A scrollable list of every key."""

    BINDINGS: ClassVar[list[BindingType]] = reader_bindings("help", "escape,q,question_mark")

    def __init__(self, lang: Lang, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        places = sections(self.keymap)
        widest = max(cell_len(key) for _zh, _en, rows in places for key, _z, _e in rows)
        table.add_column(style="bold yellow", no_wrap=True, ratio=1, min_width=widest)
        table.add_column(ratio=3)
        for heading_zh, heading_en, rows in places:  # never cut a key (widest)
            place = (
                pick(heading_zh, heading_en, self.lang)
                if self.lang != "both"
                else f"{heading_en}\n{heading_zh}"
            )
            table.add_row(Text(""), Text(place, style="bold underline"))
            for key, zh, en in rows:
                text = pick(zh, en, self.lang) if self.lang != "both" else f"{en}\n{zh}"
                table.add_row(Text(key), Text(text))
        title = Text(word("help_title", self.lang), style="bold underline")
        title.append("   " + word("help_close", self.lang), style="dim")
        syntax = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        syntax.add_column(style="bold yellow", no_wrap=True, ratio=1)
        syntax.add_column(ratio=3)
        for key, zh, en in QUERY_SYNTAX:
            syntax.add_row(
                Text(key), Text(pick(zh, en, self.lang) if self.lang != "both" else f"{en}\n{zh}")
            )
        heading = Text(pick("搜索语法", "Search syntax", self.lang), style="bold underline")
        with VerticalScroll():
            yield Static(title)
            yield Static(table)
            yield Static(heading)
            yield Static(syntax)
