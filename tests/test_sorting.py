"""Sort keys of the tables: Chinese by pinyin, English without case, numbers as
numbers, dates by date at any precision."""

from __future__ import annotations

from dataclasses import replace

from bishan_tui.loader import load_dataset
from bishan_tui.model import EventRecord, FigureRecord
from bishan_tui.sorting import date_key, record_key, text_key

READINGS = {
    "比": ("bi",), "璧": ("bi",), "山": ("shan",), "亚": ("ya",), "迪": ("di",),
    "成": ("cheng",), "渝": ("yu",), "大": ("da", "dai"), "学": ("xue",), "城": ("cheng",),
    "重": ("zhong", "chong"), "庆": ("qing",), "力": ("li",), "合": ("he",),
}


def ordered(texts: list[str]) -> list[str]:
    return sorted(texts, key=lambda t: text_key(t, READINGS))


def test_chinese_by_pinyin_not_code_point() -> None:
    texts = ["力合", "大学城", "成渝", "璧山", "比亚迪"]
    assert ordered(texts) == ["比亚迪", "璧山", "成渝", "大学城", "力合"]
    assert sorted(texts) != ordered(texts)


def test_marks_are_left_out_and_unknown_characters_last() -> None:
    assert ordered(["“成渝”", "（璧山）", "鑫"]) == ["（璧山）", "“成渝”", "鑫"]


def test_english_without_case_and_numbers_as_numbers() -> None:
    assert ordered(["beta", "Alpha", "BYD", "alpha2"]) == ["Alpha", "alpha2", "beta", "BYD"]
    assert ordered(["10项", "3种", "2.85%", "100"]) == ["2.85%", "3种", "10项", "100"]


def test_dates_by_date_whatever_the_precision() -> None:
    dates = ["2020-03-17", "2020", "2019-12", "2020-03", "2020-1-5", "", "soon"]
    assert sorted(dates, key=date_key) == [
        "2019-12", "2020", "2020-1-5", "2020-03", "2020-03-17", "", "soon"
    ]


def test_record_keys() -> None:
    dataset = load_dataset()
    figures = [r for r in dataset.records if isinstance(r, FigureRecord)]
    by_value = sorted(figures, key=lambda r: record_key(r, "value", "as_printed", {}))
    assert [float(r.value) for r in by_value] == sorted(float(r.value) for r in figures)
    events = [r for r in dataset.records if isinstance(r, EventRecord)]
    by_date = sorted(events, key=lambda r: record_key(r, "date", "date", {}))
    starts = [date_key(r.date)[1] for r in by_date]
    assert starts == sorted(starts)
    record = replace(figures[0], title_en="")
    # an empty English field sorts by the Chinese one, as the table shows it
    assert record_key(record, "title", "title_en", READINGS) == record_key(
        record, "title", "title", READINGS
    )


def test_a_polyphone_sorts_as_its_word_says() -> None:
    readings = {**READINGS, "要": ("yao",), "重庆": ("chong", "qing")}
    # 重 alone is zhong; in 重庆 it is chong: before 大学城 (da), after 成渝 (cheng)
    assert ordered_with(["大学城", "重要", "重庆", "成渝"], readings) == [
        "成渝", "重庆", "大学城", "重要"
    ]


def test_the_index_gives_word_readings(tmp_path: object) -> None:
    from pathlib import Path

    from bishan_tui.search import build_index

    index = build_index(load_dataset(), cache_dir=Path(str(tmp_path)), persist=False)
    assert index.readings["重庆"] == ("chong", "qing")
    assert index.readings["重"][0] == "zhong"
    titles = ["重庆大学城", "大学城", "成渝地区"]
    assert ordered_with(titles, index.readings) == ["成渝地区", "重庆大学城", "大学城"]


def ordered_with(texts: list[str], readings: dict[str, tuple[str, ...]]) -> list[str]:
    return sorted(texts, key=lambda t: text_key(t, readings))
