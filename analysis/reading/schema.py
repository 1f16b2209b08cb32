"""The articles table's columns, the file endings read, and how a file is named in
reports: shared by every reader of :mod:`analysis.reading`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis.config import PROJECT_ROOT

__all__ = [
    "ARTICLE_COLUMNS",
    "META_COLUMNS",
    "PAGE_SUFFIXES",
    "SUPPORTED",
    "TEXT_COLUMNS",
    "LoadReport",
    "display_path",
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


def display_path(path: Path) -> str:
    """A stable name for a file: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


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

    def add(self, other: LoadReport) -> None:
        """Add what another part of the same load read (a file a worker read): counts
        are summed, lists extended, encodings merged, every field of the report."""
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, dict):
                mine.update(theirs)
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, name, mine + theirs)

    def as_dict(self) -> dict:
        return asdict(self)
