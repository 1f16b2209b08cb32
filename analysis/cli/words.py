"""The word-level commands: ``keywords``, ``keyness``, ``kwic``, ``terms``, ``tokens`` and
``entities``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis.cli.common import (
    _add_command,
    _add_input_options,
    _add_output_options,
    _add_terms_option,
    _add_tokenizer_options,
    _chosen_terms,
    _inputs,
    _int_at_least,
    _is_missing,
    _load,
    _non_negative,
    _output,
    _output_parts,
    _records,
    _text,
    _tokenizer,
)
from analysis.errors import InputError, OptionError

__all__ = [
    "add_parsers",
    "cmd_entities",
    "cmd_keyness",
    "cmd_keywords",
    "cmd_kwic",
    "cmd_terms",
    "cmd_tokens",
]


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``keywords``, ``keyness``, ``kwic``, ``terms``, ``tokens`` and ``entities`` to
    ``sub``, in that order."""
    _add_keywords(sub, common)
    _add_keyness(sub, common)
    _add_kwic(sub, common)
    _add_terms(sub, common)
    _add_tokens(sub, common)
    _add_entities(sub, common)


def _add_keywords(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    keywords = _add_command(
        sub,
        common,
        "keywords",
        help="top TF-IDF keywords per article",
        description=(
            "Top keywords per article: TF-IDF over filtered jieba tokens, with the corpus IDF "
            "blended with jieba's background IDF (see analysis.methods.keywords)."
        ),
    )
    _add_input_options(keywords)
    _add_tokenizer_options(keywords)
    keywords.add_argument(
        "--top", type=_int_at_least(1), default=10, metavar="N", help="keywords per article"
    )
    keywords.add_argument(
        "--n0",
        type=_non_negative,
        default=50.0,
        help="pseudo-count for the background IDF blend; 0 uses the corpus IDF only",
    )
    keywords.add_argument(
        "--apply-terms",
        action="store_true",
        help="discover recurring multi-token terms first and keep them whole",
    )
    keywords.add_argument(
        "--group-by",
        metavar="COLUMN",
        help="the key terms of each group (label, paper, column, kind, month …) instead",
    )
    _add_output_options(keywords)
    keywords.set_defaults(func=cmd_keywords)


def _add_keyness(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    keyness_p = _add_command(
        sub,
        common,
        "keyness",
        help="what sets an article or a group apart (G2, chi2, log ratio)",
        description=(
            "Keyness of each target article against all the other articles, or with "
            "--group-by of a group against the rest or against another group (--reference). "
            "Key terms (marked *): G2 >= 10.83 (p < 0.001) and log ratio >= 1."
        ),
    )
    _add_input_options(keyness_p)
    _add_tokenizer_options(keyness_p)
    keyness_p.add_argument(
        "--target",
        action="append",
        metavar="ID",
        help="article id, or with --group-by a group (repeatable; default: each article)",
    )
    keyness_p.add_argument(
        "--group-by", metavar="COLUMN", help="compare groups of this column (label, paper …)"
    )
    keyness_p.add_argument(
        "--reference", metavar="GROUP", help="with --group-by: the group to compare against"
    )
    keyness_p.add_argument(
        "--top", type=_int_at_least(1), default=15, metavar="N", help="terms per target"
    )
    _add_terms_option(keyness_p, "the keyness of these words only, whatever their rank")
    _add_output_options(keyness_p)
    keyness_p.set_defaults(func=cmd_keyness)


def _add_kwic(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    kwic_p = _add_command(
        sub,
        common,
        "kwic",
        help="keyword in context: every occurrence of a term across the corpus",
        description="Every occurrence of TERM in the articles' bodies, with its context.",
    )
    kwic_p.add_argument(
        "term",
        metavar="TERM",
        nargs="?",
        help="the word or phrase to find (leave it out when --terms names them)",
    )
    _add_input_options(kwic_p)
    _add_terms_option(kwic_p, "the words or phrases to find")
    kwic_p.add_argument(
        "--window", type=_int_at_least(1), default=15, help="characters of context (default 15)"
    )
    kwic_p.add_argument(
        "--sort",
        choices=["position", "left", "right"],
        default="position",
        help="order by position in the corpus (default), or by the left or right context",
    )
    _add_output_options(kwic_p)
    kwic_p.set_defaults(func=cmd_kwic)


def _add_terms(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    terms = _add_command(
        sub,
        common,
        "terms",
        help="discover recurring multi-token terms to add to the dictionary",
        description=(
            "Propose multi-token terms (frequency, cohesion, boundary entropy) for review. "
            "Use --no-domain-dict to see what the corpus alone suggests."
        ),
    )
    _add_input_options(terms)
    _add_tokenizer_options(terms)
    terms.add_argument("--min-freq", type=_int_at_least(1), default=3, help="minimum occurrences")
    terms.add_argument(
        "--max-tokens", type=_int_at_least(1), default=4, help="longest n-gram in tokens"
    )
    terms.add_argument("--all", action="store_true", help="show rejected candidates too")
    terms.add_argument(
        "--write-dict", type=Path, metavar="FILE", help="write the proposals as a user dictionary"
    )
    _add_output_options(terms)
    terms.set_defaults(func=cmd_terms)


def _add_tokens(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    tokens = _add_command(
        sub,
        common,
        "tokens",
        help="show each token's source (dictionary, HMM) and why it is kept or dropped",
        description="Tokenizer diagnostics for a text (--text) or for every article.",
    )
    _add_input_options(tokens)
    _add_tokenizer_options(tokens)
    tokens.add_argument("--text", help="analyse this text instead of the articles")
    _add_output_options(tokens)
    tokens.set_defaults(func=cmd_tokens)


def _with_discovered_terms(args: argparse.Namespace, tokenizer, df: pd.DataFrame):
    if not getattr(args, "apply_terms", False):
        return tokenizer
    from analysis.methods.keywords import article_texts
    from analysis.text.terms import apply_terms, discover_terms

    table = discover_terms(article_texts(df), tokenizer)
    print(f"applying {int(table['proposed'].sum())} discovered term(s)", file=sys.stderr)
    return apply_terms(tokenizer, table)


def cmd_keywords(args: argparse.Namespace) -> int:
    """Top TF-IDF keywords per article, or the key terms of each group."""
    # the keywords of each article need its words only: a compact table (0.9 GB instead
    # of about 2 GB for a million rows); groups and discovered terms read more of it
    df = _load(args, compact=not args.group_by and not getattr(args, "apply_terms", False))
    tokenizer = _with_discovered_terms(args, _tokenizer(args), df)
    if args.group_by:
        from analysis.methods.groups import group_keywords
        from analysis.representations.analysed import AnalysedCorpus

        corpus = AnalysedCorpus(df, tokenizer=tokenizer)
        table = group_keywords(corpus, args.group_by, k=args.top)

        def text() -> None:
            for group, rows in table.groupby("group", sort=False):
                print(f"{group}\n    {' '.join(rows['term'])}")

        _output(args, table, text=text)
        return 0
    from analysis.methods.keywords import PART_ARTICLES, top_term_parts

    # ranked and written a part of the articles at a time: a million articles' ten
    # million keyword rows are never one table, unless the format is one object
    parts = top_term_parts(df, k=args.top, tokenizer=tokenizer, n0=args.n0, part=PART_ARTICLES)
    starts = iter(range(0, len(df), PART_ARTICLES))

    def whole(table: pd.DataFrame) -> None:
        def payload() -> list[dict]:
            by_id: dict[str, list[tuple]] = {}  # one pass over the table, not one per article
            columns = (table[c].tolist() for c in ("id", "term", "score", "tf", "df"))
            for key, term, score, tf, df_ in zip(*columns, strict=True):
                by_id.setdefault(key, []).append((term, score, tf, df_))
            return [
                {
                    "id": key,
                    "title": None if _is_missing(title) else title,
                    "keywords": [
                        {"term": t, "score": round(float(s), 6), "tf": int(tf), "df": int(d)}
                        for t, s, tf, d in by_id.get(key, [])
                    ],
                }
                for key, title in zip(df["id"], df["title"], strict=True)
            ]

        _output(args, table, payload=payload)

    def text(table: pd.DataFrame) -> None:
        start = next(starts)
        articles = df.iloc[start : start + PART_ARTICLES]
        lines = _keyword_lines(articles["id"], table)
        for key, title, terms in zip(articles["id"], articles["title"], lines, strict=True):
            print(f"{key}  {_text(title)}\n    {terms}")

    _output_parts(args, parts, whole=whole, text=text)
    return 0


def _keyword_lines(ids: pd.Series, table: pd.DataFrame) -> list[str]:
    """For each article id, its keywords (the rows of ``table`` with that id, in order)
    joined by spaces. The table holds each article's rows together, in the articles'
    order; where the ids are unique, the terms are joined in pyarrow, without a Python
    string for each of the ten million rows of a million articles."""
    term, key = table["term"], table["id"]
    in_arrow = all(hasattr(c.array, "__arrow_array__") for c in (term, key))
    if not (in_arrow and ids.is_unique and ids.notna().all()):
        by_id: dict[str, list[str]] = {}
        for k, t in zip(key.tolist(), term.tolist(), strict=True):
            by_id.setdefault(k, []).append(t)
        return [" ".join(by_id.get(k, [])) for k in ids]
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(column: pd.Series) -> pa.Array:
        values = pa.array(column.array)
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

    keys = arrow(key)
    changed = pc.not_equal(keys[1:], keys[:-1]).to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.r_[len(keys) > 0, changed])
    offsets = pa.array(np.r_[starts, len(keys)], type=pa.int64())
    values = arrow(term).cast(pa.large_string())
    separator = pa.scalar(" ", type=pa.large_string())
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, values), separator)
    lines = [""] * len(ids)
    where = pd.Index(ids).get_indexer(key.iloc[starts])
    for place, line in zip(where.tolist(), joined.to_pylist(), strict=True):
        lines[place] = line
    return lines


def cmd_keyness(args: argparse.Namespace) -> int:
    """Keyness of articles, or of a group, against the rest or against another group."""
    from analysis.methods.keywords import keyness, keyness_table
    from analysis.representations.analysed import AnalysedCorpus

    df = _load(args)
    corpus = AnalysedCorpus(df, tokenizer=_tokenizer(args))
    terms = _chosen_terms(args) or None
    if terms:
        from analysis.methods.keywords import missing_terms

        missing_terms(corpus, terms)
    if args.group_by:
        groups = corpus.groups(args.group_by)
        present = groups.value_counts()
        if not args.target:
            raise OptionError(
                f"keyness --group-by {args.group_by}: name the group with --target "
                f"(groups: {_group_list(present)})"
            )
        for name in [*args.target, *([args.reference] if args.reference else [])]:
            if name not in present:
                raise OptionError(
                    f"no {args.group_by!r} group {name!r}; groups: {_group_list(present)}"
                )
        target = groups.isin(args.target).to_numpy()
        reference = (groups == args.reference).to_numpy() if args.reference else ~target
        table = keyness_table(corpus, target, reference, k=args.top, terms=terms)
        against = args.reference or "the rest"
        targets = [{"target": "+".join(args.target), "reference": against, "table": table}]
    else:
        if args.reference:
            raise OptionError("--reference needs --group-by (it names a group)")
        ids = args.target or corpus.ids
        targets = []
        for target in ids:
            if target not in set(corpus.ids):
                raise InputError(f"{target}: no article with this id; list ids with 'articles'")
            table = keyness(corpus, target, k=args.top, terms=terms)
            targets.append({"target": target, "reference": "the rest", "table": table})
    for item in targets:
        item["table"].insert(0, "target", item["target"])
    combined = pd.concat([item["table"] for item in targets], ignore_index=True)
    payload = [
        {
            "target": item["target"],
            "reference": item["reference"],
            "terms": _records(item["table"].drop(columns="target"), item["table"].columns[1:]),
        }
        for item in targets
    ]

    def text() -> None:
        for item in payload:
            print(f"{item['target']} against {item['reference']}")
            for r in item["terms"]:
                mark = "*" if r["key"] else " "
                print(
                    f"  {mark} {r['term']:<12} G2 {r['g2']:8.2f}  chi2 {r['chi2']:8.2f}  "
                    f"p {r['p']:.2g}  log-ratio {r['log_ratio']:6.2f}  "
                    f"({r['n_target']} vs {r['n_reference']})"
                )
        print("* key: G2 >= 10.83 (p < 0.001) and log ratio >= 1", file=sys.stderr)

    _output(args, combined, payload=payload, text=text)
    return 0


def _group_list(counts: pd.Series, most: int = 12) -> str:
    shown = ", ".join(f"{g} ({n})" for g, n in counts.head(most).items())
    return shown + (f" and {len(counts) - most} more" if len(counts) > most else "")


def cmd_kwic(args: argparse.Namespace) -> int:
    """Every occurrence of a term in the corpus, with its context."""
    from analysis.methods.kwic import kwic

    terms = _chosen_terms(args)
    if terms and args.term is not None:
        args.paths = [Path(args.term), *args.paths]  # with --terms, every positional is a path
    elif not terms:
        if args.term is None:
            raise OptionError("kwic: name the word to find (kwic 词 PATH) or give --terms")
        terms = [args.term]
    df = _load(args)
    tables = [kwic(df, term, window=args.window) for term in terms]
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    if args.sort in ("left", "right"):
        # sort by the context nearest the term: the left context read backwards
        key = table["left"].str[::-1] if args.sort == "left" else table["right"]
        table = table.assign(_key=key).sort_values(["_key", "id"], kind="mergesort")
        table = table.drop(columns="_key").reset_index(drop=True)
    for term, found in zip(terms, tables, strict=True):
        print(f"{len(found)} occurrence(s) of {term!r}", file=sys.stderr)

    def text() -> None:
        width = args.window
        for row in table.itertuples(index=False):
            print(f"{row.left:>{width}} [{row.term}] {row.right:<{width}}  {row.id}")

    _output(args, table, text=text)
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    """Propose multi-token terms as dictionary entries."""
    from analysis.methods.keywords import article_texts
    from analysis.text.terms import discover_terms, write_dictionary

    df = _load(args)
    table = discover_terms(
        article_texts(df), _tokenizer(args), min_freq=args.min_freq, max_tokens=args.max_tokens
    )
    if not args.all:
        table = table[table["proposed"]]
    if args.write_dict:
        from analysis.files import check_output_file

        count = write_dictionary(table, check_output_file(args.write_dict, inputs=_inputs(args)))
        print(f"wrote {count} term(s) to {args.write_dict}", file=sys.stderr)
    _output(args, table)
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    """Show how a text is tokenized and why each token is kept or dropped."""
    tokenizer = _tokenizer(args)
    if args.text is not None:
        texts = [("<text>", args.text)]
    else:
        from analysis.methods.keywords import article_texts

        df = _load(args)
        texts = list(zip(df["id"], article_texts(df), strict=True))
    frames = []
    for name, text_ in texts:
        table = tokenizer.explain(text_)
        table.insert(0, "id", name)
        frames.append(table)
    combined = pd.concat(frames, ignore_index=True)
    payload = [
        {"id": name, "tokens": _records(t.drop(columns="id"), t.columns[1:])}
        for (name, _), t in zip(texts, frames, strict=True)
    ]

    def text() -> None:
        for item in payload:
            print(item["id"])
            for t in item["tokens"]:
                if t["token"].strip():
                    mark = "keep" if t["kept"] else "drop"
                    print(
                        f"    {t['token']:<10} {t['pos']:<5} {t['source']:<7} {mark}  {t['rule']}"
                    )

    _output(args, combined, payload=payload, text=text)
    return 0


def _add_entities(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    entities = _add_command(
        sub,
        common,
        "entities",
        help="the most frequent people, places and organisations",
        description=(
            "People, places and organisations found by Baidu's LAC model (offline), counted "
            "whole in every article; the corpus's top ones, or each group's with --group-by "
            "(see analysis.methods.entities)."
        ),
    )
    _add_input_options(entities)
    _add_tokenizer_options(entities)
    entities.add_argument(
        "--kind",
        choices=["person", "place", "organisation"],
        action="append",
        help="only this kind (repeatable; default: all three)",
    )
    entities.add_argument(
        "--top", type=_int_at_least(1), default=20, metavar="N", help="entities of each kind"
    )
    entities.add_argument(
        "--group-by",
        metavar="COLUMN",
        help="the top entities of each group (label, paper, month …)",
    )
    entities.add_argument(
        "--min-count",
        type=_int_at_least(1),
        default=2,
        metavar="N",
        help="leave out entities found fewer times (default: 2)",
    )
    _add_output_options(entities)
    entities.set_defaults(func=cmd_entities)


def cmd_entities(args: argparse.Namespace) -> int:
    """The most frequent people, places and organisations, of the corpus or of each group."""
    from analysis.methods.entities import entity_terms, top_entities
    from analysis.representations.analysed import AnalysedCorpus

    corpus = AnalysedCorpus(_load(args), tokenizer=_tokenizer(args))
    kinds = args.kind or ["person", "place", "organisation"]
    found = entity_terms(corpus, min_count=args.min_count, progress=True)
    if args.group_by:
        table = top_entities(
            corpus, kind=kinds, k=args.top, by=args.group_by, min_count=args.min_count
        )
        unit = "group"
    else:
        table = found[found["kind"].isin(kinds)]
        table = table.groupby("kind", sort=False).head(args.top)
        order = table["kind"].map({k: i for i, k in enumerate(kinds)})
        table = table.assign(_order=order).sort_values(["_order", "n"], ascending=[True, False])
        table = table.drop(columns="_order").reset_index(drop=True)
        table.insert(1, "rank", table.groupby("kind").cumcount() + 1)
        unit = None
    print(f"{len(found)} entities found; {len(table)} row(s) listed", file=sys.stderr)

    def text() -> None:
        groups = table.groupby(unit, sort=False) if unit else [(None, table)]
        for group, rows in groups:
            if group is not None:
                print(group)
            for kind, block in rows.groupby("kind", sort=False):
                words = " ".join(
                    f"{t}({n})" for t, n in zip(block["term"], block["n"], strict=True)
                )
                print(f"    {kind}: {words}")

    _output(args, table, text=text)
    return 0
