"""Read saved HTML pages of Chinese e-paper and news sites.

:func:`read_html` lets trafilatura decide which lines are the article and sorts every
visible line into the article's page text (headline lines, byline, one paragraph a line,
for the page splitter), the lines above it and the rest, so no text is lost. ``meta``
comes only from ``<meta>`` tags, ``<title>`` and the page's URL.

libxml2 (through lxml) builds the tree, with ``huge_tree`` so that text nodes over 10 MB
are read whole; trafilatura is handed that tree and never parses the page itself. A page
nested deeper than :data:`MAX_DEPTH` levels (libxml2 stops reading at 2,048, dropping
the rest of the page) is read again with its deeper elements made flat (see
:func:`_flattened`), so all of its text is kept; if libxml2 still stops early, a
:class:`TruncatedPageWarning` says how much of the text was read.

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
import contextlib
import datetime as dt
import re
import warnings
from bisect import bisect_left, bisect_right
from copy import deepcopy
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from itertools import accumulate
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from analysis.reading.textio import DecodingWarning, InputError, browser_gb, detect_encoding

__all__ = ["FLAT_DEPTH", "MAX_DEPTH", "TruncatedPageWarning", "WebPage", "read_html"]

#: A page nested deeper than this many levels is read again with the elements below
#: :data:`FLAT_DEPTH` levels made flat: block elements become line breaks, other tags are
#: dropped, their text is kept. libxml2's own default limit: every page read whole before
#: huge_tree was on kept to it, so those pages read as they did.
MAX_DEPTH = 256
#: Not deeper: trafilatura's time and memory grow with depth times size. 10 MB of HTML
#: 5,000 levels deep, made flat below 1,024 levels: 28 s and 6 GB in trafilatura; below
#: 256: 8 s, 1.9 GB; below 64: 5 s, 0.7 GB; with no nesting: 3 s, 0.3 GB. An article's
#: own elements sit far above 64 levels (the fixture pages nest 8 at most), so they keep
#: their structure.
FLAT_DEPTH = 64


class TruncatedPageWarning(UserWarning):
    """Part of a page could not be read; the message says how much of its text was kept."""


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
_TOO_DEEP = etree.XPath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")")
_VOID_TAG = re.compile(
    r"area|base|basefont|bgsound|br|col|embed|frame|hr|img|input|keygen|link|meta|param|"
    r"source|track|wbr"
)
_HEADINGS = ("h1", "h2", "h3")
# a line break in the HTML source is the file's layout, not the text's; spaces typed inside
# a line (ideographic indents, a two-character name padded as 张  扬) are the text's own
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")
_KEY_DROP = re.compile(r"[\s|]+")  # trafilatura writes table cells as "| a | b |"
_LIST_ITEM = re.compile(r"^\s*[-*]\s+")  # trafilatura's mark of a list item
_PIECE = 6  # shorter pieces of a merged line are not looked for (they match anywhere)
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
    """The page's text and codec. A byte-order mark decides; else valid UTF-8 is UTF-8;
    else a page labelled with a Chinese charset or UTF-8, or not labelled, is decoded by
    evidence (:func:`~analysis.reading.textio.detect_encoding`: GB18030, Big5 …), for a
    label is often stale (Big5 bytes under ``charset=utf-8``, which GB18030 would read
    as mojibake; the label stands when the evidence reads the page no better than twice
    as well) and a UTF-8 page cut off mid-character is still UTF-8; a page labelled
    with another charset (windows-1252) is decoded with it. A page that is none of these
    as a whole, but for a few damaged byte sequences, is read with U+FFFD in their place
    and a :class:`~analysis.reading.textio.DecodingWarning`."""
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
    if bom or data.isascii():
        order = [bom] if bom else [declared, "utf-8"]
        for codec in filter(None, order):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text, codec
        raise _undecodable(name, declared)
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    if declared and declared not in _EVIDENCE_CHARSETS:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(declared), declared
    labelled = None
    if declared and declared != "utf-8":
        with contextlib.suppress(UnicodeDecodeError):
            labelled = data.decode(declared)
    try:
        detection = detect_encoding(data, name=name, language=False)
    except InputError as exc:
        scores = {c: _score(_undamaged(data, c), c) for c in ("gb18030", "big5")}
        if labelled is not None and _plausible(data, declared, scores):
            return browser_gb(labelled, declared), declared  # too little text to judge
        return _damaged(data, name, declared, exc, scores)
    if labelled is not None and (
        _family(declared) == _family(detection.encoding)
        or _score(data, detection.encoding) < _OVERRULE * _score(data, declared)
    ):
        # the evidence agrees with the label, or does not read the page far better
        return browser_gb(labelled, declared), declared
    return browser_gb(detection.text, detection.encoding), detection.encoding


#: How many times better the evidence must read a page than its label to overrule it
_OVERRULE = 2.0


def _score(data: bytes, codec: str) -> float:
    """How well ``codec`` reads ``data`` as text (textio's evidence: 0 when it cannot)."""
    from analysis.reading.textio import _read_sample, _sample_bytes

    reading = _read_sample(_sample_bytes(data), (codec,), None)
    return reading.score if reading is not None else 0.0


def _family(codec: str) -> str:
    return {"gbk": "gb18030", "big5hkscs": "big5", "cp950": "big5"}.get(codec, codec)


#: Charsets a page's label may wrongly claim, which the evidence decides between
_EVIDENCE_CHARSETS = frozenset({"utf-8", "gb18030", "big5", "big5hkscs", "cp950"})
#: At most this share of a page's non-ASCII characters may be damaged bytes read as U+FFFD
_DAMAGE_SHARE = 0.01


def _damaged(
    data: bytes, name: str, declared: str | None, error: InputError, scores: dict[str, float]
) -> tuple[str, str]:
    """A page that decodes but for a few damaged byte sequences: read with U+FFFD in
    their place, with a warning giving how many and where the first is; else ``error``
    (the evidence's: a page that some codec reads whole was refused for a reason, such
    as Japanese text, and is not read by another one). ``scores``: how well GB18030 and
    Big5 read its undamaged bytes."""
    # UTF-8 first (its multi-byte sequences do not occur by chance); else the label, unless
    # the evidence reads the undamaged rest far better another way, and the evidence's
    # choice (never the other legacy codec: GB18030 reads Big5 bytes as mojibake)
    best = max(scores, key=lambda c: scores[c])
    labelled = declared not in (None, "utf-8") and _plausible(data, declared, scores)
    for codec in dict.fromkeys(["utf-8", *([declared] if labelled else []), best]):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")
        wide = sum(1 for ch in text if ord(ch) > 0x7F)
        if bad and bad <= max(3, _DAMAGE_SHARE * wide):
            break
    else:
        raise error
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        first = exc.start
    warnings.warn(
        f"{name}: {bad} damaged byte sequence(s) in {codec} text (the first at byte "
        f"{first}); read with U+FFFD (\ufffd) in their place",
        DecodingWarning,
        stacklevel=2,
    )
    return browser_gb(text, codec), codec


def _plausible(data: bytes, declared: str, scores: dict[str, float]) -> bool:
    """Whether a page's label reads its undamaged bytes no worse than half as well as the
    best of GB18030 and Big5 (``scores``; both nought: too little text to judge, the label
    stands)."""
    own = scores.get(declared)
    if own is None:
        own = _score(_undamaged(data, declared), declared)
    return own * _OVERRULE >= max(scores.values())


def _undamaged(data: bytes, codec: str) -> bytes:
    """``data`` without the byte sequences ``codec`` cannot read, nor the control
    characters damage makes."""
    text = _CONTROL.sub("", data.decode(codec, errors="ignore"))
    return text.encode(codec, errors="ignore")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _undecodable(name: str, declared: str | None) -> InputError:
    return InputError(
        f"{name}: not text in UTF-8, GB18030, Big5 or its declared charset "
        f"({declared or 'none'}); open it in a browser and save it again as "
        "'Web page, HTML only' in UTF-8"
    )


class _Flattener(HTMLParser):
    """Writes a page out again with the elements below ``depth`` levels made flat, and
    counts the visible characters it saw (outside the tags of ``_SKIP_TAGS``).

    Depth is counted without HTML's implied end tags (an unclosed ``<p>`` counts as a
    level), so it is at least the depth libxml2 builds.
    """

    def __init__(self, depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = depth
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # tag, and whether it was written out
        self.at: dict[str, list[int]] = {}  # where each tag is open in self.open
        self.skipping = 0  # open elements of _SKIP_TAGS
        self.seen = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if _VOID_TAG.fullmatch(tag):
            self.out.append(raw)
            return
        # skipped elements stay elements, so that their text stays skipped
        written = len(self.open) < self.depth or tag in _SKIP_TAGS
        self.out.append(raw if written else "<br>" if _BLOCK_TAG.fullmatch(tag) else "")
        self.at.setdefault(tag, []).append(len(self.open))
        self.open.append((tag, written))
        self.skipping += tag in _SKIP_TAGS

    handle_startendtag = handle_starttag  # <div/> opens a <div> in HTML

    def handle_endtag(self, tag: str) -> None:
        if not self.at.get(tag):
            return  # a stray end tag, which libxml2 ignores too
        # it closes the elements opened inside it and left open
        closed = self.open[self.at[tag][-1] :]
        del self.open[self.at[tag][-1] :]
        for name, _ in closed:
            self.at[name].pop()
            self.skipping -= name in _SKIP_TAGS
        written = closed[0][1]
        self.out.append(f"</{tag}>" if written else "<br>" if _BLOCK_TAG.fullmatch(tag) else "")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.seen += len(data) - sum(map(str.isspace, data))
        self.out.append(escape(data, quote=False))


def _flattened(html: str, *, depth: int) -> tuple[str, int]:
    """``html`` with the elements below ``depth`` levels made flat (comments, processing
    instructions and declarations left out), and the number of visible characters in it.

    >>> _flattened("<div><div><p>深处</p></div><!-- 注 --></div>尾", depth=1)
    ('<div><br><br>深处<br><br></div>尾', 3)
    """
    flattener = _Flattener(depth)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out), flattener.seen


def _parse(html: str, *, name: str) -> lxml.html.HtmlElement:
    """The page's tree, with all of its text (see the module's docstring)."""
    html = _XML_DECL.sub("", html)  # lxml refuses str input that still declares an encoding
    root, stop = _libxml2(html, name=name)
    if stop is None and not _TOO_DEEP(root):
        return root
    flat, seen = _flattened(html, depth=FLAT_DEPTH)
    root, stop = _libxml2(flat, name=name)
    if stop is not None:
        kept = sum(len(b.text) - sum(map(str.isspace, b.text)) for b in _blocks(root))
        share = min(kept / max(seen, 1), 1)
        warnings.warn(
            f"{name}: the HTML parser stopped early (libxml2: {stop}); about {share:.0%} of "
            "the page's text was read; open the page in a browser and save it again, or save "
            "its text as a .txt file",
            TruncatedPageWarning,
            stacklevel=3,
        )
    return root


def _libxml2(html: str, *, name: str) -> tuple[lxml.html.HtmlElement, str | None]:
    """The tree libxml2 builds, and why it stopped before the end (None if it did not)."""
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except etree.ParserError as err:
        raise InputError(f"{name}: no HTML content ({err}); check it is a saved web page") from err
    # libxml2 puts what follows </html> in another top-level element, outside the tree
    # that is read; a browser shows it at the end of the body
    for extra in [e for e in root.itersiblings() if isinstance(e.tag, str)]:
        body = root.find("body")
        if body is None:
            body = etree.SubElement(root, "body")
        if len(body):
            body[-1].tail = (body[-1].tail or "") + (extra.text or "")
        else:
            body.text = (body.text or "") + (extra.text or "")
        body.extend(list(extra))
    fatal = [e.message for e in parser.error_log if e.level == etree.ErrorLevels.FATAL]
    return root, fatal[0] if fatal else None


def _blocks(root: lxml.html.HtmlElement) -> list[_Block]:
    """Visible text lines in page order: one per block element or <br>-separated run."""
    blocks: list[_Block] = []
    parts: list[tuple[str, bool]] = []

    def flush(holder: lxml.html.HtmlElement) -> None:
        text = _SOURCE_BREAK.sub(" ", "".join(t for t, _ in parts)).strip(" \t\f")
        if text.strip():
            blocks.append(_Block(text, holder, all(a for t, a in parts if t.strip())))
        parts.clear()

    # an explicit stack, not recursion: pages nest deeper than Python's recursion limit
    stack = [(root, root, False, False, False)]  # element, holder, in <a>, leaving, block
    while stack:
        el, holder, in_link, leaving, block = stack.pop()
        if leaving:  # its children are done
            if block:
                flush(el)
            parts.append((el.tail or "", in_link))
            continue
        # a comment's, processing instruction's or entity's tag is a function, and its
        # get() returns None: its text is not the page's, its tail is
        tag = el.tag if isinstance(el.tag, str) else ""
        style = re.sub(r"\s", "", el.get("style") or "") if tag else ""
        if not tag or tag in _SKIP_TAGS or el.get("hidden") is not None or "display:none" in style:
            parts.append((el.tail or "", in_link))
            continue
        block, link = bool(_BLOCK_TAG.fullmatch(tag)), in_link or tag == "a"
        if block or tag == "br":
            flush(holder)
        parts.append((el.text or "", link))
        stack.append((el, holder, in_link, True, block))
        stack += [(child, el if block else holder, link, False, False) for child in reversed(el)]
    flush(root)
    return blocks


def _matched(blocks: list[_Block], lines: list[str]) -> set[int]:
    """Indexes of the blocks that trafilatura's lines came from.

    Lines are matched last to first, each above the previous match, so a headline that
    also stands in the page's headline list is taken from the article, not the list. A
    list item is matched without trafilatura's ``- ``.
    """
    keys = [b.key for b in blocks]
    stream = "".join(keys)
    starts = [0, *accumulate(map(len, keys))][:-1]
    edges, found, cursor = {*starts, len(stream)}, set[int](), len(stream)

    def last_hit(key: str) -> int | None:
        hits, end = [], cursor
        while key and (pos := stream.rfind(key, 0, end)) >= 0:
            hits.append(pos)
            end = pos + len(key) - 1
        if not hits:
            return None
        # prefer whole blocks; else trafilatura split or merged lines differently
        return next((p for p in hits if p in edges and p + len(key) in edges), hits[0])

    def mark(key: str) -> bool:
        nonlocal cursor
        if (pos := last_hit(key)) is None:
            return False
        found.update(range(bisect_right(starts, pos) - 1, bisect_left(starts, pos + len(key))))
        cursor = pos
        return True

    for line in reversed(lines):
        item = _LIST_ITEM.match(line)
        line = line[item.end() :] if item else line
        if mark(_KEY_DROP.sub("", line)) or not item:
            continue
        # a list item holding a whole article is one line of trafilatura's, its blocks
        # joined by spaces and its buttons left out: its pieces are found one by one
        for piece in reversed(line.split()):
            if len(key := _KEY_DROP.sub("", piece)) >= _PIECE:
                mark(key)
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

    Raises :class:`analysis.reading.textio.InputError` when the bytes are not a readable page;
    warns with :class:`TruncatedPageWarning` when only part of it could be read.
    """
    html, encoding = _decode(data, name)
    root = _parse(html, name=name)
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
