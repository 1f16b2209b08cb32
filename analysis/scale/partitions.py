"""Counting a partition of texts, the part every scheduler shares.

A partition is tokenized and counted in chunks with a vocabulary of its own
(:func:`count_partition`); the local worker pool (:mod:`analysis.scale.pool`) and Dask
(:mod:`analysis.scale.dask_backend`) both count this way and merge the partitions'
vocabularies in order, then build the one matrix with :func:`stack_counts`, so every
scheduler gives the same result. Neither of them imports the other: both read this module.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import filterfalse, islice

import numpy as np
from scipy import sparse

from analysis.errors import OptionError
from analysis.processes import check_interrupted, gc_paused
from analysis.text.tokenize import Tokenizer

__all__ = [
    "CHUNK_CHARS",
    "CHUNK_DOCS",
    "DEFAULT_SCHEDULER",
    "SCHEDULER_ENV",
    "Document",
    "check_scheduler",
    "count_partition",
    "default_scheduler",
    "document_chars",
    "stack_counts",
]


CHUNK_DOCS = 500


CHUNK_CHARS = 250_000


#: Where archives are counted when neither a scheduler nor ``n_jobs`` is given: on one
#: machine the local pool counted 1 GB faster than a Dask LocalCluster, in less memory
#: (benchmarks/README.md, "The archive on Dask"); Dask is for beyond one machine.
DEFAULT_SCHEDULER = "local"


SCHEDULER_ENV = "ANALYSIS_SCHEDULER"


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


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        check_interrupted()
        yield chunk


#: A document to count: a text, or the pieces of one (an article's paragraphs and
#: headline fields), each tokenized alone and counted a whole number of times.
Document = str | tuple[tuple[str, int], ...]


def document_chars(document: Document) -> int:
    """The characters of a :data:`Document`.

    >>> document_chars("工会"), document_chars((("工会", 1), ("职工之家", 2)))
    (2, 6)
    """
    if isinstance(document, str):
        return len(document)
    return sum(len(text) for text, _ in document)


def _text_chunks(texts: Iterable[Document], docs: int, chars: int = CHUNK_CHARS) -> Iterator[list]:
    """Chunks of at most ``docs`` documents and about ``chars`` characters: small enough
    that the last chunks do not leave one worker busy while the others idle."""
    chunk: list[Document] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += document_chars(text)
        if len(chunk) >= docs or size >= chars:
            check_interrupted()
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _progress(total: int | None, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="doc", disable=not enabled, file=sys.stderr)


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


def _count_chunk(
    texts: list[Document], tokenizer: Tokenizer, vocabulary: _Vocabulary
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Tokenize and count one chunk of documents (:data:`Document`): the terms new to
    ``vocabulary`` and CSR arrays whose column numbers are ``vocabulary``'s."""
    before = len(vocabulary.terms)
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    with gc_paused():
        for text in texts:
            if isinstance(text, str):
                counts = Counter(tokenizer.tokens(text))  # counted in C, first-seen order
            else:
                counts = Counter()
                for piece, times in text:
                    tokens = tokenizer.tokens(piece)
                    counts.update(tokens if times == 1 else tokens * times)
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


def count_partition(
    texts: Iterable[str], tokenizer: Tokenizer
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Count one partition with a vocabulary of its own: (terms in order of first
    appearance, CSR indptr, indices, data). Counted in chunks, so no Python list grows
    with the partition. What a Dask worker does (:mod:`analysis.scale.dask_backend`).

    >>> from analysis.text.tokenize import default_tokenizer
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
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR blocks (indptr, indices, data) stacked row-wise into one block's arrays. The
    list is emptied as the blocks are copied, so memory holds the result and one block,
    not the result and every block (a million articles' counts are a gigabyte)."""
    if not parts:
        return np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
    n_rows = sum(len(indptr) - 1 for indptr, _, _ in parts)
    n_values = sum(int(indptr[-1]) for indptr, _, _ in parts)
    indptr = np.zeros(n_rows + 1, np.int64)
    indices = np.empty(n_values, np.result_type(*(p[1] for p in parts)))
    data = np.empty(n_values, np.result_type(*(p[2] for p in parts)))
    row = value = 0
    parts.reverse()  # taken from the end, each block is dropped once copied
    while parts:
        block_indptr, block_indices, block_data = parts.pop()
        rows, values = len(block_indptr) - 1, int(block_indptr[-1])
        indptr[row + 1 : row + rows + 1] = block_indptr[1:] + value
        indices[value : value + values] = block_indices[:values]
        data[value : value + values] = block_data[:values]
        row, value = row + rows, value + values
    return indptr, indices, data


def stack_counts(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], n_terms: int
) -> sparse.csr_matrix:
    """The document × term matrix of CSR blocks whose columns are already the merged
    vocabulary's; every scheduler builds its result here, so all give the same arrays.
    ``parts`` is emptied as the blocks are copied."""
    indptr, indices, data = _concatenate(parts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_terms))
