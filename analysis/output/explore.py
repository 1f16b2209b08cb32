"""The interactive article explorer used by the notebooks (ipywidgets).

:func:`show_article` draws one article's keywords and word cloud and returns its KWIC
table, so a notebook can call it once for a static result that survives rendering, and
:func:`explorer` wraps it in widgets for JupyterLab.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.methods.keywords import term_weights
from analysis.methods.kwic import KWIC_COLUMNS, kwic
from analysis.output.plots import keyword_bars, setup, word_cloud
from analysis.representations.analysed import AnalysedCorpus, analysed

__all__ = ["MAX_CHOICES", "explorer", "show_article"]

#: Most articles offered in the explorer's dropdown (the first ones of the corpus).
MAX_CHOICES = 1000


def show_article(
    corpus: AnalysedCorpus | pd.DataFrame,
    keywords: pd.DataFrame,
    article_id: str,
    term: str = "",
) -> tuple[Figure, pd.DataFrame]:
    """Keywords and word cloud of one article, and the KWIC of ``term`` in it."""
    corpus = analysed(corpus)
    setup()
    position = corpus.ids.index(article_id)
    label = corpus.labels(20)[position]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    keyword_bars(keywords[keywords["id"] == article_id], ax=left, title=label)
    weights = term_weights(corpus.terms, corpus.tfidf(), position)
    if weights:
        word_cloud(weights, ax=right, stopwords=corpus.tokenizer.stopwords_)
    else:
        right.set_axis_off()
    own = corpus.articles.iloc[[position]]
    concordance = kwic(own, term) if term else pd.DataFrame(columns=KWIC_COLUMNS)
    return fig, concordance


def explorer(corpus: AnalysedCorpus | pd.DataFrame, keywords: pd.DataFrame):
    """A dropdown of articles and a text box for a KWIC term, redrawing on change."""
    import ipywidgets as widgets
    from IPython.display import display

    corpus = analysed(corpus)
    labels = corpus.labels(20)[:MAX_CHOICES]
    options = list(zip(labels, corpus.ids[:MAX_CHOICES], strict=True))
    choose = widgets.Dropdown(options=options, description="文章")
    term = widgets.Text(value="", description="检索词", placeholder="例如:工会")

    def update(article_id: str, query: str) -> None:
        fig, concordance = show_article(corpus, keywords, article_id, query)
        display(fig)
        plt.close(fig)
        if query:
            display(concordance)

    return widgets.interactive(update, article_id=choose, query=term)
