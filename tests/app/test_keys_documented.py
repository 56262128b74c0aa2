"""Every key the main screen binds is in the help screen and the README, and the
README's tables name no command the app does not have."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from bishan_tui.screens.help import KEYS
from bishan_tui.screens.main import MainScreen
from bishan_tui.widgets.article_view import ArticleView
from bishan_tui.widgets.record_table import RecordTable

README = Path(__file__).resolve().parents[2] / "README.md"
NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "ctrl+up": "Ctrl+↑",
    "ctrl+down": "Ctrl+↓",
}


def bound_keys(*screens: type[MainScreen] | type[RecordTable] | type[ArticleView]) -> set[str]:
    keys: set[str] = set()
    for binding in (b for screen in screens or (MainScreen,) for b in screen.BINDINGS):
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            keys.add(NAMES.get(key, key))
    return keys


def help_tokens() -> set[str]:
    tokens: set[str] = set()
    for key, _zh, _en in KEYS:
        tokens.update(key.replace("–", " – ").split())
        if "–" in key:  # "1 – 6"
            low, high = (part.strip() for part in key.split("–"))
            tokens.update(str(n) for n in range(int(low), int(high) + 1))
    return tokens


def readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Keys") : text.index("## One-shot lookups")]
    keys: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| key"):
            continue
        cell = line.split("|")[1]
        keys.update(re.findall(r"`([^`]+)`", cell))
        if "`1`–`6`" in cell:
            keys.update(str(n) for n in range(1, 7))
        keys.update(
            word for word in cell.split() if word in ("Esc", "Enter") or word.startswith("Ctrl+")
        )
    return keys


def test_every_binding_is_in_the_help_and_the_readme() -> None:
    for binding in MainScreen.BINDINGS:
        assert isinstance(binding, Binding)
        assert binding.id, f"binding {binding.key} has no id (a keymap needs one)"
    bound = bound_keys()
    assert not bound - help_tokens(), "bound but not in the help screen"
    assert not bound - readme_keys(), "bound but not in the README"


def test_the_readme_names_no_command_that_is_not_bound() -> None:
    single = {key for key in readme_keys() if len(key) == 1}
    assert single <= bound_keys(MainScreen, RecordTable, ArticleView)
