"""Topic models on THUCNews-1k: LDA beside NMF in one run, and a planted trend.

Run: .venv/bin/python -m benchmarks.topics [--seeds 0 1 2] [--scale-table PATH]

1. LDA (tomotopy) and NMF (scikit-learn), k chosen by NPMI among 6, 8 … 16: the chosen k,
   the mean NPMI of its topics, the NMI of each article's main topic against the ten
   THUCNews labels, and the seconds (fit and choice of k).
2. A planted trend: the articles get one of 10 periods, uniformly at random, except the
   sports articles (体育), of which period p holds a share proportional to p + 1, so their
   share of the articles rises over time. The sports topics (those whose mean share in
   sports articles is more than twice that in the others: a model may split sports into
   football and basketball) are followed over the periods, their shares added
   (analysis.methods.topics.topic_prevalence); Spearman's rho between period and share,
   beside the rho of the planted sports share itself.
3. With ``--scale-table PATH`` (a table written by ``python -m benchmarks.synthetic_news
   PATH --mb 1000``), instead: the ``topics`` command on it (LDA and NMF, k chosen), each
   a fresh process, against ``keywords`` on the same table, with their peak memory.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.metrics import normalized_mutual_info_score

from analysis.methods.topics import fit_topics, topic_prevalence
from analysis.reading.corpus import load_articles
from analysis.representations.analysed import AnalysedCorpus
from benchmarks._common import corpus_or_skip


def planted_periods(labels: np.ndarray, seed: int) -> np.ndarray:
    """A period (0-9) for each article: uniform at random, except the sports articles,
    of which period p gets a share proportional to p + 1 (2 % of them in period 0, 18 %
    in period 9), placed at random within those counts."""
    rng = np.random.default_rng(seed)
    periods = rng.integers(0, 10, len(labels))
    sports = np.flatnonzero(labels == "体育")
    weights = np.arange(1, 11) / np.arange(1, 11).sum()
    counts = np.floor(weights * len(sports)).astype(int)
    counts[-1] += len(sports) - counts.sum()
    periods[rng.permutation(sports)] = np.repeat(np.arange(10), counts)
    return periods


def scale(table: Path) -> int:
    """Part 3: ``topics`` on a large table, each run a fresh process, against ``keywords``
    on the same table (the baseline: reading, tokenizing and counting, which topics
    needs too)."""
    from benchmarks.large_inputs import run

    print(f"{table} ({table.stat().st_size / 1e6:.0f} MB), each a fresh process")
    for name, command in (
        ("keywords (baseline)", ["keywords", str(table), "--json"]),
        ("topics --model lda", ["topics", str(table), "--json"]),
        ("topics --model nmf", ["topics", str(table), "--model", "nmf", "--json"]),
    ):
        seconds, peak = run(*command)
        print(f"  {name:22} {seconds:7.1f} s  {peak:7.0f} MB peak")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--scale-table", type=Path, help="a table of benchmarks.synthetic_news")
    args = parser.parse_args(argv)
    if args.scale_table:
        return scale(args.scale_table)
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        print("skipped: ../shared/corpora/thucnews_cnews_1k is not present")
        return 0
    articles = load_articles(root / "cnews_sample_1000.tsv")
    labels = articles["label"].to_numpy()
    corpus = AnalysedCorpus(articles)
    corpus.terms  # noqa: B018 - tokenized once, outside the timings
    print("THUCNews-1k, k chosen among 6-16 by NPMI")
    for seed in args.seeds:
        for model in ("lda", "nmf"):
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = fit_topics(corpus, model=model, random_state=seed)
            seconds = time.perf_counter() - started
            nmi = normalized_mutual_info_score(labels, found.doc_topics.argmax(axis=1))
            print(
                f"  seed {seed} {model}: k {found.k:2d}  NPMI {found.coherence:.3f}  "
                f"NMI {nmi:.3f}  {seconds:5.1f} s"
            )
        periods = planted_periods(labels, seed)
        planted = [np.mean(labels[periods == p] == "体育") for p in range(10)]
        ceiling = stats.spearmanr(np.arange(10), planted).statistic
        for model in ("lda", "nmf"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = fit_topics(corpus, model=model, random_state=seed)
            inside = found.doc_topics[labels == "体育"].mean(axis=0)
            outside = found.doc_topics[labels != "体育"].mean(axis=0)
            sports = np.flatnonzero(inside > 2 * outside) + 1
            trend = topic_prevalence(found, periods)
            trend = trend[trend["topic"].isin(sports)].groupby("group")["share"].sum()
            rho = stats.spearmanr(trend.index.astype(int), trend.to_numpy()).statistic
            terms = " / ".join(" ".join(found.terms[t - 1][:3]) for t in sports)
            print(
                f"  seed {seed} {model} planted trend: topics {sports.tolist()} ({terms}), "
                f"Spearman rho {rho:.3f} (the planted sports share itself: {ceiling:.3f})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
