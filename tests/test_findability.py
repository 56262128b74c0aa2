"""The search issue's test of done: over SSH, with no Chinese input method, every
fact of the article is found with a short English or pinyin query in the first five
results."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin

from bishan_tui.loader import load_dataset
from bishan_tui.model import Record
from bishan_tui.search import SearchIndex, build_index

STOP = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with", "its"}
DATASET = load_dataset()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    cache: Path = tmp_path_factory.mktemp("cache")
    return build_index(DATASET, cache_dir=cache, persist=False)


def top_ids(index: SearchIndex, query: str) -> list[str]:
    return [match.record.id for match in index.search(query, limit=5)]


def english_words(record: Record) -> list[str]:
    words = re.findall(r"[a-z0-9][a-z0-9.+'-]*", record.title_en.lower())
    return [w for w in dict.fromkeys(words) if w not in STOP]


@pytest.mark.parametrize("record", DATASET.records, ids=lambda r: r.id)
def test_found_in_top_five_by_at_most_three_english_words(
    index: SearchIndex, record: Record
) -> None:
    words = english_words(record)
    for size in (1, 2, 3):
        for combo in itertools.combinations(words, size):
            if record.id in top_ids(index, " ".join(combo)):
                return
    pytest.fail(f"no query of 1-3 words of {record.title_en!r} finds {record.id} in the top 5")


def typed_words(title: str) -> list[str]:
    """The title as a reader without a Chinese input method types it: each run of
    Chinese characters in pinyin (its first eight characters), Latin and digits as
    printed, punctuation left out."""
    words: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9.]+", title):
        if run.isascii():
            words.append(run.lower().strip("."))
        else:
            words.append("".join(lazy_pinyin(run[:8])))
    return [word for word in words if word]


@pytest.mark.parametrize("record", DATASET.records, ids=lambda r: r.id)
def test_found_in_top_five_by_the_pinyin_of_its_title(index: SearchIndex, record: Record) -> None:
    words = typed_words(record.title)
    tried = []
    for count in range(1, len(words) + 1):
        query = " ".join(words[:count])
        tried.append(query)
        if record.id in top_ids(index, query):
            return
    pytest.fail(f"{record.id} not in the top 5 for any of {tried}")


def test_pinyin_runs_across_punctuation(index: SearchIndex) -> None:
    assert top_ids(index, "xibuchongqingkexuecheng")[0] == "western-science-city"
