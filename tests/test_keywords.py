"""Keywords and keyness on the seed page."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from analysis.errors import OptionError
from analysis.methods.keywords import _keyness_table, keyness, top_terms, vectorize
from analysis.reading.corpus import load_articles
from analysis.text.tokenize import default_tokenizer, is_number_like

# boilerplate, fragments of longer terms and bare numbers that plain jieba's
# extract_tags and textrank put in their top 10 on this page
BOILERPLATE = {"工作", "开展", "帮助", "进行", "表示", "记者", "通讯员", "本报", "近日", "介绍"}
FRAGMENTS = {"虹吸", "沙河", "两江", "新区", "点半", "县级", "形态", "小哥", "驿站", "就业"}


@pytest.fixture(scope="module")
def articles():
    return load_articles()


@pytest.fixture(scope="module")
def keywords(articles):
    return top_terms(articles, k=10)


def test_ten_keywords_per_article(keywords, articles):
    assert keywords.groupby("id").size().tolist() == [10] * len(articles)
    assert (keywords.groupby("id")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()


def test_no_boilerplate_fragment_or_number_in_top10(keywords):
    terms = set(keywords["term"])
    assert not terms & BOILERPLATE
    assert not terms & FRAGMENTS
    assert not [t for t in terms if is_number_like(t)]
    assert all(len(t) >= 2 for t in terms)


@pytest.mark.parametrize(
    ("article", "term"),
    [
        ("01", "县级工会"),
        ("01", "新就业形态劳动者"),
        ("02", "快递小哥"),
        ("03", "南沙河倒虹吸"),
        ("04", "戴家湖劳模工匠文化公园"),
        ("05", "两江新区"),
        ("05", "西洽会"),
        ("07", "残疾人"),
    ],
)
def test_domain_terms_appear_whole(keywords, article, term):
    assert term in keywords.loc[keywords["id"].str.endswith(f"-{article}"), "term"].tolist()


def test_tf_and_df_are_counts_from_the_text(keywords, articles):
    row = keywords[(keywords["term"] == "县级工会")].iloc[0]
    text = articles.set_index("id").loc[row["id"]]
    full = "\n".join([text["kicker"], text["title"], text["text"]])
    assert row["tf"] == full.count("县级工会")
    assert row["df"] == sum("县级工会" in t for t in articles["text"])


def test_background_idf_changes_the_ranking(articles):
    blended = top_terms(articles, k=10)
    corpus_only = top_terms(articles, k=10, n0=0)
    assert not blended["term"].equals(corpus_only["term"])


def test_results_are_deterministic(articles):
    first = top_terms(articles, k=10)
    second = top_terms(articles, k=10)
    assert first.equals(second)


def test_vectorizer_uses_our_analyzer_not_token_pattern(articles):
    texts = articles["text"].tolist()
    vectorizer, tfidf, counts = vectorize(texts)
    vocabulary = set(vectorizer.get_feature_names_out())
    tok = default_tokenizer()
    assert vocabulary == set().union(*(tok.tokens(t) for t in texts))
    assert "快递小哥" in vocabulary
    assert tfidf.shape == counts.shape == (7, len(vocabulary))
    assert counts.sum() == sum(len(tok.tokens(t)) for t in texts)


def test_keyness_scores_match_scipy():
    a = np.array([2.0, 15, 1, 32])
    b = np.array([0.0, 0, 30, 470])
    table = _keyness_table(np.array(["w", "x", "y", "z"]), a, b)
    for i in range(3):
        observed = [[a[i], b[i]], [a.sum() - a[i], b.sum() - b[i]]]
        g2 = chi2_contingency(observed, correction=False, lambda_="log-likelihood")[0]
        chi2 = chi2_contingency(observed, correction=True)[0]
        assert abs(table["g2"][i]) == pytest.approx(g2)
        assert abs(table["chi2"][i]) == pytest.approx(chi2)
    assert table["g2"][0] > 0 and table["g2"][2] < 0  # signed by direction
    assert table["log_ratio"][1] == pytest.approx(np.log2((15 / 50) / (0.5 / 500)))


def test_keyness_of_an_article_against_the_rest(articles):
    table = keyness(articles, articles["id"][1], k=10)
    assert table["term"].iloc[0] in {"快递小哥", "小何", "派件"}
    assert (table["g2"] > 0).all()
    assert table["g2"].is_monotonic_decreasing


def test_keyness_rejects_unknown_or_all_targets(articles):
    with pytest.raises(OptionError, match="nope"):
        keyness(articles, "nope")
    with pytest.raises(OptionError, match="reference"):
        keyness(articles, articles["id"].tolist())


def _top_per_row_loop(matrix, terms, k):
    """The row-by-row ranking top_per_row replaced, as the reference."""
    out = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        cols, values = matrix.indices[start:end], matrix.data[start:end]
        keep = values != 0
        cols, values = cols[keep], np.round(values[keep], 12)
        order = np.lexsort((terms[cols].astype(str), -values))[:k]
        out.append(cols[order].tolist())
    return out


@pytest.mark.parametrize("kind", ["plain", "ties", "huge", "negative", "nan"])
@pytest.mark.parametrize("chunk", [2_000_000, 5, 1])
def test_top_per_row_ranks_as_the_row_by_row_loop(kind, chunk, monkeypatch):
    from scipy import sparse

    from analysis.representations import matrix as matrix_module

    monkeypatch.setattr(matrix_module, "TOP_CHUNK_VALUES", chunk)
    rng = np.random.default_rng(len(kind) * 7 + chunk)
    n_rows, n_terms = 40, 500
    lengths = rng.integers(0, 30, n_rows)
    lengths[[3, 17]] = [0, 450]  # an empty row and a row far longer than the others
    indices = np.concatenate([np.sort(rng.choice(n_terms, n, replace=False)) for n in lengths])
    size = len(indices)
    data = {
        "plain": rng.random(size),
        "ties": np.round(rng.random(size) * 3) / 3 + (rng.random(size) < 0.3) * 1e-13,
        "huge": rng.normal(size=size) * 1e6,
        "negative": -rng.random(size),
        "nan": np.where(rng.random(size) < 0.05, np.nan, rng.random(size)),
    }[kind]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    m = sparse.csr_matrix((data, indices, indptr), shape=(n_rows, n_terms))
    terms = np.array([f"w{x}" for x in rng.integers(0, 10**6, n_terms)], dtype=object)
    for k in (1, 3, 10, 600):
        assert matrix_module.top_per_row(m, terms, k) == _top_per_row_loop(m, terms, k)


def test_keywords_of_a_table_equal_those_of_its_analysed_corpus(articles):
    from analysis.representations.analysed import AnalysedCorpus

    for weight in (1, 2):
        table = top_terms(articles, k=10, headline_weight=weight)
        expected = top_terms(AnalysedCorpus(articles, headline_weight=weight), k=10)
        assert table.equals(expected)
        assert table.dtypes.equals(expected.dtypes)


@pytest.mark.parametrize("unique", [True, False])
def test_keyword_lines_join_each_articles_terms(articles, unique):
    from analysis.cli.words import _keyword_lines

    table = top_terms(articles, k=4)
    ids = articles["id"].copy()
    if not unique:  # two articles of one id: both lines list the keywords of both
        ids[1] = ids[0]
        table.loc[table["id"] == articles["id"][1], "id"] = ids[0]
    lines = _keyword_lines(ids, table)
    for key, line in zip(ids, lines, strict=True):
        assert line == " ".join(table.loc[table["id"] == key, "term"])
