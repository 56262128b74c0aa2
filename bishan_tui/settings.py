"""The user's remembered choices: display language, theme, cursor blink, keys.

A small TOML file, ``$XDG_CONFIG_HOME/bishan-tui/config.toml`` (``~/.config/…``),
written atomically.  Nothing here is needed to run: a missing file is the defaults,
and a file that cannot be read or parsed, or holds a wrong value, is ignored with one
line saying so (:class:`Loaded`.warning).  Pure: no Textual, no Rich.

The file, as the app writes it::

    # bishan-tui remembers the last language and theme here.
    lang = "both"            # zh | en | both
    theme = "bishan"
    # cursor_blink = false   # true | false; default: no blink over SSH

and, written by the user, keys rebound by their binding's id (the ids are in
``bishan_tui/screens/bindings.py``; ``?`` in the app shows the keys in use)::

    [keys]
    copy = "y"
    help = "f1,question_mark"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Literal, cast

import tomli

from .cachedir import APP_DIR, write_atomically
from .textsafe import one_line

LangChoice = Literal["zh", "en", "both"]
LANG_CHOICES: tuple[LangChoice, ...] = ("zh", "en", "both")
CONFIG_NAME = "config.toml"
MAX_BYTES = 64 * 1024  # a settings file is a few lines; anything bigger is not ours


@dataclass(frozen=True, slots=True)
class Settings:
    lang: LangChoice | None = None
    theme: str | None = None
    cursor_blink: bool | None = None  # None: decided by the terminal (see cursor_blink)
    keys: tuple[tuple[str, str], ...] = ()  # (binding id, keys): the user's keymap


@dataclass(frozen=True, slots=True)
class Loaded:
    settings: Settings
    path: Path | None
    warning: str = ""  # one line, or "" when the file was fine (or absent)


def config_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """``$XDG_CONFIG_HOME/bishan-tui/config.toml``, else ``~/.config/…``; None when
    there is no home to put it in."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / APP_DIR / CONFIG_NAME
    try:
        return Path.home() / ".config" / APP_DIR / CONFIG_NAME
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None


def _warn(path: Path, problem: str) -> str:
    return one_line(f"bishan-tui: ignoring the settings file {path}: {problem}")


def load_settings(path: Path | None = None) -> Loaded:
    """The settings in ``path`` (default: :func:`config_path`); never raises."""
    if path is None:
        path = config_path()
        if path is None:
            return Loaded(Settings(), None)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Loaded(Settings(), path)
    except (OSError, ValueError) as error:
        return Loaded(Settings(), path, _warn(path, getattr(error, "strerror", None) or str(error)))
    if len(raw) > MAX_BYTES:
        return Loaded(Settings(), path, _warn(path, f"larger than {MAX_BYTES // 1024} KB"))
    try:
        data = tomli.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Loaded(Settings(), path, _warn(path, "not UTF-8 text"))
    except tomli.TOMLDecodeError as error:
        return Loaded(Settings(), path, _warn(path, f"not valid TOML ({error})"))
    settings = Settings()
    problems: list[str] = []
    lang = data.get("lang")
    if lang is not None:
        if lang in LANG_CHOICES:
            settings = replace(settings, lang=cast(LangChoice, lang))
        else:
            problems.append(f"lang must be zh, en or both, not {lang!r}")
    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme and len(theme) <= 100 and theme.isprintable():
            settings = replace(settings, theme=theme)
        else:
            problems.append(f"theme must be a theme's name, not {theme!r}"[:120])
    blink = data.get("cursor_blink")
    if blink is not None:
        if isinstance(blink, bool):
            settings = replace(settings, cursor_blink=blink)
        else:
            problems.append(f"cursor_blink must be true or false, not {blink!r}"[:120])
    keys = data.get("keys")
    if keys is not None:
        keymap = _keymap(keys)
        if keymap is None:
            problems.append('keys must be a table of binding id = "key,key"')
        else:
            settings = replace(settings, keys=keymap)
    warning = _warn(path, "; ".join(problems)) if problems else ""
    return Loaded(settings, path, warning)


def _keymap(table: object) -> tuple[tuple[str, str], ...] | None:
    """``[keys]`` as (binding id, keys) pairs; None if it is not such a table."""
    if not isinstance(table, dict):
        return None
    pairs: list[tuple[str, str]] = []
    for name, keys in table.items():
        if not (isinstance(keys, str) and 0 < len(keys) <= 60 and keys.isascii()):
            return None
        if not (0 < len(name) <= 60 and name.isprintable() and keys.isprintable()):
            return None
        pairs.append((name, keys.replace(" ", "")))
    return tuple(pairs)


def _toml_string(value: str) -> str:
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}"
        if ord(ch) < 0x10000
        else f"\\U{ord(ch):08x}"
        for ch in value
    )
    return f'"{escaped}"'


def dumps(settings: Settings) -> str:
    lines = ["# bishan-tui remembers the last language and theme here."]
    if settings.lang is not None:
        lines.append(f"lang = {_toml_string(settings.lang)}  # zh | en | both")
    if settings.theme is not None:
        lines.append(f"theme = {_toml_string(settings.theme)}")
    if settings.cursor_blink is None:
        lines.append("# cursor_blink = false  # true | false; default: no blink over SSH")
    else:
        lines.append(f"cursor_blink = {'true' if settings.cursor_blink else 'false'}")
    if settings.keys:
        lines.append("[keys]  # binding id = keys")
        lines.extend(f"{_toml_string(name)} = {_toml_string(keys)}" for name, keys in settings.keys)
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> bool:
    """Write the settings atomically (a reader sees the old file or the new one);
    False, never an exception, when that is not possible."""
    target = path if path is not None else config_path()
    if target is None:
        return False
    data = dumps(settings).encode("utf-8")

    def write(handle: IO[bytes]) -> None:
        handle.write(data)

    return write_atomically(target, write)


def cursor_blink(settings: Settings, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the search box's cursor blinks.  Each blink redraws the box: about
    260 bytes a second sent for nothing over SSH, so it blinks only on a local
    terminal, unless the settings say otherwise."""
    if settings.cursor_blink is not None:
        return settings.cursor_blink
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")):
        return False
    return env.get("TERM", "") not in ("linux", "dumb", "")
