"""The screen at 80x24 and below (issue 11): the detail in the free space, where the
matches are, numbered tabs in both languages down to 60 columns, the footer in the
language shown with `?` first, the header never cut mid-title, messages in the status
slot instead of toasts over the table."""

from __future__ import annotations

import pytest
from app_helpers import detail_text_of, ready, search, started
from rich.cells import cell_len
from textual.widgets import Static, Tab
from textual.widgets._footer import FooterKey

from bishan_tui.app import create_app
from bishan_tui.model import KINDS
from bishan_tui.widgets.footer import BishanFooter


async def test_few_rows_show_the_detail_without_enter() -> None:
    async with started(None, (80, 24)) as (app, pilot, screen):
        assert not screen.has_class("detail-auto")  # 18 platforms fill the table
        await search(pilot, "kangjia")
        await pilot.pause()
        assert screen.has_class("detail-auto") and not screen.has_class("detail-open")
        assert screen.detail.region.height >= 6
        assert "重庆康佳光电技术研究院" in detail_text_of(app)
        # a tab without matches says where they are
        screen.action_show_kind("project")
        await pilot.pause()
        note = detail_text_of(app)
        assert "1 平台 Platforms (1)" in note and "6 数据 Figures (2)" in note


@pytest.mark.parametrize("width", [60, 80, 100, 160])
@pytest.mark.parametrize("lang", ["both", "zh", "en"])
async def test_tabs_numbered_in_the_languages_shown(width: int, lang: str) -> None:
    app = create_app(lang=lang)  # type: ignore[arg-type]
    async with app.run_test(size=(width, 24)) as pilot:
        screen = await ready(pilot)
        labels = [screen.query_one(f"#tab-{kind}", Tab).label.plain for kind in KINDS]
        for number, (kind, label) in enumerate(zip(KINDS, labels, strict=True), 1):
            assert label.startswith(str(number)), label
            if lang != "en":
                assert {"platform": "平台", "event": "时间线"}.get(kind, "") in label
            if lang != "zh":
                assert any(c.isascii() and c.isalpha() for c in label), label
        padding = 1 if screen.has_class("tight-tabs") else 2
        assert sum(cell_len(label) + padding for label in labels) <= width


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_footer_in_the_language_shown_with_help_first(size: tuple[int, int]) -> None:
    async with started(None, size, lang="zh") as (_, pilot, screen):
        screen.current_table.focus()
        await pilot.pause()
        keys = list(screen.query_one(BishanFooter).query(FooterKey))
        assert keys[0].key == "question_mark" and keys[0].description == "帮助"
        assert all(key.region.right <= size[0] for key in keys)
        assert not any(key.description in ("Search", "Help", "Quit") for key in keys)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
async def test_header_never_cut_mid_title(width: int) -> None:
    app = create_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await ready(pilot)
        header = str(app.screen.query_one("#source", Static).render())
        source = app.dataset.source
        assert "…" not in header and cell_len(header) <= width
        for title in (source.title, source.title_en):
            first = title.split()[0]
            assert title in header or first not in header


async def test_language_change_is_said_in_the_status_slot_not_a_toast() -> None:
    async with started(None, (80, 24)) as (app, pilot, screen):
        screen.action_cycle_lang()
        screen.action_cycle_lang()
        await pilot.pause()
        assert not app._notifications  # nothing over the table's columns
        assert "English" in str(screen.query_one("#status", Static).render())


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_help_key_shown_and_working_in_the_search_box(size: tuple[int, int]) -> None:
    async with started(None, size) as (app, pilot, screen):
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is screen.search_input
        keys = list(screen.query_one(BishanFooter).query(FooterKey))
        assert keys[0].key == "question_mark" and keys[0].region.right <= size[0]
        await pilot.press("question_mark")  # an empty box: the help
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.focused is screen.search_input
        await pilot.press("k", "a", "n", "g")
        await pilot.pause()
        keys = list(screen.query_one(BishanFooter).query(FooterKey))
        assert keys[0].key == "question_mark"
        await pilot.press("question_mark")  # in a query, typed like any key (issue 9)
        await pilot.pause()
        assert app.screen is screen and screen.search_input.value == "kang?"
