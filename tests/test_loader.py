"""The loader: a valid file becomes typed records; every kind of bad file is named."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest
from dataset_files import FIGURE_F1, head, platform
from dataset_files import write_dataset as write

from bishan_tui.loader import (
    MAX_LENGTH,
    DatasetError,
    bundled_dataset_path,
    load_dataset,
    valid_date,
)
from bishan_tui.model import EventRecord, FigureRecord, PlatformRecord

MINIMAL = head() + platform()

FIGURE = "\n" + FIGURE_F1

EVENT = """
[[timeline]]
id = "e1"
title = "亮相"
title_en = "Launch"
summary = "s"
summary_en = "s"
section = "s1"
quote = "6月5日"
date = "2020-06-05"
related = ["p1"]
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.problems, "a DatasetError carries at least one problem"
    return caught.value.problems


def only_problem(path: Path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


# --------------------------------------------------------------------------- valid


def test_minimal_file_from_the_issue_is_valid(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, MINIMAL))
    (record,) = dataset.records
    assert isinstance(record, PlatformRecord)
    assert record.kind == "platform"
    assert record.quotes == ("璧山",)
    assert record.line == line_of(MINIMAL, "[[platforms]]")
    assert dataset.by_id("p1") is record
    assert dataset.counts()["platform"] == 1


def test_records_are_frozen(tmp_path: Path) -> None:
    record = load_dataset(write(tmp_path, MINIMAL)).records[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "x"  # type: ignore[misc]


def test_kinds_and_their_fields(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, MINIMAL + FIGURE + EVENT))
    figure = dataset.by_id("f1")
    event = dataset.by_id("e1")
    assert isinstance(figure, FigureRecord)
    assert (figure.value, figure.qualifier, figure.unit_en) == (300, "over", "people")
    assert figure.phrase("zh") == "300余人"
    assert figure.phrase("en") == "over 300 people"
    assert isinstance(event, EventRecord)
    assert event.date == "2020-06-05"
    assert event.related == ("p1",)


def test_a_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_dataset(path).records[0].id == "p1"


def test_bundled_dataset_is_found_and_valid() -> None:
    path = bundled_dataset_path()
    assert path.is_file(), path
    dataset = load_dataset()
    assert len(dataset.records) > 50
    assert dataset.source.authors == ("王琳琳", "龙搏", "苏洪成")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2020", True),
        ("2020-06", True),
        ("2020-03-17", True),
        ("2020-02-30", False),
        ("2020-13", False),
        ("20-03", False),
        ("2020/03/17", False),
        ("2020-3-17", False),
    ],
)
def test_dates(text: str, ok: bool) -> None:
    assert valid_date(text) is ok


# --------------------------------------------------------------------------- files


def test_missing_file(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nope.toml").endswith("nope.toml: no such file")


def test_a_folder(tmp_path: Path) -> None:
    assert "is a folder" in only_problem(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "file is empty" in only_problem(write(tmp_path, ""))


def test_whitespace_only(tmp_path: Path) -> None:
    assert "only white space" in only_problem(write(tmp_path, "  \n\t\n"))


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    data = MINIMAL.replace('title = "t"', 'title = "璧山"').encode("gbk")
    path.write_bytes(data)
    message = only_problem(path)
    assert "not UTF-8" in message
    first_bad = next(i for i, b in enumerate(data) if b >= 0x80)
    assert f"byte offset {first_bad}" in message
    line = data[:first_bad].count(b"\n") + 1
    assert f"gbk.toml:{line}:" in message


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "binary data" in only_problem(path)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_no_permission(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    path.chmod(0)
    assert "permission denied" in only_problem(path)


def test_no_permission_is_reported_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, MINIMAL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert "permission denied" in only_problem(path)


# --------------------------------------------------------------------------- TOML


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('schema_version = 1\ntitle = "unclosed\n', 2, 18),
        ("schema_version = 1\nschema_version = 1\n", 2, 19),
        ("schema_version = 1\n[source\n", 2, 8),
    ],
    ids=["truncated-string", "duplicate-key", "bad-table"],
)
def test_broken_toml_names_line_and_column(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    message = only_problem(write(tmp_path, text, "broken.toml"))
    assert "not valid TOML" in message
    assert f"broken.toml:{line}:{column}:" in message


# --------------------------------------------------------------------------- schema


def test_no_records_at_all(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("[[platforms]]")]
    assert "no records" in only_problem(write(tmp_path, text))


def test_empty_arrays_and_no_records(tmp_path: Path) -> None:
    head = "schema_version = 1\nplatforms = []\nfigures = []\n"
    text = head + MINIMAL[len("schema_version = 1\n") : MINIMAL.index("[[platforms]]")]
    assert "no records" in only_problem(write(tmp_path, text))


def test_schema_version(tmp_path: Path) -> None:
    text = MINIMAL.replace("schema_version = 1", "schema_version = 2")
    message = only_problem(write(tmp_path, text))
    assert "data.toml:1: schema_version is 2" in message


def test_missing_source(tmp_path: Path) -> None:
    text = MINIMAL.replace('[source]\ntitle = "t"\ntitle_en = "t"\n', "")
    assert "[source] is missing" in only_problem(write(tmp_path, text))


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = MINIMAL.replace('title = "平台"', 'titel = "平台"')
    found = problems(write(tmp_path, text))
    line = line_of(text, "titel")
    assert any(
        p.startswith(f"{tmp_path / 'data.toml'}:{line}: platforms[0] (id \"p1\"): field 'titel'")
        and "did you mean 'title'" in p
        for p in found
    ), found
    assert any("field 'title' is missing" in p for p in found), found


def test_unknown_top_level_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("schema_version = 1", "schema_version = 1\nplatfroms = 3")
    message = only_problem(write(tmp_path, text))
    assert "top-level key 'platfroms'" in message
    assert "did you mean 'platforms'" in message


def test_missing_field(tmp_path: Path) -> None:
    text = MINIMAL.replace('summary_en = "summary"\n', "")
    message = only_problem(write(tmp_path, text))
    assert "platforms[0] (id \"p1\"): field 'summary_en' is missing" in message


# One edit to a valid file, one problem: (the file, the text replaced, what replaces it,
# the parts of the message that must be there).  "{line}" stands for the line of the
# replacement: the message names where the bad value is.
ONE_PROBLEM = [
    pytest.param(
        MINIMAL,
        'title_en = "Platform one"',
        "title_en = 7",
        [":{line}: platforms[0] (id \"p1\"): field 'title_en': expected a string"],
        id="wrong-type",
    ),
    pytest.param(
        MINIMAL,
        'id = "p1"',
        'id = "Kangjia Institute"',
        ["not lowercase ASCII words joined by hyphens"],
        id="bad-id",
    ),
    pytest.param(
        MINIMAL + EVENT.replace('related = ["p1"]', ""),
        'id = "e1"',
        'id = "p1"',
        ["timeline[0] (id \"p1\"): field 'id': duplicate id, first used by platforms[0]"],
        id="duplicate-id-across-kinds",
    ),
    pytest.param(
        MINIMAL + EVENT,
        'related = ["p1"]',
        'related = ["p2"]',
        [':{line}: timeline[0] (id "e1"): field \'related\': "p2" names no record'],
        id="related-naming-nothing",
    ),
    pytest.param(
        MINIMAL + EVENT,
        'related = ["p1"]',
        'related = ["e1"]',
        ["names the record itself"],
        id="related-to-itself",
    ),
    pytest.param(
        MINIMAL,
        'section = "s1"',
        'section = "s2"',
        ["field 'section': \"s2\" names no section", "(sections: s1)"],
        id="section-naming-nothing",
    ),
    pytest.param(
        MINIMAL + EVENT,
        'date = "2020-06-05"',
        'date = "2020-06-31"',
        [":{line}: timeline[0] (id \"e1\"): field 'date'"],
        id="bad-date",
    ),
    pytest.param(
        MINIMAL + FIGURE,
        'qualifier = "over"',
        'qualifier = "more"',
        ["figures[0] (id \"f1\"): field 'qualifier': 'more' is not one of exact"],
        id="unknown-qualifier",
    ),
    pytest.param(
        MINIMAL + FIGURE,
        "value = 300",
        'value = "300"',
        ["field 'value': expected a number, got a string"],
        id="value-a-string",
    ),
    pytest.param(
        MINIMAL + FIGURE,
        "value = 300",
        "value = true",
        ["expected a number, got a boolean"],
        id="value-a-boolean",
    ),
    pytest.param(
        MINIMAL + FIGURE, "value = 300", "value = nan", ["not a finite number"], id="value-nan"
    ),
    pytest.param(
        MINIMAL, 'quote = "璧山"', "quote = []", ["at least one quote"], id="empty-quote-list"
    ),
    pytest.param(
        MINIMAL,
        'title = "平台"',
        f'title = "{"璧" * (MAX_LENGTH["title"] + 1)}"',
        ["the limit is"],
        id="too-long-title",
    ),
]


@pytest.mark.parametrize(("valid", "old", "new", "wanted"), ONE_PROBLEM)
def test_one_bad_value_is_one_problem_named(
    tmp_path: Path, valid: str, old: str, new: str, wanted: list[str]
) -> None:
    assert valid.count(old) == 1  # the edit changes exactly one place
    text = valid.replace(old, new)
    message = only_problem(write(tmp_path, text))
    for part in wanted:
        assert part.replace("{line}", str(line_of(text, new))) in message


def test_records_not_tables(tmp_path: Path) -> None:
    text = MINIMAL.replace("schema_version = 1", 'schema_version = 1\nfigures = "x"')
    found = problems(write(tmp_path, text))
    assert any("'figures' must be an array of tables" in p for p in found), found


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace('title = "平台"', 'titel = "平台"')
        + FIGURE.replace('qualifier = "over"', 'qualifier = "lots"')
        + EVENT.replace('date = "2020-06-05"', 'date = "June"')
    )
    found = problems(write(tmp_path, text))
    assert len(found) >= 4, found
    joined = "\n".join(found)
    for needle in ("'titel'", "'title' is missing", "'qualifier'", "'date'"):
        assert needle in joined


def test_file_is_never_written(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_dataset(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_every_bundled_record_knows_the_line_of_its_table() -> None:
    from bishan_tui.model import INFO_BY_KIND

    dataset = load_dataset()
    lines = bundled_dataset_path().read_text(encoding="utf-8").split("\n")
    for record in dataset.records:
        assert record.line is not None
        assert lines[record.line - 1].strip() == f"[[{INFO_BY_KIND[record.kind].array}]]"
        assert lines[record.line].strip() == f'id = "{record.id}"'


def test_line_numbers_count_only_newlines(tmp_path: Path) -> None:
    # U+2028 and NEL inside strings are not line breaks in TOML (splitlines says they are).
    text = MINIMAL.replace('title_en = "t"', 'title_en = "a\u2028b\x85c"', 1)
    dataset = load_dataset(write(tmp_path, text))
    assert dataset.records[0].line == text.split("\n").index("[[platforms]]") + 1
