"""The provisional scan search finds exactly what the index finds, on the real dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from bishan_tui.loader import load_dataset
from bishan_tui.model import KINDS, Dataset, Kind
from bishan_tui.search import TIER_OTHER, TIER_TITLE_SUBSTRING, SearchIndex, build_index
from bishan_tui.search.scan import ScanIndex

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "bishan.toml"

QUERIES = [
    "康佳", "研究院", "璧山高新区", "patent", "blade battery", "kangjia", "kang jia",
    "kangj", "kjgd", "chongqing", "b", "k", "a", "2.85", "2020-03", "822", "重慶",
    "康佳 patent", "zzzzqqqq", "1+3+N", "", "  ", "PATENT", "ＰＡＴＥＮＴ", "bsgxq",
]  # fmt: skip


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def index(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build_index(dataset, cache_dir=tmp_path_factory.mktemp("cache"), persist=False)


@pytest.fixture(scope="module")
def scan(dataset: Dataset, index: SearchIndex) -> ScanIndex:
    return ScanIndex(dataset, index._readings)


@pytest.mark.parametrize("query", QUERIES)
def test_the_scan_finds_the_same_records_and_counts_as_the_index(
    index: SearchIndex, scan: ScanIndex, query: str
) -> None:
    want = index.search_result(query)
    got = scan.search_result(query)
    assert got.total == want.total
    assert got.counts == want.counts
    assert sorted(got.record_ids()) == sorted(want.record_ids())
    for kind in KINDS:
        assert sorted(got.record_ids(kind)) == sorted(want.record_ids(kind))


@pytest.mark.parametrize("query", ["康佳", "kangjia", "patent", "kjgd"])
def test_the_scan_highlights_like_the_index_and_ranks_titles_first(
    index: SearchIndex, scan: ScanIndex, query: str
) -> None:
    by_id = {match.record.id: match for match in index.search(query)}
    found = scan.search(query)
    assert found
    for match in found:
        assert match.fields == by_id[match.record.id].fields
    tiers = [match.tier for match in found]
    assert tiers == sorted(tiers)
    assert set(tiers) <= {TIER_TITLE_SUBSTRING, TIER_OTHER}
    in_title = {m.record.id for m in by_id.values() if m.tier <= TIER_TITLE_SUBSTRING}
    assert {m.record.id for m in found if m.tier == TIER_TITLE_SUBSTRING} <= in_title


def test_kinds_and_limits_are_honoured(index: SearchIndex, scan: ScanIndex) -> None:
    cases: tuple[list[Kind], ...] = (["platform"], ["figure", "event"], [])
    for kinds in cases:
        want = {m.record.id for m in index.search("璧山", kinds=kinds)}
        assert {m.record.id for m in scan.search("璧山", kinds=kinds)} == want
    assert len(scan.search("璧山", limit=3)) == 3
    assert scan.provisional and not getattr(index, "provisional", False)


def test_the_scan_reads_pinyin_from_the_cache_when_not_given(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    scan = ScanIndex(dataset)
    assert {m.record.id for m in scan.search("kangjia")}


def test_text_normalised_in_chunks_is_the_same(
    dataset: Dataset, index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bishan_tui.search import scan as scan_module

    whole = ScanIndex(dataset, index._readings)
    monkeypatch.setattr(scan_module, "_CHUNK", 7)
    chunked = ScanIndex(dataset, index._readings)
    assert chunked._others.text == whole._others.text
    assert chunked._titles.starts == whole._titles.starts
    for query in ("康佳", "ＰＡＴＥＮＴ", "kjgd"):
        assert chunked.search_result(query).counts == index.search_result(query).counts


def test_text_beyond_the_bmp_and_folded_characters_match_like_the_index(
    dataset: Dataset, tmp_path: Path
) -> None:
    from dataclasses import replace

    for astral in ("𠀀", ""):  # the exact path, and the fast one (lower + replace)
        odd = replace(
            dataset.records[0],
            summary=f"{astral}康佳 ＰＡＴＥＮＴ Straße ΟΔΟΣ ﬁle",
            title_en=f"ΣΊΣΥΦΟΣ {astral or 'Ｂold'} 𝐁𝐨𝐥𝐝"[: 12 if not astral else None],
        )
        small = Dataset(dataset.source, dataset.sections, (odd, *dataset.records[1:]))
        index = build_index(small, cache_dir=tmp_path, persist=False)
        scan = ScanIndex(small, index._readings)
        for query in ("康佳", "patent", "strasse", "οδος", "σίσυφος", "file", "bold", "𠀀"):
            want = index.search_result(query).counts
            assert scan.search_result(query).counts == want, (astral, query)


def test_build_index_calls_on_build_only_when_it_must_build(
    dataset: Dataset, tmp_path: Path
) -> None:
    from dataclasses import replace

    calls: list[int] = []
    build_index(dataset, cache_dir=tmp_path, persist=True, on_build=lambda: calls.append(1))
    assert calls == [1]  # no saved index: called before the key is even computed
    build_index(dataset, cache_dir=tmp_path, persist=True, on_build=lambda: calls.append(2))
    assert calls == [1]  # the saved index loads: nothing to wait for
    changed = Dataset(
        dataset.source,
        dataset.sections,
        (replace(dataset.records[0], title="改"), *dataset.records[1:]),
        path=dataset.path,
    )
    build_index(changed, cache_dir=tmp_path, persist=True, on_build=lambda: calls.append(3))
    assert calls == [1, 3]  # a stale saved index: called once, after the miss
