"""The table of one kind of record: a virtual table that draws only the rows on screen.

The rest of the app speaks to this class only through its own methods
(:meth:`show`, :meth:`set_lang`, :meth:`sort_next`, :meth:`move_to`,
:attr:`current_record`) and its own messages (:class:`RecordTable.Highlighted`,
:class:`RecordTable.Chosen`, whose ``control`` is the table, so a handler can be
``@on(RecordTable.Chosen, "#table-figure")``).

What is shown, in what order, with which columns and widths, is decided by the
headless :class:`~bishan_tui.widgets.rows.RowModel` (:attr:`RecordTable.rows`); this
widget only draws it, moves the cursor and scrolls.

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

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model import Kind, Record
from ..ui.words import Lang
from .layout import CELL_PADDING, crop_cell
from .rows import CACHE_LIMIT, GroupHeading, RowModel

if TYPE_CHECKING:  # the search module is imported after the first paint
    from ..search import Match, SearchResult


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
        & > .record-table--odd-row {
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--odd-row",
        "record-table--even-row",
        "record-table--cursor",
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
        super().__init__(id=id)
        self.kind: Kind = kind
        self.rows = RowModel(kind, records, lang)
        self.cursor_row = 0
        self._built = False  # built once: a rebuild keeps the cursor on its record
        self._fitted_width = -1  # the widget width the columns were chosen for
        # drawn lines by (generation of the rows, row, line of the row, cursor on it)
        self._strips: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(CACHE_LIMIT)
        self._styles: dict[str, Style] = {}

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

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on a row (clamped to the rows there are)."""
        self._ensure()
        row = max(0, min(row, len(self.rows.rows) - 1))
        if row != self.cursor_row:
            old = self.cursor_row
            self.cursor_row = row
            self._refresh_row(old)
            self._refresh_row(row)
            self._post_highlighted()
        if scroll:
            self._scroll_to_cursor()

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
            self._post_highlighted()

    def _fit(self) -> None:
        """Choose the columns and their widths for the table's width."""
        self.rows.fit(self._width())
        self._laid_out()

    def _laid_out(self) -> None:
        self._fitted_width = self.size.width
        self._set_virtual_size(Size(self.rows.total_width, self.rows.line_count() + 1))

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

    # -- drawing ----------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_styles(name).rich_style
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def _forget_styles(self) -> None:
        self._styles = {}
        self._strips.clear()

    def _line(self, cells: Sequence[Text], style: Style, width: int) -> Strip:
        """One table line: each cell cropped to its column, padded; the rest of the
        widget's width filled in the line's style."""
        line = Text(no_wrap=True, end="")
        pad = " " * CELL_PADDING
        for cell, column_width in zip(cells, self.rows.widths, strict=True):
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
        generation = self.rows.generation
        strip = self._strips.get((generation, index, sub, cursor))
        if strip is None:
            style = self.rich_style + self._style(
                "record-table--odd-row" if index % 2 else "record-table--even-row"
            )
            if cursor:
                style += self._style("record-table--cursor")
            for line, cells in enumerate(self.rows.cell_lines(index)):
                self._strips.set((generation, index, line, cursor), self._line(cells, style, width))
            strip = self._strips.get((generation, index, sub, cursor)) or Strip.blank(width, style)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if self.rows.stale:  # not populated yet: draw nothing rather than build in a render
            return Strip.blank(width, base)
        if y == 0:
            header_style = base + self._style("record-table--header")
            strip = self._line(self.rows.headers, header_style, width)
        else:
            index, sub = self.rows.row_at_line(scroll_y + y - 1)
            if not 0 <= index < len(self.rows.rows):
                return Strip.blank(width, base)
            strip = self._row_strip(index, sub, width)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _refresh_row(self, index: int) -> None:
        top, bottom = self.rows.row_top(index), self.rows.row_top(index + 1)
        generation = self.rows.generation
        for sub in range(bottom - top):
            self._strips.discard((generation, index, sub, True))
            self._strips.discard((generation, index, sub, False))
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
        first, end = self.rows.row_top(self.cursor_row), self.rows.row_top(self.cursor_row + 1)
        if first < top or end - first > page:
            self.scroll_to(y=first, animate=False, force=True)
        elif end > top + page:
            self.scroll_to(y=end - page, animate=False, force=True)

    # -- events and actions -----------------------------------------------------

    def _post_highlighted(self) -> None:
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

    def on_focus(self) -> None:
        self._forget_styles()  # the focused table draws its cursor and header brighter

    def on_blur(self) -> None:
        self._forget_styles()

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

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, force=True)
        row, _sub = self.rows.row_at_line(max(0, self.rows.row_top(self.cursor_row) - page))
        self.move_cursor(min(row, self.cursor_row - 1))

    def action_page_down(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        row, _sub = self.rows.row_at_line(self.rows.row_top(self.cursor_row) + page)
        self.move_cursor(max(row, self.cursor_row + 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_scroll_sideways(self, direction: int) -> None:
        step = max(4, self.size.width // 4)
        self.scroll_to(x=self.scroll_offset.x + direction * step, animate=False, force=True)
