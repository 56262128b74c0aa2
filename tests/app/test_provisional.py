"""A big dataset without a saved index is searched by a scan while the index builds;
the real index then takes over and the query is asked again."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import main_screen, wait_for
from textual.widgets import Input, Static

from bishan_tui.app import create_app
from bishan_tui.model import Dataset
from bishan_tui.screens import main as main_module
from bishan_tui.search import SearchIndex, build_index
from bishan_tui.search.scan import ScanIndex


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


def status(screen: main_module.MainScreen) -> str:
    return str(screen.query_one("#status", Static).render())


@pytest.fixture
def both(small_dataset: Dataset) -> tuple[SearchIndex, ScanIndex]:
    """The real index and a scan of the same dataset."""
    real = build_index(small_dataset, persist=False)
    return real, ScanIndex(small_dataset, real._readings)


async def test_the_scan_answers_then_the_index_takes_over(
    small_dataset: Dataset, both: tuple[SearchIndex, ScanIndex]
) -> None:
    real, scan = both
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.index is not None)
        screen.index = None
        screen._index_ready(scan)
        screen.query_one("#search", Input).value = "kangjia"
        await wait_for(pilot, lambda: screen.result is not None)
        assert screen.result is not None and screen.result._index is scan
        expected = {m.record.id for m in real.search("kangjia")}
        assert {m.record.id for m in screen.matches or ()} == expected
        assert "indexing" in status(screen)
        screen._index_ready(real)
        await wait_for(pilot, lambda: screen.result is not None and screen.result._index is real)
        assert [m.record.id for m in screen.matches or ()] == [
            m.record.id for m in real.search("kangjia")
        ]
        assert "indexing" not in status(screen)


async def test_a_scan_answer_arriving_after_the_index_is_asked_again(
    small_dataset: Dataset, both: tuple[SearchIndex, ScanIndex]
) -> None:
    real, scan = both
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.index is not None)
        screen.index = real
        screen.query_text = "康佳"
        screen._searching = True  # the scan's search was running when the index came
        screen._search_done("康佳", scan.search_result("康佳"), None, scan)
        await wait_for(pilot, lambda: screen.result is not None and screen.result._index is real)


async def test_the_worker_posts_a_scan_first_when_the_index_must_be_built(
    small_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "SCAN_FROM_RECORDS", 1)
    seen: list[object] = []
    original = main_module.MainScreen._index_ready

    def spy(self: main_module.MainScreen, index: SearchIndex, positions: object = None) -> None:
        seen.append(index)
        original(self, index, positions)  # type: ignore[arg-type]

    monkeypatch.setattr(main_module.MainScreen, "_index_ready", spy)

    def indexed(screen: main_module.MainScreen) -> bool:
        return screen.index is not None and not getattr(screen.index, "provisional", False)

    for _ in range(2):  # a cold start, then one with the saved index
        app = create_app(dataset=small_dataset)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = main_screen(app)
            await wait_for(pilot, lambda screen=screen: indexed(screen))
    kinds = [type(index) for index in seen]
    assert kinds == [ScanIndex, SearchIndex, SearchIndex]  # the second start loads the index
