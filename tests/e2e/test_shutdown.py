"""Shutdown always completes: the app in a real pty, ended by a lost terminal or signals.

A small self-contained pty runner (the general harness is ``pty_harness.py``): the
app is started as a session leader whose controlling terminal is the pty's slave, as
an SSH session or a tmux pane starts it.  Closing the master is what an SSH drop or
``tmux kill-session`` does: the kernel sends SIGHUP and the terminal is gone.

No test here asserts a time.  Waits are hang guards: a process that is still there
after HANG_GUARD seconds counts as hung (the issue's bug: in 3 of 6 tries it stayed
for ever, blocked on Textual's writer queue).
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pty_harness import open_pty, spawn

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 15.0
FIRST_FRAME_GUARD = 60.0
ALT_ON = b"\x1b[?1049h"
ALT_OFF = b"\x1b[?1049l"
FRAME_TEXT = "平台".encode()  # the first tab's name: the main screen is drawn


@dataclass
class AppInPty:
    process: subprocess.Popen[bytes]
    master: int
    slave: int | None
    output: bytearray = field(default_factory=bytearray)
    got_output: threading.Condition = field(default_factory=threading.Condition)
    reader: threading.Thread | None = None

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self.got_output:
                if chunk:
                    self.output += chunk
                self.got_output.notify_all()
            if not chunk:
                return

    def wait_for_first_frame(self) -> None:
        def drawn() -> bool:
            at = self.output.find(ALT_ON)
            return at >= 0 and self.output.find(FRAME_TEXT, at) >= 0

        with self.got_output:
            self.got_output.wait_for(
                lambda: drawn() or self.process.poll() is not None, FIRST_FRAME_GUARD
            )
            assert drawn(), f"no first frame; output: {bytes(self.output[-500:])!r}"

    def close_master(self) -> None:
        os.close(self.master)

    def wait_gone(self) -> int | None:
        """The exit status, or ``None`` if the process is still there after the guard."""
        try:
            return self.process.wait(HANG_GUARD)
        except subprocess.TimeoutExpired:
            return None


def _session_members(sid: int) -> list[int]:
    """Processes still in the app's session (the app and anything it started)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


@contextlib.contextmanager
def app_in_pty(tmp_path: Path, *, controlling: bool = True) -> Iterator[AppInPty]:
    master, slave = open_pty(80, 24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        PYTHONIOENCODING="utf-8",
    )
    env.pop("COLUMNS", None)
    env.pop("LINES", None)

    process = spawn(
        [sys.executable, "-m", "bishan_tui"], slave, env, cwd=ROOT, controlling=controlling
    )
    run = AppInPty(process, master, slave)
    run.reader = threading.Thread(target=run._read, daemon=True)
    run.reader.start()
    try:
        yield run
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        with contextlib.suppress(OSError):
            os.close(master)
        if run.slave is not None:
            with contextlib.suppress(OSError):
                os.close(run.slave)


def _terminal_is_sane(fd: int) -> bool:
    lflag = termios.tcgetattr(fd)[3]
    return bool(lflag & termios.ECHO and lflag & termios.ICANON and lflag & termios.ISIG)


def _left_app_mode(output: bytes) -> bool:
    """The last switch to the alternate screen was undone, and the cursor shown after."""
    return output.rfind(ALT_OFF) > output.rfind(ALT_ON) and output.rfind(b"\x1b[?25h") > (
        output.rfind(b"\x1b[?25l")
    )


@pytest.mark.parametrize("attempt", range(20))
def test_terminal_lost_just_after_the_first_frame_leaves_no_process(
    attempt: int, tmp_path: Path
) -> None:
    """The SSH drop of the issue: the pty's master closed within 100 ms of the first
    frame (SIGHUP to the app, its terminal gone), 20 times; no process may be left."""
    with app_in_pty(tmp_path) as run:
        assert run.slave is not None
        os.close(run.slave)  # only the app holds the terminal, as under sshd
        run.slave = None
        run.wait_for_first_frame()
        threading.Event().wait(random.Random(attempt).uniform(0.0, 0.1))
        run.close_master()
        status = run.wait_gone()
        assert status is not None, "the app is still running after its terminal was lost"
        assert status in (-signal.SIGHUP, 128 + signal.SIGHUP, 1), status
        assert _session_members(run.process.pid) == []


def test_terminal_lost_without_sighup_leaves_no_process(tmp_path: Path) -> None:
    """A terminal lost without a SIGHUP (the app does not own it): reads fail, the app
    exits; no process is left."""
    with app_in_pty(tmp_path, controlling=False) as run:
        assert run.slave is not None
        os.close(run.slave)
        run.slave = None
        run.wait_for_first_frame()
        run.close_master()
        assert run.wait_gone() is not None, "the app is still running without a terminal"


SIGNALS = [
    pytest.param((signal.SIGTERM,), id="TERM"),
    pytest.param((signal.SIGHUP,), id="HUP"),
    pytest.param((signal.SIGINT,), id="INT"),
    pytest.param((signal.SIGQUIT,), id="QUIT"),
    pytest.param((signal.SIGUSR1,), id="USR1"),
    pytest.param((signal.SIGTERM, signal.SIGINT), id="TERM-then-INT"),
    pytest.param((signal.SIGHUP, signal.SIGTERM), id="HUP-then-TERM"),
]


@pytest.mark.parametrize("numbers", SIGNALS)
def test_signals_end_the_app_and_give_the_terminal_back(
    numbers: tuple[signal.Signals, ...], tmp_path: Path
) -> None:
    """Each signal, and two in a row (sent back to back, well within 10 ms): the app
    exits with 128 + a signal's number, the terminal out of app mode (normal
    screen, cursor shown) and back in its line mode (echo, canonical input, signals)."""
    with app_in_pty(tmp_path) as run:
        assert run.slave is not None
        run.wait_for_first_frame()
        for number in numbers:
            run.process.send_signal(number)
        status = run.wait_gone()
        assert status is not None, "the app did not exit"
        # Signals pending together are handled in number order (INT before TERM).
        assert status in {128 + number for number in numbers}
        assert _terminal_is_sane(run.slave)
        os.close(run.slave)  # the last slave: the reader now sees the end of the output
        run.slave = None
        assert run.reader is not None
        run.reader.join(HANG_GUARD)
        assert _left_app_mode(bytes(run.output)), bytes(run.output[-300:])


def test_the_watchdog_restores_the_terminal_without_the_event_loop() -> None:
    """ExitGuard alone, with no app and no event loop: once armed, its thread puts the
    terminal settings back, writes the sequences that leave app mode and ends the
    process (here a stand-in for ``os._exit``) with the code it was given."""
    from bishan_tui.shutdown import RESTORE_SEQUENCE, ExitGuard

    master, slave = os.openpty()
    try:
        ended: list[int] = []
        done = threading.Event()

        def exit_process(code: int) -> None:
            ended.append(code)
            done.set()

        guard = ExitGuard(slave, slave, grace=0.05, exit_process=exit_process)
        raw = termios.tcgetattr(slave)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG)  # what Textual sets
        termios.tcsetattr(slave, termios.TCSANOW, raw)
        guard.arm(143)
        guard.arm(130)  # armed once: a later request changes nothing
        assert done.wait(HANG_GUARD)
        assert ended == [143]
        assert _terminal_is_sane(slave)
        written = b""
        while RESTORE_SEQUENCE not in written:
            ready, _, _ = select.select([master], [], [], HANG_GUARD)
            assert ready, written
            written += os.read(master, 4096)
        assert ALT_OFF in written and b"\x1b[?1000l" in written and b"\x1b[?25h" in written
    finally:
        os.close(master)
        os.close(slave)
