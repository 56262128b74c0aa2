"""Suggestions for a query that found nothing: the titles nearest to it.

No Textual, no Rich.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import Record
from ..textnorm import WIDE, has_wide, normalize, to_simplified
from .bitsets import members
from .query import parse_query
from .typo import edits_in

if TYPE_CHECKING:
    from .index import SearchIndex

SUGGESTION_POOL = 400  # records compared for "no matches" suggestions in a big dataset


def closest_titles(index: SearchIndex, query: str, n: int = 5) -> list[Record]:
    """Titles nearest to a query that found nothing, by the typo measure
    (:func:`.typo.edits_in`): for each word, the fewest edits that make it appear
    in a name (Chinese as typed; Latin in the English name or the name's pinyin),
    at most a third of a Latin word's letters or half a Chinese word's
    characters.  Titles near the most words come first, then those needing the
    fewest edits in all, then those whose title (not an alias) holds the words;
    a title near none of the words is no suggestion.  On
    large datasets only a few hundred records are compared
    (:func:`_suggestion_pool`)."""
    if n <= 0:
        return []
    words = [term.text.replace(" ", "")[:32] for term in parse_query(query).words][:8]
    words = [word for word in words if word]
    if not words:
        return list(index.records[:n])
    simplified = [normalize(to_simplified(word)) if has_wide(word) else word for word in words]
    limits = [
        max(1, len(word) // 2) if has_wide(word) else max(1, min(3, len(word) // 3))
        for word in simplified
    ]
    pool: Iterable[int]
    if len(index.records) > 5000:
        pool = _suggestion_pool(index, simplified)
    else:
        pool = range(len(index.records))
    scored: list[tuple[int, int, int, int, int]] = []
    hay = index._title.hay
    for rid in pool:
        lines = [line for line in hay[rid].split("\n") if line]
        # the title (and its pinyin) first: a word nearest there counts as in the title
        spelled = [_spelled(index, line) if has_wide(line) else "" for line in lines]
        targets = [(text, index == 0) for index, text in enumerate(lines)]
        targets += [(text, index == 0) for index, text in enumerate(spelled) if text]
        targets.sort(key=lambda target: not target[1])
        missing = total = elsewhere = 0
        for word, limit in zip(simplified, limits, strict=True):
            best = limit + 1
            in_title = False
            for target, is_title in targets:
                if not _may_be_within(word, target, limit):
                    continue
                found = edits_in(word, target, limit)
                if found < best:
                    best, in_title = found, is_title
                if best == 0:
                    break
            if best > limit:
                missing += 1
                best = limit + 1
            elif not in_title:
                elsewhere += 1
            total += best
        if missing < len(simplified):
            scored.append((missing, total, elsewhere, len(index.records[rid].title), rid))
    scored.sort()
    return [index.records[rid] for *_, rid in scored[:n]]


def _spelled(index: SearchIndex, line: str) -> str:
    """A name in pinyin (each character's first reading), other characters kept."""
    readings = index._readings
    return "".join(
        (readings.get(char) or (char,))[0] if char >= WIDE else char for char in line
    )


def _suggestion_pool(index: SearchIndex, words: list[str]) -> list[int]:
    """For a large dataset, the records worth comparing (at most
    :data:`SUGGESTION_POOL`): those a word finds on its own (typos included), then
    those sharing the most pieces (two characters, three letters, or their
    pinyin) with a word that finds nothing."""
    votes: Counter[int] = Counter()
    for word in words:
        found = index.search_result(word).record_ids()[:SUGGESTION_POOL // 2]
        if found:
            votes.update({rid: 8 for rid in found})
            continue
        size = 2 if has_wide(word) else 3
        pieces = {word[i : i + size] for i in range(max(1, len(word) - size + 1))}
        for piece in list(pieces)[:12]:
            bits = index._title.find(piece)
            pattern = index._pinyin.pattern(piece) if piece.isascii() else None
            if pattern is not None:
                bits |= index._title.find_pinyin(pattern, -1, index._pairs)
            votes.update(members(bits, SUGGESTION_POOL * 4))
    return sorted(rid for rid, _ in votes.most_common(SUGGESTION_POOL))


def _may_be_within(word: str, text: str, limit: int) -> bool:
    """A quick filter for :func:`.typo.edits_in`: with at most ``limit`` edits, one
    of ``limit + 1`` pieces of the word appears unchanged."""
    if len(word) <= limit + 1:
        return True
    step = len(word) / (limit + 1)
    for index in range(limit + 1):
        piece = word[round(index * step) : round((index + 1) * step)]
        if piece and piece in text:
            return True
    return False


