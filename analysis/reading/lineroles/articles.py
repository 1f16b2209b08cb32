"""Articles from labelled lines: which article each line belongs to
(:func:`article_numbers`), the writers a credit line names (:func:`credited_authors`), and
a page split made from the model's roles, each article's fields then read by the rules
told those roles (:func:`split_by_roles`)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from analysis.reading.lineroles.features import _SENTENCE_END, _SENTENCE_MARK, _WORDS
from analysis.reading.lineroles.lines import plain_markdown
from analysis.reading.lineroles.model import ROLES, START, LineRoleModel

__all__ = [
    "article_numbers",
    "articles_from_roles",
    "credited_authors",
    "headline_above",
    "names_only",
    "split_by_roles",
    "text_kept",
]


def articles_from_roles(
    lines: Sequence[str], labels: Sequence[str], *, kind: str = "text"
) -> list[dict]:
    """Articles made of labelled lines (the non-blank ``lines`` in order, one label each),
    as :func:`article_numbers` groups them. Each has title, kicker, subtitle, column (the
    lines of that role joined by a space), authors (from its byline lines, and from the
    credits in its first paragraph's dateline), paragraphs (body and section lines, in
    order), and metadata (byline, dateline, note and caption lines)."""
    from analysis.reading.textio import normalize_line

    articles: dict[int, dict] = {}
    numbers = article_numbers(labels)
    for raw, label, number in zip(lines, labels, numbers, strict=True):
        if number is None:
            continue
        role = label.rstrip(START)
        text = normalize_line(plain_markdown(raw, role) if kind == "markdown" else raw)
        if not text:
            continue
        parts = articles.setdefault(number, {r: [] for r in ROLES} | {"_running": []})
        parts[role].append(text)
        if role in ("body", "section"):
            parts["_running"].append(text)
    return [_article(articles[n]) for n in sorted(articles)]


def article_numbers(labels: Sequence[str]) -> list[int | None]:
    """The article (1, 2 …) of each labelled line, None for furniture: an article starts
    at a label with ``^`` once the one before has a title or body, or at a headline line
    (column, kicker, title) once the one before has body text."""
    out: list[int | None] = []
    number, has_body, has_title = 0, False, False
    for label in labels:
        role, start = label.rstrip(START), label.endswith(START)
        if role == "furniture":
            out.append(None)
            continue
        # lines that only lead up to an article (a kicker, a byline above the title)
        # are that article's: a start right after them does not open another
        begun = has_body or has_title
        if number == 0 or (start and begun) or (role in _HEAD and has_body):
            number, has_body, has_title = number + 1, False, False
        has_body = has_body or role in ("body", "section", "caption")
        has_title = has_title or role == "title"
        out.append(number)
    return _without_empty(out, labels)


def _without_empty(numbers: list[int | None], labels: Sequence[str]) -> list[int | None]:
    """Articles renumbered so that lines with neither a headline nor running text (a
    photo's caption and credit, a source line) join the article after them, or at the
    end of the page the one before: alone they are no article."""
    full = {n for n, label in zip(numbers, labels, strict=True)
            if n is not None and label.rstrip(START) in ("title", "body", "section")}  # fmt: skip
    if not full or len(full) == max(filter(None, numbers), default=0):
        return numbers
    ordered = sorted(full)
    target = {}
    for n in set(filter(None, numbers)):
        later = bisect.bisect_right(ordered, n)
        target[n] = n if n in full else ordered[min(later, len(ordered) - 1)]
    renumber = {m: k for k, m in enumerate(ordered, start=1)}
    return [None if n is None else renumber[target[n]] for n in numbers]


_HEAD = ("column", "kicker", "title")


def _article(parts: dict) -> dict:
    authors: list[str] = []
    for line in parts["byline"]:
        authors += credited_authors(line)
    # a dateline's credits: 本报北京1月1日电（记者 张三）, in the first paragraph, or the
    # second when a stray line of the page (调整字体) was read as the first, or a first
    # paragraph read as a note
    for line in parts["body"][:2] + parts["note"][:1]:
        if opening := _OPENING_CREDIT.match(line):
            authors += credited_authors(opening.group(1))
            break
    if not authors:  # a short credit line read as something else (記者林悅／南市報導)
        for line in parts["dateline"] + parts["caption"] + parts["body"][:2]:
            if len(line) <= _CREDIT_LENGTH and not _SENTENCE_MARK.search(line):
                authors += credited_authors(line)
    if not authors:  # … or read as a section head (《棱镜》作者 周纯), not 记者手记
        from analysis.reading.names import looks_like_name

        for line in parts["section"]:
            if len(line) <= _CREDIT_LENGTH and not _SENTENCE_MARK.search(line):
                found = credited_authors(line)
                authors += found if all(looks_like_name(n, strict=True) for n in found) else []
    if not authors:  # a closing credit, of the text or of a note: …。（编译/林靖东）
        for line in parts["body"][-1:] + parts["note"]:
            if closing := _CLOSING_CREDIT.search(line):
                authors += credited_authors(closing.group(1))
    if not authors:  # a byline of names alone (謝明俊)
        for line in parts["byline"]:
            authors += names_only(line)
    if not authors:  # a note of credits, each role with its colon (（撰稿：张三 摄影：李四）)
        for line in parts["note"]:
            if _WRITER_FIELD.search(line):
                authors += credited_authors(line)
    handle = _HANDLE.match(parts["body"][0]) if parts["body"] else None
    if not authors and handle:  # a text signed with a handle: @张三：…
        authors.append(handle.group(1))
    joined = {r: " ".join(parts[r]) or None for r in ("title", "kicker", "subtitle", "column")}
    return {
        **joined,
        "authors": list(dict.fromkeys(authors)),
        "paragraphs": parts["_running"],
        "metadata": parts["byline"] + parts["dateline"] + parts["note"] + parts["caption"],
    }


_CREDIT_LENGTH = 30
#: a credit in brackets that closes an article's last paragraph: …。（记者 张三）
_CLOSING_CREDIT = re.compile(r"(?<=[。！？”」])\s*[（(]([^（）()]{2,30})[）)]\s*$")
#: A paragraph that opens with a user's handle and a colon is that user's (@张三：…), as
#: on social media and in the digests that quote them.
_HANDLE = re.compile(r"^@([^\s@:：，,。]{1,30})\s*[:：]")
_OPENING_CREDIT = re.compile(r"^[^。！？]{0,40}?[（(]([^（）()]{2,40})[）)]")
# the roles whose names are writers of an article, and those whose names are not
_WRITER = (
    r"(?:本报|本報|本刊|特约|特約|实习|實習|见习|見習|首席|全媒体|融媒体)?"
    r"(?:记者|記者|通讯员|通訊員|撰稿人|评论员|評論員)|实习生|實習生|作者|撰文|撰稿|采写|採寫|执笔|執筆"
    r"|编译|編譯|(?:^|(?<=\s))文(?=\s*[/／|｜:：])"
)
_OTHER_ROLE = (
    r"责任编辑|責任編輯|编辑|編輯|责编|責編|校对|校對|审核|審核|审校|監製|监制|主编|主編|摄影|攝影"
    r"|摄|攝|图片|圖片|图|圖|来源|來源|出品|制图|製圖|设计|設計|翻译|翻譯|译者|譯者|口述|整理|统筹|統籌"
    r"|整合|综合|綜合|节录|節錄|摘编|摘編"  # compiled, excerpted by: after a writer's name
)
_ROLE_SPLIT = re.compile(f"({_WRITER}|{_OTHER_ROLE})")
_WRITER_FIELD = re.compile(f"(?:{_WRITER})[:：/／]")
_OTHER_RE = re.compile(f"(?:{_OTHER_ROLE})")
_PERSON = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}[·•‧][\u4e00-\u9fff]{1,10}"
    r"|[A-Za-z][A-Za-z0-9_.\-]{1,29})$"
)
_NAME_SEPARATORS = re.compile(r"[\s\u3000、，,;；和与與及&＆/／|｜:：=]+")
_NOT_PERSON = re.compile(r"[的了年月日时時分秒报報网網社台站刊讯訊电電]")


def credited_authors(line: str) -> list[str]:
    """The writers a credit line names: the names after a writer's role word (记者,
    作者, 撰文, 文/ …) up to the next role word, without those after other roles (编辑,
    摄影, 来源 …) or before any role (an outlet's name: 中青在线记者 张三 gives 张三).

    >>> credited_authors("作者：中青在线记者 卢义杰实习生 杨慧彩 贾天荣")
    ['卢义杰', '杨慧彩', '贾天荣']
    >>> credited_authors("记者/玄增星、陈轶男 编辑/张国")
    ['玄增星', '陈轶男']
    >>> credited_authors("2019-09-26 12:11来源：证券时报网作者：李在山")
    ['李在山']
    >>> credited_authors("文/张三")
    ['张三']
    >>> credited_authors("执笔/叨叨姐、胡一刀&李小飞刀")
    ['叨叨姐', '胡一刀', '李小飞刀']
    """
    names: list[str] = []
    writer = False
    if bracketed := _BRACKETED.match(line):  # a closing credit: （记者 张三）
        line = bracketed.group(1)
    parts = _ROLE_SPLIT.split(line)  # text, role, text, role … (roles at odd places)
    for k, part in enumerate(parts):
        if k % 2:
            writer = not _OTHER_RE.fullmatch(part)
            continue
        if not part.strip():
            continue
        if writer and (wire := _WIRE_CREDIT.fullmatch(part.strip())):
            names += _wire_writers(wire.group("who"))
        elif writer:
            found = [n for n in _NAME_SEPARATORS.split(part.strip()) if n]
            if len(found) > 1 and _PERSON.match(part.strip()):
                found = [part.strip()]  # 和 or 与 inside one name (王和岩), not between two
            glued = k + 1 < len(parts) and not part[-1:].isspace()
            if glued and found and len(found[-1]) >= 4 and _writer_next(parts, k):
                found.pop()  # 中青在线 of 中青在线记者: whose reporter, not a name
            for name in found:
                if not _PERSON.match(name) or _NOT_PERSON.search(name):
                    break  # the names end where other text begins
                names.append(name)
        writer = False
    return names


#: A wire dateline's writers, place and day after a reporter's role word: 邱俊欽桃園19日電
#: (中央社記者邱俊欽桃園19日電), 王伟 北京3月5日电.
_WIRE_CREDIT = re.compile(
    r"(?P<who>[\u4e00-\u9fff、\s]{4,40}?)\s*(?:\d{1,2}月)?\d{1,2}日(?:专|專)?(?:电|電)"
)


def _wire_writers(who: str) -> list[str]:
    """The writers of a wire dateline's names and place (邱俊欽桃園, 王飛華、郭建伸台北,
    王伟 北京): names parted by 、, the place after the last one, spaced off or, when the
    two run together, taken as two characters after a name of three (two when only four
    characters are left; four after a compound surname). Each name must have a known
    surname, else none is read.

    >>> _wire_writers("邱俊欽桃園"), _wire_writers("王飛華、郭建伸台北"), _wire_writers("王伟 北京")
    (['邱俊欽'], ['王飛華', '郭建伸'], ['王伟'])
    """
    from analysis.reading.names import COMPOUND_SURNAMES, looks_like_name

    parts = [n for n in re.split(r"[、\s]*、[、\s]*", who.strip()) if n]
    if not parts:
        return []  # marks and spaces only
    *names, last = parts
    if re.search(r"\s", last):
        names += last.split()[:-1]
    elif len(last) >= 4:
        size = 4 if last[:2] in COMPOUND_SURNAMES and len(last) >= 6 else 2 if len(last) == 4 else 3
        names.append(last[:size])
    else:
        return []
    return names if names and all(looks_like_name(n, strict=True) for n in names) else []


_BRACKETED = re.compile(r"^\s*[（(【\[]([^（）()【】\[\]]*)[）)】\]]\s*$")
_NAME_LIST = re.compile(r"\s*[、，,/／|｜&＆]\s*")


def names_only(line: str) -> list[str]:
    """The person names a line holds and nothing else (a bare byline: 謝明俊, 杨威廉／邹宗翰),
    each a plausible name with a known surname, parted by a list's marks (not by spaces,
    which part words as often); up to four, else none.

    >>> names_only("謝明俊"), names_only("杨威廉／邹宗翰"), names_only("参考消息")
    (['謝明俊'], ['杨威廉', '邹宗翰'], [])
    """
    from analysis.reading.names import looks_like_name

    names = [n for n in _NAME_LIST.split(line.strip()) if n]
    if not 1 <= len(names) <= 4 or not all(looks_like_name(n, strict=True) for n in names):
        return []
    return names


def _writer_next(parts: list[str], k: int) -> bool:
    """Whether the role after the text ``parts[k]`` is a writer's."""
    return k + 1 < len(parts) and not _OTHER_RE.fullmatch(parts[k + 1])


# --- a page split from roles -----------------------------------------------------------


_MD_HEADING = re.compile(r"^\s*(#{1,6})\s")
_SET_ASIDE = ("furniture", "section", "caption")


def headings_alike(lines: Sequence[str], labels: Sequence[str]) -> list[str]:
    """In a markdown file, headings of one level play one part: a heading that running
    text follows opens an article when two others of its level open one, where the
    model had left it out of every article or read it as a section head or a caption
    (a digest's items, each under its ``##`` heading)."""
    levels = [m and len(m.group(1)) for m in map(_MD_HEADING.match, lines)]
    opened = Counter(level for level, label in zip(levels, labels, strict=True)
                     if level and label == "title" + START)  # fmt: skip
    opening = {level for level, count in opened.items() if count >= 2}
    out = list(labels)
    for n, level in enumerate(levels[:-1]):
        role, after = labels[n].rstrip(START), labels[n + 1].rstrip(START)
        if level in opening and role in _SET_ASIDE and after == "body":
            out[n] = "title" + START
    return out


#: A markdown line that is a picture and nothing else: ``![alt](address)``.
_MD_PICTURE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


def pictures(lines: Sequence[str], labels: Sequence[str]) -> list[str]:
    """In a markdown file, a line that is only a picture is a caption, or furniture when
    the model reads it so: never a byline, a headline or text, whatever its alt text says
    (…。（港台圖片）, a picture's credit, is no writer). All 146 such labelled lines are
    captions or furniture."""
    out = list(labels)
    for n, line in enumerate(lines):
        role = labels[n].rstrip(START)
        if role not in ("caption", "furniture") and _MD_PICTURE.match(line):
            out[n] = "caption" + labels[n][len(role) :]
    return out


#: A markdown line that is an item's headline and nothing else: an optional item number
#: (1、 2. 3）), then a link ``[text](url)`` or bold text ``**text**``, then perhaps a
#: short note in brackets. The headline is at most 40 characters with no sentence mark at
#: the end (a bold line of more is a quoted passage).
_MD_ITEM = re.compile(
    r"^\s*(?:\d{1,3}\s*[、.．)）]\s*)?"
    r"(?:(?P<link>\[[^\]]{1,40}\]\([^)\s]+\))|\*\*[^*]{0,39}[^*。！？!?]\*\*)"
    r"(?:\s*[（(][^）)]{1,6}[）)])?\s*$"  # and a short note: （英文）, （视频）
)
#: A line that is only a web address (``<https://…>`` or bare).
_MD_URL = re.compile(r"^\s*<?https?://\S+?>?\s*$")


def link_items(lines: Sequence[str], labels: Sequence[str]) -> list[str]:
    """In a markdown file, a link digest's items open articles: where three lines or more
    are an item headline with its link (a line that is only a link, or only bold text
    with a line that is only a web address under it), each such line, and each bold line
    in a file of such items, that running text follows (under its address or pictures)
    opens an article, and the address is the item's source line. The model reads these
    bold and linked lines as captions or furniture: no page it learnt from has them."""
    forms = [_MD_ITEM.match(line) for line in lines]
    linked = [
        bool(m)
        and (bool(m.group("link")) or (n + 1 < len(lines) and bool(_MD_URL.match(lines[n + 1]))))
        for n, m in enumerate(forms)
    ]
    if sum(linked) < 3:
        return list(labels)
    out = list(labels)
    for n, form in enumerate(forms):
        if not form:
            continue
        address = n + 1 < len(lines) and bool(_MD_URL.match(lines[n + 1]))
        following = n + 2 if address else n + 1
        while following < len(lines) and labels[following].rstrip(START) == "caption":
            following += 1  # the item's pictures
        if following < len(lines) and labels[following].rstrip(START) == "body":
            out[n] = "title" + START
            if address:
                out[n + 1] = "byline"
    return out


#: A line that opens with a field's label (作者：, 来源：, 發佈時間：, 原标题：): the layout
#: words of the features for a writer, an editor or a source, or a word of time, then a
#: colon.
_FIELD = re.compile(
    r"^[#*>\s]*(?:责任|責任)?(?:"
    + "|".join(dict(_WORDS)[k].pattern for k in ("reporter", "author", "photo", "editor", "source"))
    + r"|发布|發佈|发表|發表|时间|時間|日期)[^：:，。]{0,4}[：:]"
)


#: a letter of some word: a line without one (a number, a date in digits, a rule) is no
#: headline; none of the 15,992 labelled lines is, 905 furniture lines are such lines
_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")


def _best_labels(labels: Sequence[str], scores: np.ndarray, lines: Sequence[str]) -> list[str]:
    """Each line's most likely label; but a line that ends in a colon (電子郵件:, 相关阅读：),
    opens with a field's label (發佈時間：21:45, 来源于：…) or with a date and a time, or
    holds no letter (a crawler's score, 47.333) is never a headline: it takes its most
    likely other label. No title of the 15,860 labelled lines ends or opens so; 128
    furniture lines end in a colon, and 89 lines open so (credits, sources, dates,
    furniture)."""
    not_title = np.array([label.rstrip(START) != "title" for label in labels])
    out = []
    for row, line in zip(scores, lines, strict=True):
        if _no_title(line):
            row = np.where(not_title, row, -np.inf)
        out.append(labels[int(row.argmax())])
    return out


#: How far above an untitled article's first paragraph its headline is looked for.
_HEADLINE_REACH = 12
#: The longest line read as a headline where the model read running text.
_HEADLINE_LENGTH = 60


def headline_above(
    names: Sequence[str], labels: Sequence[str], scores: np.ndarray, lines: Sequence[str]
) -> list[str]:
    """On a web page, an article with running text and no headline takes as its headline
    the line above its first paragraph (and below the article before) that the model
    finds most likely a title, among lines that can be one (see :func:`_best_labels`).
    Every web page article has a headline, and a headline the model set aside with the
    page's furniture (repeated in a list of related links, say) is still its likeliest.
    ``names`` are the model's labels, the columns of ``scores``."""
    title_columns = [k for k, name in enumerate(names) if name.rstrip(START) == "title"]
    out = list(labels)
    lines_of: dict[int, list[int]] = {}  # each article's lines, in order
    for k, number in enumerate(article_numbers(out)):
        if number is not None:
            lines_of.setdefault(number, []).append(k)
    floor = 0  # the first line below the article before
    for own in lines_of.values():
        roles = [out[k].rstrip(START) for k in own]
        body = next((k for k, r in zip(own, roles, strict=True) if r == "body"), None)
        if body is not None and "title" not in roles:
            # the lines above the first paragraph, and that paragraph when it is short
            # and ends no sentence (a post's headline in brackets, read as its text)
            paragraphs = sum(r == "body" for r in roles)
            last = body + 1 if paragraphs > 1 and _headline_shape(lines[body]) else body
            reach = [k for k in range(max(floor, body - _HEADLINE_REACH), last)
                     if not _no_title(lines[k])]  # fmt: skip
            if reach:
                share = np.exp(scores[reach] - scores[reach].max(axis=1, keepdims=True))
                share = share[:, title_columns].sum(axis=1) / share.sum(axis=1)
                best = reach[int(share.argmax())]
                out[best] = "title" + START
                for k in range(best + 1, body + 1):  # the article opens at its headline
                    out[k] = out[k].rstrip(START)
        if body is not None or "title" in roles:  # not a stray caption or credit
            floor = own[-1] + 1
    return out


#: How many lines under a web page's headline its writer's bare name is looked for.
_BYLINE_REACH = 4


def name_under_title(lines: Sequence[str], labels: Sequence[str]) -> list[str]:
    """On a web page, a line of names alone (謝明俊, 金错刀) among the few lines between a
    headline and its first paragraph is the writer's byline, whatever the model read it
    as: sites print the writer's bare name there, with no role word the model could go
    by. Each name has three characters or a middle dot (a two-character "name" with a
    surname's first character is as often a word: 金融, 周末)."""
    out = list(labels)
    for n, label in enumerate(labels):
        if label.rstrip(START) != "title":
            continue
        for k in range(n + 1, min(n + 1 + _BYLINE_REACH, len(lines))):
            role = out[k].rstrip(START)
            if out[k].endswith(START) or role in ("body", "title"):
                break
            names = names_only(lines[k])
            if role != "byline" and names and all(len(m) >= 3 for m in names):
                out[k] = "byline"
                break
    return out


#: The shortest line of running text that an article without text takes from its notes
_RUNNING = 40


def text_kept(lines: Sequence[str], labels: Sequence[str]) -> list[str]:
    """The labels with running text the model set aside given back: in an article with
    no body, its notes of running text (a line of 40 characters or more with a sentence
    mark: （中央社記者…電）桃園市…。 read as a note) are its body. (Furniture lines of
    running text on a page with no body were tried too: on the labelled pages they put
    42 more furniture lines into articles.)"""
    out = list(labels)
    numbers = article_numbers(out)
    texted = {n for n, label in zip(numbers, out, strict=True)
              if label.rstrip(START) in ("body", "section")}  # fmt: skip
    running = [len(line.strip()) >= _RUNNING and bool(_SENTENCE_MARK.search(line))
               for line in lines]  # fmt: skip
    for k, (label, n) in enumerate(zip(out, numbers, strict=True)):
        if running[k] and label.rstrip(START) == "note" and n not in texted:
            out[k] = "body" + label[len("note") :]
    return out


def _headline_shape(line: str) -> bool:
    return len(line) <= _HEADLINE_LENGTH and not _SENTENCE_END.search(line)


def _no_title(line: str) -> bool:
    return (
        line.rstrip(" *_\t").endswith((":", "："))
        or bool(_FIELD.match(line))
        or not _LETTER.search(line)
        or bool(_STAMP.match(line))
    )


#: A line that opens with a date and a time (2019-03-18 23:59聯合報 記者…) is a time stamp
#: or a source line: none of the 17,987 labelled lines so opened is a title, 323 are not.
_STAMP = re.compile(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}")


def split_by_roles(
    lines: Sequence[str], features: list[dict[str, float]], *, kind: str, model: LineRoleModel
):
    """A :class:`~analysis.reading.pages.PageSplit` of a page's ``lines`` (and the text
    its spans point into, the lines joined by line breaks) from the roles ``model`` gives
    them: every non-blank line is a :class:`~analysis.reading.pages.Line` labelled with
    its role (rule ``line-role model``), furniture lines go with the first article, and
    the articles are those of :func:`articles_from_roles`."""
    from analysis.reading.furniture import PageMeta
    from analysis.reading.pages.lines import Line, PageSplit
    from analysis.reading.textio import normalize_line

    text = "\n".join(lines)
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    places = [k for k, line in enumerate(lines) if normalize_line(line)]
    scores = model.scores(features) if features else np.zeros((0, len(model.labels)))
    kept = [lines[k] for k in places]
    labels = _best_labels(model.labels, scores, kept)
    if kind == "markdown":
        labels = link_items(kept, headings_alike(kept, pictures(kept, labels)))
    if kind == "html":
        labels = name_under_title(kept, headline_above(model.labels, labels, scores, kept))
    labels = text_kept(kept, labels)
    records = articles_from_roles(kept, labels, kind=kind)
    split_lines = []
    numbers = article_numbers(labels)
    for n, (k, label) in enumerate(zip(places, labels, strict=True)):
        role = label.rstrip(START)
        line = Line(number=k + 1, start=offsets[k], end=offsets[k] + len(lines[k]),
                    raw=lines[k], text=normalize_line(lines[k]), indented=False,
                    gap=0, raw_start=offsets[k], form=role, label=role,
                    rule=f"line-role model ({_share(scores[n]):.2f})",
                    article=numbers[n])  # fmt: skip
        split_lines.append(line)
    articles = []
    meta = PageMeta()  # what the articles' source lines say of the page (paper, date …)
    for order, record in enumerate(records, start=1):
        own = [ln for ln in split_lines if ln.article == order]
        art = _finished(order, record, own, kind, meta)
        art.paragraph_spans = _spans(text, art.paragraphs, own)
        art.start, art.end = (own[0].start, own[-1].end) if own else (0, 0)
        art.lines = own
        articles.append(art)
    if articles:  # the page's furniture goes with its first article
        page_furniture = [ln for ln in split_lines if ln.article is None]
        articles[0].furniture = page_furniture + articles[0].furniture
    return PageSplit(articles=articles, lines=split_lines, indented=False, meta=meta), text


# roles the rules are told (split_page's hints); column lines are left unhinted above a
# title, where the rules read them as the column
_HINTS = {"kicker": "kicker", "title": "title", "subtitle": "subtitle", "section": "section"}
# roles whose lines go to the rules to be read (captions and notes are kept as metadata)
_READ = ("column", "kicker", "title", "subtitle", "byline", "dateline", "body", "section")


def _finished(order: int, record: dict, own: list, kind: str, meta):
    """An article's fields read by the rules (:func:`~analysis.reading.pages.split_page`
    as one article), told the roles the model gave its lines: the dateline cut off the
    first paragraph, contributors with their roles, sections, kind. Where the rules find
    no article, or no writer, the model's record stands."""
    from analysis.reading.pages import split_page
    from analysis.reading.pages.lines import Article, Contributor

    texts, hints, extra, read_from = [], {}, [], []
    for line in own:
        text = plain_markdown(line.raw, line.label) if kind == "markdown" else line.text
        if not text.strip():
            continue
        if line.label not in _READ:
            extra.append(text.strip())
            continue
        texts.append(text)
        read_from.append(line)
        if line.label in _HINTS:
            hints[2 * len(texts) - 1] = _HINTS[line.label]
    art, set_aside = Article(order=order), []
    if texts:
        read = split_page("\n\n".join(texts), hints=hints, single=True)
        meta.update(read.meta)
        if read.articles:
            art = read.articles[0]
            art.order = order
        # lines the rules set aside as furniture inside the article are listed, under
        # the page's line numbers (text k is line 2k - 1 of what the rules read)
        for line in read.lines:
            if line.label == "furniture" and 0 < (line.number + 1) // 2 <= len(read_from):
                page_line = read_from[(line.number + 1) // 2 - 1]
                page_line.label, page_line.rule = "furniture", f"{page_line.rule}; {line.rule}"
                set_aside.append(page_line)
    for name in ("title", "kicker", "subtitle", "column"):
        setattr(art, name, record[name] or getattr(art, name))
    if not art.paragraphs:
        art.paragraphs = record["paragraphs"]
        art.paragraph_sections = [None] * len(art.paragraphs)
    if record["authors"]:  # the writers its credit lines name, before the rules' guess
        roles = {c.name: c.role for c in art.contributors}
        art.contributors = [Contributor(n, roles.get(n)) for n in record["authors"]] + [
            c for c in art.contributors if c.photo and c.name not in record["authors"]
        ]
    art.metadata = list(art.metadata) + extra
    art.furniture = set_aside
    return art


def _share(scores: np.ndarray) -> float:
    """The probability of the best label."""
    exp = np.exp(scores - scores.max())
    return float(exp.max() / exp.sum())


def _spans(text: str, paragraphs: list[str], own) -> list[list[tuple[int, int]]]:
    """Where each paragraph's text stands in ``text`` (one span, found in order from the
    article's first line), or no span where it is not found as it is (normalised)."""
    at = own[0].start if own else 0
    out = []
    for paragraph in paragraphs:
        found = text.find(paragraph, at)
        if found < 0:
            out.append([])
            continue
        out.append([(found, found + len(paragraph))])
        at = found + len(paragraph)
    return out
