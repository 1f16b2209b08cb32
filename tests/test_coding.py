"""Dictionaries and coding rules (analysis.methods.codebook, .coding, .code_tables) and the
``code`` command. Every expected count below was checked by hand against the words jieba
cuts (shown in the comments)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.methods.code_tables import (
    code_cooccurrence,
    code_crosstab,
    code_kwic,
    code_summary,
    code_trend,
    tone_by,
    wilson,
)
from analysis.methods.codebook import parse_rules, read_codebook
from analysis.methods.coding import code_articles, code_texts

TEXTS = [
    # 工人/讨薪/难/。/老板/拖欠工资/三个/月/，/工人/多次/讨薪/未果/。 (拖欠工资 is an
    # entry, so a word of the coding tokenizer; it is also the compound 拖欠 + 工资)
    "工人讨薪难。老板拖欠工资三个月，工人多次讨薪未果。",
    # 印度尼西亚/的/工会组织/了/安全生产/培训/。
    "印度尼西亚的工会组织了安全生产培训。",
    # 公司/按时/发放/工资/，/没有/拖欠/。
    "公司按时发放工资，没有拖欠。",
    # Traditional, cut in its Simplified form: 工人/討薪/難/，/老闆/拖欠工資/。
    "工人討薪難，老闆拖欠工資。",
    # 工资/按时/足额/发放/，/工资/条/清楚/。
    "工资按时足额发放，工资条清楚。",
    # 新就业形态劳动者/加入/总工会/。
    "新就业形态劳动者加入总工会。",
]

RULES = """
# every operator once
*讨薪
讨薪
*印度
印度
*拖欠工资
seq(拖欠-工资)
*近
near(工资-拖欠)[3]
*紧挨
near(工资-拖欠)[1]
*只有工资
工资 & !拖欠
*工资类
工资*
*字串
'讨薪难'
*引用
<*讨薪> & 工人
*优先
讨薪 | 工会 & 安全生产
*新业态
新就业形态
*工会
工会
*文字
工资 and not 拖欠 or 印度尼西亚
"""

# code → counts for TEXTS, by hand
EXPECTED = {
    "讨薪": [2, 0, 0, 1, 0, 0],  # 討薪 in Traditional counts
    "印度": [0, 0, 0, 0, 0, 0],  # never inside 印度尼西亚
    "拖欠工资": [1, 0, 0, 1, 0, 0],  # 工资…拖欠 is the wrong order; 拖欠工資 is right
    "近": [1, 0, 1, 1, 0, 0],  # 工资 and 拖欠 two words apart in the third
    "紧挨": [1, 0, 0, 1, 0, 0],
    "只有工资": [0, 0, 0, 0, 2, 0],
    "工资类": [1, 0, 1, 1, 2, 0],  # 工资* matches 工资 inside the compound 拖欠工资 too
    "字串": [1, 0, 0, 0, 0, 0],  # characters as written: 討薪難 is not 讨薪难
    "引用": [4, 0, 0, 2, 0, 0],  # 2 讨薪 + 2 工人; 討薪 + 工人
    "优先": [2, 2, 0, 1, 0, 0],  # 讨薪 | (工会 & 安全生产): 工会 inside 工会组织
    "新业态": [0, 0, 0, 0, 0, 1],  # 新就业形态 + 劳动者, both words
    "工会": [0, 1, 0, 0, 0, 0],  # 总工会: 总 is one character, so not a compound
    "文字": [0, 1, 0, 0, 2, 0],
}


@pytest.fixture(scope="module")
def coded():
    return code_texts(TEXTS, parse_rules(RULES, source="fixture"))


@pytest.mark.parametrize("code", list(EXPECTED))
def test_every_operator_counts_what_was_counted_by_hand(coded, code):
    assert coded.counts[code].tolist() == EXPECTED[code]


def test_matches_point_at_the_words(coded):
    lines = code_kwic(coded, "新业态", window=3)
    assert lines[["left", "match", "right"]].values.tolist() == [["", "新就业形态", "劳动者"]]
    near = code_kwic(coded, "近", window=2)
    assert near["match"].tolist() == ["拖欠工资", "工资，没有拖欠", "拖欠工資"]


def test_a_phrase_the_segmenter_splits_is_found(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("发放工资\n拖欠 工资\n", encoding="utf-8")
    # 公司/按时/发放/工资: the entry spans two words; the space in 拖欠 工资 is ignored
    counts = code_texts(["公司按时发放工资", "拖欠工资"], read_codebook(path)).counts["p"]
    assert counts.tolist() == [1, 1]


def test_no_phrase_or_sequence_runs_across_punctuation(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("发放工资\n", encoding="utf-8")
    book = read_codebook(path)
    book.codes.update(parse_rules("*s\nseq(拖欠-工资)").codes)
    # 发放/，/工资 and 拖欠/，/工资: punctuation between; 拖欠 工资: a space only
    coded = code_texts(["发放，工资", "拖欠，工资", "拖欠 工资"], book)
    assert coded.counts["p"].tolist() == [0, 0, 0]
    assert coded.counts["s"].tolist() == [0, 0, 1]


def test_one_codes_entries_do_not_change_anothers_count():
    alone = parse_rules("*工资\n工资")
    both = parse_rules("*工资\n工资\n*拖欠\n工资拖欠 | 拖欠工资")
    texts = ["工资拖欠严重", "拖欠工资的老板"]
    assert code_texts(texts, alone).counts["工资"].tolist() == [1, 1]
    assert code_texts(texts, both).counts["工资"].tolist() == [1, 1]


def test_traditional_text_is_cut_like_simplified():
    # jieba alone cuts 印度尼西亞 as 印度/尼西/亞, which would count 印度
    book = parse_rules("*印度\n印度\n*工会\n工会")
    counts = code_texts(["印度尼西亞的工會", "印度與美國"], book).counts
    assert counts["印度"].tolist() == [0, 1] and counts["工会"].tolist() == [1, 0]


def test_column_names_in_any_case_in_one_file():
    articles = pd.DataFrame(
        {
            "id": ["a", "b"],
            "title": ["", ""],
            "paragraphs": [["比赛"], ["比赛"]],
            "label": ["体育", "财经"],
        }
    )
    book = parse_rules("*大写\n<>LABEL-->体育 & 比赛\n*小写\n<>label-->体育")
    coded = code_articles(articles, book)
    assert coded.counts["大写"].tolist() == [1, 0] and coded.counts["小写"].tolist() == [1, 0]


def test_yaml_dictionary_nested_keys_and_globs(tmp_path):
    path = tmp_path / "dict.yml"
    path.write_text(
        "劳动关系:\n  欠薪: [讨薪, 拖欠工资]\n  安全: 安全*\n就业: [就业]\n", encoding="utf-8"
    )
    book = read_codebook(path)
    assert book.names == ["劳动关系.欠薪", "劳动关系.安全", "就业"]
    counts = code_texts(TEXTS[:2], book).counts
    # 讨薪 twice + 拖欠工资 once; 安全生产 matches 安全*
    assert counts.iloc[:, 1:].values.tolist() == [[3, 0, 0], [0, 1, 0]]


def test_word_list_is_one_code_named_after_the_file(tmp_path):
    path = tmp_path / "欠薪词表.txt"
    path.write_text("# wage arrears\n讨薪\n\n拖欠工资\n讨薪\n", encoding="utf-8")
    book = read_codebook(path)
    assert book.names == ["欠薪词表"]
    assert code_texts(TEXTS[:1], book).counts["欠薪词表"].tolist() == [3]


def test_column_condition_reads_the_articles_table():
    articles = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "title": ["讨薪", "", None],
            "paragraphs": [["工人讨薪。"], ["工人讨薪。"], ["比赛"]],
            "Label": ["劳动", "体育", "体育"],
        }
    )
    book = parse_rules("*体育讨薪\n<>label-->体育 & 讨薪\n*体育\n<>label-->体育")
    coded = code_articles(articles, book)
    assert coded.counts["体育讨薪"].tolist() == [0, 1, 0]
    assert coded.counts["体育"].tolist() == [0, 1, 1]  # holds with no word: counts 1
    # the title is piece 0, the first paragraph piece 1
    assert code_kwic(coded, "体育讨薪")["piece"].tolist() == [1]


def test_a_column_the_articles_lack_is_an_error_naming_it():
    articles = pd.DataFrame({"id": ["a"], "title": ["t"], "paragraphs": [["x"]]})
    with pytest.raises(InputError, match=r"column 'paper'.*columns: id, title"):
        code_articles(articles, parse_rules("*x\n<>paper-->某报", source="r.txt"))


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("*a\n欠薪 讨薪", r"line 2 \(code 'a'\): an operator \(\| or &\) is missing before '讨薪'"),
        ("*a\n(欠薪 | 讨薪", r"a '\(' is not closed"),
        (
            "*a\n欠薪\n| 讨薪\n(工资 | 薪水\n& 工人",
            r"line 4 \(code 'a'\): an operator .* before '\('",
        ),
        ("*a\n<>label体育", "a column test is written <>column-->value"),
        ("*a\n'讨薪难", "a ' is not closed"),
        ("*a\n欠薪 |", "the condition ends where a word was expected"),
        ("*a\nnear(欠薪)", r"needs two words or more"),
        ("*a\nnear(欠薪-讨薪)[x]", "the window must be a number"),
        ("*a\n<*b>", r"line 2 \(code 'a'\): <\*b> names no code of the file; codes: a"),
        ("*a\n<*b>\n*b\n<*a>", r"line 4 \(code 'b'\): codes refer .* circle \(a -> b -> a\)"),
        ("欠薪\n*a\n讨薪", "line 1: a condition before the first"),
        ("*a\n欠薪\n*a\n讨薪", "line 3: code 'a' is defined twice"),
        ("*a\n", "the code has no condition"),
        ("*\n欠薪", "line 1: a code needs a name"),
        ("*a\n''", "empty '' string"),
    ],
)
def test_bad_rules_say_where_and_what(tmp_path, rules, message):
    path = tmp_path / "rules.txt"
    path.write_text(rules, encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        read_codebook(path)
    assert str(path) in str(error.value)


def test_bad_dictionaries_say_what(tmp_path):
    missing = tmp_path / "nope.yml"
    with pytest.raises(InputError, match=r"nope.yml: dictionary or rule file not found"):
        read_codebook(missing)
    listed = tmp_path / "list.yml"
    listed.write_text("- 欠薪\n- 讨薪\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"list.yml: a dictionary must map code names"):
        read_codebook(listed)
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [欠薪\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml: not valid YAML \(line"):
        read_codebook(broken)
    star = tmp_path / "star.txt"
    star.write_text("*\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a name"):
        read_codebook(star)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty.txt: no code in it"):
        read_codebook(empty)


def test_crosstab_chi2_and_adjusted_residuals_by_hand():
    book = parse_rules("*t\n讨薪")
    coded = code_texts(["讨薪", "讨薪", "无", "无", "无", "无"], book)
    table = code_crosstab(coded, ["A", "A", "A", "B", "B", "B"])
    a, b = table.to_dict("records")
    # observed has-code [2, 0] of [3, 3]; expected 1 each; chi2 = 1 + 1 + 0.5 + 0.5 = 3
    assert (a["coded"], a["articles"], b["coded"]) == (2, 3, 0)
    assert a["chi2"] == pytest.approx(3.0) and a["dof"] == 1
    assert a["p"] == pytest.approx(0.08326, abs=1e-5)
    # (2 - 1) / sqrt(1 * (1 - 2/6) * (1 - 3/6)) = sqrt(3)
    assert a["residual"] == pytest.approx(math.sqrt(3)) and b["residual"] == pytest.approx(
        -math.sqrt(3)
    )


def test_trend_shares_with_wilson_intervals(coded):
    table = code_trend(coded, ["2024-01", "2024-01", "2024-02", "2024-02", None, "2024-02"])
    row = table[(table["code"] == "讨薪") & (table["period"] == "2024-01")].iloc[0]
    assert (row["articles"], row["coded"], row["share"]) == (2, 1, 0.5)
    low, high = wilson([1], [2])
    assert (row["low"], row["high"]) == (pytest.approx(low[0]), pytest.approx(high[0]))
    # the undated article (the fifth) is left out
    assert table.groupby("code")["articles"].sum()["讨薪"] == 5


def test_wilson_matches_the_textbook_value():
    low, high = wilson([5], [10])
    # 5/10 at 95 %: 0.2366 to 0.7634
    assert (round(float(low[0]), 4), round(float(high[0]), 4)) == (0.2366, 0.7634)


def test_cooccurrence_is_jaccard_over_articles(coded):
    table = code_cooccurrence(coded)
    # 讨薪 in articles 1, 4; 拖欠工资 in 1, 4; 近 in 1, 3, 4
    assert table.loc["讨薪", "拖欠工资"] == 1.0
    assert table.loc["讨薪", "近"] == pytest.approx(2 / 3)
    assert table.loc["印度", "印度"] == 0.0


def test_summary(coded):
    summary = code_summary(coded).set_index("code")
    assert summary.loc["只有工资"].tolist() == [1, pytest.approx(1 / 6), 2]


def test_tone_by_group_means_and_intervals():
    scores = pd.DataFrame({"tone": [1.0, 3.0, -2.0, 0.0]})
    table = tone_by(scores, ["a", "a", "b", None]).set_index("group")
    assert table.loc["a", "tone"] == 2.0 and table.loc["a", "articles"] == 2
    # mean 2, sd sqrt(2), t(0.975, 1) = 12.706: half width 12.706 * sqrt(2) / sqrt(2)
    assert table.loc["a", "high"] - 2.0 == pytest.approx(12.7062, abs=1e-3)
    assert table.loc["b", "negative"] == 1.0 and math.isnan(table.loc["b", "low"])


def test_same_input_same_coding(coded):
    again = code_texts(TEXTS, parse_rules(RULES, source="fixture"))
    assert again.counts.equals(coded.counts) and again.matches == coded.matches


def test_code_command_per_article_json(capsys):
    assert main(["code", "--rules", "analysis/resources/labour_codes.txt", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 7 and list(rows[0])[:2] == ["id", "title"]
    by_title = {r["title"]: r for r in rows}
    # the seed's flood-drill article: 应急演练 (title), 度汛 (title), 防汛, 抢险 …
    assert by_title["应急演练确保安全度汛"]["安全生产"] > 0
    assert by_title["给快递小哥多一些理解和包容"]["新就业形态"] > 0


def test_code_command_kwic_needs_a_known_code(capsys):
    status = main(["code", "--rules", "analysis/resources/labour_codes.txt", "--view", "kwic"])
    assert status == 2
    assert "name a code with --code; codes: 欠薪讨薪" in capsys.readouterr().err


def test_code_command_groups_by_a_column(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text(
        "id,label,text\n1,甲,工人讨薪。\n2,甲,工人讨薪。\n3,乙,天气晴朗。\n", encoding="utf-8"
    )
    rules = tmp_path / "r.txt"
    rules.write_text("*讨薪\n讨薪\n", encoding="utf-8")
    assert main(["code", str(table), "--rules", str(rules), "--group-by", "label", "--csv"]) == 0
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert out[["group", "articles", "coded"]].values.tolist() == [["乙", 1, 0], ["甲", 2, 2]]


def test_full_width_operators_are_read_as_ascii():
    book = parse_rules("*a\n（欠薪 ｜ 讨薪）＆ 仲裁")
    assert code_texts(["欠薪问题申请仲裁", "欠薪问题"], book).counts["a"].tolist() == [2, 0]


def test_tone_command_per_article_and_per_group(capsys):
    assert main(["tone", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 7 and {"id", "title", "tone", "positive", "negative"} <= set(rows[0])
    # basic (the default): explicit sentiment words only; 好 is one of the first article's
    assert "好" in rows[0]["positive"]
    assert main(["tone", "--group-by", "kind", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert sum(g["articles"] for g in groups) == 7


def test_latin_entries_match_in_any_case():
    book = parse_rules("*变异株\nomicron | delta*")
    counts = code_texts(["Omicron变异株和OMICRON", "Delta株与deltacron"], book).counts
    assert counts["变异株"].tolist() == [2, 2]


def test_a_rule_may_name_a_column_by_the_tables_own_name():
    # a table's category column is read into label (analysis.reading.tables)
    articles = pd.DataFrame(
        {
            "id": ["a", "b"],
            "title": ["", ""],
            "paragraphs": [["比赛"], ["比赛"]],
            "label": ["体育", "财经"],
        }
    )
    coded = code_articles(articles, parse_rules("*体育\n<>category-->体育"))
    assert coded.counts["体育"].tolist() == [1, 0]


def test_tone_of_traditional_text_equals_its_simplified_form():
    from analysis.methods.tone import score_tone

    scores = score_tone(
        ["這個政策非常危險，衝擊很大", "这个政策非常危险，冲击很大"], dictionary="basic"
    )
    assert scores["tone"].iloc[0] == scores["tone"].iloc[1] < 0
    assert scores["negative"].iloc[0] == ["非常危险", "冲击"]


def test_suggest_command_takes_its_seeds_from_a_code(capsys):
    rules = "analysis/resources/labour_codes.txt"
    assert main(["suggest", "--rules", rules, "--code", "工会服务", "--top", "5", "--json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert len(rows) == 5 and {"word", "score", "count", "nearest"} <= set(rows[0])
    seeds = {
        "工会",
        "总工会",
        "服务",
        "帮扶",
        "慰问",
        "驿站",
        "关爱",
        "工会驿站",
        "职工之家",
        "暖心驿站",
    }
    assert not seeds & {r["word"] for r in rows}
    # entries the page never uses (or fewer than 3 times) are named, not silently dropped
    assert "not in the corpus vocabulary" in captured.err and "慰问" in captured.err
    assert main(["suggest", "--rules", rules, "--code", "无此编码"]) == 2


def test_overlapping_matches_of_one_code_count_once():
    # 治理/空气污染/，/改善/空气质量: 空气* matches both words whole, 空气 their parts
    text = ["治理空气污染，改善空气质量"]
    assert code_texts(text, parse_rules("*a\n空气*")).counts["a"].tolist() == [2]
    coded = code_texts(text, parse_rules("*a\n空气* | 空气"))
    assert coded.counts["a"].tolist() == [2]
    assert code_kwic(coded, "a", window=0)["match"].tolist() == ["空气污染", "空气质量"]


def test_a_latin_entry_is_a_whole_run_of_letters_in_any_case():
    book = parse_rules("*o\nomicron")
    counts = code_texts(["omicron omicrons Omicrons OMICRON omicronvariant"], book).counts
    assert counts["o"].tolist() == [2]
