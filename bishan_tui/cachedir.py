"""Where bishan-tui keeps its caches, and how a cache file is written.

Pure: no Textual, no Rich.  A cache is never needed for correctness, so writing
one never raises: it reports whether it could.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

APP_DIR = "bishan-tui"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/bishan-tui`` or ``~/.cache/bishan-tui``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / APP_DIR


def write_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> bool:
    """Write ``target`` through a temporary file in its folder and :func:`os.replace`.

    A reader sees the old file or the whole new one, never a part.  ``False``
    (never an exception) when the folder cannot be made or written.
    """
    import tempfile  # only when writing: it costs ~3 ms to import

    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp_name, target)
        return True
    except (OSError, ValueError):
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        return False


def read_entry(entry: Path, magic: bytes, key: bytes) -> bytes | None:
    """A cache file's bytes when it starts with ``magic`` + ``key``; ``None`` when it
    is missing, unreadable, of another program or format, or stale."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    return blob if blob.startswith(magic + key) else None
