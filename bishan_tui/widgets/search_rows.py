"""A search's matches of one kind, as rows, made lazily (headless).

A search updates six tables on every keystroke, and a query can match 100,000
records: the count comes from the result's bitmaps at once, the matched positions
only when the rows are first asked for, and the :class:`Match` objects (for the
highlights) a chunk of rows at a time, only for the rows drawn.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from textual.cache import LRUCache

from ..model import Kind, Record

if TYPE_CHECKING:  # the search module is imported after the first paint
    from ..search import Match, SearchResult


class Hits(Sequence[Record]):
    """The records of one kind that a search matched, in rank order, without building
    a list of them."""

    def __init__(
        self, result: SearchResult, kind: Kind, records: Sequence[Record], cache: int
    ) -> None:
        self._result = result
        self._kind: Kind = kind
        self.records = records  # what the result's record ids point into
        self._size = result.counts.get(kind, 0)
        self._ids: list[int] | None = None
        self._rank_of: dict[str, int] | None = None
        self._matches: LRUCache[int, Match] = LRUCache(cache)

    @property
    def ids(self) -> list[int]:
        """The matched records' positions in :attr:`records`, best first."""
        if self._ids is None:
            self._ids = self._result.record_ids(self._kind)
        return self._ids

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        records = self.records
        if isinstance(index, slice):
            return [records[rid] for rid in self.ids[index]]
        return records[self.ids[index]]

    def __iter__(self) -> Iterator[Record]:
        records = self.records
        for rid in self.ids:
            yield records[rid]

    def rank(self, record_id: str) -> int | None:
        """A record's place in the rank order (None: not matched)."""
        if self._rank_of is None:
            records = self.records
            self._rank_of = {records[rid].id: rank for rank, rid in enumerate(self.ids)}
        return self._rank_of.get(record_id)

    def rank_of_position(self, position: int | None) -> int | None:
        """The rank of the record at ``position`` in :attr:`records` (a scan in C)."""
        if position is None:
            return None
        try:
            return self.ids.index(position)
        except ValueError:
            return None

    def match_at(self, rank: int, chunk: int) -> Match | None:
        """The ``rank``-th match, made with its ``chunk`` of neighbours when first
        needed."""
        if not 0 <= rank < self._size:
            return None
        match = self._matches.get(rank)
        if match is None:
            start = rank - rank % chunk
            for offset, made in enumerate(self._result.matches(self._kind, start, start + chunk)):
                self._matches.set(start + offset, made)
            match = self._matches.get(rank)
        return match

    @property
    def made(self) -> int:
        """Match objects kept."""
        return len(self._matches)
