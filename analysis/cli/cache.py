"""The ``cache`` command: show the size of the token cache, or clear it."""

from __future__ import annotations

import argparse
import sys

from analysis.cli.common import EXIT_INPUT_ERROR, _add_command

__all__ = ["add_parsers", "cmd_cache"]


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``cache`` command to ``sub``."""
    cache = _add_command(
        sub,
        common,
        "cache",
        help="show the size of the token cache, or clear it",
        description="The token cache lives in $ANALYSIS_CACHE_DIR (default .cache/).",
    )
    cache.add_argument("--clear", action="store_true", help="remove every cached token list")
    cache.set_defaults(func=cmd_cache)


def cmd_cache(args: argparse.Namespace) -> int:
    """Show or clear the token cache."""
    from analysis.text.cache import TokenCache, cache_root

    cache = TokenCache("-")
    if args.clear:
        report = cache.clear()
        print(f"{cache_root()}: removed {report.removed_files} file(s), "
              f"{report.removed_bytes / 1e6:.1f} MB")  # fmt: skip
        for path, reason in report.failed:
            print(f"error: could not remove {path}: {reason}", file=sys.stderr)
        return 0 if report.ok else EXIT_INPUT_ERROR
    else:
        size, cap = cache.size_bytes() / 1e6, cache.max_bytes / 1e6
        print(f"{cache_root()}: {size:.1f} MB (cap {cap:.0f} MB)")
    return 0
