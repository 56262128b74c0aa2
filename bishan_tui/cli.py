"""The ``bishan-tui`` command: the app, and one-shot lookups for scripts and SSH.

Start-up is the cost of a lookup, so this module imports only the standard
library and the pure core at the top.  Rich is imported only to draw a table;
Textual only when the app is opened.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .loader import DatasetError, bundled_dataset_path, load_dataset
from .model import KIND_INFO, KINDS, Dataset, Kind, Record
from .textsafe import one_line

EXIT_OK = 0
EXIT_NONE = 1
EXIT_ERROR = 2

KIND_NAMES: dict[str, Kind] = {
    "platform": "platform",
    "platforms": "platform",
    "project": "project",
    "projects": "project",
    "talent": "talent",
    "talents": "talent",
    "policy": "policy",
    "policies": "policy",
    "event": "event",
    "events": "event",
    "timeline": "event",
    "figure": "figure",
    "figures": "figure",
}
# 16-colour names, so the table reads the same in any terminal.
KIND_STYLE: dict[Kind, str] = {
    "platform": "cyan",
    "project": "green",
    "talent": "magenta",
    "policy": "yellow",
    "event": "blue",
    "figure": "red",
}
FORMATS = ("table", "plain", "json", "csv", "markdown")


def _kind(value: str) -> Kind:
    kind = KIND_NAMES.get(value.lower())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"unknown kind {value!r}; choose from platform, project, talent, policy, "
            "event (timeline), figure"
        )
    return kind


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error that quotes what was typed (``--\\e[2J``) reaches
    the terminal with its control characters made visible."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bishan-tui",
        description=(
            "Look up the facts of the feature 发力科创之城 加速科技创新 (Bishan, Chongqing) "
            "in Chinese, English or pinyin. With no command, opens the app."
        ),
    )
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="dataset to read (default: the bundled article dataset)",
    )
    parser.add_argument("--version", action="version", version=f"bishan-tui {__version__}")
    parser.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        help="the app's language: Chinese, English or both (default: the last one used)",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="the app's colour theme, e.g. bishan, textual-dark, nord (default: the last one used)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def with_format(sub: argparse.ArgumentParser, choices: Sequence[str]) -> None:
        sub.add_argument(
            "--format",
            choices=choices,
            help="output format (default: table on a terminal, plain when piped)",
        )

    search = commands.add_parser(
        "search",
        help="find records; every word must match (Chinese, English, pinyin, initials)",
        description="Find records. Every word of the query must match some field.",
    )
    search.add_argument("--kind", type=_kind, action="append", help="only this kind (repeatable)")
    search.add_argument(
        "--limit", type=int, default=50, metavar="N", help="at most N results (0: all; default 50)"
    )
    with_format(search, FORMATS)
    search.add_argument("query", nargs="+", metavar="QUERY")

    show = commands.add_parser("show", help="print one record in full, both languages")
    with_format(show, FORMATS)
    show.add_argument("id", metavar="ID")

    export = commands.add_parser("export", help="print every record (of a kind)")
    export.add_argument("--kind", type=_kind, action="append", help="only this kind (repeatable)")
    export.add_argument("--format", choices=FORMATS, required=True)

    validate = commands.add_parser(
        "validate", help="check a dataset file; OK and counts, or errors"
    )
    validate.add_argument("file", nargs="?", metavar="FILE")
    return parser


# --------------------------------------------------------------------------- output


def _write(text: str) -> None:
    sys.stdout.write(text)


ESCAPE_ERRORS = "bishan-escape"
_escaped = False


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """Characters the terminal's encoding cannot show are written as ``\\uXXXX``; the
    first time, one line on stderr says why and what to do."""
    global _escaped
    if not isinstance(error, UnicodeEncodeError):
        raise error
    if not _escaped:
        _escaped = True
        sys.stderr.write(
            f"bishan-tui: this terminal's encoding ({sys.stdout.encoding}) cannot show "
            "Chinese; such characters are written as \\uXXXX. Use a UTF-8 locale "
            "(e.g. LANG=C.UTF-8) or PYTHONIOENCODING=utf-8.\n"
        )
    chunk = error.object[error.start : error.end]
    escaped = "".join(
        f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}" for ch in chunk
    )
    return escaped, error.end


def _is_utf8(encoding: str | None) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def _protect_output() -> None:
    """On a terminal or pipe whose encoding is not UTF-8 (an ISO-8859-1 locale,
    ``PYTHONIOENCODING=latin-1``), write what it cannot encode as escapes instead of
    failing with ``UnicodeEncodeError``: output never crashes, exit codes keep their
    meaning."""
    import codecs

    stdout = sys.stdout
    if stdout is None or _is_utf8(getattr(stdout, "encoding", None)):
        return
    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
    reconfigure = getattr(stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors=ESCAPE_ERRORS)


def _error(message: str) -> None:
    sys.stderr.write(one_line(message) + "\n")


def _default_format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "table" if sys.stdout.isatty() else "plain"


def _print_table(matches: Sequence[Record], dataset: Dataset) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .formats import statement

    console = Console(highlight=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("kind", no_wrap=True)
    table.add_column("标题", overflow="fold", ratio=2)
    # as wide as the longest id shown: an id is what `show` takes, never split
    widest_id = max((len(one_line(record.id)) for record in matches), default=0)
    table.add_column("title · id", overflow="fold", ratio=3, min_width=min(widest_id, 48))
    table.add_column("value / date", overflow="fold", max_width=18)
    for record in matches:
        english = Text(one_line(record.title_en))
        english.append("\n" + one_line(record.id), style="dim")  # the id `show` takes
        value = Text(one_line(statement(record)))
        if record.kind == "figure":
            value.append("\n" + one_line(statement(record, "en")))
        table.add_row(
            Text(record.kind, style=KIND_STYLE[record.kind]),
            Text(one_line(record.title)),
            english,
            value,
        )
    console.print(table)


def _print_records(records: Sequence[Record], dataset: Dataset, fmt: str) -> None:
    from .formats import to_csv, to_json, to_markdown, to_plain

    if fmt == "json":
        text = to_json(records)
        if not _is_utf8(getattr(sys.stdout, "encoding", None)):
            import json  # the same data as JSON's own \\u escapes: exact, and plain ASCII

            text = json.dumps(json.loads(text), ensure_ascii=True, indent=2)
        _write(text + "\n")
    elif fmt == "csv":
        # Control characters shown, even to a pipe (`| head` ends on a terminal); JSON
        # is the format that keeps the exact data.
        _write(to_csv(records, safe=True))
    elif fmt == "markdown":
        _write(to_markdown(records))
    elif fmt == "plain":
        _write(to_plain(records))
    else:
        _print_table(records, dataset)


def _show_record(record: Record, dataset: Dataset, fmt: str) -> None:
    if fmt in ("json", "csv", "markdown"):
        _print_records([record], dataset, fmt)
        return
    from .formats import record_lines

    pairs = record_lines(record, dataset)
    if fmt == "plain":
        _write("".join(f"{label}\t{text}\n" for label, text in pairs))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, text in pairs:
        table.add_row(Text(label), Text(text))
    Console(highlight=False).print(table)


# --------------------------------------------------------------------------- commands


# From this size on, a dataset is loaded through the on-disk cache.  Measured
# here: the bundled file (~100 KB) loads in 8 ms, while the cache costs 7.5 ms of
# imports (hashlib, marshal) plus 5 ms; a 1 MB file (1,000 records) takes 62 ms
# cold and 10 ms from the cache.
CACHE_FROM_BYTES = 512 * 1024


def _load(path: str | None) -> Dataset:
    """The dataset, from the cache when it is big enough for that to pay."""
    file = Path(path) if path is not None else bundled_dataset_path()
    try:
        big = file.stat().st_size >= CACHE_FROM_BYTES
    except OSError:
        big = False  # load_dataset says what is wrong with it
    if big:
        from .dataset_cache import load_dataset_cached

        return load_dataset_cached(file)
    return load_dataset(file)


def cmd_search(args: argparse.Namespace, dataset: Dataset) -> int:
    from .search import build_index

    index = build_index(dataset)
    query = " ".join(args.query)
    limit = args.limit if args.limit and args.limit > 0 else None
    result = index.search_result(query, kinds=args.kind)
    if not result.total:
        near = index.closest_titles(query, 5)
        hint = "; ".join(f"{r.title} / {r.title_en} [{r.id}]" for r in near)
        shown_query = query if len(query) <= 80 else query[:77] + "..."
        _error(f"no record matches {shown_query!r}." + (f" Closest titles: {hint}" if hint else ""))
        return EXIT_NONE
    shown = [match.record for match in result.matches(None, 0, limit)]
    fmt = _default_format(args.format)
    _print_records(shown, dataset, fmt)
    if len(shown) < result.total:
        _error(f"showing {len(shown)} of {result.total} matches; --limit 0 shows all")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, dataset: Dataset) -> int:
    record = dataset.by_id(args.id)
    if record is None:
        import difflib

        ids = [r.id for r in dataset.records]
        near = difflib.get_close_matches(args.id, ids, n=5, cutoff=0.5)
        if not near:
            near = [i for i in ids if args.id.lower() in i][:5]
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        _error(f"no record has the id {args.id!r}.{hint}")
        return EXIT_NONE
    _show_record(record, dataset, _default_format(args.format))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, dataset: Dataset) -> int:
    wanted = set(args.kind) if args.kind else set(KINDS)
    records = [r for r in dataset.records if r.kind in wanted]
    _print_records(records, dataset, args.format)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    path = args.file or args.data
    dataset = load_dataset(path)  # never the cache: validate reads the file itself
    counts = dataset.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[info.kind]} {info.array}" for info in KIND_INFO)
    shown = path or str(bundled_dataset_path())
    _write(f"OK {shown}: {total} records ({parts}); {len(dataset.sections)} sections\n")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    dataset = _load(args.data)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _error(
            "bishan-tui: the app needs a terminal. For scripts use "
            "'bishan-tui search QUERY', 'show ID' or 'export --format json'."
        )
        return EXIT_ERROR
    # Textual writes the screen through stderr; with a non-UTF-8 encoding every Chinese
    # character would be drawn as an escape (\u74a7) and lines would overflow.
    encoding = getattr(sys.__stderr__, "encoding", None)
    if not _is_utf8(encoding):
        _error(
            f"bishan-tui: the app needs a UTF-8 terminal; this one uses {encoding}. "
            "Set a UTF-8 locale (e.g. export LANG=C.UTF-8, or LC_ALL=en_US.UTF-8) with a "
            "terminal set to UTF-8; if the terminal already is, PYTHONIOENCODING=utf-8 "
            "bishan-tui. 'bishan-tui search' and 'show' work here as they are."
        )
        return EXIT_ERROR
    from .app import create_app
    from .settings import load_settings

    loaded = load_settings()
    if loaded.warning:
        _error(loaded.warning)
    settings = loaded.settings
    lang = args.lang or settings.lang or "both"
    theme = args.theme or settings.theme
    app = create_app(dataset=dataset, lang=lang, theme=theme, settings=settings, remember=True)
    if args.theme and args.theme not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        _error(f"bishan-tui: no theme is called {args.theme!r}; choose from {names}")
        return EXIT_ERROR
    if loaded.warning:
        app.call_later(app.notify, loaded.warning, severity="warning", markup=False)
    if theme and theme not in app.available_themes:
        _error(f"bishan-tui: the remembered theme {theme!r} is not there; using bishan")
    app.remember(lang=lang, theme=app.theme)
    app.run()
    # 128 + N when a signal (SIGTERM, SIGHUP, SIGINT) ended it, as a shell reports it.
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _protect_output()
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command is None:
            return cmd_app(args)
        dataset = _load(args.data)
        handler = {"search": cmd_search, "show": cmd_show, "export": cmd_export}[args.command]
        return handler(args, dataset)
    except DatasetError as error:
        for problem in error.problems:
            _error(problem)
        return EXIT_ERROR
    except BrokenPipeError:
        # `bishan-tui export ... | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
