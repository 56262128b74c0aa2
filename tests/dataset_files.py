"""Dataset files for the tests: TOML text (or raw bytes) written where a test wants it."""

from __future__ import annotations

from pathlib import Path


def write_dataset(folder: Path, text: str | bytes, name: str = "data.toml") -> Path:
    """``folder/name`` holding ``text`` (UTF-8), or exactly ``text`` if it is bytes."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
