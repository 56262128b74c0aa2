"""The 原文 Article pane (issue 13): keys, both directions of the links, search hits,
a dataset without text, and snapshots in each language at 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import focused, ready, search, started, wait_for
from rich.cells import cell_len
from textual.pilot import Pilot

from bishan_tui.app import create_app
from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, strip_whitespace
from bishan_tui.screens.choose_record import ChooseRecord
from bishan_tui.screens.main import MainScreen
from bishan_tui.ui.article_text import wrap
from bishan_tui.ui.words import Lang
from bishan_tui.widgets.article_view import ArticleView


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))


def _visible_row(view: ArticleView, paragraph: int, offset: int) -> int:
    line = view.line_of(paragraph, offset)
    top = int(view.scroll_y)
    height = view.scrollable_content_region.height
    assert top <= line < top + height, (line, top, height)
    return line - top


def _styles_at(view: ArticleView, row: int) -> list[tuple[str, str]]:
    strip = view.render_line(row)
    return [(seg.text, str(seg.style)) for seg in strip if seg.text.strip()]


async def test_every_record_opens_in_the_article_on_a_highlighted_span() -> None:
    async with started(None, (80, 24)) as (app, pilot, screen):
        view = screen.article_view
        for number, record in enumerate(screen.dataset.records):
            screen.jump_to(record.id)
            if number % 20 == 0:
                await pilot.press("a")  # the key itself, now and then (it costs a frame)
            else:
                screen.action_open_article()  # what `a` runs
            await pilot.pause()
            assert app.focused is view, record.id
            assert screen.article_active
            where = view.current()
            assert where is not None, record.id
            paragraph, start, end = where
            text = screen.dataset.paragraphs[paragraph].text[start:end]
            assert strip_whitespace(record.quotes[0]) in strip_whitespace(text), record.id
            assert view.article is not None and view.cursor is not None
            assert record.id in view.article.spans[view.cursor].record_ids
            row = _visible_row(view, paragraph, start)
            styles = [style for chunk, style in _styles_at(view, row) if chunk[0] in text]
            assert any("reverse" in style for style in styles), record.id


async def test_n_moves_span_to_span_and_enter_opens_or_offers_a_choice() -> None:
    async with started(None, (120, 40)) as (app, pilot, screen):
        await pilot.press("7")
        view = screen.article_view
        assert app.focused is view
        article = view.article
        assert article is not None
        await pilot.press("n")
        first = view.cursor
        assert first is not None
        await pilot.press("n", "tab")
        assert view.cursor == first + 2
        await pilot.press("N")
        assert view.cursor == first + 1
        # a span quoted by one record: Enter opens it at once
        single = next(
            n
            for n, s in enumerate(article.spans)
            if len(s.record_ids) == 1
            and not any(
                len(o.record_ids)
                and o.paragraph == s.paragraph
                and o.start <= s.start
                and s.end <= o.end
                and o is not s
                for o in article.spans
            )
        )
        view.move_to(single)
        await pilot.press("enter")
        record_id = article.spans[single].record_ids[0]
        assert screen.detail.record is not None and screen.detail.record.id == record_id
        assert screen.current_table.current_record.id == record_id  # type: ignore[union-attr]
        # a span several records quote: a choice, and Enter on it opens that record
        await pilot.press("7")
        shared = next(n for n, s in enumerate(article.spans) if len(s.record_ids) > 1)
        view.move_to(shared)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseRecord))
        choice = app.screen
        assert isinstance(choice, ChooseRecord)
        assert [r.id for r in choice.records][: len(article.spans[shared].record_ids)] == list(
            article.spans[shared].record_ids
        )
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert screen.detail.record is not None
        assert screen.detail.record.id == choice.records[1].id


async def test_search_hits_are_counted_on_the_tab_and_n_moves_between_them() -> None:
    async with started(None, (120, 40)) as (_, pilot, screen):
        await search(pilot, "kangjia")
        view = screen.article_view
        await wait_for(pilot, lambda: bool(view.hits))  # found in a thread
        await pilot.pause()
        label = str(screen.query_one("#tab-article").label)  # type: ignore[attr-defined]
        assert label.endswith(f" {len(view.hits)}")
        screen.action_show_article()  # from the box, as `7` does from the table
        await pilot.press("n")
        hit = view.hits[view.cursor or 0]
        assert view.current() == (hit.paragraph, hit.start, hit.end)
        row = _visible_row(view, hit.paragraph, hit.start)
        assert any("yellow" in style or "reverse" in style for _t, style in _styles_at(view, row))


async def test_traditional_characters_find_the_text() -> None:
    async with started(None, (120, 40)) as (_, pilot, screen):
        await search(pilot, "康佳光電")
        await wait_for(pilot, lambda: bool(screen.article_view.hits))
        texts = [
            screen.dataset.paragraphs[h.paragraph].text[h.start : h.end]
            for h in screen.article_view.hits
        ]
        assert "康佳光电" in "".join(texts)


async def test_a_dataset_without_text_says_so(small_dataset: Dataset) -> None:
    async with started(small_dataset, (80, 24)) as (_, pilot, screen):
        await pilot.press("a")  # from a record: a warning, no move
        await pilot.pause()
        assert not screen.article_active
        await pilot.press("7")
        view = screen.article_view
        shown = "".join(seg.text for seg in view.render_line(0))
        assert "no text of the article" in shown
        await pilot.press("n", "enter")  # nothing to move to: no crash


@pytest.mark.parametrize("width", [40, 57, 80, 119])
def test_wrapped_lines_fit_and_rebuild_the_text(width: int) -> None:
    dataset = load_dataset()
    for paragraph in dataset.paragraphs:
        lines = wrap(paragraph.text, width)
        assert "".join(paragraph.text[s:e] for s, e in lines) == paragraph.text
        assert all(cell_len(paragraph.text[s:e]) <= width for s, e in lines)
        assert all(paragraph.text[s] not in "，。、；：！？）”" for s, e in lines[1:] if s < e)
        assert all(paragraph.text[e - 1] not in "（“" for s, e in lines[:-1] if s < e)


async def test_the_pane_works_at_40x12() -> None:
    async with started(None, (40, 12)) as (_, pilot, screen):
        await pilot.press("7", "n", "n")
        view = screen.article_view
        assert view.cursor is not None
        assert view.scrollable_content_region.width > 0
        for row in range(view.scrollable_content_region.height):
            strip = view.render_line(row)
            assert strip.cell_length == view.scrollable_content_region.width


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_article_snapshot(snap_compare: Any, lang: Lang, size: tuple[int, int]) -> None:
    async def settle(pilot: Pilot[None]) -> None:
        await ready(pilot)
        await pilot.press("7", "n", "n", "n")
        await pilot.pause()

    assert snap_compare(create_app(lang=lang), terminal_size=size, run_before=settle)


async def test_keys_in_one_read_reach_a_record_from_the_article() -> None:
    """`7`, `n` and Enter arriving together (an SSH packet): each is decided in order."""
    from test_keys import burst

    async with started(None, (80, 24)) as (app, pilot, screen):
        view = screen.article_view
        await burst(pilot, "7n\r")
        assert view.cursor is not None
        records = view.records_here()
        assert len(records) == 1  # the headline: one record quotes it
        assert screen.detail.record == records[0]
        assert app.focused is screen.current_table  # its row, in its table
        await burst(pilot, "a")  # and back: the same span, its quotes reversed
        assert focused(app) is view and view.focus_record == records[0].id


async def test_hostile_text_in_a_paragraph_is_shown_not_obeyed() -> None:
    from dataclasses import replace

    base = load_dataset()
    hostile = "[bold]粗体[/bold] [/x] 转义\x1b[31m红\x1b[0m 结束。"
    paragraphs = (replace(base.paragraphs[0], text=hostile), *base.paragraphs[1:])
    record = replace(base.records[0], quotes=("[/x]转义",))
    dataset = replace(base, paragraphs=paragraphs, records=(record, *base.records[1:]))
    async with started(dataset, (80, 24)) as (_, pilot, screen):
        await pilot.press("7")
        view = screen.article_view
        shown = "".join(
            seg.text
            for row in range(view.scrollable_content_region.height)
            for seg in view.render_line(row)
        )
        assert "[bold]粗体[/bold] [/x]" in shown and "␛[31m红" in shown
        assert "\x1b" not in shown
        view.show_record(record.id)
        where = view.current()
        assert where is not None
        assert hostile[where[1] : where[2]] == "[/x] 转义"


async def test_n_after_scrolling_away_starts_from_the_screen() -> None:
    async with started(None, (80, 24)) as (_, pilot, screen):
        await pilot.press("7", "n")
        view = screen.article_view
        assert view.cursor == 0
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.press("n")
        assert view.cursor is not None and view.cursor > 1
        where = view.current()
        assert where is not None
        _visible_row(view, where[0], where[1])


async def test_c_in_the_article_copies_the_record_quoting_the_span() -> None:
    async with started(None, (120, 40)) as (app, pilot, screen):
        await pilot.press("7", "n", "n", "n")
        records = screen.article_view.records_here()
        assert records
        await pilot.press("c")
        assert records[0].id in app.clipboard or records[0].title in app.clipboard


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_no_character_is_lost_at_the_right_edge(size: tuple[int, int]) -> None:
    """The text is wrapped to the width the scrollbar leaves (a wrap made before the
    scrollbar appeared drew the last character of a full line under it: 科技创新小镇
    showed as 科技 / 新小镇)."""
    async with started(None, size) as (_, pilot, screen):
        await pilot.press("7")
        await pilot.pause()
        view = screen.article_view
        width = view.scrollable_content_region.width
        assert view.virtual_size.width == width
        for row in range(view.scrollable_content_region.height):
            assert cell_len(view.render_line(row).text.rstrip()) <= width
