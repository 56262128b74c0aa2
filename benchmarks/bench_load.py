"""Cold and warm load of synthetic datasets against a bare ``tomli.loads``.

Run by a person, never by the tests:

    python benchmarks/bench_load.py [--sizes 1000,10000,100000] [--runs 5] [--formats]
                                    [--baseline DIR]

For each size a dataset is generated (``benchmarks/generate.py``, seed 1) into a
temporary folder.  Every measurement is a fresh process, the cases interleaved run by
run; the table gives the median and the min–max of

* ``op``: the time the child measures around the operation alone (after imports), and
* ``wall``: the whole process, interpreter start and imports included,

and each median's ratio to the bare ``tomli.loads`` process of the same size in the
same run.  The cases:

* ``tomli.loads`` — read the file as text and parse it, nothing else (the floor);
* ``load_dataset`` — the loader, cold (parse + validation + model);
* ``cached, miss`` — ``load_dataset_cached`` with an empty cache (a first start:
  load, then write the cache);
* ``cached, hit`` — ``load_dataset_cached`` with the cache present (a second start).

Peak RSS is the ``ru_maxrss`` of each child (``os.wait4``), reported for the largest
size.  The goal of the speed issue at 100k records: cold <= 1.3x tomli, warm <= 0.3x
cold, peak RSS <= 400 MB.

``--baseline DIR`` adds ``load_dataset, baseline``: the same cold load with the
package of another checkout (``--baseline ../main``), interleaved with the others, so
that a change to the loader is compared with what it replaces in the same run.

``--formats`` adds an in-process comparison at the largest size of a load with no
cache against the cache's format (JSON of the parsed document, checked again by the
loader's ``build_dataset``: no ``marshal`` or ``pickle``, which a crafted file can
crash), and of the cost of keying by content (read + sha256 / blake2b) against
``os.stat``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys, time, json
mode, path, cache = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "tomli":
    import tomli
    start = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        document = tomli.loads(handle.read())
    count = sum(len(document.get(a, ())) for a in
                ("platforms", "projects", "talent", "policies", "timeline", "figures"))
elif mode == "load_dataset":
    from bishan_tui.loader import load_dataset
    start = time.perf_counter()
    count = len(load_dataset(path).records)
else:
    from bishan_tui.search.dataset_cache import load_dataset_cached
    start = time.perf_counter()
    count = len(load_dataset_cached(path, cache_dir=cache).records)
elapsed = time.perf_counter() - start
print(json.dumps({"op": elapsed, "records": count}))
"""

CASES = ("tomli.loads", "load_dataset", "cached, miss", "cached, hit")
BASELINE = "load_dataset, baseline"
MODE = {"tomli.loads": "tomli", "load_dataset": "load_dataset",
        "cached, miss": "cached", "cached, hit": "cached"}


def run_child(
    mode: str, path: Path, cache: Path, root: Path = ROOT
) -> tuple[float, float, int]:
    """(op seconds, wall seconds, peak RSS in KiB) of one fresh process importing the
    package of the checkout ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    start = time.perf_counter()
    # From the data's folder: ``python -c`` puts the working folder first on sys.path, so
    # run from a checkout it would import that checkout whatever PYTHONPATH says (the
    # baseline then timed this checkout twice).
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(path), str(cache)],
        stdout=subprocess.PIPE, env=env, cwd=path.parent,
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"child {mode} {path} failed with {child.returncode}")
    result = json.loads(out)
    return float(result["op"]), wall, int(usage.ru_maxrss)  # KiB on Linux


def fmt(values: list[float], scale: float = 1000.0) -> tuple[str, str]:
    median = statistics.median(values)
    return f"{median * scale:,.0f}", f"{min(values) * scale:,.0f}–{max(values) * scale:,.0f}"


def bench_size(
    size: int, runs: int, folder: Path, baseline: Path | None = None
) -> dict[str, dict[str, list[float]]]:
    data = folder / f"bishan-{size}.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--records", str(size),
         "--seed", "1", "-o", str(data)],
        check=True, stderr=subprocess.DEVNULL,
    )
    warm_cache = folder / f"cache-{size}-warm"
    miss_cache = folder / f"cache-{size}-miss"
    run_child("cached", data, warm_cache)  # fills the warm cache, warms the page cache
    cases = (*CASES, BASELINE) if baseline is not None else CASES
    results: dict[str, dict[str, list[float]]] = {
        case: {"op": [], "wall": [], "rss": []} for case in cases
    }
    for _ in range(runs):
        for case in cases:
            if case == "cached, miss":
                shutil.rmtree(miss_cache, ignore_errors=True)
            cache = warm_cache if case == "cached, hit" else miss_cache
            if case == BASELINE and baseline is not None:
                op, wall, rss = run_child("load_dataset", data, cache, baseline)
            else:
                op, wall, rss = run_child(MODE[case], data, cache)
            results[case]["op"].append(op)
            results[case]["wall"].append(wall)
            results[case]["rss"].append(float(rss))
    print(f"\n### {size:,} records ({data.stat().st_size / 1e6:.1f} MB of TOML)\n")
    print("| case | op median ms | op min–max | wall median ms | wall min–max "
          "| op / tomli | wall / tomli | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    base_op = statistics.median(results["tomli.loads"]["op"])
    base_wall = statistics.median(results["tomli.loads"]["wall"])
    for case, values in results.items():
        op_median, op_spread = fmt(values["op"])
        wall_median, wall_spread = fmt(values["wall"])
        rss = statistics.median(values["rss"]) / 1024
        print(
            f"| {case} | {op_median} | {op_spread} | {wall_median} | {wall_spread} | "
            f"{statistics.median(values['op']) / base_op:.2f}x | "
            f"{statistics.median(values['wall']) / base_wall:.2f}x | {rss:,.0f} |"
        )
    cold = statistics.median(results["load_dataset"]["wall"])
    warm = statistics.median(results["cached, hit"]["wall"])
    cold_op = statistics.median(results["load_dataset"]["op"])
    warm_op = statistics.median(results["cached, hit"]["op"])
    print(f"\nwarm / cold (load_dataset): wall {warm / cold:.2f}x, op {warm_op / cold_op:.2f}x")
    if baseline is not None:
        before = statistics.median(results[BASELINE]["op"])
        print(f"load_dataset / baseline ({baseline}): op {cold_op / before:.2f}x, "
              f"wall {cold / statistics.median(results[BASELINE]['wall']):.2f}x")
    entry = next(warm_cache.glob("dataset-*.bin"), None)
    if entry is not None:
        print(f"cache entry: {entry.stat().st_size / 1e6:.1f} MB")
    return results


def bench_formats(size: int, runs: int, folder: Path) -> None:
    """In-process: cache serialisations and the cost of keying by content."""
    import gc
    import hashlib

    import tomli

    sys.path.insert(0, str(ROOT))
    from bishan_tui import loader
    from bishan_tui.search import dataset_cache

    data = folder / f"bishan-{size}.toml"
    text = data.read_text(encoding="utf-8")
    document = tomli.loads(text)

    def to_json(value: object) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()

    jsoned = to_json({"format": 2, "document": document})
    cases = {
        "no cache: tomli + build_dataset": (
            len(text.encode()), lambda: None,
            lambda: loader.build_dataset(tomli.loads(text), str(data), text)),
        "JSON of the document + build_dataset (chosen)": (
            len(jsoned), lambda: to_json({"format": 2, "document": document}),
            lambda: loader.build_dataset(json.loads(jsoned)["document"], str(data))),
        "JSON of the document, parse only": (
            len(jsoned), lambda: None, lambda: json.loads(jsoned)),
    }

    def timed(func: object) -> list[float]:
        times = []
        for _ in range(runs):
            gc.collect()
            gc.disable()  # as the cache loads
            start = time.perf_counter()
            func()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
            gc.enable()
        return times

    print(f"\n### cache serialisation at {size:,} records (in-process, gc paused, "
          f"{runs} runs)\n")
    print("| format | size MB | dump median ms | load+rebuild median ms | load min–max |")
    print("|---|---|---|---|---|")
    for name, (length, dump, load) in cases.items():
        dumps = timed(dump)
        loads = timed(load)
        print(f"| {name} | {length / 1e6:.1f} | {statistics.median(dumps) * 1000:,.0f} | "
              f"{fmt(loads)[0]} | {fmt(loads)[1]} |")
    raw = data.read_bytes()
    keying = {
        "os.stat (size, mtime_ns)": lambda: os.stat(data),
        "read the bytes": lambda: data.read_bytes(),
        "sha256 of the bytes": lambda: hashlib.sha256(raw).digest(),
        "blake2b of the bytes": lambda: hashlib.blake2b(raw).digest(),
        "cache_key (sha256 + key)": lambda: dataset_cache.cache_key(raw),
    }
    print(f"\n### keying a {len(raw) / 1e6:.1f} MB file\n")
    print("| step | median ms | min–max |")
    print("|---|---|---|")
    for name, func in keying.items():
        median, spread = fmt(timed(func), 1000.0)
        print(f"| {name} | {median} | {spread} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", action="store_true", help="also compare serialisations")
    parser.add_argument(
        "--baseline", type=Path, metavar="DIR",
        help="also load with the package of this checkout (e.g. ../main)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; runs: {args.runs} each, interleaved")
    with tempfile.TemporaryDirectory(prefix="bishan-bench-") as tmp:
        folder = Path(tmp)
        for size in sizes:
            bench_size(size, args.runs, folder, args.baseline)
        if args.formats:
            bench_formats(max(sizes), args.runs, folder)


if __name__ == "__main__":
    main()
