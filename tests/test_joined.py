"""Words the segmenter splits that recur together are counted as one word (巴赫/穆特 →
巴赫穆特) while their pieces keep their own occurrences (巴赫 the composer); the `terms`
command shows which are joined; --no-join counts the pieces as cut."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from analysis import load_articles
from analysis.representations.analysed import AnalysedCorpus
from analysis.text.tokenize import default_tokenizer

FRONT = ["战事", "局势", "前线", "守军", "城区", "方向", "补给", "周边", "战况", "阵地"]
MUSIC = ["作曲家巴赫的音乐", "巴赫的作品", "演奏巴赫名曲", "纪念巴赫诞辰", "巴赫的赋格", "聆听巴赫"]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Seed paragraphs as 30 articles; ten name 巴赫穆特 (split 巴赫/穆特 by jieba) before ten
    different words, six name the composer 巴赫."""
    assert default_tokenizer().cut("巴赫穆特战事")[:2] == ["巴赫", "穆特"]
    paragraphs = [p for ps in load_articles()["paragraphs"] for p in ps]
    rows = []
    for i in range(30):
        text = paragraphs[i % len(paragraphs)]
        if i < 10:
            text += f"巴赫穆特{FRONT[i]}备受关注。"
        elif i < 16:
            text += f"{MUSIC[i - 10]}。"
        rows.append({"id": f"a{i:02d}", "title": f"第{i}条", "text": text})
    path = tmp_path_factory.mktemp("joined") / "planted.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _count(corpus: AnalysedCorpus, term: str) -> int:
    found = np.flatnonzero(corpus.terms.terms == term)
    return int(corpus.terms.counts[:, found].sum()) if len(found) else 0


def test_a_split_name_is_one_word_and_its_piece_keeps_its_own(planted):
    corpus = AnalysedCorpus(load_articles(planted))
    assert "巴赫穆特" in corpus.joined
    assert _count(corpus, "巴赫穆特") == 10
    assert _count(corpus, "巴赫") == 6
    assert _count(corpus, "穆特") == 0
    split = AnalysedCorpus(load_articles(planted), join_terms=False)
    assert split.joined == []
    assert (_count(split, "巴赫"), _count(split, "穆特"), _count(split, "巴赫穆特")) == (16, 10, 0)


def test_free_words_are_not_joined(planted):
    # 巴赫 stands alone six times, so 巴赫 + 的 or 作曲家 + 巴赫 are not one word; nor is a
    # word with a numeral, a verb or a function character at an end
    joined = set(AnalysedCorpus(load_articles(planted)).joined)
    assert not {"作曲家巴赫", "巴赫作品", "巴赫音乐"} & joined
    assert all(len(term) <= 6 for term in joined)


def test_terms_command_marks_the_joined_rows(planted):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "terms", str(planted), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {r["term"]: r for r in json.loads(done.stdout)}
    assert rows["巴赫穆特"]["joined"] is True
    assert rows["巴赫穆特"]["dependency"] == 1.0  # 穆特 occurs only there


def test_keywords_with_no_join_count_the_pieces(planted):
    run = [sys.executable, "-m", "analysis", "keywords", str(planted), "--json", "--top", "30"]
    joined = json.loads(subprocess.run(run, capture_output=True, text=True, check=True).stdout)
    split = json.loads(
        subprocess.run([*run, "--no-join"], capture_output=True, text=True, check=True).stdout
    )
    terms = {k["term"] for a in joined for k in a["keywords"]}
    split_terms = {k["term"] for a in split for k in a["keywords"]}
    assert "巴赫穆特" in terms and "穆特" not in terms
    assert "穆特" in split_terms and "巴赫穆特" not in split_terms
