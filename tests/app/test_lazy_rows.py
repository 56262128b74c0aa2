"""A search result shown lazily on 10,000 records: the tab counts come from the
result's bitmaps, the rows and their highlights are built only where drawn."""

from __future__ import annotations

import dataclasses

from app_helpers import search, started
from rich.text import Text
from textual.strip import Strip

from bishan_tui.loader import load_dataset
from bishan_tui.model import KINDS, Dataset
from bishan_tui.search import build_index
from bishan_tui.widgets.record_table import RecordTable

SIZE = 10_000


def ten_thousand() -> Dataset:
    """The article's records repeated to 10,000, each with its own id."""
    base = load_dataset(None)
    records = tuple(
        dataclasses.replace(record, id=f"r{i}-{record.id}")
        for i, record in ((i, base.records[i % len(base.records)]) for i in range(SIZE))
    )
    return dataclasses.replace(base, records=records)


def highlighted(strip: Strip) -> list[str]:
    return [
        segment.text
        for segment in strip
        if segment.style is not None
        and segment.style.bgcolor is not None
        and "yellow" in str(segment.style.bgcolor.name)
    ]


def shown_lines(table: RecordTable) -> list[Strip]:
    return [table.render_line(y) for y in range(table.size.height)]


async def test_lazy_rows_counts_end_and_highlights() -> None:
    dataset = ten_thousand()
    expected = build_index(dataset, persist=False).search_result("康佳")
    assert expected.counts["platform"] > 100  # enough rows to scroll through
    async with started(dataset, (120, 30)) as (_, pilot, screen):
        await search(pilot, "康佳")
        assert screen.result is not None and screen.result.total == expected.total
        assert {kind: screen.result.counts.get(kind, 0) for kind in KINDS} == {
            kind: expected.counts.get(kind, 0) for kind in KINDS
        }
        for kind in KINDS:
            assert screen.table(kind).record_count == expected.counts[kind]
        tab = screen.query_one("#tab-platform")
        assert f" {expected.counts['platform']}" in str(getattr(tab, "label", Text("")))

        table = screen.current_table  # the table takes the keys
        table.focus()
        await pilot.pause()
        # the first row: the best platform match, highlighted where it matched
        best = expected.matches("platform", 0, 1)[0]
        assert table.current_record is best.record
        lines = shown_lines(table)
        assert best.record.title[:4] in lines[1].text
        assert highlighted(lines[1]) and all(t == "康佳" for t in highlighted(lines[1]))

        # the end: the last match is on screen, under the cursor, highlighted
        await pilot.press("end")
        await pilot.pause()
        last = expected.matches("platform", expected.counts["platform"] - 1)[0]
        assert table.current_record is last.record
        row = table.rows.row_top(table.cursor_row) - table.scroll_offset.y + 1  # its first line
        lines = shown_lines(table)
        assert last.record.title[:4] in lines[row].text
        assert all(t == "康佳" for t in highlighted(lines[row]))
        assert table.match_for(last.record.id) == last
        # only the rows drawn got Match objects, not every match
        assert table.rows.matches_made < 500

        # Enter in the box goes to the best match of all
        await pilot.press("slash", "enter")
        await pilot.pause()
        first = expected.matches(None, 0, 1)[0]
        assert screen.current_table.current_record is first.record
