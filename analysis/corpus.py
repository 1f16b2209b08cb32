"""Load raw pages and tabular corpora into one articles table (a pandas DataFrame).

Inputs, by file ending:

- ``.txt``: a raw newspaper page or a copied web page, split into articles by
  :mod:`analysis.pages`. With ``txt_mode="article"`` each file is one article (a crawler
  file): it gets the same structure parsing, but later headlines are section headings.
  A file whose first line is a headline joined by tabs (``kicker<TAB>title<TAB>subtitle``)
  is read that way without being asked;
- ``.md`` / ``.markdown``: a markdown article with YAML front matter
  (:mod:`analysis.frontmatter`); its fields become metadata;
- ``.html`` / ``.htm``: a saved web page; trafilatura finds the article
  (:mod:`analysis.webpages`), the rest of the page is furniture;
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

import csv
import functools
import gc
import io
import itertools
import json
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config import PROJECT_ROOT, SEEDS_DIR
from analysis.errors import InputError, OptionError
from analysis.furniture import PageMeta, header_metadata, iso_date, repeated_lines
from analysis.pages import TAB_HEADLINE, PageSplit, split_page
from analysis.textio import (
    DecodedText,
    NotChineseWarning,
    normalize_line,
    not_chinese,
    read_bytes,
    read_text,
)

__all__ = [
    "ARTICLE_COLUMNS",
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

PAGE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SUPPORTED = (*PAGE_SUFFIXES, ".csv", ".tsv", ".jsonl", ".json")
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
    "paper",
    "page",
    "page_name",
    "url",
    "metadata",
    "furniture",
    "original",
]
#: Most files of one folder read to find its boilerplate lines (a sample above that).
BOILERPLATE_SAMPLE = 2000
#: Lines at each end of a page looked at for boilerplate.
EDGE_LINES = 40


class EmptyFileWarning(UserWarning):
    """An input file holds no text; it is skipped and counted in the report."""


class NoArticleWarning(UserWarning):
    """A page held only furniture and metadata; it is counted in the report."""


@dataclass
class LoadReport:
    """What a load read: files, encodings, articles, and what it skipped."""

    files: int = 0
    articles: int = 0
    empty_files: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    furniture_lines: int = 0
    pages_without_articles: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # absolute paths of the files read
    skipped_rows: list[str] = field(default_factory=list)  # file:line: reason

    def summary(self) -> str:
        encodings = sorted(set(self.encodings.values()))
        text = (
            f"read {self.files} file(s) ({', '.join(encodings) or 'no text'}), "
            f"{self.articles} article(s); skipped {len(self.empty_files)} empty file(s)"
        )
        if self.furniture_lines:
            text += f"; set aside {self.furniture_lines} furniture line(s)"
        if self.pages_without_articles:
            text += f"; {len(self.pages_without_articles)} page(s) held no article"
        if self.skipped_rows:
            text += f"; skipped {len(self.skipped_rows)} malformed table row(s)"
        return text

    def as_dict(self) -> dict:
        return asdict(self)


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


def display_path(path: Path) -> str:
    """A stable name for a file: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


_FILE_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
# front-matter keys that become columns; the others are kept as metadata strings
_FRONT_MATTER_FIELDS = {
    "title", "date", "section", "section_name", "author", "authors", "source_url", "url",
    "page", "page_name", "paper", "newspaper", "column", "标题", "日期", "作者", "版次", "版名",
}  # fmt: skip


def file_date(path: Path) -> str:
    """The date in a file name (``20230101``, ``2026-01-05``, ``rmrb_20200103_p11``) as
    ISO, or "".

    >>> file_date(Path("grrb_20081125_p05.txt")), file_date(Path("8583_p02.txt"))
    ('2008-11-25', '')
    """
    m = _FILE_DATE.search(path.stem)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


class TraditionalTextWarning(UserWarning):
    """A file in Traditional characters was loaded without conversion to Simplified."""


class MarkupWarning(UserWarning):
    """A .txt file held markup: read as HTML, or its stray tags removed."""


_TAG = re.compile(
    r"<!--.*?-->|<!DOCTYPE[^>]*>|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,400})?/?>", re.S | re.I
)
_LINE_BREAK_TAG = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr)\b", re.I)


def _markup(text: str) -> str:
    """ "page" for an HTML page, "tags" for a text with stray tags, else ""."""
    head = text[:2000].lstrip().lower()
    tags = len(_TAG.findall(text[:200_000]))
    if head.startswith(("<!doctype html", "<html", "<?xml")) or (
        tags >= 10 and tags * 3 > text[:200_000].count("\n")
    ):
        return "page"
    return "tags" if tags else ""


def _blank_tags(text: str) -> tuple[str, int]:
    """Remove tags, keeping every other character where it was (a tag that breaks a
    line becomes a line break, the rest spaces), so spans still point into the file."""
    count = 0

    def blank(m: re.Match) -> str:
        nonlocal count
        count += 1
        width = len(m.group())
        return "\n" + " " * (width - 1) if _LINE_BREAK_TAG.match(m.group()) else " " * width

    return _TAG.sub(blank, text), count


def _is_article_dump(text: str) -> bool:
    """A crawler file of one article: its first line is a headline joined by tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(TAB_HEADLINE.match(first.strip(" \u3000")))


def split_file(
    path: str | Path,
    *,
    txt_mode: str = "page",
    boilerplate: frozenset[str] = frozenset(),
    keep_lines: bool = True,
    decoded: DecodedText | None = None,
) -> tuple[PageSplit, str, str]:
    """Split one page file (.txt, .md, .html); return the split, the text that the
    split's spans point into, and the encoding. ``keep_lines=False`` drops the
    classified lines (all a loader needs is the articles)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return _split_html(path)
    decoded = decoded or read_text(path)
    text = decoded.text
    if suffix in (".md", ".markdown"):
        return _split_markdown(path, text), text, decoded.encoding
    markup = _markup(text)
    if markup == "page":
        warnings.warn(
            f"{path}: looks like a web page saved as .txt; read as HTML (save it as .html "
            "to silence this warning)",
            MarkupWarning,
            stacklevel=2,
        )
        return _split_html(path, text.encode("utf-8"))
    if markup == "tags":
        text, count = _blank_tags(text)
        warnings.warn(
            f"{path}: {count} markup tag(s) such as <br> in the text were removed",
            MarkupWarning,
            stacklevel=2,
        )
    single = txt_mode == "article" or _is_article_dump(text)
    split = split_page(text, boilerplate=boilerplate, single=single, keep_lines=keep_lines)
    return split, text, decoded.encoding


def _split_markdown(path: Path, text: str) -> PageSplit:
    from analysis.frontmatter import read_markdown

    md = read_markdown(text, name=str(path))
    split = split_page(md.text, hints=md.hints, single=True, briefs=True)
    meta = md.meta
    stated = PageMeta(meta["date"], meta["paper"], meta["page"], meta["page_name"])
    stated.update(split.meta)
    split.meta = stated
    for art in split.articles:
        art.url = art.url or meta["url"]
        art.date = art.date or meta["date"]
    if split.articles:
        first = split.articles[0]
        first.title = first.title or meta["title"] or None
        first.column = first.column or meta["column"] or None
        if not first.contributors and meta["author"]:
            from analysis.pages import parse_byline

            first.contributors = parse_byline(meta["author"], bare=True) or []
    split.front_matter = md.front_matter
    return split


def _split_html(path: Path, data: bytes | None = None) -> tuple[PageSplit, str, str]:
    from analysis.webpages import read_html

    if data is None:
        data = read_bytes(path)
    page = read_html(data, name=str(path))
    split = split_page(page.text)
    meta = PageMeta(date=page.meta.get("date", ""), paper=page.meta.get("paper", ""))
    for line in page.header + page.footer:
        meta.update(header_metadata(normalize_line(line)))
    split.meta.update(meta)
    outside = [("header", t) for t in page.header] + [("footer", t) for t in page.footer]
    split.outside = outside
    for art in split.articles:
        art.url = art.url or page.meta.get("url", "")
        art.date = art.date or split.meta.date
    return split, page.text, page.encoding


def _furniture_records(split: PageSplit, art) -> list[dict]:
    records = [{"line": ln.number, "text": ln.text, "rule": ln.rule} for ln in art.furniture]
    if art.order == 1:
        for where, text in split.outside:
            text = normalize_line(text)
            if text:
                records.append(
                    {
                        "line": None,
                        "text": text,
                        "rule": f"outside the article in the HTML ({where})",
                    }
                )
    return records


def _page_rows(path: Path, split: PageSplit, encoding: str) -> list[dict]:
    rows = []
    meta = split.meta
    source = display_path(path)
    fallback_date = file_date(path)
    extra = [
        f"{k}: {v}"
        for k, v in split.front_matter.items()
        if str(k).lower() not in _FRONT_MATTER_FIELDS
    ]
    for art in split.articles:
        rows.append(
            {
                "id": f"{path.stem}-{art.order:02d}",
                "source": source,
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
                "paragraph_spans": art.paragraph_spans,
                "start": art.start,
                "end": art.end,
                "encoding": encoding,
                "date": art.date or meta.date or fallback_date or None,
                "paper": meta.paper or None,
                "page": meta.page or None,
                "page_name": meta.page_name or None,
                "url": art.url or None,
                "metadata": list(art.metadata) + (extra if art.order == 1 else []),
                "furniture": _furniture_records(split, art),
            }
        )
    return rows


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
    extra = [c for c in columns if c not in used and str(c) not in ARTICLE_COLUMNS]
    present = [(name, key) for name, key in fields.items() if key is not None]
    source = display_path(path)
    for k, record in enumerate(itertools.chain([first], records), start=1):
        value = record.get(column)
        if isinstance(value, list) and all(isinstance(p, str) for p in value):
            paragraphs = [normalize_line(p) for p in value]  # a JSON list of paragraphs
        elif isinstance(value, str) or _cell(record, column) is None:
            paragraphs = [normalize_line(value if isinstance(value, str) else "")]
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
            "paragraphs": [p for p in paragraphs if p],
            "encoding": enc,
        }
        for name, key in present:
            cell = _cell(record, key)
            if cell is None:
                continue
            if name == "authors":
                from analysis.pages import parse_byline

                people = parse_byline(cell.replace(";", " "), bare=True) or []
                row["authors"] = [c.name for c in people]
                row["contributors"] = [c.as_dict() for c in people]
            elif name == "date":
                row["date"] = _iso_date(cell) or cell
            elif name == "page":
                row["page"] = str(int(cell)) if cell.isdigit() else cell
            else:
                row[name] = normalize_line(cell) or None
        if label_column is not None and (label := _cell(record, label_column)) is not None:
            row["label"] = label
        for name in extra:
            if (cell := _cell(record, name)) is not None:
                row[name] = normalize_line(cell) if isinstance(record[name], str) else record[name]
        yield row


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
    return records or None


def _cell(record: dict, key: str) -> str | None:
    """A table cell as text; ``None`` for a missing, NaN or empty cell."""
    value = record.get(key)
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


def _table_progress(path: Path, text: str):
    """A progress bar (stderr, on a terminal) over the characters of a large table."""
    from tqdm.auto import tqdm

    return tqdm(
        total=len(text),
        desc=f"reading {path.name}",
        unit="char",
        unit_scale=True,
        file=sys.stderr,
        disable=None if len(text) > PROGRESS_CHARS else True,
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
    path: Path, text: str, text_column: str | None, bad: _BadRows, progress
) -> tuple[list[str], Iterator[dict]]:
    """The columns of a CSV or TSV text and its rows as records (with ``_line``), which
    are parsed as they are read; call it inside :func:`_long_cells`."""
    tsv = path.suffix.lower() == ".tsv"
    # lines as a file opened with newline="" gives them: the csv module does its own line
    # endings (\r\n and \r inside a quoted cell are part of the text)
    lines = (line for chunk in _chunks(text, progress) for line in io.StringIO(chunk, newline=""))
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
            if any(cell.strip() for cell in row):
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
        records.append({**record, "_line": number})
    return pd.DataFrame.from_records(records)


def _frame_records(frame: pd.DataFrame, rows: int = 10_000) -> Iterator[dict]:
    """The rows of ``frame`` as dicts, some at a time: a dict for every row of a large
    table at once would be another copy of it."""
    for start in range(0, len(frame), rows):
        yield from frame.iloc[start : start + rows].to_dict("records")


#: With more files than this, reading them shows a progress bar (on a terminal).
PROGRESS_FILES = 200


def _reading(files: list[Path]):
    """The files, with a progress bar on stderr when there are many."""
    if len(files) <= PROGRESS_FILES:
        return files
    from tqdm.auto import tqdm

    return tqdm(files, desc="reading files", unit="file", file=sys.stderr, disable=None)


def _warn_if_not_chinese(rows: list[dict], warning: warnings.WarningMessage) -> None:
    """Repeat the reader's NotChineseWarning for a file only if the article texts read
    from it, not just its keys and markup, are mostly not Chinese."""
    text = "\n".join(p for row in rows for p in row.get("paragraphs") or ())
    if rows and not_chinese(text) is None:
        return
    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _edge_lines(path: Path) -> list[str]:
    """The normalised lines at the top and bottom of a page file, where site boilerplate
    sits; [] for a file that cannot be read (the main pass reports it)."""
    try:
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

    >>> df = load_articles()
    >>> len(df), df.loc[0, "title"]
    (7, '解难题补短板,建好服务职工的“桥头堡”')
    """
    if txt_mode not in ("page", "article"):
        raise OptionError(f"txt_mode must be 'page' or 'article', not {txt_mode!r}")
    if bad_rows not in ("error", "skip"):
        raise OptionError(f"bad_rows must be 'error' or 'skip', not {bad_rows!r}")
    if convert not in (None, "t2s"):
        raise OptionError(f"convert must be 't2s' or None, not {convert!r}")
    if paths is None:
        paths = [SEEDS_DIR]
    elif isinstance(paths, str | Path):
        paths = [paths]
    report = LoadReport()
    rows: list[dict] = []
    files = _expand(paths)
    if boilerplate is None:
        boilerplate = folder_boilerplate(files) if txt_mode == "page" else {}
    for path in _reading(files):
        report.inputs.append(str(path.resolve()))
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            split, text, encoding = split_file(path)
            if not text.strip():
                _skip_empty(path, report, encoding)
                continue
            report.files += 1
            report.encodings[display_path(path)] = encoding
            rows.extend(_page_split_rows(path, split, encoding, report))
            continue
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
            continue
        first_row = len(rows)
        report.files += 1
        report.encodings[display_path(path)] = decoded.encoding
        if not convert:
            _warn_if_traditional(path, decoded.text)
        records = _json_records(decoded.text) if suffix in (".json", ".txt") else None
        if suffix == ".json" and records is None:
            raise InputError(
                f"{path}: not JSON records (a list of objects, or one object a line); "
                "fix the file or give it the ending of what it holds"
            )
        bad = _BadRows(path, bad_rows, report)
        if records is not None:
            frame = pd.DataFrame.from_records(
                [{**r, "_line": f"record {k}"} for k, r in enumerate(records, start=1)]
            )
            del records
            table = _table_rows(
                path, frame.columns, _frame_records(frame), text_column, decoded.encoding, bad
            )
            rows.extend(_parsed_records(table))
        elif suffix in PAGE_SUFFIXES:
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
            with _table_progress(path, decoded.text) as progress, _long_cells(), _gc_paused():
                if suffix == ".jsonl":
                    frame = _read_jsonl(path, decoded.text, bad, progress)
                    columns, records = frame.columns, _frame_records(frame)
                else:
                    columns, records = _read_delimited(
                        path, decoded.text, text_column, bad, progress
                    )
                table = _table_rows(path, columns, records, text_column, decoded.encoding, bad)
                rows.extend(table)
        if not_chinese:
            _warn_if_not_chinese(rows[first_row:], not_chinese[0])
    if convert:
        for row in rows:
            _to_simplified(row)
    with _gc_paused():
        df = _articles_table(rows)
        del rows
        _fill_derived(df)
    report.articles = len(df)
    df.attrs["report"] = report.as_dict()
    return df


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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: table rows make no reference cycles, and with
    a million of them alive every collection walks them all (a fifth of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_CONVERTED = ("title", "kicker", "subtitle", "column", "sections", "paragraphs")


def _to_simplified(row: dict) -> None:
    """Convert an article's text to Simplified Chinese, keeping the original."""
    from analysis.textio import to_simplified

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
    from analysis.textio import script_of

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


def _fill_derived(df: pd.DataFrame) -> None:
    """Fill list columns and the counts every loader shares."""
    for name in (
        "authors",
        "contributors",
        "continuation",
        "sections",
        "paragraph_spans",
        "metadata",
        "furniture",
    ):
        df[name] = [v if isinstance(v, list) else [] for v in df[name].tolist()]
    # tolist(): iterating a column of a million values is slower than listing them
    paragraphs = [v if isinstance(v, list) else [] for v in df["paragraphs"].tolist()]
    df["paragraphs"] = paragraphs
    df["paragraph_sections"] = [
        v if isinstance(v, list) else [None] * len(p)
        for v, p in zip(df["paragraph_sections"].tolist(), paragraphs, strict=True)
    ]
    df["kind"] = [k if isinstance(k, str) else "document" for k in df["kind"].tolist()]
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
