"""The article's text and its facts, linked both ways.  No Textual, no Rich.

* **Quote → span.**  Each quote of each record is found in the paragraphs by the
  loader's verbatim rule (:func:`bishan_tui.model.strip_whitespace` removed from both
  sides; a quote lies inside one paragraph).  It is placed at its *first* occurrence in
  reading order — the one the loader's check finds — and mapped back to indices of the
  paragraph's printed text (whitespace inside the quoted run is part of the span).
* **Span → records.**  A :class:`QuotedSpan` is one distinct (paragraph, start, end);
  its ``record_ids`` are exactly the records with a quote placed there, in file order.
  Two records quoting the same words share one span; quotes that merely overlap make
  two spans (both highlighted).
* **Sentences and coverage.**  A paragraph is cut after 。！？!? (and the closing
  quotation marks or brackets right after them).  A sentence is *quoted* when some
  quoted span overlaps one of its non-space characters; :func:`coverage` lists the others.
* **Search hits in the text.**  For a query, a hit is (1) in every paragraph that
  holds *all* the query's words, each place a word occurs, after the search's own
  normalisation (:func:`bishan_tui.textnorm.normalize`, NFKC + casefold, and OpenCC
  traditional → simplified for a word with Chinese characters), and (2) the quoted
  spans of every record the search matched whose quotes hold none of those word hits
  (so pinyin, initials and the records' English reach the sentences their facts come
  from, while a Chinese query shows its own words, not whole quoted sentences).
  Pinyin is not matched in running text, as the search does not match it in summaries
  and quotes (initials match by chance there).  Overlapping hits are merged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Dataset, Paragraph, Record, strip_whitespace
from .textnorm import (
    has_wide,
    merge_spans,
    normalize,
    normalize_map,
    normalize_query,
    original_span,
    to_simplified,
)
from .textsafe import one_line, visible

# A sentence ends after one of these, plus any closing marks right after them.
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)\]]*|$)")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """One run of a paragraph's text that records quote: [start, end) of its text."""

    paragraph: int  # index in Dataset.paragraphs
    start: int
    end: int
    record_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A search hit inside a paragraph: [start, end) of its text."""

    paragraph: int
    start: int
    end: int


def _kept(text: str) -> list[int]:
    """Indices of the characters :func:`strip_whitespace` keeps (the same rule:
    ``str.split()`` splits at exactly the characters ``str.isspace()`` is true for)."""
    return [i for i, char in enumerate(text) if not char.isspace()]


def sentences_of(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of a paragraph, leading spaces left out."""
    out: list[tuple[int, int]] = []
    for found in _SENTENCE.finditer(text):
        start, end = found.span()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            out.append((start, end))
    return out


class ArticleMap:
    """The paragraphs of a dataset with every record's quotes placed in them."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.paragraphs: tuple[Paragraph, ...] = dataset.paragraphs
        stripped = [strip_whitespace(p.text) for p in self.paragraphs]
        # one text, as the loader joins it: a quote cannot straddle the "\n"
        self._joined = "\n".join(stripped)
        self._starts: list[int] = []
        position = 0
        for text in stripped:
            self._starts.append(position)
            position += len(text) + 1
        self._kept: dict[int, list[int]] = {}
        self._norm: list[str] | None = None
        self._norm_starts: list[int] = []
        self._norm_blob = ""

        placed: dict[tuple[int, int, int], list[str]] = {}
        self.by_record: dict[str, list[tuple[int, int, int]]] = {}
        self.unplaced: list[tuple[str, int]] = []  # (record id, quote index) not found
        if self.paragraphs:
            for record in dataset.records:
                where_all: list[tuple[int, int, int]] = []
                for number, quote in enumerate(record.quotes):
                    where = self.locate(quote)
                    if where is None:
                        self.unplaced.append((record.id, number))
                        continue
                    ids = placed.setdefault(where, [])
                    if record.id not in ids:
                        ids.append(record.id)
                    if where not in where_all:
                        where_all.append(where)
                self.by_record[record.id] = where_all
        self.spans: tuple[QuotedSpan, ...] = tuple(
            QuotedSpan(p, s, e, tuple(ids)) for (p, s, e), ids in sorted(placed.items())
        )
        self._span_at: dict[tuple[int, int, int], int] = {
            (span.paragraph, span.start, span.end): n for n, span in enumerate(self.spans)
        }
        self.spans_in: dict[int, list[int]] = {}
        for n, span in enumerate(self.spans):
            self.spans_in.setdefault(span.paragraph, []).append(n)

    # -- quotes -----------------------------------------------------------------

    def locate(self, quote: str) -> tuple[int, int, int] | None:
        """(paragraph, start, end) of a quote's first occurrence, in the printed text."""
        needle = strip_whitespace(quote)
        if not needle:
            return None
        at = self._joined.find(needle)
        if at < 0:
            return None
        paragraph = bisect_right(self._starts, at) - 1
        offset = at - self._starts[paragraph]
        kept = self._kept.get(paragraph)
        if kept is None:
            kept = self._kept[paragraph] = _kept(self.paragraphs[paragraph].text)
        return paragraph, kept[offset], kept[offset + len(needle) - 1] + 1

    def record_spans(self, record_id: str) -> list[int]:
        """Indices in :attr:`spans` of a record's quotes, in the order of its quotes."""
        return [self._span_at[where] for where in self.by_record.get(record_id, ())]

    def records_of(self, span: int) -> list[Record]:
        records = (self.dataset.by_id(rid) for rid in self.spans[span].record_ids)
        return [record for record in records if record is not None]

    # -- sentences --------------------------------------------------------------

    def sentences(self, paragraph: int) -> list[Sentence]:
        text = self.paragraphs[paragraph].text
        return [Sentence(paragraph, s, e, text[s:e]) for s, e in sentences_of(text)]

    def is_quoted(self, paragraph: int, start: int, end: int) -> bool:
        """Whether a quoted span overlaps a non-space character of text[start:end]."""
        text = self.paragraphs[paragraph].text
        for n in self.spans_in.get(paragraph, ()):
            span = self.spans[n]
            lo, hi = max(start, span.start), min(end, span.end)
            if lo < hi and not text[lo:hi].isspace():
                return True
        return False

    def coverage(self) -> list[Sentence]:
        """Every sentence of the article that no record quotes, in reading order."""
        out: list[Sentence] = []
        for paragraph in range(len(self.paragraphs)):
            for sentence in self.sentences(paragraph):
                if not self.is_quoted(paragraph, sentence.start, sentence.end):
                    out.append(sentence)
        return out

    # -- search -----------------------------------------------------------------

    def _normalised(self) -> tuple[list[str], list[int], str]:
        if self._norm is None:
            norm = [normalize(p.text) for p in self.paragraphs]
            starts: list[int] = []
            position = 0
            for text in norm:
                starts.append(position)
                position += len(text) + 1
            self._norm_starts = starts
            self._norm_blob = "\n".join(norm)
            self._norm = norm
        return self._norm, self._norm_starts, self._norm_blob

    def text_hits(self, query: str) -> list[Hit]:
        """Where the query's words occur in paragraphs that hold all of them."""
        words: list[tuple[str, ...]] = []
        for word in normalize_query(query).split()[:32]:
            variants = [word]
            if has_wide(word):
                simplified = normalize(to_simplified(word))
                if simplified and simplified not in variants:
                    variants.append(simplified)
            words.append(tuple(variants))
        if not words or not self.paragraphs:
            return []
        _norm, starts, blob = self._normalised()
        found: dict[int, list[list[tuple[int, int]]]] = {}
        for number, forms in enumerate(words):
            for form in forms:
                at = blob.find(form)
                while at >= 0:
                    paragraph = bisect_right(starts, at) - 1
                    slots = found.setdefault(paragraph, [[] for _ in words])
                    offset = at - starts[paragraph]
                    slots[number].append((offset, offset + len(form)))
                    at = blob.find(form, at + max(1, len(form)))
        hits: list[Hit] = []
        for paragraph in sorted(found):
            slots = found[paragraph]
            if not all(slots):
                continue
            text = self.paragraphs[paragraph].text
            _, offsets = normalize_map(text)
            spans = sorted(
                original_span(offsets, s, e, len(text)) for slot in slots for s, e in slot
            )
            hits.extend(Hit(paragraph, s, e) for s, e in merge_spans(spans))
        return hits

    def hits(self, query: str, records: Iterable[Record] = ()) -> list[Hit]:
        """Search hits in the article, merged, in reading order: the query's words in
        the text, and the quoted spans of each matched record that was *not* found by
        words in its own quoted text (found by its title, English, pinyin …): a record
        whose quotes hold the words shows as those words, not as its whole quote."""
        if not self.paragraphs:
            return []
        by_paragraph: dict[int, list[tuple[int, int]]] = {}
        for hit in self.text_hits(query) if query.strip() else ():
            by_paragraph.setdefault(hit.paragraph, []).append((hit.start, hit.end))
        direct = {paragraph: list(spans) for paragraph, spans in by_paragraph.items()}
        for record in records:
            where = self.by_record.get(record.id, ())
            if any(
                start <= lo and hi <= end
                for paragraph, start, end in where
                for lo, hi in direct.get(paragraph, ())
            ):
                continue  # its words are highlighted where they are
            for paragraph, start, end in where:
                by_paragraph.setdefault(paragraph, []).append((start, end))
        out: list[Hit] = []
        for paragraph in sorted(by_paragraph):
            out.extend(Hit(paragraph, s, e) for s, e in merge_spans(by_paragraph[paragraph]))
        return out


# -- printing (the CLI) ---------------------------------------------------------

PLAIN_OPEN, PLAIN_CLOSE = "「", "」"


def marked_runs(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A text cut into (run, inside a span?) runs; overlapping spans are merged."""
    out: list[tuple[str, bool]] = []
    position = 0
    for start, end in merge_spans(spans):
        if start > position:
            out.append((text[position:start], False))
        out.append((text[max(start, position) : end], True))
        position = max(position, end)
    if position < len(text):
        out.append((text[position:], False))
    return [(run, inside) for run, inside in out if run]


def paragraph_spans(article: ArticleMap, paragraph: int) -> list[tuple[int, int]]:
    """Every quoted span of a paragraph, as (start, end)."""
    spans = article.spans
    return [(spans[n].start, spans[n].end) for n in article.spans_in.get(paragraph, ())]


def context_of(article: ArticleMap, record_id: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """The paragraphs a record's quotes come from, each with the record's own spans."""
    out: dict[int, list[tuple[int, int]]] = {}
    for paragraph, start, end in article.by_record.get(record_id, ()):
        out.setdefault(paragraph, []).append((start, end))
    return sorted(out.items())


def article_blocks(article: ArticleMap) -> Iterable[tuple[str, int]]:
    """The article in reading order: ("section", index in dataset.sections) where a new
    section starts, ("paragraph", paragraph index) for each paragraph."""
    section_index = {section.id: n for n, section in enumerate(article.dataset.sections)}
    current = None
    for number, paragraph in enumerate(article.paragraphs):
        if paragraph.section != current:
            current = paragraph.section
            yield "section", section_index.get(current, -1)
        yield "paragraph", number


def plain_marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """One paragraph as one safe line, spans between 「 and 」."""
    return "".join(
        (PLAIN_OPEN + visible(run, keep_newlines=False) + PLAIN_CLOSE)
        if inside
        else visible(run, keep_newlines=False)
        for run, inside in marked_runs(text, spans)
    )


def markdown_marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """One paragraph as Markdown, spans in bold; nothing in it renders as HTML or a link."""
    from .formats import md_cell  # json and csv with it: not on the app's start-up path

    parts: list[str] = []
    for run, inside in marked_runs(text, spans):
        cell = md_cell(run)
        if inside and cell:
            cell = f"**{cell}**"
        lead = " " if run[:1].isspace() and parts else ""
        trail = " " if run[-1:].isspace() else ""
        parts.append(lead + cell + trail)
    return "".join(parts).strip()


def _section_line(article: ArticleMap, index: int) -> tuple[str, str]:
    if index < 0:
        return "", ""
    section = article.dataset.sections[index]
    return section.title, section.title_en


def article_plain(article: ArticleMap) -> str:
    """The whole article as plain text: a line per section (its Chinese and English
    titles after §), a paragraph per line with its id, quoted spans in 「」."""
    lines: list[str] = []
    for what, n in article_blocks(article):
        if what == "section":
            zh, en = _section_line(article, n)
            lines += ["", one_line(f"§ {zh} / {en}"), ""]
        else:
            paragraph = article.paragraphs[n]
            text = plain_marked(paragraph.text, paragraph_spans(article, n))
            lines.append(f"{one_line(paragraph.id)}\t{text}")
    return "\n".join(lines).lstrip("\n") + "\n"


def article_markdown(article: ArticleMap) -> str:
    """The whole article as Markdown: a heading per section, quoted spans in bold."""
    from .formats import md_cell

    source = article.dataset.source
    lines = [f"# {md_cell(source.title)}", "", f"*{md_cell(source.title_en)}*", ""]
    for what, n in article_blocks(article):
        if what == "section":
            zh, en = _section_line(article, n)
            lines += [f"## {md_cell(zh)} / {md_cell(en)}", ""]
        else:
            paragraph = article.paragraphs[n]
            text = markdown_marked(paragraph.text, paragraph_spans(article, n))
            lines += [f"{text} <sub>{md_cell(paragraph.id)}</sub>", ""]
    return "\n".join(lines)


def coverage_lines(article: ArticleMap) -> tuple[list[str], int]:
    """``paragraph-id<TAB>sentence`` for each unquoted sentence, and the number of
    sentences in the article."""
    total = sum(len(article.sentences(n)) for n in range(len(article.paragraphs)))
    lines = [
        f"{one_line(article.paragraphs[s.paragraph].id)}\t{one_line(s.text)}"
        for s in article.coverage()
    ]
    return lines, total


NO_TEXT = "carries no text of the article (no [[paragraphs]]), so it cannot be shown"
