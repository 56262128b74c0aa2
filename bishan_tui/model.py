"""Typed, immutable records of the article's facts.

This module is the bottom layer: it imports neither Textual nor Rich, and nothing
else of the package.  Everything above it (loader, search, CLI, app) speaks in
these types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["platform", "project", "talent", "policy", "event", "figure"]
Qualifier = Literal["exact", "about", "over", "nearly", "under"]
# What a paragraph of the article is on the printed page.
ParagraphRole = Literal["headline", "byline", "lead", "heading", "body", "link-box", "caption"]
PARAGRAPH_ROLES: tuple[ParagraphRole, ...] = (
    "headline",
    "byline",
    "lead",
    "heading",
    "body",
    "link-box",
    "caption",
)


@dataclass(frozen=True, slots=True)
class KindInfo:
    """How one kind of record is named in the file, the CLI and the app."""

    kind: Kind
    array: str  # the TOML array that holds it
    label_en: str
    label_zh: str
    singular_en: str


KIND_INFO: tuple[KindInfo, ...] = (
    KindInfo("platform", "platforms", "Platforms", "平台", "platform"),
    KindInfo("project", "projects", "Projects", "项目", "project"),
    KindInfo("talent", "talent", "Talent", "人才", "talent"),
    KindInfo("policy", "policies", "Policies", "政策", "policy"),
    KindInfo("event", "timeline", "Timeline", "时间线", "event"),
    KindInfo("figure", "figures", "Figures", "数据", "figure"),
)
KINDS: tuple[Kind, ...] = tuple(info.kind for info in KIND_INFO)
INFO_BY_KIND: dict[Kind, KindInfo] = {info.kind: info for info in KIND_INFO}

QUALIFIERS: tuple[Qualifier, ...] = ("exact", "about", "over", "nearly", "under")

# How each qualifier is said before a number, in Chinese and in English.
_QUALIFIER_ZH: dict[Qualifier, str] = {
    "exact": "",
    "about": "约",
    "over": "超过",
    "nearly": "近",
    "under": "不到",
}
_QUALIFIER_EN: dict[Qualifier, str] = {
    "exact": "",
    "about": "about",
    "over": "over",
    "nearly": "nearly",
    "under": "under",
}


@dataclass(frozen=True, slots=True)
class Source:
    """The article itself: its titles, by-line and what is known of its print."""

    title: str
    title_en: str
    subtitle: str = ""
    subtitle_en: str = ""
    authors: tuple[str, ...] = ()
    authors_en: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()
    photographers_en: tuple[str, ...] = ()
    publication: str = ""
    published: str = ""
    notes: str = ""
    notes_en: str = ""

    def byline(self, lang: Literal["zh", "en"] = "zh") -> str:
        names = self.authors_en if lang == "en" and self.authors_en else self.authors
        return " ".join(names) if lang == "zh" else ", ".join(names)


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the article (lead box, one of the three sections, side box, captions)."""

    id: str
    title: str
    title_en: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the article's text, in reading order.

    ``text`` is the paragraph as printed with the line breaks of the page removed;
    ``role`` says what it is on the page (body text, the by-line, a photo caption,
    a paragraph of the link box …).
    """

    id: str
    section: str
    text: str
    role: ParagraphRole = "body"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """The one English rendering of a recurring Chinese term or name."""

    zh: str
    en: str
    note: str = ""


def strip_whitespace(text: str) -> str:
    """The verbatim rule's only normalisation: every whitespace character removed."""
    return "".join(text.split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Fields every record has, whatever its kind."""

    id: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    section: str
    quotes: tuple[str, ...]
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    context: str = ""
    context_en: str = ""
    line: int | None = field(default=None, compare=False)  # line of its table in the file

    kind: Kind = field(init=False, default="platform")

    def text_fields(self) -> Iterator[tuple[str, str]]:
        """Every searchable text of the record as (field name, text).

        List fields are named with an index (``quote[0]``, ``tags[1]``).  Search
        spans and the UI's highlighting both refer to these names and texts.
        """
        yield "title", self.title
        yield "title_en", self.title_en
        for i, alias in enumerate(self.aliases):
            yield f"aliases[{i}]", alias
        for i, alias in enumerate(self.aliases_en):
            yield f"aliases_en[{i}]", alias
        yield "summary", self.summary
        yield "summary_en", self.summary_en
        for i, tag in enumerate(self.tags):
            yield f"tags[{i}]", tag
        for i, quote in enumerate(self.quotes):
            yield f"quote[{i}]", quote
        yield from self._kind_fields()
        if self.context:
            yield "context", self.context
        if self.context_en:
            yield "context_en", self.context_en

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def field_text(self, name: str) -> str | None:
        """The text of one field named as :meth:`text_fields` names it."""
        for key, text in self.text_fields():
            if key == name:
                return text
        return None


def _optional(*pairs: tuple[str, str]) -> Iterator[tuple[str, str]]:
    return ((name, text) for name, text in pairs if text)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformRecord(Record):
    """A research institute, incubator, park, alliance or zone."""

    category: str = ""
    category_en: str = ""
    status: str = ""
    status_en: str = ""
    kind: Kind = field(init=False, default="platform")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("category", self.category),
            ("category_en", self.category_en),
            ("status", self.status),
            ("status_en", self.status_en),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectRecord(Record):
    """A firm, an introduced project, a landmark product or achievement."""

    category: str = ""
    category_en: str = ""
    organisation: str = ""
    organisation_en: str = ""
    kind: Kind = field(init=False, default="project")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("category", self.category),
            ("category_en", self.category_en),
            ("organisation", self.organisation),
            ("organisation_en", self.organisation_en),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TalentRecord(Record):
    """A person, a team, a talent programme or an intake of talent."""

    affiliation: str = ""
    affiliation_en: str = ""
    role: str = ""
    role_en: str = ""
    kind: Kind = field(init=False, default="talent")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("affiliation", self.affiliation),
            ("affiliation_en", self.affiliation_en),
            ("role", self.role),
            ("role_en", self.role_en),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyRecord(Record):
    """A document, mechanism, programme, designation or line of reform."""

    instrument: str = ""
    instrument_en: str = ""
    issuer: str = ""
    issuer_en: str = ""
    kind: Kind = field(init=False, default="policy")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("instrument", self.instrument),
            ("instrument_en", self.instrument_en),
            ("issuer", self.issuer),
            ("issuer_en", self.issuer_en),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecord(Record):
    """A dated event; ``date`` has the precision the article gives, no more."""

    date: str
    date_note: str = ""
    date_note_en: str = ""
    kind: Kind = field(init=False, default="event")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("date", self.date),
            ("date_note", self.date_note),
            ("date_note_en", self.date_note_en),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureRecord(Record):
    """A statistic the article reports, with its qualifier kept (余 is *more than*)."""

    value: int | float
    unit: str
    unit_en: str
    qualifier: Qualifier = "exact"
    projected: bool = False
    as_of: str = ""
    period: str = ""
    period_en: str = ""
    as_printed: str = ""
    kind: Kind = field(init=False, default="figure")

    def _kind_fields(self) -> Iterator[tuple[str, str]]:
        return _optional(
            ("value", format_number(self.value)),
            ("as_printed", self.as_printed),
            ("unit", self.unit),
            ("unit_en", self.unit_en),
            ("phrase_en", self.phrase("en")),
            ("as_of", self.as_of),
            ("period", self.period),
            ("period_en", self.period_en),
        )

    def phrase(self, lang: Literal["zh", "en"] = "zh") -> str:
        """The value as the article would say it: ``超过 220 家`` / ``over 220 firms``."""
        number = format_number(self.value)
        if lang == "zh":
            if self.as_printed:
                words = [self.as_printed]
            else:
                words = [_QUALIFIER_ZH[self.qualifier], number, self.unit]
            if self.projected and "预计" not in words[0]:
                words.insert(0, "预计")
        else:
            words = [_QUALIFIER_EN[self.qualifier], number, self.unit_en]
            if self.projected:
                words.insert(0, "projected")
        return " ".join(word for word in words if word)


RECORD_CLASS: dict[Kind, type[Record]] = {
    "platform": PlatformRecord,
    "project": ProjectRecord,
    "talent": TalentRecord,
    "policy": PolicyRecord,
    "event": EventRecord,
    "figure": FigureRecord,
}


def format_number(value: int | float) -> str:
    """A number as the article prints it: no trailing ``.0``, no thousands separator."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value.bit_length() > 10_000:  # past Python's int-to-str digit limit
            return f"{'-' if value < 0 else ''}10^{int(value.bit_length() * 0.30103)}+"
        return str(value)
    return repr(value)


@dataclass(frozen=True, slots=True)
class Dataset:
    """A whole loaded file: the source, its sections and every record in file order."""

    source: Source
    sections: tuple[Section, ...]
    records: tuple[Record, ...]
    path: str = ""
    schema_version: int = 1
    paragraphs: tuple[Paragraph, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    _by_id: dict[str, Record] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {record.id: record for record in self.records})

    def by_id(self, record_id: str) -> Record | None:
        return self._by_id.get(record_id)

    @property
    def quotes_checked(self) -> bool:
        """Whether the loader checked every quote against the article's paragraphs
        (a dataset without ``[[paragraphs]]`` is valid, but its quotes are unchecked)."""
        return bool(self.paragraphs)

    def of_kind(self, kind: Kind) -> tuple[Record, ...]:
        return tuple(record for record in self.records if record.kind == kind)

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def counts(self) -> dict[Kind, int]:
        counts: dict[Kind, int] = {kind: 0 for kind in KINDS}
        for record in self.records:
            counts[record.kind] += 1
        return counts
