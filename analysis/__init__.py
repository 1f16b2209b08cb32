"""Chinese newspaper text analytics: pages into articles, keywords, themes and charts.

The public API is every name in ``__all__``: ``from analysis import load_articles,
top_terms, find_themes, Report …``. The reading stage is imported with the package; the
later stages (scikit-learn, matplotlib …) only when one of their names is first used, so
that ``import analysis`` and the command line start fast. The modules inside the stage
folders may move; these names stay.

>>> from analysis import load_articles, top_terms
>>> load_articles()["title"].tolist()[:2]
['解难题补短板,建好服务职工的“桥头堡”', '给快递小哥多一些理解和包容']
>>> list(top_terms(load_articles(), k=1).columns)
['id', 'title', 'rank', 'term', 'score', 'tf', 'df']
"""

from importlib import import_module

from analysis.errors import (
    AnalysisError,
    InputError,
    NotEnoughDataError,
    OptionError,
    OutputError,
)
from analysis.reading.corpus import (
    BadRowWarning,
    BrokenLinkWarning,
    EmptyFileWarning,
    LoadReport,
    MarkupWarning,
    NoArticleWarning,
    RepeatedColumnWarning,
    TraditionalTextWarning,
    explain_pages,
    load_articles,
)
from analysis.reading.pages import Article, parse_byline, split_page
from analysis.reading.scripts import script_of, to_simplified
from analysis.reading.textio import (
    DecodingWarning,
    NotChineseWarning,
    decode_bytes,
    detect_encoding,
    normalize_line,
    read_text,
)
from analysis.reading.webpages import TruncatedPageWarning

# name → the module that defines it, imported when the name is first used
_LAZY = {
    **dict.fromkeys(
        ["Tokenizer", "TokenizerConfig", "default_tokenizer"], "analysis.text.tokenize"
    ),
    **dict.fromkeys(["apply_terms", "discover_terms"], "analysis.text.terms"),
    **dict.fromkeys(["count_matrix", "tokenize_many"], "analysis.scale"),
    **dict.fromkeys(["AnalysedCorpus", "analysed"], "analysis.representations.analysed"),
    **dict.fromkeys(
        ["keyness", "keyness_table", "term_weights", "top_terms", "vectorize"],
        "analysis.methods.keywords",
    ),
    "kwic": "analysis.methods.kwic",
    **dict.fromkeys(["group_keywords", "group_summary"], "analysis.methods.groups"),
    "compare_groups": "analysis.methods.compare",
    **dict.fromkeys(
        ["rising_terms", "term_frequencies", "theme_prevalence"], "analysis.methods.trends"
    ),
    **dict.fromkeys(["cluster_documents", "find_themes", "similarity"], "analysis.methods.themes"),
    **dict.fromkeys(["communities", "cooccurrence"], "analysis.methods.network"),
    **dict.fromkeys(["entity_terms", "top_entities"], "analysis.methods.entities"),
    "archive_keywords_and_themes": "analysis.methods.archive",
    **dict.fromkeys(["keyword_bars", "save_figure", "word_cloud"], "analysis.output.plots"),
    **dict.fromkeys(
        ["Report", "ReportOptions", "build_report", "notebook_report"], "analysis.output.report"
    ),
    "explorer": "analysis.output.explore",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AnalysedCorpus",
    "AnalysisError",
    "Article",
    "BadRowWarning",
    "BrokenLinkWarning",
    "DecodingWarning",
    "EmptyFileWarning",
    "InputError",
    "LoadReport",
    "MarkupWarning",
    "NoArticleWarning",
    "NotChineseWarning",
    "NotEnoughDataError",
    "OptionError",
    "OutputError",
    "RepeatedColumnWarning",
    "Report",
    "ReportOptions",
    "Tokenizer",
    "TokenizerConfig",
    "TraditionalTextWarning",
    "TruncatedPageWarning",
    "analysed",
    "apply_terms",
    "archive_keywords_and_themes",
    "build_report",
    "cluster_documents",
    "communities",
    "compare_groups",
    "cooccurrence",
    "count_matrix",
    "decode_bytes",
    "default_tokenizer",
    "detect_encoding",
    "discover_terms",
    "entity_terms",
    "explain_pages",
    "explorer",
    "find_themes",
    "group_keywords",
    "group_summary",
    "keyness",
    "keyness_table",
    "keyword_bars",
    "kwic",
    "load_articles",
    "normalize_line",
    "notebook_report",
    "parse_byline",
    "read_text",
    "rising_terms",
    "save_figure",
    "script_of",
    "similarity",
    "split_page",
    "term_frequencies",
    "term_weights",
    "theme_prevalence",
    "to_simplified",
    "tokenize_many",
    "top_entities",
    "top_terms",
    "vectorize",
    "word_cloud",
]

__version__ = "0.1.0"
