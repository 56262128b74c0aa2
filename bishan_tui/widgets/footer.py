"""The footer: the keys of the moment, in the language(s) shown, `?` always first.

Textual's ``Footer`` shows each binding's ``description`` as declared.  This one asks
:func:`~bishan_tui.ui.words.footer_word` for the words by the binding's id (or action),
so the bindings stay declared once, in English, wherever they are declared; and it
puts the help key first, so a narrow terminal cuts the other keys, never `?`.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ..ui.words import Lang, footer_word

HELP_ACTIONS = ("help", "app.help")


class BishanFooter(Footer):
    """A footer whose words follow the screen's ``lang``."""

    @property
    def lang(self) -> Lang:
        lang = getattr(self.screen, "lang", "both")
        if lang == "zh" or lang == "en":
            return "zh" if lang == "zh" else "en"
        return "both"

    _shown: tuple[object, ...] = ()

    def on_resize(self) -> None:
        self.refresh(recompose=True)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Recompose only when the keys shown change: focus moving between the tables
        (a tab switch) changes no key, and a recomposed footer is a line redrawn."""
        if self._signature(screen) == self._shown:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)

    def _signature(self, screen: Screen[object]) -> tuple[object, ...]:
        keys = tuple(
            (binding.key, binding.action, binding.description, enabled)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.lang, self.app.size.width)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        lang = self.lang
        self._shown = self._signature(self.screen)
        active = self.screen.active_bindings
        seen: set[str] = set()
        shown: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((binding, enabled, tooltip))
        if not seen.intersection(HELP_ACTIONS):
            # In the search box Textual leaves out the bindings of printable keys (the
            # box takes them); `?` is still the help there (keys.py): always shown.
            for declared in self.screen.BINDINGS:
                if isinstance(declared, Binding) and declared.action in HELP_ACTIONS:
                    shown.append((declared, True, declared.tooltip))
                    break
        shown.sort(key=lambda item: item[0].action not in HELP_ACTIONS)  # stable: ? first
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        words = [
            footer_word(binding.id, binding.action, binding.description, lang)
            for binding, _enabled, _tooltip in shown
        ]
        # Keys that do not fit are left out (from the right), rather than drawn under
        # the palette key: the first key (help) always stays.
        room = (self.app.size.width or 80) - (14 if palette is not None else 0)
        used, keep = 0, 0
        for (binding, _enabled, _tooltip), text in zip(shown, words, strict=True):
            used += cell_len(self.app.get_key_display(binding)) + cell_len(text) + 3
            if keep and used > room:
                break
            keep += 1
        self.styles.grid_size_columns = keep
        for (binding, enabled, tooltip), text in zip(shown[:keep], words[:keep], strict=True):
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                text,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            _node, binding, enabled, tooltip = palette
            narrow = (self.app.size.width or 80) < 60
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                "" if narrow else footer_word(binding.id, binding.action, "", lang),
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )
