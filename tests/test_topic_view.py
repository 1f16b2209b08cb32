"""The offline topic view (issue #20): LDA and NMF topics of the seed drawn as one
self-contained page, its data, font, escaping and determinism, and the page at work in
headless Chromium (skipped without ``/usr/bin/chromium`` or Playwright).

The browser gets no extra fonts (unlike ``test_browser``): Chinese must show through the
font the page embeds."""

from __future__ import annotations

import base64
import io
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont

from analysis.config import PROJECT_ROOT
from analysis.errors import NotEnoughDataError, OptionError
from analysis.methods.topics import Topics, fit_topics
from analysis.output import topic_view
from analysis.output.topic_view import (
    BARS,
    FONT_FAMILY,
    LAMBDA,
    STEPS,
    ranked_terms,
    topic_view_html,
    write_topic_view,
)
from analysis.reading.corpus import load_articles

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
DATA = re.compile(r'<script type="application/json" id="topic-data">(.*?)</script>', re.S)
FONT = re.compile(r"url\(data:font/(otf|ttf);base64,([A-Za-z0-9+/=]+)\)")
HOSTILE = ["</script><b>x", "a&amp;b", "\"q'", "<!--", "工会", "@@SCRIPT@@", "]]>"]


@pytest.fixture(scope="module")
def articles():
    return load_articles("seeds")


@pytest.fixture(scope="module", params=["lda", "nmf"])
def fitted(request, articles):
    return fit_topics(articles, k=3, model=request.param)


@pytest.fixture(scope="module")
def page(fitted, articles):
    return topic_view_html(fitted, titles=articles["title"], title="工人日报：主题")


def _data(page: str) -> dict:
    (found,) = DATA.findall(page)
    return json.loads(found)


def _font(page: str) -> TTFont:
    (found,) = FONT.findall(page)
    return TTFont(io.BytesIO(base64.b64decode(found[1])))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _hostile_topics() -> Topics:
    vocabulary = [*HOSTILE, "职工", "服务"]
    rng = np.random.default_rng(0)
    words = rng.dirichlet(np.ones(len(vocabulary)), size=2)
    doc_topics = rng.dirichlet(np.ones(2), size=4)
    return Topics(
        "lda", 2, [HOSTILE[:4], HOSTILE[3:]], np.array([0.1, -0.2]), doc_topics,
        topic_words=words, vocabulary=vocabulary,
    )  # fmt: skip


def test_the_page_asks_for_nothing_outside_itself(page):
    lowered = page.lower()
    for external in ('src="http', "src='http", 'href="http', "href='http", "url(http"):
        assert external not in lowered
    assert not re.search(r"<(link|img|iframe|object|embed)\b", lowered)
    assert not re.search(r"\b(src|href)\s*=", lowered)
    assert "@import" not in lowered and "fetch(" not in lowered
    assert "xmlhttprequest" not in lowered
    assert re.findall(r"url\((?!data:)", lowered) == []
    assert re.findall(r"<script\b[^>]*>", page) == [
        '<script type="application/json" id="topic-data">',
        "<script>",
    ]
    assert "default-src 'none'" in page  # the browser is told so too


def test_the_embedded_font_draws_every_chinese_character(page):
    font = _font(page)
    cmap = font.getBestCmap()
    data = _data(page)
    outside = FONT.sub("", page)
    chinese = set(CJK.findall(outside)) | set(CJK.findall("".join(_strings(data))))
    assert {"工", "会", "主", "题"} <= chinese  # terms, titles and the page's title
    assert sorted(c for c in chinese if ord(c) not in cmap) == []
    # a subset: the seed's characters, not the 16 MB font
    assert len(cmap) < 1000
    assert re.search(rf'body \{{ font-family: "{FONT_FAMILY}",', page)
    assert f'font-family:"{FONT_FAMILY}"' in page


def test_the_data_holds_the_topics(page, fitted, articles):
    data = _data(page)
    table = fitted.table()
    assert (data["model"], data["k"], data["articles"]) == (fitted.model, 3, len(articles))
    assert len(data["topics"]) == fitted.k
    assert len(data["terms"]) == len(set(data["terms"])) == len(data["p"])
    assert set(data["terms"]) <= set(fitted.vocabulary)
    assert data["lambda"] == LAMBDA and data["steps"] == STEPS
    assert len(data["salient"]) == min(BARS, len(fitted.vocabulary))
    for topic, row in zip(data["topics"], table.itertuples(), strict=True):
        assert topic["id"] == row.topic
        assert topic["top"] == row.terms
        assert topic["npmi"] == pytest.approx(row.npmi, abs=1e-4)
        assert topic["share"] == pytest.approx(row.share, abs=1e-4)
        assert len(topic["w"]) >= min(BARS, np.count_nonzero(fitted.topic_words[row.topic - 1]))
        assert len(topic["articles"]) == 5
        shares = [share for _, share in topic["articles"]]
        assert shares == sorted(shares, reverse=True)
        assert {title for title, _ in topic["articles"]} <= set(articles["title"])
    assert sum(t["share"] for t in data["topics"]) == pytest.approx(1, abs=1e-5)


def test_the_map_coordinates_are_finite_and_centred(page):
    data = _data(page)
    coords = np.array([[t["x"], t["y"]] for t in data["topics"]])
    assert np.isfinite(coords).all()
    assert np.abs(coords).max() > 0
    assert coords.mean(axis=0) == pytest.approx([0, 0], abs=1e-5)
    # distinct topics land at distinct places
    assert len({tuple(c) for c in coords.round(4)}) == len(coords)


def _relevance(fitted: Topics, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Relevance over the whole vocabulary, p(w) the prevalence-weighted mixture."""
    phi = fitted.topic_words / fitted.topic_words.sum(axis=1, keepdims=True)
    shares = fitted.doc_topics.mean(axis=0)
    p = shares @ phi
    with np.errstate(divide="ignore", invalid="ignore"):
        return lam * np.log(phi) + (1 - lam) * np.log(phi / p), phi


@pytest.mark.parametrize("lam", [1.0, 0.0, 0.6, 0.37])
def test_ranking_matches_the_whole_vocabulary(page, fitted, lam):
    """The top terms the page ranks among its few embedded terms are those of the whole
    vocabulary; at λ = 1 they follow φ."""
    data = _data(page)
    relevance, phi = _relevance(fitted, lam)
    where = {w: i for i, w in enumerate(fitted.vocabulary)}
    for t in range(fitted.k):
        shown = [where[w] for w in ranked_terms(data, t, lam)]
        expected = np.sort(relevance[t][np.isfinite(relevance[t])])[::-1][: len(shown)]
        assert len(shown) == min(BARS, np.count_nonzero(phi[t]))
        assert relevance[t][shown] == pytest.approx(expected, rel=1e-5, abs=1e-5)
        if lam == 1.0:
            assert phi[t][shown] == pytest.approx(np.sort(phi[t])[::-1][: len(shown)], rel=1e-5)
            assert list(phi[t][shown]) == sorted(phi[t][shown], reverse=True)


def test_lambda_changes_the_ranking(page):
    data = _data(page)
    changed = [
        t for t in range(data["k"]) if ranked_terms(data, t, 0.0) != ranked_terms(data, t, 1.0)
    ]
    assert changed


def test_the_same_topics_give_the_same_bytes(fitted, articles, page):
    topic_view._font_subset.cache_clear()
    again = fit_topics(articles, k=3, model=fitted.model)
    assert topic_view_html(again, titles=articles["title"], title="工人日报：主题") == page


def test_hostile_text_stays_text():
    topics = _hostile_topics()
    titles = ["<img src=x onerror=alert(1)>", None, "</script>", "“标题”&"]
    page = topic_view_html(topics, titles=titles, title="</title><script>alert(1)</script>")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<b>" not in page and "<img" not in page and "<!--" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    data = _data(page)
    assert set(HOSTILE) <= set(data["terms"])
    assert data["topics"][0]["top"] == HOSTILE[:4]
    shown_titles = {title for t in data["topics"] for title, _ in t["articles"]}
    assert shown_titles == {titles[0], "Article 2", titles[2], titles[3]}
    assert page.count('"use strict"') == 1  # a placeholder in the data is left alone
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page


def test_topics_without_word_distributions_are_refused(fitted):
    bare = Topics(fitted.model, fitted.k, fitted.terms, fitted.npmi, fitted.doc_topics)
    with pytest.raises(NotEnoughDataError, match="refit"):
        topic_view_html(bare)
    with pytest.raises(OptionError, match="one per article"):
        topic_view_html(fitted, titles=["only one"])


def test_write_topic_view(tmp_path, fitted, articles, page):
    path = write_topic_view(
        tmp_path / "view" / "topics.html", fitted, titles=articles["title"], title="工人日报：主题"
    )
    assert path == tmp_path / "view" / "topics.html"
    assert path.read_bytes() == page.encode("utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["topics.html"]


# --- in a browser ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# as in test_browser: the full browser without a display, quiet and offline in containers
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"no Chromium at {CHROMIUM}: 'apt-get install chromium' enables the browser tests",
)


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    # the system's fonts only: the page must bring its Chinese font itself
    environment = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, env=environment
        )
        yield browser
        browser.close()


class Opened:
    """A page opened offline, recording console errors and network requests."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.attempted: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.attempted.append(route.request.url)
            route.abort()

    def labels(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#bars text.term", "all => all.map(t => t.getAttribute('data-term'))"
        )

    def shown(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#bars text.term", "all => all.map(t => t.textContent)"
        )

    def slide(self, step: int) -> None:
        self.page.eval_on_selector(
            "#lambda",
            "(s, v) => { s.value = String(v); s.dispatchEvent(new Event('input')); }",
            step,
        )

    def fonts_used(self, selector: str) -> list[dict]:
        """The fonts Chromium drew the element's text with (DevTools protocol)."""
        session = self.context.new_cdp_session(self.page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
        return session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]

    def close(self) -> None:
        self.context.close()


@needs_chromium
def test_the_page_works_in_a_browser(chromium, tmp_path, articles):
    fitted = fit_topics(articles, k=3)
    path = write_topic_view(tmp_path / "topics.html", fitted, titles=articles["title"])
    data = _data(path.read_text(encoding="utf-8"))
    salient = [data["terms"][w] for w in data["salient"]]
    opened = Opened(chromium, path)
    page = opened.page
    try:
        assert page.locator("#map g.topic").count() == fitted.k
        assert opened.labels() == salient
        assert opened.shown() == salient  # short terms are shown whole
        t = next(t for t in range(fitted.k) if ranked_terms(data, t, 0) != ranked_terms(data, t, 1))
        page.click(f'#map g.topic[data-topic="{t}"]')
        assert page.get_attribute("#bars", "data-shown") == str(t)
        assert opened.labels() == ranked_terms(data, t, LAMBDA)
        assert "Articles with the highest share" in page.inner_text("#info")
        for step in (0, 100, 37):
            opened.slide(step)
            assert opened.labels() == ranked_terms(data, t, step / STEPS)
            assert page.inner_text("#lambda-value") == f"λ = {step / STEPS:.2f}"
        assert ranked_terms(data, t, 0) != ranked_terms(data, t, 1)
        page.select_option("#topic-select", "-1")
        assert opened.labels() == salient
        page.click(f'#topics tbody tr[data-topic="{t}"]')
        assert opened.labels() == ranked_terms(data, t, 0.37)
        page.click(f'#map g.topic[data-topic="{t}"]')  # again: cleared
        assert opened.labels() == salient
        page.mouse.move(3, 3)

        # the Chinese of the bars and the table is drawn with the embedded font
        assert page.evaluate(f"document.fonts.check('12px \"{FONT_FAMILY}\"', '工会')")
        faces = page.evaluate("[...document.fonts].map(f => [f.family, f.status])")
        assert faces == [[f'"{FONT_FAMILY}"', "loaded"]] or faces == [[FONT_FAMILY, "loaded"]]
        for selector in ("#bars text.term", "#topics tbody td:last-child", "#info"):
            used = opened.fonts_used(selector)
            assert used and all(font["isCustomFont"] for font in used), (selector, used)
        (PROJECT_ROOT / "screenshots").mkdir(exist_ok=True)
        page.screenshot(path=PROJECT_ROOT / "screenshots" / "topic-view.png", full_page=True)
    finally:
        opened.close()
    assert opened.attempted == []
    assert opened.errors == []


@needs_chromium
def test_hostile_text_shows_as_text_in_a_browser(chromium, tmp_path):
    path = write_topic_view(tmp_path / "hostile.html", _hostile_topics(), title="<b>t</b>")
    opened = Opened(chromium, path)
    page = opened.page
    try:
        for t in range(2):
            page.click(f'#map g.topic[data-topic="{t}"]')
            data = _data(path.read_text(encoding="utf-8"))
            assert opened.labels() == ranked_terms(data, t, LAMBDA)
        assert page.locator("b, img").count() == 0
        assert page.inner_text("h1") == "<b>t</b>"
        assert HOSTILE[0] in page.inner_text("#topics")
    finally:
        opened.close()
    assert opened.attempted == [] and opened.errors == []


def test_the_notebook_frame_holds_the_whole_page_escaped():
    import html

    from analysis.output.topic_view import topic_view_frame, topic_view_html

    topics = fit_topics(load_articles("seeds"), k=3)
    frame = topic_view_frame(topics, height=900).data
    assert frame.startswith('<div><iframe srcdoc="') and "height: 900px" in frame
    inner = frame[len('<div><iframe srcdoc="') : frame.index('" title=')]
    assert '"' not in inner and "<" not in inner  # all of it inside the attribute
    assert html.unescape(inner) == topic_view_html(topics)
