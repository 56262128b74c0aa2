"""Where the CLI's answers go: stdout that may be closed, full, piped or not UTF-8;
one-line errors on stderr; the Rich console for tables.  Exit statuses live here too."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, TextIO

from ..textsafe import one_line

if TYPE_CHECKING:
    from rich.console import Console

# Exit statuses (README, "Exit status"): 0 the answer was printed; 1 nothing matched;
# 2 bad usage, a bad dataset, or an output that cannot take the answer; 128 + N when
# signal N ended the app (130: Ctrl+C during a one-shot command).
EXIT_OK = 0
EXIT_NONE = 1
EXIT_ERROR = 2
# Below this, a COLUMNS value is taken for a mistake (COLUMNS=0 drew nothing at all).
MIN_COLUMNS = 20


class OutputError(Exception):
    """Standard output cannot take the answer: closed, full, or unable to encode it."""


def _stdout() -> TextIO:
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise OutputError("standard output is closed; nothing was printed")
    return sys.stdout


def write(text: str) -> None:
    out = _stdout()
    with writing(out):
        out.write(text)


@contextlib.contextmanager
def writing(out: IO[str]) -> Iterator[None]:
    """Turn a failed write into an :class:`OutputError` (a reader who left is not one)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except UnicodeEncodeError:
        raise OutputError(_cannot_encode(out)) from None
    except OSError as error:  # /dev/full, EIO, a closed descriptor
        reason = error.strerror or str(error)
        raise OutputError(f"cannot write to standard output: {reason}") from None


def flush() -> None:
    if sys.stdout is not None:
        with writing(sys.stdout):
            sys.stdout.flush()


def _cannot_encode(out: IO[str]) -> str:
    return (
        f"standard output cannot show this text (its encoding is {getattr(out, 'encoding', '?')}); "
        "set PYTHONIOENCODING=utf-8 or a UTF-8 locale"
    )


ESCAPE_ERRORS = "bishan-escape"
_escaped = False


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """Characters the terminal's encoding cannot show are written as ``\\uXXXX``; the
    first time, one line on stderr says why and what to do."""
    global _escaped
    if not isinstance(error, UnicodeEncodeError):
        raise error
    if not _escaped:
        _escaped = True
        sys.stderr.write(
            f"bishan-tui: this terminal's encoding ({sys.stdout.encoding}) cannot show "
            "Chinese; such characters are written as \\uXXXX. Use a UTF-8 locale "
            "(e.g. LANG=C.UTF-8) or PYTHONIOENCODING=utf-8.\n"
        )
    chunk = error.object[error.start : error.end]
    escaped = "".join(
        f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}" for ch in chunk
    )
    return escaped, error.end


def is_utf8(encoding: str | None) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def as_written(text: str) -> str:
    """``text`` as a non-UTF-8 stdout will show it (``\\uXXXX`` escapes), so that a
    table is laid out for what is written, not for Chinese it cannot show."""
    encoding = getattr(sys.stdout, "encoding", None)
    if is_utf8(encoding):
        return text
    try:
        return text.encode(encoding or "ascii", ESCAPE_ERRORS).decode(encoding or "ascii")
    except LookupError:  # the escape handler is not registered: left to the stream
        return text


def protect_output() -> None:
    """On a terminal or pipe whose encoding is not UTF-8 (an ISO-8859-1 locale,
    ``PYTHONIOENCODING=latin-1``), write what it cannot encode as escapes instead of
    failing with ``UnicodeEncodeError``: output never crashes, exit codes keep their
    meaning."""
    import codecs

    stdout = sys.stdout
    if stdout is None or is_utf8(getattr(stdout, "encoding", None)):
        return
    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
    reconfigure = getattr(stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors=ESCAPE_ERRORS)


def print_error(message: str) -> None:
    """One line on stderr; if stderr is closed or broken, the exit status still tells."""
    err = sys.stderr
    if err is None:
        return
    line = one_line(message) + "\n"
    try:
        try:
            err.write(line)
        except UnicodeEncodeError:  # an ASCII-only stderr: Chinese as \\uXXXX escapes
            encoding = err.encoding or "ascii"
            err.write(line.encode(encoding, "backslashreplace").decode(encoding))
        err.flush()
    except (OSError, ValueError):
        pass


def make_console() -> Console:
    """A Rich console on stdout; a ``COLUMNS`` too small to show a table is ignored."""
    from rich.console import Console

    width = None
    columns = os.environ.get("COLUMNS", "")
    if columns and not (columns.isdigit() and int(columns) >= MIN_COLUMNS):
        try:
            width = max(os.get_terminal_size(_stdout().fileno()).columns, MIN_COLUMNS)
        except (OSError, ValueError):
            width = 80
    return Console(file=_stdout(), highlight=False, width=width)


def default_format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "table" if sys.stdout is not None and sys.stdout.isatty() else "plain"


def silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's last flush at exit has nothing to fail on."""
    if sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
