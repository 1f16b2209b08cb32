"""Loading pages and tabular corpora into the articles table."""

from __future__ import annotations

import shutil

import pytest

from analysis.reading.corpus import ARTICLE_COLUMNS, BadRowWarning, EmptyFileWarning, load_articles
from analysis.reading.page_files import DateWarning
from analysis.reading.textio import InputError
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
    # the first record has no "body": an error naming its line, or a skipped row
    with pytest.raises(InputError, match=r"articles.jsonl:1: no text in column 'body'"):
        load_articles(path, text_column="body")
    with pytest.warns(BadRowWarning, match=r"articles.jsonl:1: no text"):
        df = load_articles(path, text_column="body", bad_rows="skip")
    assert df["text"].tolist() == ["ignored"]
    assert df.attrs["report"]["skipped_rows"] == [f"{path}:1: no text in column 'body'"]


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


# --- markdown, HTML, dates and folder boilerplate ---------------------------------------


def test_markdown_front_matter_becomes_metadata(fixtures_dir):
    (row,) = load_articles(fixtures_dir / "md" / "article.md").itertuples()
    assert (row.kicker, row.title) == ("方便上夜班的职工回家", "夜班公交延长到凌晨一点")
    assert (row.date, row.page, row.page_name, row.paper) == (
        "2024-03-12",
        "5",
        "职工生活",
        "江城工人报",
    )
    assert row.url == "https://paper.example.cn/content/202403/12/content_77.html"
    assert row.authors == ["周明"]
    assert row.dateline == "本报讯"
    # bold lines are section headings; no markdown marker reaches the text
    assert row.sections == ["职工的建议被采纳", "线路还将继续优化"]
    assert not any(mark in row.text for mark in ("#", "**", ">"))
    assert "category: 社会" in row.metadata


def test_markdown_file_with_a_column_of_briefs(fixtures_dir):
    df = load_articles(fixtures_dir / "md" / "briefs.md")
    assert df["title"].tolist() == ["社区食堂开到工业园", "老旧小区加装电梯提速"]
    assert df["column"].tolist() == ["城事速览", "城事速览"]
    assert df["kind"].tolist() == ["brief", "brief"]
    assert df["authors"].tolist() == [["陈晨"], ["赵一凡"]]


def test_markdown_front_matter_states_the_headline_and_writers(tmp_path):
    # an archive's post: the front matter names the headline and the writer; a credit
    # line with an escaped bar, a picture in HTML tags with the outlet's credit
    path = tmp_path / "post.md"
    path.write_text(
        "---\ntitle: 全省医院防护物资储备调查\nauthor: 陈思远\ndate: 2020-01-29\n---\n\n"
        "文 \\| 晚报记者 陈思远 王丽\n\n"
        "<figure>\n<figcaption>医院门诊大厅。晚报制图</figcaption>\n</figure>\n\n"
        "记者采访了二十余家医院，多数表示防护物资\\*仍然紧张\\*。\n\n"
        "一家医院的工作人员说，物资缺口主要在防护服。\n",
        encoding="utf-8",
    )
    (row,) = load_articles(path).itertuples()
    assert row.title == "全省医院防护物资储备调查"
    assert row.authors == ["陈思远"]  # the stated writer; 晚报 is the outlet, no one
    assert not any(mark in row.text for mark in ("<", "\\"))


def test_markdown_with_broken_front_matter_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n# 标题\n\n正文。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.md:\d*: ?the YAML front matter cannot be read"):
        load_articles(path)


@pytest.mark.parametrize("written", ["2020-13-45", "0000-01-01", "昨天下午"])
def test_a_front_matter_date_that_is_no_date_is_kept_as_written(tmp_path, written):
    # 2020-13-45 and 0000-01-01 look like YAML dates and stopped the reader with a
    # ValueError; 昨天下午 was dropped without a word
    path = tmp_path / "20240105-note.md"
    path.write_text(f"---\ntitle: 工地夜校开课\ndate: {written}\n---\n\n正文第一段。\n", "utf-8")
    with pytest.warns(DateWarning, match=rf"20240105-note.md: the front matter's date '{written}'"):
        (row,) = load_articles(path).itertuples()
    assert row.title == "工地夜校开课"
    assert f"date: {written}" in row.metadata
    assert row.date == "2024-01-05"  # from the file's name


def test_html_page_loads_with_its_metadata_and_furniture(fixtures_dir):
    (row,) = load_articles(fixtures_dir / "html" / "epaper_article.html").itertuples()
    assert row.title == "社区食堂飘出“家的味道”"
    assert (row.date, row.paper, row.page, row.page_name) == (
        "2024-02-01",
        "江城工人报",
        "3",
        "工会",
    )
    furniture = [f["text"] for f in row.furniture]
    assert "第03版:工会" in furniture
    assert any("ICP" in f for f in furniture)
    assert not any("ICP" in p for p in row.paragraphs)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("grrb_20240512_p01.txt", "2024-05-12"),
        ("2026-01-05.txt", "2026-01-05"),
        ("p8583.txt", None),
    ],
)
def test_date_from_the_file_name_when_the_page_gives_none(tmp_path, seed_text, name, expected):
    path = tmp_path / name
    path.write_text(seed_text, encoding="utf-8")
    df = load_articles(path)
    assert set(df["date"].tolist()) == {expected}


def test_the_page_header_date_wins_over_the_file_name(tmp_path, fixtures_dir):
    path = tmp_path / "20990101.txt"
    path.write_bytes((fixtures_dir / "pages" / "web_copy.txt").read_bytes())
    assert load_articles(path)["date"].tolist() == ["2024-03-12"]


def test_lines_repeated_across_a_folder_are_furniture(tmp_path):
    page = "{title}\n\n本报记者 王五\n\n{title}的消息传来，职工们十分高兴。\n\n江城新闻网\n"
    titles = ["春耕开始了", "夏粮丰收了", "秋收进行时"]
    for k, title in enumerate(titles):
        (tmp_path / f"p{k}.txt").write_text(page.format(title=title), encoding="utf-8")
    df = load_articles(tmp_path)
    assert df["title"].tolist() == titles
    assert all(
        f == [{"line": 7, "text": "江城新闻网", "rule": "repeats in several files of the folder"}]
        for f in df["furniture"]
    )
    # two files are not enough evidence: the line stays where it was
    (tmp_path / "p2.txt").unlink()
    assert all(f == [] for f in load_articles(tmp_path)["furniture"])


def test_lines_repeated_across_a_folder_of_gbk_pages_are_furniture(tmp_path):
    # the folder's edge lines of files that are not UTF-8 are read with their encoding
    page = "{title}\n\n本报记者 王五\n\n{title}的消息传来，职工们十分高兴。\n\n江城新闻网\n"
    for k, title in enumerate(["春耕开始了", "夏粮丰收了", "秋收进行时"]):
        (tmp_path / f"p{k}.txt").write_bytes(page.format(title=title).encode("gbk"))
    df = load_articles(tmp_path)
    assert [[f["text"] for f in furniture] for furniture in df["furniture"]] == [["江城新闻网"]] * 3


def test_page_files_read_by_workers_give_what_one_process_gives(tmp_path, seed_path, monkeypatch):
    # a seed page in each of three folders, a Traditional page (a warning), an empty file
    # (a warning and the report), a GBK page: the rows, the report and the warnings
    # must not depend on whether worker processes read the files
    from analysis.processes import worker_pool
    from analysis.reading import workers

    traditional = "立法院今三讀通過預算案\n\n〔記者林明／台北報導〕立法院今天三讀通過總預算案。"
    for k in range(3):
        folder = tmp_path / f"d{k}"
        folder.mkdir()
        shutil.copy(seed_path, folder / "seed.txt")
        (folder / "tw.txt").write_text(traditional, encoding="utf-8")
        (folder / "gbk.txt").write_bytes(f"标题{k}\n\n正文第{k}段。".encode("gbk"))
    (tmp_path / "d1" / "empty.txt").write_text("", encoding="utf-8")
    folders = sorted(tmp_path.iterdir())

    pools = []

    def pool(n_jobs, **kwargs):
        pools.append(n_jobs)
        return worker_pool(n_jobs, **kwargs)

    def load(threshold):
        monkeypatch.setattr(workers, "PARALLEL_BYTES", threshold)
        with pytest.warns(Warning) as caught:
            df = load_articles(folders)
        return df, [(w.category, str(w.message)) for w in caught]

    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "BATCH_FILES", 2)  # several batches from these few files
    monkeypatch.setattr(workers, "worker_pool", pool)
    alone, alone_warnings = load(float("inf"))
    assert pools == []
    workers, workers_warnings = load(0)
    assert pools == [2]
    assert len(alone) == 3 * (len(SEED_TITLES) + 2)
    assert workers.astype(str).equals(alone.astype(str))
    assert workers.attrs["report"] == alone.attrs["report"]
    assert workers_warnings == alone_warnings
    assert [c.__name__ for c, _ in alone_warnings].count("TraditionalTextWarning") == 3
    assert [c for c, _ in alone_warnings].count(EmptyFileWarning) == 1


def test_a_bad_file_read_by_a_worker_is_the_same_clear_error(tmp_path, seed_path, monkeypatch):
    from analysis.reading import workers

    for k in range(3):
        shutil.copy(seed_path, tmp_path / f"seed{k}.txt")
    (tmp_path / "seed1b.txt").write_bytes(b"\x00\x01binary\x00" * 100)
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    with pytest.raises(InputError, match=r"seed1b\.txt: contains NUL bytes"):
        load_articles(tmp_path)


def _load_in_a_daemon(folders, results):
    from analysis.reading import workers

    workers.PARALLEL_BYTES = 0  # what would send the files to workers in the main process
    try:
        results.put(len(load_articles(folders)))
    except BaseException as exc:
        results.put(repr(exc))


def test_a_daemon_process_reads_its_files_itself(tmp_path, seed_path):
    # a Dask worker may be a daemon, which cannot start processes of its own
    import multiprocessing

    for k in range(2):
        (tmp_path / f"d{k}").mkdir()
        shutil.copy(seed_path, tmp_path / f"d{k}" / "seed.txt")
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    process = context.Process(
        target=_load_in_a_daemon, args=(sorted(tmp_path.iterdir()), results), daemon=True
    )
    process.start()
    got = results.get(timeout=120)
    process.join(timeout=30)
    assert got == 2 * len(SEED_TITLES)


def test_txt_mode_article_reads_each_file_as_one_article(seed_path):
    df = load_articles(seed_path, txt_mode="article")
    assert len(df) == 1
    assert df.loc[0, "title"] == "解难题补短板,建好服务职工的“桥头堡”"
    assert "给快递小哥多一些理解和包容" in df.loc[0, "sections"]


def test_explain_shows_furniture_with_its_rule(fixtures_dir):
    from analysis.reading.corpus import explain_pages

    table = explain_pages(fixtures_dir / "pages" / "web_copy.txt")
    furniture = table[table["label"] == "furniture"]
    assert "ICP备案:京ICP备12345678号" in furniture["text"].tolist()
    assert furniture["rule"].str.len().min() > 0


def test_json_records_get_the_structure_parsing_of_an_article(fixtures_dir):
    df = load_articles(fixtures_dir / "dumps" / "records.json.txt")
    first, photo = df.itertuples()
    assert (first.kicker, first.title, first.authors) == (
        "一季度职工书屋新增两千家",
        "书香飘进车间班组",
        ["王欣"],
    )
    assert (first.date, first.page, first.page_name) == ("2024-05-06", "3", "要闻")
    assert first.dateline == "本报北京5月5日电"
    assert first.paragraphs[0].startswith("记者从全国总工会获悉")
    # the credit inside a record's text is metadata, and makes the record a photo item
    assert (photo.kind, photo.authors, photo.n_paragraphs) == ("photo", ["陈晨"], 1)


def test_export_whose_records_start_with_fields_before_the_title(fixtures_dir):
    editorial, report = load_articles(fixtures_dir / "dumps" / "fields_first.txt").itertuples()
    assert (editorial.title, editorial.authors, editorial.kind) == (
        "把安全生产责任落到班组",
        [],
        "opinion",
    )
    assert (report.title, report.authors, report.date) == (
        "夏粮收购工作全面展开",
        ["刘洋"],
        "2024-05-06",
    )
    assert not any("日期" in p or "====" in p for p in report.paragraphs + editorial.paragraphs)


def test_markdown_thematic_break_opens_a_sidebar(fixtures_dir):
    feature, sidebar = load_articles(fixtures_dir / "md" / "sidebar.md").itertuples()
    assert (feature.title, feature.authors, feature.sections) == (
        "竹编产业园里的新学徒",
        ["马骏"],
        ["从学徒到能手"],
    )
    assert (sidebar.title, sidebar.column) == ("手艺要有人接", "记者手记")
    assert sidebar.paragraphs[0].startswith("采访中")


def test_a_thematic_break_below_a_source_note_opens_no_second_article(tmp_path):
    # an archived article: front matter with its headline, a note on where it came from,
    # a rule, then the article; the rule ends the file's header, it opens no sidebar
    path = tmp_path / "archived.md"
    path.write_text(
        "---\ntitle: 夜班公交延长到凌晨一点\ndate: 2018-01-31\n---\n\n"
        "原文来自：某城市晚报~~《[夜班公交延长到凌晨一点](https://example.com/a/1.html)》~~"
        "\n\n---\n\n"
        "本市公交集团昨天宣布，十条夜班线路的末班车将延后到凌晨一点。\n\n"
        "公交集团说，新的时刻表从下周一开始执行，沿线站牌这几天更换。\n",
        encoding="utf-8",
    )
    df = load_articles(path)
    assert len(df) == 1
    assert df.loc[0, "title"] == "夜班公交延长到凌晨一点"
    assert df.loc[0, "kind"] == "news"
    assert df.loc[0, "paragraphs"][-1].startswith("公交集团说")


def test_a_column_named_like_the_loaders_own_is_kept_renamed(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(
        "id,source,order,text\n1,新华社,甲,工人讨薪难。\n2,中新网,乙,天气晴朗。\n", encoding="utf-8"
    )
    with pytest.warns(UserWarning, match="column 'source' is kept as 'table_source'"):
        df = load_articles(path)
    assert df["table_source"].tolist() == ["新华社", "中新网"]
    assert df["table_order"].tolist() == ["甲", "乙"]
    assert df["source"].nunique() == 1 and df["order"].tolist() == [1, 2]
