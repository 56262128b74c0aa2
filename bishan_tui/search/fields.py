"""The fields a search looks in, and which of them are names or read as pinyin.

No Textual, no Rich.  The model's field metadata (fieldspec.py) says which record
fields are searched how; :meth:`~bishan_tui.model.Record.text_fields` names them
(``"title"``, ``"quote[0]"``, ``"tags[1]"`` …) and everything in this package asks here.
"""

from __future__ import annotations

# Which fields are names and which others are read as pinyin comes from the model's
# field metadata (fieldspec.py): a field declared there is searched here.
from ..model import PINYIN_FIELDS, TITLE_FIELDS

__all__ = ["FIELD_OF", "PINYIN_FIELDS", "TITLE_FIELDS", "field_base", "in_title", "pinyin_field"]

# The query language's field names, by the base of Record.text_fields names.
FIELD_OF: dict[str, str] = {
    "title": "title",
    "title_en": "title",
    "aliases": "title",
    "aliases_en": "title",
    "summary": "summary",
    "summary_en": "summary",
    "quote": "quote",
    "tags": "tags",
}


def field_base(name: str) -> str:
    cut = name.find("[")
    return name if cut < 0 else name[:cut]


def in_title(name: str) -> bool:
    return field_base(name) in TITLE_FIELDS


def pinyin_field(name: str) -> bool:
    base = field_base(name)
    return base in TITLE_FIELDS or base in PINYIN_FIELDS

