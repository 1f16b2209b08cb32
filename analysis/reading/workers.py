"""Files read by worker processes, given back in their order.

:func:`load_articles <analysis.reading.corpus.load_articles>` hands its page files here:
once the small ones add up to :data:`PARALLEL_BYTES` (on two cores or more, from the
main process), they go to one worker a core in batches, and their results come back in
the order of the files; the files it should read itself (tables, which stream; pages
over :data:`PARALLEL_FILE_BYTES`, whose segments go to workers of their own) come back
with None, at their place. The workers are forked: they start with the caller's state,
and ``initializer`` gives them what every batch needs once (the folders' boilerplate
lines), not with every batch.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from analysis.processes import cpu_count, worker_pool

__all__ = ["BATCH_BYTES", "BATCH_FILES", "PARALLEL_BYTES", "PARALLEL_FILE_BYTES", "in_order"]

#: The small files of a load go to worker processes from this many bytes of them on
#: (fewer are read faster than the workers start) …
PARALLEL_BYTES = 4_000_000
#: … a file larger than this is read by the caller, in its place.
PARALLEL_FILE_BYTES = 1_000_000
#: Small files go to a worker together, up to this many bytes or files at a time (one
#: round trip for several files).
BATCH_BYTES = 256_000
BATCH_FILES = 16


def in_order(
    files: Sequence[Path],
    read: Callable[[list[Path]], list],
    *,
    wanted: Callable[[Path], bool],
    shown: Callable[[Sequence[Path]], Iterable[Path]] = iter,
    initializer: Callable | None = None,
    initargs: tuple = (),
) -> Iterator[tuple[Path, object | None]]:
    """Each of ``files``, in order, with its result when a worker read it (``read`` of a
    batch of paths gives their results, in order), or None for a file the caller reads
    itself: every file not ``wanted`` or larger than :data:`PARALLEL_FILE_BYTES`, and
    every file when the wanted ones add up to less than :data:`PARALLEL_BYTES`, when
    there is one core, or when this is not the main process (a worker, ours or a Dask
    worker that may be a daemon, cannot start processes of its own). At most two
    batches a worker are in flight. ``shown`` wraps the files as they are handed out
    (a progress bar)."""

    n_jobs = cpu_count() if multiprocessing.parent_process() is None else 1
    sizes = {p: p.stat().st_size for p in files if wanted(p)} if n_jobs > 1 else {}
    small = {p: size for p, size in sizes.items() if size <= PARALLEL_FILE_BYTES}
    if n_jobs <= 1 or sum(small.values()) < PARALLEL_BYTES:
        for path in shown(files):
            yield path, None
        return
    with worker_pool(n_jobs, initializer=initializer, initargs=initargs) as pool:
        pending: deque = deque()  # (paths, future of their results), in order
        batch: list[Path] = []
        filled = 0

        def submit() -> None:
            nonlocal batch, filled
            if batch:
                pending.append((batch, pool.submit(read, batch)))
            batch, filled = [], 0

        def done() -> Iterator[tuple[Path, object]]:
            paths, future = pending.popleft()
            yield from zip(paths, future.result(), strict=True)

        for path in shown(files):
            if path not in small:
                submit()
                while pending:
                    yield from done()
                yield path, None
                continue
            batch.append(path)
            filled += small[path]
            if filled >= BATCH_BYTES or len(batch) >= BATCH_FILES:
                submit()
            if len(pending) >= 2 * n_jobs:
                yield from done()
        submit()
        while pending:
            yield from done()
