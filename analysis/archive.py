"""Keywords and themes for an archive too large to hold as token lists.

The archive is streamed through worker processes that count terms
(:func:`analysis.scale.count_matrix`); everything after that reads the one sparse count
matrix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from analysis.matrix import blend_idf
from analysis.scale import count_matrix
from analysis.themes import cluster_labels
from analysis.tokenize import Tokenizer

__all__ = ["archive_keywords_and_themes"]


def archive_keywords_and_themes(
    texts: Iterable[str],
    tokenizer: Tokenizer,
    *,
    top: int = 10,
    k: int = 10,
    n0: float = 50.0,
    dims: int = 50,
    n_jobs: int | None = None,
    total: int | None = None,
    random_state: int = 0,
) -> dict:
    """Keywords and themes for an archive streamed from ``texts``, in bounded memory.

    Counts come from :func:`count_matrix`; TF-IDF uses the same blended IDF as
    :func:`analysis.keywords.vectorize`, in float32; themes are MiniBatchKMeans clusters
    of the LSA-reduced TF-IDF, labelled by c-TF-IDF. Returns a dict with ``terms``,
    ``keywords`` (documents × ``top`` term indices, best first, -1 for padding),
    ``labels`` (a theme per document) and ``themes`` (theme → label terms).
    """
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    terms, counts = count_matrix(texts, tokenizer, n_jobs=n_jobs, total=total)
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=len(terms))
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    idf = blend_idf(idf, terms, n, n0)
    tfidf = counts.astype(np.float32)
    tfidf.data *= idf[tfidf.indices]
    tfidf = normalize(tfidf, copy=False)
    keywords = np.full((n, top), -1, dtype=np.int32)
    indptr, indices, data = tfidf.indptr, tfidf.indices, tfidf.data
    for row in range(n):
        start, end = indptr[row], indptr[row + 1]
        if end == start:
            continue
        scores = data[start:end]
        best = np.argsort(-scores, kind="stable")[:top]
        keywords[row, : len(best)] = indices[start:end][best]
    reduced = TruncatedSVD(dims, random_state=random_state).fit_transform(tfidf)
    reduced = normalize(reduced, copy=False)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # see analysis.themes._one_thread
        labels = MiniBatchKMeans(
            n_clusters=k, random_state=random_state, batch_size=4096, n_init=3
        ).fit_predict(reduced)
    themes = cluster_labels(counts, labels, terms, top=8)
    return {"terms": terms, "keywords": keywords, "labels": labels, "themes": themes}
