"""Benchmark the search core: index build (cold / persisted) and query times.

Run by a person, never by the tests:

    python benchmarks/generate.py --records 100000 --seed 1 -o /tmp/bishan-100k.toml
    python benchmarks/bench_search.py /tmp/bishan-1000.toml /tmp/bishan-100k.toml
    python benchmarks/bench_search.py --baseline /path/to/other/checkout /tmp/bishan-100k.toml

Per dataset: build without the index cache, build again (loading the persisted index),
RSS before/after, then per query class the median and p95 of ``--rounds`` rounds, the
queries of all classes interleaved round by round (other jobs' load hits all alike).
"app" times ``search_result(q)`` + counts per kind + the first 50 rows of each kind
(what a table shows); "list" times ``search(q)`` unlimited (what the app calls today).
``--baseline DIR`` imports the ``bishan_tui`` of another checkout (as ``bishan_baseline``,
its dataset loaded by its own loader) and times its ``search_result`` ("baseline app")
and ``search(q)`` ("baseline list") in the same rounds; ``--builds N``
times N index builds (default 3).  The "typo", "gapped" and "language" classes are plain
words to a baseline without them (it finds nothing or something else, quickly).
Markdown tables on stdout.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bishan_tui import search  # noqa: E402
from bishan_tui.model import KINDS  # noqa: E402
from bishan_tui.search.dataset_cache import load_dataset_cached  # noqa: E402


def prefixes(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1)]


CLASSES: dict[str, list[str]] = {
    "chinese": ["康佳", "研究院", "璧山高新区", "刀片电池"],
    "english": ["patent", "battery", "institute", "whistle"],
    "pinyin": ["kangjia", "chongqing", "bishan", "kang jia"],
    "initials": ["kjgd", "bsgxq"],
    "numbers": ["2.85", "2020", "822", "2020-03-17"],
    "no match": ["zzzzqqqq", "鑫鑫", "qxqxqx"],
    "typo": ["kangjai", "patnet", "instiute", "chongqnig"],
    "gapped": ["西部科学城", "康佳研究院"],
    "language": [
        "kind:figure 康佳",
        "value:>=300",
        "2020-03..2020-06",
        "-kind:figure kangjia",
        '"blade battery"',
        "title:研究院",
        "summary:patent",
    ],
    "typing kangjia": prefixes("kangjia"),
    "typing 康佳": prefixes("康佳"),
    "typing blade battery": prefixes("blade battery"),
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def load_module(root: Path) -> ModuleType:
    """The ``bishan_tui`` package of another checkout, imported as ``bishan_baseline``
    (its modules import each other relatively, so they stay apart from ours)."""
    package = root / "bishan_tui"
    spec = importlib.util.spec_from_file_location(
        "bishan_baseline", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def app_query(index: Any, query: str) -> None:
    result = index.search_result(query)
    _ = result.counts
    rows = [result.matches(kind, 0, 50) for kind in KINDS]  # each tab's first rows
    for match in next((r for r in rows if r), [])[:20]:
        _ = match.fields  # the rows on screen (one tab) get highlights


def list_query(index: Any, query: str) -> None:
    index.search(query)


def bench(path: Path, rounds: int, package: ModuleType | None, builds_n: int = 3) -> None:
    dataset = load_dataset_cached(path)
    baseline: Any = None
    old_dataset: Any = None
    if package is not None:
        baseline = importlib.import_module(f"{package.__name__}.search")
        old_dataset = importlib.import_module(f"{package.__name__}.loader").load_dataset(path)
    n = len(dataset.records)
    gc.collect()
    before = current_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        search.build_index(dataset, cache_dir=cache, persist=False)  # warm-up: imports
        gc.collect()
        builds: dict[str, list[float]] = {"cold (no index cache)": [], "persisted (load)": []}
        if baseline is not None:
            builds["baseline cold"] = []
        index = None
        for _ in range(builds_n):
            if baseline is not None:
                t = time.perf_counter()
                old = baseline.build_index(old_dataset, cache_dir=cache)
                builds["baseline cold"].append(time.perf_counter() - t)
                del old
                gc.collect()
            for entry in cache.glob("index-*.bin"):
                entry.unlink()
            index = None
            gc.collect()
            t = time.perf_counter()
            index = search.build_index(dataset, cache_dir=cache, persist=True)
            builds["cold (no index cache)"].append(time.perf_counter() - t)
            index = None
            gc.collect()
            t = time.perf_counter()
            index = search.build_index(dataset, cache_dir=cache, persist=True)
            builds["persisted (load)"].append(time.perf_counter() - t)
        size = sum(e.stat().st_size for e in cache.glob("index-*.bin"))
    gc.collect()
    after = current_rss_mb()
    old_index = baseline.build_index(old_dataset) if baseline is not None else None
    gc.freeze()
    print(f"\n### {path.name}: {n:,} records\n")
    print("| build | median ms | min ms |\n|---|---|---|")
    for name, values in builds.items():
        print(f"| {name} | {ms(statistics.median(values))} | {ms(min(values))} |")
    print(f"\nIndex cache file: {size / 2**20:.1f} MB. RSS (current) with dataset only "
          f"{before:.0f} MB, with dataset + index {after:.0f} MB: the index's share "
          f"{after - before:.0f} MB; peak RSS of this process {rss_mb():.0f} MB.\n")
    runners = {"app": (index, app_query), "list": (index, list_query)}
    if old_index is not None:
        runners["baseline app"] = (old_index, app_query)
        runners["baseline list"] = (old_index, list_query)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for cls, queries in CLASSES.items():
            for query in queries:
                for name, (idx, run) in runners.items():
                    t = time.perf_counter()
                    run(idx, query)
                    times.setdefault((cls, name), []).append(time.perf_counter() - t)
    head = " | ".join(f"{name} median | {name} p95" for name in runners)
    print(f"| class | {head} |\n|---|" + "---|" * (2 * len(runners)))
    for cls in [*CLASSES, "all"]:
        cells = []
        for name in runners:
            values = (
                [v for (c, r), vs in times.items() if r == name for v in vs]
                if cls == "all"
                else times[(cls, name)]
            )
            cells.append(f"{ms(statistics.median(values))} | {ms(p95(values))}")
        print(f"| {cls} | " + " | ".join(cells) + " |")
    gc.unfreeze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout's root to compare")
    parser.add_argument("--builds", type=int, default=3, help="index builds timed (default 3)")
    args = parser.parse_args()
    baseline = load_module(args.baseline) if args.baseline else None
    print("## Search benchmark\n")
    print(f"- Python {platform.python_version()} on {platform.platform()}, "
          f"{platform.processor() or platform.machine()}")
    import os

    print(f"- CPUs {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} at start")
    print(f"- {args.rounds} rounds; ms per query; p95 over all queries of a class")
    for path in args.datasets:
        bench(path, args.rounds, baseline, args.builds)


if __name__ == "__main__":
    main()
