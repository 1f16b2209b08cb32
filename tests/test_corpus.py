"""Loading pages and tabular corpora into the articles table."""

from __future__ import annotations

import shutil

import pytest

from analysis.corpus import ARTICLE_COLUMNS, EmptyFileWarning, load_articles
from analysis.textio import InputError
from tests.conftest import corpus_dir
from tests.test_pages import SEED_TITLES


def test_seed_table_has_one_row_per_article(seed_path):
    df = load_articles(seed_path)
    assert list(df.columns) == ARTICLE_COLUMNS
    assert df["title"].tolist() == SEED_TITLES
    assert df["id"].tolist() == [f"000_45a9ae6123a7d26b-{k:02d}" for k in range(1, 8)]
    assert df["source"].unique().tolist() == ["seeds/000_45a9ae6123a7d26b.txt"]
    assert (df["n_chars"] == df["paragraphs"].map(lambda ps: sum(map(len, ps)))).all()
    assert df.attrs["report"]["encodings"] == {"seeds/000_45a9ae6123a7d26b.txt": "utf-8"}


@pytest.mark.parametrize(
    ("encoding", "bom", "reported"),
    [
        ("gbk", b"", "gbk"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ],
)
def test_encodings_give_the_same_articles(tmp_path, seed_path, seed_text, encoding, bom, reported):
    reference = load_articles(seed_path)
    path = tmp_path / "page.txt"
    path.write_bytes(bom + seed_text.encode(encoding))
    df = load_articles(path)
    assert df.attrs["report"]["encodings"] == {str(path): reported}
    for name in ("title", "kicker", "authors", "sections", "paragraphs", "kind"):
        assert df[name].tolist() == reference[name].tolist()


def test_empty_file_is_skipped_with_warning_and_counted(tmp_path, seed_path):
    shutil.copy(seed_path, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"  \n\n")
    with pytest.warns(EmptyFileWarning, match="b.txt: empty file, skipped"):
        df = load_articles(tmp_path)
    assert len(df) == 7
    assert df.attrs["report"]["files"] == 2
    assert df.attrs["report"]["empty_files"] == [str(tmp_path / "b.txt")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.txt", b"\x00\x01\x02binary", "looks like a binary file"),
        ("x.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
        ("x.jsonl", b'{"text": "ok"}\nnot json\n', "x.jsonl:2: not valid JSON"),
        ("x.csv", "title,summary\n标题,摘要\n".encode(), "no text column found"),
    ],
)
def test_bad_input_raises_input_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        load_articles(path)
    assert str(info.value).startswith(str(path))


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_articles(tmp_path / "nope.txt")


def test_seeds_are_never_written(seed_path):
    before = (seed_path.stat().st_mtime_ns, seed_path.read_bytes())
    load_articles()
    assert (seed_path.stat().st_mtime_ns, seed_path.read_bytes()) == before


# --- tabular corpora ----------------------------------------------------------------


def test_headerless_tsv_is_label_and_text(fixtures_dir):
    df = load_articles(fixtures_dir / "tables" / "headerless.tsv")
    assert df["label"].tolist() == ["体育", "财经"]
    assert df["text"].tolist()[0] == "中国女排三比零战胜对手,晋级世界杯四强。"
    assert df["kind"].unique().tolist() == ["document"]


def test_csv_keeps_metadata_columns(fixtures_dir):
    df = load_articles(fixtures_dir / "tables" / "articles.csv")
    assert df["id"].tolist() == ["n1", "n2"]
    assert df["title"].tolist() == ["工会驿站开放", "技能竞赛开赛"]
    assert df["date"].tolist() == ["2024-05-01", "2024-05-02"]
    assert df["label"].tolist() == ["工会", "劳动"]
    assert df.loc[0, "text"].startswith("长沙市开福区首家24小时工会驿站开放")


def test_jsonl_with_configurable_text_column(fixtures_dir):
    path = fixtures_dir / "tables" / "articles.jsonl"
    assert load_articles(path)["text"].tolist()[1] == "环卫工人凌晨4点半开始清扫路面。"
    assert load_articles(path, text_column="body")["text"].tolist() == ["", "ignored"]


def test_unknown_text_column_says_which_columns_exist(fixtures_dir):
    with pytest.raises(InputError, match=r"has no column '正文'.*--text-column"):
        load_articles(fixtures_dir / "tables" / "articles.csv", text_column="正文")


def test_folder_of_txt_with_one_article_each(fixtures_dir):
    df = load_articles(fixtures_dir / "tables" / "one_per_file", txt_mode="article")
    assert df["title"].tolist() == ["劳模工匠文化公园开放", "残疾人技能培训开班"]
    assert df["n_paragraphs"].tolist() == [2, 1]


def test_thucnews_sample_loads_all_rows():
    df = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    assert len(df) == 1000
    assert df["label"].nunique() == 10
    assert (df["n_chars"] > 0).all()


def test_sogou_csv_loads_all_rows():
    df = load_articles(corpus_dir("sogou_mini_5cat") / "sogou_mini_test.csv")
    assert len(df) == 495
    assert sorted(df["label"].unique()) == ["体育", "健康", "军事", "教育", "汽车"]
