"""The rows of one kind's table, headless: what :class:`RecordTable` draws.

:class:`RowModel` decides

* which records are shown: every record, or a search's matches (kept lazily: their
  count from the result's bitmaps, their positions when first drawn, their
  :class:`Match` objects, for the highlights, a chunk of rows at a time);
* in what order (:attr:`RowModel.order`): the records' own order, the search's rank,
  a column's (``s``), or the timeline's dates under year and month headings;
* the columns there could be and their natural widths, from the header and a
  bounded, evenly spaced sample of rows (every row when there are few), measured in
  terminal cells (``rich.cells.cell_len``: a Chinese character is two cells);
* which columns are shown at a width, and how many lines each row takes (names wrap
  onto up to NAME_LINES lines a language in tables of up to WRAP_LIMIT rows);
* each row's cells (``rich.text.Text``, built from data, never markup).

The geometry (which columns fit, lines per row) is :mod:`.layout`; a search's
matches, made lazily, are :mod:`.search_rows`.  No widget here: it is tested without
starting an App (tests/test_rows.py).  Caches are ``textual.cache.LRUCache`` (the
least recently used entry goes when full).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.text import Text
from textual.cache import LRUCache

from ..model import EventRecord, FigureRecord, Kind, Record
from ..sorting import record_key
from ..ui.bars import bar_peers
from ..ui.columns import Column, cell_text, column_header, columns_for
from ..ui.dates import date_parts, day_in_group, group_label
from ..ui.text import DIM, no_spans
from ..ui.words import Lang, pick, word
from .layout import CELL_PADDING, WRAP_LIMIT, LineLayout, fit_columns, plain_cell, width_sample
from .search_rows import Hits

if TYPE_CHECKING:  # the search module is imported after the first paint
    from ..search import Match, SearchResult

GROUP_PREFIX = "group:"
CACHE_LIMIT = 4096  # built rows (cells) and Match objects kept
MATCH_CHUNK = 64  # Match objects (for highlights) are made this many rows at a time

Order = Literal["natural", "rank", "column", "timeline"]


@dataclass(frozen=True, slots=True)
class GroupHeading:
    """A timeline heading row: a year (``month`` None) or a month of a year."""

    year: int
    month: int | None
    count: int

    @property
    def key(self) -> str:
        return f"{GROUP_PREFIX}{self.year}" + (f"-{self.month:02d}" if self.month else "")


Row = Record | GroupHeading


def row_key(row: Row) -> str:
    """A row's key: a record's id, or ``group:YYYY[-MM]`` for a heading."""
    return row.key if isinstance(row, GroupHeading) else row.id


def _event_date(record: Record) -> str:
    return record.date if isinstance(record, EventRecord) else ""


def group_rows(records: Sequence[Record]) -> list[Row]:
    """The timeline: a heading for each year and for each month, with its count."""
    parts = [date_parts(r.date) if isinstance(r, EventRecord) else (0, None, None) for r in records]
    counts: dict[tuple[int, int | None], int] = {}
    for year, month, _ in parts:
        counts[(year, None)] = counts.get((year, None), 0) + 1
        if month is not None:
            counts[(year, month)] = counts.get((year, month), 0) + 1
    rows: list[Row] = []
    last_year: int | None = None
    last_month: int | None = None
    for record, (year, month, _) in zip(records, parts, strict=True):
        if year != last_year:
            rows.append(GroupHeading(year, None, counts[(year, None)]))
            last_year, last_month = year, None
        if month is not None and month != last_month:
            rows.append(GroupHeading(year, month, counts[(year, month)]))
            last_month = month
        rows.append(record)
    return rows


class RowModel:
    """One kind's rows: shown records, order, headings, columns, widths and cells."""

    def __init__(self, kind: Kind, records: Sequence[Record], lang: Lang = "both") -> None:
        self.kind: Kind = kind
        self.lang: Lang = lang
        self._all: list[Record] = list(records)
        self._all_sorted = kind != "event"  # the timeline is sorted when first built
        self._bar_peers: dict[str, list[FigureRecord]] | None = None
        self._hits: Hits | None = None  # the search shown (None: every record)
        # where each record is in the records a search result's ids point into (the
        # screen sets it, made off the event loop; else made when first needed)
        self.positions: Mapping[str, int] | None = None
        # pinyin readings of the data's characters (the screen sets them from the
        # search index): Chinese columns sort by them
        self.readings: Mapping[str, tuple[str, ...]] = {}
        self.sort: int | None = None  # index into the sortable columns; None = natural
        self.stale = True  # the rows must be built again (build())
        self.rows: Sequence[Row] = ()
        self._row_of: dict[str, int] | None = None
        self._candidates: list[tuple[Column, Lang]] = []  # the columns there could be
        self._natural: list[int] = []  # their widths before fitting to a width
        self.columns: list[tuple[Column, Lang]] = []  # the columns shown
        self.widths: list[int] = []  # their widths in cells, without padding
        self.headers: list[Text] = []
        self._cells: LRUCache[int, list[Text]] = LRUCache(CACHE_LIMIT)
        self.lines = LineLayout()
        self.generation = 0  # counts every change of the rows or their layout

    # -- what is shown -------------------------------------------------------------

    def show(self, result: SearchResult | None, records: Sequence[Record] = ()) -> None:
        """Show a search's matches (``records``: what its record ids point into), in
        their rank order, or every record when None."""
        self._hits = None if result is None else Hits(result, self.kind, records, CACHE_LIMIT)
        self.stale = True

    def set_lang(self, lang: Lang) -> None:
        """Change the language; a sort stays on the same column if the new language
        shows it, else the rows go back to their natural order."""
        sorted_by = self.sort_column()
        self.lang = lang
        self.sort = None
        if sorted_by is not None:
            for position, (column, _lang) in enumerate(self.sortable()):
                if column.key == sorted_by.key:
                    self.sort = position
                    break
        self.stale = True

    def sortable(self) -> list[tuple[Column, Lang]]:
        return [(c, lang) for c, lang in columns_for(self.kind, self.lang) if c.key != "bar"]

    def sort_column(self) -> Column | None:
        columns = self.sortable()
        if self.sort is None or self.sort >= len(columns):
            return None
        return columns[self.sort][0]

    def sort_next(self) -> str:
        """Sort by the next column (then back to the natural order); say which."""
        columns = self.sortable()
        self.sort = 0 if self.sort is None else self.sort + 1
        if self.sort >= len(columns):
            self.sort = None
        self.stale = True
        if self.sort is None:
            if self.kind == "event":
                return pick("日期（分组）", "date (grouped)", self.lang)
            return pick("原始顺序", "original order", self.lang)
        column, lang = columns[self.sort]
        return column_header(column, lang).plain

    @property
    def order(self) -> Order:
        """How the rows are ordered: the records' own order, the search's rank (row
        *i* is the *i*-th match), by a column, or the timeline under its headings."""
        if self.kind == "event" and self.sort is None:
            return "timeline"
        if self.sort is not None:
            return "column"
        return "rank" if self._hits is not None else "natural"

    @property
    def record_count(self) -> int:
        """Records shown (no heading counted); known without building the rows."""
        return len(self._hits) if self._hits is not None else len(self._all)

    @property
    def cells_built(self) -> int:
        """Rows whose cells are built (and kept)."""
        return len(self._cells)

    @property
    def matches_made(self) -> int:
        """:class:`Match` objects made (and kept) for the highlights so far."""
        return 0 if self._hits is None else self._hits.made

    # -- building the rows ----------------------------------------------------------

    def build(self, width: int) -> None:
        """Order (and group) the shown records, measure the columns and fit them to
        ``width`` cells (the scrollbar's column included)."""
        self.stale = False
        self._candidates = columns_for(self.kind, self.lang)
        records = self._ordered()
        self.rows = group_rows(records) if self.order == "timeline" else records
        self._row_of = None
        self._natural = self._measure()
        self.fit(width)

    def _ordered(self) -> Sequence[Record]:
        if not self._all_sorted:  # the whole timeline in date order, once
            self._all.sort(key=_event_date)
            self._all_sorted = True
        shown: Sequence[Record] = self._all if self._hits is None else self._hits
        if self.sort is None:
            if self.kind == "event" and self._hits is not None:
                # the timeline stays in date order (stable: ties keep the rank order)
                return sorted(shown, key=_event_date)
            return shown
        sortable = self.sortable()
        if self.sort >= len(sortable):  # the columns changed under the sort
            self.sort = None
            return self._ordered()
        column, lang = sortable[self.sort]
        field = column.en_field if lang == "en" else column.zh_field
        readings = self.readings
        return sorted(shown, key=lambda r: record_key(r, column.key, field, readings))

    def record_at(self, index: int) -> Record | None:
        """The record on a row (None: a heading, or no such row)."""
        if not 0 <= index < len(self.rows):
            return None
        row = self.rows[index]
        return None if isinstance(row, GroupHeading) else row

    def key_at(self, index: int) -> str | None:
        return row_key(self.rows[index]) if 0 <= index < len(self.rows) else None

    def row_of(self, key: str) -> int | None:
        """The row of a record id (or heading key), None if it is not shown."""
        if self._row_of is None:
            self._row_of = {row_key(row): i for i, row in enumerate(self.rows)}
        return self._row_of.get(key)

    def find_row(self, record: Record) -> int | None:
        """The row of a record, if shown.  In a search's rank order the record's
        position is looked for in the list of matched positions (a C-speed scan)
        rather than a dictionary of every row being built on each keystroke."""
        hits = self._hits
        if hits is not None and self.order == "rank":
            if self.positions is None:
                kind = self.kind
                self.positions = {r.id: rid for rid, r in enumerate(hits.records) if r.kind == kind}
            return hits.rank_of_position(self.positions.get(record.id))
        return self.row_of(record.id)

    def first_record_row(self) -> int:
        """The first row that is a record (the timeline starts with headings)."""
        return next((i for i, r in enumerate(self.rows) if isinstance(r, Record)), 0)

    # -- search highlights -------------------------------------------------------------

    def match_for(self, record_id: str, hint: int | None = None) -> Match | None:
        """The search's match of a record (None: not matched, or no search); ``hint``,
        the row it is probably on, spares a lookup in the rank order."""
        hits = self._hits
        if hits is None:
            return None
        if hint is not None and self.order == "rank" and not self.stale:
            record = self.record_at(hint)
            if record is not None and record.id == record_id:
                return hits.match_at(hint, MATCH_CHUNK)
        rank = hits.rank(record_id)
        return None if rank is None else hits.match_at(rank, MATCH_CHUNK)

    # -- cells -----------------------------------------------------------------------

    def _peers(self) -> dict[str, list[FigureRecord]]:
        if self._bar_peers is None:
            self._bar_peers = bar_peers(self._all) if self.kind == "figure" else {}
        return self._bar_peers

    def cells(self, index: int) -> list[Text]:
        """A row's cells, one per shown column, highlighted where the search matched."""
        cells = self._cells.get(index)
        if cells is None:
            row = self.rows[index]
            if isinstance(row, GroupHeading):
                cells = self._group_cells(row, self.columns)
            else:
                match = self.match_for(row.id, index)
                spans = match.spans if match is not None else no_spans
                peers = self._peers().get(row.unit, ()) if isinstance(row, FigureRecord) else ()
                timeline = self.order == "timeline"
                cells = [
                    Text(day_in_group(row.date, lang))
                    if timeline and column.key == "date" and isinstance(row, EventRecord)
                    else cell_text(row, column, lang, spans, peers)
                    for column, lang in self.columns
                ]
            self._cells.set(index, cells)
        return cells

    def _group_cells(
        self, group: GroupHeading, columns: Sequence[tuple[Column, Lang]]
    ) -> list[Text]:
        """A heading's cells: its year or month, then its count, in the name column
        (the date column stays as narrow as the days under it)."""
        cells: list[Text] = []
        for i, (column, _lang) in enumerate(columns):
            if column.key == "title" and not any(c.key == "title" for c, _ in columns[:i]):
                marker = "▼ " if group.month is None else "  ▸ "
                label_lang: Lang = "zh" if self.lang != "en" else "en"
                label = group_label(group.year, group.month, label_lang)
                cell = Text(marker + label, style="bold")
                cell.append(f"  {group.count} {word('events', self.lang)}", style=DIM)
                cells.append(cell)
            else:
                cells.append(Text(""))
        return cells

    def group_note(self, group: GroupHeading) -> str:
        """What the status says of a heading under the cursor."""
        label = group_label(group.year, group.month, self.lang)
        return f"{label} — {group.count} {word('events', self.lang)}"

    # -- columns and their widths ----------------------------------------------------

    def _measure(self) -> list[int]:
        """Widths of the columns there could be: the header, or the widest sampled cell
        up to the column's cap (a name column: its longest name, uncapped).

        Cells are measured without search highlights (those do not change a width),
        most of them straight from the record's field, so measuring costs a few
        microseconds a cell and builds nothing that has to be kept."""
        sample = width_sample(len(self.rows))
        columns = self._candidates
        widest = [0] * len(columns)
        for index in sample:
            row = self.rows[index]
            for i in range(len(columns)):
                length = self._cell_width(row, i)
                if length > widest[i]:
                    widest[i] = length
        return [
            max(
                cell_len(column_header(column, lang).plain),
                widest[i] if column.key == "title" else min(widest[i], column.cap),
            )
            for i, (column, lang) in enumerate(columns)
        ]

    def _cell_width(self, row: Row, i: int) -> int:
        column, lang = self._candidates[i]
        if isinstance(row, GroupHeading):
            return cell_len(self._group_cells(row, self._candidates)[i].plain)
        if column.key == "date" and isinstance(row, EventRecord) and self.order == "timeline":
            return cell_len(day_in_group(row.date, lang))
        if column.key in ("bar", "value", "date"):
            peers = self._peers().get(row.unit, ()) if isinstance(row, FigureRecord) else ()
            return cell_len(cell_text(row, column, lang, no_spans, peers).plain)
        return cell_len(plain_cell(row, column, lang))

    def fit(self, width: int) -> None:
        """Choose the columns and their widths for ``width`` cells (the scrollbar's
        column included): see :func:`~bishan_tui.widgets.layout.fit_columns`."""
        columns, widths = fit_columns(self._candidates, self._natural, width)
        self.set_layout(columns, widths, wrap=len(self.rows) <= WRAP_LIMIT)

    def set_layout(
        self, columns: list[tuple[Column, Lang]], widths: list[int], *, wrap: bool
    ) -> None:
        """Show ``columns`` at ``widths``; with ``wrap``, names wrap onto more lines
        (else rows are one line a language, names cut)."""
        self.columns, self.widths = columns, widths
        self.headers = self._make_headers()
        self._cells.clear()
        records = (None if isinstance(row, GroupHeading) else row for row in self.rows)
        self.lines.lay_out(records, columns, widths, wrap)
        self.generation += 1

    @property
    def total_width(self) -> int:
        """Cells the shown columns take, padding included."""
        return sum(w + 2 * CELL_PADDING for w in self.widths)

    def _make_headers(self) -> list[Text]:
        sortable = self.sortable()
        sorted_by = sortable[self.sort] if self.sort is not None else None
        headers = []
        for (column, lang), width in zip(self.columns, self.widths, strict=True):
            header = column_header(column, lang)
            if lang == "both" and header.cell_len > width:  # "名称 Name" where it fits
                header = column_header(column, "zh")
            if sorted_by is not None and sorted_by[0] == column and lang in (sorted_by[1], "both"):
                header.append(" ▾", style="bold")
            headers.append(header)
        return headers

    # -- lines -----------------------------------------------------------------------

    def line_count(self) -> int:
        """Lines the rows take (the header not counted)."""
        return self.lines.line_count(len(self.rows))

    def row_top(self, index: int) -> int:
        """The first line of a row (its end: ``row_top(index + 1)``)."""
        return self.lines.row_top(index)

    def row_at_line(self, line: int) -> tuple[int, int]:
        """The row drawn on a line, and which of its lines that is."""
        return self.lines.row_at_line(line)

    def cell_lines(self, index: int) -> list[list[Text]]:
        """A row's lines, each a list of cells: names wrapped, other cells one line."""
        height = self.row_top(index + 1) - self.row_top(index)
        heading = isinstance(self.rows[index], GroupHeading)
        return self.lines.cell_lines(self.cells(index), self.columns, self.widths, height, heading)
