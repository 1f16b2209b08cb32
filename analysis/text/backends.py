"""Segmentation backends: jieba (the reference) and rjieba (a Rust port, much faster).

Both backends load the same dictionary (jieba's ``dict.txt``, plus the words added by
:class:`analysis.text.tokenize.Tokenizer`), cut with the same DAG + HMM algorithm, and tag
each word by the same lookup: the word's tag in the dictionary, otherwise ``m`` for
digits, ``eng`` for other Latin letters and ``x`` for the rest (jieba-rs' rule). This
"cut, then look up" tagging is what rjieba's ``tag`` does; it differs from
``jieba.posseg``, which runs its own HMM and segments slightly differently (六强 vs 六/强).
The agreement of the two backends is tested on the seed and on THUCNews
(``tests/test_backends.py``), and the fast one is the default only when importable.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

import jieba

__all__ = ["BACKENDS", "Backend", "JiebaBackend", "RjiebaBackend", "default_backend", "make"]

logging.getLogger("jieba").setLevel(logging.WARNING)


class Backend(Protocol):
    """What the tokenizer needs from a segmenter."""

    name: str
    version: str

    def add_word(self, word: str, freq: int, tag: str | None) -> None: ...
    def suggest_freq(self, word: str) -> int: ...
    def has_word(self, word: str) -> bool: ...
    def cut(self, text: str, hmm: bool = True) -> list[str]: ...
    def tag_of(self, word: str) -> str: ...


@cache
def _dictionary_tags() -> dict[str, str]:
    """Word → tag for jieba's main dictionary (read from the installed jieba)."""
    path = Path(jieba.__file__).parent / "dict.txt"
    tags = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def fallback_tag(word: str) -> str:
    """Tag of a word the dictionary does not know (jieba-rs' rule).

    >>> fallback_tag("2024"), fallback_tag("RFID"), fallback_tag("封俊")
    ('m', 'eng', 'x')
    """
    alnum = [c for c in word if c.isascii() and c.isalnum()]
    if not alnum:
        return "x"
    return "m" if all(c.isdigit() for c in alnum) else "eng"


class _TagTable:
    def __init__(self) -> None:
        self._base = _dictionary_tags()
        self._added: dict[str, str] = {}

    def add(self, word: str, tag: str | None) -> None:
        self._added[word] = tag or "x"

    def tag_of(self, word: str) -> str:
        return self._added.get(word) or self._base.get(word) or fallback_tag(word)


class JiebaBackend:
    """jieba's own ``Tokenizer`` instance (never the global one)."""

    name = "jieba"

    def __init__(self) -> None:
        self.version = metadata.version("jieba")
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        self._tags = _TagTable()

    def add_word(self, word: str, freq: int, tag: str | None) -> None:
        self._tok.add_word(word, freq, tag)
        self._tags.add(word, tag)

    def suggest_freq(self, word: str) -> int:
        return self._tok.suggest_freq(word, tune=False)

    def has_word(self, word: str) -> bool:
        return bool(self._tok.FREQ.get(word))

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        return self._tok.lcut(text, HMM=hmm)

    def tag_of(self, word: str) -> str:
        return self._tags.tag_of(word)


class RjiebaBackend:
    """rjieba (Rust jieba-rs): the same dictionary and algorithm, 20-30 times faster."""

    name = "rjieba"

    def __init__(self) -> None:
        import rjieba

        self.version = metadata.version("rjieba")
        self._tok = rjieba.Jieba()
        self._tags = _TagTable()

    def add_word(self, word: str, freq: int, tag: str | None) -> None:
        self._tok.add_word(word, freq, tag or "x")
        self._tags.add(word, tag)

    def suggest_freq(self, word: str) -> int:
        return int(self._tok.suggest_freq(word))

    def has_word(self, word: str) -> bool:
        return bool(self._tok.has_word(word))

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        return self._tok.cut(text, hmm)

    def tag_of(self, word: str) -> str:
        return self._tags.tag_of(word)


BACKENDS = {"jieba": JiebaBackend, "rjieba": RjiebaBackend}


def default_backend() -> str:
    """``rjieba`` when it can be imported, else ``jieba``."""
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


def make(name: str) -> Backend:
    """A new backend instance by name."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; choose from {', '.join(BACKENDS)}") from None
