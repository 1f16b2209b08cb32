"""Shared fixtures: the seed page, hand-written page fixtures, optional external corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import CORPORA_DIR, SEEDS_DIR

FIXTURES = Path(__file__).parent / "fixtures"
SEED = SEEDS_DIR / "000_45a9ae6123a7d26b.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def corpus_dir(name: str) -> Path:
    """Path of an external corpus under ../shared/corpora; skip the test when absent."""
    path = CORPORA_DIR / name
    if not path.is_dir():
        pytest.skip(f"external corpus {name} not present at {path}")
    return path
