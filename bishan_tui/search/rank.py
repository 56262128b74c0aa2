"""Ranking: the order of the matches of a query.

No Textual, no Rich.  Matches rank in groups (contiguous in a name; gapped in a name;
only in other fields; typos), and within a group by :meth:`Ranking._name_key`: words
missing from the best name, the whole name, its coverage, words side by side, a match
on a word start, then the kind (an entity before the records about it).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..model import Kind
from .bitsets import bitmap, members
from .filters import Filters
from .match import (
    TIER_TITLE_EXACT,
    TIER_TITLE_PREFIX,
    TIER_TITLE_SUBSTRING,
    Segment,
)
from .pinyin import PinyinWord
from .words import Word, side_by_side, word_start, word_units

# Kinds ranked when the rest ties: an entity's own record, then the people and events
# of it, then its figures.
KIND_RANK: dict[Kind, int] = {
    "platform": 0,
    "project": 0,
    "policy": 0,
    "talent": 1,
    "event": 1,
    "figure": 2,
}
SCORE_LIMIT = 400  # matches in names ranked one by one; beyond, by bitmap tiers


class Ranking(Filters):
    """The ranking, as methods of every index."""

    def _title_starts(self, pattern: PinyinWord, *, whole: bool) -> list[int]:
        """Records with a title or alias that the pinyin matches at its start (or,
        ``whole``, in full): titles are sorted, so the ones starting with a character
        of an alternative's first class are a range each."""
        keys = self._title_keys
        title_ids = self._title_ids
        single: set[str] = set()
        multi: set[str] = set()
        for alternative in pattern.alternatives:
            (single if len(alternative) == 1 else multi).update(alternative[0])
        found: list[int] = []
        for char in single:
            lo = bisect_left(keys, char)
            hi = bisect_right(keys, char) if whole else bisect_left(keys, chr(ord(char) + 1), lo)
            found.extend(title_ids[lo:hi])
        test = pattern.regex.fullmatch if whole else pattern.regex.match
        for char in multi - single:
            lo = bisect_left(keys, char)
            hi = bisect_left(keys, chr(ord(char) + 1), lo)
            found.extend(title_ids[pos] for pos in range(lo, hi) if test(keys[pos]))
        return found

    def _phrase_hits(self, words: list[Word], *, exact: bool) -> int:
        """Records with a title or alias equal to (or starting with) the whole query."""
        found: list[int] = []
        phrases = {" ".join(word.forms[0] for word in words)}
        phrases.add(" ".join(word.forms[-1] for word in words))
        for phrase in phrases:
            if exact:
                found.extend(self._exact.get(phrase, ()))
            else:
                keys = self._title_keys
                lo = bisect_left(keys, phrase)
                hi = bisect_left(keys, phrase + "\U0010ffff", lo)
                found.extend(self._title_ids[lo:hi])
        if all(word.pinyin is not None for word in words):
            joined = "".join(word.forms[0] for word in words).replace(" ", "")
            pattern = self._pinyin.pattern(joined)
            if pattern is not None:
                found.extend(self._title_starts(pattern, whole=exact))
        return bitmap(found)

    def _by_kind(self, tier: int, bits: int) -> list[Segment]:
        """Records in file order, an entity's own kinds (platform, project, policy)
        before talent and events, before figures."""
        out: list[Segment] = []
        for group in self._kind_groups():
            part = bits & group
            if part:
                out.append((tier, part, None, None))
        return out

    def _kind_groups(self) -> list[int]:
        masks = self._kind_masks
        groups: list[int] = [0, 0, 0]
        for kind, mask in masks.items():
            groups[KIND_RANK[kind]] |= mask
        return groups

    def _ranked(self, bits: int, words: list[Word], tier: int | None) -> list[Segment]:
        """Records ordered by how their names match (:meth:`_name_key`); past
        :data:`SCORE_LIMIT` records, by cheaper bitmap tiers."""
        if not bits:
            return []
        if bits.bit_count() > SCORE_LIMIT:
            out: list[Segment] = []
            exact = self._phrase_hits(words, exact=True) & bits
            prefix = self._phrase_hits(words, exact=False) & bits & ~exact
            rest = bits & ~exact & ~prefix
            for part_tier, part in (
                (TIER_TITLE_EXACT, exact),
                (TIER_TITLE_PREFIX, prefix),
                (TIER_TITLE_SUBSTRING, rest),
            ):
                out.extend(self._by_kind(part_tier if tier is None else tier, part))
            return out
        keyed = sorted(self._name_key(rid, words) for rid in members(bits))
        order = [int(key[-1]) for key in keyed]
        if tier is None:
            tiers = [
                TIER_TITLE_EXACT
                if key[0] == 0 and key[1] == 0
                else TIER_TITLE_PREFIX
                if key[-2] == 0
                else TIER_TITLE_SUBSTRING
                for key in keyed
            ]
        else:
            tiers = [tier] * len(order)
        return [(tiers[0], bits, order, tiers)]

    def _name_key(self, rid: int, words: list[Word]) -> tuple[float, ...]:
        """A record's rank key, smallest first, from the best of its names:

        1. query words missing from that name (fewest first);
        2. whether the name is the whole query (every letter, digit and character of
           it matched);
        3. how much of the name the query covers, in quarters;
        4. whether the words sit side by side, in the order typed;
        5. whether the match starts on a word (not inside one: ``tent`` in *patent*,
           化为 in 转化为);
        6. the kind: a platform, project or policy before talent and events, before
           figures (an entity before the records about it);
        7. the exact share of the name covered; 8. whether the name starts with the
           match; 9. file order."""
        best: tuple[float, ...] | None = None
        for line in self._title.hay[rid].split("\n"):
            if not line:
                continue
            key = self._line_key(line, words)
            if best is None or key < best:
                best = key
        if best is None:
            best = (len(words), 1, 0, 1, 1, 0.0, 1)
        kind_rank = KIND_RANK[self.records[rid].kind]
        return (*best[:5], kind_rank, *best[5:], rid)

    def _line_key(self, line: str, words: list[Word]) -> tuple[float, ...]:
        significant = [char.isalnum() for char in line]
        total = sum(significant) or 1
        covered = [False] * len(line)
        missing = 0
        units: list[list[tuple[int, int]]] = []
        for word in words:
            found = word_units(line, word, self._pairs, covered)
            if not found:
                missing += 1
            units.append(found)
        share = sum(1 for flag, hit in zip(significant, covered, strict=True) if flag and hit)
        coverage = share / total
        whole = missing == 0 and share == sum(significant)
        adjacent = len(words) > 1 and all(
            side_by_side(line, units[i], units[i + 1]) for i in range(len(words) - 1)
        )
        first = min((start for found in units for start, _ in found), default=-1)
        aligned = first >= 0 and word_start(line, first, self._pairs)
        prefix = first >= 0 and not any(significant[:first])
        return (
            missing,
            0 if whole else 1,
            -min(3, int(coverage * 4)) if not whole else -4,
            0 if adjacent or len(words) == 1 else 1,
            0 if aligned else 1,
            -coverage,
            0 if prefix else 1,
        )

