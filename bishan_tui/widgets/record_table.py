"""The table of one kind of record: a virtual table that renders only the rows on screen.

The rest of the app speaks to this class only through its own methods
(:meth:`show`, :meth:`set_lang`, :meth:`sort_next`, :meth:`move_to`,
:attr:`current_record`) and its own messages (:class:`RecordTable.Highlighted`,
:class:`RecordTable.Chosen`).

Built on Textual's Line API (``ScrollView`` + ``render_line``) instead of ``DataTable``:
a DataTable renders and measures every cell of every row (about 1.2 s per 5,000 rows
here, over 11 s to first paint at 100,000), while this table

* keeps the rows as the records themselves (plus the timeline's year/month headings)
  and builds a row's cells only when the row is drawn (or sampled for widths);
* fixes the column widths from the header and a bounded, evenly spaced sample of rows
  (every row when there are few), capped per column, measured in terminal cells
  (``rich.cells.cell_len``: a Chinese character is two cells);
* crops every cell to its width by cells, never by characters, so a wide character is
  never split (a half-width gap is padded with a space) and every row's columns start
  at the same cell offset;
* does nothing for a table that is not on screen until it is looked at (a search
  updates six tables per keystroke; five of them are hidden).

A few read-only names of DataTable (``row_count``, ``cursor_row``, ``get_row_at``,
``ordered_rows``, ``columns``) are kept so code and tests written against the
DataTable-based table keep working.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, overload

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model import EventRecord, FigureRecord, Kind, Record
from ..sorting import record_key
from ..ui_text import (
    DIM,
    Column,
    Lang,
    cell_text,
    column_header,
    columns_for,
    data_text,
    date_parts,
    day_in_group,
    group_label,
    no_spans,
    pick,
    word,
    wrap_text,
    wrapped_height,
)

if TYPE_CHECKING:  # the search module is imported after the first paint
    from ..search import Match, SearchResult

GROUP_PREFIX = "group:"
CELL_PADDING = 1  # blank cells either side of a cell, as DataTable draws them
WIDTH_SAMPLE = 240  # rows measured for the column widths (every row when fewer)
FIRST_ROWS = 60  # ... always including the first rows, the ones seen first
CACHE_LIMIT = 4096  # built rows (cells) kept; the cache is dropped when it grows past
MATCH_CHUNK = 64  # Match objects (for highlights) are made this many rows at a time
# Names wrap onto as many lines as they need (up to NAME_LINES a language) in tables of
# up to WRAP_LIMIT rows; a bigger table has rows of one line a language, names cut.
WRAP_LIMIT = 5_000
NAME_LINES = 3
# A kind's own columns (category, status …) are shown only when the name column keeps
# the width of its longest name, or NAME_ROOM cells when names are longer than that.
NAME_ROOM = 60
NAME_MIN = 12  # narrower than this, the table scrolls sideways instead


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


@dataclass(frozen=True, slots=True)
class RowKey:
    """A row's key (a record's id, or ``group:YYYY[-MM]``), as DataTable names it."""

    value: str


@dataclass(frozen=True, slots=True)
class RowRef:
    key: RowKey


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """A shown column: its key, header and width in cells (without padding)."""

    key: str
    label: Text
    width: int


class _OrderedRows(Sequence[RowRef]):
    """The rows in display order, as ``RowRef``s, without building a list of them."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> RowRef: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RowRef]: ...
    def __getitem__(self, index: int | slice) -> RowRef | Sequence[RowRef]:
        if isinstance(index, slice):
            return [RowRef(RowKey(_row_key(row))) for row in self._rows[index]]
        return RowRef(RowKey(_row_key(self._rows[index])))

    def __iter__(self) -> Iterator[RowRef]:
        for row in self._rows:
            yield RowRef(RowKey(_row_key(row)))


class _Hits(Sequence[Record]):
    """The records of one kind that a search matched, in rank order, without building
    a list of them: the count comes from the result's bitmaps, the positions
    (``record_ids``) only when a row is first asked for."""

    def __init__(self, result: SearchResult, kind: Kind, records: Sequence[Record]) -> None:
        self._result = result
        self._kind: Kind = kind
        self._records = records
        self._size = result.counts.get(kind, 0)
        self._ids: list[int] | None = None

    @property
    def ids(self) -> list[int]:
        if self._ids is None:
            self._ids = self._result.record_ids(self._kind)
        return self._ids

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        records = self._records
        if isinstance(index, slice):
            return [records[rid] for rid in self.ids[index]]
        return records[self.ids[index]]

    def __iter__(self) -> Iterator[Record]:
        records = self._records
        for rid in self.ids:
            yield records[rid]


def _row_key(row: Row) -> str:
    return row.key if isinstance(row, GroupHeading) else row.id


def _bar_peers(records: Sequence[Record]) -> dict[str, list[FigureRecord]]:
    """For each unit, the figures a comparison bar needs: the largest of the unit and one
    other (a bar is drawn only when a unit has two figures, scaled to its largest).
    ``cell_text`` then looks at two figures per bar instead of every figure."""
    peers: dict[str, list[FigureRecord]] = {}
    for record in records:
        if not isinstance(record, FigureRecord):
            continue
        kept = peers.setdefault(record.unit, [])
        if not kept:
            kept.append(record)
        elif abs(float(record.value)) > abs(float(kept[0].value)):
            kept.insert(0, record)
            del kept[2:]
        elif len(kept) < 2:
            kept.append(record)
    return peers


def crop_cell(cell: Text, width: int) -> Text:
    """``cell`` cut or padded to exactly ``width`` cells (an ellipsis where cut); a wide
    character that would straddle the edge is replaced by a space, never split."""
    out = cell.copy()
    out.truncate(width, overflow="ellipsis", pad=True)
    if cell_len(out.plain) < width:  # truncate pads only what it did not cut
        out.pad_right(width - cell_len(out.plain))
    return out


class RecordTable(ScrollView, can_focus=True):
    """Records of one kind, one per row; the timeline grouped under years and months."""

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        /* the scrollbar's column is kept even when there is nothing to scroll: a
           search that makes it appear or go would change the width, lay the columns
           out again and redraw the table twice (a second ~3 KB frame over SSH) */
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .datatable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--odd-row {
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--header",
        "datatable--odd-row",
        "datatable--even-row",
        "datatable--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("left", "scroll_sideways(-1)", "Left", show=False),
        Binding("right", "scroll_sideways(1)", "Right", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on a record (or on a group heading, ``record`` None)."""

        def __init__(self, table: RecordTable, record: Record | None, note: str = "") -> None:
            super().__init__()
            self.table = table
            self.record = record
            self.note = note

    class Chosen(Message):
        """Enter (or a click on the highlighted row) on a record."""

        def __init__(self, table: RecordTable, record: Record) -> None:
            super().__init__()
            self.table = table
            self.record = record

    def __init__(
        self,
        kind: Kind,
        records: Sequence[Record],
        *,
        lang: Lang = "both",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.kind = kind
        self._all: list[Record] = list(records)
        self._all_sorted = kind != "event"  # the timeline is sorted when first drawn
        self._bar_peers: dict[str, list[FigureRecord]] | None = None
        self._shown: Sequence[Record] = self._all
        self._match_list: Sequence[Match] = ()
        self._matches: dict[str, Match] | None = {}
        # a search result shown lazily (show(SearchResult)): Match objects by rank,
        # made a chunk of rows at a time, and where a record is in the rank order
        self._hits: _Hits | None = None
        self._hit_matches: dict[int, Match] = {}
        self._rank_of: dict[str, int] | None = None
        self._rid_of: Mapping[str, int] | None = None  # record id -> position in records
        # the same for every record, when the screen has it (made off the event loop)
        self.positions: Mapping[str, int] | None = None
        # pinyin readings of the data's characters (the screen sets them from the
        # search index): Chinese columns sort by them
        self.readings: Mapping[str, tuple[str, ...]] = {}
        self._lang: Lang = lang
        self._sort: int | None = None  # index into the sortable columns; None = natural
        # what is drawn (built by _populate, only when the table is looked at)
        self._dirty = True
        self._keep = False
        self._rows: Sequence[Row] = ()
        self._row_of: dict[str, int] | None = None
        self._candidates: list[tuple[Column, Lang]] = []  # the columns there could be
        self._natural: list[int] = []  # their widths before fitting to the table's width
        self._columns: list[tuple[Column, Lang]] = []  # the columns shown
        self._headers: list[Text] = []
        self._widths: list[int] = []
        self._cells: dict[int, list[Text]] = {}
        self._strips: dict[tuple[int, int, bool], Strip] = {}
        # line layout: row i takes the lines _tops[i] .. _tops[i + 1] - 1 (None: every
        # row takes _row_lines lines)
        self._tops: list[int] | None = None
        self._row_lines = 1
        self._heights: dict[str, int] = {}  # row key -> lines, for the current layout
        self._layout_key: tuple[object, ...] = ()
        self._fitted_width = -1  # the widget width the columns were chosen for
        self._styles: dict[str, Style] = {}
        self.cursor_row = 0

    def _peers(self) -> dict[str, list[FigureRecord]]:
        if self._bar_peers is None:
            self._bar_peers = _bar_peers(self._all) if self.kind == "figure" else {}
        return self._bar_peers

    # -- queries ----------------------------------------------------------------

    @property
    def record_count(self) -> int:
        return len(self._shown)

    @property
    def row_count(self) -> int:
        """Rows shown, timeline headings included."""
        self._ensure()
        return len(self._rows)

    @property
    def current_record(self) -> Record | None:
        self._ensure()
        if not 0 <= self.cursor_row < len(self._rows):
            return None
        row = self._rows[self.cursor_row]
        return None if isinstance(row, GroupHeading) else row

    def has(self, record_id: str) -> bool:
        self._ensure()
        return record_id in self._row_index()

    def row_of(self, record_id: str) -> int | None:
        """The row a record is drawn on, None if it is not shown."""
        self._ensure()
        return self._row_index().get(record_id)

    def match_for(self, record_id: str) -> Match | None:
        hits = self._hits
        if hits is not None:
            rank = self._rank(record_id)
            return None if rank is None else self._match_at(rank)
        if self._matches is None:
            self._matches = {m.record.id: m for m in self._match_list}
        return self._matches.get(record_id)

    def _rank_order(self) -> bool:
        """Whether row *i* is the *i*-th match (a search result, neither sorted nor
        grouped by date)."""
        return self._hits is not None and self._sort is None and self.kind != "event"

    def _rank(self, record_id: str) -> int | None:
        """A record's place in the search's rank order (None: not matched)."""
        hits = self._hits
        if hits is None:
            return None
        if self._rank_order() and not self._dirty:
            row = self.cursor_row  # the detail asks for the highlighted row's match
            if 0 <= row < len(self._rows):
                record = self._rows[row]
                if isinstance(record, Record) and record.id == record_id:
                    return row
        if self._rank_of is None:
            records = hits._records
            self._rank_of = {records[rid].id: rank for rank, rid in enumerate(hits.ids)}
        return self._rank_of.get(record_id)

    def _match_at(self, rank: int) -> Match | None:
        """The ``rank``-th match, made with its chunk of neighbours when first needed."""
        hits = self._hits
        if hits is None or not 0 <= rank < len(hits):
            return None
        match = self._hit_matches.get(rank)
        if match is None:
            if len(self._hit_matches) >= CACHE_LIMIT:
                self._hit_matches = {}
            start = rank - rank % MATCH_CHUNK
            found = hits._result.matches(self.kind, start, start + MATCH_CHUNK)
            for offset, made in enumerate(found):
                self._hit_matches[start + offset] = made
            match = self._hit_matches.get(rank)
        return match

    def get_row_at(self, index: int) -> list[Text]:
        """The cells of a shown row (as DataTable's method of that name)."""
        self._ensure()
        if not 0 <= index < len(self._rows):
            raise IndexError(index)
        return self._row_cells(index)

    @property
    def ordered_rows(self) -> Sequence[RowRef]:
        self._ensure()
        return _OrderedRows(self._rows)

    @property
    def columns(self) -> dict[str, ColumnInfo]:
        self._ensure()
        return {
            f"c{i}": ColumnInfo(f"c{i}", header, width)
            for i, (header, width) in enumerate(zip(self._headers, self._widths, strict=True))
        }

    # -- commands ---------------------------------------------------------------

    def show(
        self,
        matches: Sequence[Match] | SearchResult | None,
        records: Sequence[Record] = (),
    ) -> None:
        """Show only the matches (in their rank order), or every record when None.

        A :class:`~bishan_tui.search.SearchResult` (with ``records``, the sequence its
        record ids point into) is shown lazily: its count now, the positions of this
        kind's matches when the table is drawn, and :class:`Match` objects (for the
        highlights) only for the rows drawn."""
        self._hits = None
        self._hit_matches = {}
        self._rank_of = None
        if matches is None:
            self._shown = self._all
            self._match_list = ()
            self._matches = {}
        elif not isinstance(matches, Sequence):  # a SearchResult
            self._hits = _Hits(matches, self.kind, records)
            self._shown = self._hits
            self._match_list = ()
            self._matches = {}
        else:
            self._shown = [m.record for m in matches]
            self._match_list = matches
            self._matches = None  # built when first asked for
        self._invalidate()

    def set_lang(self, lang: Lang) -> None:
        """Change the language; a sort stays on the same column if the new language
        shows it, else the table goes back to its natural order."""
        sorted_by = self._sort_column()
        self._lang = lang
        self._sort = None
        if sorted_by is not None:
            for position, (column, _lang) in enumerate(self._sortable()):
                if column.key == sorted_by.key:
                    self._sort = position
                    break
        self._invalidate()

    def _sort_column(self) -> Column | None:
        columns = self._sortable()
        if self._sort is None or self._sort >= len(columns):
            return None
        return columns[self._sort][0]

    def sort_next(self) -> str:
        """Sort by the next column (then back to the natural order); say which."""
        columns = self._sortable()
        self._sort = 0 if self._sort is None else self._sort + 1
        if self._sort >= len(columns):
            self._sort = None
        self._invalidate()
        if self._sort is None:
            natural = (
                pick("日期（分组）", "date (grouped)", self._lang)
                if self.kind == "event"
                else pick("原始顺序", "original order", self._lang)
            )
            return natural
        column, lang = columns[self._sort]
        return column_header(column, lang).plain

    def move_to(self, record_id: str) -> bool:
        """Put the cursor on a record's row; False if the record is not shown."""
        self._ensure()
        row = self._row_index().get(record_id)
        if row is None:
            return False
        self.move_cursor(row)
        return True

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on a row (clamped to the rows there are)."""
        self._ensure()
        row = max(0, min(row, len(self._rows) - 1))
        if row != self.cursor_row:
            old = self.cursor_row
            self.cursor_row = row
            self._refresh_row(old)
            self._refresh_row(row)
            self._post_highlighted()
        if scroll:
            self._scroll_to_cursor()

    # -- building rows ----------------------------------------------------------

    def _invalidate(self) -> None:
        """The rows must be rebuilt; now if the table is on screen, else when looked at."""
        if not self._dirty:
            self._keep = True
        self._dirty = True
        if self.is_mounted and self.display and self.parent is not None and self.parent.display:
            self._ensure()

    def _ensure(self) -> None:
        if self._dirty:
            self._dirty = False
            self._populate(keep=self._keep)
            self._keep = True

    def _sortable(self) -> list[tuple[Column, Lang]]:
        return [(c, lang) for c, lang in columns_for(self.kind, self._lang) if c.key != "bar"]

    def _ordered(self) -> Sequence[Record]:
        if not self._all_sorted:  # the whole timeline in date order, once
            self._all.sort(key=lambda r: r.date if isinstance(r, EventRecord) else "")
            self._all_sorted = True
        if self._sort is None:
            if self.kind == "event" and self._shown is not self._all:
                # the timeline stays in date order (stable: ties keep the rank order)
                return sorted(
                    self._shown, key=lambda r: r.date if isinstance(r, EventRecord) else ""
                )
            return self._shown
        sortable = self._sortable()
        if self._sort >= len(sortable):  # the columns changed under the sort
            self._sort = None
            return self._ordered()
        column, lang = sortable[self._sort]
        field = column.en_field if lang == "en" else column.zh_field
        readings = self.readings
        return sorted(self._shown, key=lambda r: record_key(r, column.key, field, readings))

    def _grouped(self, records: Sequence[Record]) -> list[Row]:
        """The timeline: a heading for each year and for each month, with its count."""
        parts = [
            date_parts(r.date) if isinstance(r, EventRecord) else (0, None, None) for r in records
        ]
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

    def _populate(self, keep: bool = False) -> None:
        current = self._record_under_cursor() if keep else None
        old_key = self._key_at(self.cursor_row) if keep else None
        cursor_row = self.cursor_row
        self._candidates = columns_for(self.kind, self._lang)
        records = self._ordered()
        grouped = self.kind == "event" and self._sort is None
        self._rows = self._grouped(records) if grouped else records
        self._row_of = None
        self._cells = {}
        self._strips = {}

        self._natural = self._measure()
        self._fit()

        row = 0
        found_at = self._find_row(current) if current is not None else None
        found = found_at is not None
        if found_at is not None:
            row = found_at
        elif self._rows:
            row = min(cursor_row, len(self._rows) - 1) if keep else 0
            if grouped and not keep:
                row = next((i for i, r in enumerate(self._rows) if isinstance(r, Record)), 0)
        self.cursor_row = row
        self.refresh()
        if self.is_mounted:
            self._scroll_to_cursor()
        if not keep or self._key_at(row) != old_key or not found:
            self._post_highlighted()

    def _find_row(self, record: Record) -> int | None:
        """The row of a record, if shown.  In a search's rank order the record's
        position is looked for in the list of matched positions (a C-speed scan)
        rather than a dictionary of every row being built on each keystroke."""
        hits = self._hits
        if hits is not None and self._rank_order():
            if self._rid_of is None and self.positions is not None:
                self._rid_of = self.positions
            if self._rid_of is None:
                kind = self.kind
                self._rid_of = {
                    r.id: rid for rid, r in enumerate(hits._records) if r.kind == kind
                }
            rid = self._rid_of.get(record.id)
            if rid is None:
                return None
            try:
                return hits.ids.index(rid)
            except ValueError:
                return None
        return self._row_index().get(record.id)

    def _record_under_cursor(self) -> Record | None:
        """The record under the cursor in the rows as they are (not rebuilt)."""
        if not 0 <= self.cursor_row < len(self._rows):
            return None
        row = self._rows[self.cursor_row]
        return None if isinstance(row, GroupHeading) else row

    def _key_at(self, index: int) -> str | None:
        if not 0 <= index < len(self._rows):
            return None
        return _row_key(self._rows[index])

    def _row_index(self) -> dict[str, int]:
        if self._row_of is None:
            self._row_of = {_row_key(row): i for i, row in enumerate(self._rows)}
        return self._row_of

    def _row_cells(self, index: int) -> list[Text]:
        cells = self._cells.get(index)
        if cells is None:
            if len(self._cells) >= CACHE_LIMIT:
                self._cells = {}
            row = self._rows[index]
            if isinstance(row, GroupHeading):
                cells = self._group_cells(row, self._columns)
            else:
                if self._hits is not None:
                    rank = index if self._rank_order() else self._rank(row.id)
                    match = None if rank is None else self._match_at(rank)
                else:
                    match = self.match_for(row.id) if self._match_list else None
                spans = match.spans if match is not None else no_spans
                peers = self._peers().get(row.unit, ()) if isinstance(row, FigureRecord) else ()
                grouped = self._grouped_dates()
                cells = [
                    Text(day_in_group(row.date, lang))
                    if grouped and column.key == "date" and isinstance(row, EventRecord)
                    else cell_text(row, column, lang, spans, peers)
                    for column, lang in self._columns
                ]
            self._cells[index] = cells
        return cells

    def _grouped_dates(self) -> bool:
        """Whether the timeline is grouped under year and month headings (its dates
        then show only the day: the headings say the year and month)."""
        return self.kind == "event" and self._sort is None

    def _measure(self) -> list[int]:
        """Widths of the columns there could be: the header, or the widest sampled cell
        up to the column's cap (a name column: its longest name, uncapped).

        Cells are measured without search highlights (those do not change a width),
        most of them straight from the record's field, so measuring costs a few
        microseconds a cell and builds nothing that has to be kept."""
        n = len(self._rows)
        if n <= WIDTH_SAMPLE + FIRST_ROWS:
            sample: Sequence[int] = range(n)
        else:
            step = n / WIDTH_SAMPLE
            sample = sorted(set(range(FIRST_ROWS)) | {int(i * step) for i in range(WIDTH_SAMPLE)})
        columns = self._candidates
        widest = [0] * len(columns)
        for index in sample:
            row = self._rows[index]
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
        if column.key == "date" and isinstance(row, EventRecord) and self._grouped_dates():
            return cell_len(day_in_group(row.date, lang))
        if column.key in ("bar", "value", "date"):
            peers = self._peers().get(row.unit, ()) if isinstance(row, FigureRecord) else ()
            return cell_len(cell_text(row, column, lang, no_spans, peers).plain)
        return cell_len(self._plain(row, column, lang))

    @staticmethod
    def _plain(row: Record, column: Column, lang: Lang) -> str:
        """A text cell's words as drawn (control characters made visible)."""
        value = getattr(row, column.en_field if lang == "en" else column.zh_field, "")
        if not value and lang == "en":
            value = getattr(row, column.zh_field, "")
        if not isinstance(value, str):
            return ""
        if not value.isprintable():
            value = data_text(value, single_line=True).plain
        return value

    def _fit(self) -> None:
        """Choose the columns and their widths for the table's width.

        The name comes first: in both languages, the Chinese and English names side by
        side when both fit whole, else one column with the Chinese over the English.
        A kind's own columns (category, status …) are added, in order, only while the
        name column keeps the width of its longest name (NAME_ROOM at most).  Names
        wrap onto more lines rather than being cut; what cannot fit at all (a very
        narrow terminal) scrolls sideways."""
        width = self.size.width or (self.app.size.width if self.is_attached else 80)
        self._fitted_width = self.size.width
        available = width - 1  # the scrollbar's column (kept even when not scrolling)
        pad = 2 * CELL_PADDING
        candidates, natural = self._candidates, self._natural
        titles = [i for i, (c, _) in enumerate(candidates) if c.key == "title"]
        essential = [
            i for i, (c, _) in enumerate(candidates) if c.key != "title" and not c.optional
        ]
        optional = [i for i, (c, _) in enumerate(candidates) if c.optional]
        room = available - sum(natural[i] + pad for i in essential)
        name_columns: list[tuple[Column, Lang]]
        if len(titles) == 2 and sum(natural[i] + pad for i in titles) <= room:
            name_columns = [candidates[i] for i in titles]  # side by side, whole
            name_natural = [natural[i] for i in titles]
        else:
            title = candidates[titles[0]][0]
            name_columns = [(title, "both" if len(titles) == 2 else candidates[titles[0]][1])]
            name_natural = [max(natural[i] for i in titles)]
        name_need = sum(min(w, NAME_ROOM) + pad for w in name_natural)
        shown = set(essential)
        for i in optional:
            if name_need + natural[i] + pad <= room:
                shown.add(i)
                room -= natural[i] + pad
        columns: list[tuple[Column, Lang]] = []
        widths: list[int] = []
        for i, candidate in enumerate(candidates):
            if i == titles[0]:
                columns += name_columns
                widths += name_natural
            elif i in shown:
                columns.append(candidate)
                widths.append(natural[i])
        if len(name_columns) == 1:
            name = columns.index(name_columns[0])
            rest = sum(w + pad for j, w in enumerate(widths) if j != name)
            widths[name] = max(NAME_MIN, min(widths[name], available - rest - pad))
        self._columns, self._widths = columns, widths
        self._headers = self._make_headers()
        self._cells = {}
        self._strips = {}
        self._lay_out_lines()
        total = sum(w + pad for w in widths)
        self._set_virtual_size(Size(total, self._line_count() + 1))

    def _set_virtual_size(self, size: Size) -> None:
        """``virtual_size`` is a layout reactive: each change (every search changes the
        number of rows) lays the whole screen out again, one more full frame over SSH
        (~3 KB).  A table of fixed height needs no new layout: only its scrollbar and
        its own lines are updated.  A table as high as its rows (height: auto) does."""
        if size == self.virtual_size:
            return
        height = self.styles.height
        if not self.is_mounted or height is None or height.is_auto:
            self.virtual_size = size
            return
        self.set_reactive(RecordTable.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _make_headers(self) -> list[Text]:
        sortable = self._sortable()
        sorted_by = sortable[self._sort] if self._sort is not None else None
        headers = []
        for (column, lang), width in zip(self._columns, self._widths, strict=True):
            header = column_header(column, lang)
            if lang == "both" and header.cell_len > width:  # "名称 Name" where it fits
                header = column_header(column, "zh")
            if sorted_by is not None and sorted_by[0] == column and lang in (sorted_by[1], "both"):
                header.append(" ▾", style="bold")
            headers.append(header)
        return headers

    # -- rows of more than one line ---------------------------------------------

    def _lay_out_lines(self) -> None:
        """How many lines each row takes: a name wraps to its column's width (in both
        languages: the Chinese lines, then the English ones)."""
        stacked = any(lang == "both" for _, lang in self._columns)
        self._row_lines = 2 if stacked else 1
        if len(self._rows) > WRAP_LIMIT:
            self._tops = None  # one line a language: names cut, but no per-row work
            return
        key = (tuple(self._columns), tuple(self._widths))
        if key != self._layout_key:
            self._layout_key = key
            self._heights = {}
        heights = self._heights
        measure = self._height
        tops = [0]
        total = 0
        for row in self._rows:
            if isinstance(row, GroupHeading):
                total += 1
            else:
                height = heights.get(row.id)
                if height is None:
                    height = heights[row.id] = measure(row)
                total += height
            tops.append(total)
        self._tops = tops

    def _height(self, record: Record) -> int:
        height = 1
        for (column, lang), width in zip(self._columns, self._widths, strict=True):
            if column.key == "value" and isinstance(record, FigureRecord):
                # a figure's value wraps, never cut: the article's number is the fact
                value = cell_text(record, column, lang, no_spans).plain
                height = max(height, wrapped_height(value, width))
                continue
            if column.key != "title":
                continue
            if lang == "both":
                zh, en = self._plain(record, column, "zh"), self._plain(record, column, "en")
                lines = min(NAME_LINES, wrapped_height(zh, width))
                if en and en != zh:
                    lines += min(NAME_LINES, wrapped_height(en, width))
            else:
                lines = min(NAME_LINES, wrapped_height(self._plain(record, column, lang), width))
            height = max(height, lines)
        return height

    def _line_count(self) -> int:
        if self._tops is None:
            return len(self._rows) * self._row_lines
        return self._tops[-1]

    def _row_top(self, index: int) -> int:
        """The first line of a row (its end: ``_row_top(index + 1)``)."""
        if self._tops is None:
            return index * self._row_lines
        return self._tops[max(0, min(index, len(self._tops) - 1))]

    def _row_at_line(self, line: int) -> tuple[int, int]:
        """The row drawn on a line, and which of its lines that is."""
        if self._tops is None:
            return divmod(line, self._row_lines)
        index = bisect_right(self._tops, line) - 1
        return index, line - self._tops[max(index, 0)]

    def _cell_lines(self, index: int) -> list[list[Text]]:
        """A row's lines, each a list of cells: names wrapped, other cells one line."""
        cells = self._row_cells(index)
        height = self._row_top(index + 1) - self._row_top(index)
        columns: list[list[Text]] = []
        for cell, (column, lang), width in zip(cells, self._columns, self._widths, strict=True):
            if column.key == "value" and self._tops is not None:
                columns.append(wrap_text(cell, width))  # wrapped whole, as _height counts
            elif column.key != "title" or isinstance(self._rows[index], GroupHeading):
                columns.append([cell])
            elif self._tops is None:  # one line a language, cut
                columns.append(list(cell.split("\n")))
            elif lang == "both":
                parts = cell.split("\n")
                lines: list[Text] = []
                for part in parts:
                    lines += wrap_text(part, width, NAME_LINES)
                columns.append(lines)
            else:
                columns.append(wrap_text(cell, width, NAME_LINES))
        blank = Text("")
        return [
            [lines[sub] if sub < len(lines) else blank for lines in columns]
            for sub in range(height)
        ]

    def _group_cells(
        self, group: GroupHeading, columns: Sequence[tuple[Column, Lang]]
    ) -> list[Text]:
        """A heading's cells: its year or month, then its count, in the name column
        (the date column stays as narrow as the days under it)."""
        cells: list[Text] = []
        for i, (column, _lang) in enumerate(columns):
            if column.key == "title" and not any(c.key == "title" for c, _ in columns[:i]):
                marker = "▼ " if group.month is None else "  ▸ "
                label_lang: Lang = "zh" if self._lang != "en" else "en"
                label = group_label(group.year, group.month, label_lang)
                cell = Text(marker + label, style="bold")
                cell.append(f"  {group.count} {word('events', self._lang)}", style=DIM)
                cells.append(cell)
            else:
                cells.append(Text(""))
        return cells

    def _group_note(self, group: GroupHeading) -> str:
        label_lang: Lang = "zh" if self._lang == "zh" else "en" if self._lang == "en" else "both"
        label = group_label(group.year, group.month, label_lang)
        return f"{label} — {group.count} {word('events', self._lang)}"

    # -- drawing ----------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_styles(name).rich_style
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._strips = {}

    def _line(self, cells: Sequence[Text], style: Style, width: int) -> Strip:
        """One table line: each cell cropped to its column, padded; the rest of the
        widget's width filled in the line's style."""
        line = Text(no_wrap=True, end="")
        pad = " " * CELL_PADDING
        for cell, column_width in zip(cells, self._widths, strict=True):
            line.append(pad)
            line.append_text(crop_cell(cell, column_width))
            line.append(pad)
        total = line.cell_len
        if total < width:
            line.append(" " * (width - total))
        # Text.render leaves out the text's own style when it has no spans: apply the
        # line's style underneath every segment here instead.
        segments = list(line.render(self.app.console))
        return Strip(segments, max(total, width)).apply_style(style)

    def _row_strip(self, index: int, sub: int, width: int) -> Strip:
        cursor = index == self.cursor_row
        key = (index, sub, cursor)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= CACHE_LIMIT:
                self._strips = {}
            style = self.rich_style + self._style(
                "datatable--odd-row" if index % 2 else "datatable--even-row"
            )
            if cursor:
                style += self._style("datatable--cursor")
            for line, cells in enumerate(self._cell_lines(index)):
                self._strips[(index, line, cursor)] = self._line(cells, style, width)
            strip = self._strips.get(key) or Strip.blank(width, style)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if self._dirty:  # not populated yet: draw nothing rather than build in a render
            return Strip.blank(width, base)
        if y == 0:
            header_style = base + self._style("datatable--header")
            strip = self._line(self._headers, header_style, width)
        else:
            index, sub = self._row_at_line(scroll_y + y - 1)
            if not 0 <= index < len(self._rows):
                return Strip.blank(width, base)
            strip = self._row_strip(index, sub, width)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _refresh_row(self, index: int) -> None:
        top, bottom = self._row_top(index), self._row_top(index + 1)
        for sub in range(bottom - top):
            self._strips.pop((index, sub, True), None)
            self._strips.pop((index, sub, False), None)
        first = max(1, top - self.scroll_offset.y + 1)
        last = min(self.size.height, bottom - self.scroll_offset.y + 1)
        if first < last:
            self.refresh(Region(0, first, self.size.width, last - first))

    def _page_height(self) -> int:
        """Lines visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        if self.scrollable_content_region.height < 2:
            return  # not laid out yet (a hidden tab): on_resize scrolls once it is
        page = self._page_height()
        top = self.scroll_offset.y
        first, end = self._row_top(self.cursor_row), self._row_top(self.cursor_row + 1)
        if first < top or end - first > page:
            self.scroll_to(y=first, animate=False, force=True)
        elif end > top + page:
            self.scroll_to(y=end - page, animate=False, force=True)

    def content_lines(self) -> int:
        """Lines the table needs to show every row, its header included."""
        self._ensure()
        return self._line_count() + 1

    # -- events and actions -----------------------------------------------------

    def _post_highlighted(self) -> None:
        if not self._rows:
            self.post_message(self.Highlighted(self, None))
            return
        row = self._rows[self.cursor_row]
        if isinstance(row, GroupHeading):
            self.post_message(self.Highlighted(self, None, self._group_note(row)))
        else:
            self.post_message(self.Highlighted(self, row))

    def on_show(self) -> None:
        self._ensure()

    def on_resize(self) -> None:
        """A new width lays the columns out again.  (A Resize also comes when only the
        virtual size changed, after every search: nothing to redo or redraw then —
        that second full repaint cost ~3 KB a keystroke over SSH.)"""
        self._ensure()
        if self.size.width != self._fitted_width:
            self._fit()
            self.refresh()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self._strips = {}
        self._styles = {}

    def on_blur(self) -> None:
        self._strips = {}
        self._styles = {}

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index, _sub = self._row_at_line(self.scroll_offset.y + offset.y - 1)
        if not 0 <= index < self.row_count:
            return
        event.stop()
        again = index == self.cursor_row
        self.move_cursor(index)
        if again:
            self.action_select_cursor()

    def action_select_cursor(self) -> None:
        record = self.current_record
        if record is not None:
            self.post_message(self.Chosen(self, record))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, force=True)
        row, _sub = self._row_at_line(max(0, self._row_top(self.cursor_row) - page))
        self.move_cursor(min(row, self.cursor_row - 1))

    def action_page_down(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        row, _sub = self._row_at_line(self._row_top(self.cursor_row) + page)
        self.move_cursor(max(row, self.cursor_row + 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_scroll_sideways(self, direction: int) -> None:
        step = max(4, self.size.width // 4)
        self.scroll_to(x=self.scroll_offset.x + direction * step, animate=False, force=True)
