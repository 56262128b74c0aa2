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
        await wait_for(pilot, lambda: screen._matches_for == "kangjia")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(create_app(), terminal_size=(100, 30), run_before=typed)
