"""The font resolver and the glyph-coverage check."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from analysis.output.fonts import (
    FontCoverageError,
    FontNotFoundError,
    check_coverage,
    chinese_font,
)

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def test_resolves_a_simplified_chinese_font_from_the_project_dependencies():
    font = chinese_font()
    assert font.path.is_file()
    assert "SC" in font.family or "Hei" in font.family
    check_coverage("县级工会新就业形态劳动者直骨", font)


def test_coverage_check_fails_on_a_font_without_cjk():
    with pytest.raises(FontCoverageError, match=r"DejaVuSans.ttf has no glyph for 4 char") as info:
        check_coverage("县级工会 ABC 123", DEJAVU)
    assert set(str(info.value).rsplit(": ", 1)[1]) == set("县级工会")


def test_a_latin_only_font_given_by_the_user_is_refused():
    chinese_font.cache_clear()
    try:
        with pytest.raises(FontCoverageError, match="no Simplified-Chinese face"):
            chinese_font(DEJAVU)
    finally:
        chinese_font.cache_clear()


def test_a_missing_font_path_is_named(tmp_path):
    with pytest.raises(FontNotFoundError, match=r"nope\.otf: font file not found"):
        chinese_font(tmp_path / "nope.otf")


def test_environment_variable_is_honoured(monkeypatch):
    bundled = chinese_font().path
    chinese_font.cache_clear()
    monkeypatch.setenv("ANALYSIS_FONT", str(bundled))
    try:
        assert chinese_font().origin == "given"
    finally:
        chinese_font.cache_clear()
