"""The one working screen: header, search, six tabs of tables, the detail pane."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, overload

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Static, Tab, Tabs

from ..model import KINDS, Dataset, Kind, Record
from ..textsafe import one_line, without_unsafe
from ..ui_text import (
    LANG_NAMES,
    LANGS,
    TAB_LEVELS,
    TAB_TIGHT,
    Lang,
    article_label,
    citation,
    kind_label,
    tab_label,
    word,
)
from ..widgets.article_view import ArticlePane, ArticleView
from ..widgets.detail_pane import DetailPane
from ..widgets.footer import BishanFooter
from ..widgets.query_note import query_note
from ..widgets.record_table import RecordTable
from ..widgets.source_header import SourceHeader
from .keys import MAX_PASTE

if TYPE_CHECKING:
    from ..app import BishanApp
    from ..history import SearchHistory
    from ..search import Match, SearchIndex, SearchResult

# Below this width the detail goes under the table (opened by Enter, or on its own when
# the table leaves room): beside it, the table would keep less than ~72 columns for
# the names.
NARROW = 120
AUTO_DETAIL_LINES = 6  # a table this much shorter than its room shows the detail below
FLASH_SECONDS = 3.0  # a message in the status slot (language, sort, copied) stays this long

# The longest query the box takes, typed or pasted.
MAX_QUERY = MAX_PASTE

SEARCH_DELAY = 1 / 60  # keys typed within a frame make one search
# From this size on, a dataset whose index must be built is searched by a scan
# meanwhile (bishan_tui.scan): 100,000 records take 20-40 s to index, 1-2 s to scan.
SCAN_FROM_RECORDS = 5000


class ResultMatches(Sequence["Match"]):
    """A search result's matches of every kind, in rank order, as a sequence whose
    :class:`Match` objects are made only for the items read."""

    def __init__(self, result: SearchResult) -> None:
        self.result = result

    def __len__(self) -> int:
        return self.result.total

    @overload
    def __getitem__(self, index: int) -> Match: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Match]: ...
    def __getitem__(self, index: int | slice) -> Match | Sequence[Match]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return self.result.matches()[index]
            return self.result.matches(None, start, max(start, stop))
        position = index + len(self) if index < 0 else index
        found = self.result.matches(None, position, position + 1) if position >= 0 else []
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[Match]:
        return iter(self.result.matches())


class MainScreen(Screen[None]):
    """Search box, tabs, a table per kind and the detail of the highlighted record."""

    # The letters work in the table ("command mode"); in the search box every printable
    # key is typed (see keys.py, which decides each key as it arrives).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Focus the search box", id="search"),
        Binding("1", "show_kind('platform')", "Platforms", show=False, id="tab-1"),
        Binding("2", "show_kind('project')", "Projects", show=False, id="tab-2"),
        Binding("3", "show_kind('talent')", "Talent", show=False, id="tab-3"),
        Binding("4", "show_kind('policy')", "Policies", show=False, id="tab-4"),
        Binding("5", "show_kind('event')", "Timeline", show=False, id="tab-5"),
        Binding("6", "show_kind('figure')", "Figures", show=False, id="tab-6"),
        Binding("7", "show_article", "Article", show=False, id="tab-7"),
        Binding(
            "a",
            "open_article",
            "Article",
            tooltip="Open the record's paragraph in the article",
            id="open-article",
        ),
        Binding(
            "escape", "back", "Back", tooltip="Close the detail; clear the search", id="back"
        ),
        Binding("c", "copy", "Copy", tooltip="Copy the record as a citation", id="copy"),
        Binding("l", "cycle_lang", "Lang", tooltip="Chinese, English, both", id="lang"),
        Binding("s", "sort", "Sort", tooltip="Sort the table by the next column", id="sort"),
        Binding(
            "question_mark", "help", "Help", tooltip="Every key and what it does", id="help"
        ),
        Binding("g", "glossary", "Glossary", id="glossary"),
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("e", "export", "Export", tooltip="Save or copy results", show=False, id="export"),
        Binding("ctrl+up", "history_back", "Earlier search", show=False, id="history-back"),
        Binding("ctrl+down", "history_forward", "Later search", show=False, id="history-forward"),
    ]

    def __init__(self, dataset: Dataset, lang: Lang = "both") -> None:
        super().__init__()
        self.dataset = dataset
        self.lang: Lang = lang
        self.index: SearchIndex | None = None
        self.query_text = ""
        self.result: SearchResult | None = None  # None: no search on
        self._matches_for = ""  # the query self.result answers
        self._article_hits = 0  # search hits in the article's text (the 原文 tab)
        self._open_when_ready = False  # Enter came before the index: open once it is built
        self._moved = False  # the selection was moved since the last search (↑ ↓ in the box)
        self._searching = False  # a search is running in its thread
        self._search_timer: Timer | None = None
        self._last_key = 0.0  # when the query last changed (monotonic seconds)
        self._detail_key: tuple[object, ...] = ()
        self._counts: dict[Kind, int] = {kind: 0 for kind in KINDS}  # matches per tab
        self._history: SearchHistory | None = None  # read when first needed
        self._recalled: str | None = None  # the query the history put in the box
        self._flash_timer: Timer | None = None
        self._detail_pending: tuple[Record | None, str] | None = None
        self._tab_texts: dict[str, Text] = {}  # each tab's label as last set

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
                    yield RecordTable(
                        kind, by_kind[kind], lang=self.lang, id=f"table-{kind}"
                    )
                yield ArticlePane(self.dataset, self.lang, id="table-article")
            yield DetailPane(self.dataset, id="detail")
        yield BishanFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(SourceHeader).set_lang(self.lang)
        self.search_input.cursor_blink = self.bishan_app.cursor_blink
        self.set_focus(self.search_input)  # typing searches from the first key
        self._layout_for(self.size.width, self.size.height)
        self._update_tab_labels()
        self._set_status()
        # The index (pinyin …) is built after the first paint, off the event loop.
        self.call_after_refresh(self._build_index)
        gc.freeze()  # the dataset lives as long as the app: keep it out of every GC pass
        self.bishan_app.key_router.attach(self)  # keys typed before this are replayed now
        self.article_view.open_records = self.open_records

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
    def bishan_app(self) -> BishanApp:
        from ..app import BishanApp

        assert isinstance(self.app, BishanApp)
        return self.app

    @property
    def matches(self) -> Sequence[Match] | None:
        """Every match of the search on, best first (None: no search on); Match objects
        are made only for the items read."""
        return None if self.result is None else ResultMatches(self.result)

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

    def _where_matches_are(self) -> str:
        """Which tabs have the search's matches (shown when the current one has none)."""
        places = [
            f"{i} {kind_label(kind, self.lang)} ({self._counts[kind]})"
            for i, kind in enumerate(KINDS, 1)
            if self._counts[kind]
        ]
        if not places:
            return ""
        return word("none_here", self.lang) + " " + ", ".join(places)

    def _show_detail(self, record: Record | None, note: str = "") -> None:
        """Show a record in the detail pane, unless it shows just that already (a
        search both refreshes the detail and moves the table's cursor: one redraw)."""
        searching = self.result is not None
        if record is None and not note and searching and self.current_table.record_count == 0:
            note = self._where_matches_are()  # say where the matches are
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
        if self._flash_timer is not None:
            return  # a message is showing; it ends with _end_flash
        status = self.query_one("#status", Static)
        text = Text(no_wrap=True)
        if self.index is None:
            text.append(word("indexing", self.lang), style="dim italic")
        elif self.result is not None:
            n = self.result.total
            if n:
                text.append(f"{n} {word('matches', self.lang)}", style="bold")
            else:
                text.append(word("no_matches", self.lang), style="bold red")
        else:
            text.append(LANG_NAMES[self.lang], style="dim")
        if getattr(self.index, "provisional", False):  # a scan answers meanwhile
            text.append(" " + word("indexing", self.lang), style="dim italic")
        status.update(text, layout=False)  # its size is fixed (app.tcss): no layout pass
        note = self.query_one("#query-note", Static)
        reading = query_note(self.result, self.lang) if self.result is not None else None
        if note.display != (reading is not None):
            note.display = reading is not None  # a line more or less: a layout pass
        note.update(reading or "", layout=False)  # one line high (app.tcss)

    def _update_tab_labels(self) -> None:
        """Numbered labels in the language(s) shown, as roomy as the width allows:
        ``1 平台 Platforms 18``, ``1 平台 Platf.`` at 100, ``1平台Platf.`` at 80, down
        to ``1平台Pla`` (both languages still) at 60."""
        searching = self.result is not None
        counts = self._counts if searching else self._sizes  # matches, else records
        width = self.size.width or 80
        labels: dict[Kind, Text] = {}
        article = Text()
        tight = False
        for level in range(TAB_LEVELS):
            labels = {
                kind: tab_label(
                    kind, i, self.lang, level, counts[kind], searching, len(str(self._sizes[kind]))
                )
                for i, kind in enumerate(KINDS, 1)
            }
            article = self._article_tab_label(level, searching)
            tight = level in TAB_TIGHT
            padding = 1 if tight else 2
            if sum(cell_len(t.plain) + padding for t in (*labels.values(), article)) <= width:
                break
        self.set_class(tight, "tight-tabs")
        # A Tab keeps its label as Content, never equal to a Text: compared with the
        # Text last set (each label set again was a frame of every tab per search)
        tabs = self.query_one(Tabs)
        for tab_id, label in (*((f"tab-{k}", labels[k]) for k in KINDS), ("tab-article", article)):
            if self._tab_texts.get(tab_id) != label:
                self._tab_texts[tab_id] = label
                tabs.query_one(f"#{tab_id}", Tab).label = label

    def _article_tab_label(self, level: int, searching: bool) -> Text:
        """The 7th tab's label at the compactness of the others (tab_label's levels):
        ``7 原文 Article 12`` down to ``7原文``; the count is of hits in the text."""
        hits = self._article_hits
        text = Text(no_wrap=True, style="dim" if searching and not hits else "")
        text.append("7", style="bold")
        if self.lang == "both":
            name = "原文 Article" if level == 0 else "原文"
        elif self.lang == "en":
            name = "Article" if level < 6 else "Art"
        else:
            name = article_label("zh")
        text.append(("" if level >= 5 else " ") + name)
        if level < 3:  # the count's room kept out of a search: no layout of the tabs
            count = f" {hits:>2}" if searching else "   "  # when the first key is typed
            text.append(count, style="bold" if hits else "dim")
        return text

    def flash(self, text: str, title: str = "") -> None:
        """A short message in the status slot beside the search box (instead of a
        toast over the table's columns); the next one replaces it."""
        message = Text(no_wrap=True, overflow="ellipsis")
        if title:
            message.append(title + ": ", style="bold")
        message.append(one_line(text))
        self.query_one("#status", Static).update(message, layout=False)
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash_timer = None
        self._set_status()

    # -- search -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        try:
            from ..search import build_index  # imported here: after the first paint

            def provisional() -> None:  # a big dataset without a saved index: scan first
                from ..scan import ScanIndex

                self.app.call_from_thread(self._index_ready, ScanIndex(self.dataset))

            big = len(self.dataset.records) >= SCAN_FROM_RECORDS
            index = build_index(self.dataset, on_build=provisional if big else None)
            # where each record is in index.records: a table keeps its cursor on a
            # record across searches by looking for it there (made here, not on a key)
            positions = {record.id: rid for rid, record in enumerate(index.records)}
        except Exception as error:  # the app still works without search
            self.app.call_from_thread(self._index_failed, error)
            return
        self.app.call_from_thread(self._index_ready, index, positions)

    def _index_failed(self, error: Exception) -> None:
        if self._open_when_ready:  # Enter waits for nothing now: let the keys go on
            self._open_when_ready = False
            self.bishan_app.key_router.release()
        self.app.notify(
            one_line(str(error)),
            title=word("index_failed", self.lang),
            severity="error",
            markup=False,
        )

    def _index_ready(self, index: SearchIndex, positions: dict[str, int] | None = None) -> None:
        self.index = index
        for kind in KINDS:
            self.table(kind).positions = positions  # None: each table makes its own
            self.table(kind).readings = index.readings  # Chinese columns sort by pinyin
        # So is the index. A full collection walking 100,000 records and their index
        # took 0.2-0.7 s, now and then, in the middle of typing.
        gc.freeze()
        self._set_status()
        if self._open_when_ready:
            self._open_when_ready = False
            self._matches_for = ""  # answered by a provisional search: ask again
            self.open_selected()
            self.bishan_app.key_router.release()
        elif self.query_text.strip():
            self._matches_for = ""  # answered by a provisional search: ask again
            self._request_search()

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        # The box's value now, not the event's: keys that arrived together changed it
        # several times already, and only the last value is worth a search.
        value = self.search_input.value
        clean = without_unsafe(value)
        if clean != value:  # nothing invisible or a control in the box, even if set
            self.search_input.value = value = clean
        if value != self._recalled and self._history is not None:
            self._history.reset()  # typed: Ctrl+Up starts again from the newest
        if value == self.query_text and (self.result is not None or not value.strip()):
            return
        self.query_text = value
        if not value.strip():
            self._apply_matches(value, None)
        elif self.index is not None:
            self._request_search()

    # Work per keystroke is capped: keys arriving within a frame make one search, and at
    # most one search runs at a time (a Python search cannot be interrupted, and two at
    # once would only share the GIL); when it ends, the newest query (if it changed
    # meanwhile) is searched next and the queries typed in between are skipped.

    def _request_search(self) -> None:
        now = time.monotonic()
        burst = now - self._last_key < SEARCH_DELAY
        self._last_key = now
        if self._searching:
            return  # the running search's end starts the newest query
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if burst:  # keys within a frame (a paste, key repeat): one search for them all
            self._search_timer = self.set_timer(SEARCH_DELAY, self._start_search)
        else:  # a key on its own: search at once
            self._start_search()

    def _start_search(self) -> None:
        self._search_timer = None
        query = self.query_text
        if self._searching or self.index is None or not query.strip():
            return
        if query == self._matches_for and self.result is not None:
            return
        self._searching = True
        self._run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(self, query: str) -> None:
        index = self.index
        result: SearchResult | None = None
        error: Exception | None = None
        try:
            if index is not None:
                # counts from bitmaps; rows and Match objects only when drawn
                result = index.search_result(query)
                result.suggestions()  # for no matches: made here, off the event loop
        except Exception as problem:  # the box stays usable; the next key tries again
            error = problem
        self.app.call_from_thread(self._search_done, query, result, error, index)

    def _search_done(
        self,
        query: str,
        result: SearchResult | None,
        error: Exception | None,
        index: SearchIndex | None = None,
    ) -> None:
        self._searching = False
        if error is not None:
            self.app.notify(one_line(str(error)), severity="error", markup=False)
        elif result is not None and not (query == self._matches_for and self.result):
            self._apply_matches(query, result)  # dropped if the query changed meanwhile
        if index is not self.index:  # the real index came while the scan answered
            self._matches_for = ""
            query = ""
        if self.query_text.strip() and self.query_text != query:
            self._start_search()

    def _apply_matches(self, query: str, result: SearchResult | None) -> None:
        if query != self.query_text:
            return  # a stale answer: the query changed meanwhile
        self.result = result
        self._matches_for = query
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
        self.query_text = query
        if not query.strip():
            self._apply_matches(query, None)
            return True
        if self._matches_for == query and self.result is not None:
            return True
        if self.index is None:
            return False
        try:
            result = self.index.search_result(query)
        except Exception as error:  # the box stays usable
            self.app.notify(one_line(str(error)), severity="error", markup=False)
            return False
        self._apply_matches(query, result)
        return True

    def open_selected(self) -> None:
        """Enter in the search box: open the selected match, the best one until the
        selection was moved, for the query exactly as typed.  Before the index is
        built, the keys after Enter wait for it (KeyRouter.hold)."""
        query = self.search_input.value
        if not query.strip():
            self.set_focus(self.command_widget)
            return
        if self.index is None:
            self._open_when_ready = True
            self.bishan_app.key_router.hold()
            return
        if not self._search_now(query):
            return
        record: Record | None = None
        if self._moved:
            record = self.current_table.current_record
        if record is None and self.result is not None:
            best = self.result.matches(None, 0, 1)
            record = best[0].record if best else None
        if record is None:
            self.app.bell()
            return
        self._remember_query()
        self.open_record(record)

    def open_record(self, record: Record) -> None:
        """Show a record's row and its detail (below the table when narrow)."""
        self.jump_to(record.id)
        self.add_class("detail-open")
        self._show_detail(record)

    def clear_search(self) -> None:
        self.search_input.value = ""
        self.query_text = ""
        self._apply_matches("", None)

    # -- moving around ----------------------------------------------------------

    def jump_to(self, record_id: str) -> None:
        """Show a record: its tab, its row (clearing the search if it hides it)."""
        record = self.dataset.by_id(record_id)
        if record is None:
            return
        table = self.table(record.kind)
        if not table.has(record_id):
            self.clear_search()
            self.app.notify(word("cleared", self.lang), markup=False)
        self.query_one(Tabs).active = f"tab-{record.kind}"
        self.query_one(ContentSwitcher).current = f"table-{record.kind}"
        table.move_to(record_id)
        self.set_focus(table)
        self._show_detail(record)

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        kind = event.tab.id.removeprefix("tab-")
        self.query_one(ContentSwitcher).current = f"table-{kind}"
        if self.focused is not self.search_input and not self.detail.has_focus_within:
            self.set_focus(self.command_widget)
        self._refresh_detail()
        self.call_after_refresh(self._fit_detail)

    @on(RecordTable.Highlighted)
    def _record_highlighted(self, event: RecordTable.Highlighted) -> None:
        if event.table is self.current_table:
            self._show_detail(event.record, event.note)

    @on(RecordTable.Chosen)
    def _record_chosen(self, event: RecordTable.Chosen) -> None:
        self.choose(event.record)

    def choose(self, record: Record) -> None:
        """Enter (or a click) on a row: open its detail and move into it."""
        self._remember_query()
        self.add_class("detail-open")
        self._detail_pending = None
        self._show_detail(record)
        self.set_focus(self.detail)

    @on(DetailPane.Jump)
    def _related_chosen(self, event: DetailPane.Jump) -> None:
        self.jump_to(event.record_id)

    # -- the key model (keys.py decides when each key arrives) ---------------------

    def focus_search(self) -> None:
        """Into the search box, at once (the next key already goes there), coming from
        elsewhere with the query selected: typing replaces it, ← → edit it."""
        box = self.search_input
        if self.focused is not box:
            self.set_focus(box)
            box.select_all()

    def type_text(self, text: str) -> None:
        """Type into the search box as its own keys would: over the selection, else at
        the cursor."""
        box = self.search_input
        selection = box.selection
        if selection.is_empty:
            room = MAX_QUERY - len(box.value)
            if room <= 0:
                return  # a query is a few words: keys past this cost nothing (a storm of
                # keys, as Textual makes of a paste holding ESC, stays linear)
            box.insert_text_at_cursor(text[:room])
        else:
            box.replace(text[:MAX_QUERY], *selection)

    def type_in_search(self, text: str) -> None:
        """A paste, wherever the focus was: into the search box, in one operation."""
        self.focus_search()
        if text:
            self.type_text(text)

    def box_key(self, key: str) -> bool:
        """Keys with a meaning of their own in the search box; False: not one of them."""
        table = self.current_table
        if key == "enter":
            self.open_selected()
        elif key == "escape":
            if self.search_input.value:
                self.clear_search()
            else:
                self.set_focus(self.command_widget)
        elif key in ("up", "down", "pageup", "pagedown", "home", "end"):
            if self.query_text != self.search_input.value:
                self._search_now(self.search_input.value)  # move in what is typed
            action = {
                "up": table.action_cursor_up,
                "down": table.action_cursor_down,
                "pageup": table.action_page_up,
                "pagedown": table.action_page_down,
                "home": table.action_first,
                "end": table.action_last,
            }[key]
            action()
            self._moved = True
        else:
            return False
        return True

    def command_key(self, key: str) -> bool:
        """Enter outside the box acts at once (its message would arrive after the next
        keys); False for every other key."""
        if key != "enter":
            return False
        focused = self.focused
        if isinstance(focused, RecordTable):
            record = focused.current_record
            if record is not None:
                self.choose(record)
            return True
        if isinstance(focused, DetailPane) and focused.chosen_link is not None:
            self.jump_to(focused.chosen_link)
            return True
        return False

    # -- actions ----------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.focus_search()

    def action_show_kind(self, kind: str) -> None:
        self.query_one(Tabs).active = f"tab-{kind}"
        self.query_one(ContentSwitcher).current = f"table-{kind}"
        self.set_focus(self.current_table)

    # -- the article (issue 13; the pane is widgets/article_view.py) ------------------

    def action_show_article(self) -> None:
        self.remove_class("detail-open")  # narrow: the text takes the whole body
        self.query_one(Tabs).active = "tab-article"
        self.query_one(ContentSwitcher).current = "table-article"
        self.set_focus(self.article_view)

    def action_open_article(self) -> None:
        """From a record (the detail's, else the table's): its paragraph, its quotes
        highlighted, the cursor on the first."""
        if self.article_active:
            return
        record = self.detail.record if self.detail.has_focus_within else None
        record = record or self.current_table.current_record
        view = self.article_view
        if record is None:
            self.app.bell()
            return
        if view.article is None or not view.show_record(record.id):
            message = word("no_article", self.lang) if view.article is None else record.id
            self.app.notify(one_line(message), severity="warning", markup=False)
            return
        self.action_show_article()

    def _article_counted(self, hits: int) -> None:
        self._article_hits = hits
        self._update_tab_labels()

    def open_records(self, records: Sequence[Record]) -> None:
        """Enter on a span: its record, or a choice when several quote it."""
        if len(records) == 1:
            self.open_record(records[0])
            return
        from .choose_record import ChooseRecord

        def chosen(record_id: str | None) -> None:
            record = self.dataset.by_id(record_id) if record_id else None
            if record is not None:
                self.open_record(record)

        self.app.push_screen(ChooseRecord(records, self.lang), chosen)

    @on(ArticleView.CursorMoved)
    def _article_cursor(self, event: ArticleView.CursorMoved) -> None:
        if self.article_active and event.record is not None:
            self._show_detail(event.record)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            if focused.value:
                self.clear_search()
            else:
                self.set_focus(self.command_widget)
            return
        if focused is not None and (focused is self.detail or self.detail in focused.ancestors):
            self.remove_class("detail-open")
            self.set_focus(self.command_widget)
            return
        if self.has_class("detail-open"):
            self.remove_class("detail-open")
            self.set_focus(self.command_widget)
            return
        if self.query_text:
            self.clear_search()

    def action_copy(self) -> None:
        record = self.detail.record if self.detail.has_focus_within else None
        if self.article_active and record is None:  # the record quoting the span
            record = next(iter(self.article_view.records_here()), None)
        record = record or self.current_table.current_record
        if record is None:
            self.app.notify(word("nothing_to_copy", self.lang), severity="warning", markup=False)
            return
        text = citation(record, self.dataset, "en" if self.lang == "en" else self.lang)
        self.bishan_app.copy_to_clipboard(text)
        tmux = self.bishan_app.in_tmux
        title = record.title_en if self.lang == "en" else record.title
        message = one_line(title)
        if tmux:
            message += " " + word("copied_tmux", self.lang)
        self.flash(message, word("copied", self.lang))

    def action_cycle_lang(self) -> None:
        self.set_lang(LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)])
        self.flash(LANG_NAMES[self.lang])

    def set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self.query_one(SourceHeader).set_lang(lang)
        self.search_input.placeholder = word("search", lang)
        for kind in KINDS:
            self.table(kind).set_lang(lang)
        self.article_view.set_lang(lang)
        self._update_tab_labels()
        self._set_status()
        self._refresh_detail()
        self.query_one(BishanFooter).refresh(recompose=True)
        self.call_after_refresh(self._fit_detail)
        self.bishan_app.remember(lang=lang)

    def action_sort(self) -> None:
        name = self.current_table.sort_next()
        self.flash(name, word("sorted_by", self.lang))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.lang))

    def action_glossary(self) -> None:
        from .glossary import GlossaryScreen

        self.app.push_screen(GlossaryScreen(self.dataset.glossary, self.lang))

    def action_export(self) -> None:
        from .export import ExportScreen, export_source

        records = self.index.records if self.index is not None else self.dataset.records
        kind = self.current_kind
        label = kind_label(kind, self.lang)
        source = export_source(records, kind, label, self.query_text, self.result)

        def done(report: str | None) -> None:
            if report:
                self.app.notify(one_line(report), title=word("exported", self.lang), markup=False)

        self.app.push_screen(ExportScreen(source, self.lang), done)

    # -- search history -----------------------------------------------------------

    def search_history(self) -> SearchHistory:
        """The history, read from its file when first needed (a broken file: one
        warning, then an empty history)."""
        if self._history is None:
            from ..history import SearchHistory

            self._history = SearchHistory.load()
            if self._history.warning:
                self._history_warning(self._history.warning)
        return self._history

    def _history_warning(self, text: str) -> None:
        self.app.notify(one_line(text), severity="warning", markup=False)

    def _remember_query(self) -> None:
        """A result was opened: keep the query that found it (written off the event
        loop; a history that cannot be written is said once, then kept in memory)."""
        if self.query_text.strip() and self.result is not None:
            history = self.search_history()
            query = self.query_text

            def add() -> None:
                if not history.add(query) and not history.warning:
                    history.warning = f"search history not saved: cannot write {history.path}"
                    self.app.call_from_thread(self._history_warning, history.warning)

            self.run_worker(add, thread=True, group="history", exit_on_error=False)

    def recall_query(self, query: str) -> None:
        """Put a past query in the box and search it."""
        box = self.search_input
        self._recalled = query
        box.value = query
        box.cursor_position = len(query)
        if not box.has_focus:
            self.set_focus(box)

    def action_history_back(self) -> None:
        self._recall_or_bell(self.search_history().back(self.search_input.value))

    def action_history_forward(self) -> None:
        self._recall_or_bell(self.search_history().forward(self.search_input.value))

    def _recall_or_bell(self, query: str | None) -> None:
        if query is None:
            self.app.bell()  # no older (newer) query
        else:
            self.recall_query(query)
