"""Topic models of articles: LDA or DMR (tomotopy), or NMF (scikit-learn), the number of
topics chosen by coherence, each topic's stability, and its prevalence per period and per
group.

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
- **DMR** (Mimno & McCallum 2008; tomotopy's DMRModel) is LDA whose topic prior depends
  on each article's group (a paper, a column, a label): ``Topics.priors`` gives each
  group's prior share of each topic, the covariate effect STM-style analyses look for.
- **Prevalence** of a topic in a group or period is the mean share of the topic in its
  articles, with a 95 % t interval.
- **Stability** of a topic: the chosen model is fitted again with another seed on a random
  80 % of the articles, topics are matched one to one (Hungarian algorithm on the cosine
  of their word distributions), and a topic's stability is the cosine with its match. A
  topic near 0 rests on a few articles or on the seed (on THUCNews-1k: a camera-model
  topic of 2 % of the articles under NMF, a catch-all "company bank management" topic
  under LDA); near 1, it is there whatever the seed.
- **Large corpora**: above SEARCH_DOCS articles, k is chosen on a random sample of that
  many; above FIT_DOCS, the model is fitted on a random sample of that many and the other
  articles' shares are inferred from it (``Topics.note`` says so).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse, stats

from analysis.errors import NotEnoughDataError, OptionError
from analysis.representations.analysed import analysed
from analysis.scale.pool import default_jobs

__all__ = ["MODELS", "EdgeOfRangeWarning", "Topics", "fit_topics", "npmi", "topic_prevalence"]

MODELS = ("lda", "nmf", "dmr")
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
    LDA's φ, NMF's components scaled to sum to 1), ``stability`` (each topic's cosine
    with its match when the model is fitted again with another seed on a random 80 % of
    the articles: near 1, the topic depends neither on the seed nor on a few articles)."""

    model: str
    k: int
    terms: list[list[str]]
    npmi: np.ndarray
    doc_topics: np.ndarray
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    note: str = ""
    topic_words: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    vocabulary: list[str] = field(default_factory=list)
    stability: np.ndarray = field(default_factory=lambda: np.zeros(0))
    priors: pd.DataFrame | None = None  # DMR: each group's prior share of each topic

    @property
    def coherence(self) -> float:
        return float(self.npmi.mean()) if len(self.npmi) else float("nan")

    def table(self) -> pd.DataFrame:
        """One row per topic: topic (1…k), terms, npmi, share (mean share in articles),
        stability."""
        stability = self.stability if len(self.stability) == self.k else np.full(self.k, np.nan)
        return pd.DataFrame(
            {
                "topic": np.arange(1, self.k + 1),
                "terms": self.terms,
                "npmi": self.npmi.round(4),
                "share": self.doc_topics.mean(axis=0).round(4),
                "stability": stability.round(4),
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


def _words(counts: sparse.csr_matrix, vocabulary: np.ndarray, row: int) -> list[str]:
    start, end = counts.indptr[row], counts.indptr[row + 1]
    words = np.repeat(vocabulary[counts.indices[start:end]], counts.data[start:end]).tolist()
    return words or ["\u3000"]  # an empty article still gets a row


def _lda(
    counts: sparse.csr_matrix,
    vocabulary: np.ndarray,
    k: int,
    random_state: int,
    iterations: int,
    fit_rows: np.ndarray,
    metadata: np.ndarray | None = None,
):
    """LDA fitted on the articles ``fit_rows``; the others' topic shares inferred. With
    ``metadata`` (a group per article), DMR: the topic prior depends on the group."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # tomotopy's own, at import
        import tomotopy as tp

    # words of one article only are left out, but not from a handful of articles, where
    # that leaves no word at all (a table of three rows)
    options = {"k": k, "seed": random_state, "alpha": 0.1, "eta": 0.01}
    options["min_df"] = 2 if len(fit_rows) >= MIN_DF_ARTICLES else 1
    model = tp.LDAModel(**options) if metadata is None else tp.DMRModel(**options, sigma=1.0)
    extra = (lambda row: {}) if metadata is None else (lambda row: {"metadata": metadata[row]})
    for row in fit_rows.tolist():
        model.add_doc(_words(counts, vocabulary, row), **extra(row))
    model.train(0, workers=1)
    model.train(iterations, workers=1)
    terms = [[w for w, _ in model.get_topic_words(t, top_n=TOP_TERMS)] for t in range(k)]
    doc_topics = np.zeros((counts.shape[0], k))
    doc_topics[fit_rows] = [d.get_topic_dist() for d in model.docs]
    rest = np.setdiff1d(np.arange(counts.shape[0]), fit_rows)
    for start in range(0, len(rest), INFER_BATCH):  # inferred in batches: bounded memory
        batch = rest[start : start + INFER_BATCH]
        docs = [
            model.make_doc(_words(counts, vocabulary, row), **extra(row)) for row in batch.tolist()
        ]
        # the same shares with any number of workers (checked with 1 and 2)
        shares, _ = model.infer(docs, iterations=INFER_ITERATIONS, workers=default_jobs())
        doc_topics[batch] = shares
    words = np.array([model.get_topic_word_dist(t) for t in range(k)], dtype=np.float64)
    return terms, doc_topics, words, list(model.used_vocabs), model


def _nmf(
    tfidf: sparse.csr_matrix,
    vocabulary: np.ndarray,
    k: int,
    random_state: int,
    iterations: int,
    fit_rows: np.ndarray,
):
    """NMF of the TF-IDF of the articles ``fit_rows``; the others' weights by its
    transform."""
    from sklearn.decomposition import NMF

    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=iterations)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes on small corpora
        model.fit(tfidf[fit_rows])
        weights = model.transform(tfidf)
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


#: Above this many articles, k is chosen on a random sample of this many (NPMI on it).
SEARCH_DOCS = 5_000
#: Above this many articles, the model is fitted on a random sample of this many, and
#: the other articles' topic shares are inferred from it.
FIT_DOCS = 20_000
INFER_ITERATIONS = 50
#: From this many articles, LDA leaves out the words of one article only.
MIN_DF_ARTICLES = 20
INFER_BATCH = 20_000


def _sample(n: int, size: int, random_state: int) -> np.ndarray:
    """All rows, or ``size`` of them drawn at random (sorted; the same for a seed)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, size=size, replace=False))


def fit_topics(
    corpus,
    *,
    k: int | None = None,
    k_range: Sequence[int] = DEFAULT_K_RANGE,
    model: str = "lda",
    random_state: int = 0,
    iterations: int | None = None,
    groups: Sequence[object] | None = None,
) -> Topics:
    """Fit ``model`` (``"lda"``, ``"nmf"`` or ``"dmr"``) with ``k`` topics, or with the k
    of ``k_range`` whose topics are most coherent (NPMI); ``corpus`` is an
    :class:`AnalysedCorpus` or an articles table. ``"dmr"`` (LDA whose topic prior
    depends on each article's group) needs ``groups``, one per article."""
    if model not in MODELS:
        raise OptionError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    corpus = analysed(corpus)
    corpus.require_words()
    n = len(corpus)
    metadata = _metadata(model, groups, n)
    iterations = iterations or (400 if model == "nmf" else 300)
    if k is None and n < 4 * min(k_range):  # few articles: few topics
        k_range = range(2, max(3, n // 2) + 1)
    tried = [k] if k is not None else [c for c in k_range if 2 <= c < n]
    if not tried:
        raise NotEnoughDataError(f"topics need at least 3 articles; this input has {n}")
    fit = _Fitter(corpus, model, iterations, metadata)
    # a large corpus: k chosen on a sample, the model fitted on a larger one
    search = _sample(n, SEARCH_DOCS, random_state) if len(tried) > 1 else np.arange(n)
    results = {c: fit(search, c, random_state) for c in tried}
    scores = pd.DataFrame({"k": tried, "npmi": [results[c][4].mean() for c in tried]})
    best = int(scores.loc[scores["npmi"].idxmax(), "k"])
    notes = []
    if k is None and len(tried) > 2 and best in (tried[0], tried[-1]):
        edge = (
            f"k = {best} is at the edge of the range tried ({tried[0]}-{tried[-1]}): a more "
            "coherent k may lie beyond it; try --k"
        )
        warnings.warn(edge, EdgeOfRangeWarning, stacklevel=2)
        notes.append(edge)
    if len(search) < n and len(tried) > 1:
        notes.append(f"k chosen on a random sample of {len(search):,} of the {n:,} articles")
    if n > FIT_DOCS:
        notes.append(
            f"fitted on a random sample of {FIT_DOCS:,} articles; the other articles' "
            "topic shares are inferred from it"
        )
    # stability: the chosen model fitted again with another seed on a random 80 % of the
    # articles; each topic's cosine with its best match (one to one) in that fit
    # (at least k + 1 articles: NMF's initialisation needs as many articles as topics)
    size = min(len(search), max(best + 1, int(0.8 * len(search))))
    part = search[_sample(len(search), size, random_state + 1)]
    again = fit(part, best, random_state + 1)
    stability = _matched_cosines(results[best][2:4], again[2:4])
    if len(search) < n:  # chosen on a sample: the model of the whole corpus, its
        results[best] = fit(np.arange(n), best, random_state)  # topics matched to those
        scores.loc[scores["k"] == best, "npmi"] = results[best][4].mean()  # of the refit
        stability = _matched_cosines(results[best][2:4], again[2:4])
    terms, doc_topics, topic_words, words, coherence, model_object = results[best]
    found = Topics(
        model,
        best,
        terms,
        coherence,
        doc_topics,
        scores,
        "; ".join(notes),
        topic_words,
        words,
        stability,
    )
    if model == "dmr":
        found.priors = _dmr_priors(model_object, best)
    return found


def _metadata(model: str, groups: Sequence[object] | None, n: int) -> np.ndarray | None:
    if model != "dmr":
        return None
    if groups is None:
        raise OptionError("the dmr model needs a group for each article (--group-by COLUMN)")
    values = pd.Series(list(groups), dtype=object)
    if len(values) != n:
        raise OptionError(f"dmr: {len(values)} groups for {n} articles")
    return np.array(["(none)" if pd.isna(v) else str(v) for v in values], dtype=object)


class _Fitter:
    """Fits the model on a subset of the articles (rows of the corpus): the model of
    at most FIT_DOCS of them, the others' shares inferred."""

    def __init__(self, corpus, model: str, iterations: int, metadata) -> None:
        self.counts, self.vocabulary = corpus.terms.counts, corpus.terms.terms
        self.tfidf = corpus.tfidf() if model == "nmf" else None
        self.model, self.iterations, self.metadata = model, iterations, metadata

    def __call__(self, rows: np.ndarray, k: int, random_state: int) -> tuple:
        everything = len(rows) == self.counts.shape[0]
        counts = self.counts if everything else self.counts[rows]
        fit_rows = _sample(len(rows), FIT_DOCS, random_state)
        if self.model == "nmf":
            tfidf = self.tfidf if everything else self.tfidf[rows]
            found = _nmf(tfidf, self.vocabulary, k, random_state, self.iterations, fit_rows)
            found = (*found, None)
        else:
            metadata = self.metadata[rows] if self.metadata is not None else None
            found = _lda(
                counts, self.vocabulary, k, random_state, self.iterations, fit_rows, metadata
            )
        terms = found[0]
        return (*found[:4], npmi(counts, self.vocabulary.tolist(), terms), found[4])


def _dmr_priors(model, k: int) -> pd.DataFrame:
    """Per group, each topic's prior share: exp(λ) of the group, scaled to sum to 1."""
    rows = []
    for group in sorted(model.metadata_dict):
        prior = np.asarray(model.get_topic_prior(group), dtype=np.float64)
        share = prior / prior.sum()
        rows += [{"group": group, "topic": t + 1, "prior": float(share[t])} for t in range(k)]
    return pd.DataFrame(rows, columns=["group", "topic", "prior"])


def _matched_cosines(a: tuple, b: tuple) -> np.ndarray:
    """For each topic of fit ``a`` (topic-word rows, vocabulary), the cosine of its word
    distribution with the topic of fit ``b`` matched to it (a one-to-one matching that
    maximizes the total, Hungarian algorithm)."""
    from scipy.optimize import linear_sum_assignment

    (rows_a, words_a), (rows_b, words_b) = a, b
    where = {w: j for j, w in enumerate(words_a)}
    aligned = np.zeros((rows_b.shape[0], len(words_a)))
    for j, w in enumerate(words_b):
        if w in where:
            aligned[:, where[w]] = rows_b[:, j]
    unit_a = rows_a / np.maximum(np.linalg.norm(rows_a, axis=1, keepdims=True), 1e-12)
    unit_b = aligned / np.maximum(np.linalg.norm(aligned, axis=1, keepdims=True), 1e-12)
    similarity = unit_a @ unit_b.T
    left, right = linear_sum_assignment(-similarity)
    out = np.zeros(rows_a.shape[0])
    out[left] = similarity[left, right]
    return out


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
