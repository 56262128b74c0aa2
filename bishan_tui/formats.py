"""Records as JSON, CSV, Markdown and plain lines, for scripts and the CLI.

Pure: no Textual, no Rich.  JSON keeps the data exactly (characters a terminal
would obey are written as ``\\uXXXX`` escapes, which is still the same JSON
string); the other formats pass text through :func:`textsafe.visible`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .fieldspec import described
from .model import (
    RECORD_CLASS,
    Dataset,
    EventRecord,
    FigureRecord,
    Record,
    format_number,
    kind_fields,
)
from .textsafe import one_line, visible

_TERMINAL_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def _json_escape(match: re.Match[str]) -> str:
    """A character as JSON writes it escaped: ``\\uXXXX``, a surrogate pair above U+FFFF."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def record_to_dict(record: Record) -> dict[str, Any]:
    """``kind``, then every field of the record by its column name in the file's order
    (``quote`` is always a list), then the values computed from them (a figure's phrase)."""
    data: dict[str, Any] = {"kind": record.kind}
    for about in described(type(record)):
        value = getattr(record, about.attr) if about.compute is None else about.compute(record)
        data[about.column] = list(value) if isinstance(value, tuple) else value
    return data


def to_json(records: Iterable[Record]) -> str:
    text = json.dumps([record_to_dict(r) for r in records], ensure_ascii=False, indent=2)
    return _TERMINAL_UNSAFE.sub(_json_escape, text)


def statement(record: Record, lang: str = "zh") -> str:
    """The short value of a record for one column: a figure's phrase, an event's date."""
    if isinstance(record, FigureRecord):
        return record.phrase("en" if lang == "en" else "zh")
    if isinstance(record, EventRecord):
        return record.date
    return ""


# A cell a spreadsheet would read as a formula (OWASP "CSV injection"): it starts with
# = + - @, a tab or a carriage return (after any spaces: the CLI shows a tab as a
# space).  A plain number such as -3.5 is left alone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?\Z", re.ASCII)


def csv_cell(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would take it for a formula.

    The ``'`` is what OWASP recommends: Excel, LibreOffice and Google Sheets then show
    the cell as text.  A cell that is only a number (``-12``, ``2.85``) keeps its value.
    """
    start = text.lstrip(" \n")  # a space before "=" does not stop every spreadsheet
    if start.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(start):
        return "'" + text
    return text


def _csv_columns() -> tuple[str, ...]:
    """``kind``, then the fields and computed values that have a CSV place, in place order."""
    places: dict[str, int] = {}
    for cls in RECORD_CLASS.values():
        for about in described(cls):
            if about.csv:
                places.setdefault(about.column, about.csv)
    return ("kind", *sorted(places, key=places.__getitem__))


CSV_COLUMNS = _csv_columns()


def to_csv(records: Iterable[Record], *, safe: bool = False) -> str:
    """One row per record; list fields joined with `` | ``.

    ``safe`` makes control and invisible characters visible (newlines stay: CSV
    quotes them), so the output is harmless on a terminal; without it the cells
    hold the exact data.  The CLI always asks for ``safe``: JSON is its exact format.
    Either way every cell is :func:`csv_cell`: a spreadsheet never runs one as a formula.
    """
    import csv  # not needed by a lookup's table or plain lines

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
            row.append(csv_cell(visible(text) if safe else text))
        writer.writerow(row)
    return buffer.getvalue()


# Markdown: HTML is written as text (&lt;script&gt;), the link syntax and inline
# code are escaped, and a dangerous link scheme loses its colon, so that no renderer
# turns a cell into a tag, a link or a script.
_MD_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "(": "\\(",
        ")": "\\)",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "!": "\\!",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
    }
)
_MD_SCHEME = re.compile(r"\b(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def md_cell(text: str) -> str:
    """One line of data as Markdown text: nothing in it renders as HTML or a link."""
    escaped = one_line(text).translate(_MD_ESCAPES)
    return _MD_SCHEME.sub(lambda m: m.group()[:-1] + "&#58;", escaped)


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
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
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
    for about in kind_fields(type(record)):
        value = getattr(record, about.attr)
        if about.show and value:
            pairs.append((about.column, str(value)))
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
