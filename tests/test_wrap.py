"""The app's own line wrapping: Chinese between characters, English between words,
never a closing mark such as 。 at the start of a line (issue 11: a lone 。)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from bishan_tui.loader import load_dataset
from bishan_tui.ui.text import NO_LINE_START, wrap_text, wrapped_height


def test_a_full_stop_never_starts_a_line() -> None:
    text = "重庆大学璧山先进技术研究院在璧山注册登记类事业单位。"
    for width in range(4, 30):
        lines = [line.plain for line in wrap_text(Text(text), width)]
        assert "".join(lines) == text
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line[0] in NO_LINE_START for line in lines[1:]), (width, lines)


def test_english_breaks_between_words() -> None:
    lines = wrap_text(Text("Chongqing University Bishan Institute of Advanced Technology"), 20)
    assert [line.plain for line in lines] == [
        "Chongqing University",
        "Bishan Institute of",
        "Advanced Technology",
    ]


def test_every_summary_of_the_article() -> None:
    dataset = load_dataset(None)
    for record in dataset.records:
        for value in (record.summary, record.title, record.title_en):
            for width in (24, 37, 58):
                lines = [line.plain for line in wrap_text(Text(value), width)]
                assert all(cell_len(line) <= width for line in lines)
                assert "".join(lines).replace(" ", "") == value.replace(" ", "")
                assert not any(line and line[0] in NO_LINE_START for line in lines[1:])
                assert wrapped_height(value, width) == len(lines)


def test_max_lines_ends_in_an_ellipsis() -> None:
    lines = wrap_text(Text("word " * 40), 12, 2)
    assert len(lines) == 2 and lines[-1].plain.endswith("…")
    assert all(cell_len(line.plain) <= 12 for line in lines)


@given(st.text(alphabet="璧山科创。，、（）“”abc ,.", max_size=80), st.integers(2, 30))
def test_wrapping_keeps_every_character_and_the_width(value: str, width: int) -> None:
    lines = [line.plain for line in wrap_text(Text(value), width)]
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == value.replace(" ", "")
