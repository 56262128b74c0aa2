"""Write a valid synthetic bishan-tui dataset of any size, for benchmarks.

Run by a person, never by the tests (the tests import it to check its output):

    python benchmarks/generate.py --records 100000 --seed 1 -o /tmp/bishan-100k.toml
    python benchmarks/generate.py --records 10000 --seed 1 -o x.toml --csv x.csv

The records follow ``docs/dataset.md`` (schema_version = 1): all six kinds in about
the proportions of a news feature, unique ids, ``related`` links to records that
exist, figures with values, qualifiers, units and dates, timeline dates of year,
month and day precision.  The Chinese text is cut from the article
(``../shared/article/000_5d7ad84409d8c0d1.txt`` beside the checkout, or
``--article``) when it is there, else from a vocabulary embedded below; when
``data/bishan.toml`` exists its titles, summaries and English text are drawn on
too; without the article file the bundled file's ``[[paragraphs]]`` are the article.
Quotes are slices of the article, so they are verbatim; ``--paragraphs`` writes the
article as one ``[[paragraphs]]`` table, and the loader then checks every quote
against it (without it, quotes go unchecked, as in any dataset with no paragraphs).

The output is a function of ``--records``, ``--seed`` and the text files read: the
same inputs give the same bytes.  ``--csv`` writes the same records as CSV with the
columns kind,id,title,title_en,value,date,summary,summary_en (for VisiData).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT.parent / "shared" / "article" / "000_5d7ad84409d8c0d1.txt"
DEFAULT_BUNDLED = ROOT / "data" / "bishan.toml"

# (array, kind, weight): the mix of the bundled file (129 records: 42 policies,
# 31 figures, 18 platforms, 16 projects, 14 events, 8 talent).
KINDS: tuple[tuple[str, str, int], ...] = (
    ("platforms", "platform", 14),
    ("projects", "project", 12),
    ("talent", "talent", 6),
    ("policies", "policy", 33),
    ("timeline", "event", 11),
    ("figures", "figure", 24),
)

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("lead", "9个月时间，对于一座城市意味着什么？", "Lead box: what nine months mean to a city"),
    ("magnet", "以开放协同打造“强磁场”", "A strong magnet through openness and cooperation"),
    ("platforms", "以平台建设提升“策源力”", "Raising the power of origin by building platforms"),
    ("reform", "以深化改革点燃“新引擎”", "Igniting a new engine by deepening reform"),
    ("link", "■链接：什么是“1+3+N”科创体系？", "Link: what is the 1+3+N innovation system?"),
    ("captions", "图片说明", "Photo captions"),
)

# Used when the article file is not there: phrases of the article, as printed.
FALLBACK_ZH = """
作为重庆“西扩”第一站、西部（重庆）科学城“一核四片”中的“一片”，近年来璧山已成功获批
“科技部科技服务业试点单位”、成功创建国家知识产权试点城区，国家农业科技园通过验收，璧山高新区
快速发展，在国家级高新区排位上升35位，正逐渐成为我市科创资源高度集聚的地方。2020年对于我们来说，
最重要的选择就是走出高校，落户璧山。重庆鼎旺科技有限公司负责人、重庆文理学院教授李璐说，璧山对
科技环境生态的重视，让他和他的团队将这里作为柔性光电膜科研成果转换的重要阵地。璧山已设立了重庆
高新技术产业研究院等一大批转化平台，启动建设了重庆产教融合生态区（大学城西区），联合77家骨干企业
组建璧山区企业科技创新联盟。璧山的开放式创新，不但对内开放，也对外开放，让创新的“朋友圈”可以在
更大范围内集聚、配置创新资源和要素。伴随着成渝地区双城经济圈建设上升为国家战略，立足成渝地区协同
科技创新，璧山按下了“加速键”。政府搭台，市场主导，企业唱戏。6月5日，比亚迪刀片电池正式量产下线。
康佳光电技术研究院已汇集行业专家300余人，申请专利近600项。截至2020年底，全区高新技术企业预计超过
220家，科技型企业达到1000余家，研发投入强度年均增长实现14.5%。制度创新是支撑科技创新的关键。
璧山出台了“1+3+N”科创体系，设立科技创新基金，建设孵化器和众创空间，引进高端人才团队。
"""

FALLBACK_EN = """
Bishan district of Chongqing is the first stop of the city's westward expansion and one
part of the Western (Chongqing) Science City. The high-tech zone rose 35 places among
national high-tech zones. Research teams from universities across the city moved their
labs to Bishan to turn flexible optoelectronic film research into products. The
Chongqing High-Tech Industry Research Institute and the industry-education integration
zone (west of University Town) were set up, and 77 leading firms formed the Bishan
enterprise science and technology innovation alliance. BYD began mass production of the
blade battery on 5 June. The Konka optoelectronic technology research institute gathered
more than 300 industry experts and applied for nearly 600 patents. By the end of 2020 the
district expected over 220 high-tech enterprises and more than 1,000 technology-based
firms, with R&D intensity growing 14.5% a year. Institutional innovation supports
technological innovation: the 1+3+N system, an innovation fund, incubators, maker spaces
and high-end talent teams.
"""

EN_TERMS = (
    "Bishan", "Chongqing", "Western (Chongqing) Science City", "high-tech zone",
    "research institute", "incubator", "maker space", "industrial park", "alliance",
    "innovation platform", "pilot zone", "talent programme", "patent", "R&D", "5G",
    "micro-LED", "blade battery", "optoelectronic film", "university", "start-up",
    "Chengdu-Chongqing economic circle", "BYD", "Konka", "intellectual property",
    "technology transfer", "venture fund", "smart manufacturing", "new materials",
)
EN_VERBS = (
    "opened", "set up", "signed", "launched", "attracted", "built", "introduced",
    "completed", "started construction of", "joined", "funded", "recruited",
)
PLATFORM_CATEGORIES = (
    ("科技成果产业化平台", "commercialisation platform"),
    ("专业技术平台", "specialist technology platform"),
    ("“政产学研”融合平台", "government-industry-academia-research platform"),
    ("孵化器", "incubator"),
    ("园区", "park"),
    ("联盟", "alliance"),
)
PLATFORM_STATUS = (("建成投入使用", "completed and in use"), ("动工开建", "construction started"),
                   ("签约落户", "agreement signed"), ("", ""))
PROJECT_CATEGORIES = (("企业", "firm"), ("引进项目", "introduced project"),
                      ("产品", "product"), ("成果", "achievement"))
INSTRUMENTS = (("文件", "document"), ("机制", "mechanism"), ("计划", "programme"),
               ("称号", "designation"), ("会议", "meeting"), ("基金", "fund"))
ROLES = (("负责人", "head"), ("教授", "professor"), ("院长", "director"),
         ("首席科学家", "chief scientist"), ("", ""))
UNITS = (
    ("个", "units", False), ("家", "firms", False), ("人", "people", False),
    ("%", "%", True), ("元", "yuan", False), ("亿元", "100 million yuan", True),
    ("平方米", "square metres", False), ("项", "items", False), ("位", "places", False),
    ("人次", "person-visits", False), ("件", "cases", False),
)
QUALIFIERS = (("exact", "", 50), ("about", "约", 12), ("over", "余", 22),
              ("nearly", "近", 10), ("under", "不到", 6))
TAGS = ("科创", "平台", "人才", "专利", "innovation", "platform", "talent", "patent",
        "成渝", "高新区", "孵化", "reform", "政策", "企业", "firm", "研发")

_SPLIT_ZH = re.compile(r"[，。；：！？、…“”（）\s]+")
_SENTENCE_ZH = re.compile(r"[^。！？]+[。！？]?")
_SENTENCE_EN = re.compile(r"[^.!?]+[.!?]")


@dataclass
class Vocabulary:
    """Text to draw from: article phrases and sentences, English sentences and terms,
    and (if the bundled file is there) its records' own texts."""

    article: str  # the article without white space: quotes are slices of it
    phrases: list[str]  # short Chinese phrases: titles, aliases
    sentences: list[str]  # Chinese sentences: summaries
    english: list[str]  # English sentences: summary_en
    bundled: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def load_vocabulary(article: Path | None, bundled: Path | None) -> Vocabulary:
    text = ""
    if article is not None:
        try:
            text = article.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            text = ""
    if not text.strip() and bundled is not None and bundled.is_file():
        text = _bundled_article(bundled)
    if not text.strip():
        text = FALLBACK_ZH
    flat = re.sub(r"\s+", "", text)
    phrases = sorted({p for p in _SPLIT_ZH.split(flat) if 3 <= len(p) <= 16})
    sentences = sorted({s for s in _SENTENCE_ZH.findall(flat) if 12 <= len(s) <= 160})
    english = [s.strip() for s in _SENTENCE_EN.findall(" ".join(FALLBACK_EN.split()))]
    pools: dict[str, list[dict[str, Any]]] = {}
    if bundled is not None and bundled.is_file():
        try:
            import tomli

            document = tomli.loads(bundled.read_text(encoding="utf-8"))
        except Exception:  # a half-written bundled file is simply not used
            document = {}
        for array, _kind, _weight in KINDS:
            items = document.get(array)
            if isinstance(items, list):
                pools[array] = [i for i in items if isinstance(i, dict)]
                for item in pools[array]:
                    summary_en = item.get("summary_en")
                    if isinstance(summary_en, str) and summary_en.strip():
                        english.append(" ".join(summary_en.split()))
    return Vocabulary(flat, phrases, sentences or [flat[:80]], english, pools)


def _bundled_article(bundled: Path) -> str:
    """The article's text from a dataset's ``[[paragraphs]]`` ("" when it has none)."""
    try:
        import tomli

        document = tomli.loads(bundled.read_text(encoding="utf-8"))
    except Exception:  # a half-written bundled file is simply not used
        return ""
    paragraphs = document.get("paragraphs")
    if not isinstance(paragraphs, list):
        return ""
    return "\n".join(
        p["text"] for p in paragraphs if isinstance(p, dict) and isinstance(p.get("text"), str)
    )


def _put_pair(item: dict[str, Any], name: str, pair: tuple[str, str]) -> None:
    """``name`` and ``name_en`` from a (Chinese, English) pair; left out if the
    Chinese is empty (the choice "none")."""
    if pair[0]:
        item[name], item[f"{name}_en"] = pair


class Generator:
    def __init__(
        self, records: int, seed: int, vocabulary: Vocabulary, *, paragraphs: bool = False
    ) -> None:
        self.count = records
        self.rng = random.Random(seed)
        self.vocab = vocabulary
        self.paragraphs = paragraphs

    # -- small pieces

    def pick_bundled(self, array: str, key: str) -> str | None:
        """A text of the bundled file's records of this array, about half the time."""
        pool = self.vocab.bundled.get(array)
        if not pool or self.rng.random() < 0.5:
            return None
        value = self.rng.choice(pool).get(key)
        return value if isinstance(value, str) and value.strip() else None

    def title(self, array: str) -> str:
        found = self.pick_bundled(array, "title")
        if found:
            return found
        rng = self.rng
        title = rng.choice(self.vocab.phrases)
        if rng.random() < 0.15:
            title += rng.choice(("5G", "Micro LED", "AI", "BYD", "3D"))
        return title

    def title_en(self, array: str) -> str:
        found = self.pick_bundled(array, "title_en")
        if found:
            return found
        rng = self.rng
        words = rng.sample(EN_TERMS, 2)
        title = f"{words[0]} {rng.choice(('of', 'for', 'in', 'and'))} {words[1]}"
        return title[0].upper() + title[1:]

    def summary(self, array: str) -> str:
        found = self.pick_bundled(array, "summary")
        if found:
            return found
        return "".join(self.rng.sample(self.vocab.sentences, self.rng.randint(1, 3)))

    def summary_en(self, array: str) -> str:
        found = self.pick_bundled(array, "summary_en")
        if found:
            return found
        rng = self.rng
        sentences = rng.sample(self.vocab.english, min(len(self.vocab.english), rng.randint(1, 3)))
        if rng.random() < 0.5:
            sentences.append(
                f"{rng.choice(EN_TERMS)} {rng.choice(EN_VERBS)} a {rng.choice(EN_TERMS)} project."
            )
        return " ".join(sentences)

    def quote(self) -> str | list[str]:
        rng = self.rng
        article = self.vocab.article

        def one() -> str:
            length = rng.randint(6, 40)
            start = rng.randrange(max(1, len(article) - length))
            return article[start : start + length]

        if rng.random() < 0.8:
            return one()
        return [one() for _ in range(rng.randint(2, 3))]

    def date(self) -> str:
        rng = self.rng
        year = rng.randint(2015, 2021)
        precision = rng.random()
        if precision < 0.25:
            return f"{year}"
        month = rng.randint(1, 12)
        if precision < 0.55:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"

    # -- records

    def plan(self) -> list[tuple[str, str, str]]:
        """(array, kind, id) of every record, in file order (grouped by array)."""
        rng = self.rng
        arrays = [a for a, _k, _w in KINDS]
        chosen = rng.choices(arrays, weights=[w for _a, _k, w in KINDS], k=self.count)
        # Every kind at least once, whatever the size (>= 6).
        for i, array in enumerate(arrays[: self.count]):
            chosen[i] = array
        kinds = {a: k for a, k, _w in KINDS}
        plan: list[tuple[str, str, str]] = []
        for array in arrays:
            n = 0
            for pick in chosen:
                if pick == array:
                    n += 1
                    slug = rng.choice(("bishan", "science-city", "hi-tech", "lab", "park",
                                       "talent", "fund", "5g", "battery", "film"))
                    plan.append((array, kinds[array], f"{kinds[array]}-{slug}-{n}"))
        return plan

    def record(self, array: str, kind: str, record_id: str, ids: list[str]) -> dict[str, Any]:
        rng = self.rng
        item: dict[str, Any] = {
            "id": record_id,
            "title": self.title(array),
            "title_en": self.title_en(array),
            "summary": self.summary(array),
            "summary_en": self.summary_en(array),
            "section": rng.choice(SECTIONS)[0],
            "quote": self.quote(),
        }
        if rng.random() < 0.6:
            item["tags"] = rng.sample(TAGS, rng.randint(1, 3))
        if rng.random() < 0.15:
            item["aliases"] = [rng.choice(self.vocab.phrases)]
        if rng.random() < 0.1:
            item["aliases_en"] = [rng.choice(EN_TERMS)]
        if len(ids) > 1 and rng.random() < 0.45:
            related = {rng.choice(ids) for _ in range(rng.randint(1, 3))} - {record_id}
            if related:
                item["related"] = sorted(related)
        if rng.random() < 0.05:
            item["context"] = rng.choice(self.vocab.sentences)
            item["context_en"] = rng.choice(self.vocab.english)
        if kind == "platform":
            category = rng.choice(PLATFORM_CATEGORIES)
            item["category"], item["category_en"] = category
            _put_pair(item, "status", rng.choice(PLATFORM_STATUS))
        elif kind == "project":
            item["category"], item["category_en"] = rng.choice(PROJECT_CATEGORIES)
            if rng.random() < 0.5:
                item["organisation"] = rng.choice(self.vocab.phrases)
                item["organisation_en"] = rng.choice(EN_TERMS)
        elif kind == "talent":
            item["affiliation"] = rng.choice(self.vocab.phrases)
            item["affiliation_en"] = rng.choice(EN_TERMS)
            _put_pair(item, "role", rng.choice(ROLES))
        elif kind == "policy":
            item["instrument"], item["instrument_en"] = rng.choice(INSTRUMENTS)
            if rng.random() < 0.4:
                item["issuer"], item["issuer_en"] = "璧山区", "Bishan district"
        elif kind == "event":
            item["date"] = self.date()
            if rng.random() < 0.2:
                item["date_note"] = "“今年”即2020年"
                item["date_note_en"] = '"this year" read as 2020'
        else:
            self.figure(item)
        return item

    def figure(self, item: dict[str, Any]) -> None:
        rng = self.rng
        unit, unit_en, fractional = rng.choice(UNITS)
        if fractional and rng.random() < 0.6:
            value: int | float = round(rng.uniform(0.1, 99.9), rng.choice((1, 2)))
        else:
            value = rng.choice((rng.randint(1, 999), rng.randint(1, 99) * 10,
                                rng.randint(1, 20) * 10_000, rng.randint(1, 9) * 100_000_000))
        qualifier, word, _w = rng.choices(QUALIFIERS, weights=[q[2] for q in QUALIFIERS])[0]
        item["value"] = value
        item["unit"] = unit
        item["unit_en"] = unit_en
        if qualifier != "exact" or rng.random() < 0.3:
            item["qualifier"] = qualifier
        printed = f"{value}{unit}"
        if qualifier == "over":
            printed = f"{value}余{unit}"
        elif word:
            printed = f"{word}{value}{unit}"
        item["as_printed"] = printed
        if rng.random() < 0.15:
            item["projected"] = True
        if rng.random() < 0.35:
            item["as_of"] = self.date()
        if rng.random() < 0.25:
            item["period"], item["period_en"] = "今年以来", "2020 year to date"

    def records(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        plan = self.plan()
        ids = [record_id for _a, _k, record_id in plan]
        for array, kind, record_id in plan:
            yield array, kind, self.record(array, kind, record_id, ids)


# --------------------------------------------------------------------------- output


def toml_string(value: str) -> str:
    # A JSON string (ensure_ascii off) is a valid TOML basic string: the same
    # escapes (\" \\ \n \t \r \b \f \uXXXX) and nothing else.
    return json.dumps(value, ensure_ascii=False)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def header(seed: int, records: int, article: str | None = None) -> str:
    lines = [
        "# Synthetic bishan-tui dataset written by benchmarks/generate.py",
        f"# --records {records} --seed {seed}; not facts: text is recombined at random.",
        "schema_version = 1",
        "",
        "[source]",
        f"title = {toml_string('发力科创之城 加速科技创新（合成数据）')}",
        f"title_en = {toml_string('Synthetic benchmark data after the Bishan article')}",
        f"authors = {toml_value(['王琳琳', '龙搏', '苏洪成'])}",
        f"authors_en = {toml_value(['Wang Linlin', 'Long Bo', 'Su Hongcheng'])}",
        f"notes_en = {toml_string('Generated; records are random recombinations.')}",
        "",
    ]
    for section_id, title, title_en in SECTIONS:
        lines += [
            "[[sections]]",
            f"id = {toml_string(section_id)}",
            f"title = {toml_string(title)}",
            f"title_en = {toml_string(title_en)}",
            "",
        ]
    if article is not None:  # the whole article as one paragraph: every quote is in it
        lines += [
            "[[paragraphs]]",
            'id = "article"',
            f"section = {toml_string(SECTIONS[0][0])}",
            f"text = {toml_string(article)}",
            "",
        ]
    return "\n".join(lines) + "\n"


def write(
    generator: Generator, out: Any, csv_out: Any | None, seed: int, records: int
) -> int:
    out.write(header(seed, records, generator.vocab.article if generator.paragraphs else None))
    writer = csv.writer(csv_out, lineterminator="\n") if csv_out is not None else None
    if writer is not None:
        writer.writerow(
            ["kind", "id", "title", "title_en", "value", "date", "summary", "summary_en"]
        )
    written = 0
    for array, kind, item in generator.records():
        lines = [f"[[{array}]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in item.items()]
        out.write("\n".join(lines) + "\n\n")
        if writer is not None:
            writer.writerow([
                kind, item["id"], item["title"], item["title_en"],
                toml_value(item["value"]) if "value" in item else "",
                item.get("date", ""), item["summary"], item["summary_en"],
            ])
        written += 1
    return written


def generate_text(
    records: int,
    seed: int,
    *,
    article: Path | None = DEFAULT_ARTICLE,
    bundled: Path | None = DEFAULT_BUNDLED,
    paragraphs: bool = False,
) -> str:
    """The whole TOML file as a string (for tests and small sizes)."""
    import io

    buffer = io.StringIO()
    vocabulary = load_vocabulary(article, bundled)
    generator = Generator(records, seed, vocabulary, paragraphs=paragraphs)
    write(generator, buffer, None, seed, records)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, required=True, help="number of records (>= 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the TOML file to write")
    parser.add_argument("--csv", type=Path, help="also write the records as CSV")
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--bundled", type=Path, default=DEFAULT_BUNDLED,
                        help="a dataset whose texts to draw on, if it exists")
    parser.add_argument("--no-bundled", action="store_true",
                        help="use only the article (output independent of data/bishan.toml)")
    parser.add_argument("--paragraphs", action="store_true",
                        help="write the article as [[paragraphs]], so the loader checks quotes")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error("--records must be at least 1")
    vocabulary = load_vocabulary(args.article, None if args.no_bundled else args.bundled)
    generator = Generator(args.records, args.seed, vocabulary, paragraphs=args.paragraphs)
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        if args.csv is not None:
            with args.csv.open("w", encoding="utf-8", newline="") as csv_out:
                count = write(generator, out, csv_out, args.seed, args.records)
        else:
            count = write(generator, out, None, args.seed, args.records)
    print(f"{args.output}: {count} records, {args.output.stat().st_size:,} bytes",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
