"""The concept commands: ``code`` (dictionaries and coding rules) and ``tone``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis.cli.common import (
    _add_command,
    _add_input_options,
    _add_output_options,
    _add_tokenizer_options,
    _int_at_least,
    _load,
    _output,
    _tokenizer,
)
from analysis.errors import OptionError

__all__ = ["add_parsers", "cmd_code", "cmd_suggest", "cmd_tone"]

VIEWS = ("articles", "summary", "groups", "periods", "cooccurrence", "kwic")
PERIOD_CHOICES = ("day", "week", "month", "quarter", "year")


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``code``, ``tone`` and ``suggest`` to ``sub``."""
    _add_code(sub, common)
    _add_tone(sub, common)
    _add_suggest(sub, common)


def _add_grouping(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--group-by", metavar="COLUMN", help="compare groups of this column (label, paper …)"
    )
    parser.add_argument(
        "--period",
        choices=PERIOD_CHOICES,
        help="the period for --view periods (default: chosen from the dates' span)",
    )
    parser.add_argument("--date-column", metavar="NAME", help="the column of dates (default: date)")


def _add_code(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    code = _add_command(
        sub,
        common,
        "code",
        help="count dictionary codes / coding rules in every article, by group, by period",
        description=(
            "Code every article with a dictionary or KH Coder-style coding rules "
            "(docs/coding.md): YAML (nested codes, words and glob patterns such as 工资*), a "
            "word list, or rules with | & ! ( ) near(a-b) seq(a-b) <>column-->value. "
            "Entries match whole words, never inside a longer word."
        ),
        epilog=(
            "views: articles (id, title, one count per code; default), summary (per code), "
            "groups (codes x groups with chi2 and adjusted residuals; default with "
            "--group-by), periods (share per period with 95%% intervals), cooccurrence "
            "(Jaccard), kwic (the lines of --code NAME)."
        ),
    )
    _add_input_options(code)
    _add_tokenizer_options(code)
    code.add_argument(
        "--rules",
        required=True,
        action="append",
        type=Path,
        metavar="FILE",
        help="dictionary (.yml/.yaml/.json), word list or coding-rule file (repeatable)",
    )
    code.add_argument("--view", choices=VIEWS, help="what to show (see below)")
    code.add_argument("--code", metavar="NAME", help="the code whose lines --view kwic shows")
    code.add_argument(
        "--window", type=_int_at_least(1), default=15, help="characters of context for kwic"
    )
    _add_grouping(code)
    _add_output_options(code)
    code.set_defaults(func=cmd_code)


def _add_tone(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    tone = _add_command(
        sub,
        common,
        "tone",
        help="tone of every article (> 0 positive, < 0 negative), by group and period",
        description=(
            "One tone per article from a sentiment dictionary with negation (不, 没有, 并非 …) "
            "and degree words (很, 极其, 稍 …), with the words that drove it."
        ),
    )
    _add_input_options(tone)
    _add_tokenizer_options(tone)
    tone.add_argument(
        "--dict",
        dest="tone_dict",
        metavar="NAME|FILE",
        default="basic",  # analysis.methods.tone.NEWS_DICTIONARY (not imported at start-up)
        help="a bundled sentiment dictionary (basic: general sentiment words, the default; "
        "reviews or default: weights learnt from product reviews) or your own file "
        "(see docs/coding.md)",
    )
    tone.add_argument(
        "--view",
        choices=("articles", "groups", "periods"),
        help="per article (default), per group (default with --group-by) or per period",
    )
    _add_grouping(tone)
    _add_output_options(tone)
    tone.set_defaults(func=cmd_tone)


def _add_suggest(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    suggest = _add_command(
        sub,
        common,
        "suggest",
        help="words the corpus uses like a dictionary's entries, to add to it",
        description=(
            "Suggest words to add to a dictionary: words used in the same contexts as the "
            "seed words (co-occurrence vectors learnt from this corpus; see "
            "analysis.methods.expansion). Read them in context (kwic) before adding any."
        ),
    )
    _add_input_options(suggest)
    _add_tokenizer_options(suggest)
    seeds = suggest.add_mutually_exclusive_group(required=True)
    seeds.add_argument("--seeds", nargs="+", metavar="WORD", help="seed words or globs (工资*)")
    seeds.add_argument(
        "--rules", type=Path, metavar="FILE", help="take the seeds from this dictionary or rules"
    )
    suggest.add_argument(
        "--code", metavar="NAME", help="with --rules: only this code's entries (default: all)"
    )
    suggest.add_argument(
        "--top", type=_int_at_least(1), default=20, metavar="N", help="words to suggest"
    )
    suggest.add_argument(
        "--min-count",
        type=_int_at_least(1),
        default=3,
        metavar="N",
        help="only words seen at least N times (default 3)",
    )
    _add_output_options(suggest)
    suggest.set_defaults(func=cmd_suggest)


def _corpus(args: argparse.Namespace, df: pd.DataFrame):
    from analysis.representations.analysed import AnalysedCorpus

    return AnalysedCorpus(df, tokenizer=_tokenizer(args), date_column=args.date_column)


def _view(args: argparse.Namespace) -> str:
    if args.view:
        return args.view
    return "groups" if args.group_by else "articles"


def _groups(args: argparse.Namespace, corpus, view: str) -> pd.Series:
    if view == "groups":
        if not args.group_by:
            raise OptionError(f"{args.command} --view groups: name the column with --group-by")
        return corpus.groups(args.group_by)
    return corpus.periods(args.period)


def _say_left_out(groups: pd.Series, why: str) -> None:
    missing = int(groups.isna().sum())
    if missing:
        print(f"{missing} article(s) {why} left out of the table", file=sys.stderr)


def cmd_code(args: argparse.Namespace) -> int:
    """Code the articles with the rules, and show one view of the coding."""
    from analysis.methods import code_tables
    from analysis.methods.codebook import merge, read_codebook
    from analysis.methods.coding import code_articles

    book = merge(read_codebook(path) for path in args.rules)
    view = _view(args)
    if view == "kwic" and args.code not in book.codes:
        given = f"--code {args.code!r} is not a code" if args.code else "name a code with --code"
        raise OptionError(f"code --view kwic: {given}; codes: {', '.join(book.names)}")
    df = _load(args)
    corpus = _corpus(args, df)
    coded = code_articles(corpus, book)
    print(f"coded {len(df)} article(s) with {len(book)} code(s)", file=sys.stderr)
    if view == "articles":
        table = coded.counts.copy()
        table.insert(1, "title", df["title"].to_numpy())
    elif view == "summary":
        table = code_tables.code_summary(coded)
    elif view == "cooccurrence":
        table = code_tables.code_cooccurrence(coded).reset_index(names="code")
    elif view == "kwic":
        table = code_tables.code_kwic(coded, args.code, window=args.window)
    elif view == "groups":
        groups = _groups(args, corpus, view)
        _say_left_out(groups, f"without a {args.group_by!r} value")
        table = code_tables.code_crosstab(coded, groups)
    else:
        periods = _groups(args, corpus, view)
        _say_left_out(periods, "without a date")
        table = code_tables.code_trend(coded, periods)
    _output(args, table)
    return 0


def cmd_tone(args: argparse.Namespace) -> int:
    """Tone per article, or its mean per group or period."""
    from analysis.methods.code_tables import tone_by
    from analysis.methods.tone import score_articles

    df = _load(args)
    corpus = _corpus(args, df)
    scores = score_articles(df, dictionary=args.tone_dict)
    view = _view(args)
    if view == "articles":
        table = scores.drop(columns="id")
        table.insert(0, "title", df["title"].to_numpy())
        table.insert(0, "id", df["id"].to_numpy())
    else:
        table = tone_by(scores, _groups(args, corpus, view))
        if view == "periods":
            table = table.rename(columns={"group": "period"})
    _output(args, table)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """Words close to the seeds, learnt from the corpus."""
    import warnings

    from analysis.methods.codebook import read_codebook
    from analysis.methods.expansion import suggest_for_corpus
    from analysis.representations.analysed import AnalysedCorpus

    seeds = args.seeds
    if args.rules is not None:
        book = read_codebook(args.rules)
        if args.code is not None and args.code not in book.codes:
            raise OptionError(f"suggest --code {args.code!r}: codes: {', '.join(book.names)}")
        seeds = sorted(book.entries([args.code] if args.code else None))
    df = _load(args)
    corpus = AnalysedCorpus(df, tokenizer=_tokenizer(args))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = suggest_for_corpus(corpus, seeds, top=args.top, min_count=args.min_count)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    _output(args, table)
    return 0
