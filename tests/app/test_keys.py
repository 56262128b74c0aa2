"""The key model with keys that arrive together, as a paste, type-ahead or an SSH packet
deliver them: every key lands where the user meant, none runs a command by accident.

Keys are turned into events by Textual's own terminal parser from one string, the way
one ``read()`` of a terminal does, and all posted to the App before it handles the
first; nothing here presses keys with a pause between them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import started, wait_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser
from textual.pilot import Pilot
from textual.widgets import Input

from bishan_tui import search as search_module
from bishan_tui.app import BishanApp, create_app
from bishan_tui.model import Dataset, Record
from bishan_tui.screens.keys import MAX_PASTE, paste_text
from bishan_tui.screens.main import MainScreen
from bishan_tui.widgets.record_table import RecordTable

SIZE = (100, 30)


def parsed(data: str) -> list[events.Event]:
    """The events one read of ``data`` from a terminal gives (Textual's parser; what
    it keeps waiting for more, such as a last ESC, is flushed as its timeout would)."""
    parser = XTermParser()
    tokens = [*parser.feed(data), *parser.feed("")]
    return [event for event in tokens if isinstance(event, events.Event)]


async def burst(pilot: Pilot[None], data: str, *, workers: bool = True) -> None:
    """Deliver ``data`` as one read: every event queued before the first is handled."""
    app = pilot.app
    for event in parsed(data):
        event.set_sender(app)
        app.post_message(event)
    await settle(pilot, workers=workers)


async def settle(pilot: Pilot[None], *, workers: bool = True) -> None:
    await pilot.pause()
    if workers:
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def box(screen: MainScreen) -> Input:
    return screen.query_one("#search", Input)


def opened(screen: MainScreen) -> Record | None:
    """The record Enter opened (None: no record was opened)."""
    return screen.detail.record if screen.has_class("detail-open") else None


def assert_opened_a_match(screen: MainScreen, query: str) -> Record:
    record = opened(screen)
    assert record is not None
    assert screen.index is not None
    best = screen.index.search(query, limit=1)
    assert best and best[0].record.id == record.id, (query, record.id)
    return record


# -------------------------------------------------------------- "/query" + Enter at once


@pytest.mark.parametrize("query", ["kangjia", "kjgd", "2.85", "lihe", "qingchuang", "康佳"])
async def test_slash_query_enter_in_one_read_from_the_table(
    bundled: Dataset, query: str
) -> None:
    # in the table: letters are commands here
    async with started(bundled, SIZE) as (app, pilot, screen):
        lang = screen.lang
        await burst(pilot, f"/{query}\r")
        assert box(screen).value == query
        assert_opened_a_match(screen, query)
        assert app.is_running  # "q…" did not quit
        assert screen.lang == lang  # "l…" did not switch the language
        assert app.clipboard == ""  # "c…" did not copy
        assert isinstance(app.focused, RecordTable)  # Enter took us to the record's row


@pytest.mark.parametrize("query", ["xibu", "xinxing", "yanjiuyuan", "璧山", "nongye"])
async def test_a_key_that_is_no_command_starts_a_search_from_the_table(
    bundled: Dataset, query: str
) -> None:
    """In the table, a printable key that is not a command is the query's first key."""
    async with started(bundled, SIZE) as (_, pilot, screen):
        await burst(pilot, query + "\r")
        assert box(screen).value == query
        assert_opened_a_match(screen, query)


async def test_a_command_letter_in_the_table_is_a_command(bundled: Dataset) -> None:
    async with started(bundled, SIZE) as (_, pilot, screen):
        await burst(pilot, "jjk")
        assert screen.current_table.cursor_row == 1
        assert box(screen).value == ""


async def test_typing_at_once_after_launch(bundled: Dataset) -> None:
    """The app opens in the search box: a query and Enter need no "/"."""
    async with started(bundled, SIZE, to_table=False) as (_, pilot, screen):
        await burst(pilot, "kangjia\r")
        assert box(screen).value == "kangjia"
        assert "康佳" in assert_opened_a_match(screen, "kangjia").title


async def test_every_command_letter_is_typed_in_the_box(bundled: Dataset) -> None:
    async with started(bundled, SIZE, to_table=False) as (app, pilot, screen):
        kind, lang = screen.current_kind, screen.lang
        typed = "qjkclsg?123456 e/x"
        await burst(pilot, typed)
        assert box(screen).value == typed
        assert app.is_running and app.screen is screen  # no quit, no help screen
        assert (screen.current_kind, screen.lang, app.clipboard) == (kind, lang, "")
        await burst(pilot, "\x15")  # Ctrl+U empties the box (Input's own key)
        assert box(screen).value == ""


async def test_esc_esc_then_a_command_in_one_read(bundled: Dataset) -> None:
    async with started(bundled, SIZE, to_table=False) as (app, pilot, screen):
        await burst(pilot, "kangjia")
        table = screen.current_table
        highlighted = table.current_record
        assert highlighted is not None
        await burst(pilot, "\x1b\x1bj")  # the parser reads the second ESC and j as Alt+J
        assert box(screen).value == ""  # the first Esc cleared the query
        assert app.focused is table  # the second moved to the table
        # the cursor stayed on its record when the search was cleared; j moved it down
        assert table.cursor_row == table.row_of(highlighted.id) + 1  # type: ignore[operator]


async def test_arrows_in_the_box_choose_what_enter_opens(bundled: Dataset) -> None:
    async with started(bundled, SIZE, to_table=False) as (app, pilot, screen):
        await burst(pilot, "kangjia")
        table = screen.current_table
        second = table.current_record
        await burst(pilot, "\x1b[B")  # ↓, still in the box
        assert app.focused is box(screen)
        second = table.current_record
        assert second is not None
        await burst(pilot, "\r")
        assert opened(screen) is second


async def test_paste_goes_into_the_box_from_anywhere(bundled: Dataset) -> None:
    """Paste is how a user with no Chinese input method types 康佳."""
    async with started(bundled, SIZE) as (app, pilot, screen):
        assert isinstance(app.focused, RecordTable)
        await burst(pilot, "\x1b[200~康佳\x1b[201~\r")
        assert box(screen).value == "康佳"
        assert "康佳" in assert_opened_a_match(screen, "康佳").title


async def test_a_huge_hostile_paste_is_one_line_and_capped(bundled: Dataset) -> None:
    async with started(bundled, SIZE) as (app, pilot, screen):
        text = ("康佳\x1b[2J\x07\n\u202e" * 20_000)[:100_000]
        app.post_message(events.Paste(text))
        await settle(pilot)
        value = box(screen).value
        assert value == paste_text(text)
        assert len(value) <= MAX_PASTE and value.startswith("康佳[2J 康佳[2J")
        assert not any(ord(c) < 0x20 or c == "\u202e" for c in value)


def test_paste_text_rules() -> None:
    typed = "  康佳\r\n光电\t研究院\x1b[201~ rm -rf ~\n"
    assert paste_text(typed) == "康佳 光电 研究院[201~ rm -rf ~"
    assert paste_text("\x00\x1b\u200b") == ""
    assert len(paste_text("a" * 1_000_000)) == MAX_PASTE


async def test_enter_before_the_index_waits_and_keeps_later_keys(
    bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter typed before the search index exists acts on the query as typed, once it
    does; the keys after it wait their turn."""
    gate = threading.Event()
    real_build = search_module.build_index

    def slow_build(dataset: Dataset, **options: Any) -> search_module.SearchIndex:
        gate.wait(10)
        return real_build(dataset, **options)

    monkeypatch.setattr(search_module, "build_index", slow_build)
    app = create_app(dataset=bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.index is None
        lang = screen.lang
        await burst(pilot, "kangjia\rl", workers=False)  # the index is still being built
        assert box(screen).value == "kangjia"
        assert opened(screen) is None  # waiting for the index; the l waits too
        assert app.focused is box(screen) and screen.lang == lang
        gate.set()
        await wait_for(pilot, lambda: screen.index is not None)
        await settle(pilot)
        assert_opened_a_match(screen, "kangjia")
        assert isinstance(app.focused, RecordTable)
        assert screen.lang != lang  # the l came after Enter: a command in the table
        assert box(screen).value == "kangjia"


async def test_keys_before_the_main_screen_are_replayed_in_order(bundled: Dataset) -> None:
    app = create_app(dataset=bundled)
    router = app.key_router
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        router.screen = None  # as before the main screen was mounted
        for event in parsed("/kjgd"):
            assert isinstance(event, (events.Key, events.Paste))
            assert await router.feed(event)  # kept, not lost
        router.attach(screen)
        await settle(pilot)
        assert box(screen).value == "kjgd"


async def test_ctrl_z_suspends_from_the_box_and_the_table(bundled: Dataset) -> None:
    async with started(bundled, SIZE, to_table=False) as (_, pilot, screen):
        for _ in range(2):
            active = screen.active_bindings["ctrl+z"]
            assert active.binding.action == "suspend_process"
            assert isinstance(active.node, BishanApp)
            await burst(pilot, "\x1b")  # to the table, and check again there


@pytest.mark.parametrize("kind_key", ["1", "5", "6"])
async def test_sort_and_language_in_any_order(bundled: Dataset, kind_key: str) -> None:
    """Sorting by a column the next language does not have resets to the natural order."""
    async with started(bundled, SIZE) as (app, pilot, screen):
        await burst(pilot, kind_key)
        for keys in ("ssssl", "sssl", "lsssssl", "lssssssssl", "sl"):
            await burst(pilot, keys)
            assert app.is_running
            assert screen.current_table.row_count > 0


# ------------------------------------------------------------------ any key sequence

KEYS = st.lists(
    st.sampled_from(
        [*"jkclsq123456?/ e", "kangjia", "康佳", "2.85", "\r", "\x1b", "\x1b\x1b", "\t",
         "\x1b[Z", "\x1b[A", "\x1b[B", "\x1b[5~", "\x1b[6~", "\x1b[H", "\x1b[F", "\x7f",
         "\x1b[200~康佳\x1b[201~"]
    ),
    max_size=25,
)


def _chunks(keys: list[str]) -> Iterator[str]:
    """The keys in reads of a few keys each; a read ends after each ESC, as when the
    parser's wait for the rest of a sequence runs out."""
    chunk = ""
    for key in keys:
        chunk += key
        if key.endswith("\x1b") or len(chunk) > 8:
            yield chunk
            chunk = ""
    if chunk:
        yield chunk


async def _random_keys(dataset: Dataset, keys: list[str]) -> None:
    async with started(dataset, (80, 24), to_table=False) as (app, pilot, screen):
        for chunk in _chunks(keys):
            if app.screen is not screen:
                await burst(pilot, "\x1b")  # close the help screen
            await burst(pilot, chunk)
            if not app.is_running:
                return  # q in the table, a legitimate quit
        errors = [n for n in app._notifications if n.severity == "error"]
        assert not errors, [n.message for n in errors]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keys=KEYS)
@example(keys=["\x1b", "e", "\r"])  # to the table, export, save: a file is written
def test_random_key_sequences_never_raise(
    bundled: Dataset, keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Esc, e, Enter saves an export in the current folder: the test's own, not the checkout
    monkeypatch.chdir(tmp_path)
    asyncio.run(_random_keys(bundled, keys))


async def test_keys_after_quit_in_the_same_read_are_dropped(bundled: Dataset) -> None:
    """q then e in one read: the app exits; the e opens no dialog on the way out."""
    async with started(bundled, SIZE) as (app, pilot, screen):
        await burst(pilot, "qe")
        assert app.return_code == 0
        assert app.screen is screen


async def test_slash_from_the_table_starts_a_new_query(bundled: Dataset) -> None:
    """After a record was opened, "/" and a query replace the old query (it is selected);
    a key that is no command does the same."""
    async with started(bundled, SIZE, to_table=False) as (app, pilot, screen):
        await burst(pilot, "kangjia\r")
        assert isinstance(app.focused, RecordTable)
        await burst(pilot, "/xibu\r")
        assert box(screen).value == "xibu"
        assert_opened_a_match(screen, "xibu")
        await burst(pilot, "nongye")
        assert box(screen).value == "nongye"
        await burst(pilot, "\x1b[D\x1b[D 2")  # ← ←: the cursor moves, typing inserts
        assert box(screen).value == "nong 2ye"


async def test_a_storm_of_keys_fills_the_box_only_to_its_limit(bundled: Dataset) -> None:
    """A paste holding ESC reaches the app as one key per character (Textual's parser):
    the box takes MAX_PASTE of them and the rest cost nothing; keys after still work."""
    async with started(bundled, SIZE, to_table=False) as (app, pilot, screen):
        for char in ("康佳 abc " * 2_500)[:20_000]:
            app.post_message(events.Key(char if char.isalnum() else "space", char))
        await settle(pilot)
        assert len(box(screen).value) == MAX_PASTE
        await burst(pilot, "\x15kangjia")  # Ctrl+U, then a query
        assert box(screen).value == "kangjia"
