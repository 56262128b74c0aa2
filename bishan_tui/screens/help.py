"""Every key and what it does, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..ui_text import Lang, pick, word

# (key, Chinese, English): every binding of the app.
KEYS: tuple[tuple[str, str, str], ...] = (
    (
        "/",
        "聚焦搜索框（汉字、拼音、首字母、English）",
        "Focus the search box (汉字, pinyin, initials, English)",
    ),
    (
        "a–z (in a table)",
        "在表格中输入字母即开始搜索",
        "Typing a letter in a table starts a search",
    ),
    (
        "Enter (search)",
        "跳到最佳结果（切换到其所在标签）",
        "Go to the best match (switching to its tab)",
    ),
    ("Esc (search)", "清除搜索；再按回到表格", "Clear the search; again: back to the table"),
    (
        "1 – 6",
        "切换标签：平台 项目 人才 政策 时间线 数据",
        "Tabs: platforms, projects, talent, policies, timeline, figures",
    ),
    ("↑ ↓  j k", "上下移动", "Move up and down"),
    ("PgUp PgDn Home End", "翻页、到首尾", "Page, first, last"),
    ("Enter (table)", "打开或聚焦详情", "Open or focus the detail"),
    (
        "Tab / Shift+Tab",
        "在搜索框、表格、详情、相关条目之间切换",
        "Move between search, table, detail, related links",
    ),
    ("Enter (related)", "跳到相关条目的标签和行", "Jump to the related record's tab and row"),
    ("Esc", "关闭详情；清除搜索", "Close the detail; clear the search"),
    (
        "c",
        "复制高亮条目的引文（OSC 52；tmux 内自动转发）",
        "Copy the record as a citation (OSC 52, wrapped for tmux)",
    ),
    ("l", "切换语言：中英 → 中文 → English", "Language: both → Chinese → English"),
    ("s", "按下一列排序（再回到原顺序）", "Sort by the next column (then the original order)"),
    ("Ctrl+P", "命令面板：跳转到条目、主题", "Command palette: go to a record, themes"),
    ("?", "本帮助", "This help"),
    ("q  Ctrl+Q", "退出", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        widest = max(cell_len(key) for key, _zh, _en in KEYS)  # never cut a key
        table.add_column(style="bold yellow", no_wrap=True, ratio=1, min_width=widest)
        table.add_column(ratio=3)
        for key, zh, en in KEYS:
            table.add_row(
                Text(key), Text(pick(zh, en, self.lang) if self.lang != "both" else f"{en}\n{zh}")
            )
        title = Text(word("help_title", self.lang), style="bold underline")
        title.append("   " + word("help_close", self.lang), style="dim")
        with VerticalScroll():
            yield Static(title)
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()
