"""Charts for notebooks and ``make figures``.

Every plot function takes ``ax=None``, draws on it (or on a new figure) and returns the
Axes. Saving is one helper, :func:`save_figure`, which writes PNG and SVG with fixed
metadata so that the same input gives byte-identical files. Every function checks that
the Chinese font covers the text it draws (:func:`analysis.output.fonts.check_coverage`), so
a missing glyph is an error that names the characters rather than a box in the chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from scipy.cluster.hierarchy import dendrogram

from analysis.output.fonts import check_coverage, chinese_font, use_chinese_font
from analysis.representations.analysed import short_title

__all__ = [
    "SERIES_COLORS",
    "THEME_SHARE_LABEL",
    "article_lengths",
    "dendrogram_plot",
    "document_map_plot",
    "group_keyness_grid",
    "k_selection_plot",
    "keyness_plot",
    "keyword_bars",
    "keyword_grid",
    "length_distribution",
    "save_figure",
    "series_styles",
    "setup",
    "similarity_heatmap",
    "term_heatmap",
    "theme_bars",
    "theme_heatmap",
    "word_cloud",
]

_PALETTE = "#2f5d8a"

#: What a theme's share of a set of articles is (:meth:`analysis.methods.themes.Themes.shares`).
THEME_SHARE_LABEL = "占正文的比例(按字数加权)"

#: Colours of series told apart by colour alone: tab20's ten darker colours, then its ten
#: lighter ones, greys left out (grey is "other" and "no group").
SERIES_COLORS = [
    to_hex(c)
    for c in [*plt.get_cmap("tab20").colors[0::2], *plt.get_cmap("tab20").colors[1::2]]
    if len({round(v, 3) for v in c}) > 1
]
_LINESTYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D")
_HATCHES = ("", "//", "..", "xx")


def series_styles(n: int, *, kind: str = "line") -> list[dict[str, str]]:
    """Keyword arguments that give ``n`` series ``n`` different looks: the colours of
    :data:`SERIES_COLORS` first, then the same colours again with the next line style
    and marker (``kind="line"``) or hatch (``kind="area"``), so that no two series share
    both colour and style (up to 72; beyond, looks repeat).

    >>> series_styles(19)[18] == {"color": SERIES_COLORS[0], "linestyle": "--", "marker": "s"}
    True
    """
    out = []
    for i in range(n):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        turn = (i // len(SERIES_COLORS)) % len(_LINESTYLES)
        if kind == "area":
            out.append({"color": color, "hatch": _HATCHES[turn]})
        else:
            out.append({"color": color, "linestyle": _LINESTYLES[turn], "marker": _MARKERS[turn]})
    return out


def setup() -> None:
    """Register the Chinese font and the house style; call before drawing."""
    use_chinese_font()
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "path",  # glyphs as paths: the SVG needs no font to view
            "svg.hashsalt": "analysis",  # stable element ids
            "path.simplify": True,
        }
    )


def _axes(ax: Axes | None, figsize: tuple[float, float] = (6, 4)) -> Axes:
    setup()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _checked(*texts: Iterable[str] | str) -> None:
    joined = "".join(t if isinstance(t, str) else "".join(map(str, t)) for t in texts)
    check_coverage(joined)


def article_lengths(
    articles: pd.DataFrame, *, labels: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Body length (characters) of each article, with its kind as a colour."""
    ax = _axes(ax, (7, 3.5))
    labels = list(labels) if labels is not None else articles["id"].tolist()
    kinds = articles["kind"].tolist()
    _checked(labels, kinds, "正文字数")
    palette = dict(zip(sorted(set(kinds)), plt.get_cmap("tab10").colors, strict=False))
    colors = [palette[k] for k in kinds[::-1]]
    ax.barh(labels[::-1], articles["n_chars"].tolist()[::-1], color=colors)
    for kind, color in palette.items():
        ax.bar(0, 0, color=color, label=kind)
    ax.legend(frameon=False, loc="lower right")
    ax.set_xlabel("正文字数")
    return ax


def length_distribution(
    lengths: Sequence[int], *, groups: Sequence[object] | None = None, ax: Axes | None = None
) -> Axes:
    """Histogram of article lengths (characters, log scale), one outline per group for
    up to 10 groups; for corpora with too many articles for a bar each."""
    ax = _axes(ax, (7, 3.5))
    values = np.asarray(lengths, dtype=float)
    values = np.maximum(values, 1)
    bins = np.logspace(0, np.log10(values.max() + 1), 40)
    _checked("正文字数(对数刻度)", "篇数")
    if groups is None:
        ax.hist(values, bins=bins, color=_PALETTE)
    else:
        series = pd.Series(list(groups), dtype=object)
        names = series.value_counts(sort=True).index[:10].tolist()
        _checked([str(n) for n in names])
        for name in names:
            ax.hist(values[(series == name).to_numpy()], bins=bins, histtype="step",
                    linewidth=1.2, label=str(name))  # fmt: skip
        ax.legend(frameon=False, fontsize=8, ncols=2)
    ax.set_xscale("log")
    ax.set_xlabel("正文字数(对数刻度)")
    ax.set_ylabel("篇数")
    return ax


def group_keyness_grid(table: pd.DataFrame, *, ncols: int = 3, k: int = 10) -> Figure:
    """Small multiples: the key terms of each group against the rest (G² bars; rows of
    :func:`analysis.methods.groups.group_keywords`)."""
    setup()
    names = list(dict.fromkeys(table["group"]))
    if not names:
        raise ValueError("no key terms to draw: no group differs from the rest")
    ncols = min(ncols, len(names))
    nrows = int(np.ceil(len(names) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.2 * ncols, 2.6 * nrows), layout="constrained", squeeze=False
    )
    for ax, name in zip(axes.flat, names, strict=False):
        rows = table[table["group"] == name].head(k)
        keyness_plot(rows, ax=ax, title=str(name))
        ax.set_xlabel("G²")
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    return fig


def keyword_bars(
    keywords: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6, 4),
) -> Axes:
    """Horizontal bars of keywords: rows with rank, term and score (one article's rows of
    :func:`analysis.methods.keywords.top_terms`, or a corpus's top terms)."""
    ax = _axes(ax, figsize)
    rows = keywords.sort_values("rank", ascending=False)
    _checked(rows["term"], title or "")
    ax.barh(rows["term"], rows["score"], color=_PALETTE)
    ax.set_xlabel("TF-IDF")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def keyword_grid(keywords: pd.DataFrame, *, ncols: int = 2) -> Figure:
    """Small multiples: one keyword bar chart per article."""
    setup()
    ids = list(dict.fromkeys(keywords["id"]))
    nrows = int(np.ceil(len(ids) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(5 * ncols, 2.8 * nrows), layout="constrained", squeeze=False
    )
    for ax, article_id in zip(axes.flat, ids, strict=False):
        rows = keywords[keywords["id"] == article_id]
        keyword_bars(rows, ax=ax, title=short_title(rows["title"].iloc[0], 18))
    for ax in axes.flat[len(ids) :]:
        ax.set_visible(False)
    return fig


def word_cloud(
    frequencies: Mapping[str, float],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    stopwords: Iterable[str] = (),
    max_words: int = 80,
    random_state: int = 0,
    figsize: tuple[float, float] = (6, 4),
) -> Axes:
    """A word cloud of ``frequencies`` drawn with the Chinese font, fixed random_state.

    Words in ``stopwords`` are removed before drawing; the words laid out are kept on
    the Axes as ``ax.cloud_words`` for checking.
    """
    from wordcloud import WordCloud

    ax = _axes(ax, figsize)
    stop = set(stopwords)
    freqs = {w: f for w, f in frequencies.items() if w not in stop and f > 0}
    if not freqs:
        raise ValueError("nothing to draw: every word is a stopword or has zero weight")
    _checked(freqs, title or "")
    cloud = WordCloud(
        font_path=str(chinese_font().path),
        # laid out on 400×250 and drawn at twice that: the same 800×500 picture in a
        # third of the time (placement cost grows with the canvas)
        width=400,
        height=250,
        scale=2,
        background_color="white",
        max_words=max_words,
        random_state=random_state,
        prefer_horizontal=1.0,
        collocations=False,
        colormap="viridis",
    ).generate_from_frequencies(freqs)
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10)
    ax.cloud_words = [item[0][0] for item in cloud.layout_]
    return ax


def keyness_plot(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Bars of signed G² for the terms of a :func:`analysis.methods.keywords.keyness` table."""
    ax = _axes(ax)
    rows = table.sort_values("g2")
    _checked(rows["term"], title or "")
    colors = np.where(rows["g2"] >= 0, _PALETTE, "#b5523b")
    ax.barh(rows["term"], rows["g2"], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("G²(正值:该文更常用)")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def similarity_heatmap(
    sim: pd.DataFrame, *, labels: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Heatmap of an article × article similarity matrix, values written in the cells."""
    ax = _axes(ax, (7, 6))
    labels = list(labels) if labels is not None else list(sim.index)
    _checked(labels)
    image = ax.imshow(sim.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i, j in np.ndindex(sim.shape):
        value = sim.iat[i, j]
        ax.text(
            j,
            i,
            f"{value:.2f}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if value > 0.6 else "black",
        )
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="余弦相似度")
    _checked("余弦相似度")
    return ax


def dendrogram_plot(tree: np.ndarray, labels: Sequence[str], *, ax: Axes | None = None) -> Axes:
    """Dendrogram of an average-linkage tree on cosine distance."""
    ax = _axes(ax, (7, 4))
    _checked(labels, "余弦距离")
    dendrogram(tree, labels=list(labels), orientation="right", ax=ax, color_threshold=0)
    ax.set_xlabel("余弦距离")
    return ax


def theme_heatmap(
    weights: pd.DataFrame,
    theme_labels: Mapping[object, str],
    *,
    article_labels: Sequence[str] | None = None,
    value_label: str = "主题占比",
    ax: Axes | None = None,
) -> Axes:
    """Article × theme heatmap of theme shares (each row sums to 1); ``value_label``
    names the shares on the colour bar."""
    ax = _axes(ax, (8, 5))
    columns = list(weights.columns)
    xlabels = [theme_labels.get(c, str(c)) for c in columns]
    ylabels = list(article_labels) if article_labels is not None else list(weights.index)
    _checked(xlabels, ylabels, value_label)
    image = ax.imshow(weights.to_numpy(dtype=float), cmap="Oranges", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(columns)), xlabels, rotation=40, ha="right")
    ax.set_yticks(range(len(ylabels)), ylabels)
    for i, j in np.ndindex(weights.shape):
        value = float(weights.iat[i, j])
        if value >= 0.05:
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=value_label)
    return ax


def theme_bars(
    shares: pd.Series,
    theme_labels: Mapping[object, str],
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Horizontal bars of each theme's share of the articles' text
    (:meth:`~analysis.methods.themes.Themes.shares`: the article mixes averaged with each
    article weighted by its length in characters), for a corpus too large for a row per
    article; "other" last, in grey."""
    ax = _axes(ax, (7, 0.45 * len(shares) + 1.2))
    labels = [theme_labels.get(c, str(c)) for c in shares.index]
    _checked(labels, title or "", THEME_SHARE_LABEL)
    colors = ["#bbbbbb" if c == "other" else _PALETTE for c in shares.index]
    ax.barh(labels[::-1], shares.to_numpy()[::-1], color=colors[::-1])
    for y, value in enumerate(shares.to_numpy()[::-1]):
        ax.text(value, y, f" {value:.2f}", va="center", fontsize=8)
    ax.set_xlabel(THEME_SHARE_LABEL)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def k_selection_plot(scores: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Silhouette, stability and their product for every k tried; the chosen k marked."""
    ax = _axes(ax, (6, 3.5))
    labels = {"silhouette": "轮廓系数", "stability": "稳定性(ARI)", "score": "乘积(选择依据)"}
    _checked(labels.values(), "聚类数 k")
    for column, label in labels.items():
        ax.plot(scores["k"], scores[column], marker="o", label=label)
    chosen = scores.loc[scores["chosen"], "k"]
    for k in chosen:
        ax.axvline(k, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel("聚类数 k")
    ax.set_xticks(scores["k"])
    ax.legend(frameon=False)
    return ax


def document_map_plot(
    coords: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    groups: Sequence[int] | None = None,
    group_names: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Scatter of 2-D document coordinates, coloured by group (cluster numbers, or codes
    into ``group_names`` with a legend; -1 is "no group"), each point labelled when
    ``labels`` are given (for a few dozen documents; more would be unreadable)."""
    ax = _axes(ax, (6, 5))
    _checked(labels or [], group_names or [], "LSA 维度", "无")
    codes = np.asarray(groups if groups is not None else [0] * len(coords))
    many = len(coords) > 200
    size, alpha = (8, 0.6) if many else (60, 1.0)
    cmap = plt.get_cmap("tab20" if group_names is not None and len(group_names) > 10 else "tab10")
    if group_names is None:
        ax.scatter(coords["x"], coords["y"], c=codes, cmap="tab10", s=size, vmin=0, vmax=9,
                   alpha=alpha)  # fmt: skip
    else:
        for code, name in [*enumerate(group_names), (-1, "无")]:
            mask = codes == code
            if mask.any():
                color = cmap(code % cmap.N) if code >= 0 else "lightgrey"
                ax.scatter(coords["x"][mask], coords["y"][mask], color=color, s=size,
                           alpha=alpha, label=name)  # fmt: skip
        ax.legend(frameon=False, fontsize=8, markerscale=1 if not many else 2,
                  loc="center left", bbox_to_anchor=(1.0, 0.5))  # fmt: skip
    if labels:
        _place_labels(ax, coords["x"].to_numpy(), coords["y"].to_numpy(), list(labels))
    ax.set_xlabel("LSA 维度 1")
    ax.set_ylabel("LSA 维度 2")
    return ax


#: Where a point's label may go, in points from the point, in order of preference.
_LABEL_SPOTS = ((5, 4, "left", "bottom"), (5, -4, "left", "top"),
                (-5, 4, "right", "bottom"), (-5, -4, "right", "top"))  # fmt: skip


def _place_labels(ax: Axes, xs: np.ndarray, ys: np.ndarray, labels: list[str]) -> None:
    """Label each point beside it, on the first side where the label overlaps no label
    placed before it (upper right, lower right, upper left, lower left); when every side
    overlaps, the side that overlaps least. Deterministic: points in the order given."""
    ax.figure.canvas.draw()  # the final limits and layout, so that boxes are where drawn
    renderer = ax.figure.canvas.get_renderer()
    placed: list = []
    for x, y, label in zip(xs, ys, labels, strict=False):
        best = None
        for dx, dy, ha, va in _LABEL_SPOTS:
            text = ax.annotate(label, (x, y), textcoords="offset points", xytext=(dx, dy),
                               ha=ha, va=va, fontsize=8)  # fmt: skip
            box = text.get_window_extent(renderer).expanded(1.02, 1.1)
            overlap = sum(_area(box, other) for other in placed)
            if best is None or overlap < best[0]:
                if best is not None:
                    best[1].remove()
                best = (overlap, text, box)
            else:
                text.remove()
            if overlap == 0:
                break
        placed.append(best[2])


def _area(a, b) -> float:
    """Area of the intersection of two display-space boxes."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(width, 0.0) * max(height, 0.0)


def term_heatmap(
    keywords: pd.DataFrame,
    *,
    article_labels: Mapping[str, str] | None = None,
    n_terms: int = 20,
    ax: Axes | None = None,
) -> Axes:
    """The terms that rank highest across articles × their TF-IDF in each article."""
    ax = _axes(ax, (9, 5))
    best = keywords.groupby("term")["score"].max().sort_values(ascending=False, kind="mergesort")
    terms = best.index[:n_terms].tolist()
    table = keywords.pivot_table(index="id", columns="term", values="score", aggfunc="max")
    table = table.reindex(columns=terms).fillna(0.0)
    table = table.reindex(list(dict.fromkeys(keywords["id"])))
    ylabels = [article_labels.get(i, i) for i in table.index] if article_labels else table.index
    _checked(terms, ylabels, "TF-IDF")
    image = ax.imshow(table.to_numpy(), cmap="Greens", aspect="auto")
    ax.set_xticks(range(len(terms)), terms, rotation=60, ha="right")
    ax.set_yticks(range(len(table.index)), list(ylabels))
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="TF-IDF")
    return ax


def save_figure(
    fig: Figure, path: str | Path, *, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Save ``fig`` as ``path`` + ``.`` + each format with fixed metadata; return the
    paths written. A ``path`` that ends in one of ``formats`` already loses that ending;
    any other dot stays part of the name (``dot.1`` gives ``dot.1.png``).

    PNG metadata drops the matplotlib version and SVG metadata the date, so the bytes
    depend only on what is drawn. Each file is written whole or not at all.
    """
    from analysis.files import atomic_path

    path = Path(path)
    if path.suffix.lower().lstrip(".") in formats:
        path = path.with_suffix("")
    written = []
    for fmt in formats:
        target = path.with_name(f"{path.name}.{fmt}")
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, metadata=metadata, bbox_inches="tight")
        written.append(target)
    return written
