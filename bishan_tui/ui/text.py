"""Data as Rich ``Text``, and wrapping that suits Chinese.

Every data string reaches the screen through :func:`data_text`, which (1) builds a
``rich.text.Text`` — never markup, so a title ``[/x]`` shows literally — and (2) runs
the text through :mod:`bishan_tui.textsafe` so control characters are shown, not
obeyed.  Search highlights are applied to the *original* text's spans, segment by
segment, before each segment is made visible, so the spans stay right even when
``visible`` changes a segment's length.

No Textual here: only Rich and the core.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

from ..model import Record
from ..textnorm import merge_spans
from ..textsafe import visible

Spans = Sequence[tuple[int, int]]

HIGHLIGHT = "bold black on yellow"
LABEL = "bold"
DIM = "dim"

_WHITESPACE = re.compile(r"\s+")


def _safe(chunk: str, single_line: bool) -> str:
    chunk = visible(chunk)
    if single_line:
        chunk = _WHITESPACE.sub(" ", chunk)
    return chunk


def _clean_spans(spans: Spans, length: int) -> list[tuple[int, int]]:
    clipped = ((max(0, start), min(length, end)) for start, end in spans)
    return merge_spans(sorted((start, end) for start, end in clipped if start < end))


def data_text(
    text: str,
    spans: Spans = (),
    *,
    style: str = "",
    single_line: bool = False,
    highlight: str = HIGHLIGHT,
) -> Text:
    """``text`` (data) as a Rich ``Text``: never markup, control characters visible,
    ``spans`` (``[start, end)`` into ``text``) highlighted."""
    out = Text(style=style, no_wrap=single_line, overflow="ellipsis" if single_line else "fold")
    position = 0
    for start, end in _clean_spans(spans, len(text)):
        if start > position:
            out.append(_safe(text[position:start], single_line))
        out.append(_safe(text[start:end], single_line), highlight)
        position = end
    out.append(_safe(text[position:], single_line))
    return out


SpanLookup = Callable[[str], Spans]


def no_spans(_field: str) -> Spans:
    return ()


def field_str(record: Record, name: str) -> str:
    """A record's text field by name ("" when it has none of that name)."""
    value = getattr(record, name, "")
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------------
# Wrapping: Chinese between any two characters, English between words, and never a
# closing mark (。，）…) at the start of a line or an opening one at its end
# ---------------------------------------------------------------------------

NO_LINE_START = frozenset("。，、；：？！）」』》〉】〕”’…%‰·,.;:!?)]}—～")
NO_LINE_END = frozenset("（「『《〈【〔“‘([{")


def _break_before(text: str, i: int) -> bool:
    """Whether a line may start at ``text[i]`` (0 < i < len(text))."""
    here, before = text[i], text[i - 1]
    if here.isspace():
        return False
    if before.isspace():
        return True
    if here in NO_LINE_START or before in NO_LINE_END:
        return False
    return get_character_cell_size(here) == 2 or get_character_cell_size(before) == 2


def wrap_line(text: Text, width: int) -> list[Text]:
    """One paragraph (no newline) in lines of at most ``width`` cells, styles kept.

    Greedy: each line takes as much as fits and breaks at the last place allowed
    (:func:`_break_before`); a run with no such place (a long English word) is cut at
    the width.  Spaces where a line breaks are dropped."""
    plain = text.plain
    width = max(1, width)
    if cell_len(plain) <= width:
        return [text]
    lines: list[Text] = []
    start, n = 0, len(plain)
    while start < n:
        while start < n and plain[start] == " ":
            start += 1
        used, i, last_break = 0, start, -1
        while i < n:
            size = get_character_cell_size(plain[i])
            if i > start and (plain[i] == " " or _break_before(plain, i)):
                last_break = i
            if used + size > width:
                break
            used += size
            i += 1
        if i >= n:
            end = n
        elif last_break > start:
            end = last_break
        else:
            end = max(i, start + 1)
        line = text[start:end]
        line.rstrip()
        lines.append(line)
        start = end
    return lines


def wrap_text(text: Text, width: int, max_lines: int = 0) -> list[Text]:
    """``text`` (newlines kept) in lines of at most ``width`` cells; with ``max_lines``,
    the last line kept ends in an ellipsis when more would follow."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        lines.extend(wrap_line(paragraph, width) if paragraph.plain else [paragraph])
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if cell_len(last.plain) >= width:
            last.truncate(width - 1)
        last.append("…")
    return lines


def wrapped_height(value: str, width: int) -> int:
    """How many lines :func:`wrap_line` makes of a plain one-line string."""
    if cell_len(value) <= width:
        return 1
    return len(wrap_line(Text(value), width))
