from __future__ import annotations

import codecs

import pytest

from analysis.textio import InputError, decode_bytes, normalize_line, normalize_with_offsets


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gbk", b"", "gbk"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ],
)
def test_decode_detects_encoding(seed_text, encoding, prefix, expected):
    text, detected = decode_bytes(prefix + seed_text.encode(encoding))
    assert detected == expected
    assert text == seed_text


def test_gb18030_only_characters_are_read():
    # 𠀀 (U+20000) exists in GB18030 but not in GBK
    text = "工会𠀀驿站"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("café crème brûlée".encode("latin-1"), "neither UTF-8 nor GBK"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "not valid utf-8-sig"),
    ],
)
def test_undecodable_input_names_file_and_fix(data, problem):
    with pytest.raises(InputError) as info:
        decode_bytes(data, name="page.txt")
    message = str(info.value)
    assert message.startswith("page.txt: ")
    assert problem in message
    assert "save it as UTF-8" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u3000\u3000本报记者\xa0\xa0赵\xa0\xa0兵  ", "本报记者 赵 兵"),
        ("ＡＩ赋能２０２４年", "AI赋能2024年"),
        # Chinese punctuation is kept as written, full-width or not
        ("“您服务西洽会，工会服务您”（记者）", "“您服务西洽会，工会服务您”（记者）"),
        ("a\u200bb\tc", "ab c"),
    ],
)
def test_normalize_line(raw, expected):
    assert normalize_line(raw) == expected


def test_offsets_point_back_to_source_characters(seed_text):
    for line in seed_text.splitlines():
        norm, offsets = normalize_with_offsets(line)
        assert norm == normalize_line(line)
        assert len(offsets) == len(norm)
        for ch, k in zip(norm, offsets, strict=True):
            assert ch == " " or ch == normalize_line(line[k])
