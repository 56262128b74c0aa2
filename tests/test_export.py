"""Export: the app's files are the CLI's output, and no file is overwritten unasked."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_cli

from bishan_tui.export import (
    default_name,
    free_path,
    pick_records,
    render,
    resolve,
    with_format,
    write_export,
)
from bishan_tui.loader import load_dataset
from bishan_tui.search import build_index


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_every_tab_is_what_the_cli_exports(fmt: str) -> None:
    dataset = load_dataset()
    text = render(pick_records(dataset.records, None, None), fmt)
    assert text == run_cli("export", "--format", fmt).stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_a_tab_s_matches_are_what_the_cli_searches(fmt: str) -> None:
    dataset = load_dataset()
    index = build_index(dataset)
    ranked = index.search_result("kangjia").record_ids()
    this_tab = render(pick_records(index.records, "figure", ranked), fmt)
    cli = run_cli("search", "kangjia", "--kind", "figure", "--limit", "0", "--format", fmt)
    assert this_tab == cli.stdout
    every_tab = render(pick_records(index.records, None, ranked), fmt)
    assert every_tab == run_cli("search", "kangjia", "--limit", "0", "--format", fmt).stdout
    assert len(every_tab) > len(this_tab)


def test_csv_and_markdown_show_control_characters(small_dataset) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    record = dataclasses.replace(small_dataset.records[0], title="a\x1b]52;c;ZXZpbA==\x07b")
    for fmt in ("csv", "markdown", "json"):
        assert "\x1b" not in render([record], fmt)


def test_default_names_say_what_and_never_exist(tmp_path: Path) -> None:
    assert default_name("platform", "", "csv") == "bishan-platforms.csv"
    assert default_name(None, "康佳 光电", "json") == "bishan-all-康佳-光电.json"
    assert default_name("figure", "../../etc/passwd", "markdown") == "bishan-figures-etc-passwd.md"
    assert "/" not in default_name(None, "a/b\\c:d*e?", "csv")
    (tmp_path / "bishan-all.csv").write_text("", encoding="utf-8")
    (tmp_path / "bishan-all-2.csv").write_text("", encoding="utf-8")
    assert free_path(tmp_path, "bishan-all.csv") == tmp_path / "bishan-all-3.csv"
    assert free_path(tmp_path, "other.csv") == tmp_path / "other.csv"


def test_with_format_swaps_a_known_suffix_only() -> None:
    assert with_format("mine.csv", "json") == "mine.json"
    assert with_format("mine.md", "csv") == "mine.csv"
    assert with_format("mine.txt", "markdown") == "mine.txt.md"


def test_resolve_is_relative_to_the_folder(tmp_path: Path) -> None:
    assert resolve("out.csv", tmp_path) == tmp_path / "out.csv"
    assert resolve(" /abs/out.csv ", tmp_path) == Path("/abs/out.csv")
    assert resolve("~/out.csv", tmp_path) == Path.home() / "out.csv"


def test_write_never_overwrites_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_export(target, "康佳\n")
    assert target.read_text(encoding="utf-8") == "康佳\n"
    with pytest.raises(FileExistsError):
        write_export(target, "other\n")
    assert target.read_text(encoding="utf-8") == "康佳\n"
    write_export(target, "other\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "other\n"
    with pytest.raises(IsADirectoryError):
        write_export(tmp_path, "x", overwrite=True)
    with pytest.raises(OSError):
        write_export(tmp_path / "missing" / "out.csv", "x")
