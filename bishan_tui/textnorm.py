"""Text normalisation for search: NFKC + casefold, with a map back to the original.

Pure (no Textual, no Rich).  The dataset's texts are normalised character by
character so that every character of the normalised text can be traced back to the
character of the original text it came from (full-width ``２．８５`` becomes
``2.85``; ``ß`` becomes ``ss``).  Queries are normalised the same way, and their
traditional characters are converted to simplified ones with OpenCC (imported
lazily, only for a query that has CJK characters).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from typing import Protocol

# Characters at or above this code point are "wide" (CJK, kana, hangul, CJK
# punctuation …): each is indexed on its own.  Runs of the others form tokens.
WIDE = "\u2e80"


def has_wide(text: str) -> bool:
    return not text.isascii() and max(text) >= WIDE


def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold()


# Folding is per character, memoised: a translate table of the characters whose
# fold differs, the characters already looked at, and those that fold to other
# than one character (they need an offset map).  str.translate then does the work
# in C: the bundled dataset's index build went from ~9 ms of folding to ~1 ms.
# Entries are added before their character is marked seen, so a thread that sees
# a character as seen finds its entry.
_TABLE: dict[int, str] = {}
_SEEN: set[str] = set()
_NOT_ONE: set[str] = set()


def _learn(text: str) -> set[str]:
    chars = set(text)
    new = chars - _SEEN
    for char in new:
        folded = _fold_char(char)
        if folded != char:
            _TABLE[ord(char)] = folded
            if len(folded) != 1:
                _NOT_ONE.add(char)
        _SEEN.add(char)
    return chars


def normalize(text: str) -> str:
    """The searchable form of a text (same result as ``normalize_map(text)[0]``)."""
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFC", text):
        return normalize_map(text)[0]
    _learn(text)
    return text.translate(_TABLE)


def _composed(text: str) -> tuple[str, list[int]]:
    """NFC of the whole text (``e`` + U+0301 becomes ``é``), and for each character
    the index of the original character its cluster starts at.

    Folding one character at a time cannot compose a base with its combining marks,
    so a field stored decomposed (NFD) is composed first, cluster by cluster.
    """
    parts: list[str] = []
    offsets: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and (
            unicodedata.combining(text[index]) or "\u1160" <= text[index] <= "\u11ff"
        ):
            continue  # a combining mark or a Hangul vowel/final: same cluster
        cluster = unicodedata.normalize("NFC", text[start:index])
        parts.append(cluster)
        offsets.extend([start] * len(cluster))
        start = index
    return "".join(parts), offsets


def normalize_map(text: str) -> tuple[str, list[int] | None]:
    """The searchable form of a text, and for each of its characters the index of
    the original character it came from (``None`` when the two are the same length
    and aligned one to one)."""
    if text.isascii():
        return text.lower(), None
    if not unicodedata.is_normalized("NFC", text):
        composed, first = _composed(text)
        norm, inner = normalize_map(composed)
        return norm, first if inner is None else [first[i] for i in inner]
    chars = _learn(text)
    if chars.isdisjoint(_NOT_ONE):
        return text.translate(_TABLE), None
    parts: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _TABLE.get(ord(char), char)
        parts.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(parts), offsets


def original_span(
    offsets: list[int] | None, start: int, end: int, length: int
) -> tuple[int, int]:
    """Map a span [start, end) of a normalised text back to its original text."""
    if offsets is None:
        return start, end
    if start >= len(offsets):
        return length, length
    first = offsets[start]
    last = offsets[end - 1] + 1 if end > start else first
    if end > start:  # up to where the next character begins: combining marks included
        last = max(last, offsets[end] if end < len(offsets) else length)
    return first, max(first, last)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans [start, end) sorted, with the overlapping and touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


_t2s: _Converter | None = None
_t2s_failed = False
_t2s_lock = threading.Lock()


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s); the text itself if it has no
    CJK characters or OpenCC is unavailable."""
    global _t2s, _t2s_failed
    if not has_wide(text):
        return text
    with _t2s_lock:
        if _t2s is None and not _t2s_failed:
            try:
                import opencc

                _t2s = opencc.OpenCC("t2s")
            except Exception:  # OpenCC missing or broken: search still works
                _t2s_failed = True
        converter = _t2s
    if converter is None:
        return text
    try:
        return converter.convert(text)
    except Exception:
        return text


def normalize_query(query: str) -> str:
    """NFKC + casefold of a whole query (composes what the text composes)."""
    return unicodedata.normalize("NFKC", query).casefold()
