"""Code articles with a :class:`~analysis.methods.codebook.Codebook`: which codes each
article carries, how often, and where.

How entries meet the segmentation (the question of quanteda #2476 and KH Coder #576):

- An entry is matched on the article's **words**: its characters must start where a word
  starts and end where a word ends, so 印度 never matches inside 印度尼西亚, and 工会 not
  inside 总工会.
- An entry the segmenter **splits** (拖欠工资 cut as 拖欠/工资) is still found: it may
  span several consecutive words. A phrase written with spaces (``拖欠 工资``) is the same.
- An entry the segmenter would **join** to its neighbours is added to the tokenizer's
  dictionary for the coding run, so the text is cut where the entry ends (the corpus's
  keywords and other results are unchanged; only the coding tokenizer has the words).
- Glob patterns (``工资*``) match one word.
- Every entry is also matched in its Traditional (or Simplified) form, so one dictionary
  serves both scripts.

Units: the title and each body paragraph are pieces; ``near`` and ``seq`` look within one
piece, counting words (punctuation is not a word). An article's count for a code is the
number of its distinct matches when the condition holds: each occurrence of a word, each
``near``/``seq`` match; a condition that holds without any match (``!word`` or a column
test alone) counts 1.

>>> from analysis.methods.codebook import parse_rules
>>> book = parse_rules("*国名\\n印度 | 美国")
>>> coded = code_texts(["印度尼西亚和美国", "印度与美国"], book)
>>> coded.counts["国名"].tolist()
[1, 2]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fnmatch import translate
from functools import cached_property
from itertools import accumulate, pairwise

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.methods.codebook import (
    All,
    Any,
    Codebook,
    Column,
    Near,
    Not,
    Ref,
    Seq,
    Substring,
    Word,
    _walk,
    is_glob,
)
from analysis.processes import gc_paused, worker_pool
from analysis.reading.scripts import to_simplified, to_traditional

__all__ = ["Coded", "code_articles", "code_texts", "coding_tokenizer"]

#: Below this many characters the articles are coded in this process.
PARALLEL_MIN_CHARS = 2_000_000
CHUNK_ARTICLES = 2_000

#: Columns of the articles table that are not metadata a rule would test.
_INTERNAL_COLUMNS = {
    "paragraphs",
    "paragraph_sections",
    "paragraph_spans",
    "text",
    "start",
    "end",
    "n_title_chars",
    "furniture",
    "original",
    "metadata",
    "encoding",
    "order",
}
#: Compound words longer than this are not searched for entries inside them.
MAX_COMPOUND = 12

Span = tuple[int, int, int]  # piece, start, end (characters)
Place = tuple[int, int, int, int]  # first word, word after the last, characters cut either end
Match = tuple[Span, ...]


@dataclass
class Coded:
    """The coding of a corpus: ``counts`` (id, then one count column per code, in the
    codebook's order), ``matches`` (per article, code → list of matches, each a tuple of
    (piece, start, end) character spans; piece 0 is the title, k the k-th paragraph)
    and the ``pieces`` the spans point into."""

    codebook: Codebook
    counts: pd.DataFrame
    matches: list[dict[str, list[Match]]]
    pieces: list[list[str]]

    @property
    def codes(self) -> list[str]:
        return self.codebook.names

    def present(self) -> pd.DataFrame:
        """Articles × codes, True where the article carries the code."""
        return self.counts[self.codes] > 0


class _Matcher:
    """Finds every entry of a codebook in a list of words."""

    def __init__(self, book: Codebook) -> None:
        self.forms: dict[str, list[str]] = {}  # surface form → entries it stands for
        self.globs: list[tuple[str, re.Pattern]] = []
        for entry in sorted(book.entries()):
            if is_glob(entry):
                for form in dict.fromkeys((entry, to_simplified(entry), to_traditional(entry))):
                    pattern = translate(form.replace(" ", "").lower())
                    self.globs.append((entry, re.compile(pattern)))
                continue
            for form in {entry, to_simplified(entry), to_traditional(entry)}:
                self.forms.setdefault(form.replace(" ", "").lower(), []).append(entry)
        # code → its entries, for the codes that cannot hold unless one of them occurs
        # (no !, no column test, no 'string' in the condition)
        self.needs = {
            name: frozenset(w.text for w in _walk(condition, Word))
            for name, condition in book.codes.items()
            if not any(
                True for kind in (Not, Column, Substring, Ref) for _ in _walk(condition, kind)
            )
        }
        # every beginning of a form: a run of words that is none of these ends the search
        self.prefixes = {f[:k] for f in self.forms for k in range(1, len(f) + 1)}
        self._glob_cache: dict[str, tuple[str, ...]] = {}
        self._inside_cache: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def words(self) -> list[str]:
        """Entries to add to the coding tokenizer: single words, no spaces, not in Latin
        letters alone (jieba keeps a run of Latin letters whole; with omicron added it
        would cut omicrons into omicron/s)."""
        return sorted(f for f in self.forms if len(f) > 1 and not f.isascii())

    def _globbed(self, word: str) -> tuple[str, ...]:
        found = self._glob_cache.get(word)
        if found is None:
            found = tuple(dict.fromkeys(e for e, rx in self.globs if rx.match(word)))
            if len(self._glob_cache) > 200_000:
                self._glob_cache.clear()
            self._glob_cache[word] = found
        return found

    def inside(self, word: str, has_word) -> tuple[tuple[str, int, int], ...]:
        """Entries (words or glob patterns) inside a compound ``word``: (entry, start,
        end) where the rest of the word either side is empty or a dictionary word of two
        characters or more (新就业形态劳动者 holds 新就业形态; 印度尼西亚 does not hold 印度)."""
        found = self._inside_cache.get(word)
        if found is None:
            found = self._inside(word, has_word) if 2 < len(word) <= MAX_COMPOUND else ()
            if len(self._inside_cache) > 200_000:
                self._inside_cache.clear()
            self._inside_cache[word] = found
        return found

    def _inside(self, word: str, has_word) -> tuple[tuple[str, int, int], ...]:
        found = []
        for start in range(len(word)):
            if not _rest_is_word(word[:start], has_word):
                continue
            for end in range(start + 1, len(word) + 1):
                if end - start == len(word) or not _rest_is_word(word[end:], has_word):
                    continue
                part = word[start:end]
                entries = (*self.forms.get(part, ()), *(self._globbed(part) if self.globs else ()))
                found += [(entry, start, end) for entry in dict.fromkeys(entries)]
        return tuple(found)

    def find(self, words: list[str], has_word, breaks: set[int] = frozenset()) -> dict:
        """Entry → (first word, word after the last, characters cut from the first word's
        start, characters cut from the last word's end) of each occurrence; no
        occurrence runs across a word in ``breaks`` (one that follows punctuation)."""
        hits: dict[str, list[Place]] = {}
        words = [w.lower() for w in words]  # Latin letters match in any case
        forms, prefixes, n = self.forms, self.prefixes, len(words)
        for i, word in enumerate(words):
            joined, j = word, i
            while joined in prefixes:
                for entry in forms.get(joined, ()):
                    hits.setdefault(entry, []).append((i, j + 1, 0, 0))
                j += 1
                if j == n or j in breaks:
                    break
                joined += words[j]
            whole = set(forms.get(word, ()))
            if self.globs:
                for entry in self._globbed(word):
                    hits.setdefault(entry, []).append((i, i + 1, 0, 0))
                    whole.add(entry)
            if len(word) > 2:  # parts of a compound, unless the entry matched it whole
                for entry, start, end in self.inside(word, has_word):
                    if entry not in whole:
                        hits.setdefault(entry, []).append((i, i + 1, start, len(word) - end))
        return hits


def _rest_is_word(rest: str, has_word) -> bool:
    return not rest or (len(rest) >= 2 and (has_word(rest) or has_word(to_simplified(rest))))


def coding_tokenizer(book: Codebook, tokenizer=None, *, matcher: _Matcher | None = None):
    """``tokenizer`` (default: the project's) with the codebook's entries added as words."""
    from analysis.text.tokenize import Tokenizer, default_tokenizer

    base = tokenizer or default_tokenizer()
    words = (matcher or _Matcher(book)).words()
    extra = tuple(dict.fromkeys((*base.config.extra_words, *words)))
    return Tokenizer(replace(base.config, extra_words=extra))


_WORDLIKE = re.compile(r"\w")


class _Kinds(dict):
    """Token → 1 for a word (a letter, digit or character in it), 2 for spaces, 0 for
    punctuation; computed once per distinct token."""

    def __missing__(self, token: str) -> int:
        if len(self) > 500_000:
            self.clear()
        kind = self[token] = 1 if _WORDLIKE.search(token) else 2 if token.isspace() else 0
        return kind


_kinds = _Kinds()


def _cut(text: str, tokenizer) -> tuple[list[str], list[tuple[int, int]], set[int]]:
    """The words of ``text`` (punctuation left out), their offsets, and the indices of
    the words that follow punctuation (no phrase runs across those)."""
    if not text:
        return [], [], set()
    simplified = to_simplified(text)
    source = simplified if len(simplified) == len(text) else text
    pieces = tokenizer.cut(source)
    if "".join(pieces) != source:  # a segmenter that drops characters: find each piece
        return _cut_by_search(text, source, pieces)
    lengths = list(map(len, pieces))
    ends = list(accumulate(lengths))
    kinds = list(map(_kinds.__getitem__, pieces))
    keep = [i for i, kind in enumerate(kinds) if kind == 1]
    offsets = [(ends[i] - lengths[i], ends[i]) for i in keep]
    words = [text[a:b] for a, b in offsets]
    breaks: set[int] = set()
    if 0 in kinds:  # punctuation: the next word starts a new run
        gap, number = False, 0
        for kind in kinds:
            if kind == 1:
                if gap:
                    breaks.add(number)
                number, gap = number + 1, False
            elif kind == 0:
                gap = True
    return words, offsets, breaks


def _cut_by_search(text: str, source: str, pieces: list[str]) -> tuple:
    words, offsets, breaks, position, gap = [], [], set(), 0, False
    for piece in pieces:
        start = source.find(piece, position)
        if start < 0:
            continue
        position = start + len(piece)
        if _WORDLIKE.search(piece):
            if gap:
                breaks.add(len(words))
            words.append(text[start:position])
            offsets.append((start, position))
            gap = False
        elif piece.strip():
            gap = True
    return words, offsets, breaks


class _Article:
    """One article's pieces cut into words, with each word's character offsets.

    A piece in Traditional script is cut in its Simplified form when the two have the
    same length (jieba's dictionary is Simplified: 印度尼西亞 would be cut 印度/尼西/亞),
    and the words are taken from the original characters."""

    def __init__(self, pieces: Sequence[str], tokenizer, matcher: _Matcher) -> None:
        self.pieces = pieces
        self.words: list[list[str]] = []
        self.offsets: list[list[tuple[int, int]]] = []
        self.hits: dict[str, list[tuple[int, ...]]] = {}  # entry → (piece, *place)
        has_word = tokenizer.backend.has_word
        for number, text in enumerate(pieces):
            words, offsets, breaks = _cut(text, tokenizer)
            self.words.append(words)
            self.offsets.append(offsets)
            for entry, places in matcher.find(words, has_word, breaks).items():
                self.hits.setdefault(entry, []).extend((number, *place) for place in places)

    @cached_property
    def next_start(self) -> dict[tuple[int, int], int]:
        """(piece, end of a word) → start of the next word, where only spaces lie between."""
        return {
            (piece, a[1]): b[0]
            for piece, offsets in enumerate(self.offsets)
            for a, b in pairwise(offsets)
            if not self.pieces[piece][a[1] : b[0]].strip()
        }

    def span(self, piece: int, i: int, j: int, lead: int = 0, trail: int = 0) -> Span:
        offsets = self.offsets[piece]
        return (piece, offsets[i][0] + lead, offsets[j - 1][1] - trail)


def _evaluate(node, article: _Article, row: dict, memo: dict, book: Codebook):
    """(holds, matches) of a condition on one article."""
    if isinstance(node, Word):
        places = article.hits.get(node.text, ())
        return bool(places), {(article.span(*p),) for p in places}
    if isinstance(node, Any | All):
        results = [_evaluate(c, article, row, memo, book) for c in node.children]
        holds = any(r[0] for r in results) if isinstance(node, Any) else all(r[0] for r in results)
        return holds, set().union(*(r[1] for r in results if r[0])) if holds else set()
    if isinstance(node, Not):
        return not _evaluate(node.child, article, row, memo, book)[0], set()
    if isinstance(node, Near | Seq):
        found = _near(node, article) if isinstance(node, Near) else _seq(node, article)
        return bool(found), found
    if isinstance(node, Column):
        return row.get(node.name.lower()) == node.value, set()
    if isinstance(node, Substring):
        found = set()
        for number, text in enumerate(article.pieces):
            start = text.find(node.text)
            while start >= 0:
                found.add(((number, start, start + len(node.text)),))
                start = text.find(node.text, start + len(node.text))
        return bool(found), found
    if isinstance(node, Ref):
        if node.code not in memo:
            memo[node.code] = _evaluate(book.codes[node.code], article, row, memo, book)
        return memo[node.code]
    raise TypeError(f"unknown condition {node!r}")


def _near(node: Near, article: _Article) -> set[Match]:
    first, *others = (article.hits.get(w.text, ()) for w in node.words)
    found = set()
    for piece, i, *rest in first:
        partners = []
        for places in others:
            close = [p for p in places if p[0] == piece and abs(p[1] - i) <= node.window]
            if not close:
                break
            partners.append(min(close, key=lambda p: (abs(p[1] - i), p[1])))
        else:
            found.add(tuple(article.span(*p) for p in sorted([(piece, i, *rest), *partners])))
    return found


def _seq(node: Seq, article: _Article) -> set[Match]:
    """Matches of the words one directly after the other: the next begins where the
    previous ends, or at the next word when only spaces lie between."""
    spans = [[article.span(*p) for p in article.hits.get(w.text, ())] for w in node.words]
    starting = [{(p, s): e for p, s, e in found} for found in spans[1:]]
    found = set()
    for piece, begin, end in spans[0]:
        for starts in starting:
            step = starts.get((piece, end))
            if step is None:
                step = starts.get((piece, article.next_start.get((piece, end), -1)))
            if step is None:
                break
            end = step
        else:
            found.add(((piece, begin, end),))
    return found


def _code_one(pieces, row, tokenizer, matcher, book) -> dict[str, list[Match]]:
    article = _Article(pieces, tokenizer, matcher)
    memo: dict = {}
    out = {}
    for name, condition in book.codes.items():
        words = matcher.needs.get(name)
        if words is not None and words.isdisjoint(article.hits):
            continue  # holds only where one of its words occurs, and none does
        if name not in memo:
            memo[name] = _evaluate(condition, article, row, memo, book)
        holds, matches = memo[name]
        if holds:
            out[name] = _distinct(matches) or [()]
    return out


def _distinct(matches: set[Match]) -> list[Match]:
    """The matches in text order, those that overlap (空气* on 空气污染 and 空气 inside
    it) counted once: the one that reaches furthest is kept."""
    out: list[Match] = []
    for match in sorted(matches, key=lambda m: (m[0][0], m[0][1], -m[-1][2])):
        if out and out[-1][0][0] == match[0][0] and match[0][1] < out[-1][-1][2]:
            if match[-1][2] > out[-1][-1][2]:
                out[-1] = match
            continue
        out.append(match)
    return out


_worker_state: tuple | None = None


def _init_worker(book: Codebook, tokenizer, matcher: _Matcher | None = None) -> None:
    global _worker_state
    _worker_state = (book, tokenizer, matcher or _Matcher(book))


def _code_chunk(items: list[tuple[list[str], dict]]) -> list[dict[str, list[Match]]]:
    assert _worker_state is not None
    book, tokenizer, matcher = _worker_state
    with gc_paused():
        return [_code_one(p, r, tokenizer, matcher, book) for p, r in items]


def code_texts(
    texts: Sequence[str | Sequence[str]],
    book: Codebook,
    *,
    ids: Sequence[object] | None = None,
    rows: Sequence[dict] | None = None,
    tokenizer=None,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> Coded:
    """Code each text (a string, or a list of pieces: title, then paragraphs).

    ``rows`` gives each text's column values for ``<>column-->value`` tests; ``n_jobs``
    defaults to the CPUs when the texts hold more than ``PARALLEL_MIN_CHARS``."""
    from analysis.scale.partitions import _progress

    pieces = [
        [t] if isinstance(t, str) else [p if isinstance(p, str) else "" for p in t] for t in texts
    ]
    rows = list(rows) if rows is not None else [{} for _ in pieces]
    matcher = _Matcher(book)
    tokenizer = coding_tokenizer(book, tokenizer, matcher=matcher)
    size = sum(len(p) for ps in pieces for p in ps)
    if n_jobs is None:
        from analysis.processes import cpu_count

        n_jobs = cpu_count() if size > PARALLEL_MIN_CHARS else 1
    progress = n_jobs > 1 if progress is None else progress
    items = list(zip(pieces, rows, strict=True))
    results: list[dict[str, list[Match]]] = []
    with _progress(len(items), "coding", progress) as bar:
        if n_jobs <= 1:
            _init_worker(book, tokenizer, matcher)
            for start in range(0, len(items), CHUNK_ARTICLES):
                results += _code_chunk(items[start : start + CHUNK_ARTICLES])
                bar.update(min(CHUNK_ARTICLES, len(items) - start))
        else:
            chunks = [items[s : s + CHUNK_ARTICLES] for s in range(0, len(items), CHUNK_ARTICLES)]
            with worker_pool(n_jobs, initializer=_init_worker, initargs=(book, tokenizer)) as pool:
                for chunk, done in zip(chunks, pool.map(_code_chunk, chunks), strict=True):
                    results += done
                    bar.update(len(chunk))
    ids = list(ids) if ids is not None else list(range(len(pieces)))
    counts = pd.DataFrame({"id": ids})
    for name in book.names:
        counts[name] = np.fromiter(
            (len(r.get(name, ())) for r in results), dtype=np.int64, count=len(results)
        )
    return Coded(book, counts, results, pieces)


def code_articles(articles, book: Codebook, *, tokenizer=None, **options) -> Coded:
    """Code every article of a table from :func:`analysis.reading.corpus.load_articles`
    (or an :class:`~analysis.representations.analysed.AnalysedCorpus`): its title and
    body paragraphs; column tests read the article's columns."""
    frame = getattr(articles, "articles", articles)
    tokenizer = tokenizer or getattr(articles, "tokenizer", None)
    columns = _columns(frame, book)  # the name a rule uses, lower case → the column
    rows = None
    if columns:
        values = zip(*(frame[c] for c in columns.values()), strict=True)
        rows = [{k: _cell(v) for k, v in zip(columns, row, strict=True)} for row in values]
    titles = frame["title"] if "title" in frame else [""] * len(frame)
    texts = [
        [t if isinstance(t, str) else "", *ps]
        for t, ps in zip(titles, frame["paragraphs"], strict=True)
    ]
    return code_texts(
        texts, book, ids=frame["id"].tolist(), rows=rows, tokenizer=tokenizer, **options
    )


def _columns(frame: pd.DataFrame, book: Codebook) -> dict[str, str]:
    """The column names the rules use, in lower case → the table's column: the exact
    name, else one that differs only in case, else the column the loader filled for it
    (a table's ``category`` is read into ``label``)."""
    from analysis.representations.analysed import COLUMN_ALIASES

    found = {}
    lower = {str(c).lower(): c for c in frame.columns}
    filled = {a.lower(): name for name, aliases in COLUMN_ALIASES.items() for a in aliases}
    for name in sorted(book.columns()):
        column = name if name in frame.columns else lower.get(name.lower())
        if column is None and filled.get(name.lower()) in frame.columns:
            column = filled[name.lower()]
        if column is None:
            shown = ", ".join(str(c) for c in frame.columns if c not in _INTERNAL_COLUMNS)
            raise InputError(
                f"{book.source}: a rule tests the column {name!r}, which the articles do not "
                f"have (columns: {shown})"
            )
        found[name.lower()] = column
    return found


def _cell(value: object) -> str | None:
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return None
    return str(value).strip()
