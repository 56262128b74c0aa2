"""The app over a VALID but hostile dataset, at any size, with any query.

tests/fixtures/hostile.toml holds Rich markup, ESC/CSI, OSC 52, BEL, CR, BS, bidi
overrides, zero-width characters, emoji, combining marks and 5,000-character
summaries.  None of it may crash the app, restyle it or reach the terminal raw.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from app_helpers import ready, search, started, wait_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input

from bishan_tui.app import BishanApp, create_app
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset
from bishan_tui.textsafe import without_unsafe

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile.toml"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return load_dataset(HOSTILE)


def screen_text(app: BishanApp) -> str:
    """Every cell of the screen as the terminal would get it (text only)."""
    app.screen._compositor._dirty_regions.clear()  # render everything
    lines = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in lines)


def notifications(app: BishanApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def _tour(pilot: Pilot[None], app: BishanApp) -> list[str]:
    """Every tab, the detail of each record, copy, language, sort, help."""
    seen = []
    screen = await ready(pilot)
    for key in "123456":
        await pilot.press(key)
        table = screen.current_table
        for _ in range(min(table.row_count, 2 if key in "16" else 1)):
            await pilot.press("enter")
            await pilot.pause()
            seen.append(screen_text(app))
            await pilot.press("escape", "down")
    await pilot.press("1", "enter", "c", "l", "s")
    await pilot.pause()
    seen.append(screen_text(app))
    await pilot.press("question_mark")
    await pilot.pause()
    seen.append(screen_text(app))
    await pilot.press("escape", "ctrl+p", *"hongse")
    await pilot.pause(0.3)
    seen.append(screen_text(app))
    await pilot.press("escape")
    return seen


async def test_hostile_text_is_shown_literally_and_never_raw(hostile: Dataset) -> None:
    app = create_app(dataset=hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        screens = await _tour(pilot, app)
        everything = "\n".join(screens + notifications(app))
        assert not RAW.search(everything), sorted({hex(ord(c)) for c in RAW.findall(everything)})
        assert "[bold red]红色[/bold red]" in everything  # markup shown, not obeyed
        assert "␛[2J" in everything and "␛]52;c;" in everything and "␇" in everything
        assert "<U+202E>" in everything
        # The copied citation shows its controls as the screen does: it is pasted later.
        assert app.clipboard and "\x1b" not in app.clipboard and "␛" in app.clipboard


async def test_hostile_notifications_are_literal(hostile: Dataset) -> None:
    app = create_app(dataset=hostile)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter", "c")
        await pilot.pause()
        # "copied" is said in the status slot beside the search box (not a toast)
        copied = [*notifications(app), str(app.screen.query_one("#status").render())]
        assert copied and not any(RAW.search(text) for text in copied)
        assert any("[bold red]" in text for text in copied)


@pytest.mark.parametrize("size", [(20, 5), (40, 12), (80, 24), (400, 120)])
async def test_hostile_at_every_size(hostile: Dataset, size: tuple[int, int]) -> None:
    async with started(hostile, size) as (app, pilot, screen):
        await pilot.press("enter", "6", "enter", "question_mark", "escape", "escape")
        await search(pilot, "红色")
        assert screen.result is not None and screen.result.total
        text = screen_text(app)
        assert not RAW.search(text)
        assert len(text.splitlines()) == size[1]


async def test_resize_while_searching(hostile: Dataset) -> None:
    async with started(hostile, (80, 24)) as (app, pilot, screen):
        box = screen.query_one("#search", Input)
        await pilot.press("slash")
        for n, size in enumerate([(20, 5), (400, 120), (33, 7), (120, 40), (80, 24)]):
            box.value = "璧山科创" * (n + 1) + " [/x]"
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await wait_for(pilot, lambda: screen.answered_query == box.value)
        assert not RAW.search(screen_text(app))


# --------------------------------------------------------------------------- any query

QUERIES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="璧山康佳科创 .*+?()[]{}|\\^$“”…—/", max_size=40),
        st.sampled_from(["", " ", "   ", "，。！", "a" * 10_000, "[/x]", "\x1b[2J", "\u202e"]),
    ),
    min_size=1,
    max_size=6,
)


async def _type_queries(dataset: Dataset, queries: list[str]) -> None:
    async with started(dataset, (80, 24)) as (app, pilot, screen):
        await pilot.press("slash", "k", "a")  # typed, as a person does
        box = screen.query_one("#search", Input)
        for typed in queries:
            box.value = typed
            query = without_unsafe(typed)  # the box keeps no control or invisible character
            if query.strip():
                await wait_for(pilot, lambda q=query: screen.answered_query == q, timeout=20)  # type: ignore[misc]
            else:
                await pilot.pause()
        await pilot.press("enter", "escape")
        errors = [n for n in app._notifications if n.severity == "error"]
        assert not errors, [n.message for n in errors]
        assert not RAW.search(screen_text(app))


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(queries=QUERIES)
def test_random_queries_in_the_search_box(queries: list[str], hostile: Dataset) -> None:
    asyncio.run(_type_queries(hostile, queries))


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(queries=QUERIES)
def test_random_queries_on_the_real_dataset(queries: list[str]) -> None:
    asyncio.run(_type_queries(load_dataset(), queries))
