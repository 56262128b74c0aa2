"""The query language: the parser alone, its meaning on the real data, that no query
string raises, and that the CLI reads it as the search core does."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from bishan_tui.loader import load_dataset
from bishan_tui.model import EventRecord, FigureRecord
from bishan_tui.search import SearchIndex, build_index
from bishan_tui.search.query import DateRange, Term, ValueTest, date_bounds, parse_query
from bishan_tui.textnorm import normalize

DATASET = load_dataset()


@pytest.fixture(autouse=True)
def _own_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app's caches, settings and state go to this test's folders."""
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    cache: Path = tmp_path_factory.mktemp("cache")
    return build_index(DATASET, cache_dir=cache, persist=False)


def ids(index: SearchIndex, query: str) -> list[str]:
    return [m.record.id for m in index.search(query)]


# -- the parser -----------------------------------------------------------------------


def test_plain_words_are_plain() -> None:
    query = parse_query("康佳  Patent\tkangjia")
    assert [t.text for t in query.terms] == ["康佳", "patent", "kangjia"]
    assert not query.syntax and not query.notes and not query.has_filters


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("kind:figure", {"figure"}),
        ("kind:Figures", {"figure"}),
        ("kind:数据", {"figure"}),
        ("kind:timeline", {"event"}),
        ("kind:时间线", {"event"}),
        ("kind:平台 kind:projects", {"platform", "project"}),
        ("ｋｉｎｄ：ｐｏｌｉｃｙ", {"policy"}),
    ],
)
def test_kinds(text: str, kinds: set[str]) -> None:
    query = parse_query(text)
    assert query.kinds == kinds and query.syntax and not query.terms


def test_fields_exclusions_phrases() -> None:
    query = parse_query('title:康佳 -patent -kind:figure "blade  battery" -"kang jia" tags:"x y"')
    assert query.terms == [
        Term("康佳", "title"),
        Term("patent", None, True),
        Term("blade battery", None, False, True),
        Term("kang jia", None, True, True),
        Term("x y", "tags", False, True),
    ]
    assert query.excluded_kinds == {"figure"}


def test_values_and_dates() -> None:
    query = parse_query("value:>=300 value:<1000 value:2.85 value:10..1 2020-03..2020-06 ..2020")
    assert query.values == [
        ValueTest(">=", 300.0),
        ValueTest("<", 1000.0),
        ValueTest("=", 2.85),
        ValueTest("..", 1.0, 10.0),
    ]
    assert query.dates == [
        DateRange("2020-03-01", "2020-06-30", "2020-03..2020-06"),
        DateRange("", "2020-12-31", "..2020"),
    ]
    assert parse_query("value:≥300").values == [ValueTest(">=", 300.0)]
    assert parse_query("date:2020-02").dates[0].end == "2020-02-29"


@pytest.mark.parametrize(
    "text",
    ["kind:xyz", "value:lots", "value:>=", "title:", "date:2020-13", "2020-06..2020-03", "1..2"],
)
def test_bad_syntax_is_plain_words(text: str) -> None:
    query = parse_query(text)
    assert [t.text for t in query.terms] == [text]
    assert not query.has_filters


def test_unclosed_quote_reads_words() -> None:
    query = parse_query('康佳 "blade battery')
    assert [t.text for t in query.terms] == ["康佳", "blade", "battery"]
    assert query.notes and "unclosed" in query.describe()


def test_a_bare_minus_and_negative_numbers_are_words() -> None:
    assert parse_query("- -5").terms == [Term("-"), Term("-5")]


def test_describe() -> None:
    text = parse_query('kind:figure 康佳 -patent value:>=300 2020..').describe()
    assert text == "kind figure · value >= 300 · dated 2020.. · words 康佳 · without patent"


def test_date_bounds() -> None:
    assert date_bounds("2020") == ("2020-01-01", "2020-12-31")
    assert date_bounds("2021-02") == ("2021-02-01", "2021-02-28")
    assert date_bounds("2020-3-7") == ("2020-03-07", "2020-03-07")
    assert date_bounds("2020-02-30") is None
    assert date_bounds("20") is None
    assert date_bounds("") is None


# -- what it means on the data ---------------------------------------------------------


def test_kind_filter(index: SearchIndex) -> None:
    found = index.search("kind:figure 康佳")
    assert found and all(m.record.kind == "figure" for m in found)
    assert {m.record.id for m in found} == {
        m.record.id for m in index.search("康佳") if m.record.kind == "figure"
    }
    assert ids(index.search.__self__, "kind:数据 康佳") == [m.record.id for m in found]  # type: ignore[attr-defined]
    everything = ids(index, "kind:figure")
    assert everything == [r.id for r in DATASET.records if r.kind == "figure"]


def test_exclusions(index: SearchIndex) -> None:
    plain = ids(index, "kangjia")
    without = ids(index, "kangjia -kind:figure")
    assert without == [i for i in plain if DATASET.by_id(i).kind != "figure"]  # type: ignore[union-attr]
    no_patent = ids(index, "康佳 -patent")
    assert no_patent and "kangjia-patent-proposals" not in no_patent
    assert set(no_patent) < set(ids(index, "康佳"))
    assert "kangjia-optoelectronics-institute" not in ids(index, "康佳 -专利")


def test_phrase_needs_the_words_side_by_side(index: SearchIndex) -> None:
    phrase = ids(index, '"blade battery"')
    assert phrase[0] == "blade-battery"
    for record_id in phrase:
        record = DATASET.by_id(record_id)
        assert record is not None
        assert any("blade battery" in normalize(t) for _, t in record.text_fields())
    assert set(phrase) <= set(ids(index, "blade battery"))
    assert set(ids(index, '"kang jia"')) == set(ids(index, "kangjia"))
    assert ids(index, '"battery blade"') == []


def test_fields(index: SearchIndex) -> None:
    in_title = ids(index, "title:研究院")
    assert in_title
    for record_id in in_title:
        record = DATASET.by_id(record_id)
        assert record is not None
        assert any("研究院" in n for n in (record.title, *record.aliases))
    summary = ids(index, "summary:patent")
    for record_id in summary:
        record = DATASET.by_id(record_id)
        assert record is not None and "patent" in record.summary_en.casefold()
    assert summary and set(summary) < set(ids(index, "patent"))
    assert "kangjia-optoelectronics-institute" in ids(index, "tags:konka")
    assert ids(index, "quote:专家300余人")
    assert ids(index, "title:kangjia")[0] == "kangjia-optoelectronics-institute"
    section = ids(index, "section:platforms")
    assert section and all(DATASET.by_id(i).section == "platforms" for i in section)  # type: ignore[union-attr]


def test_values(index: SearchIndex) -> None:
    found = index.search("value:>=300")
    assert found
    expected = {
        r.id for r in DATASET.records if isinstance(r, FigureRecord) and r.value >= 300
    }
    assert {m.record.id for m in found} == expected
    between = {m.record.id for m in index.search("value:2..3")}
    assert between == {
        r.id for r in DATASET.records if isinstance(r, FigureRecord) and 2 <= r.value <= 3
    }
    assert "experts-at-kangjia" in ids(index, "康佳 value:300")


def test_date_ranges_whatever_the_precision(index: SearchIndex) -> None:
    found = {m.record.id for m in index.search("2020-03..2020-06")}
    expected = set()
    for record in DATASET.records:
        date = (
            record.date
            if isinstance(record, EventRecord)
            else record.as_of
            if isinstance(record, FigureRecord)
            else ""
        )
        bounds = date_bounds(date) if date else None
        if bounds and bounds[0] >= "2020-03-01" and bounds[1] <= "2020-06-30":
            expected.add(record.id)
    assert found == expected
    assert "blade-battery-launch" in found
    # a year-only date is not known to lie within March-June
    assert not any(
        isinstance(DATASET.by_id(i), EventRecord) and "-" not in DATASET.by_id(i).date  # type: ignore[union-attr]
        for i in found
    )
    assert {m.record.id for m in index.search("date:2020")} >= found


def test_bad_syntax_falls_back_and_says_so(index: SearchIndex) -> None:
    result = index.search_result("kind:xyz kangjia")
    assert result.query.notes
    assert "kind:xyz" in result.query.describe()
    assert ids(index, "value:>=") == ids(index, "value:>=")  # does not raise
    assert ids(index, '"blade battery') == ids(index, "blade battery")


# -- no query string raises -------------------------------------------------------------

_SYNTAX = st.sampled_from(
    [
        "kind:", "kind:figure", "kind:数据", "-kind:event", "title:", "summary:", "quote:",
        "tags:", "section:", "value:", "value:>=", "value:>=300", "value:1..", "value:..2",
        "date:", "date:2020", "2020-03..2020-06", "..", "...", "2020..", "..2020-06",
        "-", "--", '"', '""', '"a b"', '-"', 'title:"', "康佳", "kangjia", "kj", "patnet",
        "西部科学城", "\u3000", "：", "＂", "≥", "-0", "1e9", "value:nan", "value:1e999",
        "9999-99", "0000..", "kind:kind:figure", "title:title:x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    query=st.one_of(
        st.lists(_SYNTAX, max_size=8).map(" ".join),
        st.lists(_SYNTAX, max_size=6).map("".join),
        st.text(max_size=40),
    )
)
def test_no_query_raises(index: SearchIndex, query: str) -> None:
    result = index.search_result(query)
    for match in result.matches(None, 0, 5):
        for found in match.fields:
            for start, end in found.spans:
                assert 0 <= start < end <= len(found.text)
    result.query.describe()
    if not result.total:
        result.suggestions(3)
    parse_query(query)


# -- the CLI reads the same language ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        ["kind:figure", "康佳"],
        ["value:>=300"],
        ["2020-03..2020-06"],
        ["kangjia", "-kind:figure"],
        ["-kind:figure", "kangjia"],
        ['"blade battery"'],
        ["title:研究院"],
        ["kind:xyz", "kangjia"],
        ["kangjai"],
    ],
)
def test_cli_reads_the_same_language(index: SearchIndex, query: list[str]) -> None:
    result = run_cli("search", "--format", "plain", "--limit", "0", *query)
    expected = ids(index, " ".join(query))
    got = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert got == expected, result.stderr
    assert result.returncode == (0 if expected else 1)
    assert "Traceback" not in result.stderr
    if parse_query(" ".join(query)).notes:
        assert "read as:" in result.stderr


def test_cli_suggests_by_the_typo_measure() -> None:
    result = run_cli("search", "Konka", "institutx", "zzzz")
    assert result.returncode == 1
    assert "Closest titles" in result.stderr and "康佳" in result.stderr
