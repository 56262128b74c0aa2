"""Every tab at 80x24 and 100x30, in each language mode, on the article's own records:
at least 90% of the names on screen are shown whole, and no two rows on screen show
the same cut-off name (issue 11)."""

from __future__ import annotations

import pytest
from app_helpers import started
from textual.strip import Strip

from bishan_tui.model import KINDS, Record
from bishan_tui.ui.words import Lang
from bishan_tui.widgets.layout import CELL_PADDING
from bishan_tui.widgets.record_table import RecordTable


def _squeeze(text: str) -> str:
    return "".join(text.split())


def names_on_screen(table: RecordTable) -> list[tuple[Record, Lang, str]]:
    """(record, language, the name as drawn) for every row wholly on screen, read from
    the table's drawn lines: the name column's cells of all the row's lines."""
    lines: dict[int, list[Strip]] = {}
    scroll_y = table.scroll_offset.y
    height = table.scrollable_content_region.height
    for y in range(1, height):
        index, _sub = table.rows.row_at_line(scroll_y + y - 1)
        if 0 <= index < len(table.rows.rows):
            lines.setdefault(index, []).append(table.render_line(y))
    found = []
    for index, strips in lines.items():
        row = table.rows.rows[index]
        if not isinstance(row, Record):
            continue
        if len(strips) != table.rows.row_top(index + 1) - table.rows.row_top(index):
            continue  # cut by the table's edge: scrolling shows the rest
        x = 0
        for (column, lang), width in zip(table.rows.columns, table.rows.widths, strict=True):
            start, x = x + CELL_PADDING, x + width + 2 * CELL_PADDING
            if column.key != "title":
                continue
            text = " ".join(strip.crop(start, start + width).text for strip in strips)
            found.append((row, lang, text))
    return found


def whole(record: Record, lang: Lang, shown: str) -> bool:
    titles = {
        "zh": [record.title],
        "en": [record.title_en],
        "both": [record.title, record.title_en],
    }
    drawn = _squeeze(shown)
    return "…" not in shown and all(_squeeze(t) in drawn for t in titles[lang] if t)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
async def test_names_on_screen_can_be_read(size: tuple[int, int], lang: Lang) -> None:
    async with started(None, size, lang=lang) as (_, pilot, screen):
        for kind in KINDS:
            screen.action_show_kind(kind)
            await pilot.pause()
            table = screen.current_table
            names = names_on_screen(table)
            assert len(names) >= 3, (kind, "too few rows on screen")
            shown_whole = [whole(record, name_lang, text) for record, name_lang, text in names]
            share = sum(shown_whole) / len(shown_whole)
            assert share >= 0.9, (kind, lang, size, share)
            pairs = zip(names, shown_whole, strict=True)
            cut = [_squeeze(text) for (_, _, text), ok in pairs if not ok]
            assert len(cut) == len(set(cut)), (kind, "two rows show the same cut name")
            # the timeline says its year once, in a heading, not on every row
            if kind == "event":
                assert table.rows.columns[0][0].key == "date"
                date_width = table.rows.widths[0] + 2 * CELL_PADDING
                lines = [table.render_line(y) for y in range(1, table.size.height)]
                assert not any("2020" in line.crop(0, date_width).text for line in lines)
                assert any("▼ 2020" in line.text for line in lines)


async def test_a_cut_name_would_fail_the_check() -> None:
    """The check above can fail: with the name column forced narrow and one line a
    row (as for a table too big to wrap), names are cut and seen as cut."""
    async with started(None, (80, 24), lang="en") as (_, _, screen):
        table = screen.current_table
        model = table.rows
        narrow = [
            12 if c.key == "title" else w
            for (c, _), w in zip(model.columns, model.widths, strict=True)
        ]
        model.set_layout(model.columns, narrow, wrap=False)
        names = names_on_screen(table)
        assert names and sum(whole(r, lang, t) for r, lang, t in names) / len(names) < 0.9
