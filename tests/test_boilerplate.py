"""Boilerplate found by evidence: planted lead-ins, endings and lines are found, counted and
left out of the counts (the text kept); copied passages and one page's articles are not
boilerplate; --keep-boilerplate counts them again."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis import load_articles
from analysis.methods.keywords import top_terms
from analysis.representations.analysed import AnalysedCorpus
from analysis.text.boilerplate import find_boilerplate
from tests.conftest import corpus_dir

LEAD = "央视网消息（新闻联播）："
EDITORS = ["责任编辑：张三", "责任编辑：李四"]


def _paragraphs() -> list[str]:
    return [p for ps in load_articles()["paragraphs"] for p in ps]


def _planted(folder, n: int = 40) -> pd.DataFrame:
    """``n`` articles of one or two seed paragraphs each: all but two open with a TV-news
    lead-in, half close with （完）, 25 end with an editor line, 30 carry a copyright line."""
    paragraphs = _paragraphs()
    rows = []
    for i in range(n):
        body = [paragraphs[i % len(paragraphs)]]
        if i % 3 == 0:
            body.append(paragraphs[(i + 17) % len(paragraphs)])
        if i >= 2:
            body[0] = LEAD + body[0]
        if i % 2 == 0:
            body[-1] = body[-1] + "（完）"
        if i < 30:
            body.append("版权所有 未经授权不得转载")
        if i < 25:
            body.append(EDITORS[i % 2])
        rows.append({"id": f"a{i}", "title": f"第{i}条", "text": "\n".join(body)})
    path = folder / "planted.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_articles(path)


def test_planted_boilerplate_is_found_with_its_document_counts(tmp_path):
    articles = _planted(tmp_path)
    plate = find_boilerplate(articles["paragraphs"].tolist())
    found = {(r.kind, r.text): r.documents for r in plate.table().itertuples()}
    assert found == {
        ("lead-in", LEAD): 38,
        ("ending", "（完）"): 20,
        ("line", "版权所有 未经授权不得转载"): 30,
        ("label", "责任编辑"): 25,
    }


def test_boilerplate_is_left_out_of_the_counts_and_the_text_is_kept(tmp_path):
    articles = _planted(tmp_path)
    corpus = AnalysedCorpus(articles)
    terms = set(corpus.terms.terms)
    for word in ("央视网", "新闻联播", "版权所有", "责任编辑", "授权"):
        assert word not in terms, word
    keywords = set(top_terms(corpus, k=10)["term"])
    assert not keywords & {"央视网", "新闻联播", "版权所有", "责任编辑"}
    # the articles themselves keep every character
    assert corpus.articles["text"].str.startswith(LEAD).sum() == 38
    kept = AnalysedCorpus(articles, keep_boilerplate=True, join_terms=False)
    assert {"央视网", "新闻联播", "版权所有"} <= set(kept.terms.terms)
    assert kept.boilerplate.table().empty


def test_digits_in_a_lead_in_are_read_as_any_number():
    paragraphs = _paragraphs()
    articles = [
        [f"新华社北京{1 + i % 12}月{1 + i % 28}日电 {paragraphs[i % len(paragraphs)]}"]
        for i in range(30)
    ]
    plate = find_boilerplate(articles)
    assert plate.table()[["kind", "text", "documents"]].values.tolist() == [
        ["lead-in", "新华社北京#月#日电", 30]
    ]
    assert plate.clean(["新华社北京12月31日电 今天下雨。"]) == ["今天下雨。"]


def test_a_copied_passage_is_not_boilerplate():
    # 20 of 40 articles end with the same 60 characters: a reprinted story, not boilerplate
    paragraphs = _paragraphs()
    shared = paragraphs[0][:60]
    articles = [
        [paragraphs[(i + 1) % len(paragraphs)] + (shared if i < 20 else "")] for i in range(40)
    ]
    assert not find_boilerplate(articles)


def test_one_page_and_thucnews_keep_their_content():
    assert not AnalysedCorpus(load_articles()).boilerplate  # 7 articles: too few to tell
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    table = AnalysedCorpus(load_articles(path)).boilerplate.table()
    # read by hand: a comment link closing 103 articles, a gallery label opening 78
    assert table[["kind", "text", "documents"]].values.tolist() == [
        ["ending", "我要评论", 103],
        ["lead-in", "组图：", 78],
    ]


def test_the_cli_leaves_it_out_and_keep_boilerplate_counts_it(tmp_path):
    _planted(tmp_path)
    path = tmp_path / "planted.jsonl"
    run = [sys.executable, "-m", "analysis", "keywords", str(path), "--json", "--top", "8"]
    default = subprocess.run(run, capture_output=True, text=True, check=True)
    kept = subprocess.run(
        [*run, "--keep-boilerplate", "--no-join"], capture_output=True, text=True, check=True
    )
    words = {k["term"] for a in json.loads(default.stdout) for k in a["keywords"]}
    kept_words = {k["term"] for a in json.loads(kept.stdout) for k in a["keywords"]}
    assert "央视网" not in words
    assert "央视网" in kept_words


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs_have_no_boilerplate(n):
    assert not find_boilerplate([["本报讯 今天下雨。"]] * n)


def test_an_article_is_never_left_with_nothing():
    # a feed of one-line items from two templates: the lines are the content
    articles = [[f"第{k}场比赛,主队球员发挥出色,球队取胜。"] for k in range(25)]
    articles += [[f"第{k}只基金发布年报,投资收益上涨。"] for k in range(25)]
    plate = find_boilerplate(articles)
    assert [plate.clean(a) for a in articles] == articles
    # and a line that is a whole article is never taken out of it
    plate = find_boilerplate([[a[0], "版权所有"] for a in articles])
    assert "版权所有" in plate.lines
    assert plate.clean(["版权所有"]) == ["版权所有"]
    assert plate.clean(["今天下雨。", "版权所有"]) == ["今天下雨。", ""]


def test_the_report_lists_the_boilerplate_and_ranks_no_ubiquitous_word(tmp_path):
    from analysis.output.report import Report, ReportOptions

    articles = _planted(tmp_path)
    rows = []
    for i, row in enumerate(articles.itertuples(index=False)):
        first, *rest = row.text.split("\n")
        middle = len(first) // 2  # a word inside every article's text, not at an edge
        text = "\n".join([first[:middle] + "新质生产力" + first[middle:], *rest])
        rows.append({"id": row.id, "date": f"2024-{1 + i % 12:02d}-01", "text": text})
    path = tmp_path / "ubiquitous.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = Report(ReportOptions(paths=[str(path)], terms=["快递小哥", "工会"]))
    assert set(report.boilerplate["text"]) == {
        LEAD,
        "（完）",
        "版权所有 未经授权不得转载",
        "责任编辑",
    }
    assert "Boilerplate left out of the counts (4 string(s)" in report.describe()
    # in all 40 articles: never a corpus keyword, a word-cloud word or a trend line
    assert "新质生产力" in set(report.corpus.terms.terms)
    assert "新质生产力" not in set(report.corpus_keywords["term"])
    assert report.corpus_keywords.attrs["left_out"] == ["新质生产力"]
    # the user's --terms choose the trend lines and the KWIC lines
    assert list(dict.fromkeys(report.term_trends["term"])) == ["快递小哥", "工会"]
    assert set(report.kwic["term"]) == {"快递小哥", "工会"}
    assert report.kwic["date"].notna().all()


def test_an_author_box_near_the_end_is_found_by_its_label():
    # 30 articles close with a box: the writer's picture, "专栏 | name", a short biography.
    # The label line is neither first nor last, and each name is on fewer than 10 articles.
    paragraphs = _paragraphs()
    writers = ["王小明", "李华", "陈大文", "张丽", "刘洋", "黄志强"]
    bios = ["资深评论员", "大学教授", "退休工程师", "执业律师", "中学教师", "社工"]
    articles = []
    for i in range(30):
        name, bio = writers[i % len(writers)], bios[i % len(bios)]
        articles.append(
            [
                paragraphs[i % len(paragraphs)],
                f"![专栏 | {name}](https://example.org/avatars/{i:04d}-{name}.png?1480233347)",
                f"**专栏 | {name}**",
                f"{name}，{bio}。",
            ]
        )
    # and 10 interviews whose questions are labelled lines near the end: not boilerplate
    for i in range(10):
        articles.append(
            [
                paragraphs[(i + 30) % len(paragraphs)],
                f"记者：您怎样看待{paragraphs[i][:12]}？",
                f"受访者：{paragraphs[i + 1][:30]}。",
            ]
        )
    plate = find_boilerplate(articles)
    assert plate.labels == ["专栏"]
    assert plate.table()[["kind", "text", "documents"]].values.tolist() == [["label", "专栏", 30]]
    cleaned = plate.clean(articles[0])
    assert cleaned == [articles[0][0], "", "", articles[0][3]]
    # a long labelled line inside the zone stays: it is the article's own text
    long = "专栏：这是一段不短的正文，讲述了工会在基层开展帮扶工作的经过"
    assert plate.clean([paragraphs[0], long, "尾声。"]) == [paragraphs[0], long, "尾声。"]
    assert plate.clean([paragraphs[0], "专栏：工会的故事", "尾声。"])[1] == ""


def test_bracketed_credits_that_open_or_close_articles_are_found_by_their_opening():
    # a wire's dateline in brackets with the reporter's name and city in it, and an
    # editor's credit in brackets after the last sentence, with a date code after it:
    # each whole aside varies, its opening does not
    paragraphs = _paragraphs()
    reporters = ["王小明", "李华", "陈大文", "张丽", "刘洋"]
    cities = ["北京", "上海", "广州", "武汉"]
    articles = []
    for i in range(30):
        dateline = f"（晨报记者{reporters[i % 5]}{cities[i % 4]}{1 + i % 28}日电）"
        body = [dateline + paragraphs[i % len(paragraphs)]]
        if i % 3 == 0:
            body.append(paragraphs[(i + 7) % len(paragraphs)])
        if i < 24:
            body[-1] += f"（编辑：{reporters[(i + 2) % 5]}）2021{1 + i % 12:02d}03"
        articles.append(body)
    plate = find_boilerplate(articles)
    assert plate.table()[["kind", "text", "documents"]].values.tolist() == [
        ["lead-in", "（晨报记者…）", 30],
        ["ending", "（编辑：…）", 24],
    ]
    cleaned = plate.clean(articles[0])
    assert cleaned == [paragraphs[0], paragraphs[7 % len(paragraphs)]]
    # an aside inside the text, or with another opening, stays
    inside = f"工会（晨报记者注）表示。{paragraphs[1]}（编辑部说明）"
    assert plate.clean([inside]) == [inside]


def test_a_dateline_with_a_byline_in_brackets_is_found_and_taken_out_with_it():
    # every article opens with the same dateline and a byline naming one of six
    # reporters: the dateline is followed by "（记者" everywhere, which is the byline,
    # not a copied story going on
    paragraphs = _paragraphs()
    reporters = ["王小明", "李华", "陈大文", "张丽", "刘洋", "黄志强"]
    articles = []
    for i in range(30):
        dateline = f"本报北京{1 + i % 12}月{1 + i % 28}日电（记者{reporters[i % 6]}）"
        articles.append([dateline + paragraphs[i % len(paragraphs)]])
    plate = find_boilerplate(articles)
    assert plate.table()[["kind", "text", "documents"]].values.tolist() == [
        ["lead-in", "本报北京#月#日电", 30]
    ]
    assert plate.clean(articles[1]) == [paragraphs[1 % len(paragraphs)]]
