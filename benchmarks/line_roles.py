"""Train the line-role model on the labelled pages, and score it leave-one-source-out.

Run:
    .venv/bin/python -m benchmarks.line_roles            # leave-one-source-out table
    .venv/bin/python -m benchmarks.line_roles train      # fit on every source, write
                                                         # analysis/resources/line_roles.json
                                                         # (what `make reader` runs)

Leave-one-source-out: for every source folder of ``benchmarks/pages/``, the model is
fitted on all the other sources and reads that one's pages; the articles that follow from
its labels (:func:`analysis.reading.lineroles.articles_from_roles`) are scored as
``benchmarks.reader_sources`` scores the rule-based reader (boundary F1, titles, author
sets), and its labels against the key line by line (role accuracy, the ``^`` of an
article's first line ignored). Baseline, in the same run: the rule-based reader
(``load_articles``) on the same pages, which was never tuned on them either. Pooled
figures add the counts of every page; "mean of sources" weights sources equally.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from analysis.reading import lineroles
from analysis.reading.lineroles import (
    MODEL_FILE,
    START,
    LineRoleModel,
    articles_from_roles,
    kind_of,
    page_features,
    split_by_roles,
)
from analysis.reading.textio import normalize_line
from benchmarks import reader_sources
from benchmarks.page_keys import PAGES_DIR, PageKey, load_keys

#: Inverse regularisation of the logistic regression.
C = 1.0


def labelled(key: PageKey) -> tuple[list[str], list[dict], list[str]]:
    """The non-blank lines of a page (as the model reads them), their features and their
    labels from the key (the role, ``^`` on an article's first line)."""
    lines, features = page_features(key.page)
    assert lines == key.lines, key.page
    keep = [k for k, line in enumerate(key.lines) if normalize_line(line)]
    labels, seen = [], set()
    for k in keep:
        role, article = key.roles[k] or "furniture", key.articles[k]
        first = role != "furniture" and article not in seen
        seen.add(article)
        labels.append(role + (START if first else ""))
    return [key.lines[k] for k in keep], features, labels


def read_page(key: PageKey, model: LineRoleModel, page=None) -> list[dict]:
    """The articles the reader makes of a page with ``model`` (the package's
    :func:`~analysis.reading.lineroles.split_by_roles`), as records to score; ``page``:
    its lines and features, when they are at hand."""
    lines, features = page or page_features(key.page)
    split, _ = split_by_roles(lines, features, kind=kind_of(key.page), model=model)
    return [
        {
            "title": a.title,
            "authors": a.authors,
            "paragraphs": reader_sources._with_dateline(a.dateline, a.paragraphs),
        }
        for a in split.articles
    ]


def fit(keys: list[PageKey], data: dict) -> LineRoleModel:
    features = [f for key in keys for f in data[key.page][1]]
    labels = [label for key in keys for label in data[key.page][2]]
    return LineRoleModel.fit(features, labels, c=C)


def loso(keys: list[PageKey], verbose: bool = False) -> dict:
    """Print the leave-one-source-out table; return each page's counts."""
    data = {key.page: labelled(key) for key in keys}
    per_page: dict = {}
    sources = sorted({key.source for key in keys})
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    started = time.perf_counter()
    for source in sources:
        train = [k for k in keys if k.source != source]
        model = fit(train, data)
        for key in (k for k in keys if k.source == source):
            lines, features, gold_labels = data[key.page]
            labels = model.predict(features)
            articles = read_page(key, model, (key.lines, features))
            counts = reader_sources.score_page(key.article_records(), articles)
            counts |= reader_sources.furniture_read(key, articles)
            counts["lines"] = len(labels)
            counts["roles"] = sum(
                a.rstrip(START) == b.rstrip(START) for a, b in zip(labels, gold_labels, strict=True)
            )
            per_page[key.page] = counts
            for name, value in counts.items():
                per_source[source][name] += value
            if verbose:
                wrong = _confusions(gold_labels, labels)
                print(f"  {key.source}/{key.page.name}: {dict(wrong.most_common(6))}")
    seconds = time.perf_counter() - started
    print(
        "\n".join(
            reader_sources.table("model, leave one source out", per_source, seconds / len(keys))
        )
    )
    lines = sum(c["lines"] for c in per_source.values())
    roles = sum(c["roles"] for c in per_source.values())
    print(f"line roles right (pooled): {roles / lines:.3f} of {lines} lines")
    return per_page


def by_kind(keys: list[PageKey], per_page: dict[str, dict]) -> None:
    """Pooled figures of each method on each kind of page (text, markdown, html), and of
    the reader as it ships: the model on the kinds it reads by default
    (``LINE_ROLE_KINDS``, a markdown file only when its front matter names no headline),
    the rules on the others."""
    from analysis.reading.page_files import LINE_ROLE_KINDS, names_a_headline

    def shipped(key: PageKey) -> str:
        kind = kind_of(key.page)
        if kind == "markdown" and names_a_headline(key.page.read_text(encoding="utf-8")):
            return "rules"
        return "model" if kind in LINE_ROLE_KINDS else "rules"

    per_page = dict(per_page)
    per_page["shipped"] = {key.page: per_page[shipped(key)][key.page] for key in keys}
    print("## by kind of page, pooled")
    for method, pages in per_page.items():
        for kind in ("text", "markdown", "html"):
            counts: dict[str, int] = defaultdict(int)
            for key in keys:
                if kind_of(key.page) == kind and key.page in pages:
                    for name, value in pages[key.page].items():
                        counts[name] += value
            if counts:
                print(reader_sources._row(f"{method}, {kind}", counts))
    everything: dict[str, int] = defaultdict(int)
    for counts in per_page["shipped"].values():
        for name, value in counts.items():
            everything[name] += value
    print(reader_sources._row("shipped, all pages", everything))
    for method, pages in per_page.items():
        pooled: dict[str, int] = defaultdict(int)
        for counts in pages.values():
            for name, value in counts.items():
                pooled[name] += value
        print(reader_sources.furniture_line(method, pooled))
    by_script(keys, per_page)


def by_script(keys: list[PageKey], per_page: dict[str, dict]) -> None:
    """Pooled figures of each method on the pages in Simplified and in Traditional
    characters (:func:`analysis.reading.scripts.script_of` of the page's text)."""
    from analysis.reading.scripts import script_of

    script = {key.page: script_of("\n".join(key.lines)[:20_000]) for key in keys}
    print("## by script, pooled")
    for method, pages in per_page.items():
        for name in ("simplified", "traditional"):
            counts: dict[str, int] = defaultdict(int)
            chosen = [k for k in keys if script[k.page] == name and k.page in pages]
            for key in chosen:
                for field, value in pages[key.page].items():
                    counts[field] += value
            if counts:
                sources = len({k.source for k in chosen})
                label = f"{method}, {name} ({len(chosen)} pages, {sources} sources)"
                print(reader_sources._row(label, counts))


def shared_pages(keys: list[PageKey]) -> None:
    """The model fitted on every labelled source, against the rule-based reader, on the
    development pages of ``../shared/corpora/real_pages_dev`` (and its ``labour`` pages):
    the pages the rules were written against, never seen by the model."""
    import json

    from analysis.config import CORPORA_DIR
    from analysis.reading.lineroles import page_features

    root = CORPORA_DIR / "real_pages_dev"
    golds = [root / "gold.jsonl", root / "labour" / "gold.jsonl"]
    if not all(g.exists() for g in golds):
        print(f"(no {root}: the shared development pages are not scored)")
        return
    data = {key.page: labelled(key) for key in keys}
    model = fit(keys, data)
    per: dict[str, dict] = {"model": defaultdict(int), "rules": defaultdict(int)}
    for gold_file in golds:
        for line in gold_file.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            page = root / row["page"]
            if not page.exists():
                page = gold_file.parent / row["page"]
            gold = [{"photographers": [], **a} for a in row["articles"]]
            lines, features = page_features(page)
            labels = model.predict(features)
            kept = [x for x in lines if normalize_line(x)]
            predicted = {
                "model": articles_from_roles(kept, labels, kind=kind_of(page)),
                "rules": reader_sources.rules_records(page),
            }
            for name, articles in predicted.items():
                for k, v in reader_sources.score_page(gold, articles).items():
                    per[name][k] += v
    for name, counts in per.items():
        print(reader_sources._row(f"shared dev, {name}", counts))


def _confusions(gold: list[str], got: list[str]) -> Counter:
    """How often each role was read as each other role (``^`` left aside)."""
    return Counter(
        f"{a.rstrip(START)}->{b.rstrip(START)}"
        for a, b in zip(gold, got, strict=True)
        if a.rstrip(START) != b.rstrip(START)
    )


def data_digest(keys: list[PageKey]) -> str:
    """SHA-256 of the labelled pages and their keys, in path order."""
    digest = hashlib.sha256()
    for key in sorted(keys, key=lambda k: k.page.relative_to(PAGES_DIR).as_posix()):
        digest.update(key.page.relative_to(PAGES_DIR).as_posix().encode())
        digest.update(key.page.read_bytes())
        digest.update(key.page.with_name(key.page.name + ".key").read_bytes())
    return digest.hexdigest()


def code_digest() -> str:
    """SHA-256 of the code that makes the features: the line-role package and the rules
    and readers whose labels are features."""
    root = Path(lineroles.__file__).resolve().parents[1]
    files = sorted(
        [
            *root.joinpath("lineroles").glob("*.py"),
            *root.joinpath("pages").glob("*.py"),
            root / "webpages.py",
            root / "frontmatter.py",
            root / "furniture.py",
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(keys: list[PageKey]) -> None:
    data = {key.page: labelled(key) for key in keys}
    model = fit(keys, data)
    model.info = {
        "trained_by": "python -m benchmarks.line_roles train (make reader)",
        "pages": len(keys),
        "sources": sorted({k.source for k in keys}),
        "lines": sum(len(data[k.page][2]) for k in keys),
        "data_sha256": data_digest(keys),
        "code_sha256": code_digest(),
        "C": C,
    }
    model.to_json(MODEL_FILE)
    print(f"wrote {MODEL_FILE} ({len(model.vocabulary)} features, {len(model.labels)} labels)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.line_roles")
    parser.add_argument("command", nargs="?", choices=("loso", "train", "shared"), default="loso")
    parser.add_argument("--rules", action="store_true", help="also score the rule-based reader")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    keys = load_keys(strict=args.command == "train")
    if not keys:
        print(f"no labelled pages under {PAGES_DIR}")
        return 0
    print(f"{len(keys)} pages, {len({k.source for k in keys})} sources (* misses its target)")
    if args.command == "train":
        train(keys)
        return 0
    if args.command == "shared":
        shared_pages(keys)
        return 0
    per_page = {"model": loso(keys, args.verbose)}
    if args.rules:
        for key in keys:
            reader_sources._FOLDER_PAGES[key.page.parent].append(key)
        per_source, seconds, per_page["rules"] = reader_sources.run(
            keys, reader_sources.read_rules, False
        )
        print("\n".join(reader_sources.table("rules (baseline)", per_source, seconds)))
        by_kind(keys, per_page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
