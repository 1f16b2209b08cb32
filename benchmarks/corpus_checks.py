"""What a researcher looks at first, on a corpus of their own: the boilerplate left out,
the words joined, the corpus keywords, and the people, places and organisations (issue 18).

Run: .venv/bin/python -m benchmarks.corpus_checks TABLE [TABLE ...] [--convert t2s]
     [--expect-person NAME] [--top 30]

For each table (CSV, TSV or JSONL with a text column), in one process, with the token cache
off: the time to read and count it; the boilerplate found (kind, text, articles); how
many words are joined, and the first of them; the top corpus keywords as the report ranks
them (summed TF-IDF, terms in 95% of the articles left out, which are named); the time of
the entity step and the top people, places and organisations with their counts. With
``--expect-person``, whether that name (the corpus's most-named person, counted by hand)
is among the top five people. Baseline in the same run: the corpus keywords with the
boilerplate kept and no words joined (``--keep-boilerplate --no-join``), so the
difference is what the evidence-based cleaning changed.

The corpora stay outside the repository (the ones used for issue 18 were built from
public GitHub archives of 新闻联播 transcripts and of 眾新聞 articles; see its closing
note).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings


def check(path: str, *, convert: str | None, top: int, expect: str | None) -> None:
    from analysis.methods.entities import KINDS, entity_terms
    from analysis.output.report import Report, ReportOptions

    started = time.perf_counter()
    report = Report(ReportOptions(paths=[path], convert=convert))
    report.corpus.terms  # noqa: B018 - read and counted here, timed
    chars = int(report.articles["n_chars"].sum())
    print(f"\n== {path}: {report.n:,} articles, {chars:,} characters")
    print(f"read and counted in {time.perf_counter() - started:.1f} s")
    plate = report.boilerplate
    print(f"boilerplate: {len(plate)} string(s)")
    for row in plate.head(10).itertuples(index=False):
        print(f"    {row.kind:<8} {row.documents:>7,} articles  {row.text[:70]}")
    joined = report.corpus.joined
    print(f"joined words: {len(joined)}; first: {' '.join(joined[:15])}")
    keywords = report.corpus_keywords.head(top)
    print(f"top {top} corpus keywords: {' '.join(keywords['term'])}")
    print(f"left out as in 95% of the articles: {keywords.attrs.get('left_out')}")
    baseline = Report(
        ReportOptions(paths=[path], convert=convert, keep_boilerplate=True, join_terms=False)
    )
    before = baseline.corpus_keywords.head(top)["term"].tolist()
    print(f"baseline (boilerplate kept, nothing joined): {' '.join(before)}")
    started = time.perf_counter()
    entities = entity_terms(report.corpus)
    print(f"entities in {time.perf_counter() - started:.1f} s")
    for kind in KINDS:
        rows = entities[entities["kind"] == kind].head(top)
        pairs = zip(rows["term"], rows["n"], strict=True)
        print(f"{kind}: " + " ".join(f"{t}({n})" for t, n in pairs))
    if expect:
        people = entities.loc[entities["kind"] == "person", "term"].head(5).tolist()
        print(f"most-named person {expect} among the top 5 people: {expect in people}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", nargs="+", help="corpora (tables) to check")
    parser.add_argument("--convert", choices=["t2s"], help="convert Traditional to Simplified")
    parser.add_argument("--top", type=int, default=30, help="rows of each list (default 30)")
    parser.add_argument("--expect-person", help="the most-named person, counted by hand")
    args = parser.parse_args()
    os.environ["ANALYSIS_NO_CACHE"] = "1"
    warnings.simplefilter("ignore")  # the summaries below say what matters
    for path in args.tables:
        check(path, convert=args.convert, top=args.top, expect=args.expect_person)


if __name__ == "__main__":
    main()
