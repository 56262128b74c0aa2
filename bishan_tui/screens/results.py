"""What the main screen shows: header, search box, seven tabs of tables, the detail
pane, and the search wiring that fills them (searches run by search_runner.py; the
status slot and tab labels kept by status.py and tab_labels.py).  What the keys do
is the main screen's (main.py)."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static, Tab, Tabs

from ..model import KINDS, Dataset, Kind, Record
from ..textsafe import one_line, without_unsafe
from ..ui.words import Lang, article_label, kind_label, word
from ..widgets.article_view import ArticlePane, ArticleView
from ..widgets.detail_pane import DetailPane
from ..widgets.footer import BishanFooter
from ..widgets.query_note import query_note
from ..widgets.record_table import RecordTable
from ..widgets.source_header import SourceHeader
from .host import Host
from .keys import MAX_PASTE
from .query_history import QueryHistory
from .search_runner import IndexFailed, IndexReady, SearchDone, SearchRunner
from .status import StatusSlot, status_text
from .tab_labels import update_tab_labels

if TYPE_CHECKING:
    from rich.text import Text

    from ..search import Match, SearchIndex, SearchResult

# Below this width the detail goes under the table (opened by Enter, or on its own when
# the table leaves room): beside it, the table would keep less than ~72 columns for
# the names.
NARROW = 120
AUTO_DETAIL_LINES = 6  # a table this much shorter than its room shows the detail below

# The longest query the box takes, typed or pasted.
MAX_QUERY = MAX_PASTE


class ResultsScreen(Screen[None]):
    """Search box, tabs, a table per kind and the detail of the highlighted record."""

    def __init__(self, dataset: Dataset, lang: Lang = "both") -> None:
        super().__init__()
        self.dataset = dataset
        self.lang: Lang = lang
        self.searcher = SearchRunner(self)
        self.result: SearchResult | None = None  # None: no search on
        self.status = StatusSlot(self)
        self.history = QueryHistory(self)
        self._article_hits = 0  # search hits in the article's text (the 原文 tab)
        self._moved = False  # the selection was moved since the last search (↑ ↓ in the box)
        self._detail_key: tuple[object, ...] = ()
        self._counts: dict[Kind, int] = {kind: 0 for kind in KINDS}  # matches per tab
        self._tab_texts: dict[str, Text] = {}  # each tab's label as last set
        self._detail_pending: tuple[Record | None, str] | None = None

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        by_kind: dict[Kind, list[Record]] = {kind: [] for kind in KINDS}
        for record in self.dataset.records:  # one pass, not one per kind
            by_kind[record.kind].append(record)
        yield SourceHeader(self.dataset.source, id="source")
        with Horizontal(id="search-bar"):
            yield Static("/", id="search-key")
            yield Input(placeholder=word("search", self.lang), id="search", select_on_focus=False)
            yield Static("", id="status")
        yield Static("", id="query-note")  # how the query was read; suggestions
        yield Tabs(
            *(Tab(kind_label(kind, self.lang), id=f"tab-{kind}") for kind in KINDS),
            Tab(article_label(self.lang), id="tab-article"),
            id="tabs",
        )
        self._sizes = {kind: len(by_kind[kind]) for kind in KINDS}
        with Horizontal(id="body"):
            with ContentSwitcher(initial=f"table-{KINDS[0]}", id="tables"):
                for kind in KINDS:
                    yield RecordTable(kind, by_kind[kind], lang=self.lang, id=f"table-{kind}")
                yield ArticlePane(self.dataset, self.lang, id="table-article")
            yield DetailPane(self.dataset, id="detail")
        yield BishanFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(SourceHeader).set_lang(self.lang)
        self.search_input.cursor_blink = self.host.cursor_blink
        self.set_focus(self.search_input)  # typing searches from the first key
        self._layout_for(self.size.width, self.size.height)
        self._update_tab_labels()
        self._set_status()
        # The index (pinyin …) is built after the first paint, off the event loop.
        self.call_after_refresh(self.searcher.build, self.dataset)
        gc.freeze()  # the dataset lives as long as the app: keep it out of every GC pass
        self.mounted()

    def mounted(self) -> None:
        """Called at the end of on_mount."""

    def on_resize(self, event: events.Resize) -> None:
        self._layout_for(event.size.width, event.size.height)
        self._update_tab_labels()

    def _layout_for(self, width: int, height: int) -> None:
        self.set_class(width < NARROW, "narrow")
        self.set_class(height < 16, "-short")
        self.call_after_refresh(self._fit_detail)

    def _fit_detail(self) -> None:
        """Narrow: when the table's rows leave room below them (a search found a few),
        the table takes just the lines it needs and the detail of the highlighted
        record fills the rest, without a second Enter."""
        auto = False
        if self.has_class("narrow"):
            body = self.query_one("#body").size.height
            need = self.current_table.content_lines()
            auto = body > 0 and body - need >= AUTO_DETAIL_LINES
        self.set_class(auto, "detail-auto")
        if self._detail_pending is not None and not self._detail_hidden():
            self._show_detail(*self._detail_pending)

    # -- helpers ----------------------------------------------------------------

    @property
    def host(self) -> Host:
        app = self.app
        assert isinstance(app, Host)
        return app

    @property
    def index(self) -> SearchIndex | None:
        """The index searched (None: still being built)."""
        return self.searcher.index

    @property
    def query_text(self) -> str:
        """The query of the search box the screen is about (searched, or to be)."""
        return self.searcher.query

    @property
    def answered_query(self) -> str | None:
        """The query :attr:`result` answers (None: none yet, or asked again)."""
        return self.searcher.answered

    @property
    def current_kind(self) -> Kind:
        active = self.query_one(Tabs).active or f"tab-{KINDS[0]}"
        kind = active.removeprefix("tab-")
        for known in KINDS:
            if known == kind:
                return known
        return KINDS[0]

    @property
    def current_table(self) -> RecordTable:
        return self.table(self.current_kind)

    def table(self, kind: Kind) -> RecordTable:
        return self.query_one(f"#table-{kind}", RecordTable)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def article_active(self) -> bool:
        return self.query_one(Tabs).active == "tab-article"

    @property
    def command_widget(self) -> RecordTable | ArticleView:
        """Where command mode puts the focus: the table, or the article on its tab."""
        return self.article_view if self.article_active else self.current_table

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def search_input(self) -> Input:
        return self.query_one("#search", Input)

    def _match_for(self, record: Record | None) -> Match | None:
        if record is None:
            return None
        return self.table(record.kind).match_for(record.id)

    def _refresh_detail(self, note: str = "") -> None:
        self._show_detail(self.current_table.current_record, note)

    def _show_detail(self, record: Record | None, note: str = "") -> None:
        """Show a record in the detail pane, unless it shows just that already (a
        search both refreshes the detail and moves the table's cursor: one redraw)."""
        searching = self.result is not None
        if record is None and not note and searching and self.current_table.record_count == 0:
            places = [  # say which tabs have the search's matches
                f"{i} {kind_label(kind, self.lang)} ({self._counts[kind]})"
                for i, kind in enumerate(KINDS, 1)
                if self._counts[kind]
            ]
            note = word("none_here", self.lang) + " " + ", ".join(places) if places else ""
        if self._detail_hidden():
            # Not on screen (narrow, closed): drawn when it opens.  Updating a hidden
            # pane still re-lays out the screen: a whole frame (~3 KB) per row moved.
            self._detail_pending = (record, note)
            return
        self._detail_pending = None
        match = self._match_for(record)
        key = (record, match, self.lang, note)
        if key == self._detail_key:
            return
        self._detail_key = key
        self.detail.show(record, match, self.lang, note)

    def _detail_hidden(self) -> bool:
        return self.has_class("narrow") and not (
            self.has_class("detail-open") or self.has_class("detail-auto")
        )

    def _set_status(self) -> None:
        self.status.show(
            status_text(self.lang, self.index is not None, self.searcher.provisional, self.result)
        )
        note = self.query_one("#query-note", Static)
        reading = query_note(self.result, self.lang) if self.result is not None else None
        if note.display != (reading is not None):
            note.display = reading is not None  # a line more or less: a layout pass
        note.update(reading or "", layout=False)  # one line high (app.tcss)

    def _update_tab_labels(self) -> None:
        tabs = self.query_one(Tabs)
        searching = self.result is not None
        width = self.size.width or 80
        tight = update_tab_labels(
            tabs,
            self.lang,
            width,
            self._counts,
            self._sizes,
            self._article_hits,
            searching,
            self._tab_texts,
        )
        self.set_class(tight, "tight-tabs")

    def _article_counted(self, hits: int) -> None:
        self._article_hits = hits
        self._update_tab_labels()

    def flash(self, text: str, title: str = "") -> None:
        """A short message in the status slot beside the search box."""
        self.status.flash(text, title)

    # -- search (search_runner.py runs it) ----------------------------------------

    @on(IndexFailed)
    def _index_failed(self, event: IndexFailed) -> None:
        self.app.notify(
            one_line(str(event.error)),
            title=word("index_failed", self.lang),
            severity="error",
            markup=False,
        )

    @on(IndexReady)
    def _index_ready(self, event: IndexReady) -> None:
        self.searcher.use(event.index)  # a provisional scan's answer is asked again
        for kind in KINDS:
            self.table(kind).positions = event.positions  # None: each table makes its own
            self.table(kind).readings = event.index.readings  # Chinese columns sort by pinyin
        # So is the index. A full collection walking 100,000 records and their index
        # took 0.2-0.7 s, now and then, in the middle of typing.
        gc.freeze()
        self._set_status()
        self.index_arrived()

    def index_arrived(self) -> None:
        """An index (the provisional scan, then the real one) is searched from now on."""
        self.searcher.want(self.query_text)  # answered by a provisional search: ask again

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        # The box's value now, not the event's: keys that arrived together changed it
        # several times already, and only the last value is worth a search.
        value = self.search_input.value
        clean = without_unsafe(value)
        if clean != value:  # nothing invisible or a control in the box, even if set
            self.search_input.value = value = clean
        self.history.typed(value)
        if value == self.query_text and (self.result is not None or not value.strip()):
            return
        self.searcher.want(value)
        if not value.strip():
            self._apply_matches(value, None)

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        if event.error is not None:
            self.app.notify(one_line(str(event.error)), severity="error", markup=False)
        self.searcher.finished(event, self._apply_matches)

    def _apply_matches(self, query: str, result: SearchResult | None) -> None:
        if query != self.query_text:
            return  # a stale answer: the query changed meanwhile
        self.result = result
        self.searcher.answered = query
        self._moved = False
        if result is None:
            self._counts = {kind: 0 for kind in KINDS}
        else:
            self._counts = {kind: result.counts.get(kind, 0) for kind in KINDS}
        records = self.index.records if self.index is not None else self.dataset.records
        for kind in KINDS:
            self.table(kind).show(result, records)
        self.article_view.set_search(query, result, records, self._article_counted)
        self._update_tab_labels()
        self._set_status()
        self._refresh_detail()
        self._fit_detail()

    def _search_now(self, query: str) -> bool:
        """Make the result answer ``query`` now (on Enter: it must not wait for a
        keystroke's search); False if it cannot."""
        if not query.strip():
            self.searcher.query = query
            self._apply_matches(query, None)
            return True
        if self.answered_query == query and self.result is not None:
            return True
        try:
            result = self.searcher.search_now(query)
        except Exception as error:  # the box stays usable
            self.app.notify(one_line(str(error)), severity="error", markup=False)
            return False
        if result is None:
            return False
        self._apply_matches(query, result)
        return True

    def clear_search(self) -> None:
        self.search_input.value = ""
        self.searcher.query = ""
        self._apply_matches("", None)
