"""Chinese newspaper text analytics: pages into articles, keywords, themes and charts.

>>> from analysis import load_articles
>>> load_articles()["title"].tolist()[:2]
['解难题补短板,建好服务职工的“桥头堡”', '给快递小哥多一些理解和包容']
"""

from analysis.corpus import (
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
from analysis.errors import (
    AnalysisError,
    InputError,
    NotEnoughDataError,
    OptionError,
    OutputError,
)
from analysis.pages import Article, parse_byline, split_page
from analysis.textio import (
    DecodingWarning,
    NotChineseWarning,
    decode_bytes,
    detect_encoding,
    normalize_line,
    read_text,
    script_of,
    to_simplified,
)
from analysis.webpages import TruncatedPageWarning

__all__ = [
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
    "TraditionalTextWarning",
    "TruncatedPageWarning",
    "decode_bytes",
    "detect_encoding",
    "explain_pages",
    "load_articles",
    "normalize_line",
    "parse_byline",
    "read_text",
    "script_of",
    "split_page",
    "to_simplified",
]

__version__ = "0.1.0"
