"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.config import CORPORA_DIR


def corpus_or_skip(name: str) -> Path | None:
    """The corpus folder under ../shared/corpora, or None after printing a skip note."""
    path = CORPORA_DIR / name
    if not path.is_dir():
        print(f"skipped: {path} not present", file=sys.stderr)
        return None
    return path
