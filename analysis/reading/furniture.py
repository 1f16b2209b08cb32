"""Page furniture: the lines of a copied web or e-paper page that belong to no article.

A user who copies an e-paper page gets the site's header (paper name, date and weekday,
page number and name such as ``第03版:工会``, ``出版日期:…``), navigation (``上一版 下一版``,
``放大 缩小 默认``), a list of the page's headlines, widgets (``语音播报``, ``分享到``) and
footers (copyright, ICP numbers, 举报电话, app links). None of it is ever a title, kicker,
author or body text. Furniture is found three ways:

1. **By form** (:func:`line_furniture`): a line made only of web-interface words and
   separators, a page header, a copyright or registration line, a bare URL … Patterns
   name kinds of lines, never a newspaper or a site, so they cover the first page of a
   source never seen before.
2. **By position** (:func:`zone_furniture`): the top of a page down to its last header or
   navigation line, when no prose comes before it, is the site's header area (it holds
   the browser-title line and the page's list of headlines); the tail of a page after
   its last prose paragraph, from the first footer or navigation line on, is the footer.
3. **By repetition** (:func:`repeated_lines`): a line that recurs in the top or bottom
   area of several files of one folder is boilerplate, as jusText and trafilatura reason.

Every furniture line keeps the rule that removed it (``articles --explain`` shows it),
and header lines also give the page's metadata (:func:`header_metadata`): the date, the
paper, the page number and the page name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Furniture",
    "PageMeta",
    "header_metadata",
    "iso_date",
    "line_furniture",
    "repeated_lines",
    "zone_furniture",
]

#: Kinds of furniture. A "zone" kind (header, navigation, footer) also bounds the
#: page's header and footer areas; a "widget" is furniture only by itself.
ZONE_KINDS = frozenset({"header", "navigation", "footer"})


@dataclass(frozen=True)
class Furniture:
    """Why a line is furniture: its kind (header, navigation, footer, widget) and rule."""

    kind: str
    rule: str

    @property
    def bounds_zone(self) -> bool:
        return self.kind in ZONE_KINDS


@dataclass
class PageMeta:
    """What a page says about itself: ISO date, paper, page number and page name."""

    date: str = ""
    paper: str = ""
    page: str = ""
    page_name: str = ""

    def update(self, other: PageMeta) -> None:
        """Fill the fields still empty from ``other`` (the first evidence wins)."""
        for name in ("date", "paper", "page", "page_name"):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))

    def as_dict(self) -> dict[str, str]:
        return {"date": self.date, "paper": self.paper, "page": self.page,
                "page_name": self.page_name}  # fmt: skip


# --- dates ---------------------------------------------------------------------------

_DATE_CN = r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_DATE_ISO = r"(?P<y2>(?:19|20)\d\d)[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})"
_DATE = re.compile(f"{_DATE_CN}|{_DATE_ISO}")
_WEEKDAY = r"[(（]?(?:星期|周|週)[一二三四五六日天][)）]?"


def iso_date(text: str) -> str:
    """The first full date in ``text`` as ``YYYY-MM-DD``, or "" when there is none.

    >>> iso_date("出版日期:1983年05月10日"), iso_date("本期出版日期:2023-11-24")
    ('1983-05-10', '2023-11-24')
    >>> iso_date("5月18日")
    ''
    """
    m = _DATE.search(text)
    if not m:
        return ""
    y, mo, d = (
        (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else m.group("y2", "m2", "d2")
    )
    month, day = int(mo), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{int(y):04d}-{month:02d}-{day:02d}"


# --- furniture by form ----------------------------------------------------------------

# Words of web-page interfaces (navigation, reading tools, widgets). A line made of
# nothing else is furniture; only multi-character phrases are listed, so a one-word
# column label such as 评论 is never taken for a button.
_NAV_WORDS = (
    "上一版|下一版|上一期|下一期|上一篇|下一篇|上一页|下一页|上一条|下一条|前一版|后一版|"
    "版面导航|本版导读|本版标题|本版新闻|本版要闻|今日导读|要闻导读|标题导航|版面概览|版面目录|"
    "往期回顾|往期|返回目录|返回首页|返回顶部|返回上页|回到顶部|放大|缩小|默认|站内高级搜索|"
    "高级搜索|站内搜索|全文检索|检索|PDF下载|下载PDF|PDF版|首页|尾页|目录|相关新闻|相关阅读|"
    "相关链接|相关报道|延伸阅读|延伸閱讀|相關新聞|推荐阅读|热点推荐|更多新闻|阅读原文|"
    "轻触阅读原文|继续滑动看下一个|向上滑动看下一个|上一頁|下一頁|回首頁|首頁|往期回顧|"
    "报纸检索|本版PDF|PDF|登录|注册|退出|电子版帮助|帮助"
)
_WIDGET_WORDS = (
    "语音播报|分享到|一键分享|分享|更多|打印本页|打印|关闭窗口|关闭|收藏本页|收藏|"
    "新闻评论|发表评论|我要评论|网友评论|评论\\d+|等待处理…?|加载中…?|正在加载…?|"
    "(?:字号|字體|字体)(?:\\s*[:：]?\\s*大\\s*中\\s*小)?|扫一扫|扫码关注|扫码阅读|扫描二维码|二维码|友情链接|TOP|"
    "纠错|微信|微博|QQ空间|QQ|朋友圈|抖音|今日头条|Facebook|LINE|Twitter|複製連結|复制链接|"
    "收录于合集|知道了|取消|允许|在看|使用小程序|小程序|关注该公众号|阅读\\s*[\\d.]+万?|"
    "点赞|赞|分享至|轉寄|列印|字級"
)
_UI_TOKEN = re.compile(f"(?:{_NAV_WORDS})|(?P<widget>{_WIDGET_WORDS})")


def _first_characters(*alternations: str) -> re.Pattern[str]:
    """A character class of the characters that the alternatives of ``alternations``
    can start with: every piece between two ``|`` starts with a literal character, or
    with ``(?:`` and one (a superset, as inner alternatives count too)."""
    firsts = set()
    for piece in "|".join(alternations).split("|"):
        piece = piece.removeprefix("(?:")
        if not piece or piece[0] in "\\[(.?*+^$":
            raise ValueError(f"not a literal start: {piece!r}")
        firsts.add(piece[0])
    return re.compile("[" + re.escape("".join(sorted(firsts))) + "]")


# a line without any of these has no interface word (a quick test before the long
# alternation, which costs several microseconds a line)
_UI_FIRST = _first_characters(_NAV_WORDS, _WIDGET_WORDS)
# separators, arrows, bullets and the digits that icon fonts leave around buttons
_UI_FILLER = re.compile(r"[\s|｜•·/\\\-—_:：>»«<›‹※→←↑↓▲▼◀▶△▽◆◇■□●○【】\[\]()（）\d]+")
_PAGE_REF = re.compile(r"第?\s*\d{1,5}\s*[版期页]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_PAGE_LINE = re.compile(
    r"^(?:第\s*(?P<issue>\d+)\s*期\s*[:：]?\s*)?第?\s*(?P<letter>[A-Za-z]?)0*(?P<page>\d{1,3})"
    r"\s*版\s*[:：]?\s*(?P<name>[\u4e00-\u9fff·]{0,10})\s*(?P<rest>.*)$"
)
# a page id with its page name and nothing else (A8 生活, B02 科技)
_PAGE_ID = re.compile(
    r"^(?P<letter>[A-Za-z])0*(?P<page>\d{1,3})(?:\s+(?P<name>[\u4e00-\u9fff·]{1,8}))?$"
)
# masthead information: lunar date, number of pages, serial numbers of the paper
_MASTHEAD_INFO = re.compile(
    r"^农历\S{2,12}$|^今日\s*\d{1,3}\s*版$|出版物号|邮发代号|CN\s*\d{2}-\d{4}|统一刊号"
)
_BREADCRUMB_PATH = re.compile(r"^[^>＞»›。！？]{1,16}(?:\s*[>＞»›]\s*[^>＞»›。！？]{1,16}){1,6}$")
_SEPARATOR = re.compile(r"^[=\-*~_#·•.—]{5,}$")
_WEATHER = re.compile(r"(?:晴|阴|多云|小雨|中雨|大雨|阵雨|雷阵雨|小雪|中雪|雾|霾)\S*\s*-?\d+\s*℃")
_HASHTAG = re.compile(r"^#\S{1,20}(?:\s+\d+个)?$")
_BRACKET_WIDGETS = re.compile(r"^(?:【[^】]{1,24}】\s*)+$")
_ISSUE_DATE = re.compile(r"(?:本期)?(?:出版|发行|发布|见报)日期\s*[:：]")
_DATE_ANY = r"(?:19|20)\d\d(?:\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})"
_DATED_HEADER = re.compile(rf"{_DATE_ANY}\s*{_WEEKDAY}")
_SITE_HEADER = re.compile(r"官方网站|官网|数字报纸|数字报|电子报|电子版|融媒体|手机版|网站首页")
_PAPER = re.compile(r"(?P<paper>[\u4e00-\u9fff]{1,10}(?:日报|晚报|早报|时报|周报|工人报|报))")
_FOOTER = re.compile(
    r"©|copyright|版权所有|版權所有|all rights reserved|icp备|icp证|公网安备|网安备|"
    r"^(?:主办|承办|协办|主管|运营|运营管理|技术支持|技术开发|制作单位|设计制作|网站制作)[:：]|"
    r"^(?:地址|通讯地址)[:：].*(?:邮编|电话)|^邮编[:：]",
    re.IGNORECASE,
)
# words that a headline may also use: furniture only with a phone number, a link bar …
_FOOTER_WEAK = re.compile(
    r"版权声明|版權聲明|举报电话|举报邮箱|不良信息|有偿删帖|自律管理|联系我们|广告服务|"
    r"未经授权|不得转载|非經授權|不得轉載"
)
_RIGHTS = re.compile(
    r"(?:未经|未經|非經|非经)\S{0,4}(?:授权|授權|许可|許可).{0,40}(?:不得|禁止)\S{0,2}(?:转载|轉載|复制|複製|使用)"
)
_FOOTER_EVIDENCE = re.compile(r"\d{3,}|[|｜:：]")
_PROMOTION = re.compile(
    r"^(?:关注|扫描|下载|订阅).{0,12}(?:公众号|微信|微博|客户端|APP|App|小程序|二维码)"
    r"|^(?:扫码|微信扫一扫|扫一扫|长按识别)\S{0,20}$"
)
_PIPE_BAR = re.compile(r"^[^|｜。！？]{1,16}(?:\s*[|｜]\s*[^|｜。！？]{1,24}){2,}$")
_PAGER = re.compile(r"^(?:\d+\s+)+\d+\s*(?:共\s*\d+\s*页)?$|^共\s*\d+\s*页|^第\s*\d+\s*页\s*共")
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|现在位置)\s*[:：]")
_URL_LINE = re.compile(
    r"^(?:https?:)?//\S+$|^www\.\S+$|^[A-Za-z0-9.-]+\.(?:com|cn|net|org)(?:/\S*)?$", re.I
)
_SOURCE_TIME = re.compile(r"来源\s*[:：]")
_STAMP_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")
_STAMP = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s*\d{1,2}:\d{2}|(?:https?:)?//")
_SYMBOL = re.compile(r"^[×✕✖xX✗]$")
_SENTENCE = re.compile(r"[。！？!?]")


def _ui_line(text: str) -> Furniture | None:
    """A line made of interface words, separators, dates and page references only."""
    if not _UI_FIRST.search(text):
        return None
    tokens = list(_UI_TOKEN.finditer(text))
    if not tokens:
        return None
    rest = _UI_TOKEN.sub(" ", text)
    rest = _DATE.sub(" ", rest)
    rest = _PAGE_REF.sub(" ", rest)
    rest = _UI_FILLER.sub("", rest)
    # a search form's field label may stay (• 标题 站内高级搜索)
    if len(rest) > 2 or (rest and not _CJK.search(rest)):
        return None
    if all(t.group("widget") for t in tokens):
        return Furniture("widget", "web page widget (语音播报, 分享, 评论 …)")
    return Furniture("navigation", "page navigation (上一版/下一版, 放大 缩小 …)")


def line_furniture(text: str) -> Furniture | None:
    """Whether a normalised line is furniture by its own form, and why.

    >>> line_furniture("3上一版  下一版4").kind
    'navigation'
    >>> line_furniture("第03版:工会").kind, line_furniture("Copyright © 2011 某报").kind
    ('header', 'footer')
    >>> line_furniture("工会服务职工") is None, line_furniture("本报讯 记者近日获悉。") is None
    (True, True)
    """
    if not text:
        return None
    if _SYMBOL.match(text):
        return Furniture("widget", "close button (×)")
    if _URL_LINE.match(text):
        return Furniture("widget", "bare web address")
    if _BREADCRUMB.match(text):
        return Furniture("widget", "breadcrumb (当前位置 …)")
    if re.fullmatch(r"!\[[^\]]*\]\([^)]*\)", text):
        return Furniture("widget", "image link (markdown)")
    if _RIGHTS.search(text) and len(text) <= 100:
        return Furniture("footer", "rights notice (未经授权不得转载)")
    if _SENTENCE.search(text) or len(text) > 160:
        return None
    if _FOOTER.search(text) or (_FOOTER_WEAK.search(text) and _FOOTER_EVIDENCE.search(text)):
        return Furniture("footer", "site footer (copyright, ICP, 举报电话, 主办, 地址 …)")
    if len(text) <= 80:
        if _ISSUE_DATE.search(text):
            return Furniture("header", "page header (出版日期 …)")
        if m := _PAGE_LINE.match(text):
            rest = m.group("name") + m.group("rest")
            if not m.group("rest") or _UI_TOKEN.search(rest):
                return Furniture("header", "page header (第N版 / 版名 / 期号)")
        if _PAGE_ID.match(text):
            return Furniture("header", "page number and name (A8 生活)")
        if (
            _DATE.search(text)
            and re.search(r"第\s*[A-Za-z]?\d{1,3}\s*版", text)
            and len(text) <= 40
            and "《" not in text  # 某某《某报》（date 第N版）is an article's source line
        ):
            return Furniture("header", "page header (date and page number)")
        if _MASTHEAD_INFO.search(text):
            return Furniture("header", "masthead information (lunar date, serial numbers)")
        if _DATED_HEADER.search(text) and len(_CJK.findall(_strip_dates(text))) >= 2:
            return Furniture("header", "page header or footer (paper, date and weekday)")
        if re.fullmatch(r"0*\d{1,3}", text):
            return Furniture("header", "bare page number")
        if _SITE_HEADER.search(text) and len(text) <= 40:
            return Furniture("header", "site header (官方网站, 数字报 …)")
    if _PIPE_BAR.match(text):
        return Furniture("navigation", "link bar (… | … | …)")
    if _BREADCRUMB_PATH.match(text) and re.search(r"[>＞»›]", text):
        return Furniture("navigation", "breadcrumb (首页 > 栏目 > 正文)")
    if _SEPARATOR.match(text):
        return Furniture("widget", "separator line (=====)")
    if _WEATHER.search(text) and len(text) <= 40:
        return Furniture("widget", "weather box")
    if _HASHTAG.match(text):
        return Furniture("widget", "hashtag or collection label (#…)")
    if _BRACKET_WIDGETS.match(text) and all(
        _UI_TOKEN.fullmatch(seg) or re.match(r"(?:责任)?编辑\s*[:：]", seg)
        for seg in re.findall(r"【([^】]+)】", text)
    ):
        return Furniture("widget", "bracketed widgets (【纠错】 【责任编辑：…】)")
    if re.match(r"^原创\s", text) and _STAMP_TIME.search(text):
        return Furniture("widget", "account and time line of a social-media post")
    if _PAGER.match(text):
        return Furniture("navigation", "pager (1 2 3 … 共N页)")
    if ui := _ui_line(text):
        return ui
    if _SOURCE_TIME.search(text) and _STAMP.search(text):
        return Furniture("widget", "source and time stamp of a web page (来源: …)")
    if re.fullmatch(r"(?:上|下)一?篇\s*[:：].*", text):
        return Furniture("navigation", "link to the previous or next article (上篇:/下篇:)")
    if _PROMOTION.match(text):
        return Furniture("widget", "app or account promotion (关注公众号 …)")
    return None


def _strip_dates(text: str) -> str:
    return re.sub(_WEEKDAY, "", _DATE.sub("", text))


def zone_furniture(
    texts: Sequence[str], verdicts: Sequence[Furniture | None], is_prose: Sequence[bool]
) -> dict[int, Furniture]:
    """Furniture by position: the page's header and footer areas.

    ``texts`` are the page's non-empty lines, ``verdicts`` their :func:`line_furniture`
    and ``is_prose`` whether each is running text (a sentence). Returns index → reason
    for lines that the areas add.
    """
    out: dict[int, Furniture] = {}
    n = len(texts)
    first_prose = next((i for i in range(n) if is_prose[i]), n)
    last_prose = max((i for i in range(n) if is_prose[i]), default=-1)
    header_end = max(
        (i for i in range(first_prose) if verdicts[i] and verdicts[i].bounds_zone), default=-1
    )
    for i in range(header_end):
        if verdicts[i] is None:
            out[i] = Furniture("header", "in the page's header area, above its last header line")
    footer_start = next(
        (i for i in range(last_prose + 1, n) if verdicts[i] and verdicts[i].bounds_zone), n
    )
    for i in range(footer_start + 1, n):
        if verdicts[i] is None:
            out[i] = Furniture("footer", "in the page's footer area, below its first footer line")
    return out


def repeated_lines(pages: Iterable[Sequence[str]], *, min_files: int = 3) -> frozenset[str]:
    """Lines that recur in the top or bottom area of at least ``min_files`` pages.

    ``pages`` gives, for each file of a folder, the normalised lines of its top and bottom
    areas (see :func:`edge_lines` in :mod:`analysis.reading.corpus`). Lines that hold a sentence
    are never counted: boilerplate is short and unpunctuated.

    >>> repeated_lines([["扫码关注", "标题一"], ["扫码关注", "标题二"], ["扫码关注"]])
    frozenset({'扫码关注'})
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({t for t in lines if t and len(t) <= 80 and not _SENTENCE.search(t)})
    return frozenset(t for t, c in counts.items() if c >= min_files)


def header_metadata(text: str) -> PageMeta:
    """Date, paper, page number and page name stated by one header or source line.

    >>> header_metadata("第13740期:第03版 本期出版日期:2023-11-24").as_dict()
    {'date': '2023-11-24', 'paper': '', 'page': '3', 'page_name': ''}
    >>> header_metadata("工人日报 2011年05月17日 星期一").as_dict()
    {'date': '2011-05-17', 'paper': '工人日报', 'page': '', 'page_name': ''}
    >>> header_metadata("00001版:一版要闻").as_dict()
    {'date': '', 'paper': '', 'page': '1', 'page_name': '一版要闻'}
    """
    meta = PageMeta()
    if _ISSUE_DATE.search(text) or _DATED_HEADER.search(text):
        meta.date = iso_date(text)
    if (m := _PAGE_LINE.match(text)) or (m := _PAGE_ID.match(text)):
        meta.page = (m.group("letter") or "").upper() + str(int(m.group("page")))
        name = m.group("name") or ""
        if name and "日期" not in name and not _UI_TOKEN.search(name):
            meta.page_name = name
    elif m := re.search(r"第\s*0*(\d{1,3})\s*版", text):
        meta.page = str(int(m.group(1)))
    paper = re.search(r"《(?P<paper>[^《》]{2,12}报)》", text) or (
        _PAPER.match(text) if _SITE_HEADER.search(text) or _DATED_HEADER.search(text) else None
    )
    if paper:
        name = re.sub(r"(?:数字报纸?|电子报|电子版|手机版|融媒体)$", "", paper.group("paper"))
        meta.paper = name if name.endswith("报") else paper.group("paper")
    return meta
