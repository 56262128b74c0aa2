"""Where bishan-tui keeps its caches, and how a cache file is written, read and kept.

Pure: no Textual, no Rich.  A cache is never needed for correctness, so writing
one never raises: it reports whether it could.

Everything read from the cache folder is untrusted input (another process, another
user or a damaged disk may have written it):

* a file is opened with ``O_NOFOLLOW | O_NONBLOCK`` (a symlink to ``/dev/zero`` or a
  FIFO is refused, never waited on), anything but a regular file is refused, its size
  is checked against a bound and its magic bytes and key are read and compared
  *before* the rest of it is read;
* the payload carries a keyed BLAKE2b tag (:func:`seal`, :func:`unseal`); the key is a
  random secret in the cache folder, readable only by its owner, so a file that this
  program did not write (a planted or poisoned entry) is a miss even when it is well
  formed.  The readers still validate what they decode, as the loader would;
* every problem is a miss, reported by :func:`note` as one line (the CLI prints notes
  under ``--verbose``).

Housekeeping: the temporary files of an interrupted write are removed by
:func:`sweep` (the first time a process uses the folder), and :func:`prune` keeps at
most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` bytes, dropping the least
recently used first (a hit touches its entry).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

APP_DIR = "bishan-tui"

MAX_ENTRIES = 32
MAX_BYTES = 2 * 1024**3
# A temporary file untouched for this long belongs to a writer that was interrupted
# (a writer still at work touches it with every write).
STALE_TMP_SECONDS = 60.0
SECRET_NAME = "secret.key"
TAG_BYTES = 32
_SECRET_BYTES = 32

_sink: Callable[[str], None] | None = None
_swept: set[str] = set()
_refused_keys: set[str] = set()  # noted once each
_lock = threading.Lock()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/bishan-tui`` or ``~/.cache/bishan-tui``; an unusable home
    (unset, no passwd entry) gives a folder that cannot exist, so no cache."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / APP_DIR
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        note("cache: no home folder; running without a cache")
        return Path(os.devnull) / APP_DIR  # nothing can be made under a device
    return home / ".cache" / APP_DIR


# --------------------------------------------------------------------------- notes


def set_note_sink(sink: Callable[[str], None] | None) -> None:
    """Where :func:`note` sends its lines (``None``: nowhere, the default)."""
    global _sink
    _sink = sink


def note(message: str) -> None:
    """Report one cache problem (a miss, a refused file) as one line."""
    sink = _sink
    if sink is not None:
        text = " ".join(message.split())
        sink(text if len(text) <= 200 else text[:197] + "...")


# --------------------------------------------------------------------------- writing


def write_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> bool:
    """Write ``target`` through a temporary file in its folder and :func:`os.replace`.

    A reader sees the old file or the whole new one, never a part.  ``False``
    (never an exception) when the folder cannot be made or written.
    """
    import tempfile  # only when writing: it costs ~3 ms to import

    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp_name, target)
        return True
    except (OSError, ValueError) as error:
        note(f"cache: cannot write {target.name}: {error}")
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        return False


# --------------------------------------------------------------------------- secret


def _read_secret(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size != _SECRET_BYTES
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
        ):
            with _lock:
                first = str(path) not in _refused_keys
                _refused_keys.add(str(path))
            if first:
                note(f"cache: {path} is not a private key file of this user; cache not used")
            return b""
        data = os.read(fd, _SECRET_BYTES + 1)
        return data if len(data) == _SECRET_BYTES else b""
    except OSError:
        return b""
    finally:
        os.close(fd)


def secret(folder: Path, *, create: bool) -> bytes | None:
    """The folder's secret key (made when missing and ``create``); ``None`` when
    there is none or it cannot be trusted (then the cache is not used)."""
    path = folder / SECRET_NAME
    found = _read_secret(path)
    if found is not None:
        return found or None
    if not create:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
    except FileExistsError:  # another process made it meanwhile
        return _read_secret(path) or None
    except OSError as error:
        note(f"cache: cannot create {path}: {error}")
        return None
    key = os.urandom(_SECRET_BYTES)
    try:
        os.write(fd, key)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    os.close(fd)
    return key


def _tag(key: bytes, *parts: bytes | memoryview) -> bytes:
    try:
        from _blake2 import blake2b  # 0.2 ms to import, against ~3 ms for hashlib
    except ImportError:  # pragma: no cover - an interpreter without the module
        from hashlib import blake2b
    digest = blake2b(key=key, digest_size=TAG_BYTES, person=b"bishan-tui")
    for part in parts:
        digest.update(part)
    return digest.digest()


def seal(folder: Path, header: bytes, payload: bytes) -> bytes | None:
    """The tag of ``header`` + ``payload`` under the folder's key (made if needed);
    ``None`` when the folder has no usable key (then nothing is written)."""
    key = secret(folder, create=True)
    return None if key is None else _tag(key, header, payload)


def unseal(folder: Path, header: bytes, tag: bytes | memoryview, payload: memoryview) -> bool:
    """Whether ``tag`` is the folder key's tag of ``header`` + ``payload``."""
    compare: Callable[[bytes, bytes], bool]
    try:  # hmac.compare_digest itself, without hmac's ~5 ms import (hashlib)
        from _operator import _compare_digest as compare
    except ImportError:  # pragma: no cover - another interpreter
        from hmac import compare_digest as compare

    key = secret(folder, create=False)
    return key is not None and compare(_tag(key, header, payload), bytes(tag))


# --------------------------------------------------------------------------- reading


def read_entry(entry: Path, magic: bytes, key: bytes, *, max_bytes: int) -> bytes | None:
    """A cache file's bytes when it is a regular file of at most ``max_bytes`` that
    starts with ``magic`` + ``key``; ``None`` when it is missing, or (with a note) of
    another kind, program, format or version, or too big.

    Opened without following a symlink and without blocking (a FIFO is refused, not
    waited on); nothing beyond the magic and key is read before they are checked.
    """
    head = magic + key
    try:
        fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        note(f"cache: {entry.name}: cannot open ({error.strerror}); ignored")
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            note(f"cache: {entry.name} is not a regular file; ignored")
            return None
        if info.st_size > max_bytes:
            note(f"cache: {entry.name} is {info.st_size:,} bytes, over {max_bytes:,}; ignored")
            return None
        first = os.read(fd, len(head))
        if first != head:
            if first[: len(magic)] == magic:
                return None  # an entry of an older version of the data: silently stale
            note(f"cache: {entry.name} is not a bishan-tui cache entry of this format; ignored")
            return None
        parts = [first]
        left = info.st_size - len(first)
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            parts.append(chunk)
            left -= len(chunk)
        if left:
            note(f"cache: {entry.name} shrank while being read; ignored")
            return None
    except OSError as error:
        note(f"cache: {entry.name}: cannot read ({error.strerror}); ignored")
        return None
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        os.utime(entry, follow_symlinks=False)  # recently used: pruned last
    return b"".join(parts)


# --------------------------------------------------------------------------- keeping


def _is_tmp(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def sweep(folder: Path, *, now: float | None = None) -> int:
    """Remove the temporary files of interrupted writes (untouched for
    :data:`STALE_TMP_SECONDS`); the number removed.  Never raises."""
    import time

    limit = (time.time() if now is None else now) - STALE_TMP_SECONDS
    removed = 0
    try:
        with os.scandir(folder) as found:
            for item in found:
                if not _is_tmp(item.name):
                    continue
                try:
                    info = item.stat(follow_symlinks=False)
                    if info.st_mtime < limit:
                        os.unlink(item.path)
                        removed += 1
                except OSError:
                    continue
    except OSError:
        return removed
    if removed:
        note(f"cache: removed {removed} temporary file(s) left by an interrupted write")
    return removed


def sweep_once(folder: Path) -> None:
    """:func:`sweep` the first time this process uses ``folder``."""
    name = str(folder)
    with _lock:
        if name in _swept:
            return
        _swept.add(name)
    sweep(folder)


def entries(folder: Path) -> list[tuple[Path, int, float]]:
    """The cache's entries (path, bytes, last use), oldest first: every regular file
    but the key and temporary files."""
    found: list[tuple[Path, int, float]] = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name == SECRET_NAME or _is_tmp(item.name):
                    continue
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found.append((Path(item.path), info.st_size, info.st_mtime))
    except OSError:
        return []
    found.sort(key=lambda entry: entry[2])
    return found


def prune(
    folder: Path,
    *,
    max_entries: int | None = None,
    max_bytes: int | None = None,
    keep: Path | None = None,
) -> int:
    """Drop the least recently used entries until at most ``max_entries`` entries
    and ``max_bytes`` bytes are left (``keep``, the entry just written, is dropped
    only if it alone is over the bound); the number dropped.  The bounds default to
    :data:`MAX_ENTRIES` and :data:`MAX_BYTES`.  Never raises."""
    max_entries = MAX_ENTRIES if max_entries is None else max_entries
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    found = entries(folder)
    total = sum(size for _, size, _ in found)
    count = len(found)
    dropped = 0
    for path, size, _ in sorted(found, key=lambda entry: (entry[0] == keep, entry[2])):
        if count <= max_entries and total <= max_bytes:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        count -= 1
        total -= size
        dropped += 1
    return dropped


def clear(folder: Path) -> tuple[int, int]:
    """Remove every cache file (entries, temporary files, the key): (files, bytes)."""
    files = size = 0
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                try:
                    info = item.stat(follow_symlinks=False)
                    if stat.S_ISDIR(info.st_mode):
                        continue
                    os.unlink(item.path)
                except OSError:
                    continue
                files += 1
                size += info.st_size if stat.S_ISREG(info.st_mode) else 0
    except OSError:
        pass
    return files, size
