"""Search over a dataset: normalisation, an index, ranked matches with spans.

No Textual, no Rich.  What matches and how matches are ranked, with examples:
``docs/search.md``; the query language (``kind:``, ``title:``, ``-word``, ``"phrase"``,
``value:>=300``, ``2020-03..2020-06``): :mod:`.query`.

A query's words must all match (AND).  A word matches a field when, after NFKC +
casefold (and OpenCC t2s for a query word with CJK characters), it is a substring of
the field, or — for a word of ASCII letters — when it spells the toneless pinyin of a
run of the field's characters (full syllables, the last one possibly cut short while
typing: ``kangjia``, ``kangj``, ``chongqing``) or their initials (``kjgd``), starting a
word (:func:`_mid_word`).  Pinyin is matched in names (title, aliases, tags and the
short kind fields), not in summaries and quotes, where initials would match by chance.
A Chinese word of 4+ characters also matches a name with small gaps
(:func:`_gap_regex`), and a Latin word of 5+ letters that matches nothing, with one
edit (:mod:`.typo`).

Index (see :class:`SearchIndex`): the fields of every record are split into two
groups, *title* (title, title_en, aliases, aliases_en) and *other*.  For each group:

* ``hay[i]``: record *i*'s normalised fields joined by ``\\n`` (a query word never
  contains white space, so it cannot match across fields);
* an inverted index of each wide (CJK …) character → record ids: a word with CJK
  characters is looked for only in the records holding all of them;
* a vocabulary of tokens (runs of non-space, non-wide characters) → record ids, and
  all tokens in one ``\\n``-joined blob: an ASCII word is found with ``str.find`` in
  the (small) blob, each hit names a token, its postings the records;
* the pinyin-searchable fields of all records in one blob, searched with one regex of
  character classes per word, offsets mapped to records with ``bisect``.

Matches rank in groups (contiguous in a name; gapped in a name; only in other fields;
typos),
and within a group by :meth:`SearchIndex._name_key`: words missing from the best
name, the whole name, its coverage, words side by side, a match on a word start, then
the kind (an entity before the records about it).  Spans are computed lazily, only for
the matches a caller looks at, and are indices into the original (un-normalised) text
of each field.

The pinyin readings of the dataset's characters come from :mod:`.pinyin_cache`, so
pypinyin is imported only when the cache is missing or stale (and, for its phrase
dictionary, when an index is built rather than loaded).  :func:`build_index` is safe
to call from a worker thread (the app builds it in one after the first paint).
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import pinyin_cache
from .cachedir import default_cache_dir, sweep_once
from .loader import gc_paused
from .model import (
    KINDS,
    PINYIN_FIELDS,
    TITLE_FIELDS,
    Dataset,
    EventRecord,
    FigureRecord,
    Kind,
    Record,
)
from .query import DateRange, Query, ValueTest, date_bounds, parse_query
from .textnorm import (
    WIDE,
    has_wide,
    normalize,
    normalize_map,
    original_span,
    to_simplified,
)
from .typo import edits_in, one_edit_variants, typo_allowed

# How a match was found (Match.tier).  The rank order is the order of
# SearchIndex._name_key within each group: a name that is the whole query first,
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
MAX_TYPO_PINYIN = 8  # pinyin variants of a mistyped word tried (each costs a regex)
MAX_TYPO_PINYIN_WORD = 10  # longer words are not tried as mistyped pinyin
MAX_GAP = 5  # characters skipped in one gap of an in-order Chinese match
MAX_GAP_WORD = 16  # longer Chinese words are not tried with gaps
SUGGESTION_POOL = 400  # records compared for "no matches" suggestions in a big dataset

# Bounds that keep any query's cost bounded.
MAX_WORDS = 32  # words beyond this are ignored
MAX_WORD = 256  # characters of a word beyond this are ignored
MAX_PINYIN_WORD = 64  # longer ASCII words are not tried as pinyin
MAX_SEGMENTATIONS = 24  # ways to cut one word into syllables
MAX_SPANS_PER_FIELD = 64

# A run of narrow (below U+2E80), non-space, non-control characters.  Spelled
# out, because [^\s\u2e80-\U0010ffff] takes ~2.7 ms to compile on every start.
_TOKEN = re.compile(
    "[!-\x84\x86-\x9f\xa1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2e7f]+"
)
_LONGEST_SYLLABLE = 6  # zhuang, shuang …


# The query language's field names, by the base of Record.text_fields names.
_FIELD_OF: dict[str, str] = {
    "title": "title",
    "title_en": "title",
    "aliases": "title",
    "aliases_en": "title",
    "summary": "summary",
    "summary_en": "summary",
    "quote": "quote",
    "tags": "tags",
}

Segment = tuple[int, int, "list[int] | None", "list[int] | None"]
"""(tier, records as a bitmap, their rank order or None for file order, their tiers)"""


def _base(name: str) -> str:
    cut = name.find("[")
    return name if cut < 0 else name[:cut]


def _in_title(name: str) -> bool:
    return _base(name) in TITLE_FIELDS


def _pinyin_field(name: str) -> bool:
    base = _base(name)
    return base in TITLE_FIELDS or base in PINYIN_FIELDS


@dataclass(frozen=True, slots=True)
class FieldMatch:
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


@dataclass(slots=True)
class _Word:
    """One query word (or quoted phrase): its normalised forms (as typed;
    simplified), its pinyin reading if it is one, the field it is limited to, and
    the looser ways it may match (filled in per query): in-order Chinese with small
    gaps, and Latin variants one edit away."""

    forms: tuple[str, ...]
    pinyin: _PinyinWord | None
    field: str | None = None  # a FieldName of the query language; None: any field
    phrase: bool = False
    gap: re.Pattern[str] | None = None
    typos: tuple[str, ...] = ()  # variants that are (prefixes of) tokens of the data
    typo_pinyin: tuple[_PinyinWord, ...] = ()


# -- bitmaps: a set of record ids is a Python int whose bit *i* is record *i* -------

_BYTE_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)
)


def _ids(bits: int, limit: int | None = None) -> list[int]:
    """The record ids of a bitmap, ascending (at most ``limit``)."""
    if bits <= 0:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    out: list[int] = []
    table = _BYTE_BITS
    pos = 0
    find_nonzero = _NONZERO.search
    while True:
        hit = find_nonzero(data, pos)
        if hit is None:
            break
        start, end = hit.span()
        for index in range(start, end):
            base = index << 3
            out.extend([base + bit for bit in table[data[index]]])
        if limit is not None and len(out) >= limit:
            return out[:limit]
        pos = end
    return out


_NONZERO = re.compile(b"[^\x00]+")


def _bits(ids: Iterable[int]) -> int:
    """The bitmap of some record ids."""
    if isinstance(ids, list) and len(ids) <= 32:
        # Few ids (most characters of a small dataset): OR-ing is cheaper than
        # filling a buffer; the bundled dataset's build spent 5 ms here.
        bits = 0
        for rid in ids:
            bits |= 1 << rid
        return bits
    buffer = bytearray()
    size = 0
    for rid in ids:
        byte = rid >> 3
        if byte >= size:
            buffer.extend(bytes(byte - size + 1 + (size >> 1)))
            size = len(buffer)
        buffer[byte] |= 1 << (rid & 7)
    return int.from_bytes(buffer, "little")


Posting = int | list[int]  # a bitmap, or (for rare tokens) a short list of ids


class _Group:
    """The inverted index of one group of fields over all records."""

    def __init__(self, *, py_is_wide: bool = False) -> None:
        self.py_is_wide = py_is_wide  # the pinyin fields are all the wide ones
        self.hay: list[str] = []
        self.wide: dict[str, int] = {}
        self.py_wide: dict[str, int] = {}
        self.vocab: dict[str, Posting] = {}
        self.vocab_blob = "\n"
        self.py_starts: list[int] = []
        self.py_blob = ""
        self._wide_ids: defaultdict[str, list[int]] | None = defaultdict(list)
        self._py_ids: defaultdict[str, list[int]] | None = defaultdict(list)
        self._vocab_ids: defaultdict[str, list[int]] | None = defaultdict(list)
        self._py_parts: list[str] = []
        self._py_len = 0
        self._class_bits: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, rid: int, texts: list[str], py_texts: list[str]) -> None:
        assert self._wide_ids is not None and self._py_ids is not None
        assert self._vocab_ids is not None
        hay = "\n".join(texts)
        self.hay.append(hay)
        if not hay.isascii():
            wide = self._wide_ids
            for char in {c for c in set(hay) if c >= WIDE}:
                wide[char].append(rid)
        vocab = self._vocab_ids
        for token in set(_TOKEN.findall(hay)):
            vocab[token].append(rid)
        part = "\n".join(py_texts)
        if part and not self.py_is_wide:
            py = self._py_ids
            for char in {c for c in set(part) if c >= WIDE}:
                py[char].append(rid)
        self.py_starts.append(self._py_len)
        self._py_parts.append(part)
        self._py_len += len(part) + 1

    def finish(self) -> None:
        assert self._wide_ids is not None and self._py_ids is not None
        assert self._vocab_ids is not None
        count = len(self.hay)
        dense = max(8, count >> 6)  # a list of ids costs 64 bits an id
        self.wide = {char: _bits(ids) for char, ids in self._wide_ids.items()}
        self.py_wide = (
            self.wide
            if self.py_is_wide
            else {char: _bits(ids) for char, ids in self._py_ids.items()}
        )
        self.vocab = {
            token: _bits(ids) if len(ids) > dense else ids for token, ids in self._vocab_ids.items()
        }
        self._wide_ids = self._py_ids = self._vocab_ids = None
        self.vocab_blob = "\n" + "\n".join(self.vocab) + "\n"
        self.py_blob = "\n".join(self._py_parts)
        self._py_parts = []

    def to_plain(self) -> tuple[object, ...]:
        py_wide = None if self.py_is_wide else self.py_wide
        return (
            self.hay,
            self.wide,
            py_wide,
            self.vocab,
            self.vocab_blob,
            self.py_starts,
            self.py_blob,
        )

    @classmethod
    def from_plain(cls, plain: tuple[object, ...]) -> _Group:
        hay, wide, py_wide, vocab, vocab_blob, py_starts, py_blob = plain
        group = cls(py_is_wide=py_wide is None)
        group.hay = hay  # type: ignore[assignment]
        group.wide = wide  # type: ignore[assignment]
        group.py_wide = wide if py_wide is None else py_wide  # type: ignore[assignment]
        group.vocab = vocab  # type: ignore[assignment]
        group.vocab_blob = vocab_blob  # type: ignore[assignment]
        group.py_starts = py_starts  # type: ignore[assignment]
        group.py_blob = py_blob  # type: ignore[assignment]
        group._wide_ids = group._py_ids = group._vocab_ids = None
        return group

    def find(self, word: str, within: int = -1) -> int:
        """Records (a bitmap) whose fields of this group hold ``word`` as a substring."""
        if not word:
            return 0
        wide_chars = {char for char in word if char >= WIDE}
        if wide_chars:
            found = within
            wide = self.wide
            for char in sorted(wide_chars, key=lambda c: wide.get(c, 0).bit_count()):
                posting = wide.get(char)
                if posting is None:
                    return 0
                found &= posting
                if not found:
                    return 0
            if len(word) == 1:
                return found
            hay = self.hay
            return _bits(rid for rid in _ids(found) if word in hay[rid])
        if " " in word:  # a phrase: records holding each of its words, then the phrase
            found = within
            for part in word.split():
                found &= self.find(part, found)
                if not found:
                    return 0
            hay = self.hay
            return _bits(rid for rid in _ids(found) if word in hay[rid])
        result = 0
        rare: list[int] = []
        blob = self.vocab_blob
        vocab = self.vocab
        pos = blob.find(word)
        while pos >= 0:
            start = blob.rfind("\n", 0, pos) + 1
            end = blob.find("\n", pos)
            token_ids = vocab[blob[start:end]]
            if isinstance(token_ids, int):
                result |= token_ids
            else:
                rare.extend(token_ids)
            pos = blob.find(word, end)
        if rare:
            result |= _bits(rare)
        return result & within

    def _class(self, chars: str) -> int:
        found = self._class_bits.get(chars)
        if found is None:
            found = 0
            py_wide = self.py_wide
            for char in chars:
                found |= py_wide.get(char, 0)
            with self._lock:
                if len(self._class_bits) > 2048:
                    self._class_bits.clear()
                self._class_bits[chars] = found
        return found

    def find_pinyin(
        self, word: _PinyinWord, within: int = -1, pairs: frozenset[str] = frozenset()
    ) -> int:
        """Records (a bitmap) whose pinyin fields match.  A record must hold a
        character of each class of an alternative: one-class alternatives need no
        more; the others are checked with the regex on that record's text only, and
        a match there must start on a word (:func:`_mid_word` with ``pairs``)."""
        exact = 0
        maybe = 0
        for alternative in word.alternatives:
            found = within
            for chars in alternative:
                found &= self._class(chars)
                if not found:
                    break
            if len(alternative) == 1:
                exact |= found
            else:
                maybe |= found
        maybe &= ~exact
        if not maybe:
            return exact
        starts = self.py_starts
        blob = self.py_blob
        last = len(starts) - 1
        search = word.regex.search
        end = len(blob)
        ok = [
            rid
            for rid in _ids(maybe)
            if _first_word_match(
                search, blob, starts[rid], starts[rid + 1] if rid < last else end, pairs
            )
            is not None
        ]
        return exact | _bits(ok)


def _mid_word(text: str, pos: int, pairs: frozenset[str]) -> bool:
    """Whether a match at ``pos`` starts inside a word: the character before it and
    its first character make a two-character word of the dictionary (``pairs``),
    and its first two characters do not (转化为: 化为 starts inside 转化)."""
    return (
        pos > 0
        and text[pos - 1 : pos + 1] in pairs
        and text[pos : pos + 2] not in pairs
    )


def _first_word_match(
    search: Callable[[str, int, int], re.Match[str] | None],
    text: str,
    start: int,
    end: int,
    pairs: frozenset[str],
) -> re.Match[str] | None:
    """The first match of a pinyin regex in ``text[start:end]`` that does not start
    inside a word."""
    pos = start
    while pos < end:
        found = search(text, pos, end)
        if found is None:
            return None
        if not pairs or not _mid_word(text, found.start(), pairs):
            return found
        pos = found.start() + 1
    return None


class _Values:
    """The values of ``(value, rid)`` pairs sorted by value, as a sequence for bisect."""

    def __init__(self, pairs: list[tuple[float, int]]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, index: int) -> float:
        return self._pairs[index][0]


def _likely_first(word: str, variants: Iterable[str]) -> list[str]:
    """Variants of a word, the likelier typos first: two letters swapped (``jai`` for
    ``jia``), then a letter left out, then one replaced, then one added."""

    def rank(variant: str) -> tuple[int, str]:
        if len(variant) < len(word):
            return (1, variant)
        if len(variant) > len(word):
            return (3, variant)
        if sorted(variant) == sorted(word):
            return (0, variant)
        return (2, variant)

    return sorted(variants, key=rank)


def _word_start(text: str, pos: int, pairs: frozenset[str]) -> bool:
    """Whether a match at ``pos`` starts a word: the text's start, after a mark or a
    space, a letter after a Chinese character (or the reverse), or a Chinese
    character that does not start inside a word (:func:`_mid_word`)."""
    if pos <= 0:
        return True
    before = text[pos - 1]
    if not before.isalnum():
        return True
    here = text[pos]
    if here >= WIDE and before >= WIDE:
        return not _mid_word(text, pos, pairs)
    return (here >= WIDE) != (before >= WIDE)


@functools.lru_cache(maxsize=256)
def _gap_regex(word: str) -> re.Pattern[str] | None:
    """In-order matches of a Chinese word of 4 to :data:`MAX_GAP_WORD` characters
    with gaps: the word cut into two or three pieces of at least two characters,
    each gap 1 to :data:`MAX_GAP` characters of one line (西部…科学城 in
    西部（重庆）科学城; 康佳…研究院 in 康佳光电技术研究院)."""
    size = len(word)
    if size < 4 or size > MAX_GAP_WORD or not all(char >= WIDE for char in word):
        return None
    gap = f"[^\\n]{{1,{MAX_GAP}}}?"
    cuts: list[tuple[int, ...]] = [(i,) for i in range(2, size - 1)]
    cuts.extend((i, j) for i in range(2, size - 1) for j in range(i + 2, size - 1))
    branches = []
    for cut in cuts:
        bounds = (0, *cut, size)
        pieces = [re.escape(word[a:b]) for a, b in itertools.pairwise(bounds)]
        branches.append(gap.join(pieces))
    return re.compile("|".join(branches))


def _gap_pieces(text: str, start: int, end: int, word: str) -> list[tuple[int, int]]:
    """The characters of ``word`` in a gapped match ``text[start:end]``, in order
    (one span each, merged later)."""
    spans: list[tuple[int, int]] = []
    pos = start
    for char in word:
        found = text.find(char, pos, end)
        if found < 0:
            break
        spans.append((found, found + 1))
        pos = found + 1
    return spans


def _find_all(text: str, form: str, spans: list[tuple[int, int]]) -> None:
    if not form:
        return
    pos = text.find(form)
    count = 0
    while pos >= 0 and count < MAX_SPANS_PER_FIELD:
        spans.append((pos, pos + len(form)))
        count += 1
        pos = text.find(form, pos + max(1, len(form)))


def _regex_spans(
    text: str, regex: re.Pattern[str], spans: list[tuple[int, int]], pairs: frozenset[str]
) -> None:
    pos = 0
    count = 0
    end = len(text)
    while count < MAX_SPANS_PER_FIELD:
        found = _first_word_match(regex.search, text, pos, end, pairs)
        if found is None:
            return
        spans.append(found.span())
        count += 1
        pos = max(found.end(), found.start() + 1)


def _word_units(
    line: str, word: _Word, pairs: frozenset[str], covered: list[bool]
) -> list[tuple[int, int]]:
    """Where a word matches in one name (spans), marking the characters covered."""
    spans: list[tuple[int, int]] = []
    for form in word.forms:
        _find_all(line, form, spans)
    for variant in word.typos:
        _find_all(line, variant, spans)
    if has_wide(line):
        for pattern in (word.pinyin, *word.typo_pinyin):
            if pattern is not None:
                _regex_spans(line, pattern.regex, spans, pairs)
    pieces: list[tuple[int, int]] = []
    if not spans and word.gap is not None:
        for hit in word.gap.finditer(line):
            spans.append(hit.span())
            pieces.extend(_gap_pieces(line, hit.start(), hit.end(), word.forms[-1]))
    for start, end in pieces or spans:
        for pos in range(start, end):
            covered[pos] = True
    return spans


def _side_by_side(line: str, left: list[tuple[int, int]], right: list[tuple[int, int]]) -> bool:
    """Whether some match of one word is followed by one of the next, with only
    spaces or marks between them."""
    for _, end in left:
        for start, _ in right:
            if start >= end and not any(char.isalnum() for char in line[end:start]):
                return True
    return False


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


@dataclass(frozen=True, slots=True)
class _PinyinWord:
    """A word read as pinyin: the regex, and its alternatives as classes of characters."""

    regex: re.Pattern[str]
    alternatives: tuple[tuple[str, ...], ...]


class _Pinyin:
    """Readings of the dataset's characters, and query words → regexes."""

    def __init__(self, readings: dict[str, tuple[str, ...]]) -> None:
        by_reading: dict[str, set[str]] = {}
        for char, char_readings in readings.items():
            for reading in char_readings:
                by_reading.setdefault(reading, set()).add(char)
                if "ve" in reading:  # 略 lve is typed lue as often (no other syllable is)
                    by_reading.setdefault(reading.replace("ve", "ue"), set()).add(char)
        self.full: dict[str, str] = {
            reading: _char_class(chars) for reading, chars in by_reading.items()
        }
        self._by_reading = by_reading
        self._prefix: dict[str, str] = {}
        self._patterns: dict[str, _PinyinWord | None] = {}
        self._lock = threading.Lock()

    def prefix_class(self, prefix: str) -> str:
        found = self._prefix.get(prefix)
        if found is None:
            chars: set[str] = set()
            for reading, reading_chars in self._by_reading.items():
                if reading.startswith(prefix):
                    chars |= reading_chars
            found = _char_class(chars)
            self._prefix[prefix] = found
        return found

    def pattern(self, word: str) -> _PinyinWord | None:
        """The CJK runs that ``word`` spells (regex and classes), or ``None``."""
        if not (word.isascii() and word.isalpha()) or len(word) > MAX_PINYIN_WORD:
            return None
        with self._lock:
            if word in self._patterns:
                return self._patterns[word]
            compiled = self._compile(word)
            if len(self._patterns) > 512:
                self._patterns.clear()
            self._patterns[word] = compiled
            return compiled

    def _compile(self, word: str) -> _PinyinWord | None:
        if not self.full:
            return None
        alternatives: list[list[str]] = []
        memo: dict[int, list[list[str]]] = {}

        def cut(pos: int) -> list[list[str]]:
            if pos in memo:
                return memo[pos]
            out: list[list[str]] = []
            rest = word[pos:]
            for end in range(min(len(word) - 1, pos + _LONGEST_SYLLABLE), pos, -1):
                cls = self.full.get(word[pos:end])
                if cls is None:
                    continue
                for tail in cut(end):
                    out.append([cls, *tail])
                    if len(out) >= MAX_SEGMENTATIONS:
                        break
                if len(out) >= MAX_SEGMENTATIONS:
                    break
            if len(rest) <= _LONGEST_SYLLABLE and len(out) < MAX_SEGMENTATIONS:
                last = self.prefix_class(rest)
                if last:
                    out.append([last])
            memo[pos] = out
            return out

        alternatives.extend(cut(0))
        if len(word) > 1:
            initials = [self.prefix_class(letter) for letter in word]
            if all(initials):
                alternatives.append(initials)
        if not alternatives:
            return None
        alternatives.sort(key=len)
        seen: set[tuple[str, ...]] = set()
        branches: list[str] = []
        kept: list[tuple[str, ...]] = []
        for alternative in alternatives:
            key = tuple(alternative)
            if key not in seen:
                seen.add(key)
                kept.append(key)
                branches.append(_GAP.join(f"[{_escape_class(cls)}]" for cls in alternative))
        return _PinyinWord(re.compile("|".join(branches)), tuple(kept))


# Between the characters a pinyin word spells, up to three marks that are not
# letters, digits or line breaks: xibuchongqing finds 西部（重庆）, and the
# initials bsgxq still need the characters next to each other otherwise.
_GAP = r"[^\w\n]{0,3}"


def _escape_class(chars: str) -> str:
    return "".join(re.escape(char) for char in chars)


def _char_class(chars: Iterable[str]) -> str:
    """The characters of a class, sorted (escaped for a regex by :func:`_escape_class`)."""
    return "".join(sorted(chars))


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
                ids = _ids(bits, None if want is None else skip + want)[skip:]
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
                out.extend(_ids(bits & mask))
            elif kind is None:
                out.extend(order)
            else:
                out.extend(rid for rid in order if mask >> rid & 1)
        return out


INDEX_FORMAT = 3  # 3: the dictionary's word pairs and their readings (_pairs, _spoken)
# Every index is saved: the bundled dataset's loads in ~6 ms against a 20-30 ms
# build, and 100k records' in 2-4 s against 20-40 s (bishan_tui.index_store).
PERSIST_MIN_RECORDS = 0


class SearchIndex:
    """Ranked AND-search over every text field of every record."""

    def __init__(
        self,
        dataset: Dataset,
        readings: dict[str, tuple[str, ...]] | None = None,
        *,
        plain: tuple[object, ...] | None = None,
    ) -> None:
        self.dataset = dataset
        self.records = dataset.records
        self._readings = readings or {}
        self._pinyin = _Pinyin(self._readings)
        # made when a query first needs them (not saved)
        self._token_lists: dict[int, list[str]] = {}
        self._syllable_re: re.Pattern[str] | None = None
        self._value_list: list[tuple[float, int]] | None = None
        self._date_list: list[tuple[str, str, int]] | None = None
        self._filter_bits: dict[object, int] = {}
        self._sort_readings: dict[str, tuple[str, ...]] | None = None
        self._field_blobs: dict[str, tuple[str, list[int]]] = {}
        self._lock = threading.Lock()
        if plain is not None:
            self._from_plain(plain)
            return
        self._pairs, self._spoken = _word_pairs(self._readings)
        self._title = _Group(py_is_wide=True)
        self._other = _Group()
        self._exact: dict[str, list[int]] = {}
        exact = self._exact
        titles: list[tuple[str, int]] = []
        kind_ids: defaultdict[Kind, list[int]] = defaultdict(list)
        with gc_paused():  # millions of acyclic objects: collections would find nothing
            for rid, record in enumerate(self.records):
                kind_ids[record.kind].append(rid)
                title_texts: list[str] = []
                other_texts: list[str] = []
                title_py: list[str] = []
                other_py: list[str] = []
                for name, text in record.text_fields():
                    norm = normalize(text)
                    wide = has_wide(norm)
                    if _in_title(name):
                        title_texts.append(norm)
                        if wide:
                            title_py.append(norm)
                        if norm:
                            exact.setdefault(norm, []).append(rid)
                            titles.append((norm, rid))
                    else:
                        other_texts.append(norm)
                        if wide and _base(name) in PINYIN_FIELDS:
                            other_py.append(norm)
                self._title.add(rid, title_texts, title_py)
                self._other.add(rid, other_texts, other_py)
            self._title.finish()
            self._other.finish()
            titles.sort()
            self._title_keys = [key for key, _ in titles]
            self._title_ids = [rid for _, rid in titles]
            self._kind_masks: dict[Kind, int] = {
                kind: _bits(kind_ids.get(kind, ())) for kind in KINDS
            }

    @property
    def readings(self) -> dict[str, tuple[str, ...]]:
        """Toneless pinyin readings of the characters of the data's names, and of
        the two-character words read otherwise than their characters (重庆: *chong
        qing*), for :mod:`.sorting`."""
        if self._sort_readings is None:
            self._sort_readings = {**self._readings, **self._spoken}
        return self._sort_readings

    # -- persistence -------------------------------------------------------------

    def to_plain(self) -> tuple[object, ...]:
        """The index as plain structures (saved by :mod:`.index_store`)."""
        return (
            INDEX_FORMAT,
            len(self.records),
            self._title.to_plain(),
            self._other.to_plain(),
            self._exact,
            self._title_keys,
            self._title_ids,
            self._kind_masks,
            self._pairs,
            self._spoken,
        )

    def _from_plain(self, plain: tuple[object, ...]) -> None:
        fmt, count, title, other, exact, keys, title_ids, masks, pairs, spoken = plain
        if fmt != INDEX_FORMAT or count != len(self.records):
            raise ValueError("not an index of this dataset")
        self._title = _Group.from_plain(title)  # type: ignore[arg-type]
        self._other = _Group.from_plain(other)  # type: ignore[arg-type]
        self._exact = exact  # type: ignore[assignment]
        self._title_keys = keys  # type: ignore[assignment]
        self._title_ids = title_ids  # type: ignore[assignment]
        self._kind_masks = masks  # type: ignore[assignment]
        self._pairs = pairs  # type: ignore[assignment]
        self._spoken = spoken  # type: ignore[assignment]

    # -- queries ---------------------------------------------------------------

    def _all_known(self, word: str) -> bool:
        return all(
            char in self._title.wide or char in self._other.wide for char in word if char >= WIDE
        )

    def _make_word(self, text: str, field: str | None = None, phrase: bool = False) -> _Word:
        word = text[:MAX_WORD]
        forms = [word]
        if has_wide(word) and not self._all_known(word.replace(" ", "")):
            # OpenCC (opencc-py) costs ~0.1 s to load: a word whose characters all
            # occur in the dataset is found as typed, so it is converted only when
            # some character is unknown (康佳光電, 重慶).
            simplified = normalize(to_simplified(word))
            if simplified and simplified not in forms:
                forms.append(simplified)
        letters = word.replace(" ", "") if phrase else word
        pinyin = self._pinyin.pattern(letters) if " " not in letters else None
        gap = None if phrase else _gap_regex(forms[-1])
        return _Word(tuple(forms), pinyin, field, phrase, gap)

    def _find(self, group: _Group, word: _Word, within: int) -> int:
        found = 0
        for form in word.forms:
            found |= group.find(form, within)
        if word.pinyin is not None:
            found |= group.find_pinyin(word.pinyin, within & ~found, self._pairs)
        return found

    def _title_starts(self, pattern: _PinyinWord, *, whole: bool) -> list[int]:
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

    def _phrase_hits(self, words: list[_Word], *, exact: bool) -> int:
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
        return _bits(found)

    def search(
        self,
        query: str,
        *,
        kinds: Iterable[Kind] | None = None,
        limit: int | None = None,
    ) -> list[Match]:
        """Matches of ``query``, best first (at most ``limit``).

        Spans of each match are computed when its ``fields`` are first read, so a
        caller that shows 50 rows pays for 50, whatever the number of matches."""
        if limit is not None and limit <= 0:
            return []
        return self.search_result(query, kinds=kinds).matches(None, 0, limit)

    def search_result(self, query: str, *, kinds: Iterable[Kind] | None = None) -> SearchResult:
        """Every match of ``query`` (in the query language of :mod:`.query`), ranked,
        with counts per kind; :class:`Match` objects are made only for the rows asked
        for (:meth:`SearchResult.matches`)."""
        parsed = parse_query(query)
        within = self._all_bits()
        if kinds is not None:
            allowed = 0
            for kind in kinds:
                allowed |= self._kind_masks.get(kind, 0)
            within &= allowed
        within = self._filtered(parsed, within)
        words = [
            self._make_word(term.text, term.field, term.phrase)
            for term in parsed.words[:MAX_WORDS]
        ]
        if not words:
            return SearchResult(self, [(TIER_OTHER, within, None, None)], None, parsed, query)
        matched = within
        per_word: list[tuple[int, int, int]] = []  # in a name, exact anywhere, gapped
        for word in words:
            exact_title, exact_any = self._word_hits(word, matched)
            gapped = 0
            if word.gap is not None and word.field in (None, "title"):
                gapped = self._gapped(word, matched & ~exact_title)
            typo = typo_names = 0
            if (
                not exact_any & matched
                and typo_allowed(word.forms[0])
                and not word.phrase
                and word.field is None
            ):
                # a word that matches as typed is taken as typed: its variants would
                # only add look-alikes (kangjia → kongjia 空间) under its matches
                typo, typo_names = self._typo_hits(word, matched & ~gapped)
            matched &= exact_any | gapped | typo
            if not matched:
                return SearchResult(self, [], None, parsed, query)
            per_word.append((exact_title | gapped | typo_names, exact_any, gapped))
        clean = matched
        no_typo = matched
        in_names = 0
        for names, exact_any, gapped in per_word:
            clean &= exact_any
            no_typo &= exact_any | gapped
            in_names |= names
        in_names &= matched
        gapped_only = no_typo & ~clean
        typo_only = matched & ~no_typo
        segments: list[Segment] = []
        segments.extend(self._ranked(clean & in_names, words, None))
        segments.extend(self._ranked(gapped_only, words, TIER_TITLE_GAPPED))
        segments.extend(self._by_kind(TIER_OTHER, clean & ~in_names))
        segments.extend(self._ranked(typo_only & in_names, words, TIER_TYPO))
        segments.extend(self._by_kind(TIER_TYPO, typo_only & ~in_names))

        def finder(record: Record) -> tuple[FieldMatch, ...]:
            return self._spans(record, words)

        return SearchResult(self, [s for s in segments if s[1]], finder, parsed, query)

    def _all_bits(self) -> int:
        return (1 << len(self.records)) - 1

    # -- matching one word ------------------------------------------------------

    def _word_hits(self, word: _Word, within: int) -> tuple[int, int]:
        """Records matching a word exactly (as typed, simplified or as pinyin): in a
        name, and anywhere (within the word's field, if it has one)."""
        field = word.field
        if field == "section":
            found = self._section_bits(word.forms[0]) & within
            return 0, found
        in_title = self._find(self._title, word, within) if field in (None, "title") else 0
        if field == "title":
            return in_title, in_title
        in_other = self._find(self._other, word, within & ~in_title)
        if field is not None and in_other:
            in_other = self._field_check(word, field, in_other)
        return in_title, in_title | in_other

    def _field_check(self, word: _Word, field: str, candidates: int) -> int:
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
        for rid in _ids(candidates):
            start = starts[rid]
            end = starts[rid + 1] - 1 if rid < last else size
            if any(blob.find(form, start, end) >= 0 for form in forms) or (
                search is not None
                and _first_word_match(search, blob, start, end, pairs) is not None
            ):
                found.append(rid)
        return _bits(found)

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
        return _bits(rid for rid, record in enumerate(self.records) if record.section in wanted)

    def _gapped(self, word: _Word, within: int) -> int:
        """Records with a name that holds a Chinese word's characters in order with
        small gaps (:func:`_gap_regex`)."""
        if word.gap is None:
            return 0
        form = word.forms[-1]
        candidates = within
        wide = self._title.wide
        for char in set(form):
            candidates &= wide.get(char, 0)
            if not candidates:
                return 0
        search = word.gap.search
        hay = self._title.hay
        head, tail = form[:2], form[-2:]  # every cut starts and ends with these
        return _bits(
            rid
            for rid in _ids(candidates)
            if head in hay[rid] and tail in hay[rid] and search(hay[rid]) is not None
        )

    def _typo_hits(self, word: _Word, within: int) -> tuple[int, int]:
        """Records matching a Latin word with one edit (:mod:`.typo`): English variants
        that start a token of the data; pinyin variants that spell whole syllables.
        The variants that matched are kept on the word (for ranking and highlights).
        Returns the records found, and those of them found in a name."""
        text = word.forms[0]
        variants = sorted(
            v for v in one_edit_variants(text) if not text.startswith(v) and len(v) >= 4
        )
        found = 0
        hits: list[str] = []
        for group in (self._title, self._other):
            tokens = self._sorted_tokens(group)
            vocab = group.vocab
            for variant in variants:
                lo = bisect_left(tokens, variant)
                hi = bisect_left(tokens, variant + "\x7f", lo, min(len(tokens), lo + 64))
                if lo >= hi:
                    continue
                if variant not in hits:
                    hits.append(variant)
                rare: list[int] = []
                for token in tokens[lo:hi]:
                    posting = vocab[token]
                    if isinstance(posting, int):
                        found |= posting
                    else:
                        rare.extend(posting)
                found |= _bits(rare)
        found &= within
        in_names = 0
        for variant in hits:
            in_names |= self._title.find(variant, found)
        patterns: list[_PinyinWord] = []
        syllables = self._syllables()
        tried = 0
        for variant in _likely_first(text, variants) if len(text) <= MAX_TYPO_PINYIN_WORD else ():
            if tried >= MAX_TYPO_PINYIN:
                break
            if syllables.fullmatch(variant) is None:
                continue
            tried += 1
            pattern = self._pinyin.pattern(variant)
            if pattern is None:
                continue
            rest = within & ~found
            title = self._title.find_pinyin(pattern, rest, self._pairs)
            other = self._other.find_pinyin(pattern, rest & ~title, self._pairs)
            if title | other:
                patterns.append(pattern)
                found |= title | other
                in_names |= title
        word.typos = tuple(hits)
        word.typo_pinyin = tuple(patterns)
        return found, in_names & found

    def _sorted_tokens(self, group: _Group) -> list[str]:
        tokens = self._token_lists.get(id(group))
        if tokens is None:
            tokens = sorted(group.vocab)
            self._token_lists[id(group)] = tokens
        return tokens

    def _syllables(self) -> re.Pattern[str]:
        """Strings of whole syllables of the dataset's readings: a typo variant must
        be one to be tried as pinyin (a cut-short last syllable would let
        ``kongjia`` find 空间)."""
        if self._syllable_re is None:
            full = sorted(self._pinyin.full, key=len, reverse=True)
            body = "|".join(full) if full else "(?!)"
            self._syllable_re = re.compile(f"(?:{body})+")
        return self._syllable_re

    # -- the query language's filters ---------------------------------------------

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

    def _filtered(self, parsed: Query, within: int) -> int:
        within = self._of_kinds(parsed, within)
        for test in parsed.values:
            within &= self._value_bits(test)
        for dates in parsed.dates:
            within &= self._date_bits(dates)
        for term in parsed.excluded[:MAX_WORDS]:
            if not within:
                break
            word = self._make_word(term.text, term.field, term.phrase)
            _, hits = self._word_hits(word, within)
            within &= ~hits
        return within

    def _value_bits(self, test: ValueTest) -> int:
        """Figures whose value passes a comparison: a range of the figures sorted by
        value (made once per index), a bitmap per comparison (kept, a few)."""
        found = self._filter_bits.get(test)
        if found is not None:
            return found
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
        found = _bits([rid for _, rid in values[lo:hi]])
        self._remember(test, found)
        return found

    def _date_bits(self, dates: DateRange) -> int:
        """Events and figures dated wholly within a range (the first and last day of
        each record's date, read once per index)."""
        found = self._filter_bits.get(dates)
        if found is not None:
            return found
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
        found = _bits(
            [rid for first, last, rid in self._date_list
             if (not start or first >= start) and (not end or last <= end)]
        )
        self._remember(dates, found)
        return found

    def _remember(self, key: object, bits: int) -> None:
        with self._lock:
            if len(self._filter_bits) >= 64:
                self._filter_bits.clear()
            self._filter_bits[key] = bits

    # -- ranking --------------------------------------------------------------------

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

    def _ranked(self, bits: int, words: list[_Word], tier: int | None) -> list[Segment]:
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
        keyed = sorted(self._name_key(rid, words) for rid in _ids(bits))
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

    def _name_key(self, rid: int, words: list[_Word]) -> tuple[float, ...]:
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

    def _line_key(self, line: str, words: list[_Word]) -> tuple[float, ...]:
        significant = [char.isalnum() for char in line]
        total = sum(significant) or 1
        covered = [False] * len(line)
        missing = 0
        units: list[list[tuple[int, int]]] = []
        for word in words:
            found = _word_units(line, word, self._pairs, covered)
            if not found:
                missing += 1
            units.append(found)
        share = sum(1 for flag, hit in zip(significant, covered, strict=True) if flag and hit)
        coverage = share / total
        whole = missing == 0 and share == sum(significant)
        adjacent = len(words) > 1 and all(
            _side_by_side(line, units[i], units[i + 1]) for i in range(len(words) - 1)
        )
        first = min((start for found in units for start, _ in found), default=-1)
        aligned = first >= 0 and _word_start(line, first, self._pairs)
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

    def _spans(self, record: Record, words: list[_Word]) -> tuple[FieldMatch, ...]:
        found: list[FieldMatch] = []
        for name, text in record.text_fields():
            if not text:
                continue
            base = _base(name)
            norm, offsets = normalize_map(text)
            spans: list[tuple[int, int]] = []
            pinyin_ok = _pinyin_field(name) and has_wide(norm)
            for word in words:
                if word.field is not None and _FIELD_OF.get(base) != word.field:
                    continue
                for form in word.forms:
                    _find_all(norm, form, spans)
                for variant in word.typos:
                    _find_all(norm, variant, spans)
                if pinyin_ok:
                    for pattern in (word.pinyin, *word.typo_pinyin):
                        if pattern is not None:
                            _regex_spans(norm, pattern.regex, spans, self._pairs)
                if word.gap is not None and base in TITLE_FIELDS:
                    for hit in word.gap.finditer(norm):
                        spans.extend(_gap_pieces(norm, hit.start(), hit.end(), word.forms[-1]))
            if not spans:
                continue
            mapped = sorted(original_span(offsets, start, end, len(text)) for start, end in spans)
            merged: list[tuple[int, int]] = []
            for start, end in mapped:
                if merged and start <= merged[-1][1]:
                    if end > merged[-1][1]:
                        merged[-1] = (merged[-1][0], end)
                else:
                    merged.append((start, end))
            found.append(FieldMatch(name, text, tuple(merged)))
        return tuple(found)

    # -- suggestions ------------------------------------------------------------------

    def closest_titles(self, query: str, n: int = 5) -> list[Record]:
        """Titles nearest to a query that found nothing, by the typo measure
        (:func:`.typo.edits_in`): for each word, the fewest edits that make it appear
        in a name (Chinese as typed; Latin in the English name or the name's pinyin),
        at most a third of a Latin word's letters or half a Chinese word's
        characters.  Titles near the most words come first, then those needing the
        fewest edits in all, then those whose title (not an alias) holds the words;
        a title near none of the words is no suggestion.  On
        large datasets only a few hundred records are compared
        (:meth:`_suggestion_pool`)."""
        if n <= 0:
            return []
        words = [term.text.replace(" ", "")[:32] for term in parse_query(query).words][:8]
        words = [word for word in words if word]
        if not words:
            return list(self.records[:n])
        simplified = [normalize(to_simplified(word)) if has_wide(word) else word for word in words]
        limits = [
            max(1, len(word) // 2) if has_wide(word) else max(1, min(3, len(word) // 3))
            for word in simplified
        ]
        pool: Iterable[int]
        if len(self.records) > 5000:
            pool = self._suggestion_pool(simplified)
        else:
            pool = range(len(self.records))
        scored: list[tuple[int, int, int, int, int]] = []
        hay = self._title.hay
        for rid in pool:
            lines = [line for line in hay[rid].split("\n") if line]
            # the title (and its pinyin) first: a word nearest there counts as in the title
            spelled = [self._spelled(line) if has_wide(line) else "" for line in lines]
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
                scored.append((missing, total, elsewhere, len(self.records[rid].title), rid))
        scored.sort()
        return [self.records[rid] for *_, rid in scored[:n]]

    def _spelled(self, line: str) -> str:
        """A name in pinyin (each character's first reading), other characters kept."""
        readings = self._readings
        return "".join(
            (readings.get(char) or (char,))[0] if char >= WIDE else char for char in line
        )

    def _suggestion_pool(self, words: list[str]) -> list[int]:
        """For a large dataset, the records worth comparing (at most
        :data:`SUGGESTION_POOL`): those a word finds on its own (typos included), then
        those sharing the most pieces (two characters, three letters, or their
        pinyin) with a word that finds nothing."""
        from collections import Counter

        votes: Counter[int] = Counter()
        for word in words:
            found = self.search_result(word).record_ids()[:SUGGESTION_POOL // 2]
            if found:
                votes.update({rid: 8 for rid in found})
                continue
            size = 2 if has_wide(word) else 3
            pieces = {word[i : i + size] for i in range(max(1, len(word) - size + 1))}
            for piece in list(pieces)[:12]:
                bits = self._title.find(piece)
                pattern = self._pinyin.pattern(piece) if piece.isascii() else None
                if pattern is not None:
                    bits |= self._title.find_pinyin(pattern, -1, self._pairs)
                votes.update(_ids(bits, SUGGESTION_POOL * 4))
        return sorted(rid for rid, _ in votes.most_common(SUGGESTION_POOL))


def _word_pairs(
    readings: dict[str, tuple[str, ...]],
) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The two-character words of pypinyin's phrase dictionary made of the dataset's
    characters (``readings`` has every character read as pinyin): they tell a pinyin
    match that starts inside a word (:func:`_mid_word`).  With them, the readings of
    those words whose reading is not their characters' first (重庆 is *chong qing*,
    重 alone *zhong*), for sorting.  Empty if the dictionary cannot be loaded (then no
    match is refused for it)."""
    if not readings:
        return frozenset(), {}
    try:
        from pypinyin.constants import PHRASES_DICT
    except Exception:  # pypinyin missing or broken: matches are not refused
        return frozenset(), {}
    import unicodedata

    pairs: set[str] = set()
    spoken: dict[str, tuple[str, ...]] = {}
    for word, said in PHRASES_DICT.items():
        if len(word) != 2 or word[0] not in readings or word[1] not in readings:
            continue
        pairs.add(word)
        try:
            toneless = tuple(
                "".join(
                    c
                    for c in unicodedata.normalize("NFD", options[0].replace("ü", "v"))
                    if not unicodedata.combining(c)
                )
                for options in said
            )
        except (IndexError, AttributeError, TypeError):
            continue
        first = tuple((readings[char] or ("",))[0] for char in word)
        if len(toneless) == 2 and toneless != first:
            spoken[word] = toneless
    return frozenset(pairs), spoken


def _pinyin_chars(dataset: Dataset) -> set[str]:
    chars: set[str] = set()
    for record in dataset.records:
        for name, text in record.text_fields():
            if _pinyin_field(name) and not text.isascii():
                chars.update(char for char in normalize(text) if char >= WIDE)
    return chars


def dataset_key(dataset: Dataset) -> bytes:
    """A digest of what the index is made of: every record's kind and text fields,
    in order, with :data:`INDEX_FORMAT`, the Python version and this module's code.

    CRC-32 and Adler-32 side by side (64 bits) rather than sha256: hashlib alone
    costs ~7 ms to import, more than the bundled dataset's whole saved index takes
    to load.  A cache slot is per dataset path, so a wrong hit would need an edit
    of that file whose text collides in both checksums and keeps the record count.
    """
    import marshal
    import sys
    import zlib

    crc, adler = 0, 1

    def feed(data: bytes) -> None:
        nonlocal crc, adler
        crc = zlib.crc32(data, crc)
        adler = zlib.adler32(data, adler)

    here = Path(__file__).resolve().parent
    for name in ("search.py", "textnorm.py"):
        try:
            feed((here / name).read_bytes())
        except OSError:
            feed(name.encode())
    feed(f"{INDEX_FORMAT}\0{sys.implementation.cache_tag}\0".encode())
    feed(marshal.dumps([(record.kind, *record.text_fields()) for record in dataset.records]))
    return f"{crc:08x}{adler:08x}{len(dataset.records):016x}".encode()


def index_cache_path(cache_dir: Path, dataset: Dataset) -> Path:
    """The cache slot of one dataset's index: one file per dataset path."""
    import zlib

    name = (dataset.path or "<memory>").encode("utf-8", "surrogatepass")
    return cache_dir / f"index-{zlib.crc32(name):08x}{len(name):x}.bin"


def _load_index(entry: Path, key: bytes, dataset: Dataset) -> SearchIndex | None:
    from . import index_store

    def make(
        dataset: Dataset, readings: dict[str, tuple[str, ...]], plain: tuple[object, ...]
    ) -> SearchIndex:
        return SearchIndex(dataset, readings, plain=plain)

    return index_store.load(entry, key, dataset, INDEX_FORMAT, make)


def _store_index(entry: Path, key: bytes, index: SearchIndex) -> bool:
    from . import index_store

    return index_store.save(entry, key, index)


def build_index(
    dataset: Dataset,
    *,
    cache_dir: Path | None = None,
    persist: bool | None = None,
    on_build: Callable[[], object] | None = None,
) -> SearchIndex:
    """Build the index of a dataset; pinyin readings come from the cache in
    ``cache_dir`` (default: the user's cache folder) when it holds them.

    A dataset of :data:`PERSIST_MIN_RECORDS` records or more (or any, with
    ``persist=True``) has its whole index stored in ``cache_dir`` (see
    :mod:`.index_store`, keyed by :func:`dataset_key`), so the next start loads it
    instead of building it.  ``persist=False`` never reads or writes that cache.
    ``on_build`` is called when the index is about to be built (no saved one could be
    used): the app starts a provisional search then (:mod:`.scan`).

    Safe to call from a worker thread (it touches no shared mutable state; the
    cache is written atomically)."""
    if persist is None:
        persist = len(dataset.records) >= PERSIST_MIN_RECORDS
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    sweep_once(folder)
    if persist:
        entry = index_cache_path(folder, dataset)
        if on_build is not None and not entry.exists():
            on_build()  # before the key, which takes ~1 s at 100,000 records
            on_build = None
        key = dataset_key(dataset)
        loaded = _load_index(entry, key, dataset)
        if loaded is not None:
            return loaded
    if on_build is not None:
        on_build()
    readings = pinyin_cache.readings_for(_pinyin_chars(dataset), folder)
    index = SearchIndex(dataset, readings)
    if persist:
        _store_index(entry, key, index)
    return index
