"""Where tokenize + filter spends its time, per MB of THUCNews-1k, in one process.

Run: .venv/bin/python -m benchmarks.filter_costs [--rounds 5]
Each variant cuts the text with rjieba and then does more: a bare pass over the words
(map(len)), the lookup of each word's remembered verdict, the whole filter
(Tokenizer.tokens), and the filter plus counting. The tokenizer has seen the corpus once,
so every verdict is remembered. The variants are interleaved 50 documents at a time, so
that a machine that slows down or speeds up during the run affects all of them alike.
Baseline: the cut alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from analysis.reading.corpus import load_articles
from analysis.text.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the corpus")
    args = parser.parse_args(argv)
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        return 0
    texts = load_articles(root / "cnews_sample_1000.tsv")["text"].tolist()
    tokenizer = Tokenizer()
    for text in texts:
        tokenizer.tokens(text)  # remember every verdict
    cut, verdicts, hmm = tokenizer.backend.cut, tokenizer._verdicts, tokenizer.config.hmm
    variants = {
        "cut alone": lambda text: cut(text, hmm),
        "+ a pass over the words": lambda text: bytes(map(len, cut(text, hmm))),
        "+ verdict lookups": lambda text: bytes(map(verdicts.__getitem__, cut(text, hmm))),
        "+ the whole filter": tokenizer.tokens,
        "+ filter and counting": lambda text: Counter(tokenizer.tokens(text)),
    }
    seconds = dict.fromkeys(variants, 0.0)
    blocks = [texts[i : i + 50] for i in range(0, len(texts), 50)]
    for round_ in range(args.rounds):
        for i, block in enumerate(blocks):
            order = list(variants.items())
            for name, run in order if (round_ + i) % 2 else order[::-1]:
                started = time.perf_counter()
                for text in block:
                    run(text)
                seconds[name] += time.perf_counter() - started
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6 * args.rounds
    words = sum(len(cut(t, hmm)) for t in texts) / (megabytes / args.rounds)
    print(f"THUCNews-1k, {words:,.0f} words per MB, {len(verdicts):,} remembered verdicts")
    for name, total in seconds.items():
        print(f"    {name:<26} {total * 1000 / megabytes:6.1f} ms per MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
