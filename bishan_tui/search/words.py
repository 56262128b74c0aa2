"""A query word, and where it matches in a text (spans).

No Textual, no Rich.  A Chinese word of 4+ characters also matches a name with small
gaps (:func:`gap_regex`); spans are ``[start, end)`` indices, merged and mapped back
to the original (un-normalised) text by :func:`field_spans`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Record
from ..textnorm import WIDE, has_wide, merge_spans, normalize_map, original_span
from .fields import FIELD_OF, TITLE_FIELDS, field_base, pinyin_field
from .match import FieldMatch
from .pinyin import PinyinWord, first_word_match, mid_word

MAX_WORDS = 32  # words beyond this are ignored
MAX_WORD = 256  # characters of a word beyond this are ignored
MAX_GAP = 5  # characters skipped in one gap of an in-order Chinese match
MAX_GAP_WORD = 16  # longer Chinese words are not tried with gaps
MAX_SPANS_PER_FIELD = 64

Span = tuple[int, int]


@dataclass(slots=True)
class Word:
    """One query word (or quoted phrase): its normalised forms (as typed;
    simplified), its pinyin reading if it is one, the field it is limited to, and
    the looser ways it may match (filled in per query): in-order Chinese with small
    gaps, and Latin variants one edit away."""

    forms: tuple[str, ...]
    pinyin: PinyinWord | None
    field: str | None = None  # a FieldName of the query language; None: any field
    phrase: bool = False
    gap: re.Pattern[str] | None = None
    typos: tuple[str, ...] = ()  # variants that are (prefixes of) tokens of the data
    typo_pinyin: tuple[PinyinWord, ...] = ()


@functools.lru_cache(maxsize=256)
def gap_regex(word: str) -> re.Pattern[str] | None:
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


def word_start(text: str, pos: int, pairs: frozenset[str]) -> bool:
    """Whether a match at ``pos`` starts a word: the text's start, after a mark or a
    space, a letter after a Chinese character (or the reverse), or a Chinese
    character that does not start inside a word (:func:`mid_word`)."""
    if pos <= 0:
        return True
    before = text[pos - 1]
    if not before.isalnum():
        return True
    here = text[pos]
    if here >= WIDE and before >= WIDE:
        return not mid_word(text, pos, pairs)
    return (here >= WIDE) != (before >= WIDE)


def gap_pieces(text: str, start: int, end: int, word: str) -> list[tuple[int, int]]:
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


def find_all(text: str, form: str, spans: list[tuple[int, int]]) -> None:
    if not form:
        return
    pos = text.find(form)
    count = 0
    while pos >= 0 and count < MAX_SPANS_PER_FIELD:
        spans.append((pos, pos + len(form)))
        count += 1
        pos = text.find(form, pos + max(1, len(form)))


def regex_spans(
    text: str, regex: re.Pattern[str], spans: list[tuple[int, int]], pairs: frozenset[str]
) -> None:
    pos = 0
    count = 0
    end = len(text)
    while count < MAX_SPANS_PER_FIELD:
        found = first_word_match(regex.search, text, pos, end, pairs)
        if found is None:
            return
        spans.append(found.span())
        count += 1
        pos = max(found.end(), found.start() + 1)


def exact_spans(text: str, word: Word, pairs: frozenset[str], *, pinyin: bool) -> list[Span]:
    """Where a word matches ``text`` as typed, simplified, with one edit, or (when
    ``pinyin``) as pinyin: the matches that need no gap."""
    spans: list[Span] = []
    for form in word.forms:
        find_all(text, form, spans)
    for variant in word.typos:
        find_all(text, variant, spans)
    if pinyin:
        for pattern in (word.pinyin, *word.typo_pinyin):
            if pattern is not None:
                regex_spans(text, pattern.regex, spans, pairs)
    return spans


def word_units(line: str, word: Word, pairs: frozenset[str], covered: list[bool]) -> list[Span]:
    """Where a word matches in one name (spans), marking the characters covered."""
    spans = exact_spans(line, word, pairs, pinyin=has_wide(line))
    pieces: list[Span] = []
    if not spans and word.gap is not None:
        for hit in word.gap.finditer(line):
            spans.append(hit.span())
            pieces.extend(gap_pieces(line, hit.start(), hit.end(), word.forms[-1]))
    for start, end in pieces or spans:
        for pos in range(start, end):
            covered[pos] = True
    return spans


def side_by_side(line: str, left: list[tuple[int, int]], right: list[tuple[int, int]]) -> bool:
    """Whether some match of one word is followed by one of the next, with only
    spaces or marks between them."""
    for _, end in left:
        for start, _ in right:
            if start >= end and not any(char.isalnum() for char in line[end:start]):
                return True
    return False


def field_spans(
    record: Record, words: Sequence[Word], pairs: frozenset[str]
) -> tuple[FieldMatch, ...]:
    """Where the words match in each text field of a record, in the original text."""
    found: list[FieldMatch] = []
    for name, text in record.text_fields():
        if not text:
            continue
        base = field_base(name)
        norm, offsets = normalize_map(text)
        spans: list[Span] = []
        pinyin_ok = pinyin_field(name) and has_wide(norm)
        for word in words:
            if word.field is not None and FIELD_OF.get(base) != word.field:
                continue
            spans.extend(exact_spans(norm, word, pairs, pinyin=pinyin_ok))
            if word.gap is not None and base in TITLE_FIELDS:
                for hit in word.gap.finditer(norm):
                    spans.extend(gap_pieces(norm, hit.start(), hit.end(), word.forms[-1]))
        if spans:
            mapped = (original_span(offsets, start, end, len(text)) for start, end in spans)
            found.append(FieldMatch(name, text, tuple(merge_spans(mapped))))
    return tuple(found)
