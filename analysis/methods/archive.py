"""Keywords and themes for an archive too large to hold as token lists.

The archive is counted in partitions (:func:`analysis.scale.count_matrix` for a stream of
texts, :func:`count_files` for files that the workers read themselves), on this machine's
worker processes or on a Dask cluster (``scheduler``, see :mod:`analysis.scale`);
everything after that reads the one sparse count matrix, in this process, so every
scheduler gives the same keywords and themes.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import chain
from pathlib import Path

import numpy as np
from scipy import sparse

from analysis.errors import InputError, OptionError
from analysis.methods.keywords import article_texts
from analysis.methods.themes import cluster_labels
from analysis.reading.corpus import _expand, folder_boilerplate, load_articles
from analysis.representations.matrix import blend_idf
from analysis.scale import count_matrix, default_scheduler
from analysis.text.tokenize import Tokenizer, default_tokenizer

__all__ = [
    "PARTITION_BYTES",
    "archive_files",
    "archive_keywords_and_themes",
    "count_files",
    "keywords_and_themes",
]

#: Bytes of input files per partition when the number of partitions is not given.
PARTITION_BYTES = 24_000_000


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
    scheduler: str | object | None = None,
    partitions: int | None = None,
) -> dict:
    """Keywords and themes for an archive streamed from ``texts``, in bounded memory.

    Counts come from :func:`count_matrix` on ``scheduler`` (``n_jobs`` for the local
    pool, ``partitions`` for Dask); the rest is :func:`keywords_and_themes`.
    """
    terms, counts = count_matrix(
        texts, tokenizer, n_jobs=n_jobs, total=total, scheduler=scheduler, partitions=partitions
    )
    return keywords_and_themes(
        terms, counts, top=top, k=k, n0=n0, dims=dims, random_state=random_state
    )


def keywords_and_themes(
    terms: list[str],
    counts: sparse.csr_matrix,
    *,
    top: int = 10,
    k: int = 10,
    n0: float = 50.0,
    dims: int = 50,
    random_state: int = 0,
) -> dict:
    """Keywords and themes of an archive's document × term counts.

    TF-IDF uses the same blended IDF as :func:`analysis.methods.keywords.vectorize`, in float32;
    themes are MiniBatchKMeans clusters of the LSA-reduced TF-IDF, labelled by c-TF-IDF.
    Returns a dict with ``terms``, ``document_frequency`` (documents per term),
    ``keywords`` (documents × ``top`` term indices, best first, -1 for padding),
    ``labels`` (a theme per document) and ``themes`` (theme → label terms).
    """
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

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

    with threadpool_limits(limits=1):  # see analysis.methods.themes._one_thread
        labels = MiniBatchKMeans(
            n_clusters=k, random_state=random_state, batch_size=4096, n_init=3
        ).fit_predict(reduced)
    themes = cluster_labels(counts, labels, terms, top=8)
    return {
        "terms": terms,
        "document_frequency": df,
        "keywords": keywords,
        "labels": labels,
        "themes": themes,
    }


# -- archives read from files, by the workers -------------------------------------------


def _file_groups(files: Sequence[Path], partitions: int | None) -> list[list[Path]]:
    """Consecutive groups of whole files: ``partitions`` of about equal size in bytes, or
    groups of about :data:`PARTITION_BYTES`."""
    if partitions is not None and partitions < 1:
        raise OptionError(f"partitions must be at least 1, not {partitions}")
    sizes = [path.stat().st_size for path in files]
    target = sum(sizes) / partitions if partitions else PARTITION_BYTES
    groups: list[list[Path]] = []
    group: list[Path] = []
    filled = 0.0
    for path, size in zip(files, sizes, strict=True):
        group.append(path)
        filled += size
        # a group closes once it reaches its share of the bytes read so far
        last = partitions is not None and len(groups) + 1 == partitions
        if filled >= target * (len(groups) + 1) and not last:
            groups.append(group)
            group = []
    if group:
        groups.append(group)
    return groups


def _read_files(
    files: Sequence[Path], boilerplate: dict[Path, frozenset[str]], options: dict
) -> list[str]:
    """The article texts of ``files``, as :func:`load_articles` reads them all at once
    (``boilerplate``: their folders' boilerplate lines). Runs on a worker."""
    for path in files:
        if not path.exists():
            raise InputError(
                f"{path}: not found on {socket.gethostname()} (working folder {os.getcwd()}); "
                "every Dask worker must see the inputs at the same path: give absolute paths "
                "on a file system that the workers share"
            )
    return article_texts(load_articles(list(files), boilerplate=boilerplate, **options))


def count_files(
    paths: str | Path | Iterable[str | Path],
    tokenizer: Tokenizer | None = None,
    *,
    scheduler: str | object | None = None,
    partitions: int | None = None,
    progress: bool = True,
    text_column: str | None = None,
    txt_mode: str = "page",
    bad_rows: str = "error",
    convert: str | None = None,
) -> tuple[list[str], sparse.csr_matrix]:
    """Count the articles of input files in partitions of whole files; return (terms,
    article × term counts), the articles in the order :func:`load_articles` gives.

    On Dask each worker reads its own files (they must be at the same path on every
    worker); on ``"local"`` this process reads one partition at a time and streams its
    texts to the worker pool. Either way the counts equal those of
    ``count_matrix(article_texts(load_articles(paths, ...)))``, and a missing or bad file
    raises the same :class:`~analysis.errors.InputError`. The loader options are those
    of :func:`load_articles`.
    """
    if txt_mode not in ("page", "article"):
        raise OptionError(f"txt_mode must be 'page' or 'article', not {txt_mode!r}")
    tokenizer = tokenizer or default_tokenizer()
    scheduler = default_scheduler() if scheduler is None else scheduler
    files = _expand([paths] if isinstance(paths, str | Path) else paths)
    boilerplate = folder_boilerplate(files) if txt_mode == "page" else {}
    options = {
        "text_column": text_column,
        "txt_mode": txt_mode,
        "bad_rows": bad_rows,
        "convert": convert,
    }
    readers = []
    for group in _file_groups(files, partitions):
        folders = {path.parent for path in group}
        lines = {folder: b for folder, b in boilerplate.items() if folder in folders}
        readers.append(partial(_read_files, group, lines, options))
    if scheduler == "local":
        texts = chain.from_iterable(read() for read in readers)
        return count_matrix(texts, tokenizer, scheduler="local", progress=progress)
    from analysis.scale.dask_backend import count_partitions

    return count_partitions(readers, tokenizer, scheduler=scheduler, progress=progress)


def archive_files(
    paths: str | Path | Iterable[str | Path],
    tokenizer: Tokenizer | None = None,
    *,
    scheduler: str | object | None = None,
    partitions: int | None = None,
    top: int = 10,
    k: int = 10,
    n0: float = 50.0,
    dims: int = 50,
    random_state: int = 0,
    **load_options,
) -> dict:
    """Keywords and themes of the articles in input files (:func:`count_files`, then
    :func:`keywords_and_themes`)."""
    terms, counts = count_files(
        paths, tokenizer, scheduler=scheduler, partitions=partitions, **load_options
    )
    return keywords_and_themes(
        terms, counts, top=top, k=k, n0=n0, dims=dims, random_state=random_state
    )
