"""The glossary screen: the `g` binding (command mode) opens it, it scrolls, Esc closes
it, and its text is data, never markup.

The key itself reaches the binding once the keyboard model of issue 9 routes command
letters to MainScreen's bindings; until then the table turns an unreserved letter into a
search, so these tests run the binding's action, and check the binding is declared.
"""

from __future__ import annotations

import dataclasses
import io

from app_helpers import ready, wait_for
from textual.containers import VerticalScroll
from textual.widgets import Static

from bishan_tui.app import create_app
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, GlossaryEntry
from bishan_tui.screens.glossary import GlossaryScreen, glossary_text
from bishan_tui.screens.main import MainScreen


def body_text(screen: GlossaryScreen) -> str:
    """What the body shows, as plain text (a wide console, so nothing folds)."""
    from rich.console import Console

    console = Console(width=400, record=True, file=io.StringIO(), color_system=None)
    console.print(screen.query_one("#glossary-body", Static).content)
    return console.export_text()


async def open_glossary(pilot, app) -> GlossaryScreen:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    await pilot.pause()
    await screen.run_action("glossary")
    await wait_for(pilot, lambda: isinstance(app.screen, GlossaryScreen))
    glossary = app.screen
    assert isinstance(glossary, GlossaryScreen)
    await wait_for(pilot, lambda: bool(glossary.query("#glossary-body")))
    await pilot.pause()
    return glossary


async def test_g_opens_the_bundled_glossary_and_esc_closes_it() -> None:
    dataset = load_dataset()
    app = create_app(dataset=dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        glossary = await open_glossary(pilot, app)
        text = body_text(glossary)
        for entry in dataset.glossary:
            assert entry.zh in text and entry.en in text
        assert "orders under letters of intent" in text
        scroll = glossary.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # far longer than 24 rows
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, GlossaryScreen))


async def test_glossary_text_is_never_markup(small_dataset: Dataset) -> None:
    hostile = (
        GlossaryEntry("[/x]康佳", "[bold]Konka[/bold]", "[link=http://x]note[/link]"),
        GlossaryEntry("[red]", "\x1b[2Jclear", ""),
    )
    dataset = dataclasses.replace(small_dataset, glossary=hostile)
    app = create_app(dataset=dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        glossary = await open_glossary(pilot, app)
        text = body_text(glossary)
        assert "[/x]康佳" in text and "[bold]Konka[/bold]" in text and "[red]" in text
        assert "\x1b" not in text and "␛[2Jclear" in text  # shown, not obeyed
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, GlossaryScreen))


async def test_a_dataset_without_a_glossary_says_so(small_dataset: Dataset) -> None:
    assert small_dataset.glossary == ()
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=(80, 24)) as pilot:
        glossary = await open_glossary(pilot, app)
        assert "no glossary" in body_text(glossary) or "没有术语表" in body_text(glossary)


def test_glossary_text_lists_every_entry_in_order() -> None:
    entries = (GlossaryEntry("甲", "A", "first"), GlossaryEntry("乙", "B"))
    assert glossary_text(entries, "en").plain == "甲  A\n    first\n乙  B"


def test_the_binding_is_declared_with_an_id() -> None:
    bindings = [b for b in MainScreen.BINDINGS if getattr(b, "id", None) == "glossary"]
    assert len(bindings) == 1
    binding = bindings[0]
    assert binding.key == "g" and binding.action == "glossary"  # type: ignore[union-attr]
