"""What the program knows of each field of the model, said once per field.

A field of a model class (bishan_tui/model.py) carries a :class:`FieldSpec` in its
dataclass metadata: ``title: str = field(metadata=spec("名称", "Title", ...))``.
Everything else that lists fields derives from these: the loader's rules
(bishan_tui/loader/rules.py), the searched texts (``Record.text_fields``, search's
TITLE_FIELDS and PINYIN_FIELDS), the JSON keys and CSV columns (formats.py), the
lines of ``show`` and the rows of the detail pane.  Pure: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, TypeVar

# What the loader accepts in a field (the rules are in bishan_tui/loader/rules.py).
Rule = Literal[
    "id", "str", "section", "date", "qualifier", "role", "number", "bool",
    "str-list", "related", "quote",
]  # fmt: skip
# Which length limit applies to the field's text (loader.MAX_LENGTH).
Limit = Literal["id", "title", "summary", "quote", "paragraph", "other"]
_SPEC = "bishan_tui"  # the key of a FieldSpec in a dataclass field's metadata


class SharedMethods:
    """``__repr__``, ``__eq__`` and ``__hash__`` as :func:`dataclasses.dataclass`
    writes them for a frozen class, written once for every class of the model.

    A class that inherits them is declared ``@dataclass(..., repr=False, eq=False)``,
    so the decorator does not write its own: it compiles each method it writes at
    every start (~0.03 ms for a small one, ~0.15 ms for a record's twenty fields),
    3 ms of a one-shot lookup for the model's classes (measured).  Same fields
    (``repr``, ``compare``, ``hash`` of each), same results; only ``__init__`` and
    the frozen ``__setattr__`` are still generated per class."""

    __slots__ = ()

    def __repr__(self) -> str:
        names = _repr_names(type(self))
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _compare_names(type(self))
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in _hash_names(type(self))))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FieldSpec(SharedMethods):
    """Everything the program says about one field, said once, on the model.

    The loader reads ``rule``, ``required`` and ``limit``; search reads ``search``,
    ``name`` and ``pinyin``; the JSON and CSV exports read ``column`` and ``csv``;
    the detail pane and ``show`` read the labels and ``show``.  Adding a field to a
    kind is one ``field(metadata=spec(...))`` line on its class.
    """

    label_zh: str
    label_en: str
    rule: Rule = "str"
    required: bool = False
    limit: Limit = "other"
    # Its place among the texts search reads (Record.text_fields); 0: not searched.
    # Fields of the same place come in the order they are declared.  The name fields
    # come first, then summary, tags and quotes: the index relies on that order.
    search: int = 0
    name: bool = False  # part of the record's name: ranked first, matched with gaps
    pinyin: bool = False  # its Chinese is also found by pinyin
    csv: int = 0  # its place among the CSV columns; 0: not a CSV column
    # A field of one kind: a line of its own in `show`; plain text also gets a
    # labelled row in the detail pane (False: shown as part of something else).
    show: bool = True
    column: str = ""  # its key in the file, JSON and CSV; "" until described() fills it
    attr: str = ""  # the attribute that holds it; "" for a computed value
    compute: Callable[[Any], object] | None = None  # a value computed from the others


def spec(
    label_zh: str,
    label_en: str,
    rule: Rule = "str",
    *,
    required: bool = False,
    limit: Limit = "other",
    search: int = 0,
    name: bool = False,
    pinyin: bool = False,
    csv: int = 0,
    show: bool = True,
    column: str = "",
) -> dict[str, FieldSpec]:
    """A field's metadata: ``title: str = field(metadata=spec("名称", "Title", ...))``."""
    return {
        _SPEC: FieldSpec(
            label_zh, label_en, rule, required, limit, search, name, pinyin, csv, show, column
        )
    }


_T = TypeVar("_T")


def per_class(compute: Callable[[type], _T]) -> Callable[[type], _T]:
    """``compute`` worked out once per class (functools.cache's wrapper is not typed
    for classes)."""
    memo: dict[type, _T] = {}

    def lookup(cls: type) -> _T:
        if cls not in memo:
            memo[cls] = compute(cls)
        return memo[cls]

    lookup.__doc__ = compute.__doc__
    return lookup


@per_class
def described(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a model class as the file has them (declaration order, ``column``
    and ``attr`` filled in), then the values it computes from them."""
    found = []
    for item in fields(cls):
        about = item.metadata.get(_SPEC)
        if isinstance(about, FieldSpec):
            found.append(replace(about, attr=item.name, column=about.column or item.name))
    return (*found, *getattr(cls, "COMPUTED", ()))


def file_fields(cls: type) -> tuple[FieldSpec, ...]:
    """The fields a file gives for ``cls`` (what the loader checks)."""
    return tuple(about for about in described(cls) if about.compute is None)


@per_class
def searched_fields(cls: type) -> tuple[FieldSpec, ...]:
    """The texts search reads, in the order of :meth:`Record.text_fields`."""
    return tuple(sorted((s for s in described(cls) if s.search), key=lambda s: s.search))


@per_class
def _repr_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls) if item.repr)


@per_class
def _compare_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls) if item.compare)


@per_class
def _hash_names(cls: type) -> tuple[str, ...]:
    return tuple(
        item.name for item in fields(cls) if (item.compare if item.hash is None else item.hash)
    )
