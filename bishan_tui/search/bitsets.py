"""Sets of record ids as bitmaps: a Python int whose bit *i* is record *i*.

No Textual, no Rich.  Counts per kind are a ``bit_count``, intersections an ``&``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BYTE_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)
)


def members(bits: int, limit: int | None = None) -> list[int]:
    """The record ids of a bitmap, ascending (at most ``limit``)."""
    if bits <= 0:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    out: list[int] = []
    table = _BYTE_BITS
    pos = 0
    find_nonzero = _NONZERO.search
    while True:
        hit = find_nonzero(data, pos)
        if hit is None:
            break
        start, end = hit.span()
        for index in range(start, end):
            base = index << 3
            out.extend([base + bit for bit in table[data[index]]])
        if limit is not None and len(out) >= limit:
            return out[:limit]
        pos = end
    return out


_NONZERO = re.compile(b"[^\x00]+")


def bitmap(ids: Iterable[int]) -> int:
    """The bitmap of some record ids."""
    if isinstance(ids, list) and len(ids) <= 32:
        # Few ids (most characters of a small dataset): OR-ing is cheaper than
        # filling a buffer; the bundled dataset's build spent 5 ms here.
        bits = 0
        for rid in ids:
            bits |= 1 << rid
        return bits
    buffer = bytearray()
    size = 0
    for rid in ids:
        byte = rid >> 3
        if byte >= size:
            buffer.extend(bytes(byte - size + 1 + (size >> 1)))
            size = len(buffer)
        buffer[byte] |= 1 << (rid & 7)
    return int.from_bytes(buffer, "little")


Posting = int | list[int]  # a bitmap, or (for rare tokens) a short list of ids
