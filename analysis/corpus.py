"""Load raw pages and tabular corpora into one articles table (a pandas DataFrame).

Inputs, by file ending:

- ``.txt``: a raw newspaper page, split into articles by :mod:`analysis.pages`
  (or, with ``txt_mode="article"``, one article per file: first line title, rest body);
- ``.csv`` / ``.tsv``: one article per row; the text column is ``text_column`` (default:
  the first of ``text``, ``content``, ``正文``, ``内容`` present). A headerless TSV of
  ``label<TAB>text`` (THUCNews style) is recognised;
- ``.jsonl``: one JSON object per line with the same column names;
- a folder: every supported file in it, sorted by name (not recursive).

Optional ``title``, ``id``, ``date`` and ``label`` columns are kept as metadata.
Empty files are skipped with a warning and counted in ``df.attrs["report"]``.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config import PROJECT_ROOT, SEEDS_DIR
from analysis.pages import PageSplit, split_page
from analysis.textio import InputError, normalize_line, read_text

__all__ = [
    "ARTICLE_COLUMNS",
    "EmptyFileWarning",
    "LoadReport",
    "explain_pages",
    "load_articles",
    "split_file",
]

SUPPORTED = (".txt", ".csv", ".tsv", ".jsonl")
TEXT_COLUMNS = ("text", "content", "正文", "内容", "body")
META_COLUMNS = ("title", "id", "date", "label")

ARTICLE_COLUMNS = [
    "id",
    "source",
    "order",
    "title",
    "kicker",
    "subtitle",
    "column",
    "authors",
    "contributors",
    "kind",
    "dateline",
    "date_line",
    "author_unit",
    "continuation",
    "sections",
    "paragraphs",
    "paragraph_sections",
    "text",
    "n_paragraphs",
    "n_chars",
    "n_title_chars",
    "start",
    "end",
    "paragraph_spans",
    "encoding",
    "label",
    "date",
]


class EmptyFileWarning(UserWarning):
    """An input file holds no text; it is skipped and counted in the report."""


@dataclass
class LoadReport:
    """What a load read: files, encodings, articles, and what it skipped."""

    files: int = 0
    articles: int = 0
    empty_files: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        encodings = sorted(set(self.encodings.values()))
        return (
            f"read {self.files} file(s) ({', '.join(encodings) or 'no text'}), "
            f"{self.articles} article(s); skipped {len(self.empty_files)} empty file(s)"
        )

    def as_dict(self) -> dict:
        return asdict(self)


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED)
            if not found:
                raise InputError(
                    f"{path}: folder has no {', '.join(SUPPORTED)} files; "
                    "point to the files or to a folder that holds them"
                )
            files.extend(found)
        elif path.exists():
            if path.suffix.lower() not in SUPPORTED:
                raise InputError(
                    f"{path}: unsupported file type {path.suffix or '(none)'}; "
                    f"use one of {', '.join(SUPPORTED)}"
                )
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder; check the path")
    return files


def display_path(path: Path) -> str:
    """A stable name for a file: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def split_file(path: str | Path) -> tuple[PageSplit, str, str]:
    """Split one page file; return the split, the decoded text and its encoding."""
    decoded = read_text(path)
    return split_page(decoded.text), decoded.text, decoded.encoding


def _page_rows(path: Path, split: PageSplit, encoding: str) -> list[dict]:
    rows = []
    for art in split.articles:
        rows.append(
            {
                "id": f"{path.stem}-{art.order:02d}",
                "source": display_path(path),
                "order": art.order,
                "title": art.title,
                "kicker": art.kicker,
                "subtitle": art.subtitle,
                "column": art.column,
                "authors": art.authors,
                "contributors": [c.as_dict() for c in art.contributors],
                "kind": art.kind,
                "dateline": art.dateline,
                "date_line": art.date_line,
                "author_unit": art.author_unit,
                "continuation": art.continuation,
                "sections": art.sections,
                "paragraphs": art.paragraphs,
                "paragraph_sections": art.paragraph_sections,
                "paragraph_spans": [[list(s) for s in spans] for spans in art.paragraph_spans],
                "start": art.start,
                "end": art.end,
                "encoding": encoding,
            }
        )
    return rows


def _article_file_row(path: Path, text: str, encoding: str) -> list[dict]:
    lines = [normalize_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    return [
        {
            "id": path.stem,
            "source": display_path(path),
            "order": 1,
            "title": lines[0],
            "paragraphs": lines[1:],
            "encoding": encoding,
        }
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


def _table_rows(path: Path, frame: pd.DataFrame, text_column: str | None, enc: str) -> list[dict]:
    column = _pick_text_column([str(c) for c in frame.columns], text_column, path)
    rows = []
    for k, record in enumerate(frame.to_dict("records"), start=1):
        text = normalize_line(_cell(record, column) or "")
        title = _cell(record, "title")
        row = {
            "id": _cell(record, "id") or f"{path.stem}-{k:05d}",
            "source": display_path(path),
            "order": k,
            "title": normalize_line(title) if title else None,
            "paragraphs": [text] if text else [],
            "encoding": enc,
        }
        for meta in ("date", "label"):
            if (value := _cell(record, meta)) is not None:
                row[meta] = value
        rows.append(row)
    return rows


def _cell(record: dict, key: str) -> str | None:
    """A table cell as text; ``None`` for a missing, NaN or empty cell."""
    value = record.get(key)
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    return str(value)


def _read_delimited(path: Path, text: str, text_column: str | None) -> pd.DataFrame:
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    first = next(reader, [])
    known = {text_column, *TEXT_COLUMNS, *META_COLUMNS} - {None}
    has_header = any(cell.strip() in known for cell in first)
    if has_header:
        return pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL
        )
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None)
    if frame.shape[1] == 1:
        frame.columns = ["text"]
    elif frame.shape[1] == 2:
        frame.columns = ["label", "text"]  # THUCNews style: label<TAB>text
    else:
        raise InputError(
            f"{path}: {frame.shape[1]} columns and no header row; add a header that names "
            "the text column (text, content, 正文 …)"
        )
    return frame


def _read_jsonl(path: Path, text: str) -> pd.DataFrame:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}:{number}: not valid JSON ({exc.msg}); fix that line"
            ) from None
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: expected a JSON object per line")
        records.append(record)
    return pd.DataFrame.from_records(records)


def load_articles(
    paths: str | Path | Iterable[str | Path] | None = None,
    *,
    text_column: str | None = None,
    txt_mode: str = "page",
) -> pd.DataFrame:
    """Load pages and tabular corpora into one row per article.

    ``paths`` defaults to ``seeds/``. ``txt_mode`` is ``"page"`` (split each .txt as a
    newspaper page) or ``"article"`` (each .txt holds one article).

    >>> df = load_articles()
    >>> len(df), df.loc[0, "title"]
    (7, '解难题补短板,建好服务职工的“桥头堡”')
    """
    if txt_mode not in ("page", "article"):
        raise ValueError(f"txt_mode must be 'page' or 'article', not {txt_mode!r}")
    if paths is None:
        paths = [SEEDS_DIR]
    elif isinstance(paths, str | Path):
        paths = [paths]
    report = LoadReport()
    rows: list[dict] = []
    for path in _expand(paths):
        decoded = read_text(path)
        report.files += 1
        report.encodings[display_path(path)] = decoded.encoding
        if not decoded.text.strip():
            warnings.warn(f"{path}: empty file, skipped", EmptyFileWarning, stacklevel=2)
            report.empty_files.append(display_path(path))
            continue
        suffix = path.suffix.lower()
        if suffix == ".txt" and txt_mode == "page":
            rows.extend(_page_rows(path, split_page(decoded.text), decoded.encoding))
        elif suffix == ".txt":
            rows.extend(_article_file_row(path, decoded.text, decoded.encoding))
        elif suffix == ".jsonl":
            frame = _read_jsonl(path, decoded.text)
            rows.extend(_table_rows(path, frame, text_column, decoded.encoding))
        else:
            frame = _read_delimited(path, decoded.text, text_column)
            rows.extend(_table_rows(path, frame, text_column, decoded.encoding))
    df = pd.DataFrame.from_records(rows, columns=ARTICLE_COLUMNS)
    _fill_derived(df)
    report.articles = len(df)
    df.attrs["report"] = report.as_dict()
    return df


def _fill_derived(df: pd.DataFrame) -> None:
    """Fill list columns and the counts every loader shares."""
    for name in ("authors", "contributors", "continuation", "sections", "paragraph_spans"):
        df[name] = [v if isinstance(v, list) else [] for v in df[name]]
    df["paragraphs"] = [v if isinstance(v, list) else [] for v in df["paragraphs"]]
    df["paragraph_sections"] = [
        v if isinstance(v, list) else [None] * len(p)
        for v, p in zip(df["paragraph_sections"], df["paragraphs"], strict=True)
    ]
    df["kind"] = [k if isinstance(k, str) else "document" for k in df["kind"]]
    df["text"] = ["\n".join(p) for p in df["paragraphs"]]
    df["n_paragraphs"] = [len(p) for p in df["paragraphs"]]
    df["n_chars"] = [sum(len(x) for x in p) for p in df["paragraphs"]]
    df["n_title_chars"] = [len(t) if isinstance(t, str) else 0 for t in df["title"]]


def explain_pages(paths: str | Path | Iterable[str | Path] | None = None) -> pd.DataFrame:
    """One row per non-empty line of each page: its label, article and the deciding rule."""
    if paths is None:
        paths = [SEEDS_DIR]
    elif isinstance(paths, str | Path):
        paths = [paths]
    rows = []
    for path in _expand(paths):
        if path.suffix.lower() != ".txt":
            continue
        split, _, _ = split_file(path)
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
