"""Split a raw Chinese newspaper page into articles.

The splitter works by general rules of Chinese newspaper layout and of the ways pages
reach a user (copied web pages, crawler dumps, markdown archives), never by line
numbers, newspapers or sites (see ``docs/page-splitting.md``):

1. Every non-empty line is classified by its own form: furniture of a web page
   (:mod:`analysis.reading.furniture`), a crawler field (``标题：``, ``作者：…  时间：…``), a source
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

The steps live in these modules, each importing only from the ones listed before it:

- :mod:`~analysis.reading.pages.lines`: the data of a split (lines, articles,
  contributors) and reading a page's lines with their offsets.
- :mod:`~analysis.reading.pages.bylines`: bylines, credits, source lines and datelines.
- :mod:`~analysis.reading.pages.forms`: the form of a line on its own (step 1).
- :mod:`~analysis.reading.pages.classify`: forms that the context decides, furniture by
  position (step 2) and lines re-joined across layout breaks (step 3).
- :mod:`~analysis.reading.pages.briefs`: briefs, photo items and captions.
- :mod:`~analysis.reading.pages.headlines`: headline blocks and their roles (steps 4, 5).
- :mod:`~analysis.reading.pages.articles`: filling an article and deciding its kind.
- :mod:`~analysis.reading.pages.assembly`: the walk over a page's units that assembles
  its articles.

:func:`split_page` itself is defined here, with the reading of a very long text in
segments, so that the limit it reads is ``analysis.reading.pages.SEGMENT_CHARS``.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Collection, Iterator

from analysis.processes import cpu_count, worker_pool
from analysis.reading.furniture import PageMeta
from analysis.reading.pages.assembly import _split_segment
from analysis.reading.pages.bylines import parse_byline
from analysis.reading.pages.lines import (
    TAB_HEADLINE,
    Article,
    Contributor,
    Line,
    PageSplit,
    join_pieces,
)

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


# --- splitting a page, in segments when it is long --------------------------------


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
    (:func:`analysis.reading.furniture.repeated_lines`); in the page's top or bottom area they
    are furniture. ``hints`` gives roles that markup states for some lines (line number
    → title, kicker, subtitle, section or quote; see :mod:`analysis.reading.frontmatter`).
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
