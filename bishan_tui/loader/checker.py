"""Validation: a parsed TOML document checked against the model, every problem at once.

Every problem is one line naming the file and, where it applies, the line, the
array, the record's index and id, and the field; all of them are reported in one
:class:`DatasetError`.  The rules each field follows are in :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..model import (
    KIND_INFO,
    RECORD_CLASS,
    Dataset,
    GlossaryEntry,
    Kind,
    Paragraph,
    Record,
    Section,
    Source,
    strip_whitespace,
)
from ..textsafe import one_line
from .lines import LineFinder
from .reading import DatasetError
from .rules import Refused, Schema, cut_name, schema_of, short, type_name

SCHEMA_VERSION = 1
MAX_RECORDS = 200_000
# "did you mean" is computed for this many problems of a file, and only for names of
# up to MAX_SUGGEST_LENGTH characters: difflib's cost grows with both.
MAX_SUGGESTIONS = 50
MAX_SUGGEST_LENGTH = 100

_TOP_KEYS = (
    "schema_version",
    "source",
    "sections",
    "paragraphs",
    "glossary",
    *(info.array for info in KIND_INFO),
)


def build_dataset(document: Mapping[str, Any], name: str, text: str = "") -> Dataset:
    """Validate a parsed document; raise one DatasetError listing every problem."""
    checker = Checker(name, LineFinder(text))
    dataset = checker.check(document)
    if checker.problems or dataset is None:
        raise DatasetError(name, checker.problems)
    return dataset


class Checker:
    def __init__(self, name: str, lines: LineFinder) -> None:
        self.name = name
        self.lines = lines
        self.problems: list[str] = []
        self.suggestions = 0
        # The article's paragraphs, whitespace removed, joined by a newline (which no
        # stripped quote contains, so a quote cannot straddle two paragraphs); None
        # when the file has no paragraphs and quotes go unchecked.
        self.article: str | None = None
        self.schemas = {kind: schema_of(cls) for kind, cls in RECORD_CLASS.items()}

    def suggest(self, key: str, known: Iterable[str]) -> str:
        """`` (did you mean 'title'?)``, or nothing; bounded work for any file."""
        if self.suggestions >= MAX_SUGGESTIONS or len(key) > MAX_SUGGEST_LENGTH:
            return ""
        self.suggestions += 1
        import difflib  # only a file with a problem needs it (~0.4 ms to import)

        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        return f" (did you mean '{close[0]}'?)" if close else ""

    def problem(self, line: int | None, message: str) -> None:
        where = f"{self.name}:{line}" if line is not None else self.name
        # One line each, and nothing from the file reaches a terminal raw.
        self.problems.append(one_line(f"{where}: {message}"))

    # -- the whole document

    def check(self, document: Mapping[str, Any]) -> Dataset | None:
        for key in document:
            if key not in _TOP_KEYS:
                self.problem(
                    self.lines.top_key(key),
                    f"top-level key '{cut_name(key)}' is not known{self.suggest(key, _TOP_KEYS)}",
                )
        version = document.get("schema_version")
        if version is None:
            self.problem(None, "schema_version is missing (expected schema_version = 1)")
        elif isinstance(version, bool) or version != SCHEMA_VERSION:
            self.problem(
                self.lines.top_key("schema_version"),
                f"schema_version is {short(version)}; this version of bishan-tui reads "
                f"schema_version = {SCHEMA_VERSION}",
            )
        source = self.source(document.get("source"))
        sections = self.sections(document.get("sections"))
        section_ids = {section.id for section in sections}
        paragraphs = self.paragraphs(document.get("paragraphs"), section_ids)
        if paragraphs:
            self.article = "\n".join(strip_whitespace(p.text) for p in paragraphs)
        glossary = self.glossary(document.get("glossary"))

        raw: list[tuple[Kind, str, int, Mapping[str, Any]]] = []
        for info in KIND_INFO:
            items = document.get(info.array)
            if items is None:
                continue
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                self.problem(
                    self.lines.top_key(info.array),
                    f"'{info.array}' must be an array of tables ([[{info.array}]]), "
                    f"not {type_name(items)}",
                )
                continue
            raw.extend((info.kind, info.array, index, item) for index, item in enumerate(items))
        if not raw:
            self.problem(
                None,
                "no records: at least one of "
                + ", ".join(f"[[{i.array}]]" for i in KIND_INFO)
                + " must have an entry",
            )
        if len(raw) > MAX_RECORDS:
            self.problem(None, f"{len(raw):,} records; the limit is {MAX_RECORDS:,}")
            return None

        first_seen: dict[str, str] = {}
        for _kind, array, index, item in raw:
            record_id = item.get("id")
            if isinstance(record_id, str):
                where = f"{array}[{index}]"
                if record_id in first_seen:
                    self.problem(
                        self.lines.key(array, index, "id"),
                        f"{where} (id \"{cut_name(record_id)}\"): field 'id': duplicate id, "
                        f"first used by {first_seen[record_id]}",
                    )
                else:
                    first_seen[record_id] = where

        records: list[Record] = []
        for kind, array, index, item in raw:
            record = self.record(kind, array, index, item, section_ids, first_seen)
            if record is not None:
                records.append(record)
        if self.problems or source is None:
            return None
        return Dataset(
            source=source,
            sections=tuple(sections),
            records=tuple(records),
            path=self.name,
            schema_version=SCHEMA_VERSION,
            paragraphs=tuple(paragraphs),
            glossary=tuple(glossary),
        )

    # -- [source] and [[sections]]

    def source(self, table: object) -> Source | None:
        line = self.lines.tables.get("source")
        if table is None:
            self.problem(None, "[source] is missing (the article's title and title_en)")
            return None
        if not isinstance(table, dict):
            self.problem(line, f"'source' must be a table, not {type_name(table)}")
            return None
        values = self.fields(table, schema_of(Source), "source", lambda key: line)
        if values is None:
            return None
        return Source(**values)

    def sections(self, items: object) -> list[Section]:
        if items is None:
            self.problem(None, "[[sections]] is missing: at least one section is needed")
            return []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(
                self.lines.top_key("sections"),
                f"'sections' must be an array of tables, not {type_name(items)}",
            )
            return []
        sections: list[Section] = []
        seen: set[str] = set()
        for _index, where, line, values in self.valid_tables(items, "sections", Section):
            if values["id"] in seen:
                self.problem(
                    line("id"), f"{where}: field 'id': duplicate section id \"{values['id']}\""
                )
                continue
            seen.add(values["id"])
            sections.append(Section(**values))
        return sections

    # -- [[paragraphs]] and [[glossary]]

    def table_array(self, items: object, array: str) -> list[Mapping[str, Any]]:
        """The tables of an optional top-level array; a problem if it is not one."""
        if items is None:
            return []
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.problem(
                self.lines.top_key(array),
                f"'{array}' must be an array of tables ([[{array}]]), not {type_name(items)}",
            )
            return []
        if len(items) > MAX_RECORDS:
            self.problem(None, f"{len(items):,} {array}; the limit is {MAX_RECORDS:,}")
            return []
        return items

    def valid_tables(
        self, tables: list[Mapping[str, Any]], array: str, cls: type, *, named: bool = False
    ) -> Iterator[tuple[int, str, Callable[[str], int | None], dict[str, Any]]]:
        """(index, label, line of a key, values) of each table of ``array`` whose fields
        are all right for ``cls``; the problems of the others are reported."""
        for index, item in enumerate(tables):
            where = f"{array}[{index}]"
            if named and isinstance(item.get("id"), str):
                where += f' (id "{item["id"]}")'

            def line(key: str, i: int = index) -> int | None:
                return self.lines.key(array, i, key)

            values = self.fields(item, schema_of(cls), where, line)
            if values is not None:
                yield index, where, line, values

    def paragraphs(self, items: object, section_ids: set[str]) -> list[Paragraph]:
        paragraphs: list[Paragraph] = []
        seen: set[str] = set()
        tables = self.table_array(items, "paragraphs")
        for _index, where, line, values in self.valid_tables(
            tables, "paragraphs", Paragraph, named=True
        ):
            if values["section"] not in section_ids:
                self.problem(
                    line("section"),
                    f"{where}: field 'section': \"{values['section']}\" names no section",
                )
                continue
            if values["id"] in seen:
                self.problem(line("id"), f"{where}: field 'id': duplicate paragraph id")
                continue
            seen.add(values["id"])
            paragraphs.append(Paragraph(**values))
        return paragraphs

    def glossary(self, items: object) -> list[GlossaryEntry]:
        entries: list[GlossaryEntry] = []
        seen: dict[str, int] = {}
        tables = self.table_array(items, "glossary")
        for index, where, line, values in self.valid_tables(tables, "glossary", GlossaryEntry):
            term = values["zh"]
            if term in seen:
                # One rendering per term: a second entry for it is the inconsistency
                # the glossary exists to prevent.
                self.problem(
                    line("zh"),
                    f"{where}: field 'zh': \"{term}\" is already glossary[{seen[term]}]",
                )
                continue
            seen[values["zh"]] = index
            entries.append(GlossaryEntry(**values))
        return entries

    def check_quotes(self, record: Record, array: str, index: int) -> None:
        """Each quote must be in one paragraph once whitespace is removed from both."""
        article = self.article
        if article is None:
            return
        for position, quote in enumerate(record.quotes):
            needle = strip_whitespace(quote)
            if needle not in article:
                self.problem(
                    self.lines.key(array, index, "quote"),
                    f"{array}[{index}] (id \"{record.id}\"): field 'quote' item {position}: "
                    f"not in the article's paragraphs (whitespace removed from both): "
                    + _where_it_differs(needle, article),
                )

    # -- one record

    def record(
        self,
        kind: Kind,
        array: str,
        index: int,
        item: Mapping[str, Any],
        section_ids: set[str],
        ids: Mapping[str, str],
    ) -> Record | None:
        schema = self.schemas[kind]
        fast = schema.fast(item)
        if fast is not None:
            related = fast.get("related", ())
            if fast["section"] in section_ids and all(
                target in ids and target != fast["id"] for target in related
            ):
                fast["line"] = self.lines.record(array, index)
                record = RECORD_CLASS[kind](**fast)
                if self.article is not None:
                    self.check_quotes(record, array, index)
                return record
        # Something is wrong: the field-by-field check says exactly what.
        record_id = item.get("id")
        label = f"{array}[{index}]"
        if isinstance(record_id, str):
            label += f' (id "{cut_name(record_id)}")'

        def line(key: str) -> int | None:
            return self.lines.key(array, index, key)

        values, ok = self.partial_fields(item, schema, label, line)
        if "section" in values and values["section"] not in section_ids:
            self.problem(
                line("section"),
                f"{label}: field 'section': \"{cut_name(values['section'])}\" names no section"
                + (f" (sections: {', '.join(sorted(section_ids))})" if section_ids else ""),
            )
            ok = False
        for target in values.get("related", ()):
            if target == values.get("id"):
                self.problem(line("related"), f"{label}: field 'related': names the record itself")
                ok = False
            elif target not in ids:
                self.problem(
                    line("related"),
                    f"{label}: field 'related': \"{cut_name(target)}\" names no record"
                    + self.suggest(target, ids),
                )
                ok = False
        if not ok:
            return None
        values = schema.arguments(values)
        values["line"] = self.lines.record(array, index)
        built = RECORD_CLASS[kind](**values)
        self.check_quotes(built, array, index)
        return built

    # -- field by field

    def fields(
        self,
        item: Mapping[str, Any],
        schema: Schema,
        label: str,
        line: Callable[[str], int | None],
    ) -> dict[str, Any] | None:
        values, ok = self.partial_fields(item, schema, label, line)
        return schema.arguments(values) if ok else None

    def partial_fields(
        self,
        item: Mapping[str, Any],
        schema: Schema,
        label: str,
        line: Callable[[str], int | None],
    ) -> tuple[dict[str, Any], bool]:
        """The fields that are right (by their key in the file), and whether all were."""
        values: dict[str, Any] = {}
        ok = True
        for key in item:
            if key not in schema.fields:
                self.problem(
                    line(key),
                    f"{label}: field '{cut_name(key)}' is not known"
                    + self.suggest(key, schema.fields),
                )
                ok = False
        for rule in schema.fields.values():
            if rule.name not in item:
                if rule.required:
                    self.problem(line(rule.name), f"{label}: field '{rule.name}' is missing")
                    ok = False
                continue
            try:
                values[rule.name] = rule.check(item[rule.name])
            except Refused as error:
                self.problem(line(rule.name), f"{label}: field '{rule.name}': {error}")
                ok = False
        return values, ok


def _where_it_differs(needle: str, article: str) -> str:
    """Where a quote leaves the article: the longest start of it that the article has
    (a binary search; only run for a quote that is not found)."""
    low, high = 0, len(needle)
    while low < high:
        middle = (low + high + 1) // 2
        if needle[:middle] in article:
            low = middle
        else:
            high = middle - 1
    shown = needle if len(needle) <= 30 else needle[:29] + "…"
    if low == 0:
        return f'"{shown}": not even its first character is there'
    rest = needle[low : low + 12] + ("…" if len(needle) > low + 12 else "")
    return f'"{shown}": its first {low} of {len(needle)} characters are there, then "{rest}" is not'
