"""A large table of synthetic news articles with planted reprints, for scale benchmarks.

Real Chinese news of a gigabyte is not something we may keep or fetch here, and the
sentence collage of ``benchmarks.large_inputs`` repeats whole sentences across articles
(every article shares text with thousands of others, which no real corpus does). This
table is a *phrase* collage instead: each article is made of runs of one to a few words
copied from real news (THUCNews-1k and Sogou-mini in ``../shared/corpora``, cut by
jieba), the run lengths drawn so that a run averages about two words. Five-character
runs repeat across articles about as often as common phrases do in news (常见的 "记者
了解到", "据介绍"), while no two articles share long passages by chance.

Planted reprints: ``reprint_share`` of the articles are edited copies of an earlier one
(the edits of ``benchmarks.reprints.edited_copy``: cut to 60-100 %, 5-20 % of the
characters replaced in runs, a new headline), in clusters of two to six members; the
truth is every pair inside a cluster.

Columns: id, date (spread over 2020-2025), title, text, category (one of 10, at random).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import numpy as np

from benchmarks._common import corpus_or_skip

SOURCES = {
    "thucnews_cnews_1k": "cnews_sample_1000.tsv",
    "sogou_mini_5cat": "sogou_mini_test.csv",
}
CATEGORIES = ["体育", "财经", "房产", "家居", "教育", "科技", "时尚", "时政", "游戏", "娱乐"]
MEAN_RUN = 2.0  # words per copied run
MAX_RUN_CHARS = 12
BYTES_PER_ROW = 3040  # measured: 10,000 rows are 30.4 MB


def source_text() -> tuple[str, np.ndarray, np.ndarray]:
    """The real articles joined (one string), the character offsets where their words
    start, and the article lengths in characters (to draw synthetic lengths from)."""
    import jieba

    from analysis.reading.corpus import load_articles

    texts: list[str] = []
    for name, filename in SOURCES.items():
        root = corpus_or_skip(name)
        if root is not None:
            texts += ["".join(p) for p in load_articles(root / filename)["paragraphs"]]
    if not texts:
        raise SystemExit("skipped: ../shared/corpora (THUCNews-1k, Sogou-mini) is not present")
    joined = "".join(texts)
    starts = np.cumsum([0] + [len(w) for w in jieba.lcut(joined)])
    return joined, starts, np.array([len(t) for t in texts])


class Collage:
    """Articles made of runs of words copied from real news (see the module's docstring)."""

    def __init__(self, seed: int) -> None:
        self.text, self.starts, self.lengths = source_text()
        self.rng = np.random.default_rng(seed)

    def article(self, chars: int | None = None) -> str:
        """About ``chars`` characters (default: a length drawn from the real articles)."""
        rng = self.rng
        chars = int(rng.choice(self.lengths)) if chars is None else chars
        count = max(4, int(chars / 3.0))  # runs of about two words, 3.4 characters
        first = rng.integers(0, len(self.starts) - 9, size=count)
        last = first + np.minimum(rng.geometric(1 / MEAN_RUN, size=count), 8)
        begin = self.starts[first]
        # a run stops after MAX_RUN_CHARS characters: jieba keeps a long string of digits
        # (a table of numbers) as one word, and every article holding it would share it
        end = np.minimum(self.starts[last], begin + MAX_RUN_CHARS)
        begin, end = begin.tolist(), end.tolist()
        text = self.text
        return "".join([text[b:e] for b, e in zip(begin, end, strict=True)])[:chars]


def articles(n: int, *, seed: int = 0, reprint_share: float = 0.02) -> Iterator[tuple]:
    """``n`` rows (dicts of the table's columns), each with the row number of its
    cluster's first member when it is a planted copy (None otherwise)."""
    from benchmarks.reprints import edited_copy

    collage = Collage(seed)
    rng = collage.rng
    edits = random.Random(seed)
    days = np.datetime64("2020-01-01") + rng.integers(0, 6 * 365, size=n)
    window: dict[int, str] = {}  # the last WINDOW rows' texts, to copy from
    root_of: dict[int, int] = {}
    size: dict[int, int] = {}
    for row in range(n):
        root = None
        if row and rng.random() < reprint_share:
            pick = int(rng.integers(max(0, row - WINDOW), row))
            candidate = root_of.get(pick, pick)
            if size.get(candidate, 1) < MAX_CLUSTER:
                root = candidate
                root_of[row] = root
                size[root] = size.get(root, 1) + 1
                text, _ = edited_copy(window[pick], collage.article(300), edits)
        if root is None:
            text = collage.article()
        window[row] = text
        window.pop(row - WINDOW, None)
        record = {
            "id": f"n{row:07d}",
            "date": str(days[row]),
            "title": collage.article(16),
            "text": text,
            "category": CATEGORIES[int(rng.integers(0, len(CATEGORIES)))],
        }
        yield record, root


WINDOW = 2000
MAX_CLUSTER = 6


def write(path: Path, n: int, *, seed: int = 0, reprint_share: float = 0.02) -> set[tuple]:
    """Write the table to ``path`` (CSV, UTF-8); return the planted pairs (row numbers
    a < b of two members of one cluster)."""
    clusters: dict[int, list[int]] = {}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=["id", "date", "title", "text", "category"])
        out.writeheader()
        for row, (record, root) in enumerate(articles(n, seed=seed, reprint_share=reprint_share)):
            out.writerow(record)
            if root is not None:
                clusters.setdefault(root, [root]).append(row)
    return {(a, b) for rows in clusters.values() for a, b in combinations(rows, 2)}


def main(argv=None) -> int:
    """Write a table of ``--mb`` megabytes and its planted pairs (``PATH.truth.json``)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    truth = write(args.path, max(1000, int(args.mb * 1e6 / BYTES_PER_ROW)), seed=args.seed)
    truth_path = Path(f"{args.path}.truth.json")
    truth_path.write_text(json.dumps(sorted(truth)), encoding="utf-8")
    print(f"wrote {args.path} ({args.path.stat().st_size / 1e6:.0f} MB) and {truth_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
