"""The status slot beside the search box: the search's count (or the language, or
"indexing"), and short messages flashed over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from ..textsafe import one_line
from ..ui.words import LANG_NAMES, Lang, word

if TYPE_CHECKING:
    from ..search import SearchResult

FLASH_SECONDS = 3.0  # a message in the status slot (language, sort, copied) stays this long


def status_text(lang: Lang, indexed: bool, provisional: bool, result: SearchResult | None) -> Text:
    """What the slot says when no message is flashed."""
    text = Text(no_wrap=True)
    if not indexed:
        text.append(word("indexing", lang), style="dim italic")
    elif result is not None:
        n = result.total
        if n:
            text.append(f"{n} {word('matches', lang)}", style="bold")
        else:
            text.append(word("no_matches", lang), style="bold red")
    else:
        text.append(LANG_NAMES[lang], style="dim")
    if provisional:  # a scan answers meanwhile
        text.append(" " + word("indexing", lang), style="dim italic")
    return text


class StatusSlot:
    """The ``#status`` Static of ``screen``: a state, or a message for a few seconds
    (instead of a toast over the table's columns; the next one replaces it)."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self._state = Text()
        self._timer: Timer | None = None

    @property
    def _static(self) -> Static:
        return self.screen.query_one("#status", Static)

    def show(self, text: Text) -> None:
        """The state; drawn now, or when the message showing ends."""
        self._state = text
        if self._timer is None:
            self._static.update(text, layout=False)  # its size is fixed (app.tcss)

    def flash(self, text: str, title: str = "") -> None:
        message = Text(no_wrap=True, overflow="ellipsis")
        if title:
            message.append(title + ": ", style="bold")
        message.append(one_line(text))
        self._static.update(message, layout=False)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(FLASH_SECONDS, self._end)

    def _end(self) -> None:
        self._timer = None
        self._static.update(self._state, layout=False)
