"""The record table at 100,000 rows: sorting and scrolling, headless.

Run by a person, never by the tests.  It uses only the table's public methods
(``sort_next``, ``set_lang``, ``action_page_down``, ``action_first``, ``render_line``),
so the same script times two checkouts; run it with each one's Python, alternately,
and compare medians in the same run::

    python benchmarks/bench_table.py [--rows 100000] [--rounds 5]
    python benchmarks/bench_table.py --compare /work/main/.venv/bin/python .venv/bin/python

Per round, on a table of ``--rows`` platforms made from the article's own records
(in a 100x30 app): a rebuild (``set_lang``), one ``sort_next`` (by the Chinese name,
in pinyin order), ``--pages`` pages scrolled with PageDown, each page's lines drawn
(``render_line`` for every line on screen), and each prefix of ``kangjia`` and
``康佳`` shown (``show(SearchResult)``, as a keystroke does, then the screen drawn;
the results are computed beforehand, so only the table is timed).  Prints the
medians in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time

QUERIES = ("kangjia", "康佳")


async def measure(rows: int, rounds: int, pages: int) -> dict[str, float]:
    from textual.app import App, ComposeResult

    from bishan_tui.loader import load_dataset
    from bishan_tui.search import build_index
    from bishan_tui.widgets.record_table import RecordTable

    base = load_dataset(None)
    platforms = base.of_kind("platform")
    records = [dataclasses.replace(platforms[i % len(platforms)], id=f"p{i}") for i in range(rows)]
    table = RecordTable("platform", records, lang="zh")
    index = build_index(dataclasses.replace(base, records=tuple(records)), persist=False)
    table.readings = index.readings
    results = [index.search_result(q[:i]) for q in QUERIES for i in range(1, len(q) + 1)]

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield table

    times: dict[str, list[float]] = {"rebuild": [], "sort": [], "page": [], "search": []}
    app = One()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        height = table.size.height
        for _ in range(rounds):
            t0 = time.perf_counter()
            table.set_lang("en")
            table.set_lang("zh")
            times["rebuild"].append((time.perf_counter() - t0) / 2)
            t0 = time.perf_counter()
            table.sort_next()
            times["sort"].append(time.perf_counter() - t0)
            await pilot.pause()
            table.action_first()
            for _ in range(pages):
                t0 = time.perf_counter()
                table.action_page_down()
                for y in range(height):
                    table.render_line(y)
                times["page"].append(time.perf_counter() - t0)
            # back to the natural order for the next round
            while table.sort_next() not in ("原始顺序", "original order"):
                pass
            await pilot.pause()
            for result in [*results, None]:
                t0 = time.perf_counter()
                table.show(result, index.records)
                for y in range(height):
                    table.render_line(y)
                times["search"].append(time.perf_counter() - t0)
                await pilot.pause()
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def compare(pythons: list[str], args: argparse.Namespace) -> None:
    results: dict[str, list[dict[str, float]]] = {p: [] for p in pythons}
    for _ in range(args.runs):
        for python in pythons:  # alternately, so load changes hit both alike
            out = subprocess.run(
                [
                    python,
                    __file__,
                    "--rows",
                    str(args.rows),
                    "--rounds",
                    str(args.rounds),
                    "--pages",
                    str(args.pages),
                    "--json",
                ],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ.copy(),
            )
            results[python].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"load {os.getloadavg()[0]:.2f}; {args.rows} rows; medians of {args.runs} runs, ms")
    names = ("rebuild", "sort", "page", "search")
    print("| python | rebuild | sort | page (scroll + draw) | search shown + drawn |")
    print("|---|---|---|---|---|")
    for python, runs in results.items():
        medians = {k: statistics.median(r[k] for r in runs) for k in names}
        print(
            f"| {python} | {medians['rebuild']:.1f} | {medians['sort']:.1f} |"
            f" {medians['page']:.2f} | {medians['search']:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3, help="processes per python (--compare)")
    parser.add_argument("--compare", nargs="+", metavar="PYTHON")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args)
        return
    result = asyncio.run(measure(args.rows, args.rounds, args.pages))
    print(json.dumps(result) if args.json else result)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
