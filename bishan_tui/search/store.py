"""The saved search index: a file format whose reader cannot crash the interpreter.

No Textual, no Rich.  What is saved is an :class:`~.state.IndexData` (the typed
structures of a built index, its pinyin readings among them); this module is the one
place that converts it to and from the file (:func:`save`, :func:`load`).

Layout of an entry::

    MAGIC | key (the dataset_key) | tag (keyed BLAKE2b) | JSON length (8 bytes) | JSON | bitmaps

* The JSON holds every list, dict and string of the index; a bitmap (a Python int
  whose bit *i* is record *i*) is written as a number *k* that refers to the *k*-th
  bitmap, and the bitmaps follow as raw little-endian bytes, their lengths in the
  JSON.  JSON cannot say "a big integer" without decimal text (slow, and bounded by
  Python's int-to-str limit); bytes can.
* ``marshal`` is never used: a crafted 10-byte marshal payload segfaults
  the interpreter.  ``json.loads`` and ``int.from_bytes`` can only raise.
* Read through :func:`~bishan_tui.cachedir.read_entry` (no symlinks, no FIFOs, size
  bound, magic and key first), the tag checked against the cache folder's secret
  (a planted or poisoned index is a miss, however well formed), then every value
  validated: types, lengths equal to the record count, ids and bits in range, the
  readings plain pinyin.  Any problem is a miss with a note, and the index is rebuilt.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from ..cachedir import TAG_BYTES, note, prune, read_entry, seal, unseal, write_atomically
from ..loader import gc_paused
from ..model import KINDS
from .groups import GroupData
from .pinyin import Readings
from .state import IndexData

# 4: typed IndexData; the readings of the pinyin cache live only here now
INDEX_FORMAT = 4
MAGIC = b"bishan-tui search index v4\n"
MAX_ENTRY_BYTES = 1024**3
_LENGTH = 8


class _Bad(Exception):
    """A value of the saved index that is not what the index holds."""


# --------------------------------------------------------------------------- writing


def _encode(data: IndexData) -> tuple[bytes, bytes]:
    """(JSON, bitmaps) of an index."""
    bitmaps: list[bytes] = []
    sizes: list[int] = []

    def ref(bits: int) -> int:
        raw = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
        bitmaps.append(raw)
        sizes.append(len(raw))
        return len(sizes) - 1

    def char_refs(value: dict[str, int]) -> dict[str, int]:
        return {char: ref(bits) for char, bits in value.items()}

    def group(part: GroupData) -> dict[str, object]:
        return {
            "hay": part.hay,
            "wide": char_refs(part.wide),
            "py_wide": None if part.py_wide is None else char_refs(part.py_wide),
            # a bitmap as its number k; a short list of ids as itself
            "vocab": {
                token: ref(ids) if isinstance(ids, int) else ids
                for token, ids in part.vocab.items()
            },
            "py_starts": part.py_starts,
            "py_blob": part.py_blob,
        }

    document: dict[str, object] = {
        "format": INDEX_FORMAT,
        "count": len(data.title.hay),
        "readings": {char: list(found) for char, found in data.readings.items()},
        "title": group(data.title),
        "other": group(data.other),
        "exact": data.exact,
        "title_keys": data.title_keys,
        "title_ids": data.title_ids,
        "kinds": {kind: ref(bits) for kind, bits in data.kind_masks.items()},
        "pairs": sorted(data.pairs),
        "spoken": {word: list(said) for word, said in data.spoken.items()},
        "bitmaps": sizes,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8", "surrogatepass"), b"".join(bitmaps)


def save(entry: Path, key: bytes, data: IndexData) -> bool:
    """Store an index atomically; ``False`` (never an exception) if it cannot be."""
    try:
        head, bitmaps = _encode(data)
    except (TypeError, ValueError, RecursionError, OverflowError) as error:
        note(f"cache: the index cannot be saved ({type(error).__name__})")
        return False
    header = MAGIC + key
    length = len(head).to_bytes(_LENGTH, "little")
    tag = seal(entry.parent, header, length + head + bitmaps)
    if tag is None:
        return False

    def write(handle: Any) -> None:
        handle.write(header)
        handle.write(tag)
        handle.write(length)
        handle.write(head)
        handle.write(bitmaps)

    done = write_atomically(entry, write)
    if done:
        prune(entry.parent, keep=entry)
    return done


# --------------------------------------------------------------------------- reading


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise _Bad(what)


def _strs(value: object, what: str) -> list[str]:
    _check(isinstance(value, list), what)
    assert isinstance(value, list)
    _check(set(map(type, value)) <= {str}, what)
    return value


def _ids(value: object, count: int, what: str) -> list[int]:
    _check(isinstance(value, list), what)
    assert isinstance(value, list)
    _id_lists([value], count, what)
    return value


def _id_lists(lists: list[Any], count: int, what: str) -> None:
    """Every item a list of record ids (checked all at once: an index has thousands
    of short lists, and a check per list cost more than the JSON parse)."""
    _check(set(map(type, lists)) <= {list}, what)
    flat = list(itertools.chain.from_iterable(lists))
    if flat:
        _check(set(map(type, flat)) == {int}, what)
        _check(min(flat) >= 0 and max(flat) < count, what)


class _Decoder:
    def __init__(self, document: dict[str, Any], bitmaps: memoryview, count: int) -> None:
        sizes = document.get("bitmaps")
        _check(isinstance(sizes, list) and set(map(type, sizes)) <= {int}, "bitmap sizes")
        assert isinstance(sizes, list)
        limit = (count + 7) >> 3
        _check(all(0 <= size <= limit for size in sizes), "bitmap sizes")
        _check(sum(sizes) == len(bitmaps), "bitmap bytes")
        self.bitmaps = bitmaps
        self.starts: list[int] = []
        position = 0
        for size in sizes:
            self.starts.append(position)
            position += size
        self.starts.append(position)
        self.count = count

    def bits(self, ref: object) -> int:
        (value,) = self.many_bits([ref], "bitmap reference")
        return value

    def many_bits(self, refs: list[Any], what: str) -> list[int]:
        """The bitmaps that ``refs`` name, each checked to hold no record past the last."""
        if not refs:
            return []
        _check(set(map(type, refs)) == {int}, what)
        _check(min(refs) >= 0 and max(refs) < len(self.starts) - 1, what)
        data, starts = self.bitmaps, self.starts
        values = [int.from_bytes(data[starts[ref] : starts[ref + 1]], "little") for ref in refs]
        _check(max(map(int.bit_length, values)) <= self.count, f"{what}: bits")
        return values

    def char_bits(self, value: object, what: str) -> dict[str, int]:
        _check(isinstance(value, dict), what)
        assert isinstance(value, dict)
        _check(all(len(char) == 1 for char in value), what)
        return dict(zip(value, self.many_bits(list(value.values()), what), strict=True))

    def group(self, value: object, what: str) -> GroupData:
        _check(isinstance(value, dict), what)
        assert isinstance(value, dict)
        count = self.count
        hay = _strs(value.get("hay"), f"{what} text")
        _check(len(hay) == count, f"{what} text")
        wide = self.char_bits(value.get("wide"), f"{what} characters")
        raw_py = value.get("py_wide")
        py_wide = None if raw_py is None else self.char_bits(raw_py, f"{what} pinyin")
        raw_vocab = value.get("vocab")
        _check(isinstance(raw_vocab, dict), f"{what} tokens")
        assert isinstance(raw_vocab, dict)
        joined = "\n".join(raw_vocab)
        # no empty token, none with a line break (the blob's separator)
        _check("" not in raw_vocab and joined.count("\n") == max(0, len(raw_vocab) - 1), what)
        tokens = list(raw_vocab)
        postings = list(raw_vocab.values())
        dense = [i for i, posting in enumerate(postings) if type(posting) is int]
        _id_lists([p for p in postings if type(p) is not int], count, f"{what} tokens")
        for i, bits in zip(dense, self.many_bits([postings[i] for i in dense], what), strict=True):
            postings[i] = bits
        vocab: dict[str, int | list[int]] = dict(zip(tokens, postings, strict=True))
        py_blob = value.get("py_blob")
        _check(isinstance(py_blob, str), f"{what} pinyin text")
        assert isinstance(py_blob, str)
        py_starts = value.get("py_starts")
        _check(isinstance(py_starts, list) and len(py_starts) == count, f"{what} offsets")
        assert isinstance(py_starts, list)
        if py_starts:
            _check(set(map(type, py_starts)) == {int}, f"{what} offsets")
            _check(
                py_starts[0] == 0
                and all(a <= b for a, b in itertools.pairwise(py_starts))
                and py_starts[-1] <= len(py_blob) + 1,
                f"{what} offsets",
            )
        return GroupData(hay, wide, py_wide, vocab, py_starts, py_blob)


def _readings(value: object, what: str = "readings", key_length: int = 1) -> Readings:
    """Characters (or words of ``key_length`` characters) and their pinyin readings."""
    _check(isinstance(value, dict), what)
    assert isinstance(value, dict)
    _check(all(len(key) == key_length for key in value), what)
    lists = list(value.values())
    _check(set(map(type, lists)) <= {list}, what)
    flat = list(itertools.chain.from_iterable(lists))
    if flat:  # plain pinyin: 1 to 8 ASCII letters each
        _check(set(map(type, flat)) == {str}, what)
        _check(min(map(len, flat)) >= 1 and max(map(len, flat)) <= 8, what)
        letters = "".join(flat)
        _check(letters.isascii() and letters.isalpha(), what)
    return dict(zip(value, map(tuple, lists), strict=True))


def _decode(document: object, bitmaps: memoryview, count: int) -> IndexData:
    _check(isinstance(document, dict), "not an index")
    assert isinstance(document, dict)
    _check(document.get("format") == INDEX_FORMAT, "another format")
    _check(document.get("count") == count, "another dataset")
    decoder = _Decoder(document, bitmaps, count)
    readings = _readings(document.get("readings"))
    title = decoder.group(document.get("title"), "title")
    other = decoder.group(document.get("other"), "other")
    exact = document.get("exact")
    _check(isinstance(exact, dict), "exact titles")
    assert isinstance(exact, dict)
    _id_lists(list(exact.values()), count, "exact titles")
    keys = _strs(document.get("title_keys"), "titles")
    title_ids = _ids(document.get("title_ids"), count, "titles")
    _check(len(keys) == len(title_ids), "titles")
    _check(all(a <= b for a, b in itertools.pairwise(keys)), "titles")
    raw_kinds = document.get("kinds")
    _check(isinstance(raw_kinds, dict) and set(raw_kinds) == set(KINDS), "kinds")
    assert isinstance(raw_kinds, dict)
    masks = {kind: decoder.bits(raw_kinds[kind]) for kind in KINDS}
    pairs = _strs(document.get("pairs"), "word pairs")
    _check(all(len(pair) == 2 for pair in pairs), "word pairs")
    spoken = _readings(document.get("spoken"), "word readings", key_length=2)
    _check(all(len(said) == 2 for said in spoken.values()), "word readings")
    return IndexData(
        readings, title, other, exact, keys, title_ids, masks, frozenset(pairs), spoken
    )


def load(entry: Path, key: bytes, count: int) -> IndexData | None:
    """The index saved in ``entry`` for a dataset of ``count`` records, validated, or
    ``None`` (with a note) for any problem."""
    blob = read_entry(entry, MAGIC, key, max_bytes=MAX_ENTRY_BYTES)
    if blob is None:
        return None
    head = len(MAGIC) + len(key)
    view = memoryview(blob)
    body = view[head + TAG_BYTES :]
    try:
        if len(body) < _LENGTH or not unseal(
            entry.parent, blob[:head], view[head : head + TAG_BYTES], body
        ):
            note(
                f"cache: {entry.name} fails its check (damaged, or not written by bishan-tui "
                "for this user); ignored"
            )
            return None
        length = int.from_bytes(body[:_LENGTH], "little")
        if length > len(body) - _LENGTH:
            note(f"cache: {entry.name} is truncated; ignored")
            return None
        with gc_paused():
            document = json.loads(body[_LENGTH : _LENGTH + length].tobytes())
            return _decode(document, body[_LENGTH + length :], count)
    except _Bad as problem:
        note(f"cache: {entry.name} is not a valid index ({problem}); ignored")
        return None
    except (ValueError, RecursionError, MemoryError, TypeError, KeyError) as error:
        note(f"cache: {entry.name} is damaged ({type(error).__name__}); ignored")
        return None
