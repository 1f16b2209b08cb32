"""Clustering, themes, similarity and maps."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis.methods.keywords import article_texts
from analysis.methods.themes import (
    OTHER,
    ClusteringEdgeWarning,
    WeakClusteringWarning,
    cluster_documents,
    document_map,
    find_themes,
    paragraph_table,
    similarity,
)
from analysis.reading.corpus import load_articles
from tests.conftest import corpus_dir
from tests.test_keywords import BOILERPLATE, FRAGMENTS

# Three planted topics written from disjoint vocabularies; each document mixes the
# words of its topic in a different order, with shared function words between them.
PLANTED = {
    "sport": ["篮球", "比赛", "球队", "球员", "冠军", "教练", "联赛", "进球"],
    "finance": ["股票", "基金", "投资", "收益", "银行", "利率", "市场", "证券"],
    "health": ["医院", "医生", "患者", "药物", "治疗", "疾病", "护士", "手术"],
}


def planted_corpus(per_topic: int = 6) -> tuple[list[str], list[str]]:
    texts, truth = [], []
    for topic, words in PLANTED.items():
        for i in range(per_topic):
            chosen = [words[(i + j) % len(words)] for j in range(5)]
            texts.append("的".join(chosen) + "。" + "和".join(reversed(chosen)) + "。")
            truth.append(topic)
    return texts, truth


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def test_planted_topics_are_recovered_exactly():
    texts, truth = planted_corpus()
    for method in ("kmeans", "agglomerative", "nmf"):
        result = cluster_documents(texts, k=3, method=method)
        assert adjusted_rand_score(truth, result.labels) == 1.0, method


def test_k_is_chosen_on_planted_topics():
    texts, truth = planted_corpus()
    with pytest.warns(WeakClusteringWarning, match="only 18 documents"):
        result = cluster_documents(texts, k_max=8)
    assert result.k == 3
    assert result.chosen_automatically
    assert adjusted_rand_score(truth, result.labels) == 1.0
    scores = result.scores
    assert scores["k"].tolist() == list(range(2, 9))
    assert scores.loc[scores["chosen"], "k"].tolist() == [3]


def test_a_k_at_the_edge_of_the_range_is_said():
    texts, _ = planted_corpus()
    # three planted topics, and at most three clusters tried: the best k is the last one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        edge = cluster_documents(texts, k_max=3)
    assert edge.k == 3
    assert "largest k tried (2-3)" in edge.note and "k_max" in edge.note
    said = [str(w.message) for w in caught if issubclass(w.category, ClusteringEdgeWarning)]
    assert said == [edge.note]
    # with room above, the same three clusters are chosen inside the range: no note
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inside = cluster_documents(texts, k_max=8)
    assert inside.k == 3 and inside.note == ""
    assert not [w for w in caught if issubclass(w.category, ClusteringEdgeWarning)]
    # a k that was given is not a choice: nothing to say about the range
    assert cluster_documents(texts, k=3).note == ""


def test_a_repeated_word_does_not_pull_a_document_into_another_topic():
    # a sport document that names one finance word twenty times is still about sport:
    # with raw counts that one word outweighs its five sport words (1 + log tf does not)
    texts, truth = planted_corpus()
    texts[0] += "银行。" * 20
    for method in ("kmeans", "agglomerative", "nmf"):
        result = cluster_documents(texts, k=3, method=method)
        assert adjusted_rand_score(truth, result.labels) == 1.0, method


def test_real_articles_on_different_subjects_are_separated():
    # the first 8 articles of each of the first 4 labels (in sorted order) of a labelled
    # news corpus: 32 full articles, k chosen automatically
    df = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    labels = sorted(df["label"].unique())[:4]
    sample = df[df["label"].isin(labels)].groupby("label", sort=False).head(8)
    sample = sample.reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        result = cluster_documents(article_texts(sample))
    assert result.k == 4
    assert adjusted_rand_score(sample["label"], result.labels) >= 0.8


def test_cluster_labels_name_the_planted_vocabulary():
    texts, truth = planted_corpus()
    result = cluster_documents(texts, k=3)
    for cluster, terms in result.terms.items():
        topic = truth[int(np.flatnonzero(result.labels == cluster)[0])]
        assert set(terms[:5]) <= set(PLANTED[topic])


def test_k_selection_stays_within_bounds_on_a_tiny_corpus(articles):
    texts = article_texts(articles)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cluster_documents(texts)
    said = [str(w.message) for w in caught if issubclass(w.category, WeakClusteringWarning)]
    assert any("only 7 documents" in m for m in said)
    assert 2 <= result.k <= len(texts) - 1
    assert result.scores["k"].max() == len(texts) - 1
    # a k at the top of the range is said as such, in the warning and the result
    if result.k == len(texts) - 1:
        assert any("the most that 7 documents allow" in m for m in said)
        assert "the most that 7 documents allow" in result.note


@pytest.mark.parametrize("k", [1, 7, 10])
def test_k_outside_two_to_n_minus_one_is_rejected(articles, k):
    with pytest.raises(ValueError, match="between 2 and 6"):
        cluster_documents(article_texts(articles), k=k)


def test_cluster_labels_have_no_stopwords_or_fragments(articles):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        result = cluster_documents(article_texts(articles), k=3)
    terms = set(itertools.chain.from_iterable(result.terms.values()))
    assert not terms & (BOILERPLATE | FRAGMENTS)


def test_clustering_is_deterministic(articles):
    texts = article_texts(articles)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        first, second = cluster_documents(texts), cluster_documents(texts)
    assert first.k == second.k
    assert first.labels.tolist() == second.labels.tolist()
    assert first.scores.equals(second.scores)


def test_paragraph_units_of_the_seed(articles):
    # counted by hand: 15 + 7 + 2 + 4 + 8 + 9 + 1 body paragraphs once the six layout
    # breaks are re-joined (52 body lines in the file)
    table = paragraph_table(articles)
    assert table.groupby("id", sort=False).size().tolist() == [15, 7, 2, 4, 8, 9, 1]


def test_theme_weights_sum_to_one_and_are_deterministic(articles):
    themes = find_themes(articles)
    weights = themes.article_weights
    assert list(weights.index) == articles["id"].tolist()
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert (weights >= 0).all().all()
    assert OTHER in weights.columns
    assert find_themes(articles).article_weights.equals(weights)
    assert 2 <= themes.k <= 8


def test_each_article_leans_to_its_own_theme(articles):
    themes = find_themes(articles, k=4)
    weights = themes.article_weights.drop(columns=OTHER)
    lead = weights.idxmax(axis=1)
    # the long union article and the diary are about different things
    assert lead.iloc[0] != lead.iloc[1]
    assert "县级工会" in themes.terms[lead.iloc[0]]


def test_similarity_matrix_and_linkage(articles):
    sim, tree = similarity(articles)
    assert sim.shape == (7, 7)
    assert np.allclose(np.diag(sim), 1.0)
    assert np.allclose(sim.to_numpy(), sim.to_numpy().T)
    assert tree.shape == (6, 4)
    # the two union-organisation reports are closer than the diary is to the photo item
    ids = articles["id"].tolist()
    assert sim.loc[ids[0], ids[4]] > sim.loc[ids[1], ids[2]]


def test_document_map_is_deterministic(articles):
    first, second = document_map(articles), document_map(articles)
    assert first.equals(second)
    assert first.shape == (7, 3)
