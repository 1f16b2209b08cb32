from __future__ import annotations

import codecs
import random
import re
import warnings

import pytest

from analysis.reading.scripts import script_of, to_simplified
from analysis.reading.textio import (
    DecodingWarning,
    InputError,
    NotChineseWarning,
    decode_bytes,
    detect_encoding,
    normalize_line,
    normalize_with_offsets,
    read_text,
)

# Hand-written texts (not from any corpus): a mainland report, a Taiwan report, a short
# Taiwan weather line, Cantonese with HKSCS-only characters (哋 喺 嘢), and the same news in
# Japanese, Korean, English and Russian.
SIMPLIFIED = (
    "本报讯（记者 李明）市总工会今天发布消息，今年全市将新建职工服务驿站二百个，"
    "为快递员、外卖骑手等新就业形态劳动者提供歇脚、饮水、充电等服务。\n"
    "有关负责人表示，工会将继续推动“暖心驿站”向社区和园区延伸。\n"
)
TRADITIONAL = (
    "本報訊　臺北市政府今天宣布，明年起將擴大補助青年租屋，預計有三萬戶家庭受惠。\n"
    "市長在記者會上表示，這項政策希望減輕年輕人的經濟負擔，讓他們能夠安心在城市裡工作與生活。"
    "相關申請辦法將於下個月公布。\n"
)
TRADITIONAL_SHORT = "颱風今晚逐漸接近臺灣東部海面，中央氣象署已發布海上警報，提醒民眾做好防颱準備。"
CANTONESE = "佢哋話今日喺中環見面，之後一齊去食嘢，再去銅鑼灣睇戲。"
# 䶮 (U+4DAE) has a two-byte GB18030 code but none in GBK
GB18030_ONLY = SIMPLIFIED + "南汉开国皇帝名叫刘䶮。\n"
JAPANESE = (
    "東京都は今日、新しい子育て支援策を発表しました。来年四月から保育園の利用料を"
    "さらに引き下げる予定です。知事は記者会見で「子どもを育てやすい街にしたい」と述べました。"
)
KOREAN = (
    "서울시는 오늘 새로운 청년 주거 지원 정책을 발표했습니다. 내년부터 월세 지원 대상이 "
    "확대되며, 약 삼만 가구가 혜택을 받을 것으로 예상됩니다."
)
ENGLISH = "The city trade union opened two hundred rest stops for delivery riders this year.\n"
RUSSIAN = "Профсоюз города открыл в этом году двести пунктов отдыха для курьеров.\n"


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # only spaces change: runs become one space at the run's start, ends go
        ("本报  记者 ", ("本报 记者", [0, 1, 2, 4, 5])),
        ("  工会 服务\t\t职工", ("工会 服务 职工", [2, 3, 4, 5, 6, 7, 9, 10])),
        ("   ", ("", [])),
        ("", ("", [])),
        # a full-width letter and a zero-width space: the character-by-character path
        ("ＡＩ\u200b赋能", ("AI赋能", [0, 1, 3, 4])),
    ],
)
def test_offsets_of_normalised_lines(raw, expected):
    assert normalize_with_offsets(raw) == expected


def _write(tmp_path, data: bytes):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode(), "utf-8"),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gbk"),
        (GB18030_ONLY, GB18030_ONLY.encode("gb18030"), "gb18030"),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16"), "utf-16"),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED * 400, (SIMPLIFIED * 400).encode("gbk"), "gbk"),
        (TRADITIONAL, TRADITIONAL.encode(), "utf-8"),
        (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL_SHORT, TRADITIONAL_SHORT.encode("big5"), "big5"),
        (TRADITIONAL * 400, (TRADITIONAL * 400).encode("big5"), "big5"),
        (CANTONESE, CANTONESE.encode("big5hkscs"), "big5hkscs"),
    ],
    ids=[
        "simplified-utf8",
        "simplified-gbk",
        "gb18030-only-character",
        "simplified-utf16-bom",
        "simplified-utf16le-no-bom",
        "simplified-gbk-80kb",
        "traditional-utf8",
        "traditional-big5",
        "traditional-big5-40-chars",
        "traditional-big5-80kb",
        "hkscs",
    ],
)
def test_chinese_reads_back_exactly_in_each_encoding(tmp_path, text, data, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NotChineseWarning, no DecodingWarning
        decoded = read_text(_write(tmp_path, data))
    assert decoded.text == text
    assert decoded.encoding == expected
    assert 0.5 < decoded.confidence <= 1.0
    assert detect_encoding(data).confidence == decoded.confidence


def test_valid_utf8_and_boms_are_certain():
    assert detect_encoding(SIMPLIFIED.encode()).confidence == 1.0
    assert detect_encoding(codecs.BOM_UTF8 + TRADITIONAL.encode()).confidence == 1.0


@pytest.mark.parametrize(
    ("text", "encoding", "likely"),
    [
        (JAPANESE, "shift_jis", "Shift-JIS (Japanese)"),
        (JAPANESE, "euc_jp", "EUC-JP (Japanese)"),
        (KOREAN, "euc_kr", "EUC-KR (Korean)"),
        (JAPANESE * 300, "shift_jis", "Shift-JIS (Japanese)"),
    ],
)
def test_legacy_text_that_is_not_chinese_is_refused_naming_the_encoding(text, encoding, likely):
    with pytest.raises(InputError) as info:
        decode_bytes(text.encode(encoding), name="page.txt")
    message = str(info.value)
    assert message.startswith(f"page.txt: looks like {likely} text, not Chinese; ")
    assert "convert it to UTF-8" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "looks"),
    [
        (KOREAN, "mostly Hangul (Korean)"),
        (JAPANESE, "Japanese"),
        (ENGLISH, "mostly Latin-alphabet words"),
        (RUSSIAN, "mostly Cyrillic letters"),
    ],
)
def test_utf8_that_is_not_chinese_is_read_with_a_warning(text, looks):
    expected = re.escape(f"page.txt: read as UTF-8, but it is {looks}")
    with pytest.warns(NotChineseWarning, match=f"^{expected}"):
        detection = detect_encoding(text.encode(), name="page.txt")
    assert (detection.text, detection.encoding, detection.confidence) == (text, "utf-8", 1.0)


@pytest.mark.parametrize(("last", "kept"), [("。", 1), ("。", 2), ("𠮷", 1), ("𠮷", 3)])
def test_utf8_cut_off_mid_character_is_read_without_the_broken_tail(tmp_path, last, kept):
    data = SIMPLIFIED.encode() + last.encode()[:kept]
    with pytest.warns(DecodingWarning, match=rf"last character is cut off; .* last {kept} byte"):
        decoded = read_text(_write(tmp_path, data))
    assert (decoded.text, decoded.encoding) == (SIMPLIFIED, "utf-8")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (random.Random(0).randbytes(4096), "looks like a binary file"),
        (random.Random(0).randbytes(4096).replace(b"\x00", b"\x01"), "binary?"),
        (bytes(range(0x80, 0x100)) * 8, "not text in any encoding tried"),
        (SIMPLIFIED[:20].encode() + b"\xff" + SIMPLIFIED[20:].encode(), "byte 58 is not valid"),
    ],
    ids=["random", "random-without-nul", "high-bytes", "utf8-damaged-inside"],
)
def test_binary_and_damaged_input_is_refused(data, problem):
    with pytest.raises(InputError, match=r"^page\.txt: .*save it as UTF-8") as info:
        decode_bytes(data, name="page.txt")
    assert problem in str(info.value)


def _encodable_pairs():
    texts = {
        "simplified": SIMPLIFIED,
        "traditional": TRADITIONAL,
        "traditional-short": TRADITIONAL_SHORT,
        "cantonese": CANTONESE,
        "japanese": JAPANESE,
        "korean": KOREAN,
    }
    encodings = ["gbk", "gb18030", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr"]
    pairs = []
    for label, text in texts.items():
        for encoding in encodings:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            pairs.append(pytest.param(text, data, id=f"{label}-{encoding}"))
    return pairs


@pytest.mark.parametrize(("text", "data"), _encodable_pairs())
def test_a_legacy_file_reads_back_exactly_or_is_refused(text, data):
    """Never mojibake: whatever the pairing, the text comes back unchanged or not at all."""
    try:
        decoded, _ = decode_bytes(data)
    except InputError:
        assert text in (JAPANESE, KOREAN)
        return
    assert decoded == text


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("本報記者", "本报记者"), ("臺灣的經濟發展", "台湾的经济发展"), ("本报记者", "本报记者")],
)
def test_to_simplified(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (SIMPLIFIED, "simplified"),
        (TRADITIONAL, "traditional"),
        (CANTONESE, "traditional"),
        ("中文 ABC 123", "none"),
        ("", "none"),
        ("本报记者報導國際新聞", "mixed"),
    ],
)
def test_script_of(text, script):
    assert script_of(text) == script


def test_gb_text_indented_with_0xa3a0_reads_ideographic_spaces():
    # GB18030's 0xA3A0 is U+E5E5 (private use) to Python and U+3000 to browsers (WHATWG)
    data = b"\xa3\xa0\xa3\xa0" + "全市职工运动会昨天开幕，共有三千名职工参加比赛。".encode("gbk")
    text, encoding = decode_bytes(data * 3)
    assert encoding in ("gbk", "gb18030")
    assert "\ue5e5" not in text and text.startswith("\u3000\u3000全市职工运动会")
