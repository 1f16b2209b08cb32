"""Reprints (analysis.methods.reprints) and the ``reprints`` command, ``--dedupe``."""

from __future__ import annotations

import json
from itertools import combinations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import OptionError
from analysis.methods.reprints import article_reprints, dedupe, find_reprints
from analysis.reading.corpus import load_articles
from tests.conftest import corpus_dir

STORY = (
    "本报讯 昨天上午，市总工会在市民中心举行新就业形态劳动者服务站点授牌仪式，首批二十个"
    "服务站点正式投入使用。站点配备饮水机、充电设备和休息座椅，为快递员、外卖骑手等户外劳动者"
    "提供歇脚、饮水、充电等服务。市总工会负责人表示，今年将新建服务站点一百个。"
)
# the same story, edited by hand: a new opening, words changed, the last sentence cut
EDITED = (
    "记者从市总工会获悉，昨天上午，市总工会在市民中心举行新就业形态劳动者服务站点授牌仪式，"
    "首批二十个服务站点正式启用。站点配备饮水机、充电设备和休息座椅，为快递小哥、外卖骑手等"
    "户外劳动者提供歇脚、饮水、充电等服务。"
)
OTHER = (
    "本报讯 今年以来，我市持续开展根治欠薪专项行动，对工程建设领域开展全覆盖检查，为两千余名"
    "农民工追回工资三千余万元，并对三家拒不支付劳动报酬的企业依法移送公安机关处理。"
)


def test_an_edited_and_cut_copy_is_found_and_an_unrelated_story_is_not():
    found = find_reprints([STORY, OTHER, EDITED], ids=["a", "b", "c"])
    assert found.clusters["members"].tolist() == [["a", "c"]]
    pair = found.pairs.iloc[0]
    # most of the shorter text (the edited copy) is in the original
    assert pair["containment"] > 0.7 and 0.3 < pair["jaccard"] < pair["containment"]
    assert found.cluster_of.tolist() == [1, 0, 1] and found.keep.tolist() == [True, True, False]


def test_the_earliest_member_comes_first_by_date():
    found = find_reprints(
        [STORY, EDITED, OTHER], ids=["a", "b", "c"], dates=["2024-05-02", "2024-05-01", None]
    )
    assert found.clusters["earliest"].tolist() == ["b"]
    assert found.clusters["members"].tolist() == [["b", "a"]]


def test_short_and_empty_texts_are_never_reprints():
    found = find_reprints(["", "短文", None, "短文"], ids=[1, 2, 3, 4])
    assert found.clusters.empty and found.summary() == "no article reprints another"


def test_the_threshold_decides_how_much_must_be_shared():
    assert len(find_reprints([STORY, EDITED], threshold=0.5).clusters) == 1
    assert find_reprints([STORY, EDITED], threshold=1.0).clusters.empty
    with pytest.raises(OptionError, match="threshold"):
        find_reprints([STORY], threshold=0)


def test_the_seed_page_has_no_reprints_and_a_planted_copy_is_found():
    articles = load_articles()
    assert article_reprints(articles).clusters.empty
    copy = articles.iloc[[1]].copy()
    copy["id"] = "copy"
    copy["paragraphs"] = [
        [p.replace("快递小哥", "快递员") for p in copy["paragraphs"].iloc[0][:-2]]
    ]
    both = pd.concat([articles, copy], ignore_index=True)
    found = article_reprints(both)
    assert found.clusters["members"].tolist() == [[articles["id"][1], "copy"]]
    kept = dedupe(both, found)
    assert len(kept) == 7 and "copy" not in set(kept["id"])
    assert kept.loc[kept["id"] == articles["id"][1], "reprints"].tolist() == [1]


def test_planted_copies_in_real_news_are_found():
    from benchmarks.reprints import planted

    articles = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    texts = ["\n".join(p) for p in articles["paragraphs"][:300]]
    own = find_reprints(texts).cluster_of
    corpus, truth = planted(texts, 30, seed=7)
    found = find_reprints(corpus)
    groups: dict[int, list[int]] = {}
    for k, c in enumerate(found.cluster_of.tolist()):
        if c:
            groups.setdefault(c, []).append(k)
    pairs = {p for g in groups.values() for p in combinations(sorted(g), 2)}
    assert len(truth & pairs) >= 29  # recall >= 0.95 of 30 planted copies
    # every pair with a copy is the copy and its original, or that original's own reprint
    for i, j in pairs:
        if j >= len(texts):
            original = next(o for o, c in truth if c == j)
            assert i == original or (own[i] and own[i] == own[original]) or i >= len(texts)


def test_reprints_command_json_and_dedupe(tmp_path, capsys):
    table = tmp_path / "t.csv"
    pd.DataFrame(
        {
            "id": ["x", "y", "z"],
            "date": ["2024-01-02", "2024-01-01", "2024-01-03"],
            "text": [STORY, EDITED, OTHER],
        }
    ).to_csv(table, index=False)
    assert main(["reprints", str(table), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["members"] for c in out["clusters"]] == [["y", "x"]] and out["reprints"] == 1
    assert main(["articles", str(table), "--dedupe", "--json"]) == 0
    captured = capsys.readouterr()
    assert [a["id"] for a in json.loads(captured.out)] == ["y", "z"]
    assert "--dedupe: 1 reprint(s) of 1 story" in captured.err
    with pytest.raises(SystemExit) as exit_status:
        main(["reprints", str(table), "--threshold", "2"])
    assert exit_status.value.code == 2


def _planted_thucnews(n: int = 300, copies: int = 30):
    from benchmarks.reprints import planted

    articles = load_articles(corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv")
    texts = ["\n".join(p) for p in articles["paragraphs"][:n]]
    return planted(texts, copies, seed=7)


def test_worker_processes_find_the_same_clusters(monkeypatch):
    import analysis.methods.reprints as module

    corpus, _ = _planted_thucnews()
    alone = find_reprints(corpus)
    # chunks of 50,000 characters (about 60 articles), fingerprinted on 2 workers
    monkeypatch.setattr(module, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(module, "CHUNK_CHARS", 50_000)
    monkeypatch.setenv("ANALYSIS_SCHEDULER", "local")
    workers = find_reprints(corpus)
    assert len(alone.clusters) >= 25
    pd.testing.assert_frame_equal(workers.clusters, alone.clusters)
    pd.testing.assert_frame_equal(workers.pairs, alone.pairs)


def test_dates_in_several_time_zones_pick_the_earliest(tmp_path, capsys):
    # RSS feeds give RFC 2822 dates with zones, other tables ISO dates without: pandas
    # refuses the mix in one column, which ended reprints, topics and --dedupe
    table = tmp_path / "feeds.csv"
    rows = [
        ("late", "Wed, 01 Apr 2020 09:00:00 +0800", STORY),
        ("early", "2020-04-01 08:00:00+00:00", EDITED),
        ("other", "2020-03-30", OTHER),
    ]
    table.write_text(
        "id,date,text\n" + "".join(f'{i},"{d}",{t}\n' for i, d, t in rows), encoding="utf-8"
    )
    assert main(["reprints", str(table), "--json"]) == 0
    clusters = json.loads(capsys.readouterr().out)["clusters"]
    # each date at its own wall-clock time: 08:00 comes before 09:00
    assert [c["members"] for c in clusters] == [["early", "late"]]
    assert main(["topics", str(table), "--k", "2", "--json"]) == 0


def test_the_report_lists_the_reprints_that_dedupe_left_out(tmp_path):
    from analysis.output.report import Report
    from analysis.output.report_options import ReportOptions

    table = tmp_path / "news.csv"
    rows = [("a", STORY), ("b", EDITED), ("c", OTHER)]
    table.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in rows), encoding="utf-8")
    report = Report(ReportOptions(paths=[str(table)], dedupe=True))
    assert report.n == 2  # b counted once, as a
    listed = report.table("reprints")
    assert len(listed) == 1 and "a" in str(listed.iloc[0].to_dict())


def test_dedupe_never_leaves_out_a_story_joined_only_through_a_digest():
    third = (
        "本报讯 市人社局昨日发布今年第一季度就业数据，全市城镇新增就业三万二千人，"
        "城镇登记失业率为百分之二点九，高校毕业生留本地就业人数同比增长一成。"
    )
    digest = STORY + OTHER + third  # a round-up that holds three stories whole
    articles = pd.DataFrame(
        {"id": ["x", "y", "z", "d"], "paragraphs": [[STORY], [OTHER], [third], [digest]]}
    )
    found = article_reprints(articles)
    assert found.clusters["size"].tolist() == [4]  # related, listed together
    assert dedupe(articles, found)["id"].tolist() == ["x", "y", "z", "d"]  # nothing lost
    # the digest first: each story is whole in it, so each is a reprint of it
    first = articles.iloc[[3, 0, 1, 2]].reset_index(drop=True)
    kept = dedupe(first, article_reprints(first))
    assert kept["id"].tolist() == ["d"] and kept["reprints"].tolist() == [3]


def test_a_lone_surrogate_in_a_text_does_not_stop_the_search():
    found = find_reprints([STORY + "\ud800", EDITED, OTHER], ids=["a", "b", "c"])
    assert found.clusters["members"].tolist() == [["a", "b"]]
