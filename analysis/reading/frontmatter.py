"""Markdown articles with YAML front matter, one article a file, as newspaper archives on
GitHub store them::

    ---
    title: "……"
    date: 2026-01-08
    section: "第07版"
    section_name: "各地传真"
    author: "张天培"
    source_url: "https://…"
    ---
    ### 引题
    # 主题
    ## ——副题
    > 本报记者  张天培《人民日报》（2026年01月08日第 19 版）
    正文……
    **段落小标题**

:func:`read_markdown` returns the text with the markdown markers blanked out (replaced
by spaces of the same length, so character offsets still point into the file), the
front matter as metadata, and a role hint for every line a marker gives a role to:
``#`` title, ``##`` subtitle, ``###`` and deeper kicker, a whole-line ``**bold**`` a
section heading inside the article, ``>`` a byline or source line. The page splitter
(:func:`analysis.reading.pages.split_page`) then reads the text with those hints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from analysis.reading.furniture import iso_date
from analysis.reading.textio import InputError

__all__ = ["DATE_KEYS", "MD_ESCAPE", "MarkdownArticle", "read_markdown", "written_date"]

_FENCE = re.compile(r"^---[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+")
_QUOTE = re.compile(r"^>[ \t]?")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
_BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*].*?)\*\*[ \t]*$")
_ITALIC_LINE = re.compile(r"^[ \t]*(?P<open>[*_])(?P<text>[^*_\s][^*_]*?)(?P<close>[*_])[ \t]*$")
_BREAK = re.compile(r"^[ \t]*(?:-[ \t]*){3,}$|^[ \t]*(?:\*[ \t]*){3,}$|^[ \t]*(?:_[ \t]*){3,}$")
_ROLE_OF_LEVEL = {1: "title", 2: "subtitle"}
#: A backslash escape (the mark after it is meant literally: 文 \| 张三; the markdown
#: readers keep the mark) and an HTML tag (<figcaption>, </figure>, <img …>): both
#: blanked here, the text around them kept in place.
MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(
    r"</?(?:a|b|i|u|p|em|strong|small|sub|sup|span|div|font|center|br|hr|img|figure"
    r"|figcaption|picture|source|video|audio|iframe|section|blockquote|h[1-6])"
    r"""(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*\s*/?>""",
    re.IGNORECASE,
)


@dataclass
class MarkdownArticle:
    """A markdown article: blanked text, front-matter metadata and line role hints."""

    text: str
    meta: dict[str, str]
    hints: dict[int, str] = field(default_factory=dict)
    front_matter: dict = field(default_factory=dict)


def _dates_as_written():
    """A safe YAML loader that leaves dates and times as the strings written."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _split_front_matter(text: str, name: str) -> tuple[dict, int]:
    """Parse the front matter; return it and the number of lines it takes."""
    import yaml

    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")):
        return {}, 0
    end = next((k for k in range(1, len(lines)) if _FENCE.match(lines[k])), None)
    if end is None:
        raise InputError(
            f"{name}: the front matter that starts on line 1 has no closing '---' line; "
            "close it or remove the opening '---'"
        )
    block = "\n".join(lines[1:end])
    try:
        try:
            data = yaml.safe_load(block) or {}
        except ValueError:  # a date that is no date (2020-13-45): read dates as written
            data = yaml.load(block, Loader=_dates_as_written()) or {}  # a SafeLoader
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f":{where.line + 2}" if where is not None else ""
        raise InputError(
            f"{name}{line}: the YAML front matter cannot be read ({exc.__class__.__name__}); "
            "fix it or remove it"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{name}: the front matter is not a 'key: value' mapping; fix it")
    return data, end + 1


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    return str(value).strip()


#: Front-matter keys that give an article's date, in order of preference.
DATE_KEYS = ("date", "published", "pubdate", "日期", "时间")


def written_date(front: dict) -> str:
    """The date a front matter states, as written (its first date key with a value)."""
    lower = {str(k).lower(): v for k, v in front.items()}
    return next((_text(lower[k]) for k in DATE_KEYS if _text(lower.get(k))), "")


def _meta(front: dict) -> dict[str, str]:
    """The article fields a front matter gives: title, date, page, page name, author,
    url, paper (keys compared case-insensitively; the usual Chinese keys too)."""
    lower = {str(k).lower(): v for k, v in front.items()}

    def first(*keys: str) -> str:
        return next((_text(lower[k]) for k in keys if _text(lower.get(k))), "")

    page = first("page", "section", "版次", "版面")
    number = re.search(r"\d{1,3}", page)
    return {
        "title": first("title", "标题"),
        "date": iso_date(written_date(front)),
        "page": str(int(number.group())) if number else "",
        "page_name": first("section_name", "page_name", "版名")
        or (page if page and not number else ""),
        "author": first("author", "authors", "作者"),
        "url": first("source_url", "url", "link", "原文链接"),
        "paper": first("paper", "newspaper", "source", "来源"),
        "column": first("column", "栏目"),
    }


def read_markdown(text: str, *, name: str) -> MarkdownArticle:
    """Read a markdown article; raise :class:`analysis.reading.textio.InputError` when its front
    matter cannot be read.

    >>> md = "---\\ntitle: 标题\\ndate: 2026-01-08\\nsection: 第07版\\n---\\n# 标题\\n\\n正文。\\n"
    >>> article = read_markdown(md, name="a.md")
    >>> article.meta["date"], article.meta["page"], article.hints
    ('2026-01-08', '7', {6: 'title'})
    >>> article.text.splitlines()[5]
    '  标题'
    """
    front, skip = _split_front_matter(text, name)
    lines = text.split("\n")
    hints: dict[int, str] = {}
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if number <= skip:
            out.append(" " * len(line))
            continue
        role = ""
        line = _TAG.sub(lambda m: " " * len(m.group()), MD_ESCAPE.sub(r" \1", line))
        if _BREAK.match(line):
            hints[number] = "break"  # kept as it is: the splitter reads it as a record break
            out.append(line)
            continue
        if m := _HEADING.match(line):
            role = _ROLE_OF_LEVEL.get(len(m.group(1)), "kicker")
            line = " " * m.end() + line[m.end() :]
        elif m := _QUOTE.match(line):
            role = "quote"
            line = " " * m.end() + line[m.end() :]
        elif m := _BULLET.match(line):
            line = " " * m.end() + line[m.end() :]
        if m := _ITALIC_LINE.match(line):
            line = line[: m.start("open")] + " " + m.group("text") + " " + line[m.end("close") :]
        if m := _BOLD_LINE.match(line.strip()):
            role = role or "section"
            line = line.replace("**", "  ")
        elif "**" in line:
            line = line.replace("**", "  ")
        if role and line.strip():
            hints[number] = role
        out.append(line)
    return MarkdownArticle("\n".join(out), _meta(front), hints, front)
