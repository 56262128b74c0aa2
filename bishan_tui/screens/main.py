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
from ..textsafe import one_line
from ..ui_text import (
    LANG_NAMES,
    LANGS,
    TAB_LEVELS,
    Lang,
    citation,
    kind_label,
    tab_label,
    word,
)
from ..widgets.detail_pane import DetailPane
from ..widgets.footer import BishanFooter
from ..widgets.record_table import RecordTable
from ..widgets.source_header import SourceHeader

if TYPE_CHECKING:
    from ..app import BishanApp
    from ..search import Match, SearchIndex, SearchResult

# Below this width the detail goes under the table (opened by Enter, or on its own when
# the table leaves room): beside it, the table would keep less than ~72 columns for
# the names.
NARROW = 120
AUTO_DETAIL_LINES = 6  # a table this much shorter than its room shows the detail below
FLASH_SECONDS = 3.0  # a message in the status slot (language, sort, copied) stays this long

# Keys a letter typed in the table must not be taken from (they are bindings).
RESERVED = set("jkqcls/?123456")

SEARCH_DELAY = 1 / 60  # keys typed within a frame make one search


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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", tooltip="Focus the search box"),
        Binding("1", "show_kind('platform')", "Platforms", show=False),
        Binding("2", "show_kind('project')", "Projects", show=False),
        Binding("3", "show_kind('talent')", "Talent", show=False),
        Binding("4", "show_kind('policy')", "Policies", show=False),
        Binding("5", "show_kind('event')", "Timeline", show=False),
        Binding("6", "show_kind('figure')", "Figures", show=False),
        Binding("escape", "back", "Back", tooltip="Close the detail; clear the search"),
        Binding("c", "copy", "Copy", tooltip="Copy the record as a citation"),
        Binding("l", "cycle_lang", "Lang", tooltip="Chinese, English, both"),
        Binding("s", "sort", "Sort", tooltip="Sort the table by the next column"),
        Binding("question_mark", "help", "Help", tooltip="Every key and what it does"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, dataset: Dataset, lang: Lang = "both") -> None:
        super().__init__()
        self.dataset = dataset
        self.lang: Lang = lang
        self.index: SearchIndex | None = None
        self.query_text = ""
        self.result: SearchResult | None = None  # None: no search on
        self._matches_for = ""  # the query self.result answers
        self._jump_when_ready = False
        self._searching = False  # a search is running in its thread
        self._search_timer: Timer | None = None
        self._last_key = 0.0  # when the query last changed (monotonic seconds)
        self._detail_key: tuple[object, ...] = ()
        self._counts: dict[Kind, int] = {kind: 0 for kind in KINDS}  # matches per tab
        self._flash_timer: Timer | None = None
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
        yield Tabs(
            *(Tab(kind_label(kind, self.lang), id=f"tab-{kind}") for kind in KINDS),
            id="tabs",
        )
        self._sizes = {kind: len(by_kind[kind]) for kind in KINDS}
        with Horizontal(id="body"):
            with ContentSwitcher(initial=f"table-{KINDS[0]}", id="tables"):
                for kind in KINDS:
                    yield RecordTable(
                        kind, by_kind[kind], lang=self.lang, id=f"table-{kind}"
                    )
            yield DetailPane(self.dataset, id="detail")
        yield BishanFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(SourceHeader).set_lang(self.lang)
        self.search_input.cursor_blink = self.bishan_app.cursor_blink
        self.current_table.focus()
        self._layout_for(self.size.width, self.size.height)
        self._update_tab_labels()
        self._set_status()
        # The index (pinyin …) is built after the first paint, off the event loop.
        self.call_after_refresh(self._build_index)
        gc.freeze()  # the dataset lives as long as the app: keep it out of every GC pass

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
        status.update(text)

    def _update_tab_labels(self) -> None:
        """Numbered labels in the language(s) shown, as roomy as the width allows:
        ``1 平台 Platforms 18`` down to ``1平台Pla`` (both languages still) at 60."""
        searching = self.result is not None
        counts = self._counts if searching else self._sizes  # matches, else records
        width = self.size.width or 80
        labels: dict[Kind, Text] = {}
        tight = False
        for level in range(TAB_LEVELS):
            labels = {
                kind: tab_label(
                    kind, i, self.lang, level, counts[kind], searching, len(str(self._sizes[kind]))
                )
                for i, kind in enumerate(KINDS, 1)
            }
            tight = level >= 2
            padding = 1 if tight else 2
            if sum(cell_len(t.plain) + padding for t in labels.values()) <= width:
                break
        self.set_class(tight, "tight-tabs")
        tabs = self.query_one(Tabs)
        for kind in KINDS:
            tab = tabs.query_one(f"#tab-{kind}", Tab)
            if tab.label != labels[kind]:
                tab.label = labels[kind]

    def flash(self, text: str, title: str = "") -> None:
        """A short message in the status slot beside the search box (instead of a
        toast over the table's columns); the next one replaces it."""
        message = Text(no_wrap=True, overflow="ellipsis")
        if title:
            message.append(title + ": ", style="bold")
        message.append(one_line(text))
        self.query_one("#status", Static).update(message)
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

            index = build_index(self.dataset)
            # where each record is in index.records: a table keeps its cursor on a
            # record across searches by looking for it there (made here, not on a key)
            positions = {record.id: rid for rid, record in enumerate(index.records)}
        except Exception as error:  # the app still works without search
            self.app.call_from_thread(self._index_failed, error)
            return
        self.app.call_from_thread(self._index_ready, index, positions)

    def _index_failed(self, error: Exception) -> None:
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
        # So is the index. A full collection walking 100,000 records and their index
        # took 0.2-0.7 s, now and then, in the middle of typing.
        gc.freeze()
        self._set_status()
        if self.query_text.strip():
            self._request_search()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if not event.value.strip():
            self._apply_matches(event.value, None)
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
        except Exception as problem:  # the box stays usable; the next key tries again
            error = problem
        self.app.call_from_thread(self._search_done, query, result, error)

    def _search_done(
        self, query: str, result: SearchResult | None, error: Exception | None
    ) -> None:
        self._searching = False
        if error is not None:
            self.app.notify(one_line(str(error)), severity="error", markup=False)
        elif result is not None:
            self._apply_matches(query, result)  # dropped if the query changed meanwhile
        if self.query_text.strip() and self.query_text != query:
            self._start_search()

    def _apply_matches(self, query: str, result: SearchResult | None) -> None:
        if query != self.query_text:
            return  # a stale answer: the query changed meanwhile
        self.result = result
        self._matches_for = query
        if result is None:
            self._counts = {kind: 0 for kind in KINDS}
        else:
            self._counts = {kind: result.counts.get(kind, 0) for kind in KINDS}
        records = self.index.records if self.index is not None else self.dataset.records
        for kind in KINDS:
            self.table(kind).show(result, records)
        self._update_tab_labels()
        self._set_status()
        self._refresh_detail()
        self._fit_detail()
        if self._jump_when_ready:
            self._jump_when_ready = False
            self._jump_to_best()

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        if not self.query_text.strip():
            self.current_table.focus()
        elif self._matches_for == self.query_text and self.result is not None:
            self._jump_to_best()
        else:
            self._jump_when_ready = True

    def _jump_to_best(self) -> None:
        best = self.result.matches(None, 0, 1) if self.result is not None else []
        if not best:
            self.app.bell()
            return
        self.jump_to(best[0].record.id)

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
        table.focus()
        self._show_detail(record)

    @on(Tabs.TabActivated)
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        kind = event.tab.id.removeprefix("tab-")
        self.query_one(ContentSwitcher).current = f"table-{kind}"
        if not isinstance(self.focused, Input):
            self.current_table.focus()
        self._refresh_detail()
        self.call_after_refresh(self._fit_detail)

    @on(RecordTable.Highlighted)
    def _record_highlighted(self, event: RecordTable.Highlighted) -> None:
        if event.table is self.current_table:
            self._show_detail(event.record, event.note)

    @on(RecordTable.Chosen)
    def _record_chosen(self, event: RecordTable.Chosen) -> None:
        self.add_class("detail-open")
        self._detail_pending = None
        self._show_detail(event.record)
        self.detail.focus()

    @on(DetailPane.Jump)
    def _related_chosen(self, event: DetailPane.Jump) -> None:
        self.jump_to(event.record_id)

    def on_key(self, event: events.Key) -> None:
        """A letter typed in a table starts a search (bound keys keep their meaning)."""
        char = event.character
        if (
            isinstance(self.focused, RecordTable)
            and char is not None
            and char.isprintable()
            and not char.isspace()
            and char not in RESERVED
        ):
            event.stop()
            event.prevent_default()
            self.search_input.focus()
            self.search_input.insert_text_at_cursor(char)

    # -- actions ----------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.search_input.focus()

    def action_show_kind(self, kind: str) -> None:
        self.query_one(Tabs).active = f"tab-{kind}"
        self.current_table.focus()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            if focused.value:
                self.clear_search()
            else:
                self.current_table.focus()
            return
        if focused is not None and (focused is self.detail or self.detail in focused.ancestors):
            self.remove_class("detail-open")
            self.current_table.focus()
            return
        if self.has_class("detail-open"):
            self.remove_class("detail-open")
            self.current_table.focus()
            return
        if self.query_text:
            self.clear_search()

    def action_copy(self) -> None:
        record = self.detail.record if self.detail.has_focus_within else None
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
