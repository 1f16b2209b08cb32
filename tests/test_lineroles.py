"""The line-role reader (#17): page keys, the lines of a web page, article boundaries from
roles, writers named in credit lines, and the model read on a source it was not fitted on."""

from __future__ import annotations

import re

import pytest

from analysis.reading.corpus import explain_pages, load_articles
from analysis.reading.lineroles import (
    LineRoleModel,
    article_numbers,
    articles_from_roles,
    credited_authors,
    default_model,
    html_blocks,
    page_features,
    split_by_roles,
)
from benchmarks.line_roles import fit, labelled
from benchmarks.page_keys import PAGES_DIR, KeyError_, load_keys, read_key

PAGE = "<html><head><title>工会驿站开进商圈_新闻网</title></head><body>"
PAGE += "<div class='nav'><a href='/'>首页</a><a href='/n'>新闻</a></div>"
PAGE += "<h1 class='title'>工会驿站开进商圈</h1><p class='info'>2024-03-01 来源：本报 记者 王鑫</p>"
PAGE += "<p>本报讯 3月1日，首个开在商圈里的工会驿站启用，外卖骑手可以在这里歇脚、充电。</p>"
PAGE += "<p>驿站由区总工会和商户共建。</p><div class='footer'>版权所有 © 新闻网</div></body></html>"


def test_a_web_page_is_read_one_block_a_line_with_its_markup():
    blocks = html_blocks(PAGE.encode("utf-8"))
    lines = [line for line, _ in blocks]
    assert lines[:4] == ["工会驿站开进商圈_新闻网", "首页新闻", "工会驿站开进商圈", lines[3]]
    assert lines[-1] == "版权所有 © 新闻网"
    head = dict(blocks)["工会驿站开进商圈"]
    assert {"tag=h1", "attr=title", "title_match=inside"} <= set(head)
    assert "all_link" in dict(blocks)["首页新闻"]


def test_a_deeply_nested_page_is_read_without_recursion():
    page = "<html><body>" + "<div>" * 5000 + "<p>很深的一段正文。</p>" + "</div>" * 5000
    lines = [line for line, _ in html_blocks(page.encode("utf-8"))]
    assert lines == ["很深的一段正文。"]


def test_articles_follow_from_roles():
    # a kicker and a byline above a title belong to its article; a headline after body
    # opens the next one even without a start mark
    labels = ["furniture", "kicker^", "byline", "title^", "body", "body", "title", "body"]
    assert article_numbers(labels) == [None, 1, 1, 1, 1, 1, 2, 2]
    lines = [
        "头版",
        "引题——",
        "本报记者 张三",
        "标题一",
        "正文一。",
        "正文二。",
        "标题二",
        "正文三。",
    ]
    first, second = articles_from_roles(lines, labels)
    assert (first["kicker"], first["title"], first["authors"]) == ("引题——", "标题一", ["张三"])
    assert first["paragraphs"] == ["正文一。", "正文二。"]
    assert (second["title"], second["paragraphs"]) == ("标题二", ["正文三。"])
    # a brief without a headline starts with its body
    assert article_numbers(["body^", "body", "body^"]) == [1, 1, 2]


@pytest.mark.parametrize(
    ("line", "writers"),
    [
        ("作者：中青在线记者 卢义杰实习生 杨慧彩 贾天荣", ["卢义杰", "杨慧彩", "贾天荣"]),
        ("记者/玄增星、陈轶男 编辑/张国", ["玄增星", "陈轶男"]),
        ("2019-09-26 12:11来源：证券时报网作者：李在山", ["李在山"]),
        ("2019-03-18 23:59聯合報 記者陳嘉寧／桃園機場報導", ["陳嘉寧"]),
        ("来源：新华网", []),
        ("编辑 从玉华", []),
        ("文/张三", ["张三"]),
        ("记者王小明 整合", ["王小明"]),  # compiled by: a role after the name, no name
        ("记者 李和平", ["李和平"]),  # 和 inside a name does not part it
        ("记者 张华和李明", ["张华", "李明"]),
        ("（撰稿：李华 摄影：周强 审核：孙丽）", ["李华"]),
    ],
)
def test_the_writers_a_credit_line_names(line, writers):
    assert credited_authors(line) == writers


def test_a_key_that_misses_a_line_names_the_file_and_the_line(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    page = folder / "p.txt"
    page.write_text("标题\n\n正文。\n页脚\n", encoding="utf-8")
    (folder / "p.txt.key").write_text("1 title 1\n3 body 1\n", encoding="utf-8")
    with pytest.raises(KeyError_, match=r"p.txt: lines without a role: 4"):
        read_key(page)
    (folder / "p.txt.key").write_text("1 title 1\n3 body 2\n4 body 1\n", encoding="utf-8")
    with pytest.raises(KeyError_, match="article 1 is split by article 2"):
        read_key(page)
    (folder / "p.txt.key").write_text(
        "1 title 1 authors=李四\n3 body 1\n4 furniture\n", encoding="utf-8"
    )
    with pytest.raises(KeyError_, match="李四"):
        read_key(page)  # a writer who is not on the page


@pytest.mark.skipif(not PAGES_DIR.exists(), reason="no labelled pages")
def test_every_labelled_page_has_a_key_that_checks():
    keys = load_keys()
    assert len(keys) >= 90
    assert len({k.source for k in keys}) >= 40
    for key in keys:
        assert (key.page.parent / "SOURCE.md").exists(), key.source


def test_the_model_reads_a_source_it_was_not_fitted_on():
    """Fitted without the VOA pages, the model reads them: title, writer, and none of the
    page's furniture in the body (checked against the hand-made key)."""
    keys = load_keys()
    data = {key.page: labelled(key) for key in keys}
    model = fit([k for k in keys if k.source != "voa-chinese"], data)
    held = [k for k in keys if k.source == "voa-chinese"]
    assert held
    right = 0
    for key in held:
        lines, features = page_features(key.page)
        split, _ = split_by_roles(lines, features, kind="html", model=model)
        (gold,) = key.article_records()
        titles = [a.title for a in split.articles]
        right += gold["title"] in titles
        furniture = set(key.gold()["furniture"])
        for article in split.articles:
            assert not furniture & set(article.paragraphs), key.page.name
    assert right == len(held)


def test_the_shipped_model_was_trained_on_the_labelled_pages_as_they_are():
    """Adding or changing a labelled page, or the code that makes the features, needs a
    `make reader`: the shipped model says what it was trained on."""
    from benchmarks.line_roles import code_digest, data_digest

    info = default_model().info
    assert info["data_sha256"] == data_digest(load_keys())
    assert info["code_sha256"] == code_digest()


def test_the_shipped_model_reads_like_its_json(tmp_path):
    model = default_model()
    assert model is not None and model.info["sources"]
    copy = tmp_path / "model.json"
    model.to_json(copy)
    again = LineRoleModel.from_json(copy)
    _, features = page_features(sorted((PAGES_DIR / "rfi-chinese").glob("*.html"))[0])
    assert again.predict(features) == model.predict(features)


def test_web_pages_go_to_the_rules_when_the_model_is_switched_off(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("utf-8"))
    by_model = load_articles(page)
    assert by_model["title"].tolist() == ["工会驿站开进商圈"]
    assert by_model.loc[0, "authors"] == ["王鑫"]
    assert not any("版权所有" in p or "首页" in p for p in by_model.loc[0, "paragraphs"])
    assert explain_pages(page)["rule"].str.startswith("line-role model").any()
    monkeypatch.setenv("ANALYSIS_LINE_ROLES", "0")
    assert not explain_pages(page)["rule"].str.startswith("line-role model").any()


def test_the_model_reads_awkward_web_pages_without_a_crash(tmp_path):
    """Comments, processing instructions, CDATA, scripts and styles, no <body>, and a page
    in GBK that says so: the lines are read, the script's text is not. (Whether this toy
    page's headline is found is the model's accuracy, measured by benchmarks.line_roles;
    here the model takes the h1 that repeats the <title> for furniture.)"""
    head = "<?xml-stylesheet href='a.css'?><!-- 注释 --><title>职工书屋开放</title>"
    page = (
        head
        + "<style>p{color:red}</style><script>var 脚本 = 1;</script>"
        + "<h1>职工书屋开放</h1><!-- 中间的注释 --><p>本报讯 职工书屋今天开放，"
        + "<![CDATA[藏书]]>两千册。</p>"
    )
    gbk = tmp_path / "gbk.html"
    gbk.write_bytes(('<meta charset="gbk">' + page).encode("gbk"))
    for path in (gbk,):
        lines = [line for line, _ in html_blocks(path.read_bytes())]
        assert "职工书屋开放" in lines
        assert not any("脚本" in line or "color" in line for line in lines)
        df = load_articles(path)
        assert len(df) == 1
        assert "职工书屋今天开放" in df.loc[0, "text"]
        assert "脚本" not in df.loc[0, "text"]


def test_every_line_of_a_web_page_is_in_an_article_or_listed_as_furniture():
    """No line is dropped without a record: each is read into an article's fields (a
    byline into its contributors, a date line into its date), or listed as furniture:
    the page's, or a line the rules set aside inside an article (the cust-news pages have
    a 发布日期 line the model calls a dateline and the rules a page header)."""
    from analysis.reading.page_files import split_file

    pages = sorted((PAGES_DIR / "cust-news-html").glob("*.htm")) + sorted(
        (PAGES_DIR / "oncc-web").glob("*.html")
    )
    for page in pages:
        split, _, _ = split_file(page)
        furniture = {id(line) for art in split.articles for line in art.furniture}
        for art in split.articles:
            fields = [art.title, art.kicker, art.subtitle, art.column, art.dateline]
            fields += [art.date_line, art.author_unit, *art.continuation]
            fields += [*art.paragraphs, *art.metadata, *art.sections, *art.authors]
            kept = "".join(f for f in fields if f).replace(" ", "")
            for line in art.lines:
                if id(line) in furniture:
                    continue
                text = _CREDIT_AT_END.sub("", line.text).replace(" ", "")
                read = line.label == "byline" or (line.label == "dateline" and art.date)
                assert text in kept or read, (page.name, line.text)
        listed = [line for line in split.lines if line.label == "furniture"]
        assert all(id(line) in furniture for line in listed), page.name
        if page.parent.name == "cust-news-html":
            texts = [line.text for art in split.articles for line in art.furniture]
            assert any(t.startswith("发布日期") for t in texts), page.name


# a closing credit such as (李楠): the rules move it into the contributors
_CREDIT_AT_END = re.compile(r"[(（][^()（）]{1,20}[)）]$")


def test_an_unknown_kind_in_the_switch_is_a_clear_error(tmp_path, monkeypatch):
    from analysis.errors import OptionError

    page = tmp_path / "page.html"
    page.write_bytes(PAGE.encode("utf-8"))
    monkeypatch.setenv("ANALYSIS_LINE_ROLES", "htm")
    with pytest.raises(OptionError, match="unknown kind htm"):
        load_articles(page)
    monkeypatch.setenv("ANALYSIS_LINE_ROLES", "html, markdown")
    assert explain_pages(page)["rule"].str.startswith("line-role model").any()


DIGEST = """---
title: 2026-03-02
tags: 每日新闻
---

## 1、城市公交夜班线路延长到凌晨一点

本市公交集团昨天宣布，十条夜班线路的末班车将延后到凌晨一点，方便上夜班的职工回家。

https://example.com/news/1

## 2、社区食堂开进工业园区

工业园区的第一家社区食堂今天开业，午餐每份十二元，园区职工凭工作证就餐。

https://example.com/news/2
"""


def test_a_markdown_digest_goes_to_the_model_and_a_headlined_article_to_the_rules(
    tmp_path, monkeypatch
):
    from analysis.reading.page_files import names_a_headline

    digest = tmp_path / "digest.md"
    digest.write_text(DIGEST, encoding="utf-8")
    # a title that is only a date names no headline: the model reads the file
    assert not names_a_headline(DIGEST)
    assert explain_pages(digest)["rule"].str.startswith("line-role model").any()
    article = tmp_path / "article.md"
    article.write_text(DIGEST.replace("title: 2026-03-02", "title: 夜班公交延长"), "utf-8")
    assert names_a_headline(article.read_text(encoding="utf-8"))
    assert not explain_pages(article)["rule"].str.startswith("line-role model").any()
    # told to, the model reads every markdown file; switched off, none
    monkeypatch.setenv("ANALYSIS_LINE_ROLES", "markdown")
    assert explain_pages(article)["rule"].str.startswith("line-role model").any()
    monkeypatch.setenv("ANALYSIS_LINE_ROLES", "0")
    assert not explain_pages(digest)["rule"].str.startswith("line-role model").any()


def test_markdown_headings_of_one_level_play_one_part():
    from analysis.reading.lineroles.articles import headings_alike

    lines = [
        "## 1、城市公交夜班线路延长到凌晨一点",
        "本市公交集团昨天宣布，十条夜班线路的末班车将延后到凌晨一点。",
        "## 2、社区食堂开进工业园区",
        "工业园区的第一家社区食堂今天开业。",
        "## 3、老旧小区加装电梯提速",
        "今年全市将为两百个老旧小区加装电梯。",
        "## 相关链接",
        "https://example.com/news/3",
    ]
    labels = ["title^", "body", "furniture", "body", "title^", "body", "furniture", "furniture"]
    # the second item's heading opens its article like the other two; the heading
    # that no running text follows stays furniture
    assert headings_alike(lines, labels) == [
        "title^", "body", "title^", "body", "title^", "body", "furniture", "furniture"
    ]  # fmt: skip
    # one heading of a level opening an article is not enough to carry the others along
    # (a single article's section heads, one of them misread)
    one = ["title^", "body", "section", "body", "section", "body", "furniture", "furniture"]
    assert headings_alike(lines, one) == one


def test_a_link_digest_items_open_articles():
    from analysis.reading.lineroles.articles import link_items

    lines = [
        "## 本周动态",
        "1、[城市公交夜班线路延长](https://example.com/a)",
        "![](https://example.com/a.jpg)",
        "本市公交集团昨天宣布，十条夜班线路的末班车将延后到凌晨一点。",
        "2、[社区食堂开进工业园区](https://example.com/b)（视频）",
        "工业园区的第一家社区食堂今天开业。",
        "**老旧小区加装电梯提速**",
        "<https://example.com/c>",
        "今年全市将为两百个老旧小区加装电梯。",
        "**二手书市集周末开张**",
        "周末的二手书市集吸引了不少市民。",
    ]
    labels = ["furniture", "caption", "caption", "body", "furniture", "body",
              "furniture", "caption", "body", "caption", "body"]  # fmt: skip
    # three items carry their link: each headline that running text follows opens an
    # article, under its pictures or its address, and the address is its source line; a
    # bold headline of the same file without an address goes with them
    assert link_items(lines, labels) == [
        "furniture", "title^", "caption", "body", "title^", "body",
        "title^", "byline", "body", "title^", "body",
    ]  # fmt: skip
    # two linked items are not a digest: nothing changes
    assert link_items(lines[:6], labels[:6]) == labels[:6]
    # bold passages of a sentence or more are quotations, not headlines
    quoted = [
        "**国家统计局今天发布数据，上个月全国居民消费价格同比上涨百分之零点二，环比持平。**",
        "<https://example.com/d>",
        "分析人士认为，物价总体平稳。",
    ] * 3
    plain = ["body", "furniture", "body"] * 3
    assert link_items(quoted, plain) == plain


def test_a_line_ending_in_a_colon_or_opening_with_a_field_label_is_never_a_headline():
    import numpy as np

    from analysis.reading.lineroles.articles import _best_labels

    labels = ["title^", "title", "body", "furniture"]
    lines = [
        "社評：港府公布新一輪資助計劃",
        "電子郵件:",
        "**相关阅读：**",
        "發佈時間：21:45 2025-11-28 HKT",
        "市民可於下月起申請。",
    ]
    scores = np.array(
        [
            [0.7, 0.1, 0.1, 0.1],
            [0.6, 0.1, 0.1, 0.2],  # the share buttons' label, read as a headline
            [0.1, 0.5, 0.3, 0.1],
            [0.6, 0.1, 0.1, 0.2],  # a field's label and its value, read as a headline
            [0.1, 0.1, 0.7, 0.1],
        ]
    )
    # a colon at the end (markdown marks aside), or a field's label with its colon at the
    # start, takes the best label that is no title; a rubric and its colon (社評：) do not
    assert _best_labels(labels, scores, lines) == [
        "title^", "furniture", "body", "furniture", "body"
    ]  # fmt: skip


def test_a_line_without_a_letter_is_never_a_headline():
    import numpy as np

    from analysis.reading.lineroles.articles import _best_labels

    labels = ["title^", "body", "furniture"]
    lines = ["67.66666666666667", "2025-11-28 21:45", "——", "5G网络覆盖全县", "123"]
    scores = np.log(np.array([[0.6, 0.1, 0.3]] * 5))  # every line read as a headline
    # a crawler's score, a date in digits, a rule: no letter, no headline; "5G…" and a
    # headline with digits stay
    assert _best_labels(labels, scores, lines) == [
        "furniture", "furniture", "furniture", "title^", "furniture"
    ]  # fmt: skip


def test_a_line_opening_with_a_date_and_a_time_is_never_a_headline():
    import numpy as np

    from analysis.reading.lineroles.articles import _best_labels

    labels = ["title^", "byline", "furniture"]
    lines = ["2019-03-18 23:59聯合報 記者陳嘉寧／桃園機場報導", "2019年春运今天开始 铁路加开列车"]
    scores = np.log(np.array([[0.5, 0.3, 0.2]] * 2))  # both read as headlines
    # a time stamp with its source is a byline; a headline that opens with a year stays
    assert _best_labels(labels, scores, lines) == ["byline", "title^"]


def test_a_short_credit_line_the_model_misread_still_names_the_writer():
    lines = [
        "客運司機車禍致人於死 心情鬱悶陽台以狗鍊上吊",
        "記者林悅／南市報導",
        "台南市一名客運司機昨天被發現在自家陽台輕生，警方正調查原因。",
        "記者在現場看到，家屬情緒激動，鄰居說他平時待人和善。",
    ]
    # the credit read as a caption: its writer is still the article's
    labels = ["title^", "caption", "body", "body"]
    assert articles_from_roles(lines, labels)[0]["authors"] == ["林悅"]
    # a sentence of the body that mentions a reporter names no writer
    labels = ["title^", "body", "body", "body"]
    without = [lines[0], *lines[2:]]
    assert articles_from_roles(without, labels[:3])[0]["authors"] == []


def test_headlines_between_paragraphs_with_no_blank_line_open_articles(tmp_path):
    # a crawler's dump: a date, then each story's headline and its paragraphs, one a line,
    # with no blank line between stories. The shipped model read the third headline as a
    # paragraph of the second story until the features joined a line's shape with its
    # neighbours' (a short line with no sentence mark between two sentences).
    page = tmp_path / "dump.txt"
    page.write_text(
        "2024年3月5日\n"
        "全市春季植树活动今天启动\n"
        "今天上午，全市春季义务植树活动在城东湿地公园启动，三千多名干部群众参加。\n"
        "据了解，今年全市计划新增绿地面积一百二十公顷，新建口袋公园十五个。\n"
        "市图书馆新馆开放首日迎客上万人次\n"
        "市图书馆新馆今天正式开放，首日接待读者一万两千人次。\n"
        "新馆藏书一百八十万册，设有少儿阅览区和古籍修复展示区。\n"
        "地铁三号线二期工程完成全部铺轨\n"
        "记者从市轨道交通集团获悉，地铁三号线二期工程今天完成全部铺轨任务。\n"
        "该工程全长十八公里，设车站十二座，预计年底开通试运营。\n",
        encoding="utf-8",
    )
    lines, features = page_features(page)
    split, _ = split_by_roles(lines, features, kind="text", model=default_model())
    assert [(a.title, len(a.paragraphs)) for a in split.articles] == [
        ("全市春季植树活动今天启动", 2),
        ("市图书馆新馆开放首日迎客上万人次", 2),
        ("地铁三号线二期工程完成全部铺轨", 2),
    ]


def test_an_untitled_web_article_takes_the_likeliest_headline_above_its_text():
    import numpy as np

    from analysis.reading.lineroles.articles import headline_above

    names = ["furniture", "title^", "dateline", "body"]
    lines = [
        "首页 > 本地新闻",
        "市图书馆新馆开放首日迎客上万人次",  # the headline, set aside with the furniture
        "发布时间：2024-03-05",  # a field's label: never a headline
        "市图书馆新馆今天正式开放，首日接待读者一万两千人次。",
        "新馆藏书一百八十万册，设有少儿阅览区和古籍修复展示区。",
    ]
    labels = ["furniture", "furniture", "dateline", "body", "body"]
    scores = np.log(
        np.array(
            [
                [0.90, 0.05, 0.03, 0.02],
                [0.60, 0.30, 0.05, 0.05],
                [0.10, 0.40, 0.45, 0.05],
                [0.05, 0.05, 0.05, 0.85],
                [0.05, 0.05, 0.05, 0.85],
            ]
        )
    )
    assert headline_above(names, labels, scores, lines) == [
        "furniture", "title^", "dateline", "body", "body"
    ]  # fmt: skip
    # an article that has a headline keeps its labels
    titled = ["furniture", "title^", "dateline", "body", "body"]
    assert headline_above(names, titled, scores, lines) == titled
    articles = articles_from_roles(lines, headline_above(names, labels, scores, lines))
    assert [a["title"] for a in articles] == ["市图书馆新馆开放首日迎客上万人次"]


def test_writers_in_a_note_of_credits_or_a_second_paragraph_are_found():
    # a web page's closing note of credits, each role with its colon, read as a note
    lines = [
        "学院举办春季运动会",
        "4月12日，学院春季运动会在东区体育场举行。",
        "（供稿：体育部 撰稿：李华 摄影：周强 审核：孙丽）",
    ]
    assert articles_from_roles(lines, ["title^", "body", "note"])[0]["authors"] == ["李华"]
    # a note that only names an editor or a source names no writer
    lines[2] = "（资料来源：本市统计局 编辑：孙丽）"
    assert articles_from_roles(lines, ["title^", "body", "note"])[0]["authors"] == []
    # a dateline's credit in the second paragraph, under a stray line of the page
    lines = [
        "外地游客长假扎堆打卡老街",
        "调整字体",
        "本网10月4日讯（记者王小明 整合）国庆长假过半，老街每天接待游客数万人次。",
    ]
    assert articles_from_roles(lines, ["title^", "body", "body"])[0]["authors"] == ["王小明"]


def test_a_byline_of_names_alone_names_the_writers():
    lines = ["老街夜市重新开放", "陈思远", "老街夜市今晚重新开放，摊位比去年多了三成。"]
    assert articles_from_roles(lines, ["title^", "byline", "body"])[0]["authors"] == ["陈思远"]
    lines[1] = "陈思远／王丽"
    assert articles_from_roles(lines, ["title^", "byline", "body"])[0]["authors"] == [
        "陈思远", "王丽"
    ]  # fmt: skip
    # an outlet's name, or words that only open with a surname's character, are no writer
    for byline in ("参考消息", "商台片 段截圖", "新华社客户端"):
        lines[1] = byline
        assert articles_from_roles(lines, ["title^", "byline", "body"])[0]["authors"] == []


def test_a_bare_name_under_a_web_headline_is_its_byline():
    from analysis.reading.lineroles.articles import name_under_title

    lines = [
        "老街夜市重新开放 摊位多了三成",
        "2024/05/01 18:30",
        "陈思远",  # the writer's bare name, read as the page's furniture
        "老街夜市今晚重新开放，摊位比去年多了三成。",
    ]
    labels = ["title^", "dateline", "furniture", "body"]
    relabelled = name_under_title(lines, labels)
    assert relabelled == ["title^", "dateline", "byline", "body"]
    assert articles_from_roles(lines, relabelled)[0]["authors"] == ["陈思远"]
    # two characters that open with a surname's character are as often a word (a column:
    # 金融) and stay as read; so does a name below the first paragraph
    lines[2] = "金融"
    assert name_under_title(lines, labels) == labels
    lines[2], lines[3] = lines[3], "陈思远"
    body_first = ["title^", "dateline", "body", "furniture"]
    assert name_under_title(lines, body_first) == body_first


def test_a_markdown_picture_is_never_a_byline_or_text():
    import numpy as np

    from analysis.reading.lineroles.articles import pictures, split_by_roles

    lines = [
        "# 港股午后升幅扩大",
        "![恒生指数较早时报21397点。（本台图片）](https://example.org/p/1.jpg)",
        "港股午后继续造好，恒生指数升340点。",
        "![](https://example.org/p/qrcode.png)",
    ]
    labels = ["title^", "byline", "body", "furniture"]
    assert pictures(lines, labels) == ["title^", "caption", "body", "furniture"]

    class Reads:  # a model that reads the picture as a byline
        labels = ("title^", "byline", "body", "furniture", "caption")

        def scores(self, features):
            return np.log(np.eye(5)[[0, 1, 2, 3]] + 1e-6)

    split, _ = split_by_roles(lines, [{}] * 4, kind="markdown", model=Reads())
    assert [a.authors for a in split.articles] == [[]]  # not the picture's credit
    # a picture that opens an article keeps the opening; a line with text around a
    # picture is not only a picture
    assert pictures(lines[1:], ["body^", "body", "caption"]) == ["caption^", "body", "caption"]
    lines[1] = "图为现场。![](https://example.org/p/2.jpg)"
    assert pictures(lines, labels) == labels


def test_a_text_signed_with_a_handle_names_its_writer():
    lines = ["一周开发工具速览", "@林小舟：这款编辑器新增了远程调试，适合多人协作。"]
    assert articles_from_roles(lines, ["title^", "body"])[0]["authors"] == ["林小舟"]
    lines[1] = "[@dev_zhou](https://example.org/u/zhou): 新版本修复了内存泄漏。"
    labels = ["title^", "body"]
    assert articles_from_roles(lines, labels, kind="markdown")[0]["authors"] == ["dev_zhou"]
    # a handle inside the text, or one with no colon, signs nothing
    for text in ("感谢 @林小舟：提供线索。", "@林小舟 在发布会上说，新版本下月上线。"):
        assert articles_from_roles(["标题", text], labels)[0]["authors"] == []
    # a byline's writer comes first
    lines = ["一周开发工具速览", "记者 王丽", "@林小舟：这款编辑器新增了远程调试。"]
    assert articles_from_roles(lines, ["title^", "byline", "body"])[0]["authors"] == ["王丽"]


def test_markdown_backslash_escapes_are_read_as_the_marks_they_escape():
    # 文 \| 王海燕: the escaped bar is the byline's 文|, which names the writer
    lines = ["# 城市夜经济观察", "文 \\| 王海燕", "夜市的灯亮到凌晨两点，生意\\*好了一倍\\*。"]
    record = articles_from_roles(lines, ["title^", "byline", "body"], kind="markdown")[0]
    assert record["authors"] == ["王海燕"]
    assert record["paragraphs"] == ["夜市的灯亮到凌晨两点，生意*好了一倍*。"]
    # a backslash before a letter is no escape (a Windows path)
    lines[2] = "文件在 C:\\Users\\data 下。"
    record = articles_from_roles(lines, ["title^", "byline", "body"], kind="markdown")[0]
    assert record["paragraphs"] == ["文件在 C:\\Users\\data 下。"]


def test_a_credit_read_as_a_section_head_or_closing_the_text_names_the_writers():
    labels = ["title^", "section", "body"]
    lines = ["数据公司迎来整顿", "《观察》作者 周小纯", "从九月上旬开始，多家数据公司被调查。"]
    assert articles_from_roles(lines, labels)[0]["authors"] == ["周小纯"]
    lines[1] = "都市晚报记者 段文超 廖红"  # the outlet's name is no writer
    assert articles_from_roles(lines, labels)[0]["authors"] == ["段文超", "廖红"]
    # a section head that opens with a role word names no one: 记者手记 is a column
    lines[1] = "记者手记"
    assert articles_from_roles(lines, labels)[0]["authors"] == []
    # a credit in brackets closing the last paragraph, or a note
    lines = ["新电脑可以自学", "研究结果发表在《自然》上。", "后续研究将公开。（编译/林东）"]
    for last in ("body", "note"):
        record = articles_from_roles(lines, ["title^", "body", last])[0]
        assert record["authors"] == ["林东"]
    lines[2] = "后续研究将公开。（责任编辑：王五）"  # an editor is no writer
    assert articles_from_roles(lines, ["title^", "body", "body"])[0]["authors"] == []


def test_a_wire_datelines_writers_are_read_up_to_the_place():
    # 記者 + names + place + day + 電: the place runs on from the last name
    text = "（中央社記者林志豪、陳美玲高雄7日電）高雄市今天清晨發生火警，消防局派員搶救。"
    for role in ("body", "note"):  # a first paragraph the model read as a note
        lines = ["高雄清晨火警 無人受傷", text]
        assert articles_from_roles(lines, ["title^", role])[0]["authors"] == ["林志豪", "陳美玲"]
    lines[1] = "（本社記者 王大偉 台北5日電）立法院今天三讀通過修正案。"  # spaced off
    assert articles_from_roles(lines, ["title^", "body"])[0]["authors"] == ["王大偉"]
    # a run with no known surname names no one, nor one of marks alone
    for text in ("（中央社記者綜合外電紐約7日電）美股今天收高。", "（記者、、、、、7日電）今天。"):
        lines[1] = text
        assert articles_from_roles(lines, ["title^", "body"])[0]["authors"] == []


def test_lines_with_no_headline_and_no_text_are_no_article_of_their_own():
    # a photo's caption read as the start of an article joins the article after it
    assert article_numbers(["title^", "body", "caption^", "title^", "body"]) == [1, 1, 2, 2, 2]
    # a source line at the end of the page joins the article before it
    assert article_numbers(["title^", "body", "byline^", "furniture"]) == [1, 1, 1, None]
    lines = ["老街夜市重新开放", "老街夜市今晚重新开放，摊位比去年多了三成。", "（记者 陈思远）"]
    (only,) = articles_from_roles(lines, ["title^", "body", "byline^"])
    assert (only["title"], only["authors"]) == ("老街夜市重新开放", ["陈思远"])
    # a page of credits alone keeps them as one article, so nothing is lost
    assert article_numbers(["byline^", "caption"]) == [1, 1]


def test_running_text_the_model_set_aside_is_given_back():
    from analysis.reading.lineroles.articles import text_kept

    lead = "（中央社記者邱俊欽桃園19日電）桃園市平鎮區一家輪胎行今天清晨發生大火。" + (
        "消防隊員趕到時火勢猛烈。"
    )
    lines = ["平鎮輪胎行惡火 疏散7人", "最新更新：2016/03/19 10:48", lead, "（消防局提供）"]
    # an article whose only paragraph was read as a note: the note is its body
    assert text_kept(lines, ["title^", "byline", "note", "caption"])[2] == "body"
    # an article with a body keeps its notes
    assert text_kept(lines, ["title^", "byline", "note", "body"])[2] == "note"
    # a short note stays a note
    assert text_kept(lines, ["title^", "byline", "note", "note"])[3] == "note"
