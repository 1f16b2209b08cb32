"""Clusters, themes and the whole report on THUCNews-1k, end to end from the command line.

Run: .venv/bin/python -m benchmarks.report_speed [--no-notebooks] [--repeat N]

``--repeat N`` runs only the report, N times in a row into the same folder, and counts
the runs that succeed: the notebooks start while the charts are drawn, and before the
imports they share were made in one thread, about one run in five ended with
"partially initialized module 'IPython'".

Each command is a fresh `python -m analysis ... --no-cache` process (so tokenizing is
included), timed wall-clock, with the peak memory of the process and its children (PSS,
benchmarks._common.MemorySampler). Baseline, in the same run: the script a user would
write with the same libraries (jieba.lcut, scikit-learn's TfidfVectorizer, KMeans with
k = 10, NMF with k = 10), which fixes k instead of choosing it and has no stopwords,
dictionary or part-of-speech filter.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import MemorySampler, corpus_or_skip

MIB = 1024 * 1024

BASELINE = """
import sys, jieba, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
df = pd.read_csv(sys.argv[1], sep="\\t", header=None, names=["label", "text"])
tfidf = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
X = tfidf.fit_transform(df["text"])
if sys.argv[2] == "clusters":
    KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(X)
else:
    NMF(n_components=10, init="nndsvda", random_state=0, max_iter=1000).fit_transform(X)
"""


def timed(command: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    with MemorySampler() as memory:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise SystemExit(f"failed: {' '.join(command)}: {tail}")
    return time.perf_counter() - started, memory.peak_pss / MIB


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-notebooks", action="store_true", help="report without notebooks")
    parser.add_argument("--repeat", type=int, default=0, metavar="N", help="the report N times")
    args = parser.parse_args(argv)
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        return 0
    path = str(root / "cnews_sample_1000.tsv")
    cli = [sys.executable, "-m", "analysis", "--no-cache"]
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "report")
        if args.repeat:
            report = [*cli, "report", path, "--group-by", "label", "--out", out]
            return repeated(report, args.repeat)
        runs = [
            ("clusters (k chosen)", [*cli, "clusters", path]),
            (
                "baseline: jieba + TfidfVectorizer + KMeans k=10",
                [sys.executable, "-c", BASELINE, path, "clusters"],
            ),
            ("themes (k chosen)", [*cli, "themes", path]),
            (
                "baseline: jieba + TfidfVectorizer + NMF k=10",
                [sys.executable, "-c", BASELINE, path, "themes"],
            ),
            (
                "report --group-by label" + (" --no-notebooks" if args.no_notebooks else ""),
                [*cli, "report", path, "--group-by", "label", "--out", out]
                + (["--no-notebooks"] if args.no_notebooks else []),
            ),
        ]
        print(f"THUCNews-1k ({path}), every run a fresh process, tokens not cached")
        print(f"{'command':55} {'seconds':>8} {'peak MB':>8}")
        for name, command in runs:
            seconds, peak = timed(command)
            print(f"{name:55} {seconds:8.1f} {peak:8.0f}", flush=True)
    return 0


def repeated(command: list[str], times: int) -> int:
    """Run ``command`` ``times`` times; print each run and how many succeeded."""
    failures = 0
    for number in range(1, times + 1):
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - started
        last = (done.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
        failures += done.returncode != 0
        status = "ok" if done.returncode == 0 else f"FAILED ({done.returncode}): {last}"
        print(f"run {number:2}: {seconds:6.1f} s  {status}", flush=True)
    print(f"{times - failures} of {times} runs succeeded")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
