"""A small dialog: several records quote one span of the article; pick one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model import INFO_BY_KIND, Record
from ..textsafe import one_line
from ..ui.words import Lang


class ChooseRecord(ModalScreen[str | None]):
    """The records quoting a span; Enter opens one (its id), Esc closes."""

    DEFAULT_CSS = """
    ChooseRecord { align: center middle; }
    ChooseRecord > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ChooseRecord #choose-title { height: auto; text-style: bold; }
    ChooseRecord OptionList { height: auto; max-height: 16; border: none; padding: 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="choose-close"),
    ]

    def __init__(self, records: Sequence[Record], lang: Lang = "both") -> None:
        super().__init__()
        self.records = list(records)
        self.lang = lang

    def compose(self) -> ComposeResult:
        zh = self.lang == "zh"
        title = (
            f"{len(self.records)} 个条目引用这段原文 · Enter 打开 · Esc 关闭"
            if zh
            else f"{len(self.records)} records quote this span · Enter opens · Esc closes"
        )
        options = []
        for record in self.records:
            label = Text(no_wrap=True, overflow="ellipsis")
            info = INFO_BY_KIND[record.kind]
            label.append(f"{info.label_zh if zh else info.singular_en} ", style="dim")
            if self.lang != "en":
                label.append(one_line(record.title))
            if self.lang != "zh":
                label.append((" / " if self.lang == "both" else "") + one_line(record.title_en))
            options.append(Option(label, id=record.id))
        with Vertical():
            yield Static(Text(title), id="choose-title")
            yield OptionList(*options, id="choose-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
