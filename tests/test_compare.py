"""Comparing two groups of articles (analysis.methods.compare) on real text: THUCNews sports and
finance news, and the seed page by kind of article.

Glyph warnings are errors in this suite (pyproject.toml), so every chart here is drawn
(``canvas.draw()``) to make a missing glyph fail the test.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from scipy.stats import chi2_contingency

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.compare import COLOR_A, COLOR_B, compare_groups, frequency_percentile
from analysis.methods.keywords import G2_THRESHOLD, LOG_RATIO_THRESHOLD
from analysis.output.comparison import (
    HTML_MAX_POINTS,
    comparison_cloud,
    comparison_html,
    comparison_plot,
)
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from tests.conftest import corpus_dir

# Read off the THUCNews rows: basketball reports (NBA teams and box scores) and fund news.
SPORTS_WORDS = {"比赛", "球队", "篮板", "球员", "季后赛"}
FINANCE_WORDS = {"基金", "投资", "股票", "收益", "指数"}


@pytest.fixture(scope="module")
def thucnews() -> AnalysedCorpus:
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    articles = load_articles(path)
    # the words as jieba cuts them (no joined terms), so the counts are those grep gives
    chosen = articles[articles["label"].isin(["体育", "财经", "时尚"])]
    return AnalysedCorpus(chosen, join_terms=False)


@pytest.fixture(scope="module")
def sports_finance(thucnews) -> pd.DataFrame:
    return compare_groups(thucnews, "label", "体育", "财经")


@pytest.fixture(scope="module")
def sports_rest(thucnews) -> pd.DataFrame:
    return compare_groups(thucnews, "label", "体育")


@pytest.fixture(scope="module")
def seed() -> AnalysedCorpus:
    return AnalysedCorpus(load_articles())


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _top(table: pd.DataFrame, side: str, n: int) -> list[str]:
    rows = table[table["side"] == side]
    return (
        rows.sort_values("g2", key=abs, ascending=False, kind="mergesort")["term"].head(n).tolist()
    )


# -- the table --------------------------------------------------------------------------


def test_sports_against_finance(sports_finance):
    table = sports_finance
    assert table.attrs == {"by": "label", "a": "体育", "b": "财经"}
    assert set(_top(table, "体育", 10)) >= SPORTS_WORDS
    assert set(_top(table, "财经", 10)) >= FINANCE_WORDS
    sports = table.set_index("term").loc[sorted(SPORTS_WORDS)]
    finance = table.set_index("term").loc[sorted(FINANCE_WORDS)]
    assert (sports["g2"] > 0).all() and (sports["log_ratio"] > 0).all()
    assert (finance["g2"] < 0).all() and (finance["log_ratio"] < 0).all()
    # 基金 is never written in the sports rows (a plain substring count says so too)
    assert table.set_index("term").loc["基金", ["n_a", "side"]].tolist() == [0, "财经"]
    assert table["g2"].is_monotonic_decreasing


def test_sides_follow_the_thresholds(sports_finance):
    table = sports_finance
    key_a = (table["g2"] >= G2_THRESHOLD) & (table["log_ratio"] >= LOG_RATIO_THRESHOLD)
    key_b = (table["g2"] <= -G2_THRESHOLD) & (table["log_ratio"] <= -LOG_RATIO_THRESHOLD)
    assert ((table["side"] == "体育") == key_a).all()
    assert ((table["side"] == "财经") == key_b).all()
    assert (table["side"].isna() == ~(key_a | key_b)).all()
    assert key_a.sum() > 100 and key_b.sum() > 100


def test_sports_against_all_others(thucnews, sports_rest, sports_finance):
    table = sports_rest
    assert table.attrs["b"] == "非体育"
    assert set(table["side"].dropna()) == {"体育", "非体育"}
    assert set(_top(table, "体育", 10)) >= SPORTS_WORDS
    assert set(_top(table, "非体育", 12)) >= FINANCE_WORDS
    # the rest is finance plus fashion: its counts are the sums of theirs
    fashion = compare_groups(thucnews, "label", "时尚", "财经", min_count=1)
    expected = (fashion.set_index("term")["n_a"] + fashion.set_index("term")["n_b"]).rename("n")
    joined = table.set_index("term")[["n_b"]].join(expected, how="left").fillna(0)
    assert (joined["n_b"] == joined["n"]).all()
    assert (
        table.set_index("term").loc[sports_finance["term"], "n_a"].to_numpy()
        == sports_finance["n_a"].to_numpy()
    ).all()


def test_frequency_percentile_as_scattertext():
    # dense rank of the counts scaled to 0-1
    counts = [0, 2, 2, 7, 30]
    assert frequency_percentile(counts).tolist() == [0.0, 1 / 3, 1 / 3, 2 / 3, 1.0]
    assert frequency_percentile([4, 4]).tolist() == [1.0, 1.0]


def test_ranks_and_percentiles_follow_counts(sports_finance):
    table = sports_finance.set_index("term")
    # 比赛 (339 times) is the most frequent term of the sports rows, 基金 (2194) of finance
    assert table.loc["比赛", ["n_a", "rank_a", "percentile_a"]].tolist() == [339, 1, 1.0]
    assert table.loc["基金", ["n_b", "rank_b", "percentile_b"]].tolist() == [2194, 1, 1.0]
    for side in ("a", "b"):
        rows = table.sort_values(f"n_{side}", kind="mergesort")
        assert rows[f"percentile_{side}"].is_monotonic_increasing
        assert (rows[f"rank_{side}"].diff().dropna() <= 0).all()
        assert (table.loc[table[f"n_{side}"] == 0, f"percentile_{side}"] == 0).all()
        levels = table.groupby(f"n_{side}")[f"percentile_{side}"].nunique()
        assert (levels == 1).all()  # equal counts, equal percentile


def _group_tokens(corpus: AnalysedCorpus, kind: str) -> list[str]:
    tokens = []
    for row in corpus.articles[corpus.articles["kind"] == kind].itertuples():
        parts = [row.kicker, row.title, row.subtitle, row.text]
        text = "\n".join(p for p in parts if isinstance(p, str) and p)
        tokens += corpus.tokenizer.tokens(text)
    return tokens


def test_seed_counts_and_log_ratio_by_hand(seed):
    table = compare_groups(seed, "kind", "news", "diary", min_count=1).set_index("term")
    news, diary = _group_tokens(seed, "news"), _group_tokens(seed, "diary")
    # 客户 is written once in the news articles and three times in the diary (counted
    # with grep); the tokenizer keeps every one of them as a word
    assert (news.count("客户"), diary.count("客户")) == (1, 3)
    assert table.loc["客户", ["n_a", "n_b"]].tolist() == [1, 3]
    for term in ("平台", "快递小哥", "服务"):
        assert table.loc[term, ["n_a", "n_b"]].tolist() == [news.count(term), diary.count(term)]
    # log ratio: log2 of (1 per len(news) tokens) over (3 per len(diary) tokens)
    expected = math.log2((1 / len(news)) / (3 / len(diary)))
    assert table.loc["客户", "log_ratio"] == pytest.approx(expected)
    assert table.loc["客户", "per_10k_b"] == pytest.approx(3 / len(diary) * 10_000)
    observed = [[1, 3], [len(news) - 1, len(diary) - 3]]
    g2, *_ = chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    assert table.loc["客户", "g2"] == pytest.approx(-g2)


def test_seed_against_the_rest(seed):
    table = compare_groups(seed, "kind", "news")
    # 服务 is 27 words of the four news articles and none of the three others
    assert table.iloc[0][["term", "n_a", "n_b", "side"]].tolist() == ["服务", 27, 0, "news"]
    assert set(table.loc[table["side"] == "非news", "term"]) == {"小何", "快递小哥", "派件", "取件"}


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (
            "足球",
            None,
            r"no group '足球' in 'label'; the groups are 体育 \(116\), 财经 \(115\), 时尚",
        ),
        ("体育", "股市", r"no group '股市'.*财经 \(115\)"),
        ("体育", "体育", "a and b are both '体育'"),
    ],
)
def test_unknown_groups(thucnews, a, b, message):
    with pytest.raises(OptionError, match=message):
        compare_groups(thucnews, "label", a, b)


def test_unknown_column(seed):
    with pytest.raises(OptionError, match="no column '版面'"):
        compare_groups(seed, "版面", "news")


def test_nothing_to_compare_with(seed):
    news = AnalysedCorpus(seed.articles[seed.articles["kind"] == "news"])
    with pytest.raises(NotEnoughDataError, match="group '非news' has no articles"):
        compare_groups(news, "kind", "news")


def test_group_without_words(seed):
    empty = seed.articles.iloc[[6]].assign(
        id="x-08", kind="日期", title="2024年12月31日", paragraphs=[["2024年12月31日"]]
    )
    empty["text"] = "2024年12月31日"
    corpus = AnalysedCorpus(pd.concat([seed.articles, empty], ignore_index=True))
    with pytest.raises(NotEnoughDataError, match="group '日期' has no words"):
        compare_groups(corpus, "kind", "日期", "news")


def test_views_refuse_other_group_names(sports_finance, tmp_path):
    with pytest.raises(OptionError, match="not '体育' and '股市'"):
        comparison_plot(sports_finance, a="体育", b="股市")
    with pytest.raises(OptionError, match="not '足球' and '财经'"):
        comparison_html(sports_finance, a="足球", b="财经", path=tmp_path / "x.html")


# -- the static plot --------------------------------------------------------------------


def test_comparison_plot(sports_finance):
    ax = comparison_plot(sports_finance, a="体育", b="财经", n_labels=10)
    fig = ax.figure
    fig.canvas.draw()  # a missing glyph warns (an error here) only when drawn
    assert ax.get_xlabel() == "体育中的词频百分位"
    assert ax.get_ylabel() == "财经中的词频百分位"
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(sports_finance)
    labels = ax.comparison_labels
    assert 10 <= len(labels) <= 20
    assert "比赛" in labels and "基金" in labels
    sides = sports_finance.set_index("term").loc[labels, "side"]
    assert sides.notna().all()
    colors = {t.get_text(): t.get_color() for t in ax.texts}
    assert all(colors[t] == (COLOR_A if s == "体育" else COLOR_B) for t, s in sides.items())
    # no two labels overlap once drawn (the text alone, leader lines aside)
    renderer = fig.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    assert not [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]


# -- the interactive page ---------------------------------------------------------------


class _Page(HTMLParser):
    """The point titles, the scripts and any attribute that loads something."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.scripts: list[dict] = []
        self.loads: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.loads += [(tag, k) for k in ("src", "href") if k in attrs]
        if tag == "script":
            self.scripts.append(attrs)
        if tag not in ("meta", "input", "rect", "line"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack[-2:] == ["circle", "title"]:
            self.titles.append(data)


def _parse(path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


def _data(text: str) -> dict:
    block = re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def test_html_is_self_contained_and_stable(sports_finance, tmp_path):
    first = comparison_html(sports_finance, a="体育", b="财经", path=tmp_path / "a.html")
    second = comparison_html(sports_finance, a="体育", b="财经", path=tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()
    text, page = _parse(first)
    assert not re.search(r"https?://|//cdn|\.js\b", text)
    assert page.loads == []
    assert [s.get("type") for s in page.scripts] == ["application/json", None]
    # fewer terms than the cap: every term is a point, titled and in the data
    assert len(sports_finance) < HTML_MAX_POINTS
    assert sorted(page.titles) == sorted(sports_finance["term"])
    data = _data(text)
    assert sorted(row[0] for row in data["terms"]) == sorted(sports_finance["term"])
    row = next(r for r in data["terms"] if r[0] == "基金")
    assert row[1:3] == [0, 2194]
    assert data["total_b"] == round(
        2194 / sports_finance.set_index("term").at["基金", "per_10k_b"] * 1e4
    )
    assert "图中是全部 1,998 个词" in text


def test_html_caps_the_points(sports_rest, tmp_path):
    assert len(sports_rest) > HTML_MAX_POINTS
    path = comparison_html(sports_rest, a="体育", b="非体育", path=tmp_path / "rest.html")
    text, page = _parse(path)
    frequent = sports_rest.assign(n=sports_rest["n_a"] + sports_rest["n_b"])
    frequent = frequent.sort_values(["n", "term"], ascending=[False, True]).head(HTML_MAX_POINTS)
    assert sorted(page.titles) == sorted(frequent["term"])
    assert f"全部 {len(sports_rest):,} 个词中两组合计最常见的 2,000 个" in text


def test_html_escapes_terms(seed, tmp_path):
    table = compare_groups(seed, "kind", "news", "diary", min_count=1)
    odd = {"平台": "<b>平台</b>", "服务": "R&D服务", "客户": '"客户"'}
    table["term"] = table["term"].replace(odd)
    table["side"] = table["side"].replace({"diary": "<diary>"})
    path = comparison_html(table, a="news", b="<diary>", path=tmp_path / "odd.html", title="A&B")
    text, page = _parse(path)
    assert "&lt;b&gt;平台&lt;/b&gt;" in text and "<b>" not in text
    assert "R&amp;D服务" in text and "&quot;客户&quot;" in text
    assert "<title>A&amp;B</title>" in text and "&lt;diary&gt;" in text
    assert sorted(page.titles) == sorted(table["term"])  # the parser unescapes them back
    block = re.search(r'id="data">(.*?)</script>', text, re.S).group(1)
    assert not set(block) & set("<>&")
    assert set(odd.values()) <= {row[0] for row in _data(text)["terms"]}
    assert _data(text)["b"] == "<diary>"


# -- the word cloud ---------------------------------------------------------------------


def test_comparison_cloud(sports_finance):
    ax = comparison_cloud(sports_finance, a="体育", b="财经", max_words=40)
    ax.figure.canvas.draw()
    words = ax.cloud_words
    assert len(words) == 40
    sides = sports_finance.set_index("term").loc[words, "side"]
    assert sides.notna().all()
    assert (sides == "体育").sum() == 20 and (sides == "财经").sum() == 20
    assert {"比赛", "基金"} <= set(words)
    assert all(
        ax.cloud_colors[w] == (COLOR_A if s == "体育" else COLOR_B) for w, s in sides.items()
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["体育", "财经"]
    again = comparison_cloud(sports_finance, a="体育", b="财经", max_words=40)
    assert np.array_equal(ax.images[0].get_array(), again.images[0].get_array())


def test_cloud_needs_key_terms(seed):
    # one photo caption has too few words for any term to be key
    table = compare_groups(seed, "kind", "news", "photo")
    assert table["side"].isna().all()
    with pytest.raises(NotEnoughDataError, match="no key term"):
        comparison_cloud(table, a="news", b="photo")
