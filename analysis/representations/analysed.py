"""The analysed corpus: articles, their words counted once, and the columns to compare by.

Every analysis in the package reads the same counts, the way quanteda's corpus → tokens →
dfm pipeline does: :class:`AnalysedCorpus` tokenizes each headline and each body
paragraph once (through the token cache) into one sparse matrix of pieces × terms, and
derives from it

- :attr:`~AnalysedCorpus.paragraph_terms`: body paragraphs × terms (themes, co-occurrence);
- :attr:`~AnalysedCorpus.terms`: articles × terms, the headline counted
  ``headline_weight`` times plus the body (keywords, keyness, groups, trends, clusters).

The article counts equal those of tokenizing the article's whole text, because the
tokenizer never joins words across a line break (``tests/test_analysed.py`` checks this
on the seed and on THUCNews).

It also knows how to label an article in a chart (:meth:`~AnalysedCorpus.labels`), which
column holds the dates, and how to read any metadata column as groups
(:meth:`~AnalysedCorpus.groups`), including periods of time.

>>> from analysis import load_articles
>>> corpus = AnalysedCorpus(load_articles())
>>> corpus.terms.counts.shape[0], corpus.paragraph_terms.counts.shape[0]
(7, 46)
>>> corpus.labels()[1]
'2 给快递小哥多一些理解和包容'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.errors import NotEnoughDataError, OptionError
from analysis.processes import release_memory
from analysis.reading.dates import timestamps
from analysis.representations import matrix as _matrix
from analysis.representations.matrix import (
    DocumentTerms,
    alphabetical,
    document_terms,
)
from analysis.text.boilerplate import Boilerplate, find_boilerplate

__all__ = [
    "HEADLINE_FIELDS",
    "JOIN_SAMPLE",
    "JOIN_SAMPLE_CHARS",
    "PERIODS",
    "UBIQUITOUS_MIN_ARTICLES",
    "UBIQUITOUS_SHARE",
    "AnalysedCorpus",
    "analysed",
    "choose_period",
]

HEADLINE_FIELDS = ("kicker", "title", "subtitle")
#: A term in this share of the articles or more is in nearly all of them
#: (:attr:`AnalysedCorpus.ubiquitous`), in a corpus of at least this many articles.
UBIQUITOUS_SHARE = 0.95
UBIQUITOUS_MIN_ARTICLES = 20
#: Articles, and characters, read to find the words to join (:attr:`AnalysedCorpus.joined`).
JOIN_SAMPLE = 5000
JOIN_SAMPLE_CHARS = 2_000_000
#: Periods for dated articles, from the finest; see :func:`choose_period`.
PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
#: Other names a user may give for the columns the loader fills.
COLUMN_ALIASES = {
    "label": ("category", "类别", "分类", "频道", "class"),
    "column": ("栏目",),
    "paper": ("newspaper", "报纸", "报刊"),
    "page": ("版次",),
    "page_name": ("版名",),
    "authors": ("author", "作者"),
    "date": ("日期", "时间", "pubdate", "publish_date"),
    "title": ("标题", "headline"),
}


def choose_period(dates: pd.Series, *, most: int = 60) -> str:
    """The finest period (day, week, month, quarter, year) that splits the span of
    ``dates`` into at most ``most`` periods.

    >>> choose_period(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-20"])))
    'day'
    >>> choose_period(pd.Series(pd.to_datetime(["2020-01-01", "2024-06-30"])))
    'month'
    """
    dates = dates.dropna()
    if dates.empty:
        raise NotEnoughDataError("no dates to choose a period from")
    for name, freq in PERIODS.items():
        if dates.dt.to_period(freq).nunique() <= most and _span(dates, freq) <= most:
            return name
    return "year"


def _span(dates: pd.Series, freq: str) -> int:
    first, last = dates.min().to_period(freq), dates.max().to_period(freq)
    return (last - first).n + 1


class _Pieces:
    """The texts an :class:`AnalysedCorpus` tokenizes, read from the articles as they
    are needed: every body paragraph (less the corpus's boilerplate, when one is given),
    then every non-empty headline field (kicker, title, subtitle); ``rows`` is the article
    row of each, ``n_paragraphs`` how many are paragraphs."""

    def __init__(self, articles: pd.DataFrame, boilerplate: Boilerplate | None = None) -> None:
        self.paragraphs = articles["paragraphs"]
        self.boilerplate = boilerplate
        self.heads = [articles[c] for c in HEADLINE_FIELDS if c in articles]
        lengths = self.paragraphs.map(len).to_numpy()
        head_rows = [
            np.flatnonzero([isinstance(v, str) and bool(v) for v in column.tolist()])
            for column in self.heads
        ]
        self.n_paragraphs = int(lengths.sum())
        self.rows = np.concatenate(
            [np.repeat(np.arange(len(articles)), lengths), *head_rows]
        ).astype(np.int64)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[str]:
        plate = self.boilerplate
        for paragraphs in self.paragraphs:
            yield from plate.clean(paragraphs, count=False) if plate else paragraphs
        for column in self.heads:
            # a slice at a time: a column of strings kept by pyarrow makes each value
            # slowly when iterated, but lists a slice of them at once
            for start in range(0, len(column), _HEAD_BATCH):
                for value in column.iloc[start : start + _HEAD_BATCH].tolist():
                    if isinstance(value, str) and value:
                        yield value


#: Headline values listed at a time by :class:`_Pieces`.
_HEAD_BATCH = 65_536


def _text_lengths(articles: pd.DataFrame) -> pd.Series:
    """The characters of each article's ``text`` (its paragraphs joined by line breaks),
    also for a compact table, which has ``text_chars`` instead of ``text``."""
    if "text_chars" in articles:
        return articles["text_chars"]
    return articles["text"].str.len()


class _ParagraphLists(Sequence):
    """A compact (Arrow) paragraphs column as a sequence of lists, listed a slice at a
    time: every article's paragraphs as Python lists at once would be the table again."""

    def __init__(self, column: pd.Series) -> None:
        self.column = column

    def __len__(self) -> int:
        return len(self.column)

    def __getitem__(self, row: int) -> list[str]:
        return self.column.iloc[row]

    def __iter__(self) -> Iterator[list[str]]:
        for start in range(0, len(self.column), _HEAD_BATCH):
            yield from self.column.iloc[start : start + _HEAD_BATCH].tolist()


def _values_at(column: pd.Series, rows: Sequence[int]) -> list:
    """The values of ``column`` at positions ``rows``, one at a time from a column kept
    by pyarrow in several chunks (taking them at once would join the chunks first)."""
    chunks = getattr(getattr(column.array, "_pa_array", None), "num_chunks", 1)
    if chunks > 1:
        return [column.iloc[row] for row in rows]
    return column.iloc[rows].tolist()


def _paragraph_lists(column: pd.Series) -> Sequence[list[str]]:
    """The paragraphs column as a list of lists (the column's own), or for a compact
    table a :class:`_ParagraphLists`."""
    return _ParagraphLists(column) if isinstance(column.dtype, pd.ArrowDtype) else column.tolist()


def _article_documents(
    articles: pd.DataFrame, boilerplate: Boilerplate | None, weight: int
) -> Iterator[tuple[tuple[str, int], ...]]:
    """Each article as the pieces :class:`_Pieces` yields for it, with the times each is
    counted: ``((paragraph, 1), …, (headline field, weight), …)``."""
    heads = [articles[c] for c in HEADLINE_FIELDS if c in articles]
    plate = boilerplate or None
    for start in range(0, len(articles), _HEAD_BATCH):
        end = start + _HEAD_BATCH
        bodies = articles["paragraphs"].iloc[start:end].tolist()
        fields = [column.iloc[start:end].tolist() for column in heads]
        for k, paragraphs in enumerate(bodies):
            body = plate.clean(paragraphs, count=False) if plate else paragraphs
            head = [(f[k], weight) for f in fields if isinstance(f[k], str) and f[k]]
            yield (*((p, 1) for p in body), *head)


@dataclass(eq=False)
class AnalysedCorpus:
    """Articles (the table :func:`analysis.reading.corpus.load_articles` returns) and their counts.

    ``title_column`` names the column that labels articles when they have no title;
    ``date_column`` the column of dates (default ``date``). The counts are computed on
    first use and kept. The corpus's boilerplate (:attr:`boilerplate`) is left out of the
    counts unless ``keep_boilerplate``; the words the segmenter splits that recur together
    (:attr:`joined`) are counted as one unless ``join_terms=False``.

    ``paragraph_counts=False`` says that only the articles' counts will be asked for
    (:func:`analysis.methods.keywords.top_terms` on a table): a large corpus's articles
    are then counted whole by the workers, one matrix instead of one of every paragraph
    and headline and then the articles' (the same counts, in less memory).
    """

    articles: pd.DataFrame
    tokenizer: object | None = None
    headline_weight: int = 1
    title_column: str | None = None
    date_column: str | None = None
    keep_boilerplate: bool = False
    join_terms: bool = True
    paragraph_counts: bool = True
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # a table loaded with --keep-boilerplate says so in its attrs
        self.keep_boilerplate = self.keep_boilerplate or bool(
            self.articles.attrs.get("keep_boilerplate")
        )
        self.join_terms = self.join_terms and self.articles.attrs.get("join_terms", True)
        self.articles = self.articles.reset_index(drop=True)
        if self.title_column is not None:
            self.title_column = self.column(self.title_column)
        if self.date_column is not None:
            self.date_column = self.column(self.date_column)

    @classmethod
    def load(
        cls,
        paths: str | Path | Iterable[str | Path] | None = None,
        *,
        title_column: str | None = None,
        date_column: str | None = None,
        tokenizer=None,
        keep_boilerplate: bool = False,
        **options,
    ) -> AnalysedCorpus:
        """Load ``paths`` with :func:`analysis.reading.corpus.load_articles` (``options``
        go to it)."""
        from analysis.reading.corpus import load_articles

        return cls(
            load_articles(paths, **options),
            tokenizer=tokenizer,
            title_column=title_column,
            date_column=date_column,
            keep_boilerplate=keep_boilerplate,
        )

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def ids(self) -> list[str]:
        return self.articles["id"].tolist()

    # -- the counts ---------------------------------------------------------------------

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        """One row per body paragraph: id (article), paragraph (index in the article),
        article (row of the article), title, text."""
        articles = self.articles
        counts = articles["paragraphs"].map(len).to_numpy()
        row = np.repeat(np.arange(len(articles)), counts)
        return pd.DataFrame(
            {
                "id": articles["id"].to_numpy()[row],
                "paragraph": np.concatenate([np.arange(c) for c in counts])
                if len(counts)
                else np.arange(0),
                "article": row,
                "title": articles["title"].to_numpy()[row],
                "text": [p for ps in articles["paragraphs"] for p in ps],
            }
        )

    @cached_property
    def boilerplate(self) -> Boilerplate:
        """The strings that open, close or recur as lines in many of the articles
        (:func:`analysis.text.boilerplate.find_boilerplate`), left out of the counts; none
        when ``keep_boilerplate``. ``boilerplate.table()`` lists them."""
        if self.keep_boilerplate:
            return Boilerplate(n_documents=len(self))
        return find_boilerplate(_paragraph_lists(self.articles["paragraphs"]))

    @cached_property
    def texts(self) -> _Pieces:
        """The texts that are tokenized, in order: every body paragraph (its boilerplate
        taken out), then every non-empty headline field (kicker, title, subtitle); read
        from the articles as needed."""
        return _Pieces(self.articles, self.boilerplate)

    @cached_property
    def _pieces(self) -> DocumentTerms:
        """Paragraphs, then headline fields, tokenized in one pass; the texts are read
        from the articles table as they are needed (a million articles' texts are not
        held twice while they are counted)."""
        from analysis.text.terms import apply_terms
        from analysis.text.tokenize import default_tokenizer

        self.tokenizer = self.tokenizer or default_tokenizer()
        if self.joined:
            self.tokenizer = apply_terms(self.tokenizer, self.joined)
        return document_terms(self.texts, self.tokenizer)

    @cached_property
    def joined(self) -> list[str]:
        """The word sequences counted as one word in this corpus
        (:func:`analysis.text.terms.joined_terms`, found on up to :data:`JOIN_SAMPLE`
        articles spread over it, about :data:`JOIN_SAMPLE_CHARS` characters at most);
        none when ``join_terms=False``."""
        if not self.join_terms:
            return []
        from analysis.text.terms import joined_terms
        from analysis.text.tokenize import default_tokenizer

        tokenizer = self.tokenizer or default_tokenizer()
        n = len(self.articles)
        chars = max(float(_text_lengths(self.articles).mean()), 1.0) if n else 1.0
        take = int(min(n, JOIN_SAMPLE, np.ceil(JOIN_SAMPLE_CHARS / chars)))
        rows = np.unique(np.linspace(0, n - 1, take).astype(int)) if n else []
        # the sampled rows of only the columns the pieces read: taking rows of every
        # column, the texts too, costs seconds on a million articles, and selecting the
        # columns first, or taking rows of a compact table's column of many chunks, copies
        # its paragraphs (600 MB for a million)
        read = [c for c in ("paragraphs", *HEADLINE_FIELDS) if c in self.articles]
        sample = pd.DataFrame({c: _values_at(self.articles[c], rows) for c in read})
        pieces = _Pieces(sample, self.boilerplate)
        return joined_terms(list(pieces), tokenizer)

    @cached_property
    def paragraph_terms(self) -> DocumentTerms:
        """Body paragraphs × terms (the vocabulary is the whole corpus's)."""
        pieces = self._pieces
        return DocumentTerms(pieces.terms, pieces.counts[: self.texts.n_paragraphs])

    @cached_property
    def terms(self) -> DocumentTerms:
        """Articles × terms: the headline fields ``headline_weight`` times plus the body."""
        if self._counts_articles_whole():
            return self._article_counts()
        pieces, texts = self._pieces, self.texts
        n_par, n_all = texts.n_paragraphs, len(texts)
        weight = self.headline_weight
        # a whole weight sums in integers: the same counts as in floats, without a
        # float copy of a million articles' counts
        kind = np.int64 if float(weight).is_integer() else np.float64
        weights = np.concatenate(
            [np.ones(n_par, dtype=kind), np.full(n_all - n_par, weight, dtype=kind)]
        )
        combine = sparse.csr_matrix(
            (weights, (texts.rows, np.arange(n_all))), shape=(len(self.articles), n_all)
        )
        counts = (combine @ pieces.counts).astype(np.int64, copy=False)
        counts.eliminate_zeros()
        counts.sort_indices()
        return DocumentTerms(pieces.terms, sparse.csr_matrix(counts))

    def _counts_articles_whole(self) -> bool:
        """Whether :attr:`terms` counts whole articles (:meth:`_article_counts`): when no
        paragraph counts are wanted or made, the headline weight is a whole number of
        one or more, and the corpus is large enough to be counted by the workers."""
        weight = self.headline_weight
        return (
            not self.paragraph_counts
            and "_pieces" not in self.__dict__
            and float(weight).is_integer()
            and weight >= 1
            and int(_text_lengths(self.articles).sum()) > _matrix.LARGE_INPUT_CHARS
        )

    def _article_counts(self) -> DocumentTerms:
        """:attr:`terms` counted by the workers one article at a time: each article is
        its body paragraphs (less the boilerplate) and its headline fields
        ``headline_weight`` times, each piece tokenized alone, as :attr:`texts` are."""
        from analysis.scale import count_matrix
        from analysis.text.terms import apply_terms
        from analysis.text.tokenize import default_tokenizer

        self.tokenizer = self.tokenizer or default_tokenizer()
        if self.joined:
            self.tokenizer = apply_terms(self.tokenizer, self.joined)
        release_memory()  # what finding the boilerplate and the joined words freed
        terms, counts = count_matrix(
            _article_documents(self.articles, self.boilerplate, int(self.headline_weight)),
            self.tokenizer,
            total=len(self.articles),
        )
        return alphabetical(np.asarray(terms, dtype=object), counts)

    @property
    def ubiquitous(self) -> np.ndarray:
        """For each term, whether it is in nearly every article (at least
        :data:`UBIQUITOUS_SHARE` of them, in a corpus of :data:`UBIQUITOUS_MIN_ARTICLES` or
        more): such a term says nothing about any article, and never heads a corpus
        ranking (corpus keywords, word cloud, trend lines)."""
        n = len(self.articles)
        df = self.terms.document_frequency
        if n < UBIQUITOUS_MIN_ARTICLES:
            return np.zeros(len(df), dtype=bool)
        return df >= UBIQUITOUS_SHARE * n

    def tfidf(self, *, n0: float = 50.0, level: str = "article") -> sparse.csr_matrix:
        """TF-IDF of articles (or ``level="paragraph"``) with the blended IDF; kept."""
        key = ("tfidf", level, n0)
        if key not in self._cache:
            matrix = self.terms if level == "article" else self.paragraph_terms
            self._cache[key] = matrix.tfidf(n0=n0)
        return self._cache[key]

    def require_words(self) -> None:
        """Raise :class:`NotEnoughDataError` when no word survived the filters."""
        if not self.terms.counts.nnz:
            raise NotEnoughDataError(
                f"no words are left after tokenizing and filtering {len(self)} article(s): "
                "the input may hold no Chinese text, or only stopwords and numbers"
            )

    @property
    def n_tokens(self) -> np.ndarray:
        """Tokens kept per article (headline counted as in :attr:`terms`)."""
        return np.asarray(self.terms.counts.sum(axis=1)).ravel()

    # -- labels -------------------------------------------------------------------------

    def labels(self, width: int = 14, *, numbered: bool = True) -> list[str]:
        """One short, distinct label per article for charts: its title, else the title
        column, else the label column with the first words of the text, else the first
        words of the text; numbered by position (1, 2 …) unless ``numbered=False``."""
        out = []
        articles = self.articles
        for position, row in enumerate(articles.itertuples(index=False), start=1):
            text = _first_words(row.text) if isinstance(row.text, str) else ""
            title = _text(row.title)
            if not title and self.title_column:
                title = _text(articles.at[position - 1, self.title_column])
            if not title and _text(getattr(row, "label", None)):
                title = f"{_text(row.label)}:{text}"
            label = short_title(title or text or row.id, width)
            out.append(f"{position} {label}" if numbered else label)
        if not numbered and len(set(out)) < len(out):
            return self.labels(width, numbered=True)
        return out

    # -- metadata columns ---------------------------------------------------------------

    def column(self, name: str) -> str:
        """The articles' column for ``name``, allowing the loader's aliases (类别 → label,
        栏目 → column …); raises :class:`OptionError` naming the columns there are."""
        found = name if name in self.articles.columns else None
        for canonical, aliases in COLUMN_ALIASES.items():
            if found is None and name in aliases and canonical in self.articles.columns:
                found = canonical
        if found is not None and self._usable(found):
            return found
        usable = [c for c in self.articles.columns if c not in _INTERNAL and self._usable(c)]
        problem = f"column {name!r} is empty in this input" if found else f"no column {name!r}"
        raise OptionError(f"{problem}; columns with values: {', '.join(usable)}")

    def _usable(self, name: str) -> bool:
        values = self.articles[name]
        return bool(values.map(_has_value).any())

    @cached_property
    def dates(self) -> pd.Series:
        """The articles' dates (Timestamps; NaT where unknown), from ``date_column`` or
        ``date``."""
        name = self.date_column or "date"
        if name not in self.articles:
            return pd.Series(pd.NaT, index=self.articles.index, dtype="datetime64[ns]")
        return timestamps(self.articles[name])

    def periods(self, period: str | None = None) -> pd.Series:
        """Each article's period (a string such as ``2024-03``), NaN where undated;
        ``period`` is day, week, month, quarter or year (default :func:`choose_period`)."""
        dates = self.dates
        if dates.notna().sum() == 0:
            raise NotEnoughDataError(
                "no article has a date: give a table with a date column (--date-column NAME), "
                "or pages whose header, source line or file name states the date"
            )
        period = period or choose_period(dates)
        if period not in PERIODS:
            raise OptionError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
        out = dates.dt.to_period(PERIODS[period]).astype(str)
        if period == "week":
            out = dates.dt.to_period(PERIODS[period]).map(
                lambda p: p.start_time.strftime("%Y-%m-%d") if p == p else None
            )
        return out.where(dates.notna(), None).rename(period)

    def groups(self, by: str, *, period: str | None = None) -> pd.Series:
        """The group of every article by a metadata column (``label``, ``paper``,
        ``column``, ``kind``, ``authors`` (the first author), any column of the input),
        or by a period of time (``by="period"``, ``"month"`` …). Missing values are None."""
        if by == "period" or by in PERIODS:
            return self.periods(period if by == "period" else by)
        name = self.column(by)
        values = self.articles[name]
        if name == "authors":
            values = values.map(lambda v: v[0] if isinstance(v, list) and v else None)
        out = values.map(lambda v: _text(v) if not isinstance(v, list) else "、".join(v))
        return out.where(out.astype(bool), None).rename(name)

    def group_terms(self, groups: Sequence[object]) -> tuple[list[str], sparse.csr_matrix]:
        """Counts summed per group (quanteda's ``dfm_group``): the groups in first-seen
        order (None left out) and a groups × terms matrix."""
        groups = pd.Series(list(groups), dtype=object)
        names = [g for g in dict.fromkeys(groups) if g is not None and g == g]
        index = {g: i for i, g in enumerate(names)}
        rows = groups.map(index)
        keep = rows.notna().to_numpy()
        combine = sparse.csr_matrix(
            (np.ones(keep.sum()), (rows[keep].astype(int), np.flatnonzero(keep))),
            shape=(len(names), len(groups)),
        )
        return names, sparse.csr_matrix(combine @ self.terms.counts)


def analysed(
    corpus: AnalysedCorpus | pd.DataFrame, tokenizer=None, *, headline_weight: int | None = None
) -> AnalysedCorpus:
    """``corpus`` itself, or an :class:`AnalysedCorpus` of an articles table (a new one
    when another tokenizer or headline weight is asked for)."""
    if not isinstance(corpus, AnalysedCorpus):
        weight = 1 if headline_weight is None else headline_weight
        return AnalysedCorpus(corpus, tokenizer=tokenizer, headline_weight=weight)
    other_tokenizer = tokenizer is not None and corpus.tokenizer not in (None, tokenizer)
    other_weight = headline_weight is not None and headline_weight != corpus.headline_weight
    if other_tokenizer or other_weight:
        return AnalysedCorpus(
            corpus.articles,
            tokenizer=tokenizer or corpus.tokenizer,
            headline_weight=corpus.headline_weight if headline_weight is None else headline_weight,
            title_column=corpus.title_column,
            date_column=corpus.date_column,
            keep_boilerplate=corpus.keep_boilerplate,
            join_terms=corpus.join_terms,
        )
    return corpus


# columns of the articles table that are not metadata to group or label by
_INTERNAL = {
    "paragraphs",
    "paragraph_sections",
    "paragraph_spans",
    "text",
    "start",
    "end",
    "continuation",
    "metadata",
    "furniture",
    "original",
    "contributors",
    "sections",
}


def _has_value(value: object) -> bool:
    if isinstance(value, list):
        return bool(value)
    return isinstance(value, str | int | float) and value == value and value != ""


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _first_words(text: str, n: int = 16) -> str:
    return " ".join(text.split())[:n]


def short_title(title: object, width: int = 14) -> str:
    """A title cut to ``width`` characters with an ellipsis, for axis labels.

    >>> short_title("解难题补短板,建好服务职工的“桥头堡”", 8)
    '解难题补短板,…'
    """
    text = title if isinstance(title, str) and title else "(无标题)"
    return text if len(text) <= width else text[: width - 1] + "…"
