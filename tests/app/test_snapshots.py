"""Snapshots of the real dataset: each tab at 100x30, the detail at 80x24.

Regenerate with ``pytest tests/app --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import ready, wait_for
from textual.pilot import Pilot

from bishan_tui.app import create_app
from bishan_tui.loader import bundled_dataset_path

pytestmark = pytest.mark.skipif(
    not bundled_dataset_path().exists(), reason="the bundled dataset is not there yet"
)


async def _settle(pilot: Pilot[None]) -> None:
    await ready(pilot)  # index built (status line stable), cursor blink frozen


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5", "6"])
def test_tab_snapshot(snap_compare: Any, key: str) -> None:
    assert snap_compare(create_app(), press=[key], terminal_size=(100, 30), run_before=_settle)


def test_detail_snapshot_80x24(snap_compare: Any) -> None:
    assert snap_compare(
        create_app(), press=["down", "enter"], terminal_size=(80, 24), run_before=_settle
    )


def test_figure_detail_snapshot_80x24(snap_compare: Any) -> None:
    assert snap_compare(
        create_app(), press=["6", "down", "enter"], terminal_size=(80, 24), run_before=_settle
    )


def test_search_snapshot_100x30(snap_compare: Any) -> None:
    async def typed(pilot: Pilot[None]) -> None:
        screen = await ready(pilot)
        await pilot.press("slash", *"kangjia")
        await wait_for(pilot, lambda: screen.answered_query == "kangjia")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(create_app(), terminal_size=(100, 30), run_before=typed)


@pytest.mark.parametrize("kind", ["platform", "project", "talent", "policy", "event", "figure"])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_tab_in_each_language(
    snap_compare: Any, lang: str, size: tuple[int, int], kind: str
) -> None:
    """Every tab at 80x24 and 100x30 in each language mode (issue 11)."""

    async def shown(pilot: Pilot[None]) -> None:
        screen = await ready(pilot)
        screen.action_show_kind(kind)  # not a key: the key model may route digits
        await pilot.pause()

    app = create_app(lang=lang)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=shown)
