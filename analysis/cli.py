"""Command-line interface: ``python -m analysis <command> --help``."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from analysis.config import FIGURES_DIR, SEEDS_DIR
from analysis.textio import InputError

__all__ = ["main"]

EXIT_INPUT_ERROR = 2

PUBLIC_FIELDS = [
    "id",
    "source",
    "order",
    "title",
    "kicker",
    "subtitle",
    "column",
    "authors",
    "contributors",
    "kind",
    "dateline",
    "date_line",
    "author_unit",
    "continuation",
    "sections",
    "paragraphs",
    "n_paragraphs",
    "n_chars",
    "start",
    "end",
    "encoding",
    "label",
    "date",
]


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"page .txt files, .csv/.tsv/.jsonl tables or folders (default: {SEEDS_DIR.name}/)",
    )
    parser.add_argument(
        "--text-column",
        metavar="NAME",
        help="text column of .csv/.tsv/.jsonl input (default: text, content, 正文 or 内容)",
    )
    parser.add_argument(
        "--txt-mode",
        choices=["page", "article"],
        default="page",
        help="treat each .txt as a newspaper page to split (default) or as one article",
    )


def _load(args: argparse.Namespace) -> pd.DataFrame:
    from analysis.corpus import LoadReport, load_articles

    df = load_articles(args.paths or None, text_column=args.text_column, txt_mode=args.txt_mode)
    print(LoadReport(**df.attrs["report"]).summary(), file=sys.stderr)
    return df


def _records(df: pd.DataFrame, fields: Sequence[str]) -> list[dict]:
    out = []
    for record in df[list(fields)].to_dict("records"):
        out.append({k: (None if _is_missing(v) else v) for k, v in record.items()})
    return out


def _is_missing(value: object) -> bool:
    return not isinstance(value, list | dict | str) and pd.isna(value)


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write("\n")


def _json_default(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def cmd_articles(args: argparse.Namespace) -> int:
    """Split pages into articles and print them."""
    if args.explain:
        from analysis.corpus import explain_pages

        table = explain_pages(args.paths or None)
        if args.json:
            _print_json(_records(table, table.columns))
        else:
            for row in table.itertuples(index=False):
                text = row.text if len(row.text) <= 40 else row.text[:39] + "…"
                print(
                    f"{Path(row.source).name}:{row.line:<4} {row.label:<12} "
                    f"{row.article or '-':<28} {text}  [{row.rule}]"
                )
        return 0
    df = _load(args)
    if args.json:
        _print_json(_records(df, PUBLIC_FIELDS))
    elif args.csv:
        flat = df[PUBLIC_FIELDS].copy()
        for name in ("authors", "contributors", "continuation", "sections", "paragraphs"):
            flat[name] = [json.dumps(v, ensure_ascii=False) for v in flat[name]]
        flat.to_csv(sys.stdout, index=False)
    else:
        for row in df.itertuples(index=False):
            authors = "、".join(row.authors) or "-"
            print(
                f"{row.id:<28} {row.kind:<8} {row.n_paragraphs:>3} para "
                f"{row.n_chars:>5} chars  {row.title}  ({authors})"
            )
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """Regenerate the figures and tables in the output folder."""
    from analysis.figures import build_figures

    written = build_figures(args.paths or None, out=args.out)
    for path in written:
        print(path)
    return 0


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=(
            "Chinese newspaper text analytics: split raw pages into articles, then keywords, "
            "themes and charts. Every command reads seeds/ unless given paths."
        ),
        epilog="Run 'python -m analysis COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    articles = sub.add_parser(
        "articles",
        help="split pages into articles (title, kicker, authors, body …)",
        description=(
            "Split raw newspaper pages into articles and print one line per article, "
            "or the full records as JSON or CSV."
        ),
    )
    _add_input_options(articles)
    fmt = articles.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON array of articles")
    fmt.add_argument("--csv", action="store_true", help="print CSV (list fields as JSON)")
    articles.add_argument(
        "--explain",
        action="store_true",
        help="show how every line of each page was classified and by which rule",
    )
    articles.set_defaults(func=cmd_articles)

    figures = sub.add_parser(
        "figures",
        help="regenerate every figure and table from seeds/",
        description="Regenerate every figure and table and print the paths written.",
    )
    _add_input_options(figures)
    figures.add_argument(
        "--out", type=Path, default=FIGURES_DIR, help=f"output folder (default: {FIGURES_DIR})"
    )
    figures.set_defaults(func=cmd_figures)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = _show_warning
        try:
            return func(args)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INPUT_ERROR
        except BrokenPipeError:
            return 0
