"""The analysed corpus: one tokenization, article counts equal to tokenizing each article
whole, chart labels, metadata columns as groups and dates as periods."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from analysis import load_articles
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import article_texts
from analysis.representations.analysed import AnalysedCorpus, choose_period
from analysis.text.tokenize import default_tokenizer
from tests.conftest import corpus_dir


def _counts_by_whole_text(articles: pd.DataFrame) -> list[Counter]:
    tokenizer = default_tokenizer()
    return [Counter(tokenizer.tokens(t)) for t in article_texts(articles)]


def _counts_of(corpus: AnalysedCorpus) -> list[Counter]:
    terms, counts = corpus.terms.terms, corpus.terms.counts
    return [
        Counter(dict(zip(terms[counts[i].indices], counts[i].data.tolist(), strict=True)))
        for i in range(counts.shape[0])
    ]


def test_article_counts_are_those_of_the_whole_article_on_the_seed():
    articles = load_articles()
    corpus = AnalysedCorpus(articles)
    assert _counts_of(corpus) == _counts_by_whole_text(articles)
    # and the paragraphs add up to the bodies
    assert corpus.paragraph_terms.counts.shape == (46, len(corpus.terms.terms))
    assert corpus.paragraphs["text"].tolist() == [p for ps in articles["paragraphs"] for p in ps]


def test_article_counts_are_those_of_the_whole_article_on_thucnews():
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    articles = load_articles(path).head(200)
    kept = AnalysedCorpus(articles, keep_boilerplate=True, join_terms=False)
    assert _counts_of(kept) == _counts_by_whole_text(articles)
    # by default the boilerplate found is left out: the counts are those of the cleaned text
    corpus = AnalysedCorpus(articles, join_terms=False)
    assert corpus.boilerplate  # this sample has the site's closing "我要评论"
    cleaned = articles.assign(
        paragraphs=[corpus.boilerplate.clean(ps, count=False) for ps in articles["paragraphs"]]
    )
    cleaned["text"] = cleaned["paragraphs"].map("\n".join)
    assert _counts_of(corpus) == _counts_by_whole_text(cleaned)
    assert _counts_of(corpus) != _counts_of(kept)


def test_headline_weight_counts_the_headline_again():
    articles = load_articles()
    once, twice = AnalysedCorpus(articles), AnalysedCorpus(articles, headline_weight=2)
    row = 1  # the diary: 给快递小哥多一些理解和包容
    j = int(np.flatnonzero(once.terms.terms == "快递小哥")[0])
    assert twice.terms.counts[row, j] == once.terms.counts[row, j] + 1
    none = AnalysedCorpus(articles, headline_weight=0)
    assert none.terms.counts[row, j] == once.terms.counts[row, j] - 1


def test_labels_fall_back_from_title_to_label_to_text():
    articles = load_articles_from_rows(
        [
            {"title": "工会服务站揭牌", "label": "工会", "text": "某市总工会服务站今天揭牌。"},
            {"title": None, "label": "体育", "text": "湖人队主场击败火箭队。"},
            {"title": None, "label": None, "text": "快递小哥在暴雨中坚持派件。"},
        ]
    )
    labels = AnalysedCorpus(articles).labels(width=12)
    assert labels == [
        "1 工会服务站揭牌",
        "2 体育:湖人队主场击败火…",
        "3 快递小哥在暴雨中坚持派…",
    ]
    assert all(label.strip() and "None" not in label for label in labels)


def test_a_title_column_labels_untitled_rows():
    articles = load_articles_from_rows(
        [{"headline_text": "暴雨中的快递小哥", "text": "快递小哥在暴雨中坚持派件。"}]
    )
    corpus = AnalysedCorpus(articles, title_column="headline_text")
    assert corpus.labels() == ["1 暴雨中的快递小哥"]


def test_groups_by_column_alias_and_by_period():
    articles = load_articles_from_rows(
        [
            {"类别": "体育", "date": "2024-01-05", "text": "湖人队主场击败火箭队。"},
            {"类别": "财经", "date": "2024-02-10", "text": "基金经理看好消费板块。"},
            {"类别": "体育", "date": "2024-03-15", "text": "国足训练备战亚洲杯。"},
        ]
    )
    corpus = AnalysedCorpus(articles)
    assert corpus.groups("类别").tolist() == ["体育", "财经", "体育"]
    assert corpus.groups("month").tolist() == ["2024-01", "2024-02", "2024-03"]
    assert corpus.periods().name == "week"  # 11 weeks span: weekly is the finest ≤ 60
    names, summed = corpus.group_terms(corpus.groups("label"))
    assert names == ["体育", "财经"]
    assert summed.sum() == corpus.terms.counts.sum()
    with pytest.raises(OptionError, match=r"column 'paper' is empty.*label"):
        corpus.groups("paper")
    with pytest.raises(OptionError, match="no column 'section'"):
        corpus.groups("section")


def test_periods_without_dates_say_what_to_do():
    corpus = AnalysedCorpus(load_articles_from_rows([{"text": "湖人队主场击败火箭队。"}]))
    with pytest.raises(NotEnoughDataError, match="--date-column"):
        corpus.periods()


def test_choose_period_keeps_at_most_sixty_periods():
    days = pd.Series(pd.date_range("2024-01-01", periods=40, freq="D"))
    assert choose_period(days) == "day"
    assert choose_period(pd.Series(pd.date_range("2024-01-01", periods=200, freq="D"))) == "week"
    assert choose_period(pd.Series(pd.to_datetime(["1950-01-01", "2020-01-01"]))) == "year"


def load_articles_from_rows(rows: list[dict]) -> pd.DataFrame:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / "rows.jsonl"
    import json

    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return load_articles(path)
