"""The article's text as lines on screen, headless: wrapping, the lines of a width,
the styles of one line, the records quoting a place and the line of information.

:class:`~bishan_tui.widgets.article_view.ArticleView` draws what is built here.
Widths are cell widths (``rich.cells``): a Chinese character takes two.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, pairwise

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

from ..article import ArticleMap, article_blocks
from ..model import Dataset, Record
from ..textsafe import visible
from .text import HIGHLIGHT, NO_LINE_END, NO_LINE_START
from .words import Lang, word

QUOTED = "underline"  # every span a record quotes
QUOTED_COLOUR = "cyan"
CURRENT = "bold reverse"  # the span or hit under the cursor, and an opened record's quotes
HIT = HIGHLIGHT  # a search hit, as in the table and the detail
UNQUOTED = "dim"  # a sentence no record quotes
ROLE_STYLE = {
    "headline": "bold",
    "heading": "bold",
    "byline": "italic",
    "caption": "italic",
}
ROLE_PREFIX = {"link-box": "┃ ", "caption": "▣ "}
Target = tuple[int, int, int]  # (paragraph, start, end)


def char_cells(char: str) -> int:
    return get_character_cell_size(char) if char.isprintable() else cell_len(visible(char))


class _Cells(dict[str, int]):
    """Cells of each character seen so far (looked up in C by ``map``)."""

    def __missing__(self, char: str) -> int:
        cells = self[char] = char_cells(char)
        return cells


_CELLS = _Cells()


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """[start, end) of each line of ``text`` wrapped to ``width`` cells: anywhere
    between Chinese characters, at a space inside a run of Latin letters or digits,
    never with closing punctuation at the start of a line or opening punctuation at
    its end.  The cells are summed once (``accumulate``) and each cut found by
    bisection, so the cost is one pass in C plus a little work per line."""
    width = max(2, width)
    size = len(text)
    cells = list(accumulate(map(_CELLS.__getitem__, text), initial=0))  # cells[i]: of text[:i]
    if cells[-1] <= width:
        return [(0, size)]
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        cut = bisect_right(cells, cells[start] + width, start) - 1  # text[start:cut] fits
        if cut >= size:
            out.append((start, size))
            return out
        cut = max(cut, start + 1)  # one character wider than the line
        char = text[cut]
        if char.isascii() and char.isalnum():
            space = text.rfind(" ", start + 1, cut)
            if space > start:
                cut = space + 1  # keep a Latin word whole
        else:
            while text[cut] in NO_LINE_START and cut - 1 > start:
                cut -= 1  # the character before the mark goes down with it
            while text[cut - 1] in NO_LINE_END and cut - 1 > start:
                cut -= 1  # an opening mark goes down with what it opens
        out.append((start, cut))
        start = cut


# One line on screen: (paragraph, start, end, prefix, style, text).  paragraph -1 is a
# line of its own (a section title, a blank, a message) whose text is ``text``; else
# the line shows paragraph.text[start:end].  Plain tuples: 10,000 paragraphs make
# ~25,000 of them on each wrap, and a tuple is the cheapest to make.
Line = tuple[int, int, int, str, str, str]


def section_title(dataset: Dataset, index: int, lang: Lang) -> str:
    if index < 0:
        return ""
    section = dataset.sections[index]
    if lang == "zh":
        return f"§ {section.title}"
    if lang == "en":
        return f"§ {section.title_en}"
    return f"§ {section.title} · {section.title_en}"


def article_lines(
    dataset: Dataset, article: ArticleMap | None, lang: Lang, width: int
) -> tuple[list[Line], list[int]]:
    """The lines of the text at ``width`` cells, and each paragraph's first line."""
    lines: list[Line] = []
    first: list[int] = []
    if article is None:
        message = word("no_article", "zh" if lang == "zh" else "en")
        message += "。" if lang == "zh" else "."
        for start, end in wrap(message, width):
            lines.append((-1, 0, 0, "", "italic", message[start:end]))
        return lines, first
    source = dataset.source
    if not any(p.role == "headline" for p in article.paragraphs):
        for title in (source.title, source.title_en):
            for start, end in wrap(title, width):
                lines.append((-1, 0, 0, "", "bold", title[start:end]))
    for what, n in article_blocks(article):
        if what == "section":
            title = section_title(dataset, n, lang)
            if lines:
                lines.append((-1, 0, 0, "", "", ""))
            for start, end in wrap(title, width):
                lines.append((-1, 0, 0, "", "bold cyan", title[start:end]))
            continue
        paragraph = article.paragraphs[n]
        prefix = ROLE_PREFIX.get(paragraph.role, "")
        style = ROLE_STYLE.get(paragraph.role, "")
        first.append(len(lines))
        lines.extend(
            [(n, s, e, prefix, style, "") for s, e in wrap(paragraph.text, width - cells)]
            if (cells := cell_len(prefix))
            else [(n, s, e, "", style, "") for s, e in wrap(paragraph.text, width)]
        )
    return lines, first


def line_of(lines: Sequence[Line], first: Sequence[int], paragraph: int, offset: int) -> int:
    """The line showing character ``offset`` of a paragraph."""
    if not 0 <= paragraph < len(first):
        return 0
    start = first[paragraph]
    end = first[paragraph + 1] if paragraph + 1 < len(first) else len(lines)
    starts = [lines[y][1] for y in range(start, end) if lines[y][0] >= 0]
    return start + max(0, bisect_right(starts, offset) - 1)


def line_text(
    article: ArticleMap | None,
    line: Line,
    unquoted: Sequence[tuple[int, int]],
    hits: Sequence[tuple[int, int]],
    focus_record: str | None,
    current: Target | None,
) -> Text:
    """One line of the text, styled: sentences no record quotes dimmed, quoted spans
    underlined (an opened record's in reverse), search hits and the cursor marked."""
    paragraph, start, end, prefix, role, own = line
    if paragraph < 0:
        return Text(visible(own, keep_newlines=False), style=role)
    assert article is not None  # a line of a paragraph: there is a text
    text = article.paragraphs[paragraph].text
    # every range that styles this line, clipped to it
    ranges: list[tuple[int, int, str]] = []

    def add(lo: int, hi: int, style: str) -> None:
        lo, hi = max(lo, start), min(hi, end)
        if lo < hi:
            ranges.append((lo, hi, style))

    for lo, hi in unquoted:
        add(lo, hi, UNQUOTED)
    for n in article.spans_in.get(paragraph, ()):
        span = article.spans[n]
        add(span.start, span.end, f"{QUOTED} {QUOTED_COLOUR}")
        if focus_record is not None and focus_record in span.record_ids:
            add(span.start, span.end, CURRENT)
    for lo, hi in hits:
        add(lo, hi, HIT)
    if current is not None and current[0] == paragraph:
        add(current[1], current[2], CURRENT)
    cuts = sorted({start, end, *(r[0] for r in ranges), *(r[1] for r in ranges)})
    out = Text(prefix, style="dim")
    for lo, hi in pairwise(cuts):
        styles = [role] + [s for a, b, s in ranges if a <= lo and hi <= b]
        out.append(
            visible(text[lo:hi], keep_newlines=False),
            style=" ".join(s for s in styles if s) or "",
        )
    return out


def records_quoting(
    article: ArticleMap, dataset: Dataset, where: Target, hit: bool
) -> list[Record]:
    """The records quoting a place: those with a quote placed exactly there, then those
    whose quote holds it (for a search ``hit``: every record with a quote overlapping
    it, in the dataset's order); each once."""
    paragraph, start, end = where
    exact: dict[str, Record] = {}
    seen: dict[str, Record] = {}
    for n in article.spans_in.get(paragraph, ()):
        span = article.spans[n]
        if (span.start, span.end) == (start, end):
            for record in article.records_of(n):
                exact.setdefault(record.id, record)
        elif (
            span.start < end and start < span.end
            if hit
            else (span.start <= start and end <= span.end)
        ):
            for record in article.records_of(n):
                seen.setdefault(record.id, record)
    if not hit:
        return [*exact.values(), *(r for r in seen.values() if r.id not in exact)]
    seen.update(exact)
    order = {record.id: i for i, record in enumerate(dataset.records)}
    return sorted(seen.values(), key=lambda r: order.get(r.id, 0))


def info_text(
    dataset: Dataset,
    lang: Lang,
    targets: Sequence[Target] | None,
    cursor: int | None,
    on_hits: bool,
    records: Sequence[Record],
) -> Text:
    """One line under the text: where the cursor is and what quotes it (``targets``
    None: the map of quotes is not built yet, or there is no text)."""
    zh = lang == "zh"
    keys = "n/N Tab 移动 · Enter 打开" if zh else "n/N Tab move · Enter opens"
    out = Text(no_wrap=True, overflow="ellipsis")
    if targets is None:
        if dataset.paragraphs:
            out.append(keys)
        return out
    what = ("命中" if zh else "hit") if on_hits else ("引文" if zh else "span")
    if cursor is None:
        out.append(f"{len(targets)} {what}{'' if zh or len(targets) == 1 else 's'} · ", "dim")
        out.append(keys)
        return out
    paragraph = dataset.paragraphs[targets[cursor][0]].id
    out.append(f"{what} {cursor + 1}/{len(targets)} ", "bold")
    out.append(f"{visible(paragraph, keep_newlines=False)} · ", "dim")
    if not records:
        out.append("无条目引用" if zh else "no record quotes it", "dim")
    else:
        titles = [r.title_en if lang == "en" else r.title for r in records]
        label = "条目" if zh else ("records" if len(records) > 1 else "record")
        out.append(f"{len(records)} {label}: ")
        out.append(visible("; ".join(titles), keep_newlines=False))
    return out
