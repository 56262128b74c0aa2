"""The search issue's cases: the entity the query names comes first; short names with
gaps; pinyin on word starts; one-edit typos; every unique title ranks first."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypinyin import lazy_pinyin
from pypinyin.seg.mmseg import seg

from bishan_tui.loader import load_dataset
from bishan_tui.model import Record
from bishan_tui.search import (
    TIER_OTHER,
    TIER_TITLE_GAPPED,
    TIER_TYPO,
    Match,
    SearchIndex,
    build_index,
)
from bishan_tui.textnorm import normalize

DATASET = load_dataset()
INSTITUTE = "kangjia-optoelectronics-institute"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    cache: Path = tmp_path_factory.mktemp("cache")
    return build_index(DATASET, cache_dir=cache, persist=False)


def ids(matches: list[Match]) -> list[str]:
    return [m.record.id for m in matches]


def names(record: Record) -> list[str]:
    return [record.title, record.title_en, *record.aliases, *record.aliases_en]


def typed_pinyin(title: str) -> str:
    """A title as typed without a Chinese input method: each run of Chinese in pinyin,
    Latin and digits as printed; a run longer than 12 characters is typed in pieces
    of words (pypinyin's own word cut) of at most 6 characters."""
    words: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9.+]+", title):
        if run.isascii():
            words.append(run.lower())
        elif len(run) <= 12:
            words.append("".join(lazy_pinyin(run)))
        else:
            piece = ""
            for part in seg.cut(run):
                if piece and len(piece) + len(part) > 6:
                    words.append("".join(lazy_pinyin(piece)))
                    piece = ""
                piece += part
            words.append("".join(lazy_pinyin(piece)))
    return " ".join(words)


def _unique(key: dict[str, str]) -> list[Record]:
    counts = Counter(key.values())
    return [r for r in DATASET.records if key[r.id] and counts[key[r.id]] == 1]


def _by_name(records: list[Record]) -> set[str]:
    """Names (normalised) that more than one record carries, as a title or alias."""
    counts = Counter(normalize(n) for r in records for n in set(names(r)) if n)
    return {name for name, count in counts.items() if count > 1}


SHARED = _by_name(list(DATASET.records))
UNIQUE_ZH = [r for r in _unique({r.id: normalize(r.title) for r in DATASET.records})
             if normalize(r.title) not in SHARED]
UNIQUE_EN = [r for r in _unique({r.id: normalize(r.title_en) for r in DATASET.records})
             if normalize(r.title_en) not in SHARED]
UNIQUE_PY = [r for r in _unique({r.id: typed_pinyin(r.title) for r in DATASET.records})
             if normalize(r.title) not in SHARED]


def test_most_titles_are_unique() -> None:
    # the rank-1 tests below cover (nearly) every record, not a convenient few
    assert len(UNIQUE_ZH) >= len(DATASET.records) - 4
    assert len(UNIQUE_EN) >= len(DATASET.records) - 4
    assert len(UNIQUE_PY) >= len(DATASET.records) - 6


@pytest.mark.parametrize("record", UNIQUE_ZH, ids=lambda r: r.id)
def test_unique_chinese_title_ranks_first(index: SearchIndex, record: Record) -> None:
    assert ids(index.search(record.title, limit=1)) == [record.id]


@pytest.mark.parametrize("record", UNIQUE_EN, ids=lambda r: r.id)
def test_unique_english_title_ranks_first(index: SearchIndex, record: Record) -> None:
    assert ids(index.search(record.title_en, limit=1)) == [record.id]


@pytest.mark.parametrize("record", UNIQUE_PY, ids=lambda r: r.id)
def test_unique_title_in_pinyin_ranks_first(index: SearchIndex, record: Record) -> None:
    query = typed_pinyin(record.title)
    assert ids(index.search(query, limit=1)) == [record.id], query


ENTITIES = [r for r in DATASET.records if r.kind in ("platform", "project")]


@pytest.mark.parametrize("record", ENTITIES, ids=lambda r: r.id)
def test_entity_above_the_records_about_it(index: SearchIndex, record: Record) -> None:
    """A platform or project ranks above every record that links to it (its figures,
    people, events) for each of its own names."""
    about = {r.id for r in DATASET.records if record.id in r.related and r.kind != record.kind}
    for name in {record.title, record.title_en, *record.aliases, *record.aliases_en}:
        found = ids(index.search(name))
        assert record.id in found, name
        mine = found.index(record.id)
        for other in about & set(found):
            assert mine < found.index(other), (name, other)


# -- the cases of the issue -----------------------------------------------------------


@pytest.mark.parametrize("query", ["kangjia", "康佳", "kang jia", "kangj", "Kangjia"])
def test_kangjia_opens_the_institute(index: SearchIndex, query: str) -> None:
    assert ids(index.search(query, limit=1)) == [INSTITUTE]


def test_kj_initials_find_the_institute(index: SearchIndex) -> None:
    found = ids(index.search("kj"))
    assert INSTITUTE in found
    assert INSTITUTE in ids(index.search("kjgd", limit=1))


@pytest.mark.parametrize(
    ("query", "record_id", "piece"),
    [("西部科学城", "western-science-city", "西部"), ("康佳研究院", INSTITUTE, "研究院")],
)
def test_short_names_with_gaps(
    index: SearchIndex, query: str, record_id: str, piece: str
) -> None:
    found = index.search(query)
    match = next(m for m in found if m.record.id == record_id)
    assert match.tier == TIER_TITLE_GAPPED
    shown = [match.record.title[a:b] for a, b in match.spans("title")]
    assert piece in "".join(shown) and "（" not in "".join(shown)
    # gapped matches in names come after every contiguous match in a name, and before
    # the records that only mention the words elsewhere
    tiers = [m.tier for m in found]
    first_gapped = tiers.index(TIER_TITLE_GAPPED)
    assert all(t < TIER_TITLE_GAPPED for t in tiers[:first_gapped])
    assert all(t in (TIER_TITLE_GAPPED, TIER_OTHER) for t in tiers[first_gapped:])
    assert tiers == sorted(tiers)
    contiguous = [m for m in found if m.tier != TIER_TITLE_GAPPED]
    for m in contiguous:
        assert any(query in normalize(text) for _, text in m.record.text_fields())


def test_gap_is_bounded(tmp_path: Path) -> None:
    from dataclasses import replace

    from bishan_tui.model import Dataset

    base = DATASET.records[0]
    titles = {
        "near": "康佳光电技术研究院",  # gap of 4
        "far": "康佳甲乙丙丁戊己研究院",  # gap of 6: too far
        "three": "康佳甲研甲究院",  # would need three gaps
        "split": "康甲佳研究院",  # a piece of one character
    }
    records = tuple(
        replace(base, id=key, title=title, title_en=key, aliases=(), aliases_en=(), tags=(),
                summary="", summary_en="", quotes=("x",), related=())
        for key, title in titles.items()
    )
    small = Dataset(DATASET.source, DATASET.sections, records)
    idx = build_index(small, cache_dir=tmp_path, persist=False)
    assert ids(idx.search("康佳研究院")) == ["near"]
    # three-character words never match with a gap (too much noise)
    assert idx.search("康研院") == []


def test_gapped_below_contiguous_for_the_same_name(tmp_path: Path) -> None:
    from dataclasses import replace

    from bishan_tui.model import Dataset

    base = DATASET.records[0]
    fields: dict[str, Any] = {"aliases": (), "aliases_en": (), "tags": (), "summary_en": "",
                              "quotes": ("x",), "related": ()}
    records = (
        replace(base, id="gapped", title="康佳光电技术研究院", title_en="a", summary="",
                **fields),
        replace(base, id="mention", title="其他平台", title_en="b",
                summary="康佳研究院汇集专家", **fields),
    )
    idx = build_index(
        Dataset(DATASET.source, DATASET.sections, records), cache_dir=tmp_path, persist=False
    )
    found = idx.search("康佳研究院")
    assert ids(found) == ["gapped", "mention"]  # the entity named, then a mention
    assert [m.tier for m in found] == [TIER_TITLE_GAPPED, TIER_OTHER]


def test_huawei_no_longer_matches_zhuanhuawei(index: SearchIndex) -> None:
    assert "municipal-strategy-into-action" not in ids(index.search("huawei"))
    assert "municipal-strategy-into-action" not in ids(index.search("hw"))
    # the same words still match where they start a word
    assert "municipal-strategy-into-action" in ids(index.search("zhuanhua"))
    assert "municipal-strategy-into-action" in ids(index.search("zhanlue"))


def test_kang_jia_does_not_rank_da_jiankang_among_kangjia(index: SearchIndex) -> None:
    found = ids(index.search("kang jia"))
    kangjia = [r.id for r in DATASET.records if "康佳" in r.title]
    if "key-sectors" in found:
        assert found.index("key-sectors") > max(found.index(k) for k in kangjia)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("kangjai", INSTITUTE), ("patnet", "kangjia-patent-proposals"), ("instiute", INSTITUTE)],
)
def test_one_typo_in_a_long_latin_word(index: SearchIndex, query: str, expected: str) -> None:
    found = index.search(query)
    assert expected in ids(found)
    assert all(m.tier == TIER_TYPO for m in found)
    match = next(m for m in found if m.record.id == expected)
    assert match.fields  # the variant is highlighted


def test_typo_matches_rank_below_exact_ones(index: SearchIndex) -> None:
    found = index.search("康佳 patnet")
    assert "kangjia-patent-proposals" in ids(found)
    found = index.search("kangjai 康佳")
    assert found and all(m.tier == TIER_TYPO for m in found)
    mixed = index.search("patnet")
    exact = index.search("patent")
    assert set(ids(mixed)) <= set(ids(exact)) | {m.record.id for m in mixed}


@pytest.mark.parametrize("query", ["kangj", "pate", "kanjia"[:4], "xyzab"])
def test_no_typo_for_short_words_or_words_that_match(index: SearchIndex, query: str) -> None:
    assert all(m.tier != TIER_TYPO for m in index.search(query))


def test_two_typos_are_not_one(index: SearchIndex) -> None:
    assert "kangjia-patent-proposals" in ids(index.search("patnet"))
    assert "kangjia-patent-proposals" not in ids(index.search("ptanet"))


def test_suggestions_by_the_typo_measure(index: SearchIndex) -> None:
    near = index.closest_titles("kangjiaa institutt", 3)
    assert near and "康佳" in near[0].title
    assert index.closest_titles("qqqqzzzz") == []
    result = index.search_result("Konka institutx zzzz")
    assert result.total == 0
    near = result.suggestions(3)
    assert near and "康佳" in near[0].title
    # the complaint of the issue: kangjai suggested 聚人才 and 力合清创
    near = index.closest_titles("kangjai xyzzy", 3)
    assert near and all("康佳" in r.title for r in near)


def test_saved_index_keeps_word_starts_and_readings(tmp_path: Path) -> None:
    fresh = build_index(DATASET, cache_dir=tmp_path, persist=False)
    build_index(DATASET, cache_dir=tmp_path, persist=True)
    loaded = build_index(DATASET, cache_dir=tmp_path, persist=True)  # from the file
    assert loaded is not fresh
    assert loaded.readings == fresh.readings
    for query in ("huawei", "kangjia", "西部科学城", "kangjai", "康佳研究院", "kind:figure 康佳"):
        assert ids(loaded.search(query)) == ids(fresh.search(query)), query


def test_suggestions_on_a_large_dataset(tmp_path: Path) -> None:
    """Past 5,000 records only a few hundred are compared: still the near ones."""
    from dataclasses import replace

    from bishan_tui.model import Dataset

    copies = 5001 // len(DATASET.records) + 1
    records = tuple(
        replace(record, id=f"{record.id}-{copy}", related=())
        for copy in range(copies)
        for record in DATASET.records
    )
    big = Dataset(DATASET.source, DATASET.sections, records)
    idx = build_index(big, cache_dir=tmp_path, persist=False)
    near = idx.closest_titles("kangjai xyzzy", 3)
    assert near and all("康佳" in r.title for r in near)
    near = idx.closest_titles("康佳光点研究院 zzz", 3)
    assert near and "康佳" in near[0].title
    assert idx.closest_titles("qqqqzzzz") == []
