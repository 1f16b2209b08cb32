"""Trends drawn: term frequencies and theme shares per period, rising and falling terms
(:mod:`analysis.methods.trends` computes them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from analysis.errors import NotEnoughDataError
from analysis.methods.themes import OTHER
from analysis.output.plots import THEME_SHARE_LABEL, _axes, _checked, series_styles

__all__ = ["rising_plot", "theme_trend_plot", "trend_plot"]


_RISING_COLOR = "#2f5d8a"


_FALLING_COLOR = "#b5523b"


_EMPTY_COLOR = "0.93"


def _period_axis(ax: Axes, periods: Sequence[str], empty: Sequence[bool]) -> list[Patch]:
    """Period names as x tick labels (thinned to about 12), empty periods shaded; the
    legend handle for the shading, if any."""
    x = np.arange(len(periods))
    step = max(1, int(np.ceil(len(periods) / 12)))
    ax.set_xticks(x[::step], list(periods)[::step], rotation=45 if len(periods) > 6 else 0)
    if len(periods) > 6:
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.set_xlim(-0.5, len(periods) - 0.5)
    for i in np.flatnonzero(np.asarray(empty, dtype=bool)):
        ax.axvspan(i - 0.5, i + 0.5, color=_EMPTY_COLOR, zorder=0, linewidth=0)
    return [Patch(color=_EMPTY_COLOR, label="无文章的时段")] if any(empty) else []


def trend_plot(freqs: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Lines of each term's frequency per 10,000 tokens over the periods of a
    :func:`term_frequencies` table; periods without articles shaded."""
    ax = _axes(ax, (7, 4))
    periods = list(dict.fromkeys(freqs["period"]))
    terms = list(dict.fromkeys(freqs["term"]))
    if not terms:
        raise NotEnoughDataError("nothing to draw: the frequency table has no terms")
    ylabel = "每万词出现次数"
    _checked(terms, periods, title or "", ylabel, "无文章的时段")
    table = freqs.pivot(index="period", columns="term", values="per_10k")
    table = table.reindex(index=periods, columns=terms)
    tokens = freqs.drop_duplicates("period").set_index("period")["tokens"].reindex(periods)
    x = np.arange(len(periods))
    for term, style in zip(terms, series_styles(len(terms)), strict=True):
        ax.plot(x, table[term].to_numpy(dtype=float), markersize=3, label=term, **style)
    shading = _period_axis(ax, periods, (tokens == 0).tolist())
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + shading, frameon=False, fontsize=8, loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def theme_trend_plot(
    prevalence: pd.DataFrame,
    names: Mapping[object, str],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Stacked areas of theme shares over the periods of a :func:`theme_prevalence`
    table (each period's share of its articles' text); ``names`` are the themes' chart
    names (``Themes.names()``). Every theme has its own colour, or colour and hatch
    (:func:`~analysis.output.plots.series_styles`); the unexplained share ("other") is
    grey; periods without articles are left blank and shaded."""

    ax = _axes(ax, (8, 4.5))
    periods = [str(p) for p in prevalence.index]
    columns = list(prevalence.columns)
    labels = [names.get(c, str(c)) for c in columns]
    ylabel = THEME_SHARE_LABEL
    _checked(labels, periods, title or "", ylabel, "无文章的时段")
    values = prevalence.to_numpy(dtype=float)
    empty = np.isnan(values).all(axis=1)
    styles = iter(series_styles(sum(c != OTHER for c in columns), kind="area"))
    looks = [{"color": "0.75", "hatch": ""} if c == OTHER else next(styles) for c in columns]
    x = np.arange(len(periods))
    areas = ax.stackplot(
        x, values.T, labels=labels, colors=[look["color"] for look in looks], alpha=0.9
    )
    for area, look in zip(areas, looks, strict=True):
        area.set_hatch(look["hatch"])
        area.set_edgecolor("white" if look["hatch"] else "none")
    shading = _period_axis(ax, periods, empty.tolist())
    ax.set_ylim(0, 1)
    ax.set_ylabel(ylabel)
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=handles[::-1] + shading,
        frameon=False,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
    )
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def rising_plot(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Diverging bars of log2 ratio (later ÷ earlier) for the terms of a
    :func:`rising_terms` table: rising terms to the right, falling to the left."""
    ax = _axes(ax, (6, max(2.5, 0.28 * len(table) + 1)))
    if table.empty:
        raise NotEnoughDataError(
            "nothing to draw: no term rose or fell significantly (G² ≥ 10.83, at least "
            "twice as frequent); try a larger corpus or a lower min_count"
        )
    rows = table.sort_values(["log_ratio", "term"], kind="mergesort")
    legend = {"rising": "上升(后期更常用)", "falling": "下降(前期更常用)"}
    xlabel = "log2 比值(后期 ÷ 前期)"
    _checked(rows["term"], legend.values(), xlabel, title or "")
    colors = np.where(rows["direction"] == "rising", _RISING_COLOR, _FALLING_COLOR)
    ax.barh(rows["term"], rows["log_ratio"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    shown = [d for d in legend if (rows["direction"] == d).any()]
    ax.legend(
        handles=[
            Patch(color=_RISING_COLOR if d == "rising" else _FALLING_COLOR, label=legend[d])
            for d in shown
        ],
        frameon=False,
        fontsize=8,
    )
    if title:
        ax.set_title(title, fontsize=10)
    return ax
