"""The CLI on a terminal that cannot encode Chinese (PYTHONIOENCODING=latin-1, as an
ISO-8859-1 locale): no traceback, escapes instead of a crash, one warning, the exit
codes keep their meaning.  (The app on such a terminal: tests/e2e/test_latin1_terminal.py.)"""

from __future__ import annotations

import json

from cli_process import run_cli

LATIN1 = {"PYTHONIOENCODING": "latin-1"}


def test_search_plain_escapes_and_warns_once() -> None:
    result = run_cli("search", "--format", "plain", "康佳", env=LATIN1)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "\\u5eb7\\u4f73" in result.stdout  # 康佳, escaped
    assert result.stderr.count("cannot show Chinese") == 1


def test_table_and_show_do_not_crash() -> None:
    for args in (("search", "--format", "table", "kangjia"), ("show", "lihe-qingchuang")):
        result = run_cli(*args, env=LATIN1)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and result.stdout


def test_json_stays_exact() -> None:
    result = run_cli("search", "--format", "json", "康佳", env=LATIN1)
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert any("康佳" in record["title"] for record in records)
    assert "cannot show Chinese" not in result.stderr  # JSON's own escapes: nothing lost


def test_no_match_still_exits_1() -> None:
    result = run_cli("search", "zzqqxxjj", env=LATIN1)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "no record matches" in result.stderr


def test_utf8_output_is_unchanged() -> None:
    result = run_cli("search", "--format", "plain", "康佳")
    assert "康佳" in result.stdout and "cannot show" not in result.stderr


def test_table_columns_line_up_when_chinese_is_escaped() -> None:
    # the table is laid out for the escapes written, not for the Chinese they replace
    result = run_cli(
        "search", "--format", "table", "kangjia", env={**LATIN1, "COLUMNS": "200"}
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "|" in line]
    assert len(lines) > 4
    bars = {tuple(i for i, ch in enumerate(line) if ch == "|") for line in lines}
    assert len(bars) == 1, lines  # every row's separators at the same columns
    assert "\\u91cd\\u5e86" in result.stdout  # 重庆, escaped
