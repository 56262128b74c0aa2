"""The table of one kind of record.

The rest of the app speaks to this class only through its own methods
(:meth:`show`, :meth:`set_lang`, :meth:`sort_next`, :meth:`move_to`,
:attr:`current_record`) and its own messages (:class:`RecordTable.Highlighted`,
:class:`RecordTable.Chosen`), so the DataTable underneath can later be replaced by a
virtual (Line API) table for large datasets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from ..model import EventRecord, FigureRecord, Kind, Record
from ..search import Match
from ..ui_text import (
    DIM,
    Column,
    Lang,
    cell_text,
    column_header,
    columns_for,
    date_parts,
    group_label,
    no_spans,
    pick,
    sort_value,
    word,
)

GROUP_PREFIX = "group:"


class RecordTable(DataTable[Text]):
    """Records of one kind, one per row; the timeline grouped under years and months."""

    DEFAULT_CSS = """
    RecordTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
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
        super().__init__(
            id=id, cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable"
        )
        self.kind = kind
        self._all: list[Record] = list(records)
        if kind == "event":
            self._all.sort(key=lambda r: r.date if isinstance(r, EventRecord) else "")
        self._figures = [r for r in records if isinstance(r, FigureRecord)]
        self._shown: list[Record] = list(self._all)
        self._matches: dict[str, Match] = {}
        self._lang: Lang = lang
        self._sort: int | None = None  # index into the sortable columns; None = natural
        self._group_notes: dict[str, str] = {}

    # -- queries ----------------------------------------------------------------

    @property
    def record_count(self) -> int:
        return len(self._shown)

    @property
    def current_record(self) -> Record | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        for record in self._shown:
            if record.id == key:
                return record
        return None

    def has(self, record_id: str) -> bool:
        return any(record.id == record_id for record in self._shown)

    def match_for(self, record_id: str) -> Match | None:
        return self._matches.get(record_id)

    # -- commands ---------------------------------------------------------------

    def on_mount(self) -> None:
        self._populate()

    def show(self, matches: Sequence[Match] | None) -> None:
        """Show only ``matches`` (in their rank order), or every record when None."""
        if matches is None:
            self._shown = list(self._all)
            self._matches = {}
        else:
            self._shown = [m.record for m in matches]
            if self.kind == "event":
                self._shown.sort(key=lambda r: r.date if isinstance(r, EventRecord) else "")
            self._matches = {m.record.id: m for m in matches}
        self._populate(keep=True)

    def set_lang(self, lang: Lang) -> None:
        self._lang = lang
        self._populate(keep=True)

    def sort_next(self) -> str:
        """Sort by the next column (then back to the natural order); say which."""
        columns = self._sortable()
        self._sort = 0 if self._sort is None else self._sort + 1
        if self._sort >= len(columns):
            self._sort = None
        self._populate(keep=True)
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
        try:
            row = self.get_row_index(record_id)
        except Exception:
            return False
        self.move_cursor(row=row, animate=False, scroll=True)
        return True

    # -- building rows ----------------------------------------------------------

    def _sortable(self) -> list[tuple[Column, Lang]]:
        return [(c, lang) for c, lang in columns_for(self.kind, self._lang) if c.key != "bar"]

    def _ordered(self) -> list[Record]:
        if self._sort is None:
            return list(self._shown)
        column, lang = self._sortable()[self._sort]
        return sorted(self._shown, key=lambda r: sort_value(r, column, lang))

    def _populate(self, keep: bool = False) -> None:
        current = self.current_record if keep else None
        cursor_row = self.cursor_row
        columns = columns_for(self.kind, self._lang)
        records = self._ordered()
        rows: list[tuple[str, list[Text]]] = []
        grouped = self.kind == "event" and self._sort is None
        self._group_notes = {}
        last_year: int | None = None
        last_month: int | None = None
        for record in records:
            if grouped and isinstance(record, EventRecord):
                year, month, _ = date_parts(record.date)
                if year != last_year:
                    rows.append(self._group_row(year, None, records, columns))
                    last_year, last_month = year, None
                if month is not None and month != last_month:
                    rows.append(self._group_row(year, month, records, columns))
                    last_month = month
            match = self._matches.get(record.id)
            spans = match.spans if match is not None else no_spans
            cells = [cell_text(record, c, lang, spans, self._figures) for c, lang in columns]
            rows.append((record.id, cells))

        widths = []
        for i, (column, lang) in enumerate(columns):
            header = column_header(column, lang)
            widest = max((cell_len(cells[i].plain) for _, cells in rows), default=0)
            widths.append(max(cell_len(header.plain), min(widest, column.cap)))
        self._fit(widths, columns)

        self.clear(columns=True)
        for i, (column, lang) in enumerate(columns):
            header = column_header(column, lang)
            if self._sort is not None and self._sortable()[self._sort] == (column, lang):
                header.append(" ▾", style="bold")
            self.add_column(header, width=widths[i], key=f"c{i}")
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if current is not None and self.move_to(current.id):
            return
        if self.row_count:
            row = min(cursor_row, self.row_count - 1) if keep else 0
            if grouped and not keep:
                row = next(
                    (i for i, (k, _) in enumerate(rows) if not k.startswith(GROUP_PREFIX)), 0
                )
            self.move_cursor(row=row, animate=False)

    def _fit(self, widths: list[int], columns: Sequence[tuple[Column, Lang]]) -> None:
        """Narrow the text columns (widest first, down to 12 cells) to fit the table's
        width; what still does not fit scrolls sideways."""
        available = (self.size.width or self.app.size.width) - 2 - 2 * len(widths)
        shrinkable = [i for i, (c, _) in enumerate(columns) if c.key not in ("bar", "date")]
        while sum(widths) > available and shrinkable:
            i = max(shrinkable, key=lambda j: widths[j])
            if widths[i] <= 12:
                break
            widths[i] -= 1

    def on_resize(self) -> None:
        if self.row_count or self.columns:
            self._populate(keep=True)

    def _group_row(
        self,
        year: int,
        month: int | None,
        records: Sequence[Record],
        columns: Sequence[tuple[Column, Lang]],
    ) -> tuple[str, list[Text]]:
        def in_group(record: Record) -> bool:
            if not isinstance(record, EventRecord):
                return False
            y, m, _ = date_parts(record.date)
            return y == year and (month is None or m == month)

        count = sum(1 for r in records if in_group(r))
        key = f"{GROUP_PREFIX}{year}" + (f"-{month:02d}" if month else "")
        label_lang: Lang = "zh" if self._lang == "zh" else "en" if self._lang == "en" else "both"
        label = group_label(year, month, label_lang)
        self._group_notes[key] = f"{label} — {count} {word('events', self._lang)}"
        cells: list[Text] = []
        for column, _lang in columns:
            if column.key == "date":
                marker = "▼ " if month is None else "  ▸ "
                cells.append(
                    Text(
                        marker + group_label(year, month, "zh" if self._lang != "en" else "en"),
                        style="bold",
                    )
                )
            elif column.key == "title" and not cells[1:]:
                cells.append(Text(f"{count} {word('events', self._lang)}", style=DIM))
            else:
                cells.append(Text(""))
        return key, cells

    # -- events -----------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value or ""
        record = self.current_record
        self.post_message(self.Highlighted(self, record, self._group_notes.get(key, "")))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        record = self.current_record
        if record is not None:
            self.post_message(self.Chosen(self, record))
