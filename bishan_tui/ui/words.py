"""The app's own words in two languages: labels, tab names, the footer's words.

No Textual here: only Rich (a tab's label is a ``Text``) and the model.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text

from ..model import INFO_BY_KIND, Kind

Lang = Literal["zh", "en", "both"]
LANGS: tuple[Lang, ...] = ("both", "zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "search": ("输入即搜索：汉字、拼音、English", "Type to search: 汉字, pinyin, English"),
    "indexing": ("索引中…", "indexing…"),
    "no_article": (
        "该数据集不含文章原文（没有 [[paragraphs]]）",
        "This dataset carries no text of the article (no [[paragraphs]])",
    ),
    "matches": ("条结果", "matches"),
    "no_matches": ("无结果", "no matches"),
    "summary": ("摘要", "Summary"),
    "quote": ("原文", "From the article"),
    "quote_note": ("（原文为中文）", "(the article's Chinese words)"),
    "section": ("出处", "Section"),
    "background": ("背景（非文章内容）", "Background (not from the article)"),
    "related": ("相关条目", "Related records"),
    "related_hint": ("Tab 进入列表，Enter 跳转", "Tab to the list, Enter to jump"),
    "tags": ("标签", "Tags"),
    "aliases": ("别名", "Also called"),
    "same_unit": ("同单位比较", "Compared with figures of the same unit"),
    "nothing": ("没有选中的条目", "No record selected"),
    "copied": ("已复制引文", "Citation copied"),
    "exported": ("已导出", "Exported"),
    "copied_tmux": ("（经 tmux 转发 OSC 52）", "(OSC 52 through tmux)"),
    "nothing_to_copy": ("没有可复制的条目", "Nothing to copy: no record highlighted"),
    "sorted_by": ("排序", "Sorted by"),
    "cleared": ("已清除搜索以显示该条目", "Search cleared to show the record"),
    "help_title": ("按键说明", "Keys"),
    "help_close": ("按 Esc、q 或 ? 关闭", "Esc, q or ? closes this"),
    "events": ("条事件", "events"),
    "as_of": ("截至", "As of"),
    "value": ("数值", "Value"),
    "date": ("日期", "Date"),
    "index_failed": ("搜索索引失败", "Search index failed"),
    "none_here": ("此标签无匹配；匹配在：", "No match on this tab; matches are in:"),
}

# The footer's words, by binding id (or, for a binding without one, its action).
FOOTER_WORDS: dict[str, tuple[str, str]] = {
    "focus_search": ("搜索", "Search"),
    "search": ("搜索", "Search"),
    "back": ("返回", "Back"),
    "copy": ("复制", "Copy"),
    "cycle_lang": ("语言", "Lang"),
    "lang": ("语言", "Lang"),
    "sort": ("排序", "Sort"),
    "help": ("帮助", "Help"),
    "app.quit": ("退出", "Quit"),
    "quit": ("退出", "Quit"),
    "command_palette": ("命令", "Palette"),
    "app.command_palette": ("命令", "Palette"),
}


def footer_word(binding_id: str | None, action: str, default: str, lang: Lang) -> str:
    """What the footer says for a binding, in ``lang``."""
    pair = FOOTER_WORDS.get(binding_id or "") or FOOTER_WORDS.get(action)
    if pair is None:
        return default
    return pick(pair[0], pair[1], lang)


LANG_NAMES: dict[Lang, str] = {"both": "中文 + English", "zh": "中文", "en": "English"}


# Where both languages side by side would say the same thing twice and not fit (the
# box's placeholder at 80 columns), one line that says it once in each.
BOTH_WORDS: dict[str, str] = {
    "search": "输入即搜索 Type to search: 汉字, pinyin, English",
}


def word(key: str, lang: Lang) -> str:
    """One of the app's own words in ``lang`` (``both``: Chinese then English)."""
    if lang == "both" and key in BOTH_WORDS:
        return BOTH_WORDS[key]
    return pick(*WORDS[key], lang)


def pick(zh: str, en: str, lang: Lang) -> str:
    """A pair of labels in ``lang``."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} {en}"


def kind_label(kind: Kind, lang: Lang) -> str:
    info = INFO_BY_KIND[kind]
    return pick(info.label_zh, info.label_en, lang)


def article_label(lang: Lang) -> str:
    """The 7th tab: the article's own text."""
    return pick("原文", "Article", lang)


# Tab labels, from roomiest to tightest: the number that switches to the tab, the
# kind's name in the language(s) shown, the count of records (of matches in a search).
TAB_SHORT_EN: dict[Kind, tuple[str, str]] = {
    "platform": ("Platf.", "Pla"),
    "project": ("Proj.", "Pro"),
    "talent": ("Talent", "Tal"),
    "policy": ("Policy", "Pol"),
    "event": ("Time", "Tim"),
    "figure": ("Figs", "Fig"),
}
# Levels of compactness, roomiest first: 0 `1 平台 Platforms 18`, 1 `1 平台 Platf. 18`,
# 2 the same with one blank between tabs, 3 `1 平台 Platf.` (readable names before
# cut ones: without counts a tab without matches is still dimmed), 4 the same with one
# blank between tabs, 5 `1平台Platf.`, 6 `1平台Pla`.
TAB_LEVELS = 7
TAB_TIGHT = frozenset({2, 4, 5, 6})  # the levels with one blank between tabs


def tab_label(
    kind: Kind,
    number: int,
    lang: Lang,
    level: int,
    count: int,
    searching: bool,
    count_width: int = 0,
) -> Text:
    """A tab's label at a ``level`` of compactness (0: ``1 平台 Platforms 18``; 6:
    ``1平台Pla``; see TAB_LEVELS).  In a search a tab without matches is dimmed, so the
    tabs say where the matches are even when the counts no longer fit.  The count is padded to
    ``count_width`` (the digits of the kind's record count, which a match count never
    exceeds): a label keeps its width while typing, so the tabs are not laid out again
    and their underline not moved (~1-2 KB a keystroke over SSH)."""
    info = INFO_BY_KIND[kind]
    english = info.label_en if level == 0 else TAB_SHORT_EN[kind][0 if level < 6 else 1]
    if lang == "zh":
        name = info.label_zh
    elif lang == "en":
        name = english
    else:
        name = f"{info.label_zh}{' ' if level < 5 else ''}{english}"
    text = Text(no_wrap=True, style="dim" if searching and not count else "")
    text.append(f"{number}", style="bold")
    text.append(("" if level >= 5 and lang == "both" else " ") + name)
    if level < 3:
        text.append(f" {count:>{count_width}}", style="bold" if searching and count else "dim")
    return text
