"""The detail of the highlighted record: both languages, quote, background, links."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.visual import RichVisual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model import Dataset, FigureRecord, Record
from ..ui.bars import same_unit
from ..ui.detail import detail_text, record_line
from ..ui.text import Wrapped, no_spans
from ..ui.words import Lang, word
from .figure_bars import FigureBars

if TYPE_CHECKING:
    from ..search import Match


class WrappedVisual(RichVisual):
    """The detail's text, wrapped by :class:`~bishan_tui.ui.text.Wrapped` (no lone 。
    at a line's start); ``str()`` is the text itself, as for a plain ``Text``."""

    def __init__(self, widget: Static, text: Text) -> None:
        super().__init__(widget, Wrapped(text))
        self.text = text

    def __str__(self) -> str:
        return self.text.plain


class RelatedList(OptionList):
    """Links to related records; Enter or a click jumps to one."""

    DEFAULT_CSS = """
    RelatedList { height: auto; max-height: 100%; border: none; padding: 0; }
    RelatedList:focus { border: none; }
    """


class DetailPane(VerticalScroll):
    """Scrollable detail of one record; posts :class:`DetailPane.Jump` for a link."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane > #detail-body { width: 1fr; height: auto; }
    DetailPane > #related-title { margin-top: 1; height: auto; }
    """

    can_focus = True

    # The help says "↑ ↓ j k": in the detail they scroll it, as the arrows do.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="detail.scroll_down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail.scroll_up"),
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
        # what the bars and the related list show: each is redrawn only when it changes
        # (an unchanged part redrawn is another frame of the whole pane over SSH)
        self._bars_key: tuple[object, ...] = ()
        self._related_key: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")
        yield FigureBars(id="detail-bars")
        yield Static(id="related-title")
        yield RelatedList(id="related")

    def show(self, record: Record | None, match: Match | None, lang: Lang, note: str = "") -> None:
        changed = record is not self.record
        self.record = record
        body = self.query_one("#detail-body", Static)
        bars = self.query_one(FigureBars)
        title = self.query_one("#related-title", Static)
        links = self.query_one(RelatedList)
        if record is None:
            body.update(Text(note or word("nothing", lang), style="dim"))
            self._show_bars(bars, [], None, lang)
            title.display = False
            links.display = False
            if self._related_key:
                self._related_key = ()
                links.clear_options()
            return
        spans = match.spans if match is not None else no_spans
        # wrapped by the app's own rule: never a lone 。 at the start of a line
        body.update(WrappedVisual(body, detail_text(record, self.dataset, lang, spans)))
        if isinstance(record, FigureRecord):
            self._show_bars(bars, same_unit(record, self.dataset.records), record, lang)
        else:
            self._show_bars(bars, [], None, lang)
        related = [r for r in (self.dataset.by_id(i) for i in record.related) if r is not None]
        title.display = links.display = bool(related)
        related_key = (lang, *(r.id for r in related))
        if related_key == self._related_key and not changed:
            return
        if changed:
            self.scroll_home(animate=False)
        if related_key == self._related_key:
            if related:
                links.highlighted = 0
            return
        self._related_key = related_key
        heading = Text(word("related", lang), style="bold underline")
        heading.append(f"  {word('related_hint', lang)}", style="dim")
        title.update(heading)
        highlighted = links.highlighted
        links.clear_options()
        links.add_options([Option(record_line(r, lang), id=r.id) for r in related])
        if related:
            links.highlighted = (
                0 if changed or highlighted is None else min(highlighted, len(related) - 1)
            )

    def _show_bars(
        self,
        bars: FigureBars,
        figures: list[FigureRecord],
        current: FigureRecord | None,
        lang: Lang,
    ) -> None:
        key = (lang, current.id if current else None, *(f.id for f in figures))
        if key != self._bars_key:
            self._bars_key = key
            bars.show(figures, current, lang)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(event.option.id))

    def on_descendant_focus(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, RelatedList):
            self.scroll_to_widget(focused, animate=False)
