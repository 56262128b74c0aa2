"""Shell completion for bash, zsh and fish, through argcomplete.

``bishan-tui completion SHELL`` prints the script a shell sources; that script runs
``bishan-tui`` itself with ``_ARGCOMPLETE`` set whenever Tab is pressed, and
:func:`autocomplete` answers from the argparse parser: commands, options, kinds,
formats, shells, and record ids for ``show``.  argcomplete is imported only then,
so it costs nothing on any other start.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

SHELLS = ("bash", "zsh", "fish")
PROG = "bishan-tui"


def shell_script(shell: str) -> str:
    """What to source (bash, zsh) or save under ``~/.config/fish/completions/``."""
    from argcomplete.shell_integration import shellcode

    return shellcode([PROG], shell=shell)


def kind_completer(choices: Iterable[str]) -> object:
    def complete(prefix: str, **_: object) -> list[str]:
        return [name for name in choices if name.startswith(prefix)]

    return complete


def id_completer(prefix: str, parsed_args: argparse.Namespace, **_: object) -> list[str]:
    """Record ids of the dataset the command line names (or the bundled one)."""
    from .loader import DatasetError, load_dataset

    try:
        dataset = load_dataset(getattr(parsed_args, "data", None))
    except (DatasetError, OSError):
        return []
    return [record.id for record in dataset.records if record.id.startswith(prefix)]


def attach(action: argparse.Action, completer: object) -> None:
    """Tell argcomplete how to complete one argument (argcomplete reads the
    attribute; argparse ignores it)."""
    setattr(action, "completer", completer)  # noqa: B010 - Action declares no such field


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's completion request and exit; returns only when the shell
    asked for none."""
    import argcomplete

    argcomplete.autocomplete(parser)
