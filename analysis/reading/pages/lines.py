"""Lines of a page and the articles made of them: the data of a split, reading a
page's non-empty lines with their file offsets, and small helpers on their text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.reading.furniture import Furniture, PageMeta
from analysis.reading.textio import normalize_line, normalize_with_offsets

__all__ = [
    "TAB_HEADLINE",
    "_CLOSERS",
    "_MARKERS",
    "_PROSE",
    "_SENTENCE_END",
    "Article",
    "Contributor",
    "Line",
    "PageSplit",
    "_State",
    "_ends_sentence",
    "_is_head_only",
    "_label",
    "_next_unit",
    "_read_lines",
    "_strip_closers",
    "_unit_text",
    "join_pieces",
]


# --- characters every stage looks for ---------------------------------------------

_MARKERS = "□■◇◆●○▲△★☆◎▪▫◼◻"

_SENTENCE_END = set("。！？!?…")
_CLOSERS = "”’」』)）》】〕]\"'"

_PROSE = re.compile(r"[。！？!?]")

#: A crawler's headline line: kicker, title and subtitle joined by tabs.
TAB_HEADLINE = re.compile(r"^[^\t\n。！？]{1,60}(?:\t+[^\t\n。！？]{0,60})+$")


# --- the data of a split ----------------------------------------------------------


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


# --- text of lines and units ------------------------------------------------------


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


def _unit_text(unit: list[Line]) -> str:
    return "".join(ln.text for ln in unit)


def _next_unit(units: list[list[Line]], index: int) -> list[Line] | None:
    return units[index] if index < len(units) else None


def _is_head_only(art: Article) -> bool:
    return not art.paragraphs and not art.contributors and not art.sections


def _label(unit: list[Line], label: str, rule: str, article: Article | None) -> None:
    for k, line in enumerate(unit):
        if k == 0 or not line.label:
            line.label, line.rule = label, rule or line.rule
        line.article = article.order if article else None
        if article is not None:
            article.lines.append(line)


# --- reading lines ----------------------------------------------------------------

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
