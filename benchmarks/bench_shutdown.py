"""How long the app takes to be gone after it is told to stop (issue #16: under 1 s).

Run by a person, never by the tests:

    python benchmarks/bench_shutdown.py [--rounds 10] [--repo PATH]

For each case the app is started in a fresh pty (as its controlling terminal, as
under sshd or tmux), the first frame is awaited, then after 0-100 ms one of:

* ``pty-close``: the master is closed (an SSH drop: SIGHUP, terminal gone);
* ``TERM``: ``kill -TERM``;
* ``TERM+INT``: ``kill -TERM`` and ``kill -INT`` back to back;

and the time until ``waitpid`` returns is measured.  A run still alive after 10 s
counts as hung (killed, not in the times).  ``--repo`` runs another checkout's code
(e.g. an export of main) with this Python, for a before/after in the same minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import select
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

from pty_harness import open_pty, spawn

HUNG = 10.0


def one_run(repo: Path, case: str, rng: random.Random) -> float | None:
    master, slave = open_pty(80, 24)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "TEXTUAL"))}
    env["TERM"] = "xterm-256color"
    process = spawn([sys.executable, "-m", "bishan_tui"], slave, env, cwd=repo)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while "平台".encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    time.sleep(rng.uniform(0.0, 0.1))
    start = time.monotonic()
    if case == "pty-close":
        os.close(master)
    else:
        process.send_signal(signal.SIGTERM)
        if case == "TERM+INT":
            process.send_signal(signal.SIGINT)
    try:
        while process.poll() is None:
            if case != "pty-close":  # keep reading, as a live terminal does
                ready, _, _ = select.select([master], [], [], 0.005)
                if ready:
                    with contextlib.suppress(OSError):
                        os.read(master, 65536)
            else:
                time.sleep(0.002)
            if time.monotonic() - start > HUNG:
                return None
        return time.monotonic() - start
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if case != "pty-close":
            os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    rng = random.Random(1)
    print(f"load average {os.getloadavg()[0]:.1f}; {args.repo}")
    print("| case | runs | hung (> 10 s) | median s | max s |")
    print("|---|---|---|---|---|")
    for case in ("pty-close", "TERM", "TERM+INT"):
        times = [one_run(args.repo, case, rng) for _ in range(args.rounds)]
        done = [t for t in times if t is not None]
        median = f"{statistics.median(done):.3f}" if done else "-"
        worst = f"{max(done):.3f}" if done else "-"
        print(f"| {case} | {len(times)} | {len(times) - len(done)} | {median} | {worst} |")


if __name__ == "__main__":
    main()
