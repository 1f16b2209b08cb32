"""The form of a line on its own: furniture, crawler field, source line, byline,
credit, staff line, date, note, continuation, headline-like line or body text."""

from __future__ import annotations

import re

from analysis.reading.furniture import _CJK, header_metadata, iso_date, line_furniture
from analysis.reading.names import looks_like_name, looks_like_place
from analysis.reading.pages.bylines import (
    _AGENCY_CREDIT,
    _CLOSING_DATELINE,
    _PICTURE_CREDIT,
    _closing_credit,
    _picture_credit_people,
    _source_line,
    parse_byline,
)
from analysis.reading.pages.lines import (
    _MARKERS,
    _PROSE,
    _SENTENCE_END,
    Contributor,
    _strip_closers,
)

__all__ = [
    "MAX_BLOCK_LINES",
    "MAX_HEADLINE_CHARS",
    "MAX_KICKER_CHARS",
    "_CONTINUATION",
    "_TITLE_COLUMN",
    "_TRAILING_STAFF",
    "_headline_like",
    "_line_form",
]

#: Maximum length (characters) of a headline-like line on an unindented page. Titles
#: and section heads are short; a longer unpunctuated line is a paragraph cut by the
#: layout. Kickers ending in —— may be longer (MAX_KICKER_CHARS).
MAX_HEADLINE_CHARS = 32
MAX_KICKER_CHARS = 60
#: A run of this many headline-like lines is a list (captions, a table of contents),
#: not a headline block: column, kicker, title and subtitle make four at most.
MAX_BLOCK_LINES = 4


# --- patterns of line forms -------------------------------------------------------

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

_TITLE_COLUMN = re.compile(
    r"[(（](?P<column>(?!(?:组图|图|图文|视频|多图|附图|上|中|下|续|完)[)）])"
    r"(?=[^()（）]*[\u4e00-\u9fff]{2})[^()（）]{2,30})[)）]$"
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
#: A crawler's keywords of a record: three or more short words parted by ASCII commas,
#: which printed Chinese does not use (台灣,程式,網路)
_WORD = r"[^\s,，、。！？!?:：;；]{1,10}"
_KEYWORD_LIST = re.compile(rf"^{_WORD}(?:,{_WORD}){{2,}}$")
#: One number on a line of its own (106.0, 24.33, 2026, -3)
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*%?$")

# the speaker of an interview's question or answer
_SPEAKER = re.compile(r"^(?:问|答|记者|主持人|Q|A)\s*[:：]")

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


# --- a line's form ----------------------------------------------------------------


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
    if _KEYWORD_LIST.match(text) and _CJK.search(text):
        info = {"field": "keywords", "value": text}
        return "field", "keywords of a record in a crawler export (词,词,词)", info
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
    if _NUMBER.match(text):
        return "furniture", "a number on a line of its own (a score, a count: 106.0)", {}
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
