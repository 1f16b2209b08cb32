"""Reading raw text files: encoding detection, clear errors, explicit normalisation.

Supported encodings, tried in this order:

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE, UTF-32 LE/BE;
2. strict UTF-8;
3. strict GBK, then GB18030 (a superset of GBK and GB2312).

Anything else (binary data, Latin-1, Big5 mojibake) raises :class:`InputError`
with the file name and what to do about it.

Normalisation (:func:`normalize_line`) is deliberately narrow: full-width ASCII
digits and letters become ASCII (NFKC on those characters only), every kind of
white space (ideographic space, no-break space, tabs) becomes one ASCII space,
zero-width characters are removed, and the line is stripped. Chinese punctuation
(,。“”《》()……) is kept exactly as written.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputError

__all__ = [
    "DecodedText",
    "InputError",
    "decode_bytes",
    "is_cjk",
    "normalize_line",
    "normalize_with_offsets",
    "read_text",
]


@dataclass(frozen=True)
class DecodedText:
    """The text of one file and the encoding it was read with."""

    path: Path
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FIX = "save it as UTF-8 (or GB18030) plain text and try again"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block and extension A).

    >>> is_cjk("工"), is_cjk("a"), is_cjk(",")
    (True, False, False)
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _looks_like_text(text: str) -> bool:
    """Reject decodings that are technically valid but clearly not Chinese text."""
    if not text:
        return True
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        return False
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not non_ascii:
        return True
    # GB18030 decodes many byte soups into rare symbols; real Chinese text is mostly
    # ideographs and CJK punctuation.
    good = sum(1 for c in non_ascii if is_cjk(c) or unicodedata.category(c).startswith("P"))
    return good / len(non_ascii) >= 0.6


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    >>> decode_bytes("工会".encode("gbk"))
    ('工会', 'gbk')
    >>> decode_bytes(codecs.BOM_UTF8 + "工会".encode())
    ('工会', 'utf-8-sig')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start}); {_FIX}"
                ) from None
    if b"\x00" in data:
        raise InputError(f"{name}: contains NUL bytes, so it looks like a binary file; {_FIX}")
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError(
        f"{name}: is neither UTF-8 nor GBK/GB18030 text (undecodable or binary bytes); {_FIX}"
    )


def read_text(path: str | Path) -> DecodedText:
    """Read a file, detecting its encoding; raise :class:`InputError` when it is not text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a text file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    text, encoding = decode_bytes(data, name=str(path))
    return DecodedText(path=path, text=text, encoding=encoding)


_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_SPACE = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def normalize_line(text: str) -> str:
    """Normalise one line as documented in the module docstring.

    >>> normalize_line("\\u3000\\u3000本报记者\\xa0\\xa0赵\\xa0\\xa0兵 ")
    '本报记者 赵 兵'
    >>> normalize_line("２０２４年，ＡＩ“新质生产力”")
    '2024年，AI“新质生产力”'
    """
    text = _ZERO_WIDTH.sub("", text)
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise like :func:`normalize_line` and give, for every output character,
    the index of the input character it came from (for provenance spans).

    >>> normalize_with_offsets("\u3000本报  记者 ")
    ('本报 记者', [1, 2, 3, 5, 6])
    """
    out: list[str] = []
    index: list[int] = []
    space_at: int | None = None
    for i, ch in enumerate(text):
        if _ZERO_WIDTH.match(ch):
            continue
        if _SPACE.match(ch):
            if out and space_at is None:
                space_at = i
            continue
        if space_at is not None:
            out.append(" ")
            index.append(space_at)
            space_at = None
        if _FULLWIDTH_ALNUM.match(ch):
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
        index.append(i)
    return "".join(out), index
