"""Filling an article: opening it (a column head over briefs, a crawler record's
fields), adding bylines, notes and paragraphs with their spans, and deciding its kind
once it is complete."""

from __future__ import annotations

import re

from analysis.reading.furniture import PageMeta, iso_date
from analysis.reading.names import looks_like_name
from analysis.reading.pages.briefs import _CAPTION, _LETTER_COLUMN, _only_captions
from analysis.reading.pages.bylines import (
    _CREDIT_SUFFIX,
    _INLINE_DATELINE,
    _PLACED_CREDIT,
    _TRAILING_PICTURE_CREDIT,
    _parse_inline_credits,
    _picture_credit_people,
    _trailing_credit,
)
from analysis.reading.pages.forms import _CONTINUATION, _TRAILING_STAFF
from analysis.reading.pages.lines import (
    _MARKERS,
    Article,
    Line,
    _is_head_only,
    _label,
    _State,
    _unit_text,
    join_pieces,
)

__all__ = [
    "_add_paragraph",
    "_add_to_article",
    "_apply_field",
    "_attach_furniture",
    "_finish",
    "_open",
]

_RUN_ENDERS = ("followed by a", "crawler", "first headline of a crawler record")


def _open(st: _State, rule: str) -> Article:
    """Start a new article. The previous one becomes the column head of a run of briefs
    when it had nothing but a short headline and the new one is a brief (it opens with a
    dateline or a marker): 八方速递 / 简讯 / ■信息 over the items below them."""
    previous = st.current
    brief = rule.startswith(("followed by an inline byline", "marked item", "marked headline"))
    art = Article(order=len(st.articles) + 1)
    if (
        brief
        and previous is not None
        and _is_head_only(previous)
        and st.record is None
        and previous.title
        and not previous.kicker
        and len(previous.title) <= 10
        and not re.search(r"图片|图说|摄影", previous.title)
    ):
        st.articles.remove(previous)
        art.order = previous.order
        st.column_run = previous.title.lstrip(_MARKERS + " ")
        for line in previous.lines:
            if line.label in ("title", "column", "kicker", "subtitle"):
                line.label, line.rule = "column", "column head over the briefs that follow"
        art.lines.extend(previous.lines)
        art.metadata.extend(previous.metadata)
    elif rule.startswith(_RUN_ENDERS) and not brief:
        st.column_run = None
    if st.record is not None:
        art.url = st.record.get("url", "")
        if art.url:
            art.fields_seen.add("url")
        for line in st.record.get("lines", []):
            _apply_field(art, line)
        st.record = None
        st.column_run = None
    if rule.startswith("marked headline"):
        art.kind = "brief"
    if st.column_run and (brief or not rule.startswith(_RUN_ENDERS)):
        art.column = st.column_run
        art.kind = "news" if _LETTER_COLUMN.search(st.column_run) else "brief"
    st.articles.append(art)
    st.current, st.section, st.terminal = art, None, False
    return art


def _apply_field(art: Article, line: Line) -> None:
    """What a crawler field says about its article."""
    name = line.info["field"]
    art.fields_seen.add(name)
    art.contributors.extend(line.info.get("contributors", []))
    art.metadata.append(line.text)
    if name in ("author", "time"):
        art.date = art.date or line.info.get("date", "") or iso_date(line.info["value"])
        _label([line], "byline", "crawler byline field (作者：…  时间：…)", art)
    else:
        if name == "column" and line.info["value"]:
            art.column = art.column or line.info["value"]
        _label([line], "metadata", f"crawler field ({name})", art)


def _add_to_article(art: Article, unit: list[Line], st: _State) -> bool:
    """Attach one unit to ``art``; return True when it is an end-of-article mark."""
    line = unit[0]
    form = line.form
    info = line.info
    if form in ("byline", "credit", "name", "closing_credit"):
        contributors = info.get("contributors") or []
        art.contributors.extend(contributors)
        trailing = bool(art.paragraphs)
        art.metadata.append(_unit_text(unit))
        if form == "credit":
            rule = "photo credit (… 摄)"
            tag = re.search(r"[(（]([^()（）]{2,8})[)）]$", line.text)
            if tag and not art.column and _CREDIT_SUFFIX.search(line.text[: tag.start()].strip()):
                art.column = tag.group(1)  # 刘进银摄（影像中国）: the photo's column
        elif form == "closing_credit":
            rule = line.rule or "closing credit in brackets ((姓名))"
        elif form == "name":
            rule = "a person's name on a line of its own (byline)"
        elif trailing:
            rule = "byline after the body"
        else:
            rule = "byline under the headline"
        _label(unit, "credit" if form == "credit" else "byline", rule, art)
        return form in ("credit", "closing_credit") or trailing
    if form == "source":
        art.contributors.extend(info["contributors"])
        art.metadata.append(line.text)
        if info["meta"].date:
            art.date = art.date or info["meta"].date
        _label(unit, "source", line.rule, art)
        return False
    if form == "dateline":
        art.dateline = art.dateline or line.text.strip("()（） ")
        _label(unit, "dateline", "closing dateline ((本报…电))", art)
        return True
    if form == "date_line":
        art.date_line = line.text
        _label(unit, "date_line", "diary date line (月日 星期)", art)
        return False
    if form == "date":
        art.metadata.append(line.text)
        _label(unit, "date", line.rule, art)
        return False
    if form == "author_unit":
        art.author_unit = line.text.strip("()（） ")
        _label(unit, "author_unit", "author-unit note (作者单位…)", art)
        return True
    if form == "continuation":
        art.continuation.append(line.text.strip("()（） "))
        _label(unit, "continuation", "continuation note (下转/上接 … 版)", art)
        return True
    if form in ("staff", "editor_note", "note"):
        art.metadata.append(line.text)
        _label(unit, form if form != "note" else "metadata", line.rule, art)
        return form == "note"
    return _add_paragraph(art, unit, st.section, st)


def _add_paragraph(
    art: Article, unit: list[Line], section: str | None, st: _State, *, strip_marker=False
) -> bool:
    """Add a body paragraph; return True when it ends with an end-of-article mark (a
    continuation note or a closing credit)."""
    pieces = [ln.text for ln in unit]
    firsts = [0] * len(unit)  # index in each line's text where its piece starts
    rule = "body paragraph"
    if strip_marker:
        cut = len(pieces[0]) - len(pieces[0].lstrip(_MARKERS + " "))
        pieces[0], firsts[0] = pieces[0][cut:], cut
        rule = "marked item of a column of briefs"
    if not art.dateline and _only_captions(art) and (m := _INLINE_DATELINE.match(pieces[0])):
        art.dateline = m.group("dateline")
        placed = _PLACED_CREDIT.fullmatch(m.group("dateline")) is not None  # 〔記者林明／台北報導〕
        credits = m.group("credits") or m.group("plain") or (placed and m.group("dateline"))
        found = _parse_inline_credits(credits) if credits else []
        cut = m.end()
        plain = m.group("plain") or ""
        # names in the open, with no bracket and no 报道: only real-looking names count
        in_the_open = plain and not re.search(r"报道|報道|報導", plain)
        if in_the_open and not (found and all(looks_like_name(c.name, strict=True) for c in found)):
            found, cut = [], m.end("dateline")
        art.contributors.extend(found)
        cut = len(pieces[0]) - len(pieces[0][cut:].lstrip())
        pieces[0] = pieces[0][cut:]
        firsts[0] += cut
        rule = "body paragraph; inline byline taken as metadata"
    ended = False
    if cont := _CONTINUATION.search(pieces[-1]):
        art.continuation.append(cont.group().strip("()（） "))
        pieces[-1] = pieces[-1][: cont.start()].rstrip()
        rule += "; trailing continuation note taken as metadata"
        ended = True
    for pattern, what in (
        (_TRAILING_STAFF, "staff"),
        (_TRAILING_PICTURE_CREDIT, "picture credit"),
    ):
        if m := pattern.search(pieces[-1]):
            text = m.group(m.lastgroup or 0)
            if what == "picture credit":
                art.contributors.extend(_picture_credit_people(text))
            art.metadata.append(text)
            pieces[-1] = pieces[-1][: m.start()].rstrip()
            rule += f"; trailing {what} taken as metadata"
    if credit := _trailing_credit(pieces[-1]):
        contributors, cut = credit
        art.contributors.extend(contributors)
        art.metadata.append(pieces[-1][cut:].strip())
        pieces[-1] = pieces[-1][:cut].rstrip()
        rule += "; closing credit taken as metadata"
        # a credit under a photo caption (图①：…。 通讯员 甲 摄) does not end the article
        ended = not _CAPTION.match(pieces[0])
    spans = []
    for k, (line, piece) in enumerate(zip(unit, pieces, strict=True)):
        if piece:
            spans.append(_span(line, firsts[k], firsts[k] + len(piece)))
    paragraph = join_pieces(pieces)
    if paragraph:
        art.paragraphs.append(paragraph)
        art.paragraph_sections.append(section)
        art.paragraph_spans.append(spans)
    _label(unit, "body", rule, art)
    return ended


def _span(line: Line, a: int, b: int) -> tuple[int, int]:
    """File span of characters ``a:b`` of a line's normalised text."""
    offsets = line.offsets
    if b <= a:
        return (offsets[a] if a < len(offsets) else line.end,) * 2
    return offsets[a], offsets[b - 1] + 1


# --- a finished article -----------------------------------------------------------

_OPINION_COLUMN = re.compile(
    r"评论|时评|快评|短评|述评|社论|随笔|杂谈|漫谈|锐见|纵横|听音|观澜|言论|论坛|评论员|头条|评"
)


def _finish(art: Article, meta: PageMeta) -> None:
    if art.lines:
        art.start = min(ln.start for ln in art.lines)
        art.end = max(ln.end for ln in art.lines)
    art.date = art.date or meta.date
    writers = [c for c in art.contributors if not c.photo]
    photographers = [c for c in art.contributors if c.photo]
    trailing_credit = any(
        ln.label in ("credit", "byline")
        and ln.form in ("credit", "byline")
        and ln.rule != "byline under the headline"
        for ln in art.lines
    )
    if art.kind in ("fragment", "brief"):
        return
    headline = " ".join(t for t in (art.title, art.kicker) if t)
    if art.date_line or "日记" in (art.column or "") + (art.title or ""):
        art.kind = "diary"
    elif any(c.role == "读者" for c in art.contributors):
        art.kind = "letter"
    elif (
        re.search(r"图片报道|图片新闻|组图|影像", headline + (art.column or ""))
        or (photographers and not writers)
        or any("摄影报道" in m for m in art.metadata)
        or ((photographers or (trailing_credit and not art.dateline)) and len(art.paragraphs) <= 2)
    ):
        art.kind = "photo"
    elif art.column and "征文" in art.column:
        art.kind = "other"
    elif (
        art.author_unit
        or (art.column and _OPINION_COLUMN.search(art.column))
        or any("评论员" in m for m in art.metadata)
    ):
        art.kind = "opinion"


def _attach_furniture(lines: list[Line], articles: list[Article]) -> None:
    """Give each furniture line to the article it sits in or after (the page header to
    the first article), so that every line of the page is accounted for."""
    if not articles:
        return
    by_order = {a.order: a for a in articles}
    current = articles[0]
    for line in lines:
        if line.article is not None and line.article in by_order:
            current = by_order[line.article]
        elif line.label == "furniture":
            current.furniture.append(line)
