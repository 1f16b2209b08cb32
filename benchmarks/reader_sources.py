"""The page reader on the labelled pages of ``benchmarks/pages/``, source by source.

Run: .venv/bin/python -m benchmarks.reader_sources [--verbose] [--source NAME ...]

Every page of every source folder is read by ``analysis.reading.corpus.load_articles``
(one page at a time, with the boilerplate of its whole folder, as a user reading that
folder gets) and scored against the article-level answer key that
``benchmarks.page_keys`` derives from the page's line key. Nothing in the reader was
written against these pages, so for every source the figures are held-out figures.

Baseline: "naive", every short line without sentence punctuation starts an article and
is its title (as in ``benchmarks.page_split``).

Scoring (the rules of ``real_pages_dev/score.py``, restated here so that the benchmark
runs without ``../shared``): a predicted and a gold article match when their titles are
equal once normalised (NFKC, whitespace and punctuation removed), or when the gold body's
first 15 characters occur in the first 200 of the predicted body (or its last 15 in the
last 200); each article is used once, pairs agreeing on both first. Boundary P/R/F1 count
matches; title is the share of matched pairs with equal titles, authors the share whose
author sets are equal (the gold photographers may be included or not); pooled figures add
the counts of all pages.
Targets (#17): F1 >= 0.95, titles >= 0.90, authors >= 0.90.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from benchmarks.page_keys import PAGES_DIR, PageKey, load_keys

TARGETS = {"F1": 0.95, "title": 0.90, "authors": 0.90}
START_WINDOW = 200
_DROP = re.compile(r"[\s\W_]+")


def norm(text: str | None) -> str:
    """NFKC, no whitespace or punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def _title_ok(gold: dict, pred: dict) -> bool:
    return bool(gold["title"]) and norm(gold["title"]) == norm(pred.get("title"))


def _start_ok(gold: dict, pred: dict) -> bool:
    """The gold body's first 15 characters early in the predicted body, or its last 15
    late in it (a reader that cuts a dateline with its credits, 新华社巴黎12月9日电
    （记者唐霁）, off the first paragraph still has the article's end)."""
    start, end = norm(gold["body_start"]), norm(gold["body_end"])
    body = norm("".join(pred.get("paragraphs") or []))
    return (bool(start) and start in body[: START_WINDOW + len(start)]) or (
        bool(end) and end in body[-(START_WINDOW + len(end)) :]
    )


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index): both tests first, then either."""
    pairs, used_g, used_p = [], set(), set()
    for need_both in (True, False):
        for i, g in enumerate(gold):
            if i in used_g:
                continue
            for j, p in enumerate(pred):
                if j in used_p:
                    continue
                title, start = _title_ok(g, p), _start_ok(g, p)
                if (title and start) if need_both else (title or start):
                    pairs.append((i, j))
                    used_g.add(i)
                    used_p.add(j)
                    break
    return sorted(pairs)


def _authors_ok(gold: dict, pred: dict) -> bool:
    got = {norm(a) for a in pred.get("authors") or []}
    writers = {norm(a) for a in gold["authors"]}
    return got in (writers, writers | {norm(a) for a in gold["photographers"]})


def score_page(gold: list[dict], pred: list[dict]) -> dict[str, int]:
    pairs = match(gold, pred)
    titled = [(i, j) for i, j in pairs if gold[i]["title"]]
    return {
        "gold": len(gold),
        "pred": len(pred),
        "matched": len(pairs),
        "titled": len(titled),
        "title": sum(_title_ok(gold[i], pred[j]) for i, j in titled),
        "authors": sum(_authors_ok(gold[i], pred[j]) for i, j in pairs),
    }


def figures(counts: dict[str, int]) -> dict[str, float]:
    p = counts["matched"] / counts["pred"] if counts["pred"] else 0.0
    r = counts["matched"] / counts["gold"] if counts["gold"] else 0.0
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "title": counts["title"] / counts["titled"] if counts["titled"] else float("nan"),
        "authors": counts["authors"] / counts["matched"] if counts["matched"] else float("nan"),
    }


# --- readers ---------------------------------------------------------------------------


def read_rules(key: PageKey) -> list[dict]:
    """The package's reader on one page, with its folder's boilerplate lines."""
    return rules_records(key.page, [p.page for p in _FOLDER_PAGES[key.page.parent]])


def rules_records(page: Path, siblings: list[Path] | None = None) -> list[dict]:
    """The rule-based reader alone (the line-role model switched off) on one page, with
    the boilerplate lines of ``siblings`` (default: the page alone)."""
    from analysis.reading.corpus import folder_boilerplate, load_articles

    switch = os.environ.get("ANALYSIS_LINE_ROLES")
    os.environ["ANALYSIS_LINE_ROLES"] = "0"  # the rules alone, never the model
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            boilerplate = folder_boilerplate(siblings or [page])
            df = load_articles([page], boilerplate=boilerplate)
    finally:
        if switch is None:
            os.environ.pop("ANALYSIS_LINE_ROLES")
        else:
            os.environ["ANALYSIS_LINE_ROLES"] = switch
    return [
        {
            "title": row.title if isinstance(row.title, str) else None,
            "authors": list(row.authors),
            "paragraphs": _with_dateline(row.dateline, list(row.paragraphs)),
        }
        for row in df.itertuples(index=False)
    ]


def _with_dateline(dateline: object, paragraphs: list[str]) -> list[str]:
    """The paragraphs with the dateline the reader cut off the first one put back: the
    key's body starts where the printed paragraph does."""
    return [dateline, *paragraphs] if isinstance(dateline, str) and dateline else paragraphs


_NAIVE_END = re.compile(r"[。！？,，;；:：]$")


def read_naive(key: PageKey) -> list[dict]:
    """Every non-empty line of at most 32 characters without sentence punctuation starts
    an article and is its title; the lines after it are its paragraphs."""
    out: list[dict] = []
    for raw in key.lines:
        line = raw.strip()
        if not line:
            continue
        if len(line) <= 32 and "。" not in line and not _NAIVE_END.search(line):
            out.append({"title": line, "authors": [], "paragraphs": []})
        elif out:
            out[-1]["paragraphs"].append(line)
        else:
            out.append({"title": None, "authors": [], "paragraphs": [line]})
    return out


READERS: dict[str, Callable[[PageKey], list[dict]]] = {"rules": read_rules, "naive": read_naive}
_FOLDER_PAGES: dict[Path, list[PageKey]] = defaultdict(list)


#: furniture lines this short (a number, 分享, 首页) may be a whole paragraph of running
#: text as well; they are not counted
FURNITURE_CHARS = 6


def furniture_read(key: PageKey, pred: list[dict]) -> dict[str, int]:
    """Issue 17's "no furniture line in any title or body": how many of the page's
    furniture lines (of :data:`FURNITURE_CHARS` characters or more) a reader made, whole,
    into an article's title or one of its paragraphs (``furniture_read``), of how many
    (``furniture``). A furniture line joined to other text in a paragraph is not seen."""
    from analysis.reading.textio import normalize_line

    read = {normalize_line(a["title"]) for a in pred if a.get("title")}
    read |= {normalize_line(p) for a in pred for p in a.get("paragraphs") or ()}
    furniture = [
        text
        for line, role in zip(key.lines, key.roles, strict=True)
        if (role or "furniture") == "furniture"
        and len(text := normalize_line(line)) >= FURNITURE_CHARS
    ]
    return {"furniture": len(furniture), "furniture_read": sum(t in read for t in furniture)}


def furniture_line(name: str, counts: dict[str, int]) -> str:
    return (
        f"{name}: {counts.get('furniture_read', 0)} of {counts.get('furniture', 0)} furniture "
        f"lines of {FURNITURE_CHARS}+ characters read as a whole title or paragraph"
    )


def run(keys: list[PageKey], reader: Callable[[PageKey], list[dict]], verbose: bool):
    """Counts per source, seconds per page, and counts per page."""
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_page: dict[Path, dict[str, int]] = {}
    started = time.perf_counter()
    for key in keys:
        gold = key.article_records()
        pred = reader(key)
        counts = per_page[key.page] = score_page(gold, pred) | furniture_read(key, pred)
        for name, value in counts.items():
            per_source[key.source][name] += value
        if verbose and (counts["matched"] < max(counts["gold"], counts["pred"])):
            print(f"  {key.source}/{key.page.name}: gold {counts['gold']}, pred {counts['pred']}")
            for p in pred[:6]:
                print(f"      pred title {p.get('title')!r}")
    return per_source, (time.perf_counter() - started) / max(len(keys), 1), per_page


def table(name: str, per_source: dict, seconds: float) -> list[str]:
    lines = [f"## {name} ({seconds * 1000:.0f} ms a page)"]
    lines.append(f"{'source':<20}{'gold':>6}{'pred':>6}{'F1':>7}{'title':>7}{'authors':>8}")
    pooled: dict[str, int] = defaultdict(int)
    for source in sorted(per_source):
        counts = per_source[source]
        for k, v in counts.items():
            pooled[k] += v
        lines.append(_row(source, counts))
    lines.append(_row("pooled", pooled))
    macro = [figures(c) for c in per_source.values()]
    means = []
    for k, w in (("F1", 7), ("title", 7), ("authors", 8)):
        values = [f[k] for f in macro if f[k] == f[k]]  # NaN: no pair to score
        means.append(f"{sum(values) / max(len(values), 1):>{w}.2f}")
    lines.append(f"{'mean of sources':<32}" + "".join(means))
    return lines


def _row(name: str, counts: dict[str, int]) -> str:
    f = figures(counts)
    cells = []
    for k, w in (("F1", 7), ("title", 7), ("authors", 8)):
        mark = "*" if f[k] == f[k] and f[k] < TARGETS[k] else " "
        cells.append(f"{f[k]:>{w - 1}.2f}{mark}")
    width = max(20, len(name) + 1)
    return f"{name:<{width}}{counts['gold']:>6}{counts['pred']:>6}" + "".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reader_sources")
    parser.add_argument("--source", nargs="*", help="only these source folders")
    parser.add_argument("--method", nargs="*", choices=sorted(READERS), default=sorted(READERS))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    folders = [PAGES_DIR / s for s in args.source] if args.source else None
    keys = load_keys(folders)
    if not keys:
        print(f"no labelled pages under {PAGES_DIR}")
        return 0
    for key in keys:
        _FOLDER_PAGES[key.page.parent].append(key)
    print(f"{len(keys)} pages, {len({k.source for k in keys})} sources (* misses its target)")
    for name in args.method:
        per_source, seconds, _ = run(keys, READERS[name], args.verbose)
        print("\n".join(table(name, per_source, seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
