"""The detail pane (issue 11): one Line-API widget whose related links are lines of its
own, chosen with Tab and the arrows and opened with Enter or a click; a new record
refreshes only the cells that changed."""

from __future__ import annotations

from app_helpers import started
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from bishan_tui.model import Dataset
from bishan_tui.widgets.detail_pane import DetailPane, changed_span


def strip(*parts: tuple[str, str]) -> Strip:
    return Strip([Segment(text, Style.parse(style) if style else None) for text, style in parts])


def test_changed_span_is_the_cells_that_differ() -> None:
    old = strip(("类别 Category: ", "bold"), ("平台", ""), ("    ", ""))
    new = strip(("类别 Category: ", "bold"), ("小镇", ""), ("    ", ""))
    start, end = changed_span(old, new) or (0, 0)
    assert (start, end) == (15, 19)  # the two wide characters, whole
    assert changed_span(old, old) is None
    restyled = strip(("类别 Category: ", "italic"), ("平台", ""), ("    ", ""))
    assert changed_span(old, restyled) == (0, 15)


def test_changed_span_never_splits_a_wide_character() -> None:
    # same first half-cell content cannot exist: a wide character differs whole
    old = strip(("ab平c", ""))
    new = strip(("ab台c", ""))
    assert changed_span(old, new) == (2, 4)
    shorter = strip(("ab  c", ""))
    assert changed_span(old, shorter) == (2, 4)


async def test_links_are_chosen_with_keys_and_open_the_record(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 40)) as (app, pilot, screen):
        await pilot.press("enter")  # the first platform's detail, focused
        detail = screen.query_one(DetailPane)
        assert app.focused is detail and detail.chosen_link is None
        links = detail.links
        assert len(links) >= 2
        await pilot.press("tab")
        assert detail.chosen_link == links[0]
        await pilot.press("down")
        assert detail.chosen_link == links[1]
        await pilot.press("up")
        assert detail.chosen_link == links[0]
        await pilot.press("shift+tab")  # back to scrolling the text
        assert detail.chosen_link is None and app.focused is detail
        await pilot.press("tab", "tab")
        assert detail.chosen_link == links[1]
        await pilot.press("enter")
        record = screen.current_table.current_record
        assert record is not None and record.id == links[1]
        assert app.focused is screen.current_table


async def test_a_click_on_a_link_opens_the_record(small_dataset: Dataset) -> None:
    async with started(small_dataset, (140, 40)) as (_, pilot, screen):
        detail = screen.query_one(DetailPane)
        target = detail.links[1]
        await pilot.click(DetailPane, offset=(4, detail.line_of_link(1)))
        await pilot.pause()
        record = screen.current_table.current_record
        assert record is not None and record.id == target


async def test_the_links_are_lines_of_the_pane_not_another_widget(
    small_dataset: Dataset,
) -> None:
    async with started(small_dataset, (140, 40)) as (_, _, screen):
        detail = screen.query_one(DetailPane)
        assert not detail.children  # one widget: no OptionList laid out after the text
        assert "相关条目 Related records" in detail.plain
        for record_id in detail.links:
            record = screen.dataset.by_id(record_id)
            assert record is not None and record.title in detail.plain
