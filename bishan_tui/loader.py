"""Read a TOML dataset into the typed model, or say exactly what is wrong with it.

No Textual, no Rich.  Every problem is one line naming the file and, where it
applies, the line, the array, the record's index and id, and the field.  All
schema problems are reported at once, in one :class:`DatasetError`.  The file is
only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import gc
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from .model import (
    KIND_INFO,
    PARAGRAPH_ROLES,
    QUALIFIERS,
    RECORD_CLASS,
    Dataset,
    GlossaryEntry,
    Kind,
    Paragraph,
    Record,
    Section,
    Source,
    strip_whitespace,
)
from .textsafe import one_line

SCHEMA_VERSION = 1

# Limits, so a hostile or generated file is refused with a reason rather than
# eating the machine.  docs/dataset.md ("Limits") gives the measurements behind each:
# a realistic file at MAX_FILE_BYTES (140,000 records) peaks at about 1 GB RSS.
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_RECORDS = 200_000
# Before parsing, the '=' ',' '[' '{' marks of the text are counted: an upper bound on
# the values and tables the TOML parser would build.  A realistic 140,000-record file
# has 2.6 million marks, 0.49 million of them brackets; 3 bytes of "{}," each cost
# ~80 bytes of memory once parsed, so a file of nothing but those is refused here.
MAX_TOML_VALUES = 5_000_000
MAX_TOML_TABLES = 2_000_000
MAX_LENGTH = {
    "id": 200,
    "title": 500,
    "summary": 10_000,
    "quote": 10_000,
    "paragraph": 10_000,
    "other": 10_000,
}
MAX_LIST_ITEMS = 100
# A figure's value: finite and of magnitude below 10^18 (the article's largest number
# is in the hundreds of millions).  Beyond that a value is a typo or an attack: a
# 4,000-digit hex integer cannot be printed in decimal, and 10^400 is no float.
MAX_FIGURE_VALUE = 10**18
# A pipe (a FIFO, ``--data <(generate)``) that sends nothing for this long is given up on.
PIPE_IDLE_SECONDS = 10.0

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# ASCII digits only: \d would also take full-width ２０２０ or Arabic-Indic ٢٠٢٠,
# which int() reads but which sort apart from every other date.
DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_\-]+)[ \t]*\]\]")
_TABLE = re.compile(r"^[ \t]*\[[ \t]*([A-Za-z0-9_\-.]+)[ \t]*\]")
# A table header at the start of a line.  Searched as "\n" + header in "\n" + text:
# the literal newline lets the regex engine skip ahead (0.09 s on 96 MB, where a
# MULTILINE ^ took 0.40 s).
# A ``key =`` line: a bare key, or (inside a record) a "quoted" one.
_BARE_KEY = re.compile(r"[ \t]*([^\s=\"']+)()[ \t]*=")
_QUOTED_KEY = re.compile(r"[ \t]*(?:\"([^\"\n]*)\"|([^\s=\"']+))[ \t]*=")
_ANY_HEADER = re.compile(r"\n[ \t]*\[(\[)?[ \t]*([A-Za-z0-9_\-.]+)[ \t]*\]")


class DatasetError(Exception):
    """A dataset that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


def bundled_dataset_path() -> Path:
    """Where the bundled ``bishan.toml`` is: inside the installed package, or the checkout.

    An installed wheel has it at ``bishan_tui/data/bishan.toml``; that file is
    looked for directly, because importing importlib.resources costs ~7 ms of every
    one-shot lookup; then the checkout's ``data/bishan.toml`` (an editable install);
    importlib.resources is asked only when neither is there (a zipped install).
    """
    package = Path(__file__).resolve().parent
    installed = package / "data" / "bishan.toml"
    if installed.is_file():
        return installed
    checkout = package.parent / "data" / "bishan.toml"
    if checkout.is_file() and (package.parent / "pyproject.toml").is_file():
        return checkout
    from importlib import resources

    packaged = resources.files("bishan_tui").joinpath("data").joinpath("bishan.toml")
    if packaged.is_file():
        return Path(str(packaged))
    return checkout


def read_bytes(path: Path) -> bytes:
    """The file's bytes, read with a bound, or a :class:`DatasetError` with a one-line reason.

    Only ever opened for reading.  A regular file is read up to
    :data:`MAX_FILE_BYTES` + 1 bytes.  A pipe (``--data <(gen)``, a FIFO) is read
    without blocking on the open, and given up on after :data:`PIPE_IDLE_SECONDS`
    without data, so a FIFO nobody writes to cannot hang the program.  Devices
    (``/dev/zero``, ``/dev/urandom``, a terminal) and sockets are refused before a
    byte is read.
    """
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise DatasetError(name, [f"{name}: is a folder, not a dataset file"])
        if stat.S_ISREG(info.st_mode):
            if info.st_size > MAX_FILE_BYTES:
                raise DatasetError(name, [_too_big(name, f"{info.st_size:,} bytes")])
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        elif stat.S_ISFIFO(info.st_mode):
            data = _read_pipe(path)
        else:
            what = (
                "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket or other special file"
            )
            raise DatasetError(name, [f"{name}: is {what}, not a dataset file"])
    except FileNotFoundError:
        raise DatasetError(name, [f"{name}: no such file"]) from None
    except PermissionError:
        raise DatasetError(name, [f"{name}: permission denied (cannot read it)"]) from None
    except IsADirectoryError:
        raise DatasetError(name, [f"{name}: is a folder, not a dataset file"]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise DatasetError(name, [one_line(f"{name}: cannot read: {reason}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(name, [_too_big(name, "more than that")])
    return data


def _too_big(name: str, size: str) -> str:
    return f"{name}: file is {size}; the limit is {MAX_FILE_BYTES:,} bytes (see docs/dataset.md)"


def _read_pipe(path: Path) -> bytes:
    """A pipe's bytes, at most MAX_FILE_BYTES + 1 of them, never waiting forever."""
    import select

    name = str(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= MAX_FILE_BYTES:
            ready, _, _ = select.select([fd], [], [], PIPE_IDLE_SECONDS)
            if not ready:
                raise DatasetError(
                    name,
                    [f"{name}: a pipe that sent nothing for {PIPE_IDLE_SECONDS:g} s; gave up"],
                )
            try:
                chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            except BlockingIOError:
                continue
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if not chunks:
        raise DatasetError(name, [f"{name}: a pipe with nothing written to it (no writer?)"])
    return b"".join(chunks)


def decode_text(data: bytes, name: str) -> str:
    """The text of a dataset file's bytes, or a :class:`DatasetError` saying why not."""
    if not data or data.isspace():  # not data.strip(): a copy of the whole file
        what = "empty" if not data else "only white space"
        raise DatasetError(name, [f"{name}: file is {what}; expected a TOML dataset"])
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise DatasetError(
            name, [f"{name}: binary data (a NUL byte at byte offset {offset}), not a TOML file"]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DatasetError(
            name,
            [
                f"{name}:{line}: not UTF-8: byte 0x{data[error.start]:02x} at byte offset "
                f"{error.start} cannot be decoded"
            ],
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path) -> str:
    """The file's text, or a :class:`DatasetError` with a one-line reason."""
    return decode_text(read_bytes(path), str(path))


def check_size(text: str, name: str) -> None:
    """Refuse, before parsing, a text that would make far more TOML values than a
    dataset of :data:`MAX_RECORDS` records has (``x = [{},{},…]``: a memory bomb)."""
    if len(text) <= MAX_TOML_TABLES:
        return  # cannot hold more marks than characters: small files cost nothing here
    tables = text.count("[") + text.count("{")
    values = tables + text.count("=") + text.count(",")
    if tables > MAX_TOML_TABLES or values > MAX_TOML_VALUES:
        raise DatasetError(
            name,
            [
                f"{name}: too many TOML values to be a dataset: {values:,} '=' ',' '[' '{{' "
                f"marks, {tables:,} of them brackets; the limits are {MAX_TOML_VALUES:,} "
                f"and {MAX_TOML_TABLES:,} (see docs/dataset.md)"
            ],
        )


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """The TOML document, or a :class:`DatasetError` with the line and column."""
    check_size(text, name)
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        message = getattr(error, "msg", None) or str(error).split(" (at ")[0]
        where = f"{name}:{line}:{column}" if line is not None else name
        raise DatasetError(name, [f"{where}: not valid TOML: {message}"]) from None
    except RecursionError:
        raise DatasetError(name, [f"{name}: not valid TOML: nested too deeply"]) from None
    except ValueError:
        # Python's int-from-text limit (4,300 digits): tomli lets its ValueError out.
        raise DatasetError(name, [_long_number(text, name)]) from None


def _long_number(text: str, name: str) -> str:
    limit = sys.get_int_max_str_digits() or 4300
    found = re.search(rf"[0-9][0-9_]{{{limit - 1},}}", text)
    where = f"{name}:{text.count(chr(10), 0, found.start()) + 1}" if found else name
    return (
        f"{where}: not valid TOML here: a number of more than {limit:,} digits; "
        f"a figure's value must be of magnitude below 10^18 (see docs/dataset.md)"
    )


def load_dataset(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and validate a dataset; ``None`` loads the bundled one."""
    file = Path(path) if path is not None else bundled_dataset_path()
    text = read_text(file)
    with gc_paused():
        document = parse_toml(text, str(file))
        return build_dataset(document, str(file), text)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are made.

    Parsing and validating 100,000 records otherwise triggers full collections
    that walk everything built so far and free nothing: 0.85 s of a 10 s load.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_dataset(document: Mapping[str, Any], name: str, text: str = "") -> Dataset:
    """Validate a parsed document; raise one DatasetError listing every problem."""
    checker = _Checker(name, _LineFinder(text))
    dataset = checker.check(document)
    if checker.problems or dataset is None:
        raise DatasetError(name, checker.problems)
    return dataset


# --------------------------------------------------------------------------- lines


class _LineFinder:
    """Finds the line of the n-th ``[[array]]`` table and of a key inside it.

    tomli gives no positions for values, so the raw text is scanned once for
    table headers with one regex and line numbers counted between matches (C
    speed: 0.27 s instead of 0.86 s at 100,000 records, measured).  The text is
    split into lines only when a problem needs a key's line.  Lines are counted
    by ``\n`` as TOML counts them (``splitlines`` would also break at U+2028).
    Records written as inline tables get no line number.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self._top: dict[str, int] | None = None
        self._keys: dict[tuple[str, int], dict[str, int]] = {}
        self.headers: dict[str, list[int]] = {}
        self.tables: dict[str, int] = {}
        newlines, last = 0, 0
        for found in _ANY_HEADER.finditer("\n" + text):
            start = found.start()  # in "\n" + text; the header's line starts at text[start]
            newlines += text.count("\n", last, start)
            last = start
            line = newlines + 1
            if found.group(1):
                self.headers.setdefault(found.group(2), []).append(line)
            else:
                self.tables.setdefault(found.group(2), line)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.split("\n")
        return self._lines

    def record(self, array: str, index: int) -> int | None:
        numbers = self.headers.get(array, [])
        return numbers[index] if index < len(numbers) else None

    def key(self, array: str, index: int, key: str) -> int | None:
        start = self.record(array, index)
        if start is None:
            return None
        # The record's keys are read once: a record with thousands of bad keys costs
        # one pass over its lines, not one per key.
        keys = self._keys.get((array, index))
        if keys is None:
            keys = self._keys[(array, index)] = self._keys_from(start + 1, quoted=True)
        return keys.get(key, start)

    def top_key(self, key: str) -> int | None:
        if self._top is None:
            self._top = self._keys_from(1, quoted=False)
        found = self._top.get(key)
        return found if found is not None else self.tables.get(key)

    def _keys_from(self, first: int, *, quoted: bool) -> dict[str, int]:
        """Each ``key =`` from line ``first`` to the next table header, with its line."""
        keys: dict[str, int] = {}
        pattern = _QUOTED_KEY if quoted else _BARE_KEY
        for number in range(first, len(self.lines) + 1):
            line = self.lines[number - 1]
            if _HEADER.match(line) or _TABLE.match(line):
                break
            found = pattern.match(line)
            if found:
                keys.setdefault(found.group(1) or found.group(2) or "", number)
        return keys


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    type: str  # str, str-list, quote, number, bool, date, qualifier, role
    required: bool = False
    limit: str = "other"


_COMMON: tuple[_Field, ...] = (
    _Field("id", "id", True, "id"),
    _Field("title", "str", True, "title"),
    _Field("title_en", "str", True, "title"),
    _Field("summary", "str", True, "summary"),
    _Field("summary_en", "str", True, "summary"),
    _Field("section", "section", True, "id"),
    _Field("quote", "quote", True, "quote"),
    _Field("tags", "str-list", False, "title"),
    _Field("aliases", "str-list", False, "title"),
    _Field("aliases_en", "str-list", False, "title"),
    _Field("related", "related", False, "id"),
    _Field("context", "str", False, "summary"),
    _Field("context_en", "str", False, "summary"),
)


def _strs(*names: str, required: tuple[str, ...] = ()) -> tuple[_Field, ...]:
    return tuple(_Field(name, "str", name in required) for name in names)


_SPECIFIC: dict[Kind, tuple[_Field, ...]] = {
    "platform": _strs("category", "category_en", "status", "status_en"),
    "project": _strs("category", "category_en", "organisation", "organisation_en"),
    "talent": _strs("affiliation", "affiliation_en", "role", "role_en"),
    "policy": _strs("instrument", "instrument_en", "issuer", "issuer_en"),
    "event": (
        _Field("date", "date", True),
        *_strs("date_note", "date_note_en"),
    ),
    "figure": (
        _Field("value", "number", True),
        _Field("unit", "str", True),
        _Field("unit_en", "str", True),
        _Field("qualifier", "qualifier"),
        _Field("projected", "bool"),
        _Field("as_of", "date"),
        *_strs("period", "period_en", "as_printed"),
    ),
}
_SCHEMA: dict[Kind, dict[str, _Field]] = {
    kind: {f.name: f for f in (*_COMMON, *_SPECIFIC[kind])} for kind in _SPECIFIC
}
_SOURCE_FIELDS: dict[str, _Field] = {
    f.name: f
    for f in (
        _Field("title", "str", True, "title"),
        _Field("title_en", "str", True, "title"),
        *_strs("subtitle", "subtitle_en", "publication", "published", "notes", "notes_en"),
        *(
            _Field(n, "str-list", False, "title")
            for n in ("authors", "authors_en", "photographers", "photographers_en")
        ),
    )
}
_SECTION_FIELDS: dict[str, _Field] = {
    f.name: f
    for f in (
        _Field("id", "id", True, "id"),
        _Field("title", "str", True, "title"),
        _Field("title_en", "str", True, "title"),
    )
}
_PARAGRAPH_FIELDS: dict[str, _Field] = {
    f.name: f
    for f in (
        _Field("id", "id", True, "id"),
        _Field("section", "section", True, "id"),
        _Field("text", "str", True, "paragraph"),
        _Field("role", "role"),
    )
}
_GLOSSARY_FIELDS: dict[str, _Field] = {
    f.name: f
    for f in (
        _Field("zh", "str", True, "title"),
        _Field("en", "str", True, "title"),
        _Field("note", "str"),
    )
}
_TOP_KEYS = (
    "schema_version",
    "source",
    "sections",
    "paragraphs",
    "glossary",
    *(info.array for info in KIND_INFO),
)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


# Names from the file are cut to this many characters in messages: a 5 MB key name
# is reported in one readable line.
MAX_NAME_SHOWN = 60
# "did you mean" is computed for this many problems of a file, and only for names of
# up to MAX_SUGGEST_LENGTH characters: difflib's cost grows with both.
MAX_SUGGESTIONS = 50
MAX_SUGGEST_LENGTH = 100


def _name(text: str) -> str:
    """A name from the file, cut for a message: ``aaaa… (5,000,000 characters)``."""
    if len(text) <= MAX_NAME_SHOWN:
        return text
    return f"{text[: MAX_NAME_SHOWN - 1]}… ({len(text):,} characters)"


def _number_size(value: int | float) -> str:
    """A number for a message, even one too long to print in decimal."""
    if isinstance(value, float) or abs(value) < 10**30:
        return repr(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"a number of about {digits:,} digits"


def _short(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return _number_size(value)
    text = repr(value[:MAX_NAME_SHOWN] if isinstance(value, str) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def valid_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real year, month or day."""
    found = DATE_PATTERN.match(text)
    if not found:
        return False
    year, month, day = found.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


class _Checker:
    def __init__(self, name: str, lines: _LineFinder) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[str] = []
        self.suggestions = 0
        # The article's paragraphs, whitespace removed, joined by a newline (which no
        # stripped quote contains, so a quote cannot straddle two paragraphs); None
        # when the file has no paragraphs and quotes go unchecked.
        self.article: str | None = None

    def suggest(self, key: str, known: Iterable[str]) -> str:
        """`` (did you mean 'title'?)``, or nothing; bounded work for any file."""
        if self.suggestions >= MAX_SUGGESTIONS or len(key) > MAX_SUGGEST_LENGTH:
            return ""
        self.suggestions += 1
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def problem(self, line: int | None, message: str) -> None:
        where = f"{self.name}:{line}" if line is not None else self.name
        # One line each, and nothing from the file reaches a terminal raw.
        self.problems.append(one_line(f"{where}: {message}"))

    # -- the whole document

    def check(self, document: Mapping[str, Any]) -> Dataset | None:
        for key in document:
            if key not in _TOP_KEYS:
                self.problem(
                    self.lines.top_key(key),
                    f"top-level key '{_name(key)}' is not known{self.suggest(key, _TOP_KEYS)}",
                )
        version = document.get("schema_version")
        if version is None:
            self.problem(None, "schema_version is missing (expected schema_version = 1)")
        elif isinstance(version, bool) or version != SCHEMA_VERSION:
            self.problem(
                self.lines.top_key("schema_version"),
                f"schema_version is {_short(version)}; this version of bishan-tui reads "
                f"schema_version = {SCHEMA_VERSION}",
            )
        source = self.source(document.get("source"))
        sections = self.sections(document.get("sections"))
        section_ids = {section.id for section in sections}
        paragraphs = self.paragraphs(document.get("paragraphs"), section_ids)
        if paragraphs:
            self.article = "\n".join(strip_whitespace(p.text) for p in paragraphs)
        glossary = self.glossary(document.get("glossary"))

        raw: list[tuple[Kind, str, int, Mapping[str, Any]]] = []
        for info in KIND_INFO:
            items = document.get(info.array)
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                self.problem(
                    self.lines.top_key(info.array),
                    f"'{info.array}' must be an array of tables ([[{info.array}]]), "
                    f"not {_type_name(items)}",
                )
                continue
            raw.extend((info.kind, info.array, index, item) for index, item in enumerate(items))
        if not raw:
            self.problem(
                None,
                "no records: at least one of "
                + ", ".join(f"[[{i.array}]]" for i in KIND_INFO)
                + " must have an entry",
            )
        if len(raw) > MAX_RECORDS:
            self.problem(None, f"{len(raw):,} records; the limit is {MAX_RECORDS:,}")
            return None

        first_seen: dict[str, str] = {}
        for _kind, array, index, item in raw:
            record_id = item.get("id")
            if isinstance(record_id, str):
                where = f"{array}[{index}]"
                if record_id in first_seen:
                    self.problem(
                        self.lines.key(array, index, "id"),
                        f"{where} (id \"{_name(record_id)}\"): field 'id': duplicate id, "
                        f"first used by {first_seen[record_id]}",
                    )
                else:
                    first_seen[record_id] = where

        records: list[Record] = []
        for kind, array, index, item in raw:
            record = self.record(kind, array, index, item, section_ids, first_seen)
            if record is not None:
                records.append(record)
        if self.problems or source is None:
            return None
        return Dataset(
            source=source,
            sections=tuple(sections),
            records=tuple(records),
            path=self.name,
            schema_version=SCHEMA_VERSION,
            paragraphs=tuple(paragraphs),
            glossary=tuple(glossary),
        )

    # -- [source] and [[sections]]

    def source(self, table: object) -> Source | None:
        line = self.lines.tables.get("source")
        if table is None:
            self.problem(None, "[source] is missing (the article's title and title_en)")
            return None
        if not isinstance(table, dict):
            self.problem(line, f"'source' must be a table, not {_type_name(table)}")
            return None
        values = self.fields(table, _SOURCE_FIELDS, "source", lambda key: line)
        if values is None:
            return None
        return Source(**values)

    def sections(self, items: object) -> list[Section]:
        if items is None:
            self.problem(None, "[[sections]] is missing: at least one section is needed")
            return []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(
                self.lines.top_key("sections"),
                f"'sections' must be an array of tables, not {_type_name(items)}",
            )
            return []
        sections: list[Section] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            where = f"sections[{index}]"
            values = self.fields(
                item,
                _SECTION_FIELDS,
                where,
                lambda key, i=index: self.lines.key("sections", i, key),
            )
            if values is None:
                continue
            if values["id"] in seen:
                self.problem(
                    self.lines.key("sections", index, "id"),
                    f"{where}: field 'id': duplicate section id \"{values['id']}\"",
                )
                continue
            seen.add(values["id"])
            sections.append(Section(**values))
        return sections

    # -- [[paragraphs]] and [[glossary]]

    def table_array(self, items: object, array: str) -> list[Mapping[str, Any]]:
        """The tables of an optional top-level array; a problem if it is not one."""
        if items is None:
            return []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(
                self.lines.top_key(array),
                f"'{array}' must be an array of tables ([[{array}]]), not {_type_name(items)}",
            )
            return []
        if len(items) > MAX_RECORDS:
            self.problem(None, f"{len(items):,} {array}; the limit is {MAX_RECORDS:,}")
            return []
        return items

    def paragraphs(self, items: object, section_ids: set[str]) -> list[Paragraph]:
        paragraphs: list[Paragraph] = []
        seen: set[str] = set()
        for index, item in enumerate(self.table_array(items, "paragraphs")):
            where = f"paragraphs[{index}]"
            if isinstance(item.get("id"), str):
                where += f' (id "{item["id"]}")'

            def line(key: str, i: int = index) -> int | None:
                return self.lines.key("paragraphs", i, key)

            values = self.fields(item, _PARAGRAPH_FIELDS, where, line)
            if values is None:
                continue
            if values["section"] not in section_ids:
                self.problem(
                    line("section"),
                    f"{where}: field 'section': \"{values['section']}\" names no section",
                )
                continue
            if values["id"] in seen:
                self.problem(line("id"), f"{where}: field 'id': duplicate paragraph id")
                continue
            seen.add(values["id"])
            paragraphs.append(Paragraph(**values))
        return paragraphs

    def glossary(self, items: object) -> list[GlossaryEntry]:
        entries: list[GlossaryEntry] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(self.table_array(items, "glossary")):
            where = f"glossary[{index}]"

            def line(key: str, i: int = index) -> int | None:
                return self.lines.key("glossary", i, key)

            values = self.fields(item, _GLOSSARY_FIELDS, where, line)
            if values is None:
                continue
            term = values["zh"]
            if term in seen:
                # One rendering per term: a second entry for it is the inconsistency
                # the glossary exists to prevent.
                self.problem(
                    line("zh"),
                    f"{where}: field 'zh': \"{term}\" is already glossary[{seen[term]}]",
                )
                continue
            seen[values["zh"]] = index
            entries.append(GlossaryEntry(**values))
        return entries

    def check_quotes(self, record: Record, array: str, index: int) -> None:
        """Each quote must be in one paragraph once whitespace is removed from both."""
        article = self.article
        if article is None:
            return
        for position, quote in enumerate(record.quotes):
            needle = strip_whitespace(quote)
            if needle not in article:
                self.problem(
                    self.lines.key(array, index, "quote"),
                    f'{array}[{index}] (id "{record.id}"): field \'quote\' item {position}: '
                    f"not in the article's paragraphs (whitespace removed from both): "
                    + _where_it_differs(needle, article),
                )

    # -- one record

    def record(
        self,
        kind: Kind,
        array: str,
        index: int,
        item: Mapping[str, Any],
        section_ids: set[str],
        ids: Mapping[str, str],
    ) -> Record | None:
        fast = _fast_values(item, kind)
        if fast is not None:
            related = fast.get("related", ())
            if fast["section"] in section_ids and all(
                target in ids and target != fast["id"] for target in related
            ):
                fast["line"] = self.lines.record(array, index)
                record = RECORD_CLASS[kind](**fast)
                if self.article is not None:
                    self.check_quotes(record, array, index)
                return record
        # Something is wrong: the field-by-field check says exactly what.
        record_id = item.get("id")
        label = f"{array}[{index}]"
        if isinstance(record_id, str):
            label += f' (id "{_name(record_id)}")'

        def line(key: str) -> int | None:
            return self.lines.key(array, index, key)

        values, ok = self.partial_fields(item, _SCHEMA[kind], label, line)
        if "section" in values and values["section"] not in section_ids:
            self.problem(
                line("section"),
                f"{label}: field 'section': \"{_name(values['section'])}\" names no section"
                + (f" (sections: {', '.join(sorted(section_ids))})" if section_ids else ""),
            )
            ok = False
        for target in values.get("related", ()):
            if target == values.get("id"):
                self.problem(line("related"), f"{label}: field 'related': names the record itself")
                ok = False
            elif target not in ids:
                self.problem(
                    line("related"),
                    f"{label}: field 'related': \"{_name(target)}\" names no record"
                    + self.suggest(target, ids),
                )
                ok = False
        if not ok:
            return None
        values["quotes"] = values.pop("quote")
        values["line"] = self.lines.record(array, index)
        built = RECORD_CLASS[kind](**values)
        self.check_quotes(built, array, index)
        return built

    # -- field by field

    def fields(
        self,
        item: Mapping[str, Any],
        schema: Mapping[str, _Field],
        label: str,
        line: Any,
    ) -> dict[str, Any] | None:
        values, ok = self.partial_fields(item, schema, label, line)
        return values if ok else None

    def partial_fields(
        self,
        item: Mapping[str, Any],
        schema: Mapping[str, _Field],
        label: str,
        line: Any,
    ) -> tuple[dict[str, Any], bool]:
        """The fields that are right, and whether all were."""
        values: dict[str, Any] = {}
        ok = True
        for key in item:
            if key not in schema:
                self.problem(
                    line(key),
                    f"{label}: field '{_name(key)}' is not known{self.suggest(key, schema)}",
                )
                ok = False
        for spec in schema.values():
            if spec.name not in item:
                if spec.required:
                    self.problem(line(spec.name), f"{label}: field '{spec.name}' is missing")
                    ok = False
                continue
            error, value = _convert(spec, item[spec.name])
            if error:
                self.problem(line(spec.name), f"{label}: field '{spec.name}': {error}")
                ok = False
            else:
                values[spec.name] = value
        return values, ok


def _where_it_differs(needle: str, article: str) -> str:
    """Where a quote leaves the article: the longest start of it that the article has
    (a binary search; only run for a quote that is not found)."""
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if needle[:middle] in article:
            low = middle
        else:
            high = middle - 1
    shown = needle if len(needle) <= 30 else needle[:29] + "…"
    if low == 0:
        return f'"{shown}": not even its first character is there'
    rest = needle[low : low + 12] + ("…" if len(needle) > low + 12 else "")
    return f'"{shown}": its first {low} of {len(needle)} characters are there, then "{rest}" is not'


_BAD = object()  # what a fast check returns for a value it does not accept


def _fast_check(spec: _Field) -> Callable[[Any], Any]:
    """A function that returns the field's converted value, or ``_BAD``.

    Exact type tests and no messages: anything unusual is left to :func:`_convert`.
    """
    limit = MAX_LENGTH[spec.limit]
    kind = spec.type
    if kind in ("str", "section", "id"):
        must = spec.required
        pattern = ID_PATTERN.match if kind == "id" else None

        def text(value: Any) -> Any:
            if type(value) is not str or len(value) > limit:
                return _BAD
            if must and (not value or value.isspace()):
                return _BAD
            if pattern is not None and not pattern(value):
                return _BAD
            return value

        return text
    if kind in ("str-list", "related", "quote"):
        quote = kind == "quote"

        def strings(value: Any) -> Any:
            if quote and type(value) is str:
                value = [value]
            if type(value) is not list or len(value) > MAX_LIST_ITEMS or (quote and not value):
                return _BAD
            for entry in value:
                if type(entry) is not str or len(entry) > limit:
                    return _BAD
                if quote and (not entry or entry.isspace()):
                    return _BAD
            return tuple(value)

        return strings
    if kind == "number":
        return lambda value: (
            value
            if (type(value) is int or (type(value) is float and math.isfinite(value)))
            and -MAX_FIGURE_VALUE < value < MAX_FIGURE_VALUE
            else _BAD
        )
    if kind == "bool":
        return lambda value: value if type(value) is bool else _BAD
    if kind == "date":
        return lambda value: value if type(value) is str and valid_date(value) else _BAD
    if kind == "qualifier":
        return lambda value: value if type(value) is str and value in QUALIFIERS else _BAD
    if kind == "role":
        return lambda value: value if type(value) is str and value in PARAGRAPH_ROLES else _BAD
    raise ValueError(f"no fast check for {kind}")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class _KindCheck:
    allowed: frozenset[str]
    required: frozenset[str]
    checks: dict[str, Callable[[Any], Any]]


_FAST: dict[Kind, _KindCheck] = {
    kind: _KindCheck(
        frozenset(schema),
        frozenset(name for name, spec in schema.items() if spec.required),
        {name: _fast_check(spec) for name, spec in schema.items()},
    )
    for kind, schema in _SCHEMA.items()
}


def _fast_values(item: Mapping[str, Any], kind: Kind) -> dict[str, Any] | None:
    """The record's constructor arguments when every field is right, else ``None``.

    The common case, checked with set operations and exact type tests; anything
    unusual returns ``None`` and :meth:`_Checker.partial_fields` (slower, with
    messages) decides.  At 100,000 records this more than halves validation.
    """
    check = _FAST[kind]
    keys = item.keys()
    if not (keys <= check.allowed and check.required <= keys):
        return None
    checks = check.checks
    values: dict[str, Any] = {}
    for name, value in item.items():
        converted = checks[name](value)
        if converted is _BAD:
            return None
        values[name] = converted
    values["quotes"] = values.pop("quote")
    return values


def _text_error(spec: _Field, value: str) -> str | None:
    limit = MAX_LENGTH[spec.limit]
    if len(value) > limit:
        return f"{len(value):,} characters; the limit is {limit:,}"
    return None


def _convert(spec: _Field, value: object) -> tuple[str | None, object]:
    """(error, converted value) for one field."""
    kind = spec.type
    if kind in ("str", "id", "section", "date", "qualifier", "role"):
        if not isinstance(value, str):
            return f"expected a string, got {_type_name(value)}", None
        if kind in ("id", "section", "str") and spec.required and not value.strip():
            return "is empty", None
        if kind == "id" and not ID_PATTERN.match(value):
            return (
                f"{_short(value)} is not lowercase ASCII words joined by hyphens "
                "(e.g. kangjia-institute)",
                None,
            )
        if kind == "date" and not valid_date(value):
            return f"{_short(value)} is not a date YYYY, YYYY-MM or YYYY-MM-DD", None
        if kind == "qualifier" and value not in QUALIFIERS:
            return f"{_short(value)} is not one of {', '.join(QUALIFIERS)}", None
        if kind == "role" and value not in PARAGRAPH_ROLES:
            return f"{_short(value)} is not one of {', '.join(PARAGRAPH_ROLES)}", None
        return _text_error(spec, value), value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {_type_name(value)}", None
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value} is not a finite number", None
        if not -MAX_FIGURE_VALUE < value < MAX_FIGURE_VALUE:
            return (
                f"{_number_size(value)} is too large: a value must be of magnitude below "
                "10^18 (see docs/dataset.md)",
                None,
            )
        return None, value
    if kind == "bool":
        if not isinstance(value, bool):
            return f"expected true or false, got {_type_name(value)}", None
        return None, value
    # lists: str-list, related, quote (a string or a list of strings)
    if kind == "quote" and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        expected = "a string or an array of strings" if kind == "quote" else "an array of strings"
        return f"expected {expected}, got {_type_name(value)}", None
    if len(value) > MAX_LIST_ITEMS:
        return f"{len(value)} items; the limit is {MAX_LIST_ITEMS}", None
    for position, entry in enumerate(value):
        if not isinstance(entry, str):
            return f"item {position} is {_type_name(entry)}, expected a string", None
        error = _text_error(spec, entry)
        if error:
            return f"item {position}: {error}", None
        if kind == "quote" and not entry.strip():
            return f"item {position} is empty", None
    if kind == "quote" and not value:
        return "is empty: at least one quote is needed", None
    return None, tuple(value)
