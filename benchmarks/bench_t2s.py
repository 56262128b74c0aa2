"""What traditional characters cost: the first query that needs OpenCC (opencc-py).

Run by a person, never by the tests:

    python benchmarks/bench_t2s.py [--runs 15]

Each run is a new process that has imported what ``bishan-tui search`` imports,
then converts one traditional query with :func:`bishan_tui.textnorm.to_simplified`
(OpenCC loads its dictionaries on that first call).  It prints the median and
spread of that first call, and of a second call in the same process.  Compare with
another OpenCC build by putting it first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bishan_tui"
CHILD = """
import time
import bishan_tui.cli, bishan_tui.search  # what a CLI search has imported
from bishan_tui.textnorm import to_simplified
start = time.perf_counter()
assert to_simplified("重慶康佳光電") == "重庆康佳光电"
first = time.perf_counter()
to_simplified("臺灣專利")
second = time.perf_counter()
import opencc
print(first - start, second - first, opencc.__file__)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    compileall.compile_dir(str(PACKAGE), quiet=1)  # no compile time in the numbers
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    firsts: list[float] = []
    seconds: list[float] = []
    module = ""
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        firsts.append(float(out[0]) * 1000)
        seconds.append(float(out[1]) * 1000)
        module = out[2]
    load = os.getloadavg()[0]
    print(f"OpenCC from {module}; {args.runs} processes; load average {load:.2f}")
    for name, values in (("first conversion", firsts), ("second conversion", seconds)):
        print(
            f"{name}: median {statistics.median(values):.2f} ms "
            f"(min {min(values):.2f}, max {max(values):.2f})"
        )


if __name__ == "__main__":
    main()
