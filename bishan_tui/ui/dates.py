"""Dates at the precision the article gives them (a year, a month or a day)."""

from __future__ import annotations

from .words import Lang, pick

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
