"""What keeps a one-shot lookup fast without changing what it does
(benchmarks/bench_cli.py measures it; these only guard the choices)."""

from __future__ import annotations

import gc
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cli_process import ROOT

from bishan_tui.cli import main
from bishan_tui.fieldspec import SharedMethods
from bishan_tui.model import (
    RECORD_CLASS,
    Dataset,
    FigureRecord,
    GlossaryEntry,
    Paragraph,
    Section,
    Source,
)

# the module (bishan_tui.cli's `main` attribute is the function)
cli_main = importlib.import_module("bishan_tui.cli.main")


def _in_process(code: str, tmp_path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"},
        timeout=60,  # a hang guard, not a speed test
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_one_shot_lookup_never_runs_the_collector(tmp_path: Path) -> None:
    # The console script's entry turns the collector off before the first import.
    code = (
        "import gc, sys\n"
        "from bishan_tui.__main__ import run\n"
        "assert 'bishan_tui.cli' not in sys.modules\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(phase))\n"
        "codes = []\n"
        "for argv in (['search', '--format', 'json', 'kangjia'], ['show', 'x'], ['validate']):\n"
        "    sys.argv = ['bishan-tui', *argv]\n"
        "    codes.append(run())\n"
        "print('RESULT', codes, len(runs), gc.isenabled(), file=sys.stderr)\n"
    )
    assert "RESULT [0, 1, 0] 0 False" in _in_process(code, tmp_path)


@pytest.fixture
def collector_off() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("argv", [[], ["serve"]], ids=["app", "serve"])
def test_what_lives_long_runs_with_the_collector_on(
    collector_off: None, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    seen: list[bool] = []

    def started(args: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli_main, "cmd_app", started)
    monkeypatch.setattr(cli_main, "cmd_serve", started)
    assert main(argv) == 0
    assert seen == [True]


def test_the_model_shares_repr_eq_and_hash(bundled: Dataset) -> None:
    # Each class declared repr=False, eq=False: dataclasses compiles none of the three.
    for cls in (*RECORD_CLASS.values(), Source, Section, Paragraph, GlossaryEntry):
        for name in ("__repr__", "__eq__", "__hash__"):
            assert getattr(cls, name) is getattr(SharedMethods, name), (cls, name)
    figure = next(r for r in bundled.records if isinstance(r, FigureRecord))
    assert repr(figure).startswith(f"FigureRecord(id={figure.id!r}, title={figure.title!r}, ")
    assert "line=" in repr(figure)
    moved = replace(figure, line=(figure.line or 0) + 1)  # compare=False: not compared
    assert moved == figure and hash(moved) == hash(figure)
    assert replace(figure, value=1) != figure
    other = bundled.records[0]
    assert other != figure and figure.__eq__("x") is NotImplemented
    assert {figure, moved, other} == {figure, other}


def test_a_lookup_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    # shutil (with zlib, bz2, lzma) came with argparse's help formatter, difflib with
    # the loader's suggestions, csv with the formats: ~2 ms of a lookup together.
    # (The first lookup builds and saves the index, with pypinyin: not this path.)
    warm = "import sys\nfrom bishan_tui.cli import main\nmain(['search', 'kangjia'])\n"
    _in_process(warm, tmp_path)
    code = (
        "import sys\n"
        "from bishan_tui.__main__ import run\n"
        "codes = []\n"
        "for fmt in ('table', 'plain', 'json'):\n"
        "    sys.argv = ['bishan-tui', 'search', '--format', fmt, 'kangjia']\n"
        "    codes.append(run())\n"
        "unused = [m for m in ('shutil', 'difflib', 'csv', 'hashlib') if m in sys.modules]\n"
        "print('RESULT', codes, unused, file=sys.stderr)\n"
    )
    assert "RESULT [0, 0, 0] []" in _in_process(code, tmp_path)


def test_after_the_app_the_command_exits_as_usual(
    collector_off: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a one-shot command skips the interpreter's teardown (os._exit); after the
    # app (the collector back on) the exit is a normal SystemExit.
    from bishan_tui.__main__ import command

    monkeypatch.setattr(cli_main, "cmd_app", lambda args: 3)
    monkeypatch.setattr(sys, "argv", ["bishan-tui"])
    with pytest.raises(SystemExit) as raised:
        command()
    assert raised.value.code == 3


def test_a_one_shot_command_ends_with_everything_written(tmp_path: Path) -> None:
    # os._exit after the command: stdout flushed first, through a pipe, whole.
    result = subprocess.run(
        [sys.executable, "-m", "bishan_tui", "export", "--format", "json"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"},
        timeout=60,  # a hang guard, not a speed test
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) > 100
