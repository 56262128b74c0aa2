"""The article and its facts, linked both ways (issue 13): checked against counts made
here by other means (a regex per quote, a sentence cutter of its own)."""

from __future__ import annotations

import re

import pytest

from bishan_tui.article import (
    ArticleMap,
    article_markdown,
    article_plain,
    marked_runs,
    sentences_of,
)
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, Paragraph, Section, Source, strip_whitespace
from bishan_tui.search import build_index


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def article(dataset: Dataset) -> ArticleMap:
    return ArticleMap(dataset)


def _independent_place(dataset: Dataset, quote: str) -> tuple[int, int, int] | None:
    """First place of a quote, paragraph by paragraph, with whitespace allowed between
    any two of its characters (a regex: not the loader's join-and-find)."""
    chars = [c for c in quote if not c.isspace()]
    pattern = re.compile(r"\s*".join(re.escape(c) for c in chars))
    for n, paragraph in enumerate(dataset.paragraphs):
        found = pattern.search(paragraph.text)
        if found:
            return n, found.start(), found.end()
    return None


def test_every_quote_is_placed_where_an_independent_search_finds_it(
    dataset: Dataset, article: ArticleMap
) -> None:
    assert dataset.paragraphs and not article.unplaced
    for record in dataset.records:
        spans = article.record_spans(record.id)
        assert spans, record.id
        for quote in record.quotes:
            where = _independent_place(dataset, quote)
            assert where is not None
            n = article._span_at[where]
            assert n in spans
            span = article.spans[n]
            text = dataset.paragraphs[span.paragraph].text[span.start : span.end]
            assert strip_whitespace(text) == strip_whitespace(quote)
            assert record.id in span.record_ids


def test_every_span_maps_back_to_exactly_the_records_quoting_it(
    dataset: Dataset, article: ArticleMap
) -> None:
    expected: dict[tuple[int, int, int], set[str]] = {}
    for record in dataset.records:
        for quote in record.quotes:
            where = _independent_place(dataset, quote)
            assert where is not None
            expected.setdefault(where, set()).add(record.id)
    got = {(s.paragraph, s.start, s.end): set(s.record_ids) for s in article.spans}
    assert got == expected
    assert any(len(ids) > 1 for ids in got.values())  # shared spans exist: Enter offers a choice
    for n, span in enumerate(article.spans):
        assert [r.id for r in article.records_of(n)] == list(span.record_ids)


def test_a_quote_with_spaces_in_the_printed_text_spans_them(article: ArticleMap) -> None:
    where = article.locate("汇集行业专家300余人")
    assert where is not None
    paragraph, start, end = where
    assert article.paragraphs[paragraph].text[start:end] == "汇集行业专家 300余人"


def _independent_sentences(text: str) -> list[str]:
    out: list[str] = []
    current = ""
    i = 0
    while i < len(text):
        current += text[i]
        if text[i] in "。！？!?":
            while i + 1 < len(text) and text[i + 1] in "。！？!?”’」』）)]":
                i += 1
                current += text[i]
            out.append(current)
            current = ""
        i += 1
    if current.strip():
        out.append(current)
    return [s.lstrip() for s in out if s.strip()]


def test_coverage_matches_an_independent_count(dataset: Dataset, article: ArticleMap) -> None:
    expected: list[tuple[str, str]] = []
    for n, paragraph in enumerate(dataset.paragraphs):
        covered = [False] * len(paragraph.text)
        for record in dataset.records:
            for quote in record.quotes:
                where = _independent_place(dataset, quote)
                if where and where[0] == n:
                    for i in range(where[1], where[2]):
                        covered[i] = True
        position = 0
        for sentence in _independent_sentences(paragraph.text):
            start = paragraph.text.index(sentence, position)
            position = start + len(sentence)
            if not any(
                covered[i] and not paragraph.text[i].isspace() for i in range(start, position)
            ):
                expected.append((paragraph.id, sentence))
    got = [(dataset.paragraphs[s.paragraph].id, s.text) for s in article.coverage()]
    assert got == expected
    assert 0 < len(got) < sum(len(_independent_sentences(p.text)) for p in dataset.paragraphs)


def test_sentences_end_after_closing_quotes() -> None:
    text = "“走出高校，落户璧山。”重庆鼎旺科技说。未完"
    assert [text[s:e] for s, e in sentences_of(text)] == [
        "“走出高校，落户璧山。”",
        "重庆鼎旺科技说。",
        "未完",
    ]


def test_hits_cover_pinyin_english_and_traditional(dataset: Dataset, article: ArticleMap) -> None:
    index = build_index(dataset)
    for query in ("kangjia", "Konka"):  # through the records the search matches
        result = index.search_result(query)
        records = [index.records[rid] for rid in result.record_ids()]
        assert records
        hits = article.hits(query, records)
        for record in records:
            for paragraph, start, end in article.by_record[record.id]:
                assert any(
                    h.paragraph == paragraph and h.start <= start and end <= h.end for h in hits
                ), (query, record.id)
    # a Chinese query shows its words, not the whole quotes of the records it finds
    result = index.search_result("康佳光电")
    records = [index.records[rid] for rid in result.record_ids()]
    for hit in article.hits("康佳光电", records):
        text = article.paragraphs[hit.paragraph].text[hit.start : hit.end]
        if "康佳光电" not in text:  # a record found by its title/summary, not its quotes
            owners = [
                r for r in records if (hit.paragraph, hit.start, hit.end) in article.by_record[r.id]
            ]
            assert owners and all(
                all("康佳光电" not in strip_whitespace(q) for q in r.quotes) for r in owners
            ), text
        else:
            assert text == "康佳光电"
    traditional = article.hits("康佳光電", [])  # the text itself, t2s as the search does
    assert traditional
    for hit in traditional:
        assert article.paragraphs[hit.paragraph].text[hit.start : hit.end] == "康佳光电"
    both = article.text_hits("璧山 康佳")  # AND: only paragraphs holding both words
    assert both and all("康佳" in article.paragraphs[h.paragraph].text for h in both)
    assert article.hits("  ", []) == []


def test_a_dataset_without_paragraphs_has_no_spans(small_dataset: Dataset) -> None:
    article = ArticleMap(small_dataset)
    assert article.spans == () and article.coverage() == []
    assert article.hits("璧山", list(small_dataset.records)) == []


def test_marked_runs_and_printing_keep_the_text() -> None:
    assert marked_runs("abcdef", [(1, 3), (2, 4)]) == [("a", False), ("bcd", True), ("ef", False)]
    paragraph = Paragraph("p-1", "s", "前文[/x]\x1b[31m 引文。后文")
    dataset = Dataset(
        source=Source(title="题", title_en="Title"),
        sections=(Section("s", "节", "Section"),),
        records=(),
        paragraphs=(paragraph,),
    )
    article = ArticleMap(dataset)
    plain = article_plain(article)
    assert "\x1b" not in plain and "␛" in plain
    markdown = article_markdown(article)
    assert "\x1b" not in markdown and "## 节 / Section" in markdown
