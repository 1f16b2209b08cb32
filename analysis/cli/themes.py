"""The ``clusters`` and ``themes`` commands: group documents, and find the themes of
paragraphs with each article's mix of them."""

from __future__ import annotations

import argparse

import pandas as pd

from analysis.cli.common import (
    _add_command,
    _add_input_options,
    _add_output_options,
    _add_tokenizer_options,
    _inputs,
    _int_at_least,
    _is_missing,
    _load,
    _output,
    _records,
    _tokenizer,
)
from analysis.errors import OptionError

__all__ = ["add_parsers", "cmd_clusters", "cmd_themes", "cmd_topics"]


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``clusters``, ``themes`` and ``topics`` commands to ``sub``, in that order."""
    _add_clusters(sub, common)
    _add_themes(sub, common)
    _add_topics(sub, common)


def _add_clusters(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    clusters = _add_command(
        sub,
        common,
        "clusters",
        help="cluster documents (k chosen by silhouette x stability unless given)",
        description=(
            "Cluster articles or table rows on LSA-reduced TF-IDF. Without --k, every k from 2 "
            "to min(--k-max, n-1) is scored by silhouette x stability across 5 seeds."
        ),
    )
    _add_input_options(clusters)
    _add_tokenizer_options(clusters)
    clusters.add_argument("--k", type=_int_at_least(2), help="number of clusters (default: choose)")
    clusters.add_argument(
        "--k-max", type=_int_at_least(2), default=15, help="largest k to try (default 15)"
    )
    clusters.add_argument("--method", choices=["kmeans", "agglomerative", "nmf"], default="kmeans")
    clusters.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    _add_output_options(clusters)
    clusters.set_defaults(func=cmd_clusters)


def _add_themes(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    themes = _add_command(
        sub,
        common,
        "themes",
        help="themes across paragraphs and each article's theme mix",
        description=(
            "Find themes in body paragraphs (NMF) and print each article's mix of them. "
            "Each mix sums to 1; 'other' is the share no theme explains."
        ),
    )
    _add_input_options(themes)
    _add_tokenizer_options(themes)
    themes.add_argument("--k", type=_int_at_least(2), help="number of themes (default: choose)")
    themes.add_argument(
        "--k-max", type=_int_at_least(2), default=12, help="largest k to try (default 12)"
    )
    themes.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    _add_output_options(themes)
    themes.set_defaults(func=cmd_themes)


def cmd_clusters(args: argparse.Namespace) -> int:
    """Cluster documents; choose k automatically unless --k is given."""
    from analysis.methods.themes import cluster_documents

    df = _load(args)
    if args.k is not None and len(df) >= 3 and args.k > len(df) - 1:
        raise OptionError(
            f"--k {args.k}: must be between 2 and {len(df) - 1} for {len(df)} documents"
        )
    result = cluster_documents(
        df,
        k=args.k,
        method=args.method,
        tokenizer=_tokenizer(args),
        k_max=args.k_max,
        random_state=args.seed,
    )
    # numbered from 1, as the report's clusters.csv, themes and topics are
    numbers = result.labels + 1
    table = pd.DataFrame(
        {
            "id": df["id"],
            "title": df["title"],
            "cluster": numbers,
            "cluster_terms": [" ".join(result.terms[c]) for c in result.labels],
        }
    )
    payload = {
        "k": result.k,
        "method": result.method,
        "k_chosen_automatically": result.chosen_automatically,
        "note": result.note,
        "documents": [{"id": i, "cluster": int(c)} for i, c in zip(df["id"], numbers, strict=True)],
        "clusters": [
            {"cluster": c + 1, "size": int((result.labels == c).sum()), "terms": terms}
            for c, terms in result.terms.items()
        ],
        "scores": _records(result.scores, result.scores.columns),
    }

    def text() -> None:
        how = "chosen automatically" if result.chosen_automatically else "given"
        print(f"k = {result.k} ({how}, {result.method})")
        for item in payload["clusters"]:
            print(f"  cluster {item['cluster']} ({item['size']} docs): {' '.join(item['terms'])}")
        print(result.scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    _output(args, table, payload=payload, text=text)
    return 0


def cmd_themes(args: argparse.Namespace) -> int:
    """Themes across paragraphs and each article's theme mix."""
    from analysis.methods.themes import find_themes

    df = _load(args)
    themes = find_themes(
        df, k=args.k, k_max=args.k_max, tokenizer=_tokenizer(args), random_state=args.seed
    )
    weights = themes.article_weights
    table = weights.rename(columns=lambda c: f"theme_{c}" if c != "other" else c).reset_index()
    table.insert(1, "title", df["title"].to_numpy())
    payload = {
        "k": themes.k,
        "note": themes.note,
        "themes": [{"id": t, "terms": terms} for t, terms in themes.terms.items()],
        "weights": [
            {
                "id": article_id,
                "title": None if _is_missing(title) else title,
                "weights": {str(c): round(float(weights.loc[article_id, c]), 6) for c in weights},
            }
            for article_id, title in zip(df["id"], df["title"], strict=True)
        ],
        "scores": _records(themes.scores, themes.scores.columns),
    }

    def text() -> None:
        for t, terms in themes.terms.items():
            print(f"theme {t}: {' '.join(terms)}")
        print(weights.round(2).to_string())

    _output(args, table, payload=payload, text=text)
    return 0


def _add_topics(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    topics = _add_command(
        sub,
        common,
        "topics",
        help="topic model (LDA, NMF or DMR), k chosen by coherence (NPMI), prevalence over time",
        description=(
            "Fit a topic model of the articles: LDA (tomotopy), NMF on TF-IDF, or DMR (LDA "
            "whose topic prior depends on each article's --group-by group). Without --k, k is "
            "chosen among 6, 8 … 16 by the topics' coherence on the corpus (NPMI); each "
            "topic's stability says whether it survives another seed. With dates, each "
            "topic's share per period; with --group-by, per group."
        ),
    )
    _add_input_options(topics)
    _add_tokenizer_options(topics)
    topics.add_argument("--k", type=_int_at_least(2), help="number of topics (default: choose)")
    topics.add_argument(
        "--model",
        choices=["lda", "nmf", "dmr"],
        default="lda",
        help="default lda; dmr needs --group-by",
    )
    topics.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    topics.add_argument("--date-column", metavar="NAME", help="the column of dates (default: date)")
    topics.add_argument(
        "--period", choices=["day", "week", "month", "quarter", "year"], help="period of trends"
    )
    topics.add_argument("--group-by", metavar="COLUMN", help="prevalence per group of COLUMN")
    topics.add_argument(
        "--html",
        metavar="FILE",
        help="also write an interactive view of the topics (one offline HTML page) to FILE",
    )
    _add_output_options(topics, csv=False)
    topics.set_defaults(func=cmd_topics)


def cmd_topics(args: argparse.Namespace) -> int:
    """Topics with their coherence; their prevalence per period and per group."""
    import sys
    import warnings

    from analysis.errors import NotEnoughDataError
    from analysis.methods.topics import EdgeOfRangeWarning, fit_topics, topic_prevalence
    from analysis.representations.analysed import AnalysedCorpus

    if args.model == "dmr" and not args.group_by:
        raise OptionError("--model dmr: name the groups with --group-by COLUMN")
    if args.html and not args.html.lower().endswith((".html", ".htm")):
        raise OptionError(f"--html {args.html}: the view is a web page; name a .html file")
    df = _load(args, need=3)
    corpus = AnalysedCorpus(df, tokenizer=_tokenizer(args), date_column=args.date_column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EdgeOfRangeWarning)  # said below, with the scores
        groups = corpus.groups(args.group_by) if args.group_by else None
        found = fit_topics(
            corpus, k=args.k, model=args.model, random_state=args.seed, groups=groups
        )
    scores = ", ".join(f"{int(k)}: {v:.3f}" for k, v in found.scores.values)
    print(f"{found.model}, k = {found.k} (mean NPMI by k: {scores})", file=sys.stderr)
    if found.note:
        print(f"warning: {found.note}", file=sys.stderr)
    table = found.table()
    payload = {
        "model": found.model,
        "k": found.k,
        "npmi": round(found.coherence, 4),
        "note": found.note,
        "topics": _records(table, table.columns),
    }
    try:
        trends = topic_prevalence(found, corpus.periods(args.period))
        trends = trends.rename(columns={"group": "period"})
        payload["trends"] = _records(trends, trends.columns)
    except NotEnoughDataError:
        pass  # undated: no trends
    if args.group_by:
        by_group = topic_prevalence(found, groups)
        payload["groups"] = _records(by_group, by_group.columns)
    if found.priors is not None:
        payload["priors"] = _records(found.priors, found.priors.columns)

    def text() -> None:
        more = [name for name in ("trends", "groups", "priors") if name in payload]
        if more:
            print(f"({', '.join(more)}: with --json)", file=sys.stderr)
        for row in table.itertuples(index=False):
            head = (
                f"{row.topic:2d}  NPMI {row.npmi:+.3f}  share {row.share:.3f}  "
                f"stability {row.stability:.2f}"
            )
            print(f"{head}  {' '.join(row.terms)}")

    if args.html:
        from analysis.files import check_output_file
        from analysis.output.topic_view import write_topic_view

        target = check_output_file(args.html, inputs=_inputs(args), option="--html")
        page = write_topic_view(target, found, titles=df["title"].tolist(), title="Topics")
        print(f"wrote {page}", file=sys.stderr)
    _output(args, table, payload=payload, text=text)
    return 0
