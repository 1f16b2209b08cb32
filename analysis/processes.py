"""Worker processes that never outlive the run.

Every pool of the package comes from :func:`worker_pool`. Its workers ask the kernel to
end them when their parent ends, even by ``kill -9`` (Linux's ``PR_SET_PDEATHSIG``), and
leave Ctrl-C to the parent, which cancels the queued work and terminates them at once;
an error in the parent does the same. So an interrupted or killed run leaves no process
behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

__all__ = ["cpu_count", "die_with_parent", "gc_paused", "release_memory", "worker_pool"]

_PR_SET_PDEATHSIG = 1


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects that make no cycles
    are built (table rows, token lists): with a million of them alive, every collection
    walks them all (a fifth of a large table's load time, 5% of tokenizing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_memory() -> None:
    """Hand the memory freed inside this process back to the system: pyarrow's memory
    pool's, and the C library's where it can (glibc's ``malloc_trim``). A large table
    read and dropped, or a large count made and dropped, otherwise leaves its freed
    pages with the process, counted in its memory while the next step runs."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)


def cpu_count() -> int:
    """The CPUs this process may run on: its CPU affinity, capped by a container's CPU
    quota (cgroup v2 ``cpu.max`` or v1 ``cpu.cfs_quota_us``), as loky counts them; a
    container limited to 2 CPUs on a 64-core host gets 2 workers, not 64."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:
        count = os.cpu_count() or 1
    quota = _cgroup_quota()
    return max(1, min(count, quota)) if quota else count


def _cgroup_quota() -> int | None:
    """CPUs allowed by the cgroup's quota; None when there is none or it cannot be read."""
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as handle:  # cgroup v2
            quota, period = handle.read().split()[:2]
    except (OSError, ValueError):
        try:  # cgroup v1
            with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", encoding="ascii") as handle:
                quota = handle.read().strip()
            with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us", encoding="ascii") as handle:
                period = handle.read().strip()
        except OSError:
            return None
    return quota_cpus(quota, period)


def quota_cpus(quota: str, period: str) -> int | None:
    """CPUs that a CFS quota of ``quota`` µs per ``period`` µs allows, rounded up.

    >>> quota_cpus("200000", "100000"), quota_cpus("150000", "100000")
    (2, 2)
    >>> quota_cpus("max", "100000"), quota_cpus("-1", "100000"), quota_cpus("x", "1")
    (None, None, None)
    """
    import math

    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:
        return None
    if quota_us <= 0 or period_us <= 0:
        return None
    return math.ceil(quota_us / period_us)


_interrupted = False


def on_interrupt(signum=None, frame=None) -> None:
    """A SIGINT handler (the command line installs it) that also remembers the interrupt:
    a KeyboardInterrupt raised inside a garbage-collection callback is printed and lost,
    so long loops call :func:`check_interrupted`, which raises it again."""
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def check_interrupted() -> None:
    """Raise KeyboardInterrupt if Ctrl-C came while it could not be raised."""
    if _interrupted:
        raise KeyboardInterrupt


def _children_by_parent() -> dict[int, list[int]]:
    """parent pid → its children's pids, read from /proc (Linux; elsewhere empty)."""
    found: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile, or not a stat line we can read
        found.setdefault(parent, []).append(int(entry))
    return found


def children(pid: int | None = None) -> list[int]:
    """The pids of the children of ``pid`` (this process by default)."""
    return _children_by_parent().get(os.getpid() if pid is None else pid, [])


def descendants(pid: int) -> list[int]:
    """The pids of ``pid``'s children, their children and so on."""
    tree = _children_by_parent()
    out, todo = [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def terminate_children(keep: Iterable[int] = ()) -> None:
    """Send SIGTERM to this process's children except ``keep`` (the ones that were there
    before a piece of work began), e.g. notebook kernels after Ctrl-C, so that they end
    now, quietly, instead of noticing later that their parent is gone."""
    kept = set(keep)
    for pid in children():
        if pid not in kept:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)


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
