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

Each chart and table is declared once, as a :class:`View` (its name, the results of
:class:`Report` it reads, the function that builds it from the Report, the files it is
saved as): the charts in :mod:`analysis.output.report_charts` (``@chart``), the tables
in :mod:`analysis.output.report_tables` (``@table``). :class:`Report` computes the
results; :mod:`analysis.output.report_writer` writes the views, the workbook, the
notebooks and the manifest; :mod:`analysis.output.report_options` holds the options
and the limits. Their public names are importable from here.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError, NotEnoughDataError
from analysis.output.report_charts import CHARTS, SVG_CHARTS
from analysis.output.report_options import (
    ENV_VAR,
    MAX_GROUPS,
    PARAMETERS,
    PER_ARTICLE,
    SMALL_MULTIPLES,
    STATE_VAR,
    NotApplicable,
    ReportOptions,
    SkippedChartWarning,
    need_groups,
)
from analysis.output.report_tables import TABLES
from analysis.output.report_views import View
from analysis.output.report_writer import _save_state as _save_state
from analysis.output.report_writer import _text_columns as _text_columns
from analysis.output.report_writer import manifest, write_csv, write_report, write_xlsx
from analysis.representations.analysed import AnalysedCorpus

__all__ = [
    "CHARTS",
    "ENV_VAR",
    "MAX_GROUPS",
    "PARAMETERS",
    "PER_ARTICLE",
    "SMALL_MULTIPLES",
    "STATE_VAR",
    "SVG_CHARTS",
    "TABLES",
    "NotApplicable",
    "Report",
    "ReportOptions",
    "SkippedChartWarning",
    "View",
    "build_report",
    "manifest",
    "notebook_report",
    "write_csv",
    "write_xlsx",
]


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
        from analysis.methods.keywords import top_terms

        return top_terms(
            self.corpus, k=PARAMETERS["keywords_top"], n0=PARAMETERS["background_idf_n0"]
        )

    @cached_property
    def corpus_keywords(self) -> pd.DataFrame:
        """The corpus's top terms by summed TF-IDF (what its word cloud shows): a term's
        weight in each article (its frequency there against how many articles have it)
        added up, so a word every article uses ranks low; a term in nearly every article
        (:attr:`~analysis.representations.analysed.AnalysedCorpus.ubiquitous`) is left
        out, and ``attrs["left_out"]`` names those."""
        tfidf = self.corpus.tfidf(n0=PARAMETERS["background_idf_n0"])
        scores = np.asarray(tfidf.sum(axis=0)).ravel()
        terms = self.corpus.terms.terms
        ubiquitous = self.corpus.ubiquitous
        scores = np.where(ubiquitous, 0.0, scores)
        order = np.lexsort((terms.astype(str), -scores))[:30]
        order = order[scores[order] > 0]
        table = pd.DataFrame(
            {
                "rank": np.arange(1, len(order) + 1),
                "term": terms[order],
                "score": scores[order],
                "df": self.corpus.terms.document_frequency[order],
            }
        )
        table.attrs["left_out"] = sorted(terms[ubiquitous].tolist())
        return table

    @cached_property
    def boilerplate(self) -> pd.DataFrame:
        """The strings left out of the counts as boilerplate
        (:attr:`~analysis.representations.analysed.AnalysedCorpus.boilerplate`), with the
        articles each was found in; empty with ``keep_boilerplate``."""
        return self.corpus.boilerplate.table()

    @cached_property
    def joined(self) -> pd.DataFrame:
        """The split words counted as one in this corpus
        (:attr:`~analysis.representations.analysed.AnalysedCorpus.joined`) and their counts."""
        terms = self.corpus.terms
        position = {t: j for j, t in enumerate(terms.terms)}
        totals = np.asarray(terms.counts.sum(axis=0)).ravel()
        rows = [(t, int(totals[position[t]]) if t in position else 0) for t in self.corpus.joined]
        return pd.DataFrame(rows, columns=["term", "n"])

    @cached_property
    def keyness(self) -> pd.DataFrame:
        """Each article against the rest (up to :data:`SMALL_MULTIPLES` articles)."""
        from analysis.methods.keywords import keyness

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
        from analysis.methods.themes import ClusteringEdgeWarning, find_themes

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ClusteringEdgeWarning)  # kept in themes.note
            return find_themes(self.corpus, random_state=PARAMETERS["random_state"])

    @property
    def themes_if_found(self):
        """:attr:`themes`, or None when this input has too little text for them."""
        try:
            return self.themes
        except AnalysisError:
            return None

    @cached_property
    def clusters(self):
        from analysis.methods.themes import WeakClusteringWarning, cluster_documents

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", WeakClusteringWarning)
            result = cluster_documents(self.corpus, random_state=PARAMETERS["random_state"])
        # the notebooks say in words how far to trust k; the report keeps the reason
        result.warnings = [str(w.message) for w in caught]
        return result

    @cached_property
    def similarity(self):
        from analysis.methods.themes import similarity

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
        from analysis.methods.groups import group_summary

        return group_summary(self.corpus, need_groups(self.group_by))

    @cached_property
    def group_keywords(self) -> pd.DataFrame:
        from analysis.methods.groups import group_keywords

        return group_keywords(
            self.corpus, need_groups(self.group_by), k=PARAMETERS["group_keywords_top"]
        )

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
        from analysis.methods.compare import compare_groups

        a, b = self.compared_groups
        return compare_groups(self.corpus, need_groups(self.group_by), a, b)

    @cached_property
    def periods(self) -> pd.Series:
        return self.corpus.periods(self.options.period)

    @cached_property
    def term_trends(self) -> pd.DataFrame:
        from analysis.methods.trends import term_frequencies

        self.periods  # noqa: B018 - fails early, with the reason, when nothing is dated
        return term_frequencies(
            self.corpus,
            terms=self.options.terms or None,
            period=self.options.period,
            top=PARAMETERS["trend_terms"],
        )

    @cached_property
    def theme_trends(self) -> pd.DataFrame:
        from analysis.methods.trends import theme_prevalence

        self.periods  # noqa: B018
        return theme_prevalence(self.corpus, self.themes, period=self.options.period)

    @cached_property
    def rising_terms(self) -> pd.DataFrame:
        from analysis.methods.trends import rising_terms

        self.periods  # noqa: B018
        return rising_terms(self.corpus, period=self.options.period)

    @cached_property
    def network(self) -> pd.DataFrame:
        from analysis.methods.network import communities, cooccurrence

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
        from analysis.methods.entities import top_entities

        return top_entities(self.corpus, by="corpus", k=PARAMETERS["entities_top"])

    @cached_property
    def topics(self):
        """LDA topics, k chosen by NPMI (:mod:`analysis.methods.topics`)."""
        from analysis.methods.topics import EdgeOfRangeWarning, fit_topics

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EdgeOfRangeWarning)  # kept in topics.note
            return fit_topics(self.corpus, random_state=PARAMETERS["random_state"])

    @cached_property
    def topic_trends(self) -> pd.DataFrame:
        from analysis.methods.topics import topic_prevalence

        return topic_prevalence(self.topics, self.periods)

    @cached_property
    def topic_groups(self) -> pd.DataFrame:
        from analysis.methods.topics import topic_prevalence

        need_groups(self.group_by)
        return topic_prevalence(self.topics, self.groups)

    @cached_property
    def reprints(self):
        """Clusters of reprinted articles (:mod:`analysis.methods.reprints`)."""
        from analysis.methods.reprints import article_reprints

        found = getattr(self.corpus, "reprints_found", None)  # with --dedupe
        return found if found is not None else article_reprints(self.articles)

    @cached_property
    def codebook(self):
        from analysis.methods.codebook import merge, read_codebook

        if not self.options.rules:
            raise NotApplicable("no codes: run the report with --rules FILE (docs/coding.md)")
        return merge(read_codebook(path) for path in self.options.rules)

    @cached_property
    def coded(self):
        from analysis.methods.coding import code_articles

        return code_articles(self.corpus, self.codebook)

    @cached_property
    def code_groups(self) -> pd.DataFrame:
        from analysis.methods.code_tables import code_crosstab

        need_groups(self.group_by)
        return code_crosstab(self.coded, self.groups)

    @cached_property
    def code_trends(self) -> pd.DataFrame:
        from analysis.methods.code_tables import code_trend

        return code_trend(self.coded, self.periods)

    @cached_property
    def tone(self) -> pd.DataFrame:
        """One row per article: id, then the tone and the words that drove it."""
        from analysis.methods.tone import NEWS_DICTIONARY, score_articles

        return score_articles(self.articles, dictionary=self.options.tone_dict or NEWS_DICTIONARY)

    @cached_property
    def tone_groups(self) -> pd.DataFrame:
        from analysis.methods.code_tables import tone_by

        need_groups(self.group_by)
        return tone_by(self.tone, self.groups)

    @cached_property
    def tone_trends(self) -> pd.DataFrame:
        from analysis.methods.code_tables import tone_by

        return tone_by(self.tone, self.periods).rename(columns={"group": "period"})

    @cached_property
    def kwic(self) -> pd.DataFrame:
        from analysis.methods.kwic import kwic

        terms = self.options.terms or [self.corpus_keywords["term"].iloc[0]]
        tables = [
            kwic(
                self.articles,
                term,
                window=PARAMETERS["kwic_window"],
                date_column=self.corpus.date_column or "date",
            )
            for term in terms
        ]
        return pd.concat(tables, ignore_index=True)

    # -- views: the tables and charts of report_tables and report_charts ---------------

    def tables(self) -> dict[str, Callable[[], pd.DataFrame]]:
        """Table name → a function that builds it; a function may raise to say why the
        table does not apply to this input."""
        return {name: partial(view.build, self) for name, view in TABLES.items()}

    def charts(self) -> dict[str, Callable[[], object]]:
        """Chart name → a function that draws it and returns its Figure (or, for the
        per-article word clouds, a dict of name → Figure)."""
        return {name: partial(view.build, self) for name, view in CHARTS.items()}

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

        >>> from analysis.reading.corpus import load_articles
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
        """A few sentences on the corpus: size, sources, kinds, dates, groups, the
        standout article and why, and the notes on the results computed so far
        (:meth:`notes`)."""
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
        deduped = articles.attrs.get("deduped")
        if deduped:
            lines.append(f"Reprints (--dedupe): {deduped}, each story counted once.")
        else:
            lines.append(f"Reprints: {self.reprints.summary()}; see the reprints table.")
        if self.group_by:
            summary = self.group_summary
            lines.append(
                f"Grouped by {self.group_by!r}: {len(summary)} groups, the largest "
                + ", ".join(f"{g} ({n})" for g, n in summary[["group", "articles"]].values[:5])
                + "."
            )
        plate = self.boilerplate
        if len(plate):
            shown = "; ".join(f"{t} ({n})" for t, n in plate[["text", "documents"]].values[:5])
            lines.append(
                f"Boilerplate left out of the counts ({len(plate)} string(s), articles in "
                f"brackets): {shown}; see the boilerplate table (--keep-boilerplate keeps it)."
            )
        if len(self.corpus.joined):
            lines.append(
                f"Split words counted as one: {len(self.corpus.joined)} (e.g. "
                + ", ".join(self.corpus.joined[:5])
                + "); see the joined table (--no-join counts the pieces)."
            )
        with contextlib.suppress(AnalysisError, ValueError):  # no word left: no standout
            lines.append(self.standout_reason)
        for name, notes in self.notes().items():
            lines += [f"Note on the {name}: {note.rstrip('.')}." for note in notes]
        return "\n".join(lines)

    @cached_property
    def distinctiveness(self) -> pd.DataFrame:
        """How far each article's text is from the rest
        (:func:`analysis.methods.themes.distinctiveness`)."""
        from analysis.methods.themes import distinctiveness

        return distinctiveness(self.corpus)

    @cached_property
    def standout(self) -> str:
        """The id of the article whose text stands furthest from the rest, the one the
        notebooks single out (its keyness, its top key term in context).

        Its distance is 1 − the cosine between its TF-IDF vector and the sum of the other
        articles' (:func:`analysis.methods.themes.distinctiveness`): the article that
        shares least of its weighted vocabulary with the corpus, whatever its length.
        Only articles with at least the median number of tokens take part, since a brief
        of a few words shares nothing with anything and would always win. Ties go to the
        article that comes first in the input. :attr:`standout_reason` says this in
        words. (Not the longest article, nor the largest keyness, which both grow with
        length.)
        """
        if self.n < 2:
            return str(self.corpus.ids[0])
        table = self.distinctiveness
        distance = table["distance"].where(table["eligible"], -1.0).to_numpy()
        return str(table["id"].iloc[int(np.argmax(distance))])  # argmax: the first of ties

    @property
    def standout_reason(self) -> str:
        """Why :attr:`standout` was chosen, in a sentence (for :meth:`describe` and the
        manifest)."""
        label = self.label_of[self.standout]
        if self.n < 2:
            return f"Standout article: {label}, the only one."
        table = self.distinctiveness
        row = table[table["id"] == self.standout].iloc[0]
        least = int(table.loc[table["eligible"], "tokens"].min())
        return (
            f"Standout article: {label}, the text furthest from the rest (cosine distance "
            f"{row['distance']:.3f} from the other articles' TF-IDF; among the "
            f"{int(table['eligible'].sum())} articles of at least {least} tokens, the median)."
        )

    def notes(self) -> dict[str, list[str]]:
        """What to know before trusting the results computed so far (none is computed
        here): the choice of k of the clusters (at the edge of the range tried, weakly
        supported), of the themes and of the topics (at the edge of its range). The
        manifest and :meth:`describe` carry them, as the CLI's warnings say them."""
        computed = self.__dict__
        found = {
            "clusters": getattr(computed.get("clusters"), "warnings", []),
            "themes": [getattr(computed.get("themes"), "note", "")],
            "topics": [getattr(computed.get("topics"), "note", "")],
        }
        return {name: [n for n in notes if n] for name, notes in found.items() if any(notes)}

    @cached_property
    def standout_keyness(self) -> pd.DataFrame:
        """Keyness of :attr:`standout` against the other articles (empty for one article)."""
        from analysis.methods.keywords import keyness

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
        from analysis.reading.corpus import PAGE_SUFFIXES, explain_pages

        pages = [
            p
            for p in self.articles.attrs.get("report", {}).get("inputs", [])
            if Path(p).suffix.lower() in PAGE_SUFFIXES
        ]
        if not pages:
            return pd.DataFrame(columns=["source", "line", "label", "article", "rule", "text"])
        return explain_pages(pages[:20], txt_mode=self.options.txt_mode)

    @cached_property
    def file_names(self) -> list[str]:
        """A safe, unique file name for each article (its id made safe; see
        :func:`analysis.files.safe_names`), in the order of the corpus."""
        from analysis.files import safe_names

        return safe_names(self.corpus.ids, fallback="article")


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
    return write_report(
        report or Report(options), out=out, notebooks=notebooks, force=force, raw_csv=raw_csv
    )
