"""Headline blocks: which units are headline lines, whether a block opens an article or
heads a section of the current one, and the roles of its lines (column label, kicker,
title, subtitle)."""

from __future__ import annotations

import re
from collections.abc import Collection

from analysis.reading.pages.briefs import _is_photo_item, _marked
from analysis.reading.pages.bylines import _INLINE_DATELINE
from analysis.reading.pages.classify import _DATE_HEAD
from analysis.reading.pages.forms import _TITLE_COLUMN, MAX_KICKER_CHARS, _headline_like
from analysis.reading.pages.lines import (
    _MARKERS,
    _PROSE,
    Article,
    Line,
    _ends_sentence,
    _label,
    _next_unit,
    _State,
    _unit_text,
)

__all__ = [
    "_assign_headline_roles",
    "_headline_tail",
    "_is_headline_unit",
    "_is_section_head",
    "_opens_article",
    "_opens_byline",
]

_COLUMN_WORDS = re.compile(
    r"(图片新闻|新闻速递|简讯|快讯|速递|短波|动态|信息|日记|手记|札记|观察|时评|快评|论坛|视点|特写|"
    r"速写|聚焦|专栏|调查|访谈|链接|来信|追访|回音|热线|信箱|速览|提示|导读|连线|直击)$"
)
# a column tag before the title: 【滨海快评】别让…
_PREFIX_TAG = re.compile(r"^【(?P<column>[^】]{2,10})】\s*(?P<title>\S.*)$")

_SERIES = re.compile(r"^[^\s，,。！？：:——]{2,16}·[^\s，,。！？：:——]{2,24}$")
_BANNER = re.compile(r"^[\u4e00-\u9fff“”‘’]{2,10}( +[\u4e00-\u9fff“”‘’]{2,10})+$")


# --- which units head an article --------------------------------------------------


def _is_headline_unit(unit: list[Line], indented_page: bool, units, index: int) -> bool:
    line = unit[0]
    if len(unit) > 1 or line.info.get("field_body"):
        return False
    if line.info.get("explicit", "").startswith("field_") or line.info.get("role"):
        return True
    if not indented_page:
        return line.form == "headline"
    if line.indented:
        # an indented title is still a title when an inline dateline follows it
        following = _next_unit(units, index + 1)
        return (
            line.form == "headline"
            and following is not None
            and following[0].form == "body"
            and bool(_INLINE_DATELINE.match(following[0].text))
            and bool(_TITLE_COLUMN.search(line.text) or len(line.text) <= 24)
        )
    following = _next_unit(units, index + 1)
    if following is not None and following[0].form == "credit":
        return False  # an unindented caption above its photo credit
    return line.form == "headline" or (
        line.form == "body" and len(line.text) <= MAX_KICKER_CHARS and not _PROSE.search(line.text)
    )


def _is_section_head(text: str) -> bool:
    return (
        _headline_like(text)
        and not _DATE_HEAD.match(text)
        and len(text) <= 30
        and not _ends_sentence(text)
        and not re.fullmatch(r"[(（].*[)）]", text)
    )


def _opens_byline(unit: list[Line] | None) -> str:
    """The kind of article header a unit is, if it is one (byline, source line …)."""
    if unit is None:
        return ""
    line = unit[0]
    if line.form in ("byline", "source", "date_line") or (
        line.form == "credit" and line.info.get("contributors")
    ):
        return line.form.replace("_", " ")
    if line.form == "name":
        return "name"
    if line.form == "field" and line.info.get("field") in ("author", "time"):
        return "crawler byline field"
    return ""


def _opens_article(units: list[list[Line]], start: int, end: int, st: _State) -> str:
    """Return the rule that makes the headline block ``units[start:end]`` open an
    article, or ``""`` when it is a section heading of the current article."""
    block = units[start:end]
    head = block[0][0]
    current = st.current
    following = _next_unit(units, end)
    header = _opens_byline(following)
    if not header and following is not None and following[0].form == "body":
        # a pull quote or a caption may sit between a headline and its byline
        header = _opens_byline(_next_unit(units, end + 1))
        header = header if header not in ("name", "date line") else ""
    dateline_follows = (
        following is not None
        and following[0].form == "body"
        and bool(_INLINE_DATELINE.match(following[0].text))
    )
    if current is None:
        return "first headline on the page"
    if _marked(block[0]):
        return "marked headline of a brief (■ ▲ …)"
    if (
        following is not None
        and following[0].text[:1] in _MARKERS
        and (following[0].form in ("item", "headline"))
    ):
        return "followed by a marked brief (column head)"
    if any(u[0].info.get("explicit") in ("field_title", "field_kicker") for u in block) and (
        st.record is None
    ):
        return "crawler record opening with its 标题 field"
    if st.record is not None:
        return "first headline of a crawler record (连接：…)"
    if st.single:
        brief = dateline_follows and st.briefs
        return "followed by an inline byline (本报讯 / …电)" if brief else ""
    if header and header != "name":
        return f"followed by a {header}"
    if head.info.get("repeated_below"):
        return "its text opens the paragraph below (a record that repeats its headline)"
    if dateline_follows:
        return "followed by an inline byline (本报讯 / …电)"
    if st.strict:
        # on this page every article carries a byline or source line under its headline
        return ""
    if st.indented and not st.bylined:
        return "unindented headline on an indented page"
    if len(block) >= 2:
        return "several headline lines in a row (kicker, title, subtitle)"
    if head.text.endswith("——"):
        return "kicker ending in ——"
    if header == "name":
        return "followed by a name on a line of its own (byline)"
    if st.terminal:
        return "after an end-of-article mark (credit, author note, continuation)"
    if head.gap > st.normal_gap and (current.paragraphs or current.title):
        return "wider gap than between paragraphs"
    if _is_photo_item(units, end):
        return "short item closed by a credit (photo layout)"
    return ""


def _headline_tail(units: list[list[Line]], start: int, end: int) -> int:
    """Where a long run of short lines ends when a byline follows it: its last one to
    three lines after a blank line are the next article's headline."""
    if not _opens_byline(_next_unit(units, end)):
        return end
    for k in range(end - 1, max(start, end - 3) - 1, -1):
        if units[k][0].gap >= 1 and all(u[0].gap == 0 for u in units[k + 1 : end]):
            return k if k > start else end
    return end


# --- roles in a headline block ----------------------------------------------------


def _assign_headline_roles(
    art: Article,
    block: list[list[Line]],
    rule: str,
    title_first: bool,
    echoes: Collection[str] = (),
) -> None:
    """Give each line of a headline block its role (column label, kicker, title,
    subtitle) and the article those fields; ``echoes`` are the page's furniture lines."""
    texts = [_unit_text(u).lstrip(_MARKERS + " ") or _unit_text(u) for u in block]
    if len(texts) >= 2 and (m := re.fullmatch(r"【([^】]{2,10})】", texts[0])):
        # 【湾区观察】 on a line of its own above the headline: the column
        art.column = m.group(1)
        _label(block[0], "column", "column tag in brackets above the headline", art)
        block, texts = block[1:], texts[1:]
    hinted = [u[0].info.get("role", "") for u in block]
    fields = [u[0].info.get("explicit", "") for u in block]
    if any(f in ("field_kicker", "field_subtitle") for f in fields):
        hinted = [f.removeprefix("field_") if f.startswith("field_") else "" for f in fields]
    if any(hinted):
        _assign_hinted_roles(art, block, texts, hinted, rule)
        return
    roles, title_at = _block_roles(texts, title_first, echoes)
    _set_headline_fields(art, texts, roles, title_at)
    why = {
        "column": "column label above or beside the headline",
        "kicker": "kicker (引题) above the title",
        "title": f"title; opens an article: {rule}",
        "subtitle": "subtitle below the title",
    }
    if title_at is None:
        why["kicker"] = f"kicker without a title; opens an article: {rule}"
    for unit, role in zip(block, roles, strict=True):
        _label(unit, role, why[role], art)


def _block_roles(
    texts: list[str], title_first: bool, echoes: Collection[str]
) -> tuple[list[str], int | None]:
    """The roles of the lines of a headline block that markup says nothing about, and
    where its title is (``None``: a kicker whose title is missing from the source)."""
    n = len(texts)
    roles: list[str] = [""] * n
    title_at: int | None
    start = 0
    if n >= 3 and (_SERIES.match(texts[0]) or _COLUMN_WORDS.search(texts[0])):
        roles[0], start = "column", 1
    echoed = [k for k in range(start, n) if _echoed(texts[k], echoes)]
    if len(echoed) == 1 and n - start >= 2 and not texts[echoed[0]].endswith("——"):
        # the page repeats this line elsewhere (browser title, list of headlines,
        # metadata footer): it is the title
        title_first = title_first or echoed[0] == start
        if echoed[0] > start:
            for k in range(start, echoed[0] - 1):
                roles[k] = "column"
            start = echoed[0] - 1
    kicker_at = max((k for k in range(start, n - 1) if texts[k].endswith("——")), default=None)
    if texts[-1].endswith("——"):
        # a kicker with no title after it: the title is missing from the source
        for k in range(start, n - 1):
            roles[k] = "column"
        roles[-1], title_at = "kicker", None
    elif kicker_at is not None:
        for k in range(start, kicker_at):
            roles[k] = "column"
        roles[kicker_at], title_at = "kicker", kicker_at + 1
    elif (
        n == 2
        and start == 0
        and not title_first
        and _COLUMN_WORDS.search(texts[0])
        and not texts[1].startswith(("——", "(", "（"))
    ):
        roles[0], title_at = "column", 1
    elif (
        n - start == 1
        or title_first
        or texts[start + 1].startswith("——")
        or re.fullmatch(r"[(（].*[)）]", texts[start + 1])
        or (n - start == 2 and _reads_title_then_subtitle(texts[start], texts[start + 1]))
    ):
        title_at = start
    else:
        roles[start], title_at = "kicker", start + 1
    if title_at is not None:
        roles[title_at] = "title"
        for k in range(title_at + 1, n):
            if texts[k].startswith("——") or not _BANNER.match(texts[k]) or "subtitle" in roles:
                roles[k] = "subtitle" if "subtitle" not in roles else "column"
            else:
                roles[k] = "column"
    return roles, title_at


def _set_headline_fields(
    art: Article, texts: list[str], roles: list[str], title_at: int | None
) -> None:
    """The article's column label, kicker, title and subtitle from its block's roles; a
    column tag beside the title (…（人民时评）, 【滨海快评】…) names the column too."""
    columns = [t for t, r in zip(texts, roles, strict=True) if r == "column"]
    art.column = " / ".join(columns) or art.column
    kickers = [t for t, r in zip(texts, roles, strict=True) if r == "kicker"]
    art.kicker = kickers[0] if kickers else None
    art.title = texts[title_at] if title_at is not None else None
    subtitles = [t for t, r in zip(texts, roles, strict=True) if r == "subtitle"]
    art.subtitle = subtitles[0] if subtitles else None
    if art.column is None and art.title and (m := _TITLE_COLUMN.search(art.title)):
        art.column = m.group("column")
    if art.title and (m := _PREFIX_TAG.match(art.title)):
        art.column, art.title = art.column or m.group("column"), m.group("title")


def _assign_hinted_roles(
    art: Article, block: list[list[Line]], texts: list[str], hinted: list[str], rule: str
) -> None:
    """Roles stated by markup; a line without one is a column label above the title or
    a subtitle below it."""
    if "title" not in hinted and not any(
        h == "kicker" and not t.endswith("——") for h, t in zip(hinted[:-1], texts[:-1], strict=True)
    ):
        # a lone heading of whatever level is the title (### 梧冈开通首条低空物流航线)
        last = max(k for k, h in enumerate(hinted) if h)
        hinted = [*hinted[:last], "title", *hinted[last + 1 :]]
    title_at = hinted.index("title") if "title" in hinted else len(hinted)
    roles = [h or ("column" if k < title_at else "subtitle") for k, h in enumerate(hinted)]
    # a heading above the title that is not its kicker heads a column (## 城乡速览)
    roles = [("column" if k < title_at and r == "subtitle" else r) for k, r in enumerate(roles)]
    if title_at < len(roles) and texts[title_at].endswith("——") and "kicker" not in roles:
        roles[title_at] = "kicker"  # a kicker whose title is missing from the source
    pick = {r: next((t for t, q in zip(texts, roles, strict=True) if q == r), None) for r in roles}
    art.title, art.kicker, art.subtitle = (
        pick.get("title"),
        pick.get("kicker"),
        pick.get("subtitle"),
    )
    art.column = " / ".join(t for t, r in zip(texts, roles, strict=True) if r == "column") or (
        art.column
    )
    if art.column is None and art.title and (m := _TITLE_COLUMN.search(art.title)):
        art.column = m.group("column")
    for unit, role in zip(block, roles, strict=True):
        why = f"{role} (marked up); opens an article: {rule}" if role == "title" else role
        _label(unit, role, why, art)


def _echoed(text: str, echoes: Collection[str]) -> bool:
    key = text.replace(" ", "")
    return len(key) >= 4 and any(key in echo for echo in echoes)


def _reads_title_then_subtitle(first: str, second: str) -> bool:
    """In a two-line headline without ——, whether the first line is the title and the
    second its subtitle, rather than kicker and title (the more common layout). Text
    alone rarely tells; these cues do: a column tag marks the title (…（人民时评）), a
    comma marks the explanatory subtitle, and a second line much longer than the first
    is a subtitle."""
    if _TITLE_COLUMN.search(second):
        return False
    if _TITLE_COLUMN.search(first):
        return True
    if "，" in second and "，" not in first:
        return True
    return len(second) >= 1.6 * len(first) and len(second) >= 18
