"""The lines of a page as the line-role model reads them: a text or markdown file's own
lines, or the visible text of a web page with one block element a line and features of
the markup around each (:func:`html_blocks`); and a markdown line as a reader shows it
(:func:`plain_markdown`)."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.reading.frontmatter import MD_ESCAPE

__all__ = ["html_blocks", "html_lines", "page_lines", "plain_markdown"]

_SPACE = re.compile(r"\s+")


def _words(text: str) -> list[str]:
    return text.split()


_BLOCK_TAGS = frozenset(
    _words(
        "address article aside blockquote br dd div dl dt figcaption figure footer form "
        "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul title"
    )
)


# --- the lines of a page ---------------------------------------------------------------


def html_blocks(data: bytes, *, name: str = "<html>") -> list[tuple[str, dict[str, float]]]:
    """The visible text of an HTML page, one block element (p, div, h1 …, li, td, br) a
    line, scripts and styles left out, decoded as the package decodes a page; each line
    with features of where it stands in the markup (its block's tag, the elements and
    the generic class or id words around it, whether it is all link text)."""

    from analysis.reading.webpages import _decode, _parse

    html, _ = _decode(data, name)
    if not html.strip():
        return []
    root = _parse(html, name=name)  # all of a deeply nested page, as the reader parses it
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    title = _SPACE.sub(" ", " ".join(root.xpath("//title//text()"))).strip()
    pieces: list[tuple[str, dict | None]] = []
    stack = [(root, False, {})]
    while stack:  # depth first, without recursion (pages nest thousands deep)
        element, closing, context = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if closing:
            if tag in _BLOCK_TAGS:
                pieces.append(("\n", None))
            if element.tail:
                pieces.append((element.tail, context.get("_parent")))
            continue
        inner = _context(element, tag, context)
        if tag in _BLOCK_TAGS:
            pieces.append(("\n", None))
        if tag and element.text:
            pieces.append((element.text, inner))
        stack.append((element, True, {**inner, "_parent": context}))
        stack.extend((child, False, inner) for child in reversed(element))
    return _lines_of(pieces, title)


# elements whose presence around a line says something about it
_AROUND = frozenset(
    _words(
        "a article aside b blockquote dd dt em figcaption figure footer form h1 h2 h3 h4 "
        "h5 h6 header li main nav ol p strong table td th time ul"
    )
)
# words of class and id attributes that say what a block holds; generic, no site's names
_ATTR_WORDS = _words(
    "title headline article content body text main author byline source time date pub "
    "info meta nav menu footer header comment share related recommend hot ad banner "
    "caption pic img photo editor copyright crumb tag summary lead desc list item "
    "side"
)


def _context(element, tag: str, outer: dict) -> dict:
    """The features of text directly inside ``element``, given those of its parent."""
    inner = {k: v for k, v in outer.items() if k != "_parent"}
    if tag in _BLOCK_TAGS:
        inner["block"] = tag
    if tag in _AROUND:
        inner[f"in={tag}"] = 1.0
    attrs = " ".join(
        str(element.get(a) or "") for a in ("class", "id", "itemprop")
    ).lower() if tag else ""  # fmt: skip
    for word in _ATTR_WORDS:
        if word in attrs:
            inner[f"attr={word}"] = 1.0
    return inner


def _lines_of(pieces: list[tuple[str, dict | None]], title: str) -> list[tuple[str, dict]]:
    """Lines of text pieces, each with the features of its first piece that has text,
    how much of it is link text, and how it compares with the page's <title>."""
    out: list[tuple[str, dict]] = []
    text: list[str] = []
    first: dict | None = None
    linked = 0

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(text).replace("\ufeff", "")).strip()
        if line:
            info = {k: v for k, v in (first or {}).items() if k not in ("block", "_parent")}
            info[f"tag={(first or {}).get('block', 'none')}"] = 1.0
            if linked >= len(line.replace(" ", "")) > 0:
                info["all_link"] = 1.0
            info[_title_match(line, title)] = 1.0
            out.append((line, info))

    for piece, info in pieces:
        if piece == "\n" and info is None:
            flush()
            text, first, linked = [], None, 0
            continue
        for k, part in enumerate(piece.split("\n")):
            if k:
                flush()
                text, first, linked = [], None, 0
            if part.strip() and first is None:
                first = info or {}
            if info and "in=a" in info:
                linked += len(part.replace(" ", "").strip())
            text.append(part)
    flush()
    return out


def _title_match(line: str, title: str) -> str:
    """How a line compares with the page's <title>: the same, inside it, or not."""
    a, b = _SPACE.sub("", line), _SPACE.sub("", title)
    if not a or not b:
        return "title_match=none"
    if a == b:
        return "title_match=equal"
    if len(a) >= 4 and a in b:
        return "title_match=inside"
    if len(b) >= 4 and b in a:
        return "title_match=contains"
    return "title_match=none"


def html_lines(data: bytes, *, name: str = "<html>") -> list[str]:
    """The lines of :func:`html_blocks`, without their features."""
    return [line for line, _ in html_blocks(data, name=name)]


def page_lines(path: str | Path) -> list[str]:
    """The lines of a page file as the model reads them: a text or markdown file's own
    lines (UTF-8), an HTML file's :func:`html_lines`."""
    path = Path(path)
    if path.suffix.lower() in (".html", ".htm"):
        return html_lines(path.read_bytes(), name=str(path))
    return path.read_text(encoding="utf-8").removeprefix("\ufeff").split("\n")


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)+")
_MD_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_FRONT_KEY = re.compile(r"^\s*(?:title|description|date|author|subtitle)\s*:\s*")
_HEAD_ROLES = ("title", "kicker", "subtitle", "column", "byline", "dateline", "note")


def plain_markdown(line: str, role: str = "body") -> str:
    """A markdown line as a reader shows it: no heading or quote marks, bold marks, tags,
    images (their alt text kept), link targets or backslash escapes (``\\|`` is ``|``); a
    front-matter line of a headline or credit role as its value."""
    if role in _HEAD_ROLES:
        line = _FRONT_KEY.sub("", line)
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", _MD_TAG.sub("", line))
    line = _MD_LEAD.sub("", line).replace("**", "").replace("__", "")
    return MD_ESCAPE.sub(r"\1", line.strip().strip("\"'").strip())
