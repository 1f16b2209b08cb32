"""Writing a report: its tables and charts (the views of
:mod:`analysis.output.report_tables` and :mod:`analysis.output.report_charts`), the
workbook of every table, the executed notebooks (in a thread, while the charts are
drawn) and ``manifest.json``, all into a folder that takes the place of the output
folder only once it is complete.

:func:`analysis.output.report.build_report` makes the
:class:`~analysis.output.report.Report` and calls :func:`write_report`; this module
takes the Report as an argument and never imports :mod:`analysis.output.report`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import platform
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import PROJECT_ROOT, SEEDS_DIR
from analysis.errors import AnalysisError, OutputError
from analysis.output.report_charts import CHARTS
from analysis.output.report_options import (
    ENV_VAR,
    PARAMETERS,
    STATE_VAR,
    NotApplicable,
    ReportOptions,
    SkippedChartWarning,
)
from analysis.output.report_tables import TABLES
from analysis.processes import check_interrupted, children, terminate_children
from analysis.reading.corpus import display_path

__all__ = [
    "DIGITS",
    "PACKAGES",
    "manifest",
    "rounded",
    "write_csv",
    "write_csv_parts",
    "write_report",
    "write_xlsx",
]

#: The packages whose versions the manifest records.
PACKAGES = [
    "analysis",
    "jieba",
    "rjieba",
    "stopwordsiso",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "wordcloud",
    "networkx",
    "openpyxl",
    "xlsxwriter",
    "mplfonts",
]


def write_report(
    report,
    *,
    out: str | Path,
    notebooks: str | Path | bool | None = True,
    force: bool = False,
    raw_csv: bool = False,
) -> list[Path]:
    """Write the report of ``report`` (a :class:`~analysis.output.report.Report`) to
    ``out``; return the paths written, in order. The options are those of
    :func:`analysis.output.report.build_report`."""
    from analysis.files import check_output_folder, owned_tempdir, sweep_stale

    options = report.options
    inputs_given = options.paths or [SEEDS_DIR]
    target = check_output_folder(out, inputs=inputs_given, force=force)
    out = target.path
    notebook_dir = None
    if notebooks and notebooks is not True:
        notebook_dir = Path(notebooks).resolve()
        _check_notebook_folder(notebook_dir, inputs_given)
    sweep_stale()
    sweep_stale(out.parent, name=out.name)
    corpus = report.corpus
    inputs = [Path(p) for p in corpus.articles.attrs.get("report", {}).get("inputs", [])]
    with (
        _building(target) as work,
        owned_tempdir("analysis-report") as scratch,
    ):
        running = None
        if notebooks:
            # The notebooks (kernels of their own) run while this process draws the
            # charts; they read the results computed here instead of computing them again.
            state = _save_state(report, scratch / "report.pickle")
            folder = out / "notebooks" if notebook_dir is None else notebook_dir
            before = children()
            running = _Background(
                _notebooks, options, folder, work if notebook_dir is None else None, state
            )
        try:
            written, skipped, not_applicable = _write_outputs(report, work, raw_csv=raw_csv)
            if running is not None:
                nb_written, nb_skipped = running.result()
        except BaseException:
            if running is not None:
                terminate_children(keep=before)  # the kernels; the thread ends with us
            raise
        if running is not None:
            written += nb_written
            skipped.update(nb_skipped)
        manifest_path = work / "manifest.json"
        data = manifest(
            inputs, [*written, manifest_path], work, options=options, n_articles=report.n
        )
        data["skipped"] = skipped
        data["not_applicable"] = not_applicable
        data["notes"] = report.notes()
        data["standout"] = _standout(report)
        data["files_from_rows"] = _files_from_rows(report, written, work)
        data["csv_cells"] = "raw" if raw_csv else "formulas escaped"
        manifest_path.write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(manifest_path)
    final = [out / p.relative_to(work) if _inside(p, work) else p for p in written]
    return final


def _standout(report) -> dict[str, str] | None:
    """The article the notebooks single out, and why (None when no word is left)."""
    try:
        return {"id": report.standout, "why": report.standout_reason}
    except (AnalysisError, ValueError):
        return None


def _check_notebook_folder(folder: Path, inputs: list) -> None:
    """``--notebooks-dir``: where the executed notebooks go, never an input or seeds/."""
    from analysis.files import _check_not_protected

    _check_not_protected(folder, inputs, "--notebooks-dir")


def _import_for_threads() -> None:
    """Import, in this thread, what the notebook thread and the charts both import.

    Two threads importing IPython at once can each see it half-initialised (matplotlib
    asks for ``IPython.version_info`` while nbclient is importing it): one report in
    five on THUCNews ended with an AttributeError before this.
    """
    import IPython  # noqa: F401
    import jupytext  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import nbclient  # noqa: F401
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401


def _files_from_rows(report, written: list[Path], work: Path) -> dict[str, str]:
    """Each file named after an article → that article's id (names are made safe, so a
    name need not equal its id)."""
    names = report.__dict__.get("file_names")
    if names is None:
        return {}
    by_name = dict(zip(names, report.corpus.ids, strict=True))
    out = {}
    for path in written:
        if _inside(path, work) and path.parent.name == "wordclouds":
            name = path.name.rsplit(".", 1)[0]
            if name in by_name:
                out[path.relative_to(work).as_posix()] = str(by_name[name])
    return dict(sorted(out.items()))


class _Background:
    """``function(*args)`` in a daemon thread. Unlike a thread pool's, an interrupted
    report does not wait for it: Ctrl-C while the notebooks run stops at once (their
    kernels end with this process), instead of after the last notebook."""

    def __init__(self, function: Callable, *args) -> None:
        import threading

        self._outcome: tuple[bool, object] | None = None

        def run() -> None:
            try:
                self._outcome = (True, function(*args))
            except BaseException as exc:
                self._outcome = (False, exc)

        self._thread = threading.Thread(target=run, name="notebooks", daemon=True)
        self._thread.start()

    def result(self):
        while self._thread.is_alive():
            self._thread.join(0.2)  # in short waits, so that Ctrl-C is seen at once
            check_interrupted()
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _progress(steps: list):
    from tqdm.auto import tqdm

    return tqdm(steps, desc="report", unit="step", file=sys.stderr, disable=None, leave=False)


def _write_outputs(report, out: Path, *, raw_csv: bool = False) -> tuple[list[Path], dict, dict]:
    import matplotlib.pyplot as plt

    from analysis.output.plots import save_figure

    written: list[Path] = []
    skipped: dict[str, str] = {}
    not_applicable: dict[str, str] = {}
    tables: dict[str, pd.DataFrame] = {}

    def attempt(name: str, step: Callable[[], None]) -> None:
        check_interrupted()
        try:
            step()
        except OutputError:
            raise  # a file that cannot be written ends the report: nothing is kept
        except NotApplicable as exc:
            not_applicable[name] = str(exc)
        except (AnalysisError, ValueError) as exc:
            plt.close("all")
            reason = str(exc).split("\n")[0]
            if _not_applicable(reason):
                not_applicable[name] = reason
                return
            skipped[name] = reason
            warnings.warn(f"report: skipped {name}: {reason}", SkippedChartWarning, stacklevel=3)

    bar = _progress([*TABLES.values(), *CHARTS.values()])
    for view in bar:
        bar.set_description(f"report: {view.kind} {view.name}")
        if view.kind == "table":

            def table_step(view=view) -> None:
                frame = view.build(report)
                tables[view.name] = frame
                written.append(write_csv(frame, out / f"{view.name}.csv", raw=raw_csv))

            attempt(view.name + ".csv", table_step)
            continue

        def chart_step(view=view) -> None:
            drawn = view.build(report)
            if isinstance(drawn, dict):
                for key, fig in drawn.items():
                    written.extend(save_figure(fig, out / view.name / key, formats=view.formats))
                    plt.close(fig)
            else:
                written.extend(save_figure(drawn, out / view.name, formats=view.formats))
                plt.close(drawn)

        attempt(view.name, chart_step)
    if "comparison.csv" not in skipped and "comparison" in tables:

        def html() -> None:
            from analysis.output.comparison import comparison_html

            a, b = report.compared_groups
            written.append(
                comparison_html(tables["comparison"], a=a, b=b, path=out / "comparison.html")
            )

        attempt("comparison.html", html)
    if "topics" in tables:

        def topic_page() -> None:
            from analysis.output.topic_view import write_topic_view

            titles = report.articles["title"].tolist()
            written.append(write_topic_view(out / "topics.html", report.topics, titles=titles))

        attempt("topics.html", topic_page)
    if tables:
        written.append(write_xlsx(tables, out / "tables.xlsx"))
    return written, skipped, not_applicable


def _not_applicable(reason: str) -> bool:
    """Reasons that describe the input, not a failure: no dates, too many articles for
    a per-article chart, too few groups."""
    return (
        "no article has a date" in reason
        or "are drawn for up to" in reason
        or "is drawn for up to" in reason
        or "is for up to" in reason
        or "need at least 2 groups" in reason
        or "need 2 groups" in reason
        or "no person, place or organisation" in reason
    )


#: Significant digits of the numbers in a table written (CSV and workbook alike).
DIGITS = 6


def _round(value: float) -> float:
    """``value`` to :data:`DIGITS` significant digits, the integer part always whole
    (1234567.8 gives 1234568.0, 0.000123456789 gives 0.000123457); not finite or 0 as it
    is."""
    if not math.isfinite(value) or value == 0:
        return value
    return round(value, max(DIGITS - 1 - math.floor(math.log10(abs(value))), 0))


def _round_array(values: np.ndarray) -> np.ndarray:
    """:func:`_round` of every value, in numpy: the same floats, without a Python call for
    each of ten million. A value is scaled by its power of ten and rounded half to even
    (``rint``), then divided back; both are exact or correctly rounded, so the result is
    the float :func:`round` gives, except where the scaled value lies within a millionth
    of a half (the product itself may have been rounded there) or the power of ten is
    not exact (over 10**22): those few go through :func:`_round`."""
    out = values.astype(np.float64)
    finite = np.isfinite(out) & (out != 0)
    magnitude = np.abs(np.where(finite, out, 1.0))
    decimals = np.maximum(DIGITS - 1 - np.floor(np.log10(magnitude)), 0)
    exact = finite & (decimals <= 22)
    scale = 10.0 ** np.where(exact, decimals, 0)
    scaled = np.where(exact, out, 0.0) * scale
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    fast = exact & ~near_half
    out = np.where(fast, np.rint(scaled) / scale, out)
    for place in np.flatnonzero(finite & ~fast):
        out[place] = _round(float(out[place]))
    return out.astype(values.dtype, copy=False)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every float rounded by :func:`_round`, in float columns
    and in columns of mixed values alike. A result's last digits change from run to
    run (the order in which a sum was taken); the tables written do not."""
    frame = frame.copy()
    for column in range(frame.shape[1]):
        values = frame.iloc[:, column]
        if pd.api.types.is_float_dtype(values.dtype) and isinstance(values.dtype, np.dtype):
            frame.isetitem(column, pd.Series(_round_array(values.to_numpy()), index=frame.index))
        elif pd.api.types.is_float_dtype(values.dtype):
            frame.isetitem(column, values.map(_round, na_action="ignore").astype(values.dtype))
        elif pd.api.types.is_object_dtype(values.dtype):
            frame.isetitem(column, values.map(lambda v: _round(v) if isinstance(v, float) else v))
    return frame


def write_csv(frame: pd.DataFrame, path: Path, *, raw: bool = False, sep: str = ",") -> Path:
    """Write ``frame`` as CSV (or TSV with ``sep="\\t"``), whole or not at all; numbers
    rounded to :data:`DIGITS` significant digits (:func:`rounded`), so that the same
    results give the same bytes; cells that a spreadsheet would run as formulas get a
    leading apostrophe unless ``raw`` (:func:`analysis.files.inert_cell`)."""
    write_csv_parts([frame], path, raw=raw, sep=sep)
    return path


def write_csv_parts(
    frames: Iterable[pd.DataFrame], path: Path, *, raw: bool = False, sep: str = ","
) -> int:
    """:func:`write_csv` of a table that comes in parts (of the same columns), written as
    they come: the same bytes as the whole table's, without holding it. Returns the
    rows written; a table of no parts is an empty file."""
    from analysis.files import atomic_path, inert_cell

    n_rows, header = 0, True
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        for frame in frames:
            frame = rounded(frame)
            if not raw:
                for column in _text_columns(frame):
                    frame[column] = _inert(frame[column], inert_cell)
                frame.columns = [inert_cell(c) for c in frame.columns]
            frame.to_csv(handle, index=False, lineterminator="\n", sep=sep, header=header)
            n_rows, header = n_rows + len(frame), False
    return n_rows


def _inert(values: pd.Series, inert_cell) -> pd.Series:
    """``values`` with :func:`analysis.files.inert_cell` applied to the cells that start
    like a formula (found at once, so a million cells cost no Python call each)."""
    from analysis.files import FORMULA_START

    try:
        suspect = values.str.startswith(FORMULA_START, na=False).to_numpy(dtype=bool)
    except AttributeError:  # no strings in the column (lists, numbers): cell by cell
        return values.map(inert_cell)
    if not suspect.any():
        return values
    values = values.astype(object)
    values[suspect] = values[suspect].map(inert_cell)
    return values


def _text_columns(frame: pd.DataFrame) -> list:
    """The columns that may hold text (object or string dtype)."""
    return [
        c
        for c, dtype in frame.dtypes.items()
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    ]


#: Excel's limit on the characters in one cell.
_XLSX_CELL = 32_767


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """All tables in one workbook, one sheet each, with fixed timestamps so that the same
    tables give the same bytes. Every text cell is stored as text, never as a formula or
    a link (a cell starting with ``=`` shows as typed); characters that a workbook cannot
    hold (control characters) become U+FFFD; a cell is cut at Excel's 32,767 characters;
    numbers are rounded to :data:`DIGITS` significant digits, as in the CSV files.

    Written by XlsxWriter, told never to read a string as a formula, a link or a number
    (three times as fast as openpyxl on the tables of a report of 1,000 articles)."""
    import datetime

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # the controls a workbook cannot hold

    from analysis.files import atomic_path

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value[:_XLSX_CELL])

    inert = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with (
        atomic_path(path) as tmp,
        pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": inert}) as writer,
    ):
        # a fixed creation date: XlsxWriter then dates the zip entries and the document
        # properties with it, and the same tables give the same bytes
        writer.book.set_properties({"created": datetime.datetime(2000, 1, 1)})
        for name, frame in tables.items():
            frame = rounded(frame)
            for column in _text_columns(frame):
                frame[column] = frame[column].map(cell)
            frame.columns = [cell(str(c)) for c in frame.columns]
            frame.to_excel(writer, sheet_name=_sheet_name(name), index=False)
    return path


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"


#: Results of the report computed in a forked process while this one computes the rest
#: (:func:`_elsewhere`): the topics (the slowest result, one core by design), then the
#: themes (choosing k), about as long together as everything else on THUCNews-1k. A table
#: that needs one of them, or a result built on one (``topic_trends``, ``theme_trends``),
#: waits for the hand-over.
APART = ("topics", "themes")


@contextmanager
def _elsewhere(report, results: tuple[str, ...], path: Path) -> Iterator[bool]:
    """Compute ``report.<result>`` for each of ``results`` in a forked process while the
    body runs (on Linux with two CPUs or more), and keep them on the report when the body
    is done. Yields whether they are being computed apart. The process computes exactly
    what this one would (same corpus, same seed); a result it cannot compute is left to
    this process, which computes it itself and says why."""
    import multiprocessing
    import pickle

    from analysis.processes import cpu_count

    if cpu_count() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield False
        return
    report.corpus.terms  # noqa: B018 - counted once, here, and inherited by the fork
    process = multiprocessing.get_context("fork").Process(
        target=_compute_to, args=(report, results, path), daemon=True
    )
    process.start()
    try:
        yield True
    except BaseException:
        process.kill()  # Ctrl-C or an error here: the results are not wanted any more
        raise
    finally:
        process.join()
        with contextlib.suppress(OSError, EOFError, pickle.UnpicklingError):
            if process.exitcode == 0:
                with open(path, "rb") as handle:
                    report.__dict__.update(pickle.load(handle))  # as cached_property keeps them
        path.unlink(missing_ok=True)


def _compute_to(report, results: tuple[str, ...], path: Path) -> None:
    """In the forked process: compute ``report.<result>`` for each of ``results`` and
    pickle those computed to ``path``, a dict; exit 1 when that fails (the parent then
    computes them all)."""
    import pickle

    computed = {}
    try:
        for result in results:
            with contextlib.suppress(Exception):  # the parent computes it and says why
                computed[result] = getattr(report, result)
        with open(path, "wb") as handle:
            pickle.dump(computed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        os._exit(1)
    os._exit(0)


def _save_state(report, path: Path) -> Path | None:
    """Compute every table of ``report`` and pickle the report to ``path`` for the
    notebooks; None when it cannot be pickled (they then compute their own). Meanwhile,
    import what the notebook thread and the charts both import
    (:func:`_import_for_threads`)."""
    import pickle

    from analysis.output.report_tables import TABLES

    tables = report.tables()
    later = []
    waiting = tuple(result.removesuffix("s") for result in APART)  # and results built on them
    with _elsewhere(report, APART, path.with_suffix(".apart")) as apart:
        # here, while the other process computes, not before it starts: they took 1.7 s
        _import_for_threads()
        for name, step in tables.items():
            if apart and any(need.startswith(waiting) for need in TABLES[name].needs):
                later.append(step)  # once the other process hands over its results
                continue
            with contextlib.suppress(AnalysisError, ValueError):
                step()  # a table that fails says why when the report is written
    for step in later:
        with contextlib.suppress(AnalysisError, ValueError):
            step()
    try:
        with open(path, "wb") as handle:
            pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, OSError, MemoryError):
        path.unlink(missing_ok=True)  # the notebooks compute their own results
        return None
    return path


def _notebooks(
    options: ReportOptions, folder: Path, work: Path | None, state: Path | None = None
) -> tuple[list[Path], dict[str, str]]:
    """Execute the notebook sources with ``options``; write them to ``folder`` (or to
    ``work/notebooks`` while the report is being built). ``state``: the pickled results
    the notebooks read (see :func:`notebook_report`)."""
    from analysis.output.notebooks import NOTEBOOKS_DIR, build_notebooks

    sources = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py"))
    if not sources:
        reason = (
            f"no notebook sources in {NOTEBOOKS_DIR} (installed without the project folder); "
            "run the report from a clone of the project to get the notebooks"
        )
        warnings.warn(f"report: skipped notebooks: {reason}", SkippedChartWarning, stacklevel=3)
        return [], {"notebooks": reason}
    target = (work / "notebooks") if work is not None else folder
    environment = {ENV_VAR: options.to_json()}
    if options == ReportOptions():
        environment = {}  # the seed: notebooks run exactly as a reader runs them
    if state is not None:
        environment[STATE_VAR] = str(state)
    written = build_notebooks(
        sources,
        out_dir=target,
        html_dir=target / "html",
        environment=environment,
    )
    return written, {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


def manifest(
    inputs: list[Path],
    outputs: list[Path],
    out: Path,
    *,
    options: ReportOptions | None = None,
    n_articles: int | None = None,
) -> dict:
    """What produced the report: inputs, dictionaries, options, parameters and versions."""
    from analysis.text.tokenize import DOMAIN_DICT, STOPWORDS_FILE, default_tokenizer

    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    options_record = asdict(options) if options else {}
    for key in ("paths", "rules"):
        if options_record.get(key):
            options_record[key] = [display_path(Path(p)) for p in options_record[key]]
    rules = [Path(p) for p in (options.rules or [])] if options else []
    return {
        "inputs": {display_path(p): _sha256(p) for p in sorted(inputs)},
        "rules": {display_path(p): _sha256(p) for p in rules},
        "articles": n_articles,
        "options": options_record,
        "domain_dictionary": {
            "file": display_path(DOMAIN_DICT),
            "version": _first_line(DOMAIN_DICT),
            "sha256": _sha256(DOMAIN_DICT),
        },
        "stopwords": {
            "file": display_path(STOPWORDS_FILE),
            "version": _first_line(STOPWORDS_FILE),
            "sha256": _sha256(STOPWORDS_FILE),
        },
        "tokenizer_fingerprint": default_tokenizer().fingerprint(),
        "parameters": PARAMETERS,
        "python": platform.python_version(),
        "packages": versions,
        "outputs": sorted(_relative(p, out) for p in outputs),
    }


def _relative(path: Path, out: Path) -> str:
    if _inside(path, out):
        return path.relative_to(out).as_posix()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def _building(target) -> Iterator[Path]:
    """A fresh folder beside the output folder that takes its place only once
    everything in it is written (:func:`analysis.files.replace_folder`); an error or an
    interruption leaves the output folder as it was."""
    from analysis.files import _write_error, replace_folder

    out = target.path
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise _write_error(out, exc) from None
    try:
        yield work
        replace_folder(target, work)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _write_error(out, exc) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
