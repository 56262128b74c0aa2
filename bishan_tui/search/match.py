"""What a search returns: ranked matches, counted per kind, with spans made lazily.

No Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..fieldspec import SharedMethods
from ..model import Kind, Record
from .bitsets import members
from .query import Query, parse_query

if TYPE_CHECKING:
    from .index import SearchIndex

# How a match was found (Match.tier).  The rank order is the order of
# Ranking._name_key (rank.py) within each group: a name that is the whole query first,
# then contiguous matches in names (prefix or not: coverage decides), in-order Chinese
# with gaps in names, contiguous matches only in other fields, one-edit typos.  A name
# the query shortens (西部科学城, 康佳研究院) names the entity the user means; a summary
# that mentions the same words is about something else.
TIER_TITLE_EXACT = 0  # a name is the whole query
TIER_TITLE_PREFIX = 1  # a name starts with the match
TIER_TITLE_SUBSTRING = 2  # a name holds the match
TIER_TITLE_GAPPED = 3  # a name holds a Chinese word's characters in order, with gaps
TIER_OTHER = 4  # only fields other than names hold it
TIER_TYPO = 5  # some word matched only with one edit

Segment = tuple[int, int, "list[int] | None", "list[int] | None"]
"""(tier, records as a bitmap, their rank order or None for file order, their tiers)"""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FieldMatch(SharedMethods):
    """Where a query matched in one field: spans are [start, end) in ``text``."""

    field: str  # as Record.text_fields names it: "title", "quote[0]", "tags[1]" …
    text: str
    spans: tuple[tuple[int, int], ...]


class Match:
    """One record that matched, its tier, and (computed on first use) where."""

    __slots__ = ("_fields", "_finder", "record", "tier")

    def __init__(
        self,
        record: Record,
        tier: int,
        fields: tuple[FieldMatch, ...] | None = None,
        *,
        finder: Callable[[Record], tuple[FieldMatch, ...]] | None = None,
    ) -> None:
        self.record = record
        self.tier = tier
        self._fields = fields
        self._finder = finder

    @property
    def fields(self) -> tuple[FieldMatch, ...]:
        found = self._fields
        if found is None:
            found = self._finder(self.record) if self._finder is not None else ()
            self._fields = found
        return found

    def spans(self, field: str) -> tuple[tuple[int, int], ...]:
        for found in self.fields:
            if found.field == field:
                return found.spans
        return ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Match):
            return NotImplemented
        return (self.record, self.tier, self.fields) == (other.record, other.tier, other.fields)

    def __hash__(self) -> int:
        return hash((self.record.id, self.tier))

    def __repr__(self) -> str:
        return f"Match(record={self.record.id!r}, tier={self.tier}, fields={self.fields!r})"


class SearchResult:
    """Every match of a query, ranked, counted per kind, and made into :class:`Match`
    objects only for the rows asked for (:meth:`matches`).

    ``counts`` (per kind) and ``total`` cost nothing more once the result exists, so a
    caller that shows tab labels and the first screenful pays for those rows only.
    ``query`` is the query as read (:class:`~bishan_tui.query.Query`)."""

    __slots__ = (
        "_finder",
        "_index",
        "_segments",
        "_suggestions",
        "_text",
        "counts",
        "query",
        "total",
    )

    def __init__(
        self,
        index: SearchIndex,
        segments: list[Segment],
        finder: Callable[[Record], tuple[FieldMatch, ...]] | None,
        query: Query | None = None,
        text: str = "",
    ) -> None:
        self._index = index
        self._segments = segments  # in rank order; a bitmap segment in file order
        self._finder = finder
        self.query = query if query is not None else parse_query(text)
        self._text = text
        self._suggestions: list[Record] | None = None
        matched = 0
        for _, bits, _, _ in segments:
            matched |= bits
        self.counts: dict[Kind, int] = {
            kind: (matched & mask).bit_count() for kind, mask in index._kind_masks.items()
        }
        self.total = matched.bit_count()

    def __len__(self) -> int:
        return self.total

    def suggestions(self, n: int = 5) -> list[Record]:
        """For a query that found nothing: the closest titles (computed once)."""
        if self.total:
            return []
        if self._suggestions is None:
            self._suggestions = self._index.closest_titles(self._text, n)
        return self._suggestions[:n]

    def matches(
        self, kind: Kind | None = None, start: int = 0, stop: int | None = None
    ) -> list[Match]:
        """Matches ``start:stop`` in rank order (of one kind, or of all)."""
        mask = -1 if kind is None else self._index._kind_masks.get(kind, 0)
        records = self._index.records
        finder = self._finder
        out: list[Match] = []
        skip = max(0, start)
        for tier, bits, order, tiers in self._segments:
            if stop is not None and skip + len(out) >= stop and stop >= 0:
                break
            want = None if stop is None else stop - start - len(out)
            picked: list[tuple[int, int]]
            if order is None or tiers is None:
                bits &= mask
                size = bits.bit_count()
                if skip >= size:
                    skip -= size
                    continue
                ids = members(bits, None if want is None else skip + want)[skip:]
                picked = [(rid, tier) for rid in ids]
            else:
                pairs = list(zip(order, tiers, strict=True))
                if kind is not None:
                    pairs = [(rid, t) for rid, t in pairs if mask >> rid & 1]
                if skip >= len(pairs):
                    skip -= len(pairs)
                    continue
                picked = pairs[skip : None if want is None else skip + want]
            skip = 0
            if finder is None:
                out.extend(Match(records[rid], t, ()) for rid, t in picked)
            else:
                out.extend(Match(records[rid], t, finder=finder) for rid, t in picked)
        if stop is not None:
            del out[max(0, stop - max(0, start)) :]
        return out

    def record_ids(self, kind: Kind | None = None) -> list[int]:
        """Positions in ``dataset.records`` of every match, in rank order."""
        mask = -1 if kind is None else self._index._kind_masks.get(kind, 0)
        out: list[int] = []
        for _, bits, order, _ in self._segments:
            if order is None:
                out.extend(members(bits & mask))
            elif kind is None:
                out.extend(order)
            else:
                out.extend(rid for rid in order if mask >> rid & 1)
        return out

