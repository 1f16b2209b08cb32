"""Tokenizer: domain terms stay whole in context, filters drop what they promise."""

from __future__ import annotations

import jieba
import pytest

from analysis.text.tokenize import (
    Tokenizer,
    TokenizerConfig,
    is_number_like,
    load_stopwords,
    read_dictionary,
)

# the terms plain jieba splits on the seed page (issue: tokenization and keywords)
DOMAIN_TERMS = [
    "县级工会",
    "新就业形态劳动者",
    "南沙河倒虹吸",
    "两江新区",
    "工会驿站",
    "快递小哥",
    "劳模工匠",
    "总工会",
]


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


@pytest.fixture(scope="module")
def seed_sentences(seed_text):
    return [line for line in seed_text.splitlines() if line.strip()]


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_term_is_one_token_in_every_seed_sentence(tok, seed_sentences, term):
    sentences = [s for s in seed_sentences if term in s]
    assert sentences, f"{term} should occur in the seed"
    for sentence in sentences:
        tokens = tok.cut(sentence)
        # whole, or inside a longer dictionary word (劳模工匠 in 戴家湖劳模工匠文化公园)
        assert any(term in t for t in tokens), (term, "/".join(tokens))


def test_plain_jieba_splits_the_same_terms(seed_sentences):
    """The reason for the domain dictionary: jieba alone breaks these terms."""
    plain = jieba.Tokenizer()
    for term in ["县级工会", "新就业形态劳动者", "南沙河倒虹吸", "快递小哥", "劳模工匠"]:
        sentence = next(s for s in seed_sentences if term in s)
        assert term not in plain.lcut(sentence)


def test_place_name_keeps_its_first_character(tok):
    assert tok.cut("长沙县总工会推出") == ["长沙县", "总工会", "推出"]
    assert "市总工会" in tok.cut("同时积极与市商委、市总工会、悦来集团等相关单位沟通")


def test_tokenizer_leaves_jieba_global_alone():
    jieba.dt.initialize()
    before = len(jieba.dt.FREQ), jieba.dt.total
    ours = Tokenizer(extra_words=("测试专用新词",))
    assert ours.cut("测试专用新词") == ["测试专用新词"]
    assert (len(jieba.dt.FREQ), jieba.dt.total) == before
    assert "测试专用新词" not in jieba.dt.FREQ
    assert "县级工会" not in jieba.dt.FREQ


def test_user_dictionary_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# my words\n云助家惠工平台 nz\n白关丝瓜 20 nz\n", encoding="utf-8")
    tok = Tokenizer(user_dicts=(path,))
    assert "白关丝瓜" in tok.cut("芦淞区总工会举办白关丝瓜栽培班")
    assert {"云助家惠工平台", "白关丝瓜"} <= tok.dictionary_words
    assert read_dictionary(path)[1] == ("白关丝瓜", 20, "nz")


def test_bad_dictionary_line_names_file_and_line(tmp_path):
    from analysis.reading.textio import InputError

    path = tmp_path / "bad.txt"
    path.write_text("好词 nz\n坏词 12 nz 多余\n坏 行 x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt:3: expected 'word \[frequency\] \[tag\]'"):
        read_dictionary(path)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("28", True),
        ("5月18日", True),
        ("10点半", True),
        ("2023年", True),
        ("600多件", True),
        ("4.68亿元", True),
        ("23·7", True),
        ("第六届", True),
        ("两江", False),
        ("一线", False),
        ("工会", False),
        ("六强", False),
    ],
)
def test_number_like(word, expected):
    assert is_number_like(word) is expected


def test_stopwords_fix_the_base_list_and_add_boilerplate():
    words = load_stopwords()
    base = load_stopwords(base=False)
    assert "关于具体地说" not in words  # glued entry of the base list removed
    assert {"关于", "具体地说"} <= words
    for w in [
        "本报记者",
        "记者",
        "通讯员",
        "本报讯",
        "近日",
        "日前",
        "表示",
        "介绍",
        "据悉",
        "and",
    ]:
        assert w in base
    assert "工会" not in words and "职工" not in words


@pytest.mark.parametrize(
    ("text", "token", "rule"),
    [
        ("本报讯 近日,记者张静表示", "本报讯", "stopword"),
        ("10点半,气温渐渐上升", "10", "number"),
        ("过程 and 标准", "and", "stopword"),
        ("工作人员迅速且热情地回答", "迅速", "pos ad"),
        ("我们跟随小货车出发", "我们", "stopword"),
    ],
)
def test_explain_names_the_rule_that_dropped_a_token(tok, text, token, rule):
    table = tok.explain(text)
    row = table[table["token"] == token].iloc[0]
    assert not row["kept"]
    assert row["rule"] == rule


def test_explain_sources(tok):
    table = tok.explain("新就业形态劳动者封俊在两江新区服务")
    sources = dict(zip(table["token"], table["source"], strict=True))
    assert sources["新就业形态劳动者"] == "domain"
    assert sources["两江新区"] == "domain"
    assert sources["服务"] == "jieba"
    assert sources["封俊"] == "hmm"


def test_filtered_tokens_are_a_subsequence_of_the_text(tok, seed_text):
    """Joined tokens give back characters of the text, in order (HanLP-style invariant)."""
    for line in seed_text.splitlines():
        it = iter(line)
        assert all(ch in it for ch in "".join(tok.tokens(line)))
        assert "".join(tok.cut(line)) == line


def test_config_changes_the_fingerprint():
    assert Tokenizer().fingerprint() == Tokenizer().fingerprint()
    assert Tokenizer().fingerprint() != Tokenizer(domain_dict=False).fingerprint()
    assert Tokenizer(TokenizerConfig(min_len=1)).fingerprint() != Tokenizer().fingerprint()


# runs of Latin letters and digits, units after numbers, codes, URLs and dates: the cases
# where tokens() leaves its fast path
MIXED = [
    "2009年12月5日10点半，200多件RFID标签经35kV线路送达www.acftu.org页面",
    "SiO2和p53都是代码，and of是噪声，3.5%的人、第六届、600多件",
    "GDP增长6.9%。iPhone 15 Pro售价7999元起，A17芯片",
    "上午9:30在2号楼，联系电话010-12345678，邮箱abc@example.com。",
    "GDP%的增长，TCP/IP协议，代号X-37B，U-17男足，C++，A&B公司",
    "12点",  # a unit right after a number, at the end
    "工会",  # no run at all
    "",
]


def _reference_tokens(tok, text):
    return [t.word for t in tok.analyze(text) if t.kept]


def test_fast_path_matches_the_explained_filter(tok, seed_text):
    for text in [*MIXED, *seed_text.splitlines()]:
        assert tok.tokens(text) == _reference_tokens(tok, text), text


def test_fast_path_on_numbers_units_and_codes(tok):
    # checked by hand: dates, 10/点半, 200/多件, 35kV and the URL go; the acronym and the
    # nouns stay (送达 is a verb)
    assert tok.tokens(MIXED[0]) == ["RFID", "标签", "线路", "页面"]
    # GDP% is re-split and keeps GDP; X-37B and U-17 are codes; TCP/IP, C++ and A&B go
    assert tok.tokens(MIXED[4]) == ["GDP", "协议", "代号", "X-37B", "U-17", "男足", "公司"]


def test_fast_path_matches_the_explained_filter_on_thucnews(tok):
    from analysis.reading.corpus import load_articles
    from tests.conftest import corpus_dir

    table = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    for text in table["text"]:
        assert tok.tokens(text) == _reference_tokens(tok, text)


def test_forgetting_remembered_verdicts_changes_nothing(seed_text, monkeypatch):
    import analysis.text.tokenize as module

    reference = Tokenizer()
    expected = [reference.tokens(line) for line in seed_text.splitlines()]
    monkeypatch.setattr(module, "MAX_REMEMBERED_WORDS", 5)
    monkeypatch.setattr(module, "MAX_REMEMBERED_RUNS", 2)
    forgetful = Tokenizer()
    assert [forgetful.tokens(line) for line in seed_text.splitlines()] == expected
    assert len(forgetful._verdicts) <= 5
