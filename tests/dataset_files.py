"""Dataset files for the tests: TOML text (or raw bytes) written where a test wants it,
and the pieces of TOML that several test modules build their datasets from.

The pieces are written as given (no escaping): plain test strings only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli


def write_dataset(folder: Path, text: str | bytes, name: str = "data.toml") -> Path:
    """``folder/name`` holding ``text`` (UTF-8), or exactly ``text`` if it is bytes."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def head(
    title: str = "t", title_en: str = "t", section: tuple[str, str, str] = ("s1", "节", "section")
) -> str:
    """A dataset's first lines: the schema version, the source's titles and one section
    (id, Chinese title, English title)."""
    section_id, section_title, section_title_en = section
    return (
        "schema_version = 1\n"
        "[source]\n"
        f'title = "{title}"\n'
        f'title_en = "{title_en}"\n'
        "[[sections]]\n"
        f'id = "{section_id}"\n'
        f'title = "{section_title}"\n'
        f'title_en = "{section_title_en}"\n'
    )


def platform(
    id: str = "p1",
    title: str = "平台",
    title_en: str = "Platform one",
    summary: str = "摘要",
    summary_en: str = "summary",
    section: str = "s1",
    quote: str = "璧山",
) -> str:
    """A platform record with only the fields every record needs."""
    return (
        "[[platforms]]\n"
        f'id = "{id}"\n'
        f'title = "{title}"\n'
        f'title_en = "{title_en}"\n'
        f'summary = "{summary}"\n'
        f'summary_en = "{summary_en}"\n'
        f'section = "{section}"\n'
        f'quote = "{quote}"\n'
    )


# The lead section and the Konka institute, as the article names them.
LEAD_HEAD = head("发力科创之城", "City of innovation", ("lead", "导语", "Lead"))


def kangjia(
    title: str = "重庆康佳光电技术研究院",
    title_en: str = "Konka institute",
    summary: str = "建成投入使用",
) -> str:
    """The Konka institute as a platform record in the lead section."""
    return platform(
        "kangjia-institute",
        title,
        title_en,
        summary,
        summary_en="Completed",
        section="lead",
        quote="重庆康佳光电技术研究院建成投入使用",
    )


# Figure f1 of section s1: "more than 300 experts", with every figure field.
FIGURE_F1 = """[[figures]]
id = "f1"
title = "专家"
title_en = "Experts"
summary = "汇集行业专家300余人"
summary_en = "more than 300 experts"
section = "s1"
quote = ["已汇集行业专家 300余人"]
value = 300
unit = "人"
unit_en = "people"
qualifier = "over"
as_printed = "300余人"
"""


# A small valid dataset of every common field and a few kinds' own (a platform, an
# event, two figures): what the cache tests store, tamper with and read back.
VALID = (
    """\
schema_version = 1
[source]
title = "璧山"
title_en = "Bishan"
authors = ["王琳琳"]
[[sections]]
id = "s1"
title = "节"
title_en = "section"
[[platforms]]
id = "p1"
title = "重庆康佳光电技术研究院"
title_en = "Konka institute"
summary = "已汇集行业专家300余人"
summary_en = "over 300 experts"
section = "s1"
quote = "璧山"
tags = ["平台", "5G"]
related = ["f1"]
category = "专业技术平台"
[[timeline]]
id = "e1"
title = "量产"
title_en = "Mass production"
summary = "刀片电池正式量产下线"
summary_en = "blade battery in mass production"
section = "s1"
quote = ["6月5日", "比亚迪"]
date = "2020-06-05"
"""
    + FIGURE_F1
    + """\
[[figures]]
id = "f2"
title = "增长"
title_en = "Growth"
summary = "年均增长14.5%"
summary_en = "14.5% a year"
section = "s1"
quote = "14.5%"
value = 14.5
unit = "%"
unit_en = "%"
"""
)


def forbid_parsing(monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    """From now on in this test the TOML parser fails: what is read is served whole
    from a cache, or the test fails saying ``why`` (e.g. "the cache missed")."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError(f"the TOML parser was called: {why}")

    monkeypatch.setattr(tomli, "loads", refuse)
