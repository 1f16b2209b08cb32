"""Counting an archive on a Dask cluster, with the same terms and matrix as the local pool.

The archive is cut into partitions in reading order: lists of texts sent with their task
(:func:`count_texts`), or readers that a worker calls to read its own files
(:func:`analysis.methods.archive.count_files`). Each worker builds the caller's tokenizer once,
from its configuration and the bytes of its user dictionaries, and counts each partition
with a vocabulary of its own (:func:`analysis.scale.pool.count_partition`). The client merges
the partitions in their order: their terms, in order of first appearance, extend one
vocabulary, and their columns are renumbered into it. The vocabulary order and the matrix
are those of :func:`analysis.scale.pool.count_matrix` on the local pool, whatever the number
of partitions and workers and the order in which partitions finish.

- **Schedulers.** ``"dask"`` starts a ``distributed.LocalCluster`` with one
  single-threaded worker process per CPU (tokenizing holds the GIL), kept until the
  process ends; ``"tcp://HOST:PORT"`` connects to a running scheduler; a
  ``distributed.Client`` is used as it is. dask and distributed are imported only here,
  and only when a Dask scheduler is asked for.
- **One tokenizer everywhere.** Before any partition is sent, every worker builds the
  tokenizer and reports its :func:`portable_fingerprint`; a worker whose fingerprint
  differs (other versions of the packages, of the dictionaries or of our code) stops the
  run with an :class:`~analysis.errors.AnalysisError` that names it. A worker that joins
  later makes the same check before its first partition.
- **Failures.** The tasks of a worker that dies (killed, out of memory) are run again on
  the others by the scheduler, up to ``distributed.scheduler.allowed-failures`` times; a
  task that raises an unexpected exception is retried :data:`RETRIES` times. An
  :class:`~analysis.errors.AnalysisError` (a bad input file, another tokenizer) is sent
  back as a value, not raised, so it is not retried, and the client raises it: the same
  one-line error as on one machine. Warnings issued on a worker are shown by the client.
- **The token cache** is not used by workers: like the local pool's
  :func:`~analysis.scale.pool.count_matrix`, a partition is counted and its token lists are
  never kept, so workers need no access to the cache folder (``docs/scaling.md``).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import socket
import tempfile
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from analysis.errors import AnalysisError, InputError, OptionError
from analysis.processes import cpu_count
from analysis.scale.partitions import (
    _progress,
    _Vocabulary,
    check_scheduler,
    count_partition,
    document_chars,
    stack_counts,
)
from analysis.text.tokenize import Tokenizer, TokenizerConfig

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "PARTITION_CHARS",
    "RETRIES",
    "TokenizerSpec",
    "client_for",
    "close_clients",
    "count_partitions",
    "count_texts",
    "portable_fingerprint",
]

#: Characters of text per partition when the number of partitions is not given.
PARTITION_CHARS = 8_000_000
#: Times a task that raised an unexpected exception is run again.
RETRIES = 2
#: Seconds to wait for a scheduler to answer, and for a cluster to have a worker.
CONNECT_TIMEOUT = 10
WORKERS_TIMEOUT = 300
#: Packages whose versions a worker reports when its tokenizer differs.
_REPORTED = ("analysis", "jieba", "rjieba", "stopwordsiso")

# a partition's source: its texts, or a function (pickled by reference) that reads them
Source = Sequence[str] | Callable[[], Sequence[str]]

_clients: dict[str, tuple[Client, Any]] = {}  # scheduler → (client, cluster we started)
_clients_lock = threading.Lock()


def client_for(scheduler: str | Client) -> Client:
    """A client of ``scheduler``: ``"dask"`` (a LocalCluster sized to this machine,
    started on first use) or a scheduler's address; one per scheduler for the life of the
    process. A ``distributed.Client`` is returned as it is."""
    if not isinstance(scheduler, str):
        return scheduler
    check_scheduler(scheduler)
    if scheduler == "local":
        raise OptionError("scheduler 'local' runs on this machine's worker pool, not on Dask")
    with _clients_lock:
        known = _clients.get(scheduler)
        if known is None or known[0].status in ("closing", "closed"):
            known = _clients[scheduler] = _connect(scheduler)
    return known[0]


def _connect(scheduler: str) -> tuple[Client, Any]:
    from distributed import Client, LocalCluster

    if scheduler == "dask":
        cluster = LocalCluster(
            n_workers=cpu_count(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # its HTTP server starts anyway; on a free port
            silence_logs=logging.ERROR,
        )
        return Client(cluster, set_as_default=False), cluster
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise OptionError(
            f"scheduler {scheduler}: no Dask scheduler answered within {CONNECT_TIMEOUT} s "
            f"({exc}); check the address, or use --scheduler local or dask"
        ) from None
    return client, None


@atexit.register
def close_clients() -> None:
    """Close the clients of :func:`client_for` and the clusters it started."""
    with _clients_lock:
        for client, cluster in _clients.values():
            client.close()
            if cluster is not None:
                cluster.close()
        _clients.clear()


# -- the tokenizer on the workers -------------------------------------------------------


def portable_fingerprint(tokenizer: Tokenizer) -> str:
    """The tokenizer's fingerprint with its user dictionaries known by their bytes, not
    by their paths, so that a worker with a copy of a dictionary elsewhere agrees.

    >>> tok = Tokenizer()
    >>> portable_fingerprint(tok) == portable_fingerprint(Tokenizer(tok.config))
    True
    """
    config = tokenizer.config
    digest = hashlib.sha256(Tokenizer(replace(config, user_dicts=())).fingerprint().encode())
    for path in config.user_dicts:
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class TokenizerSpec:
    """What a worker needs to build the client's tokenizer: its configuration, the bytes
    of its user dictionaries, and the fingerprint the result must have."""

    config: TokenizerConfig
    user_dicts: tuple[tuple[str, bytes], ...]
    fingerprint: str
    versions: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, tokenizer: Tokenizer) -> TokenizerSpec:
        dicts = []
        for path in tokenizer.config.user_dicts:
            try:
                dicts.append((str(path), Path(path).read_bytes()))
            except OSError as exc:
                raise InputError(
                    f"{path}: user dictionary cannot be read ({exc.strerror}); check the "
                    "--user-dict path"
                ) from None
        return cls(tokenizer.config, tuple(dicts), portable_fingerprint(tokenizer), _versions())

    def build(self) -> Tokenizer:
        """The tokenizer, with each user dictionary read where the client read it when
        the file there has the same bytes, else from a copy in the temporary folder."""
        paths = tuple(_local_copy(path, data) for path, data in self.user_dicts)
        return Tokenizer(replace(self.config, user_dicts=paths))


def _versions() -> tuple[tuple[str, str], ...]:
    found = []
    for name in _REPORTED:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return tuple(found)


def _local_copy(path: str, data: bytes) -> Path:
    with_path = Path(path)
    try:
        if with_path.read_bytes() == data:
            return with_path
    except OSError:
        pass
    digest = hashlib.sha256(data).hexdigest()[:16]
    copy = Path(tempfile.gettempdir()) / "analysis-user-dicts" / digest / with_path.name
    if not copy.is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=copy.parent)
        with open(handle, "wb") as file:
            file.write(data)
        os.replace(tmp, copy)  # whole or not at all, should two tasks write it at once
    return copy


# built tokenizers of this worker process, by fingerprint
_worker_tokenizers: dict[str, Tokenizer] = {}


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return f"Dask worker {get_worker().address}"
    except (ImportError, ValueError):
        return f"process {os.getpid()} on {socket.gethostname()}"


def _tokenizer_here(spec: TokenizerSpec, where: str | None = None) -> Tokenizer:
    """On a worker: the tokenizer of ``spec``, built once; an :class:`AnalysisError` when
    this worker cannot build it or builds a different one."""
    tokenizer = _worker_tokenizers.get(spec.fingerprint)
    if tokenizer is not None:
        return tokenizer
    where = where or _worker_name()
    advice = (
        "install the project's requirements.lock and the same analysis package on every "
        "worker (see docs/scaling.md)"
    )
    try:
        tokenizer = spec.build()
        found = portable_fingerprint(tokenizer)
        tokenizer.tokens("工会")  # loads the dictionaries: fail here, not in a partition
    except Exception as exc:
        raise AnalysisError(
            f"{where} cannot build the tokenizer ({type(exc).__name__}: {exc}); {advice}"
        ) from None
    if found != spec.fingerprint:
        mine = dict(_versions())
        differ = [
            f"{name} {mine.get(name)} on the worker, {version} on the client"
            for name, version in spec.versions
            if mine.get(name) != version
        ]
        raise AnalysisError(
            f"{where} tokenizes differently: tokenizer fingerprint {found}, the client's "
            f"{spec.fingerprint} ("
            + ("; ".join(differ) or "same package versions: its dictionary, stopword or "
               "code files differ")
            + f"); {advice}"
        )  # fmt: skip
    _worker_tokenizers.clear()  # one archive at a time: keep only the latest
    _worker_tokenizers[spec.fingerprint] = tokenizer
    return tokenizer


def _check_worker(spec: TokenizerSpec, dask_worker=None) -> AnalysisError | None:
    """Run on every worker by ``Client.run`` before the first partition."""
    where = f"Dask worker {dask_worker.address}" if dask_worker is not None else None
    try:
        _tokenizer_here(spec, where)
    except AnalysisError as exc:
        return exc
    return None


def _check_workers(client: Client, spec: TokenizerSpec) -> None:
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        raise AnalysisError(
            f"the Dask scheduler {client.scheduler.address} has had no worker for "
            f"{WORKERS_TIMEOUT} s; start workers (dask worker ADDRESS) or scale the cluster"
        ) from None
    for result in client.run(_check_worker, spec, on_error="return").values():
        if isinstance(result, AnalysisError):
            raise result
        if isinstance(result, BaseException):
            raise AnalysisError(
                f"a Dask worker failed to build the tokenizer ({type(result).__name__}: "
                f"{result}); see docs/scaling.md"
            )


# -- partitions -------------------------------------------------------------------------


def _count_source(spec: TokenizerSpec, source: Source) -> tuple[Any, list]:
    """On a worker: count one partition. Returns (counts or the AnalysisError that
    stopped it, the warnings issued meanwhile as (category, message))."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            tokenizer = _tokenizer_here(spec)
            texts = source() if callable(source) else source
            result: Any = count_partition(texts, tokenizer)
        except AnalysisError as exc:
            result = exc
    return result, [(w.category, str(w.message)) for w in caught]


def count_partitions(
    sources: Iterable[Source],
    tokenizer: Tokenizer,
    *,
    scheduler: str | Client,
    total: int | None = None,
    progress: bool = True,
) -> tuple[list[str], sparse.csr_matrix]:
    """Count partitions on Dask; return (terms, document × term counts) in the order of
    ``sources``, with terms numbered in order of first appearance.

    ``sources`` is consumed lazily, with at most two partitions per worker thread in
    flight, so a stream of partitions is not read ahead of the workers.
    """
    from distributed.scheduler import KilledWorker

    client = client_for(scheduler)
    spec = TokenizerSpec.of(tokenizer)
    _check_workers(client, spec)
    in_flight = max(2, 2 * sum(client.nthreads().values()))
    vocabulary = _Vocabulary()
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    pending: deque = deque()

    def merge() -> int:
        number, future = pending.popleft()
        try:
            result, caught = future.result()
        except KilledWorker:
            raise AnalysisError(
                f"partition {number + 1} of the archive was on Dask workers that died each "
                "time (out of memory?); cut the archive into more partitions or give the "
                "workers more memory"
            ) from None
        finally:
            future.release()
        for category, message in caught:
            warnings.warn(message, category, stacklevel=4)
        if isinstance(result, AnalysisError):
            raise result
        terms, indptr, indices, data = result
        vocabulary.add(terms)
        ids = np.fromiter(map(vocabulary.index.__getitem__, terms), np.int32, len(terms))
        parts.append((indptr, ids[indices], data))
        return len(indptr) - 1

    with _progress(total, "counting", progress) as bar:
        try:
            for number, source in enumerate(sources):
                with warnings.catch_warnings():
                    # a partition's texts travel with its task, so that the scheduler can
                    # run it again when its worker dies; that is what this warns about
                    warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                    future = client.submit(_count_source, spec, source, retries=RETRIES, pure=False)
                pending.append((number, future))
                if len(pending) >= in_flight:
                    bar.update(merge())
            while pending:
                bar.update(merge())
        except BaseException:
            client.cancel([future for _, future in pending])
            raise
    return vocabulary.terms, stack_counts(parts, len(vocabulary.terms))


def _cut(
    texts: Iterable[str], partitions: int | None, total: int | None
) -> Iterator[Sequence[str]]:
    """Consecutive partitions of ``texts``: ``partitions`` of about equal size (in
    characters for a sequence, in texts for a stream of ``total`` texts), or else of
    about :data:`PARTITION_CHARS` characters each."""
    if partitions is not None and partitions < 1:
        raise OptionError(f"partitions must be at least 1, not {partitions}")
    if partitions is not None and isinstance(texts, Sequence):
        if not texts:
            return
        ends = np.cumsum([document_chars(t) for t in texts])
        # the first text at which each share of the characters is reached ends a partition
        cuts = np.searchsorted(ends, ends[-1] * np.arange(1, partitions) / partitions) + 1
        bounds = [0, *sorted(set(cuts.tolist()) - {0, len(texts)}), len(texts)]
        for start, end in pairwise(bounds):
            yield texts[start:end]
        return
    if partitions is not None:
        if total is None:
            raise OptionError(
                "partitions of a stream of texts need its length: pass total= too, or a list"
            )
        size = max(1, -(-total // partitions))
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        return
    chunk, chars = [], 0
    for text in texts:
        chunk.append(text)
        chars += document_chars(text)
        if chars >= PARTITION_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def count_texts(
    texts: Iterable[str],
    tokenizer: Tokenizer,
    *,
    scheduler: str | Client,
    partitions: int | None = None,
    total: int | None = None,
    progress: bool = True,
) -> tuple[list[str], sparse.csr_matrix]:
    """:func:`analysis.scale.pool.count_matrix` on Dask: ``texts`` cut into ``partitions``
    (see :func:`_cut`), each sent to a worker with its task."""
    return count_partitions(
        _cut(texts, partitions, total),
        tokenizer,
        scheduler=scheduler,
        total=total,
        progress=progress,
    )
