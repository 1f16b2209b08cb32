"""Worker processes that never outlive the run.

Every pool of the package comes from :func:`worker_pool`. Its workers ask the kernel to
end them when their parent ends, even by ``kill -9`` (Linux's ``PR_SET_PDEATHSIG``), and
leave Ctrl-C to the parent, which cancels the queued work and terminates them at once;
an error in the parent does the same. So an interrupted or killed run leaves no process
behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

__all__ = ["cpu_count", "die_with_parent", "worker_pool"]

_PR_SET_PDEATHSIG = 1


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def die_with_parent(parent: int) -> None:
    """In a worker: end with the parent ``parent``, and ignore Ctrl-C (the parent stops
    the workers itself)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _start_worker(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def worker_pool(
    n_jobs: int, *, initializer: Callable | None = None, initargs: tuple = ()
) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with the run (see the module docstring)."""
    pool = ProcessPoolExecutor(
        n_jobs, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs)
    )
    try:
        yield pool
    except BaseException:
        # Ctrl-C or an error: stop the workers now rather than wait for their work
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)
        # the pool's manager thread notices the dead workers and ends; wait for it here,
        # or the interpreter's exit joins it while it writes to a closed pipe
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=5)
        raise
    else:
        pool.shutdown(wait=True)
