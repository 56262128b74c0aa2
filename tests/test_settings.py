"""The settings file: round trip, atomic write, and files that are broken, unreadable
or hold wrong values (ignored with one line, never an exception)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bishan_tui.settings import (
    Settings,
    config_path,
    cursor_blink,
    dumps,
    load_settings,
    save_settings,
)


def test_path_follows_xdg_config_home(tmp_path: Path) -> None:
    wanted = tmp_path / "bishan-tui" / "config.toml"
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == wanted
    # a relative XDG_CONFIG_HOME is ignored, as the XDG spec says
    assert config_path({"XDG_CONFIG_HOME": "rel", "HOME": str(tmp_path)}) != Path("rel")


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "bishan-tui" / "config.toml"
    keys = (("copy", "y"), ("help", "f1,question_mark"), ("odd id", 'a"'))
    wanted = Settings(lang="en", theme='no"rd\\x', cursor_blink=False, keys=keys)
    assert save_settings(wanted, path)
    loaded = load_settings(path)
    assert loaded.warning == ""
    assert loaded.settings == wanted
    assert not [p for p in path.parent.iterdir() if p.name != "config.toml"]  # no temp left


def test_missing_file_is_the_defaults(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "none.toml")
    assert loaded.settings == Settings() and loaded.warning == ""


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'lang = "en\n', "not valid TOML"),
        (b"\xff\xfe lang", "not UTF-8"),
        (b'lang = "fr"\ntheme = "nord"\n', "lang must be"),
        (b"theme = 3\n", "theme must be"),
        (b'cursor_blink = "yes"\n', "cursor_blink must be"),
        (b"x" * 70_000, "larger than"),
        (b'[keys]\ncopy = 3\n', "keys must be"),
        (b'keys = "y"\n', "keys must be"),
        (b'[keys]\ncopy = "\xe5\xa4\x8d"\n', "keys must be"),
    ],
)
def test_broken_file_is_ignored_with_one_line(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    loaded = load_settings(path)
    assert says in loaded.warning
    assert "\n" not in loaded.warning and str(path) in loaded.warning
    if says == "lang must be":  # the good value in the same file is kept
        assert loaded.settings == Settings(theme="nord")


def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    assert "ignoring" in load_settings(folder).warning
    if os.geteuid() != 0:  # root reads anything
        path = tmp_path / "locked.toml"
        path.write_text('lang = "zh"\n')
        path.chmod(0)
        assert "ignoring" in load_settings(path).warning
    assert not save_settings(Settings(lang="zh"), folder)  # cannot replace a folder: False


def test_written_file_is_commented_toml() -> None:
    text = dumps(Settings(lang="both", theme="bishan"))
    assert text.startswith("#") and 'lang = "both"' in text and "# cursor_blink" in text


def test_cursor_blinks_only_locally_unless_set() -> None:
    assert cursor_blink(Settings(), {"TERM": "xterm-256color"})
    assert not cursor_blink(Settings(), {"TERM": "xterm", "SSH_CONNECTION": "1 2 3 4"})
    assert not cursor_blink(Settings(), {"TERM": "linux"})
    assert cursor_blink(Settings(cursor_blink=True), {"SSH_TTY": "/dev/pts/1"})
