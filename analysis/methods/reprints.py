"""Reprints: the same story in several articles (an agency item run by many papers, a
template that recurs, a lightly edited copy), found by the text the articles share.

How (the approach of passim and of plagiarism detectors, not MinHash LSH; see below):

1. **Shingles.** Each article's body, kept to its letters, digits and characters (no
   spaces or punctuation; Latin letters lower-cased), is cut into overlapping runs of
   ``shingle`` characters (default 5), each hashed to 64 bits with a fixed polynomial
   hash (the same numbers on every machine and in every process).
2. **Fingerprints.** A shingle whose hash falls in one of ``sample`` buckets (default 1
   in 8) is a fingerprint: chosen by its content, so two copies of a passage choose the
   same ones. A text of fewer than 100 shingles (a headline, a brief) keeps them all.
   A fingerprint in more than 5 % of the articles (at least 50) or more than
   ``max_df`` is common text (a site's footer, a stock phrase, a dateline formula): it is
   dropped, and the text around it is left out when a pair is compared.
3. **Candidates.** Two articles sharing at least ``min_shared`` fingerprints (default 2),
   and at least half of ``threshold`` times the smaller one's fingerprints (the shared
   share of fingerprints estimates the containment), are compared.
4. **Confirmation.** Exact, on all their shingles: the *containment* (shared shingles
   over the shorter article's) and the Jaccard index. A pair whose containment reaches
   ``threshold`` (default 0.5: at least half of the shorter text is found in the other)
   is a reprint; clusters are the connected groups of such pairs.

Why not MinHash LSH: a copy with 20 % of its characters edited and cut to 60 % of its
length keeps a Jaccard index near 0.25 with the original; LSH bands that catch that
also pass a large share of unrelated pairs at a million articles, while rare shared
fingerprints single out the pairs worth comparing whatever their lengths.

>>> story = "国家统计局今天发布数据显示，全国城镇调查失业率为百分之五点一。"
>>> other = "今年夏粮再获丰收，全国夏粮总产量达到一千四百九十五亿公斤。"
>>> found = find_reprints([story, story[:25] + "。", other], ids=["a", "b", "c"])
>>> found.clusters[["members", "size"]].to_dict("records")
[{'members': ['a', 'b'], 'size': 2}]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial

import numpy as np
import pandas as pd

from analysis.errors import OptionError
from analysis.reading.dates import timestamps

__all__ = [
    "CLUSTER_COLUMNS",
    "PAIR_COLUMNS",
    "Reprints",
    "article_reprints",
    "dedupe",
    "find_reprints",
]

CLUSTER_COLUMNS = ["cluster", "size", "members", "earliest", "shared", "first_words"]
PAIR_COLUMNS = ["a", "b", "containment", "jaccard"]

_NOT_TEXT = re.compile(r"[\W_]+")
_BASE = np.uint64(0x100000001B3)  # FNV prime: the polynomial hash's base
_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd constant that spreads the bits
CHUNK_CHARS = 5_000_000
#: Above this many characters, texts are fingerprinted on worker processes (or Dask).
PARALLEL_MIN_CHARS = 50_000_000
#: A text of fewer shingles than this (about 100 characters) keeps all as fingerprints.
SHORT_SHINGLES = 100
#: Fingerprints are sorted in this many parts (by their hashes' top bits; a power of 2, 2 or more).
BUCKETS = 8


@dataclass
class Reprints:
    """Clusters of reprinted articles and the pairs that joined them.

    ``clusters``: one row per cluster of two or more articles: cluster (1, 2 … by size),
    size, members (ids, the earliest first), earliest (its id: the first date, else the
    first in the input), shared (the median containment of the pairs), first_words.
    ``pairs``: every confirmed pair (ids a, b; containment; jaccard). ``cluster_of``:
    each article's cluster number, 0 for an article that is no one's reprint."""

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    cluster_of: np.ndarray
    keep: np.ndarray  # False for an article left out by dedupe (a reprint of a kept one)
    copies: np.ndarray  # for a kept article, the articles left out as its reprints

    @property
    def n_reprints(self) -> int:
        """Articles that are a reprint of an earlier kept one (left out by dedupe)."""
        return int((~self.keep).sum())

    def summary(self) -> str:
        n = len(self.clusters)
        if not n:
            return "no article reprints another"
        return (
            f"{self.n_reprints} reprint(s) of {n} stor{'y' if n == 1 else 'ies'} "
            f"({int(self.clusters['size'].sum())} articles in clusters)"
        )


def _normalized(text: object) -> str:
    """The text as it is shingled: its letters, digits and characters, Latin lower-cased
    (:func:`_chunk_hashes` does the same on arrays)."""
    return _NOT_TEXT.sub("", text).lower() if isinstance(text, str) else ""


@cache
def _code_tables() -> tuple[np.ndarray, np.ndarray]:
    """For every code point: whether it is kept (``str.isalnum``, what ``[\\W_]`` leaves)
    and its lower-case form (itself when that is not one character)."""
    points = range(0x110000)
    kept = np.fromiter((chr(c).isalnum() for c in points), dtype=bool, count=0x110000)
    lower = np.fromiter(
        ((ord(x) if len(x := chr(c).lower()) == 1 else c) for c in points),
        dtype=np.uint32,
        count=0x110000,
    )
    return kept, lower


def _text_at(texts: Sequence[object], k: int) -> str:
    value = texts.iloc[k] if isinstance(texts, pd.Series) else texts[k]
    return value if isinstance(value, str) else ""


def _texts_between(texts: Sequence[object], start: int, end: int) -> list[str]:
    part = texts.iloc[start:end].tolist() if isinstance(texts, pd.Series) else texts[start:end]
    return [t if isinstance(t, str) else "" for t in part]


def _lengths(texts: Sequence[object]) -> np.ndarray:
    if isinstance(texts, pd.Series):
        return texts.str.len().fillna(0).to_numpy(dtype=np.int64)
    return np.fromiter((len(t) if isinstance(t, str) else 0 for t in texts), np.int64, len(texts))


def _fingerprints(
    texts: Sequence[object], n: int, sample: int, scheduler: str | object | None = None
) -> list[tuple[list, list]]:
    """The texts' fingerprints in BUCKETS buckets by hash, each a list of arrays of text
    numbers and one of hashes: each text's shingle hashes that fall in the sampled bucket
    (see the module's docstring), by text and in text order (a hash may repeat);
    computed over about CHUNK_CHARS characters at a time, on
    worker processes or Dask (``scheduler``, see :mod:`analysis.scale.mapping`) when the
    texts hold more than PARALLEL_MIN_CHARS characters."""
    ends = np.cumsum(_lengths(texts))

    def chunks():
        start = 0
        while start < len(texts):
            # the texts up to CHUNK_CHARS characters past this chunk's start (at least one)
            end = int(np.searchsorted(ends, ends[start] + CHUNK_CHARS))
            end = min(len(texts), max(start + 1, end))
            yield start, _texts_between(texts, start, end)
            start = end

    work = partial(_chunk_prints, n=n, sample=sample)
    if len(ends) and ends[-1] > PARALLEL_MIN_CHARS:
        from analysis.scale.mapping import map_chunks

        found = map_chunks(work, chunks(), scheduler=scheduler)
    else:
        found = map(work, chunks())
    # split by the hashes' top bits: a hash's postings lie in one bucket, and the
    # buckets are sorted one at a time (an eighth of the memory)
    buckets: list[tuple[list, list]] = [([], []) for _ in range(BUCKETS)]
    shift = np.uint64(64 - BUCKETS.bit_length() + 1)
    for docs, values in found:
        which = values >> shift
        for number, (bucket_docs, bucket_values) in enumerate(buckets):
            chosen = which == number
            bucket_docs.append(docs[chosen])
            bucket_values.append(values[chosen])
    return buckets


def _chunk_prints(chunk: tuple[int, list[str]], n: int, sample: int):
    """The fingerprints of texts numbered from ``start``: (text numbers, hashes)."""
    start, texts = chunk
    hashes = _chunk_hashes(texts, n)
    sizes = np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes))
    owner = np.repeat(np.arange(start, start + len(texts), dtype=np.int32), sizes)
    flat = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    # a short text (a headline, a brief) keeps every shingle: sampled, it could hold too
    # few fingerprints to be paired at all
    chosen = ((flat >> np.uint64(48)) % np.uint64(sample) == 0) | np.repeat(
        sizes < SHORT_SHINGLES, sizes
    )
    return owner[chosen], flat[chosen]


def _chunk_hashes(texts: list[str], n: int) -> list[np.ndarray]:
    """Each text's shingle hashes (uint64, in order) of its normalized form."""
    kept, lower = _code_tables()
    # surrogatepass: a lone surrogate (not a character: never kept) must not stop the run
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = kept[codes]
    counted = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    lengths = np.diff(counted[np.concatenate([[0], ends])])  # characters kept per text
    codes = lower[codes[keep]].astype(np.uint64)
    if len(codes) < n:
        return [np.zeros(0, np.uint64) for _ in texts]
    with np.errstate(over="ignore"):
        hashes = np.zeros(len(codes) - n + 1, dtype=np.uint64)
        for j in range(n):  # the polynomial of the n characters, wrapping at 2**64
            np.multiply(hashes, _BASE, out=hashes)
            np.add(hashes, codes[j : len(codes) - n + 1 + j], out=hashes)
        hashes *= _MIX
        hashes ^= hashes >> np.uint64(29)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return [hashes[s : s + max(0, k - n + 1)] for s, k in zip(starts, lengths, strict=True)]


def _postings(docs: np.ndarray, values: np.ndarray):
    """The fingerprints sorted by hash, each (hash, text) once: (docs, values, starts,
    sizes), ``starts``/``sizes`` locating each distinct hash's run of texts (in text
    order)."""
    if not len(values):
        empty = np.zeros(0, np.int64)
        return docs, values, empty, empty
    order = np.argsort(values, kind="stable")  # stable: texts stay in order in a run
    values = values[order]  # one array at a time: the memory of a gigabyte's postings
    docs = docs[order]
    del order
    first = np.r_[True, (values[1:] != values[:-1]) | (docs[1:] != docs[:-1])]
    values, docs = values[first], docs[first]
    bounds = np.flatnonzero(np.r_[True, values[1:] != values[:-1], True])
    return docs, values, bounds[:-1], np.diff(bounds)


def _pair_keys(
    docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n: int, *, max_df: int, all_pairs: int
) -> np.ndarray:
    """Pairs (i < j) of the ``n`` texts that share a fingerprint, as keys i * n + j, once
    per fingerprint they share (the postings of :func:`_postings`). The texts of a
    fingerprint held by at most ``all_pairs`` texts are paired every way; of one held by
    more (up to ``max_df``), each with the next in order, which still links every member
    of a large cluster of copies (they hold the same fingerprints) at a cost that grows
    with the texts, not with their square."""
    keys = []
    # fingerprints held by a few texts: every pair, the lists of one size at a time
    for size in range(2, all_pairs + 1):
        first = starts[sizes == size]
        if not len(first):
            continue
        # one row per fingerprint; int64, as the keys i * n + j are
        members = docs[first[:, None] + np.arange(size)].astype(np.int64)
        a, b = np.triu_indices(size, 1)
        keys.append((members[:, a] * n + members[:, b]).ravel())
    # held by more: neighbours in each posting list
    chained = (sizes > all_pairs) & (sizes <= max_df)
    if chained.any():
        inside = np.repeat(chained, sizes)[:-1] & (
            np.diff(np.repeat(np.arange(len(sizes)), sizes)) == 0
        )
        left = np.flatnonzero(inside)
        keys.append(docs[left].astype(np.int64) * n + docs[left + 1])
    return np.concatenate(keys) if keys else np.zeros(0, np.int64)


def find_reprints(
    texts: Sequence[str],
    *,
    ids: Sequence[object] | None = None,
    dates: Sequence[object] | None = None,
    threshold: float = 0.5,
    shingle: int = 5,
    sample: int = 8,
    max_df: int = 1000,
    min_shared: int = 2,
    scheduler: str | object | None = None,
) -> Reprints:
    """Clusters of near-duplicate texts (see the module's docstring). ``dates`` (any
    format pandas reads) choose each cluster's earliest member; texts shorter than
    ``shingle`` characters are never reprints. ``scheduler``: where large inputs are
    fingerprinted (:mod:`analysis.scale.mapping`; the same clusters everywhere)."""
    if not 0 < threshold <= 1:
        raise OptionError(f"threshold must be above 0 and at most 1, not {threshold}")
    ids = list(ids) if ids is not None else list(range(len(texts)))
    n = len(texts)
    # text most articles carry (a site's footer, an app promotion) is not a story: a
    # fingerprint in more than max(50, 5 %) of the texts is common, and so is the text
    # around it when the pair is compared
    cap = min(max_df, max(COMMON_MIN, int(COMMON_SHARE * n)))
    common, keys = [], []
    own = np.zeros(n, dtype=np.int64)  # each text's fingerprints that are not common
    buckets = _fingerprints(texts, shingle, sample, scheduler)
    while buckets:
        bucket_docs, bucket_values = buckets.pop()
        docs, values, starts, sizes = _postings(
            np.concatenate(bucket_docs or [np.zeros(0, np.int32)]),
            np.concatenate(bucket_values or [np.zeros(0, np.uint64)]),
        )
        del bucket_docs, bucket_values
        common.append(values[starts[sizes > cap]])
        # counted as if sampled, short texts too: what a long text shares with a short
        # one is among its sampled fingerprints
        sampled = (values[starts] >> np.uint64(48)) % np.uint64(sample) == 0
        own += np.bincount(docs[np.repeat((sizes <= cap) & sampled, sizes)], minlength=n)
        keys.append(_pair_keys(docs, starts, sizes, n, max_df=cap, all_pairs=ALL_PAIRS))
        del docs, values, starts, sizes
    common = np.sort(np.concatenate(common))
    keys, shared = np.unique(np.concatenate(keys), return_counts=True)
    keys, shared = keys[shared >= min_shared], shared[shared >= min_shared]
    pairs = np.stack([keys // n, keys % n], axis=1)
    # the share of the smaller text's own fingerprints that a pair shares estimates its
    # containment; pairs far below the threshold (phrases any two articles may share)
    # are not compared
    smaller = np.minimum(own[pairs[:, 0]], own[pairs[:, 1]])
    pairs = pairs[shared >= ESTIMATE_SHARE * threshold * smaller]

    # a text in several pairs (a story run by many papers) is shingled once
    @lru_cache(maxsize=10_000)
    def shingles(k: int) -> np.ndarray:
        return _own_shingles(_chunk_hashes([_text_at(texts, k)], shingle)[0], common, sample)

    rows = []
    for i, j in pairs.tolist():
        a, b = shingles(i), shingles(j)
        shared = len(np.intersect1d(a, b, assume_unique=True))
        smaller = min(len(a), len(b))
        containment = shared / smaller if smaller else 0.0
        if containment >= threshold:
            jaccard = shared / (len(a) + len(b) - shared)
            # and the share of each one's own text found in the other (for dedupe)
            rows.append((i, j, containment, jaccard, shared / len(a), shared / len(b)))
    return _clusters(rows, ids, dates, texts, threshold)


#: A fingerprint held by at most this many texts pairs them every way (see _pair_keys).
ALL_PAIRS = 20
#: Pairs whose shared fingerprints are fewer than this share of ``threshold`` times the
#: smaller text's fingerprints are not compared (the estimate's sampling error is wide
#: for short texts; half the threshold keeps copies whose estimate falls short).
ESTIMATE_SHARE = 0.5
#: A fingerprint in more than max(COMMON_MIN, COMMON_SHARE of the texts) is common text.
COMMON_MIN = 50
COMMON_SHARE = 0.05


def _own_shingles(hashes: np.ndarray, common: np.ndarray, reach: int) -> np.ndarray:
    """The distinct shingles of a text, without those within ``reach`` places of a common
    fingerprint (the run of common text it samples)."""
    if not len(common) or not len(hashes):
        return np.unique(hashes)
    marked = np.isin(hashes, common).astype(np.int64)
    if not marked.any():
        return np.unique(hashes)
    near = np.convolve(marked, np.ones(2 * reach + 1, dtype=np.int64), mode="same") > 0
    return np.unique(hashes[~near])


def _clusters(
    rows: list[tuple], ids: list, dates, texts: Sequence[str], threshold: float
) -> Reprints:
    n = len(ids)
    parent = np.arange(n)

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, j, *_ in rows:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    roots = np.array([root(k) for k in range(n)])
    when = (
        timestamps(pd.Series(list(dates), dtype=object))
        if dates is not None
        else pd.Series(pd.NaT, index=range(n))
    )
    groups: dict[int, list[int]] = {}
    for k, r in enumerate(roots.tolist()):
        groups.setdefault(r, []).append(k)
    clustered = [g for g in groups.values() if len(g) > 1]
    # the earliest member first: by date (undated last), then by place in the input
    clustered = [
        sorted(g, key=lambda k: (pd.isna(when[k]), when[k] if not pd.isna(when[k]) else 0, k))
        for g in clustered
    ]
    clustered.sort(key=lambda g: (-len(g), g[0]))
    pair_share: dict[int, list[float]] = {}
    for i, _, containment, *_ in rows:
        pair_share.setdefault(roots[i], []).append(containment)
    # (a, b) → a's own text is covered by b: at least ``threshold`` of it is in b
    covered = set()
    for i, j, _, _, share_i, share_j in rows:
        if share_i >= threshold:
            covered.add((i, j))
        if share_j >= threshold:
            covered.add((j, i))
    cluster_of = np.zeros(n, dtype=np.int64)
    keep = np.ones(n, dtype=bool)
    copies = np.zeros(n, dtype=np.int64)
    records = []
    for number, members in enumerate(clustered, start=1):
        cluster_of[members] = number
        for m, owner in zip(members[1:], _kept(members, covered), strict=True):
            if owner is not None:
                keep[m] = False
                copies[owner] += 1
        first = _text_at(texts, members[0])
        records.append(
            {
                "cluster": number,
                "size": len(members),
                "members": [ids[k] for k in members],
                "earliest": ids[members[0]],
                "shared": float(np.median(pair_share[roots[members[0]]])),
                "first_words": first[:30],
            }
        )
    pairs = pd.DataFrame(
        [(ids[i], ids[j], c, jac) for i, j, c, jac, *_ in rows], columns=PAIR_COLUMNS
    )
    return Reprints(pd.DataFrame(records, columns=CLUSTER_COLUMNS), pairs, cluster_of, keep, copies)


def _kept(members: list[int], covered: set) -> list[int | None]:
    """For each member after the first (the earliest), the kept member it is left out
    for, or None when it is kept. Going from the earliest, an article is left out only
    when at least ``threshold`` of its own text is in one kept before it; members joined
    only through others (three stories and the digest that holds them all) are kept, so
    no story is lost."""
    kept = [members[0]]
    out: list[int | None] = []
    for m in members[1:]:
        owner = next((k for k in kept if (m, k) in covered), None)
        out.append(owner)
        if owner is None:
            kept.append(m)
    return out


def dedupe(articles: pd.DataFrame, found: Reprints) -> pd.DataFrame:
    """``articles`` with each story counted once: the members of a cluster that are
    reprints of an earlier kept member left out (see :func:`_kept`; the kept article's
    ``reprints`` column says how many copies it stands for)."""
    kept = articles[found.keep].copy()
    kept["reprints"] = found.copies[found.keep]
    kept.attrs = {**articles.attrs, "deduped": found.summary()}
    return kept


def article_reprints(articles: pd.DataFrame, **options) -> Reprints:
    """:func:`find_reprints` of the bodies of an articles table (from
    :func:`analysis.reading.corpus.load_articles`), by id, the earliest by ``date``."""
    if "text" in articles:  # the paragraphs joined, as load_articles gives them
        texts = articles["text"].reset_index(drop=True)
    else:
        texts = ["\n".join(ps) for ps in articles["paragraphs"]]
    dates = articles.get("date")
    return find_reprints(texts, ids=articles["id"].tolist(), dates=dates, **options)
