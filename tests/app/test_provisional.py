"""A big dataset without a saved index is searched by a scan while the index builds;
the real index then takes over and the query is asked again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import pytest
from app_helpers import main_screen, wait_for
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bishan_tui.app import create_app
from bishan_tui.model import Dataset
from bishan_tui.screens import search_runner
from bishan_tui.screens.main import MainScreen
from bishan_tui.screens.search_runner import IndexReady, SearchDone
from bishan_tui.search import SearchIndex, build_index
from bishan_tui.search.scan import ScanIndex


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).render())


@pytest.fixture
def both(small_dataset: Dataset) -> tuple[SearchIndex, ScanIndex]:
    """The real index and a scan of the same dataset."""
    real = build_index(small_dataset, persist=False)
    return real, ScanIndex(small_dataset, real.readings)


@asynccontextmanager
async def settled(dataset: Dataset) -> AsyncIterator[tuple[Pilot[None], MainScreen]]:
    """The app over ``dataset`` once its index is built and no worker is left running."""
    app = create_app(dataset=dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.index is not None)
        await app.workers.wait_for_complete()
        yield pilot, screen


async def test_the_scan_answers_then_the_index_takes_over(
    small_dataset: Dataset, both: tuple[SearchIndex, ScanIndex]
) -> None:
    real, scan = both
    async with settled(small_dataset) as (pilot, screen):
        screen.searcher.index = None  # as if the index were still being built
        screen.post_message(IndexReady(scan))  # what the worker posts first
        await wait_for(pilot, lambda: screen.index is scan)
        screen.query_one("#search", Input).value = "kangjia"
        await wait_for(pilot, lambda: screen.answered_query == "kangjia")
        assert screen.result is not None
        expected = {m.record.id for m in real.search("kangjia")}
        assert {m.record.id for m in screen.result.matches()} == expected
        assert "indexing" in status(screen)
        answered_by_scan = screen.result
        screen.post_message(IndexReady(real))
        await wait_for(pilot, lambda: screen.result is not answered_by_scan)
        await wait_for(pilot, lambda: screen.answered_query == "kangjia")
        assert screen.index is real and screen.result is not None
        assert [m.record.id for m in screen.result.matches()] == [
            m.record.id for m in real.search("kangjia")
        ]
        assert "indexing" not in status(screen)


async def test_a_scan_answer_arriving_after_the_index_is_asked_again(
    small_dataset: Dataset, both: tuple[SearchIndex, ScanIndex]
) -> None:
    real, scan = both
    async with settled(small_dataset) as (pilot, screen):
        screen.post_message(IndexReady(real))
        await pilot.pause()
        screen.searcher.query = "康佳"  # wanted; the scan's search was running when the index came
        late = scan.search_result("康佳")
        screen.post_message(SearchDone("康佳", late, scan))
        await wait_for(pilot, lambda: screen.result is not None and screen.result is not late)
        await wait_for(pilot, lambda: screen.answered_query == "康佳")
        assert screen.result is not None and screen.result is not late


async def test_the_worker_posts_a_scan_first_when_the_index_must_be_built(
    small_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_runner, "SCAN_FROM_RECORDS", 1)
    seen: list[object] = []
    original = search_runner.SearchRunner.use

    def spy(self: search_runner.SearchRunner, index: SearchIndex) -> None:
        seen.append(index)
        original(self, index)

    monkeypatch.setattr(search_runner.SearchRunner, "use", spy)

    def indexed(screen: MainScreen) -> bool:
        return screen.index is not None and not screen.searcher.provisional

    for _ in range(2):  # a cold start, then one with the saved index
        app = create_app(dataset=small_dataset)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = main_screen(app)
            await wait_for(pilot, partial(indexed, screen))
    kinds = [type(index) for index in seen]
    assert kinds == [ScanIndex, SearchIndex, SearchIndex]  # the second start loads the index
