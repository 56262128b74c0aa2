"""The article on the command line: ``article``, ``show --context`` and
``validate --coverage``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..model import Dataset, Record
from ..textsafe import one_line
from .output import (
    EXIT_ERROR,
    EXIT_NONE,
    EXIT_OK,
    default_format,
    make_console,
    print_error,
    write,
    writing,
)
from .render import rich_marked, show_record

if TYPE_CHECKING:
    from ..article import ArticleMap


def article_map(dataset: Dataset) -> ArticleMap | None:
    from ..article import NO_TEXT, ArticleMap

    if not dataset.paragraphs:
        print_error(f"{dataset.path or 'the dataset'} {NO_TEXT}")
        return None
    return ArticleMap(dataset)


def coverage(dataset: Dataset, shown: str) -> int:
    from ..article import coverage_lines

    article = article_map(dataset)
    if article is None:
        return EXIT_NONE
    lines, total = coverage_lines(article)
    write("".join(line + "\n" for line in lines))
    write(
        f"coverage {shown}: {total - len(lines)} of {total} sentences quoted by a record; "
        f"{len(lines)} not quoted (listed above as paragraph id, sentence)\n"
    )
    return EXIT_OK


def show_with_context(record: Record, dataset: Dataset, fmt: str) -> int:
    from ..article import context_of, markdown_marked, plain_marked

    if fmt == "csv":
        print_error("show --context prints text: use --format table, plain, json or markdown")
        return EXIT_ERROR
    article = article_map(dataset)
    if article is None:
        return EXIT_NONE
    context = context_of(article, record.id)
    paragraphs = article.paragraphs
    if fmt == "json":
        import json

        from ..formats import record_to_dict

        data = record_to_dict(record)
        data["paragraphs"] = [
            {
                "paragraph": paragraphs[n].id,
                "section": paragraphs[n].section,
                "text": paragraphs[n].text,
                "quoted": [[start, end] for start, end in spans],
            }
            for n, spans in context
        ]
        write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    show_record(record, dataset, fmt)
    if fmt == "plain":
        write(
            "".join(
                f"paragraph\t{one_line(paragraphs[n].id)}\t"
                f"{plain_marked(paragraphs[n].text, spans)}\n"
                for n, spans in context
            )
        )
    elif fmt == "markdown":
        from ..formats import md_cell

        write(
            "".join(
                f"\n> {markdown_marked(paragraphs[n].text, spans)}\n>\n"
                f"> — {md_cell(paragraphs[n].id)}\n"
                for n, spans in context
            )
        )
    else:
        from rich.text import Text

        console = make_console()
        with writing(console.file):
            for n, spans in context:
                console.print()
                console.print(Text(f"原文 Article · {one_line(paragraphs[n].id)}", style="bold"))
                console.print(rich_marked(paragraphs[n].text, spans))
    if not context:
        print_error(f"record {record.id!r} has no quote placed in the article")
    return EXIT_OK


def cmd_article(args: argparse.Namespace, dataset: Dataset) -> int:
    from ..article import article_blocks, article_markdown, article_plain, paragraph_spans

    article = article_map(dataset)
    if article is None:
        return EXIT_NONE
    fmt = default_format(args.format)
    if fmt == "plain":
        write(article_plain(article))
        return EXIT_OK
    if fmt == "markdown":
        write(article_markdown(article))
        return EXIT_OK
    from rich.text import Text

    console = make_console()
    sections = dataset.sections
    with writing(console.file):
        for what, n in article_blocks(article):
            if what == "section":
                if n >= 0:
                    console.print()
                    title = f"§ {sections[n].title} / {sections[n].title_en}"
                    console.print(Text(one_line(title), style="bold underline"))
                continue
            paragraph = article.paragraphs[n]
            line = Text(f"{one_line(paragraph.id)}  ", style="dim")
            line.append_text(rich_marked(paragraph.text, paragraph_spans(article, n)))
            console.print(line)
    return EXIT_OK
