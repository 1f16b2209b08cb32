"""Every notebook executes without error or kernel warning, draws no missing glyph, the
committed executed copy matches its source, and its committed HTML rendering is up to date
and loads nothing from the network."""

from __future__ import annotations

import re

import pytest

from analysis.output.notebooks import (
    NOTEBOOKS_DIR,
    STATIC_WIDGET_NOTE,
    execute_notebook,
    render_html,
)

SOURCES = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))


def test_notebooks_exist_in_reading_order():
    names = [p.stem for p in SOURCES]
    assert names == sorted(names)
    assert names[:4] == ["01-corpus", "02-keywords", "03-themes", "04-comparison"]


@pytest.fixture(scope="module")
def report_state(tmp_path_factory):
    """The seed's results, computed once and read by every notebook's kernel, as
    ``make figures`` runs them (see analysis.output.report.notebook_report)."""
    from analysis.output.report import Report, _save_state

    return _save_state(Report(), tmp_path_factory.mktemp("state") / "report.pickle")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_executes_cleanly(source, capfd, monkeypatch, report_state):
    from analysis.output.report import STATE_VAR

    monkeypatch.setenv(STATE_VAR, str(report_state))
    notebook = execute_notebook(source, timeout=300)
    # the kernel writes to the inherited stderr; over TCP it warned "without encryption"
    kernel_stderr = capfd.readouterr().err
    assert "WARNING" not in kernel_stderr, kernel_stderr
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output.get("ename")
            if output["output_type"] == "stream":
                texts.append(output["text"])
                assert output["name"] != "stderr", output["text"]
    assert not any("missing from font" in t for t in texts)
    images = any(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    if source.stem == "06-trends":  # the seed page has no date: the notebook says so
        assert not images
        assert any("no article has a date" in t for t in texts)
    else:
        assert images


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_source(source):
    import jupytext  # imported here: nbformat's schema checks cost a second at collection
    import nbformat

    executed = source.with_suffix(".ipynb")
    assert executed.is_file(), f"run 'make figures' to create {executed.name}"
    committed = nbformat.read(executed, as_version=4)
    expected = jupytext.read(source)
    assert [c.source for c in committed.cells] == [c.source for c in expected.cells]
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(c.outputs for c in code[:1]), "the committed notebook was not executed"
    assert (NOTEBOOKS_DIR / "html" / f"{source.stem}.html").is_file()


# a script, style sheet, image or frame that the browser would fetch from another host
REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_rendering_stands_alone(source):
    import nbformat

    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    html = render_html(committed)
    path = NOTEBOOKS_DIR / "html" / f"{source.stem}.html"
    assert path.read_text(encoding="utf-8") == html, f"run 'make figures' to update {path.name}"
    assert not REMOTE.search(html), REMOTE.search(html)
    assert "<script" not in html
    outputs = [o for cell in committed.cells for o in cell.get("outputs", [])]
    charts = sum("image/png" in o.get("data", {}) for o in outputs)
    assert len(re.findall(r'<img\b[^>]*\bsrc="data:image/png;base64,', html)) == charts
    widgets = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert html.count(STATIC_WIDGET_NOTE.split("`")[-1]) == widgets
    assert "widget-state" not in html


def test_notebook_executes_where_an_event_loop_is_running(tmp_path):
    # a Jupyter kernel's main thread (or Playwright's sync API) has a running loop, where
    # asyncio.run refuses; seen when the browser test ran before the notebooks in one worker
    import asyncio

    source = tmp_path / "tiny.py"
    source.write_text('# %%\nprint("工会" * 2)\n', encoding="utf-8")

    async def inside_a_loop():
        return execute_notebook(source, timeout=120)

    notebook = asyncio.run(inside_a_loop())
    assert notebook.cells[0].outputs[0]["text"] == "工会工会\n"


def test_notebooks_sharing_a_kernel_start_from_an_empty_one(tmp_path):
    # two notebooks, one kernel (jobs=1): the second sees none of the first's names or
    # figures, and its cells are numbered from 1, as in a kernel of its own
    from analysis.output.notebooks import build_notebooks

    first = tmp_path / "01-first.py"
    first.write_text(
        "# %%\nimport matplotlib.pyplot as plt\nleft_behind = 41\nfigure = plt.figure()\n"
        "# %%\nprint(left_behind + 1)\n",
        encoding="utf-8",
    )
    second = tmp_path / "02-second.py"
    second.write_text(
        "# %%\nimport matplotlib.pyplot as plt\n"
        "print('left_behind' in dir(), len(plt.get_fignums()))\n",
        encoding="utf-8",
    )
    written = build_notebooks([first, second], out_dir=tmp_path / "out", jobs=1)
    import nbformat

    notebooks = [nbformat.read(p, as_version=4) for p in written if p.suffix == ".ipynb"]
    printed = [
        [o["text"] for o in cell["outputs"] if o["output_type"] == "stream"]
        for nb in notebooks
        for cell in nb.cells
    ]
    assert printed == [[], ["42\n"], ["False 0\n"]]
    assert [c["execution_count"] for nb in notebooks for c in nb.cells] == [1, 2, 1]


def test_a_print_sent_in_pieces_is_one_output():
    # the kernel may send one print() as "…)" then "\n": joined, every run gives the
    # same notebook; a stream after a figure stays after it
    import nbformat

    from analysis.output.notebooks import _joined_streams

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('(not shown)')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="(not shown)"),
        nbformat.v4.new_output("stream", name="stdout", text="\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"}),
        nbformat.v4.new_output("stream", name="stdout", text="after\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
    ]
    notebook.cells = [cell]
    outputs = _joined_streams(notebook).cells[0].outputs
    assert [(o["output_type"], o.get("text")) for o in outputs] == [
        ("stream", "(not shown)\n"),
        ("display_data", None),
        ("stream", "after\n"),
        ("stream", "warning\n"),
    ]
