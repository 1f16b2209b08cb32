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

A stricter subset is **joined** in every analysis of the corpus by default
(:func:`joined_terms`, used by :class:`~analysis.representations.analysed.AnalysedCorpus`):
an n-gram whose pieces hold together far above chance and which its rarer piece hardly
occurs without (``dependency``: the smallest, over the ways to cut it in two, of its
frequency over the frequency of the rarer side). That is how a name the segmenter cuts
shows itself: 穆特 of 巴赫/穆特 and 早苗 of 高市/早苗 occur almost only there, so 巴赫穆特
and 高市早苗 become one word, while 巴赫 keeps its own occurrences; 中国/学生 is not joined,
since 学生 is mostly elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace

import pandas as pd

from analysis.reading.textio import is_cjk
from analysis.text.tokenize import Tokenizer, is_number_like

__all__ = [
    "JOIN_DEPENDENCY",
    "JOIN_MAX_CHARS",
    "JOIN_MIN_COHESION",
    "JOIN_MIN_FREQ",
    "TERM_COLUMNS",
    "apply_terms",
    "discover_terms",
    "joined_terms",
    "write_dictionary",
]

#: The columns of :func:`discover_terms`'s table.
TERM_COLUMNS = [
    "term",
    "tokens",
    "freq",
    "docs",
    "cohesion",
    "dependency",
    "left_entropy",
    "right_entropy",
    "score",
    "known",
    "proposed",
    "joined",
]
#: Fewest occurrences of an n-gram joined in the analysis.
JOIN_MIN_FREQ = 5
#: Smallest share of its rarer piece's occurrences an n-gram joined must account for.
JOIN_DEPENDENCY = 0.8
#: Smallest cohesion (PMI of its weakest cut, bits) of an n-gram joined.
JOIN_MIN_COHESION = 3.0
#: Longest n-gram joined, in characters: longer ones are phrases, not split words.
JOIN_MAX_CHARS = 6
# Tags of the pieces a joined n-gram may have: nouns, names, words the dictionary does
# not know, distinguishing and descriptive words; never verbs, numerals, pronouns or
# particles (陈其迈 + 说, 岁 + 女大学生 are not one word).
_JOIN_TAGS = frozenset(
    {"n", "nr", "nrfg", "nrt", "ns", "nsf", "nt", "nz", "nw", "x", "j", "eng", "b", "an", "s"}
)
# One character at either end that is a function word or a time word (陈时中 + 今, 及 +
# 健保卡): never part of a joined word.
_FUNCTION_CHARS = frozenset("今昨明及并和与在为由从对向将把被让给应该已曾都也还又再就才即")

_BOUNDARY = "\x00"


def _is_word(token: str, stopwords: frozenset[str]) -> bool:
    return all(is_cjk(c) for c in token) and token not in stopwords and not is_number_like(token)


def _count_ngrams(texts: Sequence[str], tokenizer: Tokenizer, *, max_tokens: int, min_freq: int):
    """The n-grams of words of ``texts`` (up to ``max_tokens``) with their frequencies;
    for those seen ``min_freq`` times, their documents and left and right contexts; and
    the number of tokens."""
    stopwords = tokenizer.stopwords_
    ngram_freq: Counter[tuple[str, ...]] = Counter()
    ngram_docs: dict[tuple[str, ...], set[int]] = defaultdict(set)
    left: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    unigram_total = 0
    boundary_serial = 0
    known_word: dict[str, bool] = {}  # _is_word of each distinct token, once
    streams = []
    for text in texts:
        stream = [t for t in tokenizer.cut(text) if t.strip()]
        ok = []
        for token in stream:
            if (word := known_word.get(token)) is None:
                word = known_word[token] = _is_word(token, stopwords)
            ok.append(word)
        # an n-gram is n words in a row: with every other token None, the n-tuples
        # without a None (zip makes them; the counts are those of counting place by place)
        words = [t if w else None for t, w in zip(stream, ok, strict=True)]
        streams.append((stream, ok, words))
        unigram_total += len(stream)
        for n in range(1, max_tokens + 1):
            ngram_freq.update(g for g in _ngrams(words, n) if None not in g)
    frequent = {g for g, f in ngram_freq.items() if f >= min_freq and len(g) > 1}
    # contexts only of the n-grams frequent enough to be candidates, counted place by
    # place in the order of the text (the order sums of their entropies add up in)
    for doc, (stream, ok, words) in enumerate(streams):
        found = [
            (i, n, gram)
            for n in range(2, max_tokens + 1)
            for i, gram in enumerate(_ngrams(words, n))
            if gram in frequent
        ]
        found.sort(key=lambda place: place[:2])
        for i, n, gram in found:
            ngram_docs[gram].add(doc)
            # punctuation and text edges are boundaries: each one a distinct context
            for side, at in ((left, i - 1), (right, i + n)):
                token = stream[at] if 0 <= at < len(stream) else None
                if token is None or (not ok[at] and not is_cjk(token[0])):
                    boundary_serial += 1
                    token = f"{_BOUNDARY}{boundary_serial}"
                side[gram][token] += 1
    return ngram_freq, ngram_docs, left, right, unigram_total


def _ngrams(tokens: list, n: int) -> Iterator[tuple]:
    """The ``n``-token tuples of ``tokens``, place by place.

    >>> list(_ngrams(["工会", "维护", "权益"], 2))
    [('工会', '维护'), ('维护', '权益')]
    """
    return zip(*(tokens[k:] for k in range(n)), strict=False)


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
        dependency = min(
            freq / max(1, min(ngram_freq[gram[:k]], ngram_freq[gram[k:]]))
            for k in range(1, len(gram))
        )
        rows.append(
            {
                "term": term,
                "tokens": "/".join(gram),
                "freq": freq,
                "docs": len(ngram_docs[gram]),
                "cohesion": cohesion,
                "dependency": round(dependency, 4),
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
    dependency, left_entropy, right_entropy, score (freq × cohesion × the smaller
    entropy), known (the tokenizer's dictionary already has the whole term), proposed
    (passes every threshold and is not known) and joined (proposed, and strict enough to
    be joined in the analysis: see :func:`joined_terms`).
    """
    tokenizer = tokenizer or Tokenizer(domain_dict=False)
    ngram_freq, ngram_docs, left, right, unigram_total = _count_ngrams(
        texts, tokenizer, max_tokens=max_tokens, min_freq=min_freq
    )
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
    table["joined"] = (
        table["proposed"]
        & (table["freq"] >= JOIN_MIN_FREQ)
        & (table["dependency"] >= JOIN_DEPENDENCY)
        & (table["cohesion"] >= JOIN_MIN_COHESION)
        & (table["term"].str.len() <= JOIN_MAX_CHARS)
        & table["tokens"].map(lambda t: _joinable(t.split("/"), tokenizer.backend))
    )
    table = table.sort_values(
        ["proposed", "score", "term"], ascending=[False, False, True], kind="mergesort"
    )
    return table[TERM_COLUMNS].reset_index(drop=True)


def joined_terms(texts: Sequence[str], tokenizer: Tokenizer) -> list[str]:
    """The n-grams of ``texts`` to keep whole in their analysis: proposed by
    :func:`discover_terms`, seen at least :data:`JOIN_MIN_FREQ` times, cohesive
    (:data:`JOIN_MIN_COHESION`), accounting for at least :data:`JOIN_DEPENDENCY` of their
    rarer piece's occurrences, at most :data:`JOIN_MAX_CHARS` characters, and made of
    noun-like pieces (no verb, numeral, pronoun or particle, no function character at an
    end). Longest first, then by term.

    >>> from analysis.text.tokenize import default_tokenizer
    >>> texts = [f"巴赫穆特{w}。" for w in "战事 局势 前线 守军 城区 方向".split()]
    >>> texts += ["作曲家巴赫的音乐。", "巴赫的作品很多。", "演奏巴赫名曲。", "人们喜欢巴赫。"]
    >>> texts += ["工会组织开展职工技能培训，提升服务质量和水平。"] * 10
    >>> joined_terms(texts, default_tokenizer())
    ['巴赫穆特']
    """
    table = discover_terms(texts, tokenizer, max_tokens=3, min_freq=JOIN_MIN_FREQ)
    terms = table.loc[table["joined"], "term"].tolist()
    return sorted(terms, key=lambda t: (-len(t), t))


def _joinable(tokens: Sequence[str], backend) -> bool:
    """Every piece a noun-like word (:data:`_JOIN_TAGS`), and no function character alone
    at either end."""
    if any(len(t) == 1 and t in _FUNCTION_CHARS for t in (tokens[0], tokens[-1])):
        return False
    return all(backend.tag_of(t) in _JOIN_TAGS for t in tokens)


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
