"""Records as JSON, CSV, Markdown and plain lines, for scripts and the CLI.

Pure: no Textual, no Rich.  JSON keeps the data exactly (characters a terminal
would obey are written as ``\\uXXXX`` escapes, which is still the same JSON
string); the other formats pass text through :func:`textsafe.visible`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from .model import Dataset, EventRecord, FigureRecord, Record, format_number
from .textsafe import one_line, visible

# Fields of a record in the order the file documents them; `line` is not data.
_SKIP = {"line", "kind", "quotes"}
_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def record_to_dict(record: Record) -> dict[str, Any]:
    """Every field of the record, plus ``kind``; ``quote`` is always a list."""
    data: dict[str, Any] = {"kind": record.kind, "id": record.id}
    for spec in fields(record):
        if spec.name in _SKIP or spec.name == "id":
            continue
        value = getattr(record, spec.name)
        if spec.name == "section":
            data["section"] = value
            data["quote"] = list(record.quotes)
            continue
        data[spec.name] = list(value) if isinstance(value, tuple) else value
    if isinstance(record, FigureRecord):
        data["phrase"] = record.phrase("zh")
        data["phrase_en"] = record.phrase("en")
    return data


def to_json(records: Iterable[Record]) -> str:
    text = json.dumps([record_to_dict(r) for r in records], ensure_ascii=False, indent=2)
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def statement(record: Record, lang: str = "zh") -> str:
    """The short value of a record for one column: a figure's phrase, an event's date."""
    if isinstance(record, FigureRecord):
        return record.phrase("en" if lang == "en" else "zh")
    if isinstance(record, EventRecord):
        return record.date
    return ""


CSV_COLUMNS = (
    "kind",
    "id",
    "title",
    "title_en",
    "value",
    "qualifier",
    "unit",
    "unit_en",
    "phrase",
    "phrase_en",
    "date",
    "section",
    "summary",
    "summary_en",
    "quote",
)


def to_csv(records: Iterable[Record], *, safe: bool = False) -> str:
    """One row per record; list fields joined with `` | ``.

    ``safe`` makes control and invisible characters visible (newlines stay: CSV
    quotes them), so the output is harmless on a terminal; without it the cells
    hold the exact data.  The CLI always asks for ``safe``: JSON is its exact format.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        data = record_to_dict(record)
        row = []
        for column in CSV_COLUMNS:
            value = data.get(column, "")
            if isinstance(value, list):
                value = " | ".join(value)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                value = format_number(value)
            text = str(value)
            row.append(visible(text) if safe else text)
        writer.writerow(row)
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(records: Sequence[Record]) -> str:
    lines = [
        "| kind | id | title | title_en | value / date | summary_en |",
        "|---|---|---|---|---|---|",
    ]
    for record in records:
        cells = (
            record.kind,
            record.id,
            record.title,
            record.title_en,
            statement(record),
            record.summary_en,
        )
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def to_plain(records: Iterable[Record]) -> str:
    """One record per line, tab-separated: kind, id, title, title_en, value or date."""
    lines = []
    for record in records:
        cells = (record.kind, record.id, record.title, record.title_en, statement(record))
        lines.append("\t".join(one_line(c) for c in cells))
    return "\n".join(lines) + ("\n" if lines else "")


def record_lines(record: Record, dataset: Dataset) -> list[tuple[str, str]]:
    """The whole record as (label, text) pairs, in reading order, for ``show``."""
    pairs: list[tuple[str, str]] = [
        ("id", record.id),
        ("kind", record.kind),
        ("title", record.title),
        ("title_en", record.title_en),
    ]
    if record.aliases:
        pairs.append(("aliases", " / ".join(record.aliases)))
    if record.aliases_en:
        pairs.append(("aliases_en", " / ".join(record.aliases_en)))
    if isinstance(record, FigureRecord):
        pairs.append(("value", f"{record.phrase('zh')} / {record.phrase('en')}"))
    pairs += [("summary", record.summary), ("summary_en", record.summary_en)]
    data = record_to_dict(record)
    for key in (
        "category", "category_en", "status", "status_en", "organisation", "organisation_en",
        "affiliation", "affiliation_en", "role", "role_en", "instrument", "instrument_en",
        "issuer", "issuer_en", "date", "date_note", "date_note_en", "qualifier", "as_of",
        "period", "period_en",
    ):  # fmt: skip
        value = data.get(key)
        if value:
            pairs.append((key, str(value)))
    if isinstance(record, FigureRecord) and record.projected:
        pairs.append(("projected", "yes (预计)"))
    section = dataset.section(record.section)
    section_name = f"{section.title} / {section.title_en}" if section else record.section
    pairs.append(("section", section_name))
    for quote in record.quotes:
        pairs.append(("quote", quote))
    if record.context or record.context_en:
        pairs.append(("context", "(background, not from the article) " + record.context))
        if record.context_en:
            pairs.append(("context_en", record.context_en))
    if record.tags:
        pairs.append(("tags", ", ".join(record.tags)))
    for target in record.related:
        other = dataset.by_id(target)
        if other is not None:
            pairs.append(("related", f"{other.title} / {other.title_en} [{other.id}]"))
    return [(label, one_line(text)) for label, text in pairs]
