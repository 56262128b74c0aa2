"""The key model: every key for the main screen is decided when it arrives, in order.

Textual forwards a key to the widget focused *when the App reads it* and lets that
widget handle it later, in its own task; ``Widget.focus()`` only schedules the change.
Keys that arrive together (a paste, type-ahead, an SSH packet holding several keys) are
therefore all queued at the old focus before the first of them can move it: ``/kangjia``
in one write put ``angia`` in the box and ran ``a``… as commands.

Here the App hands every key and paste of the main screen to :class:`KeyRouter`, which
runs in the App's own task, one key at a time, in arrival order.  Each key is decided
against the state the keys before it left: focus changes take effect at once
(``Screen.set_focus``), text goes into the box at once, and a binding's action runs
before the next key is looked at.  Keys that arrive before the main screen is up, or
while Enter waits for the search index, are kept and replayed in order.

The model (also in the help screen and the README):

* the app opens with the cursor in the search box, and typing always searches;
* in the box, ↑ ↓ PgUp PgDn Home End move through the results and Enter opens the
  selected one (the best match until you move); Esc clears the query, and Esc in an
  empty box moves to the table;
* ``?`` opens the help, from an empty box too (in a query it is typed);
* in the table ("command mode"), single letters are commands (j k c l s q 1–6 ? …);
  any other printable key starts a search with that key;
* ``/`` from anywhere returns to the box; a bracketed paste anywhere goes into the box;
* Ctrl+Q always quits, Ctrl+Z suspends; Ctrl+C copies the box's selection, else says
  how to quit, and a second Ctrl+C within two seconds quits.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Protocol

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input

from ..textsafe import without_unsafe
from .bindings import BY_ID, keys_of


class KeyScreen(Protocol):
    """What the router needs of the main screen (MainScreen), besides being its Screen."""

    @property
    def search_input(self) -> Input: ...

    def focus_search(self) -> None: ...

    def type_text(self, text: str) -> None: ...

    def type_in_search(self, text: str) -> None: ...

    def box_key(self, key: str) -> bool: ...

    def command_key(self, key: str) -> bool: ...


# Keys that never wait in the queue and are Textual's: quit and suspend must work even
# if the screen never comes, or while Enter waits for the index.
PASS_THROUGH = frozenset({"ctrl+q", "ctrl+z"})

# The longest query kept from a paste (a search box holds a few words; a 100 KB paste
# of anything is cut here, in one operation, not key by key).
MAX_PASTE = 200


def paste_text(text: str) -> str:
    """What a paste puts in the search box: one line, no control or invisible
    characters, at most MAX_PASTE characters; done in one pass, whatever the size."""
    head = text[: MAX_PASTE * 4]  # room for the line breaks and controls removed below
    return " ".join(without_unsafe(head.replace("\r", "\n")).split())[:MAX_PASTE]


class KeyRouter:
    """Decides each key of the main screen in the App's task, in arrival order."""

    def __init__(self, app: App[None]) -> None:
        self.app = app
        self.screen: KeyScreen | None = None
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._held = False

    # -- the App's side -----------------------------------------------------------

    async def feed(self, event: events.Key | events.Paste) -> bool:
        """Take a key or paste the App has just read; False: let Textual handle it."""
        if isinstance(event, events.Key) and (
            event.key in PASS_THROUGH or (event.key == "ctrl+c" and self.screen is None)
        ):
            return False
        if self.screen is None or self._held or self._waiting:
            self._waiting.append(event)  # before the screen is up, or Enter is waiting
            return True
        return await self._route(event)

    def attach(self, screen: KeyScreen) -> None:
        """The main screen is up: replay the keys that came before it."""
        self.screen = screen
        self._schedule_drain()

    def hold(self) -> None:
        """Keep the keys that arrive from now on until :meth:`release`."""
        self._held = True

    def release(self) -> None:
        self._held = False
        self._schedule_drain()

    def _on_top(self, screen: object) -> bool:
        return self.app.screen is screen

    def _keys(self, binding_id: str) -> set[str]:
        """The keys of a binding (``/`` for "search", or a keymap's)."""
        return set(keys_of(BY_ID[binding_id], getattr(self.app, "keymap", {})))

    def _schedule_drain(self) -> None:
        if self._waiting:
            self.app.call_later(self._drain)  # in the App's task, like every key

    async def _drain(self) -> None:
        while self._waiting and not self._held and self.screen is not None:
            event = self._waiting.popleft()
            if not await self._route(event):
                await App.on_event(self.app, event)

    # -- the decision ---------------------------------------------------------------

    async def _route(self, event: events.Key | events.Paste) -> bool:
        screen = self.screen
        if self.app.return_code is not None:
            return True  # the app is exiting (q, then more keys in the same read): drop
        if screen is None or not self._on_top(screen):
            return False  # a dialog is on top: Textual's own routing
        if isinstance(event, events.Paste):
            screen.type_in_search(paste_text(event.text))
            return True
        return await self._route_key(screen, self.app.screen, event)

    async def _route_key(self, screen: KeyScreen, here: Screen[Any], event: events.Key) -> bool:
        key = event.key
        char = event.character
        box = screen.search_input
        in_box = here.focused is box

        if key == "ctrl+j":
            # A newline is Enter: keys typed before the app set the terminal raw were
            # cooked by the tty (ICRNL turns Enter's CR into LF), and some links send LF.
            return await self._route_key(screen, here, events.Key("enter", "\r"))
        if key.startswith("alt+") and key not in here.active_bindings:
            # ESC and a key in one read is how a terminal sends Alt+key; nothing here
            # is bound to Alt, so it was Esc followed by the key (Esc Esc j, fast).
            rest = key.removeprefix("alt+")
            await self._route_key(screen, here, events.Key("escape", "\x1b"))
            rest_char = char if char is not None and len(char) == 1 and char.isprintable() else None
            return await self._route_key(screen, here, events.Key(rest, rest_char))

        if key == "ctrl+c":
            # Textual's: copy what is selected in the box; else the hint to quit (and,
            # pressed again at once, quits: BishanApp.action_help_quit)
            if in_box and box.selected_text:
                box.action_copy()
            else:
                await self.app.run_action("help_quit")
            return True
        if in_box:
            if screen.box_key(key):
                return True
            if event.is_printable and char is not None:
                if not box.value and not char.isalnum() and {key, char} & self._keys("search"):
                    return True  # "/" means "to the box": it is there already
                # The help key ("?", always in the footer: issue 11) opens the help from an
                # empty box; in a query it is typed like any key (issue 9)
                if not box.value and not char.isalnum() and {key, char} & self._keys("help"):
                    await self.app.run_action("help", here)
                    return True
                screen.type_text(char)
                return True
        elif screen.command_key(key):
            return True

        # a binding's action (the search key's moves the focus at once: set_focus)
        active = here.active_bindings.get(key)
        if active is not None and active.enabled:
            await self.app.run_action(active.binding.action, active.node)
            return True
        if not in_box and event.is_printable and char is not None:
            if char.isspace():
                return True  # a space in a table searches for nothing
            screen.focus_search()  # a new query, over the old one
            screen.type_text(char)
            return True
        return False
