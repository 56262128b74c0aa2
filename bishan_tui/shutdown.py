"""However the app is told to stop, the process ends and the terminal is given back.

Pure: no Textual, no Rich.  :class:`ExitGuard` is set up by the CLI just before the
app takes the screen.  It

* saves the terminal's settings (``termios``) while they are still the shell's;
* catches the signals that would otherwise kill the process with the terminal
  still in app mode (SIGHUP when an SSH link drops, SIGTERM, SIGINT, SIGQUIT,
  SIGUSR1, …) and asks the app to exit the way ``q`` does;
* treats a hung-up terminal as SIGHUP (a thread asleep in ``poll``);
* runs a watchdog *thread* from the first signal, hang-up or crash (a plain ``q``
  is left alone: whatever the app saves on the way out gets its time).  The app's own
  exit runs on its event loop, and that loop can block for ever (Textual's writer
  thread dies on a lost terminal; the loop then waits on its full queue).  The
  watchdog does not need the loop: after :data:`GRACE_SECONDS` it puts the terminal
  settings back, writes the sequences that leave app mode, and ends the process
  with ``os._exit``.

A second signal while an exit is under way changes nothing: the exit already has
its deadline.  (Before, it called ``os._exit`` at once and left the terminal in app
mode.)
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

# Time the app's own exit gets before the watchdog ends the process: the whole exit
# stays under a second even when the terminal is gone.
GRACE_SECONDS = 0.7
# Time the watchdog gives its own write to the terminal (that write can block too).
RESTORE_SECONDS = 0.15

# What leaves app mode, in the order Textual's own exit writes it, plus the mouse and
# paste modes Textual turns off elsewhere.  Harmless on a terminal already restored.
RESTORE_SEQUENCE = (
    "\x1b[<u"  # the kitty keyboard protocol off
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?2004l"  # bracketed paste off
    "\x1b[?1004l"  # focus reports off
    "\x1b[?7h"  # line wrap back on
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?25h"  # show the cursor
).encode("ascii")

# Signals whose default action ends the process (SIGQUIT with a core dump) and that a
# user or a system sends to say "stop".  SIGTSTP/SIGCONT stay Textual's (Ctrl+Z).
EXIT_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name)
    for name in (
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGTERM",
        "SIGUSR1",
        "SIGUSR2",
        "SIGALRM",
        "SIGVTALRM",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGPWR",
    )
    if hasattr(signal, name)
)


class ExitGuard:
    """Signal handlers and a watchdog for one run of the app (see the module's text)."""

    def __init__(
        self,
        tty_in: int,
        tty_out: int,
        *,
        grace: float = GRACE_SECONDS,
        exit_process: Callable[[int], Any] = os._exit,
    ) -> None:
        self.tty_in = tty_in
        self.tty_out = tty_out
        self.grace = grace
        self._exit_process = exit_process
        self._settings = _terminal_settings(tty_in)
        self._watchdog: threading.Thread | None = None
        self._on_signal: Callable[[int], None] | None = None
        self._once = threading.Lock()
        self.signal_number = 0

    def install(self, on_signal: Callable[[int], None]) -> None:
        """Catch :data:`EXIT_SIGNALS`; the first one calls ``on_signal(number)``.

        ``on_signal`` runs in the main thread, inside a signal handler: it must only
        hand the request to the app (``loop.call_soon_threadsafe``), never block.
        """
        self._on_signal = on_signal
        for number in EXIT_SIGNALS:
            with contextlib.suppress(OSError, ValueError):
                signal.signal(number, self._handle)
        threading.Thread(target=self._watch_terminal, name="bishan-hangup", daemon=True).start()

    def _handle(self, number: int, _frame: object) -> None:
        self._stop(number)

    def _stop(self, number: int) -> None:
        # Once: a second signal (or the hang-up seen by the thread as well) changes
        # nothing, the exit under way already has its deadline.  Never a blocking
        # acquire: a signal handler could wait here on its own thread.
        if not self._once.acquire(blocking=False):
            return
        self.signal_number = number
        self.arm(128 + number)
        if self._on_signal is not None:
            self._on_signal(number)

    def _watch_terminal(self) -> None:
        """Treat a hung-up terminal as SIGHUP.  A process that does not own its terminal
        gets no SIGHUP when the terminal goes; Textual's input thread then reads end of
        file in a loop and the app never learns.  ``poll`` with no events asked reports
        only a hang-up, an error or a closed descriptor, so this thread sleeps until then."""
        import select

        poller = select.poll()
        poller.register(self.tty_in, 0)
        while True:
            try:
                events = poller.poll()
            except InterruptedError:
                continue
            except OSError:
                return
            if any(mask & (select.POLLHUP | select.POLLERR) for _fd, mask in events):
                self._stop(signal.SIGHUP)
            return

    @property
    def armed(self) -> bool:
        return self._watchdog is not None

    def arm(self, code: int) -> None:
        """Start the watchdog (once): unless the process has ended within
        :attr:`grace` seconds, restore the terminal and end it with ``code``."""
        if self._watchdog is not None:
            return
        self._watchdog = threading.Thread(
            target=self._watch, args=(code,), name="bishan-exit-watchdog", daemon=True
        )
        self._watchdog.start()

    def _watch(self, code: int) -> None:
        threading.Event().wait(self.grace)
        self.restore()
        self._exit_process(code)

    def restore(self) -> None:
        """Put the terminal back as the shell had it, without waiting more than
        :data:`RESTORE_SECONDS` on a terminal that does not read."""
        if self._settings is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.tty_in, termios.TCSANOW, self._settings)
        writer = threading.Thread(target=self._write_restore, daemon=True)
        writer.start()
        writer.join(RESTORE_SECONDS)

    def _write_restore(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.tty_out, RESTORE_SEQUENCE)


def _terminal_settings(fd: int) -> list[Any] | None:
    try:
        import termios

        return termios.tcgetattr(fd)
    except Exception:  # no termios, not a terminal (termios.error), a closed descriptor
        return None
