"""The inverted index of one group of fields (names, or the others) over all records.

No Textual, no Rich.  For each group:

* ``hay[i]``: record *i*'s normalised fields joined by ``\\n`` (a query word never
  contains white space, so it cannot match across fields);
* an inverted index of each wide (CJK …) character → record ids: a word with CJK
  characters is looked for only in the records holding all of them;
* a vocabulary of tokens (runs of non-space, non-wide characters) → record ids, and
  all tokens in one ``\\n``-joined blob: an ASCII word is found with ``str.find`` in
  the (small) blob, each hit names a token, its postings the records;
* the pinyin-searchable fields of all records in one blob, searched with one regex of
  character classes per word, offsets mapped to records with ``bisect``.

What is saved of a group is :class:`GroupData` (:mod:`.store` writes and reads it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from ..textnorm import WIDE
from .bitsets import Posting, bitmap, members
from .lru import LRU
from .pinyin import PinyinWord, first_word_match

# A run of narrow (below U+2E80), non-space, non-control characters.  Spelled
# out, because [^\s\u2e80-\U0010ffff] takes ~2.7 ms to compile on every start;
# compiled when an index is built (GroupBuilder), not by a lookup that loads one
# (~0.4 ms).
TOKEN = (
    "[!-\x84\x86-\x9f\xa1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2e7f]+"
)
_CLASSES_KEPT = 2048  # character classes' bitmaps kept per group


class GroupData(NamedTuple):
    """What a group is made of (and what is saved of it)."""

    hay: list[str]
    wide: dict[str, int]  # character -> records
    py_wide: dict[str, int] | None  # of the pinyin fields; None: the same as ``wide``
    vocab: dict[str, Posting]  # token -> records
    py_starts: list[int]  # where each record's pinyin fields start in py_blob
    py_blob: str


class GroupBuilder:
    """Collects a group's records one by one (:meth:`add`), then :meth:`finish`."""

    def __init__(self, *, py_is_wide: bool = False) -> None:
        self.py_is_wide = py_is_wide  # the pinyin fields are all the wide ones
        self.hay: list[str] = []
        self.py_starts: list[int] = []
        self._wide_ids: defaultdict[str, list[int]] = defaultdict(list)
        self._py_ids: defaultdict[str, list[int]] = defaultdict(list)
        self._vocab_ids: defaultdict[str, list[int]] = defaultdict(list)
        self._py_parts: list[str] = []
        self._py_len = 0
        self._tokens = re.compile(TOKEN).findall

    def add(self, rid: int, texts: list[str], py_texts: list[str]) -> None:
        hay = "\n".join(texts)
        self.hay.append(hay)
        if not hay.isascii():
            wide = self._wide_ids
            for char in {c for c in set(hay) if c >= WIDE}:
                wide[char].append(rid)
        vocab = self._vocab_ids
        for token in set(self._tokens(hay)):
            vocab[token].append(rid)
        part = "\n".join(py_texts)
        if part and not self.py_is_wide:
            py = self._py_ids
            for char in {c for c in set(part) if c >= WIDE}:
                py[char].append(rid)
        self.py_starts.append(self._py_len)
        self._py_parts.append(part)
        self._py_len += len(part) + 1

    def finish(self) -> GroupData:
        count = len(self.hay)
        dense = max(8, count >> 6)  # a list of ids costs 64 bits an id
        return GroupData(
            hay=self.hay,
            wide={char: bitmap(ids) for char, ids in self._wide_ids.items()},
            py_wide=None
            if self.py_is_wide
            else {char: bitmap(ids) for char, ids in self._py_ids.items()},
            vocab={
                token: bitmap(ids) if len(ids) > dense else ids
                for token, ids in self._vocab_ids.items()
            },
            py_starts=self.py_starts,
            py_blob="\n".join(self._py_parts),
        )


class Group:
    """A group's index, ready for queries."""

    def __init__(self, data: GroupData) -> None:
        self.data = data
        self.hay = data.hay
        self.wide = data.wide
        self.py_wide = data.wide if data.py_wide is None else data.py_wide
        self.vocab = data.vocab
        self.vocab_blob = "\n" + "\n".join(data.vocab) + "\n"
        self.py_starts = data.py_starts
        self.py_blob = data.py_blob
        self._classes: LRU[str, int] = LRU(_CLASSES_KEPT)

    def find(self, word: str, within: int = -1) -> int:
        """Records (a bitmap) whose fields of this group hold ``word`` as a substring."""
        if not word:
            return 0
        wide_chars = {char for char in word if char >= WIDE}
        if wide_chars:
            found = within
            wide = self.wide
            for char in sorted(wide_chars, key=lambda c: wide.get(c, 0).bit_count()):
                posting = wide.get(char)
                if posting is None:
                    return 0
                found &= posting
                if not found:
                    return 0
            if len(word) == 1:
                return found
            hay = self.hay
            return bitmap(rid for rid in members(found) if word in hay[rid])
        if " " in word:  # a phrase: records holding each of its words, then the phrase
            found = within
            for part in word.split():
                found &= self.find(part, found)
                if not found:
                    return 0
            hay = self.hay
            return bitmap(rid for rid in members(found) if word in hay[rid])
        result = 0
        rare: list[int] = []
        blob = self.vocab_blob
        vocab = self.vocab
        pos = blob.find(word)
        while pos >= 0:
            start = blob.rfind("\n", 0, pos) + 1
            end = blob.find("\n", pos)
            token_ids = vocab[blob[start:end]]
            if isinstance(token_ids, int):
                result |= token_ids
            else:
                rare.extend(token_ids)
            pos = blob.find(word, end)
        if rare:
            result |= bitmap(rare)
        return result & within

    def _class_bits(self, chars: str) -> int:
        """Records holding any character of a class (in their pinyin fields)."""
        found = 0
        py_wide = self.py_wide
        for char in chars:
            found |= py_wide.get(char, 0)
        return found

    def find_pinyin(
        self, word: PinyinWord, within: int = -1, pairs: frozenset[str] = frozenset()
    ) -> int:
        """Records (a bitmap) whose pinyin fields match.  A record must hold a
        character of each class of an alternative: one-class alternatives need no
        more; the others are checked with the regex on that record's text only, and
        a match there must start on a word (:func:`mid_word` with ``pairs``)."""
        exact = 0
        maybe = 0
        for alternative in word.alternatives:
            found = within
            for chars in alternative:
                found &= self._classes.get(chars, self._class_bits)
                if not found:
                    break
            if len(alternative) == 1:
                exact |= found
            else:
                maybe |= found
        maybe &= ~exact
        if not maybe:
            return exact
        starts = self.py_starts
        blob = self.py_blob
        last = len(starts) - 1
        search = word.regex.search
        end = len(blob)
        ok = [
            rid
            for rid in members(maybe)
            if first_word_match(
                search, blob, starts[rid], starts[rid + 1] if rid < last else end, pairs
            )
            is not None
        ]
        return exact | bitmap(ok)
