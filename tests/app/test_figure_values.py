"""A figure's value is never cut in the figures table (issue 11): the article's number
is the fact.  Every row of the tab, at 80x24 and 60x24, in each language mode."""

from __future__ import annotations

import pytest
from app_helpers import started
from textual.strip import Strip

from bishan_tui.model import FigureRecord
from bishan_tui.ui.columns import cell_text
from bishan_tui.ui.text import no_spans
from bishan_tui.ui.words import Lang
from bishan_tui.widgets.layout import CELL_PADDING
from bishan_tui.widgets.record_table import RecordTable


def values_on_screen(table: RecordTable) -> dict[str, str]:
    """record id -> the value column's text as drawn, for rows wholly on screen."""
    lines: dict[int, list[Strip]] = {}
    scroll_y = table.scroll_offset.y
    model = table.rows
    for y in range(1, table.scrollable_content_region.height):
        index, _sub = model.row_at_line(scroll_y + y - 1)
        if model.record_at(index) is not None:
            lines.setdefault(index, []).append(table.render_line(y))
    found: dict[str, str] = {}
    for index, strips in lines.items():
        row = model.record_at(index)
        if not isinstance(row, FigureRecord):
            continue
        if len(strips) != model.row_top(index + 1) - model.row_top(index):
            continue
        x = 0
        for (column, _lang), width in zip(model.columns, model.widths, strict=True):
            start, x = x + CELL_PADDING, x + width + 2 * CELL_PADDING
            if column.key == "value":
                found[row.id] = " ".join(s.crop(start, start + width).text for s in strips)
    return found


@pytest.mark.parametrize("size", [(80, 24), (60, 24)])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
async def test_every_figure_value_is_shown_whole(size: tuple[int, int], lang: Lang) -> None:
    async with started(None, size, lang=lang) as (app, pilot, screen):
        screen.action_show_kind("figure")
        await pilot.pause()
        table = screen.current_table
        assert any(column.key == "value" for column, _ in table.rows.columns)
        seen: dict[str, str] = {}
        for _ in range(30):
            seen.update(values_on_screen(table))
            if table.scroll_offset.y >= table.max_scroll_y:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        figures = [r for r in app.dataset.records if isinstance(r, FigureRecord)]
        assert len(seen) == len(figures)
        column = next(c for c, _ in table.rows.columns if c.key == "value")
        for record in figures:
            value = cell_text(record, column, lang, no_spans).plain
            drawn = seen[record.id]
            assert "…" not in drawn, (record.id, drawn)
            assert "".join(value.split()) in "".join(drawn.split()), (record.id, drawn)
