"""Every key of the app, declared once: the bindings (with ids, so a keymap can rebind
them) and what each key does in both languages.

``MainScreen.BINDINGS`` and ``BishanApp.BINDINGS`` are taken from here, the help
screen is built from here (showing the keys a keymap chose), and a test checks the
README's key table against it.  Keys that are not bindings of ours (the search box's
editing keys, the table's movement, the key router's Enter, Esc and paste) are
documented here too, as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

Place = Literal["box", "table", "detail", "article", "anywhere"]

# (Chinese, English) heading of each place, in the order the help shows them.
PLACES: dict[Place, tuple[str, str]] = {
    "box": (
        "搜索框（启动时光标在此，输入即搜索）",
        "In the search box (where the app opens: typing searches)",
    ),
    "table": (
        "表格（命令模式：按 Esc Esc 进入）",
        "In the table (command mode: Esc Esc gets you here)",
    ),
    "detail": ("详情与相关条目", "In the detail and its related records"),
    "article": ("原文（按 7）", "In the article (7)"),
    "anywhere": ("任何地方", "Anywhere"),
}


@dataclass(frozen=True)
class KeyDoc:
    """One row of the help: ``bindings`` (their keys shown, a keymap's if it rebinds
    them), else ``keys`` handled by something other than a binding of ours."""

    place: Place
    zh: str
    en: str
    keys: str = ""
    bindings: tuple[Binding, ...] = ()


def _doc(
    place: Place,
    key: str,
    action: str,
    description: str,
    zh: str,
    en: str,
    *,
    id: str,
    show: bool = True,
    priority: bool = False,
) -> KeyDoc:
    binding = Binding(key, action, description, show=show, priority=priority, tooltip=en, id=id)
    return KeyDoc(place, zh, en, bindings=(binding,))


TAB_KINDS = ("platform", "project", "talent", "policy", "event", "figure")
TAB_NAMES = ("Platforms", "Projects", "Talent", "Policies", "Timeline", "Figures")

DOCS: tuple[KeyDoc, ...] = (
    # -- the search box (keys.py decides these as they arrive) --
    KeyDoc(
        "box",
        "输入查询：汉字、拼音（kangjia、kang jia）、首字母（kjgd）、English、数字、日期",
        "Type a query: 汉字, pinyin (kangjia, kang jia), initials (kjgd), English, numbers, dates",
        keys="any key",
    ),
    KeyDoc(
        "box",
        "粘贴（无论焦点在哪）都进入搜索框",
        "A paste, wherever you are, goes here",
        keys="Paste",
    ),
    KeyDoc("box", "在结果中移动", "Move through the results", keys="↑ ↓ PgUp PgDn"),
    KeyDoc("box", "第一条、最后一条结果", "First, last result", keys="Home End"),
    KeyDoc(
        "box",
        "打开所选结果（未移动时为最佳结果）",
        "Open the selected result (the best match until you move)",
        keys="Enter",
    ),
    KeyDoc(
        "box", "清除查询；框已空时：到表格", "Clear the query; when empty: to the table", keys="Esc"
    ),
    KeyDoc("box", "在查询中移动", "Move within the query", keys="← → Ctrl+A Ctrl+E"),
    KeyDoc("box", "删除查询、删除一个词", "Delete the query, a word", keys="Ctrl+U Ctrl+W"),
    KeyDoc(
        "box",
        "调出以前的搜索（打开结果时记录）",
        "Earlier / later searches (kept when a result is opened)",
        bindings=(
            Binding("ctrl+up", "history_back", "Earlier search", show=False, id="history-back"),
            Binding(
                "ctrl+down", "history_forward", "Later search", show=False, id="history-forward"
            ),
        ),
    ),
    # -- the table: command mode --
    _doc(
        "table",
        "slash",
        "focus_search",
        "Search",
        "回到搜索框，查询被选中：输入即替换，← → 可编辑",
        "Back to the search box, the query selected: type to replace it, ← → to edit",
        id="search",
    ),
    KeyDoc(
        "table",
        "其他可打印键：以该键开始新的搜索",
        "Any other printable key starts a new search with it",
        keys="other keys",
    ),
    KeyDoc("table", "上下移动", "Move up and down", keys="↑ ↓  j k"),
    KeyDoc("table", "翻页、到首尾", "Page, first, last", keys="PgUp PgDn Home End"),
    KeyDoc("table", "打开或聚焦详情", "Open or focus the detail", keys="Enter"),
    KeyDoc(
        "table",
        "切换标签：平台 项目 人才 政策 时间线 数据",
        "Tabs: platforms, projects, talent, policies, timeline, figures",
        bindings=tuple(
            Binding(str(n), f"show_kind('{kind}')", name, show=False, id=f"tab-{n}")
            for n, (kind, name) in enumerate(zip(TAB_KINDS, TAB_NAMES, strict=True), 1)
        ),
    ),
    _doc(
        "table",
        "c",
        "copy",
        "Copy",
        "复制高亮条目的引文（OSC 52；tmux 内自动转发）",
        "Copy the record as a citation (OSC 52, wrapped for tmux)",
        id="copy",
    ),
    _doc(
        "table",
        "e",
        "export",
        "Export",
        "导出本标签或全部结果：CSV、JSON、Markdown，存为文件或复制",
        "Export this tab's or every tab's results: CSV, JSON, Markdown, to a file or the clipboard",
        id="export",
        show=False,
    ),
    _doc(
        "table",
        "l",
        "cycle_lang",
        "Lang",
        "切换语言：中英 → 中文 → English",
        "Language: both → Chinese → English",
        id="lang",
    ),
    _doc(
        "table",
        "s",
        "sort",
        "Sort",
        "按下一列排序（再回到原顺序）；换语言时该列不存在则恢复原顺序",
        "Sort by the next column (then the original order); a language without "
        "that column goes back to the original order",
        id="sort",
    ),
    _doc(
        "table",
        "g",
        "glossary",
        "Glossary",
        "术语表：每个中文名称的唯一英文译法",
        "Glossary: the one English rendering of each term",
        id="glossary",
    ),
    _doc(
        "table",
        "7",
        "show_article",
        "Article",
        "原文：文章全文，引文高亮",
        "Article: the article's text, quoted spans highlighted",
        id="tab-7",
        show=False,
    ),
    _doc(
        "table",
        "a",
        "open_article",
        "Article",
        "在原文中打开该条目的段落，引文高亮",
        "Open the record's paragraph in the article, its quotes highlighted",
        id="open-article",
    ),
    _doc("table", "question_mark", "help", "Help", "本帮助", "This help", id="help"),
    _doc(
        "table",
        "escape",
        "back",
        "Back",
        "关闭详情；清除搜索",
        "Close the detail; clear the search",
        id="back",
    ),
    _doc("table", "q", "app.quit", "Quit", "退出", "Quit", id="quit"),
    # -- the detail --
    KeyDoc(
        "detail",
        "在搜索框、表格、详情、相关条目之间切换",
        "Move between search, table, detail, related links",
        keys="Tab / Shift+Tab",
    ),
    KeyDoc(
        "detail",
        "跳到相关条目的标签和行",
        "Jump to the related record's tab and row",
        keys="Enter (related)",
    ),
    KeyDoc("detail", "关闭详情，回到表格", "Close the detail, back to the table", keys="Esc"),
    # -- the article (widgets/article_view.py binds these) --
    KeyDoc(
        "article",
        "下一个、上一个引文（搜索时：命中）",
        "Next, previous quoted span (while searching: hit)",
        keys="n N",
    ),
    KeyDoc("article", "同 n N", "Same as n N", keys="Tab Shift+Tab"),
    KeyDoc(
        "article",
        "打开引用该处的条目；多个条目时先选择",
        "Open the record quoting it; a choice when several do",
        keys="Enter (span)",
    ),
    KeyDoc("article", "滚动", "Scroll", keys="↑ ↓  j k"),
    # -- anywhere --
    KeyDoc(
        "anywhere",
        "命令面板：跳转到条目、导出、搜索历史、主题",
        "Command palette: go to a record, export, search history, themes",
        keys="Ctrl+P",
    ),
    KeyDoc("anywhere", "退出", "Quit", keys="Ctrl+Q"),
    KeyDoc(
        "anywhere",
        "复制搜索框中选中的文字；否则提示退出，2 秒内再按即退出",
        "Copy the text selected in the box; else how to quit, and again within 2 s quits",
        keys="Ctrl+C",
    ),
    _doc(
        "anywhere",
        "ctrl+z",
        "suspend_process",
        "Suspend",
        "挂起（shell 中 fg 恢复）",
        "Suspend (fg in the shell resumes)",
        id="suspend",
        show=False,
        priority=True,  # from the box and while Enter waits for the index (keys.py)
    ),
)

# What the App binds itself; every other binding is the main screen's, in this order
# (the footer's).
APP_IDS = frozenset({"suspend"})
MAIN_ORDER = (
    "search",
    *(f"tab-{n}" for n in range(1, 8)),
    "open-article",
    "back",
    "copy",
    "lang",
    "sort",
    "help",
    "glossary",
    "quit",
    "export",
    "history-back",
    "history-forward",
)
BY_ID: dict[str, Binding] = {b.id or "": b for doc in DOCS for b in doc.bindings}
APP_BINDINGS: list[Binding] = [BY_ID[name] for name in sorted(APP_IDS)]
MAIN_BINDINGS: list[Binding] = [BY_ID[name] for name in MAIN_ORDER]

# How the help and the README write a key.
KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}


def key_name(key: str) -> str:
    """``ctrl+up`` as ``Ctrl+↑``, ``question_mark`` as ``?``, ``f1`` as ``F1``."""
    *mods, last = key.split("+")
    name = KEY_NAMES.get(last)
    if name is None:
        name = last if len(last) == 1 and not mods else last.capitalize()
    return "+".join([*(m.capitalize() for m in mods), name])


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys ``binding`` answers to, a keymap's choice if it rebinds its id."""
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def doc_keys(doc: KeyDoc, keymap: Mapping[str, str]) -> str:
    """The keys of a help row as shown: ``1 – 6`` for a run of digits."""
    if not doc.bindings:
        return doc.keys
    names = [key_name(key) for b in doc.bindings for key in keys_of(b, keymap)]
    digits = [int(n) for n in names if n.isdigit() and len(n) == 1]
    if (
        len(names) > 2
        and len(digits) == len(names)
        and digits == list(range(digits[0], digits[0] + len(digits)))
    ):
        return f"{digits[0]} – {digits[-1]}"
    return " ".join(names)
