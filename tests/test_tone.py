"""Tone: dictionary scoring with negation and degree words, the bundled dictionaries, and
users' dictionary files. Expected values were worked out by hand from the rules in
analysis.methods.tone (basic dictionary: every word +1 or -1)."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.methods.tone import (
    BUNDLED,
    TONE_COLUMNS,
    load_tone_dictionary,
    modified_words,
    score_tone,
)


def tones(texts, dictionary="basic"):
    return score_tone(texts, dictionary=dictionary)["tone"].tolist()


def test_default_dictionary_gets_the_plain_cases_right():
    table = score_tone(["这家酒店服务很好", "服务不好", "质量太差了，非常失望", "今天是周一"])
    assert list(table.columns) == TONE_COLUMNS
    good, bad, worse, neutral = table["tone"]
    assert good > 0 and bad < 0 and worse < 0 and neutral == 0
    assert "很好" in table["positive"][0]
    assert table["negative"][1] == ["不好"]
    assert table["negative"][2][-2:] == ["太差", "非常失望"]
    assert table["n_hits"][3] == 0 and table["positive"][3] == [] == table["negative"][3]


def test_negation_flips_and_degree_scales():
    # 好 +1; 很 x1.5, 非常 x1.8, 稍 x0.6; 不 flips; 不 before a degree word gives x-0.5
    assert tones(["好", "很好", "非常好", "不好", "很不好", "不太好", "稍贵"]) == [
        1.0,
        1.5,
        1.8,
        -1.0,
        -1.5,
        -0.5,
        -0.6,
    ]
    # a double negation is no negation; the negator reaches 3 tokens back, not across a comma
    assert tones(["并非不好", "没有什么问题", "不，很好"]) == [1.0, 0.0, 1.5]
    table = score_tone(["房间不是很干净"], dictionary="basic")
    assert table["tone"][0] == -0.5 and table["negative"][0] == ["不是很干净"]
    assert score_tone(["非常好"])["tone"][0] > score_tone(["好"])["tone"][0] > 0


def test_tone_is_the_mean_and_score_the_sum_of_hits():
    table = score_tone(["服务热情，房间很脏。"], dictionary="basic")
    # 热情 +1, 很脏 -1.5: sum -0.5 over 2 hits
    assert table["score"][0] == -0.5 and table["n_hits"][0] == 2 and table["tone"][0] == -0.25
    assert table["positive"][0] == ["热情"] and table["negative"][0] == ["很脏"]


def test_a_word_never_matches_inside_a_longer_word(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("印度\tnegative\n", encoding="utf-8")
    assert tones(["印度尼西亚的经济", "印度的经济"], dictionary=path) == [0.0, -1.0]
    # 好 is in the basic dictionary, but not inside 好久 or 友好 (its own entry)
    table = score_tone(["好久不见", "友好"], dictionary="basic")
    assert table["n_hits"].tolist() == [0, 1] and table["positive"][1] == ["友好"]


def test_user_dictionary_files(tmp_path):
    tsv = tmp_path / "tone.tsv"
    tsv.write_text("# my words\n给力\tpositive\n坑爹\t-2\n欠薪 negative\n", encoding="utf-8")
    book = load_tone_dictionary(tsv)
    assert book.weights == {"给力": 1.0, "坑爹": -2.0, "欠薪": -1.0}
    assert tones(["真给力", "太坑爹", "没有欠薪"], dictionary=tsv) == [1.5, -3.6, 1.0]
    yml = tmp_path / "tone.yml"
    yml.write_text("positive: [讨薪成功]\nnegative: {欠薪: 2}\n", encoding="utf-8")
    table = score_tone(["工人讨薪成功", "老板欠薪"], dictionary=yml)
    # 讨薪成功 is added to the tokenizer, so it is found whole
    assert table["tone"].tolist() == [1.0, -2.0] and table["positive"][0] == ["讨薪成功"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.txt", "好\tgreat\n", "line 1: polarity 'great'"),
        ("short.txt", "好\n", "line 1: expected 'word<TAB>polarity'"),
        ("empty.txt", "# nothing\n", "no entries"),
        ("list.yml", "- 好\n- 坏\n", "must be a mapping"),
        ("broken.yml", "positive: [好\n", "not valid YML"),
        ("keys.yml", "good: [好]\n", "must be a mapping"),
        ("weight.yml", "positive: {好: -1}\n", "weight > 0"),
        ("broken.json", '{"positive": [', "not valid JSON"),
    ],
)
def test_malformed_dictionary_names_the_file_and_the_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_tone_dictionary(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_unreadable_or_missing_dictionary(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        load_tone_dictionary(tmp_path)
    binary = tmp_path / "model.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"model\.bin"):
        load_tone_dictionary(binary)
    with pytest.raises(InputError, match="no such file, and not a bundled"):
        load_tone_dictionary(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="defualt"):
        load_tone_dictionary("defualt")


def test_bundled_dictionaries_load_and_agree():
    books = {name: load_tone_dictionary(name) for name in BUNDLED}
    assert len(books["reviews"]) > 1000 and len(books["basic"]) > 500
    both = books["default"].weights
    assert both["失望"] == pytest.approx(books["reviews"].weights["失望"] - 1.0)
    assert all(len(book) for book in books.values())


def test_deterministic_and_keeps_the_index():
    import pandas as pd

    texts = pd.Series(["服务不好", None, "", "价格稍贵但是很干净"], index=[10, 11, 12, 13])
    first, second = score_tone(texts), score_tone(texts)
    pd.testing.assert_frame_equal(first, second)
    assert first.index.tolist() == [10, 11, 12, 13]
    assert first.loc[11, "tone"] == 0 and first.loc[12, "n_tokens"] == 0


def test_modified_words_are_what_training_sees():
    assert modified_words(["不", "太", "好"]) == [("好", -0.5, 0)]
    assert modified_words(["很", "好", "，", "不", "错"]) == [("好", 1.5, 0), ("错", -1.0, 3)]
