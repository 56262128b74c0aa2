"""--lang and --theme, and the choices remembered in the settings file (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import ready

from bishan_tui.app import create_app
from bishan_tui.cli import build_parser
from bishan_tui.settings import Settings, load_settings


def test_the_options_parse() -> None:
    args = build_parser().parse_args(["--lang", "en", "--theme", "nord"])
    assert (args.lang, args.theme) == ("en", "nord")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--lang", "fr"])


async def test_language_and_theme_changes_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = create_app(lang="en", theme="nord", settings=Settings(), remember=True)
    assert app.theme == "nord"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.lang == "en"
        screen.action_cycle_lang()  # en -> both
        await pilot.pause()
        assert load_settings().settings.lang == "both"
        app.theme = "textual-light"
        await pilot.pause()
        assert load_settings().settings == Settings(lang="both", theme="textual-light")


async def test_an_unknown_theme_falls_back_and_nothing_is_written_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = create_app(theme="no-such-theme")
    assert app.theme == "bishan"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        screen.action_cycle_lang()
        await pilot.pause()
    assert not (tmp_path / "bishan-tui").exists()  # tests and embedders: remember=False
