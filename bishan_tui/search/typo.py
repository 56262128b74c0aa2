"""The typo measure: edits between a typed word and the text it was meant to be.

Pure (no Textual, no Rich).  One *edit* is a letter inserted, deleted, replaced, or
two neighbouring letters swapped (optimal string alignment distance), so ``kangjai``
is one edit from ``kangjia`` and ``patnet`` one from ``patent``.  The search accepts
one edit in a Latin word of :data:`TYPO_MIN_LETTERS` letters or more; the "no
matches" suggestions rank titles by the same count.
"""

from __future__ import annotations

from collections.abc import Iterable

ascii_lowercase = "abcdefghijklmnopqrstuvwxyz"  # (importing string costs ~0.5 ms)

TYPO_MIN_LETTERS = 5  # words shorter than this are matched exactly
TYPO_MAX_LETTERS = 24  # longer ones too: their variants would cost more than they find


def typo_allowed(word: str) -> bool:
    """Whether a query word may match with one edit: Latin letters, 5 to 24."""
    return TYPO_MIN_LETTERS <= len(word) <= TYPO_MAX_LETTERS and word.isascii() and word.isalpha()


def one_edit_variants(word: str) -> set[str]:
    """Every string one edit (insert, delete, replace a–z, swap neighbours) away."""
    out: set[str] = set()
    size = len(word)
    for i in range(size):
        out.add(word[:i] + word[i + 1 :])
        if i + 1 < size and word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for letter in ascii_lowercase:
            if letter != word[i]:
                out.add(word[:i] + letter + word[i + 1 :])
    for i in range(size + 1):
        for letter in ascii_lowercase:
            out.add(word[:i] + letter + word[i:])
    out.discard(word)
    return out


def edits_in(word: str, text: str, limit: int = 3) -> int:
    """Fewest edits that make ``word`` appear somewhere in ``text`` (a free start and
    end in ``text``; swaps count one), capped at ``limit + 1``."""
    if not word or word in text:
        return 0
    return _alignment(word, text, limit)


def _alignment(word: str, text: str, limit: int) -> int:
    """The optimal-string-alignment table of ``word`` against ``text``, one row at a
    time, given up as soon as a row's best exceeds ``limit``; the match may start and
    end anywhere in ``text`` (row 0 all zeros, the last row's minimum)."""
    size = len(text)
    previous2: list[int] = []
    previous = [0] * (size + 1)
    for i, char in enumerate(word, 1):
        current = [i] + [0] * size
        best = i
        for j in range(1, size + 1):
            other = text[j - 1]
            cost = 0 if char == other else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == text[j - 2] and word[i - 2] == other:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            if value < best:
                best = value
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(min(previous), limit + 1)


def likely_first(word: str, variants: Iterable[str]) -> list[str]:
    """Variants of a word, the likelier typos first: two letters swapped (``jai`` for
    ``jia``), then a letter left out, then one replaced, then one added."""

    def rank(variant: str) -> tuple[int, str]:
        if len(variant) < len(word):
            return (1, variant)
        if len(variant) > len(word):
            return (3, variant)
        if sorted(variant) == sorted(word):
            return (0, variant)
        return (2, variant)

    return sorted(variants, key=rank)
