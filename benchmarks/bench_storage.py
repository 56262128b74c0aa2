"""Side by side: the in-memory search index against SQLite (FTS5 trigram) on disk.

Run by a person, never by the tests (issue 17's storage question):

    python benchmarks/generate.py --records 100000 --seed 1 -o /tmp/bishan-100k.toml
    python benchmarks/bench_storage.py /tmp/bishan-100k.toml [--rounds 5]

Both stores are built from the same loaded dataset and asked the same queries (the
classes of ``bench_search.py``: Chinese, English, pinyin, initials, numbers, no match),
each answer being what the app needs for a keystroke: the matching record ids, the
count per kind and the first 50 ids of each kind.

SQLite layout (the simplest that answers the same questions):

* ``rec(rid INTEGER PRIMARY KEY, kind, title, other, py)``: the index's normalised
  text of the title group, of the other fields, and of the pinyin-searchable fields;
* ``fts``: an external-content FTS5 table with ``tokenize='trigram'`` over title and
  other; a word of 3+ characters is a trigram ``MATCH`` (a phrase), shorter words
  are ``instr()`` over every row (FTS5's trigram ``LIKE`` of fewer than 3 characters
  found nothing in SQLite 3.40 here);
* pinyin and initials: SQL has no way to say "a character whose reading starts with
  kang", so they go through a ``REGEXP`` function (Python's ``re``, the regex the
  index compiles for the word) over ``py`` of every row.

The build of the SQLite store, its size, the process RSS after each store is ready,
and per class the median and p95 of ``--rounds`` rounds (queries interleaved) are
printed as Markdown.  SQLite is measured in a fresh connection to the file on disk.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bishan_tui import search  # noqa: E402
from bishan_tui.loader import load_dataset  # noqa: E402
from bishan_tui.model import KINDS, Dataset  # noqa: E402
from bishan_tui.search.fields import in_title, pinyin_field  # noqa: E402
from bishan_tui.textnorm import has_wide, normalize, normalize_query  # noqa: E402

CLASSES: dict[str, list[str]] = {
    "chinese": ["康佳", "研究院", "璧山高新区", "刀片电池"],
    "english": ["patent", "battery", "institute", "whistle"],
    "pinyin": ["kangjia", "chongqing", "bishan"],
    "initials": ["kjgd", "bsgxq"],
    "numbers": ["2.85", "2020", "822", "2020-03-17"],
    "no match": ["zzzzqqqq", "鑫鑫", "qxqxqx"],
}
ROWS = 50


def current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build_sqlite(dataset: Dataset, file: Path) -> None:
    db = sqlite3.connect(file)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE rec(rid INTEGER PRIMARY KEY, kind TEXT, title TEXT, other TEXT, py TEXT);
        CREATE INDEX rec_kind ON rec(kind, rid);
        CREATE VIRTUAL TABLE fts USING fts5(title, other, content='rec', content_rowid='rid',
                                            tokenize='trigram');
        """
    )

    def rows():  # type: ignore[no-untyped-def]
        for rid, record in enumerate(dataset.records):
            title: list[str] = []
            other: list[str] = []
            py: list[str] = []
            for name, text in record.text_fields():
                norm = normalize(text)
                if in_title(name):
                    title.append(norm)
                else:
                    other.append(norm)
                if pinyin_field(name) and has_wide(norm):
                    py.append(norm)
            yield rid, record.kind, "\n".join(title), "\n".join(other), "\n".join(py)

    db.executemany("INSERT INTO rec VALUES (?,?,?,?,?)", rows())
    db.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
    db.commit()
    db.close()


class SqliteStore:
    def __init__(self, file: Path, index: search.SearchIndex) -> None:
        self.db = sqlite3.connect(file, check_same_thread=False)
        self.index = index  # only to compile a pinyin word as the index does
        self.regexes: dict[str, re.Pattern[str]] = {}

        def regexp(pattern: str, text: str | None) -> bool:
            compiled = self.regexes.get(pattern)
            if compiled is None:
                compiled = self.regexes[pattern] = re.compile(pattern)
            return text is not None and compiled.search(text) is not None

        self.db.create_function("regexp", 2, regexp, deterministic=True)

    def word_sql(self, word: str) -> tuple[str, list[str]]:
        parts: list[str] = []
        args: list[str] = []
        if len(word) >= 3:
            parts.append("rid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            args.append('"' + word.replace('"', '""') + '"')
        else:
            parts.append("(instr(title, ?) OR instr(other, ?))")
            args += [word, word]
        pattern = self.index._pinyin.pattern(word)
        if pattern is not None:
            parts.append("py REGEXP ?")
            args.append(pattern.regex.pattern)
        return "(" + " OR ".join(parts) + ")", args

    def answer(self, query: str) -> tuple[dict[str, int], dict[str, list[int]]]:
        words = normalize_query(query).split()
        where: list[str] = []
        args: list[str] = []
        for word in words:
            sql, more = self.word_sql(word)
            where.append(sql)
            args += more
        cond = " AND ".join(where) or "1"
        self.db.execute("DROP TABLE IF EXISTS temp.hits")
        self.db.execute(f"CREATE TEMP TABLE hits AS SELECT rid, kind FROM rec WHERE {cond}", args)
        counts = dict(self.db.execute("SELECT kind, count(*) FROM temp.hits GROUP BY kind"))
        first = {
            kind: [
                rid
                for (rid,) in self.db.execute(
                    "SELECT rid FROM temp.hits WHERE kind=? ORDER BY rid LIMIT ?", (kind, ROWS)
                )
            ]
            for kind in KINDS
        }
        return counts, first


def answer_index(
    index: search.SearchIndex, query: str
) -> tuple[dict[str, int], dict[str, list[int]]]:
    result = index.search_result(query)
    first = {kind: [id(m.record) for m in result.matches(kind, 0, ROWS)] for kind in KINDS}
    return dict(result.counts), first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("## Storage: in-memory index against SQLite FTS5\n")
    print(
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    )
    dataset = load_dataset(args.data)
    gc.collect()
    base = current_rss_mb()
    print(f"- {len(dataset.records):,} records; RSS with the dataset loaded: {base:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = search.build_index(dataset, cache_dir=Path(tmp), persist=False)
        index_build = time.perf_counter() - started
        gc.collect()
        with_index = current_rss_mb()
        file = Path(tmp) / "store.sqlite"
        started = time.perf_counter()
        build_sqlite(dataset, file)
        sqlite_build = time.perf_counter() - started
        gc.collect()
        store = SqliteStore(file, index)
        store.answer("康佳")
        with_sqlite = current_rss_mb()
        size = file.stat().st_size / 2**20
        print(
            f"- in-memory index: build {index_build:.1f} s, RSS +{with_index - base:.0f} MB\n"
            f"- SQLite: build {sqlite_build:.1f} s (normalising the text included), file "
            f"{size:.0f} MB, RSS +{with_sqlite - with_index:.0f} MB on top "
            "(page cache not counted)\n"
        )
        times: dict[tuple[str, str], list[float]] = {}
        agree: dict[str, bool] = {}
        for _ in range(args.rounds):
            for cls, queries in CLASSES.items():
                for query in queries:
                    for name, run in (
                        ("index", lambda q=query: answer_index(index, q)),
                        ("sqlite", lambda q=query: store.answer(q)),
                    ):
                        started = time.perf_counter()
                        counts, _ = run()
                        times.setdefault((cls, name), []).append(time.perf_counter() - started)
                        if name == "index":
                            expected = counts
                        else:
                            agree[query] = {k: v for k, v in expected.items() if v} == {
                                k: v for k, v in counts.items() if v
                            }
        print(
            "| class | index median ms | index p95 | SQLite median ms | SQLite p95 "
            "| SQLite / index |"
        )
        print("|---|---|---|---|---|---|")
        for cls in CLASSES:
            a, b = times[(cls, "index")], times[(cls, "sqlite")]
            ma, mb = statistics.median(a), statistics.median(b)
            print(
                f"| {cls} | {ma * 1000:.1f} | {p95(a) * 1000:.1f} | {mb * 1000:.1f} | "
                f"{p95(b) * 1000:.1f} | {mb / ma:.1f}x |"
            )
        differ = [q for q, ok in agree.items() if not ok]
        print(
            "\ncounts per kind equal in both stores: "
            f"{len(agree) - len(differ)} of {len(agree)} queries"
            + (f" (differ: {', '.join(differ)})" if differ else "")
        )
        print(f"\nload average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
