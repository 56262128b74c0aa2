"""Run the installed ``bishan-tui`` in a pseudo-terminal and read its screen.

The app gets a real tty (its controlling terminal, with a window size), so it runs
exactly as in a user's terminal: Textual's Linux driver, raw mode, the alternate
screen.  What it writes is fed to pyte, a VT100 emulator, whose screen is what a user
would see; the raw bytes are kept too, to check the escape sequences that put the
terminal back.  Keys are written to the pty as a terminal or an SSH link delivers them:
a whole query in one ``write``, or before the app has drawn anything.

Used by every end-to-end test; a test module skips (with the reason) only where no pty
can be opened.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pyte

# The child's own session, with the pty as its controlling terminal (so SIGHUP, SIGTSTP
# and the window size work as in a terminal), then the app in its place: an exec, not
# a preexec_fn, which is unsafe while the test process runs threads.
_AS_SESSION_LEADER = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


def open_pty(columns: int, lines: int) -> tuple[int, int]:
    """(master, slave) of a new pty of ``columns`` x ``lines``."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    return master, slave


def spawn(
    argv: list[str],
    slave: int,
    env: Mapping[str, str],
    *,
    cwd: Path | None = None,
    controlling: bool = True,
) -> subprocess.Popen[bytes]:
    """``argv`` in its own session on the pty ``slave`` (stdin, stdout, stderr), the pty
    its controlling terminal unless ``controlling`` is false (a terminal already lost)."""
    return subprocess.Popen(
        [sys.executable, "-c", _AS_SESSION_LEADER, *argv] if controlling else argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )


def pty_available() -> str:
    """Why no pty can be opened here, or "" if one can."""
    try:
        master, slave = os.openpty()
    except OSError as error:
        return f"no pseudo-terminal: {error}"
    os.close(master)
    os.close(slave)
    return ""


def installed_app() -> Path:
    """The ``bishan-tui`` console script of the environment running the tests."""
    return Path(sys.executable).with_name("bishan-tui")


class PtyApp:
    """One run of the app in a pty of ``columns`` x ``lines``."""

    def __init__(
        self,
        argv: list[str] | None = None,
        *,
        size: tuple[int, int] = (80, 24),
        env: Mapping[str, str] | None = None,
        home: Path | None = None,
    ) -> None:
        self.argv = argv or [str(installed_app())]
        self.columns, self.lines = size
        self.env = dict(env or {})
        self.home = home
        self.output = bytearray()
        self.screen = pyte.Screen(self.columns, self.lines)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self._master = -1
        self._slave = -1
        self._reader: threading.Thread | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.initial_modes: list[object] = []

    # -- running ------------------------------------------------------------------

    def start(self, before_first_frame: bytes = b"") -> PtyApp:
        """Start the app; ``before_first_frame`` is written at once, before it can have
        read anything (keys typed while ``ssh host bishan-tui`` is still starting)."""
        self._master, self._slave = open_pty(self.columns, self.lines)
        self.initial_modes = termios.tcgetattr(self._slave)
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TMUX", "TEXTUAL", "PYTEST")) and key != "NO_COLOR"
        }
        environment.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "COLORTERM": ""})
        environment.update({"COLUMNS": str(self.columns), "LINES": str(self.lines)})
        if self.home is not None:
            for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
                environment[name] = str(self.home / name.lower())
        environment.update(self.env)
        if before_first_frame:
            os.write(self._master, before_first_frame)  # waits in the tty for the app

        self.process = spawn(self.argv, self._slave, environment)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return  # EIO: every writer of the slave has gone
            if not data:
                return
            with self._lock:
                self.output += data
                self._stream.feed(data)

    def write(self, data: bytes | str) -> None:
        """One write, as one packet of a remote link."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        os.write(self._master, data)

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def wait_exit(self, timeout: float = 10.0) -> int | None:
        """The exit status, or None if the process is still running after ``timeout``."""
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        if self._reader is not None:
            self._reader.join(2)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------

    def text(self) -> str:
        """The screen as a user sees it, one line per row (wide characters once)."""
        with self._lock:  # not pyte's ``display``: it fails on a half-overwritten wide char
            buffer, columns = self.screen.buffer, self.screen.columns
            rows = ("".join(buffer[y][x].data for x in range(columns)) for y in range(self.lines))
            return "\n".join(row.rstrip() for row in rows)

    def row(self, y: int) -> str:
        return self.text().splitlines()[y]

    def wait_for(
        self, condition: Callable[[str], bool] | str, timeout: float = 20.0
    ) -> str:
        """Wait until the screen satisfies ``condition`` (or holds the text); return it.
        A hang guard, not a speed test: the time allowed is generous."""
        check = (lambda screen: condition in screen) if isinstance(condition, str) else condition
        end = time.monotonic() + timeout
        while True:
            screen = self.text()
            if check(screen):
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"timed out; the screen was:\n{screen}")
            if self.process is not None and self.process.poll() is not None:
                time.sleep(0.2)  # the last output may still be in the pipe
                screen = self.text()
                if check(screen):
                    return screen
                raise AssertionError(
                    f"the app exited ({self.process.returncode}); the screen was:\n{screen}"
                )
            time.sleep(0.05)

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 10.0) -> None:
        """Wait until nothing has been written for ``quiet`` seconds."""
        end = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.05)
            if len(self.output) != size:
                size, since = len(self.output), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def terminal_problems(self) -> list[str]:
        """What the app left wrong in the terminal after it exited: modes it turned on
        and did not turn off (by the bytes it wrote), and tty settings not restored."""
        problems: list[str] = []
        out = bytes(self.output)
        for name, on, off in (
            ("alternate screen", b"\x1b[?1049h", b"\x1b[?1049l"),
            ("mouse reporting", b"\x1b[?1000h", b"\x1b[?1000l"),
            ("bracketed paste", b"\x1b[?2004h", b"\x1b[?2004l"),
            ("hidden cursor", b"\x1b[?25l", b"\x1b[?25h"),
        ):
            if out.rfind(on) > out.rfind(off):
                problems.append(f"{name} left on")
        with contextlib.suppress(OSError):
            now = termios.tcgetattr(self._slave)
            if now[3] != self.initial_modes[3]:
                problems.append(f"tty local modes {now[3]:#o} != {self.initial_modes[3]:#o}")
            if now[0] != self.initial_modes[0]:
                problems.append(f"tty input modes {now[0]:#o} != {self.initial_modes[0]:#o}")
        return problems


@contextlib.contextmanager
def running(
    *, size: tuple[int, int] = (80, 24), home: Path, before_first_frame: bytes = b"",
    env: Mapping[str, str] | None = None, argv: list[str] | None = None,
) -> Iterator[PtyApp]:
    app = PtyApp(argv, size=size, home=home, env=env)
    try:
        yield app.start(before_first_frame)
    finally:
        app.close()
