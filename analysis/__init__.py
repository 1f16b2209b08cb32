"""Chinese newspaper text analytics: pages into articles, keywords, themes and charts.

>>> from analysis import load_articles
>>> load_articles()["title"].tolist()[:2]
['解难题补短板,建好服务职工的“桥头堡”', '给快递小哥多一些理解和包容']
"""

from analysis.corpus import LoadReport, explain_pages, load_articles
from analysis.pages import Article, parse_byline, split_page
from analysis.textio import InputError, decode_bytes, normalize_line, read_text

__all__ = [
    "Article",
    "InputError",
    "LoadReport",
    "decode_bytes",
    "explain_pages",
    "load_articles",
    "normalize_line",
    "parse_byline",
    "read_text",
    "split_page",
]

__version__ = "0.1.0"
