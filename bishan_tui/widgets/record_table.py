"""The table of one kind of record: a virtual table that draws only the rows on screen.

The rest of the app speaks to this class only through its own methods
(:meth:`show`, :meth:`set_lang`, :meth:`sort_next`, :meth:`move_to`,
:attr:`current_record`) and its own messages (:class:`RecordTable.Highlighted`,
:class:`RecordTable.Chosen`, whose ``control`` is the table, so a handler can be
``@on(RecordTable.Chosen, "#table-figure")``).

What is shown, in what order, with which columns and widths, is decided by the
headless :class:`~bishan_tui.widgets.rows.RowModel` (:attr:`RecordTable.rows`); this
widget only draws it (the drawing, cursor and scrolling are
:class:`~bishan_tui.widgets.table_lines.TableLines`, its base class).

Built on Textual's Line API (``ScrollView`` + ``render_line``) instead of ``DataTable``:
a DataTable renders and measures every cell of every row (about 1.2 s per 5,000 rows
here, over 11 s to first paint at 100,000), while this table

* builds a row's cells only when the row is drawn (or sampled for widths);
* crops every cell to its width by cells, never by characters, so a wide character is
  never split (a half-width gap is padded with a space) and every row's columns start
  at the same cell offset;
* does nothing for a table that is not on screen until it is looked at (a search
  updates six tables per keystroke; five of them are hidden).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message

from ..model import Kind, Record
from ..ui.words import Lang
from .rows import GroupHeading, RowModel
from .table_lines import CURSOR, EVEN_ROW, HEADER, ODD_ROW, TableLines

if TYPE_CHECKING:  # the search module is imported after the first paint
    from ..search import Match, SearchResult


class RecordTable(TableLines, can_focus=True):
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
            & > .record-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .record-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .record-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .record-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .record-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .record-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .record-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {HEADER, ODD_ROW, EVEN_ROW, CURSOR}

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

        @property
        def control(self) -> RecordTable:
            return self.table

    class Chosen(Message):
        """Enter (or a click on the highlighted row) on a record."""

        def __init__(self, table: RecordTable, record: Record) -> None:
            super().__init__()
            self.table = table
            self.record = record

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self,
        kind: Kind,
        records: Sequence[Record],
        *,
        lang: Lang = "both",
        id: str | None = None,
    ) -> None:
        super().__init__(RowModel(kind, records, lang), id=id)
        self.kind: Kind = kind
        self._built = False  # built once: a rebuild keeps the cursor on its record
        self._fitted_width = -1  # the widget width the columns were chosen for

    # -- queries ----------------------------------------------------------------

    @property
    def record_count(self) -> int:
        return self.rows.record_count

    @property
    def row_count(self) -> int:
        """Rows shown, timeline headings included."""
        self._ensure()
        return len(self.rows.rows)

    @property
    def current_record(self) -> Record | None:
        self._ensure()
        return self.rows.record_at(self.cursor_row)

    @property
    def positions(self) -> Mapping[str, int] | None:
        """Where each record is in the records a search result's ids point into (the
        screen sets it; else the table makes its own when first needed)."""
        return self.rows.positions

    @positions.setter
    def positions(self, positions: Mapping[str, int] | None) -> None:
        self.rows.positions = positions

    @property
    def readings(self) -> Mapping[str, tuple[str, ...]]:
        """Pinyin readings of the data's characters: Chinese columns sort by them."""
        return self.rows.readings

    @readings.setter
    def readings(self, readings: Mapping[str, tuple[str, ...]]) -> None:
        self.rows.readings = readings

    def has(self, record_id: str) -> bool:
        return self.row_of(record_id) is not None

    def row_of(self, record_id: str) -> int | None:
        """The row a record is drawn on, None if it is not shown."""
        self._ensure()
        return self.rows.row_of(record_id)

    def match_for(self, record_id: str) -> Match | None:
        """The search's match of a shown record (for its highlights)."""
        return self.rows.match_for(record_id, self.cursor_row)

    def content_lines(self) -> int:
        """Lines the table needs to show every row, its header included."""
        self._ensure()
        return self.rows.line_count() + 1

    # -- commands ---------------------------------------------------------------

    def show(self, result: SearchResult | None, records: Sequence[Record] = ()) -> None:
        """Show a search's matches (in their rank order), or every record when None.

        A :class:`~bishan_tui.search.SearchResult` (with ``records``, the sequence its
        record ids point into) is shown lazily: its count now, the positions of this
        kind's matches when the table is drawn, and :class:`Match` objects (for the
        highlights) only for the rows drawn."""
        self.rows.show(result, records)
        self._changed()

    def set_lang(self, lang: Lang) -> None:
        """Change the language; a sort stays on the same column if the new language
        shows it, else the table goes back to its natural order."""
        self.rows.set_lang(lang)
        self._changed()

    def sort_next(self) -> str:
        """Sort by the next column (then back to the natural order); say which."""
        name = self.rows.sort_next()
        self._changed()
        return name

    def move_to(self, record_id: str) -> bool:
        """Put the cursor on a record's row; False if the record is not shown."""
        row = self.row_of(record_id)
        if row is None:
            return False
        self.move_cursor(row)
        return True

    # -- building rows ----------------------------------------------------------

    def _changed(self) -> None:
        """The rows must be rebuilt: now if the table is on screen, else when looked at."""
        if self.is_mounted and self.display and self.parent is not None and self.parent.display:
            self._ensure()

    def _ensure(self) -> None:
        if self.rows.stale:
            self._rebuild()

    def _width(self) -> int:
        return self.size.width or (self.app.size.width if self.is_attached else 80)

    def _rebuild(self) -> None:
        """Build the rows again; the cursor stays on its record if it is still shown
        (else on the same row, or, the first time, on the first record)."""
        model = self.rows
        keep = self._built
        current = model.record_at(self.cursor_row) if keep else None
        old_key = model.key_at(self.cursor_row) if keep else None
        model.build(self._width())
        self._laid_out()
        found_at = model.find_row(current) if current is not None else None
        if found_at is not None:
            row = found_at
        elif not model.rows:
            row = 0
        elif keep:
            row = min(self.cursor_row, len(model.rows) - 1)
        else:
            row = model.first_record_row() if model.order == "timeline" else 0
        self._built = True
        self.cursor_row = row
        self.refresh()
        if self.is_mounted:
            self._scroll_to_cursor()
        if not keep or model.key_at(row) != old_key or found_at is None:
            self._cursor_moved()

    def _fit(self) -> None:
        """Choose the columns and their widths for the table's width."""
        self.rows.fit(self._width())
        self._laid_out()

    def _laid_out(self) -> None:
        self._fitted_width = self.size.width
        self._set_virtual_size(Size(self.rows.total_width, self.rows.line_count() + 1))

    # -- events and actions -----------------------------------------------------

    def _cursor_moved(self) -> None:
        if not self.rows.rows:
            self.post_message(self.Highlighted(self, None))
            return
        row = self.rows.rows[self.cursor_row]
        if isinstance(row, GroupHeading):
            self.post_message(self.Highlighted(self, None, self.rows.group_note(row)))
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

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index, _sub = self.rows.row_at_line(self.scroll_offset.y + offset.y - 1)
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
