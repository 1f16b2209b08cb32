"""Tone: one signed number per text (> 0 positive, < 0 negative, 0 no evidence), with the
words that drove it.

A tone dictionary maps words to signed weights. Bundled ones (:data:`BUNDLED`):

- ``reviews``: weights learned by a logistic regression on openly licensed labelled review
  sentences (``resources/tone_reviews.tsv``, made by ``python -m benchmarks.tone --train``);
- ``basic``: general sentiment words written for this project, weight +1 or -1
  (``resources/tone_basic.txt``);
- ``default``: ``reviews`` and ``basic`` together (a word in both gets the sum of its weights).

A user's own dictionary is a file (:func:`load_tone_dictionary` documents the formats).

Scoring works on the tokenizer's raw segmentation, so a word never matches inside a longer
word (好 is not found in 好久). Each dictionary word is weighted by the modifiers in the few
tokens before it (:data:`WINDOW`, never across punctuation): a negator (不, 没有, 并非 …)
flips it, a degree word (很 ×1.5, 非常 ×1.8, 稍 ×0.6 …) scales it, and a negator before a
degree word (不太好, 不是很干净) gives a weak flip (×-0.5). A token fused with its modifier
(不好, 稍贵) is split when the whole token is not in the dictionary. The trained weights
were learned with exactly these rules, so the model and a dictionary score the same way.

``tone`` is the mean weight of the text's dictionary hits (so 非常好 > 好 > 0 > 不好);
``score`` is their sum, ``n_hits`` their number. ``positive`` and ``negative`` list the
hits that pushed the tone up or down, in the order they occur, as written (with their
modifiers: 不好, 不是很干净).

>>> table = score_tone(["这家酒店服务很好", "服务不好", "今天是周一"])
>>> [float(t) > 0 for t in table["tone"]], float(table["tone"][2])
([True, False, False], 0.0)
>>> table["negative"][1]
['不好']
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config import RESOURCES_DIR
from analysis.errors import InputError
from analysis.reading.scripts import to_simplified
from analysis.reading.textio import NotChineseWarning, read_text
from analysis.text.tokenize import Tokenizer, TokenizerConfig, default_tokenizer

__all__ = [
    "BUNDLED",
    "DEGREES",
    "NEGATORS",
    "NEWS_DICTIONARY",
    "TONE_COLUMNS",
    "WINDOW",
    "ToneDictionary",
    "load_tone_dictionary",
    "modified_words",
    "parse_tone_dictionary",
    "score_articles",
    "score_tone",
]

#: bundled dictionaries: name -> the resource files whose weights are added up
BUNDLED = {
    "default": ("tone_reviews.tsv", "tone_basic.txt"),
    "reviews": ("tone_reviews.tsv",),
    "basic": ("tone_basic.txt",),
}
#: the dictionary the ``tone`` command and the report use: explicit sentiment words only,
#: since the weights learnt from reviews make everyday news words "drive" a tone
NEWS_DICTIONARY = "basic"
TONE_COLUMNS = ["tone", "score", "n_hits", "positive", "negative", "n_tokens"]
#: how many tokens before a dictionary word are searched for its modifiers
WINDOW = 3


def _words(text: str) -> list[str]:
    return text.split()


#: words that flip the weight of a dictionary word that follows within the window
NEGATORS = frozenset(
    _words(
        "不 没 没有 未 未曾 非 并非 无 毫无 别 不是 并不 并没有 并未 从不 从未 从没 绝不 决不 "
        "不曾 毫不 绝非 不再 勿 莫 甭 难以"
    )
)
#: degree words and the factor by which they scale a dictionary word that follows
DEGREES = {
    **dict.fromkeys(_words("极其 极为 极度 极 最 超级 绝对 万分"), 2.0),
    **dict.fromkeys(_words("非常 特别 十分 太 超 相当 尤其 格外 异常 分外 实在 真是"), 1.8),
    **dict.fromkeys(_words("很 挺 真 蛮 好不 更 更加 越发 越来越 如此 这么 那么"), 1.5),
    **dict.fromkeys(_words("比较 较 较为 还 还算 算是"), 1.2),
    **dict.fromkeys(_words("有点 有点儿 有些 稍 稍微 稍稍 略 略微 略显 稍显 一点 些许"), 0.6),
}
_WEAK_NEGATION = -0.5  # a negator before a degree word: 不太好, 不是很干净
_MODIFIERS = NEGATORS | DEGREES.keys()
_PREFIXES = sorted(_MODIFIERS | {"不太", "不很", "不够", "不大"}, key=len, reverse=True)
_BOUNDARY = re.compile(r"^[\W_]+$")  # punctuation and whitespace end a modifier's reach
_POLARITY = {
    **dict.fromkeys(("positive", "pos", "+", "正", "正面", "积极", "褒义"), 1.0),
    **dict.fromkeys(("negative", "neg", "-", "负", "负面", "消极", "贬义"), -1.0),
}


@dataclass
class ToneDictionary:
    """Words and their signed weights (> 0 positive), with where they came from."""

    name: str
    weights: dict[str, float]
    sources: tuple[str, ...] = ()
    #: add every multi-character word to the tokenizer (a user's file), not only those
    #: that the default tokenizer splits when alone (the bundled dictionaries)
    add_all: bool = False
    _split_cache: dict = field(default_factory=dict, repr=False, compare=False)
    _tokenizer: Tokenizer | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # texts are scored in their Simplified form: a Traditional entry counts there too
        for word, weight in list(self.weights.items()):
            self.weights.setdefault(to_simplified(word), weight)

    def __len__(self) -> int:
        return len(self.weights)

    def tokenizer(self) -> Tokenizer:
        """The default tokenizer with the dictionary's multi-character words added (see
        ``add_all``), so that they are found whole (坑爹 in 太坑爹)."""
        if self._tokenizer is None:
            base = default_tokenizer()
            words = (w for w in self.weights if len(w) > 1)
            extra = tuple(sorted(w for w in words if self.add_all or base.cut(w) != [w]))
            self._tokenizer = Tokenizer(TokenizerConfig(extra_words=extra)) if extra else base
        return self._tokenizer

    def split(self, token: str) -> tuple[tuple[str, ...], str] | None:
        """A token fused with its modifiers (不好, 稍贵) as (modifiers, dictionary word),
        or None when no modifier prefix leaves a dictionary word."""
        if token in self._split_cache:
            return self._split_cache[token]
        found = None
        for prefix in _PREFIXES:
            rest = token[len(prefix) :]
            if rest and token.startswith(prefix):
                if rest in self.weights and rest not in _MODIFIERS:
                    found = (_expand(prefix), rest)
                    break
                deeper = self.split(rest)
                if deeper is not None:
                    found = (_expand(prefix) + deeper[0], deeper[1])
                    break
        self._split_cache[token] = found
        return found


def _expand(prefix: str) -> tuple[str, ...]:
    # the compound prefixes are a negator then a degree word: 不太 = 不 + 太
    return (prefix[0], prefix[1:]) if prefix not in _MODIFIERS else (prefix,)


def _factor(modifiers: Sequence[str]) -> float:
    """The factor of a word preceded by ``modifiers`` (in text order).

    >>> _factor(["很"]), _factor(["不"]), _factor(["很", "不"]), _factor(["不", "太"])
    (1.5, -1.0, -1.5, -0.5)
    """
    negations = sum(m in NEGATORS for m in modifiers)
    degree = math.prod(DEGREES.get(m, 1.0) for m in modifiers)
    if negations % 2 == 0:
        return degree
    first_negator = next(i for i, m in enumerate(modifiers) if m in NEGATORS)
    if any(m in DEGREES for m in modifiers[first_negator + 1 :]):
        return _WEAK_NEGATION
    return -degree


def _before(tokens: Sequence[str], index: int, window: int) -> tuple[list[str], int]:
    """The modifiers among the ``window`` tokens before ``index`` (not across punctuation),
    in text order, and the index where the span that shows them starts."""
    modifiers: list[str] = []
    start = index
    for j in range(index - 1, max(-1, index - 1 - window), -1):
        token = tokens[j]
        if _BOUNDARY.match(token):
            break
        if token in _MODIFIERS:
            modifiers.append(token)
            start = j
    modifiers.reverse()
    return modifiers, start


def modified_words(tokens: Sequence[str], *, window: int = WINDOW) -> list[tuple[str, float, int]]:
    """Every token that is neither a modifier nor punctuation, as (word, factor, start):
    the factor its modifiers give it and the index where the span with them starts.
    What the training script turns into features, so training and scoring agree.

    >>> modified_words(["服务", "不", "是", "很", "好", "。"])
    [('服务', 1.0, 0), ('是', -1.0, 1), ('好', -0.5, 1)]
    """
    out = []
    for index, token in enumerate(tokens):
        if token in _MODIFIERS or _BOUNDARY.match(token):
            continue
        modifiers, start = _before(tokens, index, window)
        out.append((token, _factor(modifiers) if modifiers else 1.0, start))
    return out


def _score_one(tokens: list[str], book: ToneDictionary, window: int) -> tuple:
    weights = book.weights
    total, hits, positive, negative = 0.0, 0, [], []
    for index, token in enumerate(tokens):
        if token in _MODIFIERS:
            continue
        fused: tuple[str, ...] = ()
        if token in weights:
            weight = weights[token]
        else:
            split = book.split(token) if len(token) > 1 else None
            if split is None:
                continue
            fused, core = split
            weight = weights[core]
        modifiers, start = _before(tokens, index, window)
        all_modifiers = [*modifiers, *fused]
        value = weight * (_factor(all_modifiers) if all_modifiers else 1.0)
        if value == 0:
            continue
        total += value
        hits += 1
        shown = "".join(tokens[start : index + 1])
        (positive if value > 0 else negative).append(shown)
    return total, hits, positive, negative


def score_tone(
    texts: Sequence[str] | pd.Series,
    *,
    dictionary: str | Path | ToneDictionary | None = None,
    tokenizer: Tokenizer | None = None,
    window: int = WINDOW,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """The tone of each text: one row per text (same index as ``texts`` when it is a
    Series), columns :data:`TONE_COLUMNS`.

    ``dictionary`` is a bundled name (:data:`BUNDLED`, default ``"default"``), a file
    (see :func:`load_tone_dictionary`) or a loaded :class:`ToneDictionary`. ``tokenizer``
    defaults to the project's tokenizer with the dictionary's words added. A missing text
    (None, NaN) scores like an empty one: tone 0, no hits. ``n_jobs`` worker processes
    (default: the CPUs above ``PARALLEL_MIN_CHARS`` characters, else this process alone);
    ``progress`` a bar on stderr (default: on with workers).

    >>> t = score_tone(["非常好", "好", "不太好", "房间不是很干净"], dictionary="basic")
    >>> t["tone"].tolist(), t["negative"][3]
    ([1.8, 1.0, -0.5, -0.5], ['不是很干净'])
    """
    from analysis.processes import cpu_count, worker_pool
    from analysis.scale.partitions import _progress

    book = dictionary if isinstance(dictionary, ToneDictionary) else None
    book = book or load_tone_dictionary(dictionary)
    tok = tokenizer or book.tokenizer()
    index = texts.index if isinstance(texts, pd.Series) else None
    texts = list(texts)
    if n_jobs is None:
        size = sum(len(t) for t in texts if isinstance(t, str))
        n_jobs = cpu_count() if size > PARALLEL_MIN_CHARS else 1
    chunks = [texts[s : s + CHUNK_TEXTS] for s in range(0, len(texts), CHUNK_TEXTS)]
    rows: list[tuple] = []
    with _progress(len(texts), "tone", n_jobs > 1 if progress is None else progress) as bar:
        if n_jobs <= 1:
            _start_worker(book, tok, window)
            done = map(_score_chunk, chunks)
            for chunk, scored in zip(chunks, done, strict=True):
                rows += scored
                bar.update(len(chunk))
        else:
            with worker_pool(
                n_jobs, initializer=_start_worker, initargs=(book, tok, window)
            ) as pool:
                for chunk, scored in zip(chunks, pool.map(_score_chunk, chunks), strict=True):
                    rows += scored
                    bar.update(len(chunk))
    return pd.DataFrame(rows, columns=TONE_COLUMNS, index=index)


#: Above this many characters, texts are scored in worker processes.
PARALLEL_MIN_CHARS = 2_000_000
CHUNK_TEXTS = 2_000

_state: tuple | None = None


def _start_worker(book: ToneDictionary, tokenizer: Tokenizer, window: int) -> None:
    global _state
    _state = (book, tokenizer, window)


def _score_chunk(texts: list) -> list[tuple]:
    assert _state is not None
    book, tok, window = _state
    rows = []
    for text in texts:
        # jieba's dictionary and ours are Simplified: Traditional text is cut and scored
        # in its Simplified form (危險 is 危险), and its words are shown so
        tokens = tok.cut(to_simplified(text)) if isinstance(text, str) and text else []
        total, hits, positive, negative = _score_one(tokens, book, window)
        tone = total / hits if hits else 0.0
        rows.append((tone, total, hits, positive, negative, len(tokens)))
    return rows


def load_tone_dictionary(spec: str | Path | None = None) -> ToneDictionary:
    """A bundled dictionary by name (:data:`BUNDLED`; None means ``"default"``) or a
    user's file. Raises :class:`InputError` naming the file and the problem when it is
    missing, cannot be read or cannot be parsed.

    File formats (UTF-8 or any encoding the reader detects):

    - ``.yml``/``.yaml``/``.json``: a mapping ``{positive: [words], negative: [words]}``;
      a list may also be a mapping ``{word: weight}`` (weights > 0, signed by the key);
    - any other suffix: one entry a line, ``word<TAB or spaces>polarity``, where the
      polarity is ``positive``/``pos``/``+``/``正面``… or ``negative``/``neg``/``-``/
      ``负面``…, or a signed number; ``#`` starts a comment.

    >>> book = load_tone_dictionary("basic")
    >>> book.weights["满意"], book.weights["失望"]
    (1.0, -1.0)
    """
    if spec is None:
        spec = "default"
    if isinstance(spec, str) and spec in BUNDLED:
        weights: dict[str, float] = {}
        files = BUNDLED[spec]
        for name in files:
            for word, weight in parse_tone_dictionary(RESOURCES_DIR / name).items():
                weights[word] = round(weights.get(word, 0.0) + weight, 6)
        return ToneDictionary(spec, weights, files)
    path = Path(spec)
    if not path.exists():
        names = ", ".join(BUNDLED)
        raise InputError(f"{path}: no such file, and not a bundled tone dictionary ({names})")
    return ToneDictionary(path.name, parse_tone_dictionary(path), (str(path),), add_all=True)


def parse_tone_dictionary(path: str | Path) -> dict[str, float]:
    """Read a tone dictionary file (formats: :func:`load_tone_dictionary`) as
    ``{word: weight}``; raises :class:`InputError` naming the file and the problem."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a tone dictionary file")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotChineseWarning)  # a word list may be short
        text = read_text(path).text
    if path.suffix.lower() in (".yml", ".yaml", ".json"):
        weights = _from_mapping(text, path)
    else:
        weights = _from_lines(text, path)
    if not weights:
        raise InputError(f"{path}: the tone dictionary has no entries")
    return weights


def _from_lines(text: str, path: Path) -> dict[str, float]:
    weights: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise InputError(f"{path}: line {number}: expected 'word<TAB>polarity', got {line!r}")
        word, polarity = parts
        weight = _POLARITY.get(polarity.lower())
        if weight is None:
            try:
                weight = float(polarity)
            except ValueError:
                raise InputError(
                    f"{path}: line {number}: polarity {polarity!r} is not positive, "
                    "negative or a number"
                ) from None
            if not math.isfinite(weight):
                raise InputError(f"{path}: line {number}: weight {polarity!r} is not finite")
        weights[word] = weight
    return weights


def _from_mapping(text: str, path: Path) -> dict[str, float]:
    import yaml

    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        problem = str(exc).splitlines()[0]
        raise InputError(f"{path}: not valid {path.suffix[1:].upper()}: {problem}") from None
    if not isinstance(data, dict) or not set(data) <= {"positive", "negative"}:
        raise InputError(
            f"{path}: a tone dictionary must be a mapping with the keys "
            "'positive' and/or 'negative'"
        )
    weights: dict[str, float] = {}
    for key, sign in (("positive", 1.0), ("negative", -1.0)):
        entries = data.get(key) or []
        if isinstance(entries, dict):
            items = entries.items()
        elif isinstance(entries, list):
            items = ((entry, 1.0) for entry in entries)
        else:
            raise InputError(f"{path}: '{key}' must be a list of words or a word: weight map")
        for word, weight in items:
            valid = isinstance(weight, int | float) and math.isfinite(weight) and weight > 0
            if not isinstance(word, str) or not word.strip() or not valid:
                raise InputError(
                    f"{path}: '{key}': entry {word!r} must be a word (with a weight > 0)"
                )
            weights[word.strip()] = sign * float(weight)
    return weights


def score_articles(
    articles: pd.DataFrame, *, dictionary: str | Path | ToneDictionary | None = NEWS_DICTIONARY
) -> pd.DataFrame:
    """:func:`score_tone` of each article of a table from
    :func:`analysis.reading.corpus.load_articles` (its title, then its body paragraphs):
    columns ``id``, then :data:`TONE_COLUMNS`, one row per article in order."""
    texts = [
        "\n".join([t if isinstance(t, str) else "", *ps])
        for t, ps in zip(articles["title"], articles["paragraphs"], strict=True)
    ]
    scores = score_tone(texts, dictionary=dictionary)
    return pd.concat([pd.DataFrame({"id": articles["id"].to_numpy()}), scores], axis=1)
