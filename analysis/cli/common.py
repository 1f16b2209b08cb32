"""What every command shares: the parser class, exit statuses, option types and groups,
reading the input and writing a result."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from analysis.config import SEEDS_DIR
from analysis.errors import InputError, NotEnoughDataError, OptionError
from analysis.reading.corpus import ARTICLE_COLUMNS

__all__ = [
    "EXIT_BUG",
    "EXIT_INPUT_ERROR",
    "EXIT_INTERRUPTED",
    "OUTPUT_SUFFIXES",
    "PUBLIC_FIELDS",
    "_Parser",
    "_add_command",
    "_add_input_options",
    "_add_output_options",
    "_add_raw_csv",
    "_add_tokenizer_options",
    "_common_options",
    "_inputs",
    "_int_at_least",
    "_is_missing",
    "_load",
    "_non_negative",
    "_output",
    "_print_json",
    "_records",
    "_show_warning",
    "_text",
    "_tokenizer",
]

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
        help="where inputs of over 20 M characters are counted (and reprints of over 50 M "
        "fingerprinted): this machine's own worker "
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


def _add_command(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str, **kwargs
) -> argparse.ArgumentParser:
    """Add the sub-parser of command ``name``; every command takes the common options too,
    before or after its name."""
    return sub.add_parser(name, parents=[common], **kwargs)


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
        "--dedupe",
        action="store_true",
        help="count each story once: of every cluster of reprints (see the reprints "
        "command) keep the earliest article only",
    )
    parser.add_argument(
        "--bad-rows",
        choices=["error", "skip"],
        default="error",
        help="a malformed table row stops the run (default) or is skipped with a warning",
    )


def _load(args: argparse.Namespace, *, need: int = 1, compact: bool = False) -> pd.DataFrame:
    """Load the command's input; fewer than ``need`` articles is an error (0 for
    commands that list what they found). ``compact``: the command counts words only (see
    :func:`~analysis.reading.corpus.load_articles`), unless ``--dedupe`` reads the texts."""
    from analysis.reading.corpus import LoadReport, load_articles

    df = load_articles(
        args.paths or None,
        text_column=args.text_column,
        txt_mode=args.txt_mode,
        bad_rows=args.bad_rows,
        convert=args.convert,
        compact=compact and not getattr(args, "dedupe", False),
    )
    print(LoadReport(**df.attrs["report"]).summary(), file=sys.stderr)
    if getattr(args, "keep_boilerplate", False):
        df.attrs["keep_boilerplate"] = True
    if getattr(args, "no_join", False):
        df.attrs["join_terms"] = False
    if getattr(args, "dedupe", False) and len(df):
        from analysis.methods.reprints import article_reprints, dedupe

        found = article_reprints(df)
        df = dedupe(df, found)
        print(f"--dedupe: {found.summary()}; {len(df)} article(s) kept", file=sys.stderr)
    if not len(df) and need:
        raise NotEnoughDataError(
            f"{args.command}: no article was read from the input (every file was empty or "
            "held only page furniture); check the paths, or see 'articles --explain'"
        )
    if len(df) < need:
        kept = " after --dedupe" if getattr(args, "dedupe", False) else ""
        raise NotEnoughDataError(
            f"{args.command}: needs at least {need} articles; the input has {len(df)}{kept}"
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


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with list and dict cells as JSON text, for CSV, xlsx and printing."""
    flat = table.copy()
    for name in flat.columns[flat.dtypes.map(pd.api.types.is_object_dtype)]:
        if flat[name].map(lambda v: isinstance(v, list | dict)).any():
            flat[name] = [
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for v in flat[name]
            ]
    return flat


def _output_suffix(output: Path) -> str:
    """The file type of ``-o FILE`` (its suffix, lower case); an OptionError for one we
    do not write."""
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise OptionError(
            f"-o {output}: unknown file type {suffix or '(none)'}; use one of "
            + ", ".join(OUTPUT_SUFFIXES)
        )
    return suffix


def _output(
    args: argparse.Namespace,
    table: pd.DataFrame,
    *,
    payload: object = None,
    text: Callable[[], None] | None = None,
) -> None:
    """Write a command's result: to ``-o FILE`` by its suffix, as ``--json`` (the nested
    ``payload``, else the table's rows), as ``--csv``, or as text. ``payload`` may be a
    function that makes it: it is then made only for JSON, which on a million articles
    saves building ten million dicts."""
    from analysis.files import atomic_path, check_output_file, sweep_stale
    from analysis.output.report import write_xlsx

    def data() -> object:
        made = payload() if callable(payload) else payload
        return made if made is not None else _records(table, table.columns)

    output = getattr(args, "output", None)
    if output is not None:
        suffix = _output_suffix(output)
        if suffix in _ROW_SUFFIXES:
            _write_rows(args, output, suffix, [table])
            return
        target = check_output_file(output, inputs=_inputs(args))
        sweep_stale(target.parent, name=target.name)
        if suffix == ".xlsx":
            write_xlsx({args.command: _flat(table)}, target)
        else:
            with atomic_path(target) as tmp:
                tmp.write_text(
                    json.dumps(data(), ensure_ascii=False, indent=2, default=_json_default) + "\n",
                    encoding="utf-8",
                )
        print(f"wrote {len(table)} row(s) to {output}", file=sys.stderr)
    elif getattr(args, "json", False):
        _print_json(data())
    elif getattr(args, "csv", False):
        _print_csv(args, [table])
    elif text is not None:
        text()
    else:
        flat = _flat(table)
        print(flat.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def _output_parts(
    args: argparse.Namespace,
    parts: Iterable[pd.DataFrame],
    *,
    whole: Callable[[pd.DataFrame], None],
    text: Callable[[pd.DataFrame], None],
) -> None:
    """:func:`_output` of a table that comes in parts, each written as it comes: CSV,
    TSV and JSONL files, ``--csv`` and text (``text`` prints one part). For ``--json``,
    JSON and xlsx files, ``whole`` gets the parts joined (those formats are one object)."""
    output = getattr(args, "output", None)
    suffix = _output_suffix(output) if output is not None else None
    if suffix in _ROW_SUFFIXES:
        _write_rows(args, output, suffix, parts)
    elif output is not None or getattr(args, "json", False):
        whole(pd.concat(list(parts), ignore_index=True))
    elif getattr(args, "csv", False):
        _print_csv(args, parts)
    else:
        for part in parts:
            text(part)


# the -o file types written a row at a time, so a table in parts is written as it comes
_ROW_SUFFIXES = (".csv", ".tsv", ".jsonl")


def _write_rows(
    args: argparse.Namespace, output: Path, suffix: str, parts: Iterable[pd.DataFrame]
) -> None:
    """Write the parts of a table to ``-o output``, a CSV, TSV or JSONL file, whole or
    not at all, and say how many rows."""
    from analysis.files import atomic_path, check_output_file, sweep_stale
    from analysis.output.report_writer import write_csv_parts

    target = check_output_file(output, inputs=_inputs(args))
    sweep_stale(target.parent, name=target.name)
    if suffix == ".jsonl":
        n_rows = 0
        with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8") as handle:
            for part in parts:
                for record in _records(part, part.columns):
                    handle.write(json.dumps(record, ensure_ascii=False, default=_json_default))
                    handle.write("\n")
                n_rows += len(part)
    else:
        flat = (_flat(part) for part in parts)
        raw = getattr(args, "raw_csv", False)
        n_rows = write_csv_parts(flat, target, raw=raw, sep="," if suffix == ".csv" else "\t")
    print(f"wrote {n_rows} row(s) to {output}", file=sys.stderr)


def _print_csv(args: argparse.Namespace, parts: Iterable[pd.DataFrame]) -> None:
    """``--csv``: the parts of a table as one CSV on stdout, formula-like cells made
    inert unless ``--raw-csv``."""
    from analysis.files import inert_cell
    from analysis.output.report import _text_columns

    for k, part in enumerate(parts):
        flat = _flat(part)
        if not getattr(args, "raw_csv", False):
            for column in _text_columns(flat):
                flat[column] = flat[column].map(inert_cell)
        flat.to_csv(sys.stdout, index=False, header=k == 0)


def _text(value: object) -> str:
    """A cell for printing: empty for a missing value, never 'None' or 'nan'."""
    return "" if _is_missing(value) else str(value)


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
    _add_stopwords_option(parser)
    _add_counting_options(parser)


def _add_counting_options(parser: argparse.ArgumentParser) -> None:
    """--keep-boilerplate and --no-join: what the counts leave out and join by default."""
    parser.add_argument(
        "--keep-boilerplate",
        action="store_true",
        help="count the strings that open, close or recur in many articles (lead-ins such as "
        "'本报讯', '（完）', '责任编辑：…'), which are left out by default "
        "('articles --explain' lists them)",
    )
    parser.add_argument(
        "--no-join",
        action="store_true",
        help="count as the segmenter cuts them the words that recur together far above "
        "chance (巴赫/穆特, 高市/早苗), which are joined into one word by default "
        "('terms' lists them, column joined)",
    )


def _add_stopwords_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stopwords",
        action="append",
        type=Path,
        metavar="FILE",
        help="more stopwords, one word a line, added to the built-in list (repeatable)",
    )


def _add_terms_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--terms",
        action="append",
        metavar="WORDS|FILE",
        help=f"{what}: words separated by commas (词1,词2), or a file of one word a line "
        "(repeatable)",
    )


def _chosen_terms(args: argparse.Namespace) -> list[str]:
    """The words of every --terms value, in order, each once: a file of one word a line, or
    words separated by commas, 、 or spaces."""
    import re

    from analysis.text.tokenize import read_word_list

    words: dict[str, None] = {}
    for value in getattr(args, "terms", None) or ():
        looks_like_file = Path(value).suffix.lower() in (".txt", ".csv", ".tsv") or "/" in value
        if Path(value).is_file() or looks_like_file:
            words.update(dict.fromkeys(read_word_list(value, what="term list (--terms)")))
        else:
            words.update(dict.fromkeys(w for w in re.split(r"[,，、\s]+", value) if w))
    if getattr(args, "terms", None) and not words:
        raise OptionError("--terms: no word given; list words as 词1,词2 or name a file")
    return list(words)


def _stopwords(args: argparse.Namespace) -> tuple[str, ...]:
    """The words of every --stopwords file, in order."""
    from analysis.text.tokenize import read_word_list

    words: dict[str, None] = {}
    for path in getattr(args, "stopwords", None) or ():
        words.update(dict.fromkeys(read_word_list(path, what="stopword list (--stopwords)")))
    return tuple(words)


def _tokenizer(args: argparse.Namespace):
    from analysis.text.tokenize import Tokenizer, TokenizerConfig

    config = TokenizerConfig(
        domain_dict=not args.no_domain_dict,
        user_dicts=tuple(args.user_dict or ()),
        extra_stopwords=_stopwords(args),
    )
    tokenizer = Tokenizer(config)
    for path in config.user_dicts:
        if not Path(path).is_file():
            raise InputError(f"{path}: user dictionary not found; check the --user-dict path")
    return tokenizer


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)
