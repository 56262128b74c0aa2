"""The virtual (Line API) record table on real article text: alignment of Chinese
columns, cropping by cells, a 10,000-row table, cursor keys, sort, highlights, click."""

from __future__ import annotations

import dataclasses

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.strip import Strip

from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, Kind, Record
from bishan_tui.search import build_index
from bishan_tui.widgets.layout import CELL_PADDING, crop_cell
from bishan_tui.widgets.record_table import RecordTable
from bishan_tui.widgets.rows import GroupHeading


class TableApp(App[None]):
    """One RecordTable filling the screen; the messages it posts are kept."""

    def __init__(self, table: RecordTable) -> None:
        super().__init__()
        self.table = table
        self.highlighted: list[RecordTable.Highlighted] = []
        self.chosen: list[RecordTable.Chosen] = []

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.focus()

    def on_record_table_highlighted(self, message: RecordTable.Highlighted) -> None:
        self.highlighted.append(message)

    def on_record_table_chosen(self, message: RecordTable.Chosen) -> None:
        self.chosen.append(message)


def bundled() -> Dataset:
    return load_dataset(None)


def screen_lines(table: RecordTable) -> list[Strip]:
    return [table.render_line(y) for y in range(table.size.height)]


def cut_points(strip: Strip) -> set[int]:
    """Cell offsets where a character starts (and the end)."""
    points = {0}
    offset = 0
    for segment in strip:
        for char in segment.text:
            offset += cell_len(char)
            points.add(offset)
    return points


def column_starts(table: RecordTable) -> list[int]:
    starts, x = [], 0
    for width in table.rows.widths:
        starts.append(x + CELL_PADDING)
        x += width + 2 * CELL_PADDING
    return starts


def many(kind: Kind, count: int) -> list[Record]:
    """``count`` records of one kind, made from the article's own records."""
    base = bundled().of_kind(kind)
    return [
        dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}")
        for i in range(count)
    ]


async def test_chinese_columns_start_at_the_same_cell_in_every_row() -> None:
    for kind in ("platform", "policy", "figure", "event"):
        table = RecordTable(kind, bundled().of_kind(kind))
        app = TableApp(table)
        async with app.run_test(size=(90, 24)) as pilot:
            await pilot.pause()
            starts = column_starts(table)
            lines = screen_lines(table)
            assert len(lines) == 24
            for y, strip in enumerate(lines):
                assert strip.cell_length == table.size.width
                points = cut_points(strip)
                # every column starts at the same cell offset: no wide character
                # straddles a column's start in any row, header included
                visible = [s for s in starts if s < table.size.width]
                assert set(visible) <= points, (kind, y, strip.text)
            # the cells are the records' own text, cut at their column's width
            row_text = lines[1].text
            first = table.rows.cells(0)[0].plain
            assert row_text[CELL_PADDING:].startswith(first[:4])


def test_crop_never_splits_a_wide_character() -> None:
    title = "重庆康佳光电技术研究院（“强磁场”）"
    for width in range(1, cell_len(title) + 4):
        cropped = crop_cell(Text(title), width).plain
        assert cell_len(cropped) == width
        kept = cropped.rstrip(" …")
        assert title.startswith(kept)  # whole characters of the title, nothing split
        if width < cell_len(title):
            assert cropped.endswith("…") or cropped.endswith(" ")


async def test_ten_thousand_rows_first_screen_and_end() -> None:
    records = many("platform", 10_000)
    table = RecordTable("platform", records)
    app = TableApp(table)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert table.row_count == 10_000
        lines = screen_lines(table)
        assert records[0].title[:4] in lines[1].text
        # only the rows drawn (and the width sample) were built, not 10,000
        assert table.rows.cells_built < 1_000
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 9_999
        assert table.current_record is records[-1]
        last = screen_lines(table)
        body = "\n".join(strip.text for strip in last)
        assert records[-1].title[:4] in body
        assert app.highlighted[-1].record is records[-1]
        await pilot.press("home")
        assert table.cursor_row == 0
        assert table.scroll_offset.y == 0


async def test_cursor_keys_move_and_post_highlighted() -> None:
    records = many("policy", 100)
    table = RecordTable("policy", records, lang="zh")  # one line a row at this width
    app = TableApp(table)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("down", "j", "j")
        assert table.cursor_row == 3
        await pilot.press("k", "up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        page = table.size.height - 1 - (1 if table.show_horizontal_scrollbar else 0)
        assert table.cursor_row == 1 + page
        await pilot.press("pageup")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_row == 99
        # the cursor row is on screen: the header, then rows from scroll_y
        assert table.scroll_offset.y <= 99 < table.scroll_offset.y + page
        await pilot.press("up")
        assert table.cursor_row == 98
        await pilot.pause()
        assert app.highlighted[-1].record is records[98]
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen and app.chosen[-1].record is records[98]


async def test_sort_orders_rows_and_marks_the_header() -> None:
    records = list(bundled().of_kind("figure"))
    table = RecordTable("figure", records)
    app = TableApp(table)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        natural = [table.rows.key_at(i) for i in range(table.row_count)]
        assert natural == [r.id for r in records]
        name = table.sort_next()
        assert name == "统计内容"
        await pilot.pause()
        titles = [table.rows.cells(i)[0].plain for i in range(table.row_count)]
        assert titles == sorted(titles, key=str.casefold)
        assert "▾" in screen_lines(table)[0].text
        for _ in range(10):
            table.sort_next()
        await pilot.pause()
        assert table.row_count == len(records)


async def test_search_spans_are_highlighted_on_screen() -> None:
    dataset = bundled()
    index = build_index(dataset)
    result = index.search_result("康佳")
    matches = result.matches("platform", 0, result.counts["platform"])
    assert matches
    table = RecordTable("platform", dataset.of_kind("platform"))
    app = TableApp(table)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        table.show(result, index.records)
        await pilot.pause()
        assert table.row_count == len(matches)
        assert table.match_for(matches[0].record.id) == matches[0]
        highlighted = [
            segment.text
            for segment in screen_lines(table)[1]
            if segment.style is not None
            and segment.style.bgcolor is not None
            and "yellow" in str(segment.style.bgcolor.name)
        ]
        assert highlighted and all(text == "康佳" for text in highlighted)
        table.show(None)
        await pilot.pause()
        assert table.row_count == len(dataset.of_kind("platform"))


async def test_click_moves_the_cursor_and_a_second_click_chooses() -> None:
    records = list(bundled().of_kind("project"))
    table = RecordTable("project", records, lang="zh")  # one line a row at this width
    app = TableApp(table)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        await pilot.click(RecordTable, offset=(4, 3))  # the header is line 0
        await pilot.pause()
        assert table.cursor_row == 2
        assert not app.chosen
        await pilot.click(RecordTable, offset=(4, 3))
        await pilot.pause()
        assert app.chosen and app.chosen[-1].record is records[2]
        await pilot.click(RecordTable, offset=(4, 0))  # the header: nothing happens
        assert table.cursor_row == 2


async def test_timeline_headings_and_their_note(small_dataset: Dataset) -> None:
    table = RecordTable("event", small_dataset.of_kind("event"))
    app = TableApp(table)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        rows = table.rows.rows
        assert isinstance(rows[0], GroupHeading) and rows[0].count == 3
        assert table.current_record is not None  # the cursor starts on an event
        await pilot.press("home")
        await pilot.pause()
        assert table.current_record is None
        assert app.highlighted[-1].record is None
        assert "2020" in app.highlighted[-1].note and "3" in app.highlighted[-1].note
        assert "▼ 2020年" in screen_lines(table)[1].text


async def test_resize_keeps_columns_aligned() -> None:
    table = RecordTable("talent", bundled().of_kind("talent"))
    app = TableApp(table)
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        narrow = list(table.rows.widths)
        await pilot.resize_terminal(160, 16)
        await pilot.pause()
        assert sum(table.rows.widths) >= sum(narrow)
        starts = column_starts(table)
        for strip in screen_lines(table):
            assert strip.cell_length == table.size.width
            assert set(starts) <= cut_points(strip)


class TwoTables(App[None]):
    """Two tables; a handler picks one of them by its id (the message's control)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield RecordTable("platform", bundled().of_kind("platform"), id="table-platform")
        yield RecordTable("project", bundled().of_kind("project"), id="table-project")

    @on(RecordTable.Chosen, "#table-project")
    def _project_chosen(self, message: RecordTable.Chosen) -> None:
        self.seen.append(("project", message.record.id))

    @on(RecordTable.Highlighted, "#table-platform")
    def _platform_highlighted(self, message: RecordTable.Highlighted) -> None:
        assert message.control is message.table
        self.seen.append(("platform", message.record.id if message.record else ""))


async def test_messages_carry_their_table_as_control() -> None:
    app = TwoTables()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        platform = app.query_one("#table-platform", RecordTable)
        project = app.query_one("#table-project", RecordTable)
        app.seen.clear()
        platform.focus()
        await pilot.press("down", "enter")  # a platform chosen: not the project handler's
        await pilot.pause()
        project.focus()
        await pilot.press("down", "enter")  # a project highlighted: not the platform's
        await pilot.pause()
        second_platform = bundled().of_kind("platform")[1].id
        second_project = bundled().of_kind("project")[1].id
        assert app.seen == [("platform", second_platform), ("project", second_project)]
