"""A disk cache of loaded datasets, so a second start skips TOML parsing and validation.

No Textual, no Rich.  :func:`load_dataset_cached` returns exactly what
:func:`bishan_tui.loader.load_dataset` returns for the same path; the cache is never
needed for correctness.

How it is kept:

* **Key.** The sha256 of the file's bytes, with :data:`CACHE_FORMAT`, the package
  version, the Python implementation (marshal's format is version-specific) and a
  fingerprint of the model and loader source.  A file that changes in any byte misses.
  (sha256 measured faster than blake2b on this machine: about 0.05 s against 0.11 s for
  a 94 MB file with 100,000 records.)
* **Slot.** One cache file per dataset path, ``dataset-<hash of the path>.bin`` under
  ``$XDG_CACHE_HOME/bishan-tui`` or ``~/.cache/bishan-tui``, so a changing file
  replaces its entry instead of piling up copies.
* **Format.** A header (magic, key, sha256 of the payload) and a :mod:`marshal` payload
  of plain tuples: every field of every record, in the order of
  :func:`dataclasses.fields`, the records rebuilt through their slots.  Measured at
  100,000 records (``python benchmarks/bench_load.py --formats``): load + rebuild
  0.61–0.71 s against 0.83–0.85 s for pickle protocol 5 of the dataclasses and
  1.4–1.8 s for JSON; dump 0.67–0.90 s against 1.2–1.3 s and 1.1–1.5 s.
* **Reading.** Through :func:`loader.read_bytes` and :func:`loader.decode_text`, so a
  folder, device, pipe or oversized file is handled exactly as the loader handles it;
  a regular file's bytes are dropped once hashed (a hit never needs them) and read again
  on a miss, a pipe's are kept.
* **Safety.** Written atomically (temporary file in the same folder, then
  :func:`os.replace`).  A missing, truncated, corrupt, stale or unreadable entry is
  ignored and rebuilt; an unwritable folder only means there is no cache.  A file with
  problems is never cached: its :class:`~bishan_tui.loader.DatasetError` is raised on
  every load.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from . import __version__, loader
from .cachedir import default_cache_dir, read_entry, write_atomically
from .model import (
    KIND_INFO,
    RECORD_CLASS,
    Dataset,
    GlossaryEntry,
    Paragraph,
    Record,
    Section,
    Source,
)

CACHE_FORMAT = 2  # 2: the article's paragraphs and the glossary are kept too
MAGIC = b"bishan-tui dataset cache\n"
_DIGEST = 32  # bytes of a sha256 digest

_CLASSES: tuple[type[Record], ...] = tuple(RECORD_CLASS[info.kind] for info in KIND_INFO)
_CODE: dict[type[Record], int] = {cls: code for code, cls in enumerate(_CLASSES)}
_FIELDS: tuple[tuple[str, ...], ...] = tuple(
    tuple(f.name for f in dataclasses.fields(cls)) for cls in _CLASSES
)


def _code_fingerprint() -> bytes:
    """The source of the modules that decide what a file loads to (changes in a
    checkout invalidate the cache even when the version number does not move)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("model.py", "loader.py", "dataset_cache.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
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


# --------------------------------------------------------------------------- payload


def _to_plain(dataset: Dataset) -> tuple[Any, ...]:
    source = tuple(getattr(dataset.source, f.name) for f in dataclasses.fields(Source))
    sections = tuple(
        tuple(getattr(section, f.name) for f in dataclasses.fields(Section))
        for section in dataset.sections
    )
    records = tuple(
        (_CODE[type(record)], *(getattr(record, name) for name in _FIELDS[_CODE[type(record)]]))
        for record in dataset.records
    )
    paragraphs = tuple((p.id, p.section, p.text, p.role) for p in dataset.paragraphs)
    glossary = tuple((g.zh, g.en, g.note) for g in dataset.glossary)
    return (
        CACHE_FORMAT,
        _FIELDS,
        source,
        sections,
        records,
        dataset.schema_version,
        paragraphs,
        glossary,
    )


def _record_builders() -> tuple[Callable[[tuple[Any, ...]], Record], ...]:
    """One function per record class that makes a record from its stored row.

    The frozen, slotted dataclasses are filled through their slot descriptors, which is
    about three times faster than calling ``__init__`` with keywords.  A class with a
    ``__post_init__`` would need it run, so such a class goes through ``__init__``.
    """
    builders: list[Callable[[tuple[Any, ...]], Record]] = []
    for cls, names in zip(_CLASSES, _FIELDS, strict=True):
        if hasattr(cls, "__post_init__"):
            init_names = tuple(f.name for f in dataclasses.fields(cls) if f.init)

            def build_init(
                row: tuple[Any, ...],
                cls: type[Record] = cls,
                names: tuple[str, ...] = names,
                init_names: tuple[str, ...] = init_names,
            ) -> Record:
                values = dict(zip(names, row[1:], strict=True))
                return cls(**{name: values[name] for name in init_names})

            builders.append(build_init)
            continue
        builders.append(_slot_builder(cls, names))
        continue
    return tuple(builders)


def _slot_builder(cls: type[Record], names: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Record]:
    """A function that makes a record of ``cls`` from its stored row (the class code,
    then the fields): one slot setter call per field, unrolled (no loop, no ``zip``),
    which builds 100,000 records in about half the time of a loop over the setters.
    The generated source holds only positions and parameter names, never data."""
    params = ", ".join(f"s{i}=s{i}" for i in range(len(names)))
    body = "".join(f"    s{i}(r, row[{i + 1}])\n" for i in range(len(names)))
    source = (
        f"def build(row, new=new, cls=cls, {params}):\n"
        "    r = new(cls)\n"
        f"{body}"
        "    return r\n"
    )
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for i, name in enumerate(names):
        scope[f"s{i}"] = _slot_setter(cls, name)
    exec(compile(source, f"<bishan_tui record builder {cls.__name__}>", "exec"), scope)
    build: Callable[[tuple[Any, ...]], Record] = scope["build"]
    return build


def _slot_setter(cls: type, name: str) -> Callable[[object, Any], None]:
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None and hasattr(descriptor, "__set__"):
            setter: Callable[[object, Any], None] = descriptor.__set__
            return setter
    raise TypeError(f"{cls.__name__}.{name} is not a slot")


def _from_plain(plain: object, name: str) -> Dataset | None:
    if not (isinstance(plain, tuple) and len(plain) == 8):
        return None
    fmt, fields, source, sections, rows, schema_version, paragraphs, glossary = plain
    if fmt != CACHE_FORMAT or fields != _FIELDS:
        return None
    builders = _record_builders()
    records = tuple([builders[row[0]](row) for row in rows])
    return Dataset(
        source=Source(*source),
        sections=tuple(Section(*section) for section in sections),
        records=records,
        path=name,
        schema_version=schema_version,
        paragraphs=tuple(Paragraph(*paragraph) for paragraph in paragraphs),
        glossary=tuple(GlossaryEntry(*entry) for entry in glossary),
    )


# --------------------------------------------------------------------------- disk


def read_cache(entry: Path, key: bytes, name: str) -> Dataset | None:
    """The dataset stored under ``key`` in ``entry``, or ``None`` for any problem."""
    blob = read_entry(entry, MAGIC, key)
    if blob is None:
        return None
    head = len(MAGIC)
    with memoryview(blob) as view:
        payload = view[head + 2 * _DIGEST :]
        if hashlib.sha256(payload).digest() != blob[head + _DIGEST : head + 2 * _DIGEST]:
            return None
        try:
            with loader.gc_paused():
                plain = marshal.loads(payload)
        except Exception:  # a damaged entry is a miss, whatever marshal makes of it
            return None
        finally:
            payload.release()
    del blob  # the file's bytes are not needed while the records are built
    try:
        with loader.gc_paused():
            return _from_plain(plain, name)
    except Exception:  # rows that do not fit the model: a miss
        return None


def write_cache(entry: Path, key: bytes, dataset: Dataset) -> bool:
    """Store a dataset atomically; ``False`` (never an exception) if it cannot be."""
    try:
        payload = marshal.dumps(_to_plain(dataset))
    except ValueError:
        return False

    def write(handle: IO[bytes]) -> None:
        handle.write(MAGIC)
        handle.write(key)
        handle.write(hashlib.sha256(payload).digest())
        handle.write(payload)

    return write_atomically(entry, write)


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
    entry = cache_path(Path(cache_dir) if cache_dir is not None else default_cache_dir(), file)
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
    del document, text
    write_cache(entry, key, dataset)
    return dataset


def _is_regular(file: Path) -> bool:
    try:
        return stat.S_ISREG(file.stat().st_mode)
    except OSError:
        return False
