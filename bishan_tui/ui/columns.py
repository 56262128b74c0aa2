"""The table's columns per kind, and the text of one cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from ..model import EventRecord, FigureRecord, Kind, Record
from .bars import bar_cell
from .dates import format_date
from .text import DIM, LABEL, SpanLookup, data_text, field_str
from .words import Lang


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


def cell_text(
    record: Record,
    column: Column,
    lang: Lang,
    spans: SpanLookup,
    figures: Sequence[FigureRecord] = (),
) -> Text:
    """The text of one table cell, highlighted where the search matched."""
    if column.key == "bar" and isinstance(record, FigureRecord):
        return bar_cell(record, figures, column.cap - 3)
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
            return data_text(field_str(record, name), spans(name), single_line=True)
        return Text("")
    if lang == "both":  # Chinese over English, in one cell
        out = cell_text(record, column, "zh", spans, figures)
        english = cell_text(record, column, "en", spans, figures)
        if english.plain and english.plain != out.plain:
            out.append("\n")
            out.append_text(english)
        return out
    name = column.en_field if lang == "en" else column.zh_field
    value = field_str(record, name)
    if not value and lang == "en":
        # an English column with no English value falls back to the Chinese one
        name = column.zh_field
        value = field_str(record, name)
    return data_text(value, spans(name), single_line=True)
