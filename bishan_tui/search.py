"""Search over a dataset: normalisation, an index, ranked matches with spans.

No Textual, no Rich.

A query is words separated by white space; a record matches when every word matches
at least one of its text fields (AND).  A word matches a field when, after NFKC +
casefold (and OpenCC t2s for a query word with CJK characters), it is a substring of
the field, or — for a word of ASCII letters — when it spells the toneless pinyin of a
run of the field's characters (full syllables, the last one possibly cut short while
typing: ``kangjia``, ``kangj``, ``chongqing``) or their initials (``kjgd``).  Pinyin is
matched in names (title, aliases, tags and the short kind fields), not in summaries
and quotes, where initials would match by chance.

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

Matches rank by tier (exact title/alias, title/alias prefix, title/alias substring,
other fields), then records whose title holds the words side by side (``kang jia``),
then file order.  Spans are computed lazily, only for the matches a caller looks at,
and are indices into the original (un-normalised) text of each field.

The pinyin readings of the dataset's characters come from :mod:`.pinyin_cache`, so
pypinyin is imported only when the cache is missing or stale.  :func:`build_index`
is safe to call from a worker thread (the app builds it in one after the first paint).
"""

from __future__ import annotations

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
from .model import KINDS, Dataset, Kind, Record
from .textnorm import (
    WIDE,
    has_wide,
    normalize,
    normalize_map,
    normalize_query,
    original_span,
    to_simplified,
)

# Match tiers, best first.
TIER_TITLE_EXACT = 0
TIER_TITLE_PREFIX = 1
TIER_TITLE_SUBSTRING = 2
TIER_OTHER = 3

# Bounds that keep any query's cost bounded.
MAX_WORDS = 32  # words beyond this are ignored
MAX_WORD = 256  # characters of a word beyond this are ignored
MAX_PINYIN_WORD = 64  # longer ASCII words are not tried as pinyin
MAX_SEGMENTATIONS = 24  # ways to cut one word into syllables
MAX_SPANS_PER_FIELD = 64

TITLE_FIELDS = frozenset({"title", "title_en", "aliases", "aliases_en"})
# Fields (besides the title group) whose Chinese is matched by pinyin: names.
PINYIN_FIELDS = frozenset(
    {
        "tags",
        "category",
        "organisation",
        "affiliation",
        "role",
        "issuer",
        "instrument",
        "unit",
        "status",
        "period",
        "date_note",
    }
)

# A run of narrow (below U+2E80), non-space, non-control characters.  Spelled
# out, because [^\s\u2e80-\U0010ffff] takes ~2.7 ms to compile on every start.
_TOKEN = re.compile(
    "[!-\x84\x86-\x9f\xa1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2e7f]+"
)
_LONGEST_SYLLABLE = 6  # zhuang, shuang …


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


def query_words(query: str) -> list[str]:
    """A query is words separated by white space."""
    return query.split()


@dataclass(frozen=True, slots=True)
class _Word:
    """One query word: its normalised forms (as typed; simplified) and whether it
    is tried as pinyin."""

    forms: tuple[str, ...]
    pinyin: _PinyinWord | None


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

    def find_pinyin(self, word: _PinyinWord, within: int = -1) -> int:
        """Records (a bitmap) whose pinyin fields match.  A record must hold a
        character of each class of an alternative: one-class alternatives need no
        more; the others are checked with the regex on that record's text only."""
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
            if search(blob, starts[rid], starts[rid + 1] if rid < last else end) is not None
        ]
        return exact | _bits(ok)


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
    caller that shows tab labels and the first screenful pays for those rows only."""

    __slots__ = ("_finder", "_index", "_plain", "_segments", "counts", "total")

    def __init__(
        self,
        index: SearchIndex,
        segments: list[tuple[int, int]],
        finder: Callable[[Record], tuple[FieldMatch, ...]] | None,
    ) -> None:
        self._index = index
        self._segments = segments  # (tier, bitmap) in rank order; ties in file order
        self._finder = finder
        matched = 0
        for _, bits in segments:
            matched |= bits
        self.counts: dict[Kind, int] = {
            kind: (matched & mask).bit_count() for kind, mask in index._kind_masks.items()
        }
        self.total = matched.bit_count()

    def __len__(self) -> int:
        return self.total

    def matches(
        self, kind: Kind | None = None, start: int = 0, stop: int | None = None
    ) -> list[Match]:
        """Matches ``start:stop`` in rank order (of one kind, or of all)."""
        mask = -1 if kind is None else self._index._kind_masks.get(kind, 0)
        records = self._index.records
        finder = self._finder
        out: list[Match] = []
        skip = max(0, start)
        for tier, bits in self._segments:
            if stop is not None and skip + len(out) >= stop and stop >= 0:
                break
            bits &= mask
            size = bits.bit_count()
            if skip >= size:
                skip -= size
                continue
            want = None if stop is None else stop - start - len(out)
            ids = _ids(bits, None if want is None else skip + want)[skip:]
            skip = 0
            if finder is None:
                out.extend(Match(records[rid], tier, ()) for rid in ids)
            else:
                out.extend(Match(records[rid], tier, finder=finder) for rid in ids)
        if stop is not None:
            del out[max(0, stop - max(0, start)) :]
        return out

    def record_ids(self, kind: Kind | None = None) -> list[int]:
        """Positions in ``dataset.records`` of every match, in rank order."""
        mask = -1 if kind is None else self._index._kind_masks.get(kind, 0)
        out: list[int] = []
        for _, bits in self._segments:
            out.extend(_ids(bits & mask))
        return out


INDEX_FORMAT = 2
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
        if plain is not None:
            self._from_plain(plain)
            return
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

    # -- persistence -------------------------------------------------------------

    def to_plain(self) -> tuple[object, ...]:
        """The index as plain structures (for :mod:`marshal`)."""
        return (
            INDEX_FORMAT,
            len(self.records),
            self._title.to_plain(),
            self._other.to_plain(),
            self._exact,
            self._title_keys,
            self._title_ids,
            self._kind_masks,
        )

    def _from_plain(self, plain: tuple[object, ...]) -> None:
        fmt, count, title, other, exact, keys, title_ids, masks = plain
        if fmt != INDEX_FORMAT or count != len(self.records):
            raise ValueError("not an index of this dataset")
        self._title = _Group.from_plain(title)  # type: ignore[arg-type]
        self._other = _Group.from_plain(other)  # type: ignore[arg-type]
        self._exact = exact  # type: ignore[assignment]
        self._title_keys = keys  # type: ignore[assignment]
        self._title_ids = title_ids  # type: ignore[assignment]
        self._kind_masks = masks  # type: ignore[assignment]

    # -- queries ---------------------------------------------------------------

    def _all_known(self, word: str) -> bool:
        return all(
            char in self._title.wide or char in self._other.wide for char in word if char >= WIDE
        )

    def _words(self, query: str) -> list[_Word]:
        words: list[_Word] = []
        for raw in query_words(normalize_query(query))[:MAX_WORDS]:
            word = raw[:MAX_WORD]
            forms = [word]
            if has_wide(word) and not self._all_known(word):
                # opencc costs ~10 ms to load: a word whose characters all occur
                # in the dataset is found as typed, so it is converted only when
                # some character is unknown (康佳光電, 重慶).
                simplified = normalize(to_simplified(word))
                if simplified and simplified not in forms:
                    forms.append(simplified)
            words.append(_Word(tuple(forms), self._pinyin.pattern(word)))
        return words

    def _find(self, group: _Group, word: _Word, within: int) -> int:
        found = 0
        for form in word.forms:
            found |= group.find(form, within)
        if word.pinyin is not None:
            found |= group.find_pinyin(word.pinyin, within & ~found)
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
            joined = "".join(word.forms[0] for word in words)
            pattern = self._pinyin.pattern(joined)
            if pattern is not None:
                found.extend(self._title_starts(pattern, whole=exact))
        return _bits(found)

    def _adjacent(self, words: list[_Word], within: int) -> int:
        """Records whose title group holds the words side by side."""
        found = self._title.find(" ".join(word.forms[0] for word in words), within)
        if all(word.pinyin is not None for word in words):
            pattern = self._pinyin.pattern("".join(word.forms[0] for word in words))
            if pattern is not None:
                found |= self._title.find_pinyin(pattern, within & ~found)
        return found

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
        """Every match of ``query``, ranked, with counts per kind; :class:`Match`
        objects are made only for the rows asked for (:meth:`SearchResult.matches`)."""
        within = -1
        if kinds is not None:
            within = 0
            for kind in kinds:
                within |= self._kind_masks.get(kind, 0)
        words = self._words(query)
        if not words:
            return SearchResult(self, [(TIER_OTHER, within & self._all_bits())], None)
        matched = within
        in_title = 0
        for word in words:
            title_hits = self._find(self._title, word, matched)
            hits = title_hits | self._find(self._other, word, matched & ~title_hits)
            matched &= hits
            if not matched:
                return SearchResult(self, [], None)
            in_title |= title_hits
        in_title &= matched

        exact = prefix = adjacent = 0
        if in_title:
            exact = self._phrase_hits(words, exact=True) & in_title
            prefix = self._phrase_hits(words, exact=False) & in_title & ~exact
            if len(words) > 1:
                adjacent = self._adjacent(words, in_title)
        substring = in_title & ~exact & ~prefix
        segments: list[tuple[int, int]] = []
        for tier, group in (
            (TIER_TITLE_EXACT, exact),
            (TIER_TITLE_PREFIX, prefix),
            (TIER_TITLE_SUBSTRING, substring),
        ):
            if adjacent:
                segments.append((tier, group & adjacent))
                segments.append((tier, group & ~adjacent))
            else:
                segments.append((tier, group))
        segments.append((TIER_OTHER, matched & ~in_title))

        def finder(record: Record) -> tuple[FieldMatch, ...]:
            return self._spans(record, words)

        return SearchResult(self, [s for s in segments if s[1]], finder)

    def _all_bits(self) -> int:
        return (1 << len(self.records)) - 1

    def _spans(self, record: Record, words: list[_Word]) -> tuple[FieldMatch, ...]:
        found: list[FieldMatch] = []
        for name, text in record.text_fields():
            if not text:
                continue
            norm, offsets = normalize_map(text)
            spans: list[tuple[int, int]] = []
            pinyin_ok = _pinyin_field(name) and has_wide(norm)
            for word in words:
                for form in word.forms:
                    pos = norm.find(form)
                    count = 0
                    while pos >= 0 and count < MAX_SPANS_PER_FIELD:
                        spans.append((pos, pos + len(form)))
                        count += 1
                        pos = norm.find(form, pos + max(1, len(form)))
                if word.pinyin is not None and pinyin_ok:
                    for count, hit in enumerate(word.pinyin.regex.finditer(norm)):
                        if count >= MAX_SPANS_PER_FIELD:
                            break
                        spans.append(hit.span())
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

    def closest_titles(self, query: str, n: int = 5) -> list[Record]:
        """Titles nearest to a query that found nothing (for the CLI's hint).

        Compares the whole normalised query with each record's title, title_en and
        aliases (short strings only) with :class:`difflib.SequenceMatcher`; on large
        datasets only records sharing a character or token with the query are
        compared, so the cost stays bounded."""
        import difflib

        if n <= 0:
            return []
        text = " ".join(query_words(normalize_query(query)))[:64]
        if not text:
            return list(self.records[:n])
        simplified = normalize(to_simplified(text))
        pool: Iterable[int]
        if len(self.records) > 5000:
            candidates = 0
            for char in set(simplified):
                if char >= WIDE:
                    candidates |= self._title.wide.get(char, 0)
            for token in _TOKEN.findall(simplified):
                for start in range(0, max(1, len(token) - 2)):
                    candidates |= self._title.find(token[start : start + 3])
                    if candidates.bit_count() > 20000:
                        break
            pool = _ids(candidates, 20000)
        else:
            pool = range(len(self.records))
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(simplified)
        scored: list[tuple[float, int]] = []
        for rid in pool:
            best = 0.0
            for line in self._title.hay[rid].split("\n"):
                if not line:
                    continue
                matcher.set_seq1(line[:64])
                if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                    continue
                best = max(best, matcher.ratio())
            if best > 0:
                scored.append((-best, rid))
        scored.sort()
        return [self.records[rid] for _, rid in scored[:n]]


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
