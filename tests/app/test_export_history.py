"""In the app: export (e, or the palette) and the search history (Ctrl+Up/Down)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from app_helpers import ready, search, started, wait_for
from textual.widgets import Input

from bishan_tui.app import create_app
from bishan_tui.export import pick_records, render
from bishan_tui.history import SearchHistory
from bishan_tui.model import INFO_BY_KIND, Dataset
from bishan_tui.screens.confirm import ConfirmScreen
from bishan_tui.screens.export import ExportScreen

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def in_tmp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the export's default folder is the current one
    return tmp_path


def history_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "bishan-tui" / "history.json"


async def open_export(pilot, query: str):  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    if query:
        await search(pilot, query)
        await pilot.press("enter")  # to the best match, in the table
    else:
        screen.current_table.focus()
    await pilot.pause()
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
    return screen, pilot.app.screen


async def test_e_writes_this_tab_s_matches_as_csv(small_dataset: Dataset, tmp_path: Path) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        main, dialog = await open_export(pilot, "康佳")
        kind = main.current_kind
        tab = INFO_BY_KIND[kind].array
        assert dialog.query_one("#file-name", Input).value == f"bishan-{tab}-康佳.csv"
        await pilot.press("enter")  # on the first choice: Enter exports
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))
    written = list(tmp_path.glob("bishan-*.csv"))
    assert len(written) == 1
    index = main.index
    assert index is not None
    ranked = index.search_result("康佳").record_ids()
    expected = render(pick_records(index.records, kind, ranked), "csv")
    assert written[0].read_text(encoding="utf-8") == expected
    assert "康佳" in expected


async def test_every_tab_as_json_with_arrow_keys(small_dataset: Dataset, tmp_path: Path) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        main, dialog = await open_export(pilot, "康佳")
        await pilot.press("right")  # Records: every tab
        await pilot.press("tab", "right")  # Format: JSON
        name = dialog.query_one("#file-name", Input).value
        assert name == "bishan-all-康佳.json"
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / name).exists())
    data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    assert main.result is not None
    assert len(data) == main.result.total > 1
    assert {item["kind"] for item in data} == {kind for kind, n in main.result.counts.items() if n}


async def test_no_search_exports_every_record_of_the_tab(
    small_dataset: Dataset, tmp_path: Path
) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, "")
        await pilot.press("tab", "tab", "tab")  # to the file name
        await pilot.press("ctrl+u", *"mine.md")  # typed over; the format follows below
        await pilot.press("shift+tab", "shift+tab", "right", "right")  # Format: Markdown
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: (tmp_path / "mine.md").exists())
    platforms = [r for r in small_dataset.records if r.kind == "platform"]
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == render(platforms, "markdown")


async def test_an_existing_file_is_kept_unless_the_user_says_yes(
    small_dataset: Dataset, tmp_path: Path
) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("precious\n", encoding="utf-8")
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        _, dialog = await open_export(pilot, "")
        dialog.query_one("#file-name", Input).value = "keep.csv"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # the focus is on No
        await wait_for(pilot, lambda: app.screen is dialog)
        assert target.read_text(encoding="utf-8") == "precious\n"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (ConfirmScreen, ExportScreen)))
    assert target.read_text(encoding="utf-8").startswith("kind,id,title")


async def test_a_file_that_cannot_be_written_is_said_in_the_dialog(
    small_dataset: Dataset, tmp_path: Path
) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        _, dialog = await open_export(pilot, "")
        dialog.query_one("#file-name", Input).value = "no/such/folder/x.csv"
        await pilot.press("ctrl+s")

        def problem() -> str:
            return str(dialog.query_one("#problem").render())

        await wait_for(pilot, lambda: "cannot write" in problem())
        assert app.screen is dialog and "x.csv" in problem()


async def test_too_much_for_the_clipboard_is_refused(
    small_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bishan_tui.screens.export as export_screen

    monkeypatch.setattr(export_screen, "CLIPBOARD_LIMIT", 100)
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        _, dialog = await open_export(pilot, "")
        await pilot.press("tab", "tab", "right", "enter")  # To: clipboard
        await wait_for(pilot, lambda: "too much" in str(dialog.query_one("#problem").render()))
        assert app.screen is dialog and app.clipboard == ""


async def test_copy_to_the_clipboard_instead(small_dataset: Dataset, tmp_path: Path) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, "")
        await pilot.press("tab", "tab", "right")  # To: clipboard
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))
        platforms = [r for r in small_dataset.records if r.kind == "platform"]
        assert app.clipboard == render(platforms, "csv")
    assert list(tmp_path.iterdir()) == []


async def test_escape_cancels_and_writes_nothing(small_dataset: Dataset, tmp_path: Path) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, "")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))
    assert list(tmp_path.iterdir()) == []


async def test_e_in_the_search_box_is_a_letter(small_dataset: Dataset) -> None:
    async with started(small_dataset, SIZE) as (app, pilot, screen):
        await pilot.press("slash")
        await pilot.press("e")
        await pilot.pause()
        assert screen.search_input.value == "e"
        assert not isinstance(app.screen, ExportScreen)


async def test_the_palette_offers_export(small_dataset: Dataset) -> None:
    app = create_app(dataset=small_dataset)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))


# --------------------------------------------------------------------- history


async def test_opening_a_result_records_the_query_and_ctrl_up_recalls_it(
    small_dataset: Dataset,
) -> None:
    async with started(small_dataset, SIZE) as (_, pilot, _):
        await search(pilot, "kangjia")  # typed, not opened: not recorded
        await search(pilot, "康佳")
        await pilot.press("enter")  # opens the best match: recorded
        await wait_for(pilot, history_file().exists)
    assert json.loads(history_file().read_text(encoding="utf-8")) == ["康佳"]

    app = create_app(dataset=small_dataset)  # the next run
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"draft")
        await pilot.press("ctrl+up")
        await wait_for(pilot, lambda: screen.answered_query == "康佳")
        assert screen.search_input.value == "康佳"
        assert screen.result is not None and screen.result.total > 0
        await pilot.press("ctrl+down")  # back to what was being typed
        await pilot.pause()
        assert screen.search_input.value == "draft"


async def test_ctrl_up_from_the_table_fills_the_box(small_dataset: Dataset) -> None:
    SearchHistory.load().add("blade")
    SearchHistory.load().add("康佳")
    async with started(small_dataset, SIZE) as (_, pilot, screen):
        screen.current_table.focus()
        await pilot.press("ctrl+up", "ctrl+up")
        await pilot.pause()
        assert screen.search_input.value == "blade"
        assert screen.focused is screen.search_input


async def test_enter_on_a_row_records_the_query(small_dataset: Dataset) -> None:
    async with started(small_dataset, SIZE) as (_, pilot, screen):
        await search(pilot, "blade")
        screen.action_show_kind("project")  # the tab of 比亚迪刀片电池, its table focused
        await pilot.pause()
        assert screen.current_table.current_record is not None
        await pilot.press("enter")
        await wait_for(pilot, history_file().exists)
    assert json.loads(history_file().read_text(encoding="utf-8")) == ["blade"]


async def test_a_broken_history_file_warns_once_and_the_app_works(
    small_dataset: Dataset,
) -> None:
    history_file().parent.mkdir(parents=True)
    history_file().write_text("{oops", encoding="utf-8")
    async with started(small_dataset, SIZE) as (app, pilot, screen):
        await pilot.press("slash", "ctrl+up")
        await pilot.pause()
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1 and "history" in warnings[0]
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert len([n for n in app._notifications if n.severity == "warning"]) == 1
        assert screen.search_input.value == ""


async def test_the_palette_offers_past_queries(small_dataset: Dataset) -> None:
    SearchHistory.load().add("康佳")
    async with started(small_dataset, SIZE) as (_, pilot, screen):
        await pilot.press("ctrl+p")
        await pilot.press(*"again")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.answered_query == "康佳")
        assert screen.search_input.value == "康佳"


async def test_a_history_that_cannot_be_written_is_said_once(
    small_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bishan_tui.history

    monkeypatch.setattr(bishan_tui.history, "write_atomically", lambda path, write: False)
    async with started(small_dataset, SIZE) as (app, pilot, screen):

        def warned() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "warning"]

        for query in ("康佳", "blade"):
            await search(pilot, query)
            await pilot.press("enter")
            await wait_for(pilot, lambda: bool(warned()))
        await wait_for(pilot, lambda: screen.search_history().entries == ["康佳", "blade"])
        assert len(warned()) == 1 and "not saved" in warned()[0]
    assert not history_file().exists()
