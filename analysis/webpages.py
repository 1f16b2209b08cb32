"""Read saved HTML pages of Chinese e-paper and news sites.

:func:`read_html` lets trafilatura decide which lines are the article and sorts every
visible line into the article's page text (headline lines, byline, one paragraph a line,
for the page splitter), the lines above it and the rest, so no text is lost. ``meta``
comes only from ``<meta>`` tags, ``<title>`` and the page's URL.

>>> page = read_html(
...     "<title>简讯</title><h1>初雪</h1><p>本市昨夜迎来今冬首场降雪。</p>".encode(),
...     name="snow.html",
... )
>>> page.text.split("\\n")
['初雪', '', '本市昨夜迎来今冬首场降雪。']
>>> page.meta["title"], page.meta["date"], page.encoding
('简讯', '', 'utf-8')
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from bisect import bisect_left, bisect_right
from copy import deepcopy
from dataclasses import dataclass
from itertools import accumulate
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml.etree import ParserError

from analysis.textio import InputError

__all__ = ["WebPage", "read_html"]


@dataclass
class WebPage:
    """One saved web page: its article as page text, the other lines, metadata."""

    text: str  # headline lines, byline, paragraphs; one blank line between lines
    header: list[str]  # the page's other lines above the article, in page order
    footer: list[str]  # every other line of the page, in page order
    meta: dict[str, str]  # title, date (YYYY-MM-DD), paper, url, site; "" when unknown
    encoding: str  # the codec the bytes were decoded with


# UTF-32 first: its little-endian mark starts with UTF-16's
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32")]
_BOMS += [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")]
_BOMS += [(codecs.BOM_UTF16_BE, "utf-16")]
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.IGNORECASE,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCK_TAG = re.compile(
    r"address|article|aside|blockquote|body|center|d[dlt]|div|fig(caption|ure)|footer|form|"
    r"h[1-6]|header|hr|li|main|nav|ol|option|p|pre|section|table|t[dhr]|ul"
)
_SKIP_TAGS = ("head", "script", "style", "noscript", "template", "iframe", "object")
_HEADINGS = ("h1", "h2", "h3")
# a line break in the HTML source is the file's layout, not the text's; spaces typed inside
# a line (ideographic indents, a two-character name padded as 张  扬) are the text's own
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")
_KEY_DROP = re.compile(r"[\s|]+")  # trafilatura writes table cells as "| a | b |"
_SENTENCE = re.compile(r"[。！？!?]")
_TITLE_SEP = r"\s*[_|｜]\s*|\s+[-–—]\s+|-"
_DATE_KEY = re.compile(
    r"(article:|og:)?published_time|publish_?date|pubdate|date(published)?|"
    r"publication_date|dc\.date(\.issued)?"
)
_META_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]?\s*(\d\d?)\s*[-/.月]?\s*(\d\d?)")
_URL_DATE = re.compile(  # /2024-02/01/, /20240201/, /2008/11/25/
    r"(?<!\d)((?:19|20)\d\d)([-/]?)(0[1-9]|1[0-2])(?:/|\2)(0[1-9]|[12]\d|3[01])(?!\d)"
)
_WINDOW = 8  # how many lines above the article body a marked headline may sit
_UNMARKED = 4  # kicker, title, subtitle, byline: unmarked lines taken above the body


@dataclass
class _Block:
    text: str
    el: lxml.html.HtmlElement
    link: bool  # all of its text is inside <a>: navigation, never the article's own line

    @property
    def key(self) -> str:
        return _KEY_DROP.sub("", self.text)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    declared = None
    if match := _DECLARED.search(data[:4096]):
        try:
            declared = codecs.lookup((match[1] or match[2]).decode("ascii")).name
        except LookupError:
            declared = None
    if declared in {"gb2312", "gbk"}:
        declared = "gb18030"  # pages labelled gb2312 routinely use GBK characters
    if declared and declared.startswith(("utf-16", "utf-32")):
        declared = None  # a label readable as ASCII cannot be true without a BOM
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    # valid UTF-8 with non-ASCII bytes is never GB text by accident, so it beats a stale label
    order = [bom] if bom else ["utf-8", declared, "gb18030"] if not data.isascii() else [declared]
    for codec in [*filter(None, order), "utf-8"]:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, codec
    raise InputError(
        f"{name}: not text in UTF-8, GB18030 or its declared charset ({declared or 'none'}); "
        "open it in a browser and save it again as 'Web page, HTML only' in UTF-8"
    )


def _blocks(root: lxml.html.HtmlElement) -> list[_Block]:
    """Visible text lines in page order: one per block element or <br>-separated run."""
    blocks: list[_Block] = []
    parts: list[tuple[str, bool]] = []

    def flush(holder: lxml.html.HtmlElement) -> None:
        text = _SOURCE_BREAK.sub(" ", "".join(t for t, _ in parts)).strip(" \t\f")
        if text.strip():
            blocks.append(_Block(text, holder, all(a for t, a in parts if t.strip())))
        parts.clear()

    def walk(el: lxml.html.HtmlElement, holder: lxml.html.HtmlElement, in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""  # a comment's tag is a function
        style = re.sub(r"\s", "", el.get("style", ""))
        visible = el.get("hidden") is None and "display:none" not in style
        if tag and tag not in _SKIP_TAGS and visible:
            block, link = bool(_BLOCK_TAG.fullmatch(tag)), in_link or tag == "a"
            if block or tag == "br":
                flush(holder)
            parts.append((el.text or "", link))
            for child in el:
                walk(child, el if block else holder, link)
            if block:
                flush(el)
        parts.append((el.tail or "", in_link))

    walk(root, root, False)
    flush(root)
    return blocks


def _matched(blocks: list[_Block], lines: list[str]) -> set[int]:
    """Indexes of the blocks that trafilatura's lines came from.

    Lines are matched last to first, each above the previous match, so a headline that
    also stands in the page's headline list is taken from the article, not the list.
    """
    keys = [b.key for b in blocks]
    stream = "".join(keys)
    starts = [0, *accumulate(map(len, keys))][:-1]
    edges, found, cursor = {*starts, len(stream)}, set[int](), len(stream)
    for key in reversed([_KEY_DROP.sub("", line) for line in lines]):
        hits, end = [], cursor
        while key and (pos := stream.rfind(key, 0, end)) >= 0:
            hits.append(pos)
            end = pos + len(key) - 1
        if hits:  # prefer whole blocks; else trafilatura split or merged lines differently
            pos = next((p for p in hits if p in edges and p + len(key) in edges), hits[0])
            found.update(range(bisect_right(starts, pos) - 1, bisect_left(starts, pos + len(key))))
            cursor = pos
    return found


def _inside(el: lxml.html.HtmlElement, box: lxml.html.HtmlElement) -> bool:
    return el is box or any(a is box for a in el.iterancestors())


def _is_heading(el: lxml.html.HtmlElement) -> bool:
    return el.tag in _HEADINGS or any(a.tag in _HEADINGS for a in el.iterancestors())


def _article(
    blocks: list[_Block], main: set[int], title_keys: set[str]
) -> tuple[list[int], list[int]]:
    """Block indexes of the article: headline lines and byline above it, then its body."""
    main_sorted = sorted(main)
    # paragraphs hold sentences; a headline (even one ending in a quote) does not
    is_text = [_SENTENCE.search(b.key) and b.key not in title_keys for b in blocks]
    core = [i for i in main_sorted if is_text[i] and not _is_heading(blocks[i].el)]
    core = core or [i for i in main_sorted if not blocks[i].link]
    if not core:
        return [], []
    first, last = core[0], core[-1]
    body = [i for i in main_sorted if first <= i <= last]
    tail = blocks[last].el
    for i in range(last + 1, len(blocks)):  # a closing credit such as （晓溪） beside the text
        el = blocks[i].el
        if i not in main or (el is not tail and el.getparent() is not tail.getparent()):
            break
        body.append(i)

    def marked(i: int) -> bool:
        return _is_heading(blocks[i].el) or blocks[i].key in title_keys

    def fence(i: int) -> bool:  # navigation links end the headline zone
        return blocks[i].link and not marked(i)

    run = []
    for i in range(first - 1, max(first - 1 - _WINDOW, -1), -1):
        if fence(i):
            break
        run.insert(0, i)
    anchor = next((i for i in reversed(run) if marked(i)), None)
    run = run[-_UNMARKED:]
    if not run:
        return [], body
    # the headline lines share with the paragraphs the smallest element holding both
    top = blocks[run[0] if anchor is None else anchor].el
    box = next(a for a in [top, *top.iterancestors()] if _inside(blocks[first].el, a))
    flat = box.tag in {"body", "html"}  # no article element to go by
    if anchor is None:  # unmarked lines count only when an article element holds them
        return ([], body) if flat else (run, body)
    zone = []
    for i in range(first - 1, -1, -1):
        if fence(i) or not _inside(blocks[i].el, box):
            break
        zone.insert(0, i)
    if flat:  # the headline starts at the run of marked lines ending at the nearest one
        start = anchor
        while start - 1 in zone and marked(start - 1):
            start -= 1
        zone = [i for i in zone if i >= start]
    return zone, body


def _meta(root: lxml.html.HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key and el.get("content", "").strip():
            tags.setdefault(key, el.get("content").strip())
    links = root.iter("link")
    url = next((e.get("href", "") for e in links if e.get("rel", "").lower() == "canonical"), "")
    url = url.strip() or tags.get("og:url", "")
    paper = tags.get("og:site_name", "")
    title = tags.get("og:title") or tags.get("title") or root.findtext(".//title") or ""
    if paper:  # "<headline>_<paper>": the paper's part is not the title
        edge = rf"^{re.escape(paper)}(?:{_TITLE_SEP})|(?:{_TITLE_SEP}){re.escape(paper)}$"
        title = re.sub(edge, "", title.strip())
    found = (_META_DATE.search(v) for k, v in tags.items() if _DATE_KEY.fullmatch(k))
    dates = [_iso(*m.groups()) for m in found if m]
    if m := _URL_DATE.search(urlsplit(url).path):
        dates.append(_iso(m[1], m[3], m[4]))
    date = next(filter(None, dates), "")
    site = urlsplit(url).hostname or ""
    return {"title": title.strip(), "date": date, "paper": paper, "url": url, "site": site}


def _iso(year: str, month: str, day: str) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _segments(title: str) -> set[str]:
    return {_KEY_DROP.sub("", p) for p in [title, *re.split(_TITLE_SEP, title)]} - {""}


def read_html(data: bytes, *, name: str) -> WebPage:
    """Read one saved HTML page; ``name`` (usually the file name) is used in errors.

    Raises :class:`analysis.textio.InputError` when the bytes are not a readable page.
    """
    html, encoding = _decode(data, name)
    try:  # lxml refuses str input that still declares an encoding
        root = lxml.html.document_fromstring(_XML_DECL.sub("", html))
    except ParserError as err:
        raise InputError(f"{name}: no HTML content ({err}); check it is a saved web page") from err
    blocks, meta = _blocks(root), _meta(root)
    # favor_precision drops bylines and favor_recall takes in the masthead: keep the default,
    # with recall only when the default finds nothing. A tree, as trafilatura rejects fragments.
    options = dict(
        include_comments=False, include_tables=True, deduplicate=False, with_metadata=True
    )
    doc = trafilatura.bare_extraction(deepcopy(root), **options)
    if doc is None or not doc.text:
        doc = trafilatura.bare_extraction(deepcopy(root), favor_recall=True, **options)
    titles = [t for t in (meta["title"], doc and doc.title) if t]
    title_keys = set().union(*map(_segments, titles))
    lines = doc.text.splitlines() if doc and doc.text else []
    zone, body = _article(blocks, _matched(blocks, lines), title_keys)
    chosen = zone + body
    text = [blocks[i].text for i in chosen]
    named = [blocks[i] for i in chosen if blocks[i].key in title_keys]
    if named and named[0].key in _segments(meta["title"]) - {_KEY_DROP.sub("", meta["title"])}:
        meta["title"] = named[0].text.strip()  # the headline without the site's part of <title>
    if titles and body and not zone:
        text.insert(0, titles[0])  # nothing above the paragraphs looked like their headline
    start = chosen[0] if chosen else len(blocks)
    rest = sorted(set(range(len(blocks))) - set(chosen))
    return WebPage(
        text="\n\n".join(text),
        header=[blocks[i].text for i in rest if i < start],
        footer=[blocks[i].text for i in rest if i > start],
        meta=meta,
        encoding=encoding,
    )
