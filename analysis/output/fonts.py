"""Find a Simplified-Chinese font, register it with matplotlib, and check glyph coverage.

matplotlib's default DejaVu Sans has no CJK glyphs (boxes and "Glyph … missing from
font(s)" warnings), and wordcloud draws boxes without any warning. Every chart and word
cloud of this package gets its font from :func:`chinese_font`, which looks, in order, at:

1. the path given as ``path=`` or in the ``ANALYSIS_FONT`` environment variable;
2. the Noto Sans CJK SC font shipped inside the ``mplfonts`` package, a dependency of
   this project, read from the package folder (``mplfonts init`` is never run: it
   rewrites matplotlib's own data folder);
3. known system font files of Simplified-Chinese faces.

A ``.ttc`` collection is inspected face by face and never used blindly: Debian's Noto
CJK collection has the Japanese face first, which draws 直 and 骨 in Japanese forms.
Because matplotlib and wordcloud both open face 0 of a collection, a ``.ttc`` is used
only when its first face is Simplified Chinese; otherwise the next candidate is tried.

An HTML page that must show Chinese on a machine without CJK fonts embeds the font cut
down to the characters of the page (:func:`font_face_css`): the topic view, the
comparison page and the rendered notebooks.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

__all__ = [
    "EMBEDDED_FAMILY",
    "FontCoverageError",
    "FontNotFoundError",
    "ResolvedFont",
    "check_coverage",
    "chinese_font",
    "font_face_css",
    "use_chinese_font",
]

ENV_VAR = "ANALYSIS_FONT"
#: Characters every Simplified-Chinese font must have; 直 and 骨 differ from Japanese forms.
PROBE = "中文工会职工劳动者直骨"

SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


class FontNotFoundError(RuntimeError):
    """No usable Simplified-Chinese font was found."""


class FontCoverageError(ValueError):
    """The font lacks glyphs for characters that are about to be drawn."""


@dataclass(frozen=True)
class ResolvedFont:
    """A font file (and face index within a collection) with its family name."""

    path: Path
    family: str
    face: int = 0
    origin: str = ""


def _faces(path: Path) -> list[tuple[str, frozenset[int]]]:
    """(family name, covered code points) of every face in a font file; files closed."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        with TTCollection(str(path), lazy=True) as collection:
            return [_face_info(font) for font in collection.fonts]
    with TTFont(str(path), lazy=True) as font:
        return [_face_info(font)]


def _face_info(font) -> tuple[str, frozenset[int]]:
    return font["name"].getDebugName(1) or "", frozenset((font.getBestCmap() or {}).keys())


@cache
def _font_faces(path: Path) -> list[tuple[str, frozenset[int]]]:
    return _faces(path)


def _sc_face(path: Path) -> int | None:
    """Index of a Simplified-Chinese face in a font file, or None."""
    for index, (name, cmap) in enumerate(_font_faces(path)):
        covers = all(ord(c) in cmap for c in PROBE)
        is_other_locale = any(tag in name for tag in (" JP", " KR", " TC", " HK", "Mono"))
        if covers and not is_other_locale:
            return index
    return None


def _family(path: Path, face: int) -> str:
    return _font_faces(path)[face][0] or path.stem


def _mplfonts_font() -> Path | None:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() else None


@cache
def chinese_font(path: str | Path | None = None) -> ResolvedFont:
    """Resolve the Simplified-Chinese font to use (see the module docstring)."""
    candidates: list[tuple[Path, str]] = []
    given = path or os.environ.get(ENV_VAR)
    if given:
        given_path = Path(given)
        if not given_path.is_file():
            raise FontNotFoundError(
                f"{given_path}: font file not found (from {'path=' if path else ENV_VAR}); "
                "give the path of a .otf/.ttf/.ttc Simplified-Chinese font"
            )
        candidates.append((given_path, "given"))
    if bundled := _mplfonts_font():
        candidates.append((bundled, "mplfonts package"))
    candidates += [(Path(p), "system") for p in SYSTEM_FONTS if Path(p).is_file()]
    for candidate, origin in candidates:
        face = _sc_face(candidate)
        # matplotlib and wordcloud (PIL) both open face 0 of a collection, so a .ttc is
        # usable only when its Simplified-Chinese face comes first
        if face == 0:
            return ResolvedFont(candidate, _family(candidate, face), face, origin)
        if origin == "given":
            raise FontCoverageError(
                f"{candidate}: has no Simplified-Chinese face covering {PROBE}; "
                "give a Simplified-Chinese font (Noto Sans CJK SC, Source Han Sans SC …)"
            )
    raise FontNotFoundError(
        "no Simplified-Chinese font found: reinstall the project (it depends on mplfonts) "
        f"or set {ENV_VAR} to a font file"
    )


def check_coverage(text: str, font: ResolvedFont | str | Path | None = None) -> None:
    """Raise :class:`FontCoverageError` naming every character of ``text`` that the font
    cannot draw (white space and control characters aside)."""
    if font is None:
        font = chinese_font()
    elif not isinstance(font, ResolvedFont):
        font = ResolvedFont(Path(font), Path(font).stem)
    cmap = _font_faces(font.path)[font.face][1]
    missing = sorted(
        {c for c in text if not c.isspace() and c.isprintable() and ord(c) not in cmap}
    )
    if missing:
        raise FontCoverageError(
            f"{font.path.name} has no glyph for {len(missing)} character(s): {''.join(missing)}"
        )


def use_chinese_font(path: str | Path | None = None) -> ResolvedFont:
    """Register the Chinese font with matplotlib and make it the default sans-serif.

    ``font.sans-serif`` lists it first with DejaVu Sans as the fallback for Latin text;
    ``axes.unicode_minus`` is off because CJK fonts lack U+2212 MINUS SIGN.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    font = chinese_font(path)
    font_manager.fontManager.addfont(str(font.path))
    # the family name as matplotlib reads it from the file, which may differ from fontTools'
    family = font_manager.FontProperties(fname=str(font.path)).get_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return font


#: The CSS family name of a font embedded in a page by :func:`font_face_css`.
EMBEDDED_FAMILY = "AnalysisChinese"


@lru_cache(maxsize=4)
def _font_subset(path: str, face: int, text: str) -> bytes:
    """The font at ``path`` cut down to the characters of ``text``: no hinting, no
    vertical metrics, no layout features (Chinese set horizontally needs none; without
    them the subset is half the size and made in 60% of the time), the original
    timestamps (so the same text gives the same bytes)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = None  # WOFF2 would need brotli; a plain OpenType file loads as well
    options.hinting = False
    options.layout_features = []
    options.desubroutinize = True
    options.recalc_timestamp = False
    options.font_number = face
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]
    font = subset.load_font(path, options, dontLoadGlyphNames=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    return buffer.getvalue()


def _unicode_range(characters: str) -> str:
    """A CSS ``unicode-range`` value covering exactly ``characters``, runs merged."""
    points = sorted({ord(c) for c in characters})
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def font_face_css(text: str, *, latin: bool = True, family: str = EMBEDDED_FAMILY) -> str:
    """An ``@font-face`` rule that embeds the Chinese font (:func:`chinese_font`) cut
    down to the characters of ``text``, as a base64 data URI; the same text gives the
    same bytes.

    ``latin=True`` adds printable ASCII, for a page whose every character the font draws.
    ``latin=False`` embeds only the characters beyond ASCII and declares them as the
    rule's ``unicode-range``: the family can then head any font list (a notebook's code
    font, say) and Latin text keeps the fonts it had, line heights included.

    >>> rule = font_face_css("工会", latin=False)
    >>> rule.startswith('@font-face{font-family:"AnalysisChinese"') and "U+4F1A" in rule
    True
    """
    if latin:
        chosen = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    else:
        chosen = {c for c in text if ord(c) > 0x7E and c.isprintable() and not c.isspace()}
    characters = "".join(sorted(chosen))
    font = chinese_font()
    data = _font_subset(str(font.path), font.face, characters)
    kind, form = ("otf", "opentype") if data[:4] == b"OTTO" else ("ttf", "truetype")
    encoded = base64.b64encode(data).decode("ascii")
    scope = "" if latin else f"unicode-range:{_unicode_range(characters)};"
    return (
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:400;'
        f"font-display:block;{scope}"
        f'src:url(data:font/{kind};base64,{encoded}) format("{form}");}}'
    )
