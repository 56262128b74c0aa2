"""The one-shot CLI, run as a user runs it: a separate process, output piped."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import ROOT, run_cli
from rich.cells import cell_len

from bishan_tui.model import KINDS, Dataset, FigureRecord

run = run_cli


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout


# --------------------------------------------------------------------------- search


def test_search_piped_defaults_to_plain_lines() -> None:
    result = run("search", "康佳")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines, "康佳 finds records"
    for line in lines:
        cells = line.split("\t")
        assert len(cells) == 5, line
        assert cells[0] in KINDS
    assert any("康佳" in line for line in lines)
    assert "\x1b" not in result.stdout


def test_search_json_is_the_contract(bundled: Dataset) -> None:
    result = run("search", "--format", "json", "康佳")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert isinstance(items, list) and items
    for item in items:
        record = bundled.by_id(item["id"])
        assert record is not None
        assert item["kind"] == record.kind
        assert item["title"] == record.title
        assert item["quote"] == list(record.quotes)
        for key in ("title_en", "summary", "summary_en", "section", "tags", "related"):
            assert key in item
        if isinstance(record, FigureRecord):
            assert item["value"] == record.value
            assert item["qualifier"] == record.qualifier
            assert item["phrase_en"] == record.phrase("en")
    # best match first: a record whose title has 康佳 comes before one that only quotes it
    titles = [
        "康佳" in item["title"] or any("康佳" in a for a in item["aliases"]) for item in items
    ]
    assert titles[0]
    assert titles == sorted(titles, reverse=True)


def test_search_kind_filter() -> None:
    result = run("search", "--kind", "figures", "--format", "json", "康佳")
    assert result.returncode == 0, result.stderr
    kinds = {item["kind"] for item in json.loads(result.stdout)}
    assert kinds == {"figure"}


def test_search_bad_kind_is_a_usage_error() -> None:
    result = run("search", "--kind", "people", "x")
    assert result.returncode == 2
    assert "unknown kind" in result.stderr
    assert_no_traceback(result)


def test_search_limit() -> None:
    result = run("search", "--limit", "2", "--format", "plain", "璧山")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2
    assert "--limit 0 shows all" in result.stderr


def test_no_match_exits_1_with_closest_titles() -> None:
    result = run("search", "kangjai", "xyzzy")  # kangjai alone finds 康佳 (one typo)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no record matches" in result.stderr
    assert "Closest titles" in result.stderr
    assert "康佳" in result.stderr.split("Closest titles")[1]
    assert_no_traceback(result)


def test_csv_parses_back(bundled: Dataset) -> None:
    result = run("search", "--format", "csv", "--kind", "figure", "--limit", "0", "2020")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for row in rows:
        record = bundled.by_id(row["id"])
        assert isinstance(record, FigureRecord)
        assert row["phrase"] == record.phrase("zh")
        assert float(row["value"]) == record.value


def test_markdown_table() -> None:
    result = run("search", "--format", "markdown", "康佳")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| kind | id | title |")
    assert lines[1].startswith("|---|")
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])


def test_table_columns_line_up_with_chinese_text() -> None:
    result = run("search", "--format", "table", "--limit", "0", "康佳", env={"COLUMNS": "160"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "标题" in line)
    column = cell_len(header[: header.index("title")])
    data = json.loads(run("search", "--format", "json", "--limit", "0", "康佳").stdout)
    checked = 0
    for item in data:
        start = item["title_en"][:12]
        for line in lines:
            if item["title"][:4] in line and start in line:
                assert cell_len(line[: line.index(start)]) == column, line
                checked += 1
                break
    assert checked >= 2, "at least two rows had Chinese and English on one line"


def test_table_is_coloured_unless_no_color() -> None:
    coloured = run("search", "--format", "table", "康佳", env={"FORCE_COLOR": "1"})
    plain = run("search", "--format", "table", "康佳", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[3" in coloured.stdout  # a foreground colour
    assert "\x1b[3" not in plain.stdout
    assert "\x1b[9" not in plain.stdout


# --------------------------------------------------------------------------- show


def test_show_prints_both_languages_quote_section_and_related(bundled: Dataset) -> None:
    record = next(r for r in bundled.records if r.related and r.kind == "platform")
    result = run("show", record.id)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert record.title in out and record.title_en in out
    assert record.summary_en in out
    assert record.quotes[0] in out
    section = bundled.section(record.section)
    assert section is not None and section.title_en in out
    other = bundled.by_id(record.related[0])
    assert other is not None and other.title in out


def test_show_unknown_id_suggests(bundled: Dataset) -> None:
    real = bundled.records[0].id
    result = run("show", real[:-1] + "x")
    assert result.returncode == 1
    assert "no record has the id" in result.stderr
    assert real in result.stderr


def test_show_json_is_one_element() -> None:
    first = json.loads(run("search", "--format", "json", "康佳").stdout)[0]
    result = run("show", first["id"], "--format", "json")
    assert json.loads(result.stdout) == [first]


# --------------------------------------------------------------------------- export, validate


def test_export_json_has_every_record(bundled: Dataset) -> None:
    result = run("export", "--format", "json")
    assert result.returncode == 0
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == [r.id for r in bundled.records]


def test_export_kind(bundled: Dataset) -> None:
    result = run("export", "--kind", "timeline", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == bundled.counts()["event"]
    assert {row["kind"] for row in rows} == {"event"}


def test_validate_bundled(bundled: Dataset) -> None:
    result = run("validate")
    assert result.returncode == 0
    assert result.stdout.startswith("OK ")
    assert f"{len(bundled.records)} records" in result.stdout
    assert f"{bundled.counts()['figure']} figures" in result.stdout


def test_validate_bad_file_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema_version = 1\n[source]\ntitle = "t"\ntitle_en = "t"\n'
        '[[sections]]\nid = "s"\ntitle = "s"\ntitle_en = "s"\n'
        '[[figures]]\nid = "f"\ntitel = "x"\n',
        encoding="utf-8",
    )
    result = run("validate", str(bad))
    assert result.returncode == 2
    problems = result.stderr.splitlines()
    assert len(problems) >= 5  # titel unknown + title, title_en, summary ... missing
    assert all(line.startswith(f"{bad}:") for line in problems), problems
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "command", [["search", "x"], ["show", "x"], ["export", "--format", "json"], []]
)
def test_every_command_refuses_a_bad_file_with_exit_2(tmp_path: Path, command: list[str]) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('schema_version = 1\ntitle = "unclosed\n', encoding="utf-8")
    result = run("--data", str(bad), *command)
    assert result.returncode == 2
    assert f"{bad}:2:18: not valid TOML" in result.stderr
    assert_no_traceback(result)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("bishan-tui ")


def test_app_without_a_terminal_says_so() -> None:
    result = run()
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


def test_runs_from_another_folder(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr


def test_cli_path_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bishan_tui.cli import main\n"
        "codes = [main(['search', '--format', 'json', q]) for q in ('康佳', 'kangjia', 'patent')]\n"
        "codes.append(main(['show', '--format', 'plain', 'x']))\n"
        "codes.append(main(['validate']))\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('MODULES', heavy, codes, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        timeout=60,
    )
    assert "MODULES [] [0, 0, 0, 1, 0]" in result.stderr, result.stderr


def test_big_files_go_through_the_dataset_cache_small_ones_do_not(tmp_path: Path) -> None:
    from bishan_tui.cli.commands import CACHE_FROM_BYTES
    from bishan_tui.loader import bundled_dataset_path

    text = bundled_dataset_path().read_text(encoding="utf-8")
    big = tmp_path / "big.toml"
    padding = "# padding\n" * (CACHE_FROM_BYTES // 10 + 1)
    big.write_text(text + padding, encoding="utf-8")
    cache_home = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache_home)}

    small = run("search", "--format", "json", "kangjia", env=env)
    assert not list(cache_home.glob("bishan-tui/dataset-*.bin"))
    first = run("--data", str(big), "search", "--format", "json", "kangjia", env=env)
    assert len(list(cache_home.glob("bishan-tui/dataset-*.bin"))) == 1
    second = run("--data", str(big), "search", "--format", "json", "kangjia", env=env)
    assert first.returncode == second.returncode == small.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(small.stdout)
