"""Charts of codes, tone and topics (tables of :mod:`analysis.methods.code_tables` and
:mod:`analysis.methods.topics`).

Each function takes ``ax=None``, draws on it (or on a new figure) and returns the Axes,
as in :mod:`analysis.output.plots`; every label is checked against the Chinese font.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.output.plots import _axes, _checked

__all__ = [
    "code_cooccurrence_plot",
    "code_groups_plot",
    "code_shares_plot",
    "code_trend_plot",
    "tone_by_plot",
    "tone_plot",
    "topic_trend_plot",
    "topics_plot",
]

_BLUE, _RED, _GREY = "#2f5d8a", "#b2473e", "#9a9a9a"


def code_shares_plot(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bars: the share of articles carrying each code (a ``code_summary`` table)."""
    ax = _axes(ax, (6, 0.8 + 0.35 * max(len(summary), 1)))
    codes = summary["code"].astype(str).tolist()
    _checked(codes, "带有该编码的文章比例")
    positions = np.arange(len(codes))[::-1]
    ax.barh(positions, summary["share"], color=_BLUE)
    for y, share, n in zip(positions, summary["share"], summary["articles"], strict=True):
        ax.text(share, y, f" {share:.0%} ({n})", va="center", fontsize=8)
    ax.set_yticks(positions, codes)
    ax.set_xlim(0, min(1.0, max(float(summary["share"].max()) * 1.25, 0.1)))
    ax.set_xlabel("带有该编码的文章比例")
    return ax


def code_groups_plot(crosstab: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Heatmap codes × groups of the share of articles carrying the code (a
    ``code_crosstab`` table); a cell whose adjusted residual is beyond ±1.96 is marked
    ▲ (more than expected) or ▼ (less)."""
    shares = crosstab.pivot(index="code", columns="group", values="share")
    residuals = crosstab.pivot(index="code", columns="group", values="residual")
    order = list(dict.fromkeys(crosstab["code"]))
    shares, residuals = shares.loc[order], residuals.loc[order]
    ax = _axes(ax, (1.5 + 0.9 * shares.shape[1], 1.0 + 0.45 * shares.shape[0]))
    groups = [str(g) for g in shares.columns]
    _checked(order, groups, "文章比例▲▼", _RESIDUAL_NOTE)
    image = ax.imshow(shares.to_numpy(dtype=float), cmap="Blues", vmin=0, aspect="auto")
    ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
    ax.set_yticks(range(len(order)), order)
    for i, j in np.ndindex(shares.shape):
        value, residual = shares.iat[i, j], residuals.iat[i, j]
        mark = "▲" if residual > 1.96 else "▼" if residual < -1.96 else ""
        ax.text(
            j,
            i,
            f"{value:.0%}{mark}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if value > 0.6 * np.nanmax(shares.to_numpy(dtype=float)) else "black",
        )
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="文章比例")
    ax.set_title(_RESIDUAL_NOTE, fontsize=8, loc="left")
    return ax


_RESIDUAL_NOTE = "▲/▼：该组带有该编码的文章显著多于/少于其他组（调整残差超过 ±1.96）"


def code_cooccurrence_plot(jaccard: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Heatmap of the codes' Jaccard co-occurrence over articles (diagonal left blank)."""
    n = len(jaccard)
    ax = _axes(ax, (1.8 + 0.55 * n, 1.2 + 0.5 * n))
    codes = [str(c) for c in jaccard.index]
    _checked(codes, "共现 Jaccard 系数")
    values = jaccard.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, np.nan)
    image = ax.imshow(
        values, cmap="Purples", vmin=0, vmax=max(np.nanmax(values), 0.01) if n > 1 else 1
    )
    ax.set_xticks(range(n), codes, rotation=45, ha="right")
    ax.set_yticks(range(n), codes)
    top = np.nanmax(values) if n > 1 else 1.0
    for i, j in np.ndindex(values.shape):
        if i != j:
            color = "white" if values[i, j] > 0.55 * top else "black"
            ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=7, color=color)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="共现 Jaccard 系数")
    return ax


def code_trend_plot(trend: pd.DataFrame, *, ax: Axes | None = None, top: int = 6) -> Axes:
    """Lines: each code's share of the period's articles with its 95 % interval (a
    ``code_trend`` table); the ``top`` codes by articles carrying them."""
    ax = _axes(ax, (8, 4))
    totals = trend.groupby("code", sort=False)["coded"].sum().sort_values(ascending=False)
    codes = [str(c) for c in totals.index[:top]]
    periods = sorted(trend["period"].astype(str).unique())
    _checked(codes, periods, "文章比例")
    x = np.arange(len(periods))
    for code in codes:
        part = trend[trend["code"] == code].set_index("period").reindex(periods)
        line = ax.plot(x, part["share"], marker="o", markersize=3, label=code)[0]
        ax.fill_between(x, part["low"], part["high"], color=line.get_color(), alpha=0.15, lw=0)
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step], periods[::step], rotation=30, ha="right")
    ax.set_ylabel("文章比例")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, ncols=2)
    if len(totals) > len(codes):
        note = f"文章最多的 {len(codes)} 个编码（共 {len(totals)} 个，全部见表 code_trends）"
        _checked(note)
        ax.set_title(note, fontsize=8, loc="left")
    return ax


def tone_plot(
    tone: pd.DataFrame, *, labels: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """One bar per article (with ``labels``), else the distribution of the articles' tone."""
    values = tone["tone"].to_numpy(dtype=float)
    if labels is not None:
        labels = [str(label) for label in labels]
        ax = _axes(ax, (7, 0.8 + 0.35 * max(len(labels), 1)))
        _checked(labels, "语气（正为积极，负为消极）")
        positions = np.arange(len(labels))[::-1]
        colors = [_BLUE if v > 0 else _RED if v < 0 else _GREY for v in values]
        ax.barh(positions, values, color=colors)
        ax.set_yticks(positions, labels)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel("语气（正为积极，负为消极）")
        return ax
    ax = _axes(ax, (6, 3.5))
    _checked("语气（正为积极，负为消极）文章数")
    ax.hist(values, bins=30, color=_BLUE)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("语气（正为积极，负为消极）")
    ax.set_ylabel("文章数")
    return ax


def tone_by_plot(table: pd.DataFrame, *, ax: Axes | None = None, key: str = "group") -> Axes:
    """Mean tone per group or period with its 95 % interval (a ``tone_by`` table)."""
    names = table[key].astype(str).tolist()
    ax = _axes(ax, (7, 4) if key == "period" else (6, 0.8 + 0.4 * max(len(names), 1)))
    _checked(names, "平均语气（95% 置信区间）")
    means = table["tone"].to_numpy(dtype=float)
    low = np.nan_to_num(means - table["low"].to_numpy(dtype=float))
    high = np.nan_to_num(table["high"].to_numpy(dtype=float) - means)
    # the axis spans the means and a typical interval; the intervals of very small
    # groups (two articles) run off it rather than flatten every other point
    typical = float(np.median(np.r_[low, high])) if len(means) else 0.0
    span = (means.min() - typical - 0.1, means.max() + typical + 0.1) if len(means) else (-1, 1)
    if key == "period":
        x = np.arange(len(names))
        ax.errorbar(x, means, yerr=[low, high], fmt="o-", color=_BLUE, ms=3, capsize=2)
        step = max(1, len(names) // 12)
        ax.set_xticks(x[::step], names[::step], rotation=30, ha="right")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_ylim(min(span[0], -0.1), max(span[1], 0.1))
        ax.set_ylabel("平均语气（95% 置信区间）")
        return ax
    y = np.arange(len(names))[::-1]
    ax.errorbar(means, y, xerr=[low, high], fmt="o", color=_BLUE, capsize=3)
    ax.set_yticks(y, names)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlim(min(span[0], -0.1), max(span[1], 0.1))
    ax.set_xlabel("平均语气（95% 置信区间）")
    return ax


def topics_plot(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bars: each topic's mean share of the articles, labelled with its top words and its
    coherence (a ``Topics.table()``)."""
    ax = _axes(ax, (8, 0.8 + 0.42 * max(len(table), 1)))
    labels = [
        f"{t} {' '.join(terms[:5])}  (NPMI {n:+.2f})"
        for t, terms, n in zip(table["topic"], table["terms"], table["npmi"], strict=True)
    ]
    _checked(labels, "文章中的平均占比")
    positions = np.arange(len(labels))[::-1]
    ax.barh(positions, table["share"], color=_BLUE)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlabel("文章中的平均占比")
    return ax


def topic_trend_plot(trend: pd.DataFrame, *, ax: Axes | None = None, top: int = 6) -> Axes:
    """Lines: the share of each of the ``top`` largest topics per period with its 95 %
    interval (a ``topic_prevalence`` table by period)."""
    ax = _axes(ax, (8, 4))
    periods = sorted(trend["group"].astype(str).unique())
    largest = trend.groupby("topic")["share"].mean().sort_values(ascending=False).index[:top]
    _checked(periods, "主题占比")
    x = np.arange(len(periods))
    for topic in sorted(largest):
        part = trend[trend["topic"] == topic].set_index("group").reindex(periods)
        line = ax.plot(x, part["share"], marker="o", markersize=3, label=f"主题 {topic}")[0]
        low, high = part["low"].fillna(part["share"]), part["high"].fillna(part["share"])
        ax.fill_between(x, low, high, color=line.get_color(), alpha=0.15, lw=0)
    step = max(1, len(periods) // 12)
    ax.set_xticks(x[::step], periods[::step], rotation=30, ha="right")
    ax.set_ylabel("主题占比")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, ncols=2)
    return ax
