"""The report's charts, in the order they are drawn: each is declared once, with the
:class:`~analysis.output.report.Report` results it reads and whether an SVG is written
beside its PNG.

A chart is a function that takes the Report and returns its Figure (or a dict of file
name → Figure, one file each, as for the per-article word clouds), declared with
``@chart``. It raises to say why the input cannot support it (too many articles for a
per-article chart, no groups, no dates); the report leaves it out and says why. To add
a chart, add one::

    @chart("entities", needs=("entities",), svg=True)
    def _entities_chart(report):
        from analysis.output.entity_chart import entity_chart

        return entity_chart(report.entities).figure
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughDataError
from analysis.output.report_options import (
    MAX_GROUPS,
    PARAMETERS,
    PER_ARTICLE,
    SMALL_MULTIPLES,
    need_groups,
)
from analysis.output.report_views import View, declare

__all__ = ["CHARTS", "SVG_CHARTS", "chart"]

#: Chart name → its :class:`~analysis.output.report_views.View`, in the order drawn.
CHARTS: dict[str, View] = {}


def chart(name: str, *, needs: Iterable[str], svg: bool = False) -> Callable[[Callable], Callable]:
    """Declare the function below, which takes the Report and returns a Figure (or a
    dict of file name → Figure), as the chart ``name``, written as PNG and, with
    ``svg``, as SVG too."""
    formats = ("png", "svg") if svg else ("png",)
    return declare(CHARTS, name, kind="chart", needs=needs, formats=formats)


@chart("article_lengths", needs=("articles", "labels", "groups"))
def _lengths_chart(report):
    from analysis.output.plots import article_lengths, length_distribution

    if report.per_article:
        ax = article_lengths(report.articles, labels=report.labels)
    else:
        ax = length_distribution(report.articles["n_chars"], groups=report.groups)
    return ax.figure


@chart("keywords", needs=("keywords", "label_of"), svg=True)
def _keywords_chart(report):
    from analysis.output.plots import keyword_grid

    if not report.small:
        raise NotEnoughDataError(
            f"{report.n} articles: keyword bars per article are drawn for up to "
            f"{SMALL_MULTIPLES}; see corpus_keywords and group_keywords"
        )
    table = report.keywords.copy()
    table["title"] = table["id"].map(report.label_of)
    return keyword_grid(table)


@chart("corpus_keywords", needs=("corpus_keywords",), svg=True)
def _corpus_keywords_chart(report):
    from analysis.output.plots import keyword_bars

    table = report.corpus_keywords.head(20)
    title = f"全部 {report.n} 篇的关键词 (TF-IDF 之和)"
    if table.attrs.get("left_out"):
        title += "\n不含出现在 95% 以上文章中的词"
    ax = keyword_bars(table, title=title, figsize=(6, 5.5))
    return ax.figure


@chart("wordcloud", needs=("corpus",))
def _wordcloud_chart(report):
    from analysis.methods.keywords import term_weights
    from analysis.output.plots import word_cloud

    tfidf = report.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
    title = "全版" if report.n <= SMALL_MULTIPLES else f"全部 {report.n} 篇"
    ubiquitous = set(report.corpus.terms.terms[report.corpus.ubiquitous])
    weights = term_weights(report.corpus.terms, tfidf)
    ax = word_cloud(
        {t: w for t, w in weights.items() if t not in ubiquitous},
        title=title,
        stopwords=report.corpus.tokenizer.stopwords_,
        max_words=120,
        figsize=(8, 5),
    )
    return ax.figure


@chart("wordclouds", needs=("corpus", "file_names", "labels"))
def _article_clouds(report) -> dict[str, object]:
    from analysis.methods.keywords import term_weights
    from analysis.output.plots import word_cloud

    if not report.small:
        raise NotEnoughDataError(
            f"{report.n} articles: word clouds per article are drawn for up to {SMALL_MULTIPLES}"
        )
    tfidf = report.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
    stop = report.corpus.tokenizer.stopwords_
    out = {}
    for i, name in enumerate(report.file_names):
        weights = term_weights(report.corpus.terms, tfidf, i)
        if not weights:
            continue
        ax = word_cloud(
            weights,
            title=report.labels[i],
            stopwords=stop,
            max_words=PARAMETERS["wordcloud_max_words"],
        )
        out[name] = ax.figure
    return out


@chart("keyness", needs=("keyness", "label_of"), svg=True)
def _keyness_chart(report):
    import matplotlib.pyplot as plt

    from analysis.output.plots import keyness_plot, setup

    table = report.keyness
    if table.empty:
        raise NotEnoughDataError("keyness: no word occurs twice or more in these articles")
    setup()
    ids = list(dict.fromkeys(table["id"]))
    rows = (len(ids) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(10, 2.6 * rows), layout="constrained", squeeze=False)
    for ax, article_id in zip(axes.flat, ids, strict=False):
        keyness_plot(table[table["id"] == article_id], ax=ax, title=report.label_of[article_id])
    for ax in axes.flat[len(ids) :]:
        ax.set_visible(False)
    return fig


@chart("similarity", needs=("similarity", "labels"))
def _similarity_chart(report):
    from analysis.output.plots import similarity_heatmap

    sim, _ = report.similarity
    return similarity_heatmap(sim, labels=report.labels).figure


@chart("dendrogram", needs=("similarity", "labels"), svg=True)
def _dendrogram_chart(report):
    from analysis.output.plots import dendrogram_plot

    _, tree = report.similarity
    return dendrogram_plot(tree, report.labels).figure


@chart("themes", needs=("themes", "articles", "labels"))
def _themes_chart(report):
    from analysis.output.plots import theme_heatmap

    themes = report.themes
    if report.per_article:
        ax = theme_heatmap(themes.article_weights, themes.names(), article_labels=report.labels)
    else:
        from analysis.output.plots import theme_bars

        # the share of the corpus's text, as theme_terms.csv's share_of_text
        ax = theme_bars(themes.shares(), themes.names(), title=f"全部 {report.n} 篇的主题构成")
    return ax.figure


@chart("k_selection", needs=("clusters",), svg=True)
def _k_selection_chart(report):
    from analysis.output.plots import k_selection_plot

    return k_selection_plot(report.clusters.scores).figure


@chart("document_map", needs=("corpus", "groups", "clusters", "labels"))
def _document_map_chart(report):
    from analysis.methods.themes import document_map
    from analysis.output.plots import document_map_plot

    coords = document_map(report.corpus, random_state=PARAMETERS["random_state"])
    if report.groups is not None:
        groups, names = _codes(report.groups)
    else:
        groups, names = report.clusters.labels, None
    labels = report.labels if report.per_article else None
    return document_map_plot(coords, labels=labels, groups=groups, group_names=names).figure


@chart("term_heatmap", needs=("keywords", "label_of"))
def _term_heatmap_chart(report):
    from analysis.output.plots import term_heatmap

    if not report.per_article:
        raise NotEnoughDataError(
            f"{report.n} articles: the article × term heatmap is drawn for up to {PER_ARTICLE}"
        )
    return term_heatmap(report.keywords, article_labels=report.label_of).figure


@chart("group_keywords", needs=("group_keywords",), svg=True)
def _group_keywords_chart(report):
    from analysis.output.plots import group_keyness_grid

    table = report.group_keywords
    names = list(dict.fromkeys(table["group"]))[:MAX_GROUPS]
    return group_keyness_grid(table[table["group"].isin(names)])


@chart("group_similarity", needs=("group_summary", "groups", "corpus"))
def _group_similarity_chart(report):
    from analysis.output.plots import similarity_heatmap

    names, centroids = _group_centroids(report)
    if len(names) < 2:
        raise NotEnoughDataError("group similarity needs at least 2 groups")
    sim = pd.DataFrame(np.clip(centroids @ centroids.T, 0, 1), index=names, columns=names)
    return similarity_heatmap(sim, labels=names).figure


@chart("group_themes", needs=("themes", "group_summary", "groups", "corpus"))
def _group_themes_chart(report):
    from analysis.output.plots import theme_heatmap

    need_groups(report.group_by)
    names = [g for g in report.group_summary["group"] if g != "(none)"][:PER_ARTICLE]
    if len(names) < 2:
        raise NotEnoughDataError(
            f"group themes by {report.group_by!r}: need at least 2 groups to set side by "
            f"side, found {len(names)}; the themes chart shows the whole corpus"
        )
    groups = report.groups.to_numpy(dtype=object)
    ids = np.asarray(report.corpus.ids, dtype=object)
    # each group's share of its text, as the themes chart and theme_terms.csv
    mix = pd.DataFrame([report.themes.shares(ids[groups == g]) for g in names], index=names)
    label = "占该组正文的比例(按字数加权)"
    return theme_heatmap(mix, report.themes.names(), article_labels=names, value_label=label).figure


@chart("comparison", needs=("comparison", "compared_groups"), svg=True)
def _comparison_chart(report):
    from analysis.output.comparison import comparison_plot

    a, b = report.compared_groups
    return comparison_plot(report.comparison, a=a, b=b).figure


@chart("comparison_cloud", needs=("comparison", "compared_groups"))
def _comparison_cloud_chart(report):
    from analysis.output.comparison import comparison_cloud

    a, b = report.compared_groups
    return comparison_cloud(report.comparison, a=a, b=b).figure


@chart("term_trends", needs=("term_trends",), svg=True)
def _term_trends_chart(report):
    from analysis.output.trend_charts import trend_plot

    return trend_plot(report.term_trends).figure


@chart("theme_trends", needs=("theme_trends", "themes"))
def _theme_trends_chart(report):
    from analysis.output.trend_charts import theme_trend_plot

    return theme_trend_plot(report.theme_trends, report.themes.names()).figure


@chart("rising_terms", needs=("rising_terms",), svg=True)
def _rising_chart(report):
    from analysis.output.trend_charts import rising_plot

    return rising_plot(report.rising_terms).figure


@chart("network", needs=("network",), svg=True)
def _network_chart(report):
    from analysis.output.network_map import network_plot

    edges = report.network
    found = dict(zip(edges["source"], edges["source_community"], strict=True)) | dict(
        zip(edges["target"], edges["target_community"], strict=True)
    )
    return network_plot(edges, communities=found).figure


@chart("entities", needs=("entities",), svg=True)
def _entities_chart(report):
    from analysis.output.entity_chart import entity_chart

    return entity_chart(report.entities).figure


def _group_centroids(report) -> tuple[list[str], np.ndarray]:
    from sklearn.preprocessing import normalize

    names = [g for g in report.group_summary["group"] if g != "(none)"][:PER_ARTICLE]
    values = report.groups.to_numpy(dtype=object)
    tfidf = report.corpus.tfidf()
    rows = [np.asarray(tfidf[np.flatnonzero(values == g)].mean(axis=0)).ravel() for g in names]
    return names, normalize(np.vstack(rows))


def _codes(groups: pd.Series) -> tuple[np.ndarray, list[str]]:
    names = list(dict.fromkeys(g for g in groups if g is not None))
    index = {g: i for i, g in enumerate(names)}
    return np.array([index.get(g, -1) for g in groups]), names


@chart("code_shares", needs=("coded",), svg=True)
def _code_shares_chart(report):
    from analysis.methods.code_tables import code_summary
    from analysis.output.code_charts import code_shares_plot

    return code_shares_plot(code_summary(report.coded)).figure


@chart("code_groups", needs=("code_groups",))
def _code_groups_chart(report):
    from analysis.output.code_charts import code_groups_plot

    return code_groups_plot(report.code_groups).figure


@chart("code_trends", needs=("code_trends",), svg=True)
def _code_trends_chart(report):
    from analysis.output.code_charts import code_trend_plot

    return code_trend_plot(report.code_trends).figure


@chart("code_cooccurrence", needs=("coded",))
def _code_cooccurrence_chart(report):
    from analysis.methods.code_tables import code_cooccurrence
    from analysis.output.code_charts import code_cooccurrence_plot

    if len(report.coded.codes) < 2:
        raise NotEnoughDataError("code co-occurrence needs 2 codes or more")
    return code_cooccurrence_plot(code_cooccurrence(report.coded)).figure


@chart("tone", needs=("tone", "labels"), svg=True)
def _tone_chart(report):
    from analysis.output.code_charts import tone_plot

    labels = report.labels if report.per_article else None
    return tone_plot(report.tone, labels=labels).figure


@chart("tone_groups", needs=("tone_groups",), svg=True)
def _tone_groups_chart(report):
    from analysis.output.code_charts import tone_by_plot

    return tone_by_plot(report.tone_groups).figure


@chart("tone_trends", needs=("tone_trends",), svg=True)
def _tone_trends_chart(report):
    from analysis.output.code_charts import tone_by_plot

    return tone_by_plot(report.tone_trends, key="period").figure


@chart("topics", needs=("topics",), svg=True)
def _topics_chart(report):
    from analysis.output.code_charts import topics_plot

    return topics_plot(report.topics.table()).figure


@chart("topic_trends", needs=("topic_trends",), svg=True)
def _topic_trends_chart(report):
    from analysis.output.code_charts import topic_trend_plot

    return topic_trend_plot(report.topic_trends).figure


#: Charts written as SVG as well as PNG: text and lines, which scale in a paper. Word
#: clouds, heatmaps and maps of many points are images either way.
SVG_CHARTS = {view.name for view in CHARTS.values() if "svg" in view.formats}
