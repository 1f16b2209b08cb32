"""The command line as a user runs it: ``analysis.cli.main`` with its output, exit code,
folder and environment captured (as click's CliRunner does), and as a real process where
the process itself matters (``python -m analysis``, signals, a killed run)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from analysis.cli import build_parser, main
from tests.test_pages import SEED_TITLES

REQUIRED_FIELDS = {
    "id",
    "source",
    "title",
    "kicker",
    "column",
    "authors",
    "kind",
    "sections",
    "paragraphs",
}


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` run in this process: main() with stdout and stderr
    captured, in ``cwd``, leaving the environment as it found it. Starting a process per
    command would cost 1.5 s of imports and dictionary loading each time."""
    stdout, stderr = io.StringIO(), io.StringIO()
    environ = dict(os.environ)
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, bad options
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(environ)
    return subprocess.CompletedProcess(
        ["analysis", *args], code, stdout.getvalue(), stderr.getvalue()
    )


def run_process(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_help_lists_every_subcommand():
    result = run_process("--help")  # the one test of python -m analysis as a process
    assert result.returncode == 0
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert name in result.stdout


@pytest.mark.parametrize("command", sorted(build_parser()._subparsers._group_actions[0].choices))
def test_each_subcommand_has_its_own_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert f"python -m analysis {command}" in result.stdout


def test_articles_json_defaults_to_seeds():
    result = run("articles", "--json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert [a["title"] for a in articles] == SEED_TITLES
    assert all(a.keys() >= REQUIRED_FIELDS for a in articles)
    assert all(a["authors"] for a in articles)
    assert "read 1 file(s) (utf-8), 7 article(s)" in result.stderr


def test_articles_csv_has_a_row_per_article():
    import csv
    import io

    result = run("articles", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["title"] for r in rows] == SEED_TITLES
    assert json.loads(rows[0]["authors"]) == ["王鑫", "方大丰"]


def test_explain_shows_label_and_rule_per_line():
    result = run("articles", "--explain")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    byline = next(line for line in lines if "本报记者 王鑫 方大丰" in line)
    assert ":9 " in byline and "byline" in byline and "[byline under the headline]" in byline
    broken = next(line for line in lines if "级工会重要作用提出总体要求" in line)
    assert "continues a line broken by the page layout" in broken


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\x00\x01\x02\x03", "looks like a binary file"),
        ("caf\u00e9 cr\u00e8me".encode("latin-1"), "neither UTF-8 nor GBK"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("articles", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {path}: ")
    assert problem in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_file_warns_and_is_counted(tmp_path, seed_path):
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("articles", str(tmp_path))
    assert result.returncode == 0
    assert f"warning: {tmp_path / 'empty.txt'}: empty file, skipped" in result.stderr
    assert "skipped 1 empty file(s)" in result.stderr
    assert len(result.stdout.splitlines()) == 7


def test_keywords_json_shape():
    result = run("keywords", "--top", "5", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [i["title"] for i in items] == SEED_TITLES
    assert all(len(i["keywords"]) == 5 for i in items)
    assert {"term", "score"} <= items[0]["keywords"][0].keys()
    assert items[0]["keywords"][0]["term"] == "县级工会"


def test_keyness_terms_and_tokens_json():
    keyness = json.loads(run("keyness", "--target", "000_45a9ae6123a7d26b-02", "--json").stdout)
    assert keyness[0]["target"] == "000_45a9ae6123a7d26b-02"
    assert {"term", "g2", "chi2", "p", "log_ratio"} <= keyness[0]["terms"][0].keys()
    terms = json.loads(run("terms", "--no-domain-dict", "--json").stdout)
    assert "新就业形态劳动者" in [t["term"] for t in terms]
    tokens = json.loads(run("tokens", "--text", "本报讯 县级工会", "--json").stdout)
    assert [(t["token"], t["kept"]) for t in tokens[0]["tokens"] if t["token"].strip()] == [
        ("本报讯", False),
        ("县级工会", True),
    ]


def test_unknown_keyness_target_is_an_input_error():
    result = run("keyness", "--target", "no-such-id")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("error: no-such-id: no article with this id")


def test_missing_user_dictionary_is_an_input_error(tmp_path):
    result = run("keywords", "--user-dict", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "user dictionary not found" in result.stderr


@pytest.mark.parametrize(
    ("name", "extra"),
    [("tables/headerless.tsv", []), ("tables/articles.jsonl", []), ("tables/articles.csv", [])],
)
def test_clusters_reads_tables(fixtures_dir, tmp_path, name, extra):
    # three copies of the two-row fixture give six documents in two obvious groups
    source = fixtures_dir / name
    lines = source.read_text(encoding="utf-8").splitlines()
    header, body = (lines[:1], lines[1:]) if source.suffix == ".csv" else ([], lines)
    if source.suffix == ".jsonl":
        body = [line.replace('"id": "j', f'"id": "r{k}-j') for k in range(3) for line in body]
    elif source.suffix == ".csv":
        body = [f"r{k}-{line}" for k in range(3) for line in body]
    else:
        body = body * 3
    path = tmp_path / source.name
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    result = run("clusters", str(path), "--k", "2", "--json", *extra)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["k"] == 2
    assert len(out["documents"]) == 6
    clusters = [d["cluster"] for d in out["documents"]]
    assert clusters[0::2] == [clusters[0]] * 3 and clusters[1::2] == [clusters[1]] * 3
    assert clusters[0] != clusters[1]


def test_clusters_json_on_seed_has_scores():
    out = json.loads(run("clusters", "--json").stdout)
    assert out["documents"][0]["id"] == "000_45a9ae6123a7d26b-01"
    assert out["k_chosen_automatically"] is True
    assert {"k", "silhouette", "stability", "score", "chosen"} <= out["scores"][0].keys()
    # 7 articles: the k chosen is the largest the range allows, and the output says so
    if out["k"] == max(row["k"] for row in out["scores"]):
        assert f"k = {out['k']} is the largest k tried" in out["note"]
    else:
        assert out["note"] == ""


def test_themes_json_weights_sum_to_one():
    out = json.loads(run("themes", "--json").stdout)
    assert len(out["weights"]) == 7
    for item in out["weights"]:
        assert abs(sum(item["weights"].values()) - 1) < 1e-5
    assert all(theme["terms"] for theme in out["themes"])


def test_clusters_rejects_bad_k():
    result = run("clusters", "--k", "9")
    assert result.returncode == 2
    assert "--k 9: must be between 2 and 6" in result.stderr


def test_figures_on_more_articles_than_small_multiples_draws_the_corpus(tmp_path):
    archive = tmp_path / "archive.tsv"
    rows = [f"体育\t第{k}场比赛,主队球员发挥出色,球队取胜。" for k in range(25)]
    rows += [f"财经\t第{k}只基金发布年报,投资收益上涨。" for k in range(25)]
    archive.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("figures", str(archive), "--out", str(out), "--group-by", "label")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == {}
    # per-article small multiples give way to the corpus and its groups
    assert "up to 12" in manifest["not_applicable"]["keywords"]
    for name in ("corpus_keywords", "group_keywords", "comparison", "group_similarity"):
        assert (out / f"{name}.png").is_file(), name
    assert (out / "comparison.html").is_file()


def test_figures_draws_what_one_article_supports_and_names_the_rest(seed_path, tmp_path):
    # read as one article (the option reached the loader), the seed supports keywords and
    # word clouds but no comparison between articles
    out = tmp_path / "out"
    result = run("figures", str(seed_path), "--txt-mode", "article", "--out", str(out))
    assert result.returncode == 0, result.stderr
    skipped = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["skipped"]
    assert {"keyness", "similarity", "dendrogram", "k_selection"} <= skipped.keys()
    assert "skipped keyness" in result.stderr
    assert (out / "keywords.png").is_file() and (out / "wordcloud.png").is_file()


def test_figures_resolves_paths_against_the_current_folder(seed_text, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(seed_text, encoding="utf-8")
    result = run("figures", "in/page.txt", "--out", "figs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "figs" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["inputs"]) == [str(tmp_path / "in" / "page.txt")]
    assert manifest["skipped"] == {}
    # nothing half-written is left beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figs", "in"]


def test_kwic_finds_every_occurrence_and_sorts_by_context(seed_text):
    result = run("kwic", "快递小哥", "--json", "--window", "4")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    # six on the page, one of them in the diary's title (给快递小哥多一些理解和包容): KWIC
    # reads the bodies
    assert len(rows) == seed_text.count("快递小哥") - 1 == 5
    assert {r["term"] for r in rows} == {"快递小哥"}
    result = run("kwic", "工会", "--json", "--sort", "right")
    rights = [r["right"] for r in json.loads(result.stdout)]
    assert rights == sorted(rights)
    result = run("kwic", "工会", "--json", "--sort", "left")
    lefts = [r["left"][::-1] for r in json.loads(result.stdout)]
    assert lefts == sorted(lefts)


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".json", ".jsonl", ".xlsx"])
def test_every_table_command_writes_a_file_by_its_suffix(tmp_path, suffix):
    import pandas as pd

    target = tmp_path / f"keywords{suffix}"
    result = run("keywords", "--top", "3", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert f"wrote 21 row(s) to {target}" in result.stderr
    if suffix == ".xlsx":
        table = pd.read_excel(target)
    elif suffix == ".jsonl":
        table = pd.read_json(target, lines=True)
    elif suffix == ".json":
        table = pd.DataFrame(
            [k | {"id": a["id"]} for a in json.loads(target.read_text()) for k in a["keywords"]]
        )
    else:
        table = pd.read_csv(target, sep="," if suffix == ".csv" else "\t")
    assert len(table) == 21 and "小何" in set(table["term"])


def test_an_unknown_output_suffix_is_one_line(tmp_path):
    result = run("keywords", "-o", str(tmp_path / "k.docx"))
    assert result.returncode == 2
    assert "unknown file type .docx" in result.stderr


def test_group_keyness_names_the_groups_there_are():
    result = run("keyness", "--group-by", "kind", "--target", "editorial")
    assert result.returncode == 2
    assert "no 'kind' group 'editorial'; groups: news (4), photo (2), diary (1)" in result.stderr
    result = run("keyness", "--group-by", "kind", "--target", "news", "--json")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["reference"] == "the rest" and item["terms"][0]["term"] == "服务"


def test_no_path_reads_seeds_in_the_current_folder_or_asks_for_a_path(seed_text, tmp_path):
    elsewhere = run("keywords", cwd=tmp_path)
    assert elsewhere.returncode == 2
    assert "no PATH given and no seeds/ folder in" in elsewhere.stderr
    assert "Traceback" not in elsewhere.stderr
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "page.txt").write_text(seed_text, encoding="utf-8")
    here = run("articles", "--json", cwd=tmp_path)
    assert here.returncode == 0, here.stderr
    assert len(json.loads(here.stdout)) == 7


def test_stopwords_file_takes_words_out_of_every_count(tmp_path):
    # a GB18030 list with a comment and a blank line, as a user's own file may be
    words = tmp_path / "mine.txt"
    words.write_bytes("# 本项目不计的词\n工会\n\n服务\n".encode("gb18030"))
    before = json.loads(run("keywords", "--json").stdout)
    terms = {k["term"] for a in before for k in a["keywords"]}
    assert {"工会", "服务"} <= terms  # both rank on the seed page
    after = json.loads(run("keywords", "--json", "--stopwords", str(words)).stdout)
    terms = {k["term"] for a in after for k in a["keywords"]}
    assert not {"工会", "服务"} & terms and "总工会" in terms  # whole words only
    missing = run("keywords", "--stopwords", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert "nope.txt: stopword list (--stopwords) not found" in missing.stderr


def test_report_takes_the_stopwords_too(tmp_path):
    from analysis.output.report import Report
    from analysis.output.report_options import ReportOptions

    assert {"工会", "服务"} <= set(Report().table("corpus_keywords")["term"])  # without
    report = Report(ReportOptions(stopwords=["工会", "服务"]))
    assert not {"工会", "服务"} & set(report.table("corpus_keywords")["term"])
    # and they travel to the notebooks' kernels with the rest of the options
    assert ReportOptions.from_json(report.options.to_json()).stopwords == ["工会", "服务"]
