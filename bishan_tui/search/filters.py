"""The query language's filters and field limits over an index: ``kind:``,
``value:``, date ranges, ``section:``, and a word limited to one field.

No Textual, no Rich.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..model import EventRecord, FigureRecord
from ..textnorm import normalize
from .bitsets import bitmap, members
from .pinyin import first_word_match
from .query import DateRange, Query, ValueTest, date_bounds
from .state import IndexState
from .words import Word


class _Values:
    """The values of ``(value, rid)`` pairs sorted by value, as a sequence for bisect."""

    def __init__(self, pairs: list[tuple[float, int]]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, index: int) -> float:
        return self._pairs[index][0]


class Filters(IndexState):
    """The filters, as methods of every index."""

    def _of_kinds(self, parsed: Query, within: int) -> int:
        """``within`` limited to the kinds the query asks for (``kind:``) and without
        those it leaves out (``-kind:``)."""
        if parsed.kinds:
            allowed = 0
            for kind in parsed.kinds:
                allowed |= self._kind_masks.get(kind, 0)
            within &= allowed
        for kind in parsed.excluded_kinds:
            within &= ~self._kind_masks.get(kind, 0)
        return within

    def _value_bits(self, test: ValueTest) -> int:
        return self._value_filters.get(test, self._figures_passing)

    def _date_bits(self, dates: DateRange) -> int:
        return self._date_filters.get(dates, self._dated_within)

    def _figures_passing(self, test: ValueTest) -> int:
        """Figures whose value passes a comparison: a range of the figures sorted by
        value (made once per index)."""
        if self._value_list is None:
            figures = [
                (float(record.value), rid)
                for rid, record in enumerate(self.records)
                if isinstance(record, FigureRecord)
            ]
            figures.sort()
            self._value_list = figures
        values = self._value_list
        lo, hi = 0, len(values)
        number = test.number
        key = _Values(values)
        if test.op == ">=":
            lo = bisect_left(key, number)
        elif test.op == ">":
            lo = bisect_right(key, number)
        elif test.op == "<=":
            hi = bisect_right(key, number)
        elif test.op == "<":
            hi = bisect_left(key, number)
        elif test.op == "..":
            lo, hi = bisect_left(key, number), bisect_right(key, test.high)
        else:
            lo, hi = bisect_left(key, number), bisect_right(key, number)
        return bitmap([rid for _, rid in values[lo:hi]])

    def _dated_within(self, dates: DateRange) -> int:
        """Events and figures dated wholly within a range (the first and last day of
        each record's date, read once per index)."""
        if self._date_list is None:
            dated: list[tuple[str, str, int]] = []
            for rid, record in enumerate(self.records):
                date = (
                    record.date
                    if isinstance(record, EventRecord)
                    else record.as_of
                    if isinstance(record, FigureRecord)
                    else ""
                )
                bounds = date_bounds(date) if date else None
                if bounds is not None:
                    dated.append((bounds[0], bounds[1], rid))
            dated.sort()
            self._date_list = dated
        start, end = dates.start, dates.end
        return bitmap(
            [rid for first, last, rid in self._date_list
             if (not start or first >= start) and (not end or last <= end)]
        )

    def _field_check(self, word: Word, field: str, candidates: int) -> int:
        """The candidates (found in some field of the *other* group) whose ``field``
        holds the word, looked for in that field's text of each candidate (one blob
        per field, made on its first use)."""
        blob, starts = self._field_blob(field)
        last = len(starts) - 1
        size = len(blob)
        forms = word.forms
        search = word.pinyin.regex.search if word.pinyin is not None and field == "tags" else None
        pairs = self._pairs
        found: list[int] = []
        for rid in members(candidates):
            start = starts[rid]
            end = starts[rid + 1] - 1 if rid < last else size
            if any(blob.find(form, start, end) >= 0 for form in forms) or (
                search is not None
                and first_word_match(search, blob, start, end, pairs) is not None
            ):
                found.append(rid)
        return bitmap(found)

    def _field_blob(self, field: str) -> tuple[str, list[int]]:
        """One field's normalised text of every record, joined, and where each
        record's starts.  The *other* group's text of a record holds its fields in
        the order of ``Record.text_fields``: summary, summary_en, each tag, each
        quote, …; so a field is a run of lines found from its numbers of tags and
        quotes."""
        with self._lock:
            cached = self._field_blobs.get(field)
        if cached is not None:
            return cached
        parts: list[str] = []
        starts: list[int] = []
        offset = 0
        for record, text in zip(self.records, self._other.hay, strict=True):
            tags = len(record.tags)
            if field == "summary":
                first, count = 0, 2
            elif field == "tags":
                first, count = 2, tags
            else:
                first, count = 2 + tags, len(record.quotes)
            lines = text.split("\n", first + count)
            part = "\n".join(lines[first : first + count])
            starts.append(offset)
            parts.append(part)
            offset += len(part) + 1
        made = ("\n".join(parts), starts)
        with self._lock:
            self._field_blobs[field] = made
        return made

    def _section_bits(self, text: str) -> int:
        wanted = {
            section.id
            for section in self.dataset.sections
            if any(
                text in normalize(name)
                for name in (section.id, section.title, section.title_en)
            )
        }
        return bitmap(rid for rid, record in enumerate(self.records) if record.section in wanted)

