"""Page -> articles on every page set with an answer key, per source, against a naive baseline.

Run:
    .venv/bin/python -m benchmarks.page_split [--set NAME ...] [--verbose] [--json]

Sets, found under ``analysis.config.CORPORA_DIR`` (a missing folder is skipped with a note):

- ``newspaper_pages``: 14 People's Daily pages of 2020, 100 articles (``gold_articles.jsonl``).
- ``real_pages_dev``: 12 pages, 82 articles (``gold.jsonl``), scored with its ``score.py``.
- ``labour``: ``real_pages_dev/labour``, 14 labour-newspaper web pages, 21 articles.
- ``md``: ``real_pages_dev/md/<date>_<page>/``, the markdown files behind the pdm pages, loaded
  one folder at a time and scored against the gold of ``pages/pdm_<date>_p<page>.txt``. While
  the loader rejects ``.md`` (``InputError``) a folder is reported as unsupported and scored
  as no articles. These are the pdm articles again, so pooled figures count them twice.

"ours" is ``analysis.reading.corpus.load_articles`` on each page file (each md folder), every row
turned into a record like the CLI's JSON. "naive" is what a first attempt with one regular
expression does: every non-empty line of at most 32 characters without sentence punctuation
starts an article and is its title; the lines up to the next such line are its paragraphs.

Figures, per source (score.py's ``source_key`` of the gold ``source``; newspaper_pages is one
source) and pooled over all pages scored:

  P / R / F1    article boundaries: matched / predicted, matched / gold. newspaper_pages: a
                prediction matches when it starts at the gold ``first_paragraph``; elsewhere
                score.py's matching (same title, or the gold body start early in the body)
  title, kicker, subt, column, authors, kind
                share of matched pairs whose field agrees (score.py's tests; newspaper_pages:
                title, kicker and subtitle equal after ``normalize_line``, null == "")
  start, end    body start / body end agreement (score.py)
  leaks         occurrences of the page's gold furniture and metadata strings inside
                predicted body paragraphs / all their occurrences on the page (score.py)
  furn          predicted title/kicker/subtitle/column values that equal or contain a gold
                furniture string of 2 or more characters / all non-empty predicted headline
                values. A value that is a gold title, kicker or subtitle of the page does not
                count: two labour furniture strings are real headlines too
  junk          junk terms / all terms in the top-10 keywords of the page's predicted
                articles (``analysis.methods.keywords.top_terms(df, k=10)``, one page at a time). A
                term is junk when it is a single character, or when it occurs in one of the
                page's furniture/metadata strings (score.py's ``leak_strings``) and nowhere
                else: not in the page text once every occurrence of those strings is removed
                (line by line, whitespace dropped, case ignored), nor in a gold headline of
                the page. Every occurrence means also those inside running text: a body that
                cites 《陕西工人报》 does not save 陕西 when 陕西工人报 is furniture
  ms/pg         milliseconds per page to produce the predictions

Targets from the issue: F1 >= 0.95, titles >= 0.90, author sets >= 0.90, no furniture in
bodies (leaks) or headline fields (furn), no furniture words in the keywords (junk). A figure
that misses its target is marked ``*``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pandas as pd

from analysis.config import CORPORA_DIR
from analysis.methods.keywords import top_terms
from analysis.reading.corpus import load_articles
from analysis.reading.textio import InputError, normalize_line, read_text
from benchmarks._common import corpus_or_skip

SETS = ("newspaper_pages", "real_pages_dev", "labour", "md")
FOLDERS = {
    "newspaper_pages": "newspaper_pages",
    "real_pages_dev": "real_pages_dev",
    "labour": "real_pages_dev/labour",
    "md": "real_pages_dev/md",
}
METHODS = ("ours", "naive")
FIELDS = ("title", "kicker", "subtitle", "column", "authors", "kind", "start", "end")
COUNTS = ("leaks", "furn", "junk")
HEADLINE_FIELDS = ("title", "kicker", "subtitle", "column")
TARGETS = {"F1": 0.95, "title": 0.90, "authors": 0.90, "leaks": 0, "furn": 0, "junk": 0}
NAIVE_MAX = 32
NAIVE_END = re.compile(r"[。！？,，;；:：]$")


@dataclass
class Page:
    """One scored unit: a page file (or an md folder), its gold and both predictions."""

    set: str
    source: str
    name: str
    gold: dict
    text: str  # the input as read, for the junk test
    predictions: dict[str, pd.DataFrame] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    unsupported: str = ""  # why the loader refused the input, when it did


# --- predictions ----------------------------------------------------------------------


def naive_articles(text: str, stem: str) -> pd.DataFrame:
    """The naive split of ``text``: one row per article (title, paragraphs, start offset).

    >>> naive = naive_articles("标题一\\n正文，第一段。\\n标题二\\n正文。", "p")
    >>> naive[["title", "text"]].values.tolist()
    [['标题一', '正文，第一段。'], ['标题二', '正文。']]
    """
    articles: list[dict] = []
    offset = 0
    for raw in text.split("\n"):
        start, offset = offset, offset + len(raw) + 1
        line = normalize_line(raw)
        if not line:
            continue
        if len(line) <= NAIVE_MAX and "。" not in line and not NAIVE_END.search(line):
            articles.append({"title": line, "start": start, "paragraphs": []})
        elif articles:
            articles[-1]["paragraphs"].append(line)
        else:  # text before the first title line is an untitled article
            articles.append({"title": None, "start": start, "paragraphs": [line]})
    rows = [
        {"id": f"{stem}-naive-{k:02d}", "order": k, **a, "text": "\n".join(a["paragraphs"])}
        for k, a in enumerate(articles, start=1)
    ]
    return pd.DataFrame(rows, columns=["id", "order", "title", "start", "paragraphs", "text"])


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as the CLI's JSON records; missing values become None, missing lists []."""
    out = []
    for row in df.to_dict("records"):
        rec = {k: None if pd.api.types.is_scalar(v) and pd.isna(v) else v for k, v in row.items()}
        for key in ("title", "kicker", "subtitle", "column", "kind", "order"):
            rec.setdefault(key, None)
        for key in ("authors", "paragraphs"):
            rec[key] = rec.get(key) or []
        out.append(rec)
    return out


def _timed(function, *args) -> tuple[pd.DataFrame, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def page_file(set_name: str, source: str, gold: dict, path: Path) -> Page:
    text = read_text(path).text
    page = Page(set_name, source, path.name, gold, text)
    page.predictions["ours"], page.seconds["ours"] = _timed(load_articles, path)
    page.predictions["naive"], page.seconds["naive"] = _timed(naive_articles, text, path.stem)
    return page


def md_folder(folder: Path, source: str, gold: dict) -> Page:
    texts = {f: read_text(f).text for f in sorted(folder.glob("*.md"))}
    page = Page("md", source, folder.name, gold, "\n\n".join(texts.values()))
    try:
        page.predictions["ours"], page.seconds["ours"] = _timed(load_articles, folder)
    except InputError as exc:
        page.predictions["ours"], page.seconds["ours"] = pd.DataFrame(), 0.0
        page.unsupported = str(exc).removeprefix(f"{folder}: ")
    started = time.perf_counter()
    frames = [naive_articles(text, f"{folder.name}-{f.stem}") for f, text in texts.items()]
    page.predictions["naive"] = pd.concat(frames, ignore_index=True)
    page.seconds["naive"] = time.perf_counter() - started
    return page


def load_scorer() -> ModuleType:
    """real_pages_dev/score.py, the official scorer, imported from the corpus folder."""
    path = CORPORA_DIR / "real_pages_dev" / "score.py"
    spec = importlib.util.spec_from_file_location("real_pages_dev_score", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: cannot be imported; check the corpus folder")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def collect(name: str, root: Path, scorer: ModuleType | None) -> list[Page]:
    if name == "newspaper_pages":
        pages = []
        for line in (root / "gold_articles.jsonl").read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            pages.append(page_file(name, name, gold, root / gold["file"]))
        return pages
    assert scorer is not None
    if name == "md":
        gold = {row["page"]: row for row in scorer.load_gold([root.parent / "gold.jsonl"])}
        pages = []
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            date, _, number = folder.name.partition("_")
            row = gold.get(f"pages/pdm_{date}_p{number}.txt")
            if row is None:
                print(f"skipped: {folder} has no pdm page in gold.jsonl", file=sys.stderr)
                continue
            pages.append(md_folder(folder, scorer.source_key(row["source"]), row))
        return pages
    return [
        page_file(name, scorer.source_key(row.get("source", "?")), row, Path(row["_abs"]))
        for row in scorer.load_gold([root / "gold.jsonl"])
    ]


# --- scoring --------------------------------------------------------------------------


def new_tally() -> dict:
    tally: dict = dict.fromkeys(("pages", "gold", "pred", "matched", "seconds"), 0)
    tally.update({key: [0, 0] for key in (*FIELDS, *COUNTS)})
    return tally


def add(into: dict, tally: dict) -> None:
    for key, value in tally.items():
        if isinstance(value, list):
            into[key] = [into[key][0] + value[0], into[key][1] + value[1]]
        else:
            into[key] += value


def first_paragraph(rec: dict, starts: list[int], paragraphs: list[str]) -> int | None:
    """Index of the blank-line paragraph where a predicted article starts."""
    if isinstance(rec.get("start"), int):
        return bisect_right(starts, rec["start"]) - 1
    # a loader without character offsets: find the article's first line instead
    first = next((rec[f] for f in ("kicker", "title", "subtitle") if rec.get(f)), None)
    first = first or next(iter(rec["paragraphs"]), None)
    return next((k for k, p in enumerate(paragraphs) if normalize_line(p) == first), None)


def score_newspaper(page: Page, recs: list[dict], report: list[str]) -> dict:
    paragraphs = page.text.split("\n\n")
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 2
    found: dict[int | None, dict] = {}
    for rec in recs:
        found.setdefault(first_paragraph(rec, starts, paragraphs), rec)
    tally = new_tally()
    gold = page.gold["articles"]
    tally.update(pages=1, gold=len(gold), pred=len(recs))
    for g in gold:
        rec = found.get(g["first_paragraph"])
        if rec is None:
            report.append(f"    - missed gold: {g['title']} | paragraph {g['first_paragraph']}")
            continue
        tally["matched"] += 1
        for key in ("title", "kicker", "subtitle"):
            ok = normalize_line(rec.get(key) or "") == normalize_line(g.get(key) or "")
            tally[key] = [tally[key][0] + ok, tally[key][1] + 1]
            if not ok:
                report.append(f"    ~ {g['title']:.24}: {key}: gold={g[key]!r} pred={rec[key]!r}")
    return tally


def score_gold(scorer: ModuleType, page: Page, recs: list[dict], report: list[str]) -> dict:
    stats = scorer.score_page(page.gold, recs, True)
    report.extend(stats["_report"])
    tally = new_tally()
    tally.update({key: stats[key] for key in ("pages", "gold", "pred", "matched")})
    tally.update({key: list(stats[key]) for key in FIELDS})
    tally["leaks"] = [stats["leaks"], stats["meta"]]
    return tally


def gold_headlines(page: Page, norm: Callable[[str | None], str]) -> set[str]:
    heads = set()
    for g in page.gold["articles"]:
        heads.update(norm(g.get(key)) for key in ("title", "kicker", "subtitle"))
        if g.get("title") and g.get("column"):
            heads.add(norm(g["title"] + "（" + g["column"] + "）"))
    return heads - {""}


def furniture_in_headlines(
    page: Page, recs: list[dict], scorer: ModuleType | None
) -> tuple[list[int], list[str]]:
    """[hits, headline values] and the values that hold furniture."""
    values = [
        rec[key]
        for rec in recs
        for key in HEADLINE_FIELDS
        if isinstance(rec.get(key), str) and rec[key].strip()
    ]
    if scorer is None:
        return [0, len(values)], []
    furniture = [s for s in map(scorer.nows, page.gold.get("furniture") or []) if len(s) >= 2]
    heads = gold_headlines(page, scorer.norm)
    hits = [
        value
        for value in values
        if scorer.norm(value) not in heads and any(s in scorer.nows(value) for s in furniture)
    ]
    return [len(hits), len(values)], hits


def junk_test(page: Page, scorer: ModuleType | None) -> Callable[[str], bool]:
    """Whether a keyword of this page is junk (see the module docstring)."""
    strings = [s.lower() for s in scorer.leak_strings(page.gold)] if scorer else []
    if not strings:
        return lambda term: len(term) == 1
    longest_first = sorted(strings, key=len, reverse=True)
    kept = []
    for line in page.text.split("\n"):
        line = scorer.nows(line).lower()
        for s in longest_first:
            line = line.replace(s, "\n")
        kept.append(line)
    kept += [s.lower() for s in gold_headlines(page, scorer.nows)]
    outside = "\n".join(kept)

    def is_junk(term: str) -> bool:
        word = scorer.nows(term).lower()
        return len(word) == 1 or (any(word in s for s in strings) and word not in outside)

    return is_junk


def keyword_junk(page: Page, df: pd.DataFrame, scorer: ModuleType | None) -> tuple[int, list]:
    """Number of top-10 keywords of the page's articles, and the junk ones."""
    if df.empty:
        return 0, []
    terms = top_terms(df, k=10)["term"].tolist()
    is_junk = junk_test(page, scorer)
    return len(terms), [t for t in terms if is_junk(t)]


def score_method(
    pages: list[Page], method: str, scorer: ModuleType | None, verbose: list[str] | None
) -> dict:
    per_source: dict[tuple[str, str], dict] = {}
    pooled = new_tally()
    junk_terms: Counter[str] = Counter()
    for page in pages:
        df = page.predictions[method]
        recs = records(df)
        report: list[str] = []
        if page.set == "newspaper_pages":
            tally = score_newspaper(page, recs, report)
        else:
            assert scorer is not None
            tally = score_gold(scorer, page, recs, report)
        tally["furn"], furniture = furniture_in_headlines(page, recs, scorer)
        n_terms, junk = keyword_junk(page, df, scorer)
        tally["junk"] = [len(junk), n_terms]
        tally["seconds"] = page.seconds[method]
        junk_terms.update(junk)
        add(per_source.setdefault((page.set, page.source), new_tally()), tally)
        add(pooled, tally)
        if verbose is not None:
            s = summary(tally)
            verbose.append(
                f"{page.set}/{page.name}: gold {s['gold']} pred {s['pred']} "
                f"matched {s['matched']} leaks {s['leaks']}/{s['leaks_of']} "
                f"furn {s['furn']}/{s['furn_of']} junk {s['junk']}/{s['junk_of']}"
            )
            verbose.extend(report)
            verbose.extend(f"    ! furniture in headline: {v[:40]}" for v in furniture)
            verbose.extend(f"    ! junk keyword: {t}" for t in dict.fromkeys(junk))
    order = sorted(per_source, key=lambda key: (SETS.index(key[0]), key[1]))
    return {
        "sources": [{"set": k[0], "source": k[1], **summary(per_source[k])} for k in order],
        "pooled": summary(pooled),
        "junk_terms": junk_terms.most_common(20),
    }


def summary(tally: dict) -> dict:
    p = tally["matched"] / tally["pred"] if tally["pred"] else 0.0
    r = tally["matched"] / tally["gold"] if tally["gold"] else 0.0
    out = {key: tally[key] for key in ("pages", "gold", "pred", "matched")}
    out.update(P=p, R=r, F1=2 * p * r / (p + r) if p + r else 0.0)
    for key in FIELDS:
        ok, n = tally[key]
        out[key] = ok / n if n else None
        out[f"{key}_n"] = n
    for key in COUNTS:
        out[key], out[f"{key}_of"] = tally[key]
    out["ms_per_page"] = 1000 * tally["seconds"] / tally["pages"] if tally["pages"] else 0.0
    return out


# --- output ---------------------------------------------------------------------------

COLUMNS = [  # (figure, header, width)
    ("pages", "pages", 6),
    ("gold", "gold", 6),
    ("pred", "pred", 6),
    ("P", "P", 7),
    ("R", "R", 7),
    ("F1", "F1", 7),
    ("title", "title", 7),
    ("kicker", "kicker", 7),
    ("subtitle", "subt", 7),
    ("column", "column", 7),
    ("authors", "authors", 8),
    ("kind", "kind", 7),
    ("start", "start", 7),
    ("end", "end", 7),
    ("leaks", "leaks", 9),
    ("furn", "furn", 8),
    ("junk", "junk", 10),
    ("ms_per_page", "ms/pg", 8),
]
NAME_WIDTH = 34


def misses(key: str, figures: dict) -> bool:
    value = figures[key]
    if key not in TARGETS or value is None:
        return False
    return value > TARGETS[key] if key in COUNTS else value < TARGETS[key]


def cell(key: str, figures: dict) -> str:
    value = figures[key]
    star = "*" if misses(key, figures) else " "
    if key in COUNTS:
        text = f"{value}/{figures[f'{key}_of']}"
    elif value is None:
        text = "-"
    elif key == "ms_per_page":
        text = f"{value:.1f}"
    elif isinstance(value, float):
        text = f"{value:.3f}"
    else:
        text = str(value)
    return text + star


def table(title: str, result: dict) -> list[str]:
    header = f"{'set / source':<{NAME_WIDTH}}" + "".join(f"{h:>{w}} " for _, h, w in COLUMNS)
    lines = [title, header, "-" * len(header)]
    current = None
    for row in result["sources"]:
        if row["set"] != current:
            current = row["set"]
            lines.append(current)
        name = f"  {row['source']}"[:NAME_WIDTH]
        lines.append(
            f"{name:<{NAME_WIDTH}}" + "".join(f"{cell(k, row):>{w + 1}}" for k, _, w in COLUMNS)
        )
    lines.append("-" * len(header))
    pooled = result["pooled"]
    lines.append(
        f"{'pooled':<{NAME_WIDTH}}" + "".join(f"{cell(k, pooled):>{w + 1}}" for k, _, w in COLUMNS)
    )
    targets = {k: (f"≥{v:.2f}" if isinstance(v, float) else str(v)) for k, v in TARGETS.items()}
    lines.append(
        f"{'target (issue)':<{NAME_WIDTH}}"
        + "".join(f"{targets.get(k, ''):>{w}} " for k, _, w in COLUMNS)
    )
    junk = ", ".join(f"{term} ×{n}" for term, n in result["junk_terms"]) or "none"
    lines.append(f"junk keywords (top 20): {junk}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=SETS,
        metavar="NAME",
        help=f"page set to score, repeatable: {', '.join(SETS)} (default: all)",
    )
    parser.add_argument("--verbose", action="store_true", help="per-page report for ours")
    parser.add_argument("--json", action="store_true", help="print all figures as JSON")
    args = parser.parse_args(argv)
    wanted = [name for name in SETS if name in (args.sets or SETS)]
    pages: list[Page] = []
    skipped = []
    scorer = None
    for name in wanted:
        root = corpus_or_skip(FOLDERS[name])
        if root is None:
            skipped.append(name)
            continue
        if name != "newspaper_pages" and scorer is None:
            scorer = load_scorer()
        pages += collect(name, root, scorer)
    refused: dict[str, list[str]] = {}
    for page in pages:
        if page.unsupported:
            refused.setdefault(page.unsupported, []).append(f"{page.set}/{page.name}")
    notes = [
        f"unsupported input, scored as no articles: {', '.join(names)} ({reason})"
        for reason, names in refused.items()
    ]
    if not pages:
        print("nothing to score: no page set present")
        return 0
    verbose: list[str] | None = [] if args.verbose else None
    results = {
        method: score_method(pages, method, scorer, verbose if method == "ours" else None)
        for method in METHODS
    }
    if args.json:
        out = {"sets": wanted, "skipped": skipped, "notes": notes, "targets": TARGETS, **results}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if verbose:
        print("\n".join(verbose), end="\n\n")
    for note in notes:
        print(note)
    counts = Counter(page.set for page in pages)
    print("scored: " + ", ".join(f"{name} {n} page(s)" for name, n in counts.items()), end="\n\n")
    print(
        "\n".join(table("ours: analysis.reading.corpus.load_articles", results["ours"])), end="\n\n"
    )
    print("\n".join(table("naive baseline", results["naive"])), end="\n\n")
    f1 = results["ours"]["pooled"]["F1"] / max(results["naive"]["pooled"]["F1"], 1e-9)
    print(f"pooled boundary F1: ours / naive = {f1:.2f}x; * = misses the issue's target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
