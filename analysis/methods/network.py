"""The co-occurrence network of words (KH Coder's 共起ネットワーク).

Two words co-occur when they appear in the same unit: a body paragraph (the default,
the closest to KH Coder's sentence or paragraph units) or a whole article. Presence is
binary, so a word said five times in a paragraph counts once. :func:`cooccurrence`
picks the words that occur in most units, counts every pair with one sparse matrix
product (units × words, transposed times itself) and keeps the strongest pairs as
edges; :func:`communities` groups the words of those edges into communities by
modularity (networkx); :func:`network_plot` draws them.

Edge strength (``measure``):

- ``jaccard``: units with both words / units with either, between 0 and 1. It favours
  pairs of frequent words that nearly always appear together; KH Coder's default.
- ``pmi``: pointwise mutual information, ``log2(P(a, b) / (P(a) P(b)))`` over units, in
  bits; 0 is what chance predicts. It favours pairs of rare words: two words seen
  together in the only two units where either occurs score higher than two words that
  share a hundred units. ``min_count`` (units a pair must share) is what guards it
  against pairs seen once or twice.

>>> from analysis.representations.matrix import document_terms
>>> units = document_terms(["工会 服务 职工", "工会 服务", "工会 职工", "服务 社区"],
...                        tokenize=str.split)
>>> cooccurrence(units, min_count=2)[["source", "target", "n", "weight"]].round(3)
  source target  n  weight
0     工会     职工  2   0.667
1     工会     服务  2   0.500

工会 is in 3 units and 职工 in 2, both in 2: Jaccard 2 / (3 + 2 - 2) = 2/3; 工会 and
服务 are in 3 units each, both in 2: 2 / (3 + 3 - 2) = 1/2. 服务 and 职工 share one unit
only, fewer than ``min_count``.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import NotEnoughDataError, OptionError
from analysis.representations.analysed import AnalysedCorpus, analysed
from analysis.representations.matrix import DocumentTerms

__all__ = [
    "COLUMNS",
    "COMMUNITY_METHODS",
    "LEVELS",
    "MEASURES",
    "communities",
    "cooccurrence",
    "network_graph",
]

LEVELS = ("paragraph", "article")
MEASURES = ("jaccard", "pmi")
COMMUNITY_METHODS = ("greedy", "louvain")
#: Columns of the edge table: the pair, units sharing it, its strength, units of each word.
COLUMNS = ["source", "target", "n", "weight", "n_source", "n_target"]


def cooccurrence(
    corpus: AnalysedCorpus | pd.DataFrame | DocumentTerms,
    *,
    level: str = "paragraph",
    measure: str = "jaccard",
    min_count: int = 3,
    top_terms: int = 60,
    top_edges: int = 80,
    terms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The strongest co-occurrence edges between the frequent words of ``corpus``.

    ``corpus`` is an :class:`~analysis.representations.analysed.AnalysedCorpus`, an
    articles table, or a :class:`~analysis.representations.matrix.DocumentTerms` of units
    already counted (``level`` is then not used). Units are body paragraphs
    (``level="paragraph"``) or articles. Candidate words are the ``top_terms`` words
    found in the most units (ties by word) among those in at least ``min_count`` units,
    or the given ``terms``. Pairs sharing
    at least ``min_count`` units are kept and the ``top_edges`` strongest by ``measure``
    (``"jaccard"`` or ``"pmi"``, see the module docstring; PMI favours rare pairs)
    returned, strongest first, ties by (source, target).

    Columns: ``source`` < ``target`` (code-point order), ``n`` units with both,
    ``weight`` the measure, ``n_source`` / ``n_target`` units with each word. The table's
    ``attrs`` hold ``measure``, ``level`` and ``units`` (how many units were counted).
    """
    _check_options(level=level, measure=measure, counts=(min_count, top_terms, top_edges))
    matrix = _units(corpus, level)
    unit_name = "unit" if isinstance(corpus, DocumentTerms) else level
    presence = (matrix.counts > 0).astype(np.int64).tocsc()
    frequency = np.asarray(presence.sum(axis=0)).ravel()
    columns = _candidates(matrix.terms, frequency, min_count, top_terms, terms)
    if len(columns) < 2 and terms is not None:
        raise NotEnoughDataError(
            "fewer than two of the given terms occur in the text: check their spelling "
            "against the tokenizer's words, or give more text"
        )
    if len(columns) < 2:
        raise NotEnoughDataError(
            f"fewer than two words occur in {min_count} or more {unit_name}s "
            f"({presence.shape[0]} {unit_name}s): lower min_count or give more text"
        )
    chosen = presence[:, columns]
    together = sparse.triu(chosen.T @ chosen, k=1).tocoo()
    keep = together.data >= min_count
    if not keep.any():
        raise NotEnoughDataError(
            f"no two words share {min_count} or more {unit_name}s "
            f"({presence.shape[0]} {unit_name}s): lower min_count or give more text"
        )
    rows, cols, n = together.row[keep], together.col[keep], together.data[keep]
    n_a, n_b = frequency[columns][rows], frequency[columns][cols]
    if measure == "jaccard":
        weight = n / (n_a + n_b - n)
    else:
        # integer products first, so that equal ratios give equal floats (ties stay ties)
        weight = np.log2((n * presence.shape[0]) / (n_a * n_b))
    words = matrix.terms[columns]
    edges = pd.DataFrame(
        {
            "source": words[rows].astype(str),
            "target": words[cols].astype(str),
            "n": n.astype(np.int64),
            "weight": weight.astype(np.float64),
            "n_source": n_a.astype(np.int64),
            "n_target": n_b.astype(np.int64),
        }
    )
    edges = edges.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True], kind="stable"
    )
    edges = edges.head(top_edges).reset_index(drop=True)
    edges.attrs.update(measure=measure, level=unit_name, units=int(presence.shape[0]))
    return edges


def _check_options(*, level: str, measure: str, counts: tuple[int, int, int]) -> None:
    if level not in LEVELS:
        raise OptionError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if measure not in MEASURES:
        raise OptionError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    for name, value in zip(("min_count", "top_terms", "top_edges"), counts, strict=True):
        if value < 1:
            raise OptionError(f"{name} must be at least 1, not {value}")


def _units(corpus, level: str) -> DocumentTerms:
    if isinstance(corpus, DocumentTerms):
        return corpus
    corpus = analysed(corpus)
    return corpus.paragraph_terms if level == "paragraph" else corpus.terms


def _candidates(
    vocabulary: np.ndarray,
    frequency: np.ndarray,
    min_count: int,
    top_terms: int,
    terms: Sequence[str] | None,
) -> np.ndarray:
    """Column numbers of the candidate words, ascending (so, in code-point order)."""
    if terms is not None:
        index = {t: i for i, t in enumerate(vocabulary)}
        return np.asarray(sorted({index[t] for t in terms if t in index}), dtype=np.int64)
    eligible = np.flatnonzero(frequency >= min_count)
    # the vocabulary is in code-point order, so a stable sort on frequency breaks ties by word
    order = eligible[np.argsort(-frequency[eligible], kind="stable")]
    return np.sort(order[:top_terms])


def network_graph(edges: pd.DataFrame) -> nx.Graph:
    """The edges as a weighted networkx graph, nodes and edges in a fixed order."""
    if edges.empty:
        raise NotEnoughDataError("no edges to draw: lower min_count or give more text")
    graph = nx.Graph()
    frequency = _frequencies(edges)
    for term in sorted(set(edges["source"]) | set(edges["target"])):
        graph.add_node(term, frequency=frequency.get(term, 0))
    for row in edges.sort_values(["source", "target"]).itertuples(index=False):
        graph.add_edge(row.source, row.target, weight=float(row.weight), n=int(row.n))
    return graph


def _frequencies(edges: pd.DataFrame) -> dict[str, int]:
    if not {"n_source", "n_target"} <= set(edges.columns):
        return {}
    pairs = pd.concat(
        [
            edges[["source", "n_source"]].set_axis(["term", "n"], axis=1),
            edges[["target", "n_target"]].set_axis(["term", "n"], axis=1),
        ]
    )
    return pairs.groupby("term")["n"].max().astype(int).to_dict()


def communities(
    edges: pd.DataFrame, *, method: str = "greedy", resolution: float = 1.0
) -> dict[str, int]:
    """Each word of ``edges`` → its community number, by weighted modularity.

    ``method`` is ``"greedy"`` (Clauset-Newman-Moore,
    ``networkx.algorithms.community.greedy_modularity_communities``) or ``"louvain"``
    (``louvain_communities`` with ``seed=0``). Edges with a weight ≤ 0 (PMI below
    chance) are left out of the modularity, so a word with only such edges is a
    community of its own. Communities are numbered 1, 2 … from the largest, ties by
    their first word.

    >>> edges = pd.DataFrame({"source": ["工会", "工会", "比赛"],
    ...                       "target": ["职工", "服务", "球队"], "n": 3, "weight": 0.5})
    >>> communities(edges)
    {'工会': 1, '服务': 1, '职工': 1, '比赛': 2, '球队': 2}
    """
    from networkx.algorithms.community import greedy_modularity_communities, louvain_communities

    if method not in COMMUNITY_METHODS:
        raise OptionError(f"method must be one of {', '.join(COMMUNITY_METHODS)}, not {method!r}")
    graph = network_graph(edges)
    positive = nx.Graph()
    positive.add_nodes_from(graph.nodes)
    positive.add_edges_from((a, b, d) for a, b, d in graph.edges(data=True) if d["weight"] > 0)
    if positive.number_of_edges() == 0:
        groups = [{node} for node in positive.nodes]
    elif method == "greedy":
        groups = greedy_modularity_communities(positive, weight="weight", resolution=resolution)
    else:
        groups = louvain_communities(positive, weight="weight", resolution=resolution, seed=0)
    ranked = sorted(groups, key=lambda group: (-len(group), min(group)))
    numbers = {term: number for number, group in enumerate(ranked, 1) for term in group}
    return dict(sorted(numbers.items(), key=lambda item: (item[1], item[0])))
