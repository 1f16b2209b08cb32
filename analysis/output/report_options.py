"""What a report reads and its fixed parameters: :class:`ReportOptions`, the limits that
choose per-article or corpus charts, and the exceptions that say why a view is left out.

The bottom of the report's modules: :mod:`analysis.output.report_tables`,
:mod:`analysis.output.report_charts`, :mod:`analysis.output.report_writer` and
:mod:`analysis.output.report` import from it, never the other way round.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from analysis.errors import NotEnoughDataError, OptionError
from analysis.representations.analysed import AnalysedCorpus

__all__ = [
    "ENV_VAR",
    "MAX_GROUPS",
    "PARAMETERS",
    "PER_ARTICLE",
    "SMALL_MULTIPLES",
    "STATE_VAR",
    "NotApplicable",
    "ReportOptions",
    "SkippedChartWarning",
    "need_groups",
]

#: Environment variable that passes :class:`ReportOptions` (JSON) to the notebooks.
ENV_VAR = "ANALYSIS_REPORT"
#: A pickled :class:`~analysis.output.report.Report` whose results
#: :func:`~analysis.output.report.build_report` computed already; the notebooks it runs
#: read them instead of computing them again.
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
    "code_kwic_lines": 200,
}


class SkippedChartWarning(UserWarning):
    """A chart that the input cannot support was left out; the others were drawn."""


class NotApplicable(NotEnoughDataError):
    """An output that does not apply to this input (no groups asked for): recorded in
    the manifest, not warned about."""


def need_groups(group_by: str | None) -> str:
    """``group_by``; :class:`NotApplicable` when the report was not asked for groups."""
    if group_by is None:
        raise NotApplicable(
            "no groups: run the report with --group-by COLUMN (label, paper, column …)"
        )
    return group_by


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
    rules: list[str] | None = None
    tone_dict: str | None = None
    dedupe: bool = False
    stopwords: list[str] | None = None  # words added to the built-in stopwords
    keep_boilerplate: bool = False  # count the corpus's boilerplate too
    join_terms: bool = True  # join the corpus's split words (AnalysedCorpus.joined)
    terms: list[str] | None = None  # the trend lines and KWIC terms (default: chosen)

    def __post_init__(self) -> None:
        # absolute, so that notebooks running in another folder read the same files
        if self.paths is not None:
            self.paths = [str(Path(p).resolve()) for p in self.paths]
        if self.rules is not None:
            self.rules = [str(Path(p).resolve()) for p in self.rules]

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
        from analysis.reading.corpus import load_articles

        articles = load_articles(
            self.paths,
            text_column=self.text_column,
            txt_mode=self.txt_mode,
            bad_rows=self.bad_rows,
            convert=self.convert,
        )
        found = None
        if self.dedupe and len(articles):
            from analysis.methods.reprints import article_reprints, dedupe

            found = article_reprints(articles)
            articles = dedupe(articles, found)
        if articles.empty:
            raise NotEnoughDataError(
                "no article was read from the input (every file was empty or held only page "
                "furniture); check the paths, or see 'articles --explain'"
            )
        tokenizer = None
        if self.stopwords:
            from analysis.text.tokenize import Tokenizer, TokenizerConfig

            tokenizer = Tokenizer(TokenizerConfig(extra_stopwords=tuple(self.stopwords)))
        corpus = AnalysedCorpus(
            articles,
            tokenizer=tokenizer,
            title_column=self.title_column,
            date_column=self.date_column,
            keep_boilerplate=self.keep_boilerplate,
            join_terms=self.join_terms,
        )
        # the reprints found before they were left out: the report lists them
        corpus.reprints_found = found
        return corpus
