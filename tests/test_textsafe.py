"""The sanitiser: nothing from data reaches a terminal as a control sequence."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bishan_tui.textsafe import is_clean, one_line, visible

ARTICLE_TEXT = "重庆康佳光电技术研究院建成投入使用，已汇集行业专家 300余人，“黑科技”……——"


def test_article_text_is_untouched() -> None:
    assert visible(ARTICLE_TEXT) == ARTICLE_TEXT
    assert is_clean(ARTICLE_TEXT)


def test_escape_sequences_are_shown_not_obeyed() -> None:
    assert visible("a\x1b[2Jb") == "a\u241b[2Jb"
    osc52 = "\x1b]52;c;aGVsbG8=\x07"
    assert visible(osc52) == "\u241b]52;c;aGVsbG8=\u2407"


def test_cr_backspace_del_and_c1() -> None:
    assert visible("x\ry\bz\x7f") == "x\u240dy\u2408z\u2421"
    assert visible("\x9b31m") == "<U+009B>31m"


def test_bidi_and_zero_width_are_made_visible() -> None:
    assert visible("abc\u202edef") == "abc<U+202E>def"
    assert visible("康\u200b佳") == "康<U+200B>佳"


def test_newlines_kept_or_folded() -> None:
    assert visible("a\nb") == "a\nb"
    assert visible("a\nb", keep_newlines=False) == "a\u2424b"
    assert one_line("a\n  b\tc") == "a b c"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    shown = visible(text, keep_newlines=False)
    for char in shown:
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs"), repr(char)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b"
    assert is_clean(shown.replace("\u2424", ""))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_printable_text_is_left_alone(text: str) -> None:
    # Also shown (#16), though not of those categories: the Hangul fillers (letters),
    # the line and paragraph separators and the unassigned tag block U+E0000.
    shown = "\xad\u115f\u1160\u3164\uffa0\u2028\u2029"
    if any(char in shown or "\U000e0000" <= char <= "\U000e007f" for char in text):
        return
    assert visible(text) == text
