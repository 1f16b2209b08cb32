"""Command-line interface: ``python -m analysis <command> --help``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.config import FIGURES_DIR, SEEDS_DIR
from analysis.corpus import ARTICLE_COLUMNS
from analysis.errors import AnalysisError, InputError, NotEnoughDataError, OptionError

__all__ = ["entry_point", "main"]

#: exit statuses: an expected failure the user can fix, a bug, an interrupted run
EXIT_INPUT_ERROR = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error: what is wrong and where to look."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INPUT_ERROR, f"error: {message} (see '{self.prog} --help')\n")


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {value}")
        return value

    parse.__name__ = f"whole number >= {low}"
    return parse


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value:g}")
    return value


def _scheduler(text: str) -> str:
    from analysis.scale import check_scheduler

    try:
        return check_scheduler(text)
    except OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common_options() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command's name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--no-cache",
        action="store_true",
        default=argparse.SUPPRESS,
        help="tokenize everything afresh; do not read or write the token cache",
    )
    common.add_argument(
        "--scheduler",
        type=_scheduler,
        default=argparse.SUPPRESS,
        metavar="local|dask|tcp://HOST:PORT",
        help="where inputs of over 20 M characters are counted: this machine's own worker "
        "processes (local, the default: fastest on one machine), a Dask cluster started on "
        "this machine (dask) or a running Dask cluster (its scheduler's address); or set "
        "ANALYSIS_SCHEDULER",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an unexpected error (or set ANALYSIS_DEBUG=1)",
    )
    return common


# the articles table without the bulky internal columns (spans, joined text)
PUBLIC_FIELDS = [
    c
    for c in ARTICLE_COLUMNS
    if c not in ("paragraph_sections", "paragraph_spans", "text", "n_title_chars")
]


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"page .txt files, .csv/.tsv/.jsonl tables or folders (default: {SEEDS_DIR.name}/)",
    )
    parser.add_argument(
        "--text-column",
        metavar="NAME",
        help="text column of .csv/.tsv/.jsonl input (default: text, content, 正文 or 内容)",
    )
    parser.add_argument(
        "--txt-mode",
        choices=["page", "article"],
        default="page",
        help="treat each .txt as a newspaper page to split (default) or as one article",
    )
    parser.add_argument(
        "--convert",
        choices=["t2s"],
        help="convert Traditional Chinese to Simplified for analysis (the original is kept)",
    )
    parser.add_argument(
        "--bad-rows",
        choices=["error", "skip"],
        default="error",
        help="a malformed table row stops the run (default) or is skipped with a warning",
    )


def _load(args: argparse.Namespace, *, need: int = 1) -> pd.DataFrame:
    """Load the command's input; fewer than ``need`` articles is an error (0 for
    commands that list what they found)."""
    from analysis.corpus import LoadReport, load_articles

    df = load_articles(
        args.paths or None,
        text_column=args.text_column,
        txt_mode=args.txt_mode,
        bad_rows=args.bad_rows,
        convert=args.convert,
    )
    print(LoadReport(**df.attrs["report"]).summary(), file=sys.stderr)
    if len(df) < need:
        raise NotEnoughDataError(
            f"{args.command}: no article was read from the input (every file was empty or "
            "held only page furniture); check the paths, or see 'articles --explain'"
        )
    return df


def _records(df: pd.DataFrame, fields: Sequence[str]) -> list[dict]:
    out = []
    for record in df[list(fields)].to_dict("records"):
        out.append({k: (None if _is_missing(v) else v) for k, v in record.items()})
    return out


def _is_missing(value: object) -> bool:
    return not isinstance(value, list | dict | str) and pd.isna(value)


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write("\n")


def _json_default(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _add_output_options(parser: argparse.ArgumentParser, *, csv: bool = True) -> None:
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    if csv:
        fmt.add_argument("--csv", action="store_true", help="print the table as CSV")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the table to FILE instead (.csv, .tsv, .json, .jsonl or .xlsx); it is "
        "written whole or not at all, never inside an input folder",
    )
    _add_raw_csv(parser)


def _add_raw_csv(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV cells exactly as they are; by default a cell that a spreadsheet "
        "would run as a formula (=, +, -, @ first, not a number) gets a leading ' "
        "(see docs/errors.md)",
    )


OUTPUT_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".xlsx")


def _inputs(args: argparse.Namespace) -> list[Path]:
    return list(getattr(args, "paths", None) or [SEEDS_DIR])


def _output(
    args: argparse.Namespace,
    table: pd.DataFrame,
    *,
    payload: object = None,
    text: Callable[[], None] | None = None,
) -> None:
    """Write a command's result: to ``-o FILE`` by its suffix, as ``--json`` (the nested
    ``payload``, else the table's rows), as ``--csv``, or as text."""
    from analysis.files import atomic_path, check_output_file, inert_cell, sweep_stale
    from analysis.report import _text_columns, write_csv, write_xlsx

    flat = table.copy()
    for name in flat.columns:
        if flat[name].map(lambda v: isinstance(v, list | dict)).any():
            flat[name] = [
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for v in flat[name]
            ]
    raw = getattr(args, "raw_csv", False)
    output = getattr(args, "output", None)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in OUTPUT_SUFFIXES:
            raise OptionError(
                f"-o {output}: unknown file type {suffix or '(none)'}; use one of "
                + ", ".join(OUTPUT_SUFFIXES)
            )
        target = check_output_file(output, inputs=_inputs(args))
        sweep_stale(target.parent, name=target.name)
        if suffix in (".csv", ".tsv"):
            write_csv(flat, target, raw=raw, sep="," if suffix == ".csv" else "\t")
        elif suffix == ".xlsx":
            write_xlsx({args.command: flat}, target)
        elif suffix == ".jsonl":
            with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8") as handle:
                for record in _records(table, table.columns):
                    handle.write(json.dumps(record, ensure_ascii=False, default=_json_default))
                    handle.write("\n")
        else:
            data = payload if payload is not None else _records(table, table.columns)
            with atomic_path(target) as tmp:
                tmp.write_text(
                    json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n",
                    encoding="utf-8",
                )
        print(f"wrote {len(table)} row(s) to {output}", file=sys.stderr)
    elif getattr(args, "json", False):
        _print_json(payload if payload is not None else _records(table, table.columns))
    elif getattr(args, "csv", False):
        if not raw:
            for column in _text_columns(flat):
                flat[column] = flat[column].map(inert_cell)
        flat.to_csv(sys.stdout, index=False)
    elif text is not None:
        text()
    else:
        print(flat.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def _text(value: object) -> str:
    """A cell for printing: empty for a missing value, never 'None' or 'nan'."""
    return "" if _is_missing(value) else str(value)


def cmd_articles(args: argparse.Namespace) -> int:
    """Split pages into articles and print them."""
    if args.explain:
        from analysis.corpus import explain_pages

        table = explain_pages(args.paths or None, txt_mode=args.txt_mode)
        if args.json:
            _print_json(_records(table, table.columns))
        else:
            for row in table.itertuples(index=False):
                text = row.text if len(row.text) <= 40 else row.text[:39] + "…"
                line = "-" if _is_missing(row.line) else int(row.line)
                print(
                    f"{Path(row.source).name}:{line:<4} {row.label:<12} "
                    f"{row.article or '-':<28} {text}  [{row.rule}]"
                )
        return 0
    df = _load(args, need=0)

    def text() -> None:
        for row in df.itertuples(index=False):
            authors = "、".join(row.authors) or "-"
            print(
                f"{row.id:<28} {row.kind:<8} {row.n_paragraphs:>3} para "
                f"{row.n_chars:>5} chars  {_text(row.title)}  ({authors})"
            )

    extra = [c for c in df.columns if c not in ARTICLE_COLUMNS]
    _output(args, df[PUBLIC_FIELDS + extra], text=text)
    return 0


def _tokenizer(args: argparse.Namespace):
    from analysis.tokenize import Tokenizer, TokenizerConfig

    config = TokenizerConfig(
        domain_dict=not args.no_domain_dict,
        user_dicts=tuple(args.user_dict or ()),
    )
    tokenizer = Tokenizer(config)
    for path in config.user_dicts:
        if not Path(path).is_file():
            raise InputError(f"{path}: user dictionary not found; check the --user-dict path")
    return tokenizer


def _with_discovered_terms(args: argparse.Namespace, tokenizer, df: pd.DataFrame):
    if not getattr(args, "apply_terms", False):
        return tokenizer
    from analysis.keywords import article_texts
    from analysis.terms import apply_terms, discover_terms

    table = discover_terms(article_texts(df), tokenizer)
    print(f"applying {int(table['proposed'].sum())} discovered term(s)", file=sys.stderr)
    return apply_terms(tokenizer, table)


def cmd_keywords(args: argparse.Namespace) -> int:
    """Top TF-IDF keywords per article, or the key terms of each group."""
    df = _load(args)
    tokenizer = _with_discovered_terms(args, _tokenizer(args), df)
    if args.group_by:
        from analysis.analysed import AnalysedCorpus
        from analysis.groups import group_keywords

        corpus = AnalysedCorpus(df, tokenizer=tokenizer)
        table = group_keywords(corpus, args.group_by, k=args.top)

        def text() -> None:
            for group, rows in table.groupby("group", sort=False):
                print(f"{group}\n    {' '.join(rows['term'])}")

        _output(args, table, text=text)
        return 0
    from analysis.keywords import top_terms

    table = top_terms(df, k=args.top, tokenizer=tokenizer, n0=args.n0)
    by_id: dict[str, list[tuple]] = {}  # one pass over the table, not one filter per article
    columns = (table[c].tolist() for c in ("id", "term", "score", "tf", "df"))
    for key, term, score, tf, df_ in zip(*columns, strict=True):
        by_id.setdefault(key, []).append((term, score, tf, df_))
    payload = [
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

    def text() -> None:
        for key, title in zip(df["id"], df["title"], strict=True):
            terms = " ".join(t for t, *_ in by_id.get(key, []))
            print(f"{key}  {_text(title)}\n    {terms}")

    _output(args, table, payload=payload, text=text)
    return 0


def cmd_keyness(args: argparse.Namespace) -> int:
    """Keyness of articles, or of a group, against the rest or against another group."""
    from analysis.analysed import AnalysedCorpus
    from analysis.keywords import keyness, keyness_table

    df = _load(args)
    corpus = AnalysedCorpus(df, tokenizer=_tokenizer(args))
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
        table = keyness_table(corpus, target, reference, k=args.top)
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
            table = keyness(corpus, target, k=args.top)
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
    from analysis.plots import kwic

    df = _load(args)
    table = kwic(df, args.term, window=args.window)
    if args.sort in ("left", "right"):
        # sort by the context nearest the term: the left context read backwards
        key = table["left"].str[::-1] if args.sort == "left" else table["right"]
        table = table.assign(_key=key).sort_values(["_key", "id"], kind="mergesort")
        table = table.drop(columns="_key").reset_index(drop=True)
    print(f"{len(table)} occurrence(s) of {args.term!r}", file=sys.stderr)

    def text() -> None:
        width = args.window
        for row in table.itertuples(index=False):
            print(f"{row.left:>{width}} [{row.term}] {row.right:<{width}}  {row.id}")

    _output(args, table, text=text)
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    """Propose multi-token terms as dictionary entries."""
    from analysis.keywords import article_texts
    from analysis.terms import discover_terms, write_dictionary

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
        from analysis.keywords import article_texts

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


def cmd_clusters(args: argparse.Namespace) -> int:
    """Cluster documents; choose k automatically unless --k is given."""
    from analysis.themes import cluster_documents

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
    table = pd.DataFrame(
        {
            "id": df["id"],
            "title": df["title"],
            "cluster": result.labels,
            "cluster_terms": [" ".join(result.terms[c]) for c in result.labels],
        }
    )
    payload = {
        "k": result.k,
        "method": result.method,
        "k_chosen_automatically": result.chosen_automatically,
        "documents": [
            {"id": i, "cluster": int(c)} for i, c in zip(df["id"], result.labels, strict=True)
        ],
        "clusters": [
            {"cluster": c, "size": int((result.labels == c).sum()), "terms": terms}
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
    from analysis.themes import find_themes

    df = _load(args)
    themes = find_themes(df, k=args.k, tokenizer=_tokenizer(args), random_state=args.seed)
    weights = themes.article_weights
    table = weights.rename(columns=lambda c: f"theme_{c}" if c != "other" else c).reset_index()
    table.insert(1, "title", df["title"].to_numpy())
    payload = {
        "k": themes.k,
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


def _add_tokenizer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user-dict",
        action="append",
        type=Path,
        metavar="FILE",
        help="extra dictionary, 'word [freq] [tag]' per line (repeatable)",
    )
    parser.add_argument(
        "--no-domain-dict", action="store_true", help="switch off the built-in domain dictionary"
    )


def _report_options(args: argparse.Namespace):
    from analysis.report import ReportOptions

    return ReportOptions(
        paths=[str(p) for p in args.paths] or None,
        text_column=args.text_column,
        txt_mode=args.txt_mode,
        bad_rows=args.bad_rows,
        convert=args.convert,
        group_by=args.group_by,
        date_column=args.date_column,
        title_column=args.title_column,
        period=args.period,
    )


def cmd_report(args: argparse.Namespace) -> int:
    """Write every chart and table, the executed notebooks and a manifest."""
    from analysis.corpus import LoadReport
    from analysis.files import check_output_folder
    from analysis.report import Report, build_report

    out = args.out or Path("reports") / _report_name(args.paths)
    # before reading anything: a folder we may not write is refused at once
    check_output_folder(out, inputs=_inputs(args), force=args.force)
    report = Report(_report_options(args))
    print(LoadReport(**report.articles.attrs["report"]).summary(), file=sys.stderr)
    if args.command == "figures" or args.no_notebooks:
        notebooks: Path | bool = False
    else:
        notebooks = args.notebooks_dir or True
    written = build_report(
        report.options,
        out=out,
        notebooks=notebooks,
        report=report,
        force=args.force,
        raw_csv=args.raw_csv,
    )
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    for name, reason in manifest["skipped"].items():
        print(f"skipped {name}: {reason}", file=sys.stderr)
    print(f"wrote {len(written)} files to {out} ({len(report.corpus)} articles)")
    return 0


def _report_name(paths: list[Path]) -> str:
    """The default report folder's name: the first input's name, never ``..`` or ``.``
    (``report ..`` would otherwise write over the current folder)."""
    if not paths:
        return SEEDS_DIR.name
    first = Path(os.path.abspath(paths[0]))
    name = first.stem if first.suffix and not first.is_dir() else first.name
    from analysis.files import safe_names

    return safe_names([name], fallback="report")[0]


def _default_paths(args: argparse.Namespace) -> None:
    """No PATH: read ``seeds/`` in the current folder, or say to give a PATH.

    In the project checkout this is the project's seeds (the library default, kept as
    ``None``); elsewhere, e.g. after ``pip install``, nothing is guessed.
    """
    if getattr(args, "paths", None) is None or args.paths:
        return
    here = Path.cwd() / "seeds"
    if here.resolve() == SEEDS_DIR.resolve():
        return
    if here.is_dir():
        args.paths = [here]
        return
    raise InputError(
        f"no PATH given and no seeds/ folder in {Path.cwd()}: give the files or folders to "
        f"read, e.g. python -m analysis {args.command} my_pages/ (see --help)"
    )


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def cmd_notebooks(args: argparse.Namespace) -> int:
    """Execute the notebooks in place and render HTML copies."""
    from analysis.notebooks import NOTEBOOKS_DIR, build_notebooks

    sources = [Path(p) for p in args.sources] or None
    for source in sources or []:
        if not source.is_file():
            raise InputError(f"{source}: notebook source not found; see {NOTEBOOKS_DIR}")
    written = build_notebooks(sources)
    print(f"wrote {len(written)} files ({len(written) // 2} notebooks and their HTML)")
    return 0


def cmd_cache(args: argparse.Namespace) -> int:
    """Show or clear the token cache."""
    from analysis.cache import TokenCache, cache_root

    cache = TokenCache("-")
    if args.clear:
        report = cache.clear()
        print(f"{cache_root()}: removed {report.removed_files} file(s), "
              f"{report.removed_bytes / 1e6:.1f} MB")  # fmt: skip
        for path, reason in report.failed:
            print(f"error: could not remove {path}: {reason}", file=sys.stderr)
        return 0 if report.ok else EXIT_INPUT_ERROR
    else:
        size, cap = cache.size_bytes() / 1e6, cache.max_bytes / 1e6
        print(f"{cache_root()}: {size:.1f} MB (cap {cap:.0f} MB)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(
        prog="python -m analysis",
        parents=[common],
        description=(
            "Chinese newspaper text analytics: split raw pages into articles, then keywords, "
            "themes and charts. Every command reads seeds/ in the current folder unless "
            "given paths."
        ),
        epilog="Run 'python -m analysis COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        # every command takes the common options too, before or after its name
        return sub.add_parser(name, parents=[common], **kwargs)

    cache = command(
        "cache",
        help="show the size of the token cache, or clear it",
        description="The token cache lives in $ANALYSIS_CACHE_DIR (default .cache/).",
    )
    cache.add_argument("--clear", action="store_true", help="remove every cached token list")
    cache.set_defaults(func=cmd_cache)

    articles = command(
        "articles",
        help="split pages into articles (title, kicker, authors, body …)",
        description=(
            "Split raw newspaper pages into articles and print one line per article, "
            "or the full records as JSON or CSV."
        ),
    )
    _add_input_options(articles)
    _add_output_options(articles)
    articles.add_argument(
        "--explain",
        action="store_true",
        help="show how every line of each page was classified and by which rule",
    )
    articles.set_defaults(func=cmd_articles)

    keywords = command(
        "keywords",
        help="top TF-IDF keywords per article",
        description=(
            "Top keywords per article: TF-IDF over filtered jieba tokens, with the corpus IDF "
            "blended with jieba's background IDF (see analysis.keywords)."
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

    keyness_p = command(
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
    _add_output_options(keyness_p)
    keyness_p.set_defaults(func=cmd_keyness)

    kwic_p = command(
        "kwic",
        help="keyword in context: every occurrence of a term across the corpus",
        description="Every occurrence of TERM in the articles' bodies, with its context.",
    )
    kwic_p.add_argument("term", metavar="TERM", help="the word or phrase to find")
    _add_input_options(kwic_p)
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

    terms = command(
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

    tokens = command(
        "tokens",
        help="show each token's source (dictionary, HMM) and why it is kept or dropped",
        description="Tokenizer diagnostics for a text (--text) or for every article.",
    )
    _add_input_options(tokens)
    _add_tokenizer_options(tokens)
    tokens.add_argument("--text", help="analyse this text instead of the articles")
    _add_output_options(tokens)
    tokens.set_defaults(func=cmd_tokens)

    clusters = command(
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

    themes = command(
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
    themes.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    _add_output_options(themes)
    themes.set_defaults(func=cmd_themes)

    for name, help_, default in (
        ("report", "every chart, table and notebook of a corpus, in one folder", None),
        ("figures", "every chart and table (no notebooks), to figures/ by default", FIGURES_DIR),
    ):
        report = command(
            name,
            help=help_,
            description=(
                "Write every chart (PNG, and SVG where useful), every table (CSV and one "
                ".xlsx workbook), the executed notebooks with their HTML (report only) and "
                "manifest.json to the output folder, which is replaced only when complete. "
                "The folder must be new, empty or a previous report, and outside the inputs."
            ),
        )
        _add_input_options(report)
        report.add_argument(
            "--out",
            type=Path,
            default=default,
            help="output folder (default: "
            + (str(default) if default else "reports/<name of the first PATH>")
            + ")",
        )
        report.add_argument(
            "--group-by", metavar="COLUMN", help="compare groups: label, paper, column, kind …"
        )
        report.add_argument(
            "--date-column", metavar="NAME", help="the column of dates (default: date)"
        )
        report.add_argument(
            "--title-column", metavar="NAME", help="the column that names untitled articles"
        )
        report.add_argument(
            "--period",
            choices=["day", "week", "month", "quarter", "year"],
            help="period of the trends (default: the finest giving at most 60)",
        )
        if name == "report":
            report.add_argument(
                "--notebooks-dir",
                type=Path,
                metavar="DIR",
                help="write the executed notebooks here (default: OUT/notebooks)",
            )
            report.add_argument("--no-notebooks", action="store_true", help="leave them out")
        report.add_argument(
            "--force",
            action="store_true",
            help="replace a previous report even if its folder holds files we did not write "
            "(they are kept as they are); a folder that is not a report is never written",
        )
        _add_raw_csv(report)
        report.set_defaults(func=cmd_report)
    notebooks = command(
        "notebooks",
        help="execute the notebooks in place and render HTML for review",
        description=(
            "Execute notebooks/NN-*.py (jupytext sources) with nbclient, write the executed "
            ".ipynb beside each, and render self-contained HTML to notebooks/html/."
        ),
    )
    notebooks.add_argument("sources", nargs="*", help="notebook sources (default: all)")
    notebooks.set_defaults(func=cmd_notebooks)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Expected failures print one line and exit 2; a bug prints one line
    and exits 1 unless ``--debug`` (or ``ANALYSIS_DEBUG=1``) asks for the traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "no_cache", False):
        os.environ["ANALYSIS_NO_CACHE"] = "1"
    if getattr(args, "scheduler", None):
        os.environ["ANALYSIS_SCHEDULER"] = args.scheduler  # read by analysis.scale
    debug = getattr(args, "debug", False) or os.environ.get("ANALYSIS_DEBUG", "") not in ("", "0")
    func: Callable[[argparse.Namespace], int] = args.func
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        if not debug:
            # Our warnings are for the user; a library's deprecation notes (jieba's first
            # compile prints "invalid escape sequence") are not, and would bury them.
            for category in (
                DeprecationWarning,
                PendingDeprecationWarning,
                SyntaxWarning,
                ResourceWarning,  # a file left open by an interrupted library call
            ):
                warnings.filterwarnings("ignore", category=category)
        warnings.showwarning = _show_warning
        try:
            _default_paths(args)
            return func(args)
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INPUT_ERROR
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt as exc:
            notes = "".join(f" ({note})" for note in getattr(exc, "__notes__", ()))
            print(f"interrupted; nothing half-written was kept{notes}", file=sys.stderr)
            return EXIT_INTERRUPTED
        except Exception as exc:
            if debug:
                raise
            where = _innermost_frame(exc)
            print(
                f"error: unexpected {type(exc).__name__}: {exc} ({where}); this is a bug in "
                "analysis: rerun with --debug for the traceback and report it",
                file=sys.stderr,
            )
            return EXIT_BUG


def entry_point() -> None:
    """``python -m analysis`` and the ``analysis`` script: run :func:`main` and exit."""
    import signal

    from analysis.processes import on_interrupt

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_interrupt)  # not when SIGINT is ignored (nohup, &)
    code = main()
    if code == EXIT_INTERRUPTED:
        # interrupted: everything half-written was removed while the stack unwound; exit
        # now, without the interpreter's shutdown joining threads a pool left mid-write
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _innermost_frame(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "no traceback"
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
