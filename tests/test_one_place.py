"""Adding a field to a kind is one change, in bishan_tui/model.py.

Proved on a copy of the package: one line is added to ProjectRecord, and the new
field is then checked by the loader (with its line in the message), written in JSON
and CSV, shown by ``show``, given a labelled row in the detail pane, and found by
search, in Chinese and in pinyin, through the public CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import bishan_tui

ANCHOR = '    kind: Kind = field(init=False, default="project")\n'
# The whole change: one field, its labels, that search reads it (in pinyin too) and
# that CSV has it as its 15th column.
NEW_FIELD = (
    '    funding: str = field(default="", metadata=spec("资金", "Funding", search=10,'
    " pinyin=True, csv=15))\n"
)
DATASET = """\
schema_version = 1
[source]
title = "题"
title_en = "Title"
[[sections]]
id = "s1"
title = "节"
title_en = "Section"
[[projects]]
id = "chip-line"
title = "芯片产线"
title_en = "Chip line"
summary = "摘要"
summary_en = "Summary"
section = "s1"
quote = "原文"
funding = FUNDING
"""
DETAIL = """\
import sys
from bishan_tui.loader import load_dataset
from bishan_tui.ui.detail import detail_text  # the detail pane's text
dataset = load_dataset(sys.argv[1])
for lang in ("zh", "en"):
    print(detail_text(dataset.records[0], dataset, lang, lambda field: ()).plain)
"""


def _copy_with_new_field(tmp_path: Path) -> Path:
    source = Path(bishan_tui.__file__).resolve().parent
    root = tmp_path / "copy"
    shutil.copytree(source, root / "bishan_tui", ignore=shutil.ignore_patterns("__pycache__"))
    model = root / "bishan_tui" / "model.py"
    text = model.read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1
    model.write_text(text.replace(ANCHOR, NEW_FIELD + ANCHOR), encoding="utf-8")
    return root


def _runner(root: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "BISHAN_DATA": "",
        "COLUMNS": "100",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], env=env, cwd=tmp_path, capture_output=True, text=True
        )

    return run


def test_a_field_added_in_one_place_reaches_every_layer(tmp_path: Path) -> None:
    root = _copy_with_new_field(tmp_path)
    run = _runner(root, tmp_path)
    good = tmp_path / "good.toml"
    good.write_text(DATASET.replace("FUNDING", '"国家专项资金"'), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(DATASET.replace("FUNDING", "3"), encoding="utf-8")
    cli = ("-m", "bishan_tui")

    # the copy is the package that runs
    where = run("-c", "import bishan_tui; print(bishan_tui.__file__)")
    assert where.stdout.strip() == str(root / "bishan_tui" / "__init__.py"), where.stderr

    # the loader checks it, and says where
    refused = run(*cli, "validate", str(bad))
    assert refused.returncode == 2
    message = "projects[0] (id \"chip-line\"): field 'funding': expected a string, got an integer"
    assert f"{bad}:17: {message}" in refused.stderr, refused.stderr
    assert run(*cli, "validate", str(good)).returncode == 0

    # JSON and CSV
    exported = run(*cli, "--data", str(good), "export", "--format", "json")
    assert json.loads(exported.stdout)[0]["funding"] == "国家专项资金", exported.stderr
    csv = run(*cli, "--data", str(good), "export", "--format", "csv").stdout.splitlines()
    assert csv[0].endswith(",quote,funding") and csv[1].endswith(",国家专项资金")

    # show
    shown = run(*cli, "--data", str(good), "show", "chip-line", "--format", "plain").stdout
    assert "funding\t国家专项资金\n" in shown

    # the detail pane: a labelled row, in each language
    detail = run("-c", DETAIL, str(good))
    assert "资金: 国家专项资金" in detail.stdout and "Funding: 国家专项资金" in detail.stdout, (
        detail.stderr
    )

    # search: its Chinese, and its pinyin (a field read in pinyin)
    for query in ("专项资金", "zhuanxiang"):
        found = run(*cli, "--data", str(good), "search", query, "--format", "plain")
        assert found.stdout.startswith("project\tchip-line\t"), (query, found.stdout, found.stderr)


def test_without_the_field_the_same_file_is_refused(tmp_path: Path) -> None:
    """The other half of the proof: the unmodified package does not know the field."""
    root = tmp_path / "copy"
    shutil.copytree(
        Path(bishan_tui.__file__).resolve().parent,
        root / "bishan_tui",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    good = tmp_path / "good.toml"
    good.write_text(DATASET.replace("FUNDING", '"国家专项资金"'), encoding="utf-8")
    refused = _runner(root, tmp_path)("-m", "bishan_tui", "validate", str(good))
    assert refused.returncode == 2 and "field 'funding' is not known" in refused.stderr


def test_the_descriptions_keep_the_order_search_relies_on() -> None:
    """The index reads a record's name fields first, then summary, tags and quotes
    (scan.py and the index's per-field texts count on it), whatever kind it is."""
    from bishan_tui.fieldspec import searched_fields
    from bishan_tui.model import RECORD_CLASS

    for cls in RECORD_CLASS.values():
        searched = searched_fields(cls)
        names = [about.name for about in searched]
        assert names == sorted(names, reverse=True), cls  # the name fields, then the rest
        assert [about.column for about in searched if about.search < 10] == [
            "title", "title_en", "aliases", "aliases_en", "summary", "summary_en", "tags", "quote",
        ]  # fmt: skip


def test_each_csv_place_and_column_is_one_field() -> None:
    from bishan_tui.fieldspec import described
    from bishan_tui.model import RECORD_CLASS

    places: dict[int, str] = {}
    for cls in RECORD_CLASS.values():
        for about in described(cls):
            if about.csv:
                assert places.setdefault(about.csv, about.column) == about.column
