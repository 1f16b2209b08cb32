"""Term discovery proposes the compounds jieba splits."""

from __future__ import annotations

import pytest

from analysis.methods.keywords import article_texts
from analysis.reading.corpus import load_articles
from analysis.text.terms import apply_terms, discover_terms, write_dictionary
from analysis.text.tokenize import Tokenizer


@pytest.fixture(scope="module")
def table():
    return discover_terms(article_texts(load_articles()), Tokenizer(domain_dict=False))


def test_proposes_the_split_domain_terms_without_the_dictionary(table):
    proposed = table.loc[table["proposed"], "term"].tolist()
    for term in ["县级工会", "新就业形态劳动者", "快递小哥"]:
        assert term in proposed
    assert proposed.index("县级工会") < 3


def test_pieces_of_a_longer_term_are_not_proposed(table):
    proposed = set(table.loc[table["proposed"], "term"])
    assert not {"就业形态", "新就业", "形态劳动者", "就业形态劳动者"} & proposed


def test_statistics_are_sane(table):
    row = table.set_index("term").loc["新就业形态劳动者"]
    assert row["tokens"] == "新/就业/形态/劳动者"
    assert row["freq"] == 5  # 4 in article 1, 1 in the diary
    assert row["docs"] == 2
    assert row["cohesion"] > 1 and row["left_entropy"] > 0 and row["right_entropy"] > 0


def test_applying_terms_keeps_them_whole(table, tmp_path):
    plain = Tokenizer(domain_dict=False)
    sentence = "实现新就业形态劳动者建会入会"
    assert "新就业形态劳动者" not in plain.cut(sentence)
    assert "新就业形态劳动者" in apply_terms(plain, table).cut(sentence)
    path = tmp_path / "terms.txt"
    count = write_dictionary(table, path)
    assert count == int(table["proposed"].sum())
    assert "新就业形态劳动者" in Tokenizer(domain_dict=False, user_dicts=(path,)).cut(sentence)


def test_known_words_are_not_proposed():
    table = discover_terms(article_texts(load_articles()), Tokenizer())
    assert not table.loc[table["proposed"] & table["term"].isin(["县级工会", "快递小哥"])].size
