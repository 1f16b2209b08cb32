"""Trends over time: term frequencies per period, theme shares per period, rising terms.

Everything reads the one document-term matrix of
:class:`~analysis.representations.analysed.AnalysedCorpus` and its periods
(:meth:`~analysis.representations.analysed.AnalysedCorpus.periods`: day, week, month,
quarter or year, by default the finest that gives at most 60 periods).

- :func:`term_frequencies`: each term's count per period and its rate per 10,000 kept
  tokens of that period (quanteda's ``textstat_frequency`` grouped by date);
- :func:`theme_prevalence`: the mean theme mix of each period's articles, weighted by
  article length (themes from :func:`analysis.methods.themes.find_themes`);
- :func:`rising_terms`: keyness (G², log ratio) of the later articles against the
  earlier ones, both directions.

Undated articles. An article without a date belongs to no period: every function leaves
it out, stores how many were left out in ``df.attrs["undated"]`` (0 when none) and, when
any were, warns once with :class:`UndatedArticlesWarning`.

Periods without articles inside the span are kept, in time order, so that a line chart
does not join two distant periods as if they were neighbours: in
:func:`term_frequencies` they have ``n``, ``tokens`` and ``per_10k`` 0; in
:func:`theme_prevalence` their shares are NaN (there is no mix to report). The charts
shade them grey.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import G2_THRESHOLD, LOG_RATIO_THRESHOLD, keyness_table
from analysis.methods.themes import Themes
from analysis.representations.analysed import PERIODS, AnalysedCorpus, analysed, choose_period

__all__ = [
    "FREQUENCY_COLUMNS",
    "RISING_COLUMNS",
    "UndatedArticlesWarning",
    "rising_terms",
    "term_frequencies",
    "theme_prevalence",
]

FREQUENCY_COLUMNS = ["period", "term", "n", "per_10k", "tokens"]
RISING_COLUMNS = [
    "term",
    "direction",
    "n_before",
    "n_after",
    "per_10k_before",
    "per_10k_after",
    "g2",
    "chi2",
    "p",
    "log_ratio",
]


class UndatedArticlesWarning(UserWarning):
    """Some articles have no date, so they are in no period and were left out."""


# -- periods ------------------------------------------------------------------------------


def _timeline(corpus: AnalysedCorpus, period: str | None) -> tuple[pd.Series, list[str], str]:
    """Each article's period (None when undated), every period of the span in time
    order, and the period's name. Warns when articles are undated."""
    labels = corpus.periods(period)  # raises NotEnoughDataError when nothing is dated
    name = period or choose_period(corpus.dates)
    dates = corpus.dates.dropna()
    span = pd.period_range(dates.min(), dates.max(), freq=PERIODS[name])
    # the same spelling as AnalysedCorpus.periods
    if name == "week":
        order = [p.start_time.strftime("%Y-%m-%d") for p in span]
    else:
        order = [str(p) for p in span]
    stray = set(labels.dropna()) - set(order)
    if stray:  # pragma: no cover - would mean the two spellings drifted apart
        raise AssertionError(f"periods outside the span: {sorted(stray)}")
    undated = int(labels.isna().sum())
    if undated:
        warnings.warn(
            f"{undated} of {len(labels)} article(s) have no date and are left out of the trend",
            UndatedArticlesWarning,
            stacklevel=3,
        )
    return labels.astype(object).where(labels.notna(), None), order, name


def _period_name(text: str) -> str | None:
    """The period a period string is spelled in (2024 → year, 2024Q2 → quarter,
    2024-03 → month); None for a date, which may be a day or a week's first day."""
    for pattern, name in (
        (r"\d{4}", "year"),
        (r"\d{4}Q[1-4]", "quarter"),
        (r"\d{4}-\d{2}", "month"),
    ):
        if re.fullmatch(pattern, text):
            return name
    return None


# -- term frequencies ---------------------------------------------------------------------


def term_frequencies(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    period: str | None = None,
    top: int = 10,
) -> pd.DataFrame:
    """How often each term occurs per period.

    ``terms`` are the words to follow; by default the ``top`` most frequent terms of the
    dated articles (ties broken by term), less those in nearly every article
    (:attr:`~analysis.representations.analysed.AnalysedCorpus.ubiquitous`). ``period`` is
    day, week, month, quarter or year (default: chosen from the span). Returns one row per
    period and term, periods in time order (those without articles included, with
    zeros), terms in the order given:

    - ``n``: the term's count in the period's articles (headline and body);
    - ``tokens``: all kept tokens of the period's articles;
    - ``per_10k``: ``n / tokens × 10,000`` (0 when the period has no tokens).

    ``attrs``: ``period`` (its name) and ``undated`` (articles left out, see the module
    docstring). A term that occurs in the text but is never kept as one word (the
    tokenizer splits or filters it) is an :class:`OptionError`; a term absent from the
    text gets zeros.

    >>> import pandas as pd
    >>> from analysis.representations.analysed import AnalysedCorpus
    >>> texts = ["工会发放高温津贴。", "骑手加入工会。"]
    >>> corpus = AnalysedCorpus(pd.DataFrame({
    ...     "id": ["a", "b"], "title": ["", ""], "text": texts,
    ...     "paragraphs": [[t] for t in texts], "date": ["2024-01-05", "2024-03-02"]}))
    >>> term_frequencies(corpus, terms=["工会"], period="month")[["period", "n", "tokens"]]
        period  n  tokens
    0  2024-01  1       2
    1  2024-02  0       0
    2  2024-03  1       2
    """
    corpus = analysed(corpus)
    corpus.require_words()
    labels, order, name = _timeline(corpus, period)
    counts = _period_counts(corpus, labels, order)
    tokens = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    columns, chosen = _followed_terms(corpus, counts, terms, top)
    rows = []
    for j, term in zip(columns, chosen, strict=True):
        n = (
            np.asarray(counts[:, j].todense()).ravel().astype(np.int64)
            if j >= 0
            else np.zeros(len(order), dtype=np.int64)
        )
        per_10k = np.divide(
            n * 10_000.0, tokens, out=np.zeros(len(order), dtype=float), where=tokens > 0
        )
        rows.append(
            pd.DataFrame(
                {"period": order, "term": term, "n": n, "per_10k": per_10k, "tokens": tokens}
            )
        )
    if rows:
        table = pd.concat(rows, ignore_index=True)
        rank = {term: i for i, term in enumerate(chosen)}
        table["_period"] = table["period"].map({p: i for i, p in enumerate(order)})
        table["_term"] = table["term"].map(rank)
        table = table.sort_values(["_period", "_term"], kind="mergesort")
        table = table.drop(columns=["_period", "_term"]).reset_index(drop=True)
    else:
        table = pd.DataFrame(columns=FREQUENCY_COLUMNS)
    table.attrs.update(period=name, undated=int(labels.isna().sum()))
    return table


def _followed_terms(
    corpus: AnalysedCorpus, counts, terms: Sequence[str] | None, top: int
) -> tuple[list[int], list[str]]:
    """The matrix columns and names of the terms to follow: ``terms`` (-1 for a term
    absent from the text), or the ``top`` most frequent (ties by term)."""
    vocabulary = corpus.terms.terms
    if terms is None:
        if top < 1:
            raise OptionError(f"top must be at least 1, not {top}")
        totals = np.asarray(counts.sum(axis=0)).ravel()
        totals = np.where(corpus.ubiquitous, 0, totals)  # in nearly every article: no trend
        best = np.lexsort((vocabulary.astype(str), -totals))[:top]
        columns = [int(j) for j in best if totals[j] > 0]
        return columns, [str(vocabulary[j]) for j in columns]
    chosen = list(dict.fromkeys(terms))
    if not chosen:
        raise OptionError("terms is empty: give at least one term, or leave it out")
    position = {str(t): j for j, t in enumerate(vocabulary)}
    _check_terms(corpus, [t for t in chosen if t not in position])
    return [position.get(t, -1) for t in chosen], chosen


def _period_counts(
    corpus: AnalysedCorpus, labels: pd.Series, order: list[str]
) -> sparse.csr_matrix:
    """Periods (in ``order``, empty ones as zero rows) × terms counts."""
    index = {p: i for i, p in enumerate(order)}
    rows = labels.map(index).fillna(-1).to_numpy(dtype=np.int64)
    keep = np.flatnonzero(rows >= 0)
    combine = sparse.csr_matrix(
        (np.ones(len(keep)), (rows[keep], keep)), shape=(len(order), len(labels))
    )
    return sparse.csr_matrix(combine @ corpus.terms.counts)


def _check_terms(corpus: AnalysedCorpus, missing: list[str]) -> None:
    """Raise when a term asked for is in the text but never counted as a word."""
    articles = corpus.articles
    texts = articles["text"].map(lambda v: v if isinstance(v, str) else "")
    if "title" in articles:
        texts = articles["title"].map(lambda v: v if isinstance(v, str) else "") + "\n" + texts
    written = [t for t in missing if texts.str.contains(t, regex=False).any()]
    if written:
        raise OptionError(
            f"{'、'.join(written)} occur(s) in the text but the tokenizer never keeps "
            "them as one word (split into smaller words or filtered out); add them to a "
            "user dictionary (--user-dict FILE) to count them"
        )


# -- theme prevalence ---------------------------------------------------------------------


def theme_prevalence(
    corpus: AnalysedCorpus | pd.DataFrame, themes: Themes, *, period: str | None = None
) -> pd.DataFrame:
    """The mean theme mix of each period's articles, weighted by article length.

    ``themes`` is the result of :func:`analysis.methods.themes.find_themes` on the same corpus:
    its ``article_weights`` (columns 1..k and ``"other"``, each row summing to 1) are
    averaged over the articles of every period, each article weighted by the length of
    its body text in characters (the weight :func:`~analysis.methods.themes.find_themes` gives
    its paragraphs). Returns a table indexed by period (time order) with the same
    columns; a row sums to 1, and is NaN for a period without articles. ``attrs``:
    ``period``, ``undated`` and ``articles`` (articles per period).
    """
    corpus = analysed(corpus)
    weights = themes.article_weights
    if not pd.Index(corpus.ids).isin(weights.index).all():
        raise OptionError(
            "the themes were found on another corpus (some articles have no theme mix); "
            "run find_themes on this corpus"
        )
    labels, order, name = _timeline(corpus, period)
    shares = weights.reindex(corpus.ids).to_numpy(dtype=float)
    paragraphs = corpus.paragraphs
    length = np.bincount(
        paragraphs["article"].to_numpy(),
        weights=paragraphs["text"].str.len().to_numpy(dtype=float),
        minlength=len(corpus),
    )
    index = {p: i for i, p in enumerate(order)}
    rows = labels.map(index).fillna(-1).to_numpy(dtype=np.int64)
    mix = np.full((len(order), shares.shape[1]), np.nan)
    articles = np.zeros(len(order), dtype=np.int64)
    for i in range(len(order)):
        mine = rows == i
        articles[i] = mine.sum()
        if not mine.any():
            continue
        # articles without body text carry no weight, unless a period has nothing else
        w = length[mine] if length[mine].sum() > 0 else np.ones(mine.sum())
        mix[i] = w @ shares[mine] / w.sum()
    table = pd.DataFrame(mix, columns=weights.columns, index=pd.Index(order, name="period"))
    table.attrs.update(
        period=name,
        undated=int(labels.isna().sum()),
        articles=dict(zip(order, articles.tolist(), strict=True)),
    )
    return table


# -- rising and falling terms -------------------------------------------------------------


def rising_terms(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    before: str | None = None,
    after: str | None = None,
    period: str | None = None,
    k: int = 20,
    min_count: int = 3,
) -> pd.DataFrame:
    """Terms that became more (and less) frequent: keyness of the later articles against
    the earlier ones (:func:`analysis.methods.keywords.keyness_table`).

    By default the dated articles are split at their median date: those on or before it
    are the earlier half, the rest the later half. ``before`` and ``after`` choose the
    two sides as periods instead: one period (``"2024-01"``) or an inclusive range
    (``"2024-01:2024-02"``), spelled as :meth:`AnalysedCorpus.periods` spells them; when
    only one is given the other is every dated article on its other side. Without
    ``period``, the period is read from how they are spelled (2024, 2024Q1, 2024-01).

    Returns up to ``k`` rising terms (positive G², key: G² ≥ 10.83 and log ratio ≥ 1),
    highest G² first, then up to ``k`` falling terms (G² ≤ −10.83 and log ratio ≤ −1),
    most negative first, with ``direction`` "rising" or "falling". Terms with fewer than
    ``min_count`` occurrences in both sides together are left out. Columns:
    :data:`RISING_COLUMNS`. ``attrs``: ``period``, ``undated``, ``before`` and ``after``
    (the span of each side), ``n_before``/``n_after`` (articles), ``split`` (how the
    sides were chosen).
    """
    corpus = analysed(corpus)
    corpus.require_words()
    if k < 1:
        raise OptionError(f"k must be at least 1, not {k}")
    if period is None:
        guessed = {_period_name(s) for side in (before, after) if side for s in side.split(":")}
        if len(guessed) == 1 and None not in guessed:
            period = guessed.pop()
    labels, order, name = _timeline(corpus, period)
    seen = set(labels.dropna())
    present = [p for p in order if p in seen]
    if len(present) < 2:
        finer = "" if name == "day" else "; use a finer --period (day, week, month …)"
        raise NotEnoughDataError(
            f"all dated articles fall in one {name} ({present[0]}): there is no earlier "
            f"period to compare with{finer}"
        )
    dated = labels.notna().to_numpy()
    if before is None and after is None:
        earlier, later, spans, split = _median_split(corpus, dated)
    else:
        earlier, later, spans = _given_split(labels, order, name, dated, before, after, present)
        split = "periods given"
    table = keyness_table(corpus, later, earlier, k=None, min_count=min_count)
    table = table.rename(
        columns={
            "n_target": "n_after",
            "n_reference": "n_before",
            "per_10k_target": "per_10k_after",
            "per_10k_reference": "per_10k_before",
        }
    )
    rising = table[table["key"]].head(k).assign(direction="rising")
    falling = table[(table["g2"] <= -G2_THRESHOLD) & (table["log_ratio"] <= -LOG_RATIO_THRESHOLD)]
    falling = falling.sort_values(["g2", "term"], kind="mergesort").head(k)
    out = pd.concat([rising, falling.assign(direction="falling")], ignore_index=True)
    out = out[RISING_COLUMNS]
    out.attrs.update(
        period=name,
        undated=int((~dated).sum()),
        before=spans[0],
        after=spans[1],
        n_before=int(earlier.sum()),
        n_after=int(later.sum()),
        split=split,
    )
    return out


def _median_split(corpus: AnalysedCorpus, dated: np.ndarray):
    """The dated articles on or before their median date, and the rest."""
    dates = corpus.dates
    median = dates.dropna().median()
    earlier = dated & (dates <= median).to_numpy()
    if earlier.sum() == dated.sum():  # most articles share the last date
        earlier = dated & (dates < median).to_numpy()
    later = dated & ~earlier
    spans = [_date_span(dates[earlier]), _date_span(dates[later])]
    return earlier, later, spans, f"median date {median:%Y-%m-%d}"


def _given_split(labels, order, name, dated, before, after, present):
    """The dated articles in the ``before`` and ``after`` periods, and their spans."""
    position = labels.map({p: i for i, p in enumerate(order)})
    first, last = _periods_of(before, order, name), _periods_of(after, order, name)
    if (first is None and last[0] == 0) or (last is None and first[1] == len(order) - 1):
        given, edge = ("after", "first") if first is None else ("before", "last")
        raise NotEnoughDataError(
            f"{given}={after if first is None else before!r} reaches the {edge} {name} "
            f"of the span ({order[0]}:{order[-1]}), leaving nothing to compare with; "
            "give both before and after"
        )
    first = first or (0, last[0] - 1)
    last = last or (first[1] + 1, len(order) - 1)
    spans = [order[a] if a == b else f"{order[a]}:{order[b]}" for a, b in (first, last)]
    if first[1] >= last[0]:
        raise OptionError(f"before ({spans[0]}) must end before after ({spans[1]}) starts")
    earlier = dated & position.between(*first).to_numpy()
    later = dated & position.between(*last).to_numpy()
    for side, mask, span in (("before", earlier, spans[0]), ("after", later, spans[1])):
        if not mask.any():
            raise NotEnoughDataError(
                f"no dated article in {span} ({side}); periods with articles: {_listing(present)}"
            )
    return earlier, later, spans


def _date_span(dates: pd.Series) -> str:
    return f"{dates.min():%Y-%m-%d}:{dates.max():%Y-%m-%d}"


def _listing(periods: Sequence[str], most: int = 12) -> str:
    if len(periods) <= most:
        return ", ".join(periods)
    half = most // 2
    return f"{', '.join(periods[:half])} … {', '.join(periods[-half:])}"


def _periods_of(text: str | None, order: list[str], name: str) -> tuple[int, int] | None:
    """Positions in ``order`` of the first and last period of ``text`` ("a" or "a:b")."""
    if text is None:
        return None
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) > 2 or not all(parts):
        raise OptionError(
            f"a period range is FIRST:LAST, e.g. {order[0]}:{order[-1]}, not {text!r}"
        )
    index = {p: i for i, p in enumerate(order)}
    unknown = [p for p in parts if p not in index]
    if unknown:
        raise OptionError(
            f"no {name} {unknown[0]!r} in this corpus; its {name}s are: {_listing(order)} "
            "(or choose another --period)"
        )
    first, last = index[parts[0]], index[parts[-1]]
    if first > last:
        raise OptionError(f"the range {text!r} runs backwards; write {parts[-1]}:{parts[0]}")
    return first, last


# -- charts -------------------------------------------------------------------------------
