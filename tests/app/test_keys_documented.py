"""Every key is declared once (screens/bindings.py): the screens bind those bindings,
the help screen and the README show them, the README's tables name no command the app
does not have, and a keymap that rebinds an id changes both what the key does and the
help."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

from app_helpers import ready, started
from rich.console import Console
from textual.binding import Binding
from textual.widgets import Static

from bishan_tui.app import BishanApp, create_app
from bishan_tui.model import Dataset
from bishan_tui.screens.bindings import APP_BINDINGS, DOCS, MAIN_BINDINGS, key_name
from bishan_tui.screens.help import HelpScreen, sections
from bishan_tui.screens.main import MainScreen
from bishan_tui.settings import Settings
from bishan_tui.widgets.article_view import ArticleView
from bishan_tui.widgets.record_table import RecordTable

README = Path(__file__).resolve().parents[2] / "README.md"
DECLARED: list[Binding] = [*MAIN_BINDINGS, *APP_BINDINGS]


def declared_keys(bindings: list[Binding] = DECLARED) -> set[str]:
    """The declared keys, written as the help and the README write them."""
    return {key_name(key) for binding in bindings for key in binding.key.split(",")}


def widget_keys() -> set[str]:
    """Keys the table and the article bind themselves (documented as text)."""
    bindings = [b for widget in (RecordTable, ArticleView) for b in widget.BINDINGS]
    return {key for b in bindings if isinstance(b, Binding) for key in b.key.split(",")}


def help_tokens(keymap: Mapping[str, str] | None = None) -> set[str]:
    tokens: set[str] = set()
    for key, _zh, _en in (row for _z, _e, rows in sections(keymap or {}) for row in rows):
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


def test_the_screens_bind_the_declared_bindings_each_with_an_id() -> None:
    assert MainScreen.BINDINGS == MAIN_BINDINGS
    assert BishanApp.BINDINGS == APP_BINDINGS
    ids = [binding.id for binding in DECLARED]
    assert all(ids), "a binding without an id cannot be rebound by a keymap"
    assert len(set(ids)) == len(ids)
    assert {b.id for doc in DOCS for b in doc.bindings} == set(ids)  # each one in the help


def test_every_declared_key_is_in_the_help_and_the_readme() -> None:
    bound = declared_keys()
    assert {"/", "?", "Esc", "c", "q", "1", "6", "Ctrl+↑", "Ctrl+Z"} <= bound
    assert not bound - help_tokens(), "declared but not in the help screen"
    assert not bound - readme_keys(), "declared but not in the README"


def test_the_readme_names_no_command_that_is_not_bound() -> None:
    single = {key for key in readme_keys() if len(key) == 1}
    assert single <= declared_keys() | widget_keys()


def help_text(app: BishanApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(file=io.StringIO(), width=120, color_system=None)
    for static in screen.query(Static):
        console.print(static.content)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


async def test_a_keymap_rebinds_an_id_in_what_the_key_does_and_in_the_help(
    small_dataset: Dataset,
) -> None:
    # in the table
    async with started(small_dataset, (120, 40)) as (app, pilot, screen):
        app.set_keymap({"copy": "y", "help": "f1"})
        await pilot.press("y")
        record = screen.current_table.current_record
        assert record is not None and record.title in app.clipboard
        await pilot.press("f1")
        text = help_text(app)
        assert re.search(r"^\s*y\s+Copy the record as a citation", text, re.M), text
        assert not re.search(r"^\s*c\s+Copy the record", text, re.M)
        assert re.search(r"^\s*F1\s+This help", text, re.M)
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("c")  # no longer a command: it starts a search
        assert screen.search_input.value == "c"
        assert "y" in help_tokens(app.keymap) and "c" not in help_tokens(app.keymap)


async def test_the_settings_keymap_rebinds_at_start(small_dataset: Dataset) -> None:
    settings = Settings(keys=(("copy", "y"),))  # config.toml: [keys] copy = "y"
    app = create_app(dataset=small_dataset, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("y")
        record = screen.current_table.current_record
        assert record is not None and record.title in app.clipboard
