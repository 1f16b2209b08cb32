"""Topic models of articles: LDA (tomotopy) or NMF (scikit-learn), the number of topics
chosen by coherence, and each topic's prevalence per period and per group.

- **Coherence** is NPMI on the corpus itself (Bouma 2009; Röder et al. 2015): for each
  pair of a topic's top words, log(P(a, b) / (P(a) P(b))) / -log P(a, b), with P the
  share of articles holding the words; -1 for a pair that never occurs together. A
  topic's NPMI is the mean over its pairs; the model's, the mean over its topics.
- **k** is the one with the highest mean NPMI in ``k_range``; a k at the edge of the range
  is said (the best may lie beyond it).
- **LDA** is tomotopy's collapsed Gibbs sampler on each article's words (the filtered
  tokens of :class:`analysis.representations.analysed.AnalysedCorpus`), one worker and a
  fixed seed, so the same input gives the same topics. **NMF** factorizes the articles'
  TF-IDF (the corpus's blended IDF) with a fixed ``random_state``.
- **Prevalence** of a topic in a group or period is the mean share of the topic in its
  articles, with a 95 % t interval.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse, stats

from analysis.errors import NotEnoughDataError, OptionError
from analysis.representations.analysed import AnalysedCorpus, analysed

__all__ = ["MODELS", "EdgeOfRangeWarning", "Topics", "fit_topics", "npmi", "topic_prevalence"]

MODELS = ("lda", "nmf")
DEFAULT_K_RANGE = tuple(range(6, 17, 2))
TOP_TERMS = 10


class EdgeOfRangeWarning(UserWarning):
    """The chosen number of topics is the first or last of the range tried."""


@dataclass
class Topics:
    """A fitted topic model: ``terms`` (each topic's top words, best first), ``npmi`` (each
    topic's coherence), ``doc_topics`` (articles × topics, rows sum to 1), ``scores``
    (k tried → mean NPMI), ``note`` (what to know about the choice of k),
    ``topic_words`` (topics × ``vocabulary``, each row a distribution over the words:
    LDA's φ, NMF's components scaled to sum to 1)."""

    model: str
    k: int
    terms: list[list[str]]
    npmi: np.ndarray
    doc_topics: np.ndarray
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str = ""
    topic_words: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    vocabulary: list[str] = field(default_factory=list)

    @property
    def coherence(self) -> float:
        return float(self.npmi.mean()) if len(self.npmi) else float("nan")

    def table(self) -> pd.DataFrame:
        """One row per topic: topic (1…k), terms, npmi, share (mean share in articles)."""
        return pd.DataFrame(
            {
                "topic": np.arange(1, self.k + 1),
                "terms": self.terms,
                "npmi": self.npmi.round(4),
                "share": self.doc_topics.mean(axis=0).round(4),
            }
        )


def npmi(
    counts: sparse.csr_matrix, vocabulary: Sequence[str], topics: list[list[str]]
) -> np.ndarray:
    """Each topic's mean NPMI over pairs of its words, from article co-occurrence.

    >>> m = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]]))
    >>> npmi(m, ["a", "b", "c"], [["a", "b"], ["a", "c"]]).round(3).tolist()
    [0.415, -1.0]
    """
    present = (counts > 0).astype(np.float64).tocsc()
    n = present.shape[0]
    where = {w: j for j, w in enumerate(vocabulary)}
    out = []
    for words in topics:
        columns = [where[w] for w in words if w in where]
        block = present[:, columns]
        together = (block.T @ block).toarray() / n
        single = np.diag(together)
        values = []
        for a in range(len(columns)):
            for b in range(a + 1, len(columns)):
                joint = together[a, b]
                if joint <= 0:
                    values.append(-1.0)
                elif joint >= 1:
                    values.append(1.0)
                else:
                    pmi = np.log(joint / (single[a] * single[b]))
                    values.append(float(pmi / -np.log(joint)))
        out.append(float(np.mean(values)) if values else 0.0)
    return np.asarray(out)


def _lda(corpus: AnalysedCorpus, k: int, random_state: int, iterations: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # tomotopy's own, at import
        import tomotopy as tp

    counts, vocabulary = corpus.terms.counts, corpus.terms.terms
    model = tp.LDAModel(k=k, seed=random_state, min_df=2, alpha=0.1, eta=0.01)
    for row in range(counts.shape[0]):
        start, end = counts.indptr[row], counts.indptr[row + 1]
        words = np.repeat(vocabulary[counts.indices[start:end]], counts.data[start:end]).tolist()
        model.add_doc(words or ["\u3000"])  # an empty article still gets a row
    model.train(0, workers=1)
    model.train(iterations, workers=1)
    terms = [[w for w, _ in model.get_topic_words(t, top_n=TOP_TERMS)] for t in range(k)]
    doc_topics = np.array([d.get_topic_dist() for d in model.docs], dtype=np.float64)
    words = np.array([model.get_topic_word_dist(t) for t in range(k)], dtype=np.float64)
    return terms, doc_topics, words, list(model.used_vocabs)


def _nmf(corpus: AnalysedCorpus, k: int, random_state: int, iterations: int):
    from sklearn.decomposition import NMF

    tfidf = corpus.tfidf()
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=iterations)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes on small corpora
        weights = model.fit_transform(tfidf)
    vocabulary = corpus.terms.terms
    terms = [
        vocabulary[np.lexsort((vocabulary.astype(str), -row))[:TOP_TERMS]].tolist()
        for row in model.components_
    ]
    totals = weights.sum(axis=1, keepdims=True)
    doc_topics = np.divide(weights, totals, out=np.full_like(weights, 1.0 / k), where=totals > 0)
    components = model.components_
    sums = components.sum(axis=1, keepdims=True)
    words = np.divide(components, sums, out=np.zeros_like(components), where=sums > 0)
    return terms, doc_topics, words, vocabulary.tolist()


def fit_topics(
    corpus,
    *,
    k: int | None = None,
    k_range: Sequence[int] = DEFAULT_K_RANGE,
    model: str = "lda",
    random_state: int = 0,
    iterations: int | None = None,
) -> Topics:
    """Fit ``model`` (``"lda"`` or ``"nmf"``) with ``k`` topics, or with the k of
    ``k_range`` whose topics are most coherent (NPMI); ``corpus`` is an
    :class:`AnalysedCorpus` or an articles table."""
    if model not in MODELS:
        raise OptionError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    corpus = analysed(corpus)
    corpus.require_words()
    n = len(corpus)
    fit = _lda if model == "lda" else _nmf
    iterations = iterations or (300 if model == "lda" else 400)
    counts, vocabulary = corpus.terms.counts, corpus.terms.terms.tolist()
    if k is None and n < 4 * min(k_range):  # few articles: few topics
        k_range = range(2, max(3, n // 2) + 1)
    tried = [k] if k is not None else [c for c in k_range if 2 <= c < n]
    if not tried:
        raise NotEnoughDataError(f"topics need at least 3 articles; this input has {n}")
    results = {}
    for candidate in tried:
        terms, doc_topics, *words = fit(corpus, candidate, random_state, iterations)
        results[candidate] = (terms, doc_topics, npmi(counts, vocabulary, terms), words)
    scores = pd.DataFrame({"k": tried, "npmi": [results[c][2].mean() for c in tried]})
    best = int(scores.loc[scores["npmi"].idxmax(), "k"])
    note = ""
    if k is None and len(tried) > 2 and best in (tried[0], tried[-1]):
        note = (
            f"k = {best} is at the edge of the range tried ({tried[0]}-{tried[-1]}): a more "
            "coherent k may lie beyond it; try --k"
        )
        warnings.warn(note, EdgeOfRangeWarning, stacklevel=2)
    terms, doc_topics, scores_k, (topic_words, words) = results[best]
    return Topics(model, best, terms, scores_k, doc_topics, scores, note, topic_words, words)


def topic_prevalence(topics: Topics, groups: Sequence[object]) -> pd.DataFrame:
    """Per (group or period, topic): articles, the mean share of the topic and its 95 %
    t interval (low, high). Articles without a group are left out."""
    groups = pd.Series(list(groups), dtype=object)
    keep = groups.notna().to_numpy()
    labels = groups[keep].astype(str).to_numpy()
    shares = topics.doc_topics[keep]
    rows = []
    for name in sorted(set(labels)):
        part = shares[labels == name]
        n = len(part)
        mean = part.mean(axis=0)
        half = (
            stats.t.ppf(0.975, n - 1) * part.std(axis=0, ddof=1) / np.sqrt(n)
            if n > 1
            else np.full(topics.k, np.nan)
        )
        for t in range(topics.k):
            rows.append(
                {
                    "group": name,
                    "topic": t + 1,
                    "articles": n,
                    "share": float(mean[t]),
                    "low": float(mean[t] - half[t]),
                    "high": float(mean[t] + half[t]),
                }
            )
    return pd.DataFrame(rows, columns=["group", "topic", "articles", "share", "low", "high"])
