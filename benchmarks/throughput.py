"""Tokenize + filter throughput, and cold against warm (cached) tokenization.

Run: .venv/bin/python -m benchmarks.throughput [--mb 20]
(a) MB/s of load + tokenize + filter on THUCNews-1k replicated to about --mb MB, and on
    the seed page replicated to the same size. Baseline: jieba.posseg (what a POS filter
    over jieba needs), timed on the first 2 MB of the same texts because it runs at
    about 0.1 MB/s. Ours: Tokenizer().tokens (default backend) through tokenize_many on
    all CPUs of this machine, through count_matrix (tokenize, filter and count in worker
    processes; every replica is processed, nothing is deduplicated or cached).
    Throughput is per MB of UTF-8 input.
(c) The seed pipeline's tokenization, cold (empty cache) and warm (cached), in fresh
    processes: `python -m analysis keywords`, and the tokenization step alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import jieba
import jieba.posseg

from analysis.corpus import load_articles
from analysis.keywords import article_texts
from analysis.scale import count_matrix, default_jobs, tokenize_many
from analysis.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip

BASELINE_MB = 2.0


def replicate(texts: list[str], megabytes: float) -> list[str]:
    out, size, target = [], 0, megabytes * 1e6
    while size < target:
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8"))
            if size >= target:
                break
    return out


def mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def posseg_baseline(texts: list[str]) -> float:
    sample = replicate(texts, BASELINE_MB)
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.lcut("预热")
    started = time.perf_counter()
    for text in sample:
        [(p.word, p.flag) for p in tokenizer.lcut(text) if p.flag.startswith("n")]
    return mb(sample) / (time.perf_counter() - started)


def ours(texts: list[str], n_jobs: int) -> float:
    """Tokenize + filter + count every text (no deduplication, no cache) on n_jobs
    worker processes; worker start-up and dictionary loading are inside the timing."""
    tokenizer = Tokenizer()
    started = time.perf_counter()
    count_matrix(texts, tokenizer, n_jobs=n_jobs, progress=False)
    return mb(texts) / (time.perf_counter() - started)


def run_cli(env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "keywords"], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def cold_warm() -> None:
    texts = article_texts(load_articles())
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "ANALYSIS_CACHE_DIR": folder}
        cold, warm = run_cli(env), run_cli(env)
        os.environ["ANALYSIS_CACHE_DIR"] = folder
        tokenizer = Tokenizer()
        started = time.perf_counter()
        tokenize_many(texts, tokenizer, use_cache=True)
        step_warm = time.perf_counter() - started
        started = time.perf_counter()
        tokenize_many(texts, Tokenizer(), use_cache=False)
        step_cold = time.perf_counter() - started
    print("(c) seed pipeline, fresh processes")
    print(f"    python -m analysis keywords: cold {cold:.2f} s, warm {warm:.2f} s")
    print(f"    tokenization step: cold {step_cold:.3f} s, warm {step_warm:.3f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size to replicate to")
    args = parser.parse_args(argv)
    jieba.setLogLevel(jieba.logging.WARNING)
    print(f"(a) tokenize + filter, {default_jobs()} CPU(s), backend {Tokenizer().config.backend}")
    corpora = {"seed": article_texts(load_articles())}
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is not None:
        corpora["thucnews"] = load_articles(root / "cnews_sample_1000.tsv")["text"].tolist()
    for name, texts in corpora.items():
        big = replicate(texts, args.mb)
        baseline = posseg_baseline(texts)
        one, every = ours(big, 1), ours(big, default_jobs())
        print(
            f"    {name:<9} {mb(big):6.1f} MB  jieba.posseg {baseline:5.2f} MB/s  "
            f"ours 1 process {one:5.2f} MB/s, {default_jobs()} processes {every:5.2f} MB/s  "
            f"ratio {every / baseline:6.1f}x"
        )
    cold_warm()
    return 0


if __name__ == "__main__":
    sys.exit(main())
