"""A disk cache of loaded datasets, so a second start skips TOML parsing.

No Textual, no Rich.  :func:`load_dataset_cached` returns exactly what
:func:`bishan_tui.loader.load_dataset` returns for the same path; the cache is never
needed for correctness.

How it is kept:

* **Key.** The sha256 of the file's bytes, with :data:`CACHE_FORMAT`, the package
  version, the Python version and a fingerprint of the model and loader source.  A
  file that changes in any byte misses.
* **Slot.** One cache file per dataset path, ``dataset-<hash of the path>.bin`` under
  ``$XDG_CACHE_HOME/bishan-tui`` or ``~/.cache/bishan-tui``, so a changing file
  replaces its entry instead of piling up copies.
* **Format.** A header (magic, key, a keyed BLAKE2b tag, see
  :func:`~bishan_tui.cachedir.seal`) and a JSON payload: the parsed TOML document and
  the line of each record.  A hit is ``json.loads`` (about 6x faster than tomli here)
  followed by the loader's own :func:`~bishan_tui.loader.build_dataset`, so what the
  cache serves passes every check the loader makes (ids, lengths, types, links).
  ``marshal`` and ``pickle`` are never used: a crafted 10-byte marshal payload
  crashes the interpreter, while JSON's loader can only fail with an exception.
* **Reading.** The dataset file through :func:`loader.read_bytes`, as the loader
  reads it; the cache entry through :func:`~bishan_tui.cachedir.read_entry`
  (no symlinks, no FIFOs or devices, size bound, magic and key checked first).
* **Safety.** Written atomically (temporary file in the same folder, then
  :func:`os.replace`).  Anything wrong with an entry (missing, truncated, planted,
  stale, not a regular file, not valid) is a miss with a note
  (:func:`~bishan_tui.cachedir.note`), and the entry is rebuilt.  A file with
  problems is never cached: its :class:`~bishan_tui.loader.DatasetError` is raised on
  every load.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any, NamedTuple

from .. import __version__, loader
from ..cachedir import (
    TAG_BYTES,
    default_cache_dir,
    note,
    prune,
    read_entry,
    seal,
    sweep_once,
    unseal,
    write_atomically,
)
from ..model import Dataset

CACHE_FORMAT = 2
MAGIC = b"bishan-tui dataset cache\n"
_DIGEST = 32  # bytes of a sha256 digest
# An entry holds the document as JSON: about the size of the TOML file.
MAX_ENTRY_BYTES = 2 * loader.MAX_FILE_BYTES


def _code_fingerprint() -> bytes:
    """The source of the modules that decide what a file loads to (changes in a
    checkout invalidate the cache even when the version number does not move)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    sources = [package / "model.py", package / "fieldspec.py", Path(__file__).resolve()]
    sources.extend(sorted((package / "loader").glob("*.py")))
    for source in sources:
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(source.name.encode())
    return digest.digest()


_FINGERPRINT: bytes | None = None


def cache_key(content: bytes) -> bytes:
    """The key of a file's bytes: content, cache format, package, Python, code."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _code_fingerprint()
    digest = hashlib.sha256()
    digest.update(
        f"bishan-tui dataset cache v{CACHE_FORMAT}\0{__version__}\0"
        f"{sys.implementation.cache_tag}\0{sys.version_info[:2]}\0".encode()
    )
    digest.update(_FINGERPRINT)
    digest.update(hashlib.sha256(content).digest())
    return digest.digest()


def cache_path(cache_dir: Path, file: Path) -> Path:
    """The cache slot of one dataset path."""
    try:
        name = str(file.resolve())
    except (OSError, RuntimeError):
        name = os.path.abspath(file)
    slot = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir / f"dataset-{slot}.bin"


# --------------------------------------------------------------------------- disk


class Entry(NamedTuple):
    """What a cache entry holds: the parsed TOML document and the line of each record
    (converted to and from the entry's JSON only by :func:`_to_json` and
    :func:`_from_json`)."""

    document: dict[str, Any]
    lines: list[int | None]


def _to_json(entry: Entry) -> bytes:
    plain = {"format": CACHE_FORMAT, "document": entry.document, "lines": entry.lines}
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8", "surrogatepass"
    )


def _from_json(plain: object) -> Entry | None:
    """The entry of a parsed payload, or ``None`` when it is not one (the document's
    content is checked by the loader, the line numbers here)."""
    if not isinstance(plain, dict) or plain.get("format") != CACHE_FORMAT:
        return None
    document, lines = plain.get("document"), plain.get("lines")
    if not isinstance(document, dict) or not isinstance(lines, list):
        return None
    return Entry(document, lines)


def _valid_lines(lines: list[Any], count: int) -> list[int | None] | None:
    if len(lines) != count:
        return None
    for line in lines:
        if line is not None and not (type(line) is int and 0 < line <= 1 << 31):
            return None
    return lines


def read_cache(entry: Path, key: bytes, name: str) -> Dataset | None:
    """The dataset stored under ``key`` in ``entry``, or ``None`` for any problem
    (each noted).  What is read is validated by the loader, as a file would be."""
    blob = read_entry(entry, MAGIC, key, max_bytes=MAX_ENTRY_BYTES)
    if blob is None:
        return None
    head = len(MAGIC) + len(key)
    with memoryview(blob) as view:
        tag = view[head : head + TAG_BYTES]
        payload = view[head + TAG_BYTES :]
        try:
            if not unseal(entry.parent, blob[:head], tag, payload):
                note(
                    f"cache: {entry.name} fails its check (damaged, or not written by bishan-tui "
                    "for this user); ignored"
                )
                return None
            with loader.gc_paused():
                plain = json.loads(payload.tobytes())
        except (ValueError, RecursionError, MemoryError) as error:
            note(f"cache: {entry.name} is damaged ({type(error).__name__}); ignored")
            return None
        finally:
            tag.release()
            payload.release()
    del blob  # the file's bytes are not needed while the records are built
    held = _from_json(plain)
    del plain
    if held is None:
        note(f"cache: {entry.name} does not hold a dataset; ignored")
        return None
    try:
        with loader.gc_paused():
            dataset = loader.build_dataset(held.document, name)
    except loader.DatasetError as error:
        first = error.problems[0] if error.problems else ""
        note(f"cache: {entry.name} holds records the loader refuses ({first}); ignored")
        return None
    except Exception as error:  # whatever a crafted document does to the checks: a miss
        note(f"cache: {entry.name} is not a valid dataset ({type(error).__name__}); ignored")
        return None
    lines = _valid_lines(held.lines, len(dataset.records))
    if lines is None:
        note(f"cache: {entry.name} has wrong line numbers; ignored")
        return None
    for record, line in zip(dataset.records, lines, strict=True):
        object.__setattr__(record, "line", line)  # frozen: the loader's own value
    return dataset


def write_cache(entry: Path, key: bytes, document: dict[str, Any], dataset: Dataset) -> bool:
    """Store a parsed document atomically; ``False`` (never an exception) if it
    cannot be (a value JSON cannot hold exactly, an unwritable folder)."""
    try:
        payload = _to_json(Entry(document, [record.line for record in dataset.records]))
    except (TypeError, ValueError, RecursionError) as error:
        note(f"cache: {dataset.path} cannot be cached ({type(error).__name__})")
        return False
    header = MAGIC + key
    tag = seal(entry.parent, header, payload)
    if tag is None:
        return False
    done = write_atomically(entry, lambda handle: handle.write(header + tag + payload))
    if done:
        prune(entry.parent, keep=entry)
    return done


def load_dataset_cached(
    path: str | os.PathLike[str] | None = None, *, cache_dir: str | os.PathLike[str] | None = None
) -> Dataset:
    """:func:`~bishan_tui.loader.load_dataset`, from the cache when the file's bytes
    were loaded before.  ``path=None`` is the bundled dataset; ``cache_dir=None`` is
    :func:`default_cache_dir`.

    The file is read by :func:`loader.read_bytes` (so folders, devices, pipes and
    oversized files are refused or read exactly as the loader does); every
    :class:`~bishan_tui.loader.DatasetError` is the loader's own.
    """
    file = Path(path) if path is not None else loader.bundled_dataset_path()
    name = str(file)
    raw = loader.read_bytes(file)
    key = cache_key(raw)
    # A hit never needs the text: drop it to keep the peak memory down, unless it
    # cannot be read twice (a pipe).
    data: bytes | None = None if _is_regular(file) else raw
    del raw
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    sweep_once(folder)
    entry = cache_path(folder, file)
    cached = read_cache(entry, key, name)
    if cached is not None:
        return cached
    if data is None:  # read again; the key is of the bytes loaded now
        data = loader.read_bytes(file)
        key = cache_key(data)
    text = loader.decode_text(data, name)
    del data
    with loader.gc_paused():
        document = loader.parse_toml(text, name)
        dataset = loader.build_dataset(document, name, text)
    del text
    write_cache(entry, key, document, dataset)
    del document
    return dataset


def _is_regular(file: Path) -> bool:
    try:
        return stat.S_ISREG(file.stat().st_mode)
    except OSError:
        return False
