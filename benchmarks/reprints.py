"""Reprints planted in real news: found pairs, precision and recall, and time.

Run: .venv/bin/python -m benchmarks.reprints [--copies 100] [--seed 0] [--scale-mb MB]

The bodies of THUCNews-1k (1,000 real news articles, ``../shared/corpora``) get
``--copies`` edited copies of randomly chosen articles: each copy keeps the first 60 to
100 % of its original, then 5 to 20 % of its characters are replaced, in runs of one to
four characters drawn from another article (edits, not scattered noise), and it gets a
new headline. The truth is the (original, copy) pairs; a found pair is any two articles
in one cluster. Baseline in the same run: exact duplicates of the normalized text (what
a user finds with a hash), which finds none of the edited copies.

``--scale-mb MB`` also times ``python -m analysis reprints`` in a fresh process on a
table of MB megabytes of synthetic news with 2 % planted copies
(``benchmarks.synthetic_news``: runs of real words, so articles share phrases but not
passages; ``--scale-table PATH`` reuses one written by ``python -m
benchmarks.synthetic_news PATH --mb MB``), against reading the table alone
(``load_articles``, the baseline: the least any command on the table costs), and scores
the planted pairs it finds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from analysis.methods.reprints import _normalized, find_reprints
from analysis.reading.corpus import load_articles
from benchmarks._common import corpus_or_skip


def edited_copy(text: str, donor: str, rng: random.Random) -> tuple[str, float]:
    """``text`` cut to 60-100 % of its length with 5-20 % of its characters replaced by
    runs from ``donor``; the copy and the share of characters changed."""
    kept = text[: max(1, round(len(text) * rng.uniform(0.6, 1.0)))]
    chars = list(kept)
    goal = rng.uniform(0.05, 0.20) * len(chars)
    changed: set[int] = set()
    while len(changed) < goal and donor:
        run = rng.randint(1, 4)
        at = rng.randrange(len(chars))
        source = rng.randrange(max(1, len(donor) - run))
        for k in range(run):
            if at + k < len(chars):
                chars[at + k] = donor[(source + k) % len(donor)]
                changed.add(at + k)
    return "".join(chars), len(changed) / max(1, len(chars))


def planted(texts: list[str], copies: int, seed: int) -> tuple[list[str], set[tuple[int, int]]]:
    rng = random.Random(seed)
    out = list(texts)
    truth = set()
    for original in rng.sample(range(len(texts)), copies):
        donor = texts[rng.randrange(len(texts))]
        copy, _ = edited_copy(texts[original], donor, rng)
        truth.add((original, len(out)))
        out.append(copy)
    return out, truth


def found_pairs(cluster_of) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for k, c in enumerate(cluster_of.tolist()):
        if c:
            members.setdefault(c, []).append(k)
    return {pair for group in members.values() for pair in combinations(sorted(group), 2)}


def score(name: str, found: set, truth: set, seconds: float, n_originals: int) -> None:
    """Precision over the found pairs that hold a planted copy (pairs of two originals
    are THUCNews's own reprints and templates, counted apart), recall over the planted
    pairs (a copy and its original, and the original's own reprints)."""
    with_copy = {p for p in found if p[1] >= n_originals}
    hits = len(with_copy & truth)
    precision = hits / len(with_copy) if with_copy else 1.0
    recall = hits / len(truth) if truth else 1.0
    among = len(found) - len(with_copy)
    print(
        f"  {name:28} precision {precision:.3f}  recall {recall:.3f}  "
        f"({len(with_copy)} pairs with a copy, {among} among the originals)  {seconds:.2f} s"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale-mb", type=float, default=0)
    parser.add_argument("--scale-table", type=Path, help="a table of benchmarks.synthetic_news")
    args = parser.parse_args(argv)
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        print("skipped: ../shared/corpora/thucnews_cnews_1k is not present")
        return 0
    articles = load_articles(root / "cnews_sample_1000.tsv")
    texts = ["\n".join(p) for p in articles["paragraphs"]]
    corpus, truth = planted(texts, args.copies, args.seed)
    # THUCNews's own reprints and templates (found among the originals alone, listed at
    # the end): a copy of one of them is a reprint of the others too
    own = find_reprints(texts).cluster_of
    original_of = {copy: original for original, copy in truth}
    truth |= {
        (other, copy)
        for copy, original in original_of.items()
        if own[original]
        for other in np.flatnonzero(own == own[original]).tolist()
    }
    same_story = {c: own[o] or -1 - o for c, o in original_of.items()}  # a story's number
    truth |= {
        (a, b) for a, b in combinations(sorted(original_of), 2) if same_story[a] == same_story[b]
    }
    print(f"{len(texts)} THUCNews articles + {args.copies} edited copies (seed {args.seed})")
    started = time.perf_counter()
    digests: dict[str, list[int]] = {}
    for k, text in enumerate(corpus):
        digests.setdefault(hashlib.sha1(_normalized(text).encode()).hexdigest(), []).append(k)
    exact = {p for g in digests.values() for p in combinations(g, 2)}
    score("exact duplicates (baseline)", exact, truth, time.perf_counter() - started, len(texts))
    started = time.perf_counter()
    result = find_reprints(corpus)
    found = found_pairs(result.cluster_of)
    score("find_reprints", found, truth, time.perf_counter() - started, len(texts))
    for i, j in sorted(found - truth):
        kind = "originals" if j < len(texts) else "WRONG"  # pairs of two originals: review
        print(f"    {kind}: {i} {j}: {corpus[i][:24]!r} / {corpus[j][:24]!r}")
    if args.scale_mb or args.scale_table:
        scale(args.scale_mb, args.seed, args.scale_table)
    return 0


def scale(megabytes: float, seed: int, table: Path | None = None) -> None:
    """Time ``python -m analysis reprints`` on a table of synthetic news of ``megabytes``
    MB with planted reprints (``benchmarks.synthetic_news``), or on ``table`` written by
    ``python -m benchmarks.synthetic_news``, and score what it finds."""
    import json

    from benchmarks import synthetic_news
    from benchmarks.large_inputs import load, run

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reprints.json"
        started = time.perf_counter()
        if table is None:
            rows = max(1000, int(megabytes * 1e6 / synthetic_news.BYTES_PER_ROW))
            path = Path(tmp) / "big.csv"
            truth = synthetic_news.write(path, rows, seed=seed)
        else:
            path = table
            truth = {tuple(p) for p in json.loads(Path(f"{table}.truth.json").read_text())}
        mb = path.stat().st_size / 1e6
        print(f"\nsynthetic news: {mb:.0f} MB, {len(truth):,} planted pairs")
        print(f"  (ready in {time.perf_counter() - started:.0f} s)")
        os.sync()
        seconds, peak = load("load_articles", path)
        print(f"  {'read alone (baseline)':28} {seconds:6.1f} s  {peak:6.0f} MB peak")
        seconds, peak = run("reprints", str(path), "--json", "-o", str(out))
        print(f"  {'reprints':28} {seconds:6.1f} s  {peak:6.0f} MB peak")
        clusters = json.loads(out.read_text(encoding="utf-8"))["clusters"]
    found = {
        pair
        for cluster in clusters
        for pair in combinations(sorted(int(m[1:]) for m in cluster["members"]), 2)
    }
    hits = len(found & truth)
    print(
        f"  planted pairs: precision {hits / max(1, len(found)):.3f}  "
        f"recall {hits / max(1, len(truth)):.3f}  ({len(found):,} found)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
