"""Where archives are counted: :func:`count_matrix` sends a stream of texts to the local
worker pool (:mod:`analysis.scale.pool`) or to a Dask cluster
(:mod:`analysis.scale.dask_backend`). Both count partitions the same way
(:mod:`analysis.scale.partitions`), so every scheduler gives the same matrix.
"""

from __future__ import annotations

from collections.abc import Iterable

from scipy import sparse

from analysis.scale.partitions import CHUNK_DOCS, default_scheduler
from analysis.text.tokenize import Tokenizer

__all__ = ["count_matrix"]


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

    Terms are numbered in order of first appearance, so the result does not depend on
    ``n_jobs``, ``chunk_docs``, the scheduler or the partitions.

    ``scheduler`` is ``"local"``, ``"dask"``, a Dask scheduler's address or a
    ``distributed.Client``. ``n_jobs`` (worker processes) and ``chunk_docs`` are for
    ``"local"``, and giving ``n_jobs`` without a scheduler picks it; otherwise the default
    is :func:`~analysis.scale.partitions.default_scheduler`. ``partitions`` (how many
    parts the texts are cut into; needs ``total`` for a stream) is for Dask.
    """
    if scheduler is None:
        scheduler = "local" if n_jobs is not None else default_scheduler()
    if scheduler != "local":
        from analysis.scale.dask_backend import count_texts

        return count_texts(
            texts, tokenizer, scheduler=scheduler, partitions=partitions, total=total,
            progress=progress,
        )  # fmt: skip
    from analysis.scale.pool import count_local

    return count_local(
        texts, tokenizer, n_jobs=n_jobs, chunk_docs=chunk_docs, total=total, progress=progress
    )
