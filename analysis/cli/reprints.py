"""The ``reprints`` command: the same story in several articles."""

from __future__ import annotations

import argparse
import sys

from analysis.cli.common import (
    _add_command,
    _add_input_options,
    _add_output_options,
    _load,
    _output,
    _text,
)
from analysis.errors import OptionError

__all__ = ["add_parsers", "cmd_reprints"]


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"a share above 0 and at most 1, not {text!r}")
    return value


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``reprints`` to ``sub``."""
    reprints = _add_command(
        sub,
        common,
        "reprints",
        help="clusters of reprinted articles (the same story, edited or cut)",
        description=(
            "Find the articles that reprint the same story: two articles are reprints when "
            "at least --threshold of the shorter one's text (runs of 5 characters) is in "
            "the other. Each cluster lists its members, the earliest first (by date, else "
            "by place in the input). --dedupe on any command counts each cluster once."
        ),
    )
    _add_input_options(reprints)
    reprints.add_argument(
        "--threshold",
        type=_share,
        default=0.5,
        metavar="SHARE",
        help="share of the shorter article found in the other (default 0.5)",
    )
    reprints.add_argument(
        "--pairs", action="store_true", help="list the pairs of articles instead of clusters"
    )
    _add_output_options(reprints)
    reprints.set_defaults(func=cmd_reprints)


def cmd_reprints(args: argparse.Namespace) -> int:
    """Clusters of reprints, or their pairs."""
    from analysis.methods.reprints import article_reprints

    if getattr(args, "dedupe", False):
        raise OptionError("reprints --dedupe: the reprints command lists them; leave --dedupe out")
    df = _load(args)
    # only what reprints read: the paragraphs and their spans are most of a large table
    df = df[[c for c in ("id", "date", "text") if c in df.columns]]
    found = article_reprints(df, threshold=args.threshold)
    print(found.summary(), file=sys.stderr)
    if args.pairs:
        _output(args, found.pairs)
        return 0
    table = found.clusters

    def payload() -> dict:
        records = table.to_dict("records")
        return {"clusters": records, "articles": len(df), "reprints": found.n_reprints}

    def text() -> None:
        for row in table.itertuples(index=False):
            share = f"{row.size} articles, {row.shared:.0%} shared"
            print(f"{row.cluster}. {share}: {_text(row.first_words)}")
            print("    " + " ".join(map(str, row.members)))

    _output(args, table, payload=payload, text=text)
    return 0
