"""Lines read in their context: forms that the neighbouring lines decide, furniture
found by position and repetition, roles stated by markup, and lines broken by the
page's column layout re-joined into units."""

from __future__ import annotations

import re
from collections.abc import Collection

from analysis.reading.furniture import Furniture, PageMeta, header_metadata, zone_furniture
from analysis.reading.pages.bylines import (
    _TRAILING_PICTURE_CREDIT,
    _closing_credit,
    _trailing_credit,
    parse_byline,
)
from analysis.reading.pages.forms import (
    _TRAILING_STAFF,
    MAX_HEADLINE_CHARS,
    MAX_KICKER_CHARS,
    _headline_like,
    _line_form,
)
from analysis.reading.pages.lines import _PROSE, Line, _ends_sentence, _unit_text
from analysis.reading.textio import is_cjk

__all__ = ["_DATE_HEAD", "_classify", "_join_layout_breaks", "_page_is_indented"]


# --- classification ---------------------------------------------------------------


def _classify(
    lines: list[Line], boilerplate: Collection[str], hints: dict[int, str]
) -> tuple[PageMeta, bool]:
    """Give every line its form; set furniture aside; return the page's metadata and
    whether the page is read strictly (articles are marked by bylines or source lines)."""
    for line in lines:
        line.form, line.rule, line.info = _line_form(line.text)
        line.furniture = line.info.pop("furniture", None)
        if (role := hints.get(line.number)) and line.form != "furniture":
            _apply_hint(line, role)
        elif line.form == "field" and line.info["field"] in ("title", "kicker", "subtitle"):
            if line.info["value"]:
                _to_value(line, "headline")
            elif line.info["field"] != "title":
                line.form, line.rule = "furniture", "empty crawler field"
        elif line.form == "field" and line.info["field"] == "body" and line.info["value"]:
            _to_value(line, "body")
            line.info["field_body"] = True
    _keywords_in_context(lines)
    prose = [ln.form in ("body", "item") and bool(_PROSE.search(ln.text)) for ln in lines]
    first = next((i for i, p in enumerate(prose) if p), len(lines))
    last = max((i for i, p in enumerate(prose) if p), default=-1)
    _top_of_page(lines, first)
    _listed_under_labels(lines, prose)
    verdicts = [ln.furniture if ln.form == "furniture" else None for ln in lines]
    labelled = sum(ln.form == "field" or "explicit" in ln.info for ln in lines) >= 2
    # a crawler export has records, not a web page's header and footer areas
    zones = {} if labelled else zone_furniture([ln.text for ln in lines], verdicts, prose)
    for i, reason in zones.items():
        if lines[i].form in _TEXT_FORMS and not lines[i].info.get("role"):
            lines[i].form, lines[i].rule, lines[i].furniture = "furniture", reason.rule, reason
    _page_titles(lines)
    meta = _page_meta(lines)
    for i, line in enumerate(lines):
        if line.form not in ("headline", "body", "name", "date"):
            continue
        in_edges = i < first or i > last
        followed_by_prose = i + 1 < len(lines) and prose[i + 1]
        if line.text in boilerplate and in_edges and not followed_by_prose and not labelled:
            line.form, line.rule = "furniture", "repeats in several files of the folder"
        elif meta.paper and line.text in (meta.paper, f"《{meta.paper}》") and in_edges:
            line.form, line.rule = "furniture", "the paper's name on a line of its own"
    _read_in_context(lines)
    strict = (
        sum(
            ln.form == "source" or (ln.form == "field" and ln.info.get("field") == "author")
            for ln in lines
        )
        >= 2
    )
    if strict:
        # bylines sit in the source lines; a lone name is text (贺  信, a signature)
        for line in lines:
            if line.form == "name":
                line.form = "body"
    return meta, strict


def _keywords_in_context(lines: list[Line]) -> None:
    """A line of short words parted by ASCII commas is a crawler's keywords only on a
    page whose text writes its commas full-width: where the text itself uses ASCII
    commas (a copy typed or converted so), it is a headline or text (稳就业,保民生,促发展)."""
    listed = [ln for ln in lines if ln.form == "field" and ln.info["field"] == "keywords"]
    text = "".join(ln.text for ln in lines if ln.form == "body")
    if listed and text.count(",") >= text.count("，"):
        for line in listed:
            line.form, line.rule, line.info = (
                "headline" if _headline_like(line.text) else "body",
                "",
                {},
            )


#: How a web page's title joins the site's name and the headline (都市快报-标题,
#: 标题_网站, 标题 | 网站)
_TITLE_JOINS = re.compile(r"\s*[-_|｜–—]\s*")
#: How far below its page title a headline is looked for (lines)
_TITLE_REACH = 30


def _page_titles(lines: list[Line]) -> None:
    """Web pages' titles kept as lines (a crawler's dump, a copied page): a line that is
    a site's name and a headline joined by a dash, an underscore or a bar, whose headline
    is a line further down, with nothing but short headline lines between them. It is
    furniture and opens a new record; the lines from it to the headline are the
    article's head (kicker, title), and the short lines right under the headline its
    subtitle. A title wrapped over several lines, repeated so below, is one title."""
    for p, line in enumerate(lines):
        if line.form not in ("headline", "body"):
            continue
        echo = _title_echo(lines, p)
        if echo is None:
            continue
        wrapped = 1
        while (
            p + wrapped < echo
            and echo + wrapped < len(lines)
            and lines[p + wrapped].text == lines[echo + wrapped].text
        ):
            wrapped += 1
        between = lines[p + wrapped : echo]
        if not all(ln.form == "headline" and _headline_like(ln.text) for ln in between):
            continue
        line.form, line.rule = "field", "a web page's title (site and headline); opens a record"
        line.info = {"field": "page_title", "value": ""}
        for other in lines[p + 1 : p + wrapped]:
            other.form, other.rule = "furniture", "a web page's title, continued"
            other.furniture = Furniture("header", other.rule)
        for other in between:
            other.info["role"] = "kicker"
        for other in lines[echo : echo + wrapped]:
            other.info["role"] = "title"
        below = echo + wrapped
        while below < len(lines) and below < echo + wrapped + 2:
            if lines[below].form != "headline" or not _headline_like(lines[below].text):
                break
            lines[below].info["role"] = "subtitle"
            below += 1


def _title_echo(lines: list[Line], p: int) -> int | None:
    """Where the headline of the page title ``lines[p]`` stands as a line of its own
    below it, or None when ``lines[p]`` is no page title."""
    text = lines[p].text
    for join in _TITLE_JOINS.finditer(text):
        for site, headline in (
            (text[: join.start()], text[join.end() :]),
            (text[join.end() :], text[: join.start()]),
        ):
            if not 2 <= len(site) <= 20 or _PROSE.search(site) or len(headline) < 4:
                continue
            for k in range(p + 1, min(p + 1 + _TITLE_REACH, len(lines))):
                if lines[k].text == headline and lines[k].form in ("headline", "body"):
                    return k
    return None


# forms of lines that the page's header and footer areas turn into furniture
_TEXT_FORMS = frozenset(
    {"headline", "body", "name", "date", "date_line", "item", "byline", "credit"}
)


def _page_meta(lines: list[Line]) -> PageMeta:
    """What the page's header, source lines and crawler fields say about it."""
    meta = PageMeta()
    for line in lines:
        if line.form == "furniture":
            meta.update(header_metadata(line.text))
        elif line.form == "source" or "meta" in line.info:
            meta.update(line.info["meta"])
        elif line.info.get("paper", "").endswith(("报", "報")):
            meta.update(PageMeta(paper=line.info["paper"]))
    return meta


def _read_in_context(lines: list[Line]) -> None:
    """Forms that the neighbouring lines decide."""
    previous: Line | None = None  # the last line that is not furniture
    for k, line in enumerate(lines):
        below = lines[k + 1] if k + 1 < len(lines) else None
        if (
            line.form == "body"
            and below is not None
            and len(line.text) <= MAX_KICKER_CHARS
            and not _PROSE.search(line.text)
            and (
                below.form == "source"
                or below.info.get("field") == "author"
                or (
                    (
                        below.form == "byline"
                        or (below.form == "credit" and below.info.get("contributors"))
                    )
                    and previous is not None
                    and previous.form == "headline"
                )
            )
        ):
            # a long unpunctuated line right above a source line or a crawler byline is
            # a headline; between a headline and its byline, a subtitle
            line.form = "headline"
        bracket = re.fullmatch(r"[(（]([^()（）]{2,4})[)）][?？]?", line.text)
        if (
            bracket
            and line.form in ("headline", "body")
            and k
            and _ends_sentence(lines[k - 1].text)
            and (credit := _closing_credit(bracket.group(1), alone=False))
        ):
            # (晓溪) on its own line right after a paragraph closes it: a credit, even
            # when the name shows no surname (a pen name)
            line.form, line.rule = "closing_credit", "closing credit in brackets ((姓名))"
            line.info = {"contributors": credit}
        if line.form == "name":
            if previous is not None and previous.form in ("source", "byline"):
                # the byline slot is taken: 贺  信 under a source line is text
                line.form = "body"
            elif len(line.text) == 2 and (previous is None or previous.form != "headline"):
                # an unspaced two-character name (李海) is a byline only in the byline
                # slot, right under a headline; elsewhere it is more likely a word (麦收)
                line.form = "headline"
        if (
            line.form in ("headline", "body")
            and below is not None
            and below.form == "body"
            and len(line.text) <= MAX_HEADLINE_CHARS
            and _repeated_at_start(line.text, below.text)
        ):
            # an export whose text repeats its headline (标题 / 标题 【本报讯】…): the
            # line is that record's headline, never the end of a broken-off paragraph
            line.form, line.rule = "headline", "headline repeated at the start of the text below"
            line.info["repeated_below"] = True
        if line.form != "furniture":
            previous = line


def _repeated_at_start(head: str, text: str) -> bool:
    """``text`` opens with ``head`` (spaces aside), set apart from what follows by a space
    or a mark (标题 【本报讯】…), and goes on after it: not a paragraph whose sentence
    begins with a crosshead's words (乡村振兴是…)."""
    key, body = head.replace(" ", ""), text.replace(" ", "")
    if len(key) < 4 or len(body) <= len(key) + 4 or not body.startswith(key):
        return False
    opened = re.match(" *".join(map(re.escape, key)), text)
    after = text[opened.end() : opened.end() + 1] if opened else ""
    return opened is not None and (after == " " or not re.match(r"\w", after))


_MASTHEAD = re.compile(
    r"^[\u4e00-\u9fff]{2,10}(?:日报|日報|晚报|晚報|早报|时报|時報|商报|商報|周报|工人报|青年报|法制报|"
    r"报|報)(?:数字报纸?|电子报|电子版)?$|^[A-Z][A-Z .&'-]{3,40}$"
)
_DATE_HEAD = re.compile(r"^\d{1,2}月\d{1,2}日(?:\s*\S{1,3})?$")


def _top_of_page(lines: list[Line], first_prose: int) -> None:
    """Read the top of a page, above its first prose, as a page header would be: the
    masthead (a paper's name), a dated line with its weekday, staff lines of the page."""
    for k in range(first_prose):
        line = lines[k]
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if (
            line.form == "headline"
            and _MASTHEAD.match(line.text)
            and not (nxt is not None and nxt.form in ("byline", "source", "name", "credit"))
        ):
            line.form, line.rule = "furniture", "masthead (the paper's name)"
            line.furniture = Furniture("header", line.rule)
        elif line.form == "date_line" and re.match(r"(?:19|20)\d\d", line.text):
            line.form, line.rule = "furniture", "page header (the paper's date and weekday)"
            line.furniture = Furniture("header", line.rule)
        elif line.form == "staff":
            line.form, line.rule = "furniture", "staff line of the page, in its header"
            line.furniture = Furniture("header", line.rule)
    for k in range(first_prose, len(lines)):
        # a page header repeated lower down (a second copied view of the page): its
        # dated line sits next to the header's other lines
        line = lines[k]
        near = [lines[j] for j in (k - 1, k + 1) if 0 <= j < len(lines)]
        if (
            line.form == "date_line"
            and re.match(r"(?:19|20)\d\d", line.text)
            and any(n.furniture is not None and n.furniture.bounds_zone for n in near)
        ):
            line.form, line.rule = "furniture", "page header (the paper's date and weekday)"
            line.furniture = Furniture("header", line.rule)
    for line in lines[first_prose:]:
        # a bare number below the header numbers a section (01, 02), not the page
        if line.form == "furniture" and re.fullmatch(r"0*\d{1,3}", line.text):
            line.form, line.rule, line.furniture = "headline", "number of a section", None
            line.info["section"] = True


_LIST_LABEL = re.compile(
    r"^(?:本版导读|本版标题|本版新闻|本版要闻|今日导读|要闻导读|标题导航|版面导航|相关新闻|相关阅读|"
    r"相关链接|相关报道|延伸阅读|延伸閱讀|相關新聞|推荐阅读|热点推荐|更多新闻)$"
)


def _listed_under_labels(lines: list[Line], prose: list[bool]) -> None:
    """The run of short lines right under a list label (本版新闻, 今日导读, 相关新闻 …),
    without blank lines between them, is that list: headlines of other articles."""
    for k, line in enumerate(lines):
        if line.form != "furniture" or not _LIST_LABEL.match(line.text):
            continue
        run = []
        for j in range(k + 1, len(lines)):
            nxt = lines[j]
            if nxt.gap or prose[j] or nxt.form not in ("headline", "body"):
                break
            run.append(nxt)
        if len(run) >= 2:
            for item in run:
                item.form, item.rule = "furniture", f"listed under {line.text}"
                item.furniture = Furniture("widget", item.rule)


def _apply_hint(line: Line, role: str) -> None:
    """Give a line the role its markup states (a markdown heading, bold line, quote)."""
    if role == "break":
        line.form, line.rule = "field", "thematic break: the next heading opens an article"
        line.info = {"field": "break", "value": ""}
    elif role in ("title", "kicker", "subtitle"):
        line.form, line.rule, line.info = "headline", f"markup marks it as the {role}", {}
        line.info["role"] = role
    elif role == "section" and line.form in ("headline", "body", "name"):
        line.form, line.rule = "headline", "markup marks it as a section heading"
        line.info["section"] = True
    elif role == "quote" and line.form in ("headline", "body", "name"):
        contributors = parse_byline(line.text, bare=True)
        if contributors is not None:
            line.form, line.rule = "byline", "quoted byline line"
            line.info = {"contributors": contributors}


def _to_value(line: Line, form: str) -> None:
    """Make a field line (标题：…) stand for its value, keeping provenance."""
    value = line.info["value"]
    cut = line.text.index(value, line.text.index("：") if "：" in line.text else 0)
    line.info["cut"] = cut
    line.text = value
    line.form = form
    offsets = line.offsets
    line.start, line.end = offsets[0], offsets[-1] + 1
    line.info["explicit"] = "field_" + line.info["field"]


# --- re-joining layout breaks -----------------------------------------------------


def _page_is_indented(lines: list[Line]) -> bool:
    """True when body paragraphs are marked by indentation and headlines are not."""
    long_lines = [ln for ln in lines if len(ln.text) > MAX_HEADLINE_CHARS]
    if len(long_lines) < 3:
        return False
    return sum(ln.indented for ln in long_lines) / len(long_lines) >= 0.8


def _unclosed(text: str) -> bool:
    return text[:1] in "(（" and text.count("(") + text.count("（") > text.count(")") + text.count(
        "）"
    )


def _join_layout_breaks(lines: list[Line], indented_page: bool) -> list[list[Line]]:
    """Group lines into units; a unit is one logical line re-joined across layout breaks."""
    units: list[list[Line]] = []
    for line in lines:
        if line.form == "furniture":
            continue
        prev = units[-1] if units else None
        if prev is not None and line.gap <= 1 and _unclosed(_unit_text(prev)) and len(prev) < 3:
            joined = _unit_text(prev) + line.text
            if re.fullmatch(r"[(（][^()（）]{2,40}[)）][?？]?", joined):
                credit = _closing_credit(joined.rstrip("?？")[1:-1], alone=True)
                if credit is not None:
                    prev[0].form, prev[0].info = "closing_credit", {"contributors": credit}
                    prev[0].rule = "closing credit in brackets, over two lines"
                    line.form = "closing_credit"
                    prev.append(line)
                    continue
        if prev is not None and prev[-1].form == "body" and not _ends_paragraph(prev[-1].text):
            if indented_page:
                # indentation marks paragraph starts: only an unindented body line that
                # follows an indented paragraph can be its broken-off end
                joins = prev[0].indented and not line.indented and line.form == "body"
            else:
                joins = line.form == "body" or (
                    line.form == "headline" and _ends_mid_sentence(prev[-1].text)
                )
            explicit = line.info.get("explicit") or line.info.get("repeated_below")
            if joins and line.gap <= 1 and not explicit:
                line.form = "body"
                line.label, line.rule = "body", "continues a line broken by the page layout"
                prev.append(line)
                continue
        units.append([line])
    return units


def _ends_paragraph(text: str) -> bool:
    """True when a line can be the last line of a paragraph (a trailing credit or staff
    line after a full stop ends it too)."""
    return (
        _ends_sentence(text)
        or bool(re.fullmatch(r"[(（].*[)）][?？]?", text))
        or bool(_TRAILING_PICTURE_CREDIT.search(text) or _TRAILING_STAFF.search(text))
        or bool(re.search(r"[(（][^()（）]{0,16}(?:供图|摄|攝|提供|图)[)）]$", text))
        or _trailing_credit(text) is not None
    )


_MID_SENTENCE_END = set("，,、：:；;“‘(（《【—-")


def _ends_mid_sentence(text: str) -> bool:
    """True when the line clearly stops in the middle of a sentence or a word."""
    if not text or text.endswith("——"):
        return False
    last = text[-1]
    return last in _MID_SENTENCE_END or is_cjk(last) or last.isalnum()
