"""`python -m analysis figures`: every output, byte-identical on a second run."""

from __future__ import annotations

import hashlib
import json

import pytest

from analysis.output.figures import build_figures


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    first = tmp_path_factory.mktemp("first")
    second = tmp_path_factory.mktemp("second")
    from analysis.methods.codebook import LABOUR_CODES

    rules = [str(LABOUR_CODES)]
    return (
        build_figures(out=first, rules=rules),
        first,
        build_figures(out=second, rules=rules),
        second,
    )


def test_second_run_is_byte_identical(two_runs):
    written_a, first, written_b, second = two_runs
    names_a = sorted(p.relative_to(first) for p in written_a)
    names_b = sorted(p.relative_to(second) for p in written_b)
    assert names_a == names_b
    for name in names_a:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_every_chart_is_written_and_svg_only_where_useful(two_runs):
    from analysis.output.report import SVG_CHARTS

    _, first, _, _ = two_runs
    charts = [
        "article_lengths",
        "keywords",
        "corpus_keywords",
        "wordcloud",
        "keyness",
        "similarity",
        "dendrogram",
        "themes",
        "k_selection",
        "document_map",
        "term_heatmap",
        "network",
        "entities",
        "code_shares",
        "code_cooccurrence",
        "tone",
        "topics",
    ]
    for chart in charts:
        assert (first / f"{chart}.png").stat().st_size > 10_000, chart
        svg = first / f"{chart}.svg"
        assert svg.exists() == (chart in SVG_CHARTS), chart
        if svg.exists():
            assert svg.read_text(encoding="utf-8").startswith("<?xml")
    assert len(list((first / "wordclouds").glob("*.png"))) == 7
    assert not list((first / "wordclouds").glob("*.svg"))


def test_manifest_records_inputs_and_outputs(two_runs, seed_path):
    written, first, _, _ = two_runs
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert manifest["inputs"] == {"seeds/000_45a9ae6123a7d26b.txt": digest}
    assert set(manifest["outputs"]) == {p.relative_to(first).as_posix() for p in written}
    assert manifest["domain_dictionary"]["version"].endswith("Version 1.")
    assert manifest["packages"]["jieba"] == "0.42.1"
    assert manifest["parameters"]["random_state"] == 0
    assert manifest["articles"] == 7
    # what a page without dates or groups cannot show is listed with the reason
    assert manifest["skipped"] == {}
    assert "no article has a date" in manifest["not_applicable"]["term_trends"]
    assert "--group-by" in manifest["not_applicable"]["comparison"]
