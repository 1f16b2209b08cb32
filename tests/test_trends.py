"""Trends over time on the dated fixture corpus (tests/fixtures/dated, see its README).

Hand counts in the fixture (occurrences in title + text; both words stay whole tokens):

- 高温津贴: 2024-01: 2 (01-05 title + text); 02: 0; 03: 0; 04: 2 (04-11 title + text);
  05: 6 (05-10: 2, 05-17: 1, 05-24: 1, 05-30: 2); 06: 10 (06-03: 2, 06-12: 2, 06-19: 3,
  06-24: 1, 06-27: 2); undated: 2 (高温津贴问答, title + text).
- 春运: 2024-01: 9 (01-03: 2, 01-15: 1, 01-17: 2, 01-26: 2, 01-29: 2); 02: 5 (02-01: 2,
  02-20: 1, 02-26: 2); 03: 2 (03-04: 2); 04–06: 0.
- 13 dated articles a month; no article from 02-05 to 02-19.
"""

from __future__ import annotations

import math
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import load_articles
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.keywords import G2_THRESHOLD
from analysis.methods.themes import find_themes
from analysis.methods.trends import (
    UndatedArticlesWarning,
    rising_terms,
    term_frequencies,
    theme_prevalence,
)
from analysis.output.trend_charts import rising_plot, theme_trend_plot, trend_plot
from analysis.representations.analysed import AnalysedCorpus

pytestmark = pytest.mark.filterwarnings("ignore::analysis.methods.trends.UndatedArticlesWarning")

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
HEAT = [2, 0, 0, 2, 6, 10]  # 高温津贴 per month, by hand (module docstring)
SPRING = [9, 5, 2, 0, 0, 0]  # 春运 per month, by hand


@pytest.fixture(scope="module")
def news_path(fixtures_dir):
    return fixtures_dir / "dated" / "news.csv"


@pytest.fixture(scope="module")
def corpus(news_path) -> AnalysedCorpus:
    return AnalysedCorpus.load(news_path)


@pytest.fixture(scope="module")
def tiny() -> AnalysedCorpus:
    """Three one-sentence articles whose kept tokens are known by hand: the POS filter
    drops the verbs (发放, 加入, 公布) and the full stop.

    2024-01-05 工会发放高温津贴。 → 工会 高温津贴
    2024-01-20 骑手加入工会。   → 骑手 工会
    2024-03-02 高温津贴标准公布。 → 高温津贴 标准
    """
    texts = ["工会发放高温津贴。", "骑手加入工会。", "高温津贴标准公布。"]
    return AnalysedCorpus(
        pd.DataFrame(
            {
                "id": ["a", "b", "c"],
                "title": ["", "", ""],
                "text": texts,
                "paragraphs": [[t] for t in texts],
                "date": ["2024-01-05", "2024-01-20", "2024-03-02"],
            }
        )
    )


@pytest.fixture(scope="module")
def themes(corpus):
    return find_themes(corpus, k=4)


def test_fixture_loads_with_dates_labels_and_titles(news_path):
    assert news_path.stat().st_size < 30_000
    articles = load_articles(news_path)
    assert len(articles) == 80
    assert set(articles["label"]) == {"工会", "经济", "体育"}
    assert articles["title"].iloc[0] == "春运火车票开售"
    assert articles["date"].isna().sum() == 2
    dated = articles["date"].dropna()
    assert (dated.min(), dated.max()) == ("2024-01-03", "2024-06-28")
    assert dated.str[:7].value_counts().to_dict() == dict.fromkeys(MONTHS, 13)


# -- term_frequencies -----------------------------------------------------------------------


def test_planted_terms_counted_per_month_as_by_hand(corpus):
    freqs = term_frequencies(corpus, terms=["高温津贴", "春运"], period="month")
    assert list(freqs.columns) == ["period", "term", "n", "per_10k", "tokens"]
    assert freqs["period"].drop_duplicates().tolist() == MONTHS
    assert freqs["term"].tolist()[:2] == ["高温津贴", "春运"]
    heat = freqs[freqs["term"] == "高温津贴"]
    spring = freqs[freqs["term"] == "春运"]
    assert heat["n"].tolist() == HEAT
    assert spring["n"].tolist() == SPRING
    # rising: the rate in June is above January's; falling: the other way round
    assert heat["per_10k"].iloc[-1] > heat["per_10k"].iloc[0] > 0
    assert spring["per_10k"].iloc[0] > 0 == spring["per_10k"].iloc[-1]


def test_per_10k_is_count_over_the_periods_tokens(corpus):
    freqs = term_frequencies(corpus, terms=["高温津贴"], period="month")
    june = freqs[freqs["period"] == "2024-06"].iloc[0]
    # the period's tokens, by another route: the June articles' kept tokens
    in_june = (corpus.articles["date"].fillna("").str[:7] == "2024-06").to_numpy()
    assert june["tokens"] == corpus.n_tokens[in_june].sum()
    assert june["per_10k"] == pytest.approx(10 * 10_000 / june["tokens"])


def test_per_10k_by_hand_and_the_empty_month_inside_the_span(tiny):
    freqs = term_frequencies(tiny, terms=["高温津贴", "工会"], period="month")
    table = freqs.set_index(["period", "term"])
    # January: 4 tokens (工会 高温津贴 骑手 工会), 高温津贴 once, 工会 twice
    assert table.loc[("2024-01", "高温津贴")].tolist() == [1, 2500.0, 4]
    assert table.loc[("2024-01", "工会")].tolist() == [2, 5000.0, 4]
    # February has no article but stays in the table, with zeros
    assert table.loc[("2024-02", "高温津贴")].tolist() == [0, 0.0, 0]
    # March: 2 tokens (高温津贴 标准)
    assert table.loc[("2024-03", "高温津贴")].tolist() == [1, 5000.0, 2]
    assert table.loc[("2024-03", "工会")].tolist() == [0, 0.0, 2]


def test_default_terms_are_the_most_frequent_ties_by_term(tiny):
    # totals: 工会 2, 高温津贴 2, 标准 1, 骑手 1; ties in code-point order (工 < 高, 标 < 骑)
    freqs = term_frequencies(tiny, period="month", top=3)
    assert freqs["term"].drop_duplicates().tolist() == ["工会", "高温津贴", "标准"]
    assert len(freqs) == 3 * 3  # three months (February empty) × three terms


def test_empty_weeks_inside_the_span_are_zero(corpus):
    freqs = term_frequencies(corpus, terms=["春运"], period="week")
    assert freqs.attrs["period"] == "week"
    weeks = pd.to_datetime(freqs["period"])
    assert weeks.is_monotonic_increasing and (weeks.diff().dropna() == pd.Timedelta(days=7)).all()
    empty = freqs[freqs["tokens"] == 0]
    # no article from 02-05 to 02-19: two whole weeks (whichever weekday weeks start on)
    assert len(empty) == 2
    starts = pd.to_datetime(empty["period"])
    assert (starts > pd.Timestamp("2024-02-04")).all()
    assert (starts + pd.Timedelta(days=6) < pd.Timestamp("2024-02-20")).all()
    assert (empty["n"] == 0).all() and (empty["per_10k"] == 0).all()


def test_undated_articles_are_left_out_with_one_warning(corpus, tiny):
    with pytest.warns(UndatedArticlesWarning, match="2 of 80") as record:
        freqs = term_frequencies(corpus, terms=["高温津贴"], period="month")
    assert len([w for w in record if w.category is UndatedArticlesWarning]) == 1
    assert freqs.attrs["undated"] == 2
    assert freqs["n"].sum() == sum(HEAT) == 20  # the 2 in 高温津贴问答 (undated) left out
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndatedArticlesWarning)
        assert term_frequencies(tiny, terms=["工会"]).attrs["undated"] == 0


def test_terms_not_kept_as_words(corpus):
    # 集中入会 is written (01-19, 06-21) but cut into 集中 / 入会
    with pytest.raises(OptionError, match=r"集中入会.*user dictionary"):
        term_frequencies(corpus, terms=["集中入会"], period="month")
    # a word the corpus never uses is a line of zeros, not an error
    hail = term_frequencies(corpus, terms=["冰雹"], period="month")
    assert hail["n"].tolist() == [0] * 6 and (hail["tokens"] > 0).all()


def test_no_dated_article(corpus):
    undated = AnalysedCorpus(corpus.articles[corpus.articles["date"].isna()])
    with pytest.raises(NotEnoughDataError, match="no article has a date"):
        term_frequencies(undated)
    with pytest.raises(NotEnoughDataError, match="no article has a date"):
        rising_terms(undated)


# -- theme_prevalence -----------------------------------------------------------------------


def _theme_with(themes, *words: str) -> int:
    found = [t for t, terms in themes.terms.items() if set(words) <= set(terms)]
    assert len(found) == 1, themes.terms
    return found[0]


def test_new_employment_theme_grows_and_spring_travel_theme_shrinks(corpus, themes):
    prevalence = theme_prevalence(corpus, themes, period="month")
    assert prevalence.index.tolist() == MONTHS
    assert list(prevalence.columns) == [1, 2, 3, 4, "other"]
    np.testing.assert_allclose(prevalence.sum(axis=1), 1.0)
    riders = _theme_with(themes, "外卖骑手", "新就业形态劳动者")
    spring = _theme_with(themes, "春运")
    # planted: 1 article on new forms of employment in January, 5 in June (of 13)
    assert prevalence[riders].iloc[-1] > 2 * prevalence[riders].iloc[0]
    assert prevalence[spring].iloc[0] > 2 * prevalence[spring].iloc[-1]
    assert prevalence.attrs["articles"] == dict.fromkeys(MONTHS, 13)
    assert prevalence.attrs["undated"] == 2


def test_theme_prevalence_weights_by_length(corpus, themes):
    prevalence = theme_prevalence(corpus, themes, period="month")
    january = (corpus.articles["date"].fillna("").str[:7] == "2024-01").to_numpy()
    weights = themes.article_weights.to_numpy()[january]
    lengths = corpus.articles.loc[january, "text"].str.len().to_numpy()
    expected = lengths @ weights / lengths.sum()
    np.testing.assert_allclose(prevalence.loc["2024-01"].to_numpy(), expected)
    assert not np.allclose(expected, weights.mean(axis=0))  # the weighting matters


def test_theme_prevalence_empty_weeks_are_nan(corpus, themes):
    prevalence = theme_prevalence(corpus, themes, period="week")
    empty = prevalence.isna().all(axis=1)
    assert empty.sum() == 2
    np.testing.assert_allclose(prevalence[~empty].sum(axis=1), 1.0)


def test_theme_prevalence_needs_the_same_corpus(corpus, themes, tiny):
    with pytest.raises(OptionError, match="another corpus"):
        theme_prevalence(tiny, themes)


# -- rising_terms ---------------------------------------------------------------------------


def test_rising_and_falling_at_the_median_date(corpus):
    table = rising_terms(corpus, period="month")
    assert table.attrs["split"] == "median date 2024-03-30"
    assert (table.attrs["before"], table.attrs["after"]) == (
        "2024-01-03:2024-03-29",
        "2024-04-01:2024-06-28",
    )
    assert (table.attrs["n_before"], table.attrs["n_after"]) == (39, 39)
    rows = table.set_index("term")
    heat, spring = rows.loc["高温津贴"], rows.loc["春运"]
    # hand counts: 高温津贴 2 + 0 + 0 before, 2 + 6 + 10 after; 春运 9 + 5 + 2 before, 0 after
    assert (heat["direction"], heat["n_before"], heat["n_after"]) == ("rising", 2, 18)
    assert (spring["direction"], spring["n_before"], spring["n_after"]) == ("falling", 16, 0)
    assert heat["g2"] >= G2_THRESHOLD and heat["log_ratio"] >= 1
    assert spring["g2"] <= -G2_THRESHOLD and spring["log_ratio"] <= -1
    # log ratio of 春运 from the hand counts and the halves' token totals (0.5 for a zero)
    tokens = term_frequencies(corpus, terms=["春运"], period="month")["tokens"].to_numpy()
    before, after = tokens[:3].sum(), tokens[3:].sum()
    assert spring["log_ratio"] == pytest.approx(math.log2((0.5 / after) / (16 / before)))
    # rising rows first (highest G² first), then falling (most negative first)
    directions = table["direction"].tolist()
    assert directions == sorted(directions, key=["rising", "falling"].index)
    for direction, ascending in (("rising", False), ("falling", True)):
        g2 = table.loc[table["direction"] == direction, "g2"]
        assert g2.is_monotonic_increasing if ascending else g2.is_monotonic_decreasing


def test_rising_between_given_periods(corpus):
    table = rising_terms(corpus, before="2024-01:2024-02", after="2024-05:2024-06")
    assert table.attrs["period"] == "month"  # read from how the periods are spelled
    assert (table.attrs["n_before"], table.attrs["n_after"]) == (26, 26)
    rows = table.set_index("term")
    assert rows.loc["高温津贴", ["n_before", "n_after"]].tolist() == [2, 16]
    assert rows.loc["春运", ["n_before", "n_after"]].tolist() == [14, 0]
    # only `after` given: the other side is everything before it
    quarters = rising_terms(corpus, after="2024Q2")
    assert (quarters.attrs["before"], quarters.attrs["after"]) == ("2024Q1", "2024Q2")
    assert quarters.set_index("term").loc["高温津贴", "n_before"] == 2


def test_rising_terms_errors(corpus):
    with pytest.raises(NotEnoughDataError, match=r"one year \(2024\).*finer --period"):
        rising_terms(corpus, period="year")
    with pytest.raises(OptionError, match=r"no month '2023-12'.*2024-01, 2024-02.*2024-06"):
        rising_terms(corpus, before="2023-12")
    with pytest.raises(OptionError, match="runs backwards"):
        rising_terms(corpus, after="2024-06:2024-05")
    with pytest.raises(OptionError, match="must end before"):
        rising_terms(corpus, before="2024-01:2024-04", after="2024-03:2024-06")
    with pytest.raises(NotEnoughDataError, match="reaches the first month"):
        rising_terms(corpus, after="2024-01:2024-03")
    with pytest.raises(NotEnoughDataError, match=r"no dated article in 2024-02-06 \(before\)"):
        rising_terms(corpus, period="day", before="2024-02-06")  # the holiday


# -- charts ---------------------------------------------------------------------------------


@pytest.fixture
def no_glyph_warnings():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        yield
    assert not [w for w in record if "Glyph" in str(w.message)]


@pytest.mark.usefixtures("no_glyph_warnings")
def test_trend_plot_draws_a_line_per_term_with_chinese_labels(corpus):
    freqs = term_frequencies(corpus, terms=["高温津贴", "春运", "外卖骑手"], period="week")
    ax = trend_plot(freqs, title="高温津贴与春运")
    ax.figure.canvas.draw()
    assert [line.get_label() for line in ax.get_lines()] == ["高温津贴", "春运", "外卖骑手"]
    heat = ax.get_lines()[0].get_ydata()
    assert heat.tolist() == freqs.loc[freqs["term"] == "高温津贴", "per_10k"].tolist()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["高温津贴", "春运", "外卖骑手", "无文章的时段"]
    assert ax.get_title() == "高温津贴与春运"
    plt.close(ax.figure)


@pytest.mark.usefixtures("no_glyph_warnings")
def test_theme_trend_plot_stacks_the_named_themes(corpus, themes):
    prevalence = theme_prevalence(corpus, themes, period="month")
    names = themes.names()
    ax = theme_trend_plot(prevalence, names)
    ax.figure.canvas.draw()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [names[c] for c in reversed(prevalence.columns)]
    assert [t.get_text() for t in ax.get_xticklabels()] == MONTHS
    plt.close(ax.figure)


@pytest.mark.usefixtures("no_glyph_warnings")
def test_rising_plot_diverges(corpus):
    table = rising_terms(corpus, period="month")
    ax = rising_plot(table)
    ax.figure.canvas.draw()
    widths = {
        t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert widths["高温津贴"] > 0 > widths["春运"]
    plt.close(ax.figure)
    with pytest.raises(NotEnoughDataError, match="nothing to draw"):
        rising_plot(table.iloc[:0])
