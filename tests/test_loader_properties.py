"""Property tests: whatever the file holds, the loader answers with data or DatasetError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bishan_tui.loader import DatasetError, build_dataset, load_dataset
from bishan_tui.model import Dataset

KEYS = [
    "id", "title", "title_en", "summary", "summary_en", "section", "quote", "tags",
    "related", "value", "unit", "unit_en", "qualifier", "date", "as_of", "projected",
    "category", "titel", "aliases", "context",
]  # fmt: skip
SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["s1", "p1", "2020", "2020-13", "over", "exact", "x-y"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(st.text(), SCALARS))
RECORD = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12)
DOCUMENT = st.fixed_dictionaries(
    {},
    optional={
        "schema_version": st.one_of(st.just(1), SCALARS),
        "source": st.one_of(
            st.fixed_dictionaries({"title": st.text(max_size=5), "title_en": st.text(max_size=5)}),
            VALUES,
        ),
        "sections": st.one_of(
            st.just([{"id": "s1", "title": "节", "title_en": "s"}]), st.lists(RECORD, max_size=2)
        ),
        "platforms": st.one_of(st.lists(RECORD, max_size=3), VALUES),
        "figures": st.lists(RECORD, max_size=3),
        "timeline": st.lists(RECORD, max_size=3),
        "extra": VALUES,
    },
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENT)
def test_any_document_gives_a_dataset_or_a_dataset_error(document: dict[str, Any]) -> None:
    try:
        result = build_dataset(document, "random.toml")
    except DatasetError as error:
        assert error.problems
        assert all(p.startswith("random.toml") and "\n" not in p for p in error.problems)
    else:
        assert isinstance(result, Dataset)
        assert result.records


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_dataset_or_a_dataset_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.toml"
    path.write_bytes(data)
    try:
        load_dataset(path)
    except DatasetError as error:
        assert error.problems
        assert all(str(path) in p for p in error.problems)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from("[]{}=\"'\\\n =.,abc#1-_"), max_size=80))
def test_toml_like_text_never_escapes_as_another_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_dataset(path)
    except DatasetError as error:
        try:
            tomli.loads(text)
        except tomli.TOMLDecodeError:
            assert "not valid TOML" in error.problems[0] or "white space" in error.problems[0]


VALID_FIGURE: dict[str, Any] = {
    "id": "f1", "title": "专家", "title_en": "Experts", "summary": "s", "summary_en": "s",
    "section": "s1", "quote": ["已汇集行业专家 300余人"], "value": 300, "unit": "人",
    "unit_en": "people", "qualifier": "over", "as_of": "2020-12", "projected": False,
    "tags": ["专家"], "related": ["p1"],
}  # fmt: skip
PERTURBED = st.builds(
    lambda key, value, drop: (
        {k: v for k, v in VALID_FIGURE.items() if k != key}
        if drop
        else {**VALID_FIGURE, key: value}
    ),
    st.sampled_from([*KEYS, "quote", "value", "as_printed", "period"]),
    VALUES,
    st.booleans(),
)


@settings(max_examples=800, deadline=None)
@given(st.one_of(PERTURBED, RECORD))
def test_the_fast_path_agrees_with_the_full_check(item: dict[str, Any]) -> None:
    from bishan_tui.loader import _SCHEMA, _Checker, _fast_values, _LineFinder

    fast = _fast_values(item, "figure")
    checker = _Checker("x.toml", _LineFinder(""))
    values, ok = checker.partial_fields(item, _SCHEMA["figure"], "r", lambda key: None)
    assert (fast is not None) == ok, (item, checker.problems)
    if fast is not None:
        values["quotes"] = values.pop("quote")
        assert fast == values
