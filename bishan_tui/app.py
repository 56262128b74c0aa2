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
from .screens.main import MainScreen
from .screens.palette import RecordCommands
from .settings import Settings, cursor_blink, save_settings
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
    COMMANDS: ClassVar = App.COMMANDS | {RecordCommands}

    def __init__(
        self,
        dataset: Dataset,
        *,
        lang: Lang = "both",
        theme: str | None = None,
        settings: Settings | None = None,
        remember: bool = False,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.lang: Lang = lang
        self._exit_signal = 0
        # What is remembered (config.toml), and whether changes are written back there
        # (the CLI's app does; tests and embedders do not unless they ask).
        self.settings = settings if settings is not None else Settings()
        self._remember = remember
        # No decorative animation (the tab underline's 17 frames made one key ~11 KB
        # over SSH) unless TEXTUAL_ANIMATIONS asks for it; the cursor blinks only
        # where that costs nothing (see settings.cursor_blink).
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        self.cursor_blink = cursor_blink(self.settings)
        self.register_theme(BISHAN_THEME)
        self.theme = theme if theme in self.available_themes else "bishan"

    def on_mount(self) -> None:
        self._exit_on_signals()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen(self.dataset, self.lang))

    def _theme_changed(self, _theme: Theme) -> None:
        self.remember(theme=self.theme)

    def remember(self, *, lang: Lang | None = None, theme: str | None = None) -> None:
        """Keep the language or theme now in use for the next start (when this app
        remembers); a settings file that cannot be written is said once."""
        changed = self.settings
        if lang is not None:
            changed = changed.with_(lang=lang)
        if theme is not None:
            changed = changed.with_(theme=theme)
        if changed == self.settings:
            return
        self.settings = changed
        if self._remember and not save_settings(changed):
            self._remember = False
            self.notify("settings not saved", severity="warning", markup=False)

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
    theme: str | None = None,
    settings: Settings | None = None,
    remember: bool = False,
) -> BishanApp:
    """The app over a dataset: ``dataset`` if given, else the file at ``dataset_path``
    (None: the bundled data/bishan.toml)."""
    if dataset is None:
        from .loader import load_dataset

        dataset = load_dataset(dataset_path)
    return BishanApp(dataset, lang=lang, theme=theme, settings=settings, remember=remember)
