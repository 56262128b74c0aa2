"""Pinyin: the readings of a dataset's characters, and query words read as pinyin.

No Textual, no Rich.  A word of ASCII letters matches a run of characters when it
spells their toneless pinyin (full syllables, the last one possibly cut short while
typing: ``kangjia``, ``kangj``, ``chongqing``) or their initials (``kjgd``), not
starting inside a word (:func:`mid_word`).  The readings come from pypinyin
(:func:`compute_readings`) when an index is built; they are saved with the index
(:mod:`.store`), so a start that loads a saved index never imports pypinyin.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..fieldspec import SharedMethods
from ..model import Dataset
from ..textnorm import WIDE, normalize
from .fields import pinyin_field
from .lru import LRU

Readings = dict[str, tuple[str, ...]]

MAX_PINYIN_WORD = 64  # longer ASCII words are not tried as pinyin
MAX_SEGMENTATIONS = 24  # ways to cut one word into syllables
_LONGEST_SYLLABLE = 6  # zhuang, shuang …
_PATTERNS_KEPT = 512  # compiled words kept per dataset (least recently used dropped)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PinyinWord(SharedMethods):
    """A word read as pinyin: the regex, and its alternatives as classes of characters."""

    regex: re.Pattern[str]
    alternatives: tuple[tuple[str, ...], ...]


class Pinyin:
    """Readings of the dataset's characters, and query words → regexes."""

    def __init__(self, readings: Readings) -> None:
        by_reading: dict[str, set[str]] = {}
        for char, char_readings in readings.items():
            for reading in char_readings:
                by_reading.setdefault(reading, set()).add(char)
                if "ve" in reading:  # 略 lve is typed lue as often (no other syllable is)
                    by_reading.setdefault(reading.replace("ve", "ue"), set()).add(char)
        self.full: dict[str, str] = {
            reading: char_class(chars) for reading, chars in by_reading.items()
        }
        self._by_reading = by_reading
        self._prefix: dict[str, str] = {}
        self._patterns: LRU[str, PinyinWord | None] = LRU(_PATTERNS_KEPT)

    def prefix_class(self, prefix: str) -> str:
        found = self._prefix.get(prefix)
        if found is None:
            chars: set[str] = set()
            for reading, reading_chars in self._by_reading.items():
                if reading.startswith(prefix):
                    chars |= reading_chars
            found = char_class(chars)
            self._prefix[prefix] = found
        return found

    def pattern(self, word: str) -> PinyinWord | None:
        """The CJK runs that ``word`` spells (regex and classes), or ``None``."""
        if not (word.isascii() and word.isalpha()) or len(word) > MAX_PINYIN_WORD:
            return None
        return self._patterns.get(word, self._compile)

    def _cuts(self, word: str, pos: int, memo: dict[int, list[list[str]]]) -> list[list[str]]:
        """The ways to read ``word[pos:]`` as syllables (a class of characters each),
        the last one possibly cut short.  A method, not a recursive closure: that
        would be a reference cycle holding this object."""
        if pos in memo:
            return memo[pos]
        out: list[list[str]] = []
        rest = word[pos:]
        for end in range(min(len(word) - 1, pos + _LONGEST_SYLLABLE), pos, -1):
            cls = self.full.get(word[pos:end])
            if cls is None:
                continue
            for tail in self._cuts(word, end, memo):
                out.append([cls, *tail])
                if len(out) >= MAX_SEGMENTATIONS:
                    break
            if len(out) >= MAX_SEGMENTATIONS:
                break
        if len(rest) <= _LONGEST_SYLLABLE and len(out) < MAX_SEGMENTATIONS:
            last = self.prefix_class(rest)
            if last:
                out.append([last])
        memo[pos] = out
        return out

    def _compile(self, word: str) -> PinyinWord | None:
        if not self.full:
            return None
        alternatives = list(self._cuts(word, 0, {}))
        if len(word) > 1:
            initials = [self.prefix_class(letter) for letter in word]
            if all(initials):
                alternatives.append(initials)
        if not alternatives:
            return None
        alternatives.sort(key=len)
        seen: set[tuple[str, ...]] = set()
        branches: list[str] = []
        kept: list[tuple[str, ...]] = []
        for alternative in alternatives:
            key = tuple(alternative)
            if key not in seen:
                seen.add(key)
                kept.append(key)
                branches.append(_GAP.join(f"[{escape_class(cls)}]" for cls in alternative))
        return PinyinWord(re.compile("|".join(branches)), tuple(kept))


# Between the characters a pinyin word spells, up to three marks that are not
# letters, digits or line breaks: xibuchongqing finds 西部（重庆）, and the
# initials bsgxq still need the characters next to each other otherwise.
_GAP = r"[^\w\n]{0,3}"


def escape_class(chars: str) -> str:
    return "".join(re.escape(char) for char in chars)


def char_class(chars: Iterable[str]) -> str:
    """The characters of a class, sorted (escaped for a regex by :func:`escape_class`)."""
    return "".join(sorted(chars))


def mid_word(text: str, pos: int, pairs: frozenset[str]) -> bool:
    """Whether a match at ``pos`` starts inside a word: the character before it and
    its first character make a two-character word of the dictionary (``pairs``),
    and its first two characters do not (转化为: 化为 starts inside 转化)."""
    return (
        pos > 0
        and text[pos - 1 : pos + 1] in pairs
        and text[pos : pos + 2] not in pairs
    )


def first_word_match(
    search: Callable[[str, int, int], re.Match[str] | None],
    text: str,
    start: int,
    end: int,
    pairs: frozenset[str],
) -> re.Match[str] | None:
    """The first match of a pinyin regex in ``text[start:end]`` that does not start
    inside a word."""
    pos = start
    while pos < end:
        found = search(text, pos, end)
        if found is None:
            return None
        if not pairs or not mid_word(text, found.start(), pairs):
            return found
        pos = found.start() + 1
    return None


def word_pairs(
    readings: Readings,
) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The two-character words of pypinyin's phrase dictionary made of the dataset's
    characters (``readings`` has every character read as pinyin): they tell a pinyin
    match that starts inside a word (:func:`mid_word`).  With them, the readings of
    those words whose reading is not their characters' first (重庆 is *chong qing*,
    重 alone *zhong*), for sorting.  Empty if the dictionary cannot be loaded (then no
    match is refused for it)."""
    if not readings:
        return frozenset(), {}
    try:
        from pypinyin.constants import PHRASES_DICT
    except Exception:  # pypinyin missing or broken: matches are not refused
        return frozenset(), {}
    import unicodedata

    pairs: set[str] = set()
    spoken: dict[str, tuple[str, ...]] = {}
    for word, said in PHRASES_DICT.items():
        if len(word) != 2 or word[0] not in readings or word[1] not in readings:
            continue
        pairs.add(word)
        try:
            toneless = tuple(
                "".join(
                    c
                    for c in unicodedata.normalize("NFD", options[0].replace("ü", "v"))
                    if not unicodedata.combining(c)
                )
                for options in said
            )
        except (IndexError, AttributeError, TypeError):
            continue
        first = tuple((readings[char] or ("",))[0] for char in word)
        if len(toneless) == 2 and toneless != first:
            spoken[word] = toneless
    return frozenset(pairs), spoken


def pinyin_chars(dataset: Dataset) -> set[str]:
    chars: set[str] = set()
    for record in dataset.records:
        for name, text in record.text_fields():
            if pinyin_field(name) and not text.isascii():
                chars.update(char for char in normalize(text) if char >= WIDE)
    return chars


def compute_readings(chars: Iterable[str]) -> Readings:
    """Every toneless reading of each character (``ü`` is written ``v``), from
    pypinyin; characters without a reading map to ``()``."""
    from pypinyin import Style, pinyin

    result: Readings = {}
    for char in sorted(set(chars)):
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        readings: list[str] = []
        for group in found:
            for reading in group:
                clean = reading.strip().lower().replace("ü", "v")
                if clean.isascii() and clean.isalpha() and clean not in readings:
                    readings.append(clean)
        result[char] = tuple(readings)
    return result
