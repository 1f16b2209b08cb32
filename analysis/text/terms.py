"""Term discovery: multi-token terms that recur in a corpus, proposed as dictionary entries.

jieba splits unseen compounds into known pieces (新就业形态劳动者 → 新/就业/形态/劳动者).
Such a compound shows up as a token n-gram that

- recurs (``freq``, and in how many documents: ``docs``);
- holds together: its pieces occur together far more often than chance would have
  them (``cohesion``: the smallest pointwise mutual information over the ways to cut the
  n-gram in two, in bits);
- is free at both ends: many different tokens precede and follow it (``left_entropy``,
  ``right_entropy``, in bits; a text boundary or punctuation counts as a distinct context);
- is not just a piece of a longer candidate that occurs almost as often (maximality).

The result is a table for a person to review. :func:`apply_terms` turns the accepted rows
into a tokenizer that keeps them whole.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from analysis.reading.textio import is_cjk
from analysis.text.tokenize import Tokenizer, is_number_like

__all__ = ["TERM_COLUMNS", "apply_terms", "discover_terms", "write_dictionary"]

#: The columns of :func:`discover_terms`'s table.
TERM_COLUMNS = [
    "term",
    "tokens",
    "freq",
    "docs",
    "cohesion",
    "left_entropy",
    "right_entropy",
    "score",
    "known",
    "proposed",
]

_BOUNDARY = "\x00"


def _is_word(token: str, stopwords: frozenset[str]) -> bool:
    return all(is_cjk(c) for c in token) and token not in stopwords and not is_number_like(token)


def _candidate_rows(ngram_freq, ngram_docs, left, right, *, min_freq, max_chars, unigram_total):
    """One row per n-gram of two or more tokens seen ``min_freq`` times: its frequency,
    documents, cohesion (the weakest PMI of its cuts) and boundary entropies."""
    rows = []
    for gram, freq in ngram_freq.items():
        if len(gram) < 2 or freq < min_freq:
            continue
        term = "".join(gram)
        if len(term) > max_chars:
            continue
        cohesion = min(
            _pmi(ngram_freq[gram], ngram_freq[gram[:k]], ngram_freq[gram[k:]], unigram_total)
            for k in range(1, len(gram))
        )
        rows.append(
            {
                "term": term,
                "tokens": "/".join(gram),
                "freq": freq,
                "docs": len(ngram_docs[gram]),
                "cohesion": cohesion,
                "left_entropy": _entropy(left[gram]),
                "right_entropy": _entropy(right[gram]),
            }
        )
    return rows


def discover_terms(
    texts: Sequence[str],
    tokenizer: Tokenizer | None = None,
    *,
    max_tokens: int = 4,
    min_freq: int = 3,
    min_cohesion: float = 1.0,
    min_entropy: float = 0.9,
    max_chars: int = 10,
) -> pd.DataFrame:
    """Find recurring multi-token terms in ``texts``.

    Returns one row per candidate, best first: term, tokens, freq, docs, cohesion,
    left_entropy, right_entropy, score (freq × cohesion × the smaller entropy), known
    (the tokenizer's dictionary already has the whole term) and proposed (passes every
    threshold and is not known).
    """
    tokenizer = tokenizer or Tokenizer(domain_dict=False)
    stopwords = tokenizer.stopwords_
    ngram_freq: Counter[tuple[str, ...]] = Counter()
    ngram_docs: dict[tuple[str, ...], set[int]] = defaultdict(set)
    left: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    unigram_total = 0
    boundary_serial = 0
    for doc, text in enumerate(texts):
        stream = [t for t in tokenizer.cut(text) if t.strip()]
        unigram_total += len(stream)
        for i in range(len(stream)):
            for n in range(1, max_tokens + 1):
                gram = tuple(stream[i : i + n])
                if len(gram) < n or not all(_is_word(t, stopwords) for t in gram):
                    break
                ngram_freq[gram] += 1
                if n == 1:
                    continue
                ngram_docs[gram].add(doc)
                before = stream[i - 1] if i > 0 else None
                after = stream[i + n] if i + n < len(stream) else None
                # punctuation and text edges are boundaries: each one a distinct context
                for side, token in ((left, before), (right, after)):
                    if token is None or (not _is_word(token, stopwords) and not is_cjk(token[0])):
                        boundary_serial += 1
                        token = f"{_BOUNDARY}{boundary_serial}"
                    side[gram][token] += 1
    rows = _candidate_rows(
        ngram_freq, ngram_docs, left, right,
        min_freq=min_freq, max_chars=max_chars, unigram_total=unigram_total,
    )  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=TERM_COLUMNS)
    # the same string can come from two cuts (A/BC, AB/C): keep the more frequent one
    table = pd.DataFrame(rows).sort_values(["freq", "tokens"], ascending=[False, True])
    table = table.drop_duplicates("term").reset_index(drop=True)
    table["score"] = (
        table["freq"] * table["cohesion"] * table[["left_entropy", "right_entropy"]].min(axis=1)
    )
    known = tokenizer.dictionary_words
    table["known"] = table["term"].map(lambda t: t in known or tokenizer.backend.has_word(t))
    passes = (
        (table["cohesion"] >= min_cohesion)
        & (table["left_entropy"] >= min_entropy)
        & (table["right_entropy"] >= min_entropy)
    )
    table["proposed"] = passes & ~table["known"] & _maximal(table)
    table = table.sort_values(
        ["proposed", "score", "term"], ascending=[False, False, True], kind="mergesort"
    )
    return table[TERM_COLUMNS].reset_index(drop=True)


def _pmi(joint: int, a: int, b: int, total: int) -> float:
    if not (joint and a and b):
        return 0.0
    return math.log2(joint * total / (a * b))


def _entropy(counter: Counter) -> float:
    total = sum(counter.values())
    if not total:
        return 0.0
    return 0.0 - sum(c / total * math.log2(c / total) for c in counter.values()) + 0.0


def _maximal(table: pd.DataFrame) -> pd.Series:
    """False for a candidate inside a longer candidate that occurs at least 80% as often."""
    freq = dict(zip(table["term"], table["freq"], strict=True))
    longest_cover: dict[str, int] = {}
    for term, count in freq.items():
        for i in range(len(term)):
            for j in range(i + 2, len(term) + 1):
                piece = term[i:j]
                if piece != term and piece in freq:
                    longest_cover[piece] = max(longest_cover.get(piece, 0), count)
    return table["term"].map(lambda t: longest_cover.get(t, 0) < 0.8 * freq[t])


def apply_terms(tokenizer: Tokenizer, terms: pd.DataFrame | Sequence[str]) -> Tokenizer:
    """A new tokenizer that also keeps the given terms whole (the ``proposed`` rows of a
    :func:`discover_terms` table, or any list of words)."""
    if isinstance(terms, pd.DataFrame):
        terms = terms.loc[terms["proposed"], "term"].tolist()
    words = tuple(dict.fromkeys([*tokenizer.config.extra_words, *terms]))
    return Tokenizer(replace(tokenizer.config, extra_words=words))


def write_dictionary(terms: pd.DataFrame, path) -> int:
    """Write the proposed terms as a jieba user dictionary; return how many were written."""
    proposed = terms.loc[terms["proposed"]]
    lines = ["# Terms proposed by analysis.text.terms.discover_terms; review before use.\n"]
    lines += [f"{term} nz\n" for term in proposed["term"]]
    from analysis.files import atomic_path

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.writelines(lines)
    return len(proposed)
