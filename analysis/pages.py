"""Split a raw Chinese newspaper page into articles.

The splitter works by general rules of Chinese newspaper layout (see
``docs/page-splitting.md``), never by line numbers or strings of one page:

1. Every non-empty line is classified by its own form: headline-like (short, no
   sentence-final punctuation), body, byline, photo credit, diary date line,
   author-unit note, continuation note (下转第三版) or page furniture.
2. Lines broken by the page's column layout are re-joined: a paragraph cannot end
   in mid-sentence, so a body line without closing punctuation continues on the
   next line.
3. Runs of headline-like lines form headline blocks. A block opens a new article
   when the layout says so (several headline lines, a kicker ending in ——, a byline
   or 本报讯 right after it, an end-of-article mark before it, a wider gap, an
   unindented line on an indented page, a short photo item); otherwise it is a
   section heading inside the current article.
4. Within a block, roles are assigned: column label, kicker (引题), title, subtitle
   or series banner.

Every line keeps its character span in the decoded file, and :func:`explain_page`
returns the label and the rule that decided it, so a split can be checked by eye.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from analysis.textio import is_cjk, normalize_line, normalize_with_offsets

__all__ = [
    "Article",
    "Contributor",
    "Line",
    "PageSplit",
    "parse_byline",
    "split_page",
]

# --- line forms -------------------------------------------------------------------

_ROLE_WORDS = (
    "本报特约记者",
    "本报见习记者",
    "本报实习记者",
    "本报记者",
    "本报通讯员",
    "本报实习生",
    "新华社记者",
    "新华社通讯员",
    "人民日报记者",
    "中新社记者",
    "特约通讯员",
    "特约记者",
    "见习记者",
    "实习记者",
    "摄影记者",
    "通讯员",
    "实习生",
    "记者",
)
_ROLE = "|".join(_ROLE_WORDS)
_CREDIT_SUFFIX = re.compile(r"(摄影报道|摄影|摄|供图|制图|绘图|绘)$")
_MARKERS = "□■◇◆●○▲△★☆◎"
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,6}[·•][\u4e00-\u9fff]{1,8}$")
_SENTENCE_END = set("。！？!?…")
_CLOSERS = "”’」』)）》】〕]\"'"
_MID_SENTENCE_END = set("，,、：:；;“‘(（《【—-")
_DIARY_DATE = re.compile(r"^(\d{4}年)?\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天]$")
_PAGE_HEADER = re.compile(
    r"^(\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天].*版.*"
    r"|第\s*[0-9一二三四五六七八九十]+\s*版.{0,12}"
    r"|(本版|责任)(编辑|责编|校对|美编|制图)[:：].*)$"
)
_AUTHOR_UNIT = re.compile(r"^[(（]\s*(作者(单位|系|为|是)|作者单位)[:：]?.+[)）]$")
_CONTINUATION = re.compile(
    r"[(（]\s*(下转|上接|转|接|紧接)第?\s*[0-9一二三四五六七八九十]+\s*版[^()（）]{0,8}[)）]$"
)
_INLINE_DATELINE = re.compile(
    r"^(?P<dateline>本报讯|本报[^\s(（,，。]{1,12}?\d{1,2}月\d{1,2}日电"
    r"|(?:据)?新华社[^\s(（,，。]{1,12}?\d{1,2}月\d{1,2}日电|中新社[^\s(（,，。]{1,12}?电)"
    r"\s*(?:[(（](?P<credits>[^()（）]{1,60})[)）])?\s*"
)
_CLOSING_DATELINE = re.compile(
    r"^[(（]\s*(据)?(本报|新华社|中新社)?[^\s()（）]{0,12}\d{1,2}月\d{1,2}日电\s*[)）]$"
)
_AGENCY_CREDIT = re.compile(r"^(新华社|中新社|人民视觉|视觉中国|人民图片)(发|供图|图)?$")
_TITLE_COLUMN = re.compile(r"[(（](?P<column>[^()（）\d]{2,12})[)）]$")
_COLUMN_WORDS = re.compile(
    r"(图片新闻|新闻速递|简讯|快讯|日记|手记|札记|观察|时评|快评|论坛|视点|特写|速写|聚焦|专栏|调查|访谈)$"
)
_BANNER = re.compile(r"^[\u4e00-\u9fff]{2,10}( [\u4e00-\u9fff]{2,10})+$")

#: Maximum length (characters) of a headline-like line on an unindented page. Titles
#: and section heads are short; a longer unpunctuated line is a paragraph cut by the
#: layout. Kickers ending in —— may be longer (MAX_KICKER_CHARS).
MAX_HEADLINE_CHARS = 32
MAX_KICKER_CHARS = 60


@dataclass
class Contributor:
    """A person credited on an article, with the role printed beside the name."""

    name: str
    role: str | None
    photo: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "photo": self.photo}


@dataclass
class Line:
    """One non-empty line of a page, with its provenance and classification."""

    number: int
    start: int
    end: int
    raw: str
    text: str
    indented: bool
    gap: int
    offsets: list[int] = field(default_factory=list, repr=False)
    form: str = ""
    label: str = ""
    rule: str = ""
    article: int | None = None


@dataclass
class Article:
    """One item of a page: headline fields, contributors, body and provenance."""

    order: int
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None
    kind: str = "news"
    contributors: list[Contributor] = field(default_factory=list)
    dateline: str | None = None
    date_line: str | None = None
    author_unit: str | None = None
    continuation: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    paragraph_sections: list[str | None] = field(default_factory=list)
    paragraph_spans: list[list[tuple[int, int]]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    lines: list[Line] = field(default_factory=list)

    @property
    def authors(self) -> list[str]:
        """Names of the people credited, in order, without duplicates."""
        return list(dict.fromkeys(c.name for c in self.contributors))


@dataclass
class PageSplit:
    """The result of splitting one page: articles and every classified line."""

    articles: list[Article]
    lines: list[Line]
    indented: bool


# --- helpers ----------------------------------------------------------------------


def _strip_closers(text: str) -> str:
    return text.rstrip(_CLOSERS + " ")


def _ends_sentence(text: str) -> bool:
    """True when the line ends a sentence (closing quotes and brackets aside)."""
    core = _strip_closers(text)
    return bool(core) and core[-1] in _SENTENCE_END


def _ends_paragraph(text: str) -> bool:
    """True when a line can be the last line of a paragraph."""
    return _ends_sentence(text) or bool(re.fullmatch(r"[(（].*[)）]", text))


def _ends_mid_sentence(text: str) -> bool:
    """True when the line clearly stops in the middle of a sentence or a word."""
    if not text or text.endswith("——"):
        return False
    last = text[-1]
    return last in _MID_SENTENCE_END or is_cjk(last) or last.isalnum()


def _split_names(chunk: str) -> list[str]:
    """Split a run of names; rejoin names that the layout spaced out (赵  兵)."""
    tokens = [t for t in re.split(r"[\s、,，/]+", chunk) if t]
    names: list[str] = []
    pending = ""
    for tok in tokens:
        if len(tok) == 1 and is_cjk(tok):
            pending += tok
            continue
        if pending:
            tok = pending + tok if len(pending) == 1 else tok
            if len(pending) > 1:
                names.append(pending)
            pending = ""
        names.append(tok)
    if pending:
        names.append(pending)
    return names


def parse_byline(text: str) -> list[Contributor] | None:
    """Parse a byline or credit line; return ``None`` when the line is not one.

    Roles apply to the names that follow them until the next role; a name before
    any role gets ``role=None``. A trailing 摄 (or 摄影, 供图 ...) marks a photo credit.

    >>> [c.as_dict() for c in parse_byline("杨明清 本报记者 张楠 本报通讯员 匡润金")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'name': '杨明清', 'role': None, 'photo': False},
     {'name': '张楠', 'role': '本报记者', 'photo': False},
     {'name': '匡润金', 'role': '本报通讯员', 'photo': False}]
    >>> [(c.name, c.photo) for c in parse_byline("本报记者 王伟伟 摄")]
    [('王伟伟', True)]
    >>> parse_byline("党政支持夯实基础") is None
    True
    """
    text = normalize_line(text)
    marked = text[:1] in _MARKERS
    body = text.lstrip(_MARKERS + " ")
    agency = re.search(r"[(（][^()（）]{2,8}[)）]$", body)  # 刘进银摄（影像中国）
    if agency and _CREDIT_SUFFIX.search(body[: agency.start()].strip()):
        body = body[: agency.start()].strip()
    if not body or len(body) > 40 or re.search(r"[。！？!?:：;；“”\"《》]", body):
        return None
    photo = False
    credit = _CREDIT_SUFFIX.search(body)
    if credit:
        photo = credit.group() in ("摄", "摄影", "摄影报道")
        body = body[: credit.start()].strip()
        if not body:
            return None
    parts = re.split(f"({_ROLE})", body)
    contributors: list[Contributor] = []
    role: str | None = None
    has_role = False
    for part in parts:
        if not part.strip():
            continue
        if re.fullmatch(_ROLE, part):
            role, has_role = part, True
            continue
        for name in _split_names(part):
            if not _NAME.match(name):
                return None
            contributors.append(Contributor(name=name, role=role, photo=photo))
    if not contributors or not (has_role or marked or credit):
        return None
    return contributors


def _line_form(text: str) -> str:
    """Classify a normalised line by its own form, without context."""
    if _PAGE_HEADER.match(text):
        return "page_header"
    if _AUTHOR_UNIT.match(text):
        return "author_unit"
    if _CONTINUATION.match(text) and len(text) <= 16:
        return "continuation"
    if _DIARY_DATE.match(text):
        return "date_line"
    if _CLOSING_DATELINE.match(text):
        return "dateline"
    if _AGENCY_CREDIT.match(text):
        return "credit"
    contributors = parse_byline(text)
    if contributors is not None:
        return "credit" if any(c.photo for c in contributors) else "byline"
    return "headline" if _headline_like(text) else "body"


def _headline_like(text: str) -> bool:
    if text.endswith("——"):
        return len(text) <= MAX_KICKER_CHARS
    if len(text) > MAX_HEADLINE_CHARS or "。" in text:
        return False
    core = _strip_closers(text)
    if not core or core[-1] in "，,、；;：:…":
        return False
    # A short exclamation can be a headline; a long one is a sentence of the body.
    return not (core[-1] in _SENTENCE_END and len(text) > 20)


def _read_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    gap = 0
    number = 0
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        raw_with_end = match.group()
        if not raw_with_end:
            break
        number += 1
        raw = raw_with_end.rstrip("\r\n")
        norm, offsets = normalize_with_offsets(raw)
        if not norm:
            gap += 1
            continue
        indented = bool(re.match(r"^[\s\u3000\u00a0]{2,}|^\u3000", raw))
        offsets = [match.start() + k for k in offsets]
        line = Line(number, offsets[0], offsets[-1] + 1, raw, norm, indented, gap, offsets)
        lines.append(line)
        gap = 0
    return lines


# --- the splitter -----------------------------------------------------------------


def _page_is_indented(lines: list[Line]) -> bool:
    """True when body paragraphs are marked by indentation and headlines are not."""
    long_lines = [ln for ln in lines if len(ln.text) > MAX_HEADLINE_CHARS]
    if len(long_lines) < 3:
        return False
    return sum(ln.indented for ln in long_lines) / len(long_lines) >= 0.8


def _join_layout_breaks(lines: list[Line], indented_page: bool) -> list[list[Line]]:
    """Group lines into units; a unit is one logical line re-joined across layout breaks."""
    units: list[list[Line]] = []
    for line in lines:
        line.form = _line_form(line.text)
        prev = units[-1] if units else None
        if prev is not None and prev[-1].form == "body" and not _ends_paragraph(prev[-1].text):
            if indented_page:
                # indentation marks paragraph starts: only an unindented body line that
                # follows an indented paragraph can be its broken-off end
                joins = prev[0].indented and not line.indented and line.form == "body"
            else:
                joins = line.form == "body" or (
                    line.form == "headline" and _ends_mid_sentence(prev[-1].text)
                )
            if joins and line.gap <= 1:
                line.form = "body"
                line.label, line.rule = "body", "continues a line broken by the page layout"
                prev.append(line)
                continue
        units.append([line])
    return units


def _unit_text(unit: list[Line]) -> str:
    return "".join(ln.text for ln in unit)


def _is_section_head(text: str) -> bool:
    return (
        _headline_like(text)
        and len(text) <= 30
        and not _ends_sentence(text)
        and not re.fullmatch(r"[(（].*[)）]", text)
    )


def split_page(text: str) -> PageSplit:
    """Split the decoded text of one page into articles.

    >>> page = "标题一\\n\\n本报记者 王鑫\\n\\n正文。\\n\\n标题二——\\n\\n标题三\\n\\n正文。"
    >>> [a.title for a in split_page(page).articles]
    ['标题一', '标题三']
    """
    lines = _read_lines(text)
    indented_page = _page_is_indented(lines)
    units = _join_layout_breaks(lines, indented_page)
    gaps = Counter(unit[0].gap for unit in units[1:])
    normal_gap = gaps.most_common(1)[0][0] if gaps else 1

    articles: list[Article] = []
    current: Article | None = None
    section: str | None = None
    terminal = False  # the current article has printed an end-of-article mark

    def new_article(rule: str) -> Article:
        nonlocal current, section, terminal
        current = Article(order=len(articles) + 1)
        articles.append(current)
        section, terminal = None, False
        return current

    i = 0
    while i < len(units):
        unit = units[i]
        first = unit[0]
        form = first.form
        if form == "page_header":
            _label(unit, "page_header", "page furniture (date, page number, editors)", None)
            i += 1
            continue
        if _is_headline_unit(unit, indented_page):
            block_end = i
            while block_end < len(units) and _is_headline_unit(units[block_end], indented_page):
                block_end += 1
            block_end = max(block_end, i + 1)
            block = units[i:block_end]
            rule = _opens_article(
                units, i, block_end, current, terminal, indented_page, normal_gap, section
            )
            if rule:
                art = new_article(rule)
                _assign_headline_roles(art, block, rule)
                i = block_end
                continue
            assert current is not None
            section = _unit_text(unit)
            current.sections.append(section)
            _label(unit, "section", "short unpunctuated line inside an article body", current)
            i += 1
            continue
        if (
            indented_page
            and current is not None
            and form == "headline"
            and _is_section_head(first.text)
        ):
            section = _unit_text(unit)
            current.sections.append(section)
            _label(unit, "section", "short indented line without closing punctuation", current)
            i += 1
            continue
        if current is None:
            new_article("text before the first headline")
            assert current is not None
            current.kind = "fragment"
        elif current.paragraphs and form == "body" and _INLINE_DATELINE.match(first.text):
            # an article has one opening dateline: a second one starts an untitled brief
            new_article("untitled brief opening with 本报讯 / …电")
            assert current is not None
            current.kind = "brief"
        assert current is not None
        terminal = _add_to_article(current, unit, section) or terminal
        i += 1

    for art in articles:
        _finish(art, text)
    return PageSplit(articles=articles, lines=lines, indented=indented_page)


def _is_headline_unit(unit: list[Line], indented_page: bool) -> bool:
    line = unit[0]
    if len(unit) > 1:
        return False
    if indented_page:
        return not line.indented and line.form in ("headline", "body")
    return line.form == "headline"


def _next_unit(units: list[list[Line]], index: int) -> list[Line] | None:
    return units[index] if index < len(units) else None


def _opens_article(
    units: list[list[Line]],
    start: int,
    end: int,
    current: Article | None,
    terminal: bool,
    indented_page: bool,
    normal_gap: int,
    section: str | None,
) -> str:
    """Return the rule that makes the headline block ``units[start:end]`` open an
    article, or ``""`` when it is a section heading of the current article."""
    block = units[start:end]
    head = block[0][0]
    if current is None:
        return "first headline on the page"
    if indented_page:
        return "unindented headline on an indented page"
    if len(block) >= 2:
        return "several headline lines in a row (kicker, title, subtitle)"
    if head.text.endswith("——"):
        return "kicker ending in ——"
    following = _next_unit(units, end)
    if following is not None:
        nxt = following[0]
        if nxt.form in ("byline", "date_line"):
            return f"followed by a {nxt.form.replace('_', ' ')}"
        if nxt.form == "body" and _INLINE_DATELINE.match(nxt.text):
            return "followed by an inline byline (本报讯 / …电)"
    if terminal:
        return "after an end-of-article mark (credit, author note, continuation)"
    if head.gap > normal_gap and (current.paragraphs or current.title):
        return "wider gap than between paragraphs"
    if _is_photo_item(units, end):
        return "short item closed by a credit (photo layout)"
    return ""


def _is_photo_item(units: list[list[Line]], end: int) -> bool:
    """True when the lines after a headline are at most three paragraphs and a credit."""
    for paragraphs, unit in enumerate(units[end:]):
        form = unit[0].form
        if form in ("credit", "byline") and paragraphs:
            return paragraphs <= 3
        if form != "body":
            return False
    return False


def _label(unit: list[Line], label: str, rule: str, article: Article | None) -> None:
    for k, line in enumerate(unit):
        if k == 0 or not line.label:
            line.label, line.rule = label, rule
        line.article = article.order if article else None
        if article is not None:
            article.lines.append(line)


def _assign_headline_roles(art: Article, block: list[list[Line]], rule: str) -> None:
    texts = [_unit_text(u) for u in block]
    roles: list[str] = [""] * len(texts)
    kicker_at = max((k for k, t in enumerate(texts[:-1]) if t.endswith("——")), default=None)
    if kicker_at is not None:
        title_at = kicker_at + 1
        for k in range(kicker_at):
            roles[k] = "column"
        roles[kicker_at] = "kicker"
    elif len(texts) == 1 or texts[1].startswith("——") or re.fullmatch(r"[(（].*[)）]", texts[1]):
        title_at = 0
    elif len(texts) == 2 and _COLUMN_WORDS.search(texts[0]):
        roles[0], title_at = "column", 1
    else:
        roles[0], title_at = "kicker", 1
    roles[title_at] = "title"
    for k in range(title_at + 1, len(texts)):
        if texts[k].startswith("——") or not _BANNER.match(texts[k]) or "subtitle" in roles:
            roles[k] = "subtitle" if "subtitle" not in roles else "column"
        else:
            roles[k] = "column"
    columns = [t for t, r in zip(texts, roles, strict=True) if r == "column"]
    art.column = " / ".join(columns) or None
    art.kicker = texts[kicker_at] if kicker_at is not None else None
    if kicker_at is None and roles[0] == "kicker":
        art.kicker = texts[0]
    art.title = texts[title_at]
    subtitles = [t for t, r in zip(texts, roles, strict=True) if r == "subtitle"]
    art.subtitle = subtitles[0] if subtitles else None
    if art.column is None and (m := _TITLE_COLUMN.search(art.title)):
        art.column = m.group("column")
    why = {
        "column": "column label above or beside the headline",
        "kicker": "kicker (引题) above the title",
        "title": f"title; opens an article: {rule}",
        "subtitle": "subtitle below the title",
    }
    for unit, role in zip(block, roles, strict=True):
        _label(unit, role, why[role], art)


def _add_to_article(art: Article, unit: list[Line], section: str | None) -> bool:
    """Attach one unit to ``art``; return True when it is an end-of-article mark."""
    line = unit[0]
    form = line.form
    if form in ("byline", "credit"):
        contributors = parse_byline(line.text) or []
        art.contributors.extend(contributors)
        trailing = bool(art.paragraphs)
        if form == "credit":
            rule = "photo credit (… 摄)"
        elif trailing:
            rule = "byline after the body"
        else:
            rule = "byline under the headline"
        _label(unit, form, rule, art)
        return form == "credit" or trailing
    if form == "dateline":
        art.dateline = art.dateline or line.text.strip("()（） ")
        _label(unit, "dateline", "closing dateline ((本报…电))", art)
        return True
    if form == "date_line":
        art.date_line = line.text
        _label(unit, "date_line", "diary date line (月日 星期)", art)
        return False
    if form == "author_unit":
        art.author_unit = line.text.strip("()（） ")
        _label(unit, "author_unit", "author-unit note (作者单位…)", art)
        return True
    if form == "continuation":
        art.continuation.append(line.text.strip("()（） "))
        _label(unit, "continuation", "continuation note (下转/上接 … 版)", art)
        return True
    return _add_paragraph(art, unit, section)


def _add_paragraph(art: Article, unit: list[Line], section: str | None) -> bool:
    """Add a body paragraph; return True when it ends with a continuation note."""
    pieces = [ln.text for ln in unit]
    spans = [(ln.start, ln.end) for ln in unit]
    rule = "body paragraph"
    if not art.paragraphs and (m := _INLINE_DATELINE.match(pieces[0])):
        art.dateline = m.group("dateline")
        if m.group("credits"):
            art.contributors.extend(_parse_inline_credits(m.group("credits")))
        cut = m.end()
        pieces[0] = pieces[0][cut:]
        spans[0] = _span(unit[0], cut, len(unit[0].text))
        rule = "body paragraph; inline byline taken as metadata"
    if cont := _CONTINUATION.search(pieces[-1]):
        art.continuation.append(cont.group().strip("()（） "))
        # the last piece is a suffix of its line's text (the dateline may be cut off)
        first_char = len(unit[-1].text) - len(pieces[-1])
        pieces[-1] = pieces[-1][: cont.start()].rstrip()
        spans[-1] = _span(unit[-1], first_char, first_char + len(pieces[-1]))
        rule += "; trailing continuation note taken as metadata"
    continued = bool(cont)
    paragraph = "".join(pieces)
    if paragraph:
        art.paragraphs.append(paragraph)
        art.paragraph_sections.append(section)
        art.paragraph_spans.append(spans)
    _label(unit, "body", rule, art)
    return continued


def _span(line: Line, a: int, b: int) -> tuple[int, int]:
    """File span of characters ``a:b`` of a line's normalised text."""
    if b <= a:
        return (line.offsets[a] if a < len(line.offsets) else line.end,) * 2
    return line.offsets[a], line.offsets[b - 1] + 1


def _parse_inline_credits(text: str) -> list[Contributor]:
    """Parse the bracket of 本报讯(记者张静 通讯员贺鹏 胡雪莹)."""
    contributors: list[Contributor] = []
    role: str | None = None
    for part in re.split(f"({_ROLE})", normalize_line(text)):
        if not part.strip():
            continue
        if re.fullmatch(_ROLE, part):
            role = part
            continue
        photo = False
        if _CREDIT_SUFFIX.search(part):
            photo = True
            part = _CREDIT_SUFFIX.sub("", part)
        for name in _split_names(part):
            if _NAME.match(name):
                contributors.append(Contributor(name=name, role=role, photo=photo))
    return contributors


def _finish(art: Article, text: str) -> None:
    if art.lines:
        art.start = min(ln.start for ln in art.lines)
        art.end = max(ln.end for ln in art.lines)
    has_photo_credit = any(c.photo for c in art.contributors)
    trailing_credit = any(
        ln.label in ("credit", "byline") and ln.rule != "byline under the headline"
        for ln in art.lines
    )
    if art.kind in ("fragment", "brief"):
        return
    if art.date_line or (art.column and "日记" in art.column):
        art.kind = "diary"
    elif (art.title and "图片报道" in art.title) or (
        (has_photo_credit or (trailing_credit and not art.dateline)) and len(art.paragraphs) <= 2
    ):
        art.kind = "photo"
    elif art.author_unit:
        art.kind = "opinion"
