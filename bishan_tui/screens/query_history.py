"""The main screen's past searches: kept when a result is opened, recalled with
Ctrl+↑ Ctrl+↓ or the command palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Input

from ..textsafe import one_line

if TYPE_CHECKING:
    from ..history import SearchHistory


class QueryHistory:
    """The history of ``screen``'s search box (``#search``), read when first needed."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self._history: SearchHistory | None = None
        self._recalled: str | None = None  # the query the history put in the box

    def get(self) -> SearchHistory:
        """The history, read from its file when first needed (a broken file: one
        warning, then an empty history)."""
        if self._history is None:
            from ..history import SearchHistory

            self._history = SearchHistory.load()
            if self._history.warning:
                self._warn(self._history.warning)
        return self._history

    def _warn(self, text: str) -> None:
        self.screen.app.notify(one_line(text), severity="warning", markup=False)

    def typed(self, value: str) -> None:
        """The box now holds ``value``: typed, Ctrl+↑ starts again from the newest."""
        if value != self._recalled and self._history is not None:
            self._history.reset()

    def add(self, query: str) -> None:
        """A result was opened: keep the query that found it (written off the event
        loop; a history that cannot be written is said once, then kept in memory)."""
        history = self.get()
        app = self.screen.app

        def add() -> None:
            if not history.add(query) and not history.warning:
                history.warning = f"search history not saved: cannot write {history.path}"
                app.call_from_thread(self._warn, history.warning)

        self.screen.run_worker(add, thread=True, group="history", exit_on_error=False)

    def recall(self, query: str) -> None:
        """Put a past query in the box (it is searched as typed)."""
        box = self.screen.query_one("#search", Input)
        self._recalled = query
        box.value = query
        box.cursor_position = len(query)
        if not box.has_focus:
            self.screen.set_focus(box)

    def step(self, back: bool) -> None:
        """Ctrl+↑ (``back``) or Ctrl+↓: the earlier or later query, else the bell."""
        history = self.get()
        value = self.screen.query_one("#search", Input).value
        query = history.back(value) if back else history.forward(value)
        if query is None:
            self.screen.app.bell()  # no older (newer) query
        else:
            self.recall(query)
