"""Every figure and table of a corpus, without the notebooks (``python -m analysis figures``).

A thin entry point to :func:`analysis.output.report.build_report` for callers that want the
charts and tables only; ``make figures`` runs the full report (notebooks included).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.config import FIGURES_DIR
from analysis.output.report import PARAMETERS, ReportOptions, SkippedChartWarning, build_report
from analysis.representations.analysed import AnalysedCorpus

__all__ = ["PARAMETERS", "SkippedChartWarning", "article_labels", "build_figures"]


def article_labels(articles: pd.DataFrame, width: int = 14) -> list[str]:
    """Short, numbered labels for charts: '1 解难题补短板,建好…' (see
    :meth:`analysis.representations.analysed.AnalysedCorpus.labels` for the fallbacks)."""
    return AnalysedCorpus(articles).labels(width)


def build_figures(
    paths: Iterable[str | Path] | str | Path | None = None,
    *,
    out: str | Path = FIGURES_DIR,
    text_column: str | None = None,
    txt_mode: str = "page",
    **options,
) -> list[Path]:
    """Write every table and figure of ``paths`` (default ``seeds/``) to ``out``; return
    the paths written. ``options`` are those of :class:`analysis.output.report.ReportOptions`."""
    if isinstance(paths, str | Path):
        paths = [paths]
    report_options = ReportOptions(
        paths=[str(p) for p in paths] if paths else None,
        text_column=text_column,
        txt_mode=txt_mode,
        **options,
    )
    return build_report(report_options, out=out, notebooks=False)
