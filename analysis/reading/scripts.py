"""Simplified and Traditional Chinese: OpenCC's conversions, and which script a text is
written in."""

from __future__ import annotations

from analysis.reading.textio import _HAN, _opencc

__all__ = ["script_of", "to_simplified", "to_traditional"]


def to_simplified(text: str) -> str:
    """Traditional Chinese to Simplified with OpenCC's phrase-aware ``t2s`` table.

    >>> to_simplified("本報記者報導：臺灣的經濟")
    '本报记者报导：台湾的经济'
    """
    return _opencc("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Simplified Chinese to Traditional with OpenCC's ``s2t`` table.

    >>> to_traditional("欠薪问题")
    '欠薪問題'
    """
    return _opencc("s2t").convert(text)


#: character → (OpenCC's t2s writes it differently, its s2t writes it differently), filled
#: as characters are met: each is converted on its own, as script_of always did
_CHAR_SCRIPTS: dict[str, tuple[bool, bool]] = {}


def _char_scripts(chars: list[str]) -> dict[str, tuple[bool, bool]]:
    if new := [c for c in chars if c not in _CHAR_SCRIPTS]:
        joined = "\n".join(new)
        simplified = _opencc("t2s").convert(joined).split("\n")
        traditional = _opencc("s2t").convert(joined).split("\n")
        for c, s, t in zip(new, simplified, traditional, strict=True):
            _CHAR_SCRIPTS[c] = (c != s, c != t)
    return _CHAR_SCRIPTS


def script_of(text: str) -> str:
    """Which script ``text`` is in: "simplified", "traditional", "mixed" or "none", from
    its distinct characters that OpenCC writes differently in the other script.

    >>> script_of("本报记者"), script_of("本報記者"), script_of("中文 ABC")
    ('simplified', 'traditional', 'none')
    >>> script_of("本报記者，國際新闻")
    'mixed'
    """
    chars = [c for c in set(text) if _HAN.match(c)]
    if not chars:
        return "none"
    scripts = _char_scripts(chars)
    traditional_only = sum(scripts[c][0] for c in chars)
    simplified_only = sum(scripts[c][1] for c in chars)
    if not traditional_only + simplified_only:
        return "none"
    share = traditional_only / (traditional_only + simplified_only)
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"
