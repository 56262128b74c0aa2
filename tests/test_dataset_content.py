"""Fidelity of the bundled dataset ``data/bishan.toml`` to the source article.

These tests read the TOML with ``tomli`` directly (no Textual, no loader internals).
The article is the dataset's own ``[[paragraphs]]``, so every check runs on a fresh
clone with nothing beside it:

* the paragraphs rebuild the article exactly (a SHA-256 of its text; compared with the
  file itself too when ``$BISHAN_ARTICLE`` or ``../shared/article`` is there);
* every quote of every record is verbatim (after removing all whitespace from both the
  quote and a paragraph, the quote is a substring of that paragraph);
* every number printed in the article is accounted for by a record;
* the article's statistics are recorded with the right value, qualifier, projection
  and reference date, by the one rule of docs/dataset.md;
* summaries state only what the record's quotes say; the English follows the glossary;
  talent records do not repeat a figure;
* ids, sections, related links and dates are well formed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "bishan.toml"
ARTICLE_NAME = "000_5d7ad84409d8c0d1.txt"
DEFAULT_ARTICLE = REPO.parent / "shared" / "article" / ARTICLE_NAME

ARRAYS = ("platforms", "projects", "talent", "policies", "timeline", "figures")
QUALIFIERS = ("exact", "about", "over", "nearly", "under")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# A number as printed: ASCII or full-width digits, optionally with a decimal part.
NUMBER_RE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
# Multipliers that may follow a number ("10万平方米", "超1亿元").
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
# Number words the article uses instead of digits, with the value they stand for.
NUMBER_WORDS = {"上千": 1000}
# The name of the link box's system: its digits are a name, not a claim.
SYSTEM_NAME = "1+3+N"

# Numbers printed in the article that are NOT facts and so need no record, as
# {digits: reason}.  Keep this empty unless a digit string is truly not a fact: the
# model names "6AT" and "K12" are facts of a caption / an introduced project and are
# covered by records (landai-6at-transmission, tianli-k12-vocational-project).
NOT_FACTS: dict[str, str] = {}

# The article file, whitespace removed: its SHA-256 and length.  The paragraphs of the
# dataset must rebuild exactly this text, in the page's printed order below.
ARTICLE_SHA256 = "cdf03179278ca4b67b9c2cf487a8031421f4b07f64a0e18990e87a3da190ac20"
ARTICLE_LENGTH = 3270
# Paragraph ids in the order the text layer prints them (the columns interleaved);
# "=text" is a text-layer artefact that belongs to no paragraph: the big-type 璧山 of
# the subtitle comes out doubled, and a "·" stands before it.
PRINTED_ORDER = (
    *(f"open-collaboration-{n}" for n in (3, 4, 5, 6, 7, 8, 9, 10, 1, 2)),
    *(f"platforms-{n}" for n in range(1, 9)),
    *(f"reform-{n}" for n in range(1, 9)),
    "captions-1",
    "captions-2",
    "masthead-3",
    *(f"lead-{n}" for n in range(1, 5)),
    *(f"link-box-{n}" for n in (2, 3, 4, 5, 1)),
    "captions-3",
    "captions-4",
    "captions-5",
    "masthead-1",
    "=璧璧山山",
    "captions-6",
    "=·",
    "masthead-2",
)


# ---------------------------------------------------------------- loading


def _strip(text: str) -> str:
    """The verbatim rule: remove every whitespace character, normalise nothing else."""
    return "".join(ch for ch in text if not ch.isspace())


def _load_document() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomli.load(handle)


DOC = _load_document()
RECORDS: list[tuple[str, dict[str, Any]]] = [
    (array, record) for array in ARRAYS for record in DOC.get(array, [])
]
RECORD_IDS = [str(record.get("id")) for _, record in RECORDS]
BY_ID: dict[str, dict[str, Any]] = {str(record.get("id")): record for _, record in RECORDS}
FIGURES: list[dict[str, Any]] = list(DOC.get("figures", []))
PARAGRAPHS: list[dict[str, Any]] = list(DOC.get("paragraphs", []))
GLOSSARY: list[dict[str, Any]] = list(DOC.get("glossary", []))
# The article as the loader checks quotes against it: each paragraph without white
# space, one per line, so that no quote can straddle two paragraphs.
ARTICLE = "\n".join(_strip(paragraph["text"]) for paragraph in PARAGRAPHS)


def _quotes(record: dict[str, Any]) -> list[str]:
    quote = record.get("quote", [])
    return [quote] if isinstance(quote, str) else list(quote)


def _article_file() -> Path | None:
    candidates = []
    env = os.environ.get("BISHAN_ARTICLE")
    if env:
        candidates.append(Path(env))
    candidates.append(DEFAULT_ARTICLE)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def article() -> str:
    """The article, from the dataset's paragraphs, whitespace removed."""
    return ARTICLE


# ---------------------------------------------------------------- the article itself


def test_paragraphs_rebuild_the_article() -> None:
    by_id = {paragraph["id"]: _strip(paragraph["text"]) for paragraph in PARAGRAPHS}
    used = [name for name in PRINTED_ORDER if not name.startswith("=")]
    assert sorted(used) == sorted(by_id), "every paragraph, once, in PRINTED_ORDER"
    rebuilt = "".join(name[1:] if name.startswith("=") else by_id[name] for name in PRINTED_ORDER)
    assert len(rebuilt) == ARTICLE_LENGTH
    assert hashlib.sha256(rebuilt.encode("utf-8")).hexdigest() == ARTICLE_SHA256
    found = _article_file()
    if found is not None:  # the digest says the same; this names the first difference
        printed = _strip(found.read_text(encoding="utf-8"))
        pairs = zip(rebuilt, printed, strict=False)
        first = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
        assert rebuilt == printed, f"differs from {found} at character {first}"


def test_paragraphs_are_well_formed() -> None:
    sections = {section["id"] for section in DOC["sections"]}
    ids = [paragraph["id"] for paragraph in PARAGRAPHS]
    assert len(ids) == len(set(ids))
    for paragraph in PARAGRAPHS:
        assert ID_RE.match(paragraph["id"])
        assert paragraph["section"] in sections
        assert paragraph["text"] == paragraph["text"].strip() and "\n" not in paragraph["text"]


def test_paragraph_roles_mark_the_page() -> None:
    """The by-line, the headline, the lead box, the link box and the captions are marked."""
    source = DOC["source"]
    by_role: dict[str, list[dict[str, Any]]] = {}
    for paragraph in PARAGRAPHS:
        by_role.setdefault(paragraph.get("role", "body"), []).append(paragraph)
    assert [p["text"] for p in by_role["headline"]] == [source["title"], source["subtitle"]]
    assert [p["text"] for p in by_role["byline"]] == [" ".join(source["authors"])]
    assert {p["section"] for p in by_role["lead"]} == {"lead"}
    assert {p["section"] for p in by_role["link-box"]} == {"link-box"}
    assert by_role["link-box"][0]["text"] == "■链接》》"
    captions = by_role["caption"]
    assert {p["section"] for p in captions} == {"captions"} and len(captions) == 6
    credits = [p["text"].rsplit("摄/", 1)[1] for p in captions if "摄/" in p["text"]]
    assert set(credits) == set(source["photographers"])
    assert [p["text"] for p in captions if "摄/" not in p["text"]] == ["重庆高新技术产业研究院"]
    assert {p["section"] for p in by_role["body"]} == {"open-collaboration", "platforms", "reform"}


def _number_value(digits: str) -> float:
    return float(unicodedata.normalize("NFKC", digits))


def _digit_token_in(digits: str, text: str) -> bool:
    """``digits`` occurs in ``text`` as a whole number (not inside a longer one)."""
    digits = unicodedata.normalize("NFKC", digits)
    text = unicodedata.normalize("NFKC", text)
    return re.search(rf"(?<![0-9.]){re.escape(digits)}(?![0-9]|\.[0-9])", text) is not None


# ---------------------------------------------------------------- structure


def test_schema_version_and_source() -> None:
    assert DOC["schema_version"] == 1
    source = DOC["source"]
    assert source["title"] == "发力科创之城 加速科技创新"
    assert source["subtitle"] == "璧山开放型创新生态加快形成"
    assert source["authors"] == ["王琳琳", "龙搏", "苏洪成"]
    assert source["authors_en"] == ["Wang Linlin", "Long Bo", "Su Hongcheng"]
    assert source["photographers"] == ["曾清龙", "陈亮"]
    assert len(source["photographers_en"]) == 2
    assert source.get("publication", "") == ""
    assert source.get("published", "") == ""
    assert "2020" in source["notes"] and "2020" in source["notes_en"]


def test_sections() -> None:
    ids = [section["id"] for section in DOC["sections"]]
    assert len(ids) == len(set(ids)), "section ids must be unique"
    for expected in ("lead", "open-collaboration", "platforms", "reform", "link-box", "captions"):
        assert expected in ids
    for section in DOC["sections"]:
        assert ID_RE.match(section["id"])
        assert section["title"].strip() and section["title_en"].strip()


def test_record_count_is_plausible() -> None:
    assert 90 <= len(RECORDS) <= 160, len(RECORDS)
    for array in ARRAYS:
        assert DOC.get(array), f"no {array} records"


def test_ids_are_well_formed_and_unique() -> None:
    bad = [rid for rid in RECORD_IDS if not ID_RE.match(rid)]
    assert not bad, f"ids not lowercase-hyphenated ASCII: {bad}"
    dups = sorted(rid for rid, count in Counter(RECORD_IDS).items() if count > 1)
    assert not dups, f"duplicate ids: {dups}"


def test_required_text_fields_are_filled() -> None:
    problems = []
    for array, record in RECORDS:
        for key in ("title", "title_en", "summary", "summary_en", "section", "quote"):
            value = record.get(key)
            if not value or (isinstance(value, str) and not value.strip()):
                problems.append(f"{array} {record.get('id')}: {key} empty")
        if array == "platforms" and not record.get("category"):
            problems.append(f"{record['id']}: category missing")
        if array == "policies" and not record.get("instrument"):
            problems.append(f"{record['id']}: instrument missing")
        if re.search(r"[\u4e00-\u9fff]", record.get("title_en", "")):
            problems.append(f"{record['id']}: title_en contains Chinese")
    assert not problems, "\n".join(problems)


def test_sections_of_records_exist() -> None:
    sections = {section["id"] for section in DOC["sections"]}
    bad = [
        (rid, BY_ID[rid]["section"]) for rid in RECORD_IDS if BY_ID[rid]["section"] not in sections
    ]
    assert not bad, f"unknown sections: {bad}"


def test_related_ids_exist_and_are_symmetric() -> None:
    missing, self_refs, one_way = [], [], []
    for rid, record in BY_ID.items():
        for other in record.get("related", []):
            if other == rid:
                self_refs.append(rid)
            elif other not in BY_ID:
                missing.append((rid, other))
            elif rid not in BY_ID[other].get("related", []):
                one_way.append((rid, other))
    assert not missing, f"related ids that do not exist: {missing}"
    assert not self_refs, f"records related to themselves: {self_refs}"
    assert not one_way, f"related links with no link back: {one_way}"


def _valid_date(text: str) -> bool:
    match = DATE_RE.match(text)
    if not match:
        return False
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def test_dates_are_valid() -> None:
    bad = []
    for event in DOC.get("timeline", []):
        if not _valid_date(event["date"]):
            bad.append((event["id"], "date", event["date"]))
    for figure in FIGURES:
        if "as_of" in figure and not _valid_date(figure["as_of"]):
            bad.append((figure["id"], "as_of", figure["as_of"]))
    assert not bad, f"dates not YYYY / YYYY-MM / YYYY-MM-DD naming a real day: {bad}"


def test_inferred_dates_have_a_note() -> None:
    """The article never prints the year of its events: each date says how it was read."""
    for event in DOC.get("timeline", []):
        assert event["date"].startswith("2020"), event["id"]
        assert "2020" in event.get("date_note", ""), f"{event['id']}: date_note missing"
        assert "2020" in event.get("date_note_en", ""), f"{event['id']}: date_note_en missing"


def test_key_dates() -> None:
    dates = {event["date"] for event in DOC.get("timeline", [])}
    assert "2020-03-17" in dates
    assert "2020-06-05" in dates


def test_figures_are_well_typed() -> None:
    problems = []
    for figure in FIGURES:
        value = figure.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{figure['id']}: value {value!r} is not a number")
        if figure.get("qualifier", "exact") not in QUALIFIERS:
            problems.append(f"{figure['id']}: qualifier {figure.get('qualifier')!r}")
        if not figure.get("unit") or not figure.get("unit_en"):
            problems.append(f"{figure['id']}: unit / unit_en missing")
        if not isinstance(figure.get("projected", False), bool):
            problems.append(f"{figure['id']}: projected is not a boolean")
    assert not problems, "\n".join(problems)


def _qualifier_of(as_printed: str) -> str:
    if "不到" in as_printed:
        return "under"
    if "近" in as_printed:
        return "nearly"
    if "约" in as_printed:
        return "about"
    if any(word in as_printed for word in ("余", "超", "上千")):
        return "over"
    return "exact"


def test_qualifier_agrees_with_wording() -> None:
    bad = [
        (f["id"], f["as_printed"], f.get("qualifier", "exact"))
        for f in FIGURES
        if "as_printed" in f and _qualifier_of(f["as_printed"]) != f.get("qualifier", "exact")
    ]
    assert not bad, f"qualifier does not match the printed wording: {bad}"


def test_as_printed_is_in_the_quote() -> None:
    bad = []
    for figure in FIGURES:
        printed = _strip(figure.get("as_printed", ""))
        if printed and not any(printed in _strip(q) for q in _quotes(figure)):
            bad.append((figure["id"], printed))
    assert not bad, f"as_printed not found in the figure's own quote: {bad}"


# Entities the article names two ways: one record, the other name an alias.
ALIAS_PAIRS = [
    ("重庆高新技术产业研究院", "璧山高新技术产业研究院"),
    ("大学城（璧山）双创生态社区", "大学城创新生态社区"),
    ("重庆产教融合生态区（大学城西区）", "重庆产教融合生态区"),
    ("璧山高新区", "璧山国家高新区"),
]


@pytest.mark.parametrize(("title", "alias"), ALIAS_PAIRS)
def test_one_entity_one_record(title: str, alias: str) -> None:
    holders = [rid for rid, r in BY_ID.items() if r["title"] == title]
    assert len(holders) == 1, f"{title}: records {holders}"
    assert alias in BY_ID[holders[0]].get("aliases", [])
    assert len(BY_ID[holders[0]].get("aliases_en", [])) == len(BY_ID[holders[0]]["aliases"])
    assert not [rid for rid, r in BY_ID.items() if r["title"] == alias]


def test_titles_and_aliases_do_not_repeat_within_a_kind() -> None:
    for array in ARRAYS:
        names: dict[str, str] = {}
        for record in DOC.get(array, []):
            for name in [record["title"], *record.get("aliases", [])]:
                assert name not in names, f"{array}: {name!r} in {names[name]} and {record['id']}"
                names[name] = record["id"]


def test_loader_accepts_the_file_and_checks_its_quotes() -> None:
    from bishan_tui.loader import load_dataset

    dataset = load_dataset(DATA)
    assert len(dataset.records) == len(RECORDS)
    assert dataset.quotes_checked and len(dataset.paragraphs) == len(PARAGRAPHS)
    assert len(dataset.glossary) == len(GLOSSARY)


# ---------------------------------------------------------------- verbatim quotes


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_quote_is_verbatim(record_id: str, article: str) -> None:
    quotes = _quotes(BY_ID[record_id])
    assert quotes, f"{record_id}: no quote"
    missing = [q for q in quotes if not _strip(q) or _strip(q) not in article]
    assert not missing, f"{record_id}: not verbatim in the article: {missing}"


# ---------------------------------------------------------------- number coverage


def _numbers_in(article: str) -> list[tuple[int, int, str, float]]:
    """Every number of the article: (start, end, as printed, value)."""
    found = []
    for match in NUMBER_RE.finditer(article):
        value = _number_value(match.group())
        end = match.end()
        multiplier = MULTIPLIERS.get(article[end : end + 1])
        if multiplier:
            value *= multiplier
        found.append((match.start(), match.end(), match.group(), value))
    for word, value in NUMBER_WORDS.items():
        for match in re.finditer(re.escape(word), article):
            found.append((match.start(), match.end(), word, float(value)))
    return sorted(found)


def test_article_numbers_are_found(article: str) -> None:
    printed = {text for _, _, text, _ in _numbers_in(article)}
    # Sanity check of the extraction itself (decimals, 上千, 万).
    assert {"2.85", "3.25", "14.5", "上千", "2020", "172"} <= printed


def _accounted(text: str, value: float) -> bool:
    """Some record accounts for this number: figure value / as_printed, date, or quote."""
    for figure in FIGURES:
        if float(figure["value"]) == value:
            return True
        printed = figure.get("as_printed", "")
        if text in NUMBER_WORDS and text in printed:
            return True
        if text not in NUMBER_WORDS and _digit_token_in(text, printed):
            return True
    if text not in NUMBER_WORDS:
        number = _number_value(text)
        for event in DOC.get("timeline", []):
            if number in {float(part) for part in event["date"].split("-")}:
                return True
    for _, record in RECORDS:
        for quote in _quotes(record):
            if text in NUMBER_WORDS and text in quote:
                return True
            if text not in NUMBER_WORDS and _digit_token_in(text, _strip(quote)):
                return True
    return False


def test_every_number_is_accounted_for(article: str) -> None:
    unaccounted = sorted(
        {
            text
            for _, _, text, value in _numbers_in(article)
            if text not in NOT_FACTS and not _accounted(text, value)
        }
    )
    assert not unaccounted, f"numbers in the article with no record: {unaccounted}"


def test_every_number_occurrence_is_quoted(article: str) -> None:
    """Stricter: each printed occurrence lies inside the quote of some record."""
    spans: list[tuple[int, int]] = []
    for _, record in RECORDS:
        for quote in _quotes(record):
            needle = _strip(quote)
            if not needle:
                continue
            start = article.find(needle)
            while start != -1:
                spans.append((start, start + len(needle)))
                start = article.find(needle, start + 1)
    unquoted = [
        f"{text!r} in …{article[max(0, start - 8) : end + 6]}…"
        for start, end, text, _ in _numbers_in(article)
        if text not in NOT_FACTS and not any(a <= start and end <= b for a, b in spans)
    ]
    assert not unquoted, "numbers no record quotes:\n" + "\n".join(unquoted)


# ---------------------------------------------------------------- expected figures

# (phrase of the article the figure's quote must contain, value, unit, qualifier,
#  projected, as_of).  The phrase is whitespace-free, as the verbatim rule compares.
EXPECTED_FIGURES: list[tuple[str, float, str, str, bool, str | None]] = [
    ("排位上升35位", 35, "位", "exact", False, None),
    ("联合77家骨干企业", 77, "家", "exact", False, None),
    ("市级研发平台8个", 8, "个", "exact", False, None),
    ("区级研发机构6个", 6, "个", "exact", False, None),
    ("新型研发机构5家", 5, "家", "exact", False, None),
    ("研发机构达到172个", 172, "个", "exact", False, None),
    ("孵化园3个平台申报市级孵化器", 3, "个", "exact", False, None),
    ("众创空间、孵化器8个", 8, "个", "exact", False, None),
    ("平创半导体等10家新科技企业", 10, "家", "exact", False, None),
    ("成功孵化10家科技企业", 10, "家", "exact", False, None),
    ("意向订单超1亿元", 100_000_000, "元", "over", False, None),
    ("在孵项目36个", 36, "个", "exact", False, None),
    ("专家300余人", 300, "人", "over", False, None),
    ("完成近600项有效专利提案", 600, "项", "nearly", False, None),
    ("吸引30余个科研团队", 30, "个", "over", False, None),
    ("占GDP比例达2.85%", 2.85, "%", "exact", True, "2020-12"),
    # Under the 预计 that opens their sentence (docs/dataset.md, "Time and projection").
    ("发明专利拥有量达到11件", 11, "件", "exact", True, "2020-12"),
    ("年均增长实现14.5%", 14.5, "%", "exact", True, "2020-12"),
    ("集中活动5次", 5, "次", "exact", False, None),
    ("政策资料上千册", 1000, "册", "over", False, None),
    ("约2000人次", 2000, "人次", "about", False, None),
    ("组织12家企业申报重庆英才", 12, "家", "exact", False, None),
    ("引进10名博士研究生", 10, "名", "exact", False, None),
    ("100余名硕士研究生", 100, "名", "over", False, None),
    ("入库科技型企业333家", 333, "家", "exact", False, "2020-12"),
    ("累计达到822家", 822, "家", "exact", False, "2020-12"),
    ("新培育154家科技型企业", 154, "家", "exact", False, "2020-12"),
    ("预计超过220家", 220, "家", "over", True, "2020-12"),
    ("首期10万平方米", 100_000, "平方米", "exact", False, None),
    ("3.25英寸MicroLED", 3.25, "英寸", "exact", False, None),
    ("建好3种不同类型", 3, "种", "exact", False, None),
    ("不到9个月时间", 9, "个月", "under", False, None),
]


# ASCII test ids: "300-people", "2.85-pct" …
_UNIT_IDS = {
    "位": "-places",
    "家": "-firms",
    "个": "-units",
    "元": "-yuan",
    "人": "-people",
    "项": "-items",
    "%": "-pct",
    "件": "-patents",
    "次": "-times",
    "册": "-copies",
    "人次": "-attendances",
    "名": "-people",
    "平方米": "-sqm",
    "英寸": "-inch",
    "种": "-types",
    "个月": "-months",
}


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "qualifier", "projected", "as_of"),
    EXPECTED_FIGURES,
    ids=[f"{row[1]:g}{_UNIT_IDS.get(row[2], row[2])}" for row in EXPECTED_FIGURES],
)
def test_expected_figure(
    phrase: str,
    value: float,
    unit: str,
    qualifier: str,
    projected: bool,
    as_of: str | None,
) -> None:
    candidates = [f for f in FIGURES if any(phrase in _strip(q) for q in _quotes(f))]
    assert candidates, f"no figure quotes {phrase!r}"
    matching = [f for f in candidates if float(f["value"]) == float(value)]
    assert matching, f"{phrase!r}: values {[f['value'] for f in candidates]}, expected {value}"
    figure = matching[0]
    assert figure["unit"] == unit, figure["id"]
    assert figure.get("qualifier", "exact") == qualifier, figure["id"]
    assert figure.get("projected", False) is projected, figure["id"]
    assert figure.get("as_of") == as_of, figure["id"]


def test_year_to_date_figures_have_a_period() -> None:
    """Figures counted 今年以来 carry the period, in both languages."""
    for figure in FIGURES:
        period = figure.get("period", "")
        if "今年以来" in period:
            assert "2020" in period and "2020" in figure.get("period_en", ""), figure["id"]


# ---------------------------------------------------------------- time and projection
# docs/dataset.md, "Time and projection": a figure carries the time phrase that stands
# before it in its sentence (up to 。？！; a semicolon does not end a sentence), and
# `projected` is true exactly when 预计 stands before it in its sentence.

TIME_PHRASES = ("今年以来", "近年来", "自此以来", "截至2020年底")
SENTENCE_END = "。？！\n"


def _sentence_head(figure: dict[str, Any]) -> str:
    """The figure's sentence, from its start up to the figure as printed."""
    printed = _strip(figure["as_printed"])
    for quote in _quotes(figure):
        needle = _strip(quote)
        if printed in needle:
            position = ARTICLE.find(needle) + needle.find(printed)
            start = max(ARTICLE.rfind(mark, 0, position) for mark in SENTENCE_END) + 1
            return ARTICLE[start:position]
    raise AssertionError(f"{figure['id']}: as_printed {printed!r} is in none of its quotes")


def _time_marks(figure: dict[str, Any]) -> set[str]:
    marks = set()
    period = figure.get("period", "")
    if period:
        marks.add(period.split("（")[0])
    if figure.get("as_of") == "2020-12":
        marks.add("截至2020年底")
    return marks


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f["id"])
def test_time_and_projection_follow_the_sentence(figure: dict[str, Any]) -> None:
    head = _sentence_head(figure)
    assert _time_marks(figure) == {p for p in TIME_PHRASES if p in head}, head
    assert figure.get("projected", False) is ("预计" in head), head
    if figure.get("period"):
        assert figure.get("period_en"), "period without period_en"
    extra = set(figure) & {"as_of"} - ({"as_of"} if "截至2020年底" in head else set())
    assert not extra, f"as_of {figure.get('as_of')!r} with no date in the sentence"


def _subjects() -> set[str]:
    return {"璧山", "全区"} | {entry["zh"] for entry in GLOSSARY if len(entry["zh"]) >= 3}


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f["id"])
def test_figure_quote_carries_subject_and_time(figure: dict[str, Any]) -> None:
    """One quote holds the figure as printed, who it is about, and its time phrase."""
    printed = _strip(figure["as_printed"])
    subjects = _subjects()
    carrying = [
        _strip(q)
        for q in _quotes(figure)
        if printed in _strip(q)
        and all(mark in _strip(q) for mark in _time_marks(figure))
        and any(subject in _strip(q) for subject in subjects)
    ]
    assert carrying, f"no quote holds {printed!r} with {_time_marks(figure) or 'a subject'}"


def test_year_end_figures_say_they_were_printed_before_year_end() -> None:
    year_end = [f for f in FIGURES if f.get("as_of") == "2020-12"]
    assert {f["value"] for f in year_end} >= {333, 822, 154, 220, 11, 14.5, 2.85}
    for figure in year_end:
        assert "年底之前" in figure.get("context", ""), figure["id"]
        assert "printed before" in figure.get("context_en", ""), figure["id"]
    assert "年底之前" in DOC["source"]["notes"] and "printed before" in DOC["source"]["notes_en"]


# ---------------------------------------------------------------- summaries


def _numbers(text: str) -> list[str]:
    return NUMBER_RE.findall(text.replace(SYSTEM_NAME, ""))


def _support(record: dict[str, Any]) -> str:
    """What a summary may draw on: the record's quotes, title and aliases."""
    return _strip("\n".join([*_quotes(record), record["title"], *record.get("aliases", [])]))


def _mask_terms(text: str, terms: list[str]) -> list[str]:
    """The terms found in ``text``, longest first, each hiding the shorter ones inside it."""
    found = []
    for term in terms:
        if term in text:
            found.append(term)
            text = text.replace(term, "\0" * len(term))
    return found


GLOSSARY_TERMS = sorted({entry["zh"] for entry in GLOSSARY}, key=len, reverse=True)
GLOSSARY_EN: dict[str, str] = {entry["zh"]: entry["en"] for entry in GLOSSARY}


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_summary_states_only_what_the_quotes_say(record_id: str) -> None:
    """Every number, and every glossary name of three or more characters, in the Chinese
    summary is in the record's quotes, title or aliases."""
    record = BY_ID[record_id]
    support = _support(record)
    summary = _strip(record["summary"])
    numbers = [n for n in _numbers(summary) if not _digit_token_in(n, support)]
    assert not numbers, f"numbers in the summary no quote gives: {numbers}"
    names = [t for t in _mask_terms(summary, GLOSSARY_TERMS) if len(t) >= 3 and t not in support]
    assert not names, f"names in the summary no quote gives: {names}"


_EN_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s+(million|billion))?")
_SCALE = {"": 1.0, "million": 1e6, "billion": 1e9}


def _values(text: str) -> set[float]:
    """Every number of a Chinese text as a value, with 万 and 亿 applied (每万 is 10,000)."""
    values = set()
    for match in NUMBER_RE.finditer(text):
        value = _number_value(match.group())
        values.add(value)
        multiplier = MULTIPLIERS.get(text[match.end() : match.end() + 1])
        if multiplier:
            values.add(value * multiplier)
    if "每万" in text:
        values.add(10_000.0)
    return values


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_english_summary_states_only_what_the_quotes_say(record_id: str) -> None:
    """Every number in summary_en is one the quotes, title or aliases give (2020 where
    the quotes say 今年, this year)."""
    record = BY_ID[record_id]
    support = _support(record)
    allowed = _values(support)
    for text in (record["title_en"], *record.get("aliases_en", []), record.get("unit_en", "")):
        allowed |= {float(n.replace(",", "")) for n, _ in _EN_NUMBER.findall(text)}
    if "今年" in support:
        allowed.add(2020.0)
    unsupported = []
    for digits, scale in _EN_NUMBER.findall(record["summary_en"].replace(SYSTEM_NAME, "")):
        value = float(digits.replace(",", "")) * _SCALE[scale]
        if value not in allowed:
            unsupported.append(f"{digits} {scale}".strip())
    assert not unsupported, f"numbers in summary_en no quote gives: {unsupported}"


# ---------------------------------------------------------------- glossary

# (Chinese field, its English field): where a glossary term must be rendered its way.
# Aliases are left out: aliases_en give the literal English of another spelling, for
# search (docs/dataset.md).
PAIRED_FIELDS = (
    ("title", "title_en"),
    ("summary", "summary_en"),
    ("category", "category_en"),
    ("status", "status_en"),
    ("organisation", "organisation_en"),
    ("affiliation", "affiliation_en"),
    ("role", "role_en"),
    ("instrument", "instrument_en"),
    ("issuer", "issuer_en"),
    ("period", "period_en"),
    ("date_note", "date_note_en"),
    ("context", "context_en"),
)


def test_glossary_is_well_formed() -> None:
    zh = [entry["zh"] for entry in GLOSSARY]
    assert len(zh) == len(set(zh)), "one entry per term"
    assert len(GLOSSARY) >= 60
    for entry in GLOSSARY:
        assert entry["zh"].strip() and entry["en"].strip()
        assert not re.search(r"[\u4e00-\u9fff]", entry["en"]), entry
    # The names the fact-check found outside any record or rendered two ways.
    for name in ("国科量子", "四川新尚集团", "新希望集团", "希望教育集团", "天立教育集团",
                 "璧山区科技局", "璧山区发改委", "市科技局", "骨干企业", "意向订单"):
        assert name in GLOSSARY_EN, name
    assert GLOSSARY_EN["璧山高新技术产业研究院"] == GLOSSARY_EN["重庆高新技术产业研究院"]


# A glossary note may name a rendering to avoid: 'not “intended orders”'.
_AVOID = re.compile(r"not “([^”]+)”")
GLOSSARY_AVOID: dict[str, list[str]] = {
    entry["zh"]: _AVOID.findall(entry.get("note", "")) for entry in GLOSSARY
}


def _glossary_misses(chinese: str, english: str) -> list[str]:
    """Glossary terms of ``chinese`` that ``english`` does not render the glossary's way,
    or renders a way its note says to avoid."""
    lowered = english.lower()
    misses = []
    for term in _mask_terms(chinese, GLOSSARY_TERMS):
        if GLOSSARY_EN[term].lower() not in lowered:
            misses.append(f"{term} -> {GLOSSARY_EN[term]!r}")
        for bad in GLOSSARY_AVOID[term]:
            if re.search(rf"\b{re.escape(bad.lower())}\b", lowered):
                misses.append(f"{term} -> not {bad!r}")
    return misses


def test_glossary_terms_are_spelled_as_the_article_prints_them() -> None:
    """No name the article never prints (such as 重庆（璧山）高新技术产业研究院)."""
    unprinted = [entry["zh"] for entry in GLOSSARY if _strip(entry["zh"]) not in ARTICLE]
    assert not unprinted, unprinted


def test_the_avoided_renderings_are_real_checks() -> None:
    assert GLOSSARY_AVOID["意向订单"] == ["intended orders"]
    assert _glossary_misses("意向订单", "intended orders, or orders under letters of intent")
    assert _glossary_misses("璧山高新技术产业研究院", "Chongqing (Bishan) High-Tech institute")


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_english_follows_the_glossary(record_id: str) -> None:
    record = BY_ID[record_id]
    problems = []
    for zh_field, en_field in PAIRED_FIELDS:
        if record.get(zh_field):
            misses = _glossary_misses(record[zh_field], record.get(en_field, ""))
            problems += [f"{en_field}: {miss}" for miss in misses]
    assert not problems, "\n".join(problems)


def test_sections_follow_the_glossary() -> None:
    problems = []
    for section in DOC["sections"]:
        problems += _glossary_misses(section["title"], section["title_en"])
    assert not problems, problems


def test_one_english_rendering_per_label() -> None:
    """The same category, status, instrument or role is rendered one way everywhere."""
    for zh_field, en_field in PAIRED_FIELDS[2:]:
        renderings: dict[str, set[str]] = {}
        for _, record in RECORDS:
            if record.get(zh_field):
                renderings.setdefault(record[zh_field], set()).add(record.get(en_field, ""))
        several = {zh: en for zh, en in renderings.items() if len(en) > 1}
        assert not several, f"{zh_field}: {several}"


# ---------------------------------------------------------------- one record per entity


def test_talent_records_do_not_repeat_a_figure() -> None:
    """A talent record describes a person or a group; it does not count a figure again."""
    printed = {_strip(f["as_printed"]): f["id"] for f in FIGURES}
    figure_quotes = {_strip(q) for f in FIGURES for q in _quotes(f)}
    for talent in DOC["talent"]:
        texts = [_strip(q) for q in _quotes(talent)] + [_strip(talent["summary"])]
        repeated = {fid for text in texts for p, fid in printed.items() if p in text}
        assert not repeated, f"{talent['id']} repeats {repeated}"
        assert not {_strip(q) for q in _quotes(talent)} & figure_quotes, talent["id"]

