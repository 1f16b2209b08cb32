"""Dictionaries and coding rules: read them into a :class:`Codebook` of named conditions.

Three kinds of file are read (``docs/coding.md`` has the full syntax, with examples):

- **YAML dictionaries** in quanteda's shape (``.yml``, ``.yaml``, ``.json``): nested keys,
  values that are words, phrases or glob patterns (``工资*``). Each leaf key is a code,
  named by its path (``劳动关系.欠薪``); it matches any of its entries.
- **Word lists** (any other suffix, no line starting with ``*``): one entry per line; the
  file is one code named after the file (``欠薪词表.txt`` gives the code ``欠薪词表``).
- **Coding rules** in KH Coder's form: a line ``*code name``, then its condition on the
  lines below, with ``|`` or ``or``, ``&`` or ``and``, ``!`` or ``not``, parentheses,
  ``near(a-b)`` (within 10 words, either order; ``near(a-b)[5]`` within 5), ``seq(a-b)``
  (a directly followed by b), ``<>column-->value`` (a column of the article has this
  value), ``<*other code>`` (another code's condition) and ``'string'`` (the characters
  anywhere in the text, word boundaries or not).

``&``/``and`` bind tighter than ``|``/``or``; ``!``/``not`` tightest. Lines starting with
``#`` are comments. An entry is matched on the corpus's words (see
:mod:`analysis.methods.coding`), so 印度 never matches inside 印度尼西亚.

>>> book = parse_rules("*欠薪\\n欠薪 | 拖欠工资 | (工资* & near(拖欠-农民工))")
>>> book.names
['欠薪']
>>> sorted(book.entries())
['农民工', '工资*', '拖欠', '拖欠工资', '欠薪']
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import RESOURCES_DIR
from analysis.errors import InputError

__all__ = [
    "LABOUR_CODES",
    "All",
    "Any",
    "Codebook",
    "Column",
    "Near",
    "Not",
    "Ref",
    "Seq",
    "Substring",
    "Word",
    "is_glob",
    "merge",
    "parse_rules",
    "read_codebook",
]

#: The example coding rules shipped with the package (labour relations; docs/coding.md).
LABOUR_CODES = RESOURCES_DIR / "labour_codes.txt"
#: words either side for near() when the rule gives no [N] (KH Coder's default)
NEAR_WINDOW = 10


@dataclass(frozen=True)
class Word:
    """A dictionary entry: a word, a phrase (matched on consecutive words) or a glob
    pattern (``*`` any characters, ``?`` one; matched on one word)."""

    text: str


@dataclass(frozen=True)
class Substring:
    """``'string'``: these characters anywhere in the text."""

    text: str


@dataclass(frozen=True)
class Column:
    """``<>column-->value``: the article's ``column`` holds ``value``."""

    name: str
    value: str


@dataclass(frozen=True)
class Ref:
    """``<*code>``: the condition of another code."""

    code: str


@dataclass(frozen=True)
class Near:
    """``near(a-b-…)[window]``: every word within ``window`` words of the first, any order."""

    words: tuple[Word, ...]
    window: int = NEAR_WINDOW


@dataclass(frozen=True)
class Seq:
    """``seq(a-b-…)``: the words directly one after another."""

    words: tuple[Word, ...]


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass(frozen=True)
class Any:
    children: tuple


def is_glob(entry: str) -> bool:
    """Whether an entry is a glob pattern.

    >>> is_glob("工资*"), is_glob("工资")
    (True, False)
    """
    return "*" in entry or "?" in entry


@dataclass
class Codebook:
    """Codes in order, each a condition; ``source`` is the file they came from."""

    codes: dict[str, object] = field(default_factory=dict)
    source: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.codes)

    def entries(self, codes: Iterable[str] | None = None) -> set[str]:
        """Every word, phrase and glob pattern the conditions name (of ``codes`` only,
        when given)."""
        names = self.codes if codes is None else codes
        return {w.text for name in names for w in _words(self.codes[name])}

    def columns(self) -> set[str]:
        """The article columns the conditions test."""
        return {c.name for condition in self.codes.values() for c in _walk(condition, Column)}

    def __len__(self) -> int:
        return len(self.codes)


def _walk(node: object, kind: type) -> Iterator:
    if isinstance(node, kind):
        yield node
    if isinstance(node, All | Any):
        for child in node.children:
            yield from _walk(child, kind)
    elif isinstance(node, Not):
        yield from _walk(node.child, kind)
    elif isinstance(node, Near | Seq):
        for word in node.words:
            yield from _walk(word, kind)


def _words(node: object) -> Iterator[Word]:
    yield from _walk(node, Word)


# -- reading files -----------------------------------------------------------------------


def read_codebook(path: str | Path) -> Codebook:
    """Read a YAML dictionary, a word list or a KH Coder coding-rule file (see above).

    Raises :class:`InputError` naming the file (and the line) when it cannot be read or
    a rule cannot be parsed."""
    from analysis.reading.textio import NotChineseWarning, read_text

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: dictionary or rule file not found; check the path")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotChineseWarning)  # comments are often English
        text = read_text(path).text
    if path.suffix.lower() in (".yml", ".yaml", ".json"):
        book = _from_yaml(text, path)
    elif any(line.lstrip().startswith("*") for line in text.splitlines()):
        book = parse_rules(text, source=str(path))
    else:
        book = _from_word_list(text, path)
    if not book.codes:
        raise InputError(f"{path}: no code in it; see docs/coding.md for the formats")
    return book


def _from_word_list(text: str, path: Path) -> Codebook:
    entries = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    words = tuple(Word(_entry(e, path)) for e in dict.fromkeys(entries))
    return Codebook({path.stem: Any(words)} if words else {}, source=str(path))


def _from_yaml(text: str, path: Path) -> Codebook:
    import yaml

    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise InputError(f"{path}: not valid YAML{line}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: a dictionary must map code names to words or to nested codes "
            "(see docs/coding.md); this file holds a "
            f"{type(data).__name__}"
        )
    codes: dict[str, object] = {}
    _leaves(data, (), codes, path)
    return Codebook(codes, source=str(path))


def _leaves(node: dict, prefix: tuple[str, ...], codes: dict, path: Path) -> None:
    for key, value in node.items():
        name = ".".join((*prefix, str(key)))
        if isinstance(value, dict):
            _leaves(value, (*prefix, str(key)), codes, path)
            continue
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if isinstance(v, dict | list) or v is None]
        if bad:
            raise InputError(
                f"{path}: code {name!r} holds {bad[0]!r}; a code's value is a word or a "
                "list of words, or nested codes (a mapping)"
            )
        words = tuple(Word(_entry(str(v), path)) for v in dict.fromkeys(values))
        if words:
            codes[name] = Any(words)


def _entry(text: str, path: Path | str) -> str:
    entry = " ".join(text.split())
    if not entry.strip("*? "):
        raise InputError(f"{path}: entry {text!r} matches any word; give some characters")
    return entry


# -- coding rules ------------------------------------------------------------------------

# one token of a rule: an operator, a parenthesis, near()/seq(), a column test, a code
# reference, a quoted string, or a word (anything up to a space or an operator)
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<near>(?:near|seq)\((?P<args>[^()]*)\)(?:\[(?P<window>[^\]]*)\])?)
    | (?P<column><>(?P<cname>.+?)-->(?P<cvalue>[^\s()|&!]+))
    | (?P<ref><\*(?P<code>[^>]+)>)
    | '(?P<string>[^']*)'
    | (?P<op>[|&!()])
    | (?P<word>[^\s|&!()']+)
    )""",
    re.VERBOSE,
)


#: Full-width forms of the operators, read as the ASCII ones
_FULL_WIDTH = str.maketrans("（）｜＆！＜＞", "()|&!<>")


class _Parser:
    """Parses one code's condition; ``lines`` are (line number, text) of the file."""

    def __init__(self, lines: list[tuple[int, str]], source: str, code: str) -> None:
        self.source, self.code = source, code
        self.starts: list[tuple[int, int]] = []  # (offset in the joined text, line number)
        offset = 0
        for number, line in lines:
            self.starts.append((offset, number))
            offset += len(line) + 1
        self.position = 0
        text = " ".join(line for _, line in lines).translate(_FULL_WIDTH)
        self.tokens: list[tuple[str, object, int]] = list(self._lex(text))
        self.at = 0

    def fail(self, message: str, position: int | None = None) -> InputError:
        position = self.position if position is None else position
        line = max((n for start, n in self.starts if start <= position), default=0)
        return InputError(
            f"{self.source}, line {line} (code {self.code!r}): {message}; "
            "see docs/coding.md for the rule syntax"
        )

    def _lex(self, text: str) -> Iterator[tuple[str, object, int]]:
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            self.position = pos + len(text[pos:]) - len(text[pos:].lstrip())
            match = _TOKEN.match(text, pos)
            rest = text[self.position :]
            if rest.startswith("'") and "'" not in rest[1:]:
                raise self.fail(f"a ' is not closed in {rest[:20]!r}")
            if match is None or match.end() == pos:
                raise self.fail(f"cannot read the rule from {rest[:20]!r}")
            if match["word"] and match["word"].startswith("<>"):
                raise self.fail(f"{match['word']!r}: a column test is written <>column-->value")
            pos = match.end()
            kind, value = self._token(match)
            yield kind, value, self.position

    def _token(self, match: re.Match) -> tuple[str, object]:
        if match["near"]:
            kind = match["near"][:4].rstrip("(")
            words = tuple(Word(w.strip()) for w in match["args"].split("-"))
            if len(words) < 2 or not all(w.text for w in words):
                raise self.fail(f"{match['near']!r} needs two words or more, as {kind}(a-b)")
            if kind == "seq":
                return "atom", Seq(words)
            window = match["window"] or str(NEAR_WINDOW)
            if not window.isdigit() or int(window) < 1:
                raise self.fail(f"{match['near']!r}: the window must be a number of words")
            return "atom", Near(words, int(window))
        if match["column"]:
            return "atom", Column(match["cname"].strip(), match["cvalue"])
        if match["ref"]:
            return "atom", Ref(match["code"].strip())
        if match["string"] is not None:
            if not match["string"]:
                raise self.fail("an empty '' string matches everything")
            return "atom", Substring(match["string"])
        if match["op"]:
            return match["op"], None
        word = match["word"]
        keyword = {"or": "|", "and": "&", "not": "!"}.get(word.lower())
        if keyword:
            return keyword, None
        return "atom", Word(_entry(word, f"{self.source} (code {self.code!r})"))

    def peek(self) -> str | None:
        if self.at < len(self.tokens):
            self.position = self.tokens[self.at][2]
            return self.tokens[self.at][0]
        return None

    def take(self) -> tuple[str, object]:
        kind, value, self.position = self.tokens[self.at]
        self.at += 1
        return kind, value

    def parse(self) -> object:
        if not self.tokens:
            raise self.fail("the code has no condition")
        node = self.expression()
        if self.peek() is not None:
            kind, value, _ = self.tokens[self.at]
            shown = _show(value) if kind == "atom" else kind
            raise self.fail(f"an operator (| or &) is missing before {shown!r}")
        return node

    def expression(self) -> object:
        children = [self.conjunction()]
        while self.peek() == "|":
            self.take()
            children.append(self.conjunction())
        return children[0] if len(children) == 1 else Any(tuple(children))

    def conjunction(self) -> object:
        children = [self.factor()]
        while self.peek() == "&":
            self.take()
            children.append(self.factor())
        return children[0] if len(children) == 1 else All(tuple(children))

    def factor(self) -> object:
        kind = self.peek()
        if kind is None:
            raise self.fail("the condition ends where a word was expected")
        kind, value = self.take()
        if kind == "!":
            return Not(self.factor())
        if kind == "(":
            node = self.expression()
            if self.peek() == "atom":
                shown = _show(self.tokens[self.at][1])
                raise self.fail(f"an operator (| or &) is missing before {shown!r}")
            if self.peek() != ")":
                raise self.fail("a '(' is not closed")
            self.take()
            return node
        if kind == "atom":
            return value
        raise self.fail(f"{kind!r} where a word was expected")


def _show(node: object) -> str:
    return getattr(node, "text", None) or getattr(node, "code", None) or repr(node)


def parse_rules(text: str, *, source: str = "<rules>") -> Codebook:
    """Parse KH Coder-style coding rules (see the module's docstring)."""
    codes: dict[str, object] = {}
    written: dict[str, list[tuple[int, str]]] = {}  # code → its (line number, line)
    name, lines, first = None, [], 0

    def finish() -> None:
        if name is None:
            return
        if not lines:
            raise InputError(
                f"{source}, line {first} (code {name!r}): the code has no condition; "
                "see docs/coding.md for the rule syntax"
            )
        codes[name] = _Parser(lines, source, name).parse()
        written[name] = lines

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("*"):
            finish()
            name, lines, first = line[1:].strip(), [], number
            if not name:
                raise InputError(f"{source}, line {number}: a code needs a name after '*'")
            if name in codes:
                raise InputError(f"{source}, line {number}: code {name!r} is defined twice")
        elif name is None:
            raise InputError(
                f"{source}, line {number}: a condition before the first '*code name' line"
            )
        else:
            lines.append((number, line))
    finish()
    _check_refs(codes, source, written)
    return Codebook(codes, source=source)


def _check_refs(codes: dict[str, object], source: str, written: dict) -> None:
    def where(name: str, ref: str) -> str:
        number = next((n for n, line in written[name] if f"<*{ref}" in line), None)
        return f"{source}, line {number} (code {name!r})" if number else f"{source} (code {name!r})"

    def visit(name: str, seen: tuple[str, ...]) -> None:
        for ref in _walk(codes[name], Ref):
            if ref.code not in codes:
                raise InputError(
                    f"{where(name, ref.code)}: <*{ref.code}> names no code of the file; "
                    f"codes: {', '.join(codes)}"
                )
            if ref.code in seen:
                chain = " -> ".join((*seen, ref.code))
                raise InputError(
                    f"{where(name, ref.code)}: codes refer to each other in a circle ({chain})"
                )
            visit(ref.code, (*seen, ref.code))

    for name in codes:
        visit(name, (name,))


def merge(books: Iterable[Codebook]) -> Codebook:
    """One codebook from several; a code name given twice is an error."""
    books = list(books)
    merged = Codebook(source=", ".join(b.source for b in books))
    for book in books:
        for name, condition in book.codes.items():
            if name in merged.codes:
                raise InputError(f"{book.source}: code {name!r} is also in an earlier file")
            merged.codes[name] = condition
    return merged
