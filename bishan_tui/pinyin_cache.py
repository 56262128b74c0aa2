"""Toneless pinyin readings of characters, cached on disk so pypinyin is rarely imported.

Importing pypinyin costs 0.13–0.3 s; the readings of the few thousand distinct
characters of a dataset cost a few kilobytes.  The cache is one small file per set
of characters, ``readings-<key>.bin``: a header (magic, key, a keyed BLAKE2b tag, see
:func:`~bishan_tui.cachedir.seal`) and JSON ``{"readings": {char: [reading, …]}, …}``,
named by a checksum of the sorted characters and :data:`CACHE_FORMAT`, written
atomically and read through :func:`~bishan_tui.cachedir.read_entry` (no symlinks, no
FIFOs, size bound, magic first).  A missing, corrupt, planted, truncated, stale or
unreadable cache is rebuilt (with a note); an unwritable folder just means no cache.
The cache is never needed for correctness.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .cachedir import (
    TAG_BYTES,
    default_cache_dir,
    note,
    read_entry,
    seal,
    unseal,
    write_atomically,
)

CACHE_FORMAT = 2
MAGIC = b"bishan-tui pinyin readings\n"
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # ~20 bytes a character; a dataset has thousands

Readings = dict[str, tuple[str, ...]]


def cache_key(chars: Iterable[str]) -> str:
    """A short name for a set of characters.

    CRC-32 rather than a cryptographic hash: importing hashlib costs ~7 ms of a
    one-shot lookup, and a collision is harmless because a cache file is used
    only when the characters stored in it are exactly the ones asked for.
    """
    text = f"v{CACHE_FORMAT}\n" + "".join(sorted(set(chars)))
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{len(data):x}"


def cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"readings-{key[:32]}.bin"


def compute_readings(chars: Iterable[str]) -> Readings:
    """Every toneless reading of each character (``ü`` is written ``v``), from
    pypinyin; characters without a reading map to ``()``."""
    from pypinyin import Style, pinyin

    result: Readings = {}
    for char in sorted(set(chars)):
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        readings: list[str] = []
        for group in found:
            for reading in group:
                clean = reading.strip().lower().replace("ü", "v")
                if clean.isascii() and clean.isalpha() and clean not in readings:
                    readings.append(clean)
        result[char] = tuple(readings)
    return result


def _valid(data: object, key: str, chars: set[str]) -> Readings | None:
    if not isinstance(data, dict):
        return None
    if data.get("format") != CACHE_FORMAT or data.get("key") != key:
        return None
    raw = data.get("readings")
    if not isinstance(raw, dict) or set(raw) != chars:
        return None
    result: Readings = {}
    for char, readings in raw.items():
        if not isinstance(readings, list):
            return None
        for reading in readings:
            if not (isinstance(reading, str) and reading.isascii() and reading.isalpha()):
                return None
        result[char] = tuple(readings)
    return result


def load_cached(cache_dir: Path, chars: set[str]) -> Readings | None:
    """The cached readings of exactly these characters, or ``None``."""
    key = cache_key(chars)
    entry = cache_path(cache_dir, key)
    header = MAGIC + key.encode() + b"\n"
    blob = read_entry(entry, MAGIC, key.encode() + b"\n", max_bytes=MAX_ENTRY_BYTES)
    if blob is None:
        return None
    view = memoryview(blob)
    start = len(header) + TAG_BYTES
    try:
        if not unseal(cache_dir, header, view[len(header) : start], view[start:]):
            note(
                f"cache: {entry.name} fails its check (damaged, or not written by bishan-tui "
                "for this user); ignored"
            )
            return None
        data = json.loads(blob[start:])
    except (ValueError, UnicodeError, RecursionError) as error:
        note(f"cache: {entry.name} is damaged ({type(error).__name__}); ignored")
        return None
    found = _valid(data, key, chars)
    if found is None:
        note(f"cache: {entry.name} does not hold valid readings; ignored")
    return found


def store(cache_dir: Path, chars: set[str], readings: Mapping[str, tuple[str, ...]]) -> bool:
    """Write the cache atomically; ``False`` (never an exception) if it cannot."""
    key = cache_key(chars)
    payload = {
        "format": CACHE_FORMAT,
        "key": key,
        "readings": {char: list(readings.get(char, ())) for char in sorted(chars)},
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    header = MAGIC + key.encode() + b"\n"
    tag = seal(cache_dir, header, data)
    if tag is None:
        return False
    return write_atomically(
        cache_path(cache_dir, key), lambda handle: handle.write(header + tag + data)
    )


def readings_for(chars: Iterable[str], cache_dir: Path | None = None) -> Readings:
    """Readings of these characters: from the cache if it holds them, else computed
    with pypinyin (and cached).  ``cache_dir=None`` uses :func:`default_cache_dir`."""
    wanted = set(chars)
    if not wanted:
        return {}
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    cached = load_cached(folder, wanted)
    if cached is not None:
        return cached
    readings = compute_readings(wanted)
    store(folder, wanted, readings)
    return readings
