"""The app in a real terminal: first screen, and keystroke to updated screen.

Run by a person, never by the tests (it needs tmux):

    python benchmarks/bench_app.py [--data FILE ...] [--runs 5] [--keys QUERY ...]
    python benchmarks/bench_app.py --visidata /tmp/vd/bin/vd --csv FILE.csv

First screen: the app runs in a detached tmux pane (100x30) and ``tmux capture-pane``
is polled every ~5 ms until the first data row's title is on the screen.  Against it,
in the same run and alternately, a bare Textual app with the same widget tree and
stylesheet (``bishan_tui/app.tcss``) and no data, timed until its last tab label is on
screen.  Its one screen (pushed from ``on_mount``, as ours is) holds: a header Static;
a Horizontal search bar (Static "/", Input, Static status); Tabs with the six tab
labels; a Horizontal body with a ContentSwitcher of six empty ``ScrollView``
subclasses drawing blank lines (our table's base class and API) and a VerticalScroll
detail pane with three empty Statics and an empty OptionList; Footer.
No App BINDINGS, theme or command provider.
For every dataset: median, min-max, ratio of medians.
With ``--visidata VD --csv FILE``: VisiData showing the same records' CSV, timed until
its status line reports every row loaded.

Keystroke: once the app's index is built, a query is typed letter by letter
(``send-keys -l``); each key is timed until the screen shows that prefix's match count
(computed beforehand with the same search core).  Median and p95 per dataset.  A
headless split follows: per prefix, the search core's time and the table's (applying
the matches to the six tables and drawing the visible table).

``--cold``: a start of the last ``--data`` with its saved index removed (the first
time a dataset is opened): seconds to the first screen, to the answer of ``kangjia``
typed at once (the provisional scan answers while the index builds), and to the
index being ready.

Prints Markdown tables with the machine and the versions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 100, 30
POLL = 0.005

BARE_APP = """
from textual.app import App
from textual.containers import Horizontal, VerticalScroll
from textual.scroll_view import ScrollView
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import ContentSwitcher, Footer, Input, OptionList, Static, Tab, Tabs
KINDS = ["platform", "project", "talent", "policy", "event", "figure"]
NAMES = ["平台 Platforms", "项目 Projects", "人才 Talent", "政策 Policies",
         "时间线 Timeline", "数据 Figures"]
class Table(ScrollView, can_focus=True):  # an empty Line API table, as ours is
    DEFAULT_CSS = "Table { height: 1fr; background: $surface; }"
    def render_line(self, y):
        return Strip.blank(self.size.width, self.rich_style)
class Main(Screen):
    def compose(self):
        yield Static(" 璧山 Bishan ", id="source")
        with Horizontal(id="search-bar"):
            yield Static("/", id="search-key")
            yield Input(placeholder="search", id="search", select_on_focus=False)
            yield Static("", id="status")
        yield Tabs(*(Tab(n, id=f"tab-{k}") for k, n in zip(KINDS, NAMES)), id="tabs")
        with Horizontal(id="body"):
            with ContentSwitcher(initial="table-platform", id="tables"):
                for kind in KINDS:
                    yield Table(id=f"table-{kind}")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-body")
                yield Static(id="detail-bars")
                yield Static(id="related-title")
                yield OptionList(id="related")
        yield Footer()
class Bare(App):
    CSS_PATH = @CSS@
    CSS = "#related { height: auto; border: none; padding: 0; }"
    def on_mount(self):
        self.push_screen(Main())
Bare().run()
"""


# -- tmux --------------------------------------------------------------------------


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def start(session: str, command: str) -> float:
    tmux("kill-session", "-t", session)
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command)
    return t0


def wait_for(session: str, found: re.Pattern[str] | str, timeout: float = 120.0) -> float:
    """Seconds until the pane shows ``found``; inf on timeout."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        screen = capture(session)
        hit = found.search(screen) if isinstance(found, re.Pattern) else found in screen
        if hit:
            return time.perf_counter() - t0
        time.sleep(POLL)
    return float("inf")


def time_first_screen(session: str, command: str, marker: str | re.Pattern[str]) -> float:
    t0 = start(session, command)
    waited = wait_for(session, marker)
    elapsed = time.perf_counter() - t0 if waited != float("inf") else waited
    tmux("kill-session", "-t", session)
    return elapsed


# -- data --------------------------------------------------------------------------


def first_title(path: Path) -> str:
    """The first platform's title, as the first row of the first tab shows it."""
    with path.open(encoding="utf-8") as handle:
        in_platforms = False
        for line in handle:
            if line.startswith("[["):
                in_platforms = line.strip() == "[[platforms]]"
            elif in_platforms and line.startswith("title = "):
                title: str = eval(line.split("=", 1)[1].strip())  # a TOML basic string
                return title
    raise SystemExit(f"{path}: no platform title")


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.0f}"


# -- first screen ------------------------------------------------------------------


def bench_first_screen(datasets: list[Path | None], runs: int, python: str) -> list[str]:
    bare_file = Path("/tmp/bishan_bench_bare_app.py")
    css = str(ROOT / "bishan_tui" / "app.tcss")
    bare_file.write_text(BARE_APP.replace("@CSS@", repr(css)), encoding="utf-8")
    rows = [
        "| dataset | app median (min–max) ms | bare Textual median (min–max) ms | ratio |",
        "|---|---|---|---|",
    ]
    for data in datasets:
        path = data or ROOT / "data" / "bishan.toml"
        marker = first_title(path)[:4]
        app_cmd = f"{python} -m bishan_tui" + (f" --data {data}" if data else "")
        bare_cmd = f"{python} {bare_file}"
        app_times, bare_times = [], []
        for _ in range(runs):
            app_times.append(time_first_screen("bench-app", app_cmd, marker))
            bare_times.append(time_first_screen("bench-bare", bare_cmd, "Figures"))
        a, b = stats(app_times), stats(bare_times)
        name = data.name if data else "bundled"
        rows.append(
            f"| {name} | {ms(a[0])} ({ms(a[1])}–{ms(a[2])}) | {ms(b[0])} ({ms(b[1])}–{ms(b[2])})"
            f" | {a[0] / b[0]:.2f} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def bench_visidata(vd: str, csv: Path, runs: int) -> list[str]:
    count = sum(1 for _ in csv.open(encoding="utf-8")) - 1
    # VisiData's status line says "<rows> rows" ... once loaded; wait for the full count
    done = re.compile(rf"\b{count}\s+rows")
    times = [time_first_screen("bench-vd", f"{vd} {csv}", done) for _ in range(runs)]
    m = stats(times)
    return [
        "| program | median (min–max) ms |",
        "|---|---|",
        f"| VisiData {csv.name} ({count} rows, all loaded) | {ms(m[0])} ({ms(m[1])}–{ms(m[2])}) |",
    ]


# -- keystrokes --------------------------------------------------------------------


def expected_counts(data: Path | None, query: str) -> tuple[list[int], list[float]]:
    from bishan_tui.loader import load_dataset
    from bishan_tui.search import build_index

    index = build_index(load_dataset(str(data) if data else None))
    counts, times = [], []
    for i in range(1, len(query) + 1):
        t0 = time.perf_counter()
        counts.append(index.search_result(query[:i]).total)
        times.append(time.perf_counter() - t0)
    return counts, times


def type_key(session: str, char: str, echo: str, want: re.Pattern[str]) -> tuple[float, float]:
    """Send one key; seconds until the box shows it (echo) and until the count is shown."""
    t0 = time.perf_counter()
    tmux("send-keys", "-t", session, "-l", char)
    echoed = counted = float("inf")
    while time.perf_counter() - t0 < 30:
        screen = capture(session)
        now = time.perf_counter() - t0
        if echoed == float("inf") and echo in screen:
            echoed = now
        if echoed != float("inf") and want.search(screen):
            counted = now
            break
        time.sleep(POLL)
    return echoed, counted


def wait_for_key(session: str, char: str, echo: str, timeout: float = 3.0) -> bool:
    """Send one key; whether the screen shows ``echo`` within ``timeout`` seconds."""
    tmux("send-keys", "-t", session, "-l", char)
    return wait_for(session, echo, timeout) != float("inf")


def bench_keys(data: Path | None, query: str, python: str, rounds: int) -> tuple[str, list[str]]:
    counts, _ = expected_counts(data, query)
    session = "bench-keys"
    name = data.name if data else "bundled"
    latencies: list[float] = []
    changed: list[float] = []  # keys whose match count differs from the previous key's
    echoes: list[float] = []
    detail: list[str] = []
    for _ in range(rounds):
        start(session, f"{python} -m bishan_tui" + (f" --data {data}" if data else ""))
        # the status line names the language once the index is built ("索引中…" before)
        wait_for(session, "中文 + English", timeout=900)
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "/")
        time.sleep(0.2)
        for i, char in enumerate(query):
            n = counts[i]
            # the status: "N 条结果 matches" or "无结果 no matches"
            want = re.compile(rf"\b{n} 条结果") if n else re.compile("无结果")
            echoed, elapsed = type_key(session, char, f"/ {query[: i + 1]}", want)
            latencies.append(elapsed)
            echoes.append(echoed)
            if i == 0 or counts[i - 1] != n:
                changed.append(elapsed)
            detail.append(f"{query[: i + 1]}={n}:{ms(elapsed)}")
            time.sleep(0.15)  # a person types about 5 keys a second
        tmux("kill-session", "-t", session)
    row = (
        f"| {name} | `{query}` | {len(latencies)} | {ms(statistics.median(latencies))} |"
        f" {ms(p95(latencies))} | {len(changed)}: {ms(statistics.median(changed))} |"
        f" {ms(statistics.median(echoes))} |"
    )
    return row, detail


def bench_cold_answer(data: Path, query: str, python: str, runs: int) -> list[str]:
    """A start with no saved index (the first time a dataset is opened): seconds from
    the start to the first screen, to the answer of a query typed at once, and to
    the index being ready (the status line names the language)."""
    counts, _ = expected_counts(data, query)
    want = re.compile(rf"\b{counts[-1]} 条结果") if counts[-1] else re.compile("无结果")
    marker = first_title(data)[:4]
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(home) / "bishan-tui"
    screens, answers, indexes = [], [], []
    for _ in range(runs):
        for entry in folder.glob("index-*.bin"):
            entry.unlink()
        t0 = start("bench-cold", f"{python} -m bishan_tui --data {data}")
        wait_for("bench-cold", marker)
        screens.append(time.perf_counter() - t0)
        # Keys are typed one by one, each until the box shows it.  While a worker
        # holds the GIL the app takes keys late, and keys that arrive together are
        # routed before "/" has moved the focus (GUIDE: keys are routed on arrival):
        # then they reach the table, and the query is typed again.
        for _attempt in range(20):
            tmux("send-keys", "-t", "bench-cold", "/")
            time.sleep(0.5)
            tmux("send-keys", "-t", "bench-cold", "C-u")  # the "/" if the box had focus
            time.sleep(0.2)
            if all(
                wait_for_key("bench-cold", char, f"/ {query[: i + 1]}")
                for i, char in enumerate(query)
            ):
                break
        wait_for("bench-cold", want, timeout=300)
        answers.append(time.perf_counter() - t0)
        # the index is ready when the status no longer says so ("索引中…")
        end = time.perf_counter() + 900
        while "索引中" in capture("bench-cold") and time.perf_counter() < end:
            time.sleep(0.05)
        indexes.append(time.perf_counter() - t0)
        tmux("kill-session", "-t", "bench-cold")
    rows = [
        "| dataset | query | first screen s | first answer s | index ready s |",
        "|---|---|---|---|---|",
        f"| {data.name} | `{query}` ({counts[-1]} matches) | "
        f"{statistics.median(screens):.1f} | {statistics.median(answers):.1f} | "
        f"{statistics.median(indexes):.1f} |",
    ]
    return rows


async def split(data: Path | None, query: str) -> list[str]:
    """Headless: per prefix, the search core's time and the table's time."""
    from bishan_tui.app import create_app
    from bishan_tui.loader import load_dataset
    from bishan_tui.screens.main import MainScreen

    dataset = load_dataset(str(data) if data else None)
    app = create_app(dataset=dataset)
    rows = []
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        while not isinstance(app.screen, MainScreen):
            await asyncio.sleep(0.01)
        screen = app.screen
        while screen.index is None:
            await asyncio.sleep(0.05)
        await pilot.pause()
        index = screen.index
        for i in range(1, len(query) + 1):
            prefix = query[:i]
            t0 = time.perf_counter()
            result = index.search_result(prefix)  # as the app's search thread does
            t1 = time.perf_counter()
            screen.searcher.query = prefix  # the query wanted, as typing sets it
            screen._apply_matches(prefix, result)
            table = screen.current_table
            for y in range(table.size.height):
                table.render_line(y)
            screen._refresh_detail()
            t2 = time.perf_counter()
            rows.append((prefix, result.total, t1 - t0, t2 - t1))
            await pilot.pause()
    name = data.name if data else "bundled"
    return [f"| {name} | `{p}` | {n} | {ms(s)} | {(t * 1000):.1f} |" for p, n, s, t in rows]


# -- main --------------------------------------------------------------------------


def machine() -> list[str]:
    import textual

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores, load {load[0]:.2f} at start",
        f"- Python {platform.python_version()}, Textual {textual.__version__}, "
        f"Rich {metadata.version('rich')}, {tmux('-V').strip()}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, action="append", default=[], help="dataset(s)")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled dataset")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", action="append", default=[], help="queries to type")
    parser.add_argument(
        "--key-data",
        action="append",
        default=[],
        help="datasets for the keystroke test, 'bundled' for the bundled one "
        "(default: bundled + --data)",
    )
    parser.add_argument("--key-rounds", type=int, default=2)
    parser.add_argument("--skip-first", action="store_true")
    parser.add_argument("--skip-keys", action="store_true")
    parser.add_argument(
        "--cold", action="store_true", help="time a start without a saved index (last --data)"
    )
    parser.add_argument("--visidata", help="a vd executable")
    parser.add_argument("--csv", type=Path, help="the CSV for VisiData")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()

    datasets: list[Path | None] = ([] if args.no_bundled else [None]) + list(args.data)
    # a session kept alive for the whole run, so no measurement pays the server's start
    tmux("new-session", "-d", "-s", "bench-keep", "sleep 100000")
    try:
        run(args, datasets)
    finally:
        tmux("kill-session", "-t", "bench-keep")


def run(args: argparse.Namespace, datasets: list[Path | None]) -> None:
    print("\n".join(machine()))
    if not args.skip_first:
        print("\n### First screen (tmux 100x30, first data row on screen)\n")
        print("\n".join(bench_first_screen(datasets, args.runs, args.python)))
    if args.visidata and args.csv:
        print("\n### VisiData, same records as CSV\n")
        print("\n".join(bench_visidata(args.visidata, args.csv, args.runs)))
    if args.cold and datasets and datasets[-1] is not None:
        print("\n### A cold start: no saved index (medians of the runs)\n")
        print("\n".join(bench_cold_answer(datasets[-1], "kangjia", args.python, args.runs)))
    if not args.skip_keys:
        queries = args.keys or ["kangjia", "康佳"]
        key_data: list[Path | None] = [
            None if name == "bundled" else Path(name) for name in args.key_data
        ] or datasets
        print("\n### Keystroke to updated screen (tmux, the match count shown)\n")
        print(
            "| dataset | query | keys | median ms | p95 ms | count changed: keys, median ms"
            " | echo median ms |\n|---|---|---|---|---|---|---|"
        )
        details = []
        for data in key_data:
            for query in queries:
                row, detail = bench_keys(data, query, args.python, args.key_rounds)
                print(row, flush=True)
                details.append(" ".join(detail))
        print("\nper key (prefix=count:ms): " + " / ".join(details))
        print("\n### Split, headless (search core vs table), per prefix\n")
        print("| dataset | prefix | matches | search ms | table ms |\n|---|---|---|---|---|")
        for data in key_data:
            for query in queries:
                print("\n".join(asyncio.run(split(data, query))), flush=True)


if __name__ == "__main__":
    main()
