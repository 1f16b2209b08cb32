"""Page splitting on the seed, on hand-written fixtures, and on held-out real pages."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from analysis.reading.pages import join_pieces, parse_byline, split_page
from analysis.reading.textio import normalize_line, read_text
from tests.conftest import corpus_dir

SEED_TITLES = [
    "解难题补短板,建好服务职工的“桥头堡”",
    "给快递小哥多一些理解和包容",
    "应急演练确保安全度汛",
    "武汉打造劳模工匠文化公园",
    "“您服务西洽会,工会服务您”",
    "“下单不到半小时,维修师傅就上门了”",
    "技能培训助残疾人就业",
]

# (end of one layout line, start of the next): each pair must be one paragraph
LAYOUT_BREAKS = [
    ("对充分发挥县", "级工会重要作用"),
    ("悦来集团等相", "关单位沟通协调"),
    ("协助服", "务商策划"),
    ("平台广告费", "用偏高"),
    ("凝聚群体", "力量"),
    ("后方展板上,", "“您服务西洽会"),
]


@pytest.fixture(scope="module")
def seed_split(seed_text):
    return split_page(seed_text)


def test_seed_has_seven_articles_with_exact_titles(seed_split):
    assert [a.title for a in seed_split.articles] == SEED_TITLES


@pytest.mark.parametrize(("left", "right"), LAYOUT_BREAKS)
def test_layout_breaks_are_rejoined(seed_split, left, right):
    paragraphs = [p for a in seed_split.articles for p in a.paragraphs]
    assert any(left + right in p for p in paragraphs)
    assert not any(p.endswith(left) for p in paragraphs)


def test_metadata_lines_never_reach_bodies(seed_split):
    bodies = [p for a in seed_split.articles for p in a.paragraphs]
    metadata = [
        "本报记者 王鑫 方大丰",
        "□孔俊勇",
        "5月18日 星期六",
        "(作者单位:中国教科文卫体工会)",
        "本报记者 王伟伟 摄",
        "本报记者 黄仕强",
        "杨明清 本报记者 张楠 本报通讯员 匡润金",
        "本报通讯员 胡智慧",
        "本报讯(记者张静 通讯员贺鹏 胡雪莹)",
    ]
    for line in metadata:
        assert not any(line in p for p in bodies), line
    for p in bodies:
        assert parse_byline(p) is None
        assert not re.fullmatch(r"\(作者单位.*\)", p)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the outlet written right before the role word is whose reporter, not a person
        ("晚报记者 陈思远 晚报实习生 王丽", [("陈思远", "记者"), ("王丽", "实习生")]),
        ("文 | 晚报记者 陈思远", [("陈思远", "记者")]),
        ("文｜陈思远", [("陈思远", None)]),  # 文| as 文/
        ("陈思远 记者 王丽", [("陈思远", None), ("王丽", "记者")]),  # spaced: a name
        ("李明 制图", [("李明", None)]),
    ],
)
def test_bylines_with_an_outlet_or_a_bar(line, expected):
    assert [(c.name, c.role) for c in parse_byline(line)] == expected


def test_a_picture_the_outlet_made_names_no_one():
    assert parse_byline("晚报制图") == []
    assert parse_byline("眾新聞製圖") == []
    assert [(c.name, c.photo) for c in parse_byline("李明 制图")] == [("李明", True)]


def test_authors_parsed_for_every_seed_article(seed_split):
    authors = [a.authors for a in seed_split.articles]
    assert authors == [
        ["王鑫", "方大丰"],
        ["孔俊勇"],
        ["王伟伟"],
        ["张静", "贺鹏", "胡雪莹"],
        ["黄仕强"],
        ["杨明清", "张楠", "匡润金"],
        ["胡智慧"],
    ]
    roles = {c.name: c.role for a in seed_split.articles for c in a.contributors}
    assert roles["张静"] == "记者"
    assert roles["胡雪莹"] == "通讯员"
    assert roles["匡润金"] == "本报通讯员"
    assert roles["杨明清"] is None


def test_seed_metadata_fields(seed_split):
    first, diary, photo, news, *_ = seed_split.articles
    assert first.kicker.endswith("——")
    assert first.column == "强基层增活力 工会建设在行动"
    assert first.sections == ["党政支持夯实基础", "聚力“六强”开创新局", "服务县域发展彰显作为"]
    assert diary.kind == "diary"
    assert diary.column == "蹲点日记"
    assert diary.date_line == "5月18日 星期六"
    assert diary.author_unit == "作者单位:中国教科文卫体工会"
    assert photo.kind == "photo"
    assert [c.photo for c in photo.contributors] == [True]
    assert news.dateline == "本报讯"
    assert news.paragraphs[0].startswith("近日,在湖北省总工会指导下")
    assert seed_split.articles[-1].kind == "photo"


def test_body_characters_come_from_source_in_order(seed_text, seed_split):
    """HanLP-style invariant: every body character is in the source, in order, and each
    paragraph's recorded spans give back exactly its text."""
    source = normalize_line(seed_text.replace("\n", ""))
    body = "".join(p for a in seed_split.articles for p in a.paragraphs)
    it = iter(source)
    assert all(ch in it for ch in body)
    for article in seed_split.articles:
        for paragraph, spans in zip(article.paragraphs, article.paragraph_spans, strict=True):
            assert "".join(normalize_line(seed_text[s:e]) for s, e in spans) == paragraph
        starts = [s for spans in article.paragraph_spans for s, _ in spans]
        ends = [e for spans in article.paragraph_spans for _, e in spans]
        assert article.start <= min(starts) and max(ends) <= article.end


def test_every_line_is_labelled(seed_split):
    assert all(line.label and line.rule for line in seed_split.lines)
    assert sum(1 for line in seed_split.lines if line.label == "title") == 7


# --- hand-written fixtures with other layouts ------------------------------------


def _split(fixtures_dir, name):
    return split_page(read_text(fixtures_dir / "pages" / name).text).articles


def test_page_with_one_article(fixtures_dir):
    (article,) = _split(fixtures_dir, "one_article.txt")
    assert article.title == "建筑工地上的“夏日清凉”"
    assert article.authors == ["李明远", "吴佳"]
    assert article.sections == ["送清凉送到心坎上", "权益保障不打折"]
    assert len(article.paragraphs) == 5
    assert any("早晚两头,避免正午施工" in p for p in article.paragraphs)
    assert not any("第4版" in p for p in article.paragraphs)


def test_subtitle_without_kicker_and_continuation_notes(fixtures_dir):
    first, second, third = _split(fixtures_dir, "subtitle_continuation.txt")
    assert (first.kicker, first.title) == (None, "让职工书屋“活”起来")
    assert first.subtitle == "——记全国优秀职工书屋管理员周红梅"
    assert first.authors == ["陈晓", "刘洋"]
    assert first.continuation == ["下转第三版"]
    assert first.paragraphs[-1].endswith("讲授操作技巧。")
    assert second.title == "劳动竞赛激发创新活力"
    assert second.dateline == "本报北京6月2日电"
    assert second.authors == ["王强"]
    assert second.paragraphs[0].startswith("今天,记者从全国总工会获悉")
    assert second.continuation == ["下转第二版"]
    assert third.title == "社区食堂温暖“一老一小”"
    assert third.authors == ["孙悦"]
    assert len(third.paragraphs) == 2


def test_photo_news_diary_and_untitled_brief(fixtures_dir):
    photo1, photo2, diary, brief = _split(fixtures_dir, "photo_news.txt")
    assert (photo1.column, photo1.title, photo1.kind) == ("图片新闻", "产业工人技能大比武", "photo")
    assert [(c.name, c.photo) for c in photo1.contributors] == [("赵红", True)]
    assert (photo2.title, photo2.kind, photo2.authors) == ("夏粮抢收进行时", "photo", ["刘军"])
    assert (diary.column, diary.title, diary.kind) == ("蹲点日记", "跟着环卫工人走一天", "diary")
    assert diary.date_line == "6月2日 星期日"
    assert diary.author_unit == "作者单位:山东省总工会"
    assert len(diary.paragraphs) == 3
    assert (brief.title, brief.kind, brief.dateline) == (None, "brief", "本报讯")
    assert brief.authors == ["钱进", "高原"]
    assert brief.paragraphs == [
        "近日,浙江省杭州市总工会为新就业形态劳动者开展专场招聘会,32家企业提供就业岗位1200余个。"
    ]


def test_text_before_first_headline_is_kept_as_fragment():
    page = "\n\n".join(
        [
            "(上接第一版)",
            "会议要求,各级工会要把服务职工落到实处。",
            "新标题",
            "本报记者 王五",
            "正文。",
        ]
    )
    fragment, article = split_page(page).articles
    assert fragment.kind == "fragment" and fragment.title is None
    assert fragment.continuation == ["上接第一版"]
    assert fragment.paragraphs == ["会议要求,各级工会要把服务职工落到实处。"]
    assert article.title == "新标题"


# --- held-out real pages: People's Daily 2020, answer key by a third party -----------


def test_generalizes_to_held_out_newspaper_pages():
    root = corpus_dir("newspaper_pages")
    found = titles = total = predicted = 0
    for line in (root / "gold_articles.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        split = split_page(read_text(root / page["file"]).text)
        predicted += len(split.articles)
        # the gold indexes paragraphs of text.split("\n\n"); paragraph k is on line 2k+1
        starts = {(a.lines[0].number - 1) // 2: a for a in split.articles}
        for gold in page["articles"]:
            total += 1
            article = starts.get(gold["first_paragraph"])
            if article is not None:
                found += 1
                titles += article.title == normalize_line(gold["title"])
    assert total == 100
    assert predicted == 100
    assert found == 100
    # title vs subtitle in a two-line headline without —— cannot be told apart from
    # text alone; see docs/page-splitting.md
    assert titles >= 90


# --- the shapes real pages arrive in (hand-written fixtures) ------------------------


def _page(fixtures_dir, name):
    return split_page(read_text(fixtures_dir / "pages" / name).text)


def test_web_copy_sets_site_furniture_aside(fixtures_dir):
    split = _page(fixtures_dir, "web_copy.txt")
    (article,) = split.articles
    assert article.kicker == "企业工会把服务送到班组——"
    assert article.title == "车间里来了“心理咨询师”"
    assert article.authors == ["周明", "李芳"]
    assert article.paragraphs[0].startswith("“最近总是睡不好")
    furniture = {ln.text: ln.rule for ln in split.furniture}
    # the page's list of headlines, navigation, header and footer lines
    for text in [
        "夜班公交延长到凌晨一点",
        "上一版 下一版",
        "第05版:职工生活",
        "Copyright © 2024 江城工人报社 版权所有",
        "客户端",
    ]:
        assert text in furniture
    assert "header area" in furniture["夜班公交延长到凌晨一点"]
    assert split.meta.as_dict() == {
        "date": "2024-03-12",
        "paper": "江城工人报",
        "page": "5",
        "page_name": "职工生活",
    }
    body = "".join(article.paragraphs)
    assert not any(text in body for text in furniture)


def test_briefs_letter_and_editorial(fixtures_dir):
    briefs = _page(fixtures_dir, "briefs_and_letters.txt").articles
    items, (letter, editorial) = briefs[:3], briefs[3:]
    assert [a.kind for a in items] == ["brief"] * 3
    assert {a.column for a in items} == {"职工之声"}
    assert [a.authors for a in items] == [["周小红"], ["钱伟", "孙悦"], ["吴海"]]
    assert [a.title for a in items] == [None, None, None]
    assert items[0].paragraphs[0].startswith("湖北宜昌一座物流园区")
    assert not any("（" in a.paragraphs[-1][-8:] for a in items)
    assert (letter.title, letter.kind, letter.authors) == ("食堂饭菜该改进了", "letter", ["赵建国"])
    assert "——编 者" in letter.metadata
    assert not any("赵建国" in p or "编 者" in p for p in letter.paragraphs)
    assert (editorial.kind, editorial.authors) == ("opinion", [])
    assert editorial.metadata[-3:] == ["本版策划：刘洋", "制图：张帆", "本版责编：王丽"]
    assert len(editorial.paragraphs) == 2


def test_closing_bracket_credits_and_interviews(fixtures_dir):
    report, interview = _page(fixtures_dir, "closing_credits.txt").articles
    assert report.authors == ["林晓", "陈刚", "王芳"]
    assert report.kind == "news"
    assert report.paragraphs[-1].endswith("下楼就能拿到。”一名电工说。")
    # questions of an interview are text, not headlines of new articles
    assert interview.title == "从学徒到全国技术能手"
    assert interview.authors == ["何静"]
    assert [p[:2] for p in interview.paragraphs] == ["问：", "答：", "问：", "答："]


def test_crawler_file_of_one_article_with_a_tab_joined_headline(fixtures_dir, tmp_path):
    from analysis.reading.corpus import load_articles

    df = load_articles(fixtures_dir / "pages" / "crawler_article.txt")
    (row,) = df.itertuples()
    assert (row.kicker, row.title, row.subtitle) == (
        "职工技能大赛——",
        "焊花飞溅比真功",
        "——记省职工焊工技能竞赛决赛",
    )
    assert row.sections == ["全省焊工队伍建设"]
    assert row.authors == ["韩雪", "钱进"]
    assert row.metadata[-2:] == ["本版责编：王丽", "版式设计：赵可"]
    assert row.n_paragraphs == 3


def test_crawler_records_with_field_labels(fixtures_dir):
    split = _page(fixtures_dir, "crawler_records.txt")
    first, second = split.articles
    assert (first.kicker, first.title, first.authors) == (
        "全省职工健步走活动启动——",
        "春风里迈开大步",
        ["刘洋"],
    )
    assert first.url.endswith("content_1.htm")
    # an empty 标题： field: the first line after it is the title
    assert (second.kicker, second.title, second.subtitle) == (
        None,
        "新能源车企开出“技能订单”",
        "职业院校学生提前上岗实习",
    )
    labels = {ln.text: ln.label for ln in split.lines}
    assert labels["内容："] == labels["标题："] == labels["广告"] == "furniture"


# --- invariants on every page we have ------------------------------------------------

PAGE_FIXTURES = [
    "one_article.txt",
    "photo_news.txt",
    "subtitle_continuation.txt",
    "web_copy.txt",
    "briefs_and_letters.txt",
    "closing_credits.txt",
    "crawler_article.txt",
    "crawler_records.txt",
]


def _invariant_pages(fixtures_dir, seed_text):
    yield "seed", seed_text
    for name in PAGE_FIXTURES:
        yield name, read_text(fixtures_dir / "pages" / name).text


def test_bodies_come_from_the_source_in_order(fixtures_dir, seed_text):
    for name, text in _invariant_pages(fixtures_dir, seed_text):
        split = split_page(text)
        source = normalize_line(re.sub(r"\s+", "", text))
        body = re.sub(r"\s+", "", "".join(p for a in split.articles for p in a.paragraphs))
        it = iter(source)
        assert all(ch in it for ch in body), name
        for article in split.articles:
            for paragraph, spans in zip(article.paragraphs, article.paragraph_spans, strict=True):
                rebuilt = join_pieces([normalize_line(text[s:e]) for s, e in spans])
                assert rebuilt == paragraph, name


def test_every_line_is_accounted_for(fixtures_dir, seed_text):
    """Furniture, bodies and metadata together hold every non-blank line: a furniture line
    is kept on an article; every character of a body line lies in one of the article's
    paragraph spans or in a metadata field cut off it (dateline, credits, notes)."""
    for name, text in _invariant_pages(fixtures_dir, seed_text):
        split = split_page(text)
        attached = {id(ln) for a in split.articles for ln in a.furniture}
        for line in split.lines:
            assert line.label and line.rule, (name, line.text)
            if line.label == "furniture":
                assert id(line) in attached, (name, line.text)
                continue
            assert line.article is not None, (name, line.text)
            if line.label != "body":
                continue
            article = split.articles[line.article - 1]
            covered = {
                k for spans in article.paragraph_spans for s, e in spans for k in range(s, e)
            }
            cut = "".join(text[k] for k in range(line.start, line.end) if k not in covered)
            pool = "".join(
                [article.dateline or "", *article.metadata, *article.continuation]
                + [c.name + (c.role or "") for c in article.contributors]
            )
            lost = Counter(_cjk(cut)) - Counter(_cjk(pool))
            assert not lost, (name, line.text, "".join(lost.elements()))


def _cjk(text: str) -> list[str]:
    return [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]


# --- the real pages of the development set, scored as the issue asks ------------------


def _score_module():
    import importlib.util

    root = corpus_dir("real_pages_dev")
    spec = importlib.util.spec_from_file_location("pagescore", root / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return root, module


@pytest.mark.parametrize(
    ("gold_name", "markdown"),
    [("gold.jsonl", False), ("labour/gold.jsonl", False), ("gold.jsonl", True)],
    ids=["real_pages_dev", "labour", "md"],
)
def test_real_pages_meet_the_targets_per_source(gold_name, markdown):
    """Each source meets the issue's targets; with ``markdown``, the pdm pages are read
    from the markdown article files they were built from, one folder a page."""
    from analysis.reading.corpus import load_articles

    root, score = _score_module()
    rows = score.load_gold([root / gold_name])
    per_source = {}
    for row in rows:
        path = Path(row["_abs"])
        if markdown:
            if not path.name.startswith("pdm_"):
                continue
            _, date, page = path.stem.split("_")
            path = root / "md" / f"{date}_{page[1:]}"
        df = load_articles(path)
        fields = ["title", "kicker", "subtitle", "column", "authors", "kind", "paragraphs"]
        pred = [
            {k: (v if isinstance(v, list | str) else None) for k, v in record.items()}
            for record in df[fields].to_dict("records")
        ]
        stats = per_source.setdefault(score.source_key(row["source"]), score.new_stats())
        score.add(stats, score.score_page(row, pred, False))
    for source, stats in per_source.items():
        figures = score.summary(stats)
        assert figures["F1"] >= 0.95, (source, figures)
        assert figures["title"] is None or figures["title"] >= 0.90, (source, figures)
        assert figures["authors"] >= 0.90, (source, figures)
        assert figures["leaks"] == 0, (source, figures)


@pytest.mark.parametrize("gold_name", ["gold.jsonl", "labour/gold.jsonl"])
def test_real_pages_read_as_one_folder_keep_every_article(gold_name):
    """Read together, the folder's repeated lines are boilerplate; no article is lost."""
    from analysis.reading.corpus import load_articles

    root, score = _score_module()
    rows = score.load_gold([root / gold_name])
    df = load_articles(Path(rows[0]["_abs"]).parent)
    fields = ["title", "kicker", "subtitle", "column", "authors", "kind", "paragraphs"]
    stats = score.new_stats()
    for row in rows:
        page = df[df["source"].str.endswith(Path(row["_abs"]).name)]
        pred = [
            {k: (v if isinstance(v, list | str) else None) for k, v in record.items()}
            for record in page[fields].to_dict("records")
        ]
        score.add(stats, score.score_page(row, pred, False))
    figures = score.summary(stats)
    assert figures["F1"] >= 0.98 and figures["leaks"] == 0, figures


def test_a_huge_page_is_read_in_segments_with_the_same_articles(monkeypatch, seed_text):
    """Pages joined into one file are cut between articles; sequential and parallel
    segments give the articles, spans and line numbers the pages give one by one."""
    from analysis.reading import pages

    monkeypatch.setattr(pages, "SEGMENT_CHARS", 20_000)
    monkeypatch.setattr(pages, "_SEGMENT_SLACK", 5_000)
    copies = 12
    text = (seed_text + "\n\n") * copies
    assert len(pages._segment_bounds(text)) > 3
    one = split_page(seed_text).articles
    for keep_lines in (True, False):  # False: segments split in worker processes
        articles = split_page(text, keep_lines=keep_lines).articles
        assert [a.title for a in articles] == [a.title for a in one] * copies
        assert [a.paragraphs for a in articles] == [a.paragraphs for a in one] * copies
        for article in articles:
            for paragraph, spans in zip(article.paragraphs, article.paragraph_spans, strict=True):
                assert "".join(normalize_line(text[s:e]) for s, e in spans) == paragraph
    numbers = [ln.number for ln in split_page(text).lines]
    assert numbers == [k for k, line in enumerate(text.split("\n"), start=1) if line.strip()]


@pytest.mark.parametrize(
    ("opening", "authors", "dateline"),
    [
        # Taiwan's papers print the writers and the place in brackets before the text
        ("〔記者林明、王安／台北報導〕", ["林明", "王安"], "〔記者林明、王安／台北報導〕"),
        ("（記者林明／台北報導）", ["林明"], "（記者林明／台北報導）"),
        ("【記者 林明／綜合報導】", ["林明"], "【記者 林明／綜合報導】"),
        # a desk's credit names no one: no writer, the credit still cut off as the dateline
        ("【即時新聞／綜合報導】", [], "【即時新聞／綜合報導】"),
    ],
)
def test_a_bracketed_credit_with_its_place_names_the_writers(opening, authors, dateline):
    text = "立法院今天三讀通過總預算案，朝野協商順利。"
    page = f"立法院今三讀通過預算案\n\n{opening}{text}\n\n行政院表示歡迎。\n"
    (article,) = split_page(page).articles
    assert article.authors == authors
    assert article.dateline == dateline
    assert article.paragraphs[0] == text


def test_a_web_page_title_kept_by_a_crawler_opens_the_article_it_names():
    # each record of a crawler's dump starts with the page's <title> (site-headline);
    # the headline proper follows, indented otherwise than the paragraphs
    record = (
        "城市网-{title}\n\n\n\t    \t {kicker}\n\t    \t {title}\n\n2026-03-29\n\n"
        "　　本报讯（记者 {name}）{body}\n\n　　市民对此表示欢迎，称出行方便了许多。\n"
    )
    page = "\n".join(
        [
            record.format(
                title="市民公园新增百个停车位",
                kicker="夜间免费开放",
                name="李明",
                body="昨天，市民公园东门新建的停车场投入使用，共有车位一百个。",
            ),
            record.format(
                title="老旧小区加装电梯提速",
                kicker="今年已完工八十部",
                name="王芳",
                body="记者从市住建局获悉，全市老旧小区加装电梯工作进展顺利。",
            ),
        ]
    )
    split = split_page(page)
    assert [(a.kicker, a.title, a.authors) for a in split.articles] == [
        ("夜间免费开放", "市民公园新增百个停车位", ["李明"]),
        ("今年已完工八十部", "老旧小区加装电梯提速", ["王芳"]),
    ]
    first = next(line for line in split.lines if line.text.startswith("城市网-"))
    assert first.label == "furniture"


def test_a_headline_with_a_dash_is_no_page_title_unless_its_part_repeats():
    page = (
        "改革强军—奋楫中流\n\n本报记者 张三\n\n军队改革稳步推进，各项工作有序展开。\n\n"
        "奋楫中流\n\n本报记者 李四\n\n另一篇文章的正文，写的是别的事情。\n"
    )
    assert [a.title for a in split_page(page).articles] == ["改革强军—奋楫中流", "奋楫中流"]


def test_a_crawler_records_keywords_end_it_and_are_kept():
    # records of text / address / score / keywords, with no headline line of their own
    texts = [
        "〔记者李明／杭州报道〕市区新开通的三条公交线路今天起试运行，沿线居民出行更方便。",
        "〔记者王芳／宁波报道〕港口集装箱吞吐量再创新高，前十个月同比增长百分之八。",
        "〔记者陈刚／温州报道〕老城区改造项目进入收尾阶段，街巷面貌焕然一新。",
    ]
    page = "\n\n".join(
        f"{text}\nhttp://news.example.com/story/{k}\n{k * 37.5}\n公交,线路,居民"
        for k, text in enumerate(texts, start=1)
    )
    split = split_page(page)
    assert [a.paragraphs[0][:12] for a in split.articles] == [t[11:23] for t in texts]
    assert [a.authors for a in split.articles] == [["李明"], ["王芳"], ["陈刚"]]
    assert all("公交,线路,居民" in a.metadata for a in split.articles)
    score = next(line for line in split.lines if line.text == "37.5")
    assert score.label == "furniture"  # a number on its own line heads nothing


def test_a_list_of_names_in_the_text_is_no_keyword_line():
    page = (
        "表彰大会在市里召开\n\n本报记者 张三\n\n大会表彰了一批先进个人，名单如下：\n\n"
        "李明、王芳、陈刚、赵强\n\n他们在各自岗位上作出了突出贡献。\n"
    )
    (article,) = split_page(page).articles
    assert "名单如下：李明、王芳、陈刚、赵强" in "".join(article.paragraphs)
    assert not any("李明" in m for m in article.metadata)


def test_a_headline_repeated_at_the_start_of_its_text_opens_a_record():
    # an export that writes each record's headline, then the text with the headline again
    records = [
        ("夜市重开 摊主回流", "二百多个摊位今晚起恢复营业，市民可品尝各地小吃。摊主说生意"),
        ("网吧少年昏倒", "一名少年在网吧连续上网两日后昏倒，送院后已无大碍。"),
        ("旧楼加装电梯 居民分摊费用", "首批十幢旧楼下月动工，费用由居民按楼层分摊。"),
    ]
    page = "\n\n".join(f"{head}\n{head} 【本报讯】{text}" for head, text in records)
    split = split_page(page)
    assert [a.title for a in split.articles] == [head for head, _ in records]


@pytest.mark.parametrize(
    ("closing", "authors"),
    [
        ("（晓溪）", ["晓溪"]),  # a pen name closing the text
        ("(中時即時)", []),  # the outlet's realtime desk
        ("(旺報即時)", []),
        ("（新华快讯）", []),
    ],
)
def test_a_closing_bracket_names_people_not_desks(closing, authors):
    text = "市区新开通的三条公交线路今天起试运行，沿线居民出行更方便。"
    page = f"市区公交新线开通\n\n{text}\n\n{closing}\n"
    (article,) = split_page(page).articles
    assert article.authors == authors


def test_a_headline_with_ascii_commas_on_a_page_typed_so_is_no_keyword_line():
    # a copy whose text writes ASCII commas: three short parts are its headline
    page = (
        "稳就业,保民生,促发展\n\n本报记者 张三\n\n"
        "今年以来,全市新增就业岗位三万个,城镇登记失业率保持低位。\n\n"
        "市人社局表示,下一步将继续加大对重点群体的帮扶力度。\n"
    )
    (article,) = split_page(page).articles
    assert article.title == "稳就业,保民生,促发展"


def test_a_crosshead_whose_words_begin_the_next_sentence_stays_a_crosshead():
    page = (
        "县里办起乡村夜校\n\n本报记者 张三\n\n县里今年办起二十所乡村夜校，农民晚上来学技术。\n\n"
        "乡村振兴\n\n乡村振兴是夜校的主题，课程围绕种植和电商展开。\n"
    )
    (article,) = split_page(page).articles
    assert article.sections == ["乡村振兴"]
