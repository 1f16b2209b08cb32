"""Document clustering NMI/ARI on THUCNews-1k (10 labels) and Sogou-mini (5 labels).

Run: .venv/bin/python -m benchmarks.clustering
Baseline, as measured in ../shared/corpora/thucnews_cnews_1k/SOURCE.md: jieba.lcut
tokens, TfidfVectorizer(min_df=2, sublinear_tf=True), KMeans(k = true k, n_init=10).
Ours: analysis.methods.themes.cluster_documents (filtered tokens, blended IDF, LSA 50, KMeans)
with k given and with k chosen automatically. Every figure is the mean over random
states 0..4, all in the same run on the same texts.
"""

from __future__ import annotations

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
CORPORA = {
    "thucnews_cnews_1k": "cnews_sample_1000.tsv",
    "sogou_mini_5cat": "sogou_mini_test.csv",
}


def baseline(texts: list[str], k: int, seed: int, cut) -> np.ndarray:
    vectorizer = TfidfVectorizer(analyzer=cut, min_df=2, sublinear_tf=True)
    X = vectorizer.fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def main() -> int:
    # the token cache (a temporary folder) tokenizes each text once across the runs
    os.environ["ANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="analysis-bench-")
    tokenizer = Tokenizer()
    plain = jieba.Tokenizer()
    cut = lru_cache(maxsize=None)(plain.lcut)
    print(f"{'corpus':<19}{'method':<18}{'k':>6}{'NMI':>7}{'ARI':>7}{'seconds':>9}")
    for name, filename in CORPORA.items():
        root = corpus_or_skip(name)
        if root is None:
            continue
        df = load_articles(root / filename)
        texts, truth = article_texts(df), df["label"].tolist()
        true_k = len(set(truth))
        runs = {
            "baseline k=true": lambda s, tk=true_k, t=texts: (tk, baseline(t, tk, s, cut)),
            "ours k=true": lambda s, tk=true_k, t=texts: _ours(t, tk, s, tokenizer),
            "ours k=auto": lambda s, t=texts: _ours(t, None, s, tokenizer),
        }
        for method, run in runs.items():
            started = time.perf_counter()
            results = [run(seed) for seed in SEEDS]
            seconds = time.perf_counter() - started
            ks = [k for k, _ in results]
            nmi = np.mean([normalized_mutual_info_score(truth, lab) for _, lab in results])
            ari = np.mean([adjusted_rand_score(truth, lab) for _, lab in results])
            k_text = str(ks[0]) if len(set(ks)) == 1 else "/".join(map(str, ks))
            print(f"{name:<19}{method:<18}{k_text:>6}{nmi:>7.3f}{ari:>7.3f}{seconds:>9.1f}")
    return 0


def _ours(texts, k, seed, tokenizer):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeakClusteringWarning)
        result = cluster_documents(texts, k=k, tokenizer=tokenizer, random_state=seed)
    return result.k, result.labels


if __name__ == "__main__":
    sys.exit(main())
