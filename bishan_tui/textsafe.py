"""Make data text safe to put on a terminal: control characters shown, not obeyed.

A dataset can hold anything: ESC sequences that clear the screen or write the
clipboard (OSC 52), BEL, carriage returns, bidi overrides that reorder what a
reader sees, zero-width characters that hide text.  Everything that reaches a
terminal from data goes through :func:`visible` first.  JSON output does not: it
keeps the exact data and JSON escapes it.  Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re

# C0 and C1 controls except TAB and LF are never obeyed.  DEL too.
_CONTROL = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F))
_C1 = "".join(chr(c) for c in range(0x80, 0xA0))
# Bidi embeddings/overrides/isolates, zero-width and other invisible format characters.
# Also the characters that draw nothing yet survive as text: the deprecated format
# controls U+206A–206F, the interlinear annotation marks U+FFF9–FFFB, the Mongolian
# vowel separator U+180E, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0, and the
# Unicode tag characters U+E0000–E007F (which can spell a hidden ASCII message).
_INVISIBLE = (
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad"
    "\u180e\u115f\u1160\u3164\uffa0\u2028\u2029"
)
_RANGES = "\u206a-\u206f\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f"
_UNSAFE = re.compile(f"[{re.escape(_CONTROL + _C1 + _INVISIBLE)}{_RANGES}]")
# The Hangul fillers are letters to Python (``isprintable()`` is true): looked for apart.
_FILLERS = re.compile("[\u115f\u1160\u3164\uffa0]")

# The Control Pictures block shows C0 controls as one visible glyph each.
_PICTURES = {chr(c): chr(0x2400 + c) for c in range(0x20)}
_PICTURES["\x7f"] = "\u2421"


def _show(match: re.Match[str]) -> str:
    char = match.group()
    picture = _PICTURES.get(char)
    if picture is not None:
        return picture
    return f"<U+{ord(char):04X}>"


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with every control or invisible character made visible.

    ESC becomes ␛, BEL ␇, CR ␍; bidi overrides and zero-width characters become
    ``<U+202E>``-style tags.  Tabs become a space; newlines stay unless
    ``keep_newlines`` is false, when they become ␤ so one record stays one line.
    """
    if not text.isprintable() or (not text.isascii() and _FILLERS.search(text)):
        text = text.replace("\t", " ")
        text = _UNSAFE.sub(_show, text)
    if not keep_newlines and "\n" in text:
        text = text.replace("\n", "\u2424")
    return text


def is_clean(text: str) -> bool:
    """True when :func:`visible` would leave ``text`` as it is (newlines allowed)."""
    return _UNSAFE.search(text) is None and "\t" not in text


def one_line(text: str) -> str:
    """:func:`visible`, with runs of white space folded so a value fits one line."""
    return " ".join(visible(text).split())


def without_unsafe(text: str) -> str:
    """``text`` with every control or invisible character removed (tabs and newlines
    become spaces): for what a person types, such as a query, where a visible tag would
    become part of what is searched for."""
    if _UNSAFE.search(text) is None and "\t" not in text and "\n" not in text:
        return text
    return _UNSAFE.sub("", text.replace("\t", " ").replace("\n", " "))


def clipboard_safe(text: str) -> str:
    """``text`` as it may go on the clipboard: no control character but the newline.

    What is copied is pasted later, often into a shell.  An ESC there can end
    bracketed paste early (``ESC[201~``) and make the rest run as typed commands, and a
    CR can run a line; so every control character and every bidi or invisible one is
    shown the way the screen shows it (ESC as ␛, U+202E as ``<U+202E>``).  Newlines
    stay: they separate the lines of a citation.
    """
    return visible(text.replace("\r\n", "\n"))
