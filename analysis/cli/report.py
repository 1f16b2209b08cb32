"""The ``report``, ``figures`` and ``notebooks`` commands: every chart and table of a
corpus in one folder, and the executed notebooks."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from analysis.cli.common import (
    _add_command,
    _add_counting_options,
    _add_input_options,
    _add_raw_csv,
    _add_stopwords_option,
    _add_terms_option,
    _chosen_terms,
    _inputs,
    _stopwords,
)
from analysis.config import FIGURES_DIR, SEEDS_DIR
from analysis.errors import InputError

__all__ = ["_report_name", "add_parsers", "cmd_notebooks", "cmd_report"]


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``report``, ``figures`` and ``notebooks`` to ``sub``, in that order."""
    _add_report(
        sub,
        common,
        "report",
        help_="every chart, table and notebook of a corpus, in one folder",
        default=None,
    )
    _add_report(
        sub,
        common,
        "figures",
        help_="every chart and table (no notebooks), to figures/ by default",
        default=FIGURES_DIR,
    )
    notebooks = _add_command(
        sub,
        common,
        "notebooks",
        help="execute the notebooks in place and render HTML for review",
        description=(
            "Execute notebooks/NN-*.py (jupytext sources) with nbclient, write the executed "
            ".ipynb beside each, and render self-contained HTML to notebooks/html/."
        ),
    )
    notebooks.add_argument("sources", nargs="*", help="notebook sources (default: all)")
    notebooks.set_defaults(func=cmd_notebooks)


def _add_report(
    sub: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    name: str,
    *,
    help_: str,
    default: Path | None,
) -> None:
    """``report`` and ``figures`` take the same options, bar the notebooks' ones."""
    report = _add_command(
        sub,
        common,
        name,
        help=help_,
        description=(
            "Write every chart (PNG, and SVG where useful), every table (CSV and one "
            ".xlsx workbook), the executed notebooks with their HTML (report only) and "
            "manifest.json to the output folder, which is replaced only when complete. "
            "The folder must be new, empty or a previous report, and outside the inputs."
        ),
    )
    _add_input_options(report)
    report.add_argument(
        "--out",
        type=Path,
        default=default,
        help="output folder (default: "
        + (str(default) if default else "reports/<name of the first PATH>")
        + ")",
    )
    report.add_argument(
        "--group-by", metavar="COLUMN", help="compare groups: label, paper, column, kind …"
    )
    report.add_argument("--date-column", metavar="NAME", help="the column of dates (default: date)")
    report.add_argument(
        "--title-column", metavar="NAME", help="the column that names untitled articles"
    )
    report.add_argument(
        "--period",
        choices=["day", "week", "month", "quarter", "year"],
        help="period of the trends (default: the finest giving at most 60)",
    )
    _add_stopwords_option(report)
    _add_counting_options(report)
    _add_terms_option(report, "the words of the trend lines and the KWIC table")
    report.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="FILE",
        help="add the code tables and charts of this dictionary or coding-rule file "
        "(repeatable; see docs/coding.md)",
    )
    report.add_argument(
        "--tone-dict",
        metavar="NAME|FILE",
        help="the sentiment dictionary of the tone section (default: basic; see docs/coding.md)",
    )
    if name == "report":
        report.add_argument(
            "--notebooks-dir",
            type=Path,
            metavar="DIR",
            help="write the executed notebooks here (default: OUT/notebooks)",
        )
        report.add_argument("--no-notebooks", action="store_true", help="leave them out")
    report.add_argument(
        "--force",
        action="store_true",
        help="replace a previous report even if its folder holds files we did not write "
        "(they are kept as they are); a folder that is not a report is never written",
    )
    _add_raw_csv(report)
    report.set_defaults(func=cmd_report)


def _report_options(args: argparse.Namespace):
    from analysis.output.report import ReportOptions

    return ReportOptions(
        paths=[str(p) for p in args.paths] or None,
        text_column=args.text_column,
        txt_mode=args.txt_mode,
        bad_rows=args.bad_rows,
        convert=args.convert,
        group_by=args.group_by,
        date_column=args.date_column,
        title_column=args.title_column,
        period=args.period,
        rules=[str(p) for p in args.rules] if args.rules else None,
        tone_dict=args.tone_dict,
        dedupe=args.dedupe,
        stopwords=list(_stopwords(args)) or None,
        keep_boilerplate=args.keep_boilerplate,
        join_terms=not args.no_join,
        terms=_chosen_terms(args) or None,
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Write every chart and table, the executed notebooks and a manifest."""
    from analysis.files import check_output_folder
    from analysis.output.report import Report, build_report
    from analysis.reading.corpus import LoadReport

    out = args.out or Path("reports") / _report_name(args.paths)
    # before reading anything: a folder we may not write is refused at once
    check_output_folder(out, inputs=_inputs(args), force=args.force)
    report = Report(_report_options(args))
    print(LoadReport(**report.articles.attrs["report"]).summary(), file=sys.stderr)
    if args.command == "figures" or args.no_notebooks:
        notebooks: Path | bool = False
    else:
        notebooks = args.notebooks_dir or True
    written = build_report(
        report.options,
        out=out,
        notebooks=notebooks,
        report=report,
        force=args.force,
        raw_csv=args.raw_csv,
    )
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    for name, reason in manifest["skipped"].items():
        print(f"skipped {name}: {reason}", file=sys.stderr)
    print(f"wrote {len(written)} files to {out} ({len(report.corpus)} articles)")
    return 0


def _report_name(paths: list[Path]) -> str:
    """The default report folder's name: the first input's name, never ``..`` or ``.``
    (``report ..`` would otherwise write over the current folder)."""
    if not paths:
        return SEEDS_DIR.name
    first = Path(os.path.abspath(paths[0]))
    name = first.stem if first.suffix and not first.is_dir() else first.name
    from analysis.files import safe_names

    return safe_names([name], fallback="report")[0]


def cmd_notebooks(args: argparse.Namespace) -> int:
    """Execute the notebooks in place and render HTML copies."""
    from analysis.output.notebooks import NOTEBOOKS_DIR, build_notebooks

    sources = [Path(p) for p in args.sources] or None
    for source in sources or []:
        if not source.is_file():
            raise InputError(f"{source}: notebook source not found; see {NOTEBOOKS_DIR}")
    written = build_notebooks(sources)
    print(f"wrote {len(written)} files ({len(written) // 2} notebooks and their HTML)")
    return 0
