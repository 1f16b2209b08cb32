"""Large tables, long cells and folders that cannot be read (issue #22): a table is read
a piece at a time with a progress bar, a cell of any length is read, a link that leads
nowhere is skipped, and a folder or file that may not be read stops the load with an
:class:`InputError` that names it."""

from __future__ import annotations

import csv
import errno
import io
import random
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.reading import corpus, tables
from analysis.reading.corpus import BrokenLinkWarning, RepeatedColumnWarning, load_articles
from analysis.reading.textio import (
    _FULLWIDTH_ALNUM,
    _SPACE,
    _SURROGATE,
    _ZERO_WIDTH,
    normalize_line,
    read_bytes,
    read_text,
)
from tests.test_cli import run

SENTENCES = [
    "市总工会今天启动“职工技能提升月”活动。",
    "一线职工可以免费参加焊接、电工和数控培训。",
    "据介绍，今年已有三千多名农民工取得职业资格证书。",
    "社区“职工之家”新添了阅览室和哺乳室。",
    "快递小哥在暖心驿站里喝上了热水。",
    "厂里的劳模创新工作室攻克了十二项技术难题。",
    "帮扶资金将优先用于困难职工家庭的子女教育。",
    "工会干部深入工地，为高温作业的工人送去清凉。",
]
CATEGORIES = ["时政", "社会", "经济", "教育"]


def article(rng: random.Random, chars: int) -> str:
    """Chinese text of about ``chars`` characters, made of whole sentences."""
    text = ""
    while len(text) < chars:
        text += rng.choice(SENTENCES)
    return text


def write_table(path: Path, rows: int, *, seed: int = 0, newline: str = "\n") -> list[dict]:
    """A CSV of ``rows`` articles (id, date, title, text, category), some texts quoted
    with a line break or a comma inside; returns the rows written."""
    rng = random.Random(seed)
    written = []
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(["id", "date", "title", "text", "category"])
        for k in range(rows):
            text = article(rng, rng.randint(20, 120))
            if k % 7 == 3:
                text = text.replace("。", "。" + newline, 1)  # quoted, over two lines
            row = {
                "id": f"n{k:05d}",
                "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "title": rng.choice(SENTENCES)[:10],
                "text": text,
                "category": rng.choice(CATEGORIES),
            }
            writer.writerow(row.values())
            written.append(row)
    return written


class Terminal(io.StringIO):
    """stderr as on a terminal, where tqdm draws its bars."""

    def isatty(self) -> bool:
        return True


# --- large tables ----------------------------------------------------------------------


def test_a_large_table_is_read_row_for_row(tmp_path):
    path = tmp_path / "big.csv"
    written = write_table(path, 3000)
    df = load_articles(path)
    assert df["id"].tolist() == [r["id"] for r in written]
    assert df["date"].tolist() == [r["date"] for r in written]
    assert df["label"].tolist() == [r["category"] for r in written]
    assert df["title"].tolist() == [r["title"] for r in written]
    # a line break inside a cell is a paragraph break
    paragraphs = [[normalize_line(line) for line in r["text"].splitlines()] for r in written]
    assert df["text"].tolist() == ["\n".join(p) for p in paragraphs]
    assert df["paragraphs"].tolist() == paragraphs
    assert df["n_chars"].tolist() == [sum(map(len, p)) for p in paragraphs]
    assert df.attrs["report"]["articles"] == 3000


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_pieces_of_any_size_give_the_same_table(tmp_path, monkeypatch, newline):
    # the table is handed to the csv module a piece at a time, cut after a line break:
    # pieces of a few characters cut inside quoted cells and between \r and \n
    path = tmp_path / "big.csv"
    write_table(path, 300, newline=newline)
    whole = load_articles(path)
    assert len(whole) == 300
    monkeypatch.setattr(tables, "_CHUNK_CHARS", 5)
    monkeypatch.setattr(corpus, "_TEXT_BATCH", 7)
    pd.testing.assert_frame_equal(load_articles(path), whole, check_exact=True)


def test_pieces_of_any_size_give_the_same_jsonl_table(tmp_path, monkeypatch):
    rng = random.Random(1)
    lines = [
        f'{{"id": "j{k}", "title": "标题{k}", "content": "{article(rng, 60)}"}}' for k in range(200)
    ]
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = load_articles(path)
    assert whole["id"].tolist() == [f"j{k}" for k in range(200)]
    monkeypatch.setattr(tables, "_CHUNK_CHARS", 3)
    pd.testing.assert_frame_equal(load_articles(path), whole, check_exact=True)


def test_a_bad_row_of_a_large_table_names_its_line(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    write_table(path, 200)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(150, "n99999,2024-01-01,多出一列,正文,时政,多余")
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(tables, "_CHUNK_CHARS", 64)
    with pytest.raises(InputError, match=r"big\.csv:151: 6 field\(s\) where the header has 5"):
        load_articles(path)
    with pytest.warns(corpus.BadRowWarning, match=r"big\.csv:151: "):
        df = load_articles(path, bad_rows="skip")
    assert len(df) == 200


def test_reading_a_large_table_shows_progress_on_a_terminal(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    write_table(path, 500)
    monkeypatch.setattr(tables, "PROGRESS_CHARS", 1000)
    monkeypatch.setattr(sys, "stderr", Terminal())
    load_articles(path)
    shown = sys.stderr.getvalue()
    assert "reading big.csv" in shown
    assert "100%" in shown


@pytest.mark.parametrize("chars", [1000, 10**9], ids=["not-a-terminal", "small-table"])
def test_no_progress_bar_off_a_terminal_or_for_a_small_table(tmp_path, monkeypatch, chars):
    path = tmp_path / "big.csv"
    write_table(path, 500)
    monkeypatch.setattr(tables, "PROGRESS_CHARS", chars)
    stderr = io.StringIO() if chars == 1000 else Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    load_articles(path)
    assert stderr.getvalue() == ""


def test_the_texts_keep_no_second_copy_of_themselves(tmp_path):
    # handing the texts to pyarrow as strings would leave a UTF-8 copy cached in each,
    # and a table row's text is the string its paragraphs column holds
    path = tmp_path / "big.csv"
    write_table(path, 100)
    df = load_articles(path)
    for paragraphs in df["paragraphs"]:
        text = paragraphs[0]
        assert sys.getsizeof(text) == sys.getsizeof(text.encode().decode())


def slow_normalize_line(text: str) -> str:
    """normalize_line as its three substitutions, without the shortcut."""
    text = _SURROGATE.sub("\ufffd", _ZERO_WIDTH.sub("", text))
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


def test_normalize_line_takes_its_shortcut_only_for_lines_it_would_not_change():
    for code in range(0x10000):
        c = chr(code)
        for text in (c, f"工{c}会", f" {c}", f"{c} ", f"工 {c}", f"{c} 会"):
            assert normalize_line(text) == slow_normalize_line(text), hex(code)
    rng = random.Random(0)
    alphabet = list("  \t\n\u3000\xa0\u200b１Ａ工会,。ab")
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert normalize_line(text) == slow_normalize_line(text), repr(text)


def test_a_lone_surrogate_in_a_json_table_becomes_a_replacement_character(tmp_path):
    """A JSON escape "\\ud800" decodes to a lone surrogate, which no UTF-8 file or Arrow
    column can hold: the row is read with U+FFFD in its place, never a crash."""
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a", "text": "工会\\ud800帮助职工讨薪。"}\n', encoding="utf-8")
    df = load_articles(path)
    assert df.loc[0, "paragraphs"] == ["工会\ufffd帮助职工讨薪。"]
    result = run("articles", str(path), "--json")
    assert result.returncode == 0 and "\ufffd" in result.stdout


# --- long cells ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_a_cell_of_300000_characters_is_read(tmp_path, suffix):
    long_text = article(random.Random(2), 300_000)[:300_000]
    assert len(long_text) == 300_000 > csv.field_size_limit()
    sep = "\t" if suffix == ".tsv" else ","
    path = tmp_path / f"long{suffix}"
    path.write_text(
        f"id{sep}text\n1{sep}{long_text}\n2{sep}短的一篇：职工书屋开放。\n", encoding="utf-8"
    )
    limit = csv.field_size_limit()
    df = load_articles(path)
    assert df["text"].tolist() == [long_text, "短的一篇：职工书屋开放。"]
    assert df["n_chars"].tolist() == [300_000, 12]
    assert csv.field_size_limit() == limit  # raised only while the table was read


def test_a_quote_never_closed_is_reported_where_it_starts(tmp_path):
    # with no limit on a cell, the rest of the file ends up in the cell the quote opens
    path = tmp_path / "bad.csv"
    rows = [f"{SENTENCES[k]},时政" for k in range(5)]
    rows[1] = '"' + rows[1]
    path.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    limit = csv.field_size_limit()
    with pytest.raises(InputError, match=r"bad\.csv:6: 1 field\(s\) .* runs from line 3: a quote"):
        load_articles(path)
    assert csv.field_size_limit() == limit  # also after an error


def test_a_repeated_column_name_warns_and_the_last_column_is_read(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("text,text,label\n第一列的正文。,第二列的正文。,社会\n", encoding="utf-8")
    with pytest.warns(RepeatedColumnWarning, match=r"twice\.csv: .*'text' more than once"):
        df = load_articles(path)
    assert df["text"].tolist() == ["第二列的正文。"]


# --- links that lead nowhere, folders and files that may not be read --------------------


@pytest.fixture
def folder_with_links(tmp_path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "\n".join(["职工书屋开进工地", "", *SENTENCES[:3]]) + "\n", encoding="utf-8"
    )
    (folder / "loop.txt").symlink_to("loop.txt")  # a link to itself
    (folder / "ping.txt").symlink_to("pong.txt")  # two links to each other
    (folder / "pong.txt").symlink_to("ping.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (folder / "fine.txt").symlink_to(folder / "good.txt")  # a link that works is read
    return folder


def test_links_that_lead_nowhere_are_skipped_and_the_rest_is_read(folder_with_links):
    with pytest.warns(BrokenLinkWarning) as records:
        df = load_articles(folder_with_links, txt_mode="article")
    warned = sorted(Path(str(r.message).split(":")[0]).name for r in records)
    assert warned == ["gone.txt", "loop.txt", "ping.txt", "pong.txt"]
    assert all("leads nowhere" in str(r.message) for r in records)
    assert df["source"].map(lambda s: Path(s).name).tolist() == ["fine.txt", "good.txt"]
    assert df["text"].str.contains("职工技能提升月").all()


def test_the_command_line_reads_a_folder_with_a_link_loop(folder_with_links):
    done = run("articles", "--txt-mode", "article", str(folder_with_links))
    assert done.returncode == 0, done.stderr
    assert "loop.txt: a symbolic link that leads nowhere" in done.stderr
    assert "this is a bug" not in done.stderr
    assert "fine-01" in done.stdout and "good-01" in done.stdout


def test_a_link_loop_given_by_name_is_an_input_error(folder_with_links):
    loop = folder_with_links / "loop.txt"
    named = rf"^{re.escape(str(loop))}: a symbolic link that leads nowhere.*fix the link"
    with pytest.raises(InputError, match=named):
        load_articles(loop)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "may not be read .*chmod u\\+rx"),
        (OSError(errno.EIO, "Input/output error"), "cannot be read \\(Input/output error\\)"),
    ],
    ids=["permission", "disk-error"],
)
def test_a_folder_that_cannot_be_read_is_an_input_error(tmp_path, monkeypatch, error, message):
    # tests run as root, where chmod 000 does not stop a read: the refusal is simulated
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.txt").write_text(SENTENCES[0], encoding="utf-8")

    def refuse(self):
        raise error

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(InputError, match=rf"^{re.escape(str(folder))}: folder {message}"):
        load_articles(folder)
    done = run("articles", str(folder))
    assert done.returncode == 2
    assert re.match(rf"error: {re.escape(str(folder))}: folder {message}", done.stderr)
    assert "this is a bug" not in done.stderr


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "may not be read .*chmod u\\+r"),
        (OSError(errno.EIO, "Input/output error"), "cannot be read \\(Input/output error\\)"),
    ],
    ids=["permission", "disk-error"],
)
@pytest.mark.parametrize("name", ["page.txt", "table.csv", "page.html"])
def test_a_file_that_cannot_be_read_is_an_input_error(tmp_path, monkeypatch, error, message, name):
    path = tmp_path / name
    path.write_text("text\n" + SENTENCES[0], encoding="utf-8")

    def refuse(self):
        raise error

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: {message}"):
        load_articles(path)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: {message}"):
        read_text(path)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: {message}"):
        read_bytes(path)
