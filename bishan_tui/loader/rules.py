"""The one table of rules: what a field of the file may hold, and why a value is refused.

Each rule of :data:`RULES` makes, for one field, a check that returns the value as
the model holds it or raises :class:`Refused` with the message.  The fast path
(:meth:`Schema.fast`, every field right: no messages) and the full check
(``Checker.partial_fields``, one message per wrong field) run the same checks, so
a rule is written once.  Which rule, limit and requirement a field has is said on
the model (:class:`bishan_tui.model.FieldSpec`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..fieldspec import Rule, SharedMethods, file_fields
from ..model import PARAGRAPH_ROLES, QUALIFIERS

MAX_LENGTH = {
    "id": 200,
    "title": 500,
    "summary": 10_000,
    "quote": 10_000,
    "paragraph": 10_000,
    "other": 10_000,
}
MAX_LIST_ITEMS = 100
# A figure's value: finite and of magnitude below 10^18 (the article's largest number
# is in the hundreds of millions).  Beyond that a value is a typo or an attack: a
# 4,000-digit hex integer cannot be printed in decimal, and 10^400 is no float.
MAX_FIGURE_VALUE = 10**18

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# ASCII digits only: \d would also take full-width ２０２０ or Arabic-Indic ٢٠٢٠,
# which int() reads but which sort apart from every other date.
DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")

# Names from the file are cut to this many characters in messages: a 5 MB key name
# is reported in one readable line.
MAX_NAME_SHOWN = 60


class Refused(Exception):
    """A value a field's rule does not accept; ``str(error)`` says why."""


Check = Callable[[Any], Any]
"""A field's check: the value as the model holds it, or :class:`Refused`."""


# TOML's names for what a value is (bool before int: True is an int in Python).
_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (list, "an array"),
    (dict, "a table"),
)


def type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def cut_name(text: str) -> str:
    """A name from the file, cut for a message: ``aaaa… (5,000,000 characters)``."""
    if len(text) <= MAX_NAME_SHOWN:
        return text
    return f"{text[: MAX_NAME_SHOWN - 1]}… ({len(text):,} characters)"


def number_size(value: int | float) -> str:
    """A number for a message, even one too long to print in decimal."""
    if isinstance(value, float) or abs(value) < 10**30:
        return repr(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"a number of about {digits:,} digits"


def short(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return number_size(value)
    text = repr(value[:MAX_NAME_SHOWN] if isinstance(value, str) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def valid_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real year, month or day."""
    found = DATE_PATTERN.match(text)
    if not found:
        return False
    year, month, day = found.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- rules
# Each takes (required, length limit) and returns the field's check.  The order of
# the tests is the order of the messages: a value gets the first that applies.


def _text(required: bool, limit: int, pattern: re.Pattern[str] | None = None) -> Check:
    matches = pattern.match if pattern is not None else None

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise Refused(f"expected a string, got {type_name(value)}")
        if required and (not value or value.isspace()):
            raise Refused("is empty")
        if matches is not None and not matches(value):
            raise Refused(
                f"{short(value)} is not lowercase ASCII words joined by hyphens "
                "(e.g. kangjia-institute)"
            )
        if len(value) > limit:
            raise Refused(f"{len(value):,} characters; the limit is {limit:,}")
        return value

    return check


def _word(test: Callable[[str], bool], what: str) -> Callable[[bool, int], Check]:
    """A string that ``test`` accepts (a date, a qualifier, a role)."""

    def rule(_required: bool, _limit: int) -> Check:
        def check(value: Any) -> Any:
            if not isinstance(value, str):
                raise Refused(f"expected a string, got {type_name(value)}")
            if not test(value):
                raise Refused(f"{short(value)} is not {what}")
            return value

        return check

    return rule


def _number(_required: bool, _limit: int) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refused(f"expected a number, got {type_name(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise Refused(f"{value} is not a finite number")
        if not -MAX_FIGURE_VALUE < value < MAX_FIGURE_VALUE:
            raise Refused(
                f"{number_size(value)} is too large: a value must be of magnitude below "
                "10^18 (see docs/dataset.md)"
            )
        return value

    return check


def _bool(_required: bool, _limit: int) -> Check:
    def check(value: Any) -> Any:
        if not isinstance(value, bool):
            raise Refused(f"expected true or false, got {type_name(value)}")
        return value

    return check


def _strings(quote: bool) -> Callable[[bool, int], Check]:
    """An array of strings; a quote may also be one string, and needs at least one."""
    expected = "a string or an array of strings" if quote else "an array of strings"

    def rule(_required: bool, limit: int) -> Check:
        def check(value: Any) -> Any:
            if quote and isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise Refused(f"expected {expected}, got {type_name(value)}")
            if len(value) > MAX_LIST_ITEMS:
                raise Refused(f"{len(value)} items; the limit is {MAX_LIST_ITEMS}")
            for position, entry in enumerate(value):
                if not isinstance(entry, str):
                    raise Refused(f"item {position} is {type_name(entry)}, expected a string")
                if len(entry) > limit:
                    raise Refused(
                        f"item {position}: {len(entry):,} characters; the limit is {limit:,}"
                    )
                if quote and (not entry or entry.isspace()):
                    raise Refused(f"item {position} is empty")
            if quote and not value:
                raise Refused("is empty: at least one quote is needed")
            return tuple(value)

        return check

    return rule


RULES: dict[Rule, Callable[[bool, int], Check]] = {
    "id": lambda required, limit: _text(required, limit, ID_PATTERN),
    "str": _text,
    "section": _text,
    "date": _word(valid_date, "a date YYYY, YYYY-MM or YYYY-MM-DD"),
    "qualifier": _word(QUALIFIERS.__contains__, "one of " + ", ".join(QUALIFIERS)),
    "role": _word(PARAGRAPH_ROLES.__contains__, "one of " + ", ".join(PARAGRAPH_ROLES)),
    "number": _number,
    "bool": _bool,
    "str-list": _strings(quote=False),
    "related": _strings(quote=False),
    "quote": _strings(quote=True),
}


# --------------------------------------------------------------------------- schemas


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FieldRule(SharedMethods):
    """One field of a table as the file has it, with its check."""

    name: str  # the key in the file
    required: bool
    check: Check


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Schema(SharedMethods):
    """The fields one model class takes from a table of the file."""

    fields: dict[str, FieldRule]  # by key, in the model's order (the order of messages)
    allowed: frozenset[str]
    required: frozenset[str]
    checks: dict[str, Check]
    renamed: tuple[tuple[str, str], ...]  # (key in the file, attribute) where they differ

    def fast(self, item: Mapping[str, Any]) -> dict[str, Any] | None:
        """The constructor's arguments when every field is right, else ``None``.

        The common case, checked with set operations and no messages; for anything
        else the full check (slower, with messages) decides.  At 100,000 records this
        more than halves validation.
        """
        keys = item.keys()
        if not (keys <= self.allowed and self.required <= keys):
            return None
        checks = self.checks
        values: dict[str, Any] = {}
        try:
            for name, value in item.items():
                values[name] = checks[name](value)
        except Refused:
            return None
        return self.arguments(values)

    def arguments(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` by file key, renamed in place to the model's attributes."""
        for name, attr in self.renamed:
            if name in values:
                values[attr] = values.pop(name)
        return values


_SCHEMAS: dict[type, Schema] = {}


def schema_of(cls: type) -> Schema:
    """The schema of a model class, made from its fields' :class:`FieldSpec` once."""
    schema = _SCHEMAS.get(cls)
    if schema is None:
        specs = file_fields(cls)
        rules = {
            about.column: FieldRule(
                about.column,
                about.required,
                RULES[about.rule](about.required, MAX_LENGTH[about.limit]),
            )
            for about in specs
        }
        schema = _SCHEMAS[cls] = Schema(
            rules,
            frozenset(rules),
            frozenset(name for name, rule in rules.items() if rule.required),
            {name: rule.check for name, rule in rules.items()},
            tuple((about.column, about.attr) for about in specs if about.column != about.attr),
        )
    return schema
