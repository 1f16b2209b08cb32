"""Saved e-paper HTML pages: article text, header and footer lines, metadata, decoding."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import lxml.html
import pytest

from analysis.reading import webpages
from analysis.reading.textio import DecodingWarning, InputError
from analysis.reading.webpages import TruncatedPageWarning, WebPage, read_html

HTML = Path(__file__).parent / "fixtures" / "html"
FILES = sorted(p.name for p in HTML.glob("*.html"))


def read(name: str) -> WebPage:
    return read_html((HTML / name).read_bytes(), name=name)


def lines(page: WebPage) -> list[str]:
    return page.text.split("\n\n")


@pytest.mark.parametrize("name", FILES)
def test_text_is_one_line_per_paragraph_without_markup(name: str) -> None:
    page = read(name)
    assert lines(page), name
    # one blank line between lines: no empty line, no line break inside a line
    assert all(line.strip() and "\n" not in line for line in lines(page))
    everything = "\n".join([page.text, *page.header, *page.footer])
    for leftover in ("<", ">", "&nbsp;", "&copy;", "&amp;", "font-family", "脚本文字"):
        assert leftover not in everything


@pytest.mark.parametrize("name", FILES)
def test_footers_stay_out_of_the_text(name: str) -> None:
    page = read(name)
    assert "ICP" not in page.text
    assert "版权" not in page.text
    assert any("ICP" in line for line in page.footer) or name == "minimal.html"


def test_epaper_article_headline_byline_paragraphs() -> None:
    page = read("epaper_article.html")
    body = lxml.html.parse(HTML / "epaper_article.html").xpath('//div[@id="ozoom"]/p')
    paragraphs = [p.text_content().strip("\n ") for p in body]
    assert lines(page) == [
        "老城区改造后添了新去处",
        "社区食堂飘出“家的味道”",
        "——区总工会牵线，退休职工和上班族吃上放心饭",
        "本报记者\xa0王鑫",  # a short byline outside the body element is kept
        *paragraphs,  # every <p> in order, ideographic indents and the credit （晓溪） kept
    ]
    assert paragraphs[0].startswith("　　清晨") and paragraphs[-1] == "　　（晓溪）"


def test_epaper_header_and_footer_keep_the_rest_of_the_page() -> None:
    page = read("epaper_article.html")
    assert page.header[:4] == [
        "江城工人报",
        "2024年2月1日\xa0星期四",
        "第03版:工会",
        "出版日期：2024-02-01",
    ]
    assert "上一版 下一版 放大 缩小 默认 版面导航" in page.header
    # the headline list keeps its copy of the title; the article's copy is in the text
    assert page.header[-3:] == [
        "社区食堂飘出“家的味道”",
        "技能比武练出新本领",
        "暖心驿站迎来第一场雪",
    ]
    assert page.footer == [
        "版权所有©江城工人报社 未经授权禁止转载",
        "京ICP备12345678号-1",
        "违法和不良信息举报电话：010-12345678",
        "下载客户端",
    ]


def test_epaper_meta() -> None:
    assert read("epaper_article.html").meta == {
        "title": "社区食堂飘出“家的味道”",
        "date": "2024-02-01",
        "paper": "江城工人报",
        "url": "https://epaper.example.cn/jcgrb/html/2024-02/01/content_3_1.htm",
        "site": "epaper.example.cn",
    }


def test_gb2312_page_reads_like_the_utf8_one() -> None:
    raw = (HTML / "epaper_article_gb.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # 喆 is GBK, beyond what the page declares
    gb, utf8 = read("epaper_article_gb.html"), read("epaper_article.html")
    assert (gb.encoding, utf8.encoding) == ("gb18030", "utf-8")
    assert (gb.text, gb.header, gb.footer, gb.meta) == (
        utf8.text,
        utf8.header,
        utf8.footer,
        utf8.meta,
    )
    assert "厨师周喆" in gb.text


def test_table_layout_with_br_paragraphs_and_url_date() -> None:
    page = read("url_date_table.html")
    assert lines(page)[:3] == [
        "一杯热水一句问候",
        "春运首日 车站里的志愿者",
        "本报记者　陈晨　通讯员　赵一凡",
    ]
    paragraphs = lines(page)[3:]
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("\xa0" * 4 + "昨天是春运第一天")
    assert paragraphs[-1].endswith("一直持续到春运结束。")
    assert page.header[:3] == ["滨海日报", "00001版:一版要闻", "上一期 下一期"]
    assert page.footer == ["滨海日报社版权所有\u3000鲁ICP备00000000号"]
    assert page.meta["date"] == "2008-01-25"  # from the og:url path only
    assert (page.meta["site"], page.meta["paper"]) == ("szb.example.com", "")


def test_page_without_h1_uses_the_title() -> None:
    page = read("no_h1.html")
    assert lines(page)[:3] == [
        "厂里推行“师带徒”五年",
        "老师傅带出“金牌徒弟”",
        "通讯员 李晓 本报记者 周洁",
    ]
    assert len(lines(page)) == 7
    assert page.header == ["首页 电子报 检索 2023年12月05日 星期二", "第A07版：城事"]
    # <title> minus the paper's part, confirmed by the headline on the page
    assert page.meta["title"] == "老师傅带出“金牌徒弟”"
    assert page.meta["date"] == "2023-12-05"  # <meta name="PubDate" content="2023/12/05 08:30">


def test_minimal_page() -> None:
    page = read("minimal.html")
    assert lines(page) == [
        "简讯",
        "本市今冬首场降雪昨夜到来，环卫工人连夜清扫主干道积雪。",
        "（晓溪）",
    ]
    assert (page.header, page.footer) == ([], [])
    assert page.meta == {"title": "简讯", "date": "", "paper": "", "url": "", "site": ""}


def page_with(head: str, body: str = "<p>本市昨夜迎来今冬首场降雪。</p>") -> WebPage:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return read_html(html.encode("utf-8"), name="t.html")


NAV = "".join(f'<li><a href="c{i}.htm">第{i}版：要闻</a></li>' for i in range(1, 9))
PARAS = "<p>　　第一段正文讲了一件事。</p><p>　　第二段正文接着讲。</p>"


@pytest.mark.parametrize(
    ("body", "headline", "header"),
    [
        # unmarked kicker/title/subtitle cells in the article's own table
        (
            f"<table><tr><td><ul>{NAV}</ul></td><td><table><tr><td>引题一行</td></tr>"
            f"<tr><td>大标题</td></tr><tr><td>副题一行</td></tr><tr><td>{PARAS}</td></tr>"
            "</table></td></tr></table>",
            ["引题一行", "大标题", "副题一行"],
            8,
        ),
        # a headline that is itself a link is still the headline
        (f"<ul>{NAV}</ul><div><h1><a href='c1.htm'>大标题</a></h1>{PARAS}</div>", ["大标题"], 8),
        # no article element: the masthead's <h1> is not taken with the headline
        (
            f"<h1>江城日报</h1><div>第2版</div><h1>大标题</h1><p>本报记者 王五</p>{PARAS}",
            ["大标题", "本报记者 王五"],
            2,
        ),
        # unmarked lines straight under <body> stay in the header
        (f"<div>江城日报 第2版</div>{PARAS}", [], 1),
    ],
)
def test_headline_lines_found_by_layout(body: str, headline: list[str], header: int) -> None:
    page = page_with("", body)
    assert lines(page) == [*headline, "　　第一段正文讲了一件事。", "　　第二段正文接着讲。"]
    assert len(page.header) == header


@pytest.mark.parametrize(
    ("head", "date"),
    [
        ('<meta property="og:url" content="http://a.example/html/2024-02/01/c.htm">', "2024-02-01"),
        ('<link rel="canonical" href="http://a.example/pc/20240201/c.htm">', "2024-02-01"),
        ('<meta property="og:url" content="http://a.example/2008/11/25/c.htm">', "2008-11-25"),
        ('<meta property="og:url" content="http://a.example/2024/13/45/c.htm">', ""),
        (
            '<meta property="article:published_time" content="2024-02-01T08:00:00+08:00">',
            "2024-02-01",
        ),
        ('<meta name="date" content="2024年2月1日">', "2024-02-01"),
        ('<meta name="publishdate" content="2024-02-30">', ""),
        ("<title>2024年2月1日 简讯</title>", ""),
        ("", ""),
    ],
)
def test_dates_come_only_from_meta_and_url(head: str, date: str) -> None:
    assert page_with(head).meta["date"] == date


def test_a_date_in_the_text_is_not_the_page_date() -> None:
    page = page_with("", "<p>出版日期：2024-02-01</p><p>本市昨夜迎来今冬首场降雪。</p>")
    assert page.meta["date"] == ""


def test_paper_name_is_cut_from_the_title_only_when_a_meta_tag_names_it() -> None:
    named = page_with(
        '<title>初雪来了_江城晚报</title><meta property="og:site_name" content="江城晚报">'
    )
    assert (named.meta["title"], named.meta["paper"]) == ("初雪来了", "江城晚报")
    assert page_with("<title>初雪来了_江城晚报</title>").meta["paper"] == ""


def test_script_style_and_hidden_text_are_not_text() -> None:
    body = (
        "<script>var a = '脚本';</script><style>p {color: red}</style>"
        '<div style="display: none">隐藏的字</div><p>本市昨夜迎来今冬首场降雪。</p>'
    )
    page = page_with("", body)
    assert [page.text, *page.header, *page.footer] == ["本市昨夜迎来今冬首场降雪。"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("<p>带签名的页面。</p>".encode("utf-8-sig"), "utf-8-sig"),
        ("<p>小端的页面。</p>".encode("utf-16"), "utf-16"),
        (b"<meta charset=gb2312><p>" + "国标的页面。".encode("gbk") + b"</p>", "gb18030"),
        # a stale label: bytes that are valid UTF-8 are read as UTF-8 whatever the label says
        (b"<meta charset=gb2312><p>" + "标错的页面。".encode() + b"</p>", "utf-8"),
        # no label: decoded by evidence, as a text file is (the narrowest codec that reads it)
        (b"<p>" + "未声明的页面。".encode("gb18030") + b"</p>", "gbk"),
        # Big5 under a stale utf-8 label, or none: GB18030 would read it as mojibake
        (b"<meta charset=utf-8><p>" + "臺灣標錯的頁面。".encode("big5") + b"</p>", "big5"),
        (b"<p>" + "臺灣未聲明的頁面。".encode("big5") + b"</p>", "big5"),
        (b"<meta charset=big5><p>" + "臺灣聲明的頁面。".encode("big5") + b"</p>", "big5"),
    ],
)
def test_decoding(data: bytes, encoding: str) -> None:
    page = read_html(data, name="t.html")
    assert page.encoding == encoding
    assert page.text.endswith(("的页面。", "的頁面。"))


def test_a_page_cut_off_mid_character_is_read_with_a_warning() -> None:
    data = "<html><body><p>本市昨夜迎来今冬首场降雪。</p><p>气温".encode()[:-1]
    with pytest.warns(DecodingWarning, match=r"cut\.html: UTF-8 whose last character is cut off"):
        page = read_html(data, name="cut.html")
    assert page.text.startswith("本市昨夜迎来今冬首场降雪。")


def test_a_few_damaged_bytes_are_read_as_replacement_characters() -> None:
    head = "<html><head><meta charset=gb2312></head><body>"
    text = head + "<p>本市昨夜迎来今冬首场降雪。</p>" * 30
    data = text.encode("gbk")
    at = data.index("降".encode("gbk"))
    damaged = data[:at] + b"\xff" + data[at + 1 :]  # one broken character
    with pytest.warns(DecodingWarning, match=r"t\.html: \d damaged byte sequence\(s\) in gb18030"):
        page = read_html(damaged, name="t.html")
    everything = "\n".join(all_lines(page))
    assert "\ufffd" in everything and everything.count("本市昨夜迎来今冬首场") == 30
    broken = b"<html><body><p>" + b"\xff\xfe\x80" * 40 + "正文。".encode("gbk") + b"</p>"
    with pytest.raises(InputError, match=r"^b\.html: "):
        read_html(broken, name="b.html")


def test_gb_ideographic_space_is_read_as_browsers_read_it() -> None:
    # GB18030's 0xA3A0 is the ideographic space a page indents paragraphs with; Python's
    # codec makes it the private-use U+E5E5
    data = b"<meta charset=gb2312><p>\xa3\xa0\xa3\xa0" + "段首缩进的正文。".encode("gbk") + b"</p>"
    page = read_html(data, name="t.html")
    assert "\ue5e5" not in page.text and "段首缩进的正文。" in page.text


def test_an_unlabelled_japanese_page_is_refused_not_read_as_chinese() -> None:
    text = "<p>" + "東京では今朝から雪が降り、交通機関に大きな乱れが出ています。" * 3 + "</p>"
    with pytest.raises(InputError, match=r"^j\.html: looks like Shift-JIS"):
        read_html(text.encode("shift_jis"), name="j.html")


@pytest.mark.parametrize("data", [b"<html><body>\x80\xff\x80\xff</body></html>", b"", b"  \n"])
def test_unreadable_bytes_raise_input_error_naming_the_file(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^broken\.html: .*save"):
        read_html(data, name="broken.html")


def all_lines(page: WebPage) -> list[str]:
    return [*page.header, *page.text.split("\n\n"), *page.footer]


# --- markup that is not text, and pages without the usual parts ------------------------------


@pytest.mark.parametrize(
    ("body", "text", "absent"),
    [
        (  # comments, a conditional comment, and one left open at the end
            "<p>正文一句。<!-- 注释：不是正文 -->接着说。</p><!--[if IE]><p>条件注释</p>"
            "<![endif]--><p>第二句。</p><!-- 未闭合的注释 <p>之后</p>",
            ["正文一句。接着说。", "第二句。"],
            ["注释", "之后"],
        ),
        (  # processing instructions, and an XML declaration that is not at the start
            '<?xml-stylesheet href="a.xsl"?><?php echo "服务器代码"; ?><p>正文一句。</p>'
            '<?xml version="1.0" encoding="gbk"?>',
            ["正文一句。"],
            ["服务器代码", "<?", "?>"],
        ),
        (  # CDATA is a comment in HTML, as in a browser: up to the first '>'
            "<p>前文<![CDATA[数据]]>后文。</p>",
            ["前文"],
            ["数据", "CDATA"],
        ),
        (  # markup inside scripts and styles, and a script left open at the end
            '<script>document.write("<p>脚本里的段落</p>");</script>'
            '<style>p::before {content: "样式字"}</style><p>正文一句。</p><script>var a = "脚本',
            ["正文一句。"],
            ["脚本", "样式", "document"],
        ),
    ],
    ids=["comments", "processing-instructions", "cdata", "scripts-and-styles"],
)
def test_markup_that_is_not_text_is_left_out(body: str, text: list[str], absent: list[str]):
    page = read_html(f"<html><body>{body}</body></html>".encode(), name="t.html")
    everything = "\n".join([page.text, *page.header, *page.footer])
    assert all(line in everything for line in text)
    assert not [word for word in absent if word in everything]


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>简讯</title></head><p>本市昨夜迎来今冬首场降雪。</p></html>",
        "<title>简讯</title><div><p>本市昨夜迎来今冬首场降雪。</p></div>",
        "<html><head><title>简讯</title></head></html>本市昨夜迎来今冬首场降雪。",
    ],
    ids=["no-body", "no-html-head-or-body", "text-after-the-html"],
)
def test_pages_without_a_body(html: str) -> None:
    page = read_html(html.encode(), name="t.html")
    assert "本市昨夜迎来今冬首场降雪。" in page.text
    assert page.meta["title"] == "简讯"


def test_what_follows_the_end_of_the_html_is_kept() -> None:
    # libxml2 puts it outside the document's tree; a browser shows it at the end
    html = "<html><body><p>正文一句。</p></body></html><p>尾段一句。</p>尾字。<script>x</script>"
    page = read_html(html.encode(), name="t.html")
    assert all_lines(page) == ["正文一句。", "尾段一句。", "尾字。"]


@pytest.mark.parametrize(
    "meta",
    ["<meta charset=gbk>", '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'],
    ids=["charset", "http-equiv"],
)
def test_gbk_page_declared_in_a_meta_tag(meta: str) -> None:
    body = "<p>厨师周喆做的饭。</p>"
    html = f"<html><head>{meta}<title>简讯</title></head><body>{body}</body></html>"
    data = html.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # 喆 is GBK only
    page = read_html(data, name="t.html")
    assert page.encoding == "gb18030"
    assert page.text.split("\n\n") == ["简讯", "厨师周喆做的饭。"]


# --- deep pages ---------------------------------------------------------------------------


def nested(depth: int) -> tuple[bytes, list[str]]:
    """A page of ``depth`` nested <div>, each with its own line of Chinese text."""
    levels = [f"第{i}层：职工之家建设持续推进。" for i in range(depth)]
    html = "".join(f"<div><p>{line}</p>" for line in levels) + "</div>" * depth
    return f"<html><body>{html}</body></html>".encode(), levels


@pytest.mark.parametrize("depth", [10, 300, 2_100, 5_000])
def test_deep_pages_are_read_completely(depth: int) -> None:
    # 256 levels was libxml2's limit, and 2,048 is its limit with huge_tree: a page of
    # 5,000 levels kept 4.6% of its text, with no warning (issue #22). Deeper than 256,
    # the page is read again made flat below 64 levels, each line still a line
    data, levels = nested(depth)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedPageWarning)
        page = read_html(data, name="deep.html")
    assert [line for line in all_lines(page) if line.startswith("第")] == levels


def test_a_page_the_parser_still_stops_in_warns_how_much_was_read(monkeypatch):
    # nothing made flat: libxml2 stops at 2,048 levels, as on a page it cannot read
    monkeypatch.setattr(webpages, "FLAT_DEPTH", 10_000)
    data, levels = nested(5_000)
    with pytest.warns(TruncatedPageWarning) as records:
        page = read_html(data, name="deep.html")
    [record] = records
    message = str(record.message)
    assert message.startswith("deep.html: the HTML parser stopped early (libxml2: ")
    assert "save it again" in message
    read = [line for line in all_lines(page) if line.startswith("第")]
    assert 0 < len(read) < len(levels)
    share = int(re.search(r"about (\d+)% of the page's text was read", message)[1])
    assert abs(share - 100 * len(read) / len(levels)) <= 1


def test_an_article_trafilatura_gives_as_one_list_item_is_matched_piece_by_piece() -> None:
    # on a real page whose article sits in a large <li> (with its comments and lists),
    # trafilatura wrote the whole article as one line: "- " + its blocks joined by spaces,
    # the share buttons and font-size links left out
    paragraphs = [
        "9月3日，在本市举行的行业大会上，协会负责人介绍了去年全市集成电路的进出口数据。",
        "他指出，去年全市进口集成电路的金额再创新高，贸易逆差随之扩大，产业结构仍需调整。",
    ]
    html = f"""<html><body><ul><li><a href="/">首页</a></li></ul>
    <ul><li><h3>集成电路进口再创新高</h3><div>分享到：<a href="#">微博</a></div>
    <div>2019-09-07 15:10:53 字号：<a>A-</a><a>A+</a> 来源：本网</div>
    <p>{paragraphs[0]}</p><p>{paragraphs[1]}</p></li></ul></body></html>"""
    blocks = webpages._blocks(lxml.html.fromstring(html))
    line = "- 集成电路进口再创新高 2019-09-07 15:10:53 来源：本网 " + " ".join(paragraphs)
    found = {blocks[i].text for i in webpages._matched(blocks, [line])}
    assert set(paragraphs) <= found
    assert "集成电路进口再创新高" in found
    assert "首页" not in found
