"""Chinese tokenization for keyword work: jieba with a domain dictionary, stopwords and a
part-of-speech filter, plus diagnostics that say why each token was kept or dropped.

Every :class:`Tokenizer` owns its own backend instance (:mod:`analysis.text.backends`: rjieba,
or jieba's ``Tokenizer`` class); jieba's global tokenizer is never touched, so two
differently configured tokenizers can live in one process.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import metadata
from itertools import compress
from pathlib import Path

import pandas as pd

from analysis.config import RESOURCES_DIR
from analysis.reading.textio import InputError, read_text
from analysis.text.backends import fallback_tag

__all__ = [
    "DEFAULT_KEEP_POS",
    "DOMAIN_DICT",
    "STOPWORDS_FILE",
    "Token",
    "Tokenizer",
    "TokenizerConfig",
    "default_tokenizer",
    "is_number_like",
    "load_stopwords",
    "read_dictionary",
    "read_word_list",
]

DOMAIN_DICT = RESOURCES_DIR / "domain_dict.txt"
STOPWORDS_FILE = RESOURCES_DIR / "stopwords_zh.txt"

#: jieba posseg tags kept by default: nouns, person/place/organisation names, other proper
#: nouns, verb-nouns, adjective-nouns, abbreviations and set phrases.
DEFAULT_KEEP_POS = frozenset(
    {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nw", "vn", "an", "j", "l", "i"}
)

_NUMERAL = r"[\d.,%·\-~～一二三四五六七八九十百千万亿两零〇几多余半]"
_UNITS = (
    "年|月|日|号|时|点|点半|分|分钟|秒|个|名|人|人次|次|件|项|家|场|元|万元|亿元|岁|位|天|周|届|条|"
    "种|批|所|座|尊|倍|份|户|票|余|多|万|亿|平方米|公里|米|小时|层|期|轮|组|处|座|辆|台|吨|斤|部|款|"
    "个月|余人|多人|余家|余场|余人次|大|月份|年度|年代"
)
_NUMBER = re.compile(rf"^第?{_NUMERAL}+(?:{_UNITS})?$")
_DATE_TIME = re.compile(
    rf"^{_NUMERAL}+(?:年|月|日|时|点)(?:{_NUMERAL}+(?:月|日|时|分|点|点半|号)?)*$"
)
# Lower-case Latin words on a Chinese page are layout or OCR noise ("and", "of"); upper-case
# letters or digits make an acronym or a code (RFID, SiO2, p53), which is kept.
_LATIN_NOISE = re.compile(r"^[a-z][a-z.\-']*$")
_CODE = re.compile(r"^(?=.*[A-Z0-9])[A-Za-z][A-Za-z0-9.\-+]*$|^[A-Za-z0-9]+[A-Za-z][A-Za-z0-9]*$")
# units that jieba cuts off their numbers (35kV → 35/kV)
_UNIT_WORDS = frozenset(
    {
        "kV",
        "kW",
        "kWh",
        "MW",
        "GW",
        "km",
        "cm",
        "mm",
        "kg",
        "mg",
        "ml",
        "mL",
        "Hz",
        "kHz",
        "MHz",
        "GHz",
        "KB",
        "MB",
        "GB",
        "TB",
        "Pa",
        "kPa",
        "MPa",
    }
)
_MEASURE = re.compile(r"^[\d.]+(?:k|m|c|M|G)?(?:V|W|Hz|g|m|m2|m3|L|l|B|b|s|A|℃|%)$")
_PUNCT = re.compile(r"^[\W_]+$")
# an HMM-found word that starts with one of these is a phrase fragment (各支, 该项), not a term
_FUNCTION_CHARS = frozenset("各每该本此其这那某诸把被将对在从向为与和及")
# a word right after a number that starts with a unit or time word belongs to the number
_UNIT_START = frozenset("点时分秒年月日号个名人次件项家场元岁位天周届条种批所座尊倍份户票余多万亿")


def _resplit(run: list[str]) -> list[str]:
    """Re-split a run of non-Chinese tokens by one rule, whatever the backend cut."""
    return _NON_CJK.findall("".join(run))


def _after_number(previous: str, word: str) -> bool:
    return bool(word) and word[0] in _UNIT_START and previous[-1:].isdigit()


# A word's verdict, one byte, so that the verdicts of a text's words form a byte string
# that C code (bytes.translate, re, itertools.compress) can scan:
_DROP = 0
_KEEP = 1
_KEEP_UNIT = 2  # kept, but starts with a unit or time word: dropped right after a number
# Runs of Latin letters and digits are re-split together with their neighbours. A run
# token that stands alone is dropped, or kept as it is, or (rarely) split differently.
_RUN_DROP = 3
_RUN_DROP_DIGIT = 4  # ... and ends with a digit, so a unit word after it belongs to it
_RUN_KEEP = 5
_RUN_KEEP_DIGIT = 6
_RUN_OTHER = 7
# kept words as 1, the rest as 0: for itertools.compress
_KEPT = bytes.maketrans(bytes(range(8)), bytes([0, 1, 1, 0, 0, 1, 1, 0]))
# where the verdict of a word depends on its neighbours: runs of two or more run tokens,
# run tokens that split differently, and a unit word after a number
_IN_CONTEXT = re.compile(rb"[\x03-\x07]{2,}|\x07|[\x04\x06](?=\x02)")
# tokens that may join a run of Latin letters and digits (2009 . 12 → 2009.12)
_JOINABLE = re.compile(r"[A-Za-z0-9.\-_+/:@#%&']")
_HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# one rule for runs of non-Chinese text, whatever the backend cut them into
_NON_CJK = re.compile(r"[A-Za-z0-9]+(?:[.\-_+/:@#%&'][A-Za-z0-9]+)*|\s+|\S")
_URL = re.compile(
    r"^(?:https?|www)|^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|cn|net|org|gov|edu)\b"
)

# A user frequency replaces jieba's own (jieba #222), so a dictionary word without an
# explicit frequency gets this many times the frequency that just beats its own split,
# and at least FREQ_FLOOR. An explicit frequency in the file is used as written.
FREQ_FACTOR = 10
FREQ_FLOOR = 1000
# bounds on what is remembered: numbers, URLs and HMM-found words vary a lot
MAX_REMEMBERED_RUNS = 200_000
MAX_REMEMBERED_WORDS = 2_000_000


class _Verdicts(dict):
    """word -> verdict byte. A word seen for the first time is judged on lookup
    (``__missing__``), so looking up every word of a text can run in C."""

    def __init__(self, judge) -> None:
        super().__init__()
        self._judge = judge

    def __missing__(self, word: str) -> int:
        if len(self) >= MAX_REMEMBERED_WORDS:
            self.clear()
        verdict = self[word] = self._judge(word)
        return verdict


def is_number_like(word: str) -> bool:
    """True for numbers, dates, times and counted quantities.

    >>> words = ["28", "5月18日", "10点半", "600多件", "第六届", "两江", "一线"]
    >>> [w for w in words if is_number_like(w)]
    ['28', '5月18日', '10点半', '600多件', '第六届']
    """
    return bool(_NUMBER.match(word) or _DATE_TIME.match(word))


def read_dictionary(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Read a jieba-style user dictionary: ``word [freq] [tag]`` per line, ``#`` comments.

    >>> read_dictionary(DOMAIN_DICT)[:2]
    [('全国总工会', None, 'nt'), ('中华全国总工会', None, 'nt')]
    """
    path = Path(path)
    entries = []
    for number, line in enumerate(read_text(path).text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        for extra in parts[1:3]:
            if extra.isdigit():
                freq = int(extra)
            elif re.fullmatch(r"[a-z]+", extra):
                tag = extra
            else:
                raise InputError(
                    f"{path}:{number}: expected 'word [frequency] [tag]', got {line!r}; "
                    "fix that line"
                )
        entries.append((word, freq, tag))
    return entries


def read_word_list(path: str | Path, *, what: str = "word list") -> tuple[str, ...]:
    """The words of a user's list: one a line (in any encoding the readers detect), blank
    lines and lines starting with ``#`` skipped, each word once, in order. A missing or
    unreadable file is an :class:`~analysis.errors.InputError` naming it."""
    from analysis.errors import InputError
    from analysis.reading.textio import read_text

    if not Path(path).is_file():
        raise InputError(f"{path}: {what} not found; check the path")
    words = (line.strip() for line in read_text(path).text.splitlines())
    return tuple(dict.fromkeys(w for w in words if w and not w.startswith("#")))


def load_stopwords(path: str | Path = STOPWORDS_FILE, *, base: bool = True) -> frozenset[str]:
    """The stopword set: the stopwords-iso zh base list changed by ``path`` (see its header).

    >>> words = load_stopwords()
    >>> "的" in words, "本报记者" in words, "关于具体地说" in words, "工会" in words
    (True, True, False, False)
    """
    words: set[str] = set()
    if base:
        import stopwordsiso

        words |= set(stopwordsiso.stopwords("zh"))
    for line in read_text(path).text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-") and len(line) > 1:
            words.discard(line[1:])
        else:
            words.add(line)
    return frozenset(words)


@dataclass(frozen=True)
class TokenizerConfig:
    """Everything that decides what a :class:`Tokenizer` produces.

    ``user_dicts`` are extra dictionary files (same format as the domain dictionary);
    ``extra_words`` are words to add directly; ``keep_single`` lists one-character words
    that survive the length rule. ``backend`` is ``"jieba"``, ``"rjieba"`` or ``"auto"``
    (rjieba when installed; see :mod:`analysis.text.backends`).
    """

    domain_dict: bool = True
    user_dicts: tuple[Path, ...] = ()
    extra_words: tuple[str, ...] = ()
    stopwords: bool = True
    extra_stopwords: tuple[str, ...] = ()
    keep_pos: frozenset[str] = DEFAULT_KEEP_POS
    min_len: int = 2
    keep_single: frozenset[str] = frozenset()
    hmm: bool = True
    backend: str = "auto"


@dataclass
class Token:
    """One token with its tag, where it came from, and whether the filter kept it."""

    word: str
    pos: str
    source: str
    kept: bool
    rule: str = ""
    start: int = field(default=0, repr=False)


class Tokenizer:
    """A configured tokenizer: backend, dictionary, stopwords and POS filter.

    >>> tok = Tokenizer()
    >>> tok.tokens("两江新区总工会为快递小哥建设工会驿站")
    ['两江新区', '总工会', '快递小哥', '工会驿站']
    """

    def __init__(self, config: TokenizerConfig | None = None, **options) -> None:
        if config is not None and options:
            raise TypeError("pass either a TokenizerConfig or keyword options, not both")
        config = config or TokenizerConfig(**options)
        if config.backend == "auto":
            from analysis.text.backends import default_backend

            config = replace(config, backend=default_backend())
        self.config = config
        self._verdicts = _Verdicts(self._verdict)
        self._runs: dict[str, list[str]] = {}  # filtered pieces of a Latin/digit run

    def __getstate__(self) -> dict:
        # the backend (a Rust or jieba object) is rebuilt from the configuration
        return {"config": self.config}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["config"])

    # -- lazily built state -----------------------------------------------------------

    @cached_property
    def backend(self):
        from analysis.text.backends import make

        backend = make(self.config.backend)
        self.domain_words_ = set()
        self.user_words_ = set()
        if self.config.domain_dict:
            self.domain_words_ = self._add_entries(backend, read_dictionary(DOMAIN_DICT))
        for path in self.config.user_dicts:
            self.user_words_ |= self._add_entries(backend, read_dictionary(path))
        extra = [(w, None, None) for w in self.config.extra_words]
        self.user_words_ |= self._add_entries(backend, extra)
        return backend

    @staticmethod
    def _add_entries(backend, entries: Iterable) -> set[str]:
        words = set()
        for word, freq, tag in entries:
            if freq is None:
                freq = max(backend.suggest_freq(word) * FREQ_FACTOR, FREQ_FLOOR)
            backend.add_word(word, freq, tag)
            words.add(word)
        return words

    @cached_property
    def stopwords_(self) -> frozenset[str]:
        if not self.config.stopwords:
            return frozenset(self.config.extra_stopwords)
        return load_stopwords() | frozenset(self.config.extra_stopwords)

    @cached_property
    def dictionary_words(self) -> frozenset[str]:
        """Words from the domain and user dictionaries (they pass the POS filter)."""
        self.backend  # noqa: B018 - builds the dictionaries
        return frozenset(self.domain_words_ | self.user_words_)

    # -- segmentation -----------------------------------------------------------------

    def cut(self, text: str) -> list[str]:
        """Plain segmentation, no filtering (what segmentation benchmarks score)."""
        return self.backend.cut(text, self.config.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Segmentation with tags (dictionary tag, else m/eng/x). Runs of non-Chinese
        tokens are re-split by one rule, so every backend gives the same Latin tokens."""
        backend = self.backend
        out: list[tuple[str, str]] = []
        run: list[str] = []
        for word in backend.cut(text, self.config.hmm):
            if _HAS_CJK.search(word):
                if run:
                    out += [(w, fallback_tag(w)) for w in _resplit(run)]
                    run = []
                out.append((word, backend.tag_of(word)))
            else:
                run.append(word)
        if run:
            out += [(w, fallback_tag(w)) for w in _resplit(run)]
        return out

    def analyze(self, text: str) -> list[Token]:
        """Every token with its tag, its source and the rule that kept or dropped it."""
        out = []
        position = 0
        previous = ""
        for word, pos in self.tag(text):
            start = text.find(word, position)
            position = start + len(word) if start >= 0 else position
            kept, rule = self._judge(word, pos)
            if _after_number(previous, word):
                kept, rule = False, "number (unit after a number)"
            previous = word
            out.append(Token(word, pos, self._source(word), kept, rule, max(start, 0)))
        return out

    def tokens(self, text: str) -> list[str]:
        """The filtered tokens of ``text``: what keywords and themes are computed from.

        Same result as filtering :meth:`analyze` (a test checks it), on a fast path that
        runs in C for most words. Each word's verdict is computed once and remembered
        (:class:`_Verdicts`); one ``map`` turns the words of a text into a byte string of
        verdicts, and ``compress`` picks the kept words. Python looks only at the places
        where a verdict depends on the neighbours: Latin/digit runs of several tokens,
        which are re-split together, and unit words after a number (10/点半, 200/多件).
        """
        words = self.backend.cut(text, self.config.hmm)
        verdicts = bytes(map(self._verdicts.__getitem__, words))
        kept_flags = verdicts.translate(_KEPT)
        at = 0  # the next word not yet filtered
        kept: list[str] = []
        for place in _IN_CONTEXT.finditer(verdicts):
            start, end = place.span()
            kept += compress(words[at:start], kept_flags[at:start])
            if verdicts[start] in (_RUN_DROP_DIGIT, _RUN_KEEP_DIGIT) and end == start + 1:
                kept += compress(words[start:end], kept_flags[start:end])
                at = end + 1  # the unit word after the number
                continue
            kept += self._filter_run(words[start:end])
            at = end
            if at < len(words) and _after_number(words[end - 1], words[at]):
                at += 1
        if at == 0:  # no word depended on its neighbours
            return list(compress(words, kept_flags))
        kept += compress(words[at:], kept_flags[at:])
        return kept

    def _verdict(self, word: str) -> int:
        """The verdict byte of a word seen for the first time (see _KEEP etc.)."""
        if _JOINABLE.search(word) and not _HAS_CJK.search(word):
            alone = self._filter_run([word])
            digit = word[-1:].isdigit()
            if not alone:
                return _RUN_DROP_DIGIT if digit else _RUN_DROP
            if alone == [word]:
                return _RUN_KEEP_DIGIT if digit else _RUN_KEEP
            return _RUN_OTHER
        if not self._judge(word, self.backend.tag_of(word))[0]:
            return _DROP
        return _KEEP_UNIT if word[:1] in _UNIT_START else _KEEP

    def _filter_run(self, run: list[str]) -> list[str]:
        joined = "".join(run)
        kept = self._runs.get(joined)
        if kept is None:
            if len(self._runs) > MAX_REMEMBERED_RUNS:
                self._runs.clear()
            words = _resplit(run)
            kept = self._runs[joined] = [w for w in words if self._judge(w, fallback_tag(w))[0]]
        return kept

    __call__ = tokens

    def explain(self, text: str) -> pd.DataFrame:
        """A table of :meth:`analyze`: token, pos, source, kept, rule."""
        rows = [
            {"token": t.word, "pos": t.pos, "source": t.source, "kept": t.kept, "rule": t.rule}
            for t in self.analyze(text)
        ]
        return pd.DataFrame(rows, columns=["token", "pos", "source", "kept", "rule"])

    def _source(self, word: str) -> str:
        backend = self.backend
        if word in self.domain_words_:
            return "domain"
        if word in self.user_words_:
            return "user"
        if not _HAS_CJK.search(word):
            return "other"
        if backend.has_word(word):
            return "jieba"
        return "hmm" if len(word) > 1 else "char"

    def _judge(self, word: str, pos: str) -> tuple[bool, str]:
        word_s = word.strip()
        if not word_s or _PUNCT.match(word_s):
            return False, "punctuation"
        if word_s in self.dictionary_words:
            return True, "dictionary word"
        # the measure, unit, URL, Latin and code rules all need an ASCII character or a
        # digit first; most words are Chinese and skip them
        latin = word_s[0].isascii() or word_s[0].isdigit()
        if (
            is_number_like(word_s)
            or (latin and (_MEASURE.match(word_s) or word_s in _UNIT_WORDS))
            or pos in ("m", "mq")
        ):
            return False, "number"
        if word_s in self.stopwords_:
            return False, "stopword"
        if latin and _URL.match(word_s):
            return False, "url"
        if latin and _LATIN_NOISE.match(word_s):
            return False, "latin"
        if latin and _CODE.match(word_s) and len(word_s) >= self.config.min_len:
            return True, "acronym or code"
        if len(word_s) < self.config.min_len and word_s not in self.config.keep_single:
            return False, "length"
        if pos == "x" and _HAS_CJK.search(word_s) and not self.backend.has_word(word_s):
            if len(word_s) > 4 or word_s[0] in _FUNCTION_CHARS:
                return False, "new word (HMM) unlikely to be a term"
            return True, "new word (HMM): name or term"
        if pos not in self.config.keep_pos:
            return False, f"pos {pos}"
        return True, f"pos {pos}"

    # -- identity -----------------------------------------------------------------------

    def fingerprint(self) -> str:
        """A hash of everything that decides the output: dictionaries, stopwords, options,
        backend and library versions. Caches and run manifests key on it."""
        h = hashlib.sha256()
        paths = [DOMAIN_DICT] if self.config.domain_dict else []
        # the filter's own code too, so a changed rule never serves stale cached tokens
        code = [Path(__file__), Path(__file__).with_name("backends.py")]
        for path in [*paths, *self.config.user_dicts, STOPWORDS_FILE, *code]:
            h.update(Path(path).read_bytes())
        h.update(_canonical_config(self.config).encode())
        # the backend's version from its package metadata: no need to build the dictionary
        h.update(f"{self.config.backend}={metadata.version(self.config.backend)}".encode())
        for package in ("jieba", "stopwordsiso"):
            h.update(f"{package}={metadata.version(package)}".encode())
        return h.hexdigest()[:16]


def _canonical_config(config: TokenizerConfig) -> str:
    """The config as text that does not depend on set order (string hashing is salted)."""
    items = {}
    for key, value in sorted(vars(config).items()):
        if isinstance(value, frozenset | set):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        items[key] = value
    return json.dumps(items, ensure_ascii=False, sort_keys=True)


@cache
def default_tokenizer() -> Tokenizer:
    """The shared tokenizer with the default configuration (built once per process)."""
    return Tokenizer()
