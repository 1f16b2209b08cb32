"""The rendered notebooks and the live explorer, checked in a real browser.

Headless Chromium (Debian's ``chromium`` package, driven by Playwright for Python) opens
every HTML rendering with the network blocked, and a JupyterLab started for the test
runs the explorer notebook. Without ``/usr/bin/chromium`` the tests are skipped; ``apt-get
install chromium`` enables them (``.ci/run`` does so). A screenshot of every page goes to
``screenshots/`` (git-ignored) for review.

``ANALYSIS_HTML_DIR`` points the rendering test at another folder of renderings (a
report's ``notebooks/html``); the executed ``.ipynb`` files are read from its parent.

A second browser sees no CJK font at all (only matplotlib's DejaVu fonts): there the
notebooks rendered afresh and a comparison page must show their Chinese through the font
they embed.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import PROJECT_ROOT
from analysis.output.notebooks import NOTEBOOKS_DIR

CHROMIUM = Path("/usr/bin/chromium")
HTML_DIR = Path(os.environ.get("ANALYSIS_HTML_DIR") or NOTEBOOKS_DIR / "html")
SCREENSHOTS = PROJECT_ROOT / "screenshots"
PAGES = sorted(HTML_DIR.glob("*.html"))
EXPLORER = NOTEBOOKS_DIR / "05-explorer.py"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"no Chromium at {CHROMIUM}: 'apt-get install chromium' enables the browser tests",
)

# --headless=new: the full browser without a display; the rest keeps it quiet and offline
# in containers (no sandbox as root, no GPU, a small /dev/shm, no background requests)
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _fontconfig(folder: Path) -> Path:
    """A fontconfig file that adds the package's Chinese font to the system's fonts, so
    that screenshots show Chinese text on a machine without CJK fonts (a reader's desktop
    has them; a CI container often has none)."""
    from analysis.output.fonts import chinese_font

    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{html.escape(str(chinese_font().path.parent))}</dir>\n"
        f"  <cachedir>{html.escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def _no_cjk_fontconfig(folder: Path) -> Path:
    """A fontconfig file with matplotlib's DejaVu fonts and nothing else: no system font,
    so no CJK font, whatever the machine has installed."""
    import matplotlib

    config = folder / "fonts.conf"
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{html.escape(str(fonts))}</dir>\n"
        f"  <cachedir>{html.escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


# module-scoped: Playwright's sync API cannot start while another module's is running
@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    environment = {
        **os.environ,
        "FONTCONFIG_FILE": str(_fontconfig(tmp_path_factory.mktemp("fonts"))),
    }
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=environment)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def browser_without_cjk(playwright, tmp_path_factory):
    """Chromium that has no font with Chinese glyphs: a page shows Chinese only through
    a font it embeds."""
    environment = {
        **os.environ,
        "FONTCONFIG_FILE": str(_no_cjk_fontconfig(tmp_path_factory.mktemp("no-cjk"))),
    }
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=environment)
    yield browser
    browser.close()


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _joined(text: str | list[str]) -> str:
    """A multi-line string of a notebook file (stored as a string or a list of lines)."""
    return text if isinstance(text, str) else "".join(text)


def _shown(output: dict) -> str:
    """The text a rendering shows for one output (empty for images and widgets)."""
    if output["output_type"] == "stream":
        return _joined(output["text"])
    data = output.get("data", {})
    if WIDGET_VIEW in data:
        return ""
    if "text/html" in data:
        return html.unescape(re.sub(r"<[^>]+>", " ", _joined(data["text/html"])))
    if "text/markdown" in data:
        return _joined(data["text/markdown"])
    if any(kind.startswith("image/") for kind in data):
        return ""
    return _joined(data.get("text/plain", ""))


def _offline_page(browser):
    """A new page that may load local files only: (its context, the page, the list of
    the other addresses it asked for, each refused)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    attempted: list[str] = []

    def block(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    return context, context.new_page(), attempted


@pytest.mark.parametrize("rendering", PAGES, ids=lambda p: p.stem)
def test_rendering_stands_alone(browser, rendering):
    """Every chart, table and Chinese text of the notebook shows with no network, and the
    page asks for nothing but itself."""
    notebook = json.loads((rendering.parent.parent / f"{rendering.stem}.ipynb").read_text())
    outputs = [o for cell in notebook["cells"] for o in cell.get("outputs", [])]
    charts = sum(any(k.startswith("image/") for k in o.get("data", {})) for o in outputs)
    tables = sum(_joined(o.get("data", {}).get("text/html", "")).count("<table") for o in outputs)
    widgets = sum(WIDGET_VIEW in o.get("data", {}) for o in outputs)
    chinese = {
        run
        for cell in notebook["cells"]
        for text in [_joined(cell["source"]) if cell["cell_type"] == "markdown" else ""]
        + [_shown(o) for o in cell.get("outputs", [])]
        for run in HAN.findall(text)
    }

    context, page, attempted = _offline_page(browser)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(rendering.as_uri(), wait_until="load")
    images = page.eval_on_selector_all(
        "img", "all => all.map(i => [i.complete, i.naturalWidth, i.src.slice(0, 15)])"
    )
    text = page.inner_text("body")
    shown_tables = page.locator("table").count()
    _screenshot(page, rendering.stem)
    context.close()

    assert not attempted, f"the page asked the network for {attempted}"
    assert not errors, f"console errors: {errors}"
    assert len(images) == charts
    assert all(complete and width > 0 for complete, width, _ in images), images
    assert all(src.startswith("data:image/") for *_, src in images), images
    assert shown_tables >= tables
    assert sorted(run for run in chinese if run not in text) == []
    assert text.count("static result follows") == widgets
    if widgets:
        assert "make lab" in text


# every element drawn whose own text holds Chinese (not a script's data or an SVG
# tooltip): its tag and the first family of its font
_CHINESE_ELEMENTS = """() => {
  const han = /[\\u4e00-\\u9fff]/;
  const found = [];
  document.body.querySelectorAll("*").forEach(el => {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent);
    own.push(el.getAttribute("placeholder") || "");  // a search box's hint is text too
    if (han.test(own.join("")) && el.getClientRects().length > 0) {
      el.setAttribute("data-chinese", String(found.length));
      const first = getComputedStyle(el).fontFamily.split(",")[0].trim();
      found.push([el.tagName, first.replace(/"/g, "")]);
    }
  });
  return found;
}"""


def _check_embedded_font(browser, path: Path, name: str) -> int:
    """Open ``path`` offline in ``browser`` (no CJK font): the page's embedded font is
    loaded, covers all its Chinese, heads the font list of every element with Chinese
    text, and is the font Chromium draws their Chinese with. Returns the number of
    elements with Chinese text (0 for a page without Chinese)."""
    from analysis.output.fonts import EMBEDDED_FAMILY

    context, page, attempted = _offline_page(browser)
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        elements = page.evaluate(_CHINESE_ELEMENTS)
        runs = "".join(sorted(set(re.findall(r"[\u4e00-\u9fff]", page.inner_text("body")))))
        covered = page.evaluate(
            '([family, text]) => document.fonts.check(`16px "${family}"`, text)',
            [EMBEDDED_FAMILY, runs],
        )
        faces = page.evaluate(
            "[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])"
        )
        session = context.new_cdp_session(page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        drawn = []
        for index in range(0, len(elements), max(1, len(elements) // 12)):
            node = session.send(
                "DOM.querySelector", {"nodeId": root, "selector": f'[data-chinese="{index}"]'}
            )["nodeId"]
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            drawn.append((elements[index][0], sorted({f["isCustomFont"] for f in fonts})))
        _screenshot(page, f"no-cjk-{name}")
    finally:
        context.close()
    assert not attempted, attempted
    if not runs:
        return 0
    assert covered, f"{name}: the embedded font lacks some of {runs}"
    assert [EMBEDDED_FAMILY, "loaded"] in faces, faces
    assert elements and {family for _, family in elements} == {EMBEDDED_FAMILY}, elements
    assert all(True in custom for _, custom in drawn), drawn
    return len(elements)


@pytest.mark.parametrize(
    "source", sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")), ids=lambda p: p.stem
)
def test_rendered_notebook_shows_chinese_without_a_cjk_font(browser_without_cjk, tmp_path, source):
    """A notebook rendered now (:func:`render_html`) embeds the Chinese it shows: in a
    browser with no CJK font, every element with Chinese text draws it with that font."""
    import nbformat

    from analysis.output.notebooks import render_html

    notebook = nbformat.read(source, as_version=4)
    page = tmp_path / f"{source.stem}.html"
    page.write_text(render_html(notebook), encoding="utf-8")
    shown = json.dumps([c["source"] for c in notebook.cells], ensure_ascii=False)
    shown += "".join(_shown(o) for c in notebook.cells for o in c.get("outputs", []))
    chinese = _check_embedded_font(browser_without_cjk, page, source.stem)
    assert (chinese > 0) == bool(HAN.search(shown)), source.stem


def test_comparison_page_shows_chinese_without_a_cjk_font(browser_without_cjk, tmp_path):
    from analysis.methods.compare import compare_groups
    from analysis.output.comparison import comparison_html
    from analysis.reading.corpus import load_articles
    from tests.conftest import FIXTURES

    articles = load_articles(FIXTURES / "dated" / "news.csv")
    table = compare_groups(articles, "label", "工会", "经济")
    path = comparison_html(table, a="工会", b="经济", path=tmp_path / "comparison.html")
    # the axis titles, the note, the search box's neighbours and the term labels
    assert _check_embedded_font(browser_without_cjk, path, "comparison") >= 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return 0


def _several_thousand(path: Path, n: int = 3000) -> pd.DataFrame:
    """A CSV of ``n`` articles of real text: each one to three consecutive paragraphs of
    one seed article (its title numbered), dated over 2023-2024, labelled by the seed
    article's position (甲 … 庚); the table is returned too."""
    import random

    from analysis import load_articles

    seed = load_articles()
    pick = random.Random(0)
    rows = []
    for i in range(n):
        k = pick.randrange(len(seed))
        paragraphs = seed["paragraphs"][k]
        first = pick.randrange(len(paragraphs))
        body = paragraphs[first : first + pick.randint(1, 3)]
        date = pd.Timestamp("2023-01-01") + pd.Timedelta(days=i * 730 // n)
        title = f"{seed['title'][k]}（{i + 1}）"
        rows.append(
            (f"a{i:05d}", date.date().isoformat(), title, "\n".join(body), "甲乙丙丁戊己庚"[k])
        )
    table = pd.DataFrame(rows, columns=["id", "date", "title", "text", "category"])
    table.to_csv(path, index=False)
    return table


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab on a free local port with the explorer notebook (not yet executed)
    in its root folder and its own settings, the report's corpus several thousand
    articles (:func:`_several_thousand`); yields its base URL, token, the root folder and
    the corpus table."""
    import jupytext
    import nbformat

    from analysis.output.report import ENV_VAR, ReportOptions

    root = tmp_path / "root"
    root.mkdir()
    table = _several_thousand(tmp_path / "corpus.csv")
    notebook = jupytext.read(EXPLORER)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nbformat.write(notebook, root / "05-explorer.ipynb")
    # no toast asking to fetch news over the network
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = _free_port(), "analysis-browser-test"
    environment = {
        name: value for name, value in os.environ.items() if name != "ANALYSIS_REPORT_STATE"
    } | {
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        ENV_VAR: ReportOptions(paths=[str(tmp_path / "corpus.csv")]).to_json(),
    }
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
        "--LabApp.news_url=None",
    ]
    if os.geteuid() == 0:  # JupyterLab refuses to start as root without it
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    with open(log, "wb") as sink:
        server = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=environment, cwd=root
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(f"{base}/api/status?token={token}") != 200:
            assert server.poll() is None, f"JupyterLab exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"JupyterLab did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield base, token, root, table
    finally:
        # the REST shutdown stops the kernels too; a signal only if that did not work
        request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
        try:
            urllib.request.urlopen(request, timeout=5).close()
            server.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(tmp_path / "runtime", ignore_errors=True)
    assert server.returncode == 0, f"JupyterLab did not stop cleanly:\n{log.read_text()}"


def _expected(table: pd.DataFrame, term: str) -> tuple[int, int]:
    """(articles, occurrences) of ``term`` in the titles and texts, counted by hand."""
    counts = (table["title"] + "\n" + table["text"]).str.count(term)
    return int((counts > 0).sum()), int(counts.sum())


def test_explorer_runs_in_jupyterlab(browser, jupyterlab):
    """Run All in JupyterLab draws the corpus explorer on 3,000 articles; typing a word
    updates the count, the trend, the KWIC and the collocates; a filter narrows them;
    clicking an article opens it with the matches marked; export writes a file."""
    base, token, root, table = jupyterlab
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    # JupyterLab itself is served locally; nothing else may be fetched
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:)(?!data:)(?!blob:).*"), lambda r: r.abort())
    page = context.new_page()
    page.goto(f"{base}/lab/tree/05-explorer.ipynb?token={token}&reset")
    # Run All before the kernel is up asks which kernel to start
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    status = page.locator(".analysis-status").first
    status.wait_for(timeout=180_000)
    query = page.locator(".analysis-query input").first
    query.fill("工会")
    query.press("Enter")
    articles, hits = _expected(table, "工会")
    status.get_by_text(f"{articles:,} 篇文章匹配，共 {hits:,} 处").wait_for(timeout=30_000)

    def tab(name: str):
        page.locator(".lm-TabBar-tab", has_text=name).first.click()

    tab("时间趋势")
    trend = page.locator("img.analysis-trend-image").first
    trend.wait_for(timeout=30_000)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=trend.element_handle()
    )
    tab("KWIC")
    kwic = page.locator(".analysis-kwic td.match")
    kwic.first.wait_for(timeout=30_000)
    assert kwic.count() == min(200, hits)
    assert set(kwic.all_inner_texts()) == {"工会"}
    tab("搭配词")
    page.locator(".analysis-collocate td").first.wait_for(timeout=30_000)

    page.locator(".analysis-column select").first.select_option("label")
    page.locator(".analysis-values select").first.select_option("乙")
    narrowed = _expected(table[table["category"] == "乙"], "工会")
    status.get_by_text(f"{narrowed[0]:,} 篇文章匹配，共 {narrowed[1]:,} 处").wait_for(
        timeout=30_000
    )
    tab("KWIC")
    page.wait_for_function(
        "n => document.querySelectorAll('.analysis-kwic td.match').length === n",
        arg=min(200, narrowed[1]),
        timeout=30_000,
    )

    tab("文章")
    listing = page.locator(".analysis-listing select").first
    first = listing.locator("option").first
    first.wait_for(timeout=30_000)
    chosen = listing.locator("option").first.inner_text()
    listing.select_option(index=0)
    marks = page.locator(".analysis-reader mark")
    marks.first.wait_for(timeout=30_000)
    shown_hits = int(re.search(r"(\d+)\s*处\s*$", chosen).group(1))  # "标题 · 日期 · 3 处"
    assert marks.count() == shown_hits
    assert set(marks.all_inner_texts()) == {"工会"}
    _screenshot(page, "jupyterlab-05-explorer")
    SCREENSHOTS.mkdir(exist_ok=True)  # the explorer alone, as README shows it
    status.locator("xpath=..").screenshot(path=SCREENSHOTS / "explorer.png")

    page.locator("button.analysis-export").first.click()
    page.get_by_text("已写入").first.wait_for(timeout=30_000)
    written = sorted((root / "exports").iterdir())
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    error_texts = errors.all_inner_texts()
    context.close()

    assert [p.name for p in written] == ["articles-工会-001.csv"]
    exported = pd.read_csv(written[0])
    assert len(exported) == narrowed[0] and set(exported["label"]) == {"乙"}
    assert not [t for t in error_texts if "Traceback" in t or "Error" in t], error_texts
