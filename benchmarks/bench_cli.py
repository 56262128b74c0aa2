"""Start-up of a one-shot lookup against the floor of a Python process using Rich.

Run by a person, never by the tests:

    python benchmarks/bench_cli.py [--runs 21] [--baseline OTHER/.venv/bin/python]

``--baseline`` also times the same lookups through another checkout's interpreter
(its own editable install), interleaved with these: a refactor compared with main.
Bytecode then goes to a temporary folder (``PYTHONPYCACHEPREFIX``), for both.

Each command runs as a whole new process, alternately, ``--runs`` times; the
table gives the median and spread of wall time and the ratio of each median to
the floor's median measured in the same run.  The goal of the search issue: at
most 2x the floor, pinyin queries included.  The first, warming run of each
command (it may write the pinyin cache) is not counted.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bishan_tui"
FLOOR = [
    sys.executable,
    "-c",
    "import rich.console; rich.console.Console().print('璧山')",
]
QUERIES = {
    "chinese 康佳": ["康佳"],
    "english patent": ["patent"],
    "pinyin kangjia": ["kangjia"],
    "initials kjgd": ["kjgd"],
    "number 2.85": ["2.85"],
    "typo kangjai": ["kangjai"],
    "language kind:figure 康佳 value:>=300": ["kind:figure", "康佳", "value:>=300"],
}


def command(query: list[str], fmt: str, python: str = sys.executable) -> list[str]:
    return [python, "-m", "bishan_tui", "search", "--format", fmt, *query]


def wall(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--format", default="table", choices=["table", "plain", "json"])
    parser.add_argument("--baseline", metavar="PYTHON", help="another checkout's interpreter")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "COLUMNS": "100"}
        # An installed package has its bytecode compiled (pip does it); a checkout
        # run with PYTHONDONTWRITEBYTECODE would compile every module on every run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        compileall.compile_dir(str(PACKAGE), quiet=1)
        cases = {"floor: python + rich console": FLOOR}
        cases.update({name: command(q, args.format) for name, q in QUERIES.items()})
        if args.baseline:
            # bytecode of both checkouts in one temporary folder (written by the warming
            # runs), so the other checkout is only read
            env["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "pycache")
            cases.update(
                {
                    f"baseline {name}": command(q, args.format, args.baseline)
                    for name, q in QUERIES.items()
                }
            )
        # Every command runs in the (empty) cache folder: `python -m` puts the working
        # folder first on sys.path, so run from a checkout the baseline interpreter
        # would import that checkout's package instead of its own.
        for argv in cases.values():
            wall(argv, env, cache)  # warm the OS cache and the pinyin cache
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, argv in cases.items():
                times[name].append(wall(argv, env, cache))
    floor = statistics.median(times["floor: python + rich console"])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs: {args.runs} each, interleaved; format: {args.format}\n")
    print("| command | median ms | min–max ms | ratio to floor |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"| {name} | {median * 1000:.1f} | {min(values) * 1000:.1f}–{max(values) * 1000:.1f}"
            f" | {median / floor:.2f}x |"
        )


if __name__ == "__main__":
    main()
