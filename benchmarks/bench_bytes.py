"""Bytes the app writes to its terminal per key: a pty meter (issue 11).

Run by a person, never by the tests:

    python benchmarks/bench_bytes.py [--runs 5] [--sizes 80x24,100x30,160x48] [--local]
        [--strace] [--baseline OTHER_CHECKOUT/.venv/bin/python]

Each program runs on its own pseudo-terminal of the given size (``TIOCSWINSZ``) with
``TERM=xterm-256color`` and, unless ``--local``, ``SSH_CONNECTION`` set as sshd sets it
(so the app takes its over-SSH defaults).  The meter reads the pty's master side
as soon as bytes arrive and counts, in the 450 ms after a key, the bytes and the reads
(a read takes whatever the program wrote since the last one, so reads <= writes; two
writes within the same few microseconds count once).  The program is left to settle
(less than 400 B, a cursor blink, in 0.8 s) before each key.

Actions, for bishan-tui:

* ``search key``: with the cursor in the search box, each letter of ``kangjia`` in
  turn (all seven together, then each on its own row: the first key starts the search,
  ``kan`` is where the few rows left make room for the detail below the table);
* ``move row``: Esc Esc (command mode), then ``j`` (one row down);
* ``switch tab``: in command mode, ``2`` then ``1``;
* ``idle``: 3 s with the search box focused and nothing typed: bytes per second.

Against it, in the same run, a minimal Textual app: an Input over a DataTable of the
same records' titles (no theme, no bindings): one letter in its Input, one row down
in its DataTable (after Tab), and idle with the Input focused.

Prints a Markdown table of medians (min-max) per size, and the load average.  With
``--strace``, instead: one run of the app under ``strace -e trace=write``, and for each
key the bytes and the exact number of write() calls to the terminal.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW = 0.45  # seconds counted after a key, as in the measurements
SETTLE = 0.8  # quiet this long = the screen is drawn
QUIET = 400  # bytes in SETTLE that still count as quiet (a blinking cursor's toggles)

BARE_APP = """
import sys
from textual.app import App
from textual.widgets import DataTable, Input
sys.path.insert(0, %(root)r)
from bishan_tui.loader import load_dataset
TITLES = [(r.title, r.title_en) for r in load_dataset(None).records]
class Bare(App):
    def compose(self):
        yield Input(placeholder="search")
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("名称", "Name")
        table.add_rows(TITLES)
        self.query_one(Input).focus()
Bare().run()
"""


class Pty:
    """A program on its own pseudo-terminal; everything it writes is read at once."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            # from a neutral folder: `python -m bishan_tui` run here would import this
            # checkout's package whichever interpreter (--baseline) runs it
            os.chdir("/")
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def read_for(self, seconds: float) -> tuple[int, int]:
        """Bytes and reads during ``seconds``."""
        end = time.monotonic() + seconds
        total = reads = 0
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            total += len(chunk)
            reads += 1
        return total, reads

    def settle(self, limit: float = 10.0) -> None:
        """Until nothing but a cursor blink (a few hundred bytes) comes for SETTLE."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            got, _ = self.read_for(SETTLE)
            if got < QUIET:
                return

    def key(self, data: str) -> tuple[int, int]:
        self.settle()
        os.write(self.fd, data.encode())
        return self.read_for(WINDOW)

    def close(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGTERM)  # its own session: strace and the app too
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def environment(local: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "TMUX"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", COLORTERM="truecolor")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("TEXTUAL_ANIMATIONS", None)
    if not local:
        env["SSH_CONNECTION"] = "127.0.0.1 50000 127.0.0.1 22"
    env.setdefault("XDG_CONFIG_HOME", "/tmp/bench-bytes-config")  # the defaults, not yours
    return env


def measure_app(
    cols: int, rows: int, runs: int, env: dict[str, str], python: str = sys.executable
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    letters = "kangjia"
    for _ in range(runs):
        app = Pty([python, "-m", "bishan_tui"], cols, rows, env)
        try:
            app.read_for(3.0)  # start-up, index built (it can pause for longer than SETTLE)
            app.settle()
            os.write(app.fd, b"/")  # the search box (the key model of issue 9 starts there)
            for n, letter in enumerate(letters):
                got, reads = app.key(letter)
                out.setdefault("search key: bytes", []).append(got)
                out.setdefault("search key: reads", []).append(reads)
                out.setdefault(f"key {n + 1} ({letters[: n + 1]}): bytes, reads", []).append(got)
                out.setdefault(f"key {n + 1} ({letters[: n + 1]}): reads", []).append(reads)
            app.settle()
            got, _ = app.read_for(3.0)
            out.setdefault("idle, box focused: B/s", []).append(got / 3.0)
            app.key("\x1b")
            app.key("\x1b")  # command mode: the table has the focus
            for _ in range(3):
                got, reads = app.key("j")
                out.setdefault("move row: bytes", []).append(got)
                out.setdefault("move row: reads", []).append(reads)
            for tab in "21":
                got, reads = app.key(tab)
                out.setdefault("switch tab: bytes", []).append(got)
                out.setdefault("switch tab: reads", []).append(reads)
        finally:
            app.close()
    return out


def measure_bare(cols: int, rows: int, runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    script = BARE_APP % {"root": str(ROOT)}
    for _ in range(runs):
        app = Pty([sys.executable, "-c", script], cols, rows, env)
        try:
            app.read_for(3.0)
            app.settle()
            for letter in "kang":
                got, reads = app.key(letter)
                out.setdefault("search key: bytes", []).append(got)
                out.setdefault("search key: reads", []).append(reads)
            app.settle()
            got, _ = app.read_for(3.0)
            out.setdefault("idle, box focused: B/s", []).append(got / 3.0)
            app.key("\t")  # to the DataTable
            for _ in range(3):
                got, reads = app.key("\x1b[B")
                out.setdefault("move row: bytes", []).append(got)
                out.setdefault("move row: reads", []).append(reads)
        finally:
            app.close()
    return out


def count_writes(cols: int, rows: int, env: dict[str, str], python: str = sys.executable) -> None:
    """The app under ``strace -f -tt -e trace=write``: the write() calls to the
    terminal in each key's window, exactly (the reads above can merge or split them)."""
    import datetime
    import re
    import tempfile

    trace = Path(tempfile.mkdtemp()) / "writes.txt"
    argv = ["strace", "-f", "-tt", "-e", "trace=write", "-e", "signal=none", "-o", str(trace)]
    app = Pty([*argv, python, "-m", "bishan_tui"], cols, rows, env)
    windows: list[tuple[str, float, float]] = []
    try:
        app.read_for(4.0)
        app.settle()
        os.write(app.fd, b"/")
        keys = [*(f"{'kangjia'[: n + 1]}" for n in range(7))]
        for query in keys:
            app.settle()
            start = time.time()
            os.write(app.fd, query[-1].encode())
            app.read_for(WINDOW)
            windows.append((f"key {query}", start, time.time()))
        for name, data in (("Esc", "\x1b"), ("Esc", "\x1b"), ("j", "j"), ("j", "j")):
            app.settle()
            start = time.time()
            os.write(app.fd, data.encode())
            app.read_for(WINDOW)
            windows.append((name, start, time.time()))
    finally:
        app.close()
    pattern = re.compile(r"^\d+\s+(\d\d):(\d\d):(\d\d\.\d+) write\((\d+), .*= (\d+)$")
    today = datetime.datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    writes: list[tuple[float, int]] = []
    for line in trace.read_text(errors="replace").splitlines():
        found = pattern.match(line)
        if found and found.group(4) in ("1", "2"):  # the terminal (Textual: stderr)
            h, m, s = int(found.group(1)), int(found.group(2)), float(found.group(3))
            when = today.timestamp() + h * 3600 + m * 60 + s
            writes.append((when, int(found.group(5))))
    print(f"### write() calls to the terminal, {cols}x{rows} (strace, one run, {python})\n")
    print("| key | bytes | writes |")
    print("|---|---|---|")
    for name, start, end in windows:
        inside = [size for when, size in writes if start <= when <= end]
        print(f"| {name} | {sum(inside):,} | {len(inside)} |")
    print()


def cell(values: list[float] | None) -> str:
    if not values:
        return "—"
    med = statistics.median(values)
    return f"{med:,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="80x24,100x30,160x48")
    parser.add_argument("--local", action="store_true", help="no SSH_CONNECTION")
    parser.add_argument(
        "--strace",
        action="store_true",
        help="instead: count the app's write() calls per key exactly (needs strace)",
    )
    parser.add_argument(
        "--baseline",
        metavar="PYTHON",
        help="also measure the bishan-tui this interpreter imports (e.g. another "
        "checkout's .venv/bin/python), in the same run",
    )
    args = parser.parse_args()
    env = environment(args.local)
    print(f"load average before: {os.getloadavg()[0]:.2f}; "
          f"{'local' if args.local else 'SSH_CONNECTION set'}; runs per size: {args.runs}\n")
    rows_out = [
        "search key: bytes",
        "search key: reads",
        "move row: bytes",
        "move row: reads",
        "switch tab: bytes",
        "switch tab: reads",
        "idle, box focused: B/s",
    ]
    for size in args.sizes.split(",") if not args.strace else ():
        cols, rows = (int(n) for n in size.split("x"))
        app = measure_app(cols, rows, args.runs, env)
        base = measure_app(cols, rows, args.runs, env, args.baseline) if args.baseline else {}
        bare = measure_bare(cols, rows, args.runs, env)
        keys = [name for name in app if name.startswith("key ") and "bytes" in name]
        rows_out_here = rows_out + keys
        print(f"### {cols}x{rows}\n")
        head = "| action | bishan-tui, median (min–max) |"
        if args.baseline:
            head += " baseline |"
        print(head + " minimal Textual app |")
        print("|---|---|---|" + ("---|" if args.baseline else ""))
        for name in rows_out_here:
            if name in keys:
                reads_name = name.replace("bytes, reads", "reads")
                shown = f"{cell(app.get(name))} B, {cell(app.get(reads_name))} reads"
                then = f" {cell(base.get(name))} B, {cell(base.get(reads_name))} reads |"
                print(f"| {name.replace(': bytes, reads', '')} | {shown} |"
                      + (then if args.baseline else "") + " |")
                continue
            then = f" {cell(base.get(name))} |" if args.baseline else ""
            print(f"| {name} | {cell(app.get(name))} |{then} {cell(bare.get(name))} |")
        print()
    if args.strace:
        for size in args.sizes.split(","):
            cols, rows = (int(n) for n in size.split("x"))
            count_writes(cols, rows, env)
            if args.baseline:
                count_writes(cols, rows, env, args.baseline)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
