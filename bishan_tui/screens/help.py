"""Every key and what it does, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..ui.words import Lang, pick, word
from .reader import ReaderScreen

# The key model (screens/keys.py): the app opens in the search box, where every
# printable key is typed; Esc Esc leads to the table, where letters are commands.
# (heading Chinese, heading English, ((key, Chinese, English), ...)) per place.
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "搜索框（启动时光标在此，输入即搜索）",
        "In the search box (where the app opens: typing searches)",
        (
            (
                "any key",
                "输入查询：汉字、拼音（kangjia、kang jia）、首字母（kjgd）、English、数字、日期",
                "Type a query: 汉字, pinyin (kangjia, kang jia), initials (kjgd), English, "
                "numbers, dates",
            ),
            ("Paste", "粘贴（无论焦点在哪）都进入搜索框", "A paste, wherever you are, goes here"),
            ("↑ ↓ PgUp PgDn", "在结果中移动", "Move through the results"),
            ("Home End", "第一条、最后一条结果", "First, last result"),
            (
                "Enter",
                "打开所选结果（未移动时为最佳结果）",
                "Open the selected result (the best match until you move)",
            ),
            ("Esc", "清除查询；框已空时：到表格", "Clear the query; when empty: to the table"),
            ("← → Ctrl+A Ctrl+E", "在查询中移动", "Move within the query"),
            ("Ctrl+U Ctrl+W", "删除查询、删除一个词", "Delete the query, a word"),
            (
                "Ctrl+↑ Ctrl+↓",
                "调出以前的搜索（打开结果时记录）",
                "Earlier / later searches (kept when a result is opened)",
            ),
        ),
    ),
    (
        "表格（命令模式：按 Esc Esc 进入）",
        "In the table (command mode: Esc Esc gets you here)",
        (
            (
                "/",
                "回到搜索框，查询被选中：输入即替换，← → 可编辑",
                "Back to the search box, the query selected: type to replace it, ← → to edit",
            ),
            (
                "other keys",
                "其他可打印键：以该键开始新的搜索",
                "Any other printable key starts a new search with it",
            ),
            ("↑ ↓  j k", "上下移动", "Move up and down"),
            ("PgUp PgDn Home End", "翻页、到首尾", "Page, first, last"),
            ("Enter", "打开或聚焦详情", "Open or focus the detail"),
            (
                "1 – 6",
                "切换标签：平台 项目 人才 政策 时间线 数据",
                "Tabs: platforms, projects, talent, policies, timeline, figures",
            ),
            (
                "c",
                "复制高亮条目的引文（OSC 52；tmux 内自动转发）",
                "Copy the record as a citation (OSC 52, wrapped for tmux)",
            ),
            (
                "e",
                "导出本标签或全部结果：CSV、JSON、Markdown，存为文件或复制",
                "Export this tab's or every tab's results: CSV, JSON, Markdown, to a file or "
                "the clipboard",
            ),
            ("l", "切换语言：中英 → 中文 → English", "Language: both → Chinese → English"),
            (
                "s",
                "按下一列排序（再回到原顺序）；换语言时该列不存在则恢复原顺序",
                "Sort by the next column (then the original order); a language without "
                "that column goes back to the original order",
            ),
            (
                "g",
                "术语表：每个中文名称的唯一英文译法",
                "Glossary: the one English rendering of each term",
            ),
            (
                "7",
                "原文：文章全文，引文高亮",
                "Article: the article's text, quoted spans highlighted",
            ),
            (
                "a",
                "在原文中打开该条目的段落，引文高亮",
                "Open the record's paragraph in the article, its quotes highlighted",
            ),
            ("?", "本帮助", "This help"),
            ("Esc", "关闭详情；清除搜索", "Close the detail; clear the search"),
            ("q", "退出", "Quit"),
        ),
    ),
    (
        "详情与相关条目",
        "In the detail and its related records",
        (
            (
                "Tab / Shift+Tab",
                "在搜索框、表格、详情、相关条目之间切换",
                "Move between search, table, detail, related links",
            ),
            (
                "Enter (related)",
                "跳到相关条目的标签和行",
                "Jump to the related record's tab and row",
            ),
            ("Esc", "关闭详情，回到表格", "Close the detail, back to the table"),
        ),
    ),
    (
        "原文（按 7）",
        "In the article (7)",
        (
            (
                "n N",
                "下一个、上一个引文（搜索时：命中）",
                "Next, previous quoted span (while searching: hit)",
            ),
            ("Tab Shift+Tab", "同 n N", "Same as n N"),
            (
                "Enter (span)",
                "打开引用该处的条目；多个条目时先选择",
                "Open the record quoting it; a choice when several do",
            ),
            ("↑ ↓  j k", "滚动", "Scroll"),
        ),
    ),
    (
        "任何地方",
        "Anywhere",
        (
            (
                "Ctrl+P",
                "命令面板：跳转到条目、导出、搜索历史、主题",
                "Command palette: go to a record, export, search history, themes",
            ),
            ("Ctrl+Q", "退出", "Quit"),
            (
                "Ctrl+C",
                "复制搜索框中选中的文字；否则提示退出，2 秒内再按即退出",
                "Copy the text selected in the box; else how to quit, and again within 2 s quits",
            ),
            ("Ctrl+Z", "挂起（shell 中 fg 恢复）", "Suspend (fg in the shell resumes)"),
        ),
    ),
)

# Every key, in the order shown (for tests and the README check).
KEYS: tuple[tuple[str, str, str], ...] = tuple(row for _zh, _en, rows in SECTIONS for row in rows)

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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help-close"),
        Binding("j,down", "scroll_down", "Down", show=False, id="help-down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="help-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="help-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="help-page-up"),
    ]

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        widest = max(cell_len(key) for key, _zh, _en in KEYS)  # never cut a key
        table.add_column(style="bold yellow", no_wrap=True, ratio=1, min_width=widest)
        table.add_column(ratio=3)
        for heading_zh, heading_en, rows in SECTIONS:
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
