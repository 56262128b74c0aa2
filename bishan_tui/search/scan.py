"""A provisional search that answers while the real index is being built.

No Textual, no Rich.  Building :class:`~.index.SearchIndex` for 100,000
records takes 10-15 s on a loaded machine (the first time a dataset is opened, or
whenever its saved index cannot be used).  :class:`ScanIndex` is ready in a fraction
of that: it joins the normalised text of every record into three strings (titles,
other fields, the fields matched by pinyin) and answers a query by scanning them
with ``str.find`` and the pinyin regex of :mod:`.pinyin`, so the search box answers
from the first second.

It matches as the index does (every word must match a field; substrings of the
normalised text, the simplified form of traditional characters, pinyin and initials
in names) but ranks in two tiers only: records with a word in a title or alias
first, then the others, in file order.  The app replaces it with the real index
(and re-runs the query) as soon as that is ready.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from ..model import KINDS, Dataset, Kind, Record
from ..textnorm import WIDE, _fold_char, normalize
from .bitsets import bitmap, members
from .fields import pinyin_field
from .index import SearchIndex
from .match import TIER_OTHER, TIER_TITLE_SUBSTRING, FieldMatch, SearchResult, Segment
from .pinyin import Readings, compute_readings
from .query import Query, parse_query
from .state import IndexState
from .words import MAX_WORDS, Word

_SEP = "\x00"  # after each record: the loader refuses control characters in text
# Below this many candidate records, a word is looked for in each candidate's text
# instead of in the whole string.
_FEW = 4096


_unstable_chars: re.Pattern[str] | None = None
_unstable_lock = threading.Lock()


def _unstable() -> re.Pattern[str]:
    """A class of the characters whose search form (NFKC + casefold, as
    :func:`~bishan_tui.textnorm.normalize` makes it) is not what ``str.lower`` makes
    of them: full-width forms, ligatures, ß …, and Σ, which ``lower`` spells by its
    place in a word.  About 3,000 characters of the BMP; made once, in ~0.2 s."""
    global _unstable_chars
    with _unstable_lock:
        if _unstable_chars is None:
            chars = ["\u03a3"]
            for code in range(0x80, 0x10000):
                if 0xD800 <= code < 0xE000:
                    continue
                char = chr(code)
                if _fold_char(char) != char.lower():
                    chars.append(char)
            _unstable_chars = re.compile("[" + "".join(map(re.escape, chars)) + "]")
        return _unstable_chars


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _search_form(raw: str) -> str:
    """``normalize(raw)``, made with ``str.lower`` plus one ``str.replace`` per
    unusual character present: ~2 s instead of ~5 s for 44 million characters."""
    if raw.isascii():
        return raw.lower()
    if _ASTRAL.search(raw):  # (max(raw) walks every character in Python objects)
        return normalize(raw)
    found = set(_unstable().findall(raw))
    folded = {char: _fold_char(char) for char in found}
    if any(value.lower() != value or not found.isdisjoint(value) for value in folded.values()):
        return normalize(raw)  # a replacement would be changed again: the exact way
    for char, value in folded.items():
        raw = raw.replace(char, value)
    return raw.lower()


# Pieces per chunk: about a million characters, ~20 ms of each C call (join, lower,
# findall).  A C call holds the GIL throughout, and the app's event loop runs in the
# same process: one call over 44 million characters froze the screen for a second.
_CHUNK = 40_000


def _chunked_form(pieces: list[str]) -> str:
    """``_search_form("".join(pieces))``, a chunk of pieces at a time."""
    return "".join(
        [_search_form("".join(pieces[at : at + _CHUNK])) for at in range(0, len(pieces), _CHUNK)]
    )


class _Blob:
    """The normalised texts of one group of fields, one record after another."""

    def __init__(self, pieces: list[str], count: int) -> None:
        # ``pieces``: each record's texts, each followed by a line break, and each
        # record closed by _SEP (which the loader refuses in a text).
        self.text = _chunked_form(pieces)
        self.starts = [0, *(found.end() for found in re.finditer(_SEP, self.text))]
        self.starts.pop()
        if len(self.starts) != count:  # a text with _SEP in it (a dataset made in code)
            clean = [piece if piece == _SEP else piece.replace(_SEP, " ") for piece in pieces]
            self.text = _chunked_form(clean)
            self.starts = [0, *(found.end() for found in re.finditer(_SEP, self.text))]
            self.starts.pop()

    def record_text(self, rid: int) -> str:
        end = self.starts[rid + 1] - 1 if rid + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[rid] : end]

    def find(self, word: str, within: int) -> int:
        """Records (a bitmap) whose text holds ``word``, among ``within``."""
        if not word or _SEP in word:
            return 0
        if within >= 0 and within.bit_count() <= _FEW:
            return bitmap(rid for rid in members(within) if word in self.record_text(rid))
        text, starts = self.text, self.starts
        found: list[int] = []
        pos = text.find(word)
        last = len(starts) - 1
        while pos >= 0:
            rid = bisect_right(starts, pos) - 1
            found.append(rid)
            if rid >= last:
                break
            pos = text.find(word, starts[rid + 1])
        return bitmap(found) & within

    def find_regex(self, word: Word, within: int) -> int:
        pinyin = word.pinyin
        if pinyin is None:
            return 0
        search = pinyin.regex.search
        if within >= 0 and within.bit_count() <= _FEW:
            return bitmap(rid for rid in members(within) if search(self.record_text(rid)))
        text, starts = self.text, self.starts
        found: list[int] = []
        last = len(starts) - 1
        hit = search(text)
        while hit is not None:
            rid = bisect_right(starts, hit.start()) - 1
            found.append(rid)
            if rid >= last:
                break
            hit = search(text, starts[rid + 1])
        return bitmap(found) & within


class ScanIndex(SearchIndex):
    """A :class:`SearchIndex` stand-in that scans instead of looking up (see the
    module's notes).  ``provisional`` tells a caller to expect the real index."""

    provisional = True

    def __init__(  # the index's own build is exactly what this avoids
        self, dataset: Dataset, readings: Readings | None = None
    ) -> None:
        titles: list[str] = []
        others: list[str] = []
        names: list[str] = []
        kind_ids: defaultdict[Kind, list[int]] = defaultdict(list)
        named: dict[str, bool] = {}  # by field name: "tags[3]" …
        for rid, record in enumerate(dataset.records):
            kind_ids[record.kind].append(rid)
            # text_fields() gives title, title_en, the aliases, the English aliases,
            # then the other fields
            first = 2 + len(record.aliases) + len(record.aliases_en)
            for position, (name, text) in enumerate(record.text_fields()):
                (titles if position < first else others).extend((text, "\n"))
                if text.isascii():
                    continue
                read = named.get(name)
                if read is None:
                    read = named[name] = pinyin_field(name)
                if read:
                    names.extend((text, "\n"))
            titles.append(_SEP)
            others.append(_SEP)
            names.append(_SEP)
        count = len(dataset.records)
        self._titles = _Blob(titles, count)
        self._others = _Blob(others, count)
        self._names = _Blob(names, count)
        if readings is None:
            readings = compute_readings(char for char in set(self._names.text) if char >= WIDE)
        # The state every index has (IndexState), without the index's groups.  No
        # dictionary word pairs: the scan does not refuse a pinyin match that starts
        # inside a word (the index does), and sorts by the characters' own readings.
        IndexState.__init__(
            self, dataset, readings, {kind: bitmap(kind_ids.get(kind, ())) for kind in KINDS}
        )

    def _all_known(self, word: str) -> bool:
        return False  # no index of characters: a Chinese word is also tried simplified

    def _words(self, parsed: Query) -> list[Word]:
        """The query's words as the index reads them (:meth:`SearchIndex._make_word`),
        in any field, without gaps (the scan does not look for gapped names)."""
        return [replace(self._make_word(term.text), gap=None) for term in parsed.words[:MAX_WORDS]]

    def search_result(self, query: str, *, kinds: Iterable[Kind] | None = None) -> SearchResult:
        # The query language's kinds apply here too; its other filters (-word, field:,
        # value:, dates) wait for the real index, which asks the query again.
        parsed = parse_query(query)
        within = -1
        if kinds is not None:
            within = 0
            for kind in kinds:
                within |= self._kind_masks.get(kind, 0)
        within = self._of_kinds(parsed, within)
        words = self._words(parsed)
        everything = within & ((1 << len(self.records)) - 1)
        if not words:
            return SearchResult(self, [(TIER_OTHER, everything, None, None)], None, parsed, query)
        matched = everything
        in_title = 0
        for word in words:
            title_hits = 0
            for form in word.forms:
                title_hits |= self._titles.find(form, matched & ~title_hits)
            title_hits |= self._names.find_regex(word, matched & ~title_hits)
            hits = title_hits
            for form in word.forms:
                hits |= self._others.find(form, matched & ~hits)
            matched &= hits
            if not matched:
                return SearchResult(self, [], None, parsed, query)
            in_title |= title_hits
        in_title &= matched

        def finder(record: Record) -> tuple[FieldMatch, ...]:
            return self._spans(record, words)

        segments: list[Segment] = [
            (TIER_TITLE_SUBSTRING, in_title, None, None),
            (TIER_OTHER, matched & ~in_title, None, None),
        ]
        return SearchResult(self, [s for s in segments if s[1]], finder, parsed, query)

    def closest_titles(self, query: str, n: int = 5) -> list[Record]:
        return []
