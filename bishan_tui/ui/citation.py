"""A record as a citation to copy."""

from __future__ import annotations

from ..model import Dataset, FigureRecord, Record
from ..textsafe import one_line
from .words import Lang


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
