"""Run every benchmark and write the results into docs/performance.md.

Run by a person, never by the tests (it takes a while: the 100,000-record cases
dominate; about 15-25 minutes on 2 cores):

    python benchmarks/run_all.py [--sizes 1000,10000,100000] [--quick]

It generates the synthetic datasets (seed 1) into a temporary folder, runs

* ``bench_cli.py``    one-shot lookups against python + rich (the search issue's goal),
* ``bench_load.py``   cold and warm load against a bare tomli parse, peak RSS,
* ``bench_search.py`` index build (cold / saved) and query median and p95,
* ``bench_storage.py`` the in-memory index against SQLite FTS5 at the largest size,
* ``bench_app.py``    first screen in tmux against a bare Textual app, a cold start
                      (no saved index: first answer, index ready), keystroke to
                      screen, and VisiData on the same records when ``vd`` is found,

and replaces the part of ``docs/performance.md`` between the markers
``<!-- results:start -->`` and ``<!-- results:end -->`` with their Markdown output
(the hand-written analysis around it is kept).  ``--quick`` runs fewer rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def run(argv: list[str], env: dict[str, str]) -> str:
    print("+", " ".join(argv), file=sys.stderr, flush=True)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        return f"*failed ({done.returncode}):*\n\n```\n{done.stderr[-2000:]}\n```\n"
    return done.stdout


def versions() -> str:
    from importlib.metadata import version

    names = ("textual", "rich", "tomli", "pypinyin", "opencc-py")
    return ", ".join(f"{name} {version(name)}" for name in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--visidata", help="a vd executable (default: vd on PATH)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    python = sys.executable
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    import compileall

    compileall.compile_dir(str(ROOT / "bishan_tui"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="bishan-bench-") as tmp:
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        files: list[Path] = []
        for size in sizes:
            out = Path(tmp) / f"bishan-{size}.toml"
            csv = Path(tmp) / f"bishan-{size}.csv"
            run([python, str(HERE / "generate.py"), "--records", str(size), "--seed", "1",
                 "-o", str(out), "--csv", str(csv)], env)  # fmt: skip
            files.append(out)
        runs = "3" if args.quick else "7"
        sections = [
            ("One-shot lookups (bundled dataset)", [python, str(HERE / "bench_cli.py"),
                                                    "--runs", "11" if args.quick else "21"]),
            ("Load", [python, str(HERE / "bench_load.py"), "--sizes", args.sizes,
                      "--runs", "3" if args.quick else "5"]),
            ("Search", [python, str(HERE / "bench_search.py"), "--rounds", runs,
                        *map(str, files)]),
            ("Storage", [python, str(HERE / "bench_storage.py"), "--rounds", runs,
                         str(files[-1])]),
        ]  # fmt: skip
        app = [python, str(HERE / "bench_app.py"), "--runs", "3" if args.quick else "5",
               "--cold"]  # fmt: skip
        for file in files:
            app += ["--data", str(file)]
        vd = args.visidata or shutil.which("vd")
        if vd and files:
            app += ["--visidata", vd, "--csv", str(files[-1].with_suffix(".csv"))]
        if shutil.which("tmux"):
            sections.append(("The app in a real terminal", app))
        parts = [
            f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC by "
            f"`python benchmarks/run_all.py{' --quick' if args.quick else ''}` on "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()};"
            f" {versions()}. VisiData: {vd or 'not installed'}.\n"
        ]
        for title, argv in sections:
            parts.append(f"### {title}\n\n{run(argv, env).strip()}\n")
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{START}\n\n" + "\n".join(parts) + f"\n{END}{tail}", encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
