"""Rich ``Text`` built from data, and the app's own words in two languages.

Every data string reaches the screen through :func:`data_text`, which (1) builds a
``rich.text.Text`` — never markup, so a title ``[/x]`` shows literally — and (2) runs
the text through :mod:`bishan_tui.textsafe` so control characters are shown, not
obeyed.  Search highlights are applied to the *original* text's spans, segment by
segment, before each segment is made visible, so the spans stay right even when
``visible`` changes a segment's length.

No Textual here: only Rich and the model.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from .model import (
    INFO_BY_KIND,
    Dataset,
    EventRecord,
    FigureRecord,
    Kind,
    PlatformRecord,
    PolicyRecord,
    ProjectRecord,
    Record,
    TalentRecord,
)
from .textsafe import one_line, visible

Lang = Literal["zh", "en", "both"]
LANGS: tuple[Lang, ...] = ("both", "zh", "en")
Spans = Sequence[tuple[int, int]]

HIGHLIGHT = "bold black on yellow"
LABEL = "bold"
DIM = "dim"

# ---------------------------------------------------------------------------
# The app's own words
# ---------------------------------------------------------------------------

WORDS: dict[str, tuple[str, str]] = {
    "search": ("输入即搜索：汉字、拼音", "Type to search: 汉字, pinyin, English"),
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
    "lang_now": ("显示语言", "Display language"),
    "sorted_by": ("排序", "Sorted by"),
    "cleared": ("已清除搜索以显示该条目", "Search cleared to show the record"),
    "help_title": ("按键说明", "Keys"),
    "help_close": ("按 Esc、q 或 ? 关闭", "Esc, q or ? closes this"),
    "events": ("条事件", "events"),
    "group_year": ("全年", "during the year"),
    "projected": ("预计", "projected"),
    "as_of": ("截至", "As of"),
    "period": ("期间", "Period"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "date": ("日期", "Date"),
    "date_note": ("日期说明", "About the date"),
    "index_failed": ("搜索索引失败", "Search index failed"),
    "goto": ("跳转到条目", "Go to record"),
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


def word(key: str, lang: Lang) -> str:
    """One of the app's own words in ``lang`` (``both``: Chinese then English)."""
    zh, en = WORDS[key]
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} {en}"


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


# ---------------------------------------------------------------------------
# Data -> Text
# ---------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def _safe(chunk: str, single_line: bool) -> str:
    chunk = visible(chunk)
    if single_line:
        chunk = _WHITESPACE.sub(" ", chunk)
    return chunk


def _clean_spans(spans: Spans, length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(length, end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def data_text(
    text: str,
    spans: Spans = (),
    *,
    style: str = "",
    single_line: bool = False,
    highlight: str = HIGHLIGHT,
) -> Text:
    """``text`` (data) as a Rich ``Text``: never markup, control characters visible,
    ``spans`` (``[start, end)`` into ``text``) highlighted."""
    out = Text(style=style, no_wrap=single_line, overflow="ellipsis" if single_line else "fold")
    position = 0
    for start, end in _clean_spans(spans, len(text)):
        if start > position:
            out.append(_safe(text[position:start], single_line))
        out.append(_safe(text[start:end], single_line), highlight)
        position = end
    out.append(_safe(text[position:], single_line))
    return out


SpanLookup = Callable[[str], Spans]


def no_spans(_field: str) -> Spans:
    return ()


# ---------------------------------------------------------------------------
# Wrapping: Chinese between any two characters, English between words, and never a
# closing mark (。，）…) at the start of a line or an opening one at its end
# ---------------------------------------------------------------------------

NO_LINE_START = frozenset("。，、；：？！）」』》〉】〕”’…%‰·,.;:!?)]}—～")
NO_LINE_END = frozenset("（「『《〈【〔“‘([{")


def _break_before(text: str, i: int) -> bool:
    """Whether a line may start at ``text[i]`` (0 < i < len(text))."""
    here, before = text[i], text[i - 1]
    if here.isspace():
        return False
    if before.isspace():
        return True
    if here in NO_LINE_START or before in NO_LINE_END:
        return False
    return get_character_cell_size(here) == 2 or get_character_cell_size(before) == 2


def wrap_line(text: Text, width: int) -> list[Text]:
    """One paragraph (no newline) in lines of at most ``width`` cells, styles kept.

    Greedy: each line takes as much as fits and breaks at the last place allowed
    (:func:`_break_before`); a run with no such place (a long English word) is cut at
    the width.  Spaces where a line breaks are dropped."""
    plain = text.plain
    width = max(1, width)
    if cell_len(plain) <= width:
        return [text]
    lines: list[Text] = []
    start, n = 0, len(plain)
    while start < n:
        while start < n and plain[start] == " ":
            start += 1
        used, i, last_break = 0, start, -1
        while i < n:
            size = get_character_cell_size(plain[i])
            if i > start and (plain[i] == " " or _break_before(plain, i)):
                last_break = i
            if used + size > width:
                break
            used += size
            i += 1
        if i >= n:
            end = n
        elif last_break > start:
            end = last_break
        else:
            end = max(i, start + 1)
        line = text[start:end]
        line.rstrip()
        lines.append(line)
        start = end
    return lines


def wrap_text(text: Text, width: int, max_lines: int = 0) -> list[Text]:
    """``text`` (newlines kept) in lines of at most ``width`` cells; with ``max_lines``,
    the last line kept ends in an ellipsis when more would follow."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        lines.extend(wrap_line(paragraph, width) if paragraph.plain else [paragraph])
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if cell_len(last.plain) >= width:
            last.truncate(width - 1)
        last.append("…")
    return lines


def wrapped_height(value: str, width: int) -> int:
    """How many lines :func:`wrap_line` makes of a plain one-line string."""
    if cell_len(value) <= width:
        return 1
    return len(wrap_line(Text(value), width))


class Wrapped:
    """A renderable that wraps its text with :func:`wrap_text` at the width it is given
    (Rich itself folds Chinese at the edge, leaving a lone 。 on a line of its own)."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap_text(self.text, options.max_width)
        out = Text("\n").join(lines)
        out.no_wrap = True
        out.overflow = "crop"
        out.end = ""
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_parts(date: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in date.split("-") if p.isdigit()]
    year = parts[0] if parts else 0
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    return year, month, day


def format_date(date: str, lang: Lang) -> str:
    """A date at the precision it has: ``2020``, ``2020-03``, ``2020-03-17``."""
    if not date:
        return ""
    try:
        year, month, day = date_parts(date)
    except ValueError:
        return date
    if lang == "both":
        return date
    if lang == "zh":
        text = f"{year}年"
        if month:
            text += f"{month}月"
        if day:
            text += f"{day}日"
        return text
    if month is None:
        return str(year)
    text = f"{_MONTHS_EN[month - 1]} {year}"
    return f"{day} {text}" if day else text


def group_label(year: int, month: int | None, lang: Lang) -> str:
    if month is None:
        return pick(f"{year}年", str(year), lang)
    return pick(f"{year}年{month}月", f"{_MONTHS_EN[month - 1]} {year}", lang)


# ---------------------------------------------------------------------------
# Table columns per kind
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One table column: header, the field it shows, its width cap and sort key."""

    key: str
    header_zh: str
    header_en: str
    zh_field: str  # field name as Record.text_fields names it ("" = computed)
    en_field: str
    cap: int = 24
    optional: bool = False  # shown only when the name column keeps its room


def _attr(record: Record, name: str) -> str:
    value = getattr(record, name, "")
    return value if isinstance(value, str) else ""


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    "platform": (
        Column("title", "名称", "Name", "title", "title_en", 30),
        Column("category", "类别", "Category", "category", "category_en", 18, optional=True),
        Column("status", "状态", "Status", "status", "status_en", 16, optional=True),
    ),
    "project": (
        Column("title", "项目", "Project", "title", "title_en", 30),
        Column("category", "类别", "Category", "category", "category_en", 16, optional=True),
        Column(
            "organisation",
            "主体",
            "Organisation",
            "organisation",
            "organisation_en",
            20,
            optional=True,
        ),
    ),
    "talent": (
        Column("title", "人才", "Talent", "title", "title_en", 30),
        Column(
            "affiliation", "单位", "Affiliation", "affiliation", "affiliation_en", 20, optional=True
        ),
        Column("role", "身份", "Role", "role", "role_en", 16, optional=True),
    ),
    "policy": (
        Column("title", "政策", "Policy", "title", "title_en", 32),
        Column("instrument", "类型", "Type", "instrument", "instrument_en", 12, optional=True),
        Column("issuer", "发布方", "Issuer", "issuer", "issuer_en", 18, optional=True),
    ),
    "event": (
        Column(
            "date",
            "日期",
            "Date",
            "date",
            "date",
            14,
        ),
        Column("title", "事件", "Event", "title", "title_en", 40),
    ),
    "figure": (
        Column("title", "统计内容", "What is counted", "title", "title_en", 28),
        Column(
            "value",
            "数值",
            "Value",
            "as_printed",
            "",
            20,
        ),
        Column("bar", "比较", "Compare", "", "", 10, optional=True),
        Column(
            "date",
            "时间",
            "When",
            "as_of",
            "as_of",
            12,
            optional=True,
        ),
    ),
}


def columns_for(kind: Kind, lang: Lang) -> list[tuple[Column, Lang]]:
    """The columns a kind can show in ``lang``; in ``both`` the title is there twice
    (Chinese, then English: side by side when both fit whole, else one column with the
    Chinese over the English) and the other columns in Chinese."""
    out: list[tuple[Column, Lang]] = []
    for column in COLUMNS[kind]:
        if lang == "both":
            if column.key == "title":
                out.append((column, "zh"))
                out.append((column, "en"))
            else:
                out.append((column, "zh"))
        else:
            out.append((column, lang))
    return out


def column_header(column: Column, lang: Lang) -> Text:
    if lang == "both":
        return Text(f"{column.header_zh} {column.header_en}", style=LABEL)
    return Text(column.header_zh if lang == "zh" else column.header_en, style=LABEL)


def day_in_group(date: str, lang: Lang) -> str:
    """An event's date under its year's and month's headings: the day only (``17日``,
    ``17``); nothing when the date is a year or a month (the heading says it)."""
    try:
        _year, month, day = date_parts(date)
    except ValueError:
        return date
    if month is None or day is None:
        return ""
    return f"{day}日" if lang != "en" else f"{day} {_MONTHS_EN[month - 1]}"


def _bar_cell(record: FigureRecord, peers: Sequence[FigureRecord], width: int) -> Text:
    same = [p for p in peers if p.unit == record.unit]
    top = max((abs(float(p.value)) for p in same), default=0.0)
    if top <= 0 or len(same) < 2:
        return Text("—", style=DIM)  # nothing of the same unit to compare with
    eighths = round(abs(float(record.value)) / top * width * 8)
    full, part = divmod(max(eighths, 1), 8)
    bar = "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")
    out = Text(bar, style="cyan")
    out.append(QUALIFIER_MARK.get(record.qualifier, ""), style="bold")
    return out


def cell_text(
    record: Record,
    column: Column,
    lang: Lang,
    spans: SpanLookup,
    figures: Sequence[FigureRecord] = (),
) -> Text:
    """The text of one table cell, highlighted where the search matched."""
    if column.key == "bar" and isinstance(record, FigureRecord):
        return _bar_cell(record, figures, column.cap - 3)
    if column.key == "value" and isinstance(record, FigureRecord):
        if lang == "zh" and record.as_printed:
            phrase = record.phrase("zh")
            return data_text(phrase, spans("as_printed"), single_line=True)
        return data_text(record.phrase("en" if lang == "en" else "zh"), single_line=True)
    if column.key == "date":
        if isinstance(record, EventRecord):
            # a year-only date stands under its year's heading: shown, but quietly
            return Text(format_date(record.date, lang), style=DIM if "-" not in record.date else "")
        if isinstance(record, FigureRecord):
            if record.as_of:
                return Text(format_date(record.as_of, lang))
            name = "period_en" if lang == "en" and record.period_en else "period"
            return data_text(_attr(record, name), spans(name), single_line=True)
        return Text("")
    if lang == "both":  # Chinese over English, in one cell
        out = cell_text(record, column, "zh", spans, figures)
        english = cell_text(record, column, "en", spans, figures)
        if english.plain and english.plain != out.plain:
            out.append("\n")
            out.append_text(english)
        return out
    name = column.en_field if lang == "en" else column.zh_field
    value = _attr(record, name)
    if not value and lang == "en":
        # an English column with no English value falls back to the Chinese one
        name = column.zh_field
        value = _attr(record, name)
    return data_text(value, spans(name), single_line=True)


# ---------------------------------------------------------------------------
# The detail of one record
# ---------------------------------------------------------------------------

_KIND_FIELDS: dict[type[Record], tuple[tuple[str, str, str, str], ...]] = {
    PlatformRecord: (
        ("类别", "Category", "category", "category_en"),
        ("状态", "Status", "status", "status_en"),
    ),
    ProjectRecord: (
        ("类别", "Category", "category", "category_en"),
        ("主体", "Organisation", "organisation", "organisation_en"),
    ),
    TalentRecord: (
        ("单位", "Affiliation", "affiliation", "affiliation_en"),
        ("身份", "Role", "role", "role_en"),
    ),
    PolicyRecord: (
        ("类型", "Type", "instrument", "instrument_en"),
        ("发布方", "Issuer", "issuer", "issuer_en"),
    ),
    EventRecord: (("日期说明", "About the date", "date_note", "date_note_en"),),
    FigureRecord: (("时期", "Period", "period", "period_en"),),
}


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _pair(
    out: Text,
    label_zh: str,
    label_en: str,
    zh_field: str,
    en_field: str,
    record: Record,
    lang: Lang,
    spans: SpanLookup,
) -> None:
    zh, en = _attr(record, zh_field), _attr(record, en_field)
    if not zh and not en:
        return
    out.append(pick(label_zh, label_en, lang) + ": ", style=LABEL)
    parts: list[tuple[str, str]] = []
    if lang in ("zh", "both") and zh:
        parts.append((zh_field, zh))
    if lang in ("en", "both") and en:
        parts.append((en_field, en))
    if not parts:
        parts.append((zh_field, zh) if zh else (en_field, en))
    for i, (name, value) in enumerate(parts):
        if i:
            out.append(" · ", style=DIM)
        out.append_text(data_text(value, spans(name)))
    out.append("\n")


def detail_text(record: Record, dataset: Dataset, lang: Lang, spans: SpanLookup) -> Text:
    """Everything the detail pane says of one record (not its bars or links)."""
    out = Text()
    out.append(f" {kind_label(record.kind, lang)} ", style="reverse")
    out.append(f"  {record.id}\n", style=DIM)
    if lang in ("zh", "both"):
        out.append_text(data_text(record.title, spans("title"), style="bold"))
        out.append("\n")
    if lang in ("en", "both"):
        out.append_text(data_text(record.title_en, spans("title_en"), style="bold"))
        out.append("\n")
    aliases = [(f"aliases[{i}]", a) for i, a in enumerate(record.aliases)]
    aliases += [(f"aliases_en[{i}]", a) for i, a in enumerate(record.aliases_en)]
    if aliases:
        out.append(word("aliases", lang) + ": ", style=LABEL)
        for i, (name, alias) in enumerate(aliases):
            if i:
                out.append(" · ", style=DIM)
            out.append_text(data_text(alias, spans(name)))
        out.append("\n")

    if isinstance(record, FigureRecord):
        out.append(word("value", lang) + ": ", style=LABEL)
        if lang in ("zh", "both"):
            out.append_text(data_text(record.phrase("zh"), spans("as_printed"), style="bold"))
        if lang == "both":
            out.append(" · ", style=DIM)
        if lang in ("en", "both"):
            out.append_text(data_text(record.phrase("en"), style="bold"))
        out.append("\n")
        if record.as_of:
            out.append(word("as_of", lang) + ": ", style=LABEL)
            out.append(format_date(record.as_of, lang) + "\n")
    if isinstance(record, EventRecord):
        out.append(word("date", lang) + ": ", style=LABEL)
        out.append(format_date(record.date, lang), style="bold")
        if lang == "both" and format_date(record.date, "en") != record.date:
            out.append(f" · {format_date(record.date, 'en')}", style="bold")
        out.append("\n")
    for label_zh, label_en, zh_field, en_field in _KIND_FIELDS.get(type(record), ()):
        _pair(out, label_zh, label_en, zh_field, en_field, record, lang, spans)

    out.append("\n")
    out.append_text(_heading(word("summary", lang)))
    out.append("\n")
    if lang in ("zh", "both"):
        out.append_text(data_text(record.summary, spans("summary")))
        out.append("\n")
    if lang in ("en", "both"):
        out.append_text(data_text(record.summary_en, spans("summary_en")))
        out.append("\n")

    if record.quotes:
        out.append("\n")
        out.append_text(_heading(word("quote", lang)))
        section = dataset.section(record.section)
        if section is not None:
            out.append(f"  {word('section', lang)}: ", style=DIM)
            if lang in ("zh", "both"):
                out.append_text(data_text(section.title, style=DIM))
            if lang == "both":
                out.append(" · ", style=DIM)
            if lang in ("en", "both"):
                out.append_text(data_text(section.title_en, style=DIM))
        out.append("\n")
        if lang == "en":
            out.append(word("quote_note", lang) + "\n", style=DIM)
        for i, quote in enumerate(record.quotes):
            out.append("▌", style="green")
            out.append_text(data_text(quote, spans(f"quote[{i}]"), style="italic"))
            out.append("\n")

    context = [("context", record.context), ("context_en", record.context_en)]
    shown = [
        (name, text)
        for name, text in context
        if text and (lang == "both" or name.endswith("_en") == (lang == "en"))
    ] or [(name, text) for name, text in context if text]
    if shown:
        out.append("\n")
        out.append_text(Text(word("background", lang), style="bold underline magenta"))
        out.append("\n")
        for name, text in shown:
            out.append("▌", style="magenta")
            out.append_text(data_text(text, spans(name), style="dim"))
            out.append("\n")

    tags = [(f"tags[{i}]", tag) for i, tag in enumerate(record.tags)]
    if tags:
        out.append("\n")
        out.append(word("tags", lang) + ": ", style=LABEL)
        for i, (name, tag) in enumerate(tags):
            if i:
                out.append(", ", style=DIM)
            out.append_text(data_text(tag, spans(name)))
        out.append("\n")
    return out


def record_line(record: Record, lang: Lang) -> Text:
    """One line naming a record, for link lists and the palette."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{kind_label(record.kind, 'zh' if lang == 'both' else lang)} ", style="cyan")
    if lang in ("zh", "both"):
        out.append_text(data_text(record.title, single_line=True))
    if lang == "both":
        out.append(" · ", style=DIM)
    if lang in ("en", "both"):
        out.append_text(data_text(record.title_en, single_line=True))
    return out


# ---------------------------------------------------------------------------
# Bars: a figure among the figures of the same unit
# ---------------------------------------------------------------------------

QUALIFIER_MARK = {"exact": "", "about": "~", "over": "▸", "nearly": "◂", "under": "◂"}


def same_unit(figure: FigureRecord, figures: Iterable[Record]) -> list[FigureRecord]:
    peers = [f for f in figures if isinstance(f, FigureRecord) and f.unit == figure.unit]
    return sorted(peers, key=lambda f: -float(f.value))


def bars_text(
    figures: Sequence[FigureRecord],
    current: FigureRecord | None,
    lang: Lang,
    width: int,
) -> Text:
    """Horizontal bars, one per figure, scaled to the largest; the qualifier (超过/近/约/余)
    is in the printed value at the bar's end and marked on the bar (▸ more, ◂ less, ~ about)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if not figures:
        return out
    text_lang: Literal["zh", "en"] = "en" if lang == "en" else "zh"
    top = max(abs(float(f.value)) for f in figures) or 1.0
    label_width = max(6, min(18, width // 3))
    values = [f.phrase(text_lang) for f in figures]
    value_width = min(max(cell_len(v) for v in values), max(6, width // 3))
    bar_width = max(3, width - label_width - value_width - 5)
    for figure, value in zip(figures, values, strict=True):
        is_current = current is not None and figure.id == current.id
        label = data_text(figure.title_en if text_lang == "en" else figure.title, single_line=True)
        label.truncate(label_width, overflow="ellipsis", pad=True)
        out.append("▶ " if is_current else "  ", style="bold yellow")
        out.append_text(label)
        out.append(" ")
        eighths = round(abs(float(figure.value)) / top * bar_width * 8)
        full, part = divmod(max(eighths, 1), 8)
        bar = "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")
        mark = QUALIFIER_MARK.get(figure.qualifier, "")
        out.append(bar, style="bold yellow" if is_current else "cyan")
        out.append(mark, style="bold")
        pad = bar_width + 1 - cell_len(bar) - cell_len(mark)
        out.append(" " * max(pad, 1))
        value_text = data_text(value, single_line=True, style="bold" if is_current else "")
        out.append_text(value_text)
        out.append("\n")
    out.rstrip()
    return out


# ---------------------------------------------------------------------------
# Citation and clipboard
# ---------------------------------------------------------------------------


def citation(record: Record, dataset: Dataset, lang: Lang) -> str:
    """The record's statement (title, summary, quote) with the article's title and by-line,
    one line each, safe to paste: no control character but the newlines between lines."""
    source = dataset.source
    section = dataset.section(record.section)
    lines: list[str] = []
    if lang in ("zh", "both"):
        lines += [record.title, record.summary]
    if lang in ("en", "both"):
        lines += [record.title_en, record.summary_en]
    if isinstance(record, FigureRecord):
        values = []
        if lang in ("zh", "both"):
            values.append(record.phrase("zh"))
        if lang in ("en", "both"):
            values.append(record.phrase("en"))
        lines.insert(1 if lang != "both" else 2, " / ".join(values))
    for quote in record.quotes:
        lines.append(f"“{quote}”")
    where: list[str] = []
    if lang in ("zh", "both"):
        title = source.title + (f" {source.subtitle}" if source.subtitle else "")
        by = source.byline("zh")
        sec = f"，{section.title}" if section else ""
        where.append(f"——《{title}》{sec}，{by}" if by else f"——《{title}》{sec}")
    if lang in ("en", "both"):
        title = source.title_en + (f": {source.subtitle_en}" if source.subtitle_en else "")
        by = source.byline("en")
        sec = f', section "{section.title_en}"' if section else ""
        where.append(f'— "{title}"{sec}' + (f", by {by}" if by else ""))
    lines += where
    # Each field on one line, control and invisible characters shown as on screen:
    # the citation is pasted later, maybe into a shell (see textsafe.clipboard_safe).
    return "\n".join(one_line(line) for line in lines if line)


def osc52(text: str, *, tmux: bool = False) -> str:
    """The OSC 52 sequence that puts ``text`` on the terminal's clipboard; inside tmux,
    wrapped in tmux's passthrough (``ESC P tmux;`` … ``ESC \\``, inner ESCs doubled)."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\a"
    if tmux:
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
