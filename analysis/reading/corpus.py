"""Load raw pages and tabular corpora into one articles table (a pandas DataFrame).

Inputs, by file ending:

- ``.txt``: a raw newspaper page or a copied web page, split into articles by
  :mod:`analysis.reading.pages`. With ``txt_mode="article"`` each file is one article (a crawler
  file): it gets the same structure parsing, but later headlines are section headings.
  A file whose first line is a headline joined by tabs (``kicker<TAB>title<TAB>subtitle``)
  is read that way without being asked;
- ``.md`` / ``.markdown``: a markdown article with YAML front matter
  (:mod:`analysis.reading.frontmatter`); its fields become metadata;
- ``.html`` / ``.htm``: a saved web page; trafilatura finds the article
  (:mod:`analysis.reading.webpages`), the rest of the page is furniture;
- ``.csv`` / ``.tsv``: one article per row; the text column is ``text_column`` (default:
  the first of ``text``, ``content``, ``正文``, ``内容`` present). A headerless TSV of
  ``label<TAB>text`` (THUCNews style) is recognised. A cell may be of any length. A large
  table is parsed as it is read, with a progress bar on stderr when that is a terminal;
- ``.jsonl``: one JSON object per line with the same column names;
- a folder: every supported file in it, sorted by name (not recursive). A symbolic link
  in it that leads nowhere is skipped with a :class:`BrokenLinkWarning`; a folder or file
  that may not be read is an :class:`~analysis.errors.InputError` naming it.

Optional ``title``, ``id``, ``date`` and ``label`` columns are kept as metadata. Pages
also give ``date`` (ISO), ``paper``, ``page`` and ``page_name`` where the page states them
(header, source line, front matter) and else the date in the file name (``20230101``,
``2026-01-05``); a date is never guessed. Lines removed as page furniture are kept in
the ``furniture`` column of the article they sit in or under, with the rule that removed
each. Empty files are skipped with a warning and counted in ``df.attrs["report"]``.
"""

from __future__ import annotations

import itertools
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.config import SEEDS_DIR
from analysis.errors import InputError, OptionError
from analysis.processes import gc_paused, release_memory
from analysis.reading import workers
from analysis.reading.furniture import repeated_lines
from analysis.reading.page_files import (
    MarkupWarning,
    TraditionalTextWarning,
    _page_rows,
    file_date,
    split_file,
)
from analysis.reading.pages import PageSplit
from analysis.reading.schema import (
    ARTICLE_COLUMNS,
    PAGE_SUFFIXES,
    SUPPORTED,
    LoadReport,
    display_path,
)
from analysis.reading.streams import StreamedText, stream_utf8
from analysis.reading.tables import (
    BadRowWarning,
    RepeatedColumnWarning,
    _BadRows,
    _chunks,
    _frame_records,
    _json_records,
    _long_cells,
    _parsed_records,
    _read_delimited,
    _read_jsonl,
    _table_progress,
    _table_rows,
)
from analysis.reading.textio import (
    DecodedText,
    NotChineseWarning,
    normalize_line,
    not_chinese,
    read_bytes,
    read_text,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "COMPACT_BATCH",
    "BadRowWarning",
    "BrokenLinkWarning",
    "EmptyFileWarning",
    "LoadReport",
    "MarkupWarning",
    "NoArticleWarning",
    "RepeatedColumnWarning",
    "TraditionalTextWarning",
    "explain_pages",
    "file_date",
    "folder_boilerplate",
    "load_articles",
    "split_file",
]


#: Most files of one folder read to find its boilerplate lines (a sample above that).
BOILERPLATE_SAMPLE = 2000
#: Lines at each end of a page looked at for boilerplate.
EDGE_LINES = 40


class EmptyFileWarning(UserWarning):
    """An input file holds no text; it is skipped and counted in the report."""


class NoArticleWarning(UserWarning):
    """A page held only furniture and metadata; it is counted in the report."""


class BrokenLinkWarning(UserWarning):
    """A symbolic link in an input folder leads nowhere (its target is missing, or it
    links round in a loop, like ``a.txt -> a.txt``); it is skipped and the folder's other
    files are read."""


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:  # e.g. a folder on the way that may not be entered
            raise InputError(
                f"{path}: cannot be looked at ({exc.strerror or exc}); check the path, and "
                "that you may open the folders on it"
            ) from None
        if is_dir:
            files.extend(_folder_files(path))
        elif exists:
            if path.suffix.lower() not in SUPPORTED:
                raise InputError(
                    f"{path}: unsupported file type {path.suffix or '(none)'}; "
                    f"use one of {', '.join(SUPPORTED)}"
                )
            files.append(path)
        elif path.is_symlink():
            raise InputError(
                f"{path}: a symbolic link that leads nowhere (its target is missing, or it "
                "links round in a loop); fix the link, or give the file it should point to"
            )
        else:
            raise InputError(f"{path}: no such file or folder; check the path")
    return files


def _folder_files(folder: Path) -> list[Path]:
    """The supported files of a folder, sorted by name; links that lead nowhere are
    skipped with a :class:`BrokenLinkWarning`."""
    try:
        entries = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED)
        broken = {p for p in entries if p.is_symlink() and not p.exists()}
    except PermissionError:
        raise InputError(
            f"{folder}: folder may not be read (permission denied); give yourself permission "
            "to read it (chmod u+rx), or copy its files to a folder you can read"
        ) from None
    except OSError as exc:
        raise InputError(
            f"{folder}: folder cannot be read ({exc.strerror or exc}); check that the disk or "
            "network share holding it is there"
        ) from None
    for path in sorted(broken):
        warnings.warn(
            f"{path}: a symbolic link that leads nowhere (its target is missing, or it "
            "links round in a loop); skipped",
            BrokenLinkWarning,
            stacklevel=4,
        )
    found = [p for p in entries if p not in broken]
    if not found:
        raise InputError(
            f"{folder}: folder has no {', '.join(SUPPORTED)} files; "
            "point to the files or to a folder that holds them"
        )
    return found


#: With more files than this, reading them shows a progress bar (on a terminal).
PROGRESS_FILES = 200


def _reading(files: list[Path]):
    """The files, with a progress bar on stderr when there are many."""
    if len(files) <= PROGRESS_FILES:
        return files
    from tqdm.auto import tqdm

    return tqdm(files, desc="reading files", unit="file", file=sys.stderr, disable=None)


_Read = tuple[list[dict], LoadReport, list[warnings.WarningMessage]]


def _read_alone(path: Path, boilerplate: frozenset[str], options: dict) -> _Read:
    """One file's rows, what was read of it, and the warnings it gave (recorded, for the
    caller to give in the order of the files)."""
    rows: list[dict] = []
    report = LoadReport()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _read_file(path, rows, report, boilerplate={path.parent: boilerplate}, **options)
    for w in caught:  # what a worker sends back must pickle: no source line, no frame
        w.source = w.file = None
    return rows, report, list(caught)


#: what the worker processes that read page files share (set by :func:`_start_reader`)
_READER: tuple[dict[Path, frozenset[str]], dict] = ({}, {})


def _start_reader(boilerplate: dict[Path, frozenset[str]], options: dict) -> None:
    global _READER
    _READER = (boilerplate, options)


def _read_paths(paths: list[Path]) -> list[_Read]:
    """:func:`_read_alone` of each path, in a worker started by :func:`_start_reader`."""
    boilerplate, options = _READER
    return [_read_alone(p, boilerplate.get(p.parent, frozenset()), options) for p in paths]


def _warning(category: type[Warning], message: str) -> warnings.WarningMessage:
    """A warning to give later (as :func:`warnings.catch_warnings` records one)."""
    return warnings.WarningMessage(category(message), category, __file__, 0)


def _warn_if_not_chinese(rows: list[dict], warning: warnings.WarningMessage) -> None:
    """Repeat the reader's NotChineseWarning for a file only if the article texts read
    from it, not just its keys and markup, are mostly not Chinese."""
    text = "\n".join(p for row in rows for p in row.get("paragraphs") or ())
    if rows and not_chinese(text) is None:
        return
    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _edge_lines(path: Path) -> list[str]:
    """The normalised lines at the top and bottom of a page file, where site boilerplate
    sits; [] for a file that cannot be read (the main pass reports it, and gives its
    warnings). Valid UTF-8 is taken as it is: the encoding and language checks of
    :func:`read_text` are the main pass's, and cost a third of reading a page."""
    try:
        data = read_bytes(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = read_text(path).text
    except InputError:
        return []
    lines = [t for t in (normalize_line(line) for line in text.splitlines()) if t]
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def folder_boilerplate(files: Sequence[Path]) -> dict[Path, frozenset[str]]:
    """Boilerplate lines of each folder that holds three or more .txt pages: lines that
    recur at the top or bottom of several of its files (a sample of
    ``BOILERPLATE_SAMPLE`` files in a large folder)."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        if path.suffix.lower() == ".txt":
            by_folder.setdefault(path.parent, []).append(path)
    out: dict[Path, frozenset[str]] = {}
    for folder, pages in by_folder.items():
        if len(pages) < 3:
            continue
        step = max(1, len(pages) // BOILERPLATE_SAMPLE)
        out[folder] = repeated_lines(_edge_lines(p) for p in pages[::step])
    return out


def load_articles(
    paths: str | Path | Iterable[str | Path] | None = None,
    *,
    text_column: str | None = None,
    txt_mode: str = "page",
    bad_rows: str = "error",
    convert: str | None = None,
    boilerplate: dict[Path, frozenset[str]] | None = None,
    compact: bool = False,
) -> pd.DataFrame:
    """Load pages and tabular corpora into one row per article.

    ``paths`` defaults to ``seeds/``. ``txt_mode`` is ``"page"`` (split each .txt as a
    newspaper page) or ``"article"`` (each .txt holds one article). A malformed table row
    (a wrong number of fields, no text, a text that is not text) stops the load with an
    error naming the file and line, or, with ``bad_rows="skip"``, is skipped with a
    :class:`BadRowWarning` and counted in the report. ``convert="t2s"`` turns Traditional
    Chinese into Simplified for analysis (OpenCC; jieba's dictionary is Simplified): the
    headline fields, sections and paragraphs are converted, and their originals are kept
    in the ``original`` column. Without it, a file in Traditional characters gets a
    :class:`TraditionalTextWarning` that suggests it. ``boilerplate`` gives each folder's
    boilerplate lines (default: :func:`folder_boilerplate` of the files given), so that a
    worker reading some files of a folder removes what the whole folder's reading would.

    ``compact=True`` keeps, for a large corpus, only what counting words needs: the
    paragraphs as an Arrow list column, read into a table every :data:`COMPACT_BATCH`
    articles as they are read, and none of the derived columns (``text``, the list
    columns, ``original``); ``text_chars`` gives each text's length. A table of a
    million rows then takes 0.9 GB instead of about 2 GB. What ``keywords`` reads.

    >>> df = load_articles()
    >>> len(df), df.loc[0, "title"]
    (7, '解难题补短板,建好服务职工的“桥头堡”')
    """
    _check_options(txt_mode=txt_mode, bad_rows=bad_rows, convert=convert)
    if paths is None:
        paths = [SEEDS_DIR]
    elif isinstance(paths, str | Path):
        paths = [paths]
    report = LoadReport()
    rows: list[dict] | _CompactRows = _CompactRows(convert) if compact else []
    files = _expand(paths)
    if boilerplate is None:
        boilerplate = folder_boilerplate(files) if txt_mode == "page" else {}
    options = {"text_column": text_column, "txt_mode": txt_mode, "bad_rows": bad_rows,
               "convert": convert}  # fmt: skip
    pages = workers.in_order(
        files, _read_paths, wanted=lambda p: p.suffix.lower() in PAGE_SUFFIXES,
        shown=_reading, initializer=_start_reader, initargs=(boilerplate, options),
    )  # fmt: skip
    for path, done in pages:
        report.inputs.append(str(path.resolve()))
        if done is None:  # read here, its rows streamed into the table as they come
            _read_file(path, rows, report, boilerplate=boilerplate, **options)
            continue
        file_rows, file_report, caught = done
        rows.extend(file_rows)
        report.add(file_report)
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if isinstance(rows, _CompactRows):
        df = rows.table()
        release_memory()  # the file's text and the rows read from it
    else:
        if convert:
            for row in rows:
                _to_simplified(row)
        with gc_paused():
            df = _articles_table(rows)
            del rows
            _fill_derived(df)
    report.articles = len(df)
    df.attrs["report"] = report.as_dict()
    return df


def _check_options(*, txt_mode: str, bad_rows: str, convert: str | None) -> None:
    if txt_mode not in ("page", "article"):
        raise OptionError(f"txt_mode must be 'page' or 'article', not {txt_mode!r}")
    if bad_rows not in ("error", "skip"):
        raise OptionError(f"bad_rows must be 'error' or 'skip', not {bad_rows!r}")
    if convert not in (None, "t2s"):
        raise OptionError(f"convert must be 't2s' or None, not {convert!r}")


def _read_file(
    path: Path,
    rows: list[dict],
    report: LoadReport,
    *,
    text_column: str | None,
    txt_mode: str,
    bad_rows: str,
    convert: str | None,
    boilerplate: dict[Path, frozenset[str]],
) -> None:
    """Add the articles of one file to ``rows`` and what was read to ``report``."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        split, text, encoding = split_file(path)
        if not text.strip():
            _skip_empty(path, report, encoding)
            return
        report.files += 1
        report.encodings[display_path(path)] = encoding
        rows.extend(_page_split_rows(path, split, encoding, report))
        return
    if suffix in (".csv", ".tsv") and (streamed := stream_utf8(path)) is not None:
        _read_streamed_table(
            path, streamed, rows, report, text_column=text_column, bad_rows=bad_rows,
            convert=convert,
        )  # fmt: skip
        return
    # a table's keys and markup are English: judge its language by the text it holds
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        decoded = read_text(path)
    not_chinese = [w for w in caught if issubclass(w.category, NotChineseWarning)]
    for w in caught:
        if w not in not_chinese:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not decoded.text.strip():
        _skip_empty(path, report, decoded.encoding)
        return
    first_row = len(rows)
    report.files += 1
    report.encodings[display_path(path)] = decoded.encoding
    if not convert:
        _warn_if_traditional(path, decoded.text)
    bad = _BadRows(path, bad_rows, report)
    # parsed once (a .txt may hold JSON records), and the records dropped once in a frame
    records = _json_records_of(path, decoded)
    frame = None if records is None else _records_frame(records)
    del records
    if suffix in PAGE_SUFFIXES and frame is None:
        encoding = decoded.encoding
        split = split_file(
            path,
            txt_mode=txt_mode,
            boilerplate=boilerplate.get(path.parent, frozenset()),
            keep_lines=False,
            decoded=decoded,
        )[0]
        del decoded  # the page's text, often the largest object, is not needed now
        rows.extend(_page_split_rows(path, split, encoding, report))
    else:
        _table_file_rows(path, decoded, frame, text_column, bad, rows)
    if not_chinese:
        _warn_if_not_chinese(rows[first_row:], not_chinese[0])


def _json_records_of(path: Path, decoded: DecodedText) -> list[dict] | None:
    """The JSON records a .json or .txt file holds, else None (an InputError for a .json
    file that holds none)."""
    suffix = path.suffix.lower()
    records = _json_records(decoded.text) if suffix in (".json", ".txt") else None
    if suffix == ".json" and records is None:
        raise InputError(
            f"{path}: not JSON records (a list of objects, or one object a line); "
            "fix the file or give it the ending of what it holds"
        )
    return records


def _records_frame(records: list[dict]) -> pd.DataFrame:
    """JSON records as a frame, each with its number as its ``_line``."""
    return pd.DataFrame.from_records(
        [{**r, "_line": f"record {k}"} for k, r in enumerate(records, start=1)]
    )


def _table_file_rows(
    path: Path,
    decoded: DecodedText,
    records: pd.DataFrame | None,
    text_column: str | None,
    bad: _BadRows,
    rows: list[dict] | _CompactRows,
) -> None:
    """Add the article rows of a table file to ``rows``, as they are read: its JSON
    ``records`` (a frame) when it holds them, else JSONL, CSV or TSV."""
    if records is not None:
        frame = records
        table = _table_rows(
            path, frame.columns, _frame_records(frame), text_column, decoded.encoding, bad
        )
        rows.extend(_parsed_records(table))
        return
    with _table_progress(path, len(decoded.text)) as progress, _long_cells(), gc_paused():
        if path.suffix.lower() == ".jsonl":
            frame = _read_jsonl(path, decoded.text, bad, progress)
            columns, records_read = frame.columns, _frame_records(frame)
        else:
            chunks = _chunks(decoded.text, progress)
            columns, records_read = _read_delimited(path, chunks, text_column, bad)
        rows.extend(_table_rows(path, columns, records_read, text_column, decoded.encoding, bad))


def _read_streamed_table(
    path: Path,
    streamed: StreamedText,
    rows: list[dict] | _CompactRows,
    report: LoadReport,
    *,
    text_column: str | None,
    bad_rows: str,
    convert: str | None,
) -> None:
    """:func:`_read_file` of a large UTF-8 CSV or TSV, decoded as it is read: the same
    rows, report and warnings as from the whole text."""
    if not streamed.has_text:
        _skip_empty(path, report, streamed.encoding)
        return
    report.files += 1
    report.encodings[display_path(path)] = streamed.encoding
    first_row = len(rows)
    bad = _BadRows(path, bad_rows, report)
    chunks = streamed.chunks(progress := _table_progress(path, streamed.n_bytes, "B"))
    first = next(chunks, "")
    if not convert:
        _warn_if_traditional(path, first[:20_000])
    with progress, _long_cells(), gc_paused():
        columns, records = _read_delimited(path, itertools.chain([first], chunks), text_column, bad)
        rows.extend(_table_rows(path, columns, records, text_column, streamed.encoding, bad))
    for category, message in streamed.checks():
        if issubclass(category, NotChineseWarning):
            _warn_if_not_chinese(rows[first_row:], _warning(category, message))
        else:
            warnings.warn(message, category, stacklevel=3)


def _articles_table(rows: list[dict]) -> pd.DataFrame:
    """The rows as a table of the article columns, then the other fields of the rows in
    order of appearance."""
    fields: dict[str, None] = {}
    for row in rows:
        if row.keys() - fields.keys():  # most rows bring no new field
            fields.update(dict.fromkeys(row))
    columns = [*ARTICLE_COLUMNS, *(f for f in fields if f not in ARTICLE_COLUMNS)]
    if not rows:
        return pd.DataFrame.from_records(rows, columns=columns)
    # a table's rows fill a few of the columns: the others are added empty (NaN), as
    # from_records would make them, without converting a million missing values each
    present = [c for c in columns if c in fields]
    return pd.DataFrame.from_records(rows, columns=present).reindex(columns=columns)


_CONVERTED = ("title", "kicker", "subtitle", "column", "sections", "paragraphs")


def _to_simplified(row: dict) -> None:
    """Convert an article's text to Simplified Chinese, keeping the original."""
    from analysis.reading.scripts import to_simplified

    original = {}
    for name in _CONVERTED:
        value = row.get(name)
        if isinstance(value, str):
            converted = to_simplified(value)
        elif isinstance(value, list):
            converted = [to_simplified(v) if isinstance(v, str) else v for v in value]
        else:
            continue
        if converted != value:
            original[name] = value
            row[name] = converted
    row["original"] = original or None


def _warn_if_traditional(path: Path, text: str) -> None:
    from analysis.reading.scripts import script_of

    if script_of(text[:20_000]) == "traditional":
        warnings.warn(
            f"{path}: the text is in Traditional characters and the tokenizer's dictionary "
            "is Simplified; pass --convert t2s (convert='t2s') to analyse it in Simplified, "
            "the original text is kept",
            TraditionalTextWarning,
            stacklevel=3,
        )


def _skip_empty(path: Path, report: LoadReport, encoding: str) -> None:
    report.files += 1
    report.encodings[display_path(path)] = encoding
    warnings.warn(f"{path}: empty file, skipped", EmptyFileWarning, stacklevel=3)
    report.empty_files.append(display_path(path))


def _page_split_rows(path: Path, split: PageSplit, encoding: str, report: LoadReport) -> list[dict]:
    report.furniture_lines += len(split.furniture) + len(split.outside)
    if not split.articles:
        report.pages_without_articles.append(display_path(path))
        warnings.warn(
            f"{path}: no article found (only furniture or metadata lines); "
            "see 'articles --explain' for how each line was read",
            NoArticleWarning,
            stacklevel=3,
        )
    return _page_rows(path, split, encoding)


#: Articles that :class:`_CompactRows` gathers before it makes them a table.
COMPACT_BATCH = 50_000

# the columns a compact table leaves out (see load_articles)
_NOT_COMPACT = (
    "text",
    "authors",
    "contributors",
    "continuation",
    "sections",
    "paragraph_spans",
    "paragraph_sections",
    "metadata",
    "furniture",
    "original",
)


class _CompactRows:
    """Where :func:`load_articles` puts the rows it reads when ``compact``: every
    :data:`COMPACT_BATCH` rows become a small table of compact columns, and the rows
    themselves (a dict and Python strings each) are dropped."""

    def __init__(self, convert: str | None) -> None:
        self.convert = convert
        self.batch: list[dict] = []
        self.tables: list[pd.DataFrame] = []
        self.done = 0

    def extend(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.batch.append(row)
            if len(self.batch) >= COMPACT_BATCH:
                self._flush()

    def __len__(self) -> int:
        return self.done + len(self.batch)

    def __getitem__(self, where: slice) -> list[dict]:
        """The rows from ``where.start`` on, with their paragraphs only (what the check
        of a file's language reads)."""
        start = where.start or 0
        self._flush()
        rows, seen = [], 0
        for table in self.tables:
            if seen + len(table) > start:
                paragraphs = table["paragraphs"].iloc[max(start - seen, 0) :].tolist()
                rows += [{"paragraphs": p} for p in paragraphs]
            seen += len(table)
        return rows

    def _flush(self) -> None:
        if not self.batch:
            return
        if self.convert:
            for row in self.batch:
                _to_simplified(row)
        with gc_paused():
            table = _articles_table(self.batch)
            self.done += len(self.batch)
            self.batch = []
            _fill_derived(table, compact=True)
            self.tables.append(_compacted(table))

    def table(self) -> pd.DataFrame:
        self._flush()
        if not self.tables:
            empty = _articles_table([])
            _fill_derived(empty, compact=True)
            return _compacted(empty)
        tables, self.tables = self.tables, []
        return pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]


def _compacted(df: pd.DataFrame) -> pd.DataFrame:
    """An articles table without the columns a compact one leaves out, its paragraphs as
    an Arrow list column and each text's length as ``text_chars``."""
    import pyarrow as pa

    df["text_chars"] = df["n_chars"] + (df["n_paragraphs"] - 1).clip(lower=0)
    paragraphs = pa.array(df["paragraphs"].tolist(), type=pa.list_(pa.large_string()))
    df = df.drop(columns=[c for c in _NOT_COMPACT if c in df])
    df["paragraphs"] = pd.array(paragraphs, dtype=pd.ArrowDtype(paragraphs.type))
    return df


def _fill_derived(df: pd.DataFrame, *, compact: bool = False) -> None:
    """Fill list columns and the counts every loader shares; for a ``compact`` table,
    only the counts (the text and the list columns are left out of it)."""
    lists = ("authors", "contributors", "continuation", "sections", "paragraph_spans")
    for name in () if compact else (*lists, "metadata", "furniture"):
        df[name] = [v if isinstance(v, list) else [] for v in df[name].tolist()]
    # tolist(): iterating a column of a million values is slower than listing them
    paragraphs = [v if isinstance(v, list) else [] for v in df["paragraphs"].tolist()]
    df["paragraphs"] = paragraphs
    if not compact:
        df["paragraph_sections"] = [
            v if isinstance(v, list) else [None] * len(p)
            for v, p in zip(df["paragraph_sections"].tolist(), paragraphs, strict=True)
        ]
    df["kind"] = [k if isinstance(k, str) else "document" for k in df["kind"].tolist()]
    if not compact:
        df["text"] = _joined(paragraphs)
    df["n_paragraphs"] = [len(p) for p in paragraphs]
    df["n_chars"] = [sum(map(len, p)) for p in paragraphs]
    df["n_title_chars"] = [len(t) if isinstance(t, str) else 0 for t in df["title"].tolist()]


#: Articles whose texts are handed to pyarrow at a time.
_TEXT_BATCH = 65_536


def _joined(paragraphs: list[list[str]]):
    """Each article's paragraphs joined by line breaks: a list of strings, or where pandas
    stores strings with pyarrow, an array made from their UTF-8 bytes. Handed the strings
    themselves, pyarrow leaves a UTF-8 copy cached inside each, and the text of a
    one-paragraph article is the very string its paragraphs column holds (600 MB kept for
    a million table rows)."""
    dtype = pd.Series(["text"]).dtype  # what pandas makes of a list of strings
    if not paragraphs or not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return ["\n".join(p) for p in paragraphs]  # (an empty list makes a float column)
    import pyarrow as pa

    values = iter(paragraphs)
    batches = []
    while batch := list(itertools.islice(values, _TEXT_BATCH)):
        encoded = ["\n".join(p).encode() for p in batch]
        # as bytes, then cast: four times faster than taking the bytes as strings one by one
        batches.append(pa.array(encoded, type=pa.large_binary()).cast(pa.large_string()))
    return pd.array(pa.chunked_array(batches, type=pa.large_string()), dtype=dtype)


def explain_pages(
    paths: str | Path | Iterable[str | Path] | None = None, *, txt_mode: str = "page"
) -> pd.DataFrame:
    """One row per non-empty line of each page: its label, article and the deciding rule
    (furniture lines included, with the rule that set them aside)."""
    if paths is None:
        paths = [SEEDS_DIR]
    elif isinstance(paths, str | Path):
        paths = [paths]
    rows = []
    files = [p for p in _expand(paths) if p.suffix.lower() in PAGE_SUFFIXES]
    boilerplate = folder_boilerplate(files) if txt_mode == "page" else {}
    for path in files:
        split, _, _ = split_file(
            path, txt_mode=txt_mode, boilerplate=boilerplate.get(path.parent, frozenset())
        )
        for where, text in split.outside:
            rows.append(
                {
                    "source": display_path(path),
                    "line": None,
                    "article": None,
                    "label": "furniture",
                    "rule": f"outside the article in the HTML ({where})",
                    "text": normalize_line(text),
                }
            )
        for line in split.lines:
            rows.append(
                {
                    "source": display_path(path),
                    "line": line.number,
                    "article": f"{path.stem}-{line.article:02d}" if line.article else None,
                    "label": line.label,
                    "rule": line.rule,
                    "text": line.text,
                }
            )
    return pd.DataFrame.from_records(
        rows, columns=["source", "line", "article", "label", "rule", "text"]
    )
