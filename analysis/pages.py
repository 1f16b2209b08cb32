"""Split a raw Chinese newspaper page into articles.

The splitter works by general rules of Chinese newspaper layout and of the ways pages
reach a user (copied web pages, crawler dumps, markdown archives), never by line
numbers, newspapers or sites (see ``docs/page-splitting.md``):

1. Every non-empty line is classified by its own form: furniture of a web page
   (:mod:`analysis.furniture`), a crawler field (``标题：``, ``作者：…  时间：…``), a source
   line (``本报记者 甲《某某报》（2026年01月08日第 07 版）``), a byline, a photo credit, a
   staff line (``本版责编：…``), a dateline, an author note, a continuation note, a
   headline-like line or body text.
2. Furniture found by position (the page's header and footer areas) and by repetition
   across the files of a folder is set aside, with its rule, and never reaches an article.
3. Lines broken by the page's column layout are re-joined: a paragraph cannot end in
   mid-sentence, so a body line without closing punctuation continues on the next line.
4. Runs of headline-like lines form headline blocks. A block opens a new article when the
   layout says so (a byline or source line under it, several headline lines, a kicker
   ending in ——, an end-of-article mark before it, a new crawler record …); otherwise it
   is a section heading of the current article. Pages whose articles all carry a byline
   or source line under their headline are read strictly: there, only such blocks (and
   briefs that open with a dateline) start articles.
5. Within a block, roles are assigned: column label, kicker (引题), title, subtitle. An
   article without a body before the next one is the column head of the items after it.

Every line keeps its character span in the decoded file, and :func:`split_page` records
the label and the rule that decided it, so a split can be checked by eye.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from analysis.furniture import (
    Furniture,
    PageMeta,
    header_metadata,
    iso_date,
    line_furniture,
    zone_furniture,
)
from analysis.names import SURNAMES, looks_like_name, looks_like_place, split_name_run
from analysis.processes import cpu_count, worker_pool
from analysis.textio import is_cjk, normalize_line, normalize_with_offsets

__all__ = [
    "TAB_HEADLINE",
    "Article",
    "Contributor",
    "Line",
    "PageSplit",
    "join_pieces",
    "parse_byline",
    "split_page",
]

# --- line forms -------------------------------------------------------------------

# Roles in bylines: an outlet (本报, 新华社, 某某日报 …), a posting (驻朝鲜), a grade (特约,
# 见习 …) and a function (记者, 通讯员 …); or a reader, a writer of a piece.
_OUTLET = (
    r"(?:本报|本報|新华社|新華社|中新社|中央社|[\u4e00-\u9fff][\u4e00-\u9fff·]{1,12}?(?:日报|"
    r"日報|晚报|晚報|早报|时报|時報|报社|報社|电视台|電視台|通讯社|通訊社|广播电视台|融媒体中心|网|網))"
)
_GRADE = r"(?:特约|特約|见习|見習|实习|實習|首席|摄影|攝影|全媒体|全媒|融媒)"
_ROLE = (
    rf"(?:{_OUTLET}(?:[驻駐][\u4e00-\u9fff]{{1,6}}?)?{_GRADE}?(?:记者|記者|通讯员|通訊員|评论员|評論員|"
    rf"撰稿人)|{_GRADE}?(?:记者|記者|通讯员|通訊員)|本报实习生|实习生|實習生|特约撰稿人|读者|讀者)"
)
_ROLE_RE = re.compile(_ROLE)
# bylines of an institution, without a person (本报评论员, 新华社记者, 本报调研组)
_INSTITUTION = re.compile(
    rf"^(?:{_ROLE}|(?:本报|新华社|[\u4e00-\u9fff]{{2,8}}(?:日报|报社))?"
    r"(?:特约)?(?:评论员|调研组|联合调研组|课题组|记者组|编辑部|采访组|报道组|评论部))$"
)
_CREDIT_SUFFIX = re.compile(r"(摄影报道|攝影報導|摄影|攝影|摄|攝|供图|供圖|制图|製圖|绘图|绘)$")
# 记者王怡婷／台北報導, 张俊峰／摄, 本报记者 钱佳 文/图: what follows the slash
_SLASH_SUFFIX = re.compile(
    r"\s*[/／]\s*(?P<what>(?:[\u4e00-\u9fff]{0,6}(?:报导|報導|报道|報道))|摄影|攝影|摄|攝)$"
    r"|\s*文\s*[/／]\s*[图圖]$"
)
_MARKERS = "□■◇◆●○▲△★☆◎▪▫◼◻"
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,10}$")
_SENTENCE_END = set("。！？!?…")
_CLOSERS = "”’」』)）》】〕]\"'"
_MID_SENTENCE_END = set("，,、：:；;“‘(（《【—-")
_DIARY_DATE = re.compile(
    r"^(\d{4}年)?\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天](\s*\S{1,4})?$"
)
_BARE_DATE = re.compile(
    r"^(?:19|20)\d\d(?:年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# simplified and traditional forms: 作者单位/作者單位, 下转/下轉 …
_AUTHOR_UNIT = re.compile(r"^[(（]\s*作者(单位|單位|系|係|为|為|是)[:：]?.+[)）]$")
_CONTINUATION = re.compile(
    r"[(（]\s*(下转|下轉|上接|转|轉|接|紧接|緊接)第?\s*[0-9一二三四五六七八九十]+\s*版[^()（）]{0,8}[)）]$"
)
_DATELINE_SOURCE = (
    r"(?:据|據)?(?:本报|本報|新华社|新華社|中新社|中央社|[\u4e00-\u9fff]{2,8}?(?:日报|日報|晚报|"
    r"晚報|早报|时报|時報|报|報|社|台|网|網))"
)
_DATELINE_END = r"\d{1,2}月\d{1,2}日(?:电|電|讯|訊)"
_PLAIN_CREDIT = rf"(?:{_ROLE})\s*[/／]?\s*[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){{1,2}}"
_INLINE_DATELINE = re.compile(
    rf"^(?P<dateline>本[报報][\u4e00-\u9fff]{{0,6}}[讯訊]|{_DATELINE_SOURCE}[讯訊]"
    rf"|{_DATELINE_SOURCE}[^\s(（,，。]{{0,12}}?{_DATELINE_END}"
    r"|(?:据|據)?(?:新华社|新華社|中新社|中央社)[^\s(（,，。]{1,12}?(?:电|電)"
    r"|【[^】]{2,30}?(?:报导|報導|报道|報道|电|電|讯|訊)】)"
    r"\s*(?:[(（](?P<credits>[^()（）]{1,60})[)）]"
    rf"|(?P<plain>{_PLAIN_CREDIT}(?:[\s、]+(?:{_ROLE})?\s*[\u4e00-\u9fff]{{2,4}})*?\s*(?:摄影)?"
    rf"(?:报道|報道|報導)[:：]?|(?:{_PLAIN_CREDIT}\s+)+(?=\S)))?\s*"
)
_CLOSING_DATELINE = re.compile(
    rf"^[(（]\s*{_DATELINE_SOURCE}?[^\s()（）]{{0,12}}?(?:\d{{1,2}}月\d{{1,2}}日)?(?:电|電)\s*[)）]$"
)
_AGENCY_CREDIT = re.compile(
    r"^(新华社|中新社|人民视觉|视觉中国|人民图片|资料图片|人民图片网)(发|供图|图)?$"
)
_PICTURE_CREDIT = re.compile(
    r"^(?:以上|本版|上)?图片(?:均)?(?:为|由|来源[:：]?).{1,30}?(?:摄|提供|供图|拍摄)$|"
    r"^.{2,16}(?:供图|提供)$"
)
_TRAILING_PICTURE_CREDIT = re.compile(
    r"(?:(?<=[。！？”])|\s{2,})\s*(?P<credit>(?:以上|本版)?图片(?:均)?(?:为|由).{1,30}?"
    r"(?:摄|提供|供图|拍摄)|[\u4e00-\u9fff]{2,16}供图)$"
)
_TITLE_COLUMN = re.compile(
    r"[(（](?P<column>(?!(?:组图|图|图文|视频|多图|附图|上|中|下|续|完)[)）])"
    r"(?=[^()（）]*[\u4e00-\u9fff]{2})[^()（）]{2,30})[)）]$"
)
_COLUMN_WORDS = re.compile(
    r"(图片新闻|新闻速递|简讯|快讯|速递|短波|动态|信息|日记|手记|札记|观察|时评|快评|论坛|视点|特写|"
    r"速写|聚焦|专栏|调查|访谈|链接|来信|追访|回音|热线|信箱|速览|提示|导读|连线|直击)$"
)
# a column tag before the title: 【滨海快评】别让…
_PREFIX_TAG = re.compile(r"^【(?P<column>[^】]{2,10})】\s*(?P<title>\S.*)$")
_LETTER_COLUMN = re.compile(r"(来信|来函|信箱|读者来信|留言板?)$")
_BRIEF_COLUMN = re.compile(r"(简讯|快讯|速递|速览|短波|动态|信息|简报|集锦|一览|短讯|简讯)$")
_SERIES = re.compile(r"^[^\s，,。！？：:——]{2,16}·[^\s，,。！？：:——]{2,24}$")
_BANNER = re.compile(r"^[\u4e00-\u9fff“”‘’]{2,10}( +[\u4e00-\u9fff“”‘’]{2,10})+$")
_OPINION_COLUMN = re.compile(
    r"评论|时评|快评|短评|述评|社论|随笔|杂谈|漫谈|锐见|纵横|听音|观澜|言论|论坛|评论员|头条|评"
)
_STAFF_ROLES = (
    r"(?:摄影统筹|文字编辑|值班编辑|责任校对|责编|责任编辑|編輯|编辑|美编|美术编辑|版式设计|版式|设计|统筹|"
    r"策划|制图|校对|监制|审核|审校|终审|图片编辑|视觉设计|排版|投稿邮箱|栏目投稿邮箱|来信请寄|来稿请寄|"
    r"读者热线|責編|責任編輯|美編|版式設計|設計|統籌|策劃|製圖|校對|監製|審核|圖片編輯)"
)
_STAFF = re.compile(
    rf"^[(（【]?(?:本版|本期|本刊|本栏)?{_STAFF_ROLES}\s*[:：]\s*\S.{{0,50}}?[)）】]?$"
    rf"|^(?:(?:本版)?{_STAFF_ROLES}\s+[\u4e00-\u9fff]{{2,4}}\s*){{1,5}}$"
)
_TRAILING_STAFF = re.compile(
    r"(?<=[。！？”])\s*(?P<staff>(?:本版|本期)?(?:责编|责任编辑|编辑|版式设计|制图|统筹|策划)"
    r"\s*[:：]\s*[\u4e00-\u9fff ]{2,12})$"
)
_EDITOR_SIGNATURE = re.compile(
    r"^[—\-]{1,2}\s*([编編]\s*者|本[报報][编編][辑輯]部|[编編]\s*[辑輯])$"
)
_SOURCE_NOTE = re.compile(
    r"^[(（]\s*(摘编自|摘編自|摘自|转载自|轉載自|转自|轉自|原载|原載|来源[:：]|來源[:：]|本文|稿件来源).+[)）]$"
)
_AD_STUB = re.compile(r"^广\s*告$")
_RECORD_NUMBER = re.compile(r"^第\s*\d{1,5}\s*[篇条則则]$")
_CLOSING_BRACKET = re.compile(r"(?P<credit>[(（](?P<inner>[^()（）]{2,40})[)）])[?？]?$")
_TRAILING_BYLINE = re.compile(rf"(?<=[。！？”])\s*(?P<credit>(?:{_ROLE})\s*\S.{{0,36}}?)$")
_PROSE = re.compile(r"[。！？!?]")
# the speaker of an interview's question or answer
_SPEAKER = re.compile(r"^(?:问|答|记者|主持人|Q|A)\s*[:：]")
#: A crawler's headline line: kicker, title and subtitle joined by tabs.
TAB_HEADLINE = re.compile(r"^[^\t\n。！？]{1,60}(?:\t+[^\t\n。！？]{0,60})+$")
# characters of function words, dates and credits, which a run of names does not hold
_NOT_NAME = re.compile(r"[的了由是在等之其所以把被向年月日号图摄供提版期]")
# crawler fields: 标题：…, 作者：…  时间：…, 连接：url, 内容：
_FIELD_KEYS = {
    "url": "连接|链接|網址|网址|原文链接|原文地址|链接地址|文章链接|文章地址|連結|url|link",
    "title": "标题|標題|题目|主题|文章标题|新闻标题|主标题|title|headline",
    "kicker": "引题|肩题|肩标题|引标题|kicker",
    "subtitle": "副标题|副題|副题|subtitle|subhead",
    "body": "内容|內容|正文|正文内容|文章内容|content|body|text",
    "author": "作者|author|authors|byline",
    "time": (
        "时间|時間|日期|发布时间|发表时间|出版时间|出版日期|发布日期|刊发日期|见报日期|date|time|"
        "pubtime|pubdate|published"
    ),
    "source": "来源|來源|出处|稿源|source",
    "page": "版次|版面|版名|page|section",
    "column": "栏目|欄目|column",
}
_KEY_NAME = {k: name for name, keys in _FIELD_KEYS.items() for k in keys.split("|")}
_KEYS = "|".join(sorted(_KEY_NAME, key=len, reverse=True))
# crawler fields: 标题：…, 【标题】…, title: …, 作者：…  时间：…, 连接：url, 内容：
_FIELD = re.compile(
    rf"^(?:【(?P<bkey>{_KEYS})】|(?P<key>{_KEYS})\s*[:：])\s*(?P<value>.*)$", re.IGNORECASE
)
_SOURCE_LINE = re.compile(
    r"^(?P<byline>.*?)《(?P<paper>[^《》]{2,16})》\s*[(（]\s*(?P<date>(?:19|20)\d\d年\s*\d{1,2}\s*月"
    r"\s*\d{1,2}\s*日)\s*(?:第\s*(?P<page>\d{1,3})\s*版|(?P<page2>\d{1,5})\s*版)\s*[)）]$"
)

#: Maximum length (characters) of a headline-like line on an unindented page. Titles
#: and section heads are short; a longer unpunctuated line is a paragraph cut by the
#: layout. Kickers ending in —— may be longer (MAX_KICKER_CHARS).
MAX_HEADLINE_CHARS = 32
MAX_KICKER_CHARS = 60
#: A run of this many headline-like lines is a list (captions, a table of contents),
#: not a headline block: column, kicker, title and subtitle make four at most.
MAX_BLOCK_LINES = 4


@dataclass
class Contributor:
    """A person credited on an article, with the role printed beside the name."""

    name: str
    role: str | None
    photo: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "photo": self.photo}


# what normalisation strips at the ends of a line, and what it changes inside one
_STRIPPED = (
    " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
_INNER_CHANGES = re.compile(
    r"\s{2,}|[\t\f\v\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]"
)


@dataclass(slots=True)
class Line:
    """One non-empty line of a page, with its provenance and classification."""

    number: int
    start: int
    end: int
    raw: str
    text: str
    indented: bool
    gap: int
    raw_start: int = 0
    form: str = ""
    label: str = ""
    rule: str = ""
    article: int | None = None
    furniture: Furniture | None = field(default=None, repr=False)
    info: dict = field(default_factory=dict, repr=False)

    @property
    def offsets(self) -> list[int] | range:
        """File offset of every character of ``text`` (computed when asked for)."""
        shift = self.info.get("cut", 0)
        lead = len(self.raw) - len(self.raw.lstrip(_STRIPPED))
        core = self.raw.strip(_STRIPPED)
        if len(core) == len(self.text) + shift and not _INNER_CHANGES.search(core):
            # nothing inside the line was collapsed or removed: characters map one to one
            first = self.raw_start + lead + shift
            return range(first, first + len(self.text))
        _, offsets = normalize_with_offsets(self.raw)
        return [self.raw_start + k for k in offsets[shift : shift + len(self.text)]]


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
    date: str = ""
    url: str = ""
    metadata: list[str] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)
    fields_seen: set[str] = field(default_factory=set, repr=False)

    @property
    def authors(self) -> list[str]:
        """Names of the people credited, in order, without duplicates."""
        return list(dict.fromkeys(c.name for c in self.contributors))


@dataclass
class PageSplit:
    """The result of splitting one page: articles, every classified line, furniture and
    what the page says about itself."""

    articles: list[Article]
    lines: list[Line]
    indented: bool
    meta: PageMeta = field(default_factory=PageMeta)
    #: lines of the source that are not in ``lines`` (the rest of an HTML page), as
    #: (where, text); and a markdown file's front matter
    outside: list[tuple[str, str]] = field(default_factory=list)
    front_matter: dict = field(default_factory=dict)

    @property
    def furniture(self) -> list[Line]:
        return [ln for ln in self.lines if ln.label == "furniture"]


# --- helpers ----------------------------------------------------------------------


def _strip_closers(text: str) -> str:
    return text.rstrip(_CLOSERS + " ")


def _ends_sentence(text: str) -> bool:
    """True when the line ends a sentence (closing quotes and brackets aside); an English
    full stop after a word counts too."""
    core = _strip_closers(text)
    return bool(core) and (
        core[-1] in _SENTENCE_END or (core[-1] == "." and len(core) > 1 and core[-2].isalpha())
    )


_LATIN_END = re.compile(r"[A-Za-z0-9.,;:!?%)'\"]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\"']")


def join_pieces(pieces: list[str]) -> str:
    """Join the lines of a paragraph broken by the layout: Chinese joins without a space,
    English words keep the space the line break stood for.

    >>> join_pieces(["工会为职工", "办实事。"]), join_pieces(["the union said", "on Monday."])
    ('工会为职工办实事。', 'the union said on Monday.')
    """
    out = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        if out and piece and _LATIN_END.search(out) and _LATIN_START.match(piece):
            out += " "
        out += piece
    return out


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


def _ends_mid_sentence(text: str) -> bool:
    """True when the line clearly stops in the middle of a sentence or a word."""
    if not text or text.endswith("——"):
        return False
    last = text[-1]
    return last in _MID_SENTENCE_END or is_cjk(last) or last.isalnum()


def _split_names(chunk: str) -> list[str]:
    """Split a run of names; rejoin names that the layout spaced out (赵  兵, 胡  旭).

    >>> _split_names("吴光于  胡  旭  尹  恒")
    ['吴光于', '胡旭', '尹恒']
    """
    tokens = [t for t in re.split(r"[\s、,，/;；]+", chunk) if t]
    names: list[str] = []
    pending = ""
    for tok in tokens:
        single = len(tok) == 1 and is_cjk(tok)
        if single and not pending:
            pending = tok
        elif single:
            names.append(pending + tok)
            pending = ""
        else:
            names.append(pending + tok)
            pending = ""
    if pending:
        names.append(pending)
    return names


def parse_byline(text: str, *, bare: bool = False) -> list[Contributor] | None:
    """Parse a byline or credit line; return ``None`` when the line is not one.

    Roles apply to the names that follow them until the next role; a name before any
    role gets ``role=None``. A trailing 摄 (or 摄影, 供图 ...) marks a photo credit. A
    byline of an institution without a person (本报评论员) gives an empty list. Names
    without any role, marker or credit word count only when ``bare`` is set (the
    byline slot of a source line).

    >>> [c.as_dict() for c in parse_byline("杨明清 本报记者 张楠 本报通讯员 匡润金")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'name': '杨明清', 'role': None, 'photo': False},
     {'name': '张楠', 'role': '本报记者', 'photo': False},
     {'name': '匡润金', 'role': '本报通讯员', 'photo': False}]
    >>> [(c.name, c.photo) for c in parse_byline("本报记者 王伟伟 摄")]
    [('王伟伟', True)]
    >>> parse_byline("党政支持夯实基础") is None, parse_byline("本报评论员")
    (True, [])
    """
    text = normalize_line(text)
    marked = text[:1] in _MARKERS
    body = text.lstrip(_MARKERS + " ")
    agency = re.search(r"[(（][^()（）]{2,8}[)）]$", body)  # 刘进银摄（影像中国）
    if agency and _CREDIT_SUFFIX.search(body[: agency.start()].strip()):
        body = body[: agency.start()].strip()
    if not body or len(body) > 48 or re.search(r"[。！？!?:：;；“”\"《》]", body):
        return None
    if _INSTITUTION.match(body.replace(" ", "")):
        return []
    photo = False
    if m := re.match(r"^(文|图|圖|摄影|攝影|摄|攝)\s*[/／:：]\s*", body):
        photo = m.group(1) not in ("文",)
        body = body[m.end() :]
    body = re.sub(rf"({_ROLE})\s*[/／]\s*", r"\1 ", body)  # 记者/何静怡
    slash = _SLASH_SUFFIX.search(body)
    if slash:
        photo = slash.group("what") in ("摄影", "攝影", "摄", "攝")
        body = body[: slash.start()].strip()
        if not body:
            return None
    body = re.sub(r"\s*(?:报\s*道|報\s*導|報\s*道)$", "", body)
    credit = None if slash else _CREDIT_SUFFIX.search(body)
    if credit:
        photo = credit.group() in ("摄", "摄影", "摄影报道", "攝", "攝影", "攝影報導")
        body = body[: credit.start()].strip()
        if not body:
            return None
    parts = _ROLE_RE.split(body)
    roles = _ROLE_RE.findall(body)
    contributors: list[Contributor] = []
    role: str | None = None
    for k, part in enumerate(parts):
        if k:
            role = roles[k - 1]
        if not part.strip():
            continue
        for name in _split_names(part):
            if not _NAME.match(name):
                return None
            contributors.append(Contributor(name=name, role=role, photo=photo))
    if not contributors:
        return [] if roles and not credit else None
    if slash and not roles and not all(looks_like_name(c.name, strict=True) for c in contributors):
        return None
    glued = (
        roles and len(contributors) == 1 and re.fullmatch(rf"{_ROLE}[\u4e00-\u9fff]{{2,3}}", body)
    )
    if glued and not looks_like_name(contributors[0].name, strict=True):
        return None  # 记者吴晓静 is a byline, 读者来信 and 记者追访 are column labels
    if marked and not roles and not credit:
        # □孔俊勇 is a byline, ■信息 a column label: a marked bare name needs a surname
        if not all(looks_like_name(c.name, strict=True) for c in contributors):
            return None
    elif not (roles or marked or credit or bare or slash):
        return None
    return contributors


def _closing_credit(inner: str, *, alone: bool) -> list[Contributor] | None:
    """Contributors of a closing bracket credit: (晓溪), (王和平 王公民), (孟翔翼张锐),
    （本报记者甲、乙、丙）, （执笔：甲、乙）. ``alone`` is set for a bracket on a line of
    its own, where a single name must also look like a surname and given name."""
    inner = normalize_line(inner)
    inner = re.sub(r"^(?:执笔|撰稿|撰文|文|图|圖|整理|采写)\s*[:：]\s*", "", inner)
    inner = re.sub(r"\s*(?:采访整理|整理|报道|供稿|采写)$", "", inner)
    if not inner or re.search(r"[。！？:：;；“”《》\d]", inner):
        return None
    byline = parse_byline(inner)
    if byline:
        return byline
    tokens = [t for t in re.split(r"[\s、,，/]+", inner) if t]
    names: list[str] = []
    for token in tokens:
        if looks_like_name(token):
            names.append(token)
        elif re.fullmatch(r"[\u4e00-\u9fff]{5,9}", token) and not _NOT_NAME.search(token):
            pieces = split_name_run(token)
            # inside running text a run is names only when every piece has a surname
            if not alone and not all(p[0] in SURNAMES for p in pieces):
                return None
            names += pieces
        else:
            return None
    if not names or len(names) > 8:
        return None
    if alone and len(names) == 1 and not looks_like_name(names[0], strict=True):
        return None
    return [Contributor(name=n, role=None) for n in names]


def _source_line(text: str) -> dict | None:
    """A byline followed by the paper and its date and page, such as
    ``本报记者  李昌禹《人民日报》（2026年01月02日第 01 版）`` or
    ``《工人日报》(2008年11月25日 005版)``."""
    m = _SOURCE_LINE.match(text)
    if not m:
        return None
    byline = m.group("byline").strip()
    contributors = parse_byline(byline, bare=True) if byline else []
    if contributors is None:
        return None
    page = m.group("page") or m.group("page2")
    meta = PageMeta(date=iso_date(m.group("date")), paper=m.group("paper"), page=str(int(page)))
    return {"contributors": contributors, "meta": meta, "byline": byline}


def _field(text: str) -> dict | None:
    """A crawler field (``标题：…``, ``【作者】…``, ``author: …``,
    ``作者：甲;乙  时间：2012-01-04``): its name, value and what it says."""
    m = _FIELD.match(text)
    if not m:
        return None
    key = m.group("bkey") or m.group("key")
    name = _KEY_NAME.get(key) or _KEY_NAME[key.lower()]
    value = m.group("value").strip()
    info: dict = {"field": name, "value": value}
    if name == "time":
        if value and not re.fullmatch(r"[\d\s:：\-/.年月日T+]+", value):
            return None
        info["date"] = iso_date(value)
    elif name == "author":
        when = re.search(r"\s(?:时间|日期|時間)\s*[:：]\s*(\S+)", value)
        info["date"] = iso_date(when.group(1)) if when else ""
        value = value[: when.start()].strip() if when else value
        if other := re.search(r"\s(?:来源|來源|出处|版次|刊期)\s*[:：]\s*(?P<rest>.*)$", value):
            # 作者：韦 岚 来源：人民日报（2024年07月09日 第 05 版）
            info["meta"] = header_metadata(other.group("rest"))
            value = value[: other.start()].strip()
        info["value"] = value
        contributors = parse_byline(re.sub(r"[;；,，]", " ", value), bare=True) if value else []
        if contributors is None:
            return None
        info["contributors"] = contributors
    elif name in ("title", "kicker", "subtitle") and _PROSE.search(value):
        return None
    elif name == "source":
        credit = re.search(r"[(（]([^()（）]{2,30})[)）]", value)
        info["contributors"] = (parse_byline(credit.group(1)) or []) if credit else []
        info["paper"] = re.sub(r"[(（].*$", "", value).strip()
    elif name == "page":
        info["meta"] = header_metadata(value if "版" in value else f"第{value}版")
    return info


def _line_form(text: str) -> tuple[str, str, dict]:
    """Classify a normalised line by its own form: (form, rule, details)."""
    if furniture := line_furniture(text):
        if (
            by := re.search(
                r"作者\s*[:：]\s*(?P<names>[^:：|｜]{2,40}?)\s*(?:$|[|｜]|\S{2,4}[:：])", text
            )
        ) and (people := parse_byline(by.group("names"), bare=True)):
            # a web page's source and time line that names the writer
            return "byline", "source, time and author line of a web page", {"contributors": people}
        return "furniture", furniture.rule, {"furniture": furniture}
    if info := _field(text):
        return "field", f"crawler field ({info['field']})", info
    if _AD_STUB.match(text):
        return "furniture", "advertisement stub (广告)", {}
    if _RECORD_NUMBER.match(text):
        return "furniture", "number of a record in a crawler export (第N篇)", {}
    if source := _source_line(text):
        return "source", "source line (byline《报》（date 第N版）)", source
    if _STAFF.match(text):
        return "staff", "staff line (责编, 版式设计, 统筹 …)", {}
    if _EDITOR_SIGNATURE.match(text):
        return "editor_note", "signature of an editor's note (——编者)", {}
    if _AUTHOR_UNIT.match(text):
        return "author_unit", "author-unit note (作者单位…)", {}
    if _CONTINUATION.match(text) and len(text) <= 16:
        return "continuation", "continuation note (下转/上接 … 版)", {}
    if _DIARY_DATE.match(text):
        return "date_line", "diary date line (月日 星期)", {}
    if _BARE_DATE.match(text):
        return "date", "a date on a line of its own", {}
    if _CLOSING_DATELINE.match(text):
        return "dateline", "closing dateline ((本报…电))", {}
    if _SOURCE_NOTE.match(text):
        return "note", "source note ((摘编自…))", {}
    if re.fullmatch(r"[(（][^()（）]{2,40}[)）][?？]?", text):
        inner = text.rstrip("?？").strip()[1:-1]
        if (credit := _closing_credit(inner, alone=True)) is not None:
            return "closing_credit", "closing credit in brackets ((姓名))", {"contributors": credit}
    if _AGENCY_CREDIT.match(text) or (_PICTURE_CREDIT.match(text) and not _PROSE.search(text)):
        credit = _picture_credit_people(text)
        return "credit", "photo credit (… 摄 / 供图 / 图片为…)", {"contributors": credit}
    contributors = parse_byline(text)
    if contributors is not None:
        form = "credit" if any(c.photo for c in contributors) else "byline"
        return form, "", {"contributors": contributors}
    if text[:1] in _MARKERS and (len(text) > MAX_HEADLINE_CHARS or _PROSE.search(text)):
        return "item", "marked item (■ ▲ △ ● …) of a column of briefs", {}
    if (m := re.fullmatch(r"(?:读者)?\s*(\S{2,12})\s+(?:读者\s*)?(\S{2,4})", text)) and (
        looks_like_place(m.group(1)) and looks_like_name(m.group(2), strict=True)
    ):
        reader = Contributor(m.group(2), "读者")
        return "byline", "signature of a letter (place and name)", {"contributors": [reader]}
    if looks_like_name(text.replace(" ", ""), strict=True) and (" " in text or len(text) <= 3):
        return "name", "", {"contributors": [Contributor(text.replace(" ", ""), None)]}
    return ("headline" if _headline_like(text) else "body"), "", {}


def _picture_credit_people(text: str) -> list[Contributor]:
    """Photographers named in a picture credit (以上图片均为本报记者宋豪新摄)."""
    m = re.search(rf"(?:{_ROLE})\s*(?P<names>[\u4e00-\u9fff、 ]{{2,20}}?)\s*(?:摄|拍摄)$", text)
    if not m:
        return []
    return [Contributor(n, None, photo=True) for n in _split_names(m.group("names"))]


def _headline_like(text: str) -> bool:
    if _SPEAKER.match(text):
        return False
    if text.endswith("——"):
        return len(text) <= MAX_KICKER_CHARS
    if tag := _TITLE_COLUMN.search(text):
        text = text[: tag.start()]  # a column tag (人民时评) does not make a title long
    if len(text) > MAX_HEADLINE_CHARS or "。" in text:
        return False
    core = _strip_closers(text)
    if not core or core[-1] in "，,、；;：:…":
        return False
    if re.search(r"[A-Za-z]\.$", core) and core.count(" ") >= 2:
        return False  # an English sentence
    # A short exclamation can be a headline; a long one is a sentence of the body.
    return not (core[-1] in _SENTENCE_END and len(text) > 20)


_INDENT = re.compile(r"^[\s\u3000\u00a0]{2,}|^\u3000")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _read_lines(
    text: str, start: int = 0, end: int | None = None, first_number: int = 1, base: int = 0
) -> list[Line]:
    """The non-empty lines of ``text[start:end]``, numbered from ``first_number``, with
    offsets into the whole file (``text`` starts at ``base`` in it)."""
    lines: list[Line] = []
    gap = 0
    number = first_number - 1
    for match in _LINE.finditer(text, start, len(text) if end is None else end):
        raw_with_end = match.group()
        if not raw_with_end:
            break
        number += 1
        raw = raw_with_end.rstrip("\r\n")
        line_start = base + match.start()
        pieces = [(raw, line_start)]
        if "\t" in raw and TAB_HEADLINE.match(raw.strip(" \u3000")):
            # a crawler's headline, kicker<TAB>title<TAB>subtitle: one line per part
            pieces = [(m.group(), line_start + m.start()) for m in re.finditer(r"[^\t]+", raw)]
        for piece, piece_start in pieces:
            norm = normalize_line(piece)
            if not norm:
                if len(pieces) == 1:
                    gap += 1
                continue
            lead = len(piece) - len(piece.lstrip(_STRIPPED))
            trail = len(piece.rstrip(_STRIPPED))
            indented = bool(_INDENT.match(piece))
            line = Line(
                number,
                piece_start + lead,
                piece_start + trail,
                piece,
                norm,
                indented,
                gap,
                piece_start,
            )
            lines.append(line)
            gap = 0
    return lines


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
        if line.form != "furniture":
            previous = line


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


# --- re-joining layout breaks ------------------------------------------------------


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
            if joins and line.gap <= 1 and not line.info.get("explicit"):
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
        and not _DATE_HEAD.match(text)
        and len(text) <= 30
        and not _ends_sentence(text)
        and not re.fullmatch(r"[(（].*[)）]", text)
    )


# --- the splitter -----------------------------------------------------------------


@dataclass
class _State:
    """What the walk over a page's units has seen so far."""

    indented: bool
    strict: bool
    normal_gap: int
    single: bool = False
    briefs: bool = False
    articles: list[Article] = field(default_factory=list)
    current: Article | None = None
    section: str | None = None
    terminal: bool = False  # the current article has printed an end-of-article mark
    record: dict | None = None  # a crawler record (连接：…) waiting for its article
    title_first: bool = False  # an empty 标题： field: the next block starts with the title
    bylined: bool = False  # some headline on the page has a byline right under it
    record_key: str = ""  # the crawler field that opens every record of an export
    column_run: str | None = None  # the column head over a run of briefs
    echoes: list[str] = field(default_factory=list)  # furniture lines, spaces removed


def split_page(
    text: str,
    *,
    boilerplate: Collection[str] = (),
    hints: dict[int, str] | None = None,
    single: bool = False,
    briefs: bool = False,
    keep_lines: bool = True,
) -> PageSplit:
    """Split the decoded text of one page into articles.

    ``boilerplate`` holds lines known to repeat across the files of the page's folder
    (:func:`analysis.furniture.repeated_lines`); in the page's top or bottom area they
    are furniture. ``hints`` gives roles that markup states for some lines (line number
    → title, kicker, subtitle, section or quote; see :mod:`analysis.frontmatter`).
    ``single`` reads the text as one article (a crawler file of one article): later
    headline blocks are section headings; with ``briefs``, items that open with a
    dateline under their own headline still start new articles (a file that holds a
    column of briefs).

    A text longer than ``SEGMENT_CHARS`` (an archive saved as one file) is read in
    segments cut where articles begin (:func:`_segment_bounds`), so time and memory grow
    linearly with its size; with ``keep_lines=False`` the classified lines are dropped
    once each segment is split (what a loader needs), furniture lines excepted.

    >>> page = "标题一\\n\\n本报记者 王鑫\\n\\n正文。\\n\\n标题二——\\n\\n标题三\\n\\n正文。"
    >>> [a.title for a in split_page(page).articles]
    ['标题一', '标题三']
    """
    bounds = _segment_bounds(text) if len(text) > SEGMENT_CHARS and not hints else [0, len(text)]
    if len(bounds) == 2:
        split = _split_segment(text, 0, len(text), 1, boilerplate, hints or {}, single, briefs)
        if not keep_lines:
            _drop_lines(split)
        return split
    articles: list[Article] = []
    lines: list[Line] = []
    meta = PageMeta()
    indented = False
    for part in _split_segments(text, bounds, boilerplate, single, briefs, keep_lines):
        for art in part.articles:
            art.order = len(articles) + 1
            for line in art.lines:
                line.article = art.order
            articles.append(art)
        lines.extend(part.lines)
        meta.update(part.meta)
        indented = indented or part.indented
    return PageSplit(articles=articles, lines=lines, indented=indented, meta=meta)


def _split_segments(
    text: str,
    bounds: list[int],
    boilerplate: Collection[str],
    single: bool,
    briefs: bool,
    keep_lines: bool,
) -> Iterator[PageSplit]:
    """Split each segment of a long text, in worker processes when the classified lines
    need not come back (they would cost more to send than to compute)."""
    numbers = [1]
    for start, end in itertools.pairwise(bounds):
        numbers.append(numbers[-1] + text.count("\n", start, end))
    jobs = (
        (text[start:end], start, number, tuple(boilerplate), single, briefs)
        for (start, end), number in zip(itertools.pairwise(bounds), numbers, strict=False)
    )
    n_jobs = min(cpu_count(), len(bounds) - 1)
    if keep_lines or n_jobs <= 1:
        for job in jobs:
            yield _split_job(job, keep_lines=keep_lines)
        return
    with worker_pool(n_jobs) as pool:
        # a few segments in flight at a time: each is a copy of part of the text
        pending: deque = deque()
        for job in jobs:
            pending.append(pool.submit(_split_job, job))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _split_job(job: tuple, *, keep_lines: bool = False) -> PageSplit:
    segment, offset, number, boilerplate, single, briefs = job
    split = _split_segment(segment, 0, len(segment), number, boilerplate, {}, single, briefs,
                           base=offset)  # fmt: skip
    if not keep_lines:
        _drop_lines(split)
    return split


#: Pages longer than this many characters are read in segments (see split_page).
SEGMENT_CHARS = 2_000_000
# a cut is looked for this far after each target position
_SEGMENT_SLACK = 500_000
# two or more blank lines, then a line: where pages were joined into one file
_PAGE_BREAK = re.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+(?=[ \t\u3000]*\S)")
# one blank line, then a short line without a full stop: a headline after a paragraph
_HEADLINE_BREAK = re.compile(r"[。！？”)）]\s*\n[ \t\u3000]*\n(?=[^\n。]{2,32}\n)")


def _segment_bounds(text: str) -> list[int]:
    """Where to cut a very long text so that no article is cut: after a run of blank
    lines (pages joined into one file), else before a headline after a paragraph's end,
    else (a text with neither) at a line end."""
    bounds = [0]
    while len(text) - bounds[-1] > SEGMENT_CHARS:
        target = bounds[-1] + SEGMENT_CHARS
        limit = min(len(text), target + _SEGMENT_SLACK)
        cut = None
        for pattern in (_PAGE_BREAK, _HEADLINE_BREAK):
            if m := pattern.search(text, target, limit):
                cut = m.end()
                break
        if cut is None:
            newline = text.find("\n", target, limit)
            cut = newline + 1 if newline >= 0 else limit
        bounds.append(cut)
    bounds.append(len(text))
    return bounds


def _drop_lines(split: PageSplit) -> None:
    """Forget the classified lines (memory for huge pages), keeping the furniture."""
    for art in split.articles:
        art.lines = []
    split.lines = []


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


def _dateline_after(units: list[list[Line]], end: int) -> bool:
    following = _next_unit(units, end)
    return (
        following is not None
        and following[0].form == "body"
        and bool(_INLINE_DATELINE.match(following[0].text))
    )


def _marked(unit: list[Line]) -> bool:
    return unit[0].text[:1] in _MARKERS and unit[0].form == "headline"


def _briefs_expected(st: _State) -> bool:
    """Whether a marked item starts a brief here, rather than being a caption inside an
    article (▲ 城东街道颐康家园里，老人们…): under a column head or after another brief."""
    current = st.current
    return (
        current is None or bool(st.column_run) or _is_head_only(current) or current.kind == "brief"
    )


def _headline_tail(units: list[list[Line]], start: int, end: int) -> int:
    """Where a long run of short lines ends when a byline follows it: its last one to
    three lines after a blank line are the next article's headline."""
    if not _opens_byline(_next_unit(units, end)):
        return end
    for k in range(end - 1, max(start, end - 3) - 1, -1):
        if units[k][0].gap >= 1 and all(u[0].gap == 0 for u in units[k + 1 : end]):
            return k if k > start else end
    return end


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


def _is_head_only(art: Article) -> bool:
    return not art.paragraphs and not art.contributors and not art.sections


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


def _next_unit(units: list[list[Line]], index: int) -> list[Line] | None:
    return units[index] if index < len(units) else None


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


def _is_photo_item(units: list[list[Line]], end: int) -> bool:
    """True when the lines after a headline are at most three paragraphs and a credit."""
    for paragraphs, unit in enumerate(units[end : end + 5]):
        form = unit[0].form
        if form in ("credit", "byline", "closing_credit") and paragraphs:
            return paragraphs <= 3
        if form != "body":
            return False
    return False


def _label(unit: list[Line], label: str, rule: str, article: Article | None) -> None:
    for k, line in enumerate(unit):
        if k == 0 or not line.label:
            line.label, line.rule = label, rule or line.rule
        line.article = article.order if article else None
        if article is not None:
            article.lines.append(line)


def _assign_headline_roles(
    art: Article,
    block: list[list[Line]],
    rule: str,
    title_first: bool,
    echoes: Collection[str] = (),
) -> None:
    texts = [_unit_text(u).lstrip(_MARKERS + " ") or _unit_text(u) for u in block]
    n = len(texts)
    if n >= 2 and (m := re.fullmatch(r"【([^】]{2,10})】", texts[0])):
        # 【湾区观察】 on a line of its own above the headline: the column
        art.column = m.group(1)
        _label(block[0], "column", "column tag in brackets above the headline", art)
        block, texts, n = block[1:], texts[1:], n - 1
    hinted = [u[0].info.get("role", "") for u in block]
    fields = [u[0].info.get("explicit", "") for u in block]
    if any(f in ("field_kicker", "field_subtitle") for f in fields):
        hinted = [f.removeprefix("field_") if f.startswith("field_") else "" for f in fields]
    if any(hinted):
        _assign_hinted_roles(art, block, texts, hinted, rule)
        return
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
        credits = m.group("credits") or m.group("plain")
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


_CAPTION = re.compile(r"^(?:图为|图[①-⑳\d]|图[:：]|上图|下图|左图|右图|题图|圖為|圖[:：])")


def _only_captions(art: Article) -> bool:
    """True when the article has no text yet but photo captions (图为…), which may come
    before the paragraph that opens with the dateline."""
    return all(_CAPTION.match(p) for p in art.paragraphs)


def _trailing_credit(text: str) -> tuple[list[Contributor], int] | None:
    """A credit closing a paragraph: ``…氛围。(晓溪)``, ``…好去处。 新华社记者 郝同前 摄``,
    ``…主力军。 读者 薛芳玲``. Returns the contributors and where the credit starts."""
    if m := _CLOSING_BRACKET.search(text):
        before = text[: m.start()].rstrip()
        if before and (_ends_sentence(before) or before[-1] in "”」"):
            credit = _closing_credit(m.group("inner"), alone=False)
            if credit:
                return credit, m.start()
            if re.search(r"(?:供图|提供|摄|攝|拍摄)$", m.group("inner")):
                # （通讯员供图）: a picture credit that names nobody
                return [], m.start()
    if m := _TRAILING_BYLINE.search(text):
        credit = parse_byline(m.group("credit"))
        if credit and _ROLE_RE.match(m.group("credit")):
            return credit, m.start()
    return None


def _span(line: Line, a: int, b: int) -> tuple[int, int]:
    """File span of characters ``a:b`` of a line's normalised text."""
    offsets = line.offsets
    if b <= a:
        return (offsets[a] if a < len(offsets) else line.end,) * 2
    return offsets[a], offsets[b - 1] + 1


def _parse_inline_credits(text: str) -> list[Contributor]:
    """Parse the credits of 本报讯(记者张静 通讯员贺鹏 胡雪莹) or 记者吴晓静 通讯员章明飞报道."""
    contributors: list[Contributor] = []
    role: str | None = None
    text = re.sub(r"\s*(?:摄影)?(?:报道|報道|報導)[:：]?$", "", normalize_line(text))
    text = re.sub(r"[/／]", " ", text)
    for part in re.split(f"({_ROLE})", text):
        if not part.strip():
            continue
        if _ROLE_RE.fullmatch(part):
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
