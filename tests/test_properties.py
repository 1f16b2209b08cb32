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


_SIMPLIFIED = "本市昨天召开职工代表大会，审议通过了集体合同草案。与会代表就工资增长机制展开讨论。"
_TRADITIONAL = "台北市政府今天宣布，明年起將擴大補助青年租屋。市議員認為這項政策來得太晚。"


@SETTINGS
@given(
    st.sampled_from(["utf-8", "gbk", "big5"]),
    st.sampled_from(["", "utf-8", "gb2312", "big5", "windows-1252"]),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=3),
    st.booleans(),
)
def test_saved_pages_in_any_encoding_and_label_read_whole_or_fail_in_one_line(
    codec, label, damage, cut
):
    from analysis.reading.webpages import read_html

    text = _TRADITIONAL if codec == "big5" else _SIMPLIFIED
    meta = f'<meta charset="{label}">' if label else ""
    html = f"<html><head>{meta}<title>{text[:4]}</title></head><body>" + f"<p>{text}</p>" * 4
    data = bytearray(html.encode(codec))
    head = len(f"<html><head>{meta}<title>".encode())
    for at in damage:  # flip bytes of the text, never of the markup before it
        k = head + at % (len(data) - head)
        data[k] ^= 0x5A
    if cut:
        data = data[:-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            page = read_html(bytes(data), name="p.html")
        except AnalysisError as exc:
            assert str(exc).startswith("p.html: ") and "\n" not in str(exc)
            return
    everything = "\n".join([page.text, *page.header, *page.footer])
    assert "\ue5e5" not in everything
    if label != "windows-1252":  # never another family's mojibake, damaged or not
        family = {"gbk": "gb", "gb18030": "gb", "big5": "big5", "big5hkscs": "big5"}
        assert family.get(page.encoding, page.encoding) == family.get(codec, codec)
    if not damage and label != "windows-1252":
        # a page whose Chinese label is right, wrong (big5 on GBK bytes) or stale (utf-8),
        # or that has none, reads back as written; a Latin label is taken at its word
        assert text[:20] in everything
