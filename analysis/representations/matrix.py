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
from sklearn.preprocessing import normalize

__all__ = [
    "LARGE_INPUT_CHARS",
    "DocumentTerms",
    "background_idf",
    "blend_idf",
    "document_terms",
    "top_per_row",
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
        return np.bincount(self.counts.indices, minlength=len(self.terms))

    def tfidf(self, *, n0: float = 50.0, sublinear_tf: bool = False) -> sparse.csr_matrix:
        """TF-IDF with the corpus IDF blended with jieba's background IDF (``n0`` = 0:
        the corpus IDF only); rows L2-normalised."""
        n = self.counts.shape[0]
        idf = np.log((1 + n) / (1 + self.document_frequency)) + 1.0
        idf = blend_idf(idf, self.terms, n, n0)
        weights = self.counts.astype(np.float64)
        if sublinear_tf:
            np.log(weights.data, out=weights.data)
            weights.data += 1.0
        weights.data *= idf[weights.indices]
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
    return _alphabetical(np.asarray(terms, dtype=object), counts)


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
    return _alphabetical(np.asarray(list(index), dtype=object), matrix)


def _alphabetical(terms: np.ndarray, counts: sparse.csr_matrix) -> DocumentTerms:
    """Columns in the order of the terms' code points, as scikit-learn sorts them, so
    that ties between terms break the same way whatever the tokenization order."""
    order = np.argsort(terms.astype(str), kind="stable") if len(terms) else np.arange(0)
    counts = counts.tocsc()[:, order].tocsr()
    counts.sort_indices()
    return DocumentTerms(terms[order], counts)


def top_per_row(matrix: sparse.csr_matrix, terms: np.ndarray, k: int) -> list[list[int]]:
    """For every row, the column indices of its ``k`` largest values, best first; ties
    break by term. Works on the sparse rows directly (no dense row is ever made).

    >>> m = sparse.csr_matrix(np.array([[0.1, 0.5, 0.5], [0.0, 0.0, 0.0]]))
    >>> top_per_row(m, np.array(["b", "c", "a"]), 2)
    [[2, 1], []]
    """
    out: list[list[int]] = []
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        cols = indices[start:end]
        values = data[start:end]
        keep = values != 0
        cols, values = cols[keep], np.round(values[keep], 12)
        # lexsort: the last key is the primary one
        order = np.lexsort((terms[cols].astype(str), -values))[:k]
        out.append(cols[order].tolist())
    return out
