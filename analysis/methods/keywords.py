"""Keywords per article (TF-IDF with a background IDF) and keyness (what sets a group apart).

TF-IDF is computed from one document-term matrix of our tokenizer's filtered tokens
(:mod:`analysis.representations.matrix`), with scikit-learn's ``TfidfVectorizer`` formula (never its
default ``token_pattern``, which treats a run of Chinese characters as one token and drops
one-character words).

A page has a handful of articles, so its own IDF has only a handful of levels. The IDF
used is a blend, controlled by a pseudo-count ``n0`` (default 50)::

    idf(w) = λ · idf_corpus(w) + (1 − λ) · idf_background(w),   λ = n / (n + n0)

where ``n`` is the number of documents, ``idf_corpus`` is scikit-learn's smoothed IDF and
``idf_background`` is the IDF table that jieba ships (``jieba/analyse/idf.txt``, about
270,000 words from a large general Chinese corpus). A word missing from that table gets
its median, as ``jieba.analyse`` does. On one page (n = 7) the background dominates; on
an archive of thousands of articles the corpus does.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
from scipy import sparse, special

from analysis.errors import NotEnoughDataError, OptionError
from analysis.processes import release_memory
from analysis.representations.analysed import AnalysedCorpus, analysed
from analysis.representations.matrix import (
    DocumentTerms,
    background_idf,
    blend_idf,
    document_terms,
    term_ranks,
    top_places,
)
from analysis.text.tokenize import Tokenizer, default_tokenizer

__all__ = [
    "G2_THRESHOLD",
    "LOG_RATIO_THRESHOLD",
    "PART_ARTICLES",
    "article_texts",
    "background_idf",
    "blend_idf",
    "keyness",
    "keyness_table",
    "log_likelihood",
    "missing_terms",
    "term_weights",
    "top_term_parts",
    "top_terms",
    "vectorize",
]


def article_texts(articles: pd.DataFrame, *, headline_weight: int = 1) -> list[str]:
    """The text analysed for each article: the headline fields (kicker, title, subtitle)
    ``headline_weight`` times (0 leaves them out), then the body."""
    texts = []
    for row in articles.itertuples(index=False):
        parts = []
        for _ in range(headline_weight):
            parts += [getattr(row, f, None) for f in ("kicker", "title", "subtitle")]
        parts.append(row.text)
        texts.append("\n".join(p for p in parts if isinstance(p, str) and p))
    return texts


def vectorize(
    texts: Sequence[str],
    tokenizer: Tokenizer | None = None,
    *,
    n0: float = 50.0,
    sublinear_tf: bool = False,
) -> tuple[DocumentTerms, sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF with the blended IDF. Returns (the terms, tf-idf matrix, count matrix); the
    first has ``get_feature_names_out()`` like a fitted scikit-learn vectorizer."""
    terms = document_terms(texts, tokenizer or default_tokenizer())
    if not len(terms.terms):
        raise NotEnoughDataError(
            f"no words are left after tokenizing and filtering {len(texts)} text(s): the input "
            "may hold no Chinese text, or only stopwords and numbers"
        )
    return terms, terms.tfidf(n0=n0, sublinear_tf=sublinear_tf), terms.counts


def term_weights(
    vectorizer: DocumentTerms, tfidf: sparse.spmatrix, row: int | None = None
) -> dict[str, float]:
    """Term → TF-IDF weight of one row of ``tfidf``, or summed over all rows when ``row``
    is None (a whole page); zero weights left out. What word clouds are drawn from."""
    values = tfidf.sum(axis=0).A1 if row is None else tfidf.getrow(row).toarray().ravel()
    terms = vectorizer.get_feature_names_out()
    return {terms[j]: float(values[j]) for j in values.nonzero()[0]}


def top_terms(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    k: int = 10,
    tokenizer: Tokenizer | None = None,
    n0: float = 50.0,
    headline_weight: int | None = None,
) -> pd.DataFrame:
    """The ``k`` highest TF-IDF terms of every article, best first.

    ``corpus`` is an :class:`~analysis.representations.analysed.AnalysedCorpus` or an articles
    table. Columns: id, title, rank, term, score, tf, df. Ties break by term, so the order
    is deterministic. :func:`top_term_parts` gives the same rows a part at a time.

    >>> from analysis import load_articles
    >>> kw = top_terms(load_articles(), k=3)
    >>> kw[kw["id"].str.endswith("-02")]["term"].tolist()
    ['小何', '快递小哥', '派件']
    """
    parts = list(
        top_term_parts(corpus, k=k, tokenizer=tokenizer, n0=n0, headline_weight=headline_weight)
    )
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)


#: Articles whose keywords :func:`top_term_parts` ranks at a time.
PART_ARTICLES = 50_000


def top_term_parts(
    corpus: AnalysedCorpus | pd.DataFrame,
    *,
    k: int = 10,
    tokenizer: Tokenizer | None = None,
    n0: float = 50.0,
    headline_weight: int | None = None,
    part: int = PART_ARTICLES,
) -> Iterator[pd.DataFrame]:
    """:func:`top_terms`, ``part`` articles at a time: tables of the same columns whose
    rows, one after another, are :func:`top_terms`'s. The TF-IDF of a part is made when
    it is ranked, so a million articles' weights and ten million rows of keywords are
    never held at once; each row's weights are the same as the whole matrix's (the IDF
    is the corpus's, and rows are normalised one by one)."""
    if isinstance(corpus, pd.DataFrame):  # a corpus of our own: only articles are counted
        weight = 1 if headline_weight is None else headline_weight
        corpus = AnalysedCorpus(
            corpus, tokenizer=tokenizer, headline_weight=weight, paragraph_counts=False
        )
    corpus = analysed(corpus, tokenizer, headline_weight=headline_weight)
    corpus.require_words()
    articles, matrix = corpus.articles, corpus.terms
    idf = matrix.idf(n0=n0)
    document_frequency = matrix.document_frequency
    rank = term_ranks(matrix.terms)
    terms = pd.Series(matrix.terms, copy=False)
    n_rows = matrix.counts.shape[0]
    for start in range(0, max(n_rows, 1), max(part, 1)):
        end = min(start + part, n_rows)
        counts = matrix.counts[start:end]
        tfidf = DocumentTerms.weighted(counts, idf)
        rows, places = top_places(tfidf, matrix.terms, k, rank=rank)
        column = tfidf.indices[places].astype(np.int64)
        if _same_layout(tfidf, counts):  # the counts at the same places: no lookup
            tf = counts.data[places].astype(int)
        else:
            tf = np.asarray(counts[rows, column]).ravel().astype(int)
        per_row = np.bincount(rows, minlength=end - start)
        within = np.arange(1, len(rows) + 1) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        if start:
            release_memory()  # what the part before left in the memory pools
        yield pd.DataFrame(
            {
                "id": _taken(articles["id"], rows + start),
                "title": _taken(articles["title"], rows + start),
                "rank": within,
                "term": _taken(terms, column),
                "score": tfidf.data[places].astype(float),
                "tf": tf,
                "df": document_frequency[column].astype(int),
            },
            copy=False,
        )


def _same_layout(a: sparse.csr_matrix, b: sparse.csr_matrix) -> bool:
    """Whether two CSR matrices store values at the same places."""
    return (
        a.shape == b.shape
        and a.nnz == b.nnz
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
    )


def _taken(values: pd.Series, rows: np.ndarray):
    """``values.to_numpy()[rows]`` as the column pandas makes of it: a column of strings
    is taken in its own storage, without a Python string for each of the ten million
    rows of a million articles. The row numbers go to pyarrow as 32-bit integers where
    they fit: its take of a large_string column by 64-bit ones is fifteen times slower
    (pyarrow 26: 3.3 s against 0.2 s for ten million titles)."""
    if values.dtype != _STRINGS:
        return values.to_numpy()[rows]
    import pyarrow as pa

    small = len(values) <= np.iinfo(np.int32).max
    index = pa.array(rows.astype(np.int32) if small else rows)
    return pd.array(pa.array(values.array).take(index), dtype=_STRINGS)


_STRINGS = pd.Series(["text"]).dtype  # what pandas makes of an array of strings


#: G² above this is significant at p < 0.001 (chi-square, 1 degree of freedom).
G2_THRESHOLD = 10.83
#: |log2 ratio| at or above this: at least twice as frequent, relatively (Hardie 2014).
LOG_RATIO_THRESHOLD = 1.0


def keyness(
    corpus: AnalysedCorpus | pd.DataFrame,
    target: str | Sequence[str],
    *,
    tokenizer: Tokenizer | None = None,
    k: int | None = 20,
    min_count: int = 2,
    terms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Keyness of the target article(s) against all others, as quanteda's textstat_keyness.

    ``target`` is an article id or a list of ids. The columns are those of
    :func:`keyness_table`. Terms with fewer than ``min_count`` occurrences overall are
    left out. Sorted by G², highest first; ``k`` limits the rows (``None`` for all);
    ``terms`` keeps only those words (see :func:`keyness_table`).
    """
    corpus = analysed(corpus, tokenizer)
    targets = {target} if isinstance(target, str) else set(target)
    ids = corpus.articles["id"]
    unknown = targets - set(ids)
    if unknown:
        raise OptionError(
            f"unknown article id(s): {', '.join(sorted(unknown))}; list the ids with 'articles'"
        )
    if len(corpus) < 2:
        raise NotEnoughDataError(
            f"keyness compares articles with the others: this input has {len(corpus)} "
            "article; give at least 2"
        )
    if len(targets) == len(corpus):
        raise OptionError("keyness needs a reference: the target cannot be every article")
    mask = ids.isin(targets).to_numpy()
    return keyness_table(corpus, mask, ~mask, k=k, min_count=min_count, terms=terms)


def missing_terms(corpus: AnalysedCorpus, terms: Sequence[str]) -> list[str]:
    """The words of ``terms`` that are not terms of ``corpus`` as it is tokenized (they do
    not occur, or are cut into pieces), with a :class:`UserWarning` naming them."""
    vocabulary = set(corpus.terms.terms)
    missing = [t for t in dict.fromkeys(terms) if t not in vocabulary]
    if missing:
        warnings.warn(
            f"not a word of this corpus as it is tokenized: {', '.join(missing)} (it may not "
            "occur, or be cut into pieces: add it to a --user-dict to count it whole)",
            stacklevel=2,
        )
    return missing


def keyness_table(
    corpus: AnalysedCorpus,
    target: np.ndarray,
    reference: np.ndarray,
    *,
    k: int | None = 20,
    min_count: int = 2,
    terms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Keyness of the articles in the boolean mask ``target`` against those in
    ``reference``. For every term (only those of ``terms`` when it is given, whatever
    their count; :func:`missing_terms` says which of them the corpus lacks):

    - ``n_target``, ``n_reference``: its counts; ``per_10k_target``,
      ``per_10k_reference``: the same per 10,000 tokens of each side;
    - ``g2``: log-likelihood G² (Dunning 1993) over the 2×2 table of (term, other terms) ×
      (target, reference), signed: positive when the term is relatively more frequent in
      the target;
    - ``chi2``: Pearson's chi-square with Yates' correction, signed the same way;
    - ``p``: p-value of G² with one degree of freedom;
    - ``log_ratio``: effect size, log2 of the ratio of relative frequencies (Hardie 2014),
      with 0.5 added to zero counts;
    - ``key``: ``g2`` ≥ 10.83 (p < 0.001) and ``log_ratio`` ≥ 1 (at least twice as
      frequent), i.e. a key term of the target; negative keyness is the reference's.

    Sorted by G², highest first.
    """
    # each side's counts summed by one product with its mask (no copy of its rows)
    counts_t = corpus.terms.counts.T
    a = np.asarray(counts_t @ np.asarray(target, dtype=np.float64)).ravel()
    b = np.asarray(counts_t @ np.asarray(reference, dtype=np.float64)).ravel()
    if not a.sum() or not b.sum():
        side = "target" if not a.sum() else "reference"
        raise NotEnoughDataError(f"keyness: the {side} has no words left after filtering")
    table = _keyness_table(corpus.terms.terms, a, b)
    if terms is not None:
        table = table[table["term"].isin(set(terms))]
    else:
        table = table[table["n_target"] + table["n_reference"] >= min_count]
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
    table = table.reset_index(drop=True)
    return table.head(k) if k is not None else table


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's (1993) log-likelihood G² of counts ``a`` of ``c`` tokens against ``b``
    of ``d`` (the 2×2 table [[a, b], [c - a, d - b]]), unsigned.

    >>> round(float(log_likelihood(np.array([10.0]), np.array([0.0]), 100.0, 100.0)[0]), 2)
    14.39
    """
    total = c + d
    n_c, n_d = c - a, d - b
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * sum(
            np.where(obs > 0, obs * np.log(obs / (row * col / total)), 0.0)
            for obs, row, col in (
                (a, a + b, c),
                (b, a + b, d),
                (n_c, n_c + n_d, c),
                (n_d, n_c + n_d, d),
            )
        )


def _keyness_table(terms: np.ndarray, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    c, d = a.sum(), b.sum()
    total = c + d
    n_c, n_d = c - a, d - b  # the 2x2 table is [[a, b], [n_c, n_d]]
    g2 = log_likelihood(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = np.abs(a * n_d - b * n_c)
        yates = np.maximum(det - total / 2, 0)
        chi2 = total * yates**2 / ((a + b) * (n_c + n_d) * c * d)
        log_ratio = np.log2((np.maximum(a, 0.5) / c) / (np.maximum(b, 0.5) / d))
    sign = np.where(a / c >= b / d, 1.0, -1.0)
    table = pd.DataFrame(
        {
            "term": terms,
            "n_target": a.astype(int),
            "n_reference": b.astype(int),
            "per_10k_target": a / c * 10_000,
            "per_10k_reference": b / d * 10_000,
            "g2": sign * g2,
            "chi2": sign * np.nan_to_num(chi2),
            "p": special.chdtrc(1, g2),  # = scipy.stats.chi2.sf(g2, 1), without its import cost
            "log_ratio": log_ratio,
        }
    )
    table["key"] = (table["g2"] >= G2_THRESHOLD) & (table["log_ratio"] >= LOG_RATIO_THRESHOLD)
    return table
