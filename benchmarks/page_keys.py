"""Line-level answer keys of the labelled pages in ``benchmarks/pages/<source>/``.

Every page file (``.txt``, ``.md``, ``.html``/``.htm``) there has a key beside it, the same
name plus ``.key``. The key gives every non-blank line of the page one role and, for the
lines of an article, the article's number. For an HTML page the lines are those of
:func:`page_lines` (the visible text, one block element a line), not of the file.

Key file format, one entry a line (``#`` starts a comment)::

    1-2    furniture
    3      kicker    1
    4      title     1
    5      byline    1   authors=张三,李四
    7-20   body      1
    21     caption   1   photographers=王五
    22     note      1
    24     title     2   kind=opinion

- the first field is a line number or an inclusive range ``a-b`` (1-based, as ``nl -ba``
  prints); blank lines inside a range are allowed and ignored;
- the second is the role, one of :data:`ROLES`;
- the third is the article number (1, 2 … in page order), required for every role but
  ``furniture``;
- then ``key=value`` options of the article: ``authors`` and ``photographers`` (names
  separated by commas, written as printed, ``_`` for a space inside a name; the writers
  of the article, not people it quotes), ``kind`` (one of :data:`KINDS`, default news).
  Options may be given on any line of their article, once.

Roles:

==========  ===============================================================================
furniture   page-level text that belongs to no article: page header, navigation, share
            buttons, editor and layout credits of the page, adverts, copyright lines
column      a column or rubric name heading an article (人民时评, 【八方速递】)
kicker      引题, the line above the title
title       the headline (several lines when it wraps)
subtitle    副题, the line below the title (often starting with ——)
byline      the writers' or source line of an article (本报记者 张三, 作者：…, 来源：…)
dateline    a line that is only a dateline or source (（新华社北京1月1日电）, （据…）)
body        running text, including a dateline at the start of a paragraph
section     a heading inside an article's body (一、…, a crosshead)
caption     a photo caption or photo credit
note        a note about the article: author's unit, editor's note, 责任编辑 of the article
==========  ===============================================================================

Run ``python -m benchmarks.page_keys show PAGE`` to print a page's lines numbered,
``python -m benchmarks.page_keys check [FOLDER ...]`` to check keys (every non-blank line
covered once, articles numbered in order, each with a title or body, names found in the
page), and ``python -m benchmarks.page_keys gold [FOLDER ...]`` to print the article-level
answer key (the records ``score.py`` of ``real_pages_dev`` reads).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from analysis.reading.lineroles import ROLES, plain_markdown
from analysis.reading.lineroles import page_lines as _page_lines

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
PAGE_SUFFIXES = (".txt", ".md", ".html", ".htm")
KINDS = ("news", "opinion", "photo", "brief", "other")
LIST_OPTIONS = ("authors", "photographers")
#: Characters of the body's start and end kept in the article-level key (as score.py's).
EDGE = 15

_ENTRY = re.compile(r"^(\d+)(?:-(\d+))?\s+(\w+)(?:\s+(\d+))?((?:\s+\w+=\S*)*)\s*$")
_OPTION = re.compile(r"(\w+)=(\S*)")
_SPACE = re.compile(r"\s+")


class KeyError_(ValueError):
    """A key that does not describe its page; the message names the file and line."""


@dataclass
class PageKey:
    """A page, its lines and their roles (None for a blank line)."""

    page: Path
    source: str
    lines: list[str]
    roles: list[str | None]
    articles: list[int | None]  # each line's article number
    options: dict[int, dict[str, object]]

    def article_records(self) -> list[dict]:
        """The article-level key: one record per article, as ``score.py`` reads them."""
        out = []
        numbers = sorted({a for a in self.articles if a is not None})
        for number in numbers:
            part = {role: [] for role in (*ROLES, "running")}
            markdown = self.page.suffix.lower() == ".md"
            for text, role, article in zip(self.lines, self.roles, self.articles, strict=True):
                if article == number and role is not None:
                    text = plain_markdown(text, role) if markdown else text.strip()
                    if not text:
                        continue
                    part[role].append(text)
                    if role in ("body", "section"):  # the running text, in page order
                        part["running"].append(text)
            options = self.options.get(number, {})
            body = _SPACE.sub("", "".join(part["running"]))
            out.append(
                {
                    "title": _joined(part["title"]),
                    "kicker": _joined(part["kicker"]),
                    "subtitle": _joined(part["subtitle"]),
                    "column": _joined(part["column"]),
                    "authors": list(options.get("authors", [])),
                    "photographers": list(options.get("photographers", [])),
                    "kind": options.get("kind", "news"),
                    "body_start": body[:EDGE] or None,
                    "body_end": body[-EDGE:] or None,
                    "metadata": part["byline"] + part["dateline"] + part["note"] + part["caption"],
                }
            )
        return out

    def gold(self) -> dict:
        """This page's record for ``score.py``: page, source, articles, furniture."""
        furniture = [
            t.strip() for t, r in zip(self.lines, self.roles, strict=True) if r == "furniture"
        ]
        return {
            "page": f"{self.source}/{self.page.name}",
            "source": self.source,
            "articles": self.article_records(),
            "furniture": furniture,
        }


def _joined(parts: list[str]) -> str | None:
    return " ".join(parts) if parts else None


def page_lines(path: Path) -> list[str]:
    """The lines a key numbers: the file's lines, or for HTML the visible text with one
    block element (p, div, h1 …, li, td, br) a line, scripts and styles left out
    (:func:`analysis.reading.lineroles.page_lines`, what the line-role model reads)."""
    return _page_lines(path)


def source_name(page: Path) -> str:
    return page.parent.name


def read_key(page: Path) -> PageKey:
    """Parse and check the key of ``page``; raise :class:`KeyError_` naming the problem."""
    key_path = page.with_name(page.name + ".key")
    if not key_path.exists():
        raise KeyError_(f"{page}: no key file {key_path.name}")
    lines = page_lines(page)
    roles: list[str | None] = [None] * len(lines)
    articles: list[int | None] = [None] * len(lines)
    options: dict[int, dict[str, object]] = {}
    for number, raw in enumerate(key_path.read_text(encoding="utf-8").split("\n"), start=1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        where = f"{key_path}:{number}"
        match = _ENTRY.match(entry)
        if not match:
            raise KeyError_(f"{where}: cannot read {raw!r} (LINE[-LINE] ROLE [ARTICLE] [k=v ...])")
        first, last, role, article, rest = match.groups()
        first, last = int(first), int(last or first)
        if role not in ROLES:
            raise KeyError_(f"{where}: unknown role {role!r}; roles: {', '.join(ROLES)}")
        if not 1 <= first <= last <= len(lines):
            raise KeyError_(f"{where}: lines {first}-{last} outside the page's {len(lines)}")
        if (article is None) != (role == "furniture"):
            raise KeyError_(f"{where}: {role} needs an article number, furniture has none")
        for k in range(first - 1, last):
            if not lines[k].strip():
                continue
            if roles[k] is not None:
                raise KeyError_(f"{where}: line {k + 1} already has the role {roles[k]}")
            roles[k], articles[k] = role, None if article is None else int(article)
        _read_options(where, rest, article, options)
    _check_page(page, lines, roles, articles, options)
    return PageKey(page, source_name(page), lines, roles, articles, options)


def _read_options(where: str, rest: str, article: str | None, options: dict) -> None:
    for name, value in _OPTION.findall(rest or ""):
        if article is None:
            raise KeyError_(f"{where}: option {name} on a furniture line")
        into = options.setdefault(int(article), {})
        if name in into:
            raise KeyError_(f"{where}: {name} of article {article} given twice")
        if name in LIST_OPTIONS:
            into[name] = [v.replace("_", " ") for v in value.split(",") if v]
        elif name == "kind" and value in KINDS:
            into[name] = value
        else:
            raise KeyError_(f"{where}: unknown option {name}={value}")


def _check_page(page: Path, lines, roles, articles, options) -> None:
    missing = [
        k + 1 for k, (t, r) in enumerate(zip(lines, roles, strict=True)) if t.strip() and r is None
    ]
    if missing:
        raise KeyError_(f"{page}: lines without a role: {_ranges(missing)}")
    seen: list[int] = []
    for a in articles:
        if a is not None and (not seen or seen[-1] != a):
            if a in seen:
                raise KeyError_(f"{page}: article {a} is split by article {seen[-1]}")
            seen.append(a)
    if seen != list(range(1, len(seen) + 1)):
        raise KeyError_(f"{page}: articles must be numbered 1, 2 … in page order, not {seen}")
    text = "".join(lines)
    for number in seen:
        has = {r for r, a in zip(roles, articles, strict=True) if a == number}
        if not has & {"title", "body", "caption"}:
            raise KeyError_(f"{page}: article {number} has no title, body or caption")
        for name in LIST_OPTIONS:
            for person in options.get(number, {}).get(name, []):
                if person not in text:
                    raise KeyError_(
                        f"{page}: {name} {person!r} of article {number} not in the page"
                    )


def _ranges(numbers: list[int]) -> str:
    out, start = [], None
    for k, n in enumerate(numbers):
        start = n if start is None else start
        if k + 1 == len(numbers) or numbers[k + 1] != n + 1:
            out.append(f"{start}" if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)


def pages(folders: list[Path] | None = None) -> list[Path]:
    """Every page file under ``folders`` (default: all of ``benchmarks/pages``)."""
    roots = folders or [PAGES_DIR]
    found = []
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES and not _is_doc(path):
                found.append(path)
    return found


def _is_doc(path: Path) -> bool:
    """A folder's own description (SOURCE.md, README.md), not a page."""
    return path.name.upper() in ("SOURCE.MD", "README.MD")


def load_keys(folders: list[Path] | None = None, *, strict: bool = True) -> list[PageKey]:
    """The keys of every page under ``folders``; a page whose key is missing or fails its
    check is an error, or with ``strict=False`` left out with a note on stderr."""
    out = []
    for page in pages(folders):
        try:
            out.append(read_key(page))
        except KeyError_ as error:
            if strict:
                raise
            print(f"left out: {error}", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.page_keys", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="print a page's lines, numbered as keys number them")
    show.add_argument("page", type=Path)
    for name, text in (
        ("check", "check keys"),
        ("gold", "print the article-level key as JSON lines"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command == "show":
        for number, line in enumerate(page_lines(args.page), start=1):
            print(f"{number:5d}  {line}")
        return 0
    problems = 0
    found = pages(args.folders or None)
    for page in found:
        try:
            key = read_key(page)
        except (KeyError_, OSError, UnicodeDecodeError) as error:
            print(f"FAIL {error}", file=sys.stderr)
            problems += 1
            continue
        if args.command == "gold":
            print(json.dumps(key.gold(), ensure_ascii=False))
        else:
            n = len(key.article_records())
            print(f"ok   {key.source}/{page.name}: {n} article(s)")
    if args.command == "check":
        sources = {source_name(p) for p in found}
        print(
            f"{len(found)} page(s), {len(sources)} source(s), {problems} failing", file=sys.stderr
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
