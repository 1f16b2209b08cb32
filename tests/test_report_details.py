"""The report's details that a user of a large table corpus found wrong: one definition
of a theme's share, periods in theme_trends.csv, a look of its own for every trend line,
the edge-of-range notes, the standout article, dates in KWIC, clusters numbered from 1,
group themes of one group, every column of the input in articles.csv, rounded tables
and the Chinese font embedded in the HTML pages."""

from __future__ import annotations

import base64
import io
import json
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from analysis.errors import NotEnoughDataError
from analysis.methods.kwic import kwic
from analysis.methods.themes import ClusteringEdgeWarning, find_themes
from analysis.output.fonts import EMBEDDED_FAMILY
from analysis.output.plots import THEME_SHARE_LABEL
from analysis.output.report import (
    SMALL_MULTIPLES,
    Report,
    ReportOptions,
    build_report,
    write_csv,
    write_xlsx,
)
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from tests.conftest import FIXTURES
from tests.test_cli import run

DATED = FIXTURES / "dated" / "news.csv"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def user_table(tmp_path_factory):
    """The dated fixture as a user's CSV: with columns of its own (``year``, ``order``)
    and a ``section`` that has one value only."""
    frame = pd.read_csv(DATED, dtype=str, keep_default_na=False)
    frame["year"] = frame["date"].str[:4]
    frame["order"] = [str(len(frame) - i) for i in range(len(frame))]
    frame["section"] = "要闻"
    path = tmp_path_factory.mktemp("user") / "news.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.fixture(scope="module")
def user_report(user_table, tmp_path_factory):
    path, _ = user_table
    out = tmp_path_factory.mktemp("user-report") / "report"
    options = ReportOptions(paths=[str(path)], group_by="section")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # two rows are undated; order is kept renamed
        report = Report(options)
        build_report(options, out=out, notebooks=False, report=report)
    return report, out


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    """The seed page's report, its themes chosen among 2..2 only: a k at the edge of the
    range, as its clusters' k = 6 of 2..6 is."""
    report = Report()
    out = tmp_path_factory.mktemp("seed") / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.__dict__["themes"] = find_themes(report.corpus, k_max=2, random_state=0)
        build_report(report.options, out=out, notebooks=False, report=report)
    return report, out


def _manifest(out) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


# -- 1. a theme's share: one definition in the chart, theme_terms.csv and the trends ------


def test_a_themes_share_is_its_share_of_the_text_in_chart_and_table(user_report):
    report, out = user_report
    themes = report.themes
    terms = pd.read_csv(out / "theme_terms.csv")
    assert "mean_share" not in terms
    # the share of the articles' text: the mixes weighted by body length in characters
    paragraphs = report.corpus.paragraphs
    lengths = np.bincount(
        paragraphs["article"], weights=paragraphs["text"].str.len(), minlength=report.n
    )
    expected = pd.Series(
        np.average(themes.article_weights.to_numpy(), axis=0, weights=lengths),
        index=themes.article_weights.columns,
    )
    assert terms["share_of_text"].to_numpy() == pytest.approx(
        expected[terms["theme"]].to_numpy(), abs=1e-6
    )
    # not the plain mean, which the table showed while the chart drew this
    assert (expected - themes.article_weights.mean()).abs().max() > 0.01
    # the chart of a corpus too large for a row per article draws the same numbers
    assert not report.per_article
    fig = report.figure("themes")
    ax = fig.axes[0]
    drawn = {
        label.get_text(): bar.get_width()
        for label, bar in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    names = themes.names()
    for row in terms.itertuples():
        assert drawn[names[row.theme]] == pytest.approx(row.share_of_text, abs=1e-6)
    assert drawn["其他"] == pytest.approx(expected["other"])
    assert ax.get_xlabel() == THEME_SHARE_LABEL
    plt.close(fig)
    # the trends chart weighs the same way and says so
    trends = report.figure("theme_trends")
    assert trends.axes[0].get_ylabel() == THEME_SHARE_LABEL
    plt.close(trends)


# -- 2. theme_trends.csv says which period each row is ------------------------------------


def test_theme_trends_csv_names_the_period_of_each_row(user_report, user_table):
    report, out = user_report
    _, frame = user_table
    table = pd.read_csv(out / "theme_trends.csv", dtype={"period": str})
    assert list(table.columns[:2]) == ["period", "articles"]
    assert table["period"].tolist() == [str(p) for p in report.theme_trends.index]
    assert table["period"].is_monotonic_increasing and table["period"].is_unique
    assert table["articles"].sum() == (frame["date"] != "").sum() == 78
    themes = [c for c in table.columns if c.startswith("theme_")]
    assert themes == [f"theme_{t}" for t in report.themes.terms]
    shares = table[[*themes, "other"]].dropna()
    assert shares.sum(axis=1).to_numpy() == pytest.approx(1.0, abs=1e-5)


# -- 3. no two trend lines (or areas) look alike ------------------------------------------


def test_every_theme_and_term_in_a_trend_chart_has_its_own_look():
    from analysis.output.trend_charts import theme_trend_plot, trend_plot

    periods = [f"2024-{m:02d}" for m in range(1, 6)]
    k = 13
    rng = np.random.default_rng(0)
    shares = rng.dirichlet(np.ones(k + 1), size=len(periods))
    prevalence = pd.DataFrame(shares, index=periods, columns=[*range(1, k + 1), "other"])
    words = ["工会", "职工", "快递", "骑手", "春运", "高温", "津贴", "劳模", "工匠", "技能"]
    names = {t: f"主题{t}: {words[t % 10]} · {words[(t + 3) % 10]}" for t in range(1, k + 1)}
    ax = theme_trend_plot(prevalence, names | {"other": "其他"})
    areas = ax.collections[: k + 1]
    looks = [(tuple(np.round(a.get_facecolor()[0][:3], 3)), a.get_hatch() or "") for a in areas]
    assert len(set(looks)) == k + 1, looks
    plt.close(ax.figure)

    terms = [f"{a}{b}" for a in words for b in ("者", "会")][:20]
    freqs = pd.DataFrame(
        [
            {"period": p, "term": t, "per_10k": float(i + j), "tokens": 100}
            for i, p in enumerate(periods)
            for j, t in enumerate(terms)
        ]
    )
    ax = trend_plot(freqs)
    lines = [line for line in ax.get_lines() if line.get_label() in terms]
    assert len(lines) == 20
    styles = {(line.get_color(), line.get_linestyle(), line.get_marker()) for line in lines}
    assert len(styles) == 20
    plt.close(ax.figure)


# -- 4. the CLI's edge-of-range warnings reach the report --------------------------------


def test_an_edge_of_range_k_is_said_in_the_manifest_describe_and_tables(seed_report):
    report, out = seed_report
    clusters, themes = report.clusters, report.themes
    assert "largest k tried (2-6)" in clusters.note
    assert themes.note.startswith("k = 2 is the largest k tried (2 only)")
    assert "themes" in themes.note and "--k-max" in themes.note
    with pytest.warns(ClusteringEdgeWarning) as caught:
        find_themes(report.corpus, k_max=2, random_state=0)
    assert [str(w.message) for w in caught] == [themes.note]
    notes = _manifest(out)["notes"]
    assert clusters.note in notes["clusters"]
    assert notes["themes"] == [themes.note]
    described = report.describe()
    assert f"Note on the clusters: {clusters.note}." in described
    assert f"Note on the themes: {themes.note}." in described
    assert pd.read_csv(out / "theme_terms.csv")["note"].unique().tolist() == [themes.note]
    assert clusters.note in pd.read_csv(out / "clusters.csv")["note"].iloc[0]
    # the CLI says the same, now for themes too
    result = run("themes", "--k-max", "2", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["note"] == themes.note
    assert f"warning: {themes.note}" in result.stderr


def test_no_note_when_k_is_inside_the_range(user_report):
    report, out = user_report
    assert report.themes.note == ""
    assert "themes" not in _manifest(out)["notes"]


# -- 5. the standout article: the most distinct, not the longest --------------------------


@pytest.fixture(scope="module")
def standout_corpus(tmp_path_factory):
    """Ten pieces of the seed's first article, that article twice over (the longest),
    the seed's article on a park (the one apart) and a one-line brief on a comet."""
    seed = load_articles()
    first = "".join(seed.iloc[0]["paragraphs"])
    rows = [
        {"id": f"piece{k}", "title": f"县级工会建设之{k}", "text": first[i : i + 150]}
        for k, i in enumerate(range(0, 1500, 150))
    ]
    rows.insert(3, {"id": "longest", "title": "县级工会建设全文", "text": first * 2})
    park = seed.iloc[3]
    rows.insert(5, {"id": "park", "title": park["title"], "text": "".join(park["paragraphs"])})
    rows.insert(8, {"id": "brief", "title": "彗星", "text": "彗星今晚飞越天文台上空。"})
    path = tmp_path_factory.mktemp("standout") / "standout.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Report(corpus=AnalysedCorpus(load_articles(path)))


def test_the_standout_article_is_the_one_furthest_from_the_rest(standout_corpus):
    report = standout_corpus
    assert report.n > SMALL_MULTIPLES  # where the longest article used to be taken
    table = report.distinctiveness.set_index("id")
    assert report.standout == "park"
    assert report.articles["n_chars"].idxmax() == report.articles.index[3]  # "longest"
    assert table.loc["longest", "distance"] < 0.2  # it says what the pieces say
    # a brief shares nothing with anything, but is too short to be singled out
    assert table.loc["brief", "distance"] > table.loc["park", "distance"]
    assert not table.loc["brief", "eligible"]
    assert table["eligible"].equals(table["tokens"] >= table["tokens"].median())
    eligible = table[table["eligible"]]
    assert eligible["distance"].idxmax() == "park"
    reason = report.standout_reason
    assert report.label_of["park"] in reason and "furthest from the rest" in reason
    assert f"at least {int(eligible['tokens'].min())} tokens, the median" in reason
    assert reason in report.describe()


def test_a_tie_goes_to_the_article_given_first(tmp_path):
    text = "快递小哥冒雨送件,工会驿站为他们提供热水和休息的地方。"
    rows = [{"id": name, "title": name, "text": text} for name in ("甲", "乙")]
    for order in (rows, rows[::-1]):
        path = tmp_path / "tie.csv"
        pd.DataFrame(order).to_csv(path, index=False)
        report = Report(corpus=AnalysedCorpus(load_articles(path)))
        assert report.distinctiveness["distance"].nunique() == 1
        assert report.standout == order[0]["id"]


def test_the_manifest_says_which_article_stands_out_and_why(seed_report):
    report, out = seed_report
    standout = _manifest(out)["standout"]
    assert standout == {"id": report.standout, "why": report.standout_reason}
    # on the seed: the courier's diary (108 tokens, the median); the drill report and
    # the training brief are further from the rest but shorter than the median
    assert report.label_of[report.standout].startswith("2 给快递小哥")


# -- 6. KWIC rows carry the article's date and title --------------------------------------


def test_kwic_rows_carry_the_date_and_title_of_their_article(user_report):
    _, out = user_report
    lines = pd.read_csv(out / "kwic.csv", dtype=str, keep_default_na=False)
    assert list(lines.columns[:3]) == ["id", "date", "title"]
    articles = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    known = articles.set_index("id")
    assert len(lines) > 0
    assert (lines["date"] == known.loc[lines["id"], "date"].to_numpy()).all()
    assert (lines["title"] == known.loc[lines["id"], "title"].to_numpy()).all()
    assert (lines["date"] != "").any()


def test_kwic_dates_in_the_function_and_the_command():
    articles = load_articles(DATED)
    lines = kwic(articles, "高温津贴", window=4)
    dates = articles.set_index("id")["date"]
    assert lines["date"].fillna("").tolist() == dates.loc[lines["id"]].fillna("").tolist()
    assert lines["date"].iloc[0] == "2024-01-05"
    result = run("kwic", "高温津贴", str(DATED), "--json")
    rows = json.loads(result.stdout)
    dated = lines.assign(date=lines["date"].fillna(""))  # two rows of the fixture are undated
    assert [(r["id"], r["date"] or "", r["title"]) for r in rows] == list(
        zip(dated["id"], dated["date"], dated["title"], strict=True)
    )
    undated = kwic(load_articles(), "快递小哥")  # the seed page has no dates
    assert undated["date"].isna().all() and undated["title"].notna().all()


# -- 7. clusters are numbered from 1 wherever a user sees them ----------------------------


def test_clusters_are_numbered_from_one_in_the_command_and_the_report(seed_report):
    report, out = seed_report
    csv = pd.read_csv(out / "clusters.csv")
    result = run("clusters", "--json")
    payload = json.loads(result.stdout)
    shown = {d["id"]: d["cluster"] for d in payload["documents"]}
    assert shown == dict(zip(csv["id"], csv["cluster"], strict=True))
    assert sorted(set(shown.values())) == list(range(1, report.clusters.k + 1))
    assert [c["cluster"] for c in payload["clusters"]] == list(range(1, report.clusters.k + 1))
    text = run("clusters").stdout
    assert "cluster 1 (" in text and "cluster 0 " not in text
    written = out.parent / "clusters-cli.csv"
    assert run("clusters", "-o", str(written)).returncode == 0
    assert pd.read_csv(written)["cluster"].tolist() == csv["cluster"].tolist()


# -- 8. group themes need two groups -------------------------------------------------------


def test_group_themes_is_left_out_for_a_single_group(user_report):
    report, out = user_report
    manifest = _manifest(out)
    assert "need at least 2 groups" in manifest["not_applicable"]["group_themes"]
    assert not (out / "group_themes.png").exists()
    with pytest.raises(NotEnoughDataError, match="found 1"):
        report.figure("group_themes")


# -- 9. every column of the user's table reaches articles.csv -----------------------------


def test_articles_csv_keeps_every_column_of_the_input(user_report, user_table):
    _, out = user_report
    _, frame = user_table
    articles = pd.read_csv(out / "articles.csv", dtype=str, keep_default_na=False)
    # the table's order is kept as table_order: the loader's order is its own
    assert {"year", "table_order", "section", "label", "date"} <= set(articles.columns)
    assert articles["year"].tolist() == frame["year"].tolist()
    assert articles["table_order"].tolist() == frame["order"].tolist()
    assert set(articles["section"]) == {"要闻"}


def test_a_json_records_own_fields_reach_the_articles_table(tmp_path):
    path = tmp_path / "news.jsonl"
    records = [
        {"id": "a1", "title": "工会驿站", "text": "快递小哥冒雨送件,工会驿站为他们提供热水。",
         "tags": ["工会", "驿站"], "版面": {"版次": 1}, "year": 2024},
        {"id": "a2", "title": "高温津贴", "text": "市总工会通报去年夏季高温津贴落实情况。",
         "tags": [], "版面": {"版次": 2}, "year": 2023},
    ]  # fmt: skip
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = Report(ReportOptions(paths=[str(path)])).table("articles")
    assert table["tags"].tolist() == ['["工会", "驿站"]', "[]"]  # lists and objects as JSON
    assert table["版面"].tolist() == ['{"版次": 1}', '{"版次": 2}']
    assert table["year"].tolist() == [2024, 2023]


# -- 10. tables are rounded, and the same results give the same bytes ---------------------


def test_tables_are_rounded_so_that_reruns_write_the_same_bytes(tmp_path):
    def table(noise: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "term": ["工会", "职工", "骑手"],
                "g2": [1 / 3 + noise, 12345.678901 + noise, 2 / 3],
                "p": [1.2345678912e-20, 0.5 + noise, np.nan],
                "count": [1, 2, 3],
                # a column of mixed values holds its floats as objects
                "fit": [0.1 + 0.2, None, "文"],
            }
        )

    for name, noise in (("a", 0.0), ("b", 4e-16)):
        write_csv(table(noise), tmp_path / f"{name}.csv")
        write_xlsx({"表": table(noise)}, tmp_path / f"{name}.xlsx")
    for suffix in ("csv", "xlsx"):
        assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()
    text = (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [
        "工会,0.333333,1.23457e-20,1,0.3",
        "职工,12345.7,0.5,2,",
        "骑手,0.666667,,3,文",
    ]
    rows = list(openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0].values)
    assert rows[1] == ("工会", 0.333333, 1.23457e-20, 1, 0.3)
    assert rows[2][1] == 12345.7


def test_rounding_a_column_at_once_gives_the_floats_round_gives():
    """The numpy rounding of a float column equals Python's ``round`` to 6 significant
    digits value by value: on ties written in decimal (0.1234565 is stored a little
    below or above its decimal), halves, scores of every size, and what is not finite."""
    from analysis.output.report_writer import _round, _round_array

    rng = np.random.default_rng(7)
    magnitudes = 10.0 ** rng.integers(-30, 30, 20_000)
    values = np.concatenate(
        [
            rng.random(20_000) * magnitudes * rng.choice([-1, 1], 20_000),
            [0.1234565, 2.5, 0.5, 1234567.5, 1234568.5, 12345.65, 0.0001234565, 1e-300],
            [5e-324, 1.7976931348623157e308, -0.0, 0.0, np.inf, -np.inf, np.nan],
            np.round(rng.random(5_000), 7),  # seven decimals: many ties at the sixth digit
        ]
    )
    fast = _round_array(values)
    slow = np.array([_round(float(v)) for v in values])
    same = (fast == slow) | (np.isnan(fast) & np.isnan(slow))
    assert same.all(), values[~same][:5]
    assert _round_array(np.array([0.1234565, 2.5], dtype=np.float32)).dtype == np.float32


def test_the_report_tables_are_rounded(user_report):
    _, out = user_report
    seen = 0
    for path in sorted(out.glob("*.csv")):
        typed = pd.read_csv(path)
        cells = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in typed.columns[typed.dtypes.map(pd.api.types.is_float_dtype)]:
            for cell in cells[column][cells[column] != ""]:
                digits = re.sub(r"e.*|\D", "", cell).strip("0")
                assert len(digits) <= 6 or float(cell).is_integer(), (path.name, column, cell)
                seen += 1
    assert seen > 500


# -- 11. the HTML pages embed the Chinese font --------------------------------------------


def _embedded(page: str) -> tuple[set[int], str]:
    """The code points of the font a page embeds, and its @font-face rule."""
    rule = re.search(r"@font-face\{[^}]*\}", page).group(0)
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", rule).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    return set(font.getBestCmap()), rule


def test_a_rendered_notebook_embeds_the_chinese_it_shows():
    import nbformat

    from analysis.output.notebooks import render_html

    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell('print("快递小哥的一天")')
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="快递小哥的一天\n")]
    table = pd.DataFrame({"词语": ["县级工会", "劳模工匠"]}).to_html()
    code.outputs.append(
        nbformat.v4.new_output("display_data", data={"text/html": table, "text/plain": "表"})
    )
    notebook.cells = [nbformat.v4.new_markdown_cell("# 工会驿站\n应急演练确保安全度汛。"), code]
    page = render_html(notebook)
    covered, rule = _embedded(page)
    chinese = set(HAN.findall("工会驿站应急演练确保安全度汛快递小哥的一天县级工会劳模工匠词语"))
    assert {ord(c) for c in chinese} <= covered
    assert not {ord(c) for c in "Aa1 "} & covered  # Latin text keeps its fonts
    assert "unicode-range:" in rule and f'font-family:"{EMBEDDED_FAMILY}"' in rule
    for name in (
        "--jp-ui-font-family",
        "--jp-content-font-family",
        "--jp-code-font-family-default",
    ):
        assert f'{name}:"{EMBEDDED_FAMILY}",' in page
    assert render_html(notebook) == page  # the same notebook, the same bytes


def test_the_comparison_page_embeds_the_chinese_it_shows(tmp_path):
    from analysis.methods.compare import compare_groups
    from analysis.output.comparison import comparison_html

    table = compare_groups(load_articles(DATED), "label", "工会", "经济")
    path = comparison_html(table, a="工会", b="经济", path=tmp_path / "comparison.html")
    page = path.read_text(encoding="utf-8")
    covered, _ = _embedded(page)
    shown = set(HAN.findall("".join(table["term"]) + page))
    assert {ord(c) for c in shown} <= covered
    assert f'body{{font-family:"{EMBEDDED_FAMILY}",' in page


def test_the_font_embedding_lives_in_one_place():
    from analysis.output import fonts, topic_view

    assert topic_view._font_subset is fonts._font_subset
    assert not hasattr(topic_view, "_font_face")
