"""The dataset cache: same Dataset as the loader, reused, rebuilt when stale or damaged,
never hiding an error; and the benchmark generator writes valid, deterministic files."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dataset_files import VALID, forbid_parsing

from bishan_tui.cachedir import default_cache_dir
from bishan_tui.loader import DatasetError, load_dataset
from bishan_tui.search import dataset_cache
from bishan_tui.search.dataset_cache import cache_path, load_dataset_cached

ROOT = Path(__file__).resolve().parent.parent



def _lines(dataset: Any) -> list[int | None]:
    return [record.line for record in dataset.records]


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("dataset-*.bin")) if folder.is_dir() else []


def test_first_load_writes_the_cache_and_returns_what_the_loader_returns(
    data_file: Path, cache_dir: Path
) -> None:
    expected = load_dataset(data_file)
    got = load_dataset_cached(data_file, cache_dir=cache_dir)
    assert got == expected
    assert got.path == expected.path == str(data_file)
    assert _lines(got) == _lines(expected)
    assert _entries(cache_dir) == [cache_path(cache_dir, data_file)]
    assert not list(cache_dir.glob("*.tmp"))


def test_second_load_skips_the_parser_and_is_identical(
    data_file: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_dataset(data_file)
    load_dataset_cached(data_file, cache_dir=cache_dir)
    forbid_parsing(monkeypatch, "on a warm start")
    got = load_dataset_cached(data_file, cache_dir=cache_dir)
    assert got == expected
    assert repr(got) == repr(expected)
    assert got.path == expected.path
    assert _lines(got) == _lines(expected)
    for mine, theirs in zip(got.records, expected.records, strict=True):
        assert type(mine) is type(theirs)
        assert mine.kind == theirs.kind
        assert list(mine.text_fields()) == list(theirs.text_fields())
    assert got.source == expected.source
    assert got.sections == expected.sections
    assert got.by_id("f2") == expected.by_id("f2")
    assert got.counts() == expected.counts()
    figure = got.by_id("f2")
    assert figure is not None and getattr(figure, "value") == 14.5  # noqa: B009


def test_same_content_at_another_path_gets_that_path(
    data_file: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset_cached(data_file, cache_dir=cache_dir)
    copy = tmp_path / "copy.toml"
    copy.write_bytes(data_file.read_bytes())
    assert load_dataset_cached(copy, cache_dir=cache_dir).path == str(copy)
    forbid_parsing(monkeypatch, "on a warm start")
    assert load_dataset_cached(copy, cache_dir=cache_dir).path == str(copy)
    assert load_dataset_cached(data_file, cache_dir=cache_dir).path == str(data_file)


def test_a_changed_file_is_loaded_again(data_file: Path, cache_dir: Path) -> None:
    load_dataset_cached(data_file, cache_dir=cache_dir)
    stat = data_file.stat()
    # Same size and modification time: only the content differs.
    changed = VALID.replace('title_en = "Growth"', 'title_en = "Growl!"')
    assert len(changed) == len(VALID)
    data_file.write_text(changed, encoding="utf-8")
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    got = load_dataset_cached(data_file, cache_dir=cache_dir)
    assert got == load_dataset(data_file)
    record = got.by_id("f2")
    assert record is not None and record.title_en == "Growl!"
    assert len(_entries(cache_dir)) == 1  # the entry was replaced, not added to


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated"),
        pytest.param(lambda blob: blob[:-1], id="last-byte-missing"),
        pytest.param(lambda blob: blob[:-5] + bytes(5), id="payload-bytes-changed"),
        pytest.param(lambda blob: b"garbage" * 50, id="garbage"),
        pytest.param(lambda blob: blob[:10] + b"X" + blob[11:], id="bad-magic"),
        pytest.param(lambda blob: blob[:40] + bytes([blob[40] ^ 1]) + blob[41:], id="bad-key"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    data_file: Path, cache_dir: Path, damage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_dataset(data_file)
    load_dataset_cached(data_file, cache_dir=cache_dir)
    entry = cache_path(cache_dir, data_file)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert load_dataset_cached(data_file, cache_dir=cache_dir) == expected
    assert entry.read_bytes() == good  # rebuilt
    forbid_parsing(monkeypatch, "on a warm start")
    assert load_dataset_cached(data_file, cache_dir=cache_dir) == expected


def test_a_payload_that_does_not_fit_the_model_is_a_miss(
    data_file: Path, cache_dir: Path
) -> None:
    expected = load_dataset(data_file)
    load_dataset_cached(data_file, cache_dir=cache_dir)
    entry = cache_path(cache_dir, data_file)
    key = dataset_cache.cache_key(data_file.read_bytes())
    import json

    from bishan_tui import cachedir

    header = dataset_cache.MAGIC + key
    for plain in [[], {"format": dataset_cache.CACHE_FORMAT}, {"document": {"x": 1}}]:
        payload = json.dumps(plain).encode()
        tag = cachedir.seal(cache_dir, header, payload)
        assert tag is not None
        entry.write_bytes(header + tag + payload)  # sealed: refused for what it holds
        assert dataset_cache.read_cache(entry, key, str(data_file)) is None
        assert load_dataset_cached(data_file, cache_dir=cache_dir) == expected


def test_an_unreadable_cache_entry_is_a_miss(data_file: Path, cache_dir: Path) -> None:
    load_dataset_cached(data_file, cache_dir=cache_dir)
    entry = cache_path(cache_dir, data_file)
    entry.unlink()
    entry.mkdir()  # opening it fails, whoever runs the test
    assert load_dataset_cached(data_file, cache_dir=cache_dir) == load_dataset(data_file)


def test_an_unwritable_cache_folder_is_not_an_error(data_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    expected = load_dataset(data_file)
    assert load_dataset_cached(data_file, cache_dir=blocker / "cache") == expected
    assert load_dataset_cached(data_file, cache_dir=blocker) == expected


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions do not bind root",
)
def test_a_read_only_cache_folder_is_not_an_error(data_file: Path, cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        assert load_dataset_cached(data_file, cache_dir=cache_dir) == load_dataset(data_file)
        assert _entries(cache_dir) == []
    finally:
        cache_dir.chmod(0o700)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            VALID.replace('section = "s1"\nquote = "璧山"', 'section = "s9"\nquote = "璧山"'),
            id="schema-error",
        ),
        pytest.param(VALID + "\n[[figures]\n", id="bad-toml"),
        pytest.param("", id="empty"),
        pytest.param(" \n\t\r\n", id="only-white-space"),
        pytest.param(VALID.replace("璧山", "\x00"), id="nul-byte"),
    ],
)
def test_a_bad_file_raises_every_time_and_is_never_cached(
    tmp_path: Path, cache_dir: Path, text: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as direct:
        load_dataset(bad)
    for _ in range(3):
        with pytest.raises(DatasetError) as cached:
            load_dataset_cached(bad, cache_dir=cache_dir)
        assert cached.value.problems == direct.value.problems
        assert _entries(cache_dir) == []


def test_bad_bytes_and_missing_files_raise_the_loaders_error(
    tmp_path: Path, cache_dir: Path
) -> None:
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(VALID.encode("utf-8") + b"\n# caf\xe9\n")
    for path in (latin, tmp_path / "missing.toml", tmp_path):
        with pytest.raises(DatasetError) as direct:
            load_dataset(path)
        with pytest.raises(DatasetError) as cached:
            load_dataset_cached(path, cache_dir=cache_dir)
        assert cached.value.problems == direct.value.problems
    assert _entries(cache_dir) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_read_once_and_cached_by_content(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)

    def feed() -> threading.Thread:
        def write() -> None:
            with fifo.open("w", encoding="utf-8") as handle:
                handle.write(VALID)

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        return thread

    reference = tmp_path / "plain.toml"
    reference.write_text(VALID, encoding="utf-8")
    expected = dataclasses.replace(load_dataset(reference), path=str(fifo))
    thread = feed()
    first = load_dataset_cached(fifo, cache_dir=cache_dir)
    thread.join(5)
    assert first == expected and first.path == str(fifo)
    forbid_parsing(monkeypatch, "on a warm start")
    thread = feed()
    assert load_dataset_cached(fifo, cache_dir=cache_dir) == expected
    thread.join(5)


def test_a_file_that_is_fixed_is_then_cached(data_file: Path, cache_dir: Path) -> None:
    data_file.write_text(VALID.replace('id = "s1"', 'id = "s2"'), encoding="utf-8")
    with pytest.raises(DatasetError):
        load_dataset_cached(data_file, cache_dir=cache_dir)
    data_file.write_text(VALID, encoding="utf-8")
    assert load_dataset_cached(data_file, cache_dir=cache_dir) == load_dataset(data_file)
    assert len(_entries(cache_dir)) == 1


def test_default_cache_dir_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "bishan-tui"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored
    assert default_cache_dir() == Path.home() / ".cache" / "bishan-tui"


def test_default_cache_dir_is_used(
    data_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_dataset_cached(data_file)
    assert len(_entries(tmp_path / "xdg" / "bishan-tui")) == 1


def test_the_bundled_dataset_loads_through_the_cache(cache_dir: Path) -> None:
    try:
        expected = load_dataset()
    except DatasetError:
        pytest.skip("the bundled dataset is not there or not valid yet")
    assert load_dataset_cached(cache_dir=cache_dir) == expected
    assert load_dataset_cached(cache_dir=cache_dir) == expected


# --------------------------------------------------------------------------- generator


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bishan_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_files_are_valid_and_deterministic(tmp_path: Path, seed: int) -> None:
    generate = _generator()
    out = tmp_path / f"gen-{seed}.toml"
    table = tmp_path / f"gen-{seed}.csv"
    argv = ["--records", "200", "--seed", str(seed), "-o", str(out), "--csv", str(table)]
    assert generate.main(argv) == 0
    dataset = load_dataset(out)
    assert len(dataset.records) == 200
    assert all(count > 0 for count in dataset.counts().values())
    assert len({record.id for record in dataset.records}) == 200
    first = out.read_bytes()
    assert generate.main(argv) == 0
    assert out.read_bytes() == first
    import csv

    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["kind", "id", "title", "title_en", "value", "date", "summary", "summary_en"]
    assert [row[1] for row in rows[1:]] == [record.id for record in dataset.records]
    other = generate.generate_text(200, seed + 10)
    assert other.encode("utf-8") != first


def test_generator_without_article_or_bundled_file(tmp_path: Path) -> None:
    generate = _generator()
    text = generate.generate_text(
        120, 3, article=tmp_path / "missing.txt", bundled=tmp_path / "missing.toml"
    )
    out = tmp_path / "fallback.toml"
    out.write_text(text, encoding="utf-8")
    dataset = load_dataset(out)
    assert len(dataset.records) == 120
    assert text == generate.generate_text(
        120, 3, article=tmp_path / "missing.txt", bundled=tmp_path / "missing.toml"
    )
