"""Helpers for the Pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from bishan_tui.app import BishanApp, create_app
from bishan_tui.model import Dataset
from bishan_tui.screens.main import MainScreen
from bishan_tui.ui.words import Lang


def main_screen(app: App[Any]) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def focused(app: App[Any]) -> Widget | None:
    """``app.focused`` now: read through a call, so that mypy does not carry what an
    earlier assert found over the keys pressed since."""
    return app.focused


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.02)


async def ready(pilot: Pilot[None], *, to_table: bool = True) -> MainScreen:
    """Wait until the main screen is up and its search index is built; then, unless
    ``to_table`` is False, press Esc to leave the (empty) search box for the table, where
    single letters are commands."""
    app = pilot.app
    assert isinstance(app, BishanApp)
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
    screen = main_screen(app)
    await wait_for(pilot, lambda: screen.index is not None)
    box = screen.query_one("#search", Input)
    box.cursor_blink = False
    assert app.focused is box  # the app opens in the search box
    if to_table:
        await pilot.press("escape")
        assert focused(app) is screen.current_table
    await pilot.pause()
    return screen


@asynccontextmanager
async def started(
    dataset: Dataset | None,
    size: tuple[int, int],
    *,
    lang: Lang = "both",
    to_table: bool = True,
) -> AsyncIterator[tuple[BishanApp, Pilot[None], MainScreen]]:
    """The app over ``dataset`` (None: the bundled file, read now) in ``lang``, headless
    at ``size``, once :func:`ready` (in the table unless ``to_table`` is False):
    (app, pilot, main screen)."""
    app = create_app(dataset=dataset, lang=lang)
    async with app.run_test(size=size) as pilot:
        yield app, pilot, await ready(pilot, to_table=to_table)


async def search(pilot: Pilot[None], query: str) -> MainScreen:
    """Type a query into the search box and wait for its answer."""
    screen = main_screen(pilot.app)
    await pilot.press("slash")
    box = screen.query_one("#search", Input)
    box.value = query
    await wait_for(pilot, lambda: screen.answered_query == query)
    await pilot.pause()
    return screen


def detail_text_of(app: BishanApp) -> str:
    """The detail pane's text as shown (its words, before wrapping)."""
    from bishan_tui.widgets.detail_pane import DetailPane

    return app.screen.query_one(DetailPane).plain
