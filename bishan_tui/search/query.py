"""The query language of the search box and of ``bishan-tui search``.

Pure (no Textual, no Rich).  A query is words separated by white space; every word
must match (AND).  On top of plain words:

========================  =============================================================
``kind:figure``           only that kind: ``platform project talent policy event
                          figure``, plurals, the tab names in English or Chinese
                          (``kind:timeline``, ``kind:数据``); several ``kind:`` widen
``title:康佳``            the word in one field only: ``title`` (names: title, English
                          title, aliases), ``summary``, ``quote``, ``tags``,
                          ``section`` (the section's id or heading)
``-word``                 records that do *not* match the word (``-kind:figure``,
                          ``-"a phrase"``, ``-title:word`` too)
``"a phrase"``            the words next to each other, as typed (no typo, no gap)
``value:>=300``           figures whose value compares: ``>= > <= < =`` (or ``≥ ≤``),
                          ``value:300`` (equal), ``value:100..300`` (between, inclusive)
``2020-03..2020-06``      events and figures dated within the range, whatever the
                          precision of the date; either end may be left out
                          (``2020..``, ``..2020-06``); ``date:2020-03`` is one month
========================  =============================================================

Bad syntax never raises: whatever cannot be read as syntax (``kind:xyz``,
``value:lots``, an unclosed ``"``) is read as plain words, and :attr:`Query.notes`
says so; :meth:`Query.describe` tells the reader how the query was read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..fieldspec import SharedMethods
from ..model import KIND_INFO, Kind

FieldName = Literal["title", "summary", "quote", "tags", "section"]
Op = Literal[">=", ">", "<=", "<", "=", ".."]

FIELD_NAMES: dict[str, FieldName] = {
    "title": "title",
    "name": "title",
    "summary": "summary",
    "quote": "quote",
    "quotes": "quote",
    "tag": "tags",
    "tags": "tags",
    "section": "section",
}


def _kind_names() -> dict[str, Kind]:
    names: dict[str, Kind] = {}
    for info in KIND_INFO:
        for name in (info.kind, info.array, info.label_en, info.label_zh, info.singular_en):
            names[unicodedata.normalize("NFKC", name).casefold()] = info.kind
        names[info.kind + "s"] = info.kind
    names["events"] = "event"
    names["talents"] = "talent"
    return names


KIND_NAMES: dict[str, Kind] = _kind_names()

# Patterns, compiled (and kept) by `re` when a query first uses the syntax: a plain
# query never does (~0.35 ms of a lookup's start).
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_VALUE = rf"(>=|<=|>|<|=|≥|≤)?({_NUMBER})"
_VALUE_RANGE = rf"({_NUMBER})\.\.({_NUMBER})"
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATE_RANGE = rf"({_DATE})?\.\.({_DATE})?"
_ONE_DATE = _DATE


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Term(SharedMethods):
    """A word or phrase to match (normalised: NFKC + casefold)."""

    text: str
    field: FieldName | None = None
    negated: bool = False
    phrase: bool = False  # typed in quotes: adjacent words, no typo, no gap

    def describe(self) -> str:
        body = f'"{self.text}"' if self.phrase else self.text
        if self.field is not None:
            body = f"{self.field}:{body}"
        return ("-" if self.negated else "") + body


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ValueTest(SharedMethods):
    """A comparison on a figure's value (``..``: ``low <= value <= high``)."""

    op: Op
    number: float
    high: float = 0.0

    def accepts(self, value: float) -> bool:
        op = self.op
        if op == ">=":
            return value >= self.number
        if op == ">":
            return value > self.number
        if op == "<=":
            return value <= self.number
        if op == "<":
            return value < self.number
        if op == "..":
            return self.number <= value <= self.high
        return value == self.number

    def describe(self) -> str:
        if self.op == "..":
            return f"value {_num(self.number)}..{_num(self.high)}"
        return f"value {self.op} {_num(self.number)}"


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def date_bounds(date: str) -> tuple[str, str] | None:
    """The first and last day a date of any precision covers, as ``YYYY-MM-DD``
    strings (``2020-03`` → ``2020-03-01``, ``2020-03-31``); None if it is not one."""
    parts = date.strip().split("-")
    if not parts or not all(part.isdigit() for part in parts) or len(parts) > 3:
        return None
    if len(parts[0]) != 4:
        return None
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if not 1 <= month <= 12:
        return None
    days = _month_days(year, month)
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{days:02d}"
    day = int(parts[2])
    if not 1 <= day <= days:
        return None
    text = f"{year:04d}-{month:02d}-{day:02d}"
    return text, text


def _month_days(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DateRange(SharedMethods):
    """Dates that lie wholly within ``start``..``end`` (``YYYY-MM-DD``; "" is open)."""

    start: str
    end: str
    text: str

    def accepts(self, date: str) -> bool:
        bounds = date_bounds(date)
        if bounds is None:
            return False
        first, last = bounds
        return (not self.start or first >= self.start) and (not self.end or last <= self.end)


@dataclass
class Query:
    """A query as read: what to match, what to leave out, and what was not syntax."""

    terms: list[Term] = field(default_factory=list)
    kinds: set[Kind] = field(default_factory=set)  # empty: any kind
    excluded_kinds: set[Kind] = field(default_factory=set)
    values: list[ValueTest] = field(default_factory=list)
    dates: list[DateRange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read as plain words
    syntax: bool = False  # anything beyond plain words

    @property
    def words(self) -> list[Term]:
        """The terms a record must match."""
        return [term for term in self.terms if not term.negated]

    @property
    def excluded(self) -> list[Term]:
        return [term for term in self.terms if term.negated]

    @property
    def has_filters(self) -> bool:
        return bool(self.kinds or self.excluded_kinds or self.values or self.dates)

    def describe(self) -> str:
        """How the query was read, in one line (English; the syntax is English)."""
        parts: list[str] = []
        if self.kinds:
            parts.append("kind " + " or ".join(sorted(self.kinds)))
        if self.excluded_kinds:
            parts.append("not kind " + " or ".join(sorted(self.excluded_kinds)))
        parts.extend(test.describe() for test in self.values)
        parts.extend(f"dated {date.text}" for date in self.dates)
        words = [term.describe() for term in self.words]
        if words:
            parts.append("words " + " ".join(words))
        excluded = [term.describe()[1:] for term in self.excluded]
        if excluded:
            parts.append("without " + " ".join(excluded))
        text = " · ".join(parts)
        if self.notes:
            text += (" · " if text else "") + "; ".join(self.notes)
        return text


def _split(text: str, notes: list[str]) -> list[tuple[str, bool]]:
    """Tokens (text, quoted): white space separates, ``"…"`` keeps a phrase whole
    (a prefix such as ``-`` or ``title:`` sticks to the quote that follows it)."""
    tokens: list[tuple[str, bool]] = []
    pos = 0
    size = len(text)
    while pos < size:
        while pos < size and text[pos].isspace():
            pos += 1
        if pos >= size:
            break
        start = pos
        while pos < size and not text[pos].isspace() and text[pos] != '"':
            pos += 1
        head = text[start:pos]
        if pos < size and text[pos] == '"':
            close = text.find('"', pos + 1)
            if close < 0:
                notes.append('unclosed " read as words')
                rest = text[pos + 1 :]
                if head:
                    tokens.append((head, False))
                tokens.extend((word, False) for word in rest.split())
                return tokens
            inner = " ".join(text[pos + 1 : close].split())
            pos = close + 1
            if not inner:
                if head:
                    tokens.append((head, False))
                continue
            tokens.append((head + "\0" + inner, True))
            continue
        tokens.append((head, False))
    return tokens


def parse_query(query: str) -> Query:
    """Read a query (never raises; bad syntax becomes plain words)."""
    text = unicodedata.normalize("NFKC", query).casefold()
    out = Query()
    for token, quoted in _split(text, out.notes):
        if quoted:
            head, _, inner = token.partition("\0")
            _phrase(out, head, inner)
        else:
            _token(out, token)
    return out


def _phrase(out: Query, head: str, inner: str) -> None:
    negated = head.startswith("-")
    name = head[1:] if negated else head
    if name.endswith(":") and name[:-1] in FIELD_NAMES:
        out.terms.append(Term(inner, FIELD_NAMES[name[:-1]], negated, True))
        out.syntax = True
    elif name:
        out.notes.append(f"{head!s} read as a word")
        out.terms.append(Term(head))
        out.terms.append(Term(inner, None, False, True))
        out.syntax = True
    else:
        out.terms.append(Term(inner, None, negated, True))
        out.syntax = True


def _token(out: Query, token: str) -> None:
    negated = token.startswith("-") and len(token) > 1 and not token[1].isdigit()
    body = token[1:] if negated else token
    name, colon, value = body.partition(":")
    if colon and name == "kind":
        kind = KIND_NAMES.get(value)
        if kind is not None:
            (out.excluded_kinds if negated else out.kinds).add(kind)
            out.syntax = True
            return
        out.notes.append(f"{token} read as a word (no kind {value!r})")
    elif colon and name == "value" and not negated:
        test = _value_test(value)
        if test is not None:
            out.values.append(test)
            out.syntax = True
            return
        out.notes.append(f"{token} read as a word (not a comparison)")
    elif colon and name == "date" and not negated:
        dates = _date_range(value) or _single_date(value)
        if dates is not None:
            out.dates.append(dates)
            out.syntax = True
            return
        out.notes.append(f"{token} read as a word (not a date)")
    elif colon and name in FIELD_NAMES:
        if value:
            out.terms.append(Term(value, FIELD_NAMES[name], negated))
            out.syntax = True
            return
        out.notes.append(f"{token} read as a word (nothing after :)")
    elif ".." in body and not negated:
        dates = _date_range(body)
        if dates is not None:
            out.dates.append(dates)
            out.syntax = True
            return
    if negated:
        out.terms.append(Term(body, None, True))
        out.syntax = True
        return
    out.terms.append(Term(token))


def _value_test(text: str) -> ValueTest | None:
    found = re.fullmatch(_VALUE_RANGE, text)
    if found is not None:
        low, high = float(found.group(1)), float(found.group(2))
        return ValueTest("..", min(low, high), max(low, high))
    found = re.fullmatch(_VALUE, text)
    if found is None:
        return None
    op = {"≥": ">=", "≤": "<=", None: "="}.get(found.group(1), found.group(1))
    number = float(found.group(2))
    if op == ">=":
        return ValueTest(">=", number)
    if op == ">":
        return ValueTest(">", number)
    if op == "<=":
        return ValueTest("<=", number)
    if op == "<":
        return ValueTest("<", number)
    return ValueTest("=", number)


def _date_range(text: str) -> DateRange | None:
    found = re.fullmatch(_DATE_RANGE, text)
    if found is None or not (found.group(1) or found.group(2)):
        return None
    start = end = ""
    if found.group(1):
        bounds = date_bounds(found.group(1))
        if bounds is None:
            return None
        start = bounds[0]
    if found.group(2):
        bounds = date_bounds(found.group(2))
        if bounds is None:
            return None
        end = bounds[1]
    if start and end and start > end:
        return None
    return DateRange(start, end, text)


def _single_date(text: str) -> DateRange | None:
    if re.fullmatch(_ONE_DATE, text) is None:
        return None
    bounds = date_bounds(text)
    if bounds is None:
        return None
    return DateRange(bounds[0], bounds[1], text)
