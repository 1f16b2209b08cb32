"""Briefs and photo items: marked items, columns of briefs and of letters, items that
open with a dateline, short items closed by a photo credit, and photo captions."""

from __future__ import annotations

import re

from analysis.reading.pages.bylines import _INLINE_DATELINE
from analysis.reading.pages.lines import (
    _MARKERS,
    Article,
    Line,
    _is_head_only,
    _next_unit,
    _State,
)

__all__ = [
    "_BRIEF_COLUMN",
    "_CAPTION",
    "_LETTER_COLUMN",
    "_briefs_expected",
    "_dateline_after",
    "_is_photo_item",
    "_marked",
    "_only_captions",
]

_LETTER_COLUMN = re.compile(r"(来信|来函|信箱|读者来信|留言板?)$")
_BRIEF_COLUMN = re.compile(r"(简讯|快讯|速递|速览|短波|动态|信息|简报|集锦|一览|短讯|简讯)$")

_CAPTION = re.compile(r"^(?:图为|图[①-⑳\d]|图[:：]|上图|下图|左图|右图|题图|圖為|圖[:：])")


def _marked(unit: list[Line]) -> bool:
    return unit[0].text[:1] in _MARKERS and unit[0].form == "headline"


def _dateline_after(units: list[list[Line]], end: int) -> bool:
    following = _next_unit(units, end)
    return (
        following is not None
        and following[0].form == "body"
        and bool(_INLINE_DATELINE.match(following[0].text))
    )


def _briefs_expected(st: _State) -> bool:
    """Whether a marked item starts a brief here, rather than being a caption inside an
    article (▲ 城东街道颐康家园里，老人们…): under a column head or after another brief."""
    current = st.current
    return (
        current is None or bool(st.column_run) or _is_head_only(current) or current.kind == "brief"
    )


def _is_photo_item(units: list[list[Line]], end: int) -> bool:
    """True when the lines after a headline are at most three paragraphs and a credit."""
    for paragraphs, unit in enumerate(units[end : end + 5]):
        form = unit[0].form
        if form in ("credit", "byline", "closing_credit") and paragraphs:
            return paragraphs <= 3
        if form != "body":
            return False
    return False


def _only_captions(art: Article) -> bool:
    """True when the article has no text yet but photo captions (图为…), which may come
    before the paragraph that opens with the dateline."""
    return all(_CAPTION.match(p) for p in art.paragraphs)
