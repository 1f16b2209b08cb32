"""The co-occurrence network: counts checked against direct counts, communities, the chart."""

from __future__ import annotations

import itertools
import math
import os
from collections import Counter

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.network import COLUMNS, communities, cooccurrence
from analysis.output.network_map import network_plot
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from analysis.representations.matrix import document_terms
from tests.conftest import corpus_dir

# Two topics written for this test, one paragraph per line: a football season and a
# trade union's services to workers. They share function words and a few general ones
# (今年, 提供, 企业), not their core vocabulary.
SPORT = [
    "昨晚的比赛中,主队球员发挥出色,球队以三比一战胜对手。",
    "主教练赛后表示,球队在比赛下半场调整了战术,球员执行得很好。",
    "这名年轻球员本赛季已经打进八球,成为球队的主力前锋。",
    "比赛开始后,客队球员频频犯规,裁判出示了两张黄牌。",
    "球队将在下周客场挑战联赛领头羊,这场比赛将决定冠军归属。",
    "俱乐部宣布与三名球员续约,球队阵容保持稳定。",
    "球迷们冒雨来到球场观看比赛,为球队和球员加油助威。",
    "受伤的队长已经恢复训练,有望在下一场比赛中回到球队。",
    "联赛积分榜上,球队目前排名第三,距离榜首仅差两分。",
    "赛前训练中,教练重点演练了定位球,球员们状态很好。",
    "这场比赛的最佳球员是门将,他扑出了对方的点球。",
    "球队今年引进了两名外援球员,希望在比赛中提升进攻能力。",
]
UNION = [
    "今年工会为一线职工办实事,把服务送到车间和工地。",
    "工会干部走访企业,听取职工意见,帮助解决工资拖欠问题。",
    "工会在街道设立站点,为职工提供法律援助和心理咨询服务。",
    "夏季高温期间,工会开展“送清凉”活动,慰问坚守岗位的职工。",
    "企业的工会建起职工之家,让职工下班后有地方读书、健身。",
    "工会开展劳动技能竞赛,鼓励职工钻研技术、提高本领。",
    "工会联合人社部门举办招聘会,为生活困难的职工提供就业服务。",
    "新就业形态劳动者加入工会后,可以享受工会提供的各项服务。",
    "工会为职工子女开办暑期托管班,缓解双职工家庭的后顾之忧。",
    "工会推出线上服务,职工动动手指就能办理入会手续。",
    "工会召集职工讨论集体合同和劳动保护事项。",
    "工会服务站设在社区,为快递员、外卖骑手提供休息和饮水服务。",
]


def _articles(paragraph_lists: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": list(paragraph_lists),
            "title": [""] * len(paragraph_lists),
            "paragraphs": list(paragraph_lists.values()),
            "text": ["\n".join(ps) for ps in paragraph_lists.values()],
        }
    )


@pytest.fixture(scope="module")
def seed():
    corpus = AnalysedCorpus(load_articles())
    corpus.paragraph_terms  # noqa: B018 (sets corpus.tokenizer)
    return corpus


@pytest.fixture(scope="module")
def paragraph_sets(seed):
    """Each seed paragraph's set of words, tokenized one by one (not via the matrix)."""
    return [set(seed.tokenizer.tokens(text)) for text in seed.paragraphs["text"]]


def _direct(sets: list[set[str]], a: str, b: str) -> tuple[int, float, float]:
    """Units with both words, Jaccard and PMI, counted over sets of words."""
    both = sum(a in s and b in s for s in sets)
    n_a, n_b = sum(a in s for s in sets), sum(b in s for s in sets)
    return both, both / (n_a + n_b - both), math.log2(both * len(sets) / (n_a * n_b))


def _pairs(edges: pd.DataFrame) -> list[tuple[str, str]]:
    return list(edges[["source", "target"]].itertuples(index=False, name=None))


def _edge(edges: pd.DataFrame, a: str, b: str) -> pd.Series:
    source, target = sorted((a, b))
    row = edges[(edges["source"] == source) & (edges["target"] == target)]
    assert len(row) == 1, (a, b)
    return row.iloc[0]


# -- counts -------------------------------------------------------------------------------


def test_hand_counted_pair_of_the_seed(seed):
    # Read off the page: 快递小哥 is in body paragraphs 16, 17, 21, 22 (1-based), 小何 in
    # 18, 19, 20, 21; both only in paragraph 21. Jaccard 1 / (4 + 4 - 1) = 1/7; PMI over
    # 46 paragraphs log2(1 × 46 / (4 × 4)).
    texts = seed.paragraphs["text"].tolist()
    assert [i for i, t in enumerate(texts) if "快递小哥" in t] == [15, 16, 20, 21]
    assert [i for i, t in enumerate(texts) if "小何" in t] == [17, 18, 19, 20]
    edges = cooccurrence(seed, terms=["快递小哥", "小何"], min_count=1)
    assert list(edges.columns) == COLUMNS
    row = _edge(edges, "快递小哥", "小何")
    assert (row["n"], row["n_source"], row["n_target"]) == (1, 4, 4)
    assert row["weight"] == pytest.approx(1 / 7)
    pmi = cooccurrence(seed, terms=["快递小哥", "小何"], min_count=1, measure="pmi")
    assert _edge(pmi, "快递小哥", "小何")["weight"] == pytest.approx(math.log2(46 / 16))


@pytest.mark.parametrize("a, b", [("工会", "服务"), ("总工会", "服务"), ("县级工会", "湖南")])
def test_counts_match_a_direct_count_over_paragraphs(seed, paragraph_sets, a, b):
    both, jaccard, pmi = _direct(paragraph_sets, a, b)
    assert both >= 3  # the pairs are frequent enough to be edges by default
    row = _edge(cooccurrence(seed, terms=[a, b]), a, b)
    assert row["n"] == both
    assert row["weight"] == pytest.approx(jaccard)
    row = _edge(cooccurrence(seed, terms=[a, b], measure="pmi"), a, b)
    assert row["weight"] == pytest.approx(pmi)


def test_article_level_counts_whole_articles(seed):
    heads = ("kicker", "title", "subtitle")
    sets = []
    for _, article in seed.articles.iterrows():
        texts = [article[h] for h in heads if h in article and isinstance(article[h], str)]
        sets.append({w for t in [*texts, *article["paragraphs"]] for w in seed.tokenizer.tokens(t)})
    both, jaccard, _ = _direct(sets, "工会", "服务")
    row = _edge(
        cooccurrence(seed, level="article", terms=["工会", "服务"], min_count=1), "工会", "服务"
    )
    assert (row["n"], row["weight"]) == (both, pytest.approx(jaccard))
    assert cooccurrence(seed, level="article").attrs["units"] == 7


@pytest.mark.parametrize("min_count", [2, 3, 4])
def test_edges_are_every_pair_sharing_min_count_paragraphs(seed, paragraph_sets, min_count):
    frequency = Counter(w for s in paragraph_sets for w in s)
    candidates = {w for w, f in frequency.items() if f >= min_count}
    pairs = Counter(
        pair for s in paragraph_sets for pair in itertools.combinations(sorted(s & candidates), 2)
    )
    expected = {pair: n for pair, n in pairs.items() if n >= min_count}
    edges = cooccurrence(seed, min_count=min_count, top_terms=10_000, top_edges=10_000)
    assert edges["n"].min() == min_count
    assert dict(zip(_pairs(edges), edges["n"], strict=True)) == expected
    assert (edges["source"] < edges["target"]).all()


def test_top_terms_and_top_edges(seed, paragraph_sets):
    frequency = Counter(w for s in paragraph_sets for w in s)
    ranked = sorted((w for w in frequency if frequency[w] >= 2), key=lambda w: (-frequency[w], w))
    top = set(ranked[:10])
    pairs = Counter(
        pair for s in paragraph_sets for pair in itertools.combinations(sorted(s & top), 2)
    )
    strongest = sorted(
        (-(n / (frequency[a] + frequency[b] - n)), a, b) for (a, b), n in pairs.items() if n >= 2
    )
    edges = cooccurrence(seed, min_count=2, top_terms=10, top_edges=5)
    assert list(zip(edges["source"], edges["target"], strict=True)) == [
        (a, b) for _, a, b in strongest[:5]
    ]


def test_ties_are_broken_by_source_then_target():
    # three pairs, each in both units: Jaccard 1 for all; code points 丙 < 乙 < 甲
    edges = cooccurrence(document_terms(["甲 乙 丙"] * 2, tokenize=str.split), min_count=2)
    assert _pairs(edges) == [("丙", "乙"), ("丙", "甲"), ("乙", "甲")]
    assert edges["weight"].tolist() == [1.0, 1.0, 1.0]
    kept = cooccurrence(
        document_terms(["甲 乙 丙"] * 2, tokenize=str.split), min_count=2, top_edges=2
    )
    assert _pairs(kept) == [("丙", "乙"), ("丙", "甲")]


def test_pmi_and_jaccard_rank_pairs_differently():
    # 12 units: 甲 and 乙 share 8 of the 9 units each is in; 丙 and 丁 share 2 of 3.
    # Jaccard: 8 / 10 = 0.8 against 2 / 4 = 0.5. PMI: log2(8 × 12 / 81) = 0.245 against
    # log2(2 × 12 / 9) = 1.415, the rare pair first.
    units = ["甲 乙"] * 8 + ["甲 丙 丁", "乙 丙 丁", "丙", "丁"]
    dt = document_terms(units, tokenize=str.split)
    jaccard = cooccurrence(dt, min_count=2)
    pmi = cooccurrence(dt, min_count=2, measure="pmi")
    assert _pairs(jaccard) == [("乙", "甲"), ("丁", "丙")]
    assert jaccard["weight"].tolist() == [pytest.approx(0.8), pytest.approx(0.5)]
    assert _pairs(pmi) == [("丁", "丙"), ("乙", "甲")]
    assert pmi["weight"].tolist() == [
        pytest.approx(math.log2(24 / 9)),
        pytest.approx(math.log2(96 / 81)),
    ]


def test_too_little_text_says_to_lower_min_count():
    corpus = AnalysedCorpus(_articles({"a": ["工会为职工服务。", "工会走访职工。"]}))
    with pytest.raises(NotEnoughDataError, match="lower min_count") as error:
        cooccurrence(corpus)
    assert "\n" not in str(error.value)
    edges = cooccurrence(corpus, min_count=2)
    assert _pairs(edges) == [("工会", "职工")] and edges["n"].tolist() == [2]


@pytest.mark.parametrize(
    "option", [{"level": "sentence"}, {"measure": "dice"}, {"min_count": 0}, {"top_edges": 0}]
)
def test_bad_options_are_option_errors(seed, option):
    with pytest.raises(OptionError):
        cooccurrence(seed, **option)


# -- communities --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["greedy", "louvain"])
def test_planted_topics_fall_into_separate_communities(method):
    corpus = AnalysedCorpus(_articles({"sport": SPORT, "union": UNION}))
    groups = communities(cooccurrence(corpus, min_count=2), method=method)
    sport = {groups[w] for w in ("比赛", "球队", "球员")}
    union = {groups[w] for w in ("工会", "职工", "服务")}
    assert len(sport) == 1 and len(union) == 1 and sport != union


def test_thucnews_sport_and_finance_separate():
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    articles = load_articles(path)
    corpus = AnalysedCorpus(articles[articles["label"].isin(["体育", "财经"])])
    groups = communities(cooccurrence(corpus, level="article", min_count=5))
    sport = {groups[w] for w in ("比赛", "球队", "球员")}
    finance = {groups[w] for w in ("基金", "投资", "市场")}
    assert len(sport) == 1 and len(finance) == 1 and sport != finance


def test_communities_are_numbered_by_size_then_first_word():
    edges = pd.DataFrame(
        {
            "source": ["工会", "工会", "比赛", "基金"],
            "target": ["服务", "职工", "球队", "证券"],
            "n": 3,
            "weight": 0.5,
        }
    )
    # three parts: 工会 服务 职工 (largest), then the pairs by their first word: 基金
    # (U+57FA) before 比赛 (U+6BD4), though 球队 (U+7403) comes before 证券 (U+8BC1)
    assert communities(edges) == {
        "工会": 1,
        "服务": 1,
        "职工": 1,
        "基金": 2,
        "证券": 2,
        "比赛": 3,
        "球队": 3,
    }


def test_pairs_below_chance_do_not_join_a_community():
    edges = pd.DataFrame(
        {"source": ["工会", "工会"], "target": ["服务", "职工"], "n": 3, "weight": [1.2, -0.4]}
    )
    assert communities(edges) == {"工会": 1, "服务": 1, "职工": 2}


def test_results_are_deterministic(seed):
    first, second = cooccurrence(seed, min_count=2), cooccurrence(seed, min_count=2)
    pd.testing.assert_frame_equal(first, second)
    for method in ("greedy", "louvain"):
        assert communities(first, method=method) == communities(second, method=method)


# -- the chart ----------------------------------------------------------------------------


@pytest.mark.filterwarnings("error")
def test_plot_draws_every_word_in_chinese_with_a_fixed_layout(seed):
    edges = cooccurrence(seed, min_count=2, top_edges=80)
    words = set(edges["source"]) | set(edges["target"])
    ax = network_plot(edges, title="种子版面的共现网络")
    ax.figure.canvas.draw()  # glyphs are looked up here: a missing one fails the test
    assert {t.get_text() for t in ax.texts} == words
    again = network_plot(edges)
    assert again.network_positions == ax.network_positions
    other = network_plot(edges, seed=1)
    assert other.network_positions != ax.network_positions
    for figure in (ax.figure, again.figure, other.figure):
        plt.close(figure)


_POSITIONS_SCRIPT = """
import json, matplotlib
matplotlib.use("Agg")
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from analysis.methods.network import communities, cooccurrence
from analysis.output.network_map import network_plot
edges = cooccurrence(AnalysedCorpus(load_articles()), min_count=2, top_edges=80)
ax = network_plot(edges)
print(json.dumps({"communities": sorted(communities(edges).items()),
                  "positions": sorted((k, list(v)) for k, v in ax.network_positions.items())}))
"""


def test_layout_and_communities_do_not_depend_on_string_hashing():
    # Python salts str hashes per process: anything that follows the order of a set of
    # words (a subgraph view does) moves between runs of the same input
    import subprocess
    import sys

    runs = [
        subprocess.run(
            [sys.executable, "-c", _POSITIONS_SCRIPT],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert '"positions": [[' in runs[0]


def test_plot_colours_nodes_by_community(seed):
    edges = cooccurrence(seed)
    groups = communities(edges)
    ax = network_plot(edges, communities=groups)
    nodes = ax.collections[-1]  # drawn after the edges
    colours = {tuple(c) for c in nodes.get_facecolors()}
    assert len(colours) == len(set(groups.values()))
    plt.close(ax.figure)


def test_plot_refuses_a_word_the_font_cannot_draw():
    from analysis.output.fonts import FontCoverageError

    edges = pd.DataFrame({"source": ["工会"], "target": ["𓀀"], "n": 3, "weight": 1.0})
    with pytest.raises(FontCoverageError, match="𓀀"):
        network_plot(edges)
