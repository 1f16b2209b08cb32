"""Regenerate every output of the project from the raw inputs (``make figures``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from analysis.config import FIGURES_DIR
from analysis.corpus import load_articles

__all__ = ["build_figures"]

TABLE_FIELDS = [
    "id",
    "source",
    "title",
    "kicker",
    "subtitle",
    "column",
    "authors",
    "kind",
    "dateline",
    "sections",
    "n_paragraphs",
    "n_chars",
]


def build_figures(
    paths: Iterable[str | Path] | None = None, *, out: str | Path = FIGURES_DIR
) -> list[Path]:
    """Write every table and figure to ``out`` and return the paths written.

    Outputs are deterministic: the same inputs give byte-identical files.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    df = load_articles(paths)
    table = df[TABLE_FIELDS].copy()
    table["source"] = [Path(s).name for s in table["source"]]
    for name in ("authors", "sections"):
        table[name] = ["、".join(v) for v in table[name]]
    csv_path = out / "articles.csv"
    table.to_csv(csv_path, index=False, lineterminator="\n")
    json_path = out / "articles.json"
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    json_path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [csv_path, json_path]
