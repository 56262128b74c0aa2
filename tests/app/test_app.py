"""Pilot tests of the app: search, tabs, Enter/Escape, links, copy, language, sort."""

from __future__ import annotations

import dataclasses

from app_helpers import focused, main_screen, ready, search, started, wait_for
from pypinyin import lazy_pinyin
from rich.text import Text
from textual.widgets import Input, Static, Tab

from bishan_tui.app import BishanApp, create_app, tmux_passthrough
from bishan_tui.model import Dataset, FigureRecord
from bishan_tui.screens.search_runner import IndexReady
from bishan_tui.search import build_index
from bishan_tui.widgets.detail_pane import DetailPane
from bishan_tui.widgets.record_table import RecordTable

KIND_ORDER = ["platform", "project", "talent", "policy", "event", "figure"]


def tab_label(app: BishanApp, kind: str) -> str:
    return app.screen.query_one(f"#tab-{kind}", Tab).label.plain


def detail_plain(app: BishanApp) -> str:
    return app.screen.query_one(DetailPane).plain


def row_texts(table: RecordTable, column: int = 0) -> list[str]:
    # a name cell in both languages holds the Chinese name over the English one
    return [table.rows.cells(i)[column].plain.split("\n")[0] for i in range(table.row_count)]


async def test_first_screen_shows_records_and_header(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (app, _, screen):
        assert screen.current_kind == "platform"
        assert screen.current_table.row_count == 2
        assert "重庆康佳光电技术研究院" in row_texts(screen.current_table)
        assert "重庆康佳光电技术研究院" in detail_plain(app)
        header = str(app.screen.query_one("#source", Static).render())
        assert "发力科创之城" in header and "Powering" in header


async def test_search_filters_every_tab_and_counts(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    # wide enough for the seven tabs' roomiest labels
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await ready(pilot)
        await search(pilot, "康佳")
        assert screen.table("platform").row_count == 1
        assert screen.table("figure").row_count == 2
        assert screen.table("project").row_count == 0
        assert tab_label(app, "platform").endswith(" 1")
        assert tab_label(app, "figure").endswith(" 2")
        assert tab_label(app, "talent").endswith(" 0")
        # the match is highlighted in the table cell, on the original text's span
        cell = screen.table("platform").rows.cells(0)[0]
        assert isinstance(cell, Text)
        highlighted = [cell.plain[s.start : s.end] for s in cell.spans if "yellow" in str(s.style)]
        assert highlighted == ["康佳"]
        # Escape in the box clears the search: every record is back, counts go
        await pilot.press("escape")
        assert screen.query_one("#search", Input).value == ""
        assert screen.table("figure").row_count == 5
        assert tab_label(app, "figure") == "6 数据 Figures 5"  # number, names, records


async def test_typed_search_with_pinyin(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (_, pilot, screen):
        await pilot.press("slash", *"kangjia")
        await wait_for(pilot, lambda: screen.answered_query == "kangjia")
        expected = build_index(small_dataset).search("kangjia")
        assert screen.result is not None
        assert [m.record.id for m in screen.result.matches()] == [m.record.id for m in expected]


async def test_search_before_index_ready_runs_when_ready(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        from bishan_tui.screens.main import MainScreen

        assert isinstance(screen, MainScreen)
        await app.workers.wait_for_complete()
        screen.searcher.index = None  # as if the index were still being built
        screen.query_one("#search", Input).value = "比亚迪"
        await pilot.pause()
        assert screen.result is None
        screen.post_message(IndexReady(build_index(small_dataset)))
        await wait_for(pilot, lambda: screen.answered_query == "比亚迪")
        assert screen.table("project").row_count == 1


async def test_enter_in_search_goes_to_best_match(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (app, pilot, screen):
        await search(pilot, "刀片电池")
        best = build_index(small_dataset).search("刀片电池")[0].record
        await pilot.press("enter")
        assert screen.current_kind == best.kind
        assert screen.current_table.current_record == best
        assert isinstance(app.focused, RecordTable)


async def test_number_keys_switch_tabs(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (app, pilot, screen):
        for number, kind in zip("123456", KIND_ORDER, strict=True):
            await pilot.press(number)
            assert screen.current_kind == kind
            assert app.focused is screen.table(kind)
        await pilot.press("1")
        assert screen.current_kind == "platform"


async def test_enter_opens_detail_and_escape_closes_it_narrow(small_dataset: Dataset) -> None:
    async with started(small_dataset, (80, 24)) as (app, pilot, screen):
        detail = screen.query_one(DetailPane)
        assert screen.has_class("narrow")
        # two rows leave room below them: the detail shows there without an Enter
        assert screen.has_class("detail-auto") and detail.region.height > 5
        await pilot.press("down", "enter")
        assert screen.has_class("detail-open")
        assert app.focused is detail
        assert detail.region.height > 5
        assert detail.record is not None and detail.record.id == "high-tech-institute"
        await pilot.press("escape")
        assert not screen.has_class("detail-open")
        assert isinstance(app.focused, RecordTable)


async def test_enter_focuses_detail_wide(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 40)) as (app, pilot, screen):
        assert not screen.has_class("narrow")
        detail = screen.query_one(DetailPane)
        assert detail.region.width > 30
        await pilot.press("j", "k", "j")
        assert detail.record is not None and detail.record.id == "high-tech-institute"
        await pilot.press("enter")
        assert app.focused is detail
        await pilot.press("escape")
        assert isinstance(app.focused, RecordTable)


async def test_related_link_jumps_to_tab_and_row(small_dataset: Dataset) -> None:
    async with started(small_dataset, (80, 24)) as (app, pilot, screen):
        await pilot.press("enter")  # kangjia-institute
        await pilot.press("tab")
        detail = screen.query_one(DetailPane)
        assert app.focused is detail and detail.chosen_link == detail.links[0]
        await pilot.press("down", "enter")  # its second link: kangjia-patents
        assert screen.current_kind == "figure"
        record = screen.current_table.current_record
        assert record is not None and record.id == "kangjia-patents"
        assert focused(app) is screen.table("figure")


async def test_related_jump_clears_a_search_that_hides_the_target(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (_, pilot, screen):
        await search(pilot, "刀片电池")
        screen.jump_to("kangjia-institute")
        await pilot.pause()
        assert screen.query_one("#search", Input).value == ""
        record = screen.current_table.current_record
        assert record is not None and record.id == "kangjia-institute"


async def test_copy_citation_both_and_english(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        text = app.clipboard
        assert "重庆康佳光电技术研究院" in text
        assert "Chongqing Konka Photoelectric" in text
        assert "已汇集行业专家 300余人" in text  # the quote, verbatim
        assert "发力科创之城" in text and "王琳琳" in text
        await pilot.press("l", "l")  # both -> zh -> en
        await pilot.press("c")
        english = app.clipboard
        assert "Chongqing Konka Photoelectric" in english
        assert "Wang Linlin" in english
        assert small_dataset.records[0].summary not in english  # no Chinese summary in English
        assert "已汇集行业专家 300余人" in english  # but the quote stays verbatim


def test_osc52_wrapped_for_tmux() -> None:
    wrapped = tmux_passthrough("\x1b]52;c;55Kn5bGx\a")
    assert wrapped == "\x1bPtmux;\x1b\x1b]52;c;55Kn5bGx\a\x1b\\"


async def test_language_cycles_labels_headers_and_detail(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 30)) as (app, pilot, screen):
        assert main_screen(app).lang == "both"
        await pilot.press("l")
        assert main_screen(app).lang == "zh"
        assert tab_label(app, "platform") == "1 平台 2"
        assert "Chongqing" not in detail_plain(app)
        await pilot.press("l")
        assert main_screen(app).lang == "en"
        assert tab_label(app, "platform") == "1 Platforms 2"
        assert tab_label(app, "event").startswith("5 Timeline ")
        table = screen.current_table
        headers = [header.plain for header in table.rows.headers]
        # the kind's own columns only where the names keep their room
        assert headers[0] == "Name" and set(headers) <= {"Name", "Category", "Status"}
        plain = detail_plain(app)
        assert "Chongqing Konka Photoelectric" in plain
        assert "Summary" in plain and "摘要" not in plain
        assert "Background (not from the article)" in plain
        await pilot.press("l")
        assert main_screen(app).lang == "both"


async def test_sort_cycles_columns(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 30)) as (_, pilot, screen):
        await pilot.press("6")
        table = screen.current_table
        natural = [r.id for r in small_dataset.of_kind("figure")]
        assert [table.rows.key_at(i) for i in range(table.row_count)] == natural
        await pilot.press("s")  # by the Chinese title, in pinyin order (gao, qi, you …)
        titles = row_texts(table, 0)
        assert titles == sorted(titles, key=lambda t: lazy_pinyin(t))
        assert titles != sorted(titles)  # not by code point
        await pilot.press("s", "s")  # by value: the number
        keys = [table.rows.key_at(i) for i in range(table.row_count)]
        values = {r.id: r for r in small_dataset.of_kind("figure") if isinstance(r, FigureRecord)}
        order = [float(values[k].value) for k in keys if k is not None]
        assert order == sorted(order)
        for _ in range(5):
            await pilot.press("s")  # round again, never crashes


async def test_timeline_grouped_by_year_and_month(small_dataset: Dataset) -> None:
    async with started(small_dataset, (120, 30)) as (_, pilot, screen):
        await pilot.press("5")
        table = screen.current_table
        keys = [table.rows.key_at(i) for i in range(table.row_count)]
        assert keys == [
            "group:2020",
            "sci-tech-meeting",  # year-only date: under the year
            "group:2020-03",
            "joint-meeting",
            "group:2020-06",
            "blade-battery-launch",
        ]
        # the cursor starts on an event, not a heading
        record = table.current_record
        assert record is not None and record.id == "sci-tech-meeting"


async def test_figure_detail_draws_bars_with_qualifier(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 40)) as (app, pilot, screen):
        screen.jump_to("high-tech-firms")
        await pilot.pause()
        # the bars: after the "same unit" heading, before the related links if any
        text = detail_plain(app).split("同单位比较")[1].split("\n\n")[0]
        assert "超过" in text  # the qualifier is on the bar's value
        assert "▸" in text  # and marked on the bar
        assert "77" in text and "10" in text  # its same-unit peers (家)
        assert "300" not in text  # not other units


async def test_help_lists_keys(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        from bishan_tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_provider_goes_to_record(small_dataset: Dataset) -> None:
    from bishan_tui.screens.palette import RecordCommands

    async with started(small_dataset, (100, 30)) as (_, pilot, screen):
        provider = RecordCommands(screen)
        hits = [hit async for hit in provider.search("刀片")]
        assert hits
        hits[0].command()
        await pilot.pause()
        record = screen.current_table.current_record
        assert record is not None and "刀片" in record.title


async def test_letter_in_table_starts_search(small_dataset: Dataset) -> None:
    async with started(small_dataset, (100, 30)) as (app, pilot, screen):
        await pilot.press("b", "y", "d")
        box = screen.query_one("#search", Input)
        assert app.focused is box
        assert box.value == "byd"


async def test_tiny_terminals_do_not_crash(small_dataset: Dataset) -> None:
    for size in ((40, 12), (20, 5)):
        app = create_app(dataset=small_dataset)
        async with app.run_test(size=size) as pilot:
            screen = await ready(pilot)
            await pilot.press("enter", "tab", "enter", "escape", "6", "enter", "l", "s", "c")
            await pilot.press("slash", *"kangjia", "enter", "enter", "escape", "5", "question_mark")
            await pilot.press("escape")
            await pilot.resize_terminal(80, 24)
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running
            assert screen.current_kind in KIND_ORDER


async def test_markup_and_control_characters_shown_literally(small_dataset: Dataset) -> None:
    records = list(small_dataset.records)
    records[0] = dataclasses.replace(records[0], title="[/x]", summary="[bold]x[/] \x1b[31mred")
    records[1] = dataclasses.replace(records[1], title="[bold]x[/]", title_en="[link=x]y[/link]")
    dataset = dataclasses.replace(small_dataset, records=tuple(records))
    async with started(dataset, (120, 30)) as (app, pilot, screen):
        titles = row_texts(screen.current_table, 0)
        assert titles == ["[/x]", "[bold]x[/]"]
        plain = detail_plain(app)
        assert "[/x]" in plain and "[bold]x[/]" in plain
        assert "\x1b" not in plain and "␛[31mred" in plain
        await pilot.press("c")  # a notification naming "[/x]"
        await pilot.press("down", "c", "enter", "l")
        await search(pilot, "[/x]")
        await search(pilot, "[bold]")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
