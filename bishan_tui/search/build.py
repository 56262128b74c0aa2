"""Building or loading the index of a dataset.

No Textual, no Rich.  :func:`build_index` loads the saved index of a dataset
(:mod:`.store`, keyed by :func:`dataset_key`) or builds it and saves it.  The pinyin
readings are saved in the index, so a start that loads it never imports pypinyin;
building imports it (for the readings and the phrase dictionary).  Safe to call from
a worker thread (the app builds the index in one after the first paint).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..cachedir import default_cache_dir, sweep_once
from ..model import Dataset
from . import store
from .index import SearchIndex, build_data
from .pinyin import compute_readings, pinyin_chars
from .store import INDEX_FORMAT

# The modules whose code decides what a saved index holds (build_data and what it
# calls, the saved types, the file format): a change to any of them is a new key.
_INDEX_SOURCES = ("bitsets", "fields", "groups", "index", "pinyin", "state", "store")


def dataset_key(dataset: Dataset) -> bytes:
    """A digest of what the index is made of: every record's kind and text fields,
    in order, with :data:`~.store.INDEX_FORMAT`, the Python version and the code that
    makes the index (:data:`_INDEX_SOURCES`, :mod:`bishan_tui.textnorm`).

    CRC-32 and Adler-32 side by side (64 bits) rather than sha256: hashlib alone
    costs ~7 ms to import, more than the bundled dataset's whole saved index takes
    to load.  A cache slot is per dataset path, so a wrong hit would need an edit
    of that file whose text collides in both checksums and keeps the record count.
    """
    import marshal
    import sys
    import zlib

    crc, adler = 0, 1

    def feed(data: bytes) -> None:
        nonlocal crc, adler
        crc = zlib.crc32(data, crc)
        adler = zlib.adler32(data, adler)

    here = Path(__file__).resolve().parent
    for source in (*(here / f"{name}.py" for name in _INDEX_SOURCES), here.parent / "textnorm.py"):
        try:
            feed(source.read_bytes())
        except OSError:
            feed(source.name.encode())
    feed(f"{INDEX_FORMAT}\0{sys.implementation.cache_tag}\0".encode())
    feed(marshal.dumps([(record.kind, *record.text_fields()) for record in dataset.records]))
    return f"{crc:08x}{adler:08x}{len(dataset.records):016x}".encode()


def index_cache_path(cache_dir: Path, dataset: Dataset) -> Path:
    """The cache slot of one dataset's index: one file per dataset path."""
    import zlib

    name = (dataset.path or "<memory>").encode("utf-8", "surrogatepass")
    return cache_dir / f"index-{zlib.crc32(name):08x}{len(name):x}.bin"


def load_index(entry: Path, key: bytes, dataset: Dataset) -> SearchIndex | None:
    """The index saved in ``entry`` under ``key``, or ``None`` (see :func:`.store.load`)."""
    data = store.load(entry, key, len(dataset.records))
    return None if data is None else SearchIndex(dataset, data)


def build_index(
    dataset: Dataset,
    *,
    cache_dir: Path | None = None,
    persist: bool = True,
    on_build: Callable[[], object] | None = None,
) -> SearchIndex:
    """The index of a dataset: the one saved in ``cache_dir`` (default: the user's
    cache folder) when it is valid for this dataset, else built (and saved).

    ``persist=False`` never reads or writes the cache.  ``on_build`` is called when
    the index is about to be built (no saved one could be used): the app starts a
    provisional search then (:mod:`.scan`).

    Safe to call from a worker thread (it touches no shared mutable state; the
    cache is written atomically)."""
    if not persist:
        if on_build is not None:
            on_build()
        return _build(dataset)
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    sweep_once(folder)
    entry = index_cache_path(folder, dataset)
    if on_build is not None and not entry.exists():
        on_build()  # before the key, which takes ~1 s at 100,000 records
        on_build = None
    key = dataset_key(dataset)
    loaded = load_index(entry, key, dataset)
    if loaded is not None:
        return loaded
    if on_build is not None:
        on_build()
    index = _build(dataset)
    store.save(entry, key, index.data)
    return index


def _build(dataset: Dataset) -> SearchIndex:
    readings = compute_readings(pinyin_chars(dataset))
    return SearchIndex(dataset, build_data(dataset, readings))
