"""End to end on a synthetic archive: keywords + themes for about 1 GB of news text.

Run: .venv/bin/python -m benchmarks.archive [--mb 1000]
The archive is real articles (THUCNews-1k and Sogou-mini) resampled with a fixed seed
into a `label<TAB>text` file of about --mb MB in a temporary folder. It is streamed
line by line through analysis.archive.archive_keywords_and_themes (workers tokenize and
count; the parent builds TF-IDF, keywords, LSA and MiniBatchKMeans themes). Printed:
wall time, the parent's peak resident memory, and the peak memory of the parent and its
workers together, sampled from /proc (see benchmarks._common.MemorySampler).
Baseline for speed: the jieba.posseg rate measured by benchmarks/throughput.py in the
same session, projected to this size (running it on 1 GB would take hours).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from analysis.archive import archive_keywords_and_themes
from analysis.corpus import load_articles
from analysis.scale import default_jobs
from analysis.tokenize import Tokenizer
from benchmarks._common import MemorySampler, corpus_or_skip


def build_archive(path: Path, megabytes: float) -> int:
    sources = []
    for name, filename in (
        ("thucnews_cnews_1k", "cnews_sample_1000.tsv"),
        ("sogou_mini_5cat", "sogou_mini_test.csv"),
    ):
        root = corpus_or_skip(name)
        if root is not None:
            df = load_articles(root / filename)
            sources += list(zip(df["label"], df["text"], strict=True))
    if not sources:
        return 0
    rng = random.Random(0)
    size, count, target = 0, 0, megabytes * 1e6
    with open(path, "w", encoding="utf-8") as handle:
        while size < target:
            label, text = rng.choice(sources)
            line = f"{label}\t{text}\n"
            handle.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    return count


def stream(path: Path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n").split("\t", 1)[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000.0, help="archive size in MB")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.tsv"
        started = time.perf_counter()
        n = build_archive(path, args.mb)
        if not n:
            return 0
        size = path.stat().st_size / 1e6
        built = time.perf_counter() - started
        print(f"archive: {n:,} articles, {size:,.0f} MB (built in {built:.0f} s)")
        started = time.perf_counter()
        with MemorySampler() as memory:
            result = archive_keywords_and_themes(
                stream(path), Tokenizer(), n_jobs=default_jobs(), total=n
            )
        seconds = time.perf_counter() - started
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = size / seconds
    mib = 1024 * 1024
    print(f"keywords + themes: {seconds:,.0f} s wall, {rate:.1f} MB/s, {default_jobs()} workers")
    print(f"peak RSS of the parent (getrusage): {parent:,.0f} MB")
    if memory.available:
        print(
            f"peak of parent + workers, sampled every {memory.interval} s: "
            f"PSS {memory.peak_pss / mib:,.0f} MB, RSS summed {memory.peak_rss / mib:,.0f} MB, "
            f"largest worker RSS {memory.peak_worker_rss / mib:,.0f} MB"
        )
    print(f"vocabulary {len(result['terms']):,} terms; themes:")
    for theme, terms in result["themes"].items():
        print(f"  {theme}: {' '.join(terms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
