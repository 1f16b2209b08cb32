"""The corpus explorer: search, filters and linked views (analysis.methods.search), and
the widgets over them (analysis.output.explore). Counts are checked against plain
Python over the same text, not against the code under test."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import load_articles
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.codebook import parse_rules
from analysis.methods.search import CorpusSearch, Filters, Query
from analysis.representations.analysed import AnalysedCorpus


@pytest.fixture(scope="module")
def seed():
    return AnalysedCorpus(load_articles())


@pytest.fixture(scope="module")
def search(seed):
    return CorpusSearch(seed)


def _pieces(articles: pd.DataFrame) -> list[list[str]]:
    return [[t or "", *ps] for t, ps in zip(articles["title"], articles["paragraphs"], strict=True)]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """Every seed paragraph an article of its own, dated one week apart from 2024-01-01,
    labelled by the seed article it came from (A … G)."""
    articles = load_articles()
    rows = []
    for k, (title, paragraphs) in enumerate(
        zip(articles["title"], articles["paragraphs"], strict=True)
    ):
        for j, paragraph in enumerate(paragraphs):
            rows.append((f"{k}-{j}", title, paragraph, "ABCDEFG"[k]))
    table = pd.DataFrame(rows, columns=["id", "title", "text", "category"])
    table.insert(1, "date", pd.date_range("2024-01-01", periods=len(table), freq="7D"))
    path = tmp_path_factory.mktemp("dated") / "dated.csv"
    table.to_csv(path, index=False)
    return CorpusSearch(load_articles(path))


def test_word_hits_are_the_occurrences_in_titles_and_paragraphs(seed, search):
    pieces = _pieces(seed.articles)
    for term in ["工会", "快递小哥", "职工"]:
        expected = [sum(p.count(term) for p in ps) for ps in pieces]
        result = search.search(Query(term))
        assert result.n_hits == sum(expected)
        assert result.n_articles == sum(n > 0 for n in expected)
        listed = result.articles(size=None).set_index("id")["hits"]
        assert listed.to_dict() == {i: n for i, n in zip(seed.ids, expected, strict=True) if n}
    # 快递小哥 6 times on the page (grep -o): once in a headline, five times in the body
    assert search.search("快递小哥").n_hits == 6


def test_several_words_each_counted_and_a_regex(seed, search):
    result = search.search(Query("快递小哥, 工会驿站"))
    assert result.hits.labels == ["快递小哥", "工会驿站"]
    text = "\n".join(p for ps in _pieces(seed.articles) for p in ps)
    assert result.n_hits == text.count("快递小哥") + text.count("工会驿站")
    pattern = r"[县市]总工会"
    regex = search.search(Query(pattern, "regex"))
    assert regex.n_hits == len(re.findall(pattern, text))
    assert set(regex.kwic()["match"]) <= {"县总工会", "市总工会"}


def test_a_bad_regex_and_an_unknown_code_are_errors_that_say_so(search):
    with pytest.raises(OptionError, match="not a regular expression"):
        search.search(Query("工会(", "regex"))
    with pytest.raises(OptionError, match="no code '欠薪'"):
        search.search(Query("欠薪", "code"))


def test_a_word_is_found_in_either_script():
    table = pd.DataFrame(
        {
            "id": ["s", "t"],
            "title": ["", ""],
            "text": ["市总工会为职工服务。", "市總工會為職工服務，工會幹部到場。"],
        }
    )
    search = CorpusSearch(load_articles(_csv(table)))
    assert search.search("工会").articles(size=None)["hits"].tolist() == [2, 1]
    assert search.search("工會").n_hits == 3


def _csv(table: pd.DataFrame):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "table.csv"
    table.to_csv(path, index=False)
    return path


def test_a_code_finds_what_coding_finds(seed):
    book = parse_rules("*驿站\n工会驿站 | 爱心驿站\n*无\n并无此词\n")
    search = CorpusSearch(seed, codebook=book)
    result = search.search(Query("驿站", "code"))
    text = "\n".join(p for ps in _pieces(seed.articles) for p in ps)
    assert result.n_hits == text.count("工会驿站") + text.count("爱心驿站")
    assert set(result.kwic()["match"]) <= {"工会驿站", "爱心驿站"}
    assert search.search(Query("无", "code")).n_articles == 0


def test_filters_narrow_every_view(dated):
    everything = dated.search("工会")
    only_a = dated.search("工会", Filters(column="category", values=("A",)))
    rows = dated.table["id"].str.startswith("0-").to_numpy()
    assert only_a.kept.tolist() == rows.tolist()
    assert 0 < only_a.n_hits < everything.n_hits
    assert set(only_a.kwic()["id"]) <= set(dated.table["id"][rows])
    assert only_a.by_group("category")["label"].unique().tolist() == ["A"]  # 类别 → label
    spring = dated.search("工会", Filters(start="2024-03", end="2024-05"))
    dates = spring.articles(size=None)["date"]
    assert dates.between("2024-03-01", "2024-05-31").all() and len(dates)
    short = dated.search("", Filters(max_chars=50))
    assert (dated.table["chars"][short.kept] <= 50).all()
    assert short.n_articles == int((dated.table["chars"] <= 50).sum())
    with pytest.raises(OptionError, match="not a date"):
        dated.search("工会", Filters(start="last spring"))


def test_trend_and_groups_are_hits_per_10k_tokens_of_the_filtered_articles(dated):
    result = dated.search("工会 职工")
    trend = result.trend("month")
    assert trend.groupby("term")["hits"].sum().to_dict() == {
        label: int((result.hits.label == k).sum()) for k, label in enumerate(result.hits.labels)
    }
    months = dated.corpus.periods("month").to_numpy()
    march = trend[(trend["month"] == "2024-03") & (trend["term"] == "工会")].iloc[0]
    tokens = dated.tokens[months == "2024-03"].sum()
    assert march["tokens"] == tokens
    assert march["per_10k"] == pytest.approx(march["hits"] / tokens * 10_000)
    groups = result.by_group("label")
    assert groups["hits"].sum() == result.n_hits
    assert groups.groupby("label", sort=False)["hits"].sum().is_monotonic_decreasing


def test_kwic_sorted_by_the_left_context_read_outwards(search):
    lines = search.search("工会").kwic("left", window=6)
    keys = [left[::-1] for left in lines["left"]]
    assert keys == sorted(keys)
    right = search.search("工会").kwic("right", window=6)["right"].tolist()
    assert right == sorted(right)
    assert (lines["match"] == "工会").all()


def test_collocates_find_the_planted_neighbours():
    filler = "今天的会议讨论了很多事情，大家发言踊跃。"
    texts = [f"{filler}包工头欠薪，农民工工资没有着落{filler}" for _ in range(30)]
    texts += [filler * 3 for _ in range(30)]
    table = pd.DataFrame({"id": range(60), "title": "", "text": texts})
    result = CorpusSearch(load_articles(_csv(table))).search("欠薪")
    table = result.collocates(window=3)
    # the three nouns beside 欠薪 in every occurrence, before the filler's 会议 and 事情
    assert set(table["term"].head(3)) == {"包工头", "农民工", "工资"}
    assert (table["g2"].head(3) > 0).all() and "欠薪" not in set(table["term"])


def test_keywords_of_the_matching_articles_against_the_rest(search):
    result = search.search("快递小哥")
    table = result.keywords(10)
    assert table.iloc[0]["n_target"] > 0 and table.iloc[0]["g2"] > 0
    assert "快递小哥" in table["term"].tolist()
    with pytest.raises(NotEnoughDataError, match="every article matches"):
        search.search("").keywords()


def test_an_article_to_read_has_its_matches_marked_and_escaped(seed):
    table = pd.DataFrame(
        {
            "id": ["x", "y"],
            "title": ["<b>标题</b>", "别的"],
            "text": ["工会 & 职工，工会。", "无关"],
        }
    )
    search = CorpusSearch(load_articles(_csv(table)))
    article = search.read("x", "工会")
    assert article["hits"] == 2
    assert article["html"].count("<mark>工会</mark>") == 2
    assert "&lt;b&gt;标题&lt;/b&gt;" in article["html"] and "&amp;" in article["html"]
    with pytest.raises(OptionError, match="no article 'z'"):
        search.read("z")


def test_the_explorer_widgets_follow_the_search(seed, tmp_path):
    pytest.importorskip("ipywidgets")
    from analysis.output.explore import TABS, CorpusExplorer

    explorer = CorpusExplorer(seed, export_dir=tmp_path / "exports")
    explorer.search_for("快递小哥")
    assert explorer.status.value.startswith("1 篇文章匹配，共 6 处")
    assert len(explorer.listing.options) == 1
    for tab in TABS:
        explorer.show(tab)
    assert explorer.kwic_table.value.count('class="match"') == 6
    assert bytes(explorer.group_image.value).startswith(b"\x89PNG")
    assert "no article has a date" in explorer.trend_note.value
    explorer.open(explorer.listing.options[0][1])
    assert explorer.reader.value.count("<mark>快递小哥</mark>") == 6
    explorer.search_for("工会(", "regex")  # shown, not raised
    assert "not a regular expression" in explorer.status.value


def test_export_writes_a_new_file_every_time_and_cells_stay_inert(tmp_path):
    pytest.importorskip("ipywidgets")
    from analysis.output.explore import CorpusExplorer

    table = pd.DataFrame(
        {"id": ["a", "b"], "title": ["=HYPERLINK(1)", "二"], "text": ["工会 工会", "职工"]}
    )
    explorer = CorpusExplorer(load_articles(_csv(table)), export_dir=tmp_path)
    explorer.search_for("工会")
    mine = tmp_path / "articles-工会-001.csv"
    mine.write_text("the user's own file\n", encoding="utf-8")
    first = explorer.export("csv")
    assert first.name == "articles-工会-002.csv"
    assert mine.read_text(encoding="utf-8") == "the user's own file\n"
    assert "'=HYPERLINK(1)" in first.read_text(encoding="utf-8")
    explorer.show("kwic")
    kwic = pd.read_csv(explorer.export("csv"))
    assert kwic["match"].tolist() == ["工会", "工会"]
    workbook = explorer.export("xlsx")
    assert pd.read_excel(workbook)["match"].tolist() == ["工会", "工会"]
    assert np.all([p.parent == tmp_path for p in tmp_path.iterdir()])


def test_the_static_snapshot_says_it_is_live_in_jupyterlab_and_why_a_view_is_missing(search):
    pytest.importorskip("IPython")
    from IPython.display import HTML, Image

    from analysis.output.explore_views import snapshot

    parts = snapshot(search.search("快递小哥"), group_column="column")
    shown = "".join(p.data for p in parts if isinstance(p, HTML))
    assert "make lab" in shown and "“快递小哥”" in shown
    assert "1 篇文章匹配，共 6 处" in shown
    assert "no article has a date" in shown  # the seed page is undated: said, not drawn
    assert [p for p in parts if isinstance(p, Image)]  # the groups chart
    assert shown.count('<td class="match">快递小哥</td>') == 6


def test_articles_sort_by_date_with_the_undated_last():
    table = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "date": ["2024-05-01", None, "2023-01-02"],
            "title": ["甲", "乙", "丙"],
            "text": ["工会", "工会", "工会"],
        }
    )
    result = CorpusSearch(load_articles(_csv(table))).search("工会")
    assert result.articles("date")["id"].tolist() == ["c", "a", "b"]


def test_a_word_found_in_the_other_script_is_not_its_own_collocate():
    texts = ["市總工會與區工會合辦活動，工會幹部出席。"] * 20 + ["今天天氣很好。"] * 20
    table = pd.DataFrame({"id": range(40), "title": "", "text": texts})
    result = CorpusSearch(load_articles(_csv(table))).search("工会")
    assert result.n_hits == 60  # three 工會 in each of 20 articles, by hand
    assert not {"工会", "工會"} & set(result.collocates(window=5)["term"])
