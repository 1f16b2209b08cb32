"""Keywords of a large table, a part at a time: the parts are the whole table's rows, the
articles counted whole are the paragraphs' counts summed, a table written in parts is the
same file as the table written at once, and a compact table (what keywords loads) holds
the same articles and gives the same keywords."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import analysis.methods.keywords
import analysis.reading.corpus
import analysis.representations.matrix
from analysis import load_articles
from analysis.cli import main
from analysis.methods.keywords import top_term_parts, top_terms
from analysis.output.report_writer import write_csv, write_csv_parts
from analysis.reading.corpus import TraditionalTextWarning
from analysis.representations.analysed import AnalysedCorpus
from analysis.representations.matrix import top_per_row
from tests.test_boilerplate import LEAD, _planted


@pytest.fixture(scope="module")
def seed():
    return load_articles()


def test_parts_of_two_articles_are_the_rankings_of_the_whole_matrix(seed):
    parts = list(top_term_parts(seed, k=5, part=2))
    assert [p["id"].nunique() for p in parts] == [2, 2, 2, 1]
    joined = pd.concat(parts, ignore_index=True)
    # what the whole TF-IDF matrix ranks, row by row (no parts)
    corpus = AnalysedCorpus(seed)
    whole = top_per_row(corpus.tfidf(n0=50.0), corpus.terms.terms, 5)
    expected = [corpus.terms.terms[c] for row in whole for c in row]
    assert joined["term"].tolist() == expected
    assert joined["rank"].tolist() == [r + 1 for row in whole for r in range(len(row))]
    pd.testing.assert_frame_equal(joined, top_terms(seed, k=5))


@pytest.mark.parametrize("weight", [1, 3])
def test_articles_counted_whole_are_the_sum_of_their_pieces(monkeypatch, seed, tmp_path, weight):
    articles = _planted(tmp_path)  # a lead-in and lines the counts leave out
    titles = seed["title"].tolist()  # headlines of words, counted `weight` times
    articles["title"] = [titles[i % len(titles)] for i in range(len(articles))]
    pieces = AnalysedCorpus(articles, headline_weight=weight)
    assert pieces.boilerplate.leadins == [LEAD]
    # every corpus counts as large: the articles go to the workers whole
    monkeypatch.setattr(analysis.representations.matrix, "LARGE_INPUT_CHARS", 0)
    whole = AnalysedCorpus(articles, headline_weight=weight, paragraph_counts=False)
    assert whole._counts_articles_whole() and not pieces._counts_articles_whole()
    assert whole.terms.terms.tolist() == pieces.terms.terms.tolist()
    assert (whole.terms.counts != pieces.terms.counts).nnz == 0
    assert "_pieces" not in whole.__dict__  # no paragraph counts were made
    assert LEAD not in "".join(whole.terms.terms)
    assert whole.terms.counts.sum() == pieces.terms.counts.sum() > 0


def test_a_table_written_in_parts_is_the_same_file(tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "title": ["工会", None, '=HYPERLINK("x")', "+职工"],
            "score": [0.1234567891, 1 / 3, 2.0, np.nan],
            "tf": [1, 2, 3, 4],
        }
    )
    write_csv(frame, tmp_path / "whole.csv")
    rows = write_csv_parts([frame.iloc[:1], frame.iloc[1:1], frame.iloc[1:]], tmp_path / "p.csv")
    assert rows == 4
    assert (tmp_path / "p.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    text = (tmp_path / "p.csv").read_text(encoding="utf-8")
    assert text.count("id,title,score,tf") == 1 and "'=HYPERLINK" in text and "'+职工" in text


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".json", ".xlsx"])
def test_keywords_written_a_part_at_a_time_match_one_part(monkeypatch, tmp_path, suffix):
    outputs = []
    for part in (analysis.methods.keywords.PART_ARTICLES, 3):
        monkeypatch.setattr(analysis.methods.keywords, "PART_ARTICLES", part)
        out = tmp_path / f"{part}{suffix}"
        assert main(["keywords", "seeds", "--top", "4", "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("flag", [[], ["--csv"], ["--json"]])
def test_printed_keywords_a_part_at_a_time_match_one_part(monkeypatch, capsys, flag):
    printed = []
    for part in (analysis.methods.keywords.PART_ARTICLES, 2):
        monkeypatch.setattr(analysis.methods.keywords, "PART_ARTICLES", part)
        assert main(["keywords", "seeds", "--top", "3", *flag]) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert printed[0].count("id,title") <= 1
    if not flag:  # every article is printed, each under its id and title
        assert printed[0].count("\n    ") == 7
        assert "给快递小哥多一些理解和包容" in printed[0]


# -- a compact table: what keywords reads -------------------------------------------------

TRADITIONAL = [
    ("t1", "勞動者港灣開放", "臺北市總工會設立勞動者港灣，戶外勞動者隨時可進站休息、飲水與充電。"),
    (
        "t2",
        "職業技能競賽",
        "各縣市工會舉辦職業技能競賽，參賽職工人數創下歷年新高。\n獲獎者將獲得獎金。",
    ),
    ("t3", "外送員權益", "外送員的勞動權益受到關注，工會呼籲平台改善保險與休息安排。"),
]


def _traditional_table(folder) -> str:
    lines = ["id,title,text"] + [f'{i},{t},"{x}"' for i, t, x in TRADITIONAL]
    path = folder / "traditional.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("convert", [None, "t2s"])
def test_a_compact_table_holds_the_same_articles(monkeypatch, tmp_path, convert):
    monkeypatch.setattr(analysis.reading.corpus, "COMPACT_BATCH", 2)  # tables of 2 rows
    paths = ["seeds", _traditional_table(tmp_path), "tests/fixtures/tables/articles.csv"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TraditionalTextWarning)
        full = load_articles(paths, convert=convert)
        compact = load_articles(paths, convert=convert, compact=True)
    assert compact["id"].tolist() == full["id"].tolist()
    assert compact["title"].tolist() == full["title"].tolist()
    assert compact["paragraphs"].tolist() == full["paragraphs"].tolist()
    assert compact["text_chars"].tolist() == full["text"].str.len().tolist()
    assert "text" not in compact and "furniture" not in compact
    assert compact.attrs["report"] == full.attrs["report"]
    if convert:  # the Traditional rows are read in Simplified
        assert "劳动者港湾开放" in compact["title"].tolist()


def test_keywords_of_a_compact_table_are_those_of_the_whole(monkeypatch, tmp_path):
    monkeypatch.setattr(analysis.reading.corpus, "COMPACT_BATCH", 3)
    articles = _planted(tmp_path)  # with a lead-in, a copyright line and editor lines
    path = tmp_path / "planted.jsonl"
    expected = top_terms(articles, k=5)
    out = tmp_path / "kw.csv"
    assert main(["--no-cache", "keywords", str(path), "--top", "5", "-o", str(out)]) == 0
    written = pd.read_csv(out)
    assert written["term"].tolist() == expected["term"].tolist()
    assert written["id"].tolist() == expected["id"].tolist()
    assert "央视网" not in written["term"].tolist()
    # the same when the articles are counted whole by the workers
    monkeypatch.setattr(analysis.representations.matrix, "LARGE_INPUT_CHARS", 0)
    assert main(["--no-cache", "keywords", str(path), "--top", "5", "-o", str(out)]) == 0
    assert pd.read_csv(out)["term"].tolist() == expected["term"].tolist()


def test_a_compact_traditional_table_warns_and_converts_as_the_whole(capsys, tmp_path):
    path = _traditional_table(tmp_path)
    assert main(["--no-cache", "keywords", path, "--top", "3", "--json"]) == 0
    raw, err = capsys.readouterr()
    assert "Traditional characters" in err and "--convert t2s" in err
    assert main(["--no-cache", "keywords", path, "--top", "3", "--json", "--convert", "t2s"]) == 0
    converted = json.loads(capsys.readouterr().out)
    expected = top_terms(load_articles(path, convert="t2s"), k=3)
    assert [k["term"] for a in converted for k in a["keywords"]] == expected["term"].tolist()
    assert "工会" in {k["term"] for a in converted for k in a["keywords"]}
    assert json.loads(raw) != converted


def test_a_write_that_fails_after_some_parts_keeps_the_old_file(monkeypatch, tmp_path, capsys):
    import errno

    target = tmp_path / "kw.csv"
    target.write_text("the old result\n", encoding="utf-8")
    monkeypatch.setattr(analysis.methods.keywords, "PART_ARTICLES", 2)
    written = []
    original = pd.DataFrame.to_csv

    def full_after_two_parts(self, handle, *args, **kwargs):
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(self))
        return original(self, handle, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full_after_two_parts)
    assert main(["keywords", "seeds", "-o", str(target)]) == 2
    assert written and target.read_text(encoding="utf-8") == "the old result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kw.csv"]
    err = capsys.readouterr().err
    assert str(target) in err and "No space left on device" in err
