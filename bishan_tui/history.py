"""Search history: the queries a user opened a result for, kept across runs.

Pure: no Textual, no Rich.  The file is ``$XDG_STATE_HOME/bishan-tui/history.json``
(``~/.local/state/bishan-tui/history.json``): a JSON list of strings, oldest first,
at most :data:`MAX_ENTRIES`, no query twice.  It is written through a temporary
file and :func:`os.replace`, so a reader sees the old list or the new one.  A
broken file is ignored (the reason is kept in :attr:`SearchHistory.warning`),
and a history that cannot be written never stops the app.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .cachedir import APP_DIR, write_atomically

MAX_ENTRIES = 200
MAX_QUERY = 200  # characters kept of one query
MAX_FILE_BYTES = 1024 * 1024  # a bigger file is not ours: ignored, not read
FILE_NAME = "history.json"


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/bishan-tui`` or ``~/.local/state/bishan-tui``."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / APP_DIR


def clean_query(query: str) -> str:
    """The query as it is kept: white space folded, control characters dropped, cut
    to :data:`MAX_QUERY` characters."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:MAX_QUERY]


class SearchHistory:
    """Past queries, oldest first, and a cursor for recalling them one by one
    (like a shell: back through older ones, forward to the text being typed)."""

    def __init__(self, path: Path | None = None, entries: list[str] | None = None) -> None:
        self.path = path if path is not None else default_state_dir() / FILE_NAME
        self.entries: list[str] = entries if entries is not None else []
        self.warning = ""  # why the file on disk was ignored, in one line
        self._position: int | None = None  # index into entries while recalling
        self._draft = ""  # what the box held before recalling began

    # -- the file -------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> SearchHistory:
        history = cls(path)
        history.entries, history.warning = _read(history.path)
        return history

    def add(self, query: str) -> bool:
        """Record ``query`` as the newest entry (moved there if it was already kept)
        and save; False when the file could not be written (the entry stays in
        memory)."""
        query = clean_query(query)
        self.reset()
        if not query:
            return True
        # Another window may have added queries since this one loaded the file; and
        # this one's may be missing from it (an earlier write failed): keep both.
        on_disk, problem = _read(self.path)
        merged = on_disk if not problem else []
        known = set(merged)
        merged += [entry for entry in self.entries if entry not in known]
        merged = [entry for entry in merged if entry != query]
        merged.append(query)
        self.entries = merged[-MAX_ENTRIES:]
        return self.save()

    def save(self) -> bool:
        data = json.dumps(self.entries, ensure_ascii=False, indent=0).encode("utf-8")
        return write_atomically(self.path, lambda handle: handle.write(data))

    # -- recalling ------------------------------------------------------------

    def reset(self) -> None:
        """Forget where recalling was (the user typed something else)."""
        self._position = None

    @property
    def recalling(self) -> bool:
        return self._position is not None

    def back(self, current: str) -> str | None:
        """The query before the one shown (the newest first time); None when there
        is no older one.  ``current`` is what the box holds now."""
        if not self.entries:
            return None
        if self._position is None:
            self._draft = current
            position = len(self.entries)
        else:
            position = self._position
        # skip an entry equal to what is shown, so one key always changes the box
        while position > 0:
            position -= 1
            if self.entries[position] != current:
                self._position = position
                return self.entries[position]
        return None

    def forward(self, current: str) -> str | None:
        """The query after the one shown; past the newest, the text that was being
        typed before recalling began.  None when not recalling."""
        if self._position is None:
            return None
        position = self._position + 1
        while position < len(self.entries):
            if self.entries[position] != current:
                self._position = position
                return self.entries[position]
            position += 1
        self._position = None
        return self._draft


def _read(path: Path) -> tuple[list[str], str]:
    """The entries in the file and, when it was ignored, why (one line)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return [], f"search history {path} ignored: larger than {MAX_FILE_BYTES} bytes"
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], ""
    except (OSError, UnicodeDecodeError) as error:
        return [], f"search history {path} ignored: {error.__class__.__name__}"
    try:
        data = json.loads(text)
    except ValueError as error:
        return [], f"search history {path} ignored: not JSON (line {_line_of(error)})"
    if not isinstance(data, list) or not all(isinstance(entry, str) for entry in data):
        return [], f"search history {path} ignored: not a list of queries"
    newest_first: dict[str, None] = {}  # a query kept once, at its newest place
    for entry in reversed(data):
        query = clean_query(entry)
        if query and query not in newest_first:
            newest_first[query] = None
            if len(newest_first) == MAX_ENTRIES:
                break
    return list(reversed(newest_first)), ""


def _line_of(error: ValueError) -> int:
    return int(getattr(error, "lineno", 0))
