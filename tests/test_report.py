"""`python -m analysis report`: one command from a corpus to a folder of charts, tables,
notebooks and a manifest, for a page, a dated table with groups and real news corpora."""

from __future__ import annotations

import json
import warnings

import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest

from analysis.output.report import Report, ReportOptions, build_report
from tests.conftest import FIXTURES, corpus_dir
from tests.test_cli import run

DATED = FIXTURES / "dated" / "news.csv"


def chart_texts(fig) -> list[str]:
    """Every tick label, title and axis label of a figure's visible axes."""
    texts = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    return texts


def assert_labels_readable(report: Report, names: list[str]) -> None:
    for name in names:
        drawn = report.figure(name)
        for fig in drawn.values() if isinstance(drawn, dict) else [drawn]:
            texts = chart_texts(fig)
            assert not any(t in ("None", "nan", "(无标题)") for t in texts), (name, texts)
            ticks = [t for ax in fig.axes for t in ax.get_yticklabels() if ax.get_visible()]
            assert all(t.get_text().strip() for t in ticks), name
            plt.close(fig)


@pytest.fixture(scope="module")
def dated_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("dated") / "report"
    options = ReportOptions(paths=[str(DATED)], group_by="label")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # two rows of the fixture are undated, by design
        report = Report(options)
        written = build_report(options, out=out, notebooks=True, report=report)
    return report, out, written


def test_a_dated_table_gets_trends_groups_and_notebooks(dated_report):
    _, out, written = dated_report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == {}
    assert manifest["options"]["group_by"] == "label"
    for chart in ("term_trends", "theme_trends", "rising_terms", "comparison", "group_keywords"):
        assert (out / f"{chart}.png").stat().st_size > 10_000, chart
    # the term planted to rise from spring to summer rises in the table written
    rising = pd.read_csv(out / "rising_terms.csv")
    row = rising[rising["term"] == "高温津贴"].iloc[0]
    assert row["direction"] == "rising" and row["n_after"] > row["n_before"]
    falling = rising[rising["term"] == "春运"].iloc[0]
    assert falling["direction"] == "falling"
    # every table in one workbook
    book = openpyxl.load_workbook(out / "tables.xlsx", read_only=True)
    assert {"articles", "keywords", "rising_terms", "group_keywords"} <= set(book.sheetnames)
    assert set(manifest["outputs"]) == {p.relative_to(out).as_posix() for p in written}


def test_the_report_notebooks_run_on_the_corpus_given(dated_report):
    _, out, _ = dated_report
    notebooks = sorted((out / "notebooks").glob("*.ipynb"))
    assert [p.stem for p in notebooks][:2] == ["01-corpus", "02-keywords"]
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
        assert not [o for o in outputs if o["output_type"] == "error"], path.name
        text = "".join("".join(o.get("text", "")) for o in outputs)
        assert "missing from font" not in text
        assert "seeds" not in text, path.name  # the fixture, not the seed page
        assert (out / "notebooks" / "html" / f"{path.stem}.html").is_file()
    first = json.loads((out / "notebooks" / "01-corpus.ipynb").read_text(encoding="utf-8"))
    printed = "".join(
        "".join(o.get("text", "")) for c in first["cells"] for o in c.get("outputs", [])
    )
    assert "80 articles" in printed and "Grouped by 'label': 3 groups" in printed


def test_chart_labels_are_never_empty_or_placeholders(dated_report):
    report, _, _ = dated_report
    # no title column: the fixture's rows have titles; drop them to force the fallbacks
    articles = report.articles.assign(title=None)
    untitled = Report(report.options, corpus=type(report.corpus)(articles))
    assert len(set(untitled.labels)) == len(untitled.labels)
    assert all(":" in label for label in untitled.labels)  # label column + first words
    assert_labels_readable(report, ["article_lengths", "group_keywords", "term_trends"])
    assert_labels_readable(untitled, ["article_lengths", "document_map"])


def test_the_seed_report_has_per_article_charts_and_readable_labels(tmp_path):
    report = Report()
    assert report.small and report.n == 7
    assert_labels_readable(report, ["keywords", "keyness", "similarity", "themes", "wordclouds"])
    # themes explain most of the median article (0.20 measured; see analysis.methods.themes)
    assert report.themes.article_weights["other"].median() < 0.3
    themes = report.table("themes")
    assert list(themes.columns[1:]) == [*(f"theme_{t}" for t in report.themes.terms), "other"]


def test_report_command_writes_the_folder_and_names_unknown_columns(tmp_path):
    out = tmp_path / "r"
    result = run("report", str(DATED), "--group-by", "类别", "--no-notebooks", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "comparison.html").is_file() and (out / "manifest.json").is_file()
    # the interactive topic view, with the topics of the topics table
    topics = pd.read_csv(out / "topics.csv")
    page = (out / "topics.html").read_text(encoding="utf-8")
    assert f"k = {len(topics)} topics" in page and "src=" not in page and "href=" not in page
    result = run("report", str(DATED), "--group-by", "section", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "no column 'section'; columns with values:" in result.stderr
    assert "label" in result.stderr and not (tmp_path / "x").exists()


def test_thucnews_by_label_sports_group_is_about_sports(tmp_path):
    path = corpus_dir("thucnews_cnews_1k") / "cnews_sample_1000.tsv"
    report = Report(ReportOptions(paths=[str(path)], group_by="label"))
    table = report.group_keywords
    sports = table[table["group"] == "体育"]["term"].head(10).tolist()
    # read off the THUCNews 体育 rows: match reports of basketball and football
    assert {"比赛", "球队", "球员", "季后赛"} <= set(sports)
    finance = table[table["group"] == "财经"]["term"].head(10).tolist()
    assert {"基金", "投资"} <= set(finance)
    # themes explain most of the median article (see analysis.methods.themes._paragraph_shares)
    assert report.themes.article_weights["other"].median() < 0.3
    assert report.compared_groups == ("体育", "财经")  # the two largest groups


def test_sogou_mini_report_compares_its_five_categories(tmp_path):
    path = corpus_dir("sogou_mini_5cat") / "sogou_mini_test.csv"
    report = Report(ReportOptions(paths=[str(path)], group_by="label"))
    summary = report.group_summary
    assert len(summary) == 5 and summary["articles"].sum() == report.n
    keywords = report.group_keywords
    assert keywords.groupby("group").size().min() == 10  # every category has key terms
    assert (keywords["g2"] >= 10.83).all() and (keywords["log_ratio"] >= 1).all()


def test_notebooks_read_the_results_the_report_computed(tmp_path, monkeypatch):
    from analysis.output.report import ENV_VAR, STATE_VAR, _save_state, notebook_report

    report = Report()
    state = _save_state(report, tmp_path / "report.pickle")
    monkeypatch.setenv(STATE_VAR, str(state))
    monkeypatch.delenv(ENV_VAR, raising=False)
    shown = notebook_report()
    # every table was computed before pickling, and comes back without recomputing
    assert {"keywords", "themes", "clusters", "similarity"} <= set(shown.__dict__)
    pd.testing.assert_frame_equal(shown.keywords, report.keywords)
    assert shown.corpus.tokenizer.tokens("两江新区总工会为快递小哥建设工会驿站") == [
        "两江新区",
        "总工会",
        "快递小哥",
        "工会驿站",
    ]
    # results computed for other options are not shown for these
    monkeypatch.setenv(ENV_VAR, ReportOptions(group_by="kind").to_json())
    other = notebook_report()
    assert other.options.group_by == "kind"
    assert "keywords" not in other.__dict__
    # a state file cut short is not an error: the notebook computes its own results
    monkeypatch.delenv(ENV_VAR)
    state.write_bytes(state.read_bytes()[:100])
    fallback = notebook_report()
    assert fallback.options == ReportOptions() and "keywords" not in fallback.__dict__


def test_results_computed_apart_equal_those_computed_here(tmp_path, monkeypatch):
    """The report computes the topics and themes in a forked process while it computes
    the rest; what comes back is what this process computes, and a result the other
    process could not compute is computed here."""
    import multiprocessing
    import os
    from functools import cached_property

    from analysis.output.report_tables import TABLES
    from analysis.output.report_writer import _elsewhere
    from analysis.processes import cpu_count

    if cpu_count() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("results are computed apart on Linux with two CPUs or more")
    report = Report()
    with _elsewhere(report, ("themes", "clusters"), tmp_path / "apart") as apart:
        assert apart and "themes" not in report.__dict__
    assert {"themes", "clusters"} <= set(report.__dict__)
    here = Report()
    for table in ("themes", "theme_terms", "clusters"):
        pd.testing.assert_frame_equal(TABLES[table].build(report), TABLES[table].build(here))

    parent = os.getpid()

    def only_here(self):
        if os.getpid() != parent:
            raise RuntimeError("the forked process cannot compute this")
        return "computed here"

    flaky = cached_property(only_here)
    flaky.__set_name__(Report, "themes")
    monkeypatch.setattr(Report, "themes", flaky)
    report = Report()
    with _elsewhere(report, ("themes", "clusters"), tmp_path / "apart") as apart:
        assert apart
    assert "clusters" in report.__dict__ and "themes" not in report.__dict__
    assert report.themes == "computed here"
    assert not (tmp_path / "apart").exists()


def test_every_view_is_declared_once_with_the_results_it_reads():
    from analysis.output.report import CHARTS, SVG_CHARTS, TABLES

    for views, kind in ((TABLES, "table"), (CHARTS, "chart")):
        for name, view in views.items():
            assert (view.name, view.kind) == (name, kind)
            assert view.needs and all(hasattr(Report, need) for need in view.needs), name
    assert all(view.formats[0] == "png" for view in CHARTS.values())
    # charts of text and lines, which scale in a paper, are written as SVG too
    assert sorted(SVG_CHARTS) == sorted(n for n, v in CHARTS.items() if "svg" in v.formats)
    assert {"keywords", "keyness", "dendrogram", "network", "term_trends"} <= SVG_CHARTS
    assert not {"wordcloud", "wordclouds", "similarity", "document_map"} & SVG_CHARTS
    # the Report offers the views in the order they are declared (and written)
    report = Report()
    assert list(report.tables()) == list(TABLES) and list(report.charts()) == list(CHARTS)


def test_a_chart_is_one_declaration(capsys):
    from analysis.output.report_charts import CHARTS, chart

    @chart("lengths_test", needs=("articles",), svg=True)
    def _lengths(report):
        if report.n < 2:
            raise ValueError("one article has no spread of lengths")
        return plt.figure()

    try:
        assert CHARTS["lengths_test"].formats == ("png", "svg")
        with pytest.raises(ValueError, match="declared twice"):
            chart("lengths_test", needs=("articles",))(_lengths)
        report = Report()
        assert "lengths_test" in report.charts()
        plt.close(report.figure("lengths_test"))
        single = Report(corpus=type(report.corpus)(report.articles[:1]))
        single.show("lengths_test")
        assert "lengths_test: not shown for this input: one article" in capsys.readouterr().out
    finally:
        del CHARTS["lengths_test"]
