"""Export the records a user is looking at: which records, in which format, to
which file.  The app's export and the CLI's ``search``/``export`` output go
through :func:`render`, so a file saved in the app is byte for byte what the CLI
prints.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .formats import to_csv, to_json, to_markdown
from .model import INFO_BY_KIND, Kind, Record

# format -> file name suffix; the formats the app offers (the CLI has table and plain too)
EXPORT_FORMATS: dict[str, str] = {"csv": ".csv", "json": ".json", "markdown": ".md"}
FORMAT_NAMES: dict[str, str] = {"csv": "CSV", "json": "JSON", "markdown": "Markdown"}

_NOT_IN_NAME = re.compile(r"[^\w.+-]+")  # \w keeps 汉字: a name the user can read
MAX_SLUG = 40


def render(records: Sequence[Record], fmt: str) -> str:
    """``records`` as the CLI prints them with ``--format fmt``.

    JSON keeps the exact data (control characters JSON-escaped); CSV and Markdown
    show control and invisible characters, so no output can drive a terminal."""
    if fmt == "json":
        return to_json(records) + "\n"
    if fmt == "csv":
        return to_csv(records, safe=True)
    if fmt == "markdown":
        return to_markdown(records)
    raise ValueError(f"unknown export format {fmt!r}")


def pick_records(
    records: Sequence[Record], kind: Kind | None, ranked: Sequence[int] | None
) -> list[Record]:
    """What an export holds: with a search on (``ranked``: positions in ``records``
    in rank order, as ``SearchResult.record_ids``) its matches, best first, else
    every record in the file's order; of one ``kind`` or of all (None).  The CLI
    gives the same lists: ``search QUERY --limit 0 [--kind K]``, ``export [--kind K]``."""
    if ranked is None:
        return [r for r in records if kind is None or r.kind == kind]
    chosen = [records[i] for i in ranked]
    return chosen if kind is None else [r for r in chosen if r.kind == kind]


def default_name(kind: Kind | None, query: str, fmt: str) -> str:
    """``bishan-platforms-康佳.csv``: what, which search, which format."""
    stem = "bishan-" + (INFO_BY_KIND[kind].array if kind is not None else "all")
    slug = _NOT_IN_NAME.sub("-", query.strip()).strip("-._")[:MAX_SLUG].strip("-._")
    if slug:
        stem += "-" + slug
    return stem + EXPORT_FORMATS[fmt]


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3`` … when that file exists."""
    path = folder / name
    suffix = path.suffix
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    number = 2
    while path.exists() and number < 1000:
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def with_format(name: str, fmt: str) -> str:
    """``name`` with the suffix of ``fmt`` in place of a known export suffix."""
    for suffix in EXPORT_FORMATS.values():
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name + EXPORT_FORMATS[fmt]


def resolve(name: str, folder: Path) -> Path:
    """The file a typed name means: ``~`` expanded, relative to ``folder``."""
    path = Path(name.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def write_export(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path``.  Without ``overwrite`` an existing file is
    never touched: :class:`FileExistsError`, even when it appeared a moment ago.
    Other failures raise :class:`OSError` with the system's reason."""
    data = text.encode("utf-8")
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder", str(path))
    with path.open("wb" if overwrite else "xb") as handle:
        try:
            handle.write(data)
        except OSError:
            if not overwrite:  # the file is ours: leave no half of it behind
                path.unlink(missing_ok=True)
            raise


def describe_error(error: OSError, path: Path) -> str:
    """One line for the user: ``cannot write /x/y.csv: Permission denied``."""
    reason = error.strerror or error.__class__.__name__
    return f"cannot write {path}: {reason}"
