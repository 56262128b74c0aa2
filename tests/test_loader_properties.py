"""Property tests: whatever the file holds, the loader answers with data or DatasetError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bishan_tui.fieldspec import file_fields
from bishan_tui.loader import DatasetError, build_dataset, load_dataset
from bishan_tui.model import KINDS, RECORD_CLASS, Dataset, Kind, kind_fields

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


COMMON: dict[str, Any] = {
    "id": "r1", "title": "专家", "title_en": "Experts", "summary": "s", "summary_en": "s",
    "section": "s1", "quote": ["已汇集行业专家 300余人"], "tags": ["专家"], "related": ["p1"],
}  # fmt: skip
# A valid record of every kind, with each of its own fields set.
VALID: dict[Kind, dict[str, Any]] = {
    "platform": {**COMMON, "category": "研究院", "category_en": "institute", "status": "建设中"},
    "project": {**COMMON, "category": "企业", "organisation": "康佳", "organisation_en": "Konka"},
    "talent": {**COMMON, "affiliation": "康佳", "role": "专家", "role_en": "expert"},
    "policy": {**COMMON, "instrument": "意见", "issuer": "区委", "issuer_en": "district"},
    "event": {**COMMON, "date": "2020-05", "date_note": "约", "date_note_en": "about"},
    "figure": {
        **COMMON, "value": 300, "unit": "人", "unit_en": "people", "qualifier": "over",
        "as_of": "2020-12", "projected": False, "period": "年", "as_printed": "300余人",
    },
}  # fmt: skip
# Every key any kind takes, from the model: a key of another kind is an unknown key here.
FIELD_KEYS = sorted({a.column for cls in RECORD_CLASS.values() for a in file_fields(cls)})
PERTURBED = st.sampled_from(KINDS).flatmap(
    lambda kind: st.tuples(
        st.just(kind),
        st.builds(
            lambda key, value, drop: (
                {k: v for k, v in VALID[kind].items() if k != key}
                if drop
                else {**VALID[kind], key: value}
            ),
            st.sampled_from([*FIELD_KEYS, "titel"]),
            VALUES,
            st.booleans(),
        ),
    )
)
ANY_RECORD = st.tuples(
    st.sampled_from(KINDS),
    st.dictionaries(st.sampled_from([*FIELD_KEYS, "titel"]), VALUES, max_size=12),
)


def _both_checks(kind: Kind, item: dict[str, Any]) -> tuple[Any, dict[str, Any], bool, Any]:
    from bishan_tui.loader.checker import Checker
    from bishan_tui.loader.lines import LineFinder
    from bishan_tui.loader.rules import schema_of

    schema = schema_of(RECORD_CLASS[kind])
    checker = Checker("x.toml", LineFinder(""))
    values, ok = checker.partial_fields(item, schema, "r", lambda key: None)
    return schema.fast(item), schema.arguments(values), ok, checker.problems


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_record_of_every_kind_takes_the_fast_path(kind: Kind) -> None:
    fast, values, ok, problems = _both_checks(kind, VALID[kind])
    assert ok and not problems
    assert fast is not None and fast == values
    assert set(VALID[kind]) - set(COMMON) <= {a.column for a in kind_fields(RECORD_CLASS[kind])}
    assert RECORD_CLASS[kind](**fast).kind == kind


@settings(max_examples=1500, deadline=None)
@given(st.one_of(PERTURBED, ANY_RECORD, st.tuples(st.just("figure"), RECORD)))
def test_the_fast_path_agrees_with_the_full_check(case: tuple[Kind, dict[str, Any]]) -> None:
    kind, item = case
    fast, values, ok, problems = _both_checks(kind, item)
    assert (fast is not None) == ok, (kind, item, problems)
    if fast is not None:
        assert fast == values
    else:
        assert problems  # every refusal says why
