"""Keyword extraction F1@5 on CSL (Chinese scientific abstracts with author keywords).

Run: .venv/bin/python -m benchmarks.keywords_csl [--split test|dev]
Gold: ../shared/corpora/csl_keywords/csl_kg_<split>.tsv (author keywords). Matching is
exact string equality, micro-averaged over all papers: P = hits / predicted,
R = hits / gold keywords. Tune on dev, report on test.

Methods, all on the same texts in the same run:
- jieba.extract_tags (baseline; SOURCE.md measured F1@5 0.149 on test) and jieba.textrank;
- analysis: analysis.methods.keywords.top_terms with the default tokenizer; the paper title (the
  text after the last space) is the headline, weighted 2;
- analysis+terms: the same, after analysis.text.terms.discover_terms on the split's own texts
  (unsupervised; min_freq 2) added the proposed terms to the dictionary.
"""

from __future__ import annotations

import argparse
import sys
import time

import jieba
import jieba.analyse
import pandas as pd

from analysis.methods.keywords import top_terms
from analysis.text.terms import apply_terms, discover_terms
from analysis.text.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip

K = 5


def read_split(path) -> tuple[pd.DataFrame, list[str], list[list[str]]]:
    texts, gold = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            _, text, keywords = line.rstrip("\n").split("\t")
            texts.append(text)
            gold.append(keywords.split("_"))
    abstracts = [t.rsplit(" ", 1)[0] for t in texts]
    titles = [t.rsplit(" ", 1)[1] if " " in t else "" for t in texts]
    frame = pd.DataFrame(
        {
            "id": [str(i) for i in range(len(texts))],
            "title": titles,
            "kicker": None,
            "subtitle": None,
            "text": abstracts,
        }
    )
    return frame, texts, gold


def prf(predicted: list[list[str]], gold: list[list[str]]) -> tuple[float, float, float]:
    hits = sum(len(set(p) & set(g)) for p, g in zip(predicted, gold, strict=True))
    precision = hits / sum(len(p) for p in predicted)
    recall = hits / sum(len(g) for g in gold)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def ours(frame: pd.DataFrame, tokenizer: Tokenizer) -> list[list[str]]:
    table = top_terms(frame, k=K, tokenizer=tokenizer, headline_weight=2)
    by_id = table.groupby("id")["term"].apply(list).to_dict()
    return [by_id.get(i, []) for i in frame["id"]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    args = parser.parse_args(argv)
    root = corpus_or_skip("csl_keywords")
    if root is None:
        return 0
    frame, texts, gold = read_split(root / f"csl_kg_{args.split}.tsv")
    jieba.setLogLevel(jieba.logging.WARNING)
    tokenizer = Tokenizer()

    def with_terms() -> list[list[str]]:
        table = discover_terms(texts, tokenizer, min_freq=2)
        return ours(frame, apply_terms(tokenizer, table))

    methods = {
        "extract_tags": lambda: [jieba.analyse.extract_tags(t, topK=K) for t in texts],
        "textrank": lambda: [jieba.analyse.textrank(t, topK=K) for t in texts],
        "analysis": lambda: ours(frame, tokenizer),
        "analysis+terms": with_terms,
    }
    print(f"CSL {args.split}: {len(texts)} papers, {sum(map(len, gold))} gold keywords, top {K}")
    print(f"{'method':<16}{'P':>7}{'R':>7}{'F1':>7}{'seconds':>9}")
    f1s = {}
    for name, method in methods.items():
        started = time.perf_counter()
        predicted = method()
        seconds = time.perf_counter() - started
        p, r, f1s[name] = prf(predicted, gold)
        print(f"{name:<16}{p:>7.3f}{r:>7.3f}{f1s[name]:>7.3f}{seconds:>9.1f}")
    for name in ("analysis", "analysis+terms"):
        print(f"F1 {name} / extract_tags = {f1s[name] / f1s['extract_tags']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
