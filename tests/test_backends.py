"""The fast backend gives the same filtered tokens as the jieba reference."""

from __future__ import annotations

import difflib

import pytest

from analysis.methods.keywords import article_texts
from analysis.reading.corpus import load_articles
from analysis.text.backends import default_backend
from analysis.text.tokenize import Tokenizer
from tests.conftest import corpus_dir


@pytest.fixture(scope="module")
def pair():
    return Tokenizer(backend="jieba"), Tokenizer(backend="rjieba")


def _disagreements(pair, texts):
    reference, fast = pair
    out = []
    for text in texts:
        a, b = reference.tokens(text), fast.tokens(text)
        if a != b:
            matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
            out += [(a[i:j], b[k:m]) for op, i, j, k, m in matcher.get_opcodes() if op != "equal"]
    return out


def test_rjieba_is_the_default():
    assert default_backend() == "rjieba"
    assert Tokenizer().config.backend == "rjieba"


def test_identical_filtered_tokens_on_the_seed(pair):
    texts = article_texts(load_articles())
    assert _disagreements(pair, texts) == []
    reference, fast = pair
    assert [reference.cut(t) for t in texts] == [fast.cut(t) for t in texts]


def test_identical_filtered_tokens_on_thucnews(pair):
    table = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    assert _disagreements(pair, table["text"].tolist()) == []


def test_same_dictionary_decisions(pair):
    reference, fast = pair
    assert reference.dictionary_words == fast.dictionary_words
    for word in ["县级工会", "新就业形态劳动者", "总工会", "县总工会"]:
        assert reference.backend.has_word(word) == fast.backend.has_word(word)
        assert reference.backend.tag_of(word) == fast.backend.tag_of(word)


def test_backend_is_part_of_the_fingerprint(pair):
    reference, fast = pair
    assert reference.fingerprint() != fast.fingerprint()


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'nope'"):
        Tokenizer(backend="nope").cut("工会")
