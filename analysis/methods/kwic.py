"""Keyword in context: every occurrence of a term in the articles' bodies."""

from __future__ import annotations

import pandas as pd

__all__ = ["KWIC_COLUMNS", "kwic"]


KWIC_COLUMNS = ["id", "date", "title", "paragraph", "left", "term", "right"]


def kwic(
    articles: pd.DataFrame, term: str, *, window: int = 15, date_column: str = "date"
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in the bodies, with ``window``
    characters either side. Columns: id, date, title, paragraph, left, term, right; each
    row carries its article's date (from ``date_column``, as the input gives it; None
    where the article has none) and title, so a line can be placed without looking the
    article up.

    >>> from analysis import load_articles
    >>> kwic(load_articles(), "快递小哥", window=4).iloc[0][["left", "term", "right"]].tolist()
    ['浸式体验', '快递小哥', '的日常工']
    """
    if not term:
        raise ValueError("term must not be empty")
    dates = articles[date_column] if date_column in articles else pd.Series(None, articles.index)
    rows = []
    for row, date in zip(articles.itertuples(index=False), dates.tolist(), strict=True):
        for index, paragraph in enumerate(row.paragraphs):
            start = paragraph.find(term)
            while start >= 0:
                end = start + len(term)
                rows.append(
                    {
                        "id": row.id,
                        "date": None if pd.api.types.is_scalar(date) and pd.isna(date) else date,
                        "title": row.title,
                        "paragraph": index,
                        "left": paragraph[max(0, start - window) : start],
                        "term": term,
                        "right": paragraph[end : end + window],
                    }
                )
                start = paragraph.find(term, end)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)
