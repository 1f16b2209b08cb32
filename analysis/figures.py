"""Regenerate every output of the project from the raw inputs (``make figures``).

Each output, the function that draws it and the notebook that shows it are listed in
the README's figure table. Outputs are deterministic: the same inputs give
byte-identical files (``tests/test_figures.py`` checks this).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis.config import FIGURES_DIR
from analysis.corpus import display_path, load_articles
from analysis.errors import AnalysisError, InputError, NotEnoughDataError
from analysis.keywords import article_texts, keyness, term_weights, top_terms, vectorize
from analysis.plots import (
    dendrogram_plot,
    document_map_plot,
    k_selection_plot,
    keyness_plot,
    keyword_grid,
    kwic,
    save_figure,
    short_title,
    similarity_heatmap,
    term_heatmap,
    theme_heatmap,
    word_cloud,
)
from analysis.themes import (
    WeakClusteringWarning,
    cluster_documents,
    document_map,
    find_themes,
    similarity,
)
from analysis.tokenize import DOMAIN_DICT, STOPWORDS_FILE, default_tokenizer

__all__ = ["PARAMETERS", "SkippedChartWarning", "article_labels", "build_figures", "manifest"]

TABLE_FIELDS = [
    "id",
    "source",
    "title",
    "kicker",
    "subtitle",
    "column",
    "authors",
    "kind",
    "dateline",
    "sections",
    "n_paragraphs",
    "n_chars",
]

#: Most articles the per-article charts (small multiples, word clouds) are drawn for.
MAX_ARTICLES = 40

#: Parameters of every output; recorded in the manifest.
PARAMETERS = {
    "keywords_top": 10,
    "background_idf_n0": 50.0,
    "keyness_top": 12,
    "wordcloud_max_words": 80,
    "random_state": 0,
    "kwic_window": 15,
}

PACKAGES = [
    "analysis",
    "jieba",
    "stopwordsiso",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "wordcloud",
    "mplfonts",
]


def article_labels(articles: pd.DataFrame, width: int = 12) -> list[str]:
    """Short, numbered labels for charts: '1 解难题补短板,建好…'."""
    return [f"{row.order} {short_title(row.title, width)}" for row in articles.itertuples()]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()


def manifest(inputs: Iterable[Path], outputs: Iterable[Path], out: Path) -> dict:
    """What produced the figures: inputs, dictionaries, parameters and versions."""
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "inputs": {display_path(p): _sha256(p) for p in sorted(inputs)},
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
        "outputs": sorted(p.relative_to(out).as_posix() for p in outputs),
    }


def _say(path: Path) -> Path:
    print(display_path(path), file=sys.stderr, flush=True)
    return path


class SkippedChartWarning(UserWarning):
    """A chart that the input cannot support was left out; the others were drawn."""


@contextmanager
def _replaced_atomically(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` that takes its place only once everything in it is
    written; an error or an interruption leaves ``out`` as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def build_figures(
    paths: Iterable[str | Path] | None = None,
    *,
    out: str | Path = FIGURES_DIR,
    text_column: str | None = None,
    txt_mode: str = "page",
) -> list[Path]:
    """Write every table and figure to ``out``; return the paths written, in order.

    ``paths``, ``text_column`` and ``txt_mode`` are read as by
    :func:`analysis.corpus.load_articles`, relative to the current folder. The outputs
    are written to a temporary folder that replaces ``out`` only when all is written. A
    chart the input cannot support (themes of a one-paragraph page) is left out with a
    :class:`SkippedChartWarning`, recorded in the manifest, and the rest is drawn.
    """
    out = Path(out).resolve()
    articles = load_articles(paths, text_column=text_column, txt_mode=txt_mode)
    if not 1 <= len(articles) <= MAX_ARTICLES:
        raise InputError(
            f"figures draws one chart per article for a page or a few pages: got "
            f"{len(articles)} articles, it takes 1 to {MAX_ARTICLES}; for an archive use "
            "'python -m analysis keywords/clusters' or analysis.scale"
        )
    inputs = [Path(p) for p in articles.attrs["report"]["inputs"]]
    with _replaced_atomically(out) as work:
        written, skipped = _draw_all(articles, work)
        manifest_path = work / "manifest.json"
        data = manifest(inputs, [*written, manifest_path], work)
        data["skipped"] = skipped
        manifest_path.write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(manifest_path)
    final = [out / p.relative_to(work) for p in written]
    for path in final:
        _say(path)
    return final


def _draw_all(articles: pd.DataFrame, out: Path) -> tuple[list[Path], dict[str, str]]:
    """Draw every output into ``out``; return the files written and the charts skipped
    (name → reason)."""
    labels = article_labels(articles)
    label_of = dict(zip(articles["id"], labels, strict=True))
    written: list[Path] = []
    skipped: dict[str, str] = {}
    state: dict = {}

    def save(fig, name: str) -> None:
        written.extend(save_figure(fig, out / name))
        plt.close(fig)

    def tables() -> None:
        written.extend(_write_tables(articles, out))

    def keywords() -> None:
        table = top_terms(
            articles, k=PARAMETERS["keywords_top"], n0=PARAMETERS["background_idf_n0"]
        )
        state["keywords"] = table
        written.append(_write_csv(table, out / "keywords.csv"))
        save(keyword_grid(table), "keywords")

    def word_clouds() -> None:
        # word clouds from all kept tokens of each article, weighted by TF-IDF
        vectorizer, tfidf, _ = vectorize(
            article_texts(articles), n0=PARAMETERS["background_idf_n0"]
        )
        stop = default_tokenizer().stopwords_
        for i, row in enumerate(articles.itertuples()):
            fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
            word_cloud(
                term_weights(vectorizer, tfidf, i),
                ax=ax,
                title=labels[i],
                stopwords=stop,
                max_words=PARAMETERS["wordcloud_max_words"],
            )
            save(fig, f"wordclouds/{row.id}")
        fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
        word_cloud(term_weights(vectorizer, tfidf), ax=ax, title="全版", stopwords=stop,
                   max_words=120)  # fmt: skip
        save(fig, "wordcloud_page")

    def keyness_grid() -> None:
        n = len(articles)
        if n < 2:
            raise NotEnoughDataError(f"keyness compares articles: this input has {n} article")
        rows = (n + 1) // 2
        fig, axes = plt.subplots(
            rows, 2, figsize=(10, 2.6 * rows), layout="constrained", squeeze=False
        )
        for ax, article_id in zip(axes.flat, articles["id"], strict=False):
            table = keyness(articles, article_id, k=PARAMETERS["keyness_top"])
            keyness_plot(table, ax=ax, title=label_of[article_id])
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        save(fig, "keyness")

    def similarity_charts() -> None:
        if len(articles) < 2:
            raise NotEnoughDataError("similarity needs at least 2 articles")
        sim, tree = similarity(articles)
        fig, ax = plt.subplots(figsize=(7.5, 6), layout="constrained")
        similarity_heatmap(sim, labels=labels, ax=ax)
        save(fig, "similarity")
        fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
        dendrogram_plot(tree, labels, ax=ax)
        save(fig, "dendrogram")

    def theme_chart() -> None:
        themes = find_themes(articles, random_state=PARAMETERS["random_state"])
        theme_names = themes.names()
        written.append(_write_csv(themes.article_weights.reset_index(), out / "themes.csv"))
        fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
        theme_heatmap(themes.article_weights, theme_names, article_labels=labels, ax=ax)
        save(fig, "themes")

    def cluster_charts() -> None:
        with warnings.catch_warnings():
            # seven articles never support k well; the notebook says so in words
            warnings.simplefilter("ignore", WeakClusteringWarning)
            clusters = cluster_documents(
                article_texts(articles), random_state=PARAMETERS["random_state"]
            )
        fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
        k_selection_plot(clusters.scores, ax=ax)
        save(fig, "k_selection")
        coords = document_map(articles, random_state=PARAMETERS["random_state"])
        fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
        document_map_plot(coords, labels=labels, groups=clusters.labels, ax=ax)
        save(fig, "document_map")

    def term_chart() -> None:
        fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
        term_heatmap(state["keywords"], article_labels=label_of, ax=ax)
        save(fig, "term_heatmap")

    def concordance() -> None:
        table = state["keywords"]
        top = table.sort_values(["score", "term"], ascending=[False, True])["term"].iloc[0]
        window = PARAMETERS["kwic_window"]
        written.append(_write_csv(kwic(articles, top, window=window), out / "kwic.csv"))

    steps = [
        ("articles table", tables),
        ("keywords", keywords),
        ("word clouds", word_clouds),
        ("keyness", keyness_grid),
        ("similarity and dendrogram", similarity_charts),
        ("themes", theme_chart),
        ("k selection and document map", cluster_charts),
        ("term heatmap", term_chart),
        ("keyword in context", concordance),
    ]
    for name, step in steps:
        if "keywords" not in state and name in ("term heatmap", "keyword in context"):
            skipped[name] = "no keywords"
            continue
        try:
            step()
        except (AnalysisError, ValueError) as exc:
            plt.close("all")
            skipped[name] = str(exc)
            warnings.warn(f"figures: skipped {name}: {exc}", SkippedChartWarning, stacklevel=2)
    return written, skipped


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    return path


def _write_tables(articles: pd.DataFrame, out: Path) -> list[Path]:
    table = articles[TABLE_FIELDS].copy()
    for name in ("authors", "sections"):
        table[name] = ["、".join(v) for v in table[name]]
    csv_path = _write_csv(table, out / "articles.csv")
    json_path = out / "articles.json"
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    json_path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [csv_path, json_path]
