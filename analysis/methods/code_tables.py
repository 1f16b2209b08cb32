"""Tables of a coding (:class:`analysis.methods.coding.Coded`): codes by group with χ² and
adjusted residuals, codes per period with confidence intervals, code co-occurrence, and
the lines where a code matched.

The unit is the article: a group's share for a code is the share of its articles that
carry the code at least once (KH Coder's cross-tabulation of codes by a variable).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.methods.coding import Coded

__all__ = [
    "code_cooccurrence",
    "code_crosstab",
    "code_kwic",
    "code_summary",
    "code_trend",
    "wilson",
]


def wilson(successes: np.ndarray, totals: np.ndarray, *, z: float = 1.96) -> tuple:
    """Wilson score interval of a share (95 % by default); (nan, nan) where the total is 0.

    >>> low, high = wilson(np.array([5]), np.array([10]))
    >>> round(float(low[0]), 3), round(float(high[0]), 3)
    (0.237, 0.763)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def code_summary(coded: Coded) -> pd.DataFrame:
    """Per code: articles carrying it, their share, and the matches in all."""
    present = coded.present()
    return pd.DataFrame(
        {
            "code": coded.codes,
            "articles": [int(present[c].sum()) for c in coded.codes],
            "share": [float(present[c].mean()) if len(present) else 0.0 for c in coded.codes],
            "matches": [int(coded.counts[c].sum()) for c in coded.codes],
        }
    )


def code_crosstab(coded: Coded, groups: Sequence[object]) -> pd.DataFrame:
    """Codes × groups: per (code, group) the group's articles, those carrying the code,
    their share, and the adjusted (Haberman) residual of that cell; per code the χ² of
    the 2 × groups table (has the code / has not), its degrees of freedom and p value.
    Articles without a group (missing values) are left out.

    A residual above 1.96 (below -1.96) marks a group that carries the code more (less)
    often than the others at the 5 % level."""
    groups = pd.Series(list(groups), dtype=object)
    keep = groups.notna().to_numpy()
    present = coded.present().to_numpy()[keep]
    labels = groups[keep].astype(str).to_numpy()
    names = list(dict.fromkeys(sorted(labels)))
    totals = np.array([(labels == g).sum() for g in names], dtype=float)
    rows = []
    for k, code in enumerate(coded.codes):
        has = np.array([present[labels == g, k].sum() for g in names], dtype=float)
        table = np.vstack([has, totals - has])
        chi2, dof, p = _chi2(table)
        residuals = _adjusted_residuals(table)[0]
        for g, name in enumerate(names):
            rows.append(
                {
                    "code": code,
                    "group": name,
                    "articles": int(totals[g]),
                    "coded": int(has[g]),
                    "share": has[g] / totals[g] if totals[g] else 0.0,
                    "residual": residuals[g],
                    "chi2": chi2,
                    "dof": dof,
                    "p": p,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["code", "group", "articles", "coded", "share", "residual", "chi2", "dof", "p"],
    )


def _chi2(table: np.ndarray) -> tuple[float, int, float]:
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return float("nan"), 0, float("nan")
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return float(chi2), int(dof), float(p)


def _adjusted_residuals(table: np.ndarray) -> np.ndarray:
    """(O - E) / sqrt(E (1 - row share) (1 - column share)); 0 where undefined."""
    total = table.sum()
    rows = table.sum(axis=1, keepdims=True)
    cols = table.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = rows @ cols / total
        out = (table - expected) / np.sqrt(expected * (1 - rows / total) * (1 - cols / total))
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def code_trend(coded: Coded, periods: Sequence[object]) -> pd.DataFrame:
    """Per (code, period): the period's articles, those carrying the code, their share
    and its 95 % Wilson interval (low, high). Undated articles are left out."""
    periods = pd.Series(list(periods), dtype=object)
    keep = periods.notna().to_numpy()
    present = coded.present()[keep].reset_index(drop=True)
    present["period"] = periods[keep].astype(str).to_numpy()
    grouped = present.groupby("period", sort=True)
    totals = grouped.size()
    rows = []
    for code in coded.codes:
        has = grouped[code].sum()
        low, high = wilson(has.to_numpy(), totals.to_numpy())
        for k, period in enumerate(totals.index):
            n = int(totals.iloc[k])
            rows.append(
                {
                    "code": code,
                    "period": period,
                    "articles": n,
                    "coded": int(has.iloc[k]),
                    "share": has.iloc[k] / n if n else 0.0,
                    "low": float(low[k]),
                    "high": float(high[k]),
                }
            )
    return pd.DataFrame(
        rows, columns=["code", "period", "articles", "coded", "share", "low", "high"]
    )


def code_cooccurrence(coded: Coded) -> pd.DataFrame:
    """Codes × codes Jaccard index over articles: both / either (0 when neither occurs).

    The diagonal is 1 for a code that occurs, else 0."""
    present = coded.present().to_numpy().astype(np.int64)
    both = present.T @ present
    counts = present.sum(axis=0)
    either = counts[:, None] + counts[None, :] - both
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(either > 0, both / np.maximum(either, 1), 0.0)
    return pd.DataFrame(jaccard, index=coded.codes, columns=coded.codes)


def code_kwic(coded: Coded, code: str, *, window: int = 15) -> pd.DataFrame:
    """Every match of ``code``, in its context: id, piece (0 the title, k the k-th
    paragraph), left, match, right. A near() match runs from its first word to its last."""
    if code not in coded.codes:
        raise KeyError(f"no code {code!r}; codes: {', '.join(coded.codes)}")
    rows = []
    for key, found, pieces in zip(coded.counts["id"], coded.matches, coded.pieces, strict=True):
        for match in found.get(code, ()):
            if not match:
                continue  # the condition held without a word (a column test, a 'not')
            piece, start, end = match[0][0], match[0][1], match[-1][2]
            text = pieces[piece]
            rows.append(
                {
                    "id": key,
                    "piece": piece,
                    "left": text[max(0, start - window) : start],
                    "match": text[start:end],
                    "right": text[end : end + window],
                }
            )
    return pd.DataFrame(rows, columns=["id", "piece", "left", "match", "right"])


def tone_by(scores: pd.DataFrame, groups: Sequence[object]) -> pd.DataFrame:
    """Tone per group (or period): articles, mean tone with its 95 % interval (t
    distribution), and the shares of positive (> 0) and negative (< 0) articles.
    ``scores`` has a ``tone`` column, one row per article, in the order of ``groups``."""
    frame = pd.DataFrame(
        {"group": pd.Series(list(groups), dtype=object), "tone": scores["tone"].to_numpy()}
    )
    frame = frame[frame["group"].notna()]
    rows = []
    for name, part in frame.groupby(frame["group"].astype(str), sort=True):
        values = part["tone"].to_numpy(dtype=float)
        n, mean = len(values), float(values.mean())
        half = float("nan")
        if n > 1:
            half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
        rows.append(
            {
                "group": name,
                "articles": n,
                "tone": mean,
                "low": mean - half,
                "high": mean + half,
                "positive": float((values > 0).mean()),
                "negative": float((values < 0).mean()),
            }
        )
    return pd.DataFrame(
        rows, columns=["group", "articles", "tone", "low", "high", "positive", "negative"]
    )
