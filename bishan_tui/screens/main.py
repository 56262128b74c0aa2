"""The one working screen: what each key does there.  What it shows, and the search
wiring, are results.py's; the keys are decided as they arrive by keys.py and declared
in bindings.py; past searches are kept by query_history.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import BindingType
from textual.widgets import ContentSwitcher, Input, Tabs

from ..model import KINDS, Record
from ..textsafe import one_line
from ..ui.citation import citation
from ..ui.words import LANG_NAMES, LANGS, Lang, kind_label, word
from ..widgets.article_view import ArticleView
from ..widgets.detail_pane import DetailPane
from ..widgets.footer import BishanFooter
from ..widgets.record_table import RecordTable
from ..widgets.source_header import SourceHeader
from .bindings import MAIN_BINDINGS
from .results import MAX_QUERY, ResultsScreen
from .search_runner import IndexFailed

if TYPE_CHECKING:
    from ..history import SearchHistory
    from ..model import Dataset


class MainScreen(ResultsScreen):
    """Search box, tabs, a table per kind and the detail of the highlighted record."""

    # The letters work in the table ("command mode"); in the search box every printable
    # key is typed (see keys.py, which decides each key as it arrives).
    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS]

    def __init__(self, dataset: Dataset, lang: Lang = "both") -> None:
        super().__init__(dataset, lang)
        self._open_when_ready = False  # Enter came before the index: open once it is built

    def mounted(self) -> None:
        self.host.key_router.attach(self)  # keys typed before this are replayed now
        self.article_view.open_records = self.open_records

    def index_arrived(self) -> None:
        if self._open_when_ready:
            self._open_when_ready = False
            self.open_selected()
            self.host.key_router.release()
        else:
            super().index_arrived()

    @on(IndexFailed)
    def _no_index(self) -> None:
        if self._open_when_ready:  # Enter waits for nothing now: let the keys go on
            self._open_when_ready = False
            self.host.key_router.release()

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
            self.host.key_router.hold()
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
        self.host.copy_to_clipboard(text)
        tmux = self.host.in_tmux
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
        self.host.remember(lang=lang)

    def action_sort(self) -> None:
        name = self.current_table.sort_next()
        self.flash(name, word("sorted_by", self.lang))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.lang, self.host.keymap))

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

    # -- search history (query_history.py) ------------------------------------------

    def search_history(self) -> SearchHistory:
        return self.history.get()

    def _remember_query(self) -> None:
        if self.query_text.strip() and self.result is not None:
            self.history.add(self.query_text)

    def recall_query(self, query: str) -> None:
        """Put a past query in the box and search it."""
        self.history.recall(query)

    def action_history_back(self) -> None:
        self.history.step(back=True)

    def action_history_forward(self) -> None:
        self.history.step(back=False)
