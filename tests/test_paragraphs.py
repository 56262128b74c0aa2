"""The article inside a dataset: ``[[paragraphs]]`` and ``[[glossary]]`` in the loader,
the verbatim check of every quote against the paragraphs, ``validate`` and ``glossary``
on the command line, and the dataset cache keeping both."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from dataset_files import head
from dataset_files import write_dataset as write

from bishan_tui.cli import main
from bishan_tui.loader import DatasetError, load_dataset
from bishan_tui.model import GlossaryEntry, Paragraph, strip_whitespace
from bishan_tui.search.dataset_cache import load_dataset_cached

HEAD = head()

KANGJIA = "重庆康佳光电技术研究院建成投入使用，已汇集行业专家 300余人，完成近 600项有效专利提案；"
PARAGRAPHS = """
[[paragraphs]]
id = "s1-1"
section = "s1"
role = "body"
text = "重庆康佳光电技术研究院建成投入使用，已汇集行业专家 300余人，完成近 600项有效专利提案；"

[[paragraphs]]
id = "s1-2"
section = "s1"
role = "caption"
text = "璧山国家高新区内厂房林立 摄/曾清龙"
"""

GLOSSARY = """
[[glossary]]
zh = "康佳"
en = "Konka"

[[glossary]]
zh = "意向订单"
en = "orders under letters of intent"
note = "not “intended orders”"
"""


def record(quote: str, record_id: str = "f1") -> str:
    return f"""
[[figures]]
id = "{record_id}"
title = "专家"
title_en = "Experts"
summary = "汇集行业专家300余人"
summary_en = "more than 300 experts"
section = "s1"
quote = {json.dumps(quote, ensure_ascii=False)}
value = 300
unit = "人"
unit_en = "people"
qualifier = "over"
as_printed = "300余人"
"""


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    return caught.value.problems


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))


# ---------------------------------------------------------------- the loader


def test_paragraphs_and_glossary_load(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + PARAGRAPHS + GLOSSARY + record("已汇集行业专家300余人"))
    dataset = load_dataset(path)
    assert dataset.quotes_checked
    assert dataset.paragraphs == (
        Paragraph("s1-1", "s1", KANGJIA, "body"),
        Paragraph("s1-2", "s1", "璧山国家高新区内厂房林立 摄/曾清龙", "caption"),
    )
    assert dataset.glossary == (
        GlossaryEntry("康佳", "Konka"),
        GlossaryEntry("意向订单", "orders under letters of intent", "not “intended orders”"),
    )


def test_role_defaults_to_body(tmp_path: Path) -> None:
    text = HEAD + '[[paragraphs]]\nid = "p"\nsection = "s1"\ntext = "璧山"\n' + record("璧山")
    assert load_dataset(write(tmp_path, text)).paragraphs[0].role == "body"


@pytest.mark.parametrize(
    "quote",
    [
        "已汇集行业专家300余人",  # the article's space inside the figure is not needed
        "已汇集行业专家 300余人",
        "已 汇 集\n行业专家\t300余人",  # any whitespace, anywhere
        "厂房林立摄/曾清龙",  # a caption, its credit included
    ],
)
def test_a_verbatim_quote_passes(tmp_path: Path, quote: str) -> None:
    load_dataset(write(tmp_path, HEAD + PARAGRAPHS + record(quote)))


@pytest.mark.parametrize(
    "quote",
    [
        "已汇集行业专家300多人",  # one character changed
        "已汇集行业专家300余人。",  # punctuation the article does not have there
        '已汇集行业专家"300余人"',  # quotation marks are not normalised
        "已汇集行业专家３００余人",  # nor full-width digits
        "提案；璧山国家高新区",  # across two paragraphs
    ],
)
def test_a_quote_not_in_the_paragraphs_is_named(tmp_path: Path, quote: str) -> None:
    path = write(
        tmp_path, HEAD + PARAGRAPHS + record("已汇集行业专家300余人", "ok") + record(quote)
    )
    found = problems(path)
    assert len(found) == 1
    # file:line: array[index] (id): field 'quote' item N: ...
    lines = path.read_text(encoding="utf-8").split("\n")
    line = [i for i, text in enumerate(lines, 1) if text.startswith("quote")][-1]
    assert found[0].startswith(f"{path}:{line}: figures[1] (id \"f1\"): field 'quote' item 0: ")
    assert "not in the article's paragraphs" in found[0]


def test_the_message_says_where_the_quote_leaves_the_article(tmp_path: Path) -> None:
    found = problems(write(tmp_path, HEAD + PARAGRAPHS + record("已汇集行业专家300多人")))
    assert found[0].endswith(': its first 10 of 12 characters are there, then "多人" is not')
    found = problems(write(tmp_path, HEAD + PARAGRAPHS + record("甲乙")))
    assert found[0].endswith('"甲乙": not even its first character is there')


def test_every_bad_quote_is_listed_with_its_item(tmp_path: Path) -> None:
    two = record("x").replace(
        'quote = "x"', 'quote = ["已汇集行业专家300余人", "不在文中", "也不在"]'
    )
    found = problems(write(tmp_path, HEAD + PARAGRAPHS + two))
    assert [re.search(r"item (\d+)", p).group(1) for p in found] == ["1", "2"]  # type: ignore[union-attr]


def test_without_paragraphs_quotes_are_unchecked(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, HEAD + record("无论什么")))
    assert not dataset.quotes_checked and dataset.paragraphs == ()


def test_a_quote_in_a_record_with_other_problems_is_still_checked(tmp_path: Path) -> None:
    bad = record("不在文中").replace('unit_en = "people"', 'unit_en = "people"\ncolour = "red"')
    found = problems(write(tmp_path, HEAD + PARAGRAPHS + bad))
    assert any("'colour' is not known" in p for p in found)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[[paragraphs]]\nid = "p"\nsection = "s1"\n',
            "paragraphs[0] (id \"p\"): field 'text' is missing",
        ),
        ('[[paragraphs]]\nid = "p"\nsection = "nope"\ntext = "x"\n', '"nope" names no section'),
        (
            '[[paragraphs]]\nid = "p"\nsection = "s1"\ntext = "x"\nrole = "aside"\n',
            "is not one of headline",
        ),
        ('[[paragraphs]]\nid = "P 1"\nsection = "s1"\ntext = "x"\n', "field 'id'"),
        (
            '[[paragraphs]]\nid = "p"\nsection = "s1"\ntext = "x"\ncolour = 1\n',
            "'colour' is not known",
        ),
        ("paragraphs = 3\n", "'paragraphs' must be an array of tables"),
        ('[[glossary]]\nzh = "康佳"\n', "glossary[0]: field 'en' is missing"),
        (
            '[[glossary]]\nzh = "康佳"\nen = "Konka"\n[[glossary]]\nzh = "康佳"\nen = "Kangjia"\n',
            "glossary[1]: field 'zh': \"康佳\" is already glossary[0]",
        ),
    ],
)
def test_bad_paragraphs_and_glossary_are_named(tmp_path: Path, table: str, message: str) -> None:
    text = (
        HEAD + table + record("x")
        if not table.startswith("paragraphs =")
        else HEAD.replace("schema_version = 1\n", "schema_version = 1\n" + table) + record("x")
    )
    found = problems(write(tmp_path, text))
    assert any(message in p for p in found), found
    assert all(p.startswith(str(tmp_path)) for p in found)


def test_duplicate_paragraph_ids(tmp_path: Path) -> None:
    twice = '[[paragraphs]]\nid = "p"\nsection = "s1"\ntext = "x"\n' * 2
    found = problems(write(tmp_path, HEAD + twice + record("x")))
    assert any("duplicate paragraph id" in p for p in found)


def test_strip_whitespace_is_the_verbatim_rule() -> None:
    every_space = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert strip_whitespace(f"专家{every_space}300余人") == "专家300余人"
    assert strip_whitespace("“１”，（）") == "“１”，（）"


def test_the_bundled_dataset_checks_its_quotes() -> None:
    dataset = load_dataset()
    assert dataset.quotes_checked
    roles = {p.role for p in dataset.paragraphs}
    assert roles == {"headline", "byline", "lead", "heading", "body", "link-box", "caption"}
    article = "\n".join(strip_whitespace(p.text) for p in dataset.paragraphs)
    assert all(strip_whitespace(q) in article for r in dataset.records for q in r.quotes)


# ---------------------------------------------------------------- the cache


def test_the_cache_keeps_paragraphs_and_glossary(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + PARAGRAPHS + GLOSSARY + record("已汇集行业专家300余人"))
    cold = load_dataset_cached(path, cache_dir=tmp_path / "cache")
    warm = load_dataset_cached(path, cache_dir=tmp_path / "cache")
    assert warm == cold == load_dataset(path)
    assert warm.paragraphs and warm.glossary and warm.quotes_checked


# ---------------------------------------------------------------- the command line


def test_validate_says_the_quotes_were_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"; 44 paragraphs, every quote found in them; \d+ glossary entries$", out.strip()
    )


def test_validate_says_when_quotes_are_unchecked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(write(tmp_path, HEAD + record("无论什么")))]) == 0
    assert (
        "no [[paragraphs]], so the quotes are NOT checked against the article"
        in capsys.readouterr().out
    )


def test_validate_names_a_quote_it_cannot_find(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HEAD + PARAGRAPHS + record("已汇集行业专家300多人"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "figures[0] (id \"f1\"): field 'quote' item 0: not in the article's paragraphs" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["plain", "json", "markdown", "table"])
def test_glossary_command(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "--format", fmt]) == 0
    out = capsys.readouterr().out
    dataset = load_dataset()
    if fmt == "json":
        rows = json.loads(out)
        assert rows == [{"zh": g.zh, "en": g.en, "note": g.note} for g in dataset.glossary]
    elif fmt == "plain":
        lines = out.splitlines()
        assert len(lines) == len(dataset.glossary)
        assert "意向订单\torders under letters of intent\tnot “intended orders”" in lines
    elif fmt == "markdown":
        assert out.startswith("| 中文 | English | note |\n|---|---|---|\n")
        assert "| 意向订单 | orders under letters of intent |" in out
    else:
        assert "意向订单" in out and "orders under" in out


def test_glossary_command_without_a_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HEAD + record("x"))
    assert main(["--data", str(path), "glossary"]) == 1
    assert "has no [[glossary]]" in capsys.readouterr().err


def test_glossary_plain_output_shows_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = HEAD + '[[glossary]]\nzh = "康佳\\u001b[2J"\nen = "Konka\\u0007"\n' + record("x")
    assert main(["--data", str(write(tmp_path, hostile)), "glossary", "--format", "plain"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out


# ---------------------------------------------------------------- synthetic datasets


def _generator() -> ModuleType:
    import importlib.util
    import sys

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(
        "bishan_generate_i12", root / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("paragraphs", [False, True])
def test_generated_datasets_load_with_or_without_paragraphs(
    tmp_path: Path, paragraphs: bool
) -> None:
    generate = _generator()
    missing = tmp_path / "missing.txt"  # the article is read from the bundled paragraphs
    text = generate.generate_text(300, 7, article=missing, paragraphs=paragraphs)
    dataset = load_dataset(write(tmp_path, text))
    assert len(dataset.records) == 300
    assert dataset.quotes_checked is paragraphs
    if paragraphs:
        bundled = load_dataset()
        article = "".join(strip_whitespace(p.text) for p in bundled.paragraphs)
        assert strip_whitespace(dataset.paragraphs[0].text) == article
