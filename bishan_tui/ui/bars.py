"""Bars: a figure among the figures of the same unit (in the detail pane and in the
table's compare column), drawn with the same arithmetic in both places."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from rich.cells import cell_len
from rich.text import Text

from ..model import FigureRecord, Record
from .text import DIM, data_text
from .words import Lang

QUALIFIER_MARK = {"exact": "", "about": "~", "over": "▸", "nearly": "◂", "under": "◂"}
EIGHTHS = "▏▎▍▌▋▊▉"


def bar_blocks(share: float, width: int) -> str:
    """A bar ``share`` (0..1) of ``width`` cells long, in eighths of a cell; never
    shorter than one eighth, so a small value still shows."""
    full, part = divmod(max(round(share * width * 8), 1), 8)
    return "█" * full + (EIGHTHS[part - 1] if part else "")


def bar_cell(record: FigureRecord, peers: Sequence[FigureRecord], width: int) -> Text:
    """A table cell: the figure's bar, scaled to the largest figure of its unit."""
    same = [p for p in peers if p.unit == record.unit]
    top = max((abs(float(p.value)) for p in same), default=0.0)
    if top <= 0 or len(same) < 2:
        return Text("—", style=DIM)  # nothing of the same unit to compare with
    out = Text(bar_blocks(abs(float(record.value)) / top, width), style="cyan")
    out.append(QUALIFIER_MARK.get(record.qualifier, ""), style="bold")
    return out


def same_unit(figure: FigureRecord, figures: Iterable[Record]) -> list[FigureRecord]:
    peers = [f for f in figures if isinstance(f, FigureRecord) and f.unit == figure.unit]
    return sorted(peers, key=lambda f: -float(f.value))


def bar_peers(records: Sequence[Record]) -> dict[str, list[FigureRecord]]:
    """For each unit, the figures a comparison bar needs: the largest of the unit and one
    other (a bar is drawn only when a unit has two figures, scaled to its largest).
    ``cell_text`` then looks at two figures per bar instead of every figure."""
    peers: dict[str, list[FigureRecord]] = {}
    for record in records:
        if not isinstance(record, FigureRecord):
            continue
        kept = peers.setdefault(record.unit, [])
        if not kept:
            kept.append(record)
        elif abs(float(record.value)) > abs(float(kept[0].value)):
            kept.insert(0, record)
            del kept[2:]
        elif len(kept) < 2:
            kept.append(record)
    return peers


def bars_text(
    figures: Sequence[FigureRecord],
    current: FigureRecord | None,
    lang: Lang,
    width: int,
) -> Text:
    """Horizontal bars, one per figure, scaled to the largest; the qualifier (超过/近/约/余)
    is in the printed value at the bar's end and marked on the bar (▸ more, ◂ less, ~ about)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if not figures:
        return out
    text_lang: Literal["zh", "en"] = "en" if lang == "en" else "zh"
    top = max(abs(float(f.value)) for f in figures) or 1.0
    label_width = max(6, min(18, width // 3))
    values = [f.phrase(text_lang) for f in figures]
    value_width = min(max(cell_len(v) for v in values), max(6, width // 3))
    bar_width = max(3, width - label_width - value_width - 5)
    for figure, value in zip(figures, values, strict=True):
        is_current = current is not None and figure.id == current.id
        label = data_text(figure.title_en if text_lang == "en" else figure.title, single_line=True)
        label.truncate(label_width, overflow="ellipsis", pad=True)
        out.append("▶ " if is_current else "  ", style="bold yellow")
        out.append_text(label)
        out.append(" ")
        bar = bar_blocks(abs(float(figure.value)) / top, bar_width)
        mark = QUALIFIER_MARK.get(figure.qualifier, "")
        out.append(bar, style="bold yellow" if is_current else "cyan")
        out.append(mark, style="bold")
        pad = bar_width + 1 - cell_len(bar) - cell_len(mark)
        out.append(" " * max(pad, 1))
        value_text = data_text(value, single_line=True, style="bold" if is_current else "")
        out.append_text(value_text)
        out.append("\n")
    out.rstrip()
    return out
