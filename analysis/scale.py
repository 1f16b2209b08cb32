"""Tokenizing many documents: the token cache, worker processes, streaming counts.

- :func:`tokenize_many` returns token lists for a list of texts. It serves what it can
  from the cache (:mod:`analysis.cache`) and tokenizes the rest, over worker processes
  when there is enough text to pay for them. Used by keywords and themes.
- :func:`count_matrix` is for archives too big to hold as Python token lists: texts are
  streamed in chunks to worker processes, each worker tokenizes and *counts* its chunk
  (a small vocabulary and a sparse matrix), and the parent merges the counts into one
  sparse matrix. Token lists never cross a process boundary or pile up in memory.

Where :func:`count_matrix` runs is its ``scheduler``: ``"local"``, the worker processes of
this module, or a Dask cluster (``"dask"``, a ``distributed.LocalCluster`` on this
machine, or ``"tcp://HOST:PORT"``, an existing one; see :mod:`analysis.dask_backend`).
Every scheduler numbers the terms in order of first appearance and gives the same matrix.
The default is ``$ANALYSIS_SCHEDULER`` (set by the command line's ``--scheduler``), else
:data:`DEFAULT_SCHEDULER`. :func:`tokenize_many` always uses the local workers: its
inputs (up to 20 M characters in :mod:`analysis.matrix`) take seconds, about what a Dask
cluster takes to start, and it returns token lists, which are not worth sending back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import filterfalse, islice

import numpy as np
from scipy import sparse

from analysis.cache import TokenCache, cache_enabled, text_key
from analysis.errors import OptionError
from analysis.processes import check_interrupted, cpu_count, worker_pool
from analysis.tokenize import Tokenizer, TokenizerConfig

__all__ = [
    "DEFAULT_SCHEDULER",
    "SCHEDULER_ENV",
    "check_scheduler",
    "count_matrix",
    "default_jobs",
    "default_scheduler",
    "tokenize_many",
]

#: Below this many characters, one process is faster than starting workers.
PARALLEL_MIN_CHARS = 2_000_000
CHUNK_DOCS = 500
CHUNK_CHARS = 250_000

#: Where archives are counted when neither a scheduler nor ``n_jobs`` is given: on one
#: machine the local pool counted 1 GB faster than a Dask LocalCluster, in less memory
#: (benchmarks/README.md, "The archive on Dask"); Dask is for beyond one machine.
DEFAULT_SCHEDULER = "local"
SCHEDULER_ENV = "ANALYSIS_SCHEDULER"

_worker_tokenizer: Tokenizer | None = None
# The parent's built tokenizer, set just before workers start. Forked workers inherit it
# (copy-on-write) instead of loading the dictionaries again, about 0.5 s each; workers
# started by spawn or forkserver import this module afresh, find None, and build their own.
_inherited: Tokenizer | None = None


def default_jobs() -> int:
    """Worker processes to use: the CPUs this process may run on."""
    return cpu_count()


def check_scheduler(value: str) -> str:
    """``value`` if it names a scheduler: ``local``, ``dask`` or a Dask scheduler's address
    (``tcp://HOST:PORT``, ``tls://HOST:PORT``); else an :class:`OptionError`.

    >>> check_scheduler("dask"), check_scheduler("tcp://10.0.0.5:8786")
    ('dask', 'tcp://10.0.0.5:8786')
    """
    if value in ("local", "dask") or re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d+/?", value):
        return value
    raise OptionError(
        f"scheduler {value!r}: use local (this machine's worker processes), dask (a Dask "
        "cluster on this machine) or the address of a Dask scheduler, tcp://HOST:PORT"
    )


def default_scheduler() -> str:
    """``$ANALYSIS_SCHEDULER`` when set, else :data:`DEFAULT_SCHEDULER`."""
    value = os.environ.get(SCHEDULER_ENV, "").strip()
    try:
        return check_scheduler(value or DEFAULT_SCHEDULER)
    except OptionError as exc:
        raise OptionError(f"{SCHEDULER_ENV}={value}: {exc}") from None


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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: token lists hold only strings and make no
    cycles, and collections triggered by allocating them cost about 5% of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    assert _worker_tokenizer is not None
    with _gc_paused():
        return [_worker_tokenizer.tokens(t) for t in texts]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        check_interrupted()
        yield chunk


def _text_chunks(texts: Iterable[str], docs: int, chars: int = CHUNK_CHARS) -> Iterator[list]:
    """Chunks of at most ``docs`` texts and about ``chars`` characters: small enough that
    the last chunks do not leave one worker busy while the others idle."""
    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text)
        if len(chunk) >= docs or size >= chars:
            check_interrupted()
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _progress(total: int | None, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="doc", disable=not enabled, file=sys.stderr)


def tokenize_many(
    texts: Sequence[str],
    tokenizer: Tokenizer,
    *,
    use_cache: bool | None = None,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> list[list[str]]:
    """Filtered tokens of every text, in order; cached and parallel where it pays.

    ``use_cache`` defaults to :func:`analysis.cache.cache_enabled`; ``n_jobs`` defaults to
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


class _Vocabulary:
    """Terms numbered in order of first appearance (the updates run in C)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.terms: list[str] = []

    def add(self, terms: Iterable[str]) -> None:
        """Number the terms not seen before; ``terms`` holds no duplicates."""
        new = list(filterfalse(self.index.__contains__, terms))
        first = len(self.terms)
        self.index.update(zip(new, range(first, first + len(new)), strict=True))
        self.terms += new


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


def _count_chunk(
    texts: list[str], tokenizer: Tokenizer, vocabulary: _Vocabulary
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Tokenize and count one chunk: the terms new to ``vocabulary`` and CSR arrays whose
    column numbers are ``vocabulary``'s."""
    before = len(vocabulary.terms)
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    with _gc_paused():
        for text in texts:
            counts = Counter(tokenizer.tokens(text))  # counted in C, first-seen order
            vocabulary.add(counts)
            indices.extend(map(vocabulary.index.__getitem__, counts))
            data.extend(counts.values())
            indptr.append(len(indices))
    return (
        vocabulary.terms[before:],
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int32),
        np.asarray(data, dtype=np.int32),
    )


def _count_in_worker(texts: list[str]) -> tuple:
    assert _worker_tokenizer is not None
    return (os.getpid(), *_count_chunk(texts, _worker_tokenizer, _worker_vocabulary))


def count_partition(
    texts: Iterable[str], tokenizer: Tokenizer
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count one partition with a vocabulary of its own: (terms in order of first
    appearance, CSR indptr, indices, data). Counted in chunks, so no Python list grows
    with the partition. What a Dask worker does (:mod:`analysis.dask_backend`).

    >>> from analysis.tokenize import default_tokenizer
    >>> texts = ["工会驿站服务快递小哥", "快递小哥"]
    >>> terms, indptr, indices, data = count_partition(texts, default_tokenizer())
    >>> terms, indptr.tolist(), indices.tolist(), data.tolist()
    (['工会驿站', '服务', '快递小哥'], [0, 3, 4], [0, 1, 2, 2], [1, 1, 1, 1])
    """
    vocabulary = _Vocabulary()
    parts = []
    for chunk in _chunks(texts, CHUNK_DOCS):
        _, indptr, indices, data = _count_chunk(chunk, tokenizer, vocabulary)
        parts.append((indptr, indices, data))
    return (vocabulary.terms, *_concatenate(parts))


def _concatenate(
    parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR blocks (indptr, indices, data) stacked row-wise into one block's arrays."""
    if not parts:
        return np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
    ends = np.cumsum([int(indptr[-1]) for indptr, _, _ in parts])
    indptr = np.concatenate(
        [np.zeros(1, np.int64)]
        + [p[0][1:] + offset for p, offset in zip(parts, [0, *ends[:-1]], strict=True)]
    )
    indices = np.concatenate([p[1] for p in parts])
    data = np.concatenate([p[2] for p in parts])
    return indptr, indices, data


def stack_counts(
    parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], n_terms: int
) -> sparse.csr_matrix:
    """The document × term matrix of CSR blocks whose columns are already the merged
    vocabulary's; every scheduler builds its result here, so all give the same arrays."""
    indptr, indices, data = _concatenate(parts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_terms))


def count_matrix(
    texts: Iterable[str],
    tokenizer: Tokenizer,
    *,
    n_jobs: int | None = None,
    chunk_docs: int = CHUNK_DOCS,
    total: int | None = None,
    progress: bool = True,
    scheduler: str | object | None = None,
    partitions: int | None = None,
) -> tuple[list[str], sparse.csr_matrix]:
    """Stream ``texts`` through worker processes; return (terms, document × term counts).

    Memory holds one chunk of texts per worker plus the growing sparse matrix (int32
    counts). Terms are numbered in order of first appearance, so the result does not
    depend on ``n_jobs``, ``chunk_docs``, the scheduler or the partitions.

    ``scheduler`` is ``"local"``, ``"dask"``, a Dask scheduler's address or a
    ``distributed.Client``. ``n_jobs`` (worker processes) and ``chunk_docs`` are for
    ``"local"``, and giving ``n_jobs`` without a scheduler picks it; otherwise the default
    is :func:`default_scheduler`. ``partitions`` (how many parts the texts are cut into;
    needs ``total`` for a stream) is for Dask.
    """
    if scheduler is None:
        scheduler = "local" if n_jobs is not None else default_scheduler()
    if scheduler != "local":
        from analysis.dask_backend import count_texts

        return count_texts(
            texts, tokenizer, scheduler=scheduler, partitions=partitions, total=total,
            progress=progress,
        )  # fmt: skip
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
    return vocabulary.terms, stack_counts(parts, len(vocabulary.terms))
