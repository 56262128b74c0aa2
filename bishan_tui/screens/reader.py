"""A dialog of text to read: centred, scrollable, closed with Esc (the help screen, the
glossary)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.screen import ModalScreen


class ReaderScreen(ModalScreen[None]):
    """A modal whose content sits in one VerticalScroll; subclasses give BINDINGS (with
    their own keys) for the actions here and compose the content."""

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
