"""Word segmentation P/R/F1 on SIGHAN 2005 (PKU, MSR): our tokenizer against plain jieba.

Run: .venv/bin/python benchmarks/segmentation.py
Scoring follows ../shared/corpora/sighan2005_cws/SOURCE.md: words are compared as
character spans over the whole file's character stream (so the 16 MSR lines whose line
breaks differ between raw and gold files do not matter). Whitespace is not a character
of the stream. Baseline: jieba.lcut with jieba's own dictionary, HMM on.
"""

from __future__ import annotations

import sys
import time

import jieba

from analysis.text.tokenize import Tokenizer
from benchmarks._common import corpus_or_skip


def spans(words) -> set[tuple[int, int]]:
    out, position = set(), 0
    for word in words:
        out.add((position, position + len(word)))
        position += len(word)
    return out


def gold_words(path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [w for line in handle for w in line.split()]


def predicted_words(path, cut) -> list[str]:
    words = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            for token in cut(line.strip()):
                words += token.split()  # tokens never carry whitespace into the stream
    return words


def score(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    assert "".join(gold) == "".join(predicted), "character streams differ"
    g, p = spans(gold), spans(predicted)
    hit = len(g & p)
    precision, recall = hit / len(p), hit / len(g)
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> int:
    root = corpus_or_skip("sighan2005_cws")
    if root is None:
        return 0
    plain = jieba.Tokenizer()
    ours = Tokenizer()
    methods = {"jieba": plain.lcut, "analysis": ours.cut}
    print(f"{'corpus':<6}{'method':<10}{'P':>8}{'R':>8}{'F1':>8}{'seconds':>9}")
    for corpus in ("pku", "msr"):
        gold = gold_words(root / f"{corpus}_test_gold.utf8")
        f1 = {}
        for name, cut in methods.items():
            started = time.perf_counter()
            predicted = predicted_words(root / f"{corpus}_test.utf8", cut)
            seconds = time.perf_counter() - started
            p, r, f1[name] = score(gold, predicted)
            print(f"{corpus:<6}{name:<10}{p:>8.3f}{r:>8.3f}{f1[name]:>8.3f}{seconds:>9.1f}")
        print(f"{corpus:<6}F1 analysis - jieba = {f1['analysis'] - f1['jieba']:+.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
