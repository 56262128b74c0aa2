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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .completion import SHELLS
from .loader import DatasetError, bundled_dataset_path, load_dataset
from .model import KIND_INFO, KINDS, Dataset, Kind, Record
from .textsafe import one_line, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .article import ArticleMap

# Exit statuses (README, "Exit status"): 0 the answer was printed; 1 nothing matched;
# 2 bad usage, a bad dataset, or an output that cannot take the answer; 128 + N when
# signal N ended the app (130: Ctrl+C during a one-shot command).
EXIT_OK = 0
EXIT_NONE = 1
EXIT_ERROR = 2
# Below this, a COLUMNS value is taken for a mistake (COLUMNS=0 drew nothing at all).
MIN_COLUMNS = 20

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
# How a quoted span is marked in the table format (show --context, article).
MARK_STYLE = "bold black on yellow"
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
GLOSSARY_FORMATS = ("table", "plain", "json", "markdown")
ARTICLE_FORMATS = ("table", "plain", "markdown")

EPILOG = """\
examples:
  bishan-tui                                  open the app
  bishan-tui search 康佳                     Chinese
  bishan-tui search kangjia --kind figure     pinyin, figures only
  bishan-tui search kjgd                      pinyin initials
  bishan-tui search "blade battery" --format json
  bishan-tui show kangjia-experts             one record in full
  bishan-tui export --format csv > bishan.csv
  bishan-tui validate my.toml                 check a dataset file
  bishan-tui serve                            in a browser (127.0.0.1:8000)
  bishan-tui completion bash >> ~/.bashrc     Tab completion (bash, zsh, fish)

exit codes:
  0    done
  1    nothing found (search, show)
  2    usage error, or a dataset file that is missing or invalid
  130  interrupted (Ctrl+C); 128+N when signal N ended the app

environment:
  BISHAN_DATA       dataset file used when --data is not given
  NO_COLOR          any value: no colour in tables or in the app
  XDG_CACHE_HOME    cache folder (default ~/.cache/bishan-tui)
  XDG_STATE_HOME    search history (default ~/.local/state/bishan-tui)
  XDG_CONFIG_HOME   settings folder (default ~/.config/bishan-tui)
  TEXTUAL_ANIMATIONS=none   no animation (fewer bytes over slow links)
"""


def _kind(value: str) -> Kind:
    kind = KIND_NAMES.get(value.lower())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"unknown kind {value!r}; choose from platform, project, talent, policy, "
            "event (timeline), figure"
        )
    return kind


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(
            f"must be 0 (all) or a positive number of results, not {value!r}"
        )
    return number


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error that quotes what was typed (``--\\e[2J``) reaches
    the terminal with its control characters made visible."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {one_line(message)}\n")


class _Formatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; text laid out by hand (examples, exit
    codes: it has line breaks) kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bishan-tui",
        description=(
            "Look up the facts of the feature 发力科创之城 加速科技创新 (Bishan, Chongqing) "
            "in Chinese, English or pinyin. With no command, opens the app."
        ),
        epilog=EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="dataset to read (default: $BISHAN_DATA, else the bundled article dataset)",
    )
    parser.add_argument("--version", action="version", version=f"bishan-tui {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="report cache problems (a refused or damaged entry) on stderr, one line each",
    )
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
        description=(
            "Find records. Every word of the query must match some field. The query "
            "language of the app works here too: kind:figure, title:word (summary, "
            'quote, tags, section), -word, "a phrase", value:>=300, 2020-03..2020-06. '
            "Put -- before a query that starts with -word."
        ),
    )
    search.add_argument("--kind", type=_kind, action="append", help="only this kind (repeatable)")
    search.add_argument(
        "--limit",
        type=_limit,
        default=50,
        metavar="N",
        help="at most N results (0: all; default 50)",
    )
    with_format(search, FORMATS)
    search.add_argument(
        "query",
        nargs="*",
        metavar="QUERY",
        help="words to find: 汉字 (traditional too), English, pinyin with or without "
        "tones (kangjia), or initials (kjgd); quote a phrase to keep it one argument",
    )

    show = commands.add_parser("show", help="print one record in full, both languages")
    with_format(show, FORMATS)
    show.add_argument(
        "--context",
        action="store_true",
        help="also print the paragraph(s) of the article the record quotes, its quotes "
        "marked (highlighted in a table, in 「」 in plain text, bold in Markdown)",
    )
    show.add_argument("id", metavar="ID")

    article = commands.add_parser(
        "article",
        help="print the article's text, the spans that records quote marked",
        description="Print the whole article in reading order, section by section; "
        "every span a record quotes is marked (highlighted in a table, in 「」 in plain "
        "text, bold in Markdown).",
    )
    article.add_argument(
        "--format",
        choices=ARTICLE_FORMATS,
        help="output format (default: table on a terminal, plain when piped)",
    )

    export = commands.add_parser("export", help="print every record (of a kind)")
    export.add_argument("--kind", type=_kind, action="append", help="only this kind (repeatable)")
    export.add_argument("--format", choices=FORMATS, required=True)

    validate = commands.add_parser(
        "validate", help="check a dataset file; OK and counts, or errors"
    )
    validate.add_argument("file", nargs="?", metavar="FILE")
    validate.add_argument(
        "--coverage",
        action="store_true",
        help="also list the article's sentences that no record quotes, with their paragraph ids",
    )

    glossary = commands.add_parser(
        "glossary",
        help="print the dataset's glossary: one English rendering per Chinese term",
        description="Print the glossary: the one English rendering of each recurring "
        "Chinese term or name, with its note.",
    )
    glossary.add_argument(
        "--format",
        choices=GLOSSARY_FORMATS,
        help="output format (default: table on a terminal, plain when piped)",
    )

    from .serve import DEFAULT_HOST, DEFAULT_PORT

    serve = commands.add_parser(
        "serve",
        help="serve the app to a web browser (needs: pip install 'bishan-tui[web]')",
        description="Serve the app over HTTP; each browser tab runs its own app. "
        "There is no authentication: keep the default loopback address unless the "
        "network is yours.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address (default {DEFAULT_HOST})")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--data", metavar="FILE", default=argparse.SUPPRESS, help="dataset the app reads"
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it differs from http://HOST:PORT",
    )

    completion = commands.add_parser(
        "completion",
        help="print the Tab-completion script of a shell",
        description="Print the Tab-completion script for bash, zsh or fish.",
        epilog="bash:  bishan-tui completion bash >> ~/.bashrc\n"
        "zsh:   bishan-tui completion zsh >> ~/.zshrc\n"
        "fish:  bishan-tui completion fish > ~/.config/fish/completions/bishan-tui.fish",
        formatter_class=_Formatter,
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    _attach_completers(parser, search, show, export)

    cache = commands.add_parser(
        "cache",
        help="show or empty the cache folder (loaded datasets, search indexes)",
        description="The cache folder: $XDG_CACHE_HOME/bishan-tui or ~/.cache/bishan-tui. "
        "It is never needed; deleting it only makes the next start slower.",
    )
    cache.add_argument(
        "action", choices=("info", "clear"), help="info: list the entries; clear: delete them"
    )
    return parser


def _attach_completers(
    parser: argparse.ArgumentParser, *subs: argparse.ArgumentParser
) -> None:
    """Kinds and record ids for Tab completion (used only by argcomplete)."""
    from .completion import attach, id_completer, kind_completer

    for sub in subs:
        for action in sub._actions:
            if action.dest == "kind":
                attach(action, kind_completer(KIND_NAMES))
            elif action.dest == "id":
                attach(action, id_completer)


# --------------------------------------------------------------------------- output


class OutputError(Exception):
    """Standard output cannot take the answer: closed, full, or unable to encode it."""


def _stdout() -> TextIO:
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise OutputError("standard output is closed; nothing was printed")
    return sys.stdout


def _write(text: str) -> None:
    out = _stdout()
    with _writing(out):
        out.write(text)


@contextlib.contextmanager
def _writing(out: IO[str]) -> Iterator[None]:
    """Turn a failed write into an :class:`OutputError` (a reader who left is not one)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except UnicodeEncodeError:
        raise OutputError(_cannot_encode(out)) from None
    except OSError as error:  # /dev/full, EIO, a closed descriptor
        reason = error.strerror or str(error)
        raise OutputError(f"cannot write to standard output: {reason}") from None


def _flush() -> None:
    if sys.stdout is not None:
        with _writing(sys.stdout):
            sys.stdout.flush()


def _cannot_encode(out: IO[str]) -> str:
    return (
        f"standard output cannot show this text (its encoding is {getattr(out, 'encoding', '?')}); "
        "set PYTHONIOENCODING=utf-8 or a UTF-8 locale"
    )


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


def _as_written(text: str) -> str:
    """``text`` as a non-UTF-8 stdout will show it (``\\uXXXX`` escapes), so that a
    table is laid out for what is written, not for Chinese it cannot show."""
    encoding = getattr(sys.stdout, "encoding", None)
    if _is_utf8(encoding):
        return text
    try:
        return text.encode(encoding or "ascii", ESCAPE_ERRORS).decode(encoding or "ascii")
    except LookupError:  # the escape handler is not registered: left to the stream
        return text


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
    """One line on stderr; if stderr is closed or broken, the exit status still tells."""
    err = sys.stderr
    if err is None:
        return
    line = one_line(message) + "\n"
    try:
        try:
            err.write(line)
        except UnicodeEncodeError:  # an ASCII-only stderr: Chinese as \\uXXXX escapes
            encoding = err.encoding or "ascii"
            err.write(line.encode(encoding, "backslashreplace").decode(encoding))
        err.flush()
    except (OSError, ValueError):
        pass


def _console() -> Console:
    """A Rich console on stdout; a ``COLUMNS`` too small to show a table is ignored."""
    from rich.console import Console

    width = None
    columns = os.environ.get("COLUMNS", "")
    if columns and not (columns.isdigit() and int(columns) >= MIN_COLUMNS):
        try:
            width = max(os.get_terminal_size(_stdout().fileno()).columns, MIN_COLUMNS)
        except (OSError, ValueError):
            width = 80
    return Console(file=_stdout(), highlight=False, width=width)


def _default_format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "table" if sys.stdout is not None and sys.stdout.isatty() else "plain"


def _print_table(matches: Sequence[Record], dataset: Dataset) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from .formats import statement

    console = _console()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("kind", no_wrap=True)
    table.add_column(_as_written("标题"), overflow="fold", ratio=2)
    # as wide as the longest id shown: an id is what `show` takes, never split
    widest_id = max((len(one_line(record.id)) for record in matches), default=0)
    table.add_column("title · id", overflow="fold", ratio=3, min_width=min(widest_id, 48))
    table.add_column("value / date", overflow="fold", max_width=18)
    for record in matches:
        english = Text(one_line(record.title_en))
        english.append("\n" + one_line(record.id), style="dim")  # the id `show` takes
        value = Text(_as_written(one_line(statement(record))))
        if record.kind == "figure":
            value.append("\n" + one_line(statement(record, "en")))
        table.add_row(
            Text(record.kind, style=KIND_STYLE[record.kind]),
            Text(_as_written(one_line(record.title))),
            english,
            value,
        )
    with _writing(console.file):
        console.print(table)


def _print_records(records: Sequence[Record], dataset: Dataset, fmt: str) -> None:
    from .formats import to_plain

    if fmt in ("json", "csv", "markdown"):
        from .export import render

        # the app's export writes the same text; CSV and Markdown show control
        # characters, even to a pipe (`| head` ends on a terminal); JSON keeps the data
        text = render(records, fmt)
        if fmt == "json" and not _is_utf8(getattr(sys.stdout, "encoding", None)):
            import json  # the same data as JSON's own \\u escapes: exact, and plain ASCII

            text = json.dumps(json.loads(text), ensure_ascii=True, indent=2) + "\n"
        _write(text)
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
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, text in pairs:
        table.add_row(Text(_as_written(label)), Text(_as_written(text)))
    console = _console()
    with _writing(console.file):
        console.print(table)


# --------------------------------------------------------------------------- commands


# From this size on, a dataset is loaded through the on-disk cache.  Measured
# here: the bundled file (~100 KB) loads in 8 ms, less than the cache's imports
# (hashlib, json) and checks; a 1 MB file (1,000 records) takes ~50 ms cold and
# ~25 ms from the cache (JSON, its records checked again by the loader).
CACHE_FROM_BYTES = 512 * 1024


def _load(path: str | None) -> Dataset:
    """The dataset, from the cache when it is big enough for that to pay."""
    file = Path(path) if path is not None else bundled_dataset_path()
    try:
        big = file.stat().st_size >= CACHE_FROM_BYTES
    except OSError:
        big = False  # load_dataset says what is wrong with it
    if big:
        import gc

        from .dataset_cache import load_dataset_cached
        from .loader import gc_paused

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
    from .search import build_index

    index = build_index(dataset)
    query = " ".join(args.query)
    limit = args.limit if args.limit and args.limit > 0 else None
    result = index.search_result(query, kinds=args.kind)
    if result.query.notes:  # bad syntax was read as plain words: say how
        _error(f"read as: {result.query.describe()}")
    if not result.total:
        near = result.suggestions(5)  # by the search's typo measure
        hint = "; ".join(f"{r.title} / {r.title_en} [{r.id}]" for r in near)
        shown_query = query if len(query) <= 80 else query[:77] + "..."
        reading = f" (read as: {result.query.describe()})" if result.query.syntax else ""
        _error(
            f"no record matches {shown_query!r}{reading}."
            + (f" Closest titles: {hint}" if hint else "")
        )
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
        near: list[str] = []
        if len(args.id) <= 200:  # the longest an id can be: a longer one is close to none
            near = difflib.get_close_matches(args.id, ids, n=5, cutoff=0.5)
        if not near:
            near = [i for i in ids if args.id.lower() in i][:5]
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        shown_id = args.id if len(args.id) <= 80 else args.id[:77] + "..."
        _error(f"no record has the id {shown_id!r}.{hint}")
        return EXIT_NONE
    fmt = _default_format(args.format)
    if args.context:
        return _show_with_context(record, dataset, fmt)
    _show_record(record, dataset, fmt)
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
    if dataset.quotes_checked:
        quotes = f"{len(dataset.paragraphs)} paragraphs, every quote found in them"
    else:
        quotes = "no [[paragraphs]], so the quotes are NOT checked against the article"
    glossary = f"; {len(dataset.glossary)} glossary entries" if dataset.glossary else ""
    _write(
        f"OK {shown}: {total} records ({parts}); {len(dataset.sections)} sections; "
        f"{quotes}{glossary}\n"
    )
    if args.coverage:
        return _coverage(dataset, shown)
    return EXIT_OK


# ------------------------------------------------------------- the article (issue 13)


def _article_map(dataset: Dataset) -> ArticleMap | None:
    from .article import NO_TEXT, ArticleMap

    if not dataset.paragraphs:
        _error(f"{dataset.path or 'the dataset'} {NO_TEXT}")
        return None
    return ArticleMap(dataset)


def _coverage(dataset: Dataset, shown: str) -> int:
    from .article import coverage_lines

    article = _article_map(dataset)
    if article is None:
        return EXIT_NONE
    lines, total = coverage_lines(article)
    _write("".join(line + "\n" for line in lines))
    _write(
        f"coverage {shown}: {total - len(lines)} of {total} sentences quoted by a record; "
        f"{len(lines)} not quoted (listed above as paragraph id, sentence)\n"
    )
    return EXIT_OK


def _rich_marked(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    from rich.text import Text

    from .article import marked_runs

    out = Text()
    for run, inside in marked_runs(text, spans):
        out.append(visible(run, keep_newlines=False), style=MARK_STYLE if inside else "")
    return out


def _show_with_context(record: Record, dataset: Dataset, fmt: str) -> int:
    from .article import context_of, markdown_marked, plain_marked

    if fmt == "csv":
        _error("show --context prints text: use --format table, plain, json or markdown")
        return EXIT_ERROR
    article = _article_map(dataset)
    if article is None:
        return EXIT_NONE
    context = context_of(article, record.id)
    paragraphs = article.paragraphs
    if fmt == "json":
        import json

        from .formats import record_to_dict

        data = record_to_dict(record)
        data["paragraphs"] = [
            {
                "paragraph": paragraphs[n].id,
                "section": paragraphs[n].section,
                "text": paragraphs[n].text,
                "quoted": [[start, end] for start, end in spans],
            }
            for n, spans in context
        ]
        _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    _show_record(record, dataset, fmt)
    if fmt == "plain":
        _write(
            "".join(
                f"paragraph\t{one_line(paragraphs[n].id)}\t"
                f"{plain_marked(paragraphs[n].text, spans)}\n"
                for n, spans in context
            )
        )
    elif fmt == "markdown":
        from .formats import md_cell

        _write(
            "".join(
                f"\n> {markdown_marked(paragraphs[n].text, spans)}\n>\n"
                f"> — {md_cell(paragraphs[n].id)}\n"
                for n, spans in context
            )
        )
    else:
        from rich.text import Text

        console = _console()
        with _writing(console.file):
            for n, spans in context:
                console.print()
                console.print(Text(f"原文 Article · {one_line(paragraphs[n].id)}", style="bold"))
                console.print(_rich_marked(paragraphs[n].text, spans))
    if not context:
        _error(f"record {record.id!r} has no quote placed in the article")
    return EXIT_OK


def cmd_article(args: argparse.Namespace, dataset: Dataset) -> int:
    from .article import article_blocks, article_markdown, article_plain, paragraph_spans

    article = _article_map(dataset)
    if article is None:
        return EXIT_NONE
    fmt = _default_format(args.format)
    if fmt == "plain":
        _write(article_plain(article))
        return EXIT_OK
    if fmt == "markdown":
        _write(article_markdown(article))
        return EXIT_OK
    from rich.text import Text

    console = _console()
    sections = dataset.sections
    with _writing(console.file):
        for what, n in article_blocks(article):
            if what == "section":
                if n >= 0:
                    console.print()
                    title = f"§ {sections[n].title} / {sections[n].title_en}"
                    console.print(Text(one_line(title), style="bold underline"))
                continue
            paragraph = article.paragraphs[n]
            line = Text(f"{one_line(paragraph.id)}  ", style="dim")
            line.append_text(_rich_marked(paragraph.text, paragraph_spans(article, n)))
            console.print(line)
    return EXIT_OK


def cmd_glossary(args: argparse.Namespace, dataset: Dataset) -> int:
    entries = dataset.glossary
    if not entries:
        _error(f"{dataset.path or 'the dataset'} has no [[glossary]]")
        return EXIT_NONE
    fmt = _default_format(args.format)
    if fmt == "json":
        import json

        rows = [{"zh": e.zh, "en": e.en, "note": e.note} for e in entries]
        _write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "plain":
        _write("".join("\t".join(map(one_line, (e.zh, e.en, e.note))) + "\n" for e in entries))
    elif fmt == "markdown":

        def cell(text: str) -> str:
            return one_line(text).replace("\\", "\\\\").replace("|", "\\|")

        lines = ["| 中文 | English | note |", "|---|---|---|"]
        lines += [f"| {cell(e.zh)} | {cell(e.en)} | {cell(e.note)} |" for e in entries]
        _write("\n".join(lines) + "\n")
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


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's last flush at exit has nothing to fail on."""
    if sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def cmd_cache(args: argparse.Namespace) -> int:
    from . import cachedir

    folder = cachedir.default_cache_dir()
    shown = one_line(str(folder))
    if args.action == "clear":
        files, size = cachedir.clear(folder)
        _write(f"removed {files} files ({size / 2**20:.1f} MB) from {shown}\n")
        return EXIT_OK
    import time

    found = cachedir.entries(folder)
    total = sum(size for _, size, _ in found)
    _write(
        f"{shown}: {len(found)} entries, {total / 2**20:.1f} MB "
        f"(kept: at most {cachedir.MAX_ENTRIES} entries and "
        f"{cachedir.MAX_BYTES / 2**30:.0f} GB, least recently used dropped first)\n"
    )
    for path, size, used in reversed(found):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(used))
        _write(f"  {size / 2**20:9.1f} MB  {when}  {one_line(path.name)}\n")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    dataset = _load(args.data)
    # textual-serve (`bishan-tui serve`) runs the app through pipes with TEXTUAL_DRIVER set
    if not os.environ.get("TEXTUAL_DRIVER") and (
        sys.stdin is None or sys.stdout is None or not (sys.stdin.isatty() and sys.stdout.isatty())
    ):
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
    from .shutdown import ExitGuard

    app.guard_exit(ExitGuard(sys.stdin.fileno(), sys.stdout.fileno()))
    app.run()
    # 128 + N when a signal (SIGTERM, SIGHUP, SIGINT, …) ended it, as a shell reports it.
    if args.verbose:  # the screen is the app's: notes made meanwhile wait for its end
        from . import cachedir

        held: list[str] = []
        cachedir.set_note_sink(held.append)
        try:
            app.run()
        finally:
            cachedir.set_note_sink(_error)
            for line in held:
                _error(line)
    else:
        app.run()
    # 128 + N when a signal (SIGTERM, SIGHUP, SIGINT) ended it, as a shell reports it.
    return app.return_code or EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import MISSING, exposure_warning, run_server

    if args.data is not None:
        _load(args.data)  # a bad file is said here, once, not in every browser tab
    if not 0 < args.port < 65536:
        _error(f"bishan-tui serve: port {args.port} is not between 1 and 65535")
        return EXIT_ERROR
    warning = exposure_warning(args.host, args.port)
    if warning:
        _error(warning)
    try:
        run_server(args.host, args.port, args.data, args.public_url)
    except ImportError:
        _error(MISSING)
        return EXIT_ERROR
    except OSError as error:
        _error(f"bishan-tui serve: cannot listen on {args.host}:{args.port}: {error.strerror}")
        return EXIT_ERROR
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    from .completion import shell_script

    _write(shell_script(args.shell))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if argv is None and "_ARGCOMPLETE" in os.environ:
        from .completion import autocomplete

        autocomplete(parser)  # answers the shell's Tab and exits
    args, extra = parser.parse_known_args(argv)
    if args.command == "search":
        # `search kangjia -kind:figure`: a -word is a query word, not an option
        unknown = [word for word in extra if word.startswith("--")]
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.query = [*args.query, *extra]
        if not args.query:
            parser.error("search: a QUERY is required")
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    _protect_output()
    if args.data is None:
        args.data = os.environ.get("BISHAN_DATA") or None
    if args.verbose:
        from . import cachedir

        cachedir.set_note_sink(_error)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "completion":
            return cmd_completion(args)
        if args.command == "cache":
            return cmd_cache(args)
        if args.command is None:
            return cmd_app(args)
        dataset = _load(args.data)
        handler = {
            "search": cmd_search,
            "show": cmd_show,
            "export": cmd_export,
            "glossary": cmd_glossary,
            "article": cmd_article,
        }[args.command]
        code = handler(args, dataset)
        _flush()  # a full disk shows here, not as Python's "Exception ignored" at exit
        return code
    except DatasetError as error:
        for problem in error.problems:
            _error(problem)
        return EXIT_ERROR
    except OutputError as error:
        _error(f"bishan-tui: {error}")
        _silence_stdout()
        return EXIT_ERROR
    except BrokenPipeError:
        # `bishan-tui export ... | head`: the reader left; that is not an error.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
