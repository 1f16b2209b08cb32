"""Page -> articles on held-out People's Daily pages, against a naive baseline.

Run: .venv/bin/python -m benchmarks.page_split
Reads ../shared/corpora/newspaper_pages (14 pages, 100 articles, third-party answer key);
exits 0 with a note when that folder is absent.

Baseline ("naive"): every non-empty line without sentence punctuation and at most 32
characters starts a new article, and that line is its title. This is what a first attempt
with one regular expression does.
"""

from __future__ import annotations

import json
import re
import sys
import time

from analysis.config import CORPORA_DIR
from analysis.pages import split_page
from analysis.textio import normalize_line, read_text


def naive_split(text: str) -> list[tuple[int, str]]:
    """Return (paragraph index, title) of each article the naive rule finds."""
    starts = []
    for k, paragraph in enumerate(text.split("\n\n")):
        line = normalize_line(paragraph)
        short = line and len(line) <= 32 and "。" not in line
        if short and not re.search(r"[。！？,，;；:：]$", line):
            starts.append((k, line))
    return starts


def ours(text: str) -> list[tuple[int, str]]:
    return [((a.lines[0].number - 1) // 2, a.title or "") for a in split_page(text).articles]


def score(method, pages) -> dict:
    tp = predicted = gold_total = titles = 0
    started = time.perf_counter()
    for text, gold in pages:
        found = dict(method(text))
        predicted += len(found)
        for article in gold:
            gold_total += 1
            if article["first_paragraph"] in found:
                tp += 1
                titles += found[article["first_paragraph"]] == normalize_line(article["title"])
    seconds = time.perf_counter() - started
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold_total
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {
        "articles": predicted,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "title_acc": titles / gold_total,
        "ms_per_page": 1000 * seconds / len(pages),
    }


def main() -> int:
    root = CORPORA_DIR / "newspaper_pages"
    if not root.is_dir():
        print(f"skipped: {root} not present")
        return 0
    pages = []
    for line in (root / "gold_articles.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        pages.append((read_text(root / page["file"]).text, page["articles"]))
    gold = sum(len(g) for _, g in pages)
    print(f"newspaper_pages: {len(pages)} pages, {gold} gold articles")
    print(f"{'method':<10}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}{'title acc':>11}{'ms/page':>9}")
    results = {"naive": score(naive_split, pages), "analysis": score(ours, pages)}
    for name, r in results.items():
        print(
            f"{name:<10}{r['articles']:>7}{r['precision']:>8.3f}{r['recall']:>8.3f}"
            f"{r['f1']:>8.3f}{r['title_acc']:>11.3f}{r['ms_per_page']:>9.2f}"
        )
    ratio = results["analysis"]["f1"] / max(results["naive"]["f1"], 1e-9)
    print(f"boundary F1: analysis / naive = {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
