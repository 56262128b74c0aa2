"""The detail of the highlighted record: both languages, quote, background, bars, links.

One Line-API widget (``render_line``): the record's text, the bars of a figure's unit
and the links to related records are lines of the same pane.  When the record changes,
only the cells that differ are refreshed (``refresh(Region)``): over SSH a row moved
in the table costs the lines of the detail that changed, not a frame of the whole pane
(a ``Static`` repaints its whole region; an ``OptionList`` of links below it was laid
out and drawn again after it, a frame more).

Keys, when the pane has the focus: ↑ ↓ j k PgUp PgDn scroll it; Tab goes to the first
related link and on from link to link (after the last, to the next widget), Shift+Tab
back; on a link ↑ ↓ move between the links and Enter (or a click) jumps to the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model import Dataset, FigureRecord, Record
from ..textsafe import one_line
from ..ui.bars import bars_text, same_unit
from ..ui.detail import detail_text, record_line
from ..ui.text import no_spans, wrap_text
from ..ui.words import Lang, word

if TYPE_CHECKING:
    from ..search import Match

Cells = list[tuple[str, Style | None]]


def _cells(strip: Strip) -> Cells:
    """One entry per terminal cell; the second cell of a wide character carries the
    character too, so a difference never starts or ends inside one."""
    cells: Cells = []
    for segment in strip:
        for char in segment.text:
            cells.append((char, segment.style))
            if segment.cell_length != len(segment.text) and Segment(char).cell_length == 2:
                cells.append(("\0" + char, segment.style))
    return cells


def changed_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The cells ``[start, end)`` where two lines of the same width differ, or None."""
    if old == new:
        return None
    a, b = _cells(old), _cells(new)
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    end = max(end_a, end_b)
    return (start, end) if end > start else None


class DetailPane(ScrollView, can_focus=True):
    """Scrollable detail of one record; posts :class:`DetailPane.Jump` for a link."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; overflow: hidden hidden; }
    DetailPane > .detail-pane--more { color: $accent; text-style: bold; }
    DetailPane > .detail-pane--link { background: $block-cursor-blurred-background; }
    DetailPane:focus > .detail-pane--link {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"detail-pane--link", "detail-pane--more"}

    # The help says "↑ ↓ j k": in the detail they scroll it, as the arrows do (on a
    # link, they move between the links).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="detail.scroll_down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail.scroll_up"),
        Binding("tab", "next_link", "Next link", show=False, id="detail.next_link"),
        Binding("shift+tab", "previous_link", "Previous link", show=False, id="detail.prev_link"),
    ]

    class Jump(Message):
        """A related record was chosen."""

        def __init__(self, record_id: str) -> None:
            super().__init__()
            self.record_id = record_id

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.record: Record | None = None
        self.link: int | None = None  # the related link chosen with Tab; None: scrolling
        self._shown: tuple[Record | None, Match | None, Lang, str] = (None, None, "both", "")
        self._texts: list[Text] = []  # the pane's lines, wrapped to _width
        self._links: list[tuple[int, str]] = []  # (line, record id) of each related link
        self._strips: list[Strip] = []
        self._width = 0
        self._plain = ""
        self._drawn_marks = (False, False)

    # -- what is shown -------------------------------------------------------------

    @property
    def plain(self) -> str:
        """The pane's text, its words before wrapping (what it says, not where the
        lines break)."""
        return self._plain

    @property
    def links(self) -> list[str]:
        """The ids of the related records linked, in order."""
        return [record_id for _line, record_id in self._links]

    def line_of_link(self, n: int) -> int:
        """The line (from the top of the text) of the ``n``-th related link."""
        return self._links[n][0]

    def show(self, record: Record | None, match: Match | None, lang: Lang, note: str = "") -> None:
        changed = record is not self.record
        self.record = record
        self._shown = (record, match, lang, note)
        if changed:
            self.link = None
        old = self._strips
        self._build()
        if changed and self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)  # redraws the whole pane
            return
        self._refresh_changed(old)

    def _build(self) -> None:
        """The lines for the pane's width, and the height it scrolls over.  No
        scrollbar: one coming and going is a layout of the screen, a frame more per
        record over SSH; the last column marks ▲ ▼ where there is more."""
        width = self.scrollable_content_region.width
        self._make_lines(width)
        height = len(self._texts)
        if self.virtual_size != Size(width, height):
            self.set_reactive(DetailPane.virtual_size, Size(width, height))
            if self.scroll_y > self.max_scroll_y:
                self.set_reactive(DetailPane.scroll_y, float(self.max_scroll_y))

    def _make_lines(self, width: int) -> None:
        self._width = width
        room = max(width - 1, 8)  # the last column: the ▲ ▼ marks
        record, match, lang, note = self._shown
        if record is None:
            message = Text(note or word("nothing", lang), style="dim")
            self._plain = message.plain
            texts = wrap_text(message, room)
            links: list[tuple[int, str]] = []
        else:
            texts, links = self._record_lines(record, match, lang, room)
        if self.link is not None and not 0 <= self.link < len(links):
            self.link = None
        self._texts, self._links = texts, links
        if width <= 1:  # not laid out yet (hidden): what it says is known, not drawn
            self._strips = []
            return
        self._strips = [self._strip(n, text, width) for n, text in enumerate(texts)]

    @property
    def allow_vertical_scroll(self) -> bool:
        return not self._check_disabled() and self.max_scroll_y > 0

    def _record_lines(
        self, record: Record, match: Match | None, lang: Lang, width: int
    ) -> tuple[list[Text], list[tuple[int, str]]]:
        spans = match.spans if match is not None else no_spans
        # wrapped by the app's own rule: never a lone 。 at the start of a line
        body = detail_text(record, self.dataset, lang, spans)
        texts = wrap_text(body, width)
        while texts and not texts[-1].plain:
            texts.pop()
        wrapped = len(texts)
        if isinstance(record, FigureRecord):
            figures = same_unit(record, self.dataset.records)
            if figures:
                unit = figures[0]
                title = Text(no_wrap=True)
                title.append(word("same_unit", lang), style="bold underline")
                both = f"{unit.unit} {unit.unit_en}"
                name = {"zh": unit.unit, "en": unit.unit_en}.get(lang, both)
                title.append(f" ({one_line(name)})", style="dim")
                texts += [Text(), title]
                texts += bars_text(figures, record, lang, max(width, 10)).split("\n")
        related = [r for r in (self.dataset.by_id(i) for i in record.related) if r is not None]
        links: list[tuple[int, str]] = []
        if related:
            heading = Text(word("related", lang), style="bold underline")
            heading.append(f"  {word('related_hint', lang)}", style="dim")
            texts += [Text(), heading]
            for other in related:
                links.append((len(texts), other.id))
                texts.append(record_line(other, lang))
        self._plain = "\n".join([body.plain.rstrip("\n"), *(t.plain for t in texts[wrapped:])])
        return texts, links

    def _strip(self, n: int, text: Text, width: int) -> Strip:
        base = self.rich_style
        line = text.copy()
        line.truncate(width - 1, overflow="ellipsis")
        if self.link is not None and self._link_line() == n:
            base = base + self.get_component_rich_style("detail-pane--link")
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in line.render(self.app.console, end="")
        ]
        return Strip(segments).crop_extend(0, width, base).simplify()

    def _link_line(self) -> int | None:
        if self.link is None or not 0 <= self.link < len(self._links):
            return None
        return self._links[self.link][0]

    def _refresh_changed(self, old: list[Strip]) -> None:
        """Refresh the cells that differ from what was drawn, line by line (Textual
        draws a line of a widget from its left edge to the last cell refreshed)."""
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        width = self._width
        blank = Strip.blank(width, self.rich_style)
        marks = self._marks()
        for y in range(top, top + height):
            before = old[y] if y < len(old) else blank
            after = self._strips[y] if y < len(self._strips) else blank
            if (y == top or y == top + height - 1) and marks != self._drawn_marks:
                self.refresh(Region(0, y - top, width, 1))
                continue
            if before.cell_length != after.cell_length:
                self.refresh(Region(0, y - top, max(before.cell_length, width), 1))
                continue
            span = changed_span(before, after)
            if span is not None:
                self.refresh(Region(span[0], y - top, span[1] - span[0], 1))

    def _marks(self) -> tuple[bool, bool]:
        """Is there more above, more below?"""
        top = int(self.scroll_y)
        return top > 0, top + self.scrollable_content_region.height < len(self._strips)

    def _redraw(self) -> None:
        old = self._strips
        self._build()
        self._refresh_changed(old)

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if width != self._width:
            self._make_lines(width)  # not _build: no reactive set while drawing
        if not 0 <= index < len(self._strips):
            return Strip.blank(width, self.rich_style)
        strip = self._strips[index]
        height = self.scrollable_content_region.height
        above, below = self._drawn_marks = self._marks()
        mark = "▲" if y == 0 and above else "▼" if y == height - 1 and below else ""
        if not mark:
            return strip
        style = self.rich_style + self.get_component_rich_style("detail-pane--more")
        return Strip.join([strip.crop(0, width - 1), Strip([Segment(mark, style)], 1)])

    def on_resize(self) -> None:
        # A new height alone needs nothing: the layout that resized the pane drew it
        # (a refresh here would be a second frame of the whole pane, e.g. when the
        # detail appears below a few rows at 80x24).
        if self.scrollable_content_region.width != self._width:
            self.refresh()
        self._build()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._width:
            self._build()  # the theme or the focus changed the colours

    def on_focus(self) -> None:
        if self.link is not None:
            self._redraw()

    def on_blur(self) -> None:
        if self.link is not None:
            self._redraw()

    # -- keys ----------------------------------------------------------------------

    def _choose_link(self, link: int | None) -> None:
        self.link = link
        self._redraw()
        line = self._link_line()
        if line is not None:
            self.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def action_next_link(self) -> None:
        if self._links and (self.link is None or self.link < len(self._links) - 1):
            self._choose_link(0 if self.link is None else self.link + 1)
            return
        if self.link is not None:
            self._choose_link(None)
        self.screen.focus_next()

    def action_previous_link(self) -> None:
        if self.link is not None:
            self._choose_link(self.link - 1 if self.link > 0 else None)
            return
        self.screen.focus_previous()

    def action_scroll_down(self) -> None:
        if self.link is not None:
            self._choose_link(min(self.link + 1, len(self._links) - 1))
        else:
            super().action_scroll_down()

    def action_scroll_up(self) -> None:
        if self.link is not None:
            self._choose_link(max(self.link - 1, 0))
        else:
            super().action_scroll_up()

    @property
    def chosen_link(self) -> str | None:
        """The id of the record the chosen link points to (None: no link chosen)."""
        if self.link is None or not 0 <= self.link < len(self._links):
            return None
        return self._links[self.link][1]

    def on_click(self, event: events.Click) -> None:
        line = int(self.scroll_y) + event.y
        for n, (link_line, _record_id) in enumerate(self._links):
            if link_line == line:
                event.stop()
                self.link = n
                self.post_message(self.Jump(self._links[n][1]))
                return
