"""The table's geometry, headless: which columns fit a width, and how many lines each
row takes.  Widths are terminal cells (``rich.cells``: a Chinese character is two)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text

from ..model import FigureRecord, Record
from ..ui.columns import Column, cell_text
from ..ui.text import data_text, no_spans, wrap_text, wrapped_height
from ..ui.words import Lang

CELL_PADDING = 1  # blank cells either side of a cell
WIDTH_SAMPLE = 240  # rows measured for the column widths (every row when fewer)
FIRST_ROWS = 60  # ... always including the first rows, the ones seen first
# Names wrap onto as many lines as they need (up to NAME_LINES a language) in tables of
# up to WRAP_LIMIT rows; a bigger table has rows of one line a language, names cut.
WRAP_LIMIT = 5_000
NAME_LINES = 3
# A kind's own columns (category, status …) are shown only when the name column keeps
# the width of its longest name, or NAME_ROOM cells when names are longer than that.
NAME_ROOM = 60
NAME_MIN = 12  # narrower than this, the table scrolls sideways instead

Columns = list[tuple[Column, Lang]]


def width_sample(count: int) -> Sequence[int]:
    """The rows measured for the column widths: every row when there are few, else
    the first rows and an evenly spaced sample of the rest."""
    if count <= WIDTH_SAMPLE + FIRST_ROWS:
        return range(count)
    step = count / WIDTH_SAMPLE
    return sorted(set(range(FIRST_ROWS)) | {int(i * step) for i in range(WIDTH_SAMPLE)})


def plain_cell(row: Record, column: Column, lang: Lang) -> str:
    """A text cell's words as drawn (control characters made visible)."""
    value = getattr(row, column.en_field if lang == "en" else column.zh_field, "")
    if not value and lang == "en":
        value = getattr(row, column.zh_field, "")
    if not isinstance(value, str):
        return ""
    if not value.isprintable():
        value = data_text(value, single_line=True).plain
    return value


def crop_cell(cell: Text, width: int) -> Text:
    """``cell`` cut or padded to exactly ``width`` cells (an ellipsis where cut); a wide
    character that would straddle the edge is replaced by a space, never split."""
    out = cell.copy()
    out.truncate(width, overflow="ellipsis", pad=True)
    if cell_len(out.plain) < width:  # truncate pads only what it did not cut
        out.pad_right(width - cell_len(out.plain))
    return out


def fit_columns(candidates: Columns, natural: list[int], width: int) -> tuple[Columns, list[int]]:
    """The columns shown in ``width`` cells (the scrollbar's column included), and
    their widths, from the columns there could be and their natural widths.

    The name comes first: in both languages, the Chinese and English names side by
    side when both fit whole, else one column with the Chinese over the English.
    A kind's own columns (category, status …) are added, in order, only while the
    name column keeps the width of its longest name (NAME_ROOM at most).  Names
    wrap onto more lines rather than being cut; what cannot fit at all (a very
    narrow terminal) scrolls sideways."""
    available = width - 1  # the scrollbar's column (kept even when not scrolling)
    pad = 2 * CELL_PADDING
    titles = [i for i, (c, _) in enumerate(candidates) if c.key == "title"]
    essential = [i for i, (c, _) in enumerate(candidates) if c.key != "title" and not c.optional]
    optional = [i for i, (c, _) in enumerate(candidates) if c.optional]
    room = available - sum(natural[i] + pad for i in essential)
    name_columns: Columns
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
    columns: Columns = []
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
    return columns, widths


class LineLayout:
    """Which lines each row takes: a name wraps to its column's width (in both
    languages: the Chinese lines, then the English ones); a heading takes one line."""

    def __init__(self) -> None:
        # row i takes the lines _tops[i] .. _tops[i + 1] - 1 (None: every row takes
        # row_lines lines)
        self._tops: list[int] | None = None
        self.row_lines = 1
        self._heights: dict[str, int] = {}  # record id -> lines, for the current key
        self._key: tuple[object, ...] = ()

    @property
    def wrapped(self) -> bool:
        return self._tops is not None

    def lay_out(
        self, rows: Iterable[Record | None], columns: Columns, widths: list[int], wrap: bool
    ) -> None:
        """Lay out ``rows`` (None: a heading); without ``wrap``, one line a language."""
        stacked = any(lang == "both" for _, lang in columns)
        self.row_lines = 2 if stacked else 1
        if not wrap:
            self._tops = None  # one line a language: names cut, but no per-row work
            return
        key = (tuple(columns), tuple(widths))
        if key != self._key:
            self._key = key
            self._heights = {}
        heights = self._heights
        tops = [0]
        total = 0
        for record in rows:
            if record is None:
                total += 1
            else:
                height = heights.get(record.id)
                if height is None:
                    height = heights[record.id] = _height(record, columns, widths)
                total += height
            tops.append(total)
        self._tops = tops

    def line_count(self, rows: int) -> int:
        """Lines ``rows`` rows take (the header not counted)."""
        if self._tops is None:
            return rows * self.row_lines
        return self._tops[-1]

    def row_top(self, index: int) -> int:
        """The first line of a row (its end: ``row_top(index + 1)``)."""
        if self._tops is None:
            return index * self.row_lines
        return self._tops[max(0, min(index, len(self._tops) - 1))]

    def row_at_line(self, line: int) -> tuple[int, int]:
        """The row drawn on a line, and which of its lines that is."""
        if self._tops is None:
            return divmod(line, self.row_lines)
        index = bisect_right(self._tops, line) - 1
        return index, line - self._tops[max(index, 0)]

    def cell_lines(
        self, cells: list[Text], columns: Columns, widths: list[int], height: int, heading: bool
    ) -> list[list[Text]]:
        """A row's ``height`` lines, each a list of cells: names wrapped, other cells
        one line."""
        stacked: list[list[Text]] = []
        for cell, (column, lang), width in zip(cells, columns, widths, strict=True):
            if column.key == "value" and self._tops is not None and not heading:
                stacked.append(wrap_text(cell, width))  # wrapped whole, as _height counts
            elif column.key != "title" or heading:
                stacked.append([cell])
            elif self._tops is None:  # one line a language, cut
                stacked.append(list(cell.split("\n")))
            elif lang == "both":
                lines: list[Text] = []
                for part in cell.split("\n"):
                    lines += wrap_text(part, width, NAME_LINES)
                stacked.append(lines)
            else:
                stacked.append(wrap_text(cell, width, NAME_LINES))
        blank = Text("")
        return [
            [lines[sub] if sub < len(lines) else blank for lines in stacked]
            for sub in range(height)
        ]


def _height(record: Record, columns: Columns, widths: list[int]) -> int:
    height = 1
    for (column, lang), width in zip(columns, widths, strict=True):
        if column.key == "value" and isinstance(record, FigureRecord):
            # a figure's value wraps, never cut: the article's number is the fact
            value = cell_text(record, column, lang, no_spans).plain
            height = max(height, wrapped_height(value, width))
            continue
        if column.key != "title":
            continue
        if lang == "both":
            zh, en = plain_cell(record, column, "zh"), plain_cell(record, column, "en")
            lines = min(NAME_LINES, wrapped_height(zh, width))
            if en and en != zh:
                lines += min(NAME_LINES, wrapped_height(en, width))
        else:
            lines = min(NAME_LINES, wrapped_height(plain_cell(record, column, lang), width))
        height = max(height, lines)
    return height
