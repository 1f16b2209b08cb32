"""Dictionary expansion: words the corpus itself uses like a dictionary's entries.

Given the entries of a dictionary (the *seeds*), :func:`suggest_words` proposes other
words of the corpus that occur in the same contexts, for the user to read and accept
into the dictionary. Nothing outside the corpus is used, and no new dependency: word
vectors are learned by a count-based method that Levy, Goldberg & Dagan (2015,
"Improving distributional similarity with lessons learned from word embeddings") found
competitive with word2vec on word similarity when tuned the same way:

1. **Vocabulary.** Words seen at least ``min_count`` times, at most the ``max_vocab``
   (default 20,000) most frequent of them (ties by word). Other tokens are removed from
   the token lists before windows are taken, as word2vec does.
2. **Co-occurrence.** Two words co-occur when they are at most ``window`` tokens apart
   in the same token list (a paragraph or a headline; windows never cross lists). Each
   pair at distance ``d`` adds ``(window - d + 1) / window``, the expected weight of
   word2vec's sampled window, so near neighbours count more.
3. **PPMI.** Positive pointwise mutual information, with the context counts raised to
   the power 0.75 (context distribution smoothing), which keeps rare contexts from
   dominating.
4. **Vectors.** A truncated SVD of the PPMI matrix (scikit-learn's ``TruncatedSVD``,
   ``random_state=0``) into ``dim`` dimensions, each weighted by the square root of its
   singular value, and normalised to unit length.
5. **Suggestions.** A candidate's ``score`` is its cosine similarity to the mean of the
   seed vectors (``combine="mean"``: words close to the dictionary as a whole) or to its
   closest seed (``combine="max"``: words close to any one entry); ``nearest`` is the
   seed it is closest to.

The matrices stay sparse until the SVD, which runs on one BLAS thread (repeatable to the
bit, and no slower at this size). THUCNews-1k (1,000 news articles, 167,000 kept tokens,
9,100 words seen three times or more) takes one to two seconds once tokenized.

Seeds may be glob patterns (``工资*``, as in quanteda's dictionaries); each is replaced by
the vocabulary words it matches (:func:`expand_seeds`). A seed that is not in the
vocabulary (absent, or rarer than ``min_count``) is skipped with a
:class:`MissingSeedWarning` and listed in the result's ``attrs["missing"]``.

>>> sentences = [s.split() for s in [
...     "工人 讨要 工资", "公司 拖欠 工资", "工人 讨要 薪水", "公司 拖欠 薪水",
...     "市场 出售 苹果", "农民 种植 苹果", "市场 出售 香蕉", "农民 种植 香蕉",
... ]]
>>> suggest_words(sentences, ["工资"], min_count=1, top=1).round(2)
  word  score  count nearest  nearest_score
0   薪水    1.0      2      工资            1.0

薪水 is used exactly where 工资 is (after 讨要 and 拖欠), so its vector is the same.
"""

from __future__ import annotations

import fnmatch
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import OptionError
from analysis.representations.analysed import AnalysedCorpus

__all__ = [
    "COLUMNS",
    "COMBINE",
    "MAX_VOCAB",
    "MissingSeedWarning",
    "WordVectors",
    "expand_seeds",
    "suggest_for_corpus",
    "suggest_words",
    "word_vectors",
]

#: Columns of a suggestion table: the word, its similarity to the seeds, its frequency in
#: the corpus, the seed it is closest to and its similarity to that seed.
COLUMNS = ["word", "score", "count", "nearest", "nearest_score"]
#: How the similarities to several seeds are combined into one score.
COMBINE = ("mean", "max")
#: The default cap on the vocabulary (the most frequent words are kept).
MAX_VOCAB = 20_000
#: Context distribution smoothing: context counts are raised to this power in PPMI.
CONTEXT_POWER = 0.75
#: Scores are rounded to this many decimals, so that ties break by word on every machine.
DECIMALS = 6
_GLOB_CHARS = ("*", "?", "[")


class MissingSeedWarning(UserWarning):
    """Some seed words or patterns are not in the corpus's vocabulary and were skipped."""


@dataclass(frozen=True)
class WordVectors:
    """Unit-length word vectors learned from a corpus: ``words`` (most frequent first,
    ties by word), their corpus ``counts``, ``vectors`` (one row per word), and the
    ``min_count`` the vocabulary was pruned with."""

    words: np.ndarray
    counts: np.ndarray
    vectors: np.ndarray
    min_count: int = 1

    def index(self) -> dict[str, int]:
        """Row of each word."""
        return {str(w): i for i, w in enumerate(self.words)}


def word_vectors(
    token_lists: Sequence[Sequence[str]],
    *,
    window: int = 5,
    min_count: int = 3,
    dim: int = 100,
    max_vocab: int = MAX_VOCAB,
) -> WordVectors:
    """PPMI + truncated-SVD word vectors of the words in ``token_lists`` (see the module
    docstring). Fewer than three words in the vocabulary give vectors of zero columns.

    >>> vectors = word_vectors([["工会", "服务", "职工"], ["工会", "职工"]], min_count=2)
    >>> vectors.words.tolist(), vectors.counts.tolist()
    (['工会', '职工'], [2, 2])
    """
    _check_counts(window=window, min_count=min_count, dim=dim, max_vocab=max_vocab)
    words, counts = _vocabulary(token_lists, min_count, max_vocab)
    if len(words) < 3:
        return WordVectors(words, counts, np.zeros((len(words), 0)), min_count)
    cooc = _cooccurrence(token_lists, {w: i for i, w in enumerate(words)}, window)
    ppmi = _ppmi(cooc)
    return WordVectors(words, counts, _svd(ppmi, min(dim, len(words) - 1)), min_count)


def expand_seeds(seeds: Iterable[str], vocabulary: Iterable[str]) -> tuple[list[str], list[str]]:
    """The vocabulary words the ``seeds`` name, and the seeds that name none.

    A seed with ``*``, ``?`` or ``[`` is a glob pattern (:func:`fnmatch.fnmatchcase`) and
    stands for every vocabulary word it matches; any other seed stands for itself. Both
    lists keep the order of first appearance, without repeats.

    >>> expand_seeds(["工资*", "欠薪", "讨薪"], ["工资", "工资条", "欠薪", "工人"])
    (['工资', '工资条', '欠薪'], ['讨薪'])
    """
    known = list(dict.fromkeys(str(w) for w in vocabulary))
    present = set(known)
    found: dict[str, None] = {}
    missing: dict[str, None] = {}
    for seed in seeds:
        seed = str(seed).strip()
        if not seed:
            continue
        if any(c in seed for c in _GLOB_CHARS):
            matched = [w for w in known if fnmatch.fnmatchcase(w, seed)]
        else:
            matched = [seed] if seed in present else []
        found.update(dict.fromkeys(matched))
        if not matched:
            missing[seed] = None
    return list(found), list(missing)


def suggest_words(
    token_lists: Sequence[Sequence[str]],
    seeds: Iterable[str],
    *,
    top: int = 20,
    window: int = 5,
    min_count: int = 3,
    dim: int = 100,
    max_vocab: int = MAX_VOCAB,
    combine: str = "mean",
    vectors: WordVectors | None = None,
) -> pd.DataFrame:
    """The ``top`` words of the corpus closest to the ``seeds``, best first.

    ``token_lists`` are the corpus's tokens, one list per paragraph or text (for example
    :func:`analysis.scale.pool.tokenize_many` of the paragraphs). ``seeds`` are words or
    glob patterns (``工资*``). ``window``, ``min_count``, ``dim`` and ``max_vocab`` shape
    the word vectors (:func:`word_vectors`; pass ``vectors`` already computed to skip
    that); ``combine`` is ``"mean"`` (similarity to the seeds' mean vector) or ``"max"``
    (to the closest seed).

    Columns :data:`COLUMNS`: ``word``, ``score`` (cosine similarity, rounded to 6
    decimals), ``count`` (occurrences in the corpus), ``nearest`` (the closest seed) and
    ``nearest_score``; sorted by score, ties by word. Seeds are never suggested. Seeds
    not in the vocabulary are skipped with a :class:`MissingSeedWarning`; ``attrs``
    holds ``seeds`` (the words used, after glob expansion) and ``missing``. No usable
    seed gives an empty table with the columns.
    """
    if combine not in COMBINE:
        raise OptionError(f"combine must be one of {', '.join(COMBINE)}, not {combine!r}")
    if top < 1:
        raise OptionError(f"top must be at least 1, not {top}")
    if vectors is None:
        vectors = word_vectors(
            token_lists, window=window, min_count=min_count, dim=dim, max_vocab=max_vocab
        )
    used, missing = expand_seeds(seeds, vectors.words)
    if missing:
        warnings.warn(
            f"{len(missing)} seed(s) not in the corpus vocabulary (absent, or fewer than "
            f"min_count={vectors.min_count} occurrences), skipped: {', '.join(missing)}",
            MissingSeedWarning,
            stacklevel=2,
        )
    table = _rank(vectors, used, top=top, combine=combine)
    table.attrs.update(seeds=used, missing=missing, combine=combine)
    return table


def suggest_for_corpus(
    corpus: AnalysedCorpus | pd.DataFrame, seeds: Iterable[str], **options
) -> pd.DataFrame:
    """:func:`suggest_words` on an analysed corpus (or an articles table): every body
    paragraph and every headline field is one token list, tokenized with the corpus's
    tokenizer through the token cache. ``options`` go to :func:`suggest_words`.

    >>> from analysis import load_articles
    >>> table = suggest_for_corpus(load_articles(), ["快递*"], min_count=2, top=3)
    >>> table.attrs["seeds"], len(table), "快递小哥" in set(table["word"])
    (['快递小哥'], 3, False)
    """
    from analysis.scale.pool import tokenize_many
    from analysis.text.tokenize import default_tokenizer

    if not isinstance(corpus, AnalysedCorpus):
        corpus = AnalysedCorpus(corpus)
    corpus.tokenizer = corpus.tokenizer or default_tokenizer()
    token_lists = tokenize_many(list(corpus.texts), corpus.tokenizer, progress=False)
    return suggest_words(token_lists, seeds, **options)


# -- the steps ----------------------------------------------------------------------------


def _check_counts(**values: int) -> None:
    for name, value in values.items():
        if not isinstance(value, int | np.integer) or value < 1:
            raise OptionError(f"{name} must be a whole number of at least 1, not {value!r}")


def _vocabulary(
    token_lists: Sequence[Sequence[str]], min_count: int, max_vocab: int
) -> tuple[np.ndarray, np.ndarray]:
    """Words seen at least ``min_count`` times, the ``max_vocab`` most frequent (ties by
    word), most frequent first; and their counts."""
    counter: Counter[str] = Counter()
    for tokens in token_lists:
        counter.update(tokens)
    kept = sorted(
        ((w, c) for w, c in counter.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0])
    )[:max_vocab]
    words = np.asarray([w for w, _ in kept], dtype=object)
    return words, np.asarray([c for _, c in kept], dtype=np.int64)


def _cooccurrence(
    token_lists: Sequence[Sequence[str]], index: dict[str, int], window: int
) -> sparse.csr_matrix:
    """Symmetric words × words matrix of window co-occurrence weights."""
    ids: list[int] = []
    lists: list[int] = []
    for number, tokens in enumerate(token_lists):
        kept = [index[t] for t in tokens if t in index]
        ids.extend(kept)
        lists.extend([number] * len(kept))
    flat = np.asarray(ids, dtype=np.int64)
    owner = np.asarray(lists, dtype=np.int64)
    rows, cols, weights = [], [], []
    for distance in range(1, window + 1):
        same = owner[distance:] == owner[:-distance]
        left, right = flat[:-distance][same], flat[distance:][same]
        weight = np.full(len(left), (window - distance + 1) / window)
        rows += [left, right]
        cols += [right, left]
        weights += [weight, weight]
    n = len(index)
    if not rows:
        return sparse.csr_matrix((n, n))
    matrix = sparse.coo_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    ).tocsr()
    matrix.sum_duplicates()
    return matrix


def _ppmi(cooc: sparse.csr_matrix) -> sparse.csr_matrix:
    """Positive PMI with smoothed context probabilities, on the stored entries only."""
    matrix = cooc.tocoo()
    total = matrix.data.sum()
    if total <= 0:
        return sparse.csr_matrix(cooc.shape)
    word_sum = np.asarray(cooc.sum(axis=1)).ravel()
    context = np.asarray(cooc.sum(axis=0)).ravel() ** CONTEXT_POWER
    context_p = context / context.sum()
    pmi = np.log(matrix.data / total) - np.log(word_sum[matrix.row] / total)
    pmi -= np.log(context_p[matrix.col])
    keep = pmi > 0
    out = sparse.csr_matrix((pmi[keep], (matrix.row[keep], matrix.col[keep])), shape=cooc.shape)
    out.sort_indices()
    return out


def _svd(ppmi: sparse.csr_matrix, dim: int) -> np.ndarray:
    """Rows of ``U · sqrt(Σ)`` from a truncated SVD, normalised to unit length."""
    from sklearn.decomposition import TruncatedSVD
    from threadpoolctl import threadpool_limits

    # one BLAS thread: as fast on this size, bit-for-bit repeatable, and no contention
    with threadpool_limits(limits=1):
        svd = TruncatedSVD(n_components=dim, random_state=0)
        reduced = svd.fit_transform(ppmi)  # U · Σ
    singular = svd.singular_values_
    scale = np.divide(1.0, np.sqrt(singular), out=np.zeros_like(singular), where=singular > 0)
    reduced *= scale
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    return np.divide(reduced, norms, out=np.zeros_like(reduced), where=norms > 0)


def _rank(vectors: WordVectors, seeds: list[str], *, top: int, combine: str) -> pd.DataFrame:
    """The suggestion table for seeds known to be in the vocabulary."""
    if not seeds or not vectors.vectors.shape[1]:
        return _empty()
    index = vectors.index()
    rows = np.asarray([index[s] for s in seeds])
    to_seeds = vectors.vectors @ vectors.vectors[rows].T  # words × seeds cosines
    if combine == "mean":
        centre = vectors.vectors[rows].mean(axis=0)
        norm = np.linalg.norm(centre)
        score = vectors.vectors @ (centre / norm) if norm > 0 else np.zeros(len(index))
    else:
        score = to_seeds.max(axis=1)
    candidates = np.setdiff1d(np.arange(len(vectors.words)), rows)
    closest = to_seeds.argmax(axis=1)
    table = pd.DataFrame(
        {
            "word": vectors.words[candidates].astype(str),
            "score": np.round(score[candidates], DECIMALS) + 0.0,  # no -0.0
            "count": vectors.counts[candidates],
            "nearest": np.asarray(seeds, dtype=object)[closest[candidates]].astype(str),
            "nearest_score": np.round(to_seeds[candidates, closest[candidates]], DECIMALS) + 0.0,
        }
    )
    table = table.sort_values(["score", "word"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "word": pd.Series(dtype=str),
            "score": pd.Series(dtype=np.float64),
            "count": pd.Series(dtype=np.int64),
            "nearest": pd.Series(dtype=str),
            "nearest_score": pd.Series(dtype=np.float64),
        }
    )
