"""Property-based tests (Hypothesis) of the loaders and the page splitter: random bytes,
random Unicode and random mixtures of real lines never crash the splitter, never lose or
invent a body character, and a file always gives articles or a one-line error."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import AnalysisError
from analysis.reading.corpus import load_articles
from analysis.reading.pages import join_pieces, split_page
from analysis.reading.textio import normalize_line
from tests.conftest import FIXTURES, SEED

REAL_LINES = sorted(
    {
        line
        for path in [SEED, *sorted((FIXTURES / "pages").glob("*.txt"))]
        for line in path.read_text(encoding="utf-8").splitlines()
    }
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check_split(text: str) -> None:
    split = split_page(text)
    for article in split.articles:
        for paragraph, spans in zip(article.paragraphs, article.paragraph_spans, strict=True):
            # every character of a paragraph is where its spans say, in the source
            assert join_pieces([normalize_line(text[s:e]) for s, e in spans]) == paragraph
            for s, e in spans:
                assert 0 <= s <= e <= len(text)
    body = Counter(ch for a in split.articles for p in a.paragraphs for ch in p if not ch.isspace())
    source = Counter(ch for ch in normalize_line(text) if not ch.isspace())
    assert not body - source  # nothing invented
    for line in split.lines:
        assert line.label and line.rule  # nothing unaccounted for


@SETTINGS
@given(st.text(max_size=400))
def test_random_unicode_never_breaks_the_splitter(text):
    _check_split(text)


@SETTINGS
@given(st.lists(st.sampled_from(REAL_LINES), max_size=60), st.lists(st.integers(0, 3), max_size=60))
def test_random_mixtures_of_real_lines(lines, gaps):
    text = "".join(
        line + "\n" * (1 + (gaps[k] if k < len(gaps) else 1)) for k, line in enumerate(lines)
    )
    _check_split(text)


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from([".txt", ".md", ".csv", ".tsv", ".jsonl", ".html"]))
def test_random_bytes_give_articles_or_one_line_error(tmp_path_factory, data, suffix):
    path = Path(tmp_path_factory.mktemp("bytes")) / f"input{suffix}"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            df = load_articles(path, bad_rows="skip")
        except AnalysisError as exc:
            message = str(exc)
            assert message and "\n" not in message and str(path) in message
            return
    assert set(df["source"]) <= {str(path)}
    for paragraphs in df["paragraphs"]:
        assert all(isinstance(p, str) and p for p in paragraphs)
    assert not any(re.search(r"[\x00-\x08\x0b\x0e-\x1f]", t) for t in df["text"])
