"""The 原文 Article pane at scale: 10,000 paragraphs against the bundled 44.

Run by a person, never by the tests:

    python benchmarks/bench_article.py [--paragraphs 10000] [--runs 5]

The big dataset is the bundled one with its paragraphs repeated (new ids, same
sections) up to ``--paragraphs``; its records are the bundled ones, so their quotes
land in the first copy and the rest of the text is "unquoted" (every sentence dimmed:
the coverage pass does the most work).

Timed, per dataset, headless (Textual's ``run_test``, 80x24), ``--runs`` times each,
alternating the two datasets; medians and min-max:

* ``map``: building the quote map (quotes placed, spans, coverage), done in a thread
  after the first paint;
* ``open``: from pressing ``7`` in the table to the pane drawn (wrap of the whole text
  at this width + first screen);
* ``page``: one PgDn, key to screen updated (median of 20);
* ``jump``: ``n`` from the top, then ``End`` and ``n`` (the cursor crosses the text);
* ``resize``: 80 → 120 columns (the whole text re-wrapped).

``open``, ``page``, ``jump`` and ``resize`` are key to idle through Pilot, whose own
overhead (tens of ms a key, the same for both datasets) is in them.  The pane's own
work, timed directly: ``wrap`` (the whole text at 120 columns), ``draw`` (one
screenful of ``render_line`` in the middle of the text), ``n`` (the cursor to the
last span and the view scrolled to it).

Prints a Markdown table with the load average and the versions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from dataclasses import replace
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bishan_tui.article import ArticleMap  # noqa: E402
from bishan_tui.loader import load_dataset  # noqa: E402
from bishan_tui.model import Dataset  # noqa: E402


def big_dataset(base: Dataset, count: int) -> Dataset:
    paragraphs = []
    copy = 0
    while len(paragraphs) < count:
        for paragraph in base.paragraphs:
            if len(paragraphs) >= count:
                break
            new_id = paragraph.id if copy == 0 else f"{paragraph.id}-c{copy}"
            paragraphs.append(replace(paragraph, id=new_id))
        copy += 1
    return replace(base, paragraphs=tuple(paragraphs))


async def one_run(dataset: Dataset) -> dict[str, float]:
    from bishan_tui.app import create_app
    from bishan_tui.screens.main import MainScreen

    out: dict[str, float] = {}
    started = time.perf_counter()
    ArticleMap(dataset).coverage()
    out["map"] = time.perf_counter() - started

    app = create_app(dataset=dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, MainScreen) or app.screen.index is None:
            await pilot.pause(0.01)
        screen = app.screen
        view = screen.article_view
        while view._article is None:  # the thread's map (timed above on its own)
            await pilot.pause(0.01)
        await pilot.press("escape")
        await pilot.pause()

        started = time.perf_counter()
        await pilot.press("7")
        await pilot.pause()
        out["open"] = time.perf_counter() - started
        assert len(view._lines) > len(dataset.paragraphs)

        pages = []
        for _ in range(20):
            started = time.perf_counter()
            await pilot.press("pagedown")
            await pilot.pause()
            pages.append(time.perf_counter() - started)
        out["page"] = statistics.median(pages)

        started = time.perf_counter()
        await pilot.press("home", "n", "end", "n")
        await pilot.pause()
        out["jump"] = time.perf_counter() - started

        started = time.perf_counter()
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        view._relayout()
        out["resize"] = time.perf_counter() - started

        # the pane's own work, without the harness: wrap all, one screenful, one n
        started = time.perf_counter()
        view._relayout(force=True)
        out["wrap"] = time.perf_counter() - started
        view.scroll_to(y=len(view._lines) // 2, animate=False, immediate=True)
        started = time.perf_counter()
        for row in range(view.scrollable_content_region.height):
            view.render_line(row)
        out["draw"] = time.perf_counter() - started
        view.cursor = len(view.targets) - 2
        started = time.perf_counter()
        view.action_next()
        out["n"] = time.perf_counter() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        os.environ[name] = f"/tmp/bench-article-{os.getpid()}/{name}"

    base = load_dataset()
    sets = {
        f"bundled ({len(base.paragraphs)} paragraphs)": base,
        f"{args.paragraphs:,} paragraphs": big_dataset(base, args.paragraphs),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in sets}
    for _ in range(args.runs):
        for name, dataset in sets.items():  # alternately: the load hits both alike
            results[name].append(asyncio.run(one_run(dataset)))

    load = os.getloadavg()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python "
        f"{platform.python_version()}, Textual {metadata.version('textual')}, "
        f"{args.runs} runs each\n"
    )
    steps = ("map", "wrap", "draw", "n", "open", "page", "jump", "resize")
    print("| dataset | " + " | ".join(steps) + " |")
    print("|---|" + "---|" * len(steps))
    medians: dict[str, dict[str, float]] = {}
    for name, runs in results.items():
        cells = []
        medians[name] = {}
        for step in steps:
            values = [run[step] * 1000 for run in runs]
            medians[name][step] = statistics.median(values)
            cells.append(
                f"{statistics.median(values):.1f} ms ({min(values):.0f}–{max(values):.0f})"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    small, big = (medians[name] for name in sets)
    ratio = " | ".join(f"×{big[s] / small[s]:.1f}" if small[s] else "–" for s in steps)
    print(f"| ratio of medians | {ratio} |")


if __name__ == "__main__":
    main()
