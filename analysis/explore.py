"""The interactive article explorer used by the notebooks (ipywidgets).

:func:`show_article` draws one article's keywords and word cloud and returns its KWIC
table, so a notebook can call it once for a static result that survives rendering, and
:func:`explorer` wraps it in widgets for JupyterLab.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from analysis.keywords import article_texts, term_weights, vectorize
from analysis.plots import KWIC_COLUMNS, keyword_bars, kwic, setup, short_title, word_cloud
from analysis.tokenize import default_tokenizer

__all__ = ["explorer", "show_article"]


def show_article(
    articles: pd.DataFrame, keywords: pd.DataFrame, article_id: str, term: str = ""
) -> tuple[Figure, pd.DataFrame]:
    """Keywords and word cloud of one article, and the KWIC of ``term`` in it."""
    setup()
    row = articles.set_index("id").loc[article_id]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    keyword_bars(keywords[keywords["id"] == article_id], ax=left, title=short_title(row.title, 20))
    position = articles["id"].tolist().index(article_id)
    vectorizer, tfidf, _ = vectorize(article_texts(articles))
    word_cloud(
        term_weights(vectorizer, tfidf, position),
        ax=right,
        stopwords=default_tokenizer().stopwords_,
    )
    own = articles[articles["id"] == article_id]
    concordance = kwic(own, term) if term else pd.DataFrame(columns=KWIC_COLUMNS)
    return fig, concordance


def explorer(articles: pd.DataFrame, keywords: pd.DataFrame):
    """A dropdown of articles and a text box for a KWIC term, redrawing on change."""
    import ipywidgets as widgets
    from IPython.display import display

    options = [
        (f"{row.order} {short_title(row.title, 20)}", row.id)
        for row in articles.itertuples(index=False)
    ]
    choose = widgets.Dropdown(options=options, description="文章")
    term = widgets.Text(value="", description="检索词", placeholder="例如:工会")

    def update(article_id: str, query: str) -> None:
        fig, concordance = show_article(articles, keywords, article_id, query)
        display(fig)
        plt.close(fig)
        if query:
            display(concordance)

    return widgets.interactive(update, article_id=choose, query=term)
