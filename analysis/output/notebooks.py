"""Build the notebooks: jupytext ``py:percent`` sources → executed ``.ipynb`` → HTML.

The sources (``notebooks/NN-name.py``) are what reviews diff. ``make figures`` executes
each with nbclient in the ``notebooks/`` folder, writes the executed notebook beside it,
and renders an HTML copy to ``notebooks/html/`` that needs no network and no CJK font on
the reader's machine (:func:`render_html`).
Execution metadata (timings) is not recorded, so re-running on the same inputs gives the
same files.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.config import PROJECT_ROOT

__all__ = [
    "NOTEBOOKS_DIR",
    "STATIC_WIDGET_NOTE",
    "build_notebooks",
    "execute_notebook",
    "render_html",
]

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
KERNEL = "python3"


def _client_class(connection_dir: Path):
    """nbclient's client, with its kernel on IPC sockets in ``connection_dir``, reading
    the shell channel in short slices.

    Over TCP (nbclient's default), ipykernel 7 warns on stderr that the traffic is not
    encrypted, once per notebook. Unix sockets in a private temporary folder are not
    reachable from the network, so the kernel has no reason to warn.

    A cell that creates ipywidgets can leave nbclient waiting for the execute reply until
    the cell timeout runs out, although the reply has arrived (jupyter/nbclient#312).
    Polling in slices of half a second picks the reply up as soon as it is there.
    """
    from queue import Empty
    from time import monotonic

    from nbclient import NotebookClient
    from nbclient.util import ensure_async

    class SlicedPollClient(NotebookClient):
        def create_kernel_manager(self):
            # the sockets are named after the connection file: <folder>/kernel-ipc-<n>
            self.km = self.kernel_manager_class(
                kernel_name=self.kernel_name,
                config=self.config,
                transport="ipc",
                connection_file=str(connection_dir / "kernel.json"),
            )
            return self.km

        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            original = kc.shell_channel.get_msg

            async def get_msg(timeout=None, **kwargs):
                deadline = None if timeout is None else monotonic() + timeout
                while True:
                    left = 0.5 if deadline is None else max(0.0, min(0.5, deadline - monotonic()))
                    try:
                        return await ensure_async(original(timeout=left, **kwargs))
                    except Empty:
                        if deadline is not None and monotonic() >= deadline:
                            raise

            kc.shell_channel.get_msg = get_msg
            return kc

    return SlicedPollClient


def execute_notebook(source: Path, *, timeout: int = 600):
    """Read a jupytext source and return the executed notebook (nbformat node)."""
    return _execute_in_turn([source], timeout=timeout)[0]


def _read_source(source: Path):
    """The notebook of a jupytext source, with its kernel named."""
    import jupytext

    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": KERNEL,
    }
    notebook.metadata.setdefault("jupytext", {})["formats"] = "ipynb,py:percent"
    notebook.metadata["jupytext"].pop("text_representation", None)
    return notebook


#: Run silently in a kernel between two notebooks: the next one starts with an empty
#: namespace, no figure open and its cells numbered from 1, as in a kernel of its own
#: (only the imported modules are kept: what a kernel of its own spends its first
#: seconds on).
_FRESH_NAMESPACE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
    "get_ipython().execution_count = 1\n"
)


def _execute_in_turn(sources, *, timeout: int = 600, done=None) -> list:
    """Execute the notebooks of ``sources`` (a list, or a queue.Queue that other threads
    take from too) one after the other in one kernel, emptied between them
    (:data:`_FRESH_NAMESPACE`); call ``done(source, notebook, began)`` for each as it
    ends (``began``: its time.perf_counter() at the start);
    return the executed notebooks."""
    from queue import Empty, Queue

    from analysis.files import owned_tempdir

    if not isinstance(sources, Queue):
        queue: Queue = Queue()
        for source in sources:
            queue.put(source)
        sources = queue
    executed = []

    async def run_all(connection_dir: Path) -> None:
        client = None
        try:
            while True:
                try:
                    source = sources.get_nowait()
                except Empty:
                    return
                began = time.perf_counter()
                notebook = _read_source(source)
                if client is None:
                    client = _client_class(connection_dir)(
                        notebook,
                        timeout=timeout,
                        kernel_name=KERNEL,
                        resources={"metadata": {"path": str(source.parent)}},
                        record_timing=False,
                        store_widget_state=True,
                    )
                else:
                    reply = client.kc.execute(_FRESH_NAMESPACE, silent=True, store_history=False)
                    await client.async_wait_for_reply(reply)
                    client.nb = notebook
                await client.async_execute(cleanup_kc=False)
                for cell in notebook.cells:
                    cell.metadata.pop("execution", None)
                notebook = _stable_ids(_joined_streams(notebook))
                executed.append(notebook)
                if done is not None:
                    done(source, notebook, began)
        finally:
            if client is not None and client.km is not None:
                await client._async_cleanup_kernel()

    with owned_tempdir("analysis-kernel") as connection_dir:
        # the async API under asyncio.run, whose loop is closed at the end: the sync
        # execute() leaves an open event loop behind in every thread that runs a notebook
        _run_coroutine(lambda: run_all(connection_dir))
    return executed


def _joined_streams(notebook):
    """``notebook`` with each run of stream outputs of one name (stdout, stderr) in a cell
    made one output. The kernel sends what a cell prints in pieces as time passes, so one
    print() can arrive as two ("…)" and "\\n") on one run and as one on the next: joined,
    the same cell gives the same output every time."""
    for cell in notebook.cells:
        joined = []
        for output in cell.get("outputs", []):
            last = joined[-1] if joined else None
            if (
                output.get("output_type") == "stream"
                and last is not None
                and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")
            ):
                last["text"] += output["text"]
            else:
                joined.append(output)
        if "outputs" in cell:
            cell["outputs"] = joined
    return notebook


def _run_coroutine(make) -> None:
    """Run the coroutine ``make()`` to its end under its own event loop. In a thread whose
    loop is already running (a Jupyter kernel's, Playwright's sync API), asyncio.run
    refuses, so the coroutine runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(make())).result()


def _stable_ids(notebook):
    """Replace the random cell ids and widget model ids with ones numbered in order, so
    that executing the same notebook twice writes the same bytes."""
    import nbformat

    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    state = (
        notebook.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state", {})
    )
    # number the models in a structural order: from each widget shown in an output,
    # depth-first through the models it refers to
    roots = [
        output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order or model_id not in state:
            return
        order.append(model_id)
        for ref in re.findall(r"IPY_MODEL_(\w+)", json.dumps(state[model_id], sort_keys=True)):
            visit(ref)

    for root in roots:
        visit(root)
    masked = {m: re.sub(r"IPY_MODEL_\w+", "", json.dumps(state[m], sort_keys=True)) for m in state}
    order += sorted(set(state) - set(order), key=masked.get)
    text = json.dumps(notebook, sort_keys=True)
    for number, model_id in enumerate(order):
        text = text.replace(model_id, f"{number:032x}")
    stable = nbformat.from_dict(json.loads(text))
    widgets = stable.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if widgets:
        widgets["state"] = dict(sorted(widgets["state"].items()))
    return stable


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _stable_html(html: str) -> str:
    """Number the random element ids that the HTML exporter gives widget outputs."""
    numbers: dict[str, str] = {}
    return _UUID.sub(
        lambda m: numbers.setdefault(m.group(), f"00000000-0000-4000-8000-{len(numbers):012x}"),
        html,
    )


#: What a rendered copy shows where the notebook has live ipywidgets controls.
STATIC_WIDGET_NOTE = (
    "The controls of this cell are live when the notebook runs in JupyterLab (`make lab`). "
    "This rendering cannot run them; the static result follows."
)

# nbconvert's "lab" template without anything fetched from a CDN: require.js, MathJax,
# mermaid and the widget manager. The notebooks have no JavaScript outputs, formulas or
# diagrams, and a widget cannot run without a kernel.
_TEMPLATE = "analysis-standalone.html.j2"
_TEMPLATE_SOURCE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def render_html(notebook) -> str:
    """The HTML rendering of an executed notebook: charts as data URIs, no script or
    style loaded from the network, the Chinese font embedded for the characters it shows
    (:func:`_with_chinese_font`), each widget output replaced by
    :data:`STATIC_WIDGET_NOTE`, and the same bytes for the same notebook."""
    import copy

    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)  # the saved widget state only feeds the CDN code
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if _WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/markdown": f"> {STATIC_WIDGET_NOTE}"}
    body, _ = _exporter().from_notebook_node(notebook)
    return _with_chinese_font(_stable_html(body))


_EXPORTERS = threading.local()


def _exporter():
    """This thread's HTML exporter: made once (its templates compiled once, about 0.15 s a
    notebook), and one a thread, because an exporter keeps the state of the notebook it is
    converting."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        import jinja2
        from nbconvert import HTMLExporter

        exporter = _EXPORTERS.html = HTMLExporter(
            extra_loaders=[jinja2.DictLoader({_TEMPLATE: _TEMPLATE_SOURCE})],
            template_file=_TEMPLATE,
        )
    return exporter


#: JupyterLab's font lists (CSS variables of the "lab" template) that the embedded
#: Chinese font heads.
_FONT_VARIABLES = (
    "--jp-ui-font-family",
    "--jp-content-font-family",
    "--jp-code-font-family-default",
)


def _with_chinese_font(page: str) -> str:
    """``page`` with the package's Chinese font embedded, cut down to the characters
    beyond ASCII that it holds (:func:`analysis.output.fonts.font_face_css`), at the head
    of JupyterLab's font lists. A reader without CJK fonts sees the text, not boxes;
    Latin text keeps its fonts, as the embedded font covers only those characters."""
    import html

    from analysis.output.fonts import EMBEDDED_FAMILY, font_face_css

    shown = html.unescape(page)
    if all(ord(c) <= 0x7E or c.isspace() or not c.isprintable() for c in shown):
        return page
    lists = []
    for name in _FONT_VARIABLES:
        found = re.search(rf"{name}:([^;]+);", page)
        if found:
            fonts = " ".join(found.group(1).split())
            lists.append(f'{name}:"{EMBEDDED_FAMILY}",{fonts};')
    style = f"<style>{font_face_css(shown, latin=False)}\n:root{{{''.join(lists)}}}</style>\n"
    return page.replace("</head>", style + "</head>", 1)


def build_notebooks(
    sources: list[Path] | None = None,
    *,
    out_dir: Path | None = None,
    html_dir: Path | None = None,
    environment: dict[str, str] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Execute every notebook source and write ``.ipynb`` (beside the source, or to
    ``out_dir``) and HTML (``html_dir``, default ``notebooks/html``); return the paths
    written. ``environment`` is added to the kernels' environment (the report passes its
    options this way). Up to ``jobs`` notebooks run at once (default: one per CPU, at
    most 4), in as many kernels, each emptied between two notebooks."""
    from queue import Queue

    import nbformat

    from analysis.files import atomic_path
    from analysis.processes import cpu_count

    sources = sources or sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))
    html_dir = html_dir or (out_dir / "html" if out_dir else NOTEBOOKS_DIR / "html")
    html_dir.mkdir(parents=True, exist_ok=True)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    jobs = jobs or min(4, cpu_count(), len(sources)) or 1

    written: dict[Path, list[Path]] = {}

    def save(source: Path, notebook, began: float) -> None:
        target = (out_dir or source.parent) / f"{source.stem}.ipynb"
        with atomic_path(target) as tmp:
            nbformat.write(notebook, tmp)
        html = html_dir / f"{source.stem}.html"
        with atomic_path(html) as tmp:
            tmp.write_text(render_html(notebook), encoding="utf-8")
        written[source] = [target, html]
        seconds = time.perf_counter() - began
        print(f"{source.name}: executed in {seconds:.1f}s", file=sys.stderr, flush=True)

    environment = dict(environment or {})
    cache = os.environ.get("ANALYSIS_CACHE_DIR")
    if cache:
        # the kernels run in the notebooks' folder: a relative cache path would put a
        # cache there
        environment.setdefault("ANALYSIS_CACHE_DIR", os.path.abspath(cache))
    # each of ``jobs`` kernels executes the next notebook not yet taken, and is emptied
    # between two (a kernel of its own for each spent 2-3 s starting and importing)
    queue: Queue = Queue()
    for source in sources:
        queue.put(source)
    with _environment(environment):
        if jobs == 1:
            _execute_in_turn(queue, done=save)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(jobs) as pool:
                for future in [
                    pool.submit(_execute_in_turn, queue, done=save) for _ in range(jobs)
                ]:
                    future.result()
    return [path for source in sources for path in written[source]]


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the kernels started inside the block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
