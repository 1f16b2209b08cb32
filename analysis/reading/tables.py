"""Tables read as articles: CSV, TSV, JSONL and JSON records, parsed as they are read
(a progress bar on a terminal), one row at a time, cells of any length; a malformed row
is an error naming its file and line, or with ``bad_rows="skip"`` a
:class:`BadRowWarning`."""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import InputError
from analysis.reading.furniture import iso_date
from analysis.reading.pages import split_page
from analysis.reading.schema import (
    ARTICLE_COLUMNS,
    META_COLUMNS,
    TEXT_COLUMNS,
    LoadReport,
    display_path,
)
from analysis.reading.textio import (
    _SURROGATE,
    normalize_line,
)

__all__ = [
    "FIELD_ALIASES",
    "LABEL_ALIASES",
    "BadRowWarning",
    "RepeatedColumnWarning",
]


def _pick_text_column(columns: Sequence[str], text_column: str | None, path: Path) -> str:
    if text_column:
        if text_column not in columns:
            raise InputError(
                f"{path}: has no column {text_column!r} (columns: {', '.join(columns)}); "
                "pass the right name with --text-column"
            )
        return text_column
    for name in TEXT_COLUMNS:
        if name in columns:
            return name
    raise InputError(
        f"{path}: no text column found among {', '.join(map(str, columns))}; "
        "name it with --text-column"
    )


# other names for the article fields a table or JSON record may carry
FIELD_ALIASES = {
    "title": ("title", "标题", "headline"),
    "kicker": ("kicker", "pre_title", "pretitle", "引题", "肩题"),
    "subtitle": ("subtitle", "sub_title", "副题", "副标题"),
    "authors": ("author", "authors", "作者", "byline"),
    "date": ("date", "pubdate", "publish_date", "日期", "时间"),
    "page": ("page", "page_num", "版次"),
    "page_name": ("page_name", "版名"),
    "column": ("column", "栏目"),
    "url": ("url", "link", "链接"),
    "paper": ("paper", "newspaper", "报纸"),
}


# the column a table's categories are in (THUCNews, Sogou, most classification sets)
LABEL_ALIASES = ("label", "category", "类别", "分类", "频道", "class")


def _table_rows(
    path: Path,
    columns: Sequence,
    records: Iterable[dict],
    text_column: str | None,
    enc: str,
    bad: _BadRows,
) -> Iterator[dict]:
    """The article rows of a table's ``records`` (dicts with a ``_line``), made one at a
    time as the records are read; ``columns`` are the table's."""
    records = iter(records)
    first = next(records, None)
    if first is None:  # a table without rows has nothing to miss a text column for
        return
    column = _pick_text_column([str(c) for c in columns if c != "_line"], text_column, path)
    lower = {str(c).lower(): c for c in columns if c != "_line"}
    fields = {
        name: next((lower[a] for a in aliases if a in lower and lower[a] != column), None)
        for name, aliases in FIELD_ALIASES.items()
    }
    label_column = next((lower[a] for a in LABEL_ALIASES if a in lower), None)
    # every other column is kept under its own name, to group and filter by
    used = {column, label_column, "_line", "id", *(c for c in fields.values() if c is not None)}
    # a column named like one the loader fills (source, text, order …) is kept renamed
    extra = {c: _own_name(c, path) for c in columns if c not in used}
    present = [(name, key) for name, key in fields.items() if key is not None]
    # the fields read as they are, and those parsed (authors, date, page)
    plain = [(name, key) for name, key in present if name not in _PARSED_FIELDS]
    parsed = [(name, key) for name, key in present if name in _PARSED_FIELDS]
    source = display_path(path)
    for k, record in enumerate(itertools.chain([first], records), start=1):
        value = record.get(column)
        if isinstance(value, str):
            # a line break inside a cell is a paragraph break, as the writer meant it
            paragraphs = list(map(normalize_line, value.splitlines())) or [""]
        elif isinstance(value, list) and all(isinstance(p, str) for p in value):
            paragraphs = list(map(normalize_line, value))  # a JSON list of paragraphs
        elif _cell(record, column) is None:
            paragraphs = [""]
        else:
            bad(_where(record, k), f"the {column!r} value is not text ({type(value).__name__})")
            continue
        if not any(paragraphs):
            bad(_where(record, k), f"no text in column {column!r}")
            continue
        row = {
            "id": _cell(record, "id") or f"{path.stem}-{k:05d}",
            "source": source,
            "order": k,
            "paragraphs": list(filter(None, paragraphs)),
            "encoding": enc,
        }
        for name, key in plain:
            if (cell := _cell(record, key)) is not None:
                row[name] = normalize_line(cell) or None
        for name, key in parsed:
            cell = _cell(record, key)
            if cell is None:
                continue
            if name == "authors":
                from analysis.reading.pages import parse_byline

                people = parse_byline(cell.replace(";", " "), bare=True) or []
                row["authors"] = [c.name for c in people]
                row["contributors"] = [c.as_dict() for c in people]
            elif name == "date":
                row["date"] = _iso_date(cell) or cell
            else:
                row["page"] = str(int(cell)) if cell.isdigit() else cell
        if label_column is not None and (label := _cell(record, label_column)) is not None:
            row["label"] = label
        for name, kept_as in extra.items():
            if (cell := _cell(record, name)) is not None:
                value = record[name]
                row[kept_as] = normalize_line(cell) if isinstance(value, str) else value
        yield row


# the fields of a table row that are parsed, not only normalised
_PARSED_FIELDS = frozenset({"authors", "date", "page"})


def _own_name(column: object, path: Path) -> object:
    """The name a table's extra column is kept under: its own, or ``table_<name>`` when
    the loader fills a column of that name (``source`` is the file, ``text`` the body),
    with a warning saying so."""
    if str(column) not in ARTICLE_COLUMNS:
        return column
    renamed = f"table_{column}"
    warnings.warn(
        f"{display_path(path)}: column {column!r} is kept as {renamed!r} (the loader's "
        f"{column!r} column is its own: {_LOADER_COLUMNS.get(str(column), 'see the README')})",
        stacklevel=2,
    )
    return renamed


_LOADER_COLUMNS = {
    "source": "the file an article was read from",
    "text": "the body the paragraphs make",
    "order": "the article's place in its file",
}


def _where(record: dict, k: int) -> str:
    """Where the ``k``-th record of a table is: its line, or its number."""
    return str(record.get("_line", f"record {k}"))


# the dates of a table's rows repeat: each distinct one is parsed once
_iso_date = functools.lru_cache(maxsize=4096)(iso_date)


def _parsed_records(rows: Iterable[dict]) -> Iterator[dict]:
    """Crawler records with a headline get the structure parsing of an article on a page:
    the dateline, credits and notes in their text become metadata, as on a page."""
    for row in rows:
        if not row.get("title"):
            yield row
            continue
        head = [row.get("kicker"), row["title"], row.get("subtitle")]
        byline = " ".join(row.get("authors", []))
        roles = ["kicker", "title", "subtitle"]
        lines = [t for t in head if t]
        hints = {
            k + 1: r for k, (t, r) in enumerate(x for x in zip(head, roles, strict=True) if x[0])
        }
        text = "\n".join(lines) + "\n\n" + "\n\n".join(row["paragraphs"]) + "\n"
        split = split_page(text, hints=hints, single=True)
        if not split.articles:
            yield row
            continue
        art = split.articles[0]
        parsed = {
            **row,
            "paragraphs": art.paragraphs,
            "dateline": art.dateline,
            "kind": art.kind,
            "metadata": art.metadata,
            "continuation": art.continuation,
            "sections": art.sections,
            "author_unit": art.author_unit,
        }
        if not byline and art.contributors:
            parsed["authors"] = art.authors
            parsed["contributors"] = [c.as_dict() for c in art.contributors]
        yield parsed


def _json_records(text: str) -> list[dict] | None:
    """The records of a JSON file: a list of objects, an object holding such a list, one
    object, or objects written one after another; None when the text is not JSON."""
    decoder = json.JSONDecoder()
    values, pos, text = [], 0, text.strip()
    while pos < len(text):
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return None
        values.append(value)
        pos = end
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
    records: list[dict] = []
    for value in values:
        if isinstance(value, dict):
            inner = next(
                (v for v in value.values() if isinstance(v, list) and v and isinstance(v[0], dict)),
                None,
            )
            records.extend(inner if inner is not None and len(value) <= 3 else [value])
        elif isinstance(value, list):
            records.extend(v for v in value if isinstance(v, dict))
    if records and _SURROGATE_ESCAPE.search(text):
        records = [_without_surrogates(r) for r in records]
    return records or None


# a JSON escape of half a surrogate pair: "\ud800" alone decodes to no character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _without_surrogates(value):
    """``value`` with every lone surrogate in its strings replaced by U+FFFD (as
    :func:`~analysis.reading.textio.normalize_line` does), since no UTF-8 file and no
    Arrow string column can hold one."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _cell(record: dict, key: str) -> str | None:
    """A table cell as text; ``None`` for a missing, NaN or empty cell."""
    value = record.get(key)
    if type(value) is str:  # most cells: no other test needed
        return value or None
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    return str(value)


class BadRowWarning(UserWarning):
    """A malformed table row was skipped (``bad_rows="skip"``) and counted in the report."""


class RepeatedColumnWarning(UserWarning):
    """A table's header names a column more than once; only the last column of that name
    is read."""


@dataclass
class _BadRows:
    """What to do with a malformed row: stop with an error, or skip it with a warning."""

    path: Path
    policy: str
    report: LoadReport

    def __call__(self, where: str, reason: str) -> None:
        message = f"{self.path}:{where}: {reason}"
        if self.policy == "error":
            raise InputError(f"{message}; fix the row, or pass --bad-rows skip to skip such rows")
        warnings.warn(f"{message}; row skipped", BadRowWarning, stacklevel=4)
        self.report.skipped_rows.append(message)


#: A table of more characters than this shows a progress bar while it is read (on a
#: terminal): about a second's reading.
PROGRESS_CHARS = 5_000_000


# Characters of a table handed on at a time (then up to the next line break): one
# io.StringIO of a whole large table would be another copy of it, at 4 bytes a character.
_CHUNK_CHARS = 1 << 20


# The csv module refuses a cell of over 131,072 characters, and a whole article in one
# cell can be longer. This is the largest limit a C long holds everywhere: sys.maxsize
# overflows it where a long has 32 bits (Windows).
_FIELD_LIMIT = 2**31 - 1


def _table_progress(path: Path, size: int, unit: str = "char"):
    """A progress bar (stderr, on a terminal) over the ``size`` characters (or bytes,
    ``unit="B"``) of a large table."""
    from tqdm.auto import tqdm

    return tqdm(
        total=size,
        desc=f"reading {path.name}",
        unit=unit,
        unit_scale=True,
        file=sys.stderr,
        disable=None if size > PROGRESS_CHARS else True,
    )


def _chunks(text: str, progress) -> Iterator[str]:
    """``text`` in pieces that end with a line break (the last one, with the text), each
    counted on ``progress`` once it has been used."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + _CHUNK_CHARS)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        progress.update(end - start)
        start = end


@contextmanager
def _long_cells() -> Iterator[None]:
    """Let the csv module read cells of any length while the block runs."""
    previous = csv.field_size_limit(_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _read_delimited(
    path: Path, chunks: Iterable[str], text_column: str | None, bad: _BadRows
) -> tuple[list[str], Iterator[dict]]:
    """The columns of a CSV or TSV text and its rows as records (with ``_line``), which
    are parsed as they are read; ``chunks`` is the text in pieces that end with a line
    break (:func:`_chunks`, or a large file decoded as it is read). Call it inside
    :func:`_long_cells`."""
    tsv = path.suffix.lower() == ".tsv"
    # lines as a file opened with newline="" gives them: the csv module does its own line
    # endings (\r\n and \r inside a quoted cell are part of the text)
    lines = (line for chunk in chunks for line in io.StringIO(chunk, newline=""))
    # a tab-separated file has no quoting: a " in a text is a character of the text
    reader = csv.reader(
        lines,
        delimiter="\t" if tsv else ",",
        quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL,
    )
    rows = _filled_rows(reader, path, "TSV" if tsv else "CSV")
    first = next(rows, None)
    if first is None:
        return ["text", "_line"], iter(())
    known = {text_column, *TEXT_COLUMNS, *META_COLUMNS} - {None}
    cells = first[-1]
    if any(cell.strip() in known for cell in cells):
        header, body = [c.strip() for c in cells], rows
        what = f"the header has {len(header)}"
        for name in sorted({c for c in header if header.count(c) > 1}):
            warnings.warn(
                f"{path}: the header names the column {name!r} more than once; only the "
                "last of them is read (rename the others to keep them)",
                RepeatedColumnWarning,
                stacklevel=3,
            )
    elif len(cells) in (1, 2):
        header = ["text"] if len(cells) == 1 else ["label", "text"]  # THUCNews: label<TAB>text
        body = itertools.chain([first], rows)
        what = (
            "this file's rows have 1 (text)"
            if len(cells) == 1
            else ("this file's rows have 2 (label and text)")
        )
    else:
        raise InputError(
            f"{path}: {len(cells)} columns and no header row; add a header that names "
            "the text column (text, content, 正文 …)"
        )
    return [*header, "_line"], _records(header, body, what, bad)


def _filled_rows(reader, path: Path, kind: str) -> Iterator[tuple[int, int, list[str]]]:
    """The rows of a csv reader that hold anything, with the numbers of their first and
    last lines."""
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if any(map(str.strip, row)):
                yield start, end, row
    except csv.Error as exc:
        raise InputError(
            f"{path}: line {reader.line_num}: not a readable {kind} file "
            f"({exc}); check the quoting, or save it as UTF-8 CSV from the spreadsheet"
        ) from None


def _records(
    header: list[str], body: Iterable[tuple[int, int, list[str]]], what: str, bad: _BadRows
) -> Iterator[dict]:
    """Rows as records under ``header`` (a later column of a repeated name wins); a row of
    another number of fields goes to ``bad``."""
    for start, line, row in body:
        if len(row) != len(header):
            reason = f"{len(row)} field(s) where {what}"
            if start < line:  # cells can hold line breaks, and a stray quote makes one
                reason += (
                    f"; the row runs from line {start}: a quote that is never closed joins "
                    "the lines after it into one cell"
                )
            bad(str(line), reason)
            continue
        record = dict(zip(header, row, strict=True))
        record["_line"] = line
        yield record


def _read_jsonl(path: Path, text: str, bad: _BadRows, progress) -> pd.DataFrame:
    records = []
    lines = (line for chunk in _chunks(text, progress) for line in chunk.splitlines())
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            bad(str(number), f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            bad(str(number), f"a JSON {type(record).__name__}, not an object")
            continue
        if _SURROGATE_ESCAPE.search(line):
            record = _without_surrogates(record)
        records.append({**record, "_line": number})
    return pd.DataFrame.from_records(records)


def _frame_records(frame: pd.DataFrame, rows: int = 10_000) -> Iterator[dict]:
    """The rows of ``frame`` as dicts, some at a time: a dict for every row of a large
    table at once would be another copy of it."""
    for start in range(0, len(frame), rows):
        yield from frame.iloc[start : start + rows].to_dict("records")
