"""The drawing half of :class:`~bishan_tui.widgets.record_table.RecordTable`: a Line
API view (``ScrollView`` + ``render_line``) of a headless
:class:`~bishan_tui.widgets.rows.RowModel`, with a cursor row.

It draws only the lines on screen, each cell cropped to its column by cells, never by
characters (a wide character is never split; every row's columns start at the same
cell offset), and keeps drawn lines in an ``LRUCache`` keyed by the model's
generation, so a change of the rows or their layout needs no clearing by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .layout import CELL_PADDING, crop_cell
from .rows import CACHE_LIMIT, RowModel

HEADER = "record-table--header"
ODD_ROW = "record-table--odd-row"
EVEN_ROW = "record-table--even-row"
CURSOR = "record-table--cursor"


class TableLines(ScrollView):
    """Rows of a :class:`RowModel` under a header line, a cursor on one row."""

    def __init__(self, rows: RowModel, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.cursor_row = 0
        # drawn lines by (generation of the rows, row, line of the row, cursor on it)
        self._strips: LRUCache[tuple[int, int, int, bool], Strip] = LRUCache(CACHE_LIMIT)
        self._styles: dict[str, Style] = {}

    def _ensure(self) -> None:
        """Build the rows if they changed (the table decides when)."""

    def _cursor_moved(self) -> None:
        """The cursor is on another row (the table posts its message)."""

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on a row (clamped to the rows there are)."""
        self._ensure()
        row = max(0, min(row, len(self.rows.rows) - 1))
        if row != self.cursor_row:
            old = self.cursor_row
            self.cursor_row = row
            self._refresh_row(old)
            self._refresh_row(row)
            self._cursor_moved()
        if scroll:
            self._scroll_to_cursor()

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
        self.set_reactive(ScrollView.virtual_size, size)
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
            style = self.rich_style + self._style(ODD_ROW if index % 2 else EVEN_ROW)
            if cursor:
                style += self._style(CURSOR)
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
            header_style = base + self._style(HEADER)
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

    def on_focus(self) -> None:
        self._forget_styles()  # the focused table draws its cursor and header brighter

    def on_blur(self) -> None:
        self._forget_styles()

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
        self._ensure()
        self.move_cursor(len(self.rows.rows) - 1)

    def action_scroll_sideways(self, direction: int) -> None:
        step = max(4, self.size.width // 4)
        self.scroll_to(x=self.scroll_offset.x + direction * step, animate=False, force=True)
