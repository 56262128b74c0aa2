"""Records drawn for the reader: a Rich table on a terminal, plain lines to a pipe,
JSON, CSV or Markdown when asked; one record in full (``show``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Dataset, Kind, Record
from ..textsafe import one_line, visible
from .output import as_written, is_utf8, make_console, write, writing

if TYPE_CHECKING:
    from rich.text import Text

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


def _print_table(matches: Sequence[Record], dataset: Dataset) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..formats import statement

    console = make_console()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("kind", no_wrap=True)
    table.add_column(as_written("标题"), overflow="fold", ratio=2)
    # as wide as the longest id shown: an id is what `show` takes, never split
    widest_id = max((len(one_line(record.id)) for record in matches), default=0)
    table.add_column("title · id", overflow="fold", ratio=3, min_width=min(widest_id, 48))
    table.add_column("value / date", overflow="fold", max_width=18)
    for record in matches:
        english = Text(one_line(record.title_en))
        english.append("\n" + one_line(record.id), style="dim")  # the id `show` takes
        value = Text(as_written(one_line(statement(record))))
        if record.kind == "figure":
            value.append("\n" + one_line(statement(record, "en")))
        table.add_row(
            Text(record.kind, style=KIND_STYLE[record.kind]),
            Text(as_written(one_line(record.title))),
            english,
            value,
        )
    with writing(console.file):
        console.print(table)


def print_records(records: Sequence[Record], dataset: Dataset, fmt: str) -> None:
    from ..formats import to_plain

    if fmt in ("json", "csv", "markdown"):
        from ..export import render

        # the app's export writes the same text; CSV and Markdown show control
        # characters, even to a pipe (`| head` ends on a terminal); JSON keeps the data
        text = render(records, fmt)
        if fmt == "json" and not is_utf8(getattr(sys.stdout, "encoding", None)):
            import json  # the same data as JSON's own \\u escapes: exact, and plain ASCII

            text = json.dumps(json.loads(text), ensure_ascii=True, indent=2) + "\n"
        write(text)
    elif fmt == "plain":
        write(to_plain(records))
    else:
        _print_table(records, dataset)


def show_record(record: Record, dataset: Dataset, fmt: str) -> None:
    """``show``: one record in full, in any format.  The only place its rows (label,
    text: :func:`..formats.record_lines`) are drawn."""
    if fmt in ("json", "csv", "markdown"):
        print_records([record], dataset, fmt)
        return
    from ..formats import record_lines

    pairs = record_lines(record, dataset)
    if fmt == "plain":
        write("".join(f"{label}\t{text}\n" for label, text in pairs))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, text in pairs:
        table.add_row(Text(as_written(label)), Text(as_written(text)))
    console = make_console()
    with writing(console.file):
        console.print(table)


def rich_marked(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    from rich.text import Text

    from ..article import marked_runs

    out = Text()
    for run, inside in marked_runs(text, spans):
        out.append(visible(run, keep_newlines=False), style=MARK_STYLE if inside else "")
    return out
