"""Tests of bishan_tui.search on the real dataset (and small constructed ones)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bishan_tui.cachedir import default_cache_dir
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, Record
from bishan_tui.search import (
    TIER_OTHER,
    TIER_TITLE_EXACT,
    TIER_TITLE_PREFIX,
    TIER_TITLE_SUBSTRING,
    Match,
    SearchIndex,
    build_index,
    dataset_key,
    store,
)
from bishan_tui.textnorm import normalize, normalize_map, original_span

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "bishan.toml"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def index(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build_index(dataset, cache_dir=tmp_path_factory.mktemp("cache"))


def ids(matches: list[Match]) -> list[str]:
    return [m.record.id for m in matches]


def highlighted(match: Match, field: str) -> list[str]:
    record = match.record
    text = dict(record.text_fields()).get(field)
    assert text is not None
    return [text[a:b] for a, b in match.spans(field)]


def all_highlighted(match: Match) -> set[str]:
    return {f.text[a:b] for f in match.fields for a, b in f.spans}


# -- kinds of match ----------------------------------------------------------------


def test_chinese_substring(index: SearchIndex) -> None:
    found = index.search("康佳")
    assert "kangjia-optoelectronics-institute" in ids(found)
    for match in found:
        assert "康佳" in all_highlighted(match)
    first = next(m for m in found if m.record.id == "kangjia-optoelectronics-institute")
    assert highlighted(first, "title") == ["康佳"]


@pytest.mark.parametrize("query", ["kangjia", "kang jia", "kangj", "KangJia"])
def test_full_pinyin(index: SearchIndex, query: str) -> None:
    found = index.search(query)
    assert "kangjia-optoelectronics-institute" in ids(found)
    match = next(m for m in found if m.record.id == "kangjia-optoelectronics-institute")
    assert highlighted(match, "title") == ["康佳"]
    assert match.tier <= TIER_TITLE_SUBSTRING


def test_spaced_pinyin_adjacent_ranks_higher(index: SearchIndex) -> None:
    found = index.search("kang jia")
    top = found[0]
    title_norm = top.record.title
    assert "康佳" in title_norm or any("康佳" in a for a in top.record.aliases)


@pytest.mark.parametrize(
    ("query", "record_id", "text"),
    [
        ("kjgd", "kangjia-optoelectronics-institute", "康佳光电"),
        ("bsgxq", "bishan-high-tech-zone", "璧山高新区"),
        ("bishan", "bishan-high-tech-zone", "璧山"),
    ],
)
def test_pinyin_initials_and_names(
    index: SearchIndex, query: str, record_id: str, text: str
) -> None:
    found = index.search(query)
    match = next(m for m in found if m.record.id == record_id)
    assert text in highlighted(match, "title")


def test_polyphonic_chongqing(index: SearchIndex) -> None:
    found = index.search("chongqing")
    match = next(m for m in found if m.record.id == "chongqing-university-town")
    assert highlighted(match, "title") == ["重庆"]
    assert match.tier == TIER_TITLE_PREFIX


@pytest.mark.parametrize("query", ["康佳光電", "重慶"])
def test_traditional_characters(index: SearchIndex, query: str) -> None:
    found = index.search(query)
    assert found
    simplified = {"康佳光電": "康佳光电", "重慶": "重庆"}[query]
    assert any(simplified in highlighted(m, "title") for m in found)


@pytest.mark.parametrize("query", ["２．８５", "2.85"])
def test_numbers_full_width(index: SearchIndex, dataset: Dataset, query: str) -> None:
    found = index.search(query)
    assert found
    for match in found:
        assert "2.85" in {t.replace("２．８５", "2.85") for t in all_highlighted(match)}


@pytest.mark.parametrize("query", ["822", "300"])
def test_numbers(index: SearchIndex, query: str) -> None:
    found = index.search(query)
    assert found
    assert any(m.record.kind == "figure" for m in found)
    for match in found:
        assert query in all_highlighted(match)


@pytest.mark.parametrize("query", ["2020", "2020-06", "2020-03-17"])
def test_dates_by_prefix(index: SearchIndex, dataset: Dataset, query: str) -> None:
    found = index.search(query)
    expected = {
        r.id
        for r in dataset.records
        if any(query in text for _, text in r.text_fields())
    }
    assert expected
    assert set(ids(found)) == expected


def test_date_exact_event(index: SearchIndex, dataset: Dataset) -> None:
    found = index.search("2020-03-17")
    dated = [m for m in found if m.spans("date") or m.spans("as_of")]
    assert dated


@pytest.mark.parametrize(
    ("query", "word"),
    [("patent", "patent"), ("whistle", "whistle"), ("blade battery", "battery")],
)
def test_english(index: SearchIndex, query: str, word: str) -> None:
    found = index.search(query)
    assert found
    for match in found:
        assert word in {t.casefold() for t in all_highlighted(match)}


def test_blade_battery_and(index: SearchIndex, dataset: Dataset) -> None:
    found = index.search("blade battery")
    assert ids(found)[0] == "blade-battery"
    assert found[0].tier == TIER_TITLE_EXACT
    assert highlighted(found[0], "title_en") == ["Blade", "Battery"]
    for match in found:
        texts = " ".join(t for _, t in match.record.text_fields()).casefold()
        assert "blade" in texts and "battery" in texts


@pytest.mark.parametrize("query", ["一企一策", "零检"])
def test_chinese_phrases(index: SearchIndex, query: str) -> None:
    found = index.search(query)
    assert found
    assert all(query in all_highlighted(m) for m in found)


def test_and_semantics(index: SearchIndex) -> None:
    both = set(ids(index.search("康佳 patent")))
    assert both
    assert both <= set(ids(index.search("康佳"))) & set(ids(index.search("patent")))
    assert "kangjia-patent-proposals" in both
    assert index.search("康佳 zzzzqqqq") == []


@pytest.mark.parametrize("query", [".*", "[", "(", "a|b", "\\", "^$", "+", "?"])
def test_regex_metacharacters_are_text(index: SearchIndex, dataset: Dataset, query: str) -> None:
    found = index.search(query)
    expected = {
        r.id for r in dataset.records if any(query in normalize(t) for _, t in r.text_fields())
    }
    assert set(ids(found)) == expected


def test_plus_in_text(index: SearchIndex) -> None:
    found = index.search("1+3+N")
    assert "one-plus-three-plus-n-system" in ids(found)


# -- ranking ------------------------------------------------------------------------


def test_ranking_tiers(index: SearchIndex) -> None:
    found = index.search("刀片电池")
    assert found[0].record.id == "blade-battery"
    assert found[0].tier == TIER_TITLE_EXACT
    tiers = [m.tier for m in found]
    assert tiers == sorted(tiers)
    assert TIER_TITLE_SUBSTRING in tiers  # 比亚迪刀片电池在重庆璧山亮相发布
    order = {r: i for i, r in enumerate(ids(found))}
    assert order["blade-battery"] < order["blade-battery-launch"]


def test_ranking_names_before_other_fields(index: SearchIndex, dataset: Dataset) -> None:
    found = index.search("璧山高新区")
    assert found[0].record.id == "bishan-high-tech-zone"
    assert found[0].tier == TIER_TITLE_EXACT
    by_tier = {m.record.id: m.tier for m in found}
    assert by_tier["electronic-information-incubation-park"] == TIER_TITLE_PREFIX
    assert by_tier["skyshuttle-cooperation"] == TIER_TITLE_PREFIX
    assert by_tier["high-tech-zone-ranking-rise"] == TIER_TITLE_PREFIX
    assert TIER_OTHER in by_tier.values()
    tiers = [m.tier for m in found]
    # names (exact, prefix, substring: ranked by coverage, not by prefix) first,
    # then other fields, those in file order within an order of kinds
    names = [t for t in tiers if t != TIER_OTHER]
    assert tiers[: len(names)] == names
    position = {r.id: i for i, r in enumerate(dataset.records)}
    rank = {"platform": 0, "project": 0, "policy": 0, "talent": 1, "event": 1, "figure": 2}
    other = [(rank[m.record.kind], position[m.record.id]) for m in found if m.tier == TIER_OTHER]
    assert other == sorted(other)


def test_alias_exact(index: SearchIndex) -> None:
    found = index.search("璧山国家高新区")
    assert found[0].record.id == "bishan-high-tech-zone"
    assert found[0].tier == TIER_TITLE_EXACT
    assert highlighted(found[0], "aliases[0]") == ["璧山国家高新区"]


def test_english_title_exact_case_insensitive(index: SearchIndex) -> None:
    found = index.search("skyshuttle")
    assert found[0].record.id == "skyshuttle"
    assert found[0].tier == TIER_TITLE_EXACT


# -- filters, limits, odd queries ------------------------------------------------------


def test_kinds_filter(index: SearchIndex) -> None:
    found = index.search("康佳", kinds=["figure"])
    assert found
    assert all(m.record.kind == "figure" for m in found)
    assert index.search("康佳", kinds=[]) == []


def test_limit(index: SearchIndex) -> None:
    full = index.search("研究院")
    assert len(full) > 3
    assert ids(index.search("研究院", limit=3)) == ids(full)[:3]
    assert index.search("研究院", limit=0) == []


def test_empty_query(index: SearchIndex, dataset: Dataset) -> None:
    for query in ["", "   ", "\t\n"]:
        found = index.search(query)
        assert [m.record for m in found] == list(dataset.records)
        assert all(m.tier == TIER_OTHER and m.fields == () for m in found)
    events = index.search("", kinds=["event"])
    assert [m.record for m in events] == list(dataset.of_kind("event"))
    assert len(index.search("", limit=4)) == 4


def test_huge_query(index: SearchIndex) -> None:
    assert index.search("康" * 10_000) == []
    assert index.search("a" * 10_000) == []
    index.search("ab " * 3_400)
    index.search("kang " * 2_000)
    index.search("chongqingkangjia" * 600)


@pytest.mark.parametrize("query", ["，。！", "!!!", "\u200b", "\x00", "🙂", "\ud800"])
def test_odd_queries(index: SearchIndex, query: str) -> None:
    index.search(query)
    index.closest_titles(query)


def test_closest_titles(index: SearchIndex) -> None:
    titles = [r.title for r in index.closest_titles("康佳光点研究院", n=3)]
    assert len(titles) == 3
    assert "康佳" in titles[0]
    assert index.closest_titles("Konka institute", n=5)
    assert index.closest_titles("x", n=0) == []


# -- spans after normalisation --------------------------------------------------------


def test_normalize_map_spans() -> None:
    text = "共２．８５亿元 Straße"
    norm, offsets = normalize_map(text)
    start = norm.find("2.85")
    a, b = original_span(offsets, start, start + 4, len(text))
    assert text[a:b] == "２．８５"
    start = norm.find("strasse")
    a, b = original_span(offsets, start, start + 7, len(text))
    assert text[a:b] == "Straße"


def test_spans_on_constructed_full_width(dataset: Dataset, tmp_path: Path) -> None:
    from dataclasses import replace

    record = dataset.records[0]
    odd = replace(record, summary="全宽数字２．８５亿元，ＳＴＲＡＳＳＥ Straße")
    small = Dataset(dataset.source, dataset.sections, (odd,))
    idx = build_index(small, cache_dir=tmp_path)
    found = idx.search("2.85")
    assert highlighted(found[0], "summary") == ["２．８５"]
    found = idx.search("strasse")
    assert highlighted(found[0], "summary") == ["ＳＴＲＡＳＳＥ", "Straße"]


# -- the cache ------------------------------------------------------------------------


def test_saved_index_holds_the_readings(dataset: Dataset, tmp_path: Path) -> None:
    build_index(dataset, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("index-*.bin")
    data = store.load(entry, dataset_key(dataset), len(dataset.records))
    assert data is not None
    assert "chong" in data.readings["重"] and "zhong" in data.readings["重"]
    assert not list(tmp_path.glob("readings-*.bin"))  # no second copy of them
    code = (
        "import sys; from pathlib import Path\n"
        "from bishan_tui.loader import load_dataset\n"
        "from bishan_tui.search import build_index\n"
        f"idx = build_index(load_dataset({str(DATA)!r}), cache_dir=Path({str(tmp_path)!r}))\n"
        "assert idx.search('kangjia'), 'no pinyin match'\n"
        "print('pypinyin' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


def test_the_query_language_alone_does_not_import_the_index() -> None:
    """sorting.py (imported by the table at start-up) needs only the query module: the
    package's public names are imported on first use."""
    code = (
        "import sys\n"
        "import bishan_tui.sorting\n"
        "from bishan_tui.search.query import parse_query\n"
        "print(sorted(m for m in sys.modules if m.startswith('bishan_tui.search.')))\n"
        "from bishan_tui.search import SearchIndex\n"
        "print('bishan_tui.search.index' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split("\n")[:2] == ["['bishan_tui.search.query']", "True"]


def test_an_index_is_freed_without_the_cycle_collector(dataset: Dataset) -> None:
    """Its caches hold values only (no cycle through a bound method), so 100,000
    records' index is freed when the app lets go of it, even with the collector off."""
    import gc
    import weakref

    enabled = gc.isenabled()
    gc.disable()
    try:
        index = build_index(dataset, persist=False)
        for query in ("kangjia", "康佳 value:>=300", "2020-03..2020-06", "kjgd", "patnet"):
            result = index.search_result(query)
            assert [match.fields for match in result.matches(None, 0, 5)]
        assert index.search_result("zzzzqqq").suggestions() is not None
        refs = [weakref.ref(part) for part in (index, index._title, index._pinyin)]
        del index, result
        assert [ref() for ref in refs] == [None, None, None]
    finally:
        if enabled:
            gc.enable()


def test_unwritable_cache_folder(dataset: Dataset, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    idx = build_index(dataset, cache_dir=blocker / "sub")
    assert idx.search("kangjia")
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        idx = build_index(dataset, cache_dir=readonly)
        assert idx.search("kjgd")
    finally:
        readonly.chmod(0o700)


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "bishan-tui"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "bishan-tui"


# -- property ---------------------------------------------------------------------------

_alphabet = st.sampled_from(
    [*"康佳光电璧山高新区重庆研究院 .*[](|)\\+?^$ ２．８５2.850aAkjgdbsxq-，。\u3000", "ß", "ﬁ"]
)


@settings(max_examples=200, deadline=None)
@given(query=st.one_of(st.text(max_size=40), st.text(alphabet=_alphabet, max_size=20)))
def test_property_spans_in_range(index: SearchIndex, query: str) -> None:
    found = index.search(query, limit=20)
    for match in found:
        assert isinstance(match.record, Record)
        for field in match.fields:
            text = dict(match.record.text_fields()).get(field.field)
            assert text == field.text
            for start, end in field.spans:
                assert 0 <= start < end <= len(field.text)
    index.closest_titles(query, n=3)


# -- counts per kind, lazy rows, the persisted index ----------------------------------

QUERIES = [
    "康佳", "研究院", "璧山高新区", "patent", "blade battery", "kangjia", "kang jia",
    "kangj", "kjgd", "chongqing", "b", "k", "a", "2.85", "2020-03", "822", "重慶",
    "康佳 patent", "zzzzqqqq", "1+3+N", "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_search_result_counts_and_rows(index: SearchIndex, query: str) -> None:
    full = index.search(query)
    result = index.search_result(query)
    assert len(result) == result.total == len(full)
    for kind in ("platform", "project", "talent", "policy", "event", "figure"):
        of_kind = [m for m in full if m.record.kind == kind]
        assert result.counts[kind] == len(of_kind)
        rows = result.matches(kind)
        assert [(m.record.id, m.tier) for m in rows] == [
            (m.record.id, m.tier) for m in of_kind
        ]
        assert [m.record.id for m in result.matches(kind, 1, 3)] == [
            m.record.id for m in of_kind[1:3]
        ]
    assert [m.record.id for m in result.matches(None, 2, 7)] == ids(full)[2:7]
    assert [index.records[i].id for i in result.record_ids()] == ids(full)
    if full:
        assert result.matches()[0].fields == full[0].fields


def test_persisted_index_answers_like_a_fresh_one(dataset: Dataset, tmp_path: Path) -> None:
    fresh = build_index(dataset, cache_dir=tmp_path, persist=False)
    assert not list(tmp_path.glob("index-*.bin"))
    build_index(dataset, cache_dir=tmp_path, persist=True)
    assert len(list(tmp_path.glob("index-*.bin"))) == 1
    loaded = build_index(dataset, cache_dir=tmp_path, persist=True)
    assert loaded is not fresh
    for query in QUERIES:
        assert loaded.search(query) == fresh.search(query), query
        assert [r.id for r in loaded.closest_titles(query, 3)] == [
            r.id for r in fresh.closest_titles(query, 3)
        ]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other-data"])
def test_damaged_or_stale_persisted_index_is_rebuilt(
    dataset: Dataset, tmp_path: Path, damage: str
) -> None:
    from dataclasses import replace

    build_index(dataset, cache_dir=tmp_path, persist=True)
    (entry,) = tmp_path.glob("index-*.bin")
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:-100])
    elif damage == "garbage":
        data = entry.read_bytes()
        entry.write_bytes(data[:200] + b"\x00" * 50 + data[250:])
    else:  # the same path, other content: the key differs
        first = replace(dataset.records[0], title="完全不同的标题")
        changed = Dataset(dataset.source, dataset.sections, (first, *dataset.records[1:]),
                          path=dataset.path)
        idx = build_index(changed, cache_dir=tmp_path, persist=True)
        assert idx.search("完全不同的标题")[0].record.id == first.id
        entry.write_bytes(entry.read_bytes())
    idx = build_index(dataset, cache_dir=tmp_path, persist=True)
    fresh = build_index(dataset, cache_dir=tmp_path, persist=False)
    for query in ("康佳", "kangjia", "patent", "2020", "璧山", "b", "300"):
        assert ids(idx.search(query)) == ids(fresh.search(query)), query
    assert idx.search("康佳") == fresh.search("康佳")
    assert not idx.search("完全不同的标题")


def test_any_flipped_bit_in_a_saved_index_is_a_miss(dataset: Dataset, tmp_path: Path) -> None:
    from bishan_tui.search import load_index

    build_index(dataset, cache_dir=tmp_path, persist=True)
    (entry,) = tmp_path.glob("index-*.bin")
    key = dataset_key(dataset)
    original = entry.read_bytes()
    assert load_index(entry, key, dataset) is not None
    for position in range(len(original) // 2, len(original), max(1, len(original) // 40)):
        damaged = bytearray(original)
        damaged[position] ^= 0x10
        entry.write_bytes(bytes(damaged))
        assert load_index(entry, key, dataset) is None, position
