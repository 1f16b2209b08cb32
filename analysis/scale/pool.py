"""This machine's worker processes: tokenizing many documents, and counting archives.

- :func:`tokenize_many` returns token lists for a list of texts. It serves what it can
  from the cache (:mod:`analysis.text.cache`) and tokenizes the rest, over worker
  processes when there is enough text to pay for them. Used by keywords and themes. It
  always runs here: its inputs (up to 20 M characters in
  :mod:`analysis.representations.matrix`) take seconds, about what a Dask cluster takes
  to start, and it returns token lists, which are not worth sending back.
- :func:`count_local` is the ``"local"`` scheduler of
  :func:`analysis.scale.counting.count_matrix`, for archives too big to hold as token
  lists: texts are streamed in chunks to the workers, each tokenizes and *counts* its
  chunk (:mod:`analysis.scale.partitions`), and the parent merges the counts into one
  sparse matrix. Token lists never cross a process boundary or pile up in memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import numpy as np
from scipy import sparse

from analysis.processes import cpu_count, gc_paused, release_memory, worker_pool
from analysis.scale.partitions import (
    CHUNK_DOCS,
    _chunks,
    _count_chunk,
    _progress,
    _text_chunks,
    _Vocabulary,
    stack_counts,
)
from analysis.text.cache import TokenCache, cache_enabled, text_key
from analysis.text.tokenize import Tokenizer, TokenizerConfig

__all__ = [
    "count_local",
    "default_jobs",
    "tokenize_many",
]

#: Below this many characters, one process is faster than starting workers.
PARALLEL_MIN_CHARS = 2_000_000


_worker_tokenizer: Tokenizer | None = None
# The parent's built tokenizer, set just before workers start. Forked workers inherit it
# (copy-on-write) instead of loading the dictionaries again, about 0.5 s each; workers
# started by spawn or forkserver import this module afresh, find None, and build their own.
_inherited: Tokenizer | None = None


def default_jobs() -> int:
    """Worker processes to use: the CPUs this process may run on."""
    return cpu_count()


def _init_worker(config: TokenizerConfig) -> None:
    global _worker_tokenizer, _worker_vocabulary
    _worker_vocabulary = _Vocabulary()
    if _inherited is not None and _inherited.config == config:
        _worker_tokenizer = _inherited
    else:
        _worker_tokenizer = Tokenizer(config)


@contextmanager
def _pool(n_jobs: int, tokenizer: Tokenizer) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that tokenize like ``tokenizer``. Where workers are forked, the
    parent builds the tokenizer once and every worker inherits it."""
    global _inherited
    if multiprocessing.get_start_method() == "fork":
        tokenizer.backend  # noqa: B018 - loads the dictionaries before the fork
        tokenizer.stopwords_  # noqa: B018
        _inherited = tokenizer
    try:
        with worker_pool(n_jobs, initializer=_init_worker, initargs=(tokenizer.config,)) as pool:
            yield pool
    finally:
        _inherited = None


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    assert _worker_tokenizer is not None
    with gc_paused():
        return [_worker_tokenizer.tokens(t) for t in texts]


def tokenize_many(
    texts: Sequence[str],
    tokenizer: Tokenizer,
    *,
    use_cache: bool | None = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> list[list[str]]:
    """Filtered tokens of every text, in order; cached and parallel where it pays.

    ``use_cache`` defaults to :func:`analysis.text.cache.cache_enabled`; ``n_jobs`` defaults to
    :func:`default_jobs` when the texts hold more than ``PARALLEL_MIN_CHARS`` characters,
    else 1. ``progress`` (a tqdm bar on stderr) defaults to on for parallel runs.
    """
    use_cache = cache_enabled() if use_cache is None else use_cache
    keys = [text_key(t) for t in texts]
    known: dict[str, list[str]] = {}
    cache = TokenCache(tokenizer.fingerprint()) if use_cache else None
    if cache is not None:
        known = cache.get_many(keys)
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    text_of = dict(zip(keys, texts, strict=True))
    todo_texts = [text_of[k] for k in missing]
    if n_jobs is None:
        n_jobs = default_jobs() if sum(map(len, todo_texts)) > PARALLEL_MIN_CHARS else 1
    progress = n_jobs > 1 if progress is None else progress
    fresh: dict[str, list[str]] = {}
    if todo_texts:
        with _progress(len(todo_texts), "tokenizing", progress) as bar:
            if n_jobs <= 1:
                for key, text in zip(missing, todo_texts, strict=True):
                    fresh[key] = tokenizer.tokens(text)
                    bar.update()
            else:
                with _pool(n_jobs, tokenizer) as pool:
                    chunks = list(_chunks(zip(missing, todo_texts, strict=True), CHUNK_DOCS))
                    results = pool.map(_tokenize_chunk, [[t for _, t in c] for c in chunks])
                    for chunk, token_lists in zip(chunks, results, strict=True):
                        for (key, _), tokens in zip(chunk, token_lists, strict=True):
                            fresh[key] = tokens
                        bar.update(len(chunk))
        if cache is not None:
            cache.put_many(fresh)
    known.update(fresh)
    return [known[k] for k in keys]


class _IdMap:
    """A worker's term numbers → the parent's, growing as the worker meets new terms."""

    def __init__(self) -> None:
        self.ids = np.empty(1024, dtype=np.int32)
        self.size = 0

    def extend(self, ids: np.ndarray) -> np.ndarray:
        end = self.size + len(ids)
        if end > len(self.ids):
            self.ids = np.resize(self.ids, max(end, 2 * len(self.ids)))
        self.ids[self.size : end] = ids
        self.size = end
        return self.ids[:end]


# a worker's own vocabulary, kept for the life of the pool, so that each chunk sends the
# parent only the terms the worker had not met before
_worker_vocabulary = _Vocabulary()


def _count_in_worker(texts: list[str]) -> tuple:
    assert _worker_tokenizer is not None
    return (os.getpid(), *_count_chunk(texts, _worker_tokenizer, _worker_vocabulary))


def count_local(
    texts: Iterable[str],
    tokenizer: Tokenizer,
    *,
    n_jobs: int | None = None,
    chunk_docs: int = CHUNK_DOCS,
    total: int | None = None,
    progress: bool = True,
) -> tuple[list[str], sparse.csr_matrix]:
    """Stream ``texts`` through this machine's worker processes; return (terms,
    document × term counts), as :func:`analysis.scale.counting.count_matrix` describes.

    Memory holds one chunk of texts per worker plus the growing sparse matrix (int32
    counts); ``n_jobs`` worker processes (default: one per CPU) take ``chunk_docs`` texts
    at a time.
    """
    n_jobs = n_jobs or default_jobs()
    vocabulary = _Vocabulary()
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (indptr, indices, data)
    id_maps: dict[int, _IdMap] = {}  # worker pid → its term numbers in ours

    def merge(result) -> None:
        # Results are merged in the order the chunks were sent, and each worker takes
        # its chunks in that order too, so a worker's new terms extend its map in the
        # order it numbered them. Terms new to everyone keep their first-seen order.
        pid, new_terms, indptr, indices, data = result
        vocabulary.add(new_terms)
        ids = np.fromiter(map(vocabulary.index.__getitem__, new_terms), np.int32, len(new_terms))
        id_map = id_maps.setdefault(pid, _IdMap()).extend(ids)
        parts.append((indptr, id_map[indices], data))

    with _progress(total, "counting", progress) as bar:
        if n_jobs <= 1:
            for chunk in _chunks(texts, chunk_docs):
                _, indptr, indices, data = _count_chunk(chunk, tokenizer, vocabulary)
                parts.append((indptr, indices, data))
                bar.update(len(chunk))
        else:
            with _pool(n_jobs, tokenizer) as pool:
                # a bounded number of chunks in flight keeps memory flat while streaming
                pending = []
                for chunk in _text_chunks(texts, chunk_docs):
                    pending.append((len(chunk), pool.submit(_count_in_worker, chunk)))
                    if len(pending) >= 2 * n_jobs:
                        size, future = pending.pop(0)
                        merge(future.result())
                        bar.update(size)
                for size, future in pending:
                    merge(future.result())
                    bar.update(size)
    release_memory()  # the workers' results, before the matrix is made of them
    matrix = stack_counts(parts, len(vocabulary.terms))
    release_memory()  # the blocks it was made of
    return vocabulary.terms, matrix
