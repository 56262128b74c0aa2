"""The app reads the query language as the core does and says how it read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import ready, search, started
from textual.widgets import Static

from bishan_tui.app import create_app
from bishan_tui.search import build_index


@pytest.fixture(autouse=True)
def _own_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app's caches, settings and state go to this test's folders."""
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


def note_text(app: object) -> str:
    note = app.screen.query_one("#query-note", Static)  # type: ignore[attr-defined]
    return str(note.render()) if note.display else ""


async def test_language_in_the_app_as_in_the_core() -> None:
    async with started(None, (100, 30)) as (app, pilot, screen):
        index = build_index(screen.dataset, persist=False)
        for query in ("kind:figure 康佳 value:>=300", "kangjia -kind:figure", '"blade battery"'):
            await search(pilot, query)
            expected = index.search_result(query)
            assert screen.result is not None
            assert screen.result.record_ids() == expected.record_ids(), query
            assert "read as" in note_text(app)
        await search(pilot, "kangjia")
        assert note_text(app) == ""  # plain words that found something: nothing to say


async def test_bad_syntax_and_no_matches_say_so() -> None:
    app = create_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await search(pilot, "kind:xyz")
        assert "kind:xyz read as a word" in note_text(app)
        await search(pilot, "kangjai xyzzy")
        text = note_text(app)
        assert "closest" in text and "康佳" in text
        await search(pilot, "[bold]x[/")  # data-like markup is shown, never parsed
        await pilot.pause()


async def test_help_lists_the_query_language() -> None:
    import html

    from bishan_tui.screens.help import HelpScreen

    app = create_app()
    async with app.run_test(size=(110, 160)) as pilot:  # tall: the whole help on screen
        await ready(pilot)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Search syntax" in shown
        for syntax in ("kind:figure", "value:>=300", "2020-03..2020-06", '"blade battery"'):
            assert syntax in shown
