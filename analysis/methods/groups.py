"""Groups of articles: by paper, page, column, label, author, kind or period.

A group is the set of articles sharing a value of a metadata column
(:meth:`analysis.representations.analysed.AnalysedCorpus.groups`). This module describes each group
(:func:`group_summary`) and what sets it apart from the rest (:func:`group_keywords`,
keyness of the group against every other article, as quanteda's ``textstat_keyness``
on a ``dfm_group``). Two groups against each other: :func:`analysis.methods.compare.compare_groups`.

Key terms pass both thresholds of :func:`analysis.methods.keywords.keyness_table`: G² ≥ 10.83
(p < 0.001 with one degree of freedom) and log ratio ≥ 1 (at least twice as frequent,
relatively, as in the rest).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughDataError
from analysis.methods.keywords import keyness_table
from analysis.representations.analysed import AnalysedCorpus, analysed

__all__ = ["group_keywords", "group_summary"]


def group_summary(corpus: AnalysedCorpus | pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per group, largest first: group, articles, tokens, chars, and the share
    of the corpus's articles. Articles without a value are the row ``(none)`` when there
    are any, so nothing is silently left out.

    >>> from analysis import load_articles
    >>> group_summary(load_articles(), "kind")[["group", "articles"]].values.tolist()
    [['news', 4], ['photo', 2], ['diary', 1]]
    """
    corpus = analysed(corpus)
    groups = corpus.groups(by).fillna("(none)")
    table = pd.DataFrame(
        {
            "group": groups.to_numpy(),
            "tokens": corpus.n_tokens,
            "chars": corpus.articles["n_chars"].to_numpy(),
        }
    )
    summary = table.groupby("group", sort=False).agg(
        articles=("group", "size"), tokens=("tokens", "sum"), chars=("chars", "sum")
    )
    summary["share"] = summary["articles"] / len(corpus)
    summary = summary.reset_index()
    return summary.sort_values(
        ["articles", "group"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)


def group_keywords(
    corpus: AnalysedCorpus | pd.DataFrame,
    by: str,
    *,
    k: int = 10,
    min_count: int = 3,
    key_only: bool = True,
) -> pd.DataFrame:
    """The ``k`` terms that most set each group apart from all other articles.

    Columns: group, rank, term, n_target (count in the group), per_10k_target,
    per_10k_reference (in the rest), g2, log_ratio, key. With ``key_only`` only key
    terms are listed, so a group may have fewer than ``k``. Groups in the order of
    :func:`group_summary`; articles without a value are left out of every group but stay
    in every reference.
    """
    corpus = analysed(corpus)
    corpus.require_words()
    groups = corpus.groups(by)
    names = [g for g in group_summary(corpus, by)["group"] if g != "(none)"]
    if len(names) < 2:
        raise NotEnoughDataError(
            f"groups by {by!r}: need at least 2 groups to compare, found {len(names)}; "
            "group by another column"
        )
    values = groups.to_numpy(dtype=object)
    frames = []
    for name in names:
        target = values == name
        table = keyness_table(corpus, target, ~target, k=None, min_count=min_count)
        table = table[table["g2"] > 0]
        if key_only:
            table = table[table["key"]]
        table = table.head(k).copy()
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        table.insert(0, "group", name)
        frames.append(table)
    columns = [
        "group",
        "rank",
        "term",
        "n_target",
        "per_10k_target",
        "per_10k_reference",
        "g2",
        "log_ratio",
        "key",
    ]
    return pd.concat(frames, ignore_index=True)[columns]
