"""A big paste holding ESC characters, into the running app in a pty: how long until
the app has taken it all (Ctrl+Q written right behind it, timed to the exit).

Textual's parser turns what follows an ESC inside a bracketed paste into single keys,
so such a paste arrives as one key per character. The search box takes at most
MAX_PASTE characters; keys past that cost only their dispatch. Run by a person:

    python benchmarks/bench_paste.py [--sizes 5000,100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from pty_harness import running  # noqa: E402


def one(size: int, with_esc: bool) -> float | None:
    unit = "康佳\x1b[2J abc " if with_esc else "康佳 abc def "
    body = (unit * (size // len(unit) + 1))[:size]
    with tempfile.TemporaryDirectory() as home, running(home=Path(home)) as app:
        app.wait_for("璧山")
        app.wait_quiet()
        start = time.monotonic()
        app.write(b"\x1b[200~" + body.encode() + b"\x1b[201~")
        app.write("\x11")  # Ctrl+Q behind the paste
        code = app.wait_exit(120)
        return None if code is None else time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'characters':>10} {'ESC inside':>10} {'median s':>9} (paste then Ctrl+Q, to exit)")
    for size in (int(s) for s in args.sizes.split(",")):
        for with_esc in (False, True):
            times = [one(size, with_esc) for _ in range(args.runs)]
            done = [t for t in times if t is not None]
            median = f"{statistics.median(done):.2f}" if done else "-"
            hung = len(times) - len(done)
            print(f"{size:>10} {'yes' if with_esc else 'no':>10} {median:>9}"
                  + (f"  ({hung} did not finish in 120 s)" if hung else ""))


if __name__ == "__main__":
    main()
