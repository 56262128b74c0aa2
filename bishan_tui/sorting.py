"""Sort keys for the tables: Chinese by pinyin, English without case, numbers as
numbers, dates by date at any precision.

Pure (no Textual, no Rich).  A text's key is a tuple of items, one per run:

* a number (``3``, ``2.85``, ``300``) sorts as its value, before any letter;
* a run of Latin letters sorts case-insensitively (casefold);
* a Chinese character sorts by its toneless pinyin reading (the first of its
  readings: the search index holds them, :attr:`SearchIndex.readings`), characters
  of the same reading by code point; a character with no known reading after
  every reading, by code point;
* marks and spaces (“ ” （ ） · …) are left out.

As in a Chinese dictionary, words starting with the same character stay together:
比亚迪 and 璧山 (both *bi*) before 成渝 (*cheng*) before 大学城 (*da*); ``3种`` before
``10项``; ``BYD`` with ``byd``.  A character with several readings sorts as the
two-character word it is part of says it, when the readings hold that word (重庆 under
*chong*, 重要 under *zhong*), else by its most common reading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import EventRecord, FigureRecord, Record
from .search.query import date_bounds

Readings = Mapping[str, tuple[str, ...]]
SortItem = tuple[int, float, str, str]

_RUN = re.compile(r"(\d+(?:\.\d+)?)|([^\W\d_]+)")
_WIDE = "\u2e80"
_LAST = "\U0010ffff"


def text_key(text: str, readings: Readings) -> tuple[SortItem, ...]:
    """The sort key of one text (see the module's description)."""
    items: list[SortItem] = []
    for number, letters in _RUN.findall(text):
        if number:
            items.append((0, float(number), "", ""))
            continue
        start = 0
        for pos, char in enumerate(letters):
            if char >= _WIDE:
                if pos > start:
                    items.append((1, 0.0, letters[start:pos].casefold(), ""))
                items.append((1, 0.0, _reading(letters, pos, readings), char))
                start = pos + 1
        if start < len(letters):
            items.append((1, 0.0, letters[start:].casefold(), ""))
    return tuple(items)


def _reading(text: str, pos: int, readings: Readings) -> str:
    """The reading of ``text[pos]``: as the two-character word it starts or ends
    says it, when ``readings`` holds that word (重庆 → *chong*), else its first."""
    pair = readings.get(text[pos : pos + 2]) if pos + 1 < len(text) else None
    if pair is not None and len(pair) == 2:
        return pair[0]
    pair = readings.get(text[pos - 1 : pos + 1]) if pos > 0 else None
    if pair is not None and len(pair) == 2:
        return pair[1]
    found = readings.get(text[pos])
    return found[0] if found else _LAST


def date_key(date: str) -> tuple[int, str, int]:
    """Dates by the day they start, a coarser date before a finer one that starts on
    the same day (``2020`` < ``2020-01`` < ``2020-01-01`` < ``2020-03``); no date or
    one that cannot be read, last."""
    bounds = date_bounds(date) if date else None
    if bounds is None:
        return (1, date, 0)
    return (0, bounds[0], date.count("-"))


def record_key(record: Record, column: str, field: str, readings: Readings) -> tuple[object, ...]:
    """The sort key of a record by one table column: ``value`` (figures: the number,
    then the unit), ``date`` (events: their date; figures: as of, then period), or
    any text field by name (an empty English field sorts by the Chinese one, as the
    table shows it)."""
    if column == "value" and isinstance(record, FigureRecord):
        return (float(record.value), text_key(record.unit, readings))
    if column == "date":
        if isinstance(record, EventRecord):
            return (date_key(record.date), ())
        if isinstance(record, FigureRecord):
            return (date_key(record.as_of), text_key(record.period, readings))
        return (date_key(""), ())
    value = getattr(record, field, "")
    if not value and field.endswith("_en"):
        value = getattr(record, field[:-3], "")
    return (text_key(value if isinstance(value, str) else "", readings),)
