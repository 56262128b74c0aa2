"""Typed, immutable records of the article's facts.

This module is the bottom layer: it imports neither Textual nor Rich, and nothing
else of the package.  Everything above it (loader, search, CLI, app) speaks in
these types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import ClassVar, Literal

from .fieldspec import (
    FieldSpec,
    SharedMethods,
    described,
    file_fields,
    per_class,
    searched_fields,
    spec,
)

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


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class KindInfo(SharedMethods):
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


@per_class
def kind_fields(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of one kind only (not the ones every record has), in file order."""
    common = {item.name for item in fields(Record)}
    return tuple(about for about in file_fields(cls) if about.attr not in common)


@per_class
def detail_rows(cls: type) -> tuple[tuple[str, str, str, str], ...]:
    """The labelled text rows of one kind's detail: (label_zh, label_en, field, its
    English field or "")."""
    own = kind_fields(cls)
    names = {about.column for about in own}
    return tuple(
        (about.label_zh, about.label_en, about.column, english if english in names else "")
        for about in own
        if about.show and about.rule == "str" and not about.column.endswith("_en")
        for english in (about.column + "_en",)
    )


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Source(SharedMethods):
    """The article itself: its titles, by-line and what is known of its print."""

    title: str = field(metadata=spec("标题", "Title", required=True, limit="title"))
    title_en: str = field(metadata=spec("英文标题", "Title", required=True, limit="title"))
    subtitle: str = field(default="", metadata=spec("副标题", "Subtitle"))
    subtitle_en: str = field(default="", metadata=spec("英文副标题", "Subtitle"))
    publication: str = field(default="", metadata=spec("刊物", "Publication"))
    published: str = field(default="", metadata=spec("刊发", "Published"))
    notes: str = field(default="", metadata=spec("说明", "Notes"))
    notes_en: str = field(default="", metadata=spec("英文说明", "Notes"))
    authors: tuple[str, ...] = field(
        default=(), metadata=spec("记者", "Authors", "str-list", limit="title")
    )
    authors_en: tuple[str, ...] = field(
        default=(), metadata=spec("记者", "Authors", "str-list", limit="title")
    )
    photographers: tuple[str, ...] = field(
        default=(), metadata=spec("摄影", "Photographers", "str-list", limit="title")
    )
    photographers_en: tuple[str, ...] = field(
        default=(), metadata=spec("摄影", "Photographers", "str-list", limit="title")
    )

    def byline(self, lang: Literal["zh", "en"] = "zh") -> str:
        names = self.authors_en if lang == "en" and self.authors_en else self.authors
        return " ".join(names) if lang == "zh" else ", ".join(names)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Section(SharedMethods):
    """A part of the article (lead box, one of the three sections, side box, captions)."""

    id: str = field(metadata=spec("编号", "ID", "id", required=True, limit="id"))
    title: str = field(metadata=spec("标题", "Title", required=True, limit="title"))
    title_en: str = field(metadata=spec("英文标题", "Title", required=True, limit="title"))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Paragraph(SharedMethods):
    """One paragraph of the article's text, in reading order.

    ``text`` is the paragraph as printed with the line breaks of the page removed;
    ``role`` says what it is on the page (body text, the by-line, a photo caption,
    a paragraph of the link box …).
    """

    id: str = field(metadata=spec("编号", "ID", "id", required=True, limit="id"))
    section: str = field(metadata=spec("出处", "Section", "section", required=True, limit="id"))
    text: str = field(metadata=spec("正文", "Text", required=True, limit="paragraph"))
    role: ParagraphRole = field(default="body", metadata=spec("角色", "Role", "role"))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class GlossaryEntry(SharedMethods):
    """The one English rendering of a recurring Chinese term or name."""

    zh: str = field(metadata=spec("中文", "Chinese", required=True, limit="title"))
    en: str = field(metadata=spec("英文", "English", required=True, limit="title"))
    note: str = field(default="", metadata=spec("说明", "Note"))


def strip_whitespace(text: str) -> str:
    """The verbatim rule's only normalisation: every whitespace character removed."""
    return "".join(text.split())


def _kind_text(label_zh: str, label_en: str, *, pinyin: bool = True) -> dict[str, FieldSpec]:
    """A plain text field of one kind, searched after the common fields."""
    return spec(label_zh, label_en, search=10, pinyin=pinyin)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class Record(SharedMethods):
    """Fields every record has, whatever its kind."""

    # fmt: off
    id: str = field(metadata=spec("编号", "ID", "id", required=True, limit="id", csv=1))
    title: str = field(metadata=spec(
        "名称", "Title", required=True, limit="title", search=1, name=True, pinyin=True, csv=2))
    title_en: str = field(metadata=spec(
        "英文名称", "Title", required=True, limit="title", search=2, name=True, pinyin=True,
        csv=3))
    summary: str = field(metadata=spec(
        "摘要", "Summary", required=True, limit="summary", search=5, csv=12))
    summary_en: str = field(metadata=spec(
        "英文摘要", "Summary", required=True, limit="summary", search=6, csv=13))
    section: str = field(metadata=spec(
        "出处", "Section", "section", required=True, limit="id", csv=11))
    quotes: tuple[str, ...] = field(metadata=spec(
        "原文", "From the article", "quote", required=True, limit="quote", search=8, csv=14,
        column="quote"))
    tags: tuple[str, ...] = field(default=(), metadata=spec(
        "标签", "Tags", "str-list", limit="title", search=7, pinyin=True))
    aliases: tuple[str, ...] = field(default=(), metadata=spec(
        "别名", "Also called", "str-list", limit="title", search=3, name=True, pinyin=True))
    aliases_en: tuple[str, ...] = field(default=(), metadata=spec(
        "英文别名", "Also called", "str-list", limit="title", search=4, name=True, pinyin=True))
    related: tuple[str, ...] = field(default=(), metadata=spec(
        "相关条目", "Related records", "related", limit="id"))
    context: str = field(default="", metadata=spec(
        "背景", "Background", limit="summary", search=90))
    context_en: str = field(default="", metadata=spec(
        "英文背景", "Background", limit="summary", search=91))
    # fmt: on
    line: int | None = field(default=None, compare=False)  # line of its table in the file

    kind: Kind = field(init=False, default="platform")

    def text_fields(self) -> Iterator[tuple[str, str]]:
        """Every searchable text of the record as (field name, text).

        List fields are named with an index (``quote[0]``, ``tags[1]``).  Search
        spans and the UI's highlighting both refer to these names and texts.  The
        fields and their order are the ``search`` places of their :class:`FieldSpec`;
        an optional text that is empty is left out.
        """
        for about in searched_fields(type(self)):
            compute = about.compute
            value = getattr(self, about.attr) if compute is None else compute(self)
            if type(value) is tuple:
                column = about.column
                for i, item in enumerate(value):
                    yield f"{column}[{i}]", item
            elif type(value) is str:
                if value or about.required:
                    yield about.column, value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                yield about.column, format_number(value)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class PlatformRecord(Record):
    """A research institute, incubator, park, alliance or zone."""

    category: str = field(default="", metadata=_kind_text("类别", "Category"))
    category_en: str = field(default="", metadata=_kind_text("类别", "Category", pinyin=False))
    status: str = field(default="", metadata=_kind_text("状态", "Status"))
    status_en: str = field(default="", metadata=_kind_text("状态", "Status", pinyin=False))
    kind: Kind = field(init=False, default="platform")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class ProjectRecord(Record):
    """A firm, an introduced project, a landmark product or achievement."""

    category: str = field(default="", metadata=_kind_text("类别", "Category"))
    category_en: str = field(default="", metadata=_kind_text("类别", "Category", pinyin=False))
    organisation: str = field(default="", metadata=_kind_text("主体", "Organisation"))
    organisation_en: str = field(
        default="", metadata=_kind_text("主体", "Organisation", pinyin=False)
    )
    kind: Kind = field(init=False, default="project")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class TalentRecord(Record):
    """A person, a team, a talent programme or an intake of talent."""

    affiliation: str = field(default="", metadata=_kind_text("单位", "Affiliation"))
    affiliation_en: str = field(
        default="", metadata=_kind_text("单位", "Affiliation", pinyin=False)
    )
    role: str = field(default="", metadata=_kind_text("身份", "Role"))
    role_en: str = field(default="", metadata=_kind_text("身份", "Role", pinyin=False))
    kind: Kind = field(init=False, default="talent")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class PolicyRecord(Record):
    """A document, mechanism, programme, designation or line of reform."""

    instrument: str = field(default="", metadata=_kind_text("类型", "Type"))
    instrument_en: str = field(default="", metadata=_kind_text("类型", "Type", pinyin=False))
    issuer: str = field(default="", metadata=_kind_text("发布方", "Issuer"))
    issuer_en: str = field(default="", metadata=_kind_text("发布方", "Issuer", pinyin=False))
    kind: Kind = field(init=False, default="policy")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class EventRecord(Record):
    """A dated event; ``date`` has the precision the article gives, no more."""

    date: str = field(metadata=spec("日期", "Date", "date", required=True, search=10, csv=10))
    date_note: str = field(default="", metadata=_kind_text("日期说明", "About the date"))
    date_note_en: str = field(
        default="", metadata=_kind_text("日期说明", "About the date", pinyin=False)
    )
    kind: Kind = field(init=False, default="event")


@dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)
class FigureRecord(Record):
    """A statistic the article reports, with its qualifier kept (余 is *more than*)."""

    # Searched in this order: value, as_printed, unit, unit_en, phrase_en, as_of, period.
    value: int | float = field(
        metadata=spec("数值", "Value", "number", required=True, search=10, csv=4, show=False)
    )
    unit: str = field(
        metadata=spec("单位", "Unit", required=True, search=12, pinyin=True, csv=6, show=False)
    )
    unit_en: str = field(metadata=spec("单位", "Unit", required=True, search=13, csv=7, show=False))
    qualifier: Qualifier = field(
        default="exact", metadata=spec("限定", "Qualifier", "qualifier", csv=5)
    )
    projected: bool = field(default=False, metadata=spec("预计", "Projected", "bool", show=False))
    as_of: str = field(default="", metadata=spec("截至", "As of", "date", search=15))
    period: str = field(default="", metadata=spec("时期", "Period", search=16, pinyin=True))
    period_en: str = field(default="", metadata=spec("时期", "Period", search=17))
    as_printed: str = field(
        default="", metadata=spec("原文数值", "As printed", search=11, show=False)
    )
    kind: Kind = field(init=False, default="figure")

    COMPUTED: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("说法", "Phrase", csv=8, column="phrase", compute=lambda r: r.phrase("zh")),
        FieldSpec(
            "英文说法",
            "Phrase",
            search=14,
            csv=9,
            column="phrase_en",
            compute=lambda r: r.phrase("en"),
        ),
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
_ALL = [about for cls in RECORD_CLASS.values() for about in described(cls)]
# The record's name: ranked first in search, matched with gaps, read in pinyin.
TITLE_FIELDS = frozenset(about.column for about in _ALL if about.name)
# The other fields whose Chinese search also finds by pinyin.
PINYIN_FIELDS = frozenset(about.column for about in _ALL if about.pinyin and not about.name)


def format_number(value: int | float) -> str:
    """A number as the article prints it: no trailing ``.0``, no thousands separator."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value.bit_length() > 10_000:  # past Python's int-to-str digit limit
            return f"{'-' if value < 0 else ''}10^{int(value.bit_length() * 0.30103)}+"
        return str(value)
    return repr(value)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Dataset(SharedMethods):
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
