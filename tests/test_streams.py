"""Large UTF-8 tables decoded as they are read: the same articles, report and warnings as
when the whole file is decoded at once, whatever the blocks cut (a character, a line, a
quoted cell); other files go the usual way."""

from __future__ import annotations

import codecs
import warnings

import pytest

import analysis.reading.streams as streams
from analysis import load_articles
from analysis.reading.corpus import EmptyFileWarning
from analysis.reading.streams import stream_utf8
from analysis.reading.textio import DecodingWarning, NotChineseWarning

ROWS = [
    ("n1", "工会驿站开放", "长沙市开福区首家24小时工会驿站开放，户外劳动者随时可进站休息。"),
    ("n2", "技能竞赛", '平江县总工会组织开展技能竞赛。\r\n参赛职工9000余人次，"状元"出炉。'),
    ("n3", "快递小哥", "给快递小哥多一些理解和包容。\n他们风雨无阻。\n\n社区也在行动。"),
]


def _csv(rows=ROWS, *, newline="\r\n") -> str:
    lines = ["id,title,text"]
    for key, title, text in rows:
        lines.append(f'{key},{title},"{text.replace(chr(34), chr(34) * 2)}"')
    return newline.join(lines) + newline


def _both(monkeypatch, path, **options):
    """The articles and warnings of ``path`` read whole, then decoded as read in blocks
    of 5 bytes (so blocks cut characters, lines and quoted cells)."""
    results = []
    for threshold in (float("inf"), 0):
        monkeypatch.setattr(streams, "STREAM_BYTES", threshold)
        monkeypatch.setattr(streams, "_BLOCK", 5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            df = load_articles(path, **options)
        results.append((df, sorted((w.category.__name__, str(w.message)) for w in caught)))
    return results


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_a_table_decoded_as_read_is_the_table_decoded_whole(monkeypatch, tmp_path, newline, bom):
    path = tmp_path / "t.csv"
    path.write_bytes(bom + _csv(ROWS * 7, newline=newline).encode("utf-8"))
    assert stream_utf8(path) is None  # small files are read whole
    monkeypatch.setattr(streams, "STREAM_BYTES", 0)
    streamed = stream_utf8(path)
    assert streamed.encoding == ("utf-8-sig" if bom else "utf-8")
    (whole, whole_warnings), (read, read_warnings) = _both(monkeypatch, path)
    assert read.equals(whole) and read.attrs == whole.attrs
    assert read_warnings == whole_warnings
    assert read.loc[1, "paragraphs"] == [
        "平江县总工会组织开展技能竞赛。",
        '参赛职工9000余人次，"状元"出炉。',
    ]
    assert set(read["encoding"]) == {streamed.encoding}


def test_the_sample_of_a_streamed_text_is_read_texts(monkeypatch, tmp_path):
    from analysis.reading.textio import _sample_text

    text = _csv(ROWS * 3000)  # more than the 64 K characters sampled
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    monkeypatch.setattr(streams, "STREAM_BYTES", 0)
    monkeypatch.setattr(streams, "_BLOCK", 4096)
    streamed = stream_utf8(path)
    assert "".join(streamed.chunks()) == text
    assert "\n".join("".join(p) for p in streamed._pieces) == _sample_text(text)
    assert streamed.checks() == []


def test_english_gbk_cut_and_empty_tables_warn_as_when_read_whole(monkeypatch, tmp_path):
    english = tmp_path / "en.csv"
    rows = [
        (f"e{i}", "Union news", "Workers in the city met the union today. " * 3) for i in range(40)
    ]
    english.write_text(_csv(rows), encoding="utf-8")
    (whole, expected), (read, found) = _both(monkeypatch, english)
    assert found == expected and read.equals(whole)
    assert any(c == NotChineseWarning.__name__ for c, _ in found)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(_csv().encode("gbk"))
    monkeypatch.setattr(streams, "STREAM_BYTES", 0)
    assert stream_utf8(gbk) is None  # not UTF-8: detected as usual
    (whole, _), (read, _) = _both(monkeypatch, gbk)
    assert read.equals(whole) and not set(read["encoding"]) & {"utf-8", "utf-8-sig"}
    cut = tmp_path / "cut.csv"
    cut.write_bytes(_csv().encode("utf-8") + "工".encode()[:2])
    assert stream_utf8(cut) is None  # a cut-off last character: read_text says so
    (_, expected), (_, found) = _both(monkeypatch, cut)
    assert found == expected and any(c == DecodingWarning.__name__ for c, _ in found)
    blank = tmp_path / "blank.csv"
    blank.write_text(" \n\n  \n", encoding="utf-8")
    (_, expected), (read, found) = _both(monkeypatch, blank)
    assert found == expected and len(read) == 0
    assert any(c == EmptyFileWarning.__name__ for c, _ in found)
