"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from analysis.config import CORPORA_DIR
from analysis.processes import descendants


def corpus_or_skip(name: str) -> Path | None:
    """The corpus folder under ../shared/corpora, or None after printing a skip note."""
    path = CORPORA_DIR / name
    if not path.is_dir():
        print(f"skipped: {path} not present", file=sys.stderr)
        return None
    return path


class MemorySampler:
    """Peak memory of this process and all its descendants (the worker processes),
    sampled from /proc every ``interval`` seconds while the ``with`` block runs (Linux).

    ``peak_rss`` sums each process's resident set, so pages that forked workers share
    with the parent count more than once; ``peak_pss`` divides shared pages among the
    processes that map them, which is the job's real footprint. ``peak_worker_rss`` is
    the largest resident set of a single descendant, ``peak_self_rss`` this process's own.
    Descendants are found afresh at every sample, so Dask workers (children of the
    nannies this process runs) count as soon as they start. getrusage's ru_maxrss is no help
    here: a forked child starts with its parent's high-water mark, so any small
    subprocess started late (scikit-learn runs ``lscpu``) reports the parent's peak.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_rss = self.peak_pss = self.peak_worker_rss = self.peak_self_rss = 0
        self.available = Path("/proc/self/smaps_rollup").exists()
        self._stop = threading.Event()

    def __enter__(self) -> MemorySampler:
        if self.available:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.available:
            self._stop.set()
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        me = os.getpid()
        total_rss = total_pss = 0
        for pid in [me, *descendants(me)]:
            rss, pss = _memory_kb(pid)
            total_rss, total_pss = total_rss + rss, total_pss + pss
            if pid != me:
                self.peak_worker_rss = max(self.peak_worker_rss, rss * 1024)
            else:
                self.peak_self_rss = max(self.peak_self_rss, rss * 1024)
        self.peak_rss = max(self.peak_rss, total_rss * 1024)
        self.peak_pss = max(self.peak_pss, total_pss * 1024)


def _memory_kb(pid: int) -> tuple[int, int]:
    """(Rss, Pss) in kB; (0, 0) for a process that has just exited."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                values[key] = int(rest.split()[0])
    except (OSError, ValueError):
        return 0, 0
    return values.get("Rss", 0), values.get("Pss", 0)
