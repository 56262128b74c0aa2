"""The Textual app: a small App that shows the main screen.

``create_app`` is the one way to build it, for the CLI and the tests alike.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.binding import BindingType, Keymap
from textual.theme import Theme

from .model import Dataset
from .screens.bindings import APP_BINDINGS
from .screens.commands import ToolCommands
from .screens.keys import KeyRouter
from .screens.main import MainScreen
from .screens.palette import RecordCommands
from .settings import Settings, cursor_blink, save_settings
from .shutdown import ExitGuard
from .textsafe import clipboard_safe
from .ui.words import Lang

QUIT_AGAIN_WITHIN = 2.0  # seconds: Ctrl+C twice within this quits

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
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]

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
        self.key_router = KeyRouter(self)
        self.keymap: Mapping[str, str] = {}  # binding id -> keys, as set (the help shows it)
        self._ctrl_c_at = -QUIT_AGAIN_WITHIN  # when Ctrl+C was last pressed (monotonic)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending_signal = 0
        self._exit_guard: ExitGuard | None = None
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

    async def on_event(self, event: events.Event) -> None:
        # Keys and pastes of the main screen are decided as they arrive (screens/keys.py)
        if (
            isinstance(event, (events.Key, events.Paste))
            and not event.is_forwarded
            and await self.key_router.feed(event)
        ):
            return
        await super().on_event(event)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's hint to press Ctrl+Q; a second Ctrl+C within two seconds
        quits, for the reader whose fingers know Ctrl+C as "stop"."""
        now = time.monotonic()
        if now - self._ctrl_c_at < QUIT_AGAIN_WITHIN:
            self.exit()
            return
        self._ctrl_c_at = now
        self.notify(
            "Ctrl+Q 退出，或再按 Ctrl+C · Press Ctrl+Q to quit, or Ctrl+C again",
            title="退出？ Quit?",
            markup=False,
            timeout=QUIT_AGAIN_WITHIN,
        )

    def set_keymap(self, keymap: Keymap) -> None:
        """Rebind keys by binding id (screens/bindings.py); the help shows the new keys."""
        super().set_keymap(keymap)
        self.keymap = dict(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        super().update_keymap(keymap)
        self.keymap = {**self.keymap, **keymap}

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._pending_signal:  # a signal came before the app was up
            self.exit(return_code=128 + self._pending_signal)
            return
        if self.settings.keys:  # the user's keymap (config.toml's [keys])
            self.set_keymap(dict(self.settings.keys))
        self.push_screen(MainScreen(self.dataset, self.lang))

    def _theme_changed(self, _theme: Theme) -> None:
        self.remember(theme=self.theme)

    def remember(self, *, lang: Lang | None = None, theme: str | None = None) -> None:
        """Keep the language or theme now in use for the next start (when this app
        remembers); a settings file that cannot be written is said once."""
        changed = self.settings
        if lang is not None:
            changed = replace(changed, lang=lang)
        if theme is not None:
            changed = replace(changed, theme=theme)
        if changed == self.settings:
            return
        self.settings = changed
        if self._remember and not save_settings(changed):
            self._remember = False
            self.notify("settings not saved", severity="warning", markup=False)

    def guard_exit(self, guard: ExitGuard) -> None:
        """Let ``guard`` end the process if an exit does not complete (see
        :mod:`bishan_tui.shutdown`), and exit like ``q`` on SIGTERM, SIGHUP (the SSH
        link dropped), SIGINT, SIGQUIT, SIGUSR1…  Textual leaves these signals to their
        default action, which kills the process with the terminal still in app mode.
        The exit status is the shell's 128 + signal number."""
        self._exit_guard = guard
        guard.install(self._exit_on_signal)

    def _exit_on_signal(self, number: int) -> None:
        """Called inside a signal handler: only hand the request to the event loop."""
        loop = self._loop
        if loop is None:
            self._pending_signal = number
            return
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(self.exit, None, 128 + number)

    def panic(self, *renderables: RenderableType) -> None:
        if self._exit_guard is not None:
            self._exit_guard.arm(1)  # e.g. the input thread lost the terminal
        super().panic(*renderables)

    @property
    def in_tmux(self) -> bool:
        return bool(os.environ.get("TMUX"))

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` made safe to paste (no control characters but newlines, bidi and
        invisible characters shown as on screen) with Textual's own OSC 52; inside tmux
        also that sequence in tmux's passthrough, for the outer terminal."""
        text = clipboard_safe(text)
        super().copy_to_clipboard(text)  # app.clipboard, and the bare OSC 52 (tmux's buffer)
        if self.in_tmux and self._driver is not None:
            # What Textual wrote (App.copy_to_clipboard), wrapped: the driver is the
            # only way to the terminal, and Textual has no public name for it.
            payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
            self._driver.write(tmux_passthrough(f"\x1b]52;c;{payload}\a"))


def tmux_passthrough(sequence: str) -> str:
    """``sequence`` for the terminal outside tmux: ``ESC P tmux;`` … ``ESC \\``, the
    ESCs inside doubled (tmux's ``allow-passthrough``)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


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
