"""The one-shot commands on a dataset: search, show, export, validate, glossary; and
cache, completion."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from ..loader import bundled_dataset_path, load_dataset
from ..model import KIND_INFO, KINDS, Dataset
from ..textsafe import one_line
from .article import coverage, show_with_context
from .output import EXIT_NONE, EXIT_OK, default_format, print_error, write
from .render import print_records, show_record

# From this size on, a dataset is loaded through the on-disk cache.  Measured
# here: the bundled file (~100 KB) loads in 8 ms, less than the cache's imports
# (hashlib, json) and checks; a 1 MB file (1,000 records) takes ~50 ms cold and
# ~25 ms from the cache (JSON, its records checked again by the loader).
CACHE_FROM_BYTES = 512 * 1024


def load(path: str | None) -> Dataset:
    """The dataset, from the cache when it is big enough for that to pay."""
    file = Path(path) if path is not None else bundled_dataset_path()
    try:
        big = file.stat().st_size >= CACHE_FROM_BYTES
    except OSError:
        big = False  # load_dataset says what is wrong with it
    if big:
        import gc

        from ..loader import gc_paused
        from ..search.dataset_cache import load_dataset_cached

        # The dataset lives until the process ends: frozen out of the collector, so
        # the first collection after the load does not walk its millions of objects
        # (0.2-0.5 s at 100,000 records, before the first screen).
        with _loading_notice(file), gc_paused():
            dataset = load_dataset_cached(file)
            gc.freeze()
        return dataset
    return load_dataset(file)


# A file this big takes over 0.3 s to load: say so on a terminal's stderr meanwhile.
NOTICE_FROM_BYTES = 8 * 1024 * 1024


@contextlib.contextmanager
def _loading_notice(file: Path) -> Iterator[None]:
    try:
        size = file.stat().st_size
        shown = size >= NOTICE_FROM_BYTES and sys.stderr.isatty()
    except (OSError, ValueError, AttributeError):
        shown = False
    if shown:
        name = one_line(file.name)[:60]
        sys.stderr.write(f"bishan-tui: loading {name} ({size / 2**20:.0f} MB)...")
        sys.stderr.flush()
    try:
        yield
    finally:
        if shown:
            sys.stderr.write("\r\x1b[K")  # the line is erased: the answer takes its place
            sys.stderr.flush()


def cmd_search(args: argparse.Namespace, dataset: Dataset) -> int:
    from ..search import build_index

    index = build_index(dataset)
    query = " ".join(args.query)
    limit = args.limit if args.limit and args.limit > 0 else None
    result = index.search_result(query, kinds=args.kind)
    if result.query.notes:  # bad syntax was read as plain words: say how
        print_error(f"read as: {result.query.describe()}")
    if not result.total:
        near = result.suggestions(5)  # by the search's typo measure
        hint = "; ".join(f"{r.title} / {r.title_en} [{r.id}]" for r in near)
        shown_query = query if len(query) <= 80 else query[:77] + "..."
        reading = f" (read as: {result.query.describe()})" if result.query.syntax else ""
        print_error(
            f"no record matches {shown_query!r}{reading}."
            + (f" Closest titles: {hint}" if hint else "")
        )
        return EXIT_NONE
    shown = [match.record for match in result.matches(None, 0, limit)]
    fmt = default_format(args.format)
    print_records(shown, dataset, fmt)
    if len(shown) < result.total:
        print_error(f"showing {len(shown)} of {result.total} matches; --limit 0 shows all")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, dataset: Dataset) -> int:
    record = dataset.by_id(args.id)
    if record is None:
        import difflib

        ids = [r.id for r in dataset.records]
        near: list[str] = []
        if len(args.id) <= 200:  # the longest an id can be: a longer one is close to none
            near = difflib.get_close_matches(args.id, ids, n=5, cutoff=0.5)
        if not near:
            near = [i for i in ids if args.id.lower() in i][:5]
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        shown_id = args.id if len(args.id) <= 80 else args.id[:77] + "..."
        print_error(f"no record has the id {shown_id!r}.{hint}")
        return EXIT_NONE
    fmt = default_format(args.format)
    if args.context:
        return show_with_context(record, dataset, fmt)
    show_record(record, dataset, fmt)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, dataset: Dataset) -> int:
    wanted = set(args.kind) if args.kind else set(KINDS)
    records = [r for r in dataset.records if r.kind in wanted]
    print_records(records, dataset, args.format)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    path = args.file or args.data
    dataset = load_dataset(path)  # never the cache: validate reads the file itself
    counts = dataset.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[info.kind]} {info.array}" for info in KIND_INFO)
    shown = path or str(bundled_dataset_path())
    if dataset.quotes_checked:
        quotes = f"{len(dataset.paragraphs)} paragraphs, every quote found in them"
    else:
        quotes = "no [[paragraphs]], so the quotes are NOT checked against the article"
    glossary = f"; {len(dataset.glossary)} glossary entries" if dataset.glossary else ""
    write(
        f"OK {shown}: {total} records ({parts}); {len(dataset.sections)} sections; "
        f"{quotes}{glossary}\n"
    )
    if args.coverage:
        return coverage(dataset, shown)
    return EXIT_OK


def cmd_glossary(args: argparse.Namespace, dataset: Dataset) -> int:
    entries = dataset.glossary
    if not entries:
        print_error(f"{dataset.path or 'the dataset'} has no [[glossary]]")
        return EXIT_NONE
    fmt = default_format(args.format)
    if fmt == "json":
        import json

        rows = [{"zh": e.zh, "en": e.en, "note": e.note} for e in entries]
        write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "plain":
        write("".join("\t".join(map(one_line, (e.zh, e.en, e.note))) + "\n" for e in entries))
    elif fmt == "markdown":

        def cell(text: str) -> str:
            return one_line(text).replace("\\", "\\\\").replace("|", "\\|")

        lines = ["| 中文 | English | note |", "|---|---|---|"]
        lines += [f"| {cell(e.zh)} | {cell(e.en)} | {cell(e.note)} |" for e in entries]
        write("\n".join(lines) + "\n")
    else:
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("中文", overflow="fold", ratio=2)
        table.add_column("English", overflow="fold", ratio=3)
        table.add_column("note", overflow="fold", ratio=3, style="dim")
        for entry in entries:
            table.add_row(
                Text(one_line(entry.zh)), Text(one_line(entry.en)), Text(one_line(entry.note))
            )
        Console(highlight=False).print(table)
    return EXIT_OK


def cmd_cache(args: argparse.Namespace) -> int:
    from .. import cachedir

    folder = cachedir.default_cache_dir()
    shown = one_line(str(folder))
    if args.action == "clear":
        files, size = cachedir.clear(folder)
        write(f"removed {files} files ({size / 2**20:.1f} MB) from {shown}\n")
        return EXIT_OK
    import time

    found = cachedir.entries(folder)
    total = sum(size for _, size, _ in found)
    write(
        f"{shown}: {len(found)} entries, {total / 2**20:.1f} MB "
        f"(kept: at most {cachedir.MAX_ENTRIES} entries and "
        f"{cachedir.MAX_BYTES / 2**30:.0f} GB, least recently used dropped first)\n"
    )
    for path, size, used in reversed(found):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(used))
        write(f"  {size / 2**20:9.1f} MB  {when}  {one_line(path.name)}\n")
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    from ..completion import shell_script

    write(shell_script(args.shell))
    return EXIT_OK
