"""The ``articles`` command: split pages into articles and list them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from analysis.cli.common import (
    PUBLIC_FIELDS,
    _add_command,
    _add_input_options,
    _add_output_options,
    _is_missing,
    _load,
    _output,
    _print_json,
    _records,
    _text,
)
from analysis.reading.corpus import ARTICLE_COLUMNS

__all__ = ["add_parsers", "cmd_articles"]


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``articles`` command to ``sub``."""
    articles = _add_command(
        sub,
        common,
        "articles",
        help="split pages into articles (title, kicker, authors, body …)",
        description=(
            "Split raw newspaper pages into articles and print one line per article, "
            "or the full records as JSON or CSV."
        ),
    )
    _add_input_options(articles)
    _add_output_options(articles)
    articles.add_argument(
        "--explain",
        action="store_true",
        help="show how every line of each page was classified and by which rule",
    )
    articles.set_defaults(func=cmd_articles)


def _print_boilerplate(plate: pd.DataFrame, n: int) -> None:
    """The boilerplate found across the articles, as ``--explain`` lists it."""
    if plate.empty:
        print(f"\nno boilerplate found across the {n} article(s)")
        return
    print(
        f"\nboilerplate found across the {n} article(s), left out of the counts "
        "(--keep-boilerplate keeps it):"
    )
    for row in plate.itertuples(index=False):
        print(f"    {row.kind:<8} {row.documents:>7} articles ({row.share:.1%})  {row.text}")


def cmd_articles(args: argparse.Namespace) -> int:
    """Split pages into articles and print them."""
    if args.explain:
        from analysis.reading.corpus import explain_pages
        from analysis.text.boilerplate import find_boilerplate

        table = explain_pages(args.paths or None, txt_mode=args.txt_mode)
        df = _load(args, need=0)
        plate = find_boilerplate(df["paragraphs"].tolist()).table()
        if args.json:
            _print_json(
                {
                    "lines": _records(table, table.columns),
                    "boilerplate": _records(plate, plate.columns),
                }
            )
        else:
            for row in table.itertuples(index=False):
                text = row.text if len(row.text) <= 40 else row.text[:39] + "…"
                line = "-" if _is_missing(row.line) else int(row.line)
                print(
                    f"{Path(row.source).name}:{line:<4} {row.label:<12} "
                    f"{row.article or '-':<28} {text}  [{row.rule}]"
                )
            _print_boilerplate(plate, len(df))
        return 0
    df = _load(args, need=0)

    def text() -> None:
        for row in df.itertuples(index=False):
            authors = "、".join(row.authors) or "-"
            print(
                f"{row.id:<28} {row.kind:<8} {row.n_paragraphs:>3} para "
                f"{row.n_chars:>5} chars  {_text(row.title)}  ({authors})"
            )

    extra = [c for c in df.columns if c not in ARTICLE_COLUMNS]
    _output(args, df[PUBLIC_FIELDS + extra], text=text)
    return 0
