"""Everything the detail pane says of one record, and a record named on one line.

:func:`detail_text` builds the whole detail, rows and all, in one place.
"""

from __future__ import annotations

from rich.text import Text

from ..model import Dataset, EventRecord, FigureRecord, Record, detail_rows
from .dates import format_date
from .text import DIM, LABEL, SpanLookup, data_text, field_str
from .words import Lang, kind_label, pick, word


def _listed(
    out: Text, label: str, items: list[tuple[str, str]], separator: str, spans: SpanLookup
) -> None:
    """``label: a · b · c`` on one line, each item (field name, text) with its spans."""
    out.append(label + ": ", style=LABEL)
    for i, (name, text) in enumerate(items):
        if i:
            out.append(separator, style=DIM)
        out.append_text(data_text(text, spans(name)))
    out.append("\n")


def _in_lang(out: Text, zh: Text, en: Text, lang: Lang) -> None:
    """``zh``, ``en`` or ``zh · en``, as ``lang`` asks."""
    if lang in ("zh", "both"):
        out.append_text(zh)
    if lang == "both":
        out.append(" · ", style=DIM)
    if lang in ("en", "both"):
        out.append_text(en)


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _pair(
    out: Text,
    label_zh: str,
    label_en: str,
    zh_field: str,
    en_field: str,
    record: Record,
    lang: Lang,
    spans: SpanLookup,
) -> None:
    zh, en = field_str(record, zh_field), field_str(record, en_field)
    if not zh and not en:
        return
    out.append(pick(label_zh, label_en, lang) + ": ", style=LABEL)
    parts: list[tuple[str, str]] = []
    if lang in ("zh", "both") and zh:
        parts.append((zh_field, zh))
    if lang in ("en", "both") and en:
        parts.append((en_field, en))
    if not parts:
        parts.append((zh_field, zh) if zh else (en_field, en))
    for i, (name, value) in enumerate(parts):
        if i:
            out.append(" · ", style=DIM)
        out.append_text(data_text(value, spans(name)))
    out.append("\n")


def detail_text(record: Record, dataset: Dataset, lang: Lang, spans: SpanLookup) -> Text:
    """Everything the detail pane says of one record (not its bars or links)."""
    out = Text()
    out.append(f" {kind_label(record.kind, lang)} ", style="reverse")
    out.append(f"  {record.id}\n", style=DIM)
    if lang in ("zh", "both"):
        out.append_text(data_text(record.title, spans("title"), style="bold"))
        out.append("\n")
    if lang in ("en", "both"):
        out.append_text(data_text(record.title_en, spans("title_en"), style="bold"))
        out.append("\n")
    aliases = [(f"aliases[{i}]", a) for i, a in enumerate(record.aliases)]
    aliases += [(f"aliases_en[{i}]", a) for i, a in enumerate(record.aliases_en)]
    if aliases:
        _listed(out, word("aliases", lang), aliases, " · ", spans)

    if isinstance(record, FigureRecord):
        out.append(word("value", lang) + ": ", style=LABEL)
        zh_value = data_text(record.phrase("zh"), spans("as_printed"), style="bold")
        _in_lang(out, zh_value, data_text(record.phrase("en"), style="bold"), lang)
        out.append("\n")
        if record.as_of:
            out.append(word("as_of", lang) + ": ", style=LABEL)
            out.append(format_date(record.as_of, lang) + "\n")
    if isinstance(record, EventRecord):
        out.append(word("date", lang) + ": ", style=LABEL)
        out.append(format_date(record.date, lang), style="bold")
        if lang == "both" and format_date(record.date, "en") != record.date:
            out.append(f" · {format_date(record.date, 'en')}", style="bold")
        out.append("\n")
    for label_zh, label_en, zh_field, en_field in detail_rows(type(record)):
        _pair(out, label_zh, label_en, zh_field, en_field, record, lang, spans)

    out.append("\n")
    out.append_text(_heading(word("summary", lang)))
    out.append("\n")
    if lang in ("zh", "both"):
        out.append_text(data_text(record.summary, spans("summary")))
        out.append("\n")
    if lang in ("en", "both"):
        out.append_text(data_text(record.summary_en, spans("summary_en")))
        out.append("\n")

    if record.quotes:
        out.append("\n")
        out.append_text(_heading(word("quote", lang)))
        section = dataset.section(record.section)
        if section is not None:
            out.append(f"  {word('section', lang)}: ", style=DIM)
            zh_title, en_title = section.title, section.title_en
            _in_lang(out, data_text(zh_title, style=DIM), data_text(en_title, style=DIM), lang)
        out.append("\n")
        if lang == "en":
            out.append(word("quote_note", lang) + "\n", style=DIM)
        for i, quote in enumerate(record.quotes):
            out.append("▌", style="green")
            out.append_text(data_text(quote, spans(f"quote[{i}]"), style="italic"))
            out.append("\n")

    context = [("context", record.context), ("context_en", record.context_en)]
    shown = [
        (name, text)
        for name, text in context
        if text and (lang == "both" or name.endswith("_en") == (lang == "en"))
    ] or [(name, text) for name, text in context if text]
    if shown:
        out.append("\n")
        out.append_text(Text(word("background", lang), style="bold underline magenta"))
        out.append("\n")
        for name, text in shown:
            out.append("▌", style="magenta")
            out.append_text(data_text(text, spans(name), style="dim"))
            out.append("\n")

    tags = [(f"tags[{i}]", tag) for i, tag in enumerate(record.tags)]
    if tags:
        out.append("\n")
        _listed(out, word("tags", lang), tags, ", ", spans)
    return out


def record_line(record: Record, lang: Lang) -> Text:
    """One line naming a record, for link lists and the palette."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f"{kind_label(record.kind, 'zh' if lang == 'both' else lang)} ", style="cyan")
    zh_title = data_text(record.title, single_line=True)
    _in_lang(out, zh_title, data_text(record.title_en, single_line=True), lang)
    return out
