"""Scale: tokenizing and counting many texts on worker processes or a Dask cluster.

- :mod:`~analysis.scale.partitions`: counting one partition, shared by every scheduler.
- :mod:`~analysis.scale.pool`: this machine's worker processes (and :func:`tokenize_many`).
- :mod:`~analysis.scale.dask_backend`: a Dask cluster, local or remote.
- :mod:`~analysis.scale.counting`: :func:`count_matrix`, which picks one of the two.
- :mod:`~analysis.scale.mapping`: :func:`map_chunks`, any function over chunks, on either.
"""

from analysis.scale.counting import count_matrix
from analysis.scale.mapping import map_chunks
from analysis.scale.partitions import (
    check_scheduler,
    count_partition,
    default_scheduler,
    stack_counts,
)
from analysis.scale.pool import default_jobs, tokenize_many

__all__ = [
    "check_scheduler",
    "count_matrix",
    "count_partition",
    "default_jobs",
    "default_scheduler",
    "map_chunks",
    "stack_counts",
    "tokenize_many",
]
