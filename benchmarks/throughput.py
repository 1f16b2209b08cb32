"""Tokenize + filter throughput, and cold against warm (cached) tokenization.

Run: .venv/bin/python -m benchmarks.throughput [--mb 20]
(a) MB/s of load + tokenize + filter on THUCNews-1k replicated to about --mb MB, and on
    the seed page replicated to the same size. Baseline: jieba.posseg (what a POS filter
    over jieba needs), timed on the first 2 MB of the same texts because it runs at
    about 0.1 MB/s, after a warm-up that loads its dictionary. Ours: Tokenizer().tokens
    (default backend) through count_matrix (tokenize, filter and count in worker processes
    on all CPUs; every replica is processed, nothing is deduplicated or cached), with the
    dictionaries loaded before the clock starts, as for the baseline. The two alternate
    in 3 rounds (a third of the baseline sample, then all of ours); the ratio is of the
    totals. Also: ours on 1 process, ours with dictionary loading inside the timing, and
    the ceiling, rjieba's cut alone on the same number of processes.
    Throughput is per MB of UTF-8 input.
(b) End to end, as a user runs it: `python -m analysis keywords FILE.jsonl --no-cache`
    in a fresh process (imports, reading and decoding the JSONL, splitting, tokenizing,
    TF-IDF, ranking, printing) on THUCNews-1k written --e2e-copies times to one JSONL
    file (10 copies: about 29 MB). Every copy is tokenized again (nothing is
    deduplicated). Baseline in the same run: the script a user would write with
    jieba.posseg (pandas.read_json, a noun/verb/adjective filter, scikit-learn's
    TfidfVectorizer, the top 10 terms of each article), timed end to end on one copy
    (2.9 MB) in a fresh process and projected per MB.
(c) The seed pipeline's tokenization, cold (empty cache) and warm (cached), in fresh
    processes: `python -m analysis keywords`, and the tokenization step alone (a cold
    step includes loading the dictionaries; a warm one does not need them).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

import jieba
import jieba.posseg

from analysis.methods.keywords import article_texts
from analysis.reading.corpus import load_articles
from analysis.scale import count_matrix, default_jobs
from analysis.text.backends import _dictionary_tags
from analysis.text.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip

BASELINE_MB = 2.0
ROUNDS = 3


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


def posseg_rounds(texts: list[str], rounds: int) -> tuple[object, list[list[str]]]:
    """A warmed-up jieba.posseg tokenizer and ``rounds`` consecutive samples that make up
    the first BASELINE_MB of the texts."""
    sample = replicate(texts, BASELINE_MB)
    size = len(sample) // rounds + 1
    tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.lcut("预热")
    return tokenizer, [sample[i : i + size] for i in range(0, len(sample), size)]


def posseg_seconds(tokenizer, sample: list[str]) -> float:
    started = time.perf_counter()
    for text in sample:
        [(p.word, p.flag) for p in tokenizer.lcut(text) if p.flag.startswith("n")]
    return time.perf_counter() - started


def ours(texts: list[str], n_jobs: int, *, warm: bool) -> float:
    """Seconds to tokenize + filter + count every text (no deduplication, no cache) on
    n_jobs worker processes, worker start-up included. ``warm``: the tokenizer has loaded
    its dictionaries before the clock starts, as the baseline has; otherwise loading them
    (rjieba's dictionary, jieba's tag table, the domain words) is inside the timing."""
    if not warm:
        _dictionary_tags.cache_clear()
    tokenizer = Tokenizer()
    if warm:
        tokenizer.tokens("预热")
    started = time.perf_counter()
    count_matrix(texts, tokenizer, n_jobs=n_jobs, progress=False)
    return time.perf_counter() - started


_segmenter = None


def _cut_all(texts: list[str]) -> int:
    return sum(len(_segmenter.cut(t)) for t in texts)


def cut_ceiling(texts: list[str], n_jobs: int) -> float:
    """rjieba's cut alone (no filter, no counting) on n_jobs forked processes that
    inherit a loaded dictionary: the most any filter over it can reach."""
    global _segmenter
    tokenizer = Tokenizer()
    _segmenter = tokenizer.backend
    size = len(texts) // n_jobs + 1
    parts = [texts[i : i + size] for i in range(0, len(texts), size)]
    with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
        pool.map(_cut_all, [["预热"]] * n_jobs)
        started = time.perf_counter()
        pool.map(_cut_all, parts, chunksize=1)
        return mb(texts) / (time.perf_counter() - started)


def run_cli(env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "keywords"], env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


# the tokenization step alone, in a fresh process: everything after the imports and the
# loading of the articles (a cold run also loads the dictionaries; a warm one needs none)
STEP = """
import time
from analysis.reading.corpus import load_articles
from analysis.methods.keywords import article_texts
from analysis.scale import tokenize_many
from analysis.text.tokenize import Tokenizer
texts = article_texts(load_articles())
started = time.perf_counter()
tokenize_many(texts, Tokenizer(), use_cache=True)
print(time.perf_counter() - started)
"""


def run_step(env: dict) -> float:
    done = subprocess.run(
        [sys.executable, "-c", STEP], env=env, check=True, capture_output=True, text=True
    )
    return float(done.stdout)


def cold_warm() -> None:
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as other:
        env = {**os.environ, "ANALYSIS_CACHE_DIR": folder}
        cold, warm = run_cli(env), run_cli(env)
        env = {**os.environ, "ANALYSIS_CACHE_DIR": other}
        step_cold, step_warm = run_step(env), run_step(env)
    print("(c) seed pipeline, fresh processes, empty cache then filled cache")
    print(f"    python -m analysis keywords: cold {cold:.2f} s, warm {warm:.2f} s")
    print(f"    tokenization step: cold {step_cold:.3f} s, warm {step_warm:.3f} s")


# the script a user would write without this package (baseline of (b))
POSSEG_SCRIPT = """
import sys, jieba, jieba.posseg, numpy as np, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
jieba.setLogLevel(60)
frame = pd.read_json(sys.argv[1], lines=True)
keep = ("n", "v", "a")
docs = [[p.word for p in jieba.posseg.cut(t) if p.flag.startswith(keep) and len(p.word) > 1]
        for t in frame["text"]]
vectorizer = TfidfVectorizer(analyzer=lambda words: words)
matrix = vectorizer.fit_transform(docs)
terms = vectorizer.get_feature_names_out()
for row in range(matrix.shape[0]):
    scores = matrix.getrow(row).toarray().ravel()
    print(" ".join(terms[np.argsort(-scores)[:10]]))
"""


def end_to_end(copies: int) -> None:
    import json

    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        return
    frame = load_articles(root / "cnews_sample_1000.tsv")
    rows = [
        json.dumps({"label": label, "text": text}, ensure_ascii=False)
        for label, text in zip(frame["label"], frame["text"], strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder:
        one, many = os.path.join(folder, "one.jsonl"), os.path.join(folder, "many.jsonl")
        with open(one, "w", encoding="utf-8") as handle:
            handle.write("\n".join(rows) + "\n")
        with open(many, "w", encoding="utf-8") as handle:
            handle.write("\n".join(rows * copies) + "\n")
        size_one, size_many = os.path.getsize(one) / 1e6, os.path.getsize(many) / 1e6
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", POSSEG_SCRIPT, one], check=True, capture_output=True)
        base = size_one / (time.perf_counter() - started)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "keywords", many, "--no-cache"],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    assert done.stdout.count("\n") >= 2 * len(rows) * copies  # title line + keywords line
    ours_rate = size_many / seconds
    print("(b) end to end: python -m analysis keywords FILE.jsonl --no-cache, fresh processes")
    print(
        f"    {size_many:.1f} MB ({copies} copies of THUCNews-1k): {seconds:.1f} s, "
        f"{ours_rate:.2f} MB/s; jieba.posseg + TfidfVectorizer script on {size_one:.1f} MB: "
        f"{base:.3f} MB/s; ratio {ours_rate / base:.0f}x"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size to replicate to")
    parser.add_argument(
        "--e2e-copies", type=int, default=10, help="copies of THUCNews-1k for (b) (0: skip)"
    )
    parser.add_argument("--only-e2e", action="store_true", help="run (b) only")
    args = parser.parse_args(argv)
    if args.only_e2e:
        end_to_end(args.e2e_copies)
        return 0
    jieba.setLogLevel(jieba.logging.WARNING)
    jobs = default_jobs()
    print(f"(a) tokenize + filter, {jobs} CPU(s), backend {Tokenizer().config.backend}, MB/s")
    corpora = {"seed": article_texts(load_articles())}
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is not None:
        corpora["thucnews"] = load_articles(root / "cnews_sample_1000.tsv")["text"].tolist()
    for name, texts in corpora.items():
        big = replicate(texts, args.mb)
        size = mb(big)
        # baseline and ours alternate, so that a machine that slows down or speeds up
        # during the run affects both alike
        posseg, samples = posseg_rounds(texts, ROUNDS)
        base_mb = base_s = ours_s = 0.0
        ratios = []
        for sample in samples:
            seconds, own = posseg_seconds(posseg, sample), ours(big, jobs, warm=True)
            base_mb, base_s, ours_s = base_mb + mb(sample), base_s + seconds, ours_s + own
            ratios.append((size / own) / (mb(sample) / seconds))
        baseline, warm = base_mb / base_s, size * len(samples) / ours_s
        one = size / ours(big, 1, warm=True)
        cold = size / ours(big, jobs, warm=False)
        ceiling = cut_ceiling(big, jobs)
        print(
            f"    {name:<9} {size:5.1f} MB  jieba.posseg {baseline:4.2f}  "
            f"ours: 1 process {one:5.2f}, {jobs} processes {warm:5.2f} "
            f"({cold:5.2f} with dictionary loading)  "
            f"ratio {warm / baseline:5.1f}x (rounds {min(ratios):.0f}-{max(ratios):.0f}x)  "
            f"rjieba cut alone, {jobs} processes {ceiling:5.2f}"
        )
    if args.e2e_copies:
        end_to_end(args.e2e_copies)
    cold_warm()
    return 0


if __name__ == "__main__":
    sys.exit(main())
