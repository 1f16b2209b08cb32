"""Charts draw Chinese with real glyphs, and word clouds hold no stopwords.

Every test here turns warnings into errors, so a "Glyph ... missing from font(s)"
warning from matplotlib fails it.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.methods.keywords import keyness, top_terms
from analysis.methods.kwic import kwic
from analysis.methods.themes import (
    OTHER,
    WeakClusteringWarning,
    cluster_documents,
    document_map,
    find_themes,
    similarity,
)
from analysis.output.figures import article_labels
from analysis.output.plots import (
    article_lengths,
    dendrogram_plot,
    document_map_plot,
    k_selection_plot,
    keyness_plot,
    keyword_bars,
    keyword_grid,
    similarity_heatmap,
    term_heatmap,
    theme_heatmap,
    word_cloud,
)
from analysis.reading.corpus import load_articles
from analysis.text.tokenize import default_tokenizer

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def articles():
    return load_articles()


@pytest.fixture(scope="module")
def keywords(articles):
    return top_terms(articles, k=10)


def _render(ax):
    """Draw the figure to pixels: glyph lookup, and its warnings, happen here."""
    ax.figure.canvas.draw()
    plt.close(ax.figure)


def test_default_font_would_warn_about_missing_glyphs():
    """The failure these tests guard against, shown on matplotlib's default font."""
    with plt.rc_context({"font.family": "DejaVu Sans"}):
        fig, ax = plt.subplots()
        ax.set_title("县级工会")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()
        plt.close(fig)


def test_keyword_charts(articles, keywords):
    _render(keyword_bars(keywords[keywords["id"] == articles["id"][0]], title="县级工会"))
    fig = keyword_grid(keywords)
    fig.canvas.draw()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 7
    plt.close(fig)
    _render(article_lengths(articles, labels=article_labels(articles)))


def test_keyness_and_comparison_charts(articles, keywords):
    _render(keyness_plot(keyness(articles, articles["id"][1]), title="快递小哥"))
    sim, tree = similarity(articles)
    labels = article_labels(articles)
    _render(similarity_heatmap(sim, labels=labels))
    _render(dendrogram_plot(tree, labels))
    _render(term_heatmap(keywords, article_labels=dict(zip(articles["id"], labels, strict=True))))


def test_theme_and_cluster_charts(articles):
    themes = find_themes(articles)
    names = {t: themes.label(t) for t in themes.terms} | {OTHER: "其他"}
    _render(theme_heatmap(themes.article_weights, names))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        clusters = cluster_documents(articles["text"].tolist())
    _render(k_selection_plot(clusters.scores))
    _render(document_map_plot(document_map(articles), labels=article_labels(articles)))


def test_word_cloud_has_no_stopwords(articles):
    stop = default_tokenizer().stopwords_
    # raw counts of every jieba token, stopwords included, to make the filter do work
    counts = {}
    for token in default_tokenizer().cut(articles["text"][1]):
        if token.strip():
            counts[token] = counts.get(token, 0) + 1
    assert set(counts) & stop
    ax = word_cloud(counts, stopwords=stop)
    assert ax.cloud_words
    assert not set(ax.cloud_words) & stop
    assert "快递小哥" in ax.cloud_words
    _render(ax)


def test_word_cloud_refuses_characters_the_font_lacks():
    from analysis.output.fonts import FontCoverageError

    with pytest.raises(FontCoverageError, match="𓀀"):
        word_cloud({"工会": 2.0, "𓀀": 1.0})


def test_kwic_rows_come_from_the_bodies(articles):
    table = kwic(articles, "快递小哥", window=5)
    assert len(table) == sum(p.count("快递小哥") for ps in articles["paragraphs"] for p in ps)
    for row in table.itertuples():
        paragraph = articles.set_index("id").loc[row.id, "paragraphs"][row.paragraph]
        assert row.left + row.term + row.right in paragraph


def test_document_map_labels_of_nearby_points_do_not_overlap():
    from analysis.output.plots import document_map_plot

    # the seed's articles 1 and 5 sit this close on the map; their labels overlapped
    coords = pd.DataFrame({"x": [0.67, 0.68, 0.07, 0.03], "y": [-0.08, -0.10, 0.89, -0.32]})
    labels = ["1 解难题补短板,建好服务职工…", "5 “您服务西洽会,工会服务您”", "7 技能", "3 演练"]
    ax = document_map_plot(coords, labels=labels)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    assert set(boxes) == set(labels)
    first, second = boxes[labels[0]], boxes[labels[1]]
    assert not first.overlaps(second)
    plt.close(ax.figure)
