"""A report for any corpus: every chart and table, the executed notebooks, one manifest.

``python -m analysis report PATH... --out reports/NAME`` (and ``make figures`` for
``seeds/``) runs :func:`build_report`. What goes in:

- :class:`ReportOptions`: the inputs and how to read them (the loader's options), the
  column to group by (``--group-by``), the dates (``--date-column``, ``--period``) and
  the column that names untitled articles (``--title-column``). The notebooks get the
  same options through the ``ANALYSIS_REPORT`` environment variable
  (:func:`notebook_report`), so they show the same corpus as the figures.
- :class:`Report`: the analysed corpus and every result computed once from it
  (keywords, keyness, themes, clusters, groups, trends, network, entities), and the
  charts drawn from those results (:meth:`Report.figure`).

What comes out, in the output folder: the charts (PNG; SVG too for the charts that are
mostly text and lines, where a vector file is worth having), the tables (CSV, and all of
them in ``tables.xlsx``), ``manifest.json`` (inputs and their checksums, dictionaries,
parameters, versions, outputs, what was skipped and why) and, unless switched off, the
executed notebooks and their HTML.

The charts adapt to the corpus. Per-article small multiples (keyword bars, word clouds,
keyness) are drawn for up to :data:`SMALL_MULTIPLES` articles; article × article and
article × theme heatmaps for up to :data:`PER_ARTICLE` articles. Above that the report
shows the corpus, its groups and its periods instead. A chart the input cannot support
(themes of a one-paragraph page, trends without dates) is left out and recorded in the
manifest with the reason; the rest is drawn.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.analysed import AnalysedCorpus
from analysis.config import PROJECT_ROOT, SEEDS_DIR
from analysis.corpus import display_path
from analysis.errors import AnalysisError, NotEnoughDataError, OptionError, OutputError
from analysis.processes import check_interrupted, children, terminate_children

__all__ = [
    "ENV_VAR",
    "PARAMETERS",
    "PER_ARTICLE",
    "SMALL_MULTIPLES",
    "STATE_VAR",
    "Report",
    "ReportOptions",
    "SkippedChartWarning",
    "build_report",
    "notebook_report",
    "write_csv",
    "write_xlsx",
]

#: Environment variable that passes :class:`ReportOptions` (JSON) to the notebooks.
ENV_VAR = "ANALYSIS_REPORT"
#: A pickled :class:`Report` whose results :func:`build_report` computed already; the
#: notebooks it runs read them instead of computing them again.
STATE_VAR = "ANALYSIS_REPORT_STATE"
#: Most articles drawn as small multiples (a keyword chart, a word cloud each).
SMALL_MULTIPLES = 12
#: Most articles drawn one row each in heatmaps and labelled on maps.
PER_ARTICLE = 40
#: Most groups drawn as small multiples; more are summarised by the largest.
MAX_GROUPS = 12

#: Parameters of every output; recorded in the manifest.
PARAMETERS = {
    "keywords_top": 10,
    "background_idf_n0": 50.0,
    "keyness_top": 12,
    "group_keywords_top": 10,
    "wordcloud_max_words": 80,
    "random_state": 0,
    "kwic_window": 15,
    "network_terms": 60,
    "network_edges": 80,
    "network_min_count": 3,
    "entities_top": 10,
    "trend_terms": 8,
}

PACKAGES = [
    "analysis",
    "jieba",
    "rjieba",
    "stopwordsiso",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "wordcloud",
    "networkx",
    "openpyxl",
    "mplfonts",
]

#: Charts written as SVG as well as PNG: text and lines, which scale in a paper. Word
#: clouds, heatmaps and maps of many points are images either way.
SVG_CHARTS = {
    "keywords",
    "corpus_keywords",
    "keyness",
    "group_keywords",
    "k_selection",
    "dendrogram",
    "term_trends",
    "rising_terms",
    "comparison",
    "entities",
    "network",
}


class SkippedChartWarning(UserWarning):
    """A chart that the input cannot support was left out; the others were drawn."""


@dataclass
class ReportOptions:
    """What to read and how to compare it; every field has the CLI option's name."""

    paths: list[str] | None = None
    text_column: str | None = None
    txt_mode: str = "page"
    bad_rows: str = "error"
    convert: str | None = None
    group_by: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    period: str | None = None

    def __post_init__(self) -> None:
        if self.paths is not None:
            # absolute, so that notebooks running in another folder read the same files
            self.paths = [str(Path(p).resolve()) for p in self.paths]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReportOptions:
        try:
            data = json.loads(text)
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise OptionError(
                f"{ENV_VAR}: not a report description ({exc}); unset it to use seeds/"
            ) from None

    def load(self) -> AnalysedCorpus:
        from analysis.corpus import load_articles

        articles = load_articles(
            self.paths,
            text_column=self.text_column,
            txt_mode=self.txt_mode,
            bad_rows=self.bad_rows,
            convert=self.convert,
        )
        if articles.empty:
            raise NotEnoughDataError(
                "no article was read from the input (every file was empty or held only page "
                "furniture); check the paths, or see 'articles --explain'"
            )
        return AnalysedCorpus(
            articles, title_column=self.title_column, date_column=self.date_column
        )


def notebook_report() -> Report:
    """The report a notebook shows: the corpus and options in ``$ANALYSIS_REPORT`` (set
    by :func:`build_report`), else ``seeds/`` with the defaults.

    While :func:`build_report` runs the notebooks, ``$ANALYSIS_REPORT_STATE`` names the
    results it has computed for the same options; they are read instead of recomputed.
    """
    text = os.environ.get(ENV_VAR)
    options = ReportOptions.from_json(text) if text else ReportOptions()
    state = os.environ.get(STATE_VAR)
    if state and Path(state).is_file():
        import pickle

        try:
            with open(state, "rb") as handle:
                report = pickle.load(handle)
        except Exception:  # an unreadable state only costs the time to compute again
            report = None
        if isinstance(report, Report) and report.options == options:
            return report
    return Report(options)


class Report:
    """The analysed corpus and everything the report shows, each computed once."""

    def __init__(
        self, options: ReportOptions | None = None, *, corpus: AnalysedCorpus | None = None
    ) -> None:
        self.options = options or ReportOptions()
        self._corpus = corpus
        if self.options.group_by is not None:
            self.corpus.groups(self.options.group_by)  # an unknown column fails here, early

    @cached_property
    def corpus(self) -> AnalysedCorpus:
        return self._corpus if self._corpus is not None else self.options.load()

    @property
    def articles(self) -> pd.DataFrame:
        return self.corpus.articles

    @property
    def n(self) -> int:
        return len(self.corpus)

    @property
    def small(self) -> bool:
        """Few enough articles for per-article small multiples."""
        return self.n <= SMALL_MULTIPLES

    @property
    def per_article(self) -> bool:
        """Few enough articles for one row each in heatmaps."""
        return self.n <= PER_ARTICLE

    @cached_property
    def labels(self) -> list[str]:
        return self.corpus.labels()

    @cached_property
    def label_of(self) -> dict[str, str]:
        return dict(zip(self.corpus.ids, self.labels, strict=True))

    @property
    def group_by(self) -> str | None:
        return self.options.group_by

    @cached_property
    def groups(self) -> pd.Series | None:
        return None if self.group_by is None else self.corpus.groups(self.group_by)

    # -- results ------------------------------------------------------------------------

    @cached_property
    def keywords(self) -> pd.DataFrame:
        from analysis.keywords import top_terms

        return top_terms(
            self.corpus, k=PARAMETERS["keywords_top"], n0=PARAMETERS["background_idf_n0"]
        )

    @cached_property
    def corpus_keywords(self) -> pd.DataFrame:
        """The corpus's top terms by summed TF-IDF (what its word cloud shows)."""
        tfidf = self.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
        scores = np.asarray(tfidf.sum(axis=0)).ravel()
        terms = self.corpus.terms.terms
        order = np.lexsort((terms.astype(str), -scores))[:30]
        order = order[scores[order] > 0]
        return pd.DataFrame(
            {
                "rank": np.arange(1, len(order) + 1),
                "term": terms[order],
                "score": scores[order],
                "df": self.corpus.terms.document_frequency[order],
            }
        )

    @cached_property
    def keyness(self) -> pd.DataFrame:
        """Each article against the rest (up to :data:`SMALL_MULTIPLES` articles)."""
        from analysis.keywords import keyness

        if self.n < 2:
            raise NotEnoughDataError(f"keyness compares articles: this input has {self.n}")
        if not self.small:
            raise NotEnoughDataError(
                f"{self.n} articles: keyness per article is for up to {SMALL_MULTIPLES}; "
                "see the group keyness (--group-by) instead"
            )
        frames = []
        for article_id in self.corpus.ids:
            table = keyness(self.corpus, article_id, k=PARAMETERS["keyness_top"])
            table.insert(0, "id", article_id)
            frames.append(table)
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def themes(self):
        from analysis.themes import find_themes

        return find_themes(self.corpus, random_state=PARAMETERS["random_state"])

    @cached_property
    def clusters(self):
        from analysis.themes import WeakClusteringWarning, cluster_documents

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", WeakClusteringWarning)
            result = cluster_documents(self.corpus, random_state=PARAMETERS["random_state"])
        # the notebooks say in words how far to trust k; the report keeps the reason
        result.warnings = [str(w.message) for w in caught]
        return result

    @cached_property
    def similarity(self):
        from analysis.themes import similarity

        if self.n < 2:
            raise NotEnoughDataError("similarity needs at least 2 articles")
        if not self.per_article:
            raise NotEnoughDataError(
                f"{self.n} articles: an article × article similarity is drawn for up to "
                f"{PER_ARTICLE}; see the group similarity (--group-by) instead"
            )
        return similarity(self.corpus)

    @cached_property
    def group_summary(self) -> pd.DataFrame:
        from analysis.groups import group_summary

        return group_summary(self.corpus, self._need_groups())

    @cached_property
    def group_keywords(self) -> pd.DataFrame:
        from analysis.groups import group_keywords

        return group_keywords(self.corpus, self._need_groups(), k=PARAMETERS["group_keywords_top"])

    @cached_property
    def compared_groups(self) -> tuple[str, str]:
        """The two largest groups, compared term by term."""
        summary = self.group_summary
        names = [g for g in summary["group"] if g != "(none)"]
        if len(names) < 2:
            raise NotEnoughDataError(f"groups by {self.group_by!r}: need 2 groups, found 1")
        return names[0], names[1]

    @cached_property
    def comparison(self) -> pd.DataFrame:
        from analysis.compare import compare_groups

        a, b = self.compared_groups
        return compare_groups(self.corpus, self._need_groups(), a, b)

    @cached_property
    def periods(self) -> pd.Series:
        return self.corpus.periods(self.options.period)

    @cached_property
    def term_trends(self) -> pd.DataFrame:
        from analysis.trends import term_frequencies

        self.periods  # noqa: B018 - fails early, with the reason, when nothing is dated
        return term_frequencies(
            self.corpus, period=self.options.period, top=PARAMETERS["trend_terms"]
        )

    @cached_property
    def theme_trends(self) -> pd.DataFrame:
        from analysis.trends import theme_prevalence

        self.periods  # noqa: B018
        return theme_prevalence(self.corpus, self.themes, period=self.options.period)

    @cached_property
    def rising_terms(self) -> pd.DataFrame:
        from analysis.trends import rising_terms

        self.periods  # noqa: B018
        return rising_terms(self.corpus, period=self.options.period)

    @cached_property
    def network(self) -> pd.DataFrame:
        from analysis.network import communities, cooccurrence

        edges = cooccurrence(
            self.corpus,
            min_count=PARAMETERS["network_min_count"],
            top_terms=PARAMETERS["network_terms"],
            top_edges=PARAMETERS["network_edges"],
        )
        found = communities(edges)
        edges = edges.copy()
        edges["source_community"] = edges["source"].map(found)
        edges["target_community"] = edges["target"].map(found)
        return edges

    @cached_property
    def entities(self) -> pd.DataFrame:
        from analysis.entities import top_entities

        return top_entities(self.corpus, by="corpus", k=PARAMETERS["entities_top"])

    @cached_property
    def kwic(self) -> pd.DataFrame:
        from analysis.plots import kwic

        term = self.corpus_keywords["term"].iloc[0]
        return kwic(self.articles, term, window=PARAMETERS["kwic_window"])

    def _need_groups(self) -> str:
        if self.group_by is None:
            raise _NotApplicable(
                "no groups: run the report with --group-by COLUMN (label, paper, column …)"
            )
        return self.group_by

    # -- tables -------------------------------------------------------------------------

    def tables(self) -> dict[str, Callable[[], pd.DataFrame]]:
        """Table name → a function that builds it; a function may raise to say why the
        table does not apply to this input."""
        return {
            "articles": self._articles_table,
            "keywords": lambda: self.keywords,
            "corpus_keywords": lambda: self.corpus_keywords,
            "keyness": lambda: self.keyness,
            "themes": self._themes_table,
            "theme_terms": self._theme_terms_table,
            "clusters": self._clusters_table,
            "similarity": lambda: self.similarity[0].rename_axis("id").reset_index(),
            "groups": lambda: self.group_summary,
            "group_keywords": lambda: self.group_keywords,
            "comparison": lambda: self.comparison,
            "term_trends": lambda: self.term_trends,
            "theme_trends": lambda: self.theme_trends,
            "rising_terms": lambda: self.rising_terms,
            "network": lambda: self.network,
            "entities": lambda: self.entities,
            "kwic": lambda: self.kwic,
        }

    def _articles_table(self) -> pd.DataFrame:
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
        extra = [
            c
            for c in ("label", "date", "paper", "page", "page_name", "url")
            if self.articles[c].notna().any()
        ]
        if self.group_by and self.corpus.column(self.group_by) not in fields + extra:
            extra.append(self.corpus.column(self.group_by))
        table = self.articles[fields + extra].copy()
        for name in ("authors", "sections"):
            table[name] = ["、".join(v) for v in table[name]]
        table.insert(1, "label_in_charts", self.labels)
        return table

    def _themes_table(self) -> pd.DataFrame:
        weights = self.themes.article_weights.copy()
        weights.columns = [f"theme_{c}" if c != "other" else "other" for c in weights.columns]
        return weights.reset_index()

    def _theme_terms_table(self) -> pd.DataFrame:
        themes = self.themes
        share = themes.article_weights.mean()
        return pd.DataFrame(
            [
                {
                    "theme": t,
                    "name": themes.names()[t],
                    "terms": " ".join(words),
                    "mean_share": float(share[t]),
                    "reference_fit": themes.reference_fit.get(t),
                }
                for t, words in themes.terms.items()
            ]
        )

    def _clusters_table(self) -> pd.DataFrame:
        result = self.clusters
        return pd.DataFrame(
            {
                "id": self.corpus.ids,
                "cluster": result.labels + 1,
                "cluster_terms": [" ".join(result.terms[c]) for c in result.labels],
            }
        )

    # -- charts -------------------------------------------------------------------------

    def charts(self) -> dict[str, Callable[[], object]]:
        """Chart name → a function that draws it and returns its Figure (or, for the
        per-article word clouds, a dict of name → Figure)."""
        return {
            "article_lengths": self._lengths_chart,
            "keywords": self._keywords_chart,
            "corpus_keywords": self._corpus_keywords_chart,
            "wordcloud": self._wordcloud_chart,
            "wordclouds": self._article_clouds,
            "keyness": self._keyness_chart,
            "similarity": self._similarity_chart,
            "dendrogram": self._dendrogram_chart,
            "themes": self._themes_chart,
            "k_selection": self._k_selection_chart,
            "document_map": self._document_map_chart,
            "term_heatmap": self._term_heatmap_chart,
            "group_keywords": self._group_keywords_chart,
            "group_similarity": self._group_similarity_chart,
            "group_themes": self._group_themes_chart,
            "comparison": self._comparison_chart,
            "comparison_cloud": self._comparison_cloud_chart,
            "term_trends": self._term_trends_chart,
            "theme_trends": self._theme_trends_chart,
            "rising_terms": self._rising_chart,
            "network": self._network_chart,
            "entities": self._entities_chart,
        }

    def figure(self, name: str):
        """Draw the chart ``name`` (see :meth:`charts`) and return its Figure."""
        return self.charts()[name]()

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` (see :meth:`tables`)."""
        return self.tables()[name]()

    def show(self, name: str) -> None:
        """Display a chart in a notebook, or one line saying why this input has none."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        with self.section(name):
            drawn = self.figure(name)
            for fig in drawn.values() if isinstance(drawn, dict) else [drawn]:
                display(fig)
                plt.close(fig)

    def show_table(self, name: str, *, columns: list[str] | None = None, head: int = 40) -> None:
        """Display the first ``head`` rows of a table in a notebook, or one line saying
        why this input has none."""
        from IPython.display import display

        with self.section(name):
            table = self.table(name)
            display((table[columns] if columns else table).head(head))

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        """A notebook block that shows ``name``: if what it needs cannot be computed for
        this input (too few articles, paragraphs or words, no dates, no groups), the
        block stops and one line says why, as the report's manifest does; the notebook
        goes on.

        >>> from analysis.corpus import load_articles
        >>> report = Report(corpus=AnalysedCorpus(load_articles()[:1]))
        >>> with report.section("similarity"):
        ...     report.similarity
        (similarity: not shown for this input: similarity needs at least 2 articles)
        """
        import matplotlib.pyplot as plt

        try:
            yield
        except (AnalysisError, ValueError) as exc:
            plt.close("all")
            import textwrap

            reason = f"({name}: not shown for this input: {str(exc).splitlines()[0]})"
            # wrapped at word boundaries: a rendering would break a long line mid-word
            print(textwrap.fill(reason, width=88, break_on_hyphens=False))

    def describe(self) -> str:
        """A few sentences on the corpus: size, sources, kinds, dates, groups."""
        articles = self.articles
        report = articles.attrs.get("report", {})
        files = report.get("files", articles["source"].nunique())
        lines = [
            f"{self.n} articles from {files} file(s); {int(articles['n_chars'].sum()):,} "
            f"characters of body text, {int(self.corpus.n_tokens.sum()):,} tokens kept."
        ]
        kinds = articles["kind"].value_counts()
        lines.append("Kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.items()) + ".")
        dates = self.corpus.dates.dropna()
        if len(dates):
            lines.append(
                f"Dated: {len(dates)} of {self.n}, from {dates.min():%Y-%m-%d} to "
                f"{dates.max():%Y-%m-%d}."
            )
        else:
            lines.append("No article has a date, so the trend views are left out.")
        if self.group_by:
            summary = self.group_summary
            lines.append(
                f"Grouped by {self.group_by!r}: {len(summary)} groups, the largest "
                + ", ".join(f"{g} ({n})" for g, n in summary[["group", "articles"]].values[:5])
                + "."
            )
        return "\n".join(lines)

    @cached_property
    def standout(self) -> str:
        """The id of the article that stands apart most from the others: the largest sum
        of its 12 highest G² (the longest article when keyness per article is not drawn)."""
        try:
            table = self.keyness
        except AnalysisError:
            return str(self.articles.loc[self.articles["n_chars"].idxmax(), "id"])
        totals = table[table["g2"] > 0].groupby("id", sort=False)["g2"].sum()
        totals = totals.reindex(self.corpus.ids).fillna(0.0)
        return str(totals.idxmax())

    @cached_property
    def standout_keyness(self) -> pd.DataFrame:
        """Keyness of :attr:`standout` against the other articles (empty for one article)."""
        from analysis.keywords import keyness

        if self.n < 2:
            return pd.DataFrame(columns=["term", "n_target", "n_reference", "g2", "log_ratio"])
        return keyness(self.corpus, self.standout, k=PARAMETERS["keyness_top"])

    @cached_property
    def standout_term(self) -> str:
        """The top key term of :attr:`standout`, else the corpus's top keyword."""
        table = self.standout_keyness
        table = table[table["g2"] > 0]
        return str(table["term"].iloc[0] if len(table) else self.corpus_keywords["term"].iloc[0])

    def page_lines(self) -> pd.DataFrame:
        """How every line of the input pages was classified (empty for tables)."""
        from analysis.corpus import PAGE_SUFFIXES, explain_pages

        pages = [
            p
            for p in self.articles.attrs.get("report", {}).get("inputs", [])
            if Path(p).suffix.lower() in PAGE_SUFFIXES
        ]
        if not pages:
            return pd.DataFrame(columns=["source", "line", "label", "article", "rule", "text"])
        return explain_pages(pages[:20], txt_mode=self.options.txt_mode)

    def _lengths_chart(self):
        from analysis.plots import article_lengths, length_distribution

        if self.per_article:
            ax = article_lengths(self.articles, labels=self.labels)
        else:
            ax = length_distribution(self.articles["n_chars"], groups=self.groups)
        return ax.figure

    def _keywords_chart(self):
        from analysis.plots import keyword_grid

        if not self.small:
            raise NotEnoughDataError(
                f"{self.n} articles: keyword bars per article are drawn for up to "
                f"{SMALL_MULTIPLES}; see corpus_keywords and group_keywords"
            )
        table = self.keywords.copy()
        table["title"] = table["id"].map(self.label_of)
        return keyword_grid(table)

    def _corpus_keywords_chart(self):
        from analysis.plots import keyword_bars

        table = self.corpus_keywords.head(20)
        ax = keyword_bars(table, title=f"全部 {self.n} 篇的关键词 (TF-IDF 之和)", figsize=(6, 5.5))
        return ax.figure

    def _wordcloud_chart(self):
        from analysis.keywords import term_weights
        from analysis.plots import word_cloud

        tfidf = self.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
        title = "全版" if self.n <= SMALL_MULTIPLES else f"全部 {self.n} 篇"
        ax = word_cloud(
            term_weights(self.corpus.terms, tfidf),
            title=title,
            stopwords=self.corpus.tokenizer.stopwords_,
            max_words=120,
            figsize=(8, 5),
        )
        return ax.figure

    def _article_clouds(self) -> dict[str, object]:
        from analysis.keywords import term_weights
        from analysis.plots import word_cloud

        if not self.small:
            raise NotEnoughDataError(
                f"{self.n} articles: word clouds per article are drawn for up to {SMALL_MULTIPLES}"
            )
        tfidf = self.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
        stop = self.corpus.tokenizer.stopwords_
        out = {}
        for i, name in enumerate(self.file_names):
            weights = term_weights(self.corpus.terms, tfidf, i)
            if not weights:
                continue
            ax = word_cloud(
                weights,
                title=self.labels[i],
                stopwords=stop,
                max_words=PARAMETERS["wordcloud_max_words"],
            )
            out[name] = ax.figure
        return out

    @cached_property
    def file_names(self) -> list[str]:
        """A safe, unique file name for each article (its id made safe; see
        :func:`analysis.files.safe_names`), in the order of the corpus."""
        from analysis.files import safe_names

        return safe_names(self.corpus.ids, fallback="article")

    def _keyness_chart(self):
        import matplotlib.pyplot as plt

        from analysis.plots import keyness_plot, setup

        table = self.keyness
        if table.empty:
            raise NotEnoughDataError("keyness: no word occurs twice or more in these articles")
        setup()
        ids = list(dict.fromkeys(table["id"]))
        rows = (len(ids) + 1) // 2
        fig, axes = plt.subplots(
            rows, 2, figsize=(10, 2.6 * rows), layout="constrained", squeeze=False
        )
        for ax, article_id in zip(axes.flat, ids, strict=False):
            keyness_plot(table[table["id"] == article_id], ax=ax, title=self.label_of[article_id])
        for ax in axes.flat[len(ids) :]:
            ax.set_visible(False)
        return fig

    def _similarity_chart(self):
        from analysis.plots import similarity_heatmap

        sim, _ = self.similarity
        return similarity_heatmap(sim, labels=self.labels).figure

    def _dendrogram_chart(self):
        from analysis.plots import dendrogram_plot

        _, tree = self.similarity
        return dendrogram_plot(tree, self.labels).figure

    def _themes_chart(self):
        from analysis.plots import theme_heatmap

        themes = self.themes
        if self.per_article:
            ax = theme_heatmap(themes.article_weights, themes.names(), article_labels=self.labels)
        else:
            from analysis.plots import theme_bars

            lengths = self.articles["n_chars"].to_numpy() + 1
            mean = pd.Series(
                np.average(themes.article_weights.to_numpy(), axis=0, weights=lengths),
                index=themes.article_weights.columns,
            )
            ax = theme_bars(mean, themes.names(), title=f"全部 {self.n} 篇的主题构成")
        return ax.figure

    def _k_selection_chart(self):
        from analysis.plots import k_selection_plot

        return k_selection_plot(self.clusters.scores).figure

    def _document_map_chart(self):
        from analysis.plots import document_map_plot
        from analysis.themes import document_map

        coords = document_map(self.corpus, random_state=PARAMETERS["random_state"])
        if self.groups is not None:
            groups, names = _codes(self.groups)
        else:
            groups, names = self.clusters.labels, None
        labels = self.labels if self.per_article else None
        return document_map_plot(coords, labels=labels, groups=groups, group_names=names).figure

    def _term_heatmap_chart(self):
        from analysis.plots import term_heatmap

        if not self.per_article:
            raise NotEnoughDataError(
                f"{self.n} articles: the article × term heatmap is drawn for up to {PER_ARTICLE}"
            )
        return term_heatmap(self.keywords, article_labels=self.label_of).figure

    def _group_keywords_chart(self):
        from analysis.plots import group_keyness_grid

        table = self.group_keywords
        names = list(dict.fromkeys(table["group"]))[:MAX_GROUPS]
        return group_keyness_grid(table[table["group"].isin(names)])

    def _group_centroids(self) -> tuple[list[str], np.ndarray]:
        from sklearn.preprocessing import normalize

        names = [g for g in self.group_summary["group"] if g != "(none)"][:PER_ARTICLE]
        values = self.groups.to_numpy(dtype=object)
        tfidf = self.corpus.tfidf()
        rows = [np.asarray(tfidf[np.flatnonzero(values == g)].mean(axis=0)).ravel() for g in names]
        return names, normalize(np.vstack(rows))

    def _group_similarity_chart(self):
        from analysis.plots import similarity_heatmap

        names, centroids = self._group_centroids()
        if len(names) < 2:
            raise NotEnoughDataError("group similarity needs at least 2 groups")
        sim = pd.DataFrame(np.clip(centroids @ centroids.T, 0, 1), index=names, columns=names)
        return similarity_heatmap(sim, labels=names).figure

    def _group_themes_chart(self):
        from analysis.plots import theme_heatmap

        self._need_groups()
        weights = self.themes.article_weights.copy()
        lengths = self.articles["n_chars"].to_numpy()
        groups = self.groups.to_numpy(dtype=object)
        names = [g for g in self.group_summary["group"] if g != "(none)"][:PER_ARTICLE]
        rows = []
        for g in names:
            mask = groups == g
            rows.append(np.average(weights.to_numpy()[mask], axis=0, weights=lengths[mask] + 1))
        mix = pd.DataFrame(rows, index=names, columns=weights.columns)
        return theme_heatmap(mix, self.themes.names(), article_labels=names).figure

    def _comparison_chart(self):
        from analysis.compare import comparison_plot

        a, b = self.compared_groups
        return comparison_plot(self.comparison, a=a, b=b).figure

    def _comparison_cloud_chart(self):
        from analysis.compare import comparison_cloud

        a, b = self.compared_groups
        return comparison_cloud(self.comparison, a=a, b=b).figure

    def _term_trends_chart(self):
        from analysis.trends import trend_plot

        return trend_plot(self.term_trends).figure

    def _theme_trends_chart(self):
        from analysis.trends import theme_trend_plot

        return theme_trend_plot(self.theme_trends, self.themes.names()).figure

    def _rising_chart(self):
        from analysis.trends import rising_plot

        return rising_plot(self.rising_terms).figure

    def _network_chart(self):
        from analysis.network import network_plot

        edges = self.network
        found = dict(zip(edges["source"], edges["source_community"], strict=True)) | dict(
            zip(edges["target"], edges["target_community"], strict=True)
        )
        return network_plot(edges, communities=found).figure

    def _entities_chart(self):
        from analysis.entities import entity_chart

        return entity_chart(self.entities).figure


class _NotApplicable(NotEnoughDataError):
    """An output that does not apply to this input (no groups asked for): recorded in
    the manifest, not warned about."""


def _codes(groups: pd.Series) -> tuple[np.ndarray, list[str]]:
    names = list(dict.fromkeys(g for g in groups if g is not None))
    index = {g: i for i, g in enumerate(names)}
    return np.array([index.get(g, -1) for g in groups]), names


# -- writing ------------------------------------------------------------------------------


def build_report(
    options: ReportOptions | None = None,
    *,
    out: str | Path,
    notebooks: str | Path | bool | None = True,
    report: Report | None = None,
    force: bool = False,
    raw_csv: bool = False,
) -> list[Path]:
    """Write the report of ``options`` to ``out``; return the paths written, in order.

    ``out`` must be absent, empty or a previous report of ours, and may not be, hold or
    lie inside an input or ``seeds/`` (:func:`analysis.files.check_output_folder`; an
    :class:`~analysis.errors.OutputError` says why, with nothing written). ``force``
    replaces a previous report that also holds files we did not write, keeping those
    files as they are. ``notebooks``: True writes the executed notebooks to
    ``out/notebooks`` (HTML in ``out/notebooks/html``); a folder writes them there
    (``make figures`` passes the project's ``notebooks/``, where their sources are);
    False or None leaves them out. ``raw_csv`` writes CSV cells that start like a
    formula as they are (see :func:`analysis.files.inert_cell`). Everything is written
    to a temporary folder beside ``out`` that takes its place only when complete.
    """
    from analysis.files import check_output_folder, owned_tempdir, sweep_stale

    report = report or Report(options)
    options = report.options
    inputs_given = options.paths or [SEEDS_DIR]
    target = check_output_folder(out, inputs=inputs_given, force=force)
    out = target.path
    notebook_dir = None
    if notebooks and notebooks is not True:
        notebook_dir = Path(notebooks).resolve()
        _check_notebook_folder(notebook_dir, inputs_given)
    sweep_stale()
    sweep_stale(out.parent, name=out.name)
    corpus = report.corpus
    inputs = [Path(p) for p in corpus.articles.attrs.get("report", {}).get("inputs", [])]
    with (
        _building(target) as work,
        owned_tempdir("analysis-report") as scratch,
    ):
        running = None
        if notebooks:
            _import_for_threads()
            # The notebooks (kernels of their own) run while this process draws the
            # charts; they read the results computed here instead of computing them again.
            state = _save_state(report, scratch / "report.pickle")
            folder = out / "notebooks" if notebook_dir is None else notebook_dir
            before = children()
            running = _Background(
                _notebooks, options, folder, work if notebook_dir is None else None, state
            )
        try:
            written, skipped, not_applicable = _write_outputs(report, work, raw_csv=raw_csv)
            if running is not None:
                nb_written, nb_skipped = running.result()
        except BaseException:
            if running is not None:
                terminate_children(keep=before)  # the kernels; the thread ends with us
            raise
        if running is not None:
            written += nb_written
            skipped.update(nb_skipped)
        manifest_path = work / "manifest.json"
        data = manifest(
            inputs, [*written, manifest_path], work, options=options, n_articles=report.n
        )
        data["skipped"] = skipped
        data["not_applicable"] = not_applicable
        data["files_from_rows"] = _files_from_rows(report, written, work)
        data["csv_cells"] = "raw" if raw_csv else "formulas escaped"
        manifest_path.write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(manifest_path)
    final = [out / p.relative_to(work) if _inside(p, work) else p for p in written]
    return final


def _check_notebook_folder(folder: Path, inputs: list) -> None:
    """``--notebooks-dir``: where the executed notebooks go, never an input or seeds/."""
    from analysis.files import _check_not_protected

    _check_not_protected(folder, inputs, "--notebooks-dir")


def _import_for_threads() -> None:
    """Import, in this thread, what the notebook thread and the charts both import.

    Two threads importing IPython at once can each see it half-initialised (matplotlib
    asks for ``IPython.version_info`` while nbclient is importing it): one report in
    five on THUCNews ended with an AttributeError before this.
    """
    import IPython  # noqa: F401
    import jupytext  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import nbclient  # noqa: F401
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401


def _files_from_rows(report: Report, written: list[Path], work: Path) -> dict[str, str]:
    """Each file named after an article → that article's id (names are made safe, so a
    name need not equal its id)."""
    names = report.__dict__.get("file_names")
    if names is None:
        return {}
    by_name = dict(zip(names, report.corpus.ids, strict=True))
    out = {}
    for path in written:
        if _inside(path, work) and path.parent.name == "wordclouds":
            name = path.name.rsplit(".", 1)[0]
            if name in by_name:
                out[path.relative_to(work).as_posix()] = str(by_name[name])
    return dict(sorted(out.items()))


class _Background:
    """``function(*args)`` in a daemon thread. Unlike a thread pool's, an interrupted
    report does not wait for it: Ctrl-C while the notebooks run stops at once (their
    kernels end with this process), instead of after the last notebook."""

    def __init__(self, function: Callable, *args) -> None:
        import threading

        self._outcome: tuple[bool, object] | None = None

        def run() -> None:
            try:
                self._outcome = (True, function(*args))
            except BaseException as exc:
                self._outcome = (False, exc)

        self._thread = threading.Thread(target=run, name="notebooks", daemon=True)
        self._thread.start()

    def result(self):
        while self._thread.is_alive():
            self._thread.join(0.2)  # in short waits, so that Ctrl-C is seen at once
            check_interrupted()
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _progress(steps: list[str]):
    from tqdm.auto import tqdm

    return tqdm(steps, desc="report", unit="step", file=sys.stderr, disable=None, leave=False)


def _write_outputs(
    report: Report, out: Path, *, raw_csv: bool = False
) -> tuple[list[Path], dict, dict]:
    import matplotlib.pyplot as plt

    from analysis.plots import save_figure

    written: list[Path] = []
    skipped: dict[str, str] = {}
    not_applicable: dict[str, str] = {}
    tables: dict[str, pd.DataFrame] = {}

    def attempt(name: str, step: Callable[[], None]) -> None:
        check_interrupted()
        try:
            step()
        except OutputError:
            raise  # a file that cannot be written ends the report: nothing is kept
        except _NotApplicable as exc:
            not_applicable[name] = str(exc)
        except (AnalysisError, ValueError) as exc:
            plt.close("all")
            reason = str(exc).split("\n")[0]
            if _not_applicable(reason):
                not_applicable[name] = reason
                return
            skipped[name] = reason
            warnings.warn(f"report: skipped {name}: {reason}", SkippedChartWarning, stacklevel=3)

    table_steps = report.tables()
    chart_steps = report.charts()
    bar = _progress([*(("table", n) for n in table_steps), *(("chart", n) for n in chart_steps)])
    for kind, name in bar:
        if kind == "table":
            bar.set_description(f"report: table {name}")

            def table_step(name=name) -> None:
                frame = table_steps[name]()
                tables[name] = frame
                written.append(write_csv(frame, out / f"{name}.csv", raw=raw_csv))

            attempt(name + ".csv", table_step)
            continue
        bar.set_description(f"report: chart {name}")

        def chart_step(name=name) -> None:
            drawn = chart_steps[name]()
            formats = ("png", "svg") if name in SVG_CHARTS else ("png",)
            if isinstance(drawn, dict):
                for key, fig in drawn.items():
                    written.extend(save_figure(fig, out / name / key, formats=formats))
                    plt.close(fig)
            else:
                written.extend(save_figure(drawn, out / name, formats=formats))
                plt.close(drawn)

        attempt(name, chart_step)
    if "comparison.csv" not in skipped and "comparison" in tables:

        def html() -> None:
            from analysis.compare import comparison_html

            a, b = report.compared_groups
            written.append(
                comparison_html(tables["comparison"], a=a, b=b, path=out / "comparison.html")
            )

        attempt("comparison.html", html)
    if tables:
        written.append(write_xlsx(tables, out / "tables.xlsx"))
    return written, skipped, not_applicable


def _not_applicable(reason: str) -> bool:
    """Reasons that describe the input, not a failure: no dates, too many articles for
    a per-article chart, too few groups."""
    return (
        "no article has a date" in reason
        or "are drawn for up to" in reason
        or "is drawn for up to" in reason
        or "is for up to" in reason
        or "need at least 2 groups" in reason
        or "need 2 groups" in reason
        or "no person, place or organisation" in reason
    )


def write_csv(frame: pd.DataFrame, path: Path, *, raw: bool = False, sep: str = ",") -> Path:
    """Write ``frame`` as CSV (or TSV with ``sep="\\t"``), whole or not at all; cells that
    a spreadsheet would run as formulas get a leading apostrophe unless ``raw``
    (:func:`analysis.files.inert_cell`)."""
    from analysis.files import atomic_path, inert_cell

    if not raw:
        frame = frame.copy()
        for column in _text_columns(frame):
            frame[column] = frame[column].map(inert_cell)
        frame.columns = [inert_cell(c) for c in frame.columns]
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", float_format="%.6f", sep=sep)
    return path


def _text_columns(frame: pd.DataFrame) -> list:
    """The columns that may hold text (object or string dtype)."""
    return [
        c
        for c, dtype in frame.dtypes.items()
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    ]


#: Excel's limit on the characters in one cell.
_XLSX_CELL = 32_767


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """All tables in one workbook, one sheet each, with fixed timestamps so that the same
    tables give the same bytes. Every text cell is stored as text, never as a formula
    (a cell starting with ``=`` shows as typed); characters that a workbook cannot hold
    (control characters) become U+FFFD; a cell is cut at Excel's 32,767 characters;
    numbers are rounded to 6 decimals, as in the CSV files."""
    import datetime

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from analysis.files import atomic_path

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value[:_XLSX_CELL])

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame = frame.copy()
            for column in _text_columns(frame):
                frame[column] = frame[column].map(cell)
            for column in frame.columns[frame.dtypes.map(pd.api.types.is_float_dtype)]:
                # as in the CSV files: the 16th digit of a float varies between runs
                frame[column] = frame[column].round(6)
            frame.columns = [cell(str(c)) for c in frame.columns]
            sheet = _sheet_name(name)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            for row in writer.sheets[sheet].iter_rows():
                for item in row:
                    if item.data_type == "f":  # openpyxl reads a leading "=" as a formula
                        item.data_type = "s"
        fixed = datetime.datetime(2000, 1, 1)
        writer.book.properties.created = fixed
        writer.book.properties.modified = fixed
    with atomic_path(path) as tmp:
        _rezip(buffer.getvalue(), tmp)
    return path


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"


def _rezip(data: bytes, path: Path) -> None:
    """Copy a zip file with every entry dated 1980-01-01, so that its bytes depend on
    its content only."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving, whatever the workbook says
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    content,
                )
            target.writestr(entry, content)


def _save_state(report: Report, path: Path) -> Path | None:
    """Compute every table of ``report`` and pickle the report to ``path`` for the
    notebooks; None when it cannot be pickled (they then compute their own)."""
    import pickle

    for step in report.tables().values():
        with contextlib.suppress(AnalysisError, ValueError):
            step()  # a table that fails says why when the report is written
    try:
        with open(path, "wb") as handle:
            pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, OSError, MemoryError):
        path.unlink(missing_ok=True)  # the notebooks compute their own results
        return None
    return path


def _notebooks(
    options: ReportOptions, folder: Path, work: Path | None, state: Path | None = None
) -> tuple[list[Path], dict[str, str]]:
    """Execute the notebook sources with ``options``; write them to ``folder`` (or to
    ``work/notebooks`` while the report is being built). ``state``: the pickled results
    the notebooks read (see :func:`notebook_report`)."""
    from analysis.notebooks import NOTEBOOKS_DIR, build_notebooks

    sources = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))
    if not sources:
        reason = (
            f"no notebook sources in {NOTEBOOKS_DIR} (installed without the project folder); "
            "run the report from a clone of the project to get the notebooks"
        )
        warnings.warn(f"report: skipped notebooks: {reason}", SkippedChartWarning, stacklevel=3)
        return [], {"notebooks": reason}
    target = (work / "notebooks") if work is not None else folder
    environment = {ENV_VAR: options.to_json()}
    if options == ReportOptions():
        environment = {}  # the seed: notebooks run exactly as a reader runs them
    if state is not None:
        environment[STATE_VAR] = str(state)
    written = build_notebooks(
        sources,
        out_dir=target,
        html_dir=target / "html",
        environment=environment,
    )
    return written, {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


def manifest(
    inputs: list[Path],
    outputs: list[Path],
    out: Path,
    *,
    options: ReportOptions | None = None,
    n_articles: int | None = None,
) -> dict:
    """What produced the report: inputs, dictionaries, options, parameters and versions."""
    from analysis.tokenize import DOMAIN_DICT, STOPWORDS_FILE, default_tokenizer

    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    options_record = asdict(options) if options else {}
    if options_record.get("paths"):
        options_record["paths"] = [display_path(Path(p)) for p in options_record["paths"]]
    return {
        "inputs": {display_path(p): _sha256(p) for p in sorted(inputs)},
        "articles": n_articles,
        "options": options_record,
        "domain_dictionary": {
            "file": display_path(DOMAIN_DICT),
            "version": _first_line(DOMAIN_DICT),
            "sha256": _sha256(DOMAIN_DICT),
        },
        "stopwords": {
            "file": display_path(STOPWORDS_FILE),
            "version": _first_line(STOPWORDS_FILE),
            "sha256": _sha256(STOPWORDS_FILE),
        },
        "tokenizer_fingerprint": default_tokenizer().fingerprint(),
        "parameters": PARAMETERS,
        "python": platform.python_version(),
        "packages": versions,
        "outputs": sorted(_relative(p, out) for p in outputs),
    }


def _relative(path: Path, out: Path) -> str:
    if _inside(path, out):
        return path.relative_to(out).as_posix()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def _building(target) -> Iterator[Path]:
    """A fresh folder beside the output folder that takes its place only once
    everything in it is written (:func:`analysis.files.replace_folder`); an error or an
    interruption leaves the output folder as it was."""
    from analysis.files import _write_error, replace_folder

    out = target.path
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise _write_error(out, exc) from None
    try:
        yield work
        replace_folder(target, work)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _write_error(out, exc) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
