"""The document-term matrix: every analysis reads the counts of one tokenization.

:func:`document_terms` tokenizes texts once and returns a :class:`DocumentTerms`: the
terms in alphabetical order and a sparse matrix of counts (documents × terms). Small
inputs go through the token cache (:func:`analysis.scale.tokenize_many`), so a notebook
re-run does not tokenize again; large ones are streamed through worker processes that
send back counts, never token lists (:func:`analysis.scale.count_matrix`), so memory
stays proportional to the vocabulary and the number of non-zero counts.

TF-IDF is computed from the counts as scikit-learn's ``TfidfVectorizer`` computes it
(raw term frequency, smoothed IDF ``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised),
with the IDF blended with jieba's background IDF (:func:`blend_idf`),
so the numbers are the same as before this module existed.

>>> dt = document_terms(["工会 服务 职工", "工会 组织 建设"], tokenize=str.split)
>>> dt.terms.tolist(), dt.counts.toarray().tolist()
(['工会', '建设', '服务', '组织', '职工'], [[1, 0, 1, 0, 1], [1, 1, 0, 1, 0]])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = [
    "LARGE_INPUT_CHARS",
    "TOP_CHUNK_VALUES",
    "DocumentTerms",
    "alphabetical",
    "background_idf",
    "blend_idf",
    "document_terms",
    "term_ranks",
    "top_per_row",
    "top_places",
]

#: Above this many characters, texts are counted in worker processes, not cached.
LARGE_INPUT_CHARS = 20_000_000


@cache
def background_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median, read from the installed jieba package."""
    import jieba

    # located without importing jieba.analyse, whose import reads this file on its own
    path = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").rpartition(" ")
            if word:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def blend_idf(idf: np.ndarray, terms: Sequence[str], n: int, n0: float) -> np.ndarray:
    """The corpus IDF of ``terms`` over ``n`` documents blended with jieba's background
    IDF (see :mod:`analysis.methods.keywords`); ``n0`` = 0 leaves it as it is."""
    if n0 <= 0:
        return idf
    table, median = background_idf()
    background = np.fromiter((table.get(t, median) for t in terms), idf.dtype, len(terms))
    weight = n / (n + n0)
    return weight * idf + (1 - weight) * background


@dataclass
class DocumentTerms:
    """Counts of terms (columns, in alphabetical order) in documents (rows)."""

    terms: np.ndarray
    counts: sparse.csr_matrix

    def get_feature_names_out(self) -> np.ndarray:
        """The terms, as scikit-learn's vectorizers name this."""
        return self.terms

    @property
    def document_frequency(self) -> np.ndarray:
        # a slice at a time: bincount takes 64-bit numbers, and a copy of a million
        # articles' 32-bit column numbers in them is a quarter of a gigabyte
        indices, n = self.counts.indices, len(self.terms)
        frequency = np.zeros(n, dtype=np.int64)
        for start in range(0, len(indices), _RENUMBER_VALUES):
            frequency += np.bincount(indices[start : start + _RENUMBER_VALUES], minlength=n)
        return frequency

    def idf(self, *, n0: float = 50.0) -> np.ndarray:
        """Each term's IDF, smoothed as scikit-learn's, blended with jieba's background
        IDF (:func:`blend_idf`; ``n0`` = 0: the corpus IDF only)."""
        n = self.counts.shape[0]
        idf = np.log((1 + n) / (1 + self.document_frequency)) + 1.0
        return blend_idf(idf, self.terms, n, n0)

    def tfidf(self, *, n0: float = 50.0, sublinear_tf: bool = False) -> sparse.csr_matrix:
        """TF-IDF with the corpus IDF blended with jieba's background IDF (``n0`` = 0:
        the corpus IDF only); rows L2-normalised."""
        return self.weighted(self.counts, self.idf(n0=n0), sublinear_tf=sublinear_tf)

    @staticmethod
    def weighted(
        counts: sparse.csr_matrix, idf: np.ndarray, *, sublinear_tf: bool = False
    ) -> sparse.csr_matrix:
        """``counts`` (all rows of a matrix, or some) weighted by ``idf``, rows
        L2-normalised: each row's weights depend on that row and the IDF alone."""
        weights = counts.astype(np.float64)
        if sublinear_tf:
            np.log(weights.data, out=weights.data)
            weights.data += 1.0
        weights.data *= idf[weights.indices]
        from sklearn.preprocessing import normalize  # here: 0.7 s to import, not every kernel's

        return normalize(weights, copy=False).tocsr()


def document_terms(
    texts: Sequence[str],
    tokenizer=None,
    *,
    tokenize: Callable[[str], list[str]] | None = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> DocumentTerms:
    """Tokenize ``texts`` once (with ``tokenizer``, default the package's, or with a
    plain ``tokenize`` function) and count the terms of each."""
    if tokenize is not None:
        token_lists = (tokenize(t) for t in texts)
        return _from_token_lists(token_lists, len(texts))
    from analysis.scale import count_matrix, tokenize_many
    from analysis.text.tokenize import default_tokenizer

    tokenizer = tokenizer or default_tokenizer()
    if sum(map(len, texts)) <= LARGE_INPUT_CHARS:
        tokens = tokenize_many(texts, tokenizer, n_jobs=n_jobs, progress=progress)
        return _from_token_lists(tokens, len(texts))
    terms, counts = count_matrix(
        texts, tokenizer, n_jobs=n_jobs, total=len(texts), progress=progress is not False
    )
    return alphabetical(np.asarray(terms, dtype=object), counts)


def _from_token_lists(token_lists, n_docs: int) -> DocumentTerms:
    index: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for tokens in token_lists:
        counts = Counter(tokens)
        for term in counts:
            if term not in index:
                index[term] = len(index)
        indices.extend(index[t] for t in counts)
        data.extend(counts.values())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, dtype=np.int32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(n_docs, len(index)),
    )
    return alphabetical(np.asarray(list(index), dtype=object), matrix)


def alphabetical(terms: np.ndarray, counts: sparse.csr_matrix) -> DocumentTerms:
    """Columns in the order of the terms' code points, as scikit-learn sorts them, so
    that ties between terms break the same way whatever the tokenization order.
    ``counts`` is used up: the result holds its arrays, renumbered in place."""
    order = np.argsort(terms.astype(str), kind="stable") if len(terms) else np.arange(0)
    # each stored count gets its column's new number, then each row is sorted again: the
    # same matrix as taking the columns in that order, without a copy of it (renumbered
    # a slice at a time, so no second array of a million articles' column numbers)
    indices = counts.indices
    column = np.empty(len(order), dtype=indices.dtype)
    column[order] = np.arange(len(order), dtype=indices.dtype)
    for start in range(0, len(indices), _RENUMBER_VALUES):
        part = indices[start : start + _RENUMBER_VALUES]
        part[...] = column[part]
    counts = sparse.csr_matrix((counts.data, indices, counts.indptr), shape=counts.shape)
    counts.sort_indices()
    return DocumentTerms(terms[order], counts)


#: Column numbers :func:`alphabetical` renumbers at a time.
_RENUMBER_VALUES = 1 << 24


def top_per_row(matrix: sparse.csr_matrix, terms: np.ndarray, k: int) -> list[list[int]]:
    """For every row, the column indices of its ``k`` largest values, best first; ties
    break by term. Works on the sparse rows directly (no dense row is ever made).

    >>> m = sparse.csr_matrix(np.array([[0.1, 0.5, 0.5], [0.0, 0.0, 0.0]]))
    >>> top_per_row(m, np.array(["b", "c", "a"]), 2)
    [[2, 1], []]
    """
    rows, places = top_places(matrix, terms, k)
    columns = matrix.indices[places]
    ends = np.searchsorted(rows, np.arange(1, matrix.shape[0]))
    return [c.tolist() for c in np.split(columns, ends)] if matrix.shape[0] else []


#: About this many stored values are ranked at a time by :func:`top_places` (its padded
#: tables of keys and places take about 16 bytes a cell: a few tens of MB a chunk).
TOP_CHUNK_VALUES = 500_000


def term_ranks(terms: np.ndarray) -> np.ndarray:
    """Each term's place in the order of code points: how :func:`top_places` breaks ties.

    >>> term_ranks(np.array(["b", "c", "a"])).tolist()
    [1, 2, 0]
    """
    order = np.argsort(terms.astype(str), kind="stable")
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    return rank


def top_places(
    matrix: sparse.csr_matrix, terms: np.ndarray, k: int, *, rank: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest non-zero values of every row, as :func:`top_per_row` orders them
    (values rounded to 12 decimals, highest first; ties by term): (row, place) arrays,
    row by row and best first within a row, where ``place`` indexes ``matrix.data`` and
    ``matrix.indices``. Vectorized over chunks of rows.

    >>> m = sparse.csr_matrix(np.array([[0.1, 0.5, 0.5], [0.0, 0.0, 0.0], [0.0, 0.2, 0.0]]))
    >>> rows, places = top_places(m, np.array(["b", "c", "a"]), 2)
    >>> rows.tolist(), m.indices[places].tolist()
    ([0, 0, 2], [2, 1, 1])

    ``rank`` is :func:`term_ranks` of ``terms``, when the caller ranks many matrices of
    the same terms (sorting a million terms takes a second).
    """
    indptr = matrix.indptr
    rank = term_ranks(terms) if rank is None else rank
    found_rows, found_places = [], []
    start = 0
    n_rows = matrix.shape[0]
    while start < n_rows:
        # rows from start up to about TOP_CHUNK_VALUES stored values (at least one row)
        limit = indptr[start] + TOP_CHUNK_VALUES
        end = max(start + 1, int(np.searchsorted(indptr, limit, side="right")) - 1)
        end = min(end, n_rows)
        rows, places = _top_of_rows(matrix, rank, k, start, end)
        found_rows.append(rows)
        found_places.append(places)
        start = end
    if not found_rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(found_rows), np.concatenate(found_places)


def _top_of_rows(
    matrix: sparse.csr_matrix, rank: np.ndarray, k: int, start: int, end: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_places` for rows ``start`` to ``end``. Rows of ordinary length are
    ranked together in a padded table (one partition and one sort of ``k`` values a row);
    rows more than four times as long as the chunk's average by a sort of their values."""
    indptr = matrix.indptr
    lengths = np.diff(indptr[start : end + 1])
    if not lengths.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    width = max(256, 4 * int(lengths.mean()) + 1)
    short = lengths <= width
    long_rows = np.flatnonzero(~short) + start
    if short.all():
        return _top_by_table(matrix, rank, k, start, end)
    found = [_top_by_sort(matrix, rank, k, long_rows)]
    if short.any():
        found.append(_top_by_table(matrix, rank, k, start, end, np.flatnonzero(short) + start))
    rows = np.concatenate([f[0] for f in found])
    places = np.concatenate([f[1] for f in found])
    order = np.argsort(rows, kind="stable")
    return rows[order], places[order]


def _rows_and_places(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the stored values of ``rows`` (ascending): their row and place in ``data``."""
    lengths = indptr[rows + 1] - indptr[rows]
    repeated = np.repeat(rows, lengths)
    within = np.arange(len(repeated)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return repeated, indptr[repeated] + within


def _sort_keys(
    values: np.ndarray, term_ranks: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
    """One int64 per value that orders as (value rounded to 12 decimals descending, term
    rank); or, where the numbers do not fit, the two keys for ``np.lexsort``."""
    rounded = np.round(values, 12)
    if len(values) and np.isfinite(rounded).all() and np.abs(rounded).max() <= 4.0:
        # a value rounded to 12 decimals is a whole number of 1e-12: that number, exact
        scaled = np.rint(rounded * 1e12).astype(np.int64)
        span = int(scaled.max() - scaled.min()) + 1
        if term_ranks.max(initial=0) >= (1 << 62) // span:
            term_ranks = np.unique(term_ranks, return_inverse=True)[1].astype(np.int64)
        if term_ranks.max(initial=0) < (1 << 62) // span:
            return (scaled.max() - scaled) * (term_ranks.max(initial=0) + 1) + term_ranks
    return term_ranks, -rounded


def _top_by_sort(
    matrix: sparse.csr_matrix, rank: np.ndarray, k: int, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_places` of a few long ``rows`` (ascending): all their values sorted by
    (row, key)."""
    rows, places = _rows_and_places(matrix.indptr, rows)
    keep = matrix.data[places] != 0
    rows, places = rows[keep], places[keep]
    keys = _sort_keys(matrix.data[places], rank[matrix.indices[places]])
    # lexsort: the last key is the primary one
    order = np.lexsort((*(keys if isinstance(keys, tuple) else (keys,)), rows))
    rows, places = rows[order], places[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
    counts = np.diff(np.r_[starts, len(rows)])
    best = np.arange(len(rows)) - np.repeat(starts, counts) < k
    return rows[best], places[best]


def _top_by_table(
    matrix: sparse.csr_matrix,
    rank: np.ndarray,
    k: int,
    start: int,
    end: int,
    rows: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_places` of ``rows`` (default: ``start`` to ``end``), their values laid
    out in a table of one line a row, padded with the largest key."""
    indptr = matrix.indptr
    rows = np.arange(start, end, dtype=np.int64) if rows is None else rows
    row_of, places = _rows_and_places(indptr, rows)
    keys = _sort_keys(matrix.data[places], rank[matrix.indices[places]])
    if isinstance(keys, tuple):  # numbers too large for one key
        return _top_by_sort(matrix, rank, k, rows)
    lengths = indptr[rows + 1] - indptr[rows]
    line = np.repeat(np.arange(len(rows)), lengths)
    column = places - indptr[row_of]
    padding = np.iinfo(np.int64).max
    table = np.full((len(rows), int(lengths.max())), padding, dtype=np.int64)
    table[line, column] = np.where(matrix.data[places] != 0, keys, padding)
    if table.shape[1] > k:
        chosen = np.argpartition(table, k - 1, axis=1)[:, :k]
    else:
        chosen = np.broadcast_to(np.arange(table.shape[1]), table.shape)
    chosen_keys = np.take_along_axis(table, chosen, axis=1)
    order = np.argsort(chosen_keys, axis=1, kind="stable")
    chosen = np.take_along_axis(chosen, order, axis=1)
    valid = np.take_along_axis(chosen_keys, order, axis=1) != padding
    out_rows = np.broadcast_to(rows[:, None], chosen.shape)[valid]
    return out_rows, indptr[out_rows] + chosen[valid]
