"""Read a TOML dataset into the typed model, or say exactly what is wrong with it.

No Textual, no Rich.  Two steps: :mod:`.reading` turns a file into a parsed
document (bounded reads, UTF-8, TOML, with the line of any error); :mod:`.checker`
validates the document against the model, with the rules of :mod:`.rules` and the
line numbers of :mod:`.lines`.  Every problem is one line naming the file and,
where it applies, the line, the array, the record's index and id, and the field.
All schema problems are reported at once, in one :class:`DatasetError`.  The file
is only ever opened for reading.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import Dataset
from .checker import MAX_SUGGESTIONS, build_dataset
from .reading import (
    MAX_FILE_BYTES,
    MAX_TOML_TABLES,
    DatasetError,
    bundled_dataset_path,
    decode_text,
    gc_paused,
    parse_toml,
    read_bytes,
    read_text,
)
from .rules import MAX_LENGTH, valid_date

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LENGTH",
    "MAX_SUGGESTIONS",
    "MAX_TOML_TABLES",
    "DatasetError",
    "build_dataset",
    "bundled_dataset_path",
    "decode_text",
    "gc_paused",
    "load_dataset",
    "parse_toml",
    "read_bytes",
    "read_text",
    "valid_date",
]


def load_dataset(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and validate a dataset; ``None`` loads the bundled one."""
    file = Path(path) if path is not None else bundled_dataset_path()
    text = read_text(file)
    with gc_paused():
        document = parse_toml(text, str(file))
        return build_dataset(document, str(file), text)
