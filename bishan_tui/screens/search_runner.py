"""The main screen's searches: the index built after the first paint, and one search at
a time in a thread worker, answered by a :class:`SearchDone` message.

Work per keystroke is capped: keys arriving within a frame make one search, and at most
one search runs at a time (a Python search cannot be interrupted, and two at once would
only share the GIL); when it ends, the newest query (if it changed meanwhile) is
searched next and the queries typed in between are skipped.  Enter does not wait for
any of this: :meth:`SearchRunner.search_now` answers on the spot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    from ..model import Dataset
    from ..search import SearchIndex, SearchResult

SEARCH_DELAY = 1 / 60  # keys typed within a frame make one search
# From this size on, a dataset whose index must be built is searched by a scan
# meanwhile (bishan_tui.scan): 100,000 records take 20-40 s to index, 1-2 s to scan.
SCAN_FROM_RECORDS = 5000


class IndexReady(Message):
    """An index to search with: the scan meanwhile (``index.provisional``), then the
    real one with ``positions``, where each record is in ``index.records``."""

    def __init__(self, index: SearchIndex, positions: dict[str, int] | None = None) -> None:
        super().__init__()
        self.index = index
        self.positions = positions


class IndexFailed(Message):
    """The index could not be built: the app works on without search."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class SearchDone(Message):
    """A search of ``query`` with ``index`` ended with ``result`` (None: ``error``)."""

    def __init__(
        self,
        query: str,
        result: SearchResult | None,
        index: SearchIndex | None = None,
        error: Exception | None = None,
    ) -> None:
        super().__init__()
        self.query = query
        self.result = result
        self.index = index
        self.error = error


class SearchRunner:
    """Builds the index and runs the searches of ``screen``, which handles the
    messages; ``query`` is the query wanted, ``answered`` the one whose result the
    screen shows (None: none, or it must be asked again)."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.index: SearchIndex | None = None
        self.query = ""
        self.answered: str | None = None
        self._running = False
        self._timer: Timer | None = None
        self._last_key = 0.0  # when the query last changed (monotonic seconds)

    @property
    def provisional(self) -> bool:
        """A scan answers while the index is built."""
        return bool(getattr(self.index, "provisional", False))

    # -- the index ----------------------------------------------------------------

    def build(self, dataset: Dataset) -> None:
        """Build (or load) the index off the event loop: IndexReady, else IndexFailed."""
        post = self.screen.post_message

        def build() -> None:
            try:
                from ..search import build_index  # imported here: after the first paint

                def provisional() -> None:  # a big dataset without a saved index: scan first
                    from ..search.scan import ScanIndex

                    post(IndexReady(ScanIndex(dataset)))

                big = len(dataset.records) >= SCAN_FROM_RECORDS
                index = build_index(dataset, on_build=provisional if big else None)
                # where each record is in index.records: a table keeps its cursor on a
                # record across searches by looking for it there (made here, not on a key)
                positions = {record.id: rid for rid, record in enumerate(index.records)}
            except Exception as error:  # the app still works without search
                post(IndexFailed(error))
                return
            post(IndexReady(index, positions))

        self.screen.run_worker(
            build, thread=True, exclusive=True, group="index", exit_on_error=False
        )

    def use(self, index: SearchIndex) -> None:
        """Search with ``index`` from now on; what was answered is asked again."""
        self.index = index
        self.answered = None

    # -- typed queries ------------------------------------------------------------

    def want(self, query: str) -> None:
        """The query changed: search it soon (keys within a frame make one search)."""
        self.query = query
        if self.index is None or not query.strip():
            return  # blank: nothing to search; no index yet: IndexReady asks again
        now = time.monotonic()
        burst = now - self._last_key < SEARCH_DELAY
        self._last_key = now
        if self._running:
            return  # the running search's end starts the newest query
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if burst:  # keys within a frame (a paste, key repeat): one search for them all
            self._timer = self.screen.set_timer(SEARCH_DELAY, self._start)
        else:  # a key on its own: search at once
            self._start()

    def _start(self) -> None:
        self._timer = None
        query, index = self.query, self.index
        if self._running or index is None or not query.strip() or query == self.answered:
            return
        self._running = True
        post = self.screen.post_message

        def run() -> None:
            try:
                # counts from bitmaps; rows and Match objects only when drawn
                result = index.search_result(query)
                result.suggestions()  # for no matches: made here, off the event loop
            except Exception as error:  # the box stays usable; the next key tries again
                post(SearchDone(query, None, index, error))
                return
            post(SearchDone(query, result, index))

        self.screen.run_worker(
            run, thread=True, exclusive=True, group="search", exit_on_error=False
        )

    def finished(self, done: SearchDone, show: Callable[[str, SearchResult], None]) -> None:
        """A search ended: ``show`` its result if the query is still the one wanted and
        nothing answered it meanwhile; then search the newest query, and again with
        the real index when a scan answered."""
        self._running = False
        if done.result is not None and done.query == self.query != self.answered:
            show(done.query, done.result)  # dropped if the query changed meanwhile
        if done.index is not self.index:  # the real index came while the scan answered
            self.answered = None
        if self.query.strip() and self.query != self.answered:
            self._start()

    def search_now(self, query: str) -> SearchResult | None:
        """The result for ``query`` at once (Enter must not wait for a keystroke's
        search); None before the index.  Errors are the caller's."""
        self.query = query
        if self.index is None:
            return None
        result = self.index.search_result(query)
        self.answered = query
        return result
