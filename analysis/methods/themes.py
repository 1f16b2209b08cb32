"""Topic clustering of documents, themes within a page, similarity and 2-D maps.

Documents are TF-IDF vectors of filtered tokens (:mod:`analysis.methods.keywords`), reduced by
LSA (``TruncatedSVD``) and L2-normalised, so Euclidean k-means works like cosine
k-means. The term frequency of a clustered document is sublinear, 1 + log(tf) (Manning,
Raghavan & Schütze 2008, §6.4.1): with raw counts, a long article that repeats one name
twenty times points its whole vector at that name, and articles group by what they
dwell on rather than by what they are about. On the full-article corpora of
``benchmarks/clustering.py`` this raises NMI by 0.03 and 0.16 at the true k; on
headlines, where nearly every count is 1, it changes nothing beyond seed noise.

Choosing k, when it is not given (:func:`select_k`). For every k from 2 to
``min(k_max, n - 1)``:

- ``silhouette``: mean cosine silhouette over ``n_seeds`` runs with different seeds
  (how well separated the clusters are);
- ``stability``: mean adjusted Rand index between the labelings of those runs (whether
  the clusters are a property of the data rather than of the seed);
- ``score = silhouette × stability``.

The k with the highest score wins, and ties go to the smaller k. A warning
(:class:`WeakClusteringWarning`) says when the choice is not well supported: fewer than
20 documents, a stability below 0.8, or a silhouette below 0.1. A k at the edge of the
range tried is said in :attr:`ClusterResult.note` (:attr:`Themes.note` for themes) and
by a :class:`ClusteringEdgeWarning` (a kind of :class:`WeakClusteringWarning`): the best
k may lie beyond the range. On a page of 7 articles, read the clusters as a description,
not as a finding.

Everything takes ``random_state`` and is deterministic.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import normalize

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import vectorize
from analysis.representations.analysed import AnalysedCorpus, analysed
from analysis.text.tokenize import Tokenizer

__all__ = [
    "ClusterResult",
    "ClusteringEdgeWarning",
    "Themes",
    "WeakClusteringWarning",
    "cluster_documents",
    "cluster_labels",
    "distinctiveness",
    "document_map",
    "find_themes",
    "paragraph_table",
    "select_k",
    "similarity",
]

METHODS = ("kmeans", "agglomerative", "nmf")


def _one_thread(function):
    """Run ``function`` with OpenMP and BLAS limited to one thread. The fits here are
    many and small; with more threads, OpenMP's waiting costs more than the work (KMeans
    on 1,000 documents × 50 dimensions: 47 s with 2 threads on a busy 2-core machine,
    0.5 s with one)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return wrapper


#: Column of the theme mix for the part of a text that no theme explains.
OTHER = "other"


class WeakClusteringWarning(UserWarning):
    """The data give little support for the chosen number of clusters."""


class ClusteringEdgeWarning(WeakClusteringWarning):
    """The chosen number of clusters is the first or last of the range tried."""


@dataclass
class ClusterResult:
    """Cluster assignment of documents, with the k-selection table and cluster labels;
    ``note`` says what to know about the choice of k (empty when there is nothing to
    say, and always when k was given).

    ``labels`` and the keys of ``terms`` count from 0, as array indices do; whatever a
    reader sees (the ``clusters`` command, the report's ``clusters.csv``) numbers the
    clusters from 1, as themes and topics are numbered: cluster ``labels[i] + 1``.
    """

    labels: np.ndarray
    k: int
    method: str
    scores: pd.DataFrame
    terms: dict[int, list[str]] = field(default_factory=dict)
    chosen_automatically: bool = True
    note: str = ""


def _lsa(matrix: sparse.spmatrix, dims: int, random_state: int) -> np.ndarray:
    """LSA: truncated SVD to at most ``dims`` dimensions, rows L2-normalised."""
    dims = max(1, min(dims, min(matrix.shape) - 1))
    if dims < 2:
        return normalize(matrix.toarray())
    svd = TruncatedSVD(n_components=dims, algorithm="arpack", random_state=random_state)
    return normalize(svd.fit_transform(matrix))


def _fit_labels(
    X: np.ndarray, counts: sparse.spmatrix | None, k: int, method: str, seed: int
) -> np.ndarray:
    if method == "kmeans":
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)
    if method == "agglomerative" and X.shape[0] > SELECTION_SAMPLE * 5:
        raise OptionError(
            f"agglomerative clustering of {X.shape[0]} documents would need their "
            f"{X.shape[0]}x{X.shape[0]} distances; use --method kmeans for a corpus this large"
        )
    if method == "agglomerative":
        return AgglomerativeClustering(
            n_clusters=k, metric="cosine", linkage="average"
        ).fit_predict(X)
    if method == "nmf":
        source = counts if counts is not None else np.abs(X)
        init = "nndsvda" if seed is None else "random"
        model = NMF(n_components=k, init=init, random_state=seed, max_iter=500)
        # these labels only compare values of k (the final model is fitted apart); a fit
        # stopped at 500 iterations compares as fairly, and its warning would only alarm
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return model.fit_transform(source).argmax(axis=1)
    raise OptionError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


#: Above this many documents, k is chosen on a random sample of this many (the final
#: clustering still uses every document): silhouettes cost the square of the sample.
SELECTION_SAMPLE = 2000
#: When k is chosen with NMF, it is fitted on the documents' this many most widespread
#: terms (the final model uses every term).
SELECTION_TERMS = 3000


@_one_thread
def select_k(
    X: np.ndarray,
    *,
    k_min: int = 2,
    k_max: int = 15,
    method: str = "kmeans",
    n_seeds: int = 5,
    random_state: int = 0,
    nonnegative: sparse.spmatrix | None = None,
    sample: int = SELECTION_SAMPLE,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Score every candidate k (see the module docstring). Returns columns k, silhouette,
    stability, score, chosen. With more than ``sample`` documents the scores come from a
    random sample of ``sample`` of them (``random_state``); ``progress`` (default: on for
    such inputs) shows a bar on stderr."""
    n = X.shape[0]
    upper = min(k_max, n - 1)
    if n < 3 or upper < k_min:
        raise NotEnoughDataError(
            f"cannot cluster {n} documents into {k_min}..{k_max} groups: clustering needs at "
            "least 3 documents and k_max of at least 2"
        )
    if n > sample:
        rows_ = np.sort(np.random.default_rng(random_state).choice(n, sample, replace=False))
        X = X[rows_]
        nonnegative = nonnegative[rows_] if nonnegative is not None else None
    if nonnegative is not None and nonnegative.shape[1] > SELECTION_TERMS:
        # NMF's cost grows with the vocabulary; the rare terms cut here barely move which
        # documents group together
        df = np.asarray((nonnegative > 0).sum(axis=0)).ravel()
        keep = np.sort(np.argsort(-df, kind="stable")[:SELECTION_TERMS])
        nonnegative = sparse.csr_matrix(nonnegative)[:, keep]
    seeds = [random_state + s for s in range(n_seeds)]
    rows = []
    from sklearn.metrics import pairwise_distances
    from tqdm.auto import tqdm

    # one distance matrix for every silhouette (n ≤ sample, so at most sample² floats)
    distances = pairwise_distances(X, metric="cosine")
    np.fill_diagonal(distances, 0.0)

    show = n > 500 if progress is None else progress
    ks = range(k_min, upper + 1)
    desc = f"choosing k ({method}{f', on a sample of {sample}' if n > sample else ''})"
    for k in tqdm(ks, desc=desc, unit="k", disable=not show, file=sys.stderr):
        labelings = [_fit_labels(X, nonnegative, k, method, seed) for seed in seeds]
        sil = [
            silhouette_score(distances, lab, metric="precomputed") if len(set(lab)) > 1 else 0.0
            for lab in labelings
        ]
        pairs = [
            adjusted_rand_score(labelings[i], labelings[j])
            for i in range(len(labelings))
            for j in range(i + 1, len(labelings))
        ]
        stability = float(np.mean(pairs)) if pairs else 1.0
        rows.append({"k": k, "silhouette": float(np.mean(sil)), "stability": stability})
    table = pd.DataFrame(rows)
    table["score"] = table["silhouette"].clip(lower=0) * table["stability"].clip(lower=0)
    best = table.sort_values(["score", "k"], ascending=[False, True]).iloc[0]["k"]
    table["chosen"] = table["k"] == best
    return table


def _warn_if_weak(table: pd.DataFrame, n: int) -> None:
    best = table[table["chosen"]].iloc[0]
    reasons = []
    if n < 20:
        reasons.append(f"only {n} documents")
    if best["stability"] < 0.8:
        reasons.append(f"clusters change with the seed (stability {best['stability']:.2f})")
    if best["silhouette"] < 0.1:
        reasons.append(f"clusters overlap (silhouette {best['silhouette']:.2f})")
    if reasons:
        warnings.warn(
            f"k={int(best['k'])} is weakly supported: {'; '.join(reasons)}",
            WeakClusteringWarning,
            stacklevel=4,  # _warn_if_weak, cluster_documents, its _one_thread wrapper
        )


def _edge_note(
    table: pd.DataFrame, n: int, k_max: int, *, what: str = "clusters", of: str = "documents"
) -> str:
    """What to say when the chosen k is the first or last of the range tried ("" when it
    is inside): the best k may lie beyond the range. ``what`` are the groups found (the
    clusters, the themes), ``of`` what they group (documents, paragraphs)."""
    best = int(table.loc[table["chosen"], "k"].iloc[0])
    low, high = int(table["k"].min()), int(table["k"].max())
    tried = f"{low}-{high}" if low < high else f"{low} only"
    if best == high and high == n - 1 and high < k_max:
        return (
            f"k = {best} is the largest k tried ({tried}), the most that {n} {of} "
            f"allow: read the {what} as a description of these {of}, not as groups"
        )
    if best == high:
        return (
            f"k = {best} is the largest k tried ({tried}): more {what} may fit the "
            f"{of} better; try a larger k_max (--k-max)"
        )
    if best == low:
        return (
            f"k = {best} is the smallest k tried ({tried}): the {of} may not fall "
            "into distinct groups at all"
        )
    return ""


@_one_thread
def cluster_documents(
    documents: AnalysedCorpus | pd.DataFrame | Sequence[str],
    *,
    k: int | None = None,
    method: str = "kmeans",
    tokenizer: Tokenizer | None = None,
    dims: int = 50,
    k_max: int = 15,
    n_seeds: int = 5,
    random_state: int = 0,
    n_terms: int = 8,
) -> ClusterResult:
    """Cluster documents (an analysed corpus, an articles table or plain texts); choose k
    by :func:`select_k` when it is not given.

    ``k`` must be between 2 and n − 1 (a cluster per document says nothing).
    """
    if method not in METHODS:
        raise OptionError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    n = len(documents)
    if n < 3:
        raise NotEnoughDataError(f"clusters: need at least 3 documents, this input has {n}")
    if k_max < 2:
        raise OptionError(f"k_max must be at least 2, not {k_max}")
    if isinstance(documents, AnalysedCorpus | pd.DataFrame):
        corpus = analysed(documents, tokenizer)
        corpus.require_words()
        vectorizer = corpus.terms
    else:
        vectorizer = vectorize(documents, tokenizer)[0]
    counts = vectorizer.counts
    # 1 + log(tf): see the module docstring
    tfidf = vectorizer.tfidf(sublinear_tf=True)
    X = _lsa(tfidf, dims, random_state)
    if k is not None and not 2 <= k <= n - 1:
        raise OptionError(f"k must be between 2 and {n - 1} for {n} documents, not {k}")
    # a given k is scored too, so the result always carries its silhouette and stability
    scores = select_k(
        X,
        k_min=k or 2,
        k_max=k or k_max,
        method=method,
        n_seeds=n_seeds,
        random_state=random_state,
        nonnegative=tfidf,
    )
    automatic = k is None
    note = _edge_note(scores, n, k_max) if automatic else ""
    if automatic:
        _warn_if_weak(scores, n)
    if note:
        warnings.warn(note, ClusteringEdgeWarning, stacklevel=3)
    chosen_k = k or int(scores.loc[scores["chosen"], "k"].iloc[0])
    seed = None if method == "nmf" else random_state
    labels = _fit_labels(X, tfidf, chosen_k, method, seed)
    labels = _canonical(labels)
    terms = cluster_labels(counts, labels, vectorizer.get_feature_names_out(), top=n_terms)
    return ClusterResult(labels, chosen_k, method, scores, terms, automatic, note)


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Number clusters by first appearance, so equal partitions print equal labels."""
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(lab), len(order)) for lab in labels])


def cluster_labels(
    counts: sparse.spmatrix, labels: Sequence[int], terms: Sequence[str], *, top: int = 8
) -> dict[int, list[str]]:
    """Distinguishing terms of each cluster by class-based TF-IDF (c-TF-IDF, as BERTopic):
    term frequency within the cluster times log(1 + A / f), where A is the mean number of
    tokens per cluster and f the term's frequency over all clusters."""
    labels = np.asarray(labels)
    clusters = sorted(set(labels.tolist()))
    per_cluster = np.vstack(
        [np.asarray(counts[labels == c].sum(axis=0)).ravel() for c in clusters]
    ).astype(float)
    totals = per_cluster.sum(axis=1, keepdims=True)
    tf = np.divide(per_cluster, totals, out=np.zeros_like(per_cluster), where=totals > 0)
    frequency = per_cluster.sum(axis=0)
    average = per_cluster.sum() / len(clusters)
    with np.errstate(divide="ignore"):
        idf = np.log1p(average / np.maximum(frequency, 1))
    scores = tf * idf
    out = {}
    terms = np.asarray(terms)
    for row, c in enumerate(clusters):
        order = sorted(np.flatnonzero(scores[row]), key=lambda j: (-scores[row, j], terms[j]))
        out[int(c)] = terms[order[:top]].tolist()
    return out


# --- themes across paragraphs ----------------------------------------------------------


def paragraph_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per body paragraph: id (article), paragraph (index), title, text."""
    return analysed(articles).paragraphs[["id", "paragraph", "title", "text"]]


@dataclass
class Themes:
    """Themes found in paragraphs and each article's mix of them.

    Themes are numbered from 1 everywhere (``terms`` keys, the columns of the weight
    tables, the charts); the last column, :data:`OTHER`, is the share no theme explains.
    ``lengths`` are the articles' body lengths in characters (the weights of
    :meth:`shares`); ``note`` says when the k chosen is at the edge of the range tried
    (empty otherwise, and when k was given).
    """

    terms: dict[int, list[str]]
    paragraph_weights: pd.DataFrame
    article_weights: pd.DataFrame
    scores: pd.DataFrame
    k: int
    reference_fit: dict[int, float] = field(default_factory=dict)
    lengths: pd.Series | None = None
    note: str = ""

    def label(self, theme: int, n: int = 3) -> str:
        return " · ".join(self.terms[theme][:n])

    def shares(self, ids: Sequence[str] | None = None) -> pd.Series:
        """Each theme's share (and "other"'s) of the body text of the articles ``ids``
        (default all): their mixes averaged with each article weighted by its body length
        in characters. That is the share of all their paragraphs' text, the weighting of
        an article's mix (of its paragraphs) and of a period's
        (:func:`~analysis.methods.trends.theme_prevalence`). Equal weights when none of
        them has body text (or the lengths are unknown). Sums to 1.
        """
        weights = self.article_weights if ids is None else self.article_weights.loc[list(ids)]
        lengths = (
            np.ones(len(weights))
            if self.lengths is None
            else self.lengths.reindex(weights.index).fillna(0.0).to_numpy(dtype=float)
        )
        if lengths.sum() <= 0:
            lengths = np.ones(len(weights))
        return pd.Series(
            lengths @ weights.to_numpy(dtype=float) / lengths.sum(), index=weights.columns
        )

    def names(self, n: int = 3) -> dict[object, str]:
        """Chart names: 主题1: w1 · w2 · w3 …, and 其他 for the unexplained share."""
        return {t: f"主题{t}: {self.label(t, n)}" for t in self.terms} | {OTHER: "其他"}


#: Paragraphs a theme needs for its own reference fit; below, the median of all is used.
MIN_REFERENCE_PARAGRAPHS = 3


@_one_thread
def find_themes(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    k: int | None = None,
    tokenizer: Tokenizer | None = None,
    k_max: int = 12,
    n_terms: int = 8,
    random_state: int = 0,
) -> Themes:
    """Themes at paragraph level (NMF on paragraph TF-IDF) and the article × theme mix.

    k, when not given, is chosen by :func:`select_k` with NMF among 2..``k_max``; a k at
    the edge of that range is said in ``Themes.note`` and by a
    :class:`ClusteringEdgeWarning`, as for clusters. Each
    paragraph's mix is its NMF weights, scaled by how well the themes explain it, plus an
    ``"other"`` share for the rest (:func:`_paragraph_shares`). An article's mix is the
    length-weighted mean of its paragraphs' mixes, so each row sums to 1. A paragraph no
    theme fits (a photo caption on another subject) is mostly "other", rather than
    pushed onto whichever theme is least unlike it.
    """
    corpus = analysed(corpus, tokenizer)
    paragraphs = corpus.paragraphs
    if len(paragraphs) < 4:
        raise NotEnoughDataError(
            f"themes: need at least 4 paragraphs, this input has {len(paragraphs)}"
        )
    corpus.require_words()
    tfidf = normalize(corpus.tfidf(level="paragraph"))
    if k is not None and not 2 <= k <= len(paragraphs) - 1:
        raise OptionError(
            f"themes: k must be between 2 and {len(paragraphs) - 1} for "
            f"{len(paragraphs)} paragraphs, not {k}"
        )
    # silhouettes in the LSA space, as for clusters: in the raw TF-IDF space every pair
    # of paragraphs is nearly orthogonal and the silhouette says little
    scores = select_k(
        _lsa(tfidf, 50, random_state),
        k_min=k or 2,
        k_max=k or k_max,
        method="nmf",
        random_state=random_state,
        nonnegative=tfidf,
    )
    note = "" if k else _edge_note(scores, len(paragraphs), k_max, what="themes", of="paragraphs")
    if note:
        warnings.warn(note, ClusteringEdgeWarning, stacklevel=3)
    k = k or int(scores.loc[scores["chosen"], "k"].iloc[0])
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=1000)
    W = model.fit_transform(tfidf)
    H = model.components_
    terms = corpus.paragraph_terms.terms
    theme_terms = {
        t + 1: [terms[j] for j in np.lexsort((terms.astype(str), -H[t]))[:n_terms]]
        for t in range(k)
    }
    share, reference = _paragraph_shares(tfidf, W, H)
    themes = [*range(1, k + 1), OTHER]
    pw = pd.DataFrame(share, columns=themes)
    pw.insert(0, "paragraph", paragraphs["paragraph"].to_numpy())
    pw.insert(0, "id", paragraphs["id"].to_numpy())
    lengths = paragraphs["text"].str.len().to_numpy()
    mix = np.zeros((len(corpus), k + 1))
    np.add.at(mix, paragraphs["article"].to_numpy(), share * lengths[:, None])
    totals = mix.sum(axis=1, keepdims=True)
    mix = np.divide(mix, totals, out=np.zeros_like(mix), where=totals > 0)
    mix[totals.ravel() == 0, -1] = 1.0  # an article without body text is all "other"
    weights = pd.DataFrame(mix, columns=themes, index=pd.Index(corpus.ids, name="id"))
    reference_fit = {t + 1: float(r) for t, r in enumerate(reference)}
    body = np.bincount(paragraphs["article"].to_numpy(), weights=lengths, minlength=len(corpus))
    body = pd.Series(body, index=weights.index, name="n_chars")
    return Themes(theme_terms, pw, weights, scores, k, reference_fit, body, note)


def _paragraph_shares(
    tfidf: sparse.spmatrix, W: np.ndarray, H: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each paragraph's theme shares plus the share no theme explains, and the reference
    fit of each theme.

    A paragraph's fit is the cosine between its TF-IDF vector and its NMF reconstruction.
    For a bag of words that fit is low for every real text (median 0.13-0.25 on
    THUCNews, 0.4-0.7 on the seed page): k themes cannot reproduce each article's own
    names and details, so an absolute residual would call most of every article "other".
    The residual is therefore relative: a paragraph fit as well as the median paragraph
    of its own theme (the theme with its largest weight) is fully explained; one fit half
    as well is half "other". A theme with fewer than :data:`MIN_REFERENCE_PARAGRAPHS`
    paragraphs is measured against the median of all paragraphs. The explained part is
    split over the themes in proportion to the paragraph's NMF weights. Rows sum to 1.
    Computed on the non-zero entries (no dense paragraphs × terms matrix is made).
    """
    X = normalize(sparse.csr_matrix(tfidf))
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    reconstructed = np.einsum("ij,ji->i", W[rows], H[:, X.indices])
    dots = np.bincount(rows, weights=X.data * reconstructed, minlength=X.shape[0])
    norms = np.sqrt(np.maximum(np.einsum("ij,ij->i", W @ (H @ H.T), W), 0.0))
    fit = np.clip(np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0), 0.0, 1.0)
    totals = W.sum(axis=1)
    loaded = totals > 0
    dominant = W.argmax(axis=1)
    overall = float(np.median(fit[loaded])) if loaded.any() else 1.0
    reference = np.full(W.shape[1], overall)
    for t in range(W.shape[1]):
        mine = fit[loaded & (dominant == t)]
        if len(mine) >= MIN_REFERENCE_PARAGRAPHS:
            reference[t] = float(np.median(mine))
    scale = reference[dominant]
    explained = np.divide(fit, scale, out=np.zeros_like(fit), where=scale > 0)
    explained = np.where(loaded, np.clip(explained, 0.0, 1.0), 0.0)
    mix = np.divide(W, totals[:, None], out=np.zeros_like(W), where=loaded[:, None])
    return np.column_stack([mix * explained[:, None], 1.0 - explained]), reference


# --- similarity and maps --------------------------------------------------------------


def similarity(
    corpus: AnalysedCorpus | pd.DataFrame, *, tokenizer: Tokenizer | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Cosine similarity of articles' TF-IDF vectors, and an average-linkage hierarchy on
    cosine distance (for ``scipy.cluster.hierarchy.dendrogram``)."""
    corpus = analysed(corpus, tokenizer)
    corpus.require_words()
    tfidf = corpus.tfidf()
    sim = np.clip(cosine_similarity(tfidf), 0.0, 1.0)
    np.fill_diagonal(sim, 1.0)
    distance = squareform(1.0 - sim, checks=False)
    tree = linkage(distance, method="average")
    ids = corpus.ids
    return pd.DataFrame(sim, index=ids, columns=ids), tree


def distinctiveness(
    corpus: AnalysedCorpus | pd.DataFrame, *, tokenizer: Tokenizer | None = None
) -> pd.DataFrame:
    """How far each article's text is from the rest of the corpus: one row per article
    (in order) with ``id``, ``tokens`` (kept), ``distance`` and ``eligible``.

    ``distance`` is 1 − the cosine between the article's TF-IDF vector and the sum of the
    other articles' vectors (each L2-normalised), so 0 for an article that says what the
    others say and 1 for one that shares no term with them. A few words share little
    with anything, so a short item (a caption, a brief) would always be the furthest:
    ``eligible`` marks the articles with at least the median number of tokens, which
    alone may be singled out (:meth:`analysis.output.report.Report.standout`). Computed
    on the non-zero entries, in one pass over the corpus. Distances are rounded to 12
    decimals, so that ties are ties on every machine.
    """
    corpus = analysed(corpus, tokenizer)
    corpus.require_words()
    X = normalize(sparse.csr_matrix(corpus.tfidf()))
    total = np.asarray(X.sum(axis=0)).ravel()
    own = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    dot = np.asarray(X @ total).ravel()
    rest = np.sqrt(np.maximum(total @ total - 2 * dot + own, 0.0))
    cosine = np.divide(dot - own, rest, out=np.zeros_like(dot), where=(rest > 0) & (own > 0))
    tokens = corpus.n_tokens
    return pd.DataFrame(
        {
            "id": corpus.ids,
            "tokens": tokens,
            "distance": np.round(np.clip(1.0 - cosine, 0.0, 1.0), 12),
            "eligible": (tokens > 0) & (tokens >= np.median(tokens)),
        }
    )


@_one_thread
def document_map(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    tokenizer: Tokenizer | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """2-D coordinates of articles from truncated SVD (LSA) of their TF-IDF vectors."""
    corpus = analysed(corpus, tokenizer)
    corpus.require_words()
    tfidf = corpus.tfidf()
    svd = TruncatedSVD(n_components=2, algorithm="arpack", random_state=random_state)
    xy = svd.fit_transform(tfidf)
    # fix the sign of each axis so the largest loading is positive (SVD signs are arbitrary)
    signs = np.sign(svd.components_[np.arange(2), np.abs(svd.components_).argmax(axis=1)])
    xy = xy * signs
    return pd.DataFrame({"id": corpus.ids, "x": xy[:, 0], "y": xy[:, 1]})
