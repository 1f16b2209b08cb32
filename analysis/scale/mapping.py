"""A function over chunks of work, on this machine's worker processes or on Dask, with
the results in the order of the chunks.

For work that is a pure function of each chunk and returns something much smaller than
its input (the fingerprints of :mod:`analysis.methods.reprints`). At most ``2 × workers``
chunks are in flight, so a stream of chunks is never all in memory; a chunk's result is
yielded as soon as it and every chunk before it are done. ``scheduler`` is the same as
:func:`analysis.scale.count_matrix`'s: ``"local"`` (the default, see
:data:`analysis.scale.partitions.DEFAULT_SCHEDULER`), ``"dask"``, a Dask scheduler's
address or a ``distributed.Client``; ``n_jobs=1`` runs everything here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from analysis.processes import check_interrupted, worker_pool
from analysis.scale.partitions import default_scheduler
from analysis.scale.pool import default_jobs

__all__ = ["map_chunks"]


def map_chunks(
    function: Callable,
    chunks: Iterable,
    *,
    scheduler: str | object | None = None,
    n_jobs: int | None = None,
) -> Iterator:
    """``function(chunk)`` for every chunk, in order (see the module's docstring).
    ``function`` must be picklable: a module-level function or a ``functools.partial``
    of one."""
    if scheduler is None:
        scheduler = "local" if n_jobs is not None else default_scheduler()
    if scheduler == "local":
        jobs = n_jobs or default_jobs()
        if jobs <= 1:
            for chunk in chunks:
                check_interrupted()
                yield function(chunk)
            return
        with worker_pool(jobs) as pool:
            yield from _windowed(lambda c: pool.submit(function, c), chunks, 2 * jobs)
        return
    from analysis.scale.dask_backend import client_for

    client = client_for(scheduler)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    yield from _windowed(
        lambda c: client.submit(function, c, pure=False), chunks, 2 * workers, dask=True
    )


def _windowed(submit: Callable, chunks: Iterable, window: int, *, dask: bool = False):
    pending: deque = deque()
    for chunk in chunks:
        check_interrupted()
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield _result(pending.popleft(), dask)
    while pending:
        check_interrupted()
        yield _result(pending.popleft(), dask)


def _result(future, dask: bool):
    result = future.result()
    if dask:
        future.release()  # the worker may forget it now
    return result
