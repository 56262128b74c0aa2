"""The search runner: one search at a time, the newest query next (those typed in
between skipped), a stale answer dropped, and Enter answered at once even while a
search runs."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from app_helpers import ready, wait_for
from textual.pilot import Pilot
from textual.widgets import Input

from bishan_tui.app import create_app
from bishan_tui.model import Dataset
from bishan_tui.screens.main import MainScreen
from bishan_tui.search import SearchIndex, SearchResult, build_index


@pytest.fixture(autouse=True)
def _own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


class GatedIndex(SearchIndex):
    """The real index, whose searches in a worker thread wait for the gate (those on
    the event loop, Enter's, do not) and are recorded."""

    def __init__(self, real: SearchIndex) -> None:
        self.__dict__.update(real.__dict__)
        self.gate = threading.Event()
        self.searched: list[str] = []

    def search_result(self, query: str, *args: object, **kwargs: object) -> SearchResult:
        if threading.current_thread() is not threading.main_thread():
            self.searched.append(query)
            assert self.gate.wait(10)
        return super().search_result(query)


async def searching(pilot: Pilot[None], query: str) -> tuple[MainScreen, GatedIndex, Input]:
    """The box holds ``query``, whose search runs, held at the gate."""
    screen = await ready(pilot, to_table=False)
    gated = GatedIndex(build_index(screen.dataset, persist=False))
    screen.searcher.use(gated)
    box = screen.query_one("#search", Input)
    box.value = query
    await wait_for(pilot, lambda: gated.searched == [query])
    return screen, gated, box


async def test_only_the_newest_query_is_searched_next(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        screen, gated, box = await searching(pilot, "k")
        for typed in ("ka", "kan", "kang"):
            box.value = typed
            await pilot.pause()
        assert gated.searched == ["k"]  # one search at a time
        gated.gate.set()
        await wait_for(pilot, lambda: screen.answered_query == "kang")
        await app.workers.wait_for_complete()
        assert gated.searched == ["k", "kang"]  # ka, kan skipped; k's answer dropped
        assert screen.result is not None
        assert screen.result.total == gated.search_result("kang").total


async def test_enter_answers_the_query_as_typed_while_a_search_runs(
    small_dataset: Dataset,
) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        screen, gated, box = await searching(pilot, "kan")
        box.value = "比亚迪"
        await pilot.press("enter")  # before any answer: computed on the spot
        assert screen.answered_query == "比亚迪"
        assert screen.detail.record is not None and "比亚迪" in screen.detail.record.title
        gated.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.answered_query == "比亚迪"  # kan's late answer is dropped
        assert box.value == "比亚迪"
