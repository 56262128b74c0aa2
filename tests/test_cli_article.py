"""show --context, article and validate --coverage, run as a user runs them (issue 13)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from cli_process import run_cli

from bishan_tui.article import ArticleMap
from bishan_tui.loader import bundled_dataset_path
from bishan_tui.model import Dataset

RECORD = "kangjia-optoelectronics-institute"


@pytest.fixture(scope="module")
def no_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled file with its [[paragraphs]] taken out."""
    text = bundled_dataset_path().read_text(encoding="utf-8")
    stripped = re.sub(r"\[\[paragraphs\]\]\n(?:[^\[\n].*\n)*\n?", "", text)
    assert "\n[[paragraphs]]" not in stripped
    path = tmp_path_factory.mktemp("data") / "no-text.toml"
    path.write_text(stripped, encoding="utf-8")
    return path


def ok(*args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_show_context_plain_marks_the_quote(bundled: Dataset) -> None:
    article = ArticleMap(bundled)
    out = ok("show", RECORD, "--context", "--format", "plain").stdout
    context = [line.split("\t") for line in out.splitlines() if line.startswith("paragraph\t")]
    record = bundled.by_id(RECORD)
    assert record is not None and context
    paragraphs = {article.paragraphs[p].id for p, _s, _e in article.by_record[RECORD]}
    assert {row[1] for row in context} == paragraphs
    marked = re.findall(r"「([^」]*)」", "".join(row[2] for row in context))
    for quote in record.quotes:
        assert "".join(quote.split()) in ["".join(m.split()) for m in marked]
    # the text around the marks is the paragraph itself
    for row in context:
        text = next(p.text for p in bundled.paragraphs if p.id == row[1])
        assert row[2].replace("「", "").replace("」", "") == text


def test_show_context_markdown_json_and_table(bundled: Dataset) -> None:
    record = bundled.by_id(RECORD)
    assert record is not None
    markdown = ok("show", RECORD, "--context", "--format", "markdown").stdout
    assert "> " in markdown and "**" in markdown
    import json

    data = json.loads(ok("show", RECORD, "--context", "--format", "json").stdout)
    for item in data["paragraphs"]:
        for start, end in item["quoted"]:
            assert "".join(item["text"][start:end].split()) in {
                "".join(q.split()) for q in record.quotes
            }
    env = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    table = run_cli("show", RECORD, "--context", "--format", "table", env=env)
    assert table.returncode == 0, table.stderr
    assert "原文 Article" in table.stdout
    assert "\x1b[" in table.stdout  # the quote is highlighted, not bracketed
    assert "「" not in table.stdout
    csv = run_cli("show", RECORD, "--context", "--format", "csv")
    assert csv.returncode == 2 and "--context" in csv.stderr


def test_article_in_every_format(bundled: Dataset) -> None:
    article = ArticleMap(bundled)
    plain = ok("article", "--format", "plain").stdout
    rows = [line.split("\t", 1) for line in plain.splitlines() if "\t" in line]
    assert [row[0] for row in rows] == [p.id for p in bundled.paragraphs]
    for (_pid, text), paragraph in zip(rows, bundled.paragraphs, strict=True):
        assert text.replace("「", "").replace("」", "") == paragraph.text
    assert plain.count("「") == len(
        {(p, s, e) for p, s, e in ((sp.paragraph, sp.start, sp.end) for sp in article.spans)}
    ) - _merged_away(article)
    for section in bundled.sections:
        assert section.title_en in plain
    markdown = ok("article", "--format", "markdown").stdout
    assert markdown.startswith("# ") and "**" in markdown
    assert all(f"## {s.title}" in markdown for s in bundled.sections)
    env = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    table = run_cli("article", "--format", "table", env=env)
    assert table.returncode == 0 and "\x1b[" in table.stdout


def _merged_away(article: ArticleMap) -> int:
    """Spans that touch or overlap the one before them print inside one 「」."""
    count = 0
    for paragraph in article.spans_in:
        spans = sorted(
            (article.spans[n].start, article.spans[n].end) for n in article.spans_in[paragraph]
        )
        end = -1
        for start, stop in spans:
            if start <= end:
                count += 1
            end = max(end, stop)
    return count


def test_validate_coverage_lists_the_unquoted_sentences(bundled: Dataset) -> None:
    article = ArticleMap(bundled)
    out = ok("validate", "--coverage").stdout.splitlines()
    assert out[0].startswith("OK ")
    listed = [line.split("\t") for line in out[1:-1]]
    expected = [[bundled.paragraphs[s.paragraph].id, s.text] for s in article.coverage()]
    assert listed == expected
    assert f"{len(expected)} not quoted" in out[-1]


def test_without_paragraphs_the_commands_exit_1_with_a_message(no_text: Path) -> None:
    for args in (
        ("--data", str(no_text), "article", "--format", "plain"),
        ("--data", str(no_text), "article", "--format", "markdown"),
        ("--data", str(no_text), "show", RECORD, "--context", "--format", "plain"),
        ("--data", str(no_text), "show", RECORD, "--context", "--format", "json"),
        ("validate", str(no_text), "--coverage"),
    ):
        result = run_cli(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert "no text of the article" in result.stderr, args
        assert "no-text.toml" in result.stderr
        assert "Traceback" not in result.stderr
    plain = run_cli("--data", str(no_text), "show", RECORD, "--format", "plain")
    assert plain.returncode == 0  # without --context nothing changes
