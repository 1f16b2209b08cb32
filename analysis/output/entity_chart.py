"""People, places and organisations drawn (:func:`analysis.methods.entities.top_entities`
makes the table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.entities import KIND_LABELS, KINDS
from analysis.output.plots import _axes, _checked

__all__ = ["entity_chart"]


def entity_chart(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    k: int = 10,
) -> Axes:
    """Horizontal bars of the top ``k`` people, places and organisations of one article,
    group or corpus (rows of :func:`top_entities` for one unit, e.g. ``by="corpus"``),
    one block per kind, coloured by kind.

    A table without rows raises :class:`~analysis.errors.NotEnoughDataError`; rows of
    several articles or groups raise :class:`~analysis.errors.OptionError`.
    """

    if table.empty:
        raise NotEnoughDataError(
            "no person, place or organisation to chart: none was found at least twice in "
            "this input; check entity_terms(min_count=1) or chart keywords instead"
        )
    unit = "id" if "id" in table.columns else "group"
    units = list(dict.fromkeys(table[unit]))
    if len(units) > 1:
        raise OptionError(
            f"the table holds {len(units)} {'articles' if unit == 'id' else 'groups'}; chart "
            f"one at a time: table[table[{unit!r}] == {units[0]!r}]"
        )
    blocks = [
        (name, table[(table["kind"] == name) & (table["rank"] <= k)].sort_values("rank"))
        for name in KINDS
    ]
    blocks = [(name, rows) for name, rows in blocks if not rows.empty]
    xlabel = "次数"
    _checked(*(rows["term"] for _, rows in blocks), title or "", xlabel, *KIND_LABELS.values())
    height = 0.6 + 0.28 * sum(len(rows) for _, rows in blocks) + 0.3 * len(blocks)
    ax = _axes(ax, (6, height))
    y = 0.0
    ticks: list[float] = []
    labels: list[str] = []
    for name, rows in blocks:
        positions = y - np.arange(len(rows))
        bars = ax.barh(positions, rows["n"], color=_KIND_COLOURS[name], label=KIND_LABELS[name])
        ax.bar_label(bars, padding=2, fontsize=7)
        ticks += positions.tolist()
        labels += rows["term"].tolist()
        y = positions[-1] - 1.5
    ax.set_yticks(ticks, labels)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


_KIND_COLOURS = {"person": "#2f5d8a", "place": "#4f8f5a", "organisation": "#b5523b"}
