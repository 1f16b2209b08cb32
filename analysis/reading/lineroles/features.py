"""Features of the lines of a page: each line's own shape (length, the punctuation it ends
with, how it starts, generic layout words such as 记者 or 编辑, dates, markdown marks),
its place on the page, whether it repeats there, the rule-based reader's label and form
for it (:func:`rule_labels`), the markup around it on a web page, and the same features
of its neighbours."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from analysis.reading.lineroles.lines import html_blocks, page_lines

__all__ = ["html_features", "kind_of", "line_features", "page_features", "rule_labels"]

# --- features --------------------------------------------------------------------------

_LENGTHS = (4, 8, 16, 32, 64, 128)
#: a line that ends a sentence (its closing quote or bracket after the mark)
_SENTENCE_END = re.compile(r"[。！？!?…][”’」』\"')）]*$")
_ENDS = (
    ("sentence", _SENTENCE_END),
    ("dash", re.compile(r"(?:——|--|—)$")),
    ("colon", re.compile(r"[:：]$")),
    ("comma", re.compile(r"[，,、;；]$")),
    ("bracket", re.compile(r"[)）\]】」』]$")),
    ("digit", re.compile(r"\d$")),
    ("latin", re.compile(r"[A-Za-z]$")),
    ("cjk", re.compile(r"[\u3400-\u9fff]$")),
)
_STARTS = (
    ("dash", re.compile(r"^(?:——|--|—)")),
    ("lenticular", re.compile(r"^[【〖\[]")),
    ("paren", re.compile(r"^[(（]")),
    ("marker", re.compile(r"^[□■◇◆●○▲△★☆◎▪▫◼◻•·]")),
    ("numbered", re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．)）]")),
    ("md_heading", re.compile(r"^#{1,6}\s")),
    ("md_quote", re.compile(r"^>")),
    ("md_image", re.compile(r"^!\[")),
    ("md_link", re.compile(r"^\[[^\]]*\]\([^)]*\)\s*$")),
    ("md_list", re.compile(r"^[-*+]\s")),
    ("md_rule", re.compile(r"^(?:-{3,}|\*{3,}|={3,})\s*$")),
    ("front_key", re.compile(r"^[A-Za-z_]+:\s")),
    ("html_tag", re.compile(r"^<[A-Za-z/]")),
    ("quote", re.compile(r"^[“「『\"]")),
    ("digit", re.compile(r"^\d")),
    ("latin", re.compile(r"^[A-Za-z]")),
)
# generic layout words of Chinese news pages, Simplified and Traditional; never the name
# of a paper or a site
_WORDS = (
    ("reporter", re.compile(r"记者|記者|通讯员|通訊員|特约|特約")),
    ("author", re.compile(r"作者|撰文|撰稿|文[/／|｜]|^文\s")),
    (
        "photo",
        re.compile(r"摄影|攝影|摄$|攝$|图[/／|｜]|圖[/／|｜]|供图|供圖|图片|圖片"),
    ),
    ("editor", re.compile(r"编辑|編輯|责编|責編|校对|校對|审核|審核|监制|監製|值班")),
    ("source", re.compile(r"来源|來源|出处|出處|转载|轉載|原标题|原標題|原文")),
    ("wire", re.compile(r"\d{1,2}月\d{1,2}日(?:电|電|讯|訊)|本报讯|本報訊|^据|^據|(?:社|网|網)讯")),
    ("unit", re.compile(r"作者(?:单位|單位|为|為|系)|系.{1,12}(?:教授|研究员|研究員)")),
    (
        "share",
        re.compile(
            r"分享|转发|轉發|收藏|点赞|點贊|微信|微博|扫码|掃碼|二维码|二維碼|客户端|客戶端|下载|下載"
        ),
    ),
    (
        "nav",
        re.compile(
            r"首页|首頁|登录|登錄|登入|注册|註冊|搜索|搜尋|导航|導航|频道|頻道|返回|更多|热门|熱門|推荐|推薦|相关|相關|上一篇|下一篇"
        ),
    ),
    (
        "legal",
        re.compile(
            r"版权|版權|copyright|©|All Rights|ICP|备案|備案|许可证|許可證|违法|違法|举报|舉報",
            re.I,
        ),
    ),
    ("comment", re.compile(r"评论|評論|留言|跟帖|回复|回覆|网友|網友")),
    ("ad", re.compile(r"广告|廣告|赞助|贊助|推广|推廣")),
    ("page", re.compile(r"第\s*\d+\s*版|版面|版次|本版|\d+版")),
    ("url", re.compile(r"https?://|www\.|\.com|\.cn\b", re.I)),
    ("date", re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}月\d{1,2}日")),
    ("time", re.compile(r"\b\d{1,2}:\d{2}\b")),
    ("caption", re.compile(r"^(?:图为|圖為|上图|上圖|下图|下圖|左图|右图|图：|圖：)")),
    ("read_count", re.compile(r"阅读|閱讀|浏览|瀏覽|点击|點擊|次数|次數")),
)
_SENTENCE_MARK = re.compile(r"[。！？!?]")
_COMMA = re.compile(r"[，,、；;]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_INDENT = re.compile(r"^(?:\u3000|\s{2,}|\u00a0)")
_NEIGHBOURS = (-2, -1, 1, 2)
#: a line longer than this without a sentence mark reads as running text, not a heading
_HEADING_CHARS = 40
_OTHER_END = re.compile(r"[，,、;；:：—-]$")


def _shape(text: str) -> str:
    """A line's shape in one letter: S ends a sentence, s holds one (a sentence that runs
    on), p ends in other punctuation, h is short with no sentence mark (heading-like), l
    is long with none."""
    if _SENTENCE_END.search(text):
        return "S"
    if _SENTENCE_MARK.search(text):
        return "s"
    if _OTHER_END.search(text):
        return "p"
    return "h" if len(text) <= _HEADING_CHARS else "l"


def _bucket(value: int, bounds: Sequence[int]) -> str:
    for bound in bounds:
        if value <= bound:
            return f"<={bound}"
    return f">{bounds[-1]}"


def _own(text: str, raw: str) -> dict[str, float]:
    """The features of one line on its own."""
    out = {f"len={_bucket(len(text), _LENGTHS)}": 1.0}
    out["end=" + next((n for n, p in _ENDS if p.search(text)), "other")] = 1.0
    out["start=" + next((n for n, p in _STARTS if p.search(text)), "other")] = 1.0
    for name, pattern in _WORDS:
        if pattern.search(text):
            out[f"word={name}"] = 1.0
    sentences = len(_SENTENCE_MARK.findall(text))
    out[f"sentences={_bucket(sentences, (0, 1, 3))}"] = 1.0
    out[f"commas={_bucket(len(_COMMA.findall(text)), (0, 1, 3))}"] = 1.0
    cjk = len(_CJK.findall(text)) / max(len(text), 1)
    out[f"cjk={_bucket(int(cjk * 10), (0, 3, 6, 9))}"] = 1.0
    if _INDENT.match(raw):
        out["indented"] = 1.0
    if " " in text.strip() or "\u3000" in text.strip():
        out["inner_space"] = 1.0
    return out


def _short(own: dict[str, float]) -> dict[str, float]:
    """The features a neighbour lends a line."""
    lent = ("len=", "end=", "start=", "word=", "rule=", "form=", "tag=", "title_match=")
    return {k: v for k, v in own.items() if k.startswith(lent)}


def rule_labels(
    lines: Sequence[str],
    *,
    kind: str = "text",
    data: bytes | None = None,
    name: str = "<page>",
    page=None,
) -> dict[int, tuple[str, str]]:
    """The label and form the rule-based reader gives each line (by index in ``lines``),
    read the way the rules read that kind of page: a text page split as it is; a markdown
    file through its front matter and markup hints; a web page through the rules' own
    extraction of its article (``data`` is its bytes), its lines found again by their
    text, and the lines the extraction left out labelled ``outside`` (``page``: that
    extraction, :func:`analysis.reading.webpages.read_html` of ``data``, when it is at
    hand)."""
    from analysis.reading.pages import split_page
    from analysis.reading.textio import normalize_line

    if kind == "markdown":
        from analysis.reading.frontmatter import read_markdown

        md = read_markdown("\n".join(lines), name=name)
        split = split_page(md.text, hints=md.hints, single=True, briefs=True)
        return {line.number - 1: (line.label, line.form) for line in split.lines}
    if kind != "html" or (data is None and page is None):
        split = split_page("\n".join(lines))
        return {line.number - 1: (line.label, line.form) for line in split.lines}
    if page is None:
        from analysis.reading.webpages import read_html

        page = read_html(data, name=name)
    found = [(normalize_line(ln.text), ln.label, ln.form) for ln in split_page(page.text).lines]
    outside = {normalize_line(t) for t in page.header + page.footer}
    out, at = {}, 0
    for k, line in enumerate(lines):
        text = normalize_line(line)
        match = next((j for j in range(at, min(at + 40, len(found))) if found[j][0] == text), None)
        if match is not None:
            out[k], at = found[match][1:], match + 1
        elif text in outside:
            out[k] = ("outside", "outside")
    return out


def line_features(
    lines: Sequence[str],
    *,
    kind: str = "text",
    markup: Sequence[dict] | None = None,
    rules: dict[int, tuple[str, str]] | None = None,
) -> list[dict[str, float]]:
    """Features of every non-blank line of a page (``kind``: text, markdown or html), in
    order; blank lines have none (they are not labelled) but are seen as gaps. ``markup``
    gives each line's features from the HTML around it (:func:`html_blocks`), ``rules``
    the rule-based reader's label and form of each line (default :func:`rule_labels` of
    the lines)."""
    from analysis.reading.textio import normalize_line

    texts = [normalize_line(line) for line in lines]
    places = [k for k, t in enumerate(texts) if t]
    if rules is None:
        try:
            rules = rule_labels(lines, kind=kind)
        except Exception:
            rules = {}
    counts = Counter(texts[k] for k in places)
    shapes = [_shape(texts[k]) for k in places]
    # the page's usual line length: narrow columns make short lines of running text
    usual = sorted(len(texts[k]) for k in places)[len(places) // 2] if places else 1
    own = []
    for n, k in enumerate(places):
        feats = _own(texts[k], lines[k])
        label, form = rules.get(k, ("none", "none"))
        feats[f"rule={label}"] = 1.0
        feats[f"form={form}"] = 1.0
        feats[f"kind={kind}"] = 1.0
        if markup is not None:
            feats.update(markup[k])
        if counts[texts[k]] > 1:
            feats["repeated"] = 1.0
        feats[f"pos={_bucket(int(10 * n / max(len(places), 1)), (0, 1, 4, 7, 8))}"] = 1.0
        if n < 3:
            feats[f"first{n}"] = 1.0
        if n >= len(places) - 2:
            feats["last"] = 1.0
        gap_before = k - places[n - 1] - 1 if n else 9
        gap_after = places[n + 1] - k - 1 if n + 1 < len(places) else 9
        feats[f"gap_before={min(gap_before, 2)}"] = 1.0
        feats[f"gap_after={min(gap_after, 2)}"] = 1.0
        # the shapes of the line and its neighbours together (a linear model cannot
        # combine them itself): a heading-like line between sentences is a headline
        before = shapes[n - 1] + ("_" if gap_before else "") if n else "^"
        after = ("_" if gap_after else "") + shapes[n + 1] if n + 1 < len(places) else "$"
        feats[f"shape={before}{shapes[n]}{after}"] = 1.0
        ratio = len(texts[k]) / max(usual, 1)
        feats[f"vs_usual={_bucket(int(4 * ratio), (1, 2, 3, 5, 8))}"] = 1.0
        own.append(feats)
    out = []
    for n, feats in enumerate(own):
        row = {f"0:{k}": v for k, v in feats.items()}
        for step in _NEIGHBOURS:
            m = n + step
            if 0 <= m < len(own):
                row.update({f"{step}:{k}": v for k, v in _short(own[m]).items()})
            else:
                row[f"{step}:none"] = 1.0
        row["bias"] = 1.0
        out.append(row)
    return out


def page_features(path: str | Path) -> tuple[list[str], list[dict[str, float]]]:
    """The lines of a page file and the features of its non-blank ones."""
    path = Path(path)
    kind = kind_of(path)
    if kind == "html":
        return html_features(path.read_bytes(), name=str(path))
    lines = page_lines(path)
    return lines, line_features(lines, kind=kind)


def html_features(
    data: bytes, *, name: str = "<html>", page=None
) -> tuple[list[str], list[dict[str, float]]]:
    """The lines of a web page (:func:`html_blocks`) and the features of each, with the
    rules' labels from their extraction of it (``page``, when it is at hand)."""
    blocks = html_blocks(data, name=name)
    lines = [line for line, _ in blocks]
    rules = rule_labels(lines, kind="html", data=data, name=name, page=page)
    markup = [info for _, info in blocks]
    return lines, line_features(lines, kind="html", markup=markup, rules=rules)


def kind_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    return {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}.get(
        suffix, "text"
    )
