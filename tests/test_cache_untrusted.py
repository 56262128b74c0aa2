"""Cached data is untrusted input (issue 16): every crafted or damaged cache entry is a
clean miss with a one-line note, never a crash, a hang, a huge read or a wrong answer;
the cache folder is swept of interrupted writes and kept within bounds (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli
from dataset_files import VALID, forbid_parsing

from bishan_tui import cachedir
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset
from bishan_tui.search import (
    build_index,
    dataset_cache,
    dataset_key,
    index_cache_path,
    store,
)
from bishan_tui.search.dataset_cache import cache_key, cache_path, load_dataset_cached

ROOT = Path(__file__).resolve().parent.parent

# The 10-byte marshal payload of issue 16 (a dict keyed by a tuple that contains
# itself): marshal.loads segfaults on it.  Never loaded here: planted, to be refused.
SELF_REFERENTIAL_MARSHAL = b"\xfb\xa9\x01r\x01\x00\x00\x00N0"


@pytest.fixture(autouse=True)
def _own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


@pytest.fixture
def notes() -> Iterator[list[str]]:
    found: list[str] = []
    cachedir.set_note_sink(found.append)
    yield found
    cachedir.set_note_sink(None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _sealed_dataset_entry(folder: Path, data_file: Path, payload: bytes) -> bytes:
    """An entry as bishan-tui writes one (right magic, key and tag) around ``payload``:
    what a loader must still refuse when the payload is bad."""
    header = dataset_cache.MAGIC + cache_key(data_file.read_bytes())
    tag = cachedir.seal(folder, header, payload)
    assert tag is not None
    return header + tag + payload


def _document(**changes: Any) -> dict[str, Any]:
    document = tomli.loads(VALID)
    for key, value in changes.items():
        document["platforms"][0][key] = value
    return document


def _payload(document: object, lines: object = None) -> bytes:
    plain = {"format": dataset_cache.CACHE_FORMAT, "document": document, "lines": lines}
    if lines is None:
        plain["lines"] = [None] * 4
    return json.dumps(plain, ensure_ascii=False).encode()


# --------------------------------------------------------------------------- dataset cache


def _crafted_dataset_entries(folder: Path, data_file: Path, good: bytes) -> dict[str, bytes]:
    header = dataset_cache.MAGIC + cache_key(data_file.read_bytes())
    return {
        "self-referential marshal, unsealed": header + b"\x00" * 32 + SELF_REFERENTIAL_MARSHAL,
        "self-referential marshal, sealed": _sealed_dataset_entry(
            folder, data_file, SELF_REFERENTIAL_MARSHAL
        ),
        "wrong types": _sealed_dataset_entry(
            folder, data_file, _payload(_document(title=5, tags="x", quote=[None]))
        ),
        "document of the wrong shape": _sealed_dataset_entry(folder, data_file, b"[1,2,3]"),
        "deep nesting": _sealed_dataset_entry(folder, data_file, b"[" * 100_000),
        "../../etc/passwd id": _sealed_dataset_entry(
            folder, data_file, _payload(_document(id="../../etc/passwd"))
        ),
        "20,000-character title": _sealed_dataset_entry(
            folder, data_file, _payload(_document(title="长" * 20_000))
        ),
        "wrong line numbers": _sealed_dataset_entry(
            folder, data_file, _payload(tomli.loads(VALID), lines=["1", -4, None, None])
        ),
        "valid but planted (no tag)": header + b"\x00" * 32 + _payload(tomli.loads(VALID)),
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "another program's file": b"#!/bin/sh\necho hello\n" * 10,
    }


def test_every_crafted_dataset_entry_is_a_clean_miss_with_a_note(
    data_file: Path, folder: Path, notes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_dataset(data_file)
    assert load_dataset_cached(data_file, cache_dir=folder) == expected
    entry = cache_path(folder, data_file)
    good = entry.read_bytes()
    for name, blob in _crafted_dataset_entries(folder, data_file, good).items():
        entry.write_bytes(blob)
        notes.clear()
        got = load_dataset_cached(data_file, cache_dir=folder)
        assert got == expected, name
        assert [r.line for r in got.records] == [r.line for r in expected.records], name
        assert all(r.id != "../../etc/passwd" and len(r.title) < 500 for r in got.records)
        assert len(notes) == 1 and "\n" not in notes[0], (name, notes)
        assert entry.read_bytes() == good, name  # rebuilt as it was
    with monkeypatch.context() as patch:  # and the rebuilt entry is a hit again
        forbid_parsing(patch, "the cache missed")
        assert load_dataset_cached(data_file, cache_dir=folder) == expected


def test_the_cached_dataset_is_checked_by_the_loader_itself(
    data_file: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset_cached(data_file, cache_dir=folder)
    entry = cache_path(folder, data_file)
    # A sealed entry whose record the loader accepts is served from the cache, with
    # the change: proof that the checks above are the loader's, not a parse failure.
    entry.write_bytes(_sealed_dataset_entry(folder, data_file, _payload(_document(title="改"))))
    forbid_parsing(monkeypatch, "the cache missed")
    assert load_dataset_cached(data_file, cache_dir=folder).records[0].title == "改"


def test_the_marshal_payload_would_crash_an_interpreter() -> None:
    """What the format change protects against (run in a child: it may segfault)."""
    code = f"import marshal; marshal.loads({SELF_REFERENTIAL_MARSHAL!r})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode != 0
    for module in (*sorted((ROOT / "bishan_tui" / "search").glob("*.py")),
                   ROOT / "bishan_tui" / "cachedir.py"):
        source = module.read_text(encoding="utf-8")
        assert "marshal.load" not in source and "pickle.load" not in source, module


# --------------------------------------------------------------------------- file kinds


def _kinds_of_file(tmp_path: Path) -> dict[str, Callable[[Path], None]]:
    def fifo(entry: Path) -> None:
        os.mkfifo(entry)

    def dev_zero(entry: Path) -> None:
        entry.symlink_to("/dev/zero")

    def symlink_to_a_good_entry(entry: Path) -> None:
        target = tmp_path / "elsewhere.bin"
        os.replace(entry, target)
        entry.symlink_to(target)

    def sparse(entry: Path) -> None:
        with entry.open("wb") as handle:
            handle.truncate(1024**3)  # 1 GB of nothing, on no disk

    def sparse_with_magic(entry: Path) -> None:
        head = entry.read_bytes()[:200]
        with entry.open("wb") as handle:
            handle.write(head)
            handle.truncate(1024**3)

    def folder(entry: Path) -> None:
        entry.mkdir()

    return {
        "FIFO": fifo,
        "symlink to /dev/zero": dev_zero,
        "symlink to a good entry": symlink_to_a_good_entry,
        "1 GB sparse file": sparse,
        "1 GB sparse file behind the right header": sparse_with_magic,
        "folder": folder,
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
@pytest.mark.parametrize(
    "kind",
    [
        "FIFO",
        "symlink to /dev/zero",
        "symlink to a good entry",
        "1 GB sparse file",
        "1 GB sparse file behind the right header",
        "folder",
    ],
)
def test_an_entry_that_is_not_a_small_regular_file_is_refused_without_reading_it(
    data_file: Path,
    folder: Path,
    tmp_path: Path,
    notes: list[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    expected = load_dataset(data_file)
    load_dataset_cached(data_file, cache_dir=folder)
    entry = cache_path(folder, data_file)
    make = _kinds_of_file(tmp_path)[kind]
    if kind not in ("symlink to a good entry", "1 GB sparse file behind the right header"):
        entry.unlink()
    make(entry)
    read = 0
    real_read = os.read

    def counting_read(fd: int, size: int) -> bytes:
        nonlocal read
        data = real_read(fd, size)
        read += len(data)
        return data

    monkeypatch.setattr(os, "read", counting_read)
    result: list[Dataset] = []
    worker = threading.Thread(
        target=lambda: result.append(load_dataset_cached(data_file, cache_dir=folder)),
        daemon=True,
    )
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the load hung"
    assert result == [expected]
    assert read < 1024 * 1024  # the cache entry's bytes were not read
    assert notes and all("\n" not in line for line in notes)


def test_reading_checks_size_and_magic_before_the_body(tmp_path: Path, notes: list[str]) -> None:
    entry = tmp_path / "entry.bin"
    entry.write_bytes(b"MAGIC" + b"KEY" + b"x" * 100)
    assert cachedir.read_entry(entry, b"MAGIC", b"KEY", max_bytes=50) is None
    assert "over" in notes[-1]
    assert cachedir.read_entry(entry, b"OTHER", b"KEY", max_bytes=1000) is None
    assert "not a bishan-tui cache entry" in notes[-1]
    count = len(notes)
    assert cachedir.read_entry(entry, b"MAGIC", b"OLD", max_bytes=1000) is None
    assert len(notes) == count  # an older key of the same format is simply stale
    assert cachedir.read_entry(entry, b"MAGIC", b"KEY", max_bytes=1000) == entry.read_bytes()
    assert cachedir.read_entry(tmp_path / "missing", b"M", b"K", max_bytes=9) is None


# --------------------------------------------------------------------------- the index


def _index_entry(folder: Path, dataset: Dataset) -> tuple[Path, bytes]:
    build_index(dataset, cache_dir=folder, persist=True)
    return index_cache_path(folder, dataset), dataset_key(dataset)


def _split_index(blob: bytes, key: bytes) -> tuple[int, dict[str, Any], bytes]:
    """A saved index's header length, JSON document and bitmap bytes."""
    head = len(store.MAGIC) + len(key)
    body = blob[head + 32 :]
    length = int.from_bytes(body[:8], "little")
    return head, json.loads(body[8 : 8 + length]), body[8 + length :]


def _poisoned_index(folder: Path, dataset: Dataset, title: str) -> tuple[bytes, bytes]:
    """A well-formed saved index in which the record titled ``title`` holds none of
    its characters: (its header+body unsealed, the same sealed with the key)."""
    entry, key = _index_entry(folder, dataset)
    blob = entry.read_bytes()
    head, document, saved_bitmaps = _split_index(blob, key)
    bitmaps = bytearray(saved_bitmaps)
    rid = next(i for i, r in enumerate(dataset.records) if r.title == title)
    starts = [0]
    for size in document["bitmaps"]:
        starts.append(starts[-1] + size)
    for group in ("title", "other"):
        for char in set(title):
            ref = document[group]["wide"].get(char)
            if ref is not None and rid // 8 < document["bitmaps"][ref]:
                bitmaps[starts[ref] + rid // 8] &= ~(1 << (rid % 8)) & 0xFF
    text = json.dumps(document, ensure_ascii=False).encode()
    new_body = len(text).to_bytes(8, "little") + text + bytes(bitmaps)
    header = blob[:head]
    sealed_tag = cachedir.seal(folder, header, new_body)
    assert sealed_tag is not None
    return header + blob[head : head + 32] + new_body, header + sealed_tag + new_body


def test_a_poisoned_index_is_a_miss_and_the_title_stays_findable(
    bundled: Dataset, folder: Path, notes: list[str]
) -> None:
    title = bundled.records[0].title
    planted, sealed = _poisoned_index(folder, bundled, title)
    entry = index_cache_path(folder, bundled)
    # The attack works on a reader that trusts the file (proof the payload bites):
    entry.write_bytes(sealed)
    trusted = build_index(bundled, cache_dir=folder, persist=True)
    assert bundled.records[0] not in [m.record for m in trusted.search(title)]
    # Planted by anyone without this user's key: refused, rebuilt, found.
    entry.write_bytes(planted)
    notes.clear()
    index = build_index(bundled, cache_dir=folder, persist=True)
    assert index.search(title)[0].record == bundled.records[0]
    assert len(notes) == 1 and "not written by bishan-tui" in notes[0]
    # An index copied from another user's cache folder is refused the same way.
    other = folder.parent / "other-cache"
    other_entry, _ = _index_entry(other, bundled)
    entry.write_bytes(other_entry.read_bytes())
    notes.clear()
    assert build_index(bundled, cache_dir=folder, persist=True).search(title)
    assert notes


def _sealed_index(
    folder: Path, key: bytes, document: object, bitmaps: bytes = b"", *, length: int = -1
) -> bytes:
    text = document if isinstance(document, bytes) else json.dumps(document).encode()
    body = (len(text) if length < 0 else length).to_bytes(8, "little") + text + bitmaps
    header = store.MAGIC + key
    tag = cachedir.seal(folder, header, body)
    assert tag is not None
    return header + tag + body


def test_every_crafted_index_is_a_clean_miss(
    bundled: Dataset, folder: Path, notes: list[str]
) -> None:
    entry, key = _index_entry(folder, bundled)
    good = entry.read_bytes()
    head, document, bitmaps = _split_index(good, key)
    count = len(bundled.records)

    def changed(**changes: Any) -> dict[str, Any]:
        copy: dict[str, Any] = json.loads(json.dumps(document))
        for path, value in changes.items():
            target = copy
            *parents, last = path.split("__")
            for part in parents:
                target = target[part]
            target[last] = value
        return copy

    crafted = {
        "marshal": good[: head + 32] + SELF_REFERENTIAL_MARSHAL,
        "marshal, sealed": good[:head]
        + (cachedir.seal(folder, good[:head], SELF_REFERENTIAL_MARSHAL) or b"")
        + SELF_REFERENTIAL_MARSHAL,
        "truncated": good[: len(good) // 2],
        "length past the end": _sealed_index(folder, key, document, bitmaps, length=10**12),
        "not a dict": _sealed_index(folder, key, [1, 2], bitmaps),
        "wrong count": _sealed_index(folder, key, changed(count=count + 1), bitmaps),
        "text of the wrong type": _sealed_index(
            folder, key, changed(title__hay=[5] * count), bitmaps
        ),
        "text too short": _sealed_index(folder, key, changed(title__hay=["x"]), bitmaps),
        "id out of range": _sealed_index(
            folder, key, changed(title_ids=[count + 5] * len(document["title_ids"])), bitmaps
        ),
        "bitmap reference out of range": _sealed_index(
            folder, key, changed(kinds__platform=10**9), bitmaps
        ),
        "bitmap bits past the records": _sealed_index(
            folder, key, changed(bitmaps=[*document["bitmaps"][:-1], 10**6]), bitmaps
        ),
        "readings not pinyin": _sealed_index(
            folder, key, changed(readings={"康": ["\x1b[31m"]}), bitmaps
        ),
        "offsets backwards": _sealed_index(
            folder, key, changed(other__py_starts=list(range(count, 0, -1))), bitmaps
        ),
        "a bool for an id": _sealed_index(
            folder, key, changed(title_ids=[True] * len(document["title_ids"])), bitmaps
        ),
        "deep nesting": _sealed_index(folder, key, b"[" * 100_000),
        "not JSON": _sealed_index(folder, key, b"\xff\xfe\x00garbage"),
    }
    fresh = build_index(bundled, cache_dir=folder, persist=False)
    for name, blob in crafted.items():
        entry.write_bytes(blob)
        notes.clear()
        index = build_index(bundled, cache_dir=folder, persist=True)
        for query in ("康佳", "kangjia", "patent", "2020"):
            assert [m.record.id for m in index.search(query)] == [
                m.record.id for m in fresh.search(query)
            ], (name, query)
        assert len(notes) == 1, (name, notes)
        assert entry.read_bytes() != blob, name  # rebuilt
    # the loader accepts what it wrote itself
    entry.write_bytes(good)
    notes.clear()
    assert store.load(entry, key, len(bundled.records)) is not None
    assert notes == []


# --------------------------------------------------------------------------- keeping


def test_interrupted_writes_are_removed_at_the_next_start(
    data_file: Path, folder: Path, notes: list[str]
) -> None:
    folder.mkdir(parents=True)
    old = folder / ".dataset-0123-abcd.tmp"
    old.write_bytes(b"x" * 100_000)  # what Ctrl+C in the middle of a write leaves
    long_ago = time.time() - 3600
    os.utime(old, (long_ago, long_ago))
    fresh = folder / ".index-4567-efgh.tmp"
    fresh.write_bytes(b"y")  # another process writing right now
    load_dataset_cached(data_file, cache_dir=folder)
    assert not old.exists()
    assert fresh.exists()
    assert any("temporary" in line for line in notes)


def test_the_cache_keeps_a_bounded_number_of_entries_and_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / cachedir.SECRET_NAME).write_bytes(b"k" * 32)
    now = time.time()
    for i in range(10):
        entry = folder / f"index-{i}.bin"
        entry.write_bytes(b"z" * 1000)
        os.utime(entry, (now - 100 + i, now - 100 + i))  # index-0 is the oldest
    assert cachedir.prune(folder, max_entries=6, max_bytes=10**9) == 4
    assert sorted(p.name for p in folder.glob("index-*")) == [
        f"index-{i}.bin" for i in range(4, 10)
    ]
    keep = folder / "index-4.bin"  # the entry just written is kept over older ones
    assert cachedir.prune(folder, max_entries=100, max_bytes=2500, keep=keep) == 4
    assert sorted(p.name for p in folder.glob("index-*")) == ["index-4.bin", "index-9.bin"]
    assert (folder / cachedir.SECRET_NAME).exists()  # the key is not an entry


def test_a_hit_counts_as_use_for_pruning(data_file: Path, folder: Path) -> None:
    load_dataset_cached(data_file, cache_dir=folder)
    entry = cache_path(folder, data_file)
    os.utime(entry, (1, 1))
    load_dataset_cached(data_file, cache_dir=folder)
    assert entry.stat().st_mtime > 1


def test_writing_prunes_to_the_bounds(
    data_file: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.mkdir(parents=True)
    for i in range(5):
        (folder / f"dataset-old{i}.bin").write_bytes(b"x")
        os.utime(folder / f"dataset-old{i}.bin", (1000 + i, 1000 + i))
    monkeypatch.setattr(cachedir, "MAX_ENTRIES", 3)
    load_dataset_cached(data_file, cache_dir=folder)
    names = sorted(path.name for path, _, _ in cachedir.entries(folder))
    assert names == sorted(
        ["dataset-old3.bin", "dataset-old4.bin", cache_path(folder, data_file).name]
    )


def test_a_key_file_readable_by_others_disables_the_cache(
    data_file: Path, folder: Path, notes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset_cached(data_file, cache_dir=folder)
    (folder / cachedir.SECRET_NAME).chmod(0o644)
    parsed: list[int] = []
    real = tomli.loads

    def counting(text: str) -> Any:
        parsed.append(1)
        return real(text)

    monkeypatch.setattr(tomli, "loads", counting)
    assert load_dataset_cached(data_file, cache_dir=folder) == load_dataset(data_file)
    assert parsed  # parsed: the cache was not trusted
    assert any("private key" in line for line in notes)


# --------------------------------------------------------------------------- the CLI


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bishan_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=120,
        check=False,
    )


def test_verbose_reports_a_refused_entry_in_one_line_and_the_answer_is_the_same(
    tmp_path: Path,
) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    first = _cli("search", "--format", "plain", "kangjia", env=env)
    assert first.returncode == 0 and first.stderr == ""
    (index,) = (tmp_path / "xdg" / "bishan-tui").glob("index-*.bin")
    index.unlink()
    os.mkfifo(index)
    quiet = _cli("search", "--format", "plain", "kangjia", env=env)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, first.stdout, "")
    index.unlink()
    os.mkfifo(index)
    loud = _cli("--verbose", "search", "--format", "plain", "kangjia", env=env)
    assert (loud.returncode, loud.stdout) == (0, first.stdout)
    lines = loud.stderr.splitlines()
    assert len(lines) == 1 and "not a regular file" in lines[0]


def test_cache_info_and_clear(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    folder = tmp_path / "xdg" / "bishan-tui"
    empty = _cli("cache", "info", env=env)
    assert empty.returncode == 0 and "0 entries" in empty.stdout
    assert _cli("search", "kangjia", env=env).returncode == 0
    info = _cli("cache", "info", env=env)
    assert info.returncode == 0
    assert str(folder) in info.stdout and "index-" in info.stdout
    cleared = _cli("cache", "clear", env=env)
    assert cleared.returncode == 0 and "removed" in cleared.stdout
    assert list(folder.iterdir()) == []
    assert "0 entries" in _cli("cache", "info", env=env).stdout
    assert _cli("cache", "bogus", env=env).returncode == 2


def test_no_home_folder_means_no_cache_and_one_note(
    data_file: Path, notes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    folder = cachedir.default_cache_dir()
    assert notes == ["cache: no home folder; running without a cache"]
    assert load_dataset_cached(data_file) == load_dataset(data_file)
    assert load_dataset_cached(data_file) == load_dataset(data_file)
    assert not folder.exists() and cachedir.entries(folder) == []
