"""Bylines, credits and datelines: who wrote or photographed an article, in what role,
and where it was filed; a source line's paper, date and page."""

from __future__ import annotations

import re

from analysis.reading.furniture import PageMeta, iso_date
from analysis.reading.names import SURNAMES, looks_like_name, split_name_run
from analysis.reading.pages.lines import _MARKERS, Contributor, _ends_sentence
from analysis.reading.textio import is_cjk, normalize_line

__all__ = [
    "_AGENCY_CREDIT",
    "_CLOSING_DATELINE",
    "_CREDIT_SUFFIX",
    "_INLINE_DATELINE",
    "_PICTURE_CREDIT",
    "_PLACED_CREDIT",
    "_TRAILING_PICTURE_CREDIT",
    "_closing_credit",
    "_parse_inline_credits",
    "_picture_credit_people",
    "_source_line",
    "_trailing_credit",
    "parse_byline",
]


# --- patterns of bylines, credits and datelines -----------------------------------

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
# every role ends in one of these words: a line without one has no role (a quick test
# before the long alternation, which costs a few microseconds a line)
_ROLE_WORD = re.compile(r"记者|記者|通讯员|通訊員|评论员|評論員|撰稿人|实习生|實習生|读者|讀者")
_ROLE_SLASH = re.compile(rf"({_ROLE})\s*[/／]\s*")
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

_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,10}$")

# characters of function words, dates and credits, which a run of names does not hold
_NOT_NAME = re.compile(r"[的了由是在等之其所以把被向年月日号图摄供提版期]")

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
    r"|【[^】]{2,30}?(?:报导|報導|报道|報道|电|電|讯|訊)】"
    # a writer's credit and place in brackets, as Taiwan's papers print it: 〔記者林明／台北報導〕
    rf"|[〔(（](?:{_ROLE})[^〕()（）]{{2,24}}?[/／][\u4e00-\u9fff]{{2,8}}(?:报导|報導|报道|報道)[〕)）])"
    r"\s*(?:[(（](?P<credits>[^()（）]{1,60})[)）]"
    rf"|(?P<plain>{_PLAIN_CREDIT}(?:[\s、]+(?:{_ROLE})?\s*[\u4e00-\u9fff]{{2,4}})*?\s*(?:摄影)?"
    rf"(?:报道|報道|報導)[:：]?|(?:{_PLAIN_CREDIT}\s+)+(?=\S)))?\s*"
)
# the writers and the place of a bracketed credit: 〔記者林明、王安／台北報導〕, 【…】
_PLACED_CREDIT = re.compile(
    r"[〔(（【](?P<credit>[^〕()（）】]+)[/／][\u4e00-\u9fff]{2,8}(?:报导|報導|报道|報道)[〕)）】]"
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

_CLOSING_BRACKET = re.compile(r"(?P<credit>[(（](?P<inner>[^()（）]{2,40})[)）])[?？]?$")
_TRAILING_BYLINE = re.compile(rf"(?<=[。！？”])\s*(?P<credit>(?:{_ROLE})\s*\S.{{0,36}}?)$")

_SOURCE_LINE = re.compile(
    r"^(?P<byline>.*?)《(?P<paper>[^《》]{2,16})》\s*[(（]\s*(?P<date>(?:19|20)\d\d年\s*\d{1,2}\s*月"
    r"\s*\d{1,2}\s*日)\s*(?:第\s*(?P<page>\d{1,3})\s*版|(?P<page2>\d{1,5})\s*版)\s*[)）]$"
)


# --- reading them -----------------------------------------------------------------


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
    prefixed = re.match(r"^(文|图|圖|摄影|攝影|摄|攝)\s*[/／:：|｜]\s*", body)
    if prefixed:
        photo = prefixed.group(1) not in ("文",)
        body = body[prefixed.end() :]
    has_role = _ROLE_WORD.search(body) is not None
    if has_role:
        body = _ROLE_SLASH.sub(r"\1 ", body)  # 记者/何静怡
    slash = _SLASH_SUFFIX.search(body)
    if slash:
        photo = slash.group("what") in ("摄影", "攝影", "摄", "攝")
        body = body[: slash.start()].strip()
        if not body:
            return None
    body = re.sub(r"\s*(?:报\s*道|報\s*導|報\s*道)$", "", body)
    credit = None if slash else _CREDIT_SUFFIX.search(body)
    if credit:
        photo = True  # every such credit is a picture's (摄, 供图, 制图, 绘), not a writer's
        body = body[: credit.start()].strip()
        if not body:
            return None
    # what is cut from the body below leaves a part of it, where no role can appear anew
    parts, roles = (_ROLE_RE.split(body), _ROLE_RE.findall(body)) if has_role else ([body], [])
    contributors = _named(parts, roles, photo)
    if contributors is None:
        return None
    if credit and contributors and all(_PRESS.search(c.name) for c in contributors):
        return []  # 眾新聞製圖, 本报制图: a picture the outlet made, no one named
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
    elif not (roles or marked or credit or bare or slash or prefixed):
        return None
    return contributors


def _named(parts: list[str], roles: list[str], photo: bool) -> list[Contributor] | None:
    """The people of a byline's ``parts`` (the text between its ``roles``), each with the
    role before it; None when a part holds something that is not a name."""
    contributors: list[Contributor] = []
    role: str | None = None
    for k, part in enumerate(parts):
        if k:
            role = roles[k - 1]
        if not part.strip():
            continue
        names = _split_names(part)
        if names and k + 1 < len(parts) and not part[-1].isspace() and _outlet(names[-1]):
            names.pop()  # 南方周末记者 张三: whose reporter, not a name
        for name in names:
            if not _NAME.match(name):
                return None
            contributors.append(Contributor(name=name, role=role, photo=photo))
    return contributors


#: A character of the press's words (…报, …网, …社, …台, 新闻): no person's name has one.
_PRESS = re.compile(r"[报報网網社台站刊闻聞]")


#: Words of a newsroom's desks that end a credit naming no person (…即時, …快訊, …綜合)
_DESK = re.compile(r"(?:即時|即时|快訊|快讯|綜合|综合|電訊|电讯)$")


def _outlet(name: str) -> bool:
    """Whether a "name" written right before a role word is the outlet whose reporter
    follows (南方周末记者, 新京报记者, 澎湃新闻记者), not a person: four characters or more,
    or a word of the press in it."""
    return len(name) >= 4 or bool(_PRESS.search(name))


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
        if _PRESS.search(token) or _DESK.search(token):
            return None  # an outlet or its desk credits the text: (中時即時), (旺報即時)
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


def _picture_credit_people(text: str) -> list[Contributor]:
    """Photographers named in a picture credit (以上图片均为本报记者宋豪新摄)."""
    m = re.search(rf"(?:{_ROLE})\s*(?P<names>[\u4e00-\u9fff、 ]{{2,20}}?)\s*(?:摄|拍摄)$", text)
    if not m:
        return []
    return [Contributor(n, None, photo=True) for n in _split_names(m.group("names"))]


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


def _parse_inline_credits(text: str) -> list[Contributor]:
    """Parse the credits of 本报讯(记者张静 通讯员贺鹏 胡雪莹), 记者吴晓静 通讯员章明飞报道
    or 〔記者林明、王安／台北報導〕 (the place after the last slash is no name)."""
    contributors: list[Contributor] = []
    role: str | None = None
    text = normalize_line(text)
    if placed := _PLACED_CREDIT.fullmatch(text):
        text = placed.group("credit")
    text = re.sub(r"\s*(?:摄影)?(?:报道|報道|報導)[:：]?$", "", text)
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
    if placed and role is None:  # 【即時新聞／綜合報導】 names no one: a name needs a surname
        return [c for c in contributors if looks_like_name(c.name, strict=True)]
    return contributors
