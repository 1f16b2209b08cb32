"""Command-line interface: ``python -m analysis <command> --help``.

Each command family builds its own sub-parser in a module of this package (``articles``,
``words``, ``codes``, ``themes``, ``report``, ``cache``) on the shared pieces in ``common``; this
module assembles them and holds the error policy: what a failure prints and its exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis import __version__
from analysis.cli import articles, cache, codes, report, reprints, themes, words
from analysis.cli.articles import cmd_articles
from analysis.cli.cache import cmd_cache
from analysis.cli.codes import cmd_code, cmd_suggest, cmd_tone
from analysis.cli.common import (
    EXIT_BUG,
    EXIT_INPUT_ERROR,
    EXIT_INTERRUPTED,
    PUBLIC_FIELDS,
    _common_options,
    _Parser,
    _show_warning,
)
from analysis.cli.report import _report_name, cmd_notebooks, cmd_report
from analysis.cli.reprints import cmd_reprints
from analysis.cli.themes import cmd_clusters, cmd_themes, cmd_topics
from analysis.cli.words import cmd_keyness, cmd_keywords, cmd_kwic, cmd_terms, cmd_tokens
from analysis.config import SEEDS_DIR
from analysis.errors import AnalysisError, InputError

# the cmd_* functions, the exit statuses, PUBLIC_FIELDS and _report_name are named here
# too, where they were before the commands moved to their own modules
__all__ = [
    "EXIT_BUG",
    "EXIT_INPUT_ERROR",
    "EXIT_INTERRUPTED",
    "PUBLIC_FIELDS",
    "_report_name",
    "build_parser",
    "cmd_articles",
    "cmd_cache",
    "cmd_clusters",
    "cmd_code",
    "cmd_keyness",
    "cmd_keywords",
    "cmd_kwic",
    "cmd_notebooks",
    "cmd_report",
    "cmd_reprints",
    "cmd_suggest",
    "cmd_terms",
    "cmd_themes",
    "cmd_tokens",
    "cmd_tone",
    "cmd_topics",
    "entry_point",
    "main",
]

#: the command families in the order the top-level help lists their commands
_FAMILIES = (cache, articles, reprints, words, codes, themes, report)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, each with its ``func`` to run."""
    common = _common_options()
    parser = _Parser(
        prog="python -m analysis",
        parents=[common],
        description=(
            "Chinese newspaper text analytics: split raw pages into articles, then keywords, "
            "themes and charts. Every command reads seeds/ in the current folder unless "
            "given paths."
        ),
        epilog="Run 'python -m analysis COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for family in _FAMILIES:
        family.add_parsers(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Expected failures print one line and exit 2; a bug prints one line
    and exits 1 unless ``--debug`` (or ``ANALYSIS_DEBUG=1``) asks for the traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "no_cache", False):
        os.environ["ANALYSIS_NO_CACHE"] = "1"
    if getattr(args, "scheduler", None):
        os.environ["ANALYSIS_SCHEDULER"] = args.scheduler  # read by analysis.scale.partitions
    debug = getattr(args, "debug", False) or os.environ.get("ANALYSIS_DEBUG", "") not in ("", "0")
    func: Callable[[argparse.Namespace], int] = args.func
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        if not debug:
            # Our warnings are for the user; a library's deprecation notes (jieba's first
            # compile prints "invalid escape sequence") are not, and would bury them.
            for category in (
                DeprecationWarning,
                PendingDeprecationWarning,
                SyntaxWarning,
                ResourceWarning,  # a file left open by an interrupted library call
            ):
                warnings.filterwarnings("ignore", category=category)
        warnings.showwarning = _show_warning
        try:
            _default_paths(args)
            return func(args)
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INPUT_ERROR
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt as exc:
            notes = "".join(f" ({note})" for note in getattr(exc, "__notes__", ()))
            print(f"interrupted; nothing half-written was kept{notes}", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Exception as exc:
            if debug:
                raise
            where = _innermost_frame(exc)
            print(
                f"error: unexpected {type(exc).__name__}: {exc} ({where}); this is a bug in "
                "analysis: rerun with --debug for the traceback and report it",
                file=sys.stderr,
            )
            return EXIT_BUG


def entry_point() -> None:
    """``python -m analysis`` and the ``analysis`` script: run :func:`main` and exit."""
    import signal

    from analysis.processes import on_interrupt

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_interrupt)  # not when SIGINT is ignored (nohup, &)
    code = main()
    if code == EXIT_INTERRUPTED:
        # interrupted: everything half-written was removed while the stack unwound; exit
        # now, without the interpreter's shutdown joining threads a pool left mid-write
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _innermost_frame(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "no traceback"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"


def _default_paths(args: argparse.Namespace) -> None:
    """No PATH: read ``seeds/`` in the current folder, or say to give a PATH.

    In the project checkout this is the project's seeds (the library default, kept as
    ``None``); elsewhere, e.g. after ``pip install``, nothing is guessed.
    """
    if getattr(args, "paths", None) is None or args.paths:
        return
    here = Path.cwd() / "seeds"
    if here.resolve() == SEEDS_DIR.resolve():
        return
    if here.is_dir():
        args.paths = [here]
        return
    raise InputError(
        f"no PATH given and no seeds/ folder in {Path.cwd()}: give the files or folders to "
        f"read, e.g. python -m analysis {args.command} my_pages/ (see --help)"
    )
