"""A dialog of text to read: centred, scrollable, closed with Esc (the help screen, the
glossary)."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen


def reader_bindings(name: str, close_keys: str) -> list[BindingType]:
    """A reader dialog's keys: ``close_keys`` close it; j/k and the arrows scroll,
    PgDn/Space and PgUp page.  Ids ``name-close``, ``name-down``, ``name-up``,
    ``name-page-down``, ``name-page-up`` (a keymap can rebind them)."""
    return [
        Binding(close_keys, "close", "Close", id=f"{name}-close"),
        Binding("j,down", "scroll_down", "Down", show=False, id=f"{name}-down"),
        Binding("k,up", "scroll_up", "Up", show=False, id=f"{name}-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id=f"{name}-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{name}-page-up"),
    ]


class ReaderScreen(ModalScreen[None]):
    """A modal whose content sits in one VerticalScroll; subclasses give BINDINGS
    (:func:`reader_bindings`, with their own ids and closing keys) for the actions
    here and compose the content."""

    DEFAULT_CSS = """
    ReaderScreen { align: center middle; }
    ReaderScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll_down(self) -> None:
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one(VerticalScroll).scroll_up()

    def action_page_down(self) -> None:
        self.query_one(VerticalScroll).scroll_page_down()

    def action_page_up(self) -> None:
        self.query_one(VerticalScroll).scroll_page_up()
