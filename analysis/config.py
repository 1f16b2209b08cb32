"""Project paths and defaults, in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "CORPORA_DIR",
    "FIGURES_DIR",
    "PROJECT_ROOT",
    "RESOURCES_DIR",
    "SEEDS_DIR",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_ROOT / "seeds"
FIGURES_DIR = PROJECT_ROOT / "figures"
RESOURCES_DIR = Path(__file__).resolve().parent / "resources"
# The token cache's folder: analysis.text.cache.cache_root(), read from the environment when used.
# Third-party evaluation corpora live beside the repo, never inside it.
CORPORA_DIR = Path(
    os.environ.get("ANALYSIS_CORPORA_DIR", PROJECT_ROOT.parent / "shared" / "corpora")
)
