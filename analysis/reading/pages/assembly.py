"""The walk over the units of a page (or of one segment of a long text): headline
blocks open articles, every other unit is added to the current one, crawler fields go to
their records; the articles are then finished and the furniture attached."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from analysis.reading.pages.articles import (
    _add_paragraph,
    _add_to_article,
    _apply_field,
    _attach_furniture,
    _finish,
    _open,
)
from analysis.reading.pages.briefs import (
    _BRIEF_COLUMN,
    _LETTER_COLUMN,
    _briefs_expected,
    _dateline_after,
    _marked,
    _only_captions,
)
from analysis.reading.pages.bylines import _INLINE_DATELINE
from analysis.reading.pages.classify import _classify, _join_layout_breaks, _page_is_indented
from analysis.reading.pages.forms import MAX_BLOCK_LINES
from analysis.reading.pages.headlines import (
    _assign_headline_roles,
    _headline_tail,
    _is_headline_unit,
    _is_section_head,
    _opens_article,
    _opens_byline,
)
from analysis.reading.pages.lines import (
    Line,
    PageSplit,
    _is_head_only,
    _label,
    _next_unit,
    _read_lines,
    _State,
    _unit_text,
)

__all__ = ["_split_segment"]


def _split_segment(
    text: str,
    start: int,
    end: int,
    first_number: int,
    boilerplate: Collection[str],
    hints: dict[int, str],
    single: bool,
    briefs: bool,
    *,
    base: int = 0,
) -> PageSplit:
    """Split ``text[start:end]``; ``base`` is where ``text`` starts in the whole file."""
    lines = _read_lines(text, start, end, first_number, base)
    meta, strict = _classify(lines, boilerplate, hints or {})
    for line in lines:
        if line.form == "furniture":
            line.label = "furniture"
            line.rule = line.rule or (line.furniture.rule if line.furniture else "furniture")
    indented_page = _page_is_indented(lines)
    units = _join_layout_breaks(lines, indented_page)
    gaps = Counter(unit[0].gap for unit in units[1:])
    state = _State(indented_page, strict, gaps.most_common(1)[0][0] if gaps else 1, single)
    state.briefs = briefs
    state.record_key = next(
        (
            ln.info["field"] if ln.form == "field" else ln.info["explicit"].removeprefix("field_")
            for ln in lines
            if ln.form == "field" or ln.info.get("explicit", "").startswith("field_")
        ),
        "",
    )
    if state.record_key and not single:
        state.record = {}  # fields before the first headline belong to its record
    state.bylined = any(
        unit[0].form == "headline"
        and _opens_byline(_next_unit(units, k + 1)) not in ("", "date line")
        for k, unit in enumerate(units)
    )
    state.echoes = [ln.text.replace(" ", "") for ln in lines if ln.form == "furniture"]
    i = 0
    while i < len(units):
        i = _step(units, i, state)
    articles = state.articles
    last = articles[-1] if articles else None
    if (
        last is not None
        and len(articles) > 1
        and _is_head_only(last)
        and not last.url
        and not re.search(r"图片|图说|组图|影像", last.title or "")
    ):
        # a headline with nothing under it at the very end of the page (天气 over a
        # weather box, a box of links): not an article
        articles.pop()
        for line in last.lines:
            line.label, line.article = "furniture", None
            line.rule = "a headline with nothing under it at the end of the page"
    for order, art in enumerate(articles, start=1):
        art.order = order
        for line in art.lines:
            line.article = order
        _finish(art, meta)
    _attach_furniture(lines, articles)
    return PageSplit(articles=articles, lines=lines, indented=indented_page, meta=meta)


def _step(units: list[list[Line]], i: int, st: _State) -> int:
    """Handle ``units[i]`` (and a whole headline block from it); return the next index."""
    unit = units[i]
    first = unit[0]
    form = first.form
    if form == "field" and not first.info.get("field_body"):
        _field_unit(unit, st)
        return i + 1
    if first.info.get("section") and st.current is not None and st.record is None:
        heading = [unit]
        nxt = _next_unit(units, i + 1)
        if first.rule == "number of a section" and nxt is not None and nxt[0].form == "headline":
            heading.append(nxt)  # 01 / “一老一小”有了好去处: one numbered section heading
        st.section = " ".join(_unit_text(u) for u in heading)
        st.current.sections.append(st.section)
        for u in heading:
            _label(u, "section", first.rule, st.current)
        return i + len(heading)
    if form == "item" and not st.single and _briefs_expected(st):
        art = _open(st, "marked item of a column of briefs")
        art.kind = "brief"
        _add_paragraph(art, unit, None, st, strip_marker=True)
        return i + 1
    if _is_headline_unit(unit, st.indented, units, i):
        end = i + 1
        while (
            end < len(units)
            and _is_headline_unit(units[end], st.indented, units, end)
            and not _marked(units[end])
        ):
            end += 1
        if end - i > MAX_BLOCK_LINES:
            # a list: captions of a photo group, a table of contents, a poem; but the
            # last lines, set apart by a blank line, may head the article whose byline
            # comes next
            tail = _headline_tail(units, i, end)
            for unit_ in units[i:tail]:
                _body_unit(unit_, st, "one of a run of short lines (captions or a list)")
            return tail
        if st.briefs and end - i >= 2 and _dateline_after(units, end):
            hinted = [u[0].info.get("role", "") for u in units[i:end]]
            if "title" in hinted[:-1] and hinted[-1]:
                # # 文化新闻 / ## 多家图书馆…: the first heading heads the column of briefs
                end -= 1
        rule = _opens_article(units, i, end, st)
        if rule:
            art = _open(st, rule)
            _assign_headline_roles(art, units[i:end], rule, st.title_first, st.echoes)
            st.title_first = False
            if art.column and _BRIEF_COLUMN.search(art.column) and art.kind != "brief":
                # a column of briefs (简讯, 信息 …) runs over the items after its first
                st.column_run, art.kind = art.column, "brief"
            elif art.column and _LETTER_COLUMN.search(art.column):
                st.column_run = art.column  # …and a column of letters over the letters
            return end
        assert st.current is not None
        st.section = _unit_text(unit)
        st.current.sections.append(st.section)
        _label(unit, "section", "short unpunctuated line inside an article body", st.current)
        return i + 1
    if (
        st.indented
        and st.current is not None
        and form == "headline"
        and _is_section_head(first.text)
    ):
        st.section = _unit_text(unit)
        st.current.sections.append(st.section)
        _label(unit, "section", "short indented line without closing punctuation", st.current)
        return i + 1
    _body_unit(unit, st, "")
    return i + 1


def _body_unit(unit: list[Line], st: _State, rule: str) -> None:
    first = unit[0]
    if st.record is not None and first.form in ("body", "headline"):
        art = _open(st, "crawler record without a headline")
        art.kind = "news"
    elif st.current is None:
        _open(st, "text before the first headline").kind = "fragment"
    elif (
        not st.strict
        and not st.single
        and not _only_captions(st.current)
        and first.form == "body"
        and _INLINE_DATELINE.match(first.text)
    ):
        # an article has one opening dateline: a second one starts an untitled brief
        _open(st, "untitled brief opening with 本报讯 / …电").kind = "brief"
    assert st.current is not None
    if first.form in ("headline", "name") and rule:
        first.form = "body"
    st.terminal = _add_to_article(st.current, unit, st) or st.terminal
    if rule:
        for line in unit:
            line.rule = rule


def _field_unit(unit: list[Line], st: _State) -> None:
    line = unit[0]
    name, value = line.info["field"], line.info["value"]
    if (
        name == st.record_key
        and st.current is not None
        and st.current.paragraphs
        and name in st.current.fields_seen
        and st.record is None
        and not st.single
    ):
        # the field that opens every record of this export opens the next one
        st.record = {}
        st.terminal = True
    pending = st.record if st.record is not None and name != "url" else None
    if name == "url" and st.current is not None and not st.current.paragraphs and not st.single:
        # the address of the record whose headline came first (title: … url: … content:)
        st.current.url = st.current.url or value
        st.current.fields_seen.add("url")
        _label(unit, "furniture", "crawler field with the article's address", None)
    elif name == "url" and st.single:
        if st.current is not None:
            st.current.url = st.current.url or value
        _label(unit, "furniture", "crawler field with the article's address (连接：…)", None)
    elif name == "url":
        st.record = {**(st.record or {}), "url": value}
        st.terminal = True
        _label(unit, "furniture", "crawler record separator (连接：…)", None)
    elif name == "title":
        st.title_first = True
        _label(unit, "furniture", "crawler label of an empty headline field (标题：)", None)
    elif name == "body":
        _label(unit, "furniture", "crawler label before the text (内容：)", None)
    elif name == "keywords" and st.current is not None:
        # a crawler writes a record's keywords after its text: the record ends here
        _apply_field(st.current, line)
        if st.current.paragraphs and not st.single:
            st.record, st.terminal = {}, True
    elif name == "page_title":
        # a web page's title: the next article's head follows
        if st.current is not None and not st.single:
            st.record, st.terminal = {}, True
        _label(unit, "furniture", line.rule, None)
    elif name == "break" and (st.current is None or st.current.kind == "fragment"):
        # no article above it, only the file's opening lines (a source note): the break
        # ends the file's header, it does not open a sidebar
        _label(unit, "furniture", "thematic break below the file's opening lines", None)
    elif name == "break":
        st.record, st.terminal = {}, True
        _label(unit, "furniture", line.rule, None)
    elif pending is not None:
        # a field before the record's headline: kept until the record's article opens
        pending.setdefault("lines", []).append(line)
    elif name in ("author", "time"):
        art = st.current if st.current is not None else _open(st, "crawler byline field")
        _apply_field(art, line)
    else:
        if st.current is not None:
            _apply_field(st.current, line)
        _label(unit, "metadata", f"crawler field ({name})", st.current)
