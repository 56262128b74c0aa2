"""What the screens need of their App, named here so that no screen imports the app
module (which imports the screens)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from ..ui.words import Lang
from .keys import KeyRouter


@runtime_checkable
class Host(Protocol):
    """The App (BishanApp) as the main screen uses it."""

    key_router: KeyRouter
    cursor_blink: bool
    keymap: Mapping[str, str]  # binding id -> keys (App.set_keymap)

    @property
    def in_tmux(self) -> bool: ...

    def copy_to_clipboard(self, text: str) -> None: ...

    def remember(self, *, lang: Lang | None = None, theme: str | None = None) -> None:
        """Keep the language or theme for the next start."""
