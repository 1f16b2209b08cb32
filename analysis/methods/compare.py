"""Two groups of articles compared term by term, in the manner of scattertext.

:func:`compare_groups` gives, for every term, its keyness in group ``a`` against group
``b`` (or against all other articles) from :func:`analysis.methods.keywords.keyness_table`,
plus where the term stands in each group's frequency list: scattertext (Kessler 2017)
plots a term at its *frequency percentile* in each category, the dense rank of its
count scaled to 0–1 (0: absent, 1: the most frequent), which spreads the long tail of
rare words evenly instead of piling them up at the origin as raw or log frequencies do.

Three views of the table, in :mod:`analysis.output.comparison`:

- :func:`comparison_plot`: a static scatter, percentile in ``a`` against percentile in
  ``b``, coloured by log ratio, the most key terms of each side labelled;
- :func:`comparison_html`: the same scatter as one self-contained HTML file (inline SVG
  and a little JavaScript, nothing fetched from the network) to hover, click and search;
- :func:`comparison_cloud`: a comparison word cloud of both sides' key terms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import G2_THRESHOLD, LOG_RATIO_THRESHOLD, keyness_table
from analysis.representations.analysed import AnalysedCorpus, analysed

__all__ = [
    "COLOR_A",
    "COLOR_B",
    "compare_groups",
    "frequency_percentile",
    "frequency_rank",
]

#: Colours of the two sides: red for group a (positive log ratio), blue for group b.
COLOR_A, COLOR_B = "#b40426", "#3b4cc0"
#: Most groups named in an error message that lists them.
_SHOWN_GROUPS = 20


def frequency_rank(counts: Sequence[float] | np.ndarray) -> np.ndarray:
    """Dense rank of each count, 1 for the most frequent; equal counts share a rank.

    >>> frequency_rank([0, 3, 3, 7]).tolist()
    [3, 2, 2, 1]
    """
    values = np.asarray(counts, dtype=float)
    if not values.size:
        return values
    return np.unique(-values, return_inverse=True)[1].reshape(-1).astype(np.int64) + 1


def frequency_percentile(counts: Sequence[float] | np.ndarray) -> np.ndarray:
    """scattertext's frequency percentile: the dense rank of each count (ascending)
    scaled to 0–1, so the smallest count is 0 and the largest 1. When all counts are
    equal, they are 1 (or 0 if they are all zero).

    >>> frequency_percentile([0, 1, 1, 5]).tolist()
    [0.0, 0.5, 0.5, 1.0]
    """
    values = np.asarray(counts, dtype=float)
    if not values.size:
        return values
    ranks = np.unique(values, return_inverse=True)[1].reshape(-1) + 1
    top = ranks.max()
    if top == 1:
        return np.full(values.shape, 1.0 if values[0] > 0 else 0.0)
    return (ranks - 1) / (top - 1)


def compare_groups(
    corpus: AnalysedCorpus | pd.DataFrame,
    by: str,
    a: str,
    b: str | None = None,
    *,
    min_count: int = 3,
) -> pd.DataFrame:
    """The terms of group ``a`` against group ``b`` (or against all other articles when
    ``b`` is None, including those with no value), the groups being ``corpus.groups(by)``
    (a metadata column such as ``label``, ``kind``, ``paper``, or a period such as ``month``).

    One row per term with at least ``min_count`` occurrences in the two groups together,
    sorted by signed G² (``a``'s key terms first, ``b``'s last, ties by term). Columns:

    - term, n_a, n_b, per_10k_a, per_10k_b, g2, chi2, p, log_ratio, key: as in
      :func:`analysis.methods.keywords.keyness_table` (``a`` the target, ``b`` the reference);
    - side: ``a`` when the term is key for ``a`` (``key``: G² ≥ 10.83 and log ratio ≥ 1),
      ``b`` when key for ``b`` (G² ≤ −10.83 and log ratio ≤ −1), else None. The values
      are the group names; against all others, ``b``'s name is ``非`` + ``a``;
    - rank_a, rank_b: dense rank of the count in each group among the table's terms
      (1 = most frequent);
    - percentile_a, percentile_b: :func:`frequency_percentile` of the counts in each group.

    ``table.attrs`` holds ``by``, ``a`` and ``b`` (the names used in ``side``).

    >>> from analysis import load_articles
    >>> table = compare_groups(load_articles(), "kind", "news")
    >>> table.attrs["b"], table.iloc[0][["term", "side"]].tolist()
    ('非news', ['服务', 'news'])
    """
    corpus = analysed(corpus)
    groups = corpus.groups(by)
    sizes = groups.value_counts(dropna=True)
    for name in (a, b):
        if name is not None and name not in sizes.index:
            raise OptionError(
                f"no group {name!r} in {groups.name!r}; the groups are {_list_groups(sizes)}"
            )
    if b is not None and a == b:
        raise OptionError(f"compare a group with another one: a and b are both {a!r}")
    mask_a = (groups == a).to_numpy()
    mask_b = (groups == b).to_numpy() if b is not None else ~mask_a
    name_b = b if b is not None else f"非{a}"
    counts = corpus.terms.counts
    for name, mask in ((a, mask_a), (name_b, mask_b)):
        if not mask.any():
            raise NotEnoughDataError(
                f"group {name!r} has no articles: every article is in {a!r}; "
                f"give b or an input with other {groups.name!r} values"
            )
        if not counts[np.flatnonzero(mask)].sum():
            raise NotEnoughDataError(
                f"group {name!r} has no words left after tokenizing and filtering its "
                f"{int(mask.sum())} article(s); compare groups that hold Chinese text"
            )
    table = keyness_table(corpus, mask_a, mask_b, k=None, min_count=min_count)
    table = table.rename(
        columns={
            "n_target": "n_a",
            "n_reference": "n_b",
            "per_10k_target": "per_10k_a",
            "per_10k_reference": "per_10k_b",
        }
    )
    key_b = (table["g2"] <= -G2_THRESHOLD) & (table["log_ratio"] <= -LOG_RATIO_THRESHOLD)
    table["side"] = pd.Series(
        np.where(table["key"], a, np.where(key_b, name_b, None)), dtype=object
    )
    for suffix in ("a", "b"):
        table[f"rank_{suffix}"] = frequency_rank(table[f"n_{suffix}"])
        table[f"percentile_{suffix}"] = frequency_percentile(table[f"n_{suffix}"])
    table.attrs = {"by": str(groups.name), "a": a, "b": name_b}
    return table


def _list_groups(sizes: pd.Series) -> str:
    if sizes.empty:
        return "none (the column has no values)"
    order = sorted(sizes.items(), key=lambda item: (-item[1], str(item[0])))
    shown = ", ".join(f"{name} ({n})" for name, n in order[:_SHOWN_GROUPS])
    rest = len(order) - _SHOWN_GROUPS
    return shown + (f" and {rest} more" if rest > 0 else "")


def _check_sides(table: pd.DataFrame, a: str, b: str) -> None:
    missing = {"term", "n_a", "n_b", "g2", "log_ratio", "side", "percentile_a", "percentile_b"}
    missing -= set(table.columns)
    if missing:
        raise OptionError(f"not a compare_groups table: no column(s) {', '.join(sorted(missing))}")
    if a == b:
        raise OptionError(f"a and b name the same group {a!r}; give the two groups compared")
    sides = set(table["side"].dropna())
    if sides - {a, b}:
        names = ", ".join(repr(str(name)) for name in sorted(sides, key=str))
        named = table.attrs.get("a"), table.attrs.get("b")
        hint = (
            f"pass a={named[0]!r}, b={named[1]!r}"
            if None not in named
            else "pass a and b as compare_groups named them"
        )
        raise OptionError(f"the table's sides are {names}, not {a!r} and {b!r}: {hint}")


def _key_terms(table: pd.DataFrame, side: str, n: int | None) -> pd.DataFrame:
    """The key terms of one side, the strongest (largest |G²|) first, ties by term."""
    rows = table[table["side"] == side].assign(_strength=lambda t: t["g2"].abs())
    rows = rows.sort_values(["_strength", "term"], ascending=[False, True], kind="mergesort")
    return rows.drop(columns="_strength").head(n) if n is not None else rows


# -- the interactive page ------------------------------------------------------------------
