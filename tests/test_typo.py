"""The edit measures of typo tolerance against a plain, unoptimised reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bishan_tui.search.typo import edits_in


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance, the whole table."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


WORDS = st.text(alphabet="abcdk", max_size=8)


@given(WORDS, st.text(alphabet="abcdk", max_size=10))
def test_edits_in_is_the_best_alignment_with_any_part_of_the_text(word: str, text: str) -> None:
    best = min(
        osa(word, text[i:j]) for i in range(len(text) + 1) for j in range(i, len(text) + 1)
    )
    assert edits_in(word, text, limit=3) == min(best, 4)


def test_examples() -> None:
    assert edits_in("kangjai", "kangjia") == 1  # a swap counts one
    assert edits_in("patnet", "patent") == 1
    assert edits_in("instiute", "research institute of") == 1
    assert edits_in("abcdefgh", "zzzzzzzz", limit=2) == 3
