"""The table's row model without Textual running: no App is started here.

Filter (a search's matches), rank, sort, group (the timeline), width sample and the
columns that fit a width, on the article's own records."""

from __future__ import annotations

import dataclasses

from pypinyin import lazy_pinyin
from rich.cells import cell_len

from bishan_tui.loader import load_dataset
from bishan_tui.model import Dataset, FigureRecord, Kind, Record
from bishan_tui.search import build_index
from bishan_tui.widgets.layout import CELL_PADDING, NAME_MIN, WIDTH_SAMPLE, width_sample
from bishan_tui.widgets.rows import GroupHeading, RowModel


def bundled() -> Dataset:
    return load_dataset(None)


def keys(model: RowModel) -> list[str | None]:
    return [model.key_at(i) for i in range(len(model.rows))]


def many(kind: Kind, count: int) -> list[Record]:
    base = bundled().of_kind(kind)
    return [
        dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}")
        for i in range(count)
    ]


def test_every_record_in_its_own_order() -> None:
    records = bundled().of_kind("platform")
    model = RowModel("platform", records)
    assert model.stale and model.record_count == len(records)
    model.build(100)
    assert not model.stale
    assert model.order == "natural"
    assert keys(model) == [r.id for r in records]


def test_a_search_shows_its_matches_in_rank_order_and_highlights_them() -> None:
    dataset = bundled()
    index = build_index(dataset)
    result = index.search_result("康佳")
    model = RowModel("platform", dataset.of_kind("platform"))
    model.show(result, index.records)
    assert model.stale
    assert model.record_count == result.counts["platform"] > 0  # before any build
    model.build(120)
    assert model.order == "rank"
    ranked = result.matches("platform", 0, result.counts["platform"])
    assert keys(model) == [m.record.id for m in ranked]
    first = ranked[0].record
    assert model.match_for(first.id) == ranked[0]
    assert model.find_row(first) == 0
    cell = model.cells(0)[0]
    marked = [cell.plain[s.start : s.end] for s in cell.spans if "yellow" in str(s.style)]
    assert marked == ["康佳"]
    # no search: every record again, and no match for anything
    model.show(None)
    model.build(120)
    order: str = model.order  # (a property: mypy would keep the narrowing above)
    assert order == "natural" and model.match_for(first.id) is None
    assert len(model.rows) == len(dataset.of_kind("platform"))


def test_sort_cycles_the_columns_in_pinyin_order_then_back() -> None:
    dataset = bundled()
    records = dataset.of_kind("figure")
    model = RowModel("figure", records, lang="zh")
    model.readings = build_index(dataset).readings
    model.build(120)
    natural = keys(model)
    assert model.sort_next() == "统计内容"
    assert model.stale and model.order == "column"
    model.build(120)
    titles = [r.title for r in model.rows if isinstance(r, Record)]
    assert titles == sorted(titles, key=lambda t: [p.casefold() for p in lazy_pinyin(t)])
    assert titles != sorted(titles)  # not by code point
    assert model.headers[0].plain.endswith("▾")
    assert model.sort_next() == "数值"
    model.build(120)
    values = [float(r.value) for r in model.rows if isinstance(r, FigureRecord)]
    assert values == sorted(values)
    names = [model.sort_next() for _ in range(len(model.sortable()) - 1)]
    assert names[-1] == "原始顺序"
    model.build(120)
    order: str = model.order
    assert order == "natural" and keys(model) == natural


def test_a_sort_survives_a_change_of_language_on_the_same_column() -> None:
    model = RowModel("platform", bundled().of_kind("platform"), lang="zh")
    model.sort_next()
    model.set_lang("en")
    column = model.sort_column()
    assert column is not None and column.key == "title"


def test_the_timeline_is_grouped_under_years_and_months(small_dataset: Dataset) -> None:
    model = RowModel("event", small_dataset.of_kind("event"))
    model.build(100)
    assert model.order == "timeline"
    assert keys(model) == [
        "group:2020",
        "sci-tech-meeting",
        "group:2020-03",
        "joint-meeting",
        "group:2020-06",
        "blade-battery-launch",
    ]
    heading = model.rows[0]
    assert isinstance(heading, GroupHeading) and heading.count == 3
    assert model.record_at(0) is None and model.first_record_row() == 1
    assert "2020" in model.group_note(heading) and "3" in model.group_note(heading)
    # sorted by a column, the timeline has no headings
    model.sort_next()
    model.build(100)
    assert not any(isinstance(row, GroupHeading) for row in model.rows)


def test_width_sample_is_bounded_and_starts_with_the_first_rows() -> None:
    assert list(width_sample(10)) == list(range(10))
    sample = width_sample(100_000)
    assert len(sample) <= WIDTH_SAMPLE + 60
    assert list(sample[:60]) == list(range(60)) and sample[-1] > 99_000


def test_columns_fit_the_width_in_cells() -> None:
    records = many("talent", 1_000)
    for width in (40, 80, 160):
        model = RowModel("talent", records)
        model.build(width)
        assert model.columns[0][0].key == "title"
        if width >= 80:
            assert model.total_width <= width - 1  # the scrollbar's column stays free
        shown = zip(model.columns, model.widths, strict=True)
        assert all(w >= NAME_MIN for (c, _), w in shown if c.key == "title")
        # a row's lines: one cell per column, the name wrapped within its width
        for row in range(20):
            lines = model.cell_lines(row)
            assert len(lines) == model.row_top(row + 1) - model.row_top(row)
            for line in lines:
                assert len(line) == len(model.columns)
                for cell, (column, _), cells in zip(line, model.columns, model.widths, strict=True):
                    if column.key == "title":
                        assert cell_len(cell.plain) <= cells
        assert model.total_width == sum(w + 2 * CELL_PADDING for w in model.widths)


def test_only_the_rows_asked_for_are_built() -> None:
    model = RowModel("platform", many("platform", 20_000))
    model.build(100)
    assert len(model.rows) == 20_000
    assert model.cells_built == 0  # the width sample builds no cell
    model.cells(19_999)
    assert model.cells_built == 1
    # a table this big has one line a language: no per-row wrapping work
    assert model.line_count() == 20_000 * model.row_top(1)
    assert model.row_at_line(model.row_top(19_999)) == (19_999, 0)
