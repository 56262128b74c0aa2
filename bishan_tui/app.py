"""The Textual app: a small App that shows the main screen.

``create_app`` is the one way to build it, for the CLI and the tests alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from typing import ClassVar

from textual.app import App
from textual.theme import Theme

from .model import Dataset
from .screens.commands import ToolCommands
from .screens.main import MainScreen
from .screens.palette import RecordCommands
from .ui_text import Lang, osc52

# Colours that keep their meaning when a 16-colour terminal rounds them.
BISHAN_THEME = Theme(
    name="bishan",
    primary="#0087d7",
    secondary="#00afaf",
    accent="#d7af00",
    warning="#d7af00",
    error="#d70000",
    success="#00af00",
    foreground="#e4e4e4",
    background="#000000",
    surface="#121212",
    panel="#1c1c1c",
    dark=True,
)


class BishanApp(App[None]):
    """Look up the facts of the article; everything happens on :class:`MainScreen`."""

    CSS_PATH = "app.tcss"
    TITLE = "bishan-tui"
    COMMANDS: ClassVar = App.COMMANDS | {RecordCommands, ToolCommands}

    def __init__(self, dataset: Dataset, *, lang: Lang = "both") -> None:
        super().__init__()
        self.dataset = dataset
        self.lang: Lang = lang
        self._exit_signal = 0
        self.register_theme(BISHAN_THEME)
        self.theme = "bishan"

    def on_mount(self) -> None:
        self._exit_on_signals()
        self.push_screen(MainScreen(self.dataset, self.lang))

    def _exit_on_signals(self) -> None:
        """SIGTERM, SIGHUP (the SSH link dropped) and SIGINT (``kill -INT``) end the app
        the way ``q`` does, so the terminal is given back: alternate screen left, mouse
        reporting off, cursor shown.  Textual itself leaves these signals to their
        default action, which kills the process with the terminal still in app mode.
        The exit status is the shell's 128 + signal number."""
        if self.is_headless:
            return  # Pilot tests: the test runner's own handlers stay
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            with contextlib.suppress(ValueError, NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, self._exit_on_signal, number)

    def _exit_on_signal(self, number: int) -> None:
        if self._exit_signal:
            os._exit(128 + number)  # a second signal while exiting: stop at once
        self._exit_signal = number
        self.exit(return_code=128 + number)
        # If the exit cannot finish (the terminal is gone and a write blocks), end anyway.
        loop = asyncio.get_running_loop()
        loop.call_later(3.0, os._exit, 128 + number)

    @property
    def in_tmux(self) -> bool:
        return bool(os.environ.get("TMUX"))

    def copy_to_clipboard(self, text: str) -> None:
        """Keep ``text`` in ``app.clipboard`` and send it by OSC 52, wrapped for tmux."""
        self._clipboard = text
        if self._driver is None:
            return
        # Inside tmux: the bare sequence for tmux's own buffer (set-clipboard on), and the
        # passthrough-wrapped one for the outer terminal (allow-passthrough on).
        self._driver.write(osc52(text))
        if self.in_tmux:
            self._driver.write(osc52(text, tmux=True))


def create_app(
    dataset_path: str | None = None,
    *,
    dataset: Dataset | None = None,
    lang: Lang = "both",
) -> BishanApp:
    """The app over a dataset: ``dataset`` if given, else the file at ``dataset_path``
    (None: the bundled data/bishan.toml)."""
    if dataset is None:
        from .loader import load_dataset

        dataset = load_dataset(dataset_path)
    return BishanApp(dataset, lang=lang)
