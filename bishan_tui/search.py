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
is safe to call from a worker thread; :func:`build_index_in_background` does that.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import pinyin_cache

if TYPE_CHECKING:
    from concurrent.futures import Future
from .model import Dataset, Kind, Record
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
MAX_PINYIN_WORD = 40  # longer ASCII words are not tried as pinyin
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
    "[!-\x84\x86-\x9f\xa1-\u167f\u1681-\u1fff\u200b-\u2027"
    "\u202a-\u202e\u2030-\u205e\u2060-\u2e7f]+"
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
    pinyin: re.Pattern[str] | None


class _Group:
    """The inverted index of one group of fields over all records."""

    def __init__(self) -> None:
        self.hay: list[str] = []
        self.wide: defaultdict[str, list[int]] = defaultdict(list)
        self.vocab: defaultdict[str, list[int]] = defaultdict(list)
        self.vocab_blob = "\n"
        self._py_parts: list[str] = []
        self.py_starts: list[int] = []
        self.py_blob = ""
        self._py_len = 0

    def add(self, rid: int, texts: list[str], py_texts: list[str]) -> None:
        hay = "\n".join(texts)
        self.hay.append(hay)
        if not hay.isascii():
            wide = self.wide
            for char in {c for c in set(hay) if c >= WIDE}:
                wide[char].append(rid)
        vocab = self.vocab
        for token in set(_TOKEN.findall(hay)):
            vocab[token].append(rid)
        part = "\n".join(py_texts)
        self.py_starts.append(self._py_len)
        self._py_parts.append(part)
        self._py_len += len(part) + 1

    def finish(self) -> None:
        self.wide.default_factory = None  # lookups must not insert
        self.vocab.default_factory = None
        self.vocab_blob = "\n" + "\n".join(self.vocab) + "\n"
        self.py_blob = "\n".join(self._py_parts)
        self._py_parts = []

    def find(self, word: str, within: set[int] | None = None) -> set[int]:
        """Records whose fields of this group hold ``word`` as a substring."""
        if not word:
            return set()
        wide_chars = {char for char in word if char >= WIDE}
        if wide_chars:
            lists = []
            for char in wide_chars:
                posting = self.wide.get(char)
                if posting is None:
                    return set()
                lists.append(posting)
            lists.sort(key=len)
            found = set(lists[0])
            if within is not None:
                found &= within
            for posting in lists[1:]:
                if not found:
                    break
                found.intersection_update(posting)
            if len(word) == 1:
                return found
            hay = self.hay
            return {rid for rid in found if word in hay[rid]}
        result: set[int] = set()
        blob = self.vocab_blob
        vocab = self.vocab
        pos = blob.find(word)
        while pos >= 0:
            start = blob.rfind("\n", 0, pos) + 1
            end = blob.find("\n", pos)
            result.update(vocab[blob[start:end]])
            pos = blob.find(word, end)
        if within is not None:
            result &= within
        return result

    def find_pinyin(self, pattern: re.Pattern[str]) -> set[int]:
        """Records whose pinyin fields match; after a hit the search jumps to the
        next record, so the cost is one regex call per matching record."""
        starts = self.py_starts
        blob = self.py_blob
        last = len(starts) - 1
        found: set[int] = set()
        search = pattern.search
        hit = search(blob)
        while hit is not None:
            rid = bisect_right(starts, hit.start()) - 1
            found.add(rid)
            if rid >= last:
                break
            hit = search(blob, starts[rid + 1])
        return found

    def pinyin_line_starts(self, pattern: re.Pattern[str], *, whole: bool) -> set[int]:
        """Records where the pattern matches at the start (or, ``whole``, all) of a line."""
        blob = self.py_blob
        starts = self.py_starts
        found: set[int] = set()
        anchored = _anchored(pattern)
        for hit in anchored.finditer(blob):
            pos = hit.start()
            if whole:
                end = blob.find("\n", pos)
                line = blob[pos:] if end < 0 else blob[pos:end]
                if pattern.fullmatch(line) is None:
                    continue
            found.add(bisect_right(starts, pos) - 1)
        return found


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
        self._patterns: dict[str, re.Pattern[str] | None] = {}
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

    def pattern(self, word: str) -> re.Pattern[str] | None:
        """The regex of the CJK runs that ``word`` spells, or ``None``."""
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

    def _compile(self, word: str) -> re.Pattern[str] | None:
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
        seen: set[str] = set()
        branches: list[str] = []
        for alternative in alternatives:
            branch = "".join(f"[{cls}]" for cls in alternative)
            if branch not in seen:
                seen.add(branch)
                branches.append(branch)
        return re.compile("|".join(branches))


_ANCHORED: dict[str, re.Pattern[str]] = {}


def _anchored(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern, matching only at the start of a line (C-speed line filter)."""
    found = _ANCHORED.get(pattern.pattern)
    if found is None:
        found = re.compile(f"(?m)^(?:{pattern.pattern})")
        if len(_ANCHORED) > 512:
            _ANCHORED.clear()
        _ANCHORED[pattern.pattern] = found
    return found


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(chars))


class SearchIndex:
    """Ranked AND-search over every text field of every record."""

    def __init__(
        self, dataset: Dataset, readings: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.dataset = dataset
        self.records = dataset.records
        self._pinyin = _Pinyin(readings or {})
        self._title = _Group()
        self._other = _Group()
        self._kind_of: list[Kind] = []
        self._exact: dict[str, list[int]] = {}
        exact = self._exact
        titles: list[tuple[str, int]] = []
        for rid, record in enumerate(self.records):
            self._kind_of.append(record.kind)
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

    # -- queries ---------------------------------------------------------------

    def _all_known(self, word: str) -> bool:
        return all(
            char in self._title.wide or char in self._other.wide
            for char in word
            if char >= WIDE
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

    def _find(self, group: _Group, word: _Word) -> set[int]:
        found: set[int] = set()
        for form in word.forms:
            found |= group.find(form)
        if word.pinyin is not None:
            found |= group.find_pinyin(word.pinyin)
        return found

    def _phrase_hits(self, words: list[_Word], *, exact: bool) -> set[int]:
        """Records with a title or alias equal to (or starting with) the whole query."""
        found: set[int] = set()
        phrases = {" ".join(word.forms[0] for word in words)}
        phrases.add(" ".join(word.forms[-1] for word in words))
        for phrase in phrases:
            if exact:
                found.update(self._exact.get(phrase, ()))
            else:
                keys = self._title_keys
                pos = bisect_left(keys, phrase)
                while pos < len(keys) and keys[pos].startswith(phrase):
                    found.add(self._title_ids[pos])
                    pos += 1
        if all(word.pinyin is not None for word in words):
            joined = "".join(word.forms[0] for word in words)
            pattern = self._pinyin.pattern(joined)
            if pattern is not None:
                found |= self._title.pinyin_line_starts(pattern, whole=exact)
        return found

    def _adjacent(self, words: list[_Word]) -> set[int]:
        """Records whose title group holds the words side by side."""
        found = self._title.find(" ".join(word.forms[0] for word in words))
        if all(word.pinyin is not None for word in words):
            pattern = self._pinyin.pattern("".join(word.forms[0] for word in words))
            if pattern is not None:
                found |= self._title.find_pinyin(pattern)
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
        wanted = frozenset(kinds) if kinds is not None else None
        if limit is not None and limit <= 0:
            return []
        words = self._words(query)
        records = self.records
        kind_of = self._kind_of
        if not words:
            ids: Iterator[int] = iter(range(len(records)))
            if wanted is not None:
                ids = (rid for rid in ids if kind_of[rid] in wanted)
            out: list[Match] = []
            for rid in ids:
                out.append(Match(records[rid], TIER_OTHER, ()))
                if limit is not None and len(out) >= limit:
                    break
            return out

        matched: set[int] | None = None
        in_title: set[int] = set()
        for word in words:
            title_hits = self._find(self._title, word)
            hits = title_hits | self._find(self._other, word)
            matched = hits if matched is None else matched & hits
            if not matched:
                return []
            in_title |= title_hits
        assert matched is not None
        if wanted is not None:
            matched = {rid for rid in matched if kind_of[rid] in wanted}
        in_title &= matched

        exact: set[int] = set()
        prefix: set[int] = set()
        adjacent: set[int] = set()
        if in_title:
            exact = self._phrase_hits(words, exact=True) & in_title
            prefix = (self._phrase_hits(words, exact=False) & in_title) - exact
            if len(words) > 1:
                adjacent = self._adjacent(words) & in_title
        substring = in_title - exact - prefix
        rest = matched - in_title

        ordered: list[tuple[int, int]] = []
        for tier, group in (
            (TIER_TITLE_EXACT, exact),
            (TIER_TITLE_PREFIX, prefix),
            (TIER_TITLE_SUBSTRING, substring),
        ):
            if adjacent:
                ranked = sorted(group, key=lambda rid: (rid not in adjacent, rid))
            else:
                ranked = sorted(group)
            ordered.extend((tier, rid) for rid in ranked)
            if limit is not None and len(ordered) >= limit:
                break
        if limit is None or len(ordered) < limit:
            if limit is None:
                tail = sorted(rest)
            else:
                import heapq

                tail = heapq.nsmallest(limit - len(ordered), rest)
            ordered.extend((TIER_OTHER, rid) for rid in tail)
        if limit is not None:
            ordered = ordered[:limit]

        def finder(record: Record) -> tuple[FieldMatch, ...]:
            return self._spans(record, words)

        return [Match(records[rid], tier, finder=finder) for tier, rid in ordered]

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
                    for count, hit in enumerate(word.pinyin.finditer(norm)):
                        if count >= MAX_SPANS_PER_FIELD:
                            break
                        spans.append(hit.span())
            if not spans:
                continue
            mapped = sorted(
                original_span(offsets, start, end, len(text)) for start, end in spans
            )
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
            candidates: set[int] = set()
            for char in set(simplified):
                if char >= WIDE:
                    candidates.update(self._title.wide.get(char, ()))
            for token in _TOKEN.findall(simplified):
                for start in range(0, max(1, len(token) - 2)):
                    candidates |= self._title.find(token[start : start + 3])
                    if len(candidates) > 20000:
                        break
            pool = sorted(candidates)[:20000]
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


def build_index(dataset: Dataset, *, cache_dir: Path | None = None) -> SearchIndex:
    """Build the index of a dataset; pinyin readings come from the cache in
    ``cache_dir`` (default: the user's cache folder) when it holds them.

    Safe to call from a worker thread (it touches no shared mutable state; the
    cache is written atomically)."""
    readings = pinyin_cache.readings_for(_pinyin_chars(dataset), cache_dir)
    return SearchIndex(dataset, readings)


def build_index_in_background(
    dataset: Dataset, *, cache_dir: Path | None = None
) -> Future[SearchIndex]:
    """Start :func:`build_index` in a daemon thread; the future holds the index (or
    the exception).  The app can keep its UI responsive and await the result."""
    from concurrent.futures import Future

    future: Future[SearchIndex] = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(build_index(dataset, cache_dir=cache_dir))
        except BaseException as error:  # pragma: no cover - handed to the caller
            future.set_exception(error)

    threading.Thread(target=work, name="bishan-search-index", daemon=True).start()
    return future
