"""The bytes of a dataset file, read safely, decoded and parsed as TOML.

Only ever opened for reading; every refusal is a :class:`DatasetError` with one line
naming the file (and the line, where there is one).
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli

from ..textsafe import one_line

# Limits, so a hostile or generated file is refused with a reason rather than
# eating the machine.  docs/dataset.md ("Limits") gives the measurements behind each:
# a realistic file at MAX_FILE_BYTES (140,000 records) peaks at about 1 GB RSS.
MAX_FILE_BYTES = 128 * 1024 * 1024
# Before parsing, the '=' ',' '[' '{' marks of the text are counted: an upper bound on
# the values and tables the TOML parser would build.  A realistic 140,000-record file
# has 2.6 million marks, 0.49 million of them brackets; 3 bytes of "{}," each cost
# ~80 bytes of memory once parsed, so a file of nothing but those is refused here.
MAX_TOML_VALUES = 5_000_000
MAX_TOML_TABLES = 2_000_000
# A pipe (a FIFO, ``--data <(generate)``) that sends nothing for this long is given up on.
PIPE_IDLE_SECONDS = 10.0


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
    package = Path(__file__).resolve().parent.parent
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
