"""Search a whole corpus: the model behind the corpus explorer.

:class:`CorpusSearch` is built once per corpus (the articles are tokenized then, with the
progress bar of the counting) and answers a :class:`Query` within :class:`Filters`:

- **Query**: words (``欠薪 拖欠工资``; each one a line of the trend), a regular expression,
  or a code of a codebook (:mod:`analysis.methods.codebook`). Words and expressions are
  matched on the characters of each article's title and body paragraphs, as a reader's
  search box does; a word is also found in the other script (工会 finds 工會). A code is
  matched as coding does, on the words of the text (:mod:`analysis.methods.coding`).
- **Filters**: the values of one column (label, paper, column, any column of the input),
  a date range (inclusive; ``2024`` or ``2024-03`` stands for the whole year or month)
  and a range of body lengths in characters.

A :class:`SearchResult` gives the views of the explorer, all for the filtered articles:
the matching articles (sortable, paged), the hits per period and per group (per 10,000
tokens of those articles), the KWIC lines (sorted by the right context, or by the left
one read from the term outwards, as KH Coder sorts them), the collocates of the hits
(G² or PMI within a window of words) and the keywords of the matching articles against
every other article of the corpus.

>>> from analysis import load_articles
>>> search = CorpusSearch(load_articles())
>>> result = search.search(Query("快递小哥"))
>>> result.n_articles, result.n_hits  # once in the headline, five times in the body
(1, 6)
>>> lines = result.kwic(window=4)
>>> lines["piece"].tolist()  # 0 the title, 1 the first paragraph …
[0, 1, 2, 6, 7, 7]
>>> lines.iloc[1][["left", "match", "right"]].tolist()
['浸式体验', '快递小哥', '的日常工']
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np
import pandas as pd

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import keyness_table, log_likelihood
from analysis.representations.analysed import AnalysedCorpus, analysed, short_title

__all__ = [
    "MODES",
    "SORTS",
    "CorpusSearch",
    "Filters",
    "Query",
    "SearchResult",
    "parse_terms",
]

#: What a query's text is: words, a regular expression, or the name of a code.
MODES = ("terms", "regex", "code")
#: How the matching articles may be sorted.
SORTS = ("hits", "date", "title", "chars")
#: Hits read for the collocates at most (spread evenly over all hits).
COLLOCATE_SAMPLE = 5000
#: Pieces (title, paragraphs) are joined by this in the searched text; no match crosses it.
_SEPARATOR = "\n"
_SPLIT = re.compile(r"[\s,，、;；|]+")


def parse_terms(text: str) -> list[str]:
    """The words of a query, in order, each once: split at spaces, commas (, ，), 、,
    semicolons and ``|``.

    >>> parse_terms("欠薪, 拖欠工资 、欠薪")
    ['欠薪', '拖欠工资']
    """
    return list(dict.fromkeys(t for t in _SPLIT.split(text.strip()) if t))


@dataclass(frozen=True)
class Query:
    """What to look for: ``text`` read as ``mode`` (words, a regular expression or a
    code). An empty query matches every article (of the filters)."""

    text: str = ""
    mode: str = "terms"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise OptionError(f"search mode must be one of {', '.join(MODES)}, not {self.mode!r}")

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Filters:
    """Which articles the views show: ``values`` of ``column`` (all when empty), dates
    from ``start`` to ``end`` inclusive (an undated article is left out once either is
    set), bodies of ``min_chars`` to ``max_chars`` characters."""

    column: str | None = None
    values: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    min_chars: int = 0
    max_chars: int | None = None


@dataclass
class _Hits:
    """Every match of a query in the corpus: its article (row), piece (0 the title, k
    the k-th paragraph, counted from 1), start and end in the piece, and which of
    ``labels`` (the query's words, or its one expression or code) it matched."""

    article: np.ndarray
    piece: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray
    labels: list[str]

    def take(self, keep: np.ndarray) -> _Hits:
        return _Hits(
            self.article[keep],
            self.piece[keep],
            self.start[keep],
            self.end[keep],
            self.label[keep],
            self.labels,
        )


def _empty_hits(labels: list[str]) -> _Hits:
    none = np.zeros(0, dtype=np.int64)
    return _Hits(none, none, none, none, none, labels)


class CorpusSearch:
    """The searchable form of a corpus (an :class:`AnalysedCorpus` or an articles
    table): the text of every title and paragraph in one string, where each piece
    starts, each article's date, length and tokens. ``codebook`` (a
    :class:`~analysis.methods.codebook.Codebook`) makes its codes searchable;
    ``themes`` (a :class:`~analysis.methods.themes.Themes` of this corpus) adds each
    article's themes to :meth:`read`."""

    def __init__(self, corpus: AnalysedCorpus | pd.DataFrame, *, codebook=None, themes=None):
        self.corpus = analysed(corpus)
        self.codebook = codebook
        self.themes = themes
        articles = self.corpus.articles
        titles = [t if isinstance(t, str) else "" for t in articles["title"]]
        paragraphs = articles["paragraphs"].tolist()
        counts = np.fromiter((1 + len(p) for p in paragraphs), dtype=np.int64, count=len(titles))
        pieces = [
            piece.replace(_SEPARATOR, " ")
            for title, body in zip(titles, paragraphs, strict=True)
            for piece in (title, *body)
        ]
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        self._text = _SEPARATOR.join(pieces)
        self._starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
        self._lengths = lengths
        self._first_piece = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._piece_article = np.repeat(np.arange(len(titles)), counts)
        self.tokens = self.corpus.n_tokens.astype(float)  # tokenizes the corpus
        self.table = pd.DataFrame(
            {
                "id": articles["id"].astype(str).to_numpy(),
                "title": [
                    short_title(t or _opening(b), 40)
                    for t, b in zip(titles, paragraphs, strict=True)
                ],
                "date": self.corpus.dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
                "chars": np.fromiter(
                    (sum(map(len, b)) for b in paragraphs), dtype=np.int64, count=len(titles)
                ),
            }
        )
        self._found: dict[Query, _Hits] = {}
        self._idf  # noqa: B018 - computed with the index, not on the first article opened

    def __len__(self) -> int:
        return len(self.table)

    # -- what can be chosen ---------------------------------------------------------------

    @cached_property
    def group_columns(self) -> list[str]:
        """The columns whose values group the articles: 2 to 500 distinct values, at
        least one article in a group on average."""
        from analysis.representations.analysed import _INTERNAL

        skip = _INTERNAL | {"id", "title", "date", "path", "file", "url", "subtitle", "kicker"}
        skip |= {"order", "encoding", "n_paragraphs", "n_chars", "n_title_chars"}
        out = []
        for name in self.corpus.articles.columns:
            if name in skip:
                continue
            try:
                values = self.corpus.groups(name)
            except (OptionError, TypeError):
                continue
            distinct = values.dropna().nunique()
            if 2 <= distinct <= min(500, max(2, len(self) // 2)):
                out.append(name)
        return out

    def group_values(self, column: str) -> list[str]:
        """The values of ``column``, the most frequent first."""
        return self._groups(column).value_counts().index.astype(str).tolist()

    def _periods(self, period: str | None) -> pd.Series:
        key = ("search_periods", period)
        if key not in self.corpus._cache:
            self.corpus._cache[key] = self.corpus.periods(period)
        return self.corpus._cache[key]

    def _groups(self, column: str) -> pd.Series:
        key = ("groups", column)
        if key not in self.corpus._cache:
            self.corpus._cache[key] = self.corpus.groups(column)
        return self.corpus._cache[key]

    @property
    def codes(self) -> list[str]:
        return self.codebook.names if self.codebook is not None else []

    @property
    def date_range(self) -> tuple[str, str] | None:
        """The first and last dates of the corpus, or None when no article is dated."""
        dates = self.table["date"].dropna()
        return (min(dates), max(dates)) if len(dates) else None

    # -- searching ------------------------------------------------------------------------

    def mask(self, filters: Filters | None = None) -> np.ndarray:
        """The articles the filters keep."""
        filters = filters or Filters()
        keep = np.ones(len(self), dtype=bool)
        if filters.column and filters.values:
            groups = self._groups(filters.column)
            keep &= groups.isin(set(filters.values)).to_numpy()
        if filters.start or filters.end:
            dates = self.table["date"]
            known = dates.notna().to_numpy()
            text = dates.fillna("").to_numpy(dtype=str)
            if filters.start:
                keep &= known & (text >= _day(filters.start, last=False))
            if filters.end:
                keep &= known & (text <= _day(filters.end, last=True))
        chars = self.table["chars"].to_numpy()
        if filters.min_chars:
            keep &= chars >= filters.min_chars
        if filters.max_chars is not None:
            keep &= chars <= filters.max_chars
        return keep

    def find(self, query: Query) -> _Hits:
        """Every match of ``query`` in the corpus (kept for the next call)."""
        if query not in self._found:
            if len(self._found) >= 32:
                self._found.pop(next(iter(self._found)))
            self._found[query] = self._find(query)
        return self._found[query]

    def _find(self, query: Query) -> _Hits:
        if query.empty:
            return _empty_hits([])
        if query.mode == "code":
            return self._find_code(query.text.strip())
        if query.mode == "regex":
            try:
                patterns = [(query.text.strip(), re.compile(query.text.strip()))]
            except re.error as exc:
                raise OptionError(f"not a regular expression: {query.text!r} ({exc})") from None
        else:
            patterns = [(term, re.compile(_both_scripts(term))) for term in parse_terms(query.text)]
        found = [self._positions(pattern, label) for label, (_, pattern) in enumerate(patterns)]
        positions = np.concatenate([f[0] for f in found])
        ends = np.concatenate([f[1] for f in found])
        labels = np.concatenate([f[2] for f in found])
        piece = np.searchsorted(self._starts, positions, side="right") - 1
        starts = positions - self._starts[piece]
        inside = starts + (ends - positions) <= self._lengths[piece]  # none crosses pieces
        article = self._piece_article[piece]
        hits = _Hits(
            article,
            piece - self._first_piece[article],
            starts,
            starts + ends - positions,
            labels,
            [name for name, _ in patterns],
        )
        return hits.take(inside)

    def _positions(self, pattern: re.Pattern, label: int) -> tuple[np.ndarray, ...]:
        spans = [m.span() for m in pattern.finditer(self._text) if m.end() > m.start()]
        array = np.array(spans, dtype=np.int64).reshape(-1, 2)
        return array[:, 0], array[:, 1], np.full(len(array), label, dtype=np.int64)

    @cached_property
    def coded(self):
        """The corpus coded with the codebook (:func:`analysis.methods.coding.code_articles`)."""
        from analysis.methods.coding import code_articles

        return code_articles(self.corpus, self.codebook)

    def _find_code(self, code: str) -> _Hits:
        if code not in self.codes:
            known = ", ".join(self.codes) or "none: give a codebook"
            raise OptionError(f"no code {code!r}; codes: {known}")
        rows = [
            (article, piece, start, end)
            for article, matches in enumerate(self.coded.matches)
            for match in matches.get(code, ())
            for piece, start, end in match  # a near() or seq() match has several spans
        ]
        array = np.array(rows, dtype=np.int64).reshape(-1, 4)
        return _Hits(*array.T, np.zeros(len(array), dtype=np.int64), [code])

    def search(self, query: Query | str = "", filters: Filters | None = None) -> SearchResult:
        """The articles of ``filters`` that match ``query`` and their views."""
        query = Query(query) if isinstance(query, str) else query
        keep = self.mask(filters)
        hits = self.find(query)
        hits = hits.take(keep[hits.article])
        per_article = np.bincount(hits.article, minlength=len(self))
        matched = keep & (per_article > 0) if not query.empty else keep
        return SearchResult(self, query, filters or Filters(), keep, matched, hits, per_article)

    # -- one article ----------------------------------------------------------------------

    def piece(self, article: int, piece: int) -> str:
        """The text of one piece (0 the title, k the k-th paragraph) of an article."""
        index = self._first_piece[article] + piece
        start = self._starts[index]
        return self._text[start : start + self._lengths[index]]

    def _pieces_of(self, article: int) -> list[str]:
        count = (
            self._first_piece[article + 1] if article + 1 < len(self) else len(self._starts)
        ) - self._first_piece[article]
        return [self.piece(article, k) for k in range(count)]

    @cached_property
    def _idf(self) -> np.ndarray:
        """The IDF of the corpus's TF-IDF (``AnalysedCorpus.tfidf``), for one article's
        keywords without the whole corpus's weights."""
        return self.corpus.terms.idf()

    def _keywords_of(self, row: int, n: int) -> list[str]:
        """The ``n`` terms of highest TF-IDF in one article (ties by term), as its row
        of ``AnalysedCorpus.tfidf()`` ranks them."""
        counts = self.corpus.terms.counts
        span = slice(counts.indptr[row], counts.indptr[row + 1])
        columns = counts.indices[span]
        weights = counts.data[span] * self._idf[columns]
        terms = self.corpus.terms.terms[columns]
        order = np.lexsort((terms.astype(str), -weights))[:n]
        return terms[order].tolist()

    def read(self, article_id: str, query: Query | str = "", *, n_keywords: int = 10) -> dict:
        """One article to read: ``html`` (its title and paragraphs, the matches of
        ``query`` marked), ``keywords`` (its top TF-IDF terms), ``entities`` (people,
        places and organisations LAC finds in it, with counts), ``themes`` (its three
        largest themes and their shares, when the search has themes)."""
        query = Query(query) if isinstance(query, str) else query
        positions = np.flatnonzero(self.table["id"].to_numpy() == str(article_id))
        if not len(positions):
            raise OptionError(f"no article {article_id!r}")
        row = int(positions[0])
        hits = self.find(query)
        hits = hits.take(hits.article == row)
        pieces = self._pieces_of(row)
        return {
            "id": self.table.at[row, "id"],
            "title": pieces[0] or self.table.at[row, "title"],
            "date": self.table.at[row, "date"],
            "html": _marked(pieces, hits),
            "hits": len(hits.article),
            "keywords": self._keywords_of(row, n_keywords),
            "entities": self._entities_of(row, pieces),
            "themes": self._themes_of(str(article_id)),
        }

    def _entities_of(self, row: int, pieces: list[str]) -> pd.DataFrame:
        """The article's people, places and organisations: the corpus's
        (:func:`analysis.methods.entities.top_entities`) when they are known or the corpus
        is small enough to find them at once, else those LAC tags in the article alone
        (``attrs["alone"]``)."""
        from analysis.methods.entities import FULL_CHARS, top_entities

        corpus = self.corpus
        if "entities" in corpus._cache or len(self._text) <= FULL_CHARS:
            if "search_entities" not in corpus._cache:
                corpus._cache["search_entities"] = top_entities(corpus, k=10, min_count=1)
            table = corpus._cache["search_entities"]
            return table[table["id"] == self.table.at[row, "id"]][["term", "kind", "n"]]
        table = _entities_of("\n".join(pieces))
        table.attrs["alone"] = True
        return table

    def _themes_of(self, article_id: str) -> list[tuple[str, float]]:
        if self.themes is None or article_id not in self.themes.article_weights.index:
            return []
        mix = self.themes.article_weights.loc[article_id].drop("other", errors="ignore")
        names = self.themes.names()
        return [(names[t], float(s)) for t, s in mix.nlargest(3).items() if s >= 0.005]


@dataclass
class SearchResult:
    """The answer to one query within filters; every view is of the filtered articles
    (``kept``), and the hits are theirs only."""

    search: CorpusSearch
    query: Query
    filters: Filters
    kept: np.ndarray
    matched: np.ndarray
    hits: _Hits
    per_article: np.ndarray
    _kwic: tuple | None = field(default=None, repr=False)

    @property
    def n_articles(self) -> int:
        return int(self.matched.sum())

    @property
    def n_hits(self) -> int:
        return len(self.hits.article)

    def articles(self, sort: str = "hits", *, page: int = 0, size: int | None = 20) -> pd.DataFrame:
        """The matching articles: id, title, date, chars, hits (and the filter's column),
        sorted by ``sort`` (hits and chars the most first, date the earliest first, title
        in code-point order, undated and untitled last; ties by position in the corpus),
        page ``page`` of ``size`` rows (all when ``size`` is None)."""
        if sort not in SORTS:
            raise OptionError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        rows = np.flatnonzero(self.matched)
        table = self.search.table.iloc[rows].copy()
        table["hits"] = self.per_article[rows]
        if self.filters.column:
            table[self.filters.column] = self.search._groups(self.filters.column).to_numpy()[rows]
        descending = sort in ("hits", "chars")
        # an undated (or untitled) article sorts last
        keys = table[sort].fillna("\uffff") if sort in ("date", "title") else table[sort]
        order = np.lexsort((rows, -keys.to_numpy() if descending else keys.to_numpy(dtype=str)))
        table = table.iloc[order].reset_index(drop=True)
        return table if size is None else table.iloc[page * size : (page + 1) * size]

    def trend(self, period: str | None = None) -> pd.DataFrame:
        """Per period (``period`` day … year; default: the finest that gives at most 60)
        and per query word: hits, articles with a hit, tokens of the filtered articles
        of the period, and hits per 10,000 of those tokens. Without a query: the filtered
        articles per period (term ``文章``)."""
        periods = self.search._periods(period)
        return self._by(periods.to_numpy(dtype=object), periods.name, order=sorted)

    def by_group(self, column: str) -> pd.DataFrame:
        """As :meth:`trend`, per value of ``column`` (the most hits first)."""
        groups = self.search._groups(column)
        return self._by(groups.to_numpy(dtype=object), groups.name, order=None)

    def _by(self, units: np.ndarray, name: str, order) -> pd.DataFrame:
        keep = self.kept & pd.notna(units)
        frame = pd.DataFrame({name: units[keep], "tokens": self.search.tokens[keep]})
        frame["n_articles"] = 1
        totals = frame.groupby(name, sort=False)[["tokens", "n_articles"]].sum()
        labels = self.hits.labels or ["文章"]
        rows = []
        for label, term in enumerate(labels):
            counts = np.bincount(
                self.hits.article[self.hits.label == label], minlength=len(self.kept)
            )
            if not self.hits.labels:
                counts = np.ones(len(self.kept), dtype=np.int64)
            part = pd.DataFrame({name: units[keep], "hits": counts[keep], "with": counts[keep] > 0})
            sums = part.groupby(name, sort=False)[["hits", "with"]].sum()
            table = totals.join(sums).reset_index()
            table.insert(1, "term", term)
            rows.append(table)
        if not rows or not len(rows[0]):
            return pd.DataFrame(columns=[name, "term", "hits", "articles", "tokens", "per_10k"])
        table = pd.concat(rows, ignore_index=True).rename(columns={"with": "articles"})
        table["hits"] = table["hits"].astype(np.int64)
        table["articles"] = table["articles"].astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            table["per_10k"] = np.where(
                table["tokens"] > 0, table["hits"] / table["tokens"] * 10_000, np.nan
            )
        if not self.hits.labels:
            table["per_10k"] = np.nan
        table = table[[name, "term", "hits", "articles", "tokens", "per_10k"]]
        if order is sorted:
            return table.sort_values([name, "term"], kind="mergesort").reset_index(drop=True)
        first = table.groupby(name, sort=False)["hits"].transform("sum")
        table = table.assign(_total=first).sort_values(
            ["_total", name], ascending=[False, True], kind="mergesort"
        )
        return table.drop(columns="_total").reset_index(drop=True)

    def kwic(self, sort: str = "order", *, window: int = 15, limit: int | None = None):
        """The matches in context: id, date, title, piece (0 the title, k the k-th
        paragraph), left, match, right; in corpus order, or sorted by the ``right``
        context, or by the ``left`` one read from the match outwards (KH Coder's
        sorts); the first ``limit`` lines (all when None)."""
        if sort not in ("order", "left", "right"):
            raise OptionError(f"KWIC sort must be order, left or right, not {sort!r}")
        lines = self._lines(sort, window)
        rows = lines["order"] if limit is None else lines["order"][:limit]
        article = self.hits.article[rows]
        search = self.search
        return pd.DataFrame(
            {
                "id": search.table["id"].to_numpy()[article],
                "date": search.table["date"].to_numpy()[article],
                "title": search.table["title"].to_numpy()[article],
                "piece": self.hits.piece[rows],
                **{part: [lines[part][i] for i in rows] for part in ("left", "match", "right")},
            }
        )

    def _lines(self, sort: str, window: int) -> dict:
        """Every match's contexts and the order of the lines sorted by ``sort``; kept, so
        that the export of what is on screen costs no second cut."""
        key = (sort, window)
        if self._kwic is None or self._kwic[0] != key:
            hits, search = self.hits, self.search
            piece = search._first_piece[hits.article] + hits.piece
            base, text = search._starts[piece], search._text
            start, end = base + hits.start, base + hits.end
            low = np.maximum(base, start - window).tolist()
            high = np.minimum(base + search._lengths[piece], end + window).tolist()
            start, end = start.tolist(), end.tolist()
            lines = {
                "left": [text[a:b] for a, b in zip(low, start, strict=True)],
                "match": [text[a:b] for a, b in zip(start, end, strict=True)],
                "right": [text[a:b] for a, b in zip(end, high, strict=True)],
            }
            keys = [hits.start, hits.piece, hits.article]  # corpus order, lexsort's last first
            if sort == "right":
                keys += [np.array(lines["left"], dtype=str), np.array(lines["right"], dtype=str)]
            elif sort == "left":
                outwards = np.array([t[::-1] for t in lines["left"]], dtype=str)
                keys += [np.array(lines["right"], dtype=str), outwards]
            lines["order"] = np.lexsort(keys) if len(hits.article) else np.zeros(0, int)
            self._kwic = (key, lines)
        return self._kwic[1]

    def collocates(
        self, *, window: int = 5, measure: str = "g2", top: int = 30, min_count: int = 2
    ) -> pd.DataFrame:
        """The words within ``window`` words of the matches (at most
        :data:`COLLOCATE_SAMPLE` matches, spread evenly, are read): term, n (in the
        windows), corpus (in the whole corpus), g2 (log-likelihood of the windows against
        the rest of the corpus; positive when the word is more frequent near the match),
        pmi (log2 of its frequency in the windows over its frequency in the corpus);
        ``top`` rows by ``measure`` (g2 or pmi), words seen ``min_count`` times or more.
        """
        if measure not in ("g2", "pmi"):
            raise OptionError(f"collocation measure must be g2 or pmi, not {measure!r}")
        columns = ["term", "n", "corpus", "g2", "pmi"]
        if not self.n_hits:
            return pd.DataFrame(columns=columns)
        corpus = self.search.corpus
        tokenizer = corpus.tokenizer
        hits = self.hits
        sample = np.unique(np.linspace(0, len(hits.article) - 1, COLLOCATE_SAMPLE).astype(int))
        seen: Counter = Counter()
        matched = set(hits.labels)  # and the forms found: 工會 for 工会
        reach = window * 4
        for i in sample:
            text = self.search.piece(hits.article[i], hits.piece[i])
            start, end = int(hits.start[i]), int(hits.end[i])
            matched.add(text[start:end])
            left, right = text[max(0, start - reach) : start], text[end : end + reach]
            # a context cut inside the paragraph loses the word it cut through
            if start - reach > 0:
                left = left[len((tokenizer.cut(left) or [""])[0]) :]
            if end + reach < len(text):
                right = right[: len(right) - len((tokenizer.cut(right) or [""])[-1])]
            seen.update(tokenizer.tokens(left)[-window:])
            seen.update(tokenizer.tokens(right)[:window])
        for form in matched:
            seen.pop(form, None)
        return _collocates(seen, corpus, measure, top, min_count)

    def keywords(self, top: int = 30) -> pd.DataFrame:
        """The key terms of the matching articles against every other article of the
        corpus (:func:`analysis.methods.keywords.keyness_table`)."""
        if self.matched.all():
            raise NotEnoughDataError("keywords: every article matches; nothing to compare with")
        if not self.matched.any():
            raise NotEnoughDataError("keywords: no article matches")
        return keyness_table(self.search.corpus, self.matched, ~self.matched, k=top)


def _collocates(seen: Counter, corpus: AnalysedCorpus, measure: str, top: int, min_count: int):
    columns = ["term", "n", "corpus", "g2", "pmi"]
    seen = {t: n for t, n in seen.items() if n >= min_count}
    if not seen:
        return pd.DataFrame(columns=columns)
    vocabulary = _vocabulary(corpus)
    totals = _term_totals(corpus)
    terms = sorted(seen)
    a = np.array([seen[t] for t in terms], dtype=float)
    f = np.array([totals[vocabulary[t]] if t in vocabulary else 0 for t in terms], dtype=float)
    f = np.maximum(f, a)
    window_total = float(sum(seen.values()))
    n = float(totals.sum())
    rest = max(n - window_total, 1.0)
    g2 = np.where(a / window_total >= (f - a) / rest, 1.0, -1.0)
    g2 = g2 * log_likelihood(a, f - a, window_total, rest)
    pmi = np.log2((a / window_total) / (f / max(n, 1.0)))
    table = pd.DataFrame({"term": terms, "n": a.astype(int), "corpus": f.astype(int)})
    table["g2"] = g2
    table["pmi"] = pmi
    table = table.sort_values([measure, "term"], ascending=[False, True], kind="mergesort")
    return table.head(top).reset_index(drop=True)


def _vocabulary(corpus: AnalysedCorpus) -> dict[str, int]:
    if "search_vocabulary" not in corpus._cache:
        corpus._cache["search_vocabulary"] = {t: j for j, t in enumerate(corpus.terms.terms)}
    return corpus._cache["search_vocabulary"]


def _term_totals(corpus: AnalysedCorpus) -> np.ndarray:
    if "search_totals" not in corpus._cache:
        corpus._cache["search_totals"] = np.asarray(corpus.terms.counts.sum(axis=0)).ravel()
    return corpus._cache["search_totals"]


def _both_scripts(term: str) -> str:
    """A pattern for ``term`` as written, in Simplified and in Traditional script."""
    from analysis.reading.scripts import to_simplified, to_traditional

    forms = dict.fromkeys([term, to_simplified(term), to_traditional(term)])
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _day(text: str, *, last: bool) -> str:
    """A date bound as YYYY-MM-DD: ``2024`` is its first or last day, ``2024-03`` too."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if last else f"{text}-01-01"
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        period = pd.Period(text, freq="M")
        return (period.end_time if last else period.start_time).strftime("%Y-%m-%d")
    try:
        return pd.Timestamp(text).strftime("%Y-%m-%d")
    except ValueError:
        raise OptionError(f"not a date: {text!r} (write 2024, 2024-03 or 2024-03-15)") from None


def _opening(paragraphs: list[str], n: int = 16) -> str:
    text = next((p for p in paragraphs if p), "")
    return text[:n]


def _marked(pieces: list[str], hits: _Hits) -> str:
    """The pieces as HTML (an ``h3`` title, then ``p`` paragraphs), the hits in
    ``mark``; overlapping hits are merged."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for piece, start, end in zip(hits.piece, hits.start, hits.end, strict=True):
        spans.setdefault(int(piece), []).append((int(start), int(end)))
    out = []
    for index, text in enumerate(pieces):
        parts, at = [], 0
        for start, end in _merged(spans.get(index, [])):
            parts += [html.escape(text[at:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
            at = end
        parts.append(html.escape(text[at:]))
        tag = "h3" if index == 0 else "p"
        if index or text:
            out.append(f"<{tag}>{''.join(parts)}</{tag}>")
    return "\n".join(out)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


@cache
def _tagger():
    from analysis.text.ner import EntityTagger

    return EntityTagger()


def _entities_of(text: str) -> pd.DataFrame:
    """People, places and organisations LAC tags in one article: term, kind, n."""
    lines = [line for line in text.split("\n") if line]
    found: Counter = Counter()
    for line, spans in zip(lines, _tagger().spans(lines), strict=True):
        found.update((line[start:end], kind) for start, end, kind in spans)
    rows = [(term, kind, n) for (term, kind), n in found.items() if len(term) >= 2]
    table = pd.DataFrame(rows, columns=["term", "kind", "n"])
    return table.sort_values(["n", "term"], ascending=[False, True], kind="mergesort")
