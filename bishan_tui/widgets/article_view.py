"""原文 Article: the article's text with every quoted span highlighted (issue 13).

Drawn with Textual's Line API: the text is wrapped once per width into a list of
line slices (paragraph, start, end), and :meth:`ArticleView.render_line` builds only
the lines on screen, from data (``rich.text.Text`` runs, never markup).  Widths are
cell widths (``rich.cells``): a Chinese character takes two.

The cursor is a *target*: a quoted span, or — while a search is on and has hits in
the text — a hit.  ``n`` / Tab go to the next, ``N`` / Shift+Tab to the previous;
Enter opens the record(s) quoting the span under the cursor (the screen's
``open_records`` callback: it must act at once, see screens/keys.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ..article import ArticleMap, Hit
from ..model import Dataset, Record
from ..ui.article_text import (
    Line,
    Target,
    article_lines,
    info_text,
    line_of,
    line_text,
    records_quoting,
)
from ..ui.words import Lang

if TYPE_CHECKING:
    from ..search import SearchResult

class ArticleView(ScrollView, can_focus=True):
    """The article, wrapped to the width, only the visible lines drawn."""

    DEFAULT_CSS = """
    ArticleView { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; overflow-y: scroll; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,tab", "next", "Next span", tooltip="Next quoted span or hit", id="next-span"),
        Binding(
            "N,shift+tab", "previous", "Prev span", tooltip="Previous span or hit", id="prev-span"
        ),
        Binding(
            "enter", "open", "Open", tooltip="Open the record(s) quoting the span", id="open-span"
        ),
        Binding("j", "scroll_down", "Down", show=False, id="article-down"),
        Binding("k", "scroll_up", "Up", show=False, id="article-up"),
    ]

    class CursorMoved(Message):
        """The cursor is on a new span: the first record quoting it (or None)."""

        def __init__(self, record: Record | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, dataset: Dataset, lang: Lang = "both", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.lang: Lang = lang
        self._article: ArticleMap | None = None  # built in a thread after mount, or on use
        self._article_lock = threading.Lock()
        self.open_records: Callable[[Sequence[Record]], None] | None = None
        self.info: Callable[[Text], None] | None = None
        self._lines: list[Line] = []
        self._first_line: list[int] = []  # per paragraph: its first line in _lines
        self._width = 0
        self.hits: list[Hit] = []
        self._query = ""  # the search the hits are (being) found for
        self.on_hits = False  # n/N move over the hits (else over the quoted spans)
        self.cursor: int | None = None  # index into targets
        self.focus_record: str | None = None
        self._unquoted: dict[int, list[tuple[int, int]]] = {}
        self._hits_in: dict[int, list[tuple[int, int]]] = {}

    # -- the map of quotes: off the start-up path ------------------------------------

    @property
    def article(self) -> ArticleMap | None:
        """The paragraphs with every quote placed (None: the dataset has no text).
        Built by a thread after the first paint; built here if asked for before."""
        if not self.dataset.paragraphs:
            return None
        if self._article is None:
            self._build_article()
        return self._article

    def _build_article(self) -> None:
        with self._article_lock:
            if self._article is not None:
                return
            article = ArticleMap(self.dataset)
            unquoted: dict[int, list[tuple[int, int]]] = {}
            for sentence in article.coverage():
                unquoted.setdefault(sentence.paragraph, []).append((sentence.start, sentence.end))
            self._unquoted = unquoted
            self._article = article

    # -- what the cursor moves over ------------------------------------------------

    @property
    def targets(self) -> list[Target]:
        """(paragraph, start, end) of each place n/N move to: the hits while a search
        has some in the text, else the quoted spans."""
        if self.hits and self.on_hits:
            return [(h.paragraph, h.start, h.end) for h in self.hits]
        if self.article is None:
            return []
        return [(s.paragraph, s.start, s.end) for s in self.article.spans]

    def current(self) -> Target | None:
        targets = self.targets
        if self.cursor is None or not 0 <= self.cursor < len(targets):
            return None
        return targets[self.cursor]

    def records_here(self) -> list[Record]:
        """The records quoting the span under the cursor: those with a quote placed
        exactly there, then those whose quote holds it (for a search hit: every record
        with a quote overlapping it); each once."""
        article = self.article
        where = self.current()
        if article is None or where is None:
            return []
        return records_quoting(article, self.dataset, where, bool(self.hits and self.on_hits))

    # -- layout ----------------------------------------------------------------------

    def set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self._relayout(force=True)
        if self.info is not None:
            self.info(self.info_text())

    def _relayout(self, *, force: bool = False) -> None:
        width = max(2, self.scrollable_content_region.width or self.size.width or 80)
        if width == self._width and not force:
            return
        anchor = self._top_paragraph()
        self._width = width
        lines, first = article_lines(self.dataset, self.article, self.lang, width)
        self._lines = lines
        self._first_line = first
        self.virtual_size = Size(width, len(lines))
        where = self.current()
        if where is not None:
            self._scroll_into_view(where[0], where[1])
        elif anchor is not None and anchor < len(first):
            self.scroll_to(y=first[anchor], animate=False, immediate=True)
        self.refresh()

    def _top_paragraph(self) -> int | None:
        if not self._lines or self.scroll_y < 1:
            return None
        y = min(int(self.scroll_y), len(self._lines) - 1)
        for line in self._lines[y:]:
            if line[0] >= 0:
                return line[0]
        return None

    def on_resize(self) -> None:
        self._relayout()

    def on_mount(self) -> None:
        if self.dataset.paragraphs:
            self.run_worker(self._prepare, thread=True, exit_on_error=False)

    def _prepare(self) -> None:
        self._build_article()
        self.app.call_from_thread(self._show_info)

    def _show_info(self) -> None:
        if self.info is not None:
            self.info(self.info_text())

    def line_of(self, paragraph: int, offset: int) -> int:
        """The line showing character ``offset`` of a paragraph."""
        if not self._lines:
            self._relayout()
        return line_of(self._lines, self._first_line, paragraph, offset)

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base)
        text = self._line_text(self._lines[index])
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
        ]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _line_text(self, line: Line) -> Text:
        paragraph = line[0]
        return line_text(
            self.article,
            line,
            self._unquoted.get(paragraph, ()),
            self._hits_in.get(paragraph, ()),
            self.focus_record,
            self.current(),
        )

    # -- search ------------------------------------------------------------------------

    def set_search(
        self,
        query: str,
        result: SearchResult | None,
        records: Sequence[Record],
        counted: Callable[[int], None],
    ) -> None:
        """Highlight the hits of a search (``result`` of ``query``; ``records``: the
        index's records, which its ids name).  The hits are found in a thread (a query
        that matches 100,000 records must not cost the keystroke their quotes); then
        ``counted`` gets their number.  An empty query clears them at once."""
        self._query = query
        if result is None or not query.strip() or not self.dataset.paragraphs:
            self._apply_hits(query, [], counted)
            return
        self._find_hits(query, result, records, counted)

    @work(thread=True, exclusive=True, group="article-hits", exit_on_error=False)
    def _find_hits(
        self,
        query: str,
        result: SearchResult,
        records: Sequence[Record],
        counted: Callable[[int], None],
    ) -> None:
        article = self.article
        if article is None or query != self._query:
            return
        matched = (records[rid] for rid in result.record_ids())
        hits = article.hits(query, matched)
        self.app.call_from_thread(self._apply_hits, query, hits, counted)

    def _apply_hits(self, query: str, hits: list[Hit], counted: Callable[[int], None]) -> None:
        if query != self._query:
            return  # a newer search is on
        self.hits = hits
        self.on_hits = bool(hits)
        self._hits_in = {}
        for hit in hits:
            self._hits_in.setdefault(hit.paragraph, []).append((hit.start, hit.end))
        self.cursor = None
        if self.is_on_screen:  # hidden (another tab): drawn when shown; a refresh of
            self.refresh()  # it here was a frame of the table in its place over SSH
        if self.info is not None:
            self.info(self.info_text())
        counted(len(hits))

    # -- moving ------------------------------------------------------------------------

    def move_to(self, target: int) -> None:
        targets = self.targets
        if not targets:
            self.app.bell()
            return
        self.cursor = target % len(targets)
        paragraph, start, _end = targets[self.cursor]
        self._scroll_into_view(paragraph, start)
        self.refresh()
        self._announce()

    def _scroll_into_view(self, paragraph: int, offset: int) -> None:
        line = self.line_of(paragraph, offset)
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if not top <= line < top + height - 1:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def show_record(self, record_id: str) -> bool:
        """Put the cursor on a record's first quote, its quotes highlighted; False if
        none of its quotes is placed in the text."""
        article = self.article
        if article is None:
            return False
        spans = article.record_spans(record_id)
        if not spans:
            return False
        self.on_hits = False  # the hits stay highlighted; n/N go over the spans
        self.focus_record = record_id
        self.cursor = spans[0]
        self.scroll_to_cursor()
        # the pane may be shown (and sized) only now: once more after the next refresh
        self.call_after_refresh(self.scroll_to_cursor)
        self._announce()
        return True

    def scroll_to_cursor(self) -> None:
        where = self.current()
        if where is None:
            return
        self._relayout()
        self._scroll_into_view(where[0], where[1])
        self.refresh()

    def _announce(self) -> None:
        records = self.records_here()
        self.post_message(self.CursorMoved(records[0] if records else None))
        if self.info is not None:
            self.info(self.info_text(records))

    def info_text(self, records: Sequence[Record] | None = None) -> Text:
        """One line under the text: where the cursor is and what quotes it."""
        if self._article is None:  # not built yet (or no text): no count
            return info_text(self.dataset, self.lang, None, None, False, ())
        if records is None:
            records = self.records_here()
        on_hits = bool(self.hits and self.on_hits)
        return info_text(self.dataset, self.lang, self.targets, self.cursor, on_hits, records)

    # -- actions -----------------------------------------------------------------------

    def action_next(self) -> None:
        self.focus_record = None
        if self.cursor is None or not self._cursor_on_screen():
            self.move_to(self._first_target_from_top())  # scrolled away: start from here
        else:
            self.move_to(self.cursor + 1)

    def action_previous(self) -> None:
        self.focus_record = None
        if self.cursor is None or not self._cursor_on_screen():
            self.move_to(self._first_target_from_top() - 1)
        else:
            self.move_to(self.cursor - 1)

    def _cursor_on_screen(self) -> bool:
        where = self.current()
        if where is None:
            return False
        line = self.line_of(where[0], where[1])
        top = int(self.scroll_y)
        return top <= line < top + max(1, self.scrollable_content_region.height)

    def _first_target_from_top(self) -> int:
        """The first target at or after the top line on screen."""
        top = int(self.scroll_y)
        for n, (paragraph, start, _end) in enumerate(self.targets):
            if self.line_of(paragraph, start) >= top:
                return n
        return 0

    def action_open(self) -> None:
        records = self.records_here()
        if not records:
            self.app.bell()
            return
        if self.open_records is not None:
            self.open_records(records)


class ArticlePane(Vertical):
    """The article view and one line of information under it."""

    DEFAULT_CSS = """
    ArticlePane { height: 1fr; }
    ArticlePane > #article-info { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, dataset: Dataset, lang: Lang = "both", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = ArticleView(dataset, lang, id="article")
        self.info = Static("", id="article-info")
        self.view.info = self._set_info
        self._info_text: Text | None = None

    def _set_info(self, text: Text) -> None:
        """The line under the text: one line high, so a new text needs no layout, and
        set only while on screen (each search's count of hits, on another tab, had the
        screen laid out again and the table redrawn: a frame more over SSH)."""
        self._info_text = text
        if self.is_on_screen:
            self.info.update(text, layout=False)

    def on_show(self) -> None:
        if self._info_text is not None:
            self.info.update(self._info_text, layout=False)

    def compose(self) -> ComposeResult:
        yield self.view
        yield self.info

    def on_mount(self) -> None:
        self.info.update(self.view.info_text())
