"""The command line: commands, options and their help."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .. import __version__
from ..completion import SHELLS
from ..model import Kind
from ..textsafe import one_line
from .output import EXIT_ERROR

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


class _Formatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; text laid out by hand (examples, exit
    codes: it has line breaks) kept as written.

    The width is :func:`shutil.get_terminal_size`'s, worked out here: argparse makes
    a formatter for every argument added, and its own imports shutil for that (with
    zlib, bz2, lzma: ~1.5 ms of a one-shot lookup, measured)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2  # as argparse does
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS``, else stdout's terminal,
    else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    stdout = sys.__stdout__
    if columns <= 0 and stdout is not None:
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error that quotes what was typed (``--\\e[2J``) reaches
    the terminal with its control characters made visible; every parser (the
    commands' too) lays its help out with :class:`_Formatter`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(**kwargs)

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

    from ..serve import DEFAULT_HOST, DEFAULT_PORT

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


def _attach_completers(parser: argparse.ArgumentParser, *subs: argparse.ArgumentParser) -> None:
    """Kinds and record ids for Tab completion (used only by argcomplete)."""
    from ..completion import attach, id_completer, kind_completer

    for sub in subs:
        for action in sub._actions:
            if action.dest == "kind":
                attach(action, kind_completer(KIND_NAMES))
            elif action.dest == "id":
                attach(action, id_completer)
