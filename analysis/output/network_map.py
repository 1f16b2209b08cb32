"""The co-occurrence network drawn (:func:`analysis.methods.network.cooccurrence` makes
the edges, :func:`~analysis.methods.network.communities` the colours)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.methods.network import communities, network_graph
from analysis.output.plots import _axes, _checked

__all__ = ["network_plot"]


def network_plot(
    edges: pd.DataFrame,
    *,
    communities: Mapping[str, int] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    seed: int = 0,
) -> Axes:
    """Draw the co-occurrence network of ``edges`` (a :func:`cooccurrence` table).

    Nodes are sized by the units each word occurs in (by its number of edges when the
    table has no ``n_source`` / ``n_target``), coloured by community (computed with
    :func:`communities` when not given; 18 colours, then repeated; words missing from
    ``communities`` are grey), edges drawn wider and darker the stronger they are. The
    layout is networkx's spring layout with ``seed``, each connected part on its own and
    stronger edges pulling harder, so the same edges give the same picture. The node
    positions are kept on the Axes as ``ax.network_positions`` ({word: (x, y)}).
    """

    graph = network_graph(edges)
    groups = dict(communities) if communities is not None else _communities(edges)
    nodes = list(graph.nodes)
    _checked(nodes, title or "")
    ax = _axes(ax, (8, 6))

    weights = np.array([d["weight"] for _, _, d in graph.edges(data=True)])
    strength = _rescale(weights)
    # spring forces need positive weights; PMI can be negative, so lay out by the rescaled one
    for (a, b), s in zip(graph.edges, strength, strict=True):
        graph.edges[a, b]["pull"] = _LO + (1 - _LO) * s
    positions = _layout(graph, seed)

    frequency = nx.get_node_attributes(graph, "frequency")
    if not any(frequency.values()):
        frequency = dict(graph.degree)
    sizes = 180 + 1100 * _rescale(np.array([frequency[n] for n in nodes], dtype=float))
    colors = [_community_color(groups.get(n)) for n in nodes]

    nx.draw_networkx_edges(
        graph,
        positions,
        ax=ax,
        width=list(0.6 + 3.4 * strength),
        edge_color=[(0.35, 0.35, 0.35, 0.25 + 0.5 * s) for s in strength],
    )
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=ax,
        nodelist=nodes,
        node_size=list(sizes),
        node_color=colors,
        edgecolors="white",
        linewidths=0.8,
    )
    nx.draw_networkx_labels(graph, positions, ax=ax, font_size=9)
    ax.set_axis_off()
    ax.margins(0.08)
    if title:
        ax.set_title(title, fontsize=11)
    ax.network_positions = {n: tuple(map(float, positions[n])) for n in nodes}
    return ax


def _layout(graph: nx.Graph, seed: int) -> dict[str, np.ndarray]:
    """Spring layout of each connected part on its own, the parts packed in rows.

    One spring layout of the whole graph pushes small separate parts to the corners
    and squeezes the large one into the middle; laid out apart, every part gets room in
    proportion to its number of words, largest first.
    """
    parts = sorted(nx.connected_components(graph), key=lambda part: (-len(part), min(part)))
    sides = [max(1.0, np.sqrt(len(part))) for part in parts]
    width = max(max(sides), np.sqrt(sum(s * s for s in sides) * 4 / 3))
    positions: dict[str, np.ndarray] = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y - row_height - _GAP, 0.0
        # a subgraph view lists its nodes in the order of a set, which differs between
        # runs (string hashing); the layout's random start follows node order
        sub = nx.Graph()
        sub.add_nodes_from(sorted(part))
        sub.add_edges_from(sorted((a, b, d) for a, b, d in graph.subgraph(part).edges(data=True)))
        if len(part) == 1:
            local = {node: np.zeros(2) for node in sub}
        else:
            # a longer ideal edge than networkx's 1/sqrt(n) spreads out groups of words
            # that always occur together (Jaccard 1), which would otherwise sit on each other
            spread = _SPREAD / np.sqrt(len(part))
            local = nx.spring_layout(sub, k=spread, seed=seed, weight="pull", iterations=200)
        centre = np.array([x + side / 2, y - side / 2])
        for node, xy in local.items():
            positions[node] = centre + np.asarray(xy) * side / 2
        x += side + _GAP
        row_height = max(row_height, side)
    return positions


#: Space between separate parts of the network, in the units of a one-word part.
_GAP = 0.5


#: Ideal edge length of the spring layout × sqrt(words in the part).
_SPREAD = 4.0


#: Pull of the weakest edge in the layout, the strongest pulling 1.
_LO = 0.1


def _communities(edges: pd.DataFrame) -> dict[str, int]:
    return communities(edges)


def _rescale(values: np.ndarray) -> np.ndarray:
    """Values mapped linearly onto 0..1 (all 1 when they are equal)."""
    if values.size == 0:
        return values
    low, high = values.min(), values.max()
    if high == low:
        return np.ones_like(values, dtype=float)
    return (values - low) / (high - low)


def _community_color(number: int | None) -> tuple[float, ...]:
    if number is None:
        return (0.75, 0.75, 0.75, 1.0)
    palette = plt.get_cmap("tab20").colors
    # tab20 pairs a dark and a light shade; the dark ones first keep neighbours distinct,
    # and its greys (7th pair) are left for words without a community
    order = [c for i, c in enumerate([*palette[0::2], *palette[1::2]]) if i % 10 != 7]
    return (*order[(number - 1) % len(order)], 1.0)
