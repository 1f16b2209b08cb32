"""Dictionary expansion (analysis.methods.expansion): a fixture whose answer is fixed by
construction, and real news (THUCNews-1k) where the suggestions for finance and sports
seeds must be finance and sports words."""

from __future__ import annotations

import fnmatch
import warnings
from collections import Counter, defaultdict

import pandas as pd
import pytest

from analysis import load_articles
from analysis.errors import OptionError
from analysis.methods.expansion import (
    COLUMNS,
    MissingSeedWarning,
    expand_seeds,
    suggest_words,
    word_vectors,
)
from analysis.scale.pool import tokenize_many
from analysis.text.tokenize import default_tokenizer
from tests.conftest import corpus_dir

# Wages and fruit, in frames that never mix: 薪水 has exactly the contexts of 工资, and
# 香蕉 those of 苹果, so each is the other's nearest word by construction.
SENTENCES = [
    "工厂 拖欠 工人 工资",
    "工厂 拖欠 工人 薪水",
    "老板 发放 员工 工资",
    "老板 发放 员工 薪水",
    "公司 按时 支付 工资",
    "公司 按时 支付 薪水",
    "果园 采摘 新鲜 苹果",
    "果园 采摘 新鲜 香蕉",
    "超市 出售 进口 苹果",
    "超市 出售 进口 香蕉",
    "孩子 喜欢 吃 苹果",
    "孩子 喜欢 吃 香蕉",
]
TOKENS = [s.split() for s in SENTENCES]


def test_fixture_neighbour_is_fixed_by_construction():
    table = suggest_words(TOKENS, ["工资"], min_count=2, top=30)
    assert list(table.columns) == COLUMNS
    assert len(table) == 21  # every word of the fixture but the seed
    assert table.loc[0, "word"] == "薪水"
    assert table.loc[0, "score"] == pytest.approx(1.0, abs=1e-6)
    assert table.loc[0, "count"] == 3
    assert "工资" not in set(table["word"])
    # the words of the fruit sentences never meet a wage word: their vectors are orthogonal
    fruit = table[table["word"].isin(set(" ".join(SENTENCES[6:]).split()))]
    assert len(fruit) == 11
    assert (fruit["score"] == 0).all()
    assert table["score"].iloc[1:10].gt(0.1).all()  # the words of the wage sentences
    assert table["score"].is_monotonic_decreasing


def test_fixture_two_seeds_each_find_their_twin():
    table = suggest_words(TOKENS, ["工资", "苹果"], min_count=2, combine="max")
    nearest = dict(zip(table["word"], table["nearest"], strict=True))
    assert set(table["word"].head(2)) == {"薪水", "香蕉"}
    assert nearest["薪水"] == "工资"
    assert nearest["香蕉"] == "苹果"
    assert not {"工资", "苹果"} & set(table["word"])


def test_missing_seeds_warn_and_are_skipped():
    with pytest.warns(MissingSeedWarning, match="欠薪"):
        table = suggest_words(TOKENS, ["工资", "欠薪"], min_count=2)
    assert table.loc[0, "word"] == "薪水"
    assert table.attrs["seeds"] == ["工资"]
    assert table.attrs["missing"] == ["欠薪"]


def test_all_seeds_missing_give_an_empty_table():
    with pytest.warns(MissingSeedWarning, match="讨薪, 欠薪"):
        table = suggest_words(TOKENS, ["讨薪", "欠薪"], min_count=2)
    assert table.empty
    assert list(table.columns) == COLUMNS


def test_a_seed_rarer_than_min_count_is_missing():
    tokens = [*TOKENS, ["工厂", "拖欠", "欠薪"]]
    with pytest.warns(MissingSeedWarning, match="min_count=2"):
        table = suggest_words(tokens, ["欠薪"], min_count=2)
    assert table.empty


def test_glob_seeds_expand_to_corpus_words():
    assert expand_seeds(["工*", "?果", "薪水"], ["工厂", "工人", "苹果", "香蕉", "薪水"]) == (
        ["工厂", "工人", "苹果", "薪水"],
        [],
    )
    assert expand_seeds(["工资*"], ["工人"]) == ([], ["工资*"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = suggest_words(TOKENS, ["工[资]"], min_count=2)
    assert table.attrs["seeds"] == ["工资"]
    assert table.loc[0, "word"] == "薪水"


def test_bad_options_are_option_errors():
    with pytest.raises(OptionError, match="combine"):
        suggest_words(TOKENS, ["工资"], combine="median")
    with pytest.raises(OptionError, match="window"):
        suggest_words(TOKENS, ["工资"], window=0)


def test_tiny_vocabulary_gives_an_empty_table():
    table = suggest_words([["工资", "薪水"]], ["工资"], min_count=1)
    assert table.empty
    assert list(table.columns) == COLUMNS


# -- THUCNews-1k ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def news():
    """Token lists of THUCNews-1k (one per article), their labels, and the vectors."""
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    articles = load_articles(path)
    texts = [p for ps in articles["paragraphs"] for p in ps]
    labels = [
        label
        for label, ps in zip(articles["label"], articles["paragraphs"], strict=True)
        for _ in ps
    ]
    tokens = tokenize_many(texts, default_tokenizer(), progress=False)
    return tokens, labels, word_vectors(tokens)


def _mostly_in(words, label: str, tokens, labels) -> int:
    """How many of ``words`` occur mostly (over half their occurrences) in ``label``
    articles."""
    wanted = set(words)
    by_label: dict[str, Counter] = defaultdict(Counter)
    for text_label, text_tokens in zip(labels, tokens, strict=True):
        for token in text_tokens:
            if token in wanted:
                by_label[token][text_label] += 1
    return sum(by_label[w][label] * 2 > sum(by_label[w].values()) for w in words)


def test_finance_seeds_bring_finance_words(news):
    tokens, labels, vectors = news
    table = suggest_words(tokens, ["股票"], vectors=vectors, top=20)
    # checked by hand: fund, net asset value, position (holdings), equity-biased, market
    assert {"基金", "净值", "仓位", "偏股", "大盘"} <= set(table["word"])
    assert "股票" not in set(table["word"])
    assert _mostly_in(table["word"], "财经", tokens, labels) >= 16
    both = suggest_words(tokens, ["股票", "基金"], vectors=vectors, top=20)
    assert {"债券", "净值", "收益率"} <= set(both["word"])  # bonds, NAV, rate of return
    assert not {"股票", "基金"} & set(both["word"])
    assert _mostly_in(both["word"], "财经", tokens, labels) >= 16


def test_sports_seed_brings_sports_words(news):
    tokens, labels, vectors = news
    table = suggest_words(tokens, ["篮球"], vectors=vectors, top=20)
    # checked by hand: final, guard, point guard, semi-final, NBA
    assert {"决赛", "后卫", "控卫", "半决赛", "NBA"} <= set(table["word"])
    assert _mostly_in(table["word"], "体育", tokens, labels) >= 15


def test_glob_seed_on_news(news):
    tokens, _, vectors = news
    table = suggest_words(tokens, ["基金*"], vectors=vectors, top=30)
    seeds = table.attrs["seeds"]
    assert "基金" in seeds and len(seeds) > 3
    assert all(fnmatch.fnmatchcase(s, "基金*") for s in seeds)
    assert not set(seeds) & set(table["word"])


def test_results_are_deterministic(news):
    tokens, _, _ = news
    part = tokens[:300]  # the same code path as the whole corpus, in a third of the time
    first = suggest_words(part, ["股票", "基金"], top=50)
    second = suggest_words(part, ["股票", "基金"], top=50)
    pd.testing.assert_frame_equal(first, second)
    assert len(first) == 50
