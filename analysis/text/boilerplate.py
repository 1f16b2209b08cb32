"""Boilerplate found by evidence in each corpus: the strings that open or close a large share
of its articles (a wire lead-in such as ``X网消息（Y）：`` or ``本报讯``, a closing ``（完）``)
and the short lines repeated across many of them (``责任编辑：…``, a copyright line).

Nothing here names a source or its words. A corpus's own articles are the evidence:

- **lead-ins**: the beginnings of each article's first paragraph, cut at a punctuation
  mark or a space (``央视网消息（新闻联播）：`` is cut after ``（`` and after ``）：``), up to
  :data:`MAX_EDGE` characters; runs of digits are read as one placeholder, so
  ``新华社北京3月5日电`` and ``新华社北京12月1日电`` are one string; a bracketed aside
  right after a lead-in (a byline: ``本报北京3月5日电（记者张三）``) goes with it;
- **endings**: the same at the end of each article's last paragraph;
- **bracketed asides** at the start of the first paragraph or the end of the last
  (before any digits): a wire's dateline with the reporter's name in it,
  ``（X社记者张三台北3日电）``, or an editor's credit, ``（编辑：李四）1100803``; found by
  the shared beginning of their text (``X社``, ``编辑：``), the shortest one about as
  often seen as the longer ones, and taken out whole;
- **lines**: whole paragraphs of at most :data:`MAX_LINE` characters, digits read the same
  way, in articles of more than one paragraph;
- **labels**: a short line's label before a colon or a bar (``责任编辑：`` or
  ``专栏 | `` with any name after it) in the first or last :data:`EDGE_PARAGRAPHS`
  paragraphs (an author box of a picture, the column and the writer's name, and a
  biography closes many web pages); not at the very first or last paragraph, the name
  must be short, and anywhere a sentence after the label (``受访者：……。``) is text.

Boilerplate is what surrounds an article's own text: an article that would be left with
nothing is kept whole (a feed of one-line items made from one template is content).

A string is boilerplate when it opens (closes, or is a line of) at least
:data:`MIN_SHARE` of the articles and at least :data:`MIN_DOCUMENTS` of them, and holds at
least two letters or ideographs, or one in brackets (``（完）``; a lone ``“`` or ``。`` is
not listed). Of nested strings
with about the same support (``央视网消息（`` inside ``央视网消息（新闻联播）：``) only the
longest is kept. Evidence is gathered on up to :data:`SAMPLE` articles spread evenly over
the corpus; the strings found are then removed from every article's counted text, and the
documents each one was removed from are counted on the whole corpus.

The articles themselves are never changed: :class:`Boilerplate` cleans the paragraphs as
they are tokenized (:class:`analysis.representations.analysed.AnalysedCorpus`), so the
text a reader sees, KWIC lines and exports keep every character.

>>> plate = find_boilerplate([["本报讯 今天下雨。"], ["本报讯 明天放晴。"], ["晴。"]],
...                          min_documents=2, min_share=0.5)
>>> plate.table()[["kind", "text", "documents"]].to_dict("records")
[{'kind': 'lead-in', 'text': '本报讯', 'documents': 2}]
>>> plate.clean(["本报讯 今天下雨。"])
['今天下雨。']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "BOILERPLATE_COLUMNS",
    "EDGE_PARAGRAPHS",
    "MAX_ASIDE_OPENING",
    "MAX_EDGE",
    "MAX_LINE",
    "MIN_DOCUMENTS",
    "MIN_SHARE",
    "SAMPLE",
    "SHORT_AFTER_LABEL",
    "Boilerplate",
    "find_boilerplate",
]

#: Longest lead-in or ending looked for, in characters.
MAX_EDGE = 40
#: Longest paragraph that can be a repeated line.
MAX_LINE = 120
#: Share of the articles a string must open, close or be a line of.
MIN_SHARE = 0.05
#: Fewest articles a string must open, close or be a line of.
MIN_DOCUMENTS = 10
#: Articles read for evidence (evenly spread); the cleaning applies to all.
SAMPLE = 20_000
#: Paragraphs at each end of an article where label lines are looked for: an author box
#: (an image, the column and the writer's name, a short biography) closes many web pages.
EDGE_PARAGRAPHS = 3
#: Longest text after a label inside that zone but not at the very edge (a name, not a
#: sentence of an interview): longer, or ending a sentence, it is the article's own text.
SHORT_AFTER_LABEL = 20
#: Longest opening of a bracketed aside that is looked for.
MAX_ASIDE_OPENING = 8
#: Nested strings whose support is within this ratio count as one (the longest).
_NESTED = 0.9
BOILERPLATE_COLUMNS = ["kind", "text", "documents", "share"]

_DIGITS = re.compile(r"[0-9０-９]+")
_PLACEHOLDER = "\ue000"  # a private-use character: a "#" of the text stays a "#"
_BREAK = re.compile("(?!\ue000)[\\s\\W_]", re.UNICODE)  # a number is not a break
_WORDY = re.compile(r"[^\W\d_]", re.UNICODE)
_BRACKETED = re.compile(r"^[(（\[【〔《<]\w+[)）\]】〕》>]$")
# markdown's **, > or an image's ![ may come first
_LABEL = re.compile(r"^[*_>!\[\s]*(\w{2,6}) ?[：:|｜]")
# a bracketed aside at the start of a paragraph, and one at its end before any digits
_OPENING_ASIDE = re.compile(rf"\s*[（(]([^（）()\n]{{2,{MAX_EDGE}}})[）)]")
_CLOSING_ASIDE = re.compile(rf"[（(]([^（）()\n]{{2,{MAX_EDGE}}})[）)][\s\d]*$")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")  # a markdown link's or image's (target)
_SENTENCE_END = re.compile(r"[。！？!?]")


@dataclass
class Boilerplate:
    """The strings found in one corpus (``kind`` is ``lead-in``, ``ending``, ``line`` or
    ``label``) and how to take them out of a paragraph list."""

    leadins: list[str] = field(default_factory=list)
    endings: list[str] = field(default_factory=list)
    #: openings of a bracketed aside that opens (closes) many articles: 中央社 of
    #: （中央社记者张三台北3日电）, 编辑 of （编辑：李四）20210803
    opening_asides: list[str] = field(default_factory=list)
    closing_asides: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    n_documents: int = 0
    removed: Counter = field(default_factory=Counter)

    def __bool__(self) -> bool:
        return bool(
            self.leadins
            or self.endings
            or self.lines
            or self.labels
            or self.opening_asides
            or self.closing_asides
        )

    def __post_init__(self) -> None:
        self._open_aside = _aside_pattern(self.opening_asides, end=False)
        self._close_aside = _aside_pattern(self.closing_asides, end=True)
        self._lead = _alternation(self.leadins, end=False)
        self._end = _alternation(self.endings, end=True)
        self._line = _alternation(self.lines, end=True)
        self._label = _alternation(
            ["[*_>!\\[\\s]*" + label + " ?[：:|｜]" for label in self.labels], end=False, raw=True
        )

    def clean(self, paragraphs: Sequence[str], *, count: bool = True) -> list[str]:
        """``paragraphs`` of one article with the boilerplate taken out (a paragraph that was
        all boilerplate becomes empty, so positions stay); counts what it removed unless
        ``count=False``. Boilerplate is what surrounds an article's own text: an article
        that would be left with no text at all is given back whole, and nothing counted."""
        out = list(paragraphs)
        if not self or not out:
            return out
        removed = Counter()
        for i, text in enumerate(out):
            if self._line and (found := self._line.match(text.strip())):
                removed["line", found.group(0)] += 1
                out[i] = ""
        for i, found in _label_lines(out, self._label):
            removed["label", found.group(0).strip(" *_>![：:|｜")] += 1
            out[i] = ""
        self._clean_asides(out, removed)
        first = next((i for i, t in enumerate(out) if t.strip()), None)
        if first is not None and self._lead and (found := self._lead.match(out[first].lstrip())):
            removed["lead-in", found.group(0)] += 1
            rest = out[first].lstrip()[found.end() :]
            if aside := _OPENING_ASIDE.match(rest):  # the byline that follows a dateline
                rest = rest[aside.end() :]
            out[first] = rest.lstrip()
        last = next((i for i in range(len(out) - 1, -1, -1) if out[i].strip()), None)
        if last is not None and self._end:
            text = out[last].rstrip()
            tail = len(text) - min(len(text), 3 * MAX_EDGE)
            if found := self._end.search(text, tail):
                removed["ending", found.group(0)] += 1
                out[last] = text[: found.start()].rstrip()
        if not any(p.strip() for p in out):
            return list(paragraphs)
        if count:
            self.removed.update(removed.keys())  # articles, not occurrences
        return out

    def _clean_asides(self, out: list[str], removed: Counter) -> None:
        """Take the bracketed asides out of the first and last paragraphs of ``out``."""
        filled = [i for i, t in enumerate(out) if t.strip()]
        if filled and self._open_aside and (found := self._open_aside.match(out[filled[0]])):
            removed["lead-in", _aside(found.group(1))] += 1
            out[filled[0]] = out[filled[0]][found.end() :].lstrip()
        filled = [i for i, t in enumerate(out) if t.strip()]
        if filled and self._close_aside and (found := self._close_aside.search(out[filled[-1]])):
            removed["ending", _aside(found.group(1))] += 1
            out[filled[-1]] = out[filled[-1]][: found.start()].rstrip()

    def table(self) -> pd.DataFrame:
        """One row per string: kind, text (digits shown as ``#``), the documents it was removed
        from (found in, before any cleaning) and their share of the corpus."""
        rows = []
        for kind, strings in (
            ("lead-in", self.leadins),
            ("ending", self.endings),
            ("line", self.lines),
            ("label", self.labels),
            ("lead-in", [_aside(a) for a in self.opening_asides]),
            ("ending", [_aside(a) for a in self.closing_asides]),
        ):
            for text in strings:
                shown = text.replace(_PLACEHOLDER, "#")  # digits are shown as #
                rows.append({"kind": kind, "text": shown, "documents": self._count(kind, text)})
        table = pd.DataFrame(rows, columns=BOILERPLATE_COLUMNS[:3])
        table["share"] = (table["documents"] / max(self.n_documents, 1)).round(4)
        return table.sort_values("documents", ascending=False, kind="stable").reset_index(drop=True)

    def _count(self, kind: str, text: str) -> int:
        key = _DIGITS.sub(_PLACEHOLDER, text)
        return sum(
            n
            for (k, found), n in self.removed.items()
            if k == kind and _DIGITS.sub(_PLACEHOLDER, found) == key
        )

    def count(self, articles: Iterable[Sequence[str]]) -> None:
        """Count, without keeping the result, what :meth:`clean` removes from ``articles``."""
        self.removed.clear()
        self.n_documents = 0
        for paragraphs in articles:
            self.clean(paragraphs)
            self.n_documents += 1


def find_boilerplate(
    articles: Sequence[Sequence[str]],
    *,
    min_share: float = MIN_SHARE,
    min_documents: int = MIN_DOCUMENTS,
    sample: int = SAMPLE,
) -> Boilerplate:
    """The boilerplate of ``articles`` (each a list of body paragraphs), counted on all of
    them; see the module's docstring for what counts."""
    n = len(articles)
    rows = np.unique(np.linspace(0, n - 1, min(n, sample)).round().astype(int)) if n else []
    need = max(min_documents, int(np.ceil(min_share * len(rows))))
    sampled = [[p.strip() for p in articles[row] if p and p.strip()] for row in rows]
    # lines and labels first: the lead-ins and endings are looked for in what they leave;
    # labels at the edges of what the other lines leave (a byline box above a footer)
    lines, labels = Counter(), Counter()
    for paragraphs in sampled:
        if len(paragraphs) > 1:  # a line alone is the article's text, not what surrounds it
            lines.update({_DIGITS.sub(_PLACEHOLDER, p) for p in paragraphs if len(p) <= MAX_LINE})
    repeated = [s for s, c in lines.items() if c >= need and _WORDY.search(s)]
    plate = Boilerplate(lines=[s for s in repeated if not _LABEL.match(s)])
    for paragraphs in sampled:
        kept = [p for p in plate.clean(paragraphs, count=False) if p]
        labels.update({m.group(1) for _, m in _label_lines(kept, _LABEL)})
    plate = Boilerplate(labels=sorted(s for s, c in labels.items() if c >= need))
    plate = Boilerplate(
        labels=plate.labels,
        lines=sorted(s for s in repeated if not (plate._label and plate._label.match(s))),
    )
    plate = Boilerplate(labels=plate.labels, lines=plate.lines, **_asides(sampled, plate, need))
    leads, ends, next_lead, next_end = Counter(), Counter(), Counter(), Counter()
    for paragraphs in sampled:
        paragraphs = [p for p in plate.clean(paragraphs, count=False) if p]
        if not paragraphs:
            continue
        found = _prefixes(paragraphs[0])
        leads.update(found.keys())
        next_lead.update(found.items())
        found = {s[::-1]: c for s, c in _prefixes(paragraphs[-1][::-1], leading=False).items()}
        ends.update(found.keys())
        next_end.update(found.items())
    plate = Boilerplate(
        leadins=_closed(_supported(leads, _most(next_lead), need), leads, start=True),
        endings=_closed(_supported(ends, _most(next_end), need), ends, start=False),
        lines=plate.lines,
        labels=plate.labels,
        opening_asides=plate.opening_asides,
        closing_asides=plate.closing_asides,
    )
    if plate:
        plate.count(articles)
    else:
        plate.n_documents = n
    return plate


def _asides(sampled: list[list[str]], plate: Boilerplate, need: int) -> dict[str, list[str]]:
    """The openings of bracketed asides that open or close at least ``need`` of
    ``sampled`` (what ``plate`` leaves of them): each beginning of an aside's text of two
    letters or ideographs or more, the shortest of those about as often seen as the
    longer ones (中央社, not 中央社记者 nor 中央)."""
    found = {"opening_asides": Counter(), "closing_asides": Counter()}
    for paragraphs in sampled:
        kept = [p for p in plate.clean(paragraphs, count=False) if p]
        if not kept:
            continue
        for key, match in (
            ("opening_asides", _OPENING_ASIDE.match(kept[0])),
            ("closing_asides", _CLOSING_ASIDE.search(kept[-1])),
        ):
            if match is not None:
                text = _DIGITS.sub(_PLACEHOLDER, match.group(1).strip())
                found[key].update(
                    {
                        text[:k]
                        for k in range(2, min(len(text), MAX_ASIDE_OPENING) + 1)
                        if _listable(text[:k])
                    }
                )
    out = {}
    for key, counts in found.items():
        supported = _closed([t for t, n in counts.items() if n >= need], counts, start=True)
        out[key] = sorted(
            t for t in supported if not any(t != u and t.startswith(u) for u in supported)
        )
    return out


def _aside(opening: str) -> str:
    """How an aside that begins with ``opening`` is listed: （中央社…）."""
    return f"（{opening}…）"


def _aside_pattern(openings: Sequence[str], *, end: bool) -> re.Pattern | None:
    """Bracketed asides that begin with one of ``openings``: at the start of a paragraph,
    or (``end``) at its end, before any digits (a date or a code: （编辑：李四）1100101)."""
    if not openings:
        return None
    aside = rf"[（(]\s*({_choices(openings)})[^（）()\n]{{0,{MAX_EDGE}}}[）)]"
    return re.compile(aside + r"[\s\d]*$" if end else r"\s*" + aside)


def _label_lines(paragraphs: Sequence[str], label: re.Pattern | None):
    """(index, match) of the paragraphs of the first and last :data:`EDGE_PARAGRAPHS` that
    ``label`` matches: at most :data:`MAX_LINE` characters (a link's target not counted),
    no end of a sentence after the label (受访者：… 。 is an interview's text) and, unless
    first or last, no more than :data:`SHORT_AFTER_LABEL` characters after it."""
    if label is None:
        return
    filled = [i for i, p in enumerate(paragraphs) if p.strip()]
    edges = set(filled[:1] + filled[-1:])
    for i in dict.fromkeys(filled[:EDGE_PARAGRAPHS] + filled[-EDGE_PARAGRAPHS:]):
        text = paragraphs[i].strip()
        shown = _LINK_TARGET.sub("]", text)
        if len(shown) > MAX_LINE or not (found := label.match(text)):
            continue
        rest = _LINK_TARGET.sub("]", text[found.end() :]).strip(" *_]")
        if not _SENTENCE_END.search(rest) and (i in edges or len(rest) <= SHORT_AFTER_LABEL):
            yield i, found


def _prefixes(text: str, *, leading: bool = True) -> dict[str, str]:
    """The beginnings of ``text`` that end at a break (before or after a punctuation mark or
    a space), digits read as ``#``, that could be listed (:func:`_listable`); each with
    the two letters or ideographs that follow it (a whole paragraph is a line, not a
    lead-in), after the bracketed aside that follows it, if any, when ``leading`` (a
    dateline's byline: 本报北京3月5日电（记者张三）)."""
    head = _DIGITS.sub(_PLACEHOLDER, text[: 3 * MAX_EDGE])
    out = {}
    for i in range(2, min(len(head) - 1, MAX_EDGE) + 1):
        at_break = _BREAK.match(head[i]) or _BREAK.match(head[i - 1])
        if at_break and (_listable(head[:i]) or _listable(head[:i][::-1])):
            rest = head[i:]
            if leading and (aside := _OPENING_ASIDE.match(rest)):
                rest = rest[aside.end() :]
            out[head[:i].strip()] = "".join(_BREAK.sub("", rest[:8])[:2])
    return out


def _listable(text: str) -> bool:
    """Two letters or ideographs, or one in brackets (``（完）``): a lone mark is not listed."""
    return len(_WORDY.findall(text)) >= 2 or bool(_BRACKETED.match(text.strip()))


def _supported(counts: Counter, following: Counter, need: int) -> list[str]:
    """Strings of ``counts`` seen at least ``need`` times, less those followed by the same
    two characters in nine in ten of their articles: the text they open goes on as shared,
    which is a copied passage, not boilerplate (nested strings cut earlier than the
    longest are left to :func:`_closed`)."""
    return [s for s, c in counts.items() if c >= need and following[s] < _NESTED * c]


def _most(pairs: Counter) -> Counter:
    """For each string of ``(string, next character)`` pairs, the count of its most common
    next character."""
    out = Counter()
    for (string, _), n in pairs.items():
        out[string] = max(out[string], n)
    return out


def _closed(strings: list[str], counts: Counter, *, start: bool) -> list[str]:
    """``strings`` without those nested in a longer one of about the same support."""
    keep = []
    for s in sorted(strings, key=len, reverse=True):
        inside = any(
            (other.startswith(s) if start else other.endswith(s))
            and counts[other] >= _NESTED * counts[s]
            for other in keep
        )
        if not inside:
            keep.append(s)
    return sorted(keep, key=lambda s: (-counts[s], s))


def _alternation(strings: Sequence[str], *, end: bool, raw: bool = False) -> re.Pattern | None:
    """One pattern for ``strings``, longest first (the placeholder stands for any number
    unless ``raw``), ending at the end of the text when ``end``; used with ``match`` it
    also starts at the start."""
    if not strings:
        return None
    return re.compile(f"(?:{_choices(strings, raw=raw)})" + ("$" if end else ""))


def _choices(strings: Sequence[str], *, raw: bool = False) -> str:
    """``strings`` as alternatives of a regular expression, longest first, the placeholder
    of each standing for any number (``raw``: the strings are patterns already)."""
    return "|".join(
        p if raw else _DIGITS.pattern.join(re.escape(x) for x in p.split(_PLACEHOLDER))
        for p in sorted(strings, key=len, reverse=True)
    )
