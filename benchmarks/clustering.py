"""Document clustering NMI/ARI on labelled corpora: THUCNews-1k (full articles, 10 labels),
Sogou-mini (full articles, 5 labels) and THUCNews headlines (a fixed random sample of
2,000 of the 10,000 test titles, 10 labels).

Run: .venv/bin/python -m benchmarks.clustering [corpus ...]
With no argument the three corpora above are run. ``tnews_fewclue`` (Toutiao headlines,
15 labels) can be named too; it is kept out of the default set on purpose, as material
the clustering is not tuned on: check it after a change, do not tune on it.

Baseline, as measured in ../shared/corpora/thucnews_cnews_1k/SOURCE.md: jieba.lcut
tokens, TfidfVectorizer(min_df=2, sublinear_tf=True), KMeans(k = true k, n_init=10).
Ours: analysis.methods.themes.cluster_documents (filtered tokens, blended IDF with
1 + log tf, LSA 50, KMeans) with k given and with k chosen automatically. Every figure is
the mean over random states 0..4, all in the same run on the same texts; "seconds" is
the total for the five. For k chosen automatically a second line gives the NMI of each
random state, and "edge" counts the runs whose k is the first or last of the range
tried (the ClusterResult's note).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import warnings
from functools import lru_cache

import jieba
import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from analysis.methods.keywords import article_texts
from analysis.methods.themes import WeakClusteringWarning, cluster_documents
from analysis.reading.corpus import load_articles
from analysis.text.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip

SEEDS = range(5)
#: Headlines drawn from a title corpus (a fixed sample, so every run sees the same ones).
TITLE_SAMPLE = 2000
DEFAULT = ("thucnews_cnews_1k", "sogou_mini_5cat", "thucnews_titles_10k")
HELD_OUT = ("tnews_fewclue",)


def load(name: str, root) -> tuple[list[str], list[str]]:
    """(texts, labels) of a corpus folder."""
    if name == "thucnews_cnews_1k":
        df = load_articles(root / "cnews_sample_1000.tsv")
    elif name == "sogou_mini_5cat":
        df = load_articles(root / "sogou_mini_test.csv")
    elif name == "thucnews_titles_10k":
        lines = (root / "test.txt").read_text(encoding="utf-8").splitlines()
        rows = [line.rsplit("\t", 1) for line in lines if line.strip()]
        picked = np.random.default_rng(0).choice(len(rows), TITLE_SAMPLE, replace=False)
        return [rows[i][0] for i in sorted(picked)], [rows[i][1] for i in sorted(picked)]
    elif name == "tnews_fewclue":
        lines = (root / "test_public.json").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        return [r["sentence"] for r in rows], [str(r["label"]) for r in rows]
    else:
        raise SystemExit(f"unknown corpus {name!r}; one of {', '.join(DEFAULT + HELD_OUT)}")
    return article_texts(df), df["label"].astype(str).tolist()


def baseline(texts: list[str], k: int, seed: int, cut) -> np.ndarray:
    vectorizer = TfidfVectorizer(analyzer=cut, min_df=2, sublinear_tf=True)
    X = vectorizer.fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def main(names: list[str]) -> int:
    # the token cache (a temporary folder) tokenizes each text once across the runs
    os.environ["ANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="analysis-bench-")
    tokenizer = Tokenizer()
    plain = jieba.Tokenizer()
    cut = lru_cache(maxsize=None)(plain.lcut)
    print(f"{'corpus':<21}{'method':<17}{'k':>15}{'NMI':>7}{'ARI':>7}{'seconds':>9}{'edge':>6}")
    for name in names or DEFAULT:
        root = corpus_or_skip(name)
        if root is None:
            continue
        texts, truth = load(name, root)
        true_k = len(set(truth))
        runs = {
            "baseline k=true": lambda s, tk=true_k, t=texts: (tk, baseline(t, tk, s, cut), ""),
            "ours k=true": lambda s, tk=true_k, t=texts: _ours(t, tk, s, tokenizer),
            "ours k=auto": lambda s, t=texts: _ours(t, None, s, tokenizer),
        }
        for method, run in runs.items():
            started = time.perf_counter()
            results = [run(seed) for seed in SEEDS]
            seconds = time.perf_counter() - started
            ks = [k for k, _, _ in results]
            nmis = [normalized_mutual_info_score(truth, lab) for _, lab, _ in results]
            ari = np.mean([adjusted_rand_score(truth, lab) for _, lab, _ in results])
            edges = sum(bool(note) for _, _, note in results)
            k_text = str(ks[0]) if len(set(ks)) == 1 else "/".join(map(str, ks))
            print(
                f"{name:<21}{method:<17}{k_text:>15}{np.mean(nmis):>7.3f}{ari:>7.3f}"
                f"{seconds:>9.1f}{edges:>6}"
            )
            if method == "ours k=auto":
                print(f"{'':<21}{'  NMI per seed':<17}{' '.join(f'{v:.3f}' for v in nmis)}")
    return 0


def _ours(texts, k, seed, tokenizer):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        result = cluster_documents(texts, k=k, tokenizer=tokenizer, random_state=seed)
    return result.k, result.labels, result.note


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
