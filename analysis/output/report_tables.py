"""The report's tables, in the order they are written: each is declared once, with the
:class:`~analysis.output.report.Report` results it reads.

A table is written as ``NAME.csv`` and as a sheet of ``tables.xlsx``. Most are a Report
result as it is (:func:`result_table`); the others are built from one by a function
that takes the Report (``@table``). A table that does not apply to the input raises,
and the manifest says why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from operator import attrgetter

import pandas as pd

from analysis.output.report_views import View, declare

__all__ = ["TABLES", "result_table", "table"]

#: Table name → its :class:`~analysis.output.report_views.View`, in the order written.
TABLES: dict[str, View] = {}


def table(name: str, *, needs: Iterable[str]) -> Callable[[Callable], Callable]:
    """Declare the function below, which takes the Report and returns a DataFrame, as
    the table ``name``."""
    return declare(TABLES, name, kind="table", needs=needs, formats=("csv", "xlsx"))


def result_table(name: str, result: str | None = None) -> None:
    """Declare the Report's result ``result`` (default ``name``), a DataFrame already,
    as the table ``name``."""
    result = result or name
    table(name, needs=(result,))(attrgetter(result))


@table("articles", needs=("articles", "labels"))
def _articles_table(report) -> pd.DataFrame:
    """The articles' fields, then every column of the input that the loader keeps beside
    them (a table's own columns: ``year``, ``table_order`` for its ``order`` …), all of
    them, in the input's order."""
    from analysis.reading.corpus import ARTICLE_COLUMNS

    fields = [
        "id",
        "source",
        "title",
        "kicker",
        "subtitle",
        "column",
        "authors",
        "kind",
        "dateline",
        "sections",
        "n_paragraphs",
        "n_chars",
    ]
    articles = report.articles
    extra = [
        c
        for c in ("label", "date", "paper", "page", "page_name", "url")
        if articles[c].notna().any()
    ]
    own = [c for c in articles.columns if c not in ARTICLE_COLUMNS]
    extra += own
    if report.group_by and report.corpus.column(report.group_by) not in fields + extra:
        extra.append(report.corpus.column(report.group_by))
    frame = articles[fields + extra].copy()
    for name in ("authors", "sections"):
        frame[name] = ["、".join(v) for v in frame[name]]
    for name in own:  # a JSON record's lists and objects, as JSON
        frame[name] = frame[name].map(
            lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
        )
    frame.insert(1, "label_in_charts", report.labels)
    return frame


result_table("keywords")
result_table("corpus_keywords")
result_table("keyness")


@table("themes", needs=("themes",))
def _themes_table(report) -> pd.DataFrame:
    weights = report.themes.article_weights.copy()
    weights.columns = [f"theme_{c}" if c != "other" else "other" for c in weights.columns]
    return weights.reset_index()


@table("theme_terms", needs=("themes",))
def _theme_terms_table(report) -> pd.DataFrame:
    """One row per theme: its words and ``share_of_text``, its share of the corpus's
    body text (:meth:`~analysis.methods.themes.Themes.shares`, what the themes chart
    draws); ``note`` says when k is at the edge of the range tried."""
    themes = report.themes
    share = themes.shares()
    return pd.DataFrame(
        [
            {
                "theme": t,
                "name": themes.names()[t],
                "terms": " ".join(words),
                "share_of_text": float(share[t]),
                "reference_fit": themes.reference_fit.get(t),
                "note": themes.note,
            }
            for t, words in themes.terms.items()
        ]
    )


@table("clusters", needs=("clusters",))
def _clusters_table(report) -> pd.DataFrame:
    """Each article's cluster, numbered from 1 as in the ``clusters`` command; ``note``
    says how far to trust the choice of k (at the edge of the range, weakly supported)."""
    result = report.clusters
    return pd.DataFrame(
        {
            "id": report.corpus.ids,
            "cluster": result.labels + 1,
            "cluster_terms": [" ".join(result.terms[c]) for c in result.labels],
            "note": " | ".join(getattr(result, "warnings", None) or [result.note]),
        }
    )


@table("similarity", needs=("similarity",))
def _similarity_table(report) -> pd.DataFrame:
    return report.similarity[0].rename_axis("id").reset_index()


result_table("groups", "group_summary")
result_table("group_keywords")
result_table("comparison")
result_table("term_trends")


@table("theme_trends", needs=("theme_trends",))
def _theme_trends_table(report) -> pd.DataFrame:
    """One row per period (in time order): the period, its articles, and each theme's
    share of their text (NaN for a period without articles)."""
    prevalence = report.theme_trends
    table = prevalence.rename(columns=lambda c: f"theme_{c}" if c != "other" else c)
    table.insert(0, "articles", [prevalence.attrs["articles"][p] for p in prevalence.index])
    return table.rename_axis("period").reset_index()


result_table("boilerplate")
result_table("joined")
result_table("rising_terms")
result_table("network")
result_table("entities")
result_table("kwic")


@table("codes", needs=("coded", "articles"))
def _codes_table(report) -> pd.DataFrame:
    counts = report.coded.counts.copy()
    counts.insert(1, "title", report.articles["title"].to_numpy())
    return counts


@table("code_summary", needs=("coded",))
def _code_summary_table(report) -> pd.DataFrame:
    from analysis.methods.code_tables import code_summary

    return code_summary(report.coded)


result_table("code_groups")
result_table("code_trends")


@table("code_cooccurrence", needs=("coded",))
def _code_cooccurrence_table(report) -> pd.DataFrame:
    from analysis.methods.code_tables import code_cooccurrence

    return code_cooccurrence(report.coded).reset_index(names="code")


@table("code_kwic", needs=("coded",))
def _code_kwic_table(report) -> pd.DataFrame:
    from analysis.methods.code_tables import code_kwic
    from analysis.output.report_options import PARAMETERS

    frames = []
    for code in report.coded.codes:
        lines = code_kwic(report.coded, code, window=PARAMETERS["kwic_window"])
        lines.insert(0, "code", code)
        frames.append(lines.head(PARAMETERS["code_kwic_lines"]))
    return pd.concat(frames, ignore_index=True)


@table("tone", needs=("tone", "articles"))
def _tone_table(report) -> pd.DataFrame:
    tone = report.tone.copy()
    tone.insert(1, "title", report.articles["title"].to_numpy())
    for column in ("positive", "negative"):
        if column in tone:
            tone[column] = tone[column].map(
                lambda v: " ".join(map(str, v)) if isinstance(v, list) else v
            )
    return tone


result_table("tone_groups")
result_table("tone_trends")


@table("reprints", needs=("reprints",))
def _reprints_table(report) -> pd.DataFrame:
    clusters = report.reprints.clusters.copy()
    clusters["members"] = clusters["members"].map(lambda ids: " ".join(map(str, ids)))
    return clusters


@table("topics", needs=("topics",))
def _topics_table(report) -> pd.DataFrame:
    table = report.topics.table()
    table["terms"] = table["terms"].map(" ".join)
    table["note"] = report.topics.note or ""
    return table


result_table("topic_trends")
result_table("topic_groups")
