"""The search index: ranked AND-search over every text field of every record.

No Textual, no Rich.  What matches and how matches are ranked, with examples:
``docs/search.md``; the query language (``kind:``, ``title:``, ``-word``,
``"phrase"``, ``value:>=300``, ``2020-03..2020-06``): :mod:`.query`.

A query's words must all match (AND).  A word matches a field when, after NFKC +
casefold (and OpenCC t2s for a query word with CJK characters), it is a substring of
the field, or — for a word of ASCII letters — when it spells the toneless pinyin of a
run of the field's characters (:mod:`.pinyin`).  Pinyin is matched in names and the
short kind fields (:mod:`.fields`), not in summaries and quotes, where initials would
match by chance.  A Chinese word of 4+ characters also matches a name with small gaps
(:func:`.words.gap_regex`), and a Latin word of 5+ letters that matches nothing, with
one edit (:mod:`.typo`).

The fields of every record are split into two groups (:mod:`.groups`), *title*
(title, title_en, aliases, aliases_en) and *other*.  Matches are ranked by
:mod:`.rank`; spans are computed lazily, only for the matches a caller looks at, and
are indices into the original (un-normalised) text of each field.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from ..loader import gc_paused
from ..model import KINDS, Dataset, Kind, Record
from ..textnorm import WIDE, has_wide, normalize, to_simplified
from .bitsets import bitmap, members
from .fields import PINYIN_FIELDS, field_base, in_title
from .groups import Group, GroupBuilder
from .match import (
    TIER_OTHER,
    TIER_TITLE_GAPPED,
    TIER_TYPO,
    FieldMatch,
    Match,
    SearchResult,
    Segment,
)
from .pinyin import PinyinWord, Readings, word_pairs
from .query import Query, parse_query
from .rank import Ranking
from .state import IndexData
from .typo import likely_first, one_edit_variants, typo_allowed
from .words import MAX_WORD, MAX_WORDS, Word, field_spans, gap_regex

MAX_TYPO_PINYIN = 8  # pinyin variants of a mistyped word tried (each costs a regex)
MAX_TYPO_PINYIN_WORD = 10  # longer words are not tried as mistyped pinyin


def build_data(dataset: Dataset, readings: Readings) -> IndexData:
    """Index every text field of every record (:class:`IndexData`)."""
    pairs, spoken = word_pairs(readings)
    title = GroupBuilder(py_is_wide=True)
    other = GroupBuilder()
    exact: dict[str, list[int]] = {}
    titles: list[tuple[str, int]] = []
    kind_ids: defaultdict[Kind, list[int]] = defaultdict(list)
    with gc_paused():  # millions of acyclic objects: collections would find nothing
        for rid, record in enumerate(dataset.records):
            kind_ids[record.kind].append(rid)
            title_texts: list[str] = []
            other_texts: list[str] = []
            title_py: list[str] = []
            other_py: list[str] = []
            for name, text in record.text_fields():
                norm = normalize(text)
                wide = has_wide(norm)
                if in_title(name):
                    title_texts.append(norm)
                    if wide:
                        title_py.append(norm)
                    if norm:
                        exact.setdefault(norm, []).append(rid)
                        titles.append((norm, rid))
                else:
                    other_texts.append(norm)
                    if wide and field_base(name) in PINYIN_FIELDS:
                        other_py.append(norm)
            title.add(rid, title_texts, title_py)
            other.add(rid, other_texts, other_py)
        titles.sort()
        return IndexData(
            readings=readings,
            title=title.finish(),
            other=other.finish(),
            exact=exact,
            title_keys=[key for key, _ in titles],
            title_ids=[rid for _, rid in titles],
            kind_masks={kind: bitmap(kind_ids.get(kind, ())) for kind in KINDS},
            pairs=pairs,
            spoken=spoken,
        )


class SearchIndex(Ranking):
    """Ranked AND-search over every text field of every record."""

    def __init__(self, dataset: Dataset, data: IndexData) -> None:
        super().__init__(dataset, data.readings, data.kind_masks, data.pairs, data.spoken)
        self.data = data
        self._title = Group(data.title)
        self._other = Group(data.other)
        self._exact = data.exact
        self._title_keys = data.title_keys
        self._title_ids = data.title_ids

    # -- queries ---------------------------------------------------------------

    def _all_known(self, word: str) -> bool:
        return all(
            char in self._title.wide or char in self._other.wide for char in word if char >= WIDE
        )

    def _make_word(self, text: str, field: str | None = None, phrase: bool = False) -> Word:
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
        gap = None if phrase else gap_regex(forms[-1])
        return Word(tuple(forms), pinyin, field, phrase, gap)

    def _find(self, group: Group, word: Word, within: int) -> int:
        found = 0
        for form in word.forms:
            found |= group.find(form, within)
        if word.pinyin is not None:
            found |= group.find_pinyin(word.pinyin, within & ~found, self._pairs)
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

    def _word_hits(self, word: Word, within: int) -> tuple[int, int]:
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

    def _gapped(self, word: Word, within: int) -> int:
        """Records with a name that holds a Chinese word's characters in order with
        small gaps (:func:`gap_regex`)."""
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
        return bitmap(
            rid
            for rid in members(candidates)
            if head in hay[rid] and tail in hay[rid] and search(hay[rid]) is not None
        )

    def _typo_hits(self, word: Word, within: int) -> tuple[int, int]:
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
                found |= bitmap(rare)
        found &= within
        in_names = 0
        for variant in hits:
            in_names |= self._title.find(variant, found)
        patterns: list[PinyinWord] = []
        syllables = self._syllables
        tried = 0
        for variant in likely_first(text, variants) if len(text) <= MAX_TYPO_PINYIN_WORD else ():
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

    def _sorted_tokens(self, group: Group) -> list[str]:
        tokens = self._token_lists.get(id(group))
        if tokens is None:
            tokens = sorted(group.vocab)
            self._token_lists[id(group)] = tokens
        return tokens

    @functools.cached_property
    def _syllables(self) -> re.Pattern[str]:
        """Strings of whole syllables of the dataset's readings: a typo variant must
        be one to be tried as pinyin (a cut-short last syllable would let
        ``kongjia`` find 空间)."""
        full = sorted(self._pinyin.full, key=len, reverse=True)
        body = "|".join(full) if full else "(?!)"
        return re.compile(f"(?:{body})+")

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


    def _spans(self, record: Record, words: list[Word]) -> tuple[FieldMatch, ...]:
        return field_spans(record, words, self._pairs)

    def closest_titles(self, query: str, n: int = 5) -> list[Record]:
        """Titles nearest to a query that found nothing (:mod:`.suggest`)."""
        from .suggest import closest_titles

        return closest_titles(self, query, n)
