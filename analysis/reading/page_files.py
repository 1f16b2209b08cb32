"""Page files read as pages: ``.txt`` pages (and web pages saved as text), ``.md`` with
front matter and ``.html``, each split into articles (:mod:`analysis.reading.pages`)
with the furniture kept; the date in a file name."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from analysis.errors import OptionError
from analysis.reading.furniture import PageMeta, header_metadata, iso_date
from analysis.reading.pages import TAB_HEADLINE, PageSplit, split_page
from analysis.reading.schema import display_path
from analysis.reading.textio import (
    DecodedText,
    InputError,
    normalize_line,
    read_bytes,
    read_text,
)

__all__ = [
    "DateWarning",
    "MarkupWarning",
    "TraditionalTextWarning",
    "file_date",
    "split_file",
]


_FILE_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


# front-matter keys that become columns; the others are kept as metadata strings
_FRONT_MATTER_FIELDS = {
    "title", "date", "section", "section_name", "author", "authors", "source_url", "url",
    "page", "page_name", "paper", "newspaper", "column", "标题", "日期", "作者", "版次", "版名",
}  # fmt: skip


def _unread_date(front: dict) -> str:
    """The date a front matter states when it is no date we can read, else ""."""
    from analysis.reading.frontmatter import written_date

    written = written_date(front)
    return written if written and not iso_date(written) else ""


def file_date(path: Path) -> str:
    """The date in a file name (``20230101``, ``2026-01-05``, ``rmrb_20200103_p11``) as
    ISO, or "".

    >>> file_date(Path("grrb_20081125_p05.txt")), file_date(Path("8583_p02.txt"))
    ('2008-11-25', '')
    """
    m = _FILE_DATE.search(path.stem)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


class TraditionalTextWarning(UserWarning):
    """A file in Traditional characters was loaded without conversion to Simplified."""


class DateWarning(UserWarning):
    """A stated date could not be read as a date; it was kept as written."""


class MarkupWarning(UserWarning):
    """A .txt file held markup: read as HTML, or its stray tags removed."""


_TAG = re.compile(
    r"<!--.*?-->|<!DOCTYPE[^>]*>|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,400})?/?>", re.S | re.I
)


_LINE_BREAK_TAG = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr)\b", re.I)


def _markup(text: str) -> str:
    """ "page" for an HTML page, "tags" for a text with stray tags, else ""."""
    head = text[:2000].lstrip().lower()
    tags = len(_TAG.findall(text[:200_000]))
    if head.startswith(("<!doctype html", "<html", "<?xml")) or (
        tags >= 10 and tags * 3 > text[:200_000].count("\n")
    ):
        return "page"
    return "tags" if tags else ""


def _blank_tags(text: str) -> tuple[str, int]:
    """Remove tags, keeping every other character where it was (a tag that breaks a
    line becomes a line break, the rest spaces), so spans still point into the file."""
    count = 0

    def blank(m: re.Match) -> str:
        nonlocal count
        count += 1
        width = len(m.group())
        return "\n" + " " * (width - 1) if _LINE_BREAK_TAG.match(m.group()) else " " * width

    return _TAG.sub(blank, text), count


def _is_article_dump(text: str) -> bool:
    """A crawler file of one article: its first line is a headline joined by tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(TAB_HEADLINE.match(first.strip(" \u3000")))


def split_file(
    path: str | Path,
    *,
    txt_mode: str = "page",
    boilerplate: frozenset[str] = frozenset(),
    keep_lines: bool = True,
    decoded: DecodedText | None = None,
) -> tuple[PageSplit, str, str]:
    """Split one page file (.txt, .md, .html); return the split, the text that the
    split's spans point into, and the encoding. ``keep_lines=False`` drops the
    classified lines (all a loader needs is the articles)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return _split_html(path, model=line_role_model("html"))
    decoded = decoded or read_text(path)
    text = decoded.text
    if suffix in (".md", ".markdown"):
        from analysis.reading.frontmatter import read_markdown

        md = read_markdown(text, name=str(path))
        if (model := line_role_model("markdown", md.meta["title"])) is not None:
            return _split_markdown_roles(text, md, model), text, decoded.encoding
        return _split_markdown(md), text, decoded.encoding
    markup = _markup(text)
    if markup == "page":
        warnings.warn(
            f"{path}: looks like a web page saved as .txt; read as HTML (save it as .html "
            "to silence this warning)",
            MarkupWarning,
            stacklevel=2,
        )
        return _split_html(path, text.encode("utf-8"), model=line_role_model("html"))
    if markup == "tags":
        text, count = _blank_tags(text)
        warnings.warn(
            f"{path}: {count} markup tag(s) such as <br> in the text were removed",
            MarkupWarning,
            stacklevel=2,
        )
    single = txt_mode == "article" or _is_article_dump(text)
    split = split_page(text, boilerplate=boilerplate, single=single, keep_lines=keep_lines)
    return split, text, decoded.encoding


def _split_markdown(md) -> PageSplit:
    """A markdown file (:func:`~analysis.reading.frontmatter.read_markdown`) read by the
    rules, told its markup; its front matter fills what the lines do not say."""
    split = split_page(md.text, hints=md.hints, single=True, briefs=True)
    _front_matter(split, md)
    if split.articles:
        first = split.articles[0]
        _first_from_front_matter(first, md.meta)
        first.column = first.column or md.meta["column"] or None
    return split


def _front_matter(split: PageSplit, md) -> None:
    """The page's date, paper and page, and each article's link and date, where the lines
    do not say them, from a markdown file's front matter; the front matter kept."""
    meta = md.meta
    stated = PageMeta(meta["date"], meta["paper"], meta["page"], meta["page_name"])
    stated.update(split.meta)
    split.meta = stated
    for art in split.articles:
        art.url = art.url or meta["url"]
        art.date = art.date or meta["date"]
    split.front_matter = md.front_matter


def _first_from_front_matter(first, meta: dict) -> None:
    """The title and writers the front matter states for the article its lines begin:
    they win over the lines the rules took for a headline or a byline, unless the stated
    title is the column the articles run under (a column of briefs, each with its own
    headline). Text under a stated headline is that article, not a fragment."""
    # a date (a digest's title: 2022-12-05) names no headline
    title = meta["title"] if _is_headline(meta["title"]) and meta["title"] != first.column else ""
    first.title = title or first.title or meta["title"] or None
    if first.kind == "fragment" and first.title:
        first.kind = "news"
    if meta["author"]:  # the stated writers too, the lines' picture credits kept
        from analysis.reading.pages import parse_byline

        writers = [c for c in parse_byline(meta["author"], bare=True) or [] if not c.photo]
        if writers:
            named = {c.name for c in writers}
            pictures = [c for c in first.contributors if c.photo and c.name not in named]
            first.contributors = writers + pictures


#: The kinds of page the line-role model reads unless ``ANALYSIS_LINE_ROLES`` says
#: otherwise: web pages, and markdown files whose front matter names no headline (digests,
#: transcripts, archives of many items), where it reads sources it was not fitted on far
#: better than the rules. A markdown file whose front matter gives its headline says it
#: is one article: the rules read it, with the e-paper markup they know (### kicker,
#: **bold** section heads, a column of briefs, a sidebar after ---); leave one source out,
#: the model and this choice score alike on such files (docs/line-roles.md).
LINE_ROLE_KINDS = frozenset({"html", "markdown"})

_DATE_ONLY = re.compile(r"[\d\s/.:TZ+年月日-]*")


def names_a_headline(text: str) -> bool:
    """Whether a markdown file's front matter gives a headline (a title that is not just
    a date, as a daily digest's ``title: 2022-12-05`` is)."""
    from analysis.reading.frontmatter import read_markdown

    try:
        return _is_headline(read_markdown(text, name="<markdown>").meta["title"])
    except InputError:
        return False


def _is_headline(title: str | None) -> bool:
    title = (title or "").strip()
    return bool(title) and not _DATE_ONLY.fullmatch(title)


def line_role_model(kind: str, title: str | None = None):
    """The line-role model (:mod:`analysis.reading.lineroles`) when it reads pages of this
    ``kind`` (html, markdown, text): by default web pages, and markdown files whose
    front matter's ``title`` names no headline (:func:`names_a_headline`);
    ``ANALYSIS_LINE_ROLES`` is a comma-separated list of kinds the model reads whole,
    ``all``, or ``0`` for none. None when it does not, or when the model file is absent:
    then the rules read the page."""
    import os

    from analysis.reading.lineroles import default_model

    setting = os.environ.get("ANALYSIS_LINE_ROLES", "").strip().lower()
    if not setting or setting in ("1", "yes", "on", "default"):
        if kind == "markdown" and _is_headline(title):
            return None
        kinds = LINE_ROLE_KINDS
    elif setting in ("0", "no", "off", "none"):
        kinds = frozenset()
    elif setting == "all":
        kinds = frozenset({"html", "markdown", "text"})
    else:
        kinds = frozenset(k.strip() for k in setting.split(",") if k.strip())
        if unknown := sorted(kinds - {"html", "markdown", "text"}):
            raise OptionError(
                f"ANALYSIS_LINE_ROLES: unknown kind {', '.join(unknown)}; give a comma-"
                "separated list of html, markdown and text, or all, or 0 for none"
            )
    return default_model() if kind in kinds else None


def _split_markdown_roles(text: str, md, model) -> PageSplit:
    """A markdown file read by the line-role model; its front matter (``md``) fills what
    the lines do not say, and the title and writers when the file is one article."""
    from analysis.reading.lineroles import line_features, split_by_roles

    lines = text.removeprefix("\ufeff").split("\n")
    split, _ = split_by_roles(
        lines, line_features(lines, kind="markdown"), kind="markdown", model=model
    )
    _front_matter(split, md)
    if len(split.articles) == 1:  # the front matter describes the file's one article
        _first_from_front_matter(split.articles[0], md.meta)
    return split


def _split_html(path: Path, data: bytes | None = None, *, model=None) -> tuple[PageSplit, str, str]:
    from analysis.reading.webpages import read_html

    if data is None:
        data = read_bytes(path)
    page = read_html(data, name=str(path))
    if model is not None:
        return _split_html_roles(path, data, page, model)
    split = split_page(page.text)
    meta = PageMeta(date=page.meta.get("date", ""), paper=page.meta.get("paper", ""))
    for line in page.header + page.footer:
        meta.update(header_metadata(normalize_line(line)))
    split.meta.update(meta)
    outside = [("header", t) for t in page.header] + [("footer", t) for t in page.footer]
    split.outside = outside
    for art in split.articles:
        art.url = art.url or page.meta.get("url", "")
        art.date = art.date or split.meta.date
    return split, page.text, page.encoding


def _split_html_roles(path: Path, data: bytes, page, model) -> tuple[PageSplit, str, str]:
    """A web page read by the line-role model, on every line of its visible text (the
    page's navigation, comments and footer are furniture by their roles); the date, link
    and site its metadata states are kept."""
    from analysis.reading.lineroles import html_features, split_by_roles

    lines, features = html_features(data, name=str(path), page=page)
    split, text = split_by_roles(lines, features, kind="html", model=model)
    meta = PageMeta(date=page.meta.get("date", ""), paper=page.meta.get("paper", ""))
    for line in page.header + page.footer:  # what the page says of itself around it
        meta.update(header_metadata(normalize_line(line)))
    split.meta.update(meta)
    for art in split.articles:
        art.url = art.url or page.meta.get("url", "")
        art.date = art.date or split.meta.date
    return split, text, page.encoding


def _furniture_records(split: PageSplit, art) -> list[dict]:
    records = [{"line": ln.number, "text": ln.text, "rule": ln.rule} for ln in art.furniture]
    if art.order == 1:
        for where, text in split.outside:
            text = normalize_line(text)
            if text:
                records.append(
                    {
                        "line": None,
                        "text": text,
                        "rule": f"outside the article in the HTML ({where})",
                    }
                )
    return records


def _page_rows(path: Path, split: PageSplit, encoding: str) -> list[dict]:
    rows = []
    meta = split.meta
    source = display_path(path)
    fallback_date = file_date(path)
    extra = [
        f"{k}: {v}"
        for k, v in split.front_matter.items()
        if str(k).lower() not in _FRONT_MATTER_FIELDS
    ]
    if split.front_matter and (unread := _unread_date(split.front_matter)):
        extra.append(f"date: {unread}")
        warnings.warn(
            f"{source}: the front matter's date {unread!r} is not a date we can read; kept "
            "in the metadata, the date taken from the file's lines or name, if any",
            DateWarning,
            stacklevel=2,
        )
    for art in split.articles:
        rows.append(
            {
                "id": f"{path.stem}-{art.order:02d}",
                "source": source,
                "order": art.order,
                "title": art.title,
                "kicker": art.kicker,
                "subtitle": art.subtitle,
                "column": art.column,
                "authors": art.authors,
                "contributors": [c.as_dict() for c in art.contributors],
                "kind": art.kind,
                "dateline": art.dateline,
                "date_line": art.date_line,
                "author_unit": art.author_unit,
                "continuation": art.continuation,
                "sections": art.sections,
                "paragraphs": art.paragraphs,
                "paragraph_sections": art.paragraph_sections,
                "paragraph_spans": art.paragraph_spans,
                "start": art.start,
                "end": art.end,
                "encoding": encoding,
                "date": art.date or meta.date or fallback_date or None,
                "paper": meta.paper or None,
                "page": meta.page or None,
                "page_name": meta.page_name or None,
                "url": art.url or None,
                "metadata": list(art.metadata) + (extra if art.order == 1 else []),
                "furniture": _furniture_records(split, art),
            }
        )
    return rows
