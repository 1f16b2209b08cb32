"""Topic models (analysis.methods.topics) and the ``topics`` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis.cli import main
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.topics import Topics, fit_topics, npmi, topic_prevalence
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from tests.conftest import corpus_dir


def test_npmi_by_hand():
    # a and b together in 2 of 4 articles, a in 2, b in 3, c never with a
    m = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]]))
    # log(0.5 / (0.5 * 0.75)) / -log(0.5) = 0.2877 / 0.6931
    assert npmi(m, ["a", "b", "c"], [["a", "b"]])[0] == pytest.approx(0.41504, abs=1e-5)
    assert npmi(m, ["a", "b", "c"], [["a", "c"]])[0] == -1.0
    # a topic of three words: the mean of its three pairs
    three = npmi(m, ["a", "b", "c"], [["a", "b", "c"]])[0]
    bc = np.log(0.25 / (0.75 * 0.5)) / -np.log(0.25)
    assert three == pytest.approx((0.41504 - 1.0 + bc) / 3, abs=1e-5)


def test_stability_matches_topics_one_to_one_by_hand():
    from analysis.methods.topics import _matched_cosines

    a = np.array([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5], [0.25, 0.25, 0.25, 0.25]])
    # the same topics in another order and another vocabulary order: all found again
    b = a[[2, 0, 1]][:, [3, 2, 1, 0]]
    same = _matched_cosines((a, list("wxyz")), (b, list("zyxw")))
    assert same == pytest.approx([1, 1, 1])
    # the second topic gone, a topic of a new word instead: it matches that, cosine 0
    c = np.array([[0.5, 0.5, 0, 0, 0], [0, 0, 0, 0, 1.0], [0.25, 0.25, 0.25, 0.25, 0]])
    changed = _matched_cosines((a, list("wxyz")), (c, list("wxyzv")))
    assert changed[0] == pytest.approx(1) and changed[2] == pytest.approx(1)
    assert changed[1] == pytest.approx(0)


def test_prevalence_means_and_intervals_by_hand():
    topics = Topics(
        "lda", 2, [["a"], ["b"]], np.zeros(2), np.array([[0.8, 0.2], [0.6, 0.4], [0.1, 0.9]])
    )
    table = topic_prevalence(topics, ["x", "x", None]).set_index(["group", "topic"])
    assert table.loc[("x", 1), "share"] == pytest.approx(0.7)
    # sd of (0.8, 0.6) is 0.1414; t(0.975, 1) = 12.706; half width 12.706 * 0.1414 / sqrt(2)
    assert table.loc[("x", 1), "high"] - 0.7 == pytest.approx(1.2706, abs=1e-3)
    assert table.loc[("x", 2), "articles"] == 2 and "None" not in table.index.get_level_values(0)


def test_bad_model_and_too_few_articles():
    articles = load_articles()
    with pytest.raises(OptionError, match="model must be one of lda, nmf"):
        fit_topics(articles, model="lsa")
    with pytest.raises(NotEnoughDataError, match="at least 3 articles"):
        fit_topics(articles[:2])


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_seed_topics_are_deterministic_and_rows_sum_to_one(model):
    corpus = AnalysedCorpus(load_articles())
    first = fit_topics(corpus, k=3, model=model)
    again = fit_topics(corpus, k=3, model=model)
    assert first.terms == again.terms and np.array_equal(first.doc_topics, again.doc_topics)
    assert first.doc_topics.shape == (7, 3)
    assert np.allclose(first.doc_topics.sum(axis=1), 1.0)
    assert all(len(t) == 10 for t in first.terms) and np.all(np.abs(first.npmi) <= 1)


def test_thucnews_topics_include_sports_and_finance():
    articles = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    found = fit_topics(articles, k=10, model="nmf")
    words = [set(t) for t in found.terms]
    # the ten labels hold sports and fund news: some topic is each (checked by reading them)
    assert any({"比赛", "球队"} <= w or {"篮板", "比赛"} <= w for w in words)
    assert any({"基金", "投资"} <= w or {"基金", "净值"} <= w for w in words)
    assert found.coherence > 0.3
    # the sports topic survives another seed and a fifth of the articles left out
    sports = next(t for t, w in enumerate(words) if {"比赛", "球队"} <= w or {"篮板", "比赛"} <= w)
    assert found.stability[sports] > 0.8 and np.all(
        (found.stability >= -1e-9) & (found.stability <= 1 + 1e-9)
    )
    assert "stability" in found.table().columns


def test_topics_command_json(capsys):
    assert main(["topics", "--k", "3", "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["k"] == 3 and [t["topic"] for t in out["topics"]] == [1, 2, 3]
    assert {"terms", "npmi", "share"} <= set(out["topics"][0])
    assert "trends" not in out  # the seed page has no date
    assert "lda, k = 3" in captured.err


def test_topics_command_writes_the_interactive_view(tmp_path, capsys):
    page = tmp_path / "view" / "topics.html"
    assert main(["topics", "--k", "3", "--html", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "k = 3 topics" in text and "@font-face" in text
    assert f"wrote {page}" in capsys.readouterr().err
    # never inside the input
    assert main(["topics", "--k", "3", "--html", "seeds/view.html"]) == 2
    assert "--html" in capsys.readouterr().err and not Path("seeds/view.html").exists()
    assert main(["topics", "--k", "3", "--html", str(tmp_path / "view.png")]) == 2
    assert "name a .html file" in capsys.readouterr().err and not (tmp_path / "view.png").exists()


def test_topics_command_gives_trends_when_articles_are_dated(tmp_path, capsys):
    paragraphs = [p for a in load_articles()["paragraphs"] for p in a if len(p) > 40][:12]
    table = tmp_path / "dated.csv"
    lines = ["id,date,text"] + [
        f"{k},2024-0{1 + k % 3}-15,{p.replace(',', '，')}" for k, p in enumerate(paragraphs)
    ]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["topics", str(table), "--k", "2", "--model", "nmf", "--period", "month"]
    assert main([*command, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    periods = {(t["period"], t["topic"]) for t in out["trends"]}
    assert periods == {(f"2024-0{m}", t) for m in (1, 2, 3) for t in (1, 2)}


@pytest.mark.filterwarnings("ignore::analysis.methods.topics.EdgeOfRangeWarning")
@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_large_corpora_are_fitted_on_a_sample_and_the_rest_inferred(model, monkeypatch):
    # the sizes of a large corpus, scaled down: k chosen on 300 articles, the model fitted
    # on 500, the other 500 articles' shares inferred from it
    from sklearn.metrics import normalized_mutual_info_score

    import analysis.methods.topics as topics_module

    monkeypatch.setattr(topics_module, "SEARCH_DOCS", 300)
    monkeypatch.setattr(topics_module, "FIT_DOCS", 500)
    df = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    found = fit_topics(df, model=model, k_range=(8, 10, 12))
    assert "sample of 300 of the 1,000" in found.note and "inferred" in found.note
    assert np.allclose(found.doc_topics.sum(axis=1), 1, atol=1e-4)
    # each topic of the final model has a stability of its own, not the sample's mean
    assert len(found.stability) == found.k and len(set(found.stability.round(6))) > 1
    rest = np.setdiff1d(np.arange(1000), topics_module._sample(1000, 500, 0))
    assert len(rest) == 500
    # the inferred articles' main topics follow the ten labels about as well as the
    # fitted ones' (measured 0.75-0.85 for both)
    labels, main = df["label"].to_numpy()[rest], found.doc_topics[rest].argmax(axis=1)
    assert normalized_mutual_info_score(labels, main) > 0.65


def test_dmr_gives_each_group_its_own_topic_prior(tmp_path, capsys):
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    assert (
        main(["topics", str(path), "--model", "dmr", "--k", "10", "--group-by", "label", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    priors = pd.DataFrame(out["priors"])
    assert set(priors["group"]) == set(load_articles(path)["label"])
    assert np.allclose(priors.groupby("group")["prior"].sum(), 1)
    # the sports label's most likely topic is about matches (read off the run: 比赛 球队 篮板)
    sports = priors[priors["group"] == "体育"].sort_values("prior").iloc[-1]
    terms = out["topics"][int(sports["topic"]) - 1]["terms"]
    assert sports["prior"] > 0.5 and {"比赛", "球队"} <= set(terms)
    # dmr without groups says what to do, before reading anything
    assert main(["topics", str(path), "--model", "dmr"]) == 2
    assert "--group-by" in capsys.readouterr().err


@pytest.mark.parametrize("model", ["lda", "nmf"])
def test_as_many_topics_as_a_small_corpus_allows(model):
    # 6 articles, 5 topics: the stability refit on 80 % of them (4) would hold fewer
    # articles than topics, which NMF's initialisation refuses
    found = fit_topics(load_articles()[:6], k=5, model=model)
    assert found.k == 5 and len(found.stability) == 5
