"""End to end on a synthetic archive: keywords + themes for about 1 GB of news text, on
this machine's worker pool and on a Dask LocalCluster, in the same run.

Run: .venv/bin/python -m benchmarks.archive [--mb 1000] [--scheduler local|dask|both]
     [--scaling-mb 200]
The archive is real articles (THUCNews-1k and Sogou-mini) resampled with a fixed seed
into a `label<TAB>text` file of about --mb MB in a temporary folder. It is streamed line
by line through analysis.scale.count_matrix (workers tokenize and count; the parent
merges) and analysis.methods.archive.keywords_and_themes (TF-IDF, keywords, LSA and
MiniBatchKMeans themes in the parent), once per scheduler: "local" is the package's own
process pool, "dask" a distributed.LocalCluster with one single-threaded worker per core,
started inside the timing. Printed for each: wall time of counting and of the rest, the
peak memory of the parent and all its descendants together (the pool's workers, or the
Dask workers, which are children of the parent's nannies), sampled from /proc (see
benchmarks._common.MemorySampler), and whether the two schedulers gave identical terms,
keywords and themes. --scaling-mb builds a second archive of that size and runs Dask on
it with 1, 2 and 4 partitions per core (and the pool, for reference), each run in a fresh
process, --rounds times.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis.methods.archive import keywords_and_themes
from analysis.reading.corpus import load_articles
from analysis.scale import count_matrix, default_jobs
from analysis.scale.dask_backend import client_for, close_clients
from analysis.text.tokenize import Tokenizer
from benchmarks._common import MemorySampler, corpus_or_skip

MIB = 1024 * 1024


def build_archive(path: Path, megabytes: float) -> int:
    sources = []
    for name, filename in (
        ("thucnews_cnews_1k", "cnews_sample_1000.tsv"),
        ("sogou_mini_5cat", "sogou_mini_test.csv"),
    ):
        root = corpus_or_skip(name)
        if root is not None:
            df = load_articles(root / filename)
            sources += list(zip(df["label"], df["text"], strict=True))
    if not sources:
        return 0
    rng = random.Random(0)
    size, count, target = 0, 0, megabytes * 1e6
    with open(path, "w", encoding="utf-8") as handle:
        while size < target:
            label, text = rng.choice(sources)
            line = f"{label}\t{text}\n"
            handle.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    return count


def stream(path: Path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\n").split("\t", 1)[1]


def run(path: Path, n: int, scheduler: str, partitions: int | None = None) -> dict:
    """Count and analyse the archive on ``scheduler``; times, memory and the result."""
    started = time.perf_counter()
    with MemorySampler() as memory:
        start_up = 0.0
        if scheduler == "dask":
            client_for("dask")  # the LocalCluster starts inside the timing
            start_up = time.perf_counter() - started
        terms, counts = count_matrix(
            stream(path),
            Tokenizer(),
            n_jobs=default_jobs(),
            total=n,
            scheduler=scheduler,
            partitions=partitions,
            progress=False,
        )
        counted = time.perf_counter()
        if scheduler == "dask":
            close_clients()  # the workers are done; the parent goes on alone, as with the pool
        closed = time.perf_counter()
        result = keywords_and_themes(terms, counts)
        finished = time.perf_counter()
    return {
        "scheduler": scheduler,
        "partitions": partitions,
        "start_up": start_up,
        "count": counted - started,
        "close": closed - counted,
        "total": finished - started,
        "pss": memory.peak_pss / MIB,
        "rss": memory.peak_rss / MIB,
        "parent": memory.peak_self_rss / MIB,
        "worker": memory.peak_worker_rss / MIB,
        "nnz": counts.nnz,
        "matrix": (counts.data.nbytes + counts.indices.nbytes + counts.indptr.nbytes) / MIB,
        "result": result,
    }


def _fresh(path: Path, n: int, scheduler: str, partitions: int | None) -> dict:
    """:func:`run` in a new process, so that memory left by earlier runs does not count."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:  # not daemonic: it may fork
        return pool.submit(run, path, n, scheduler, partitions).result()


def report(row: dict, size: float) -> None:
    how = row["scheduler"] + (f", {row['partitions']} partitions" if row["partitions"] else "")
    print(
        f"{how}: counting {row['count']:,.1f} s ({size / row['count']:.1f} MB/s"
        + (f", of which cluster start {row['start_up']:.1f} s" if row["start_up"] else "")
        + (f", cluster closed in {row['close']:.1f} s" if row["start_up"] else "")
        + f"), keywords + themes in total {row['total']:,.1f} s wall; peak PSS of parent + "
        f"workers {row['pss']:,.0f} MB (RSS summed {row['rss']:,.0f} MB), parent RSS "
        f"{row['parent']:,.0f} MB, largest worker RSS {row['worker']:,.0f} MB; matrix "
        f"{row['nnz']:,} non-zeros, {row['matrix']:,.0f} MB",
        flush=True,
    )


def same(a: dict, b: dict) -> bool:
    return (
        a["terms"] == b["terms"]
        and all(a[k].tobytes() == b[k].tobytes() for k in ("document_frequency", "keywords"))
        and a["labels"].tobytes() == b["labels"].tobytes()
        and a["themes"] == b["themes"]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000.0, help="archive size in MB")
    parser.add_argument("--scheduler", choices=["local", "dask", "both"], default="both")
    parser.add_argument(
        "--scaling-mb",
        type=float,
        default=0.0,
        help="also run Dask with 1, 2 and 4 partitions per core on an archive of this size",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="times the scaling table's runs are repeated"
    )
    args = parser.parse_args(argv)
    schedulers = ["local", "dask"] if args.scheduler == "both" else [args.scheduler]
    cores = default_jobs()
    print(f"{cores} cores; schedulers: {', '.join(schedulers)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.tsv"
        started = time.perf_counter()
        n = build_archive(path, args.mb)
        if not n:
            return 0
        size = path.stat().st_size / 1e6
        built = time.perf_counter() - started
        print(f"archive: {n:,} articles, {size:,.0f} MB (built in {built:.0f} s)", flush=True)
        rows = [run(path, n, scheduler) for scheduler in schedulers]
        for row in rows:
            report(row, size)
        if len(rows) == 2:
            ratio = rows[1]["total"] / rows[0]["total"]
            print(f"dask / local wall time: {ratio:.2f}; identical terms, keywords and "
                  f"themes: {same(rows[0]['result'], rows[1]['result'])}")  # fmt: skip
        result = rows[-1]["result"]
        print(f"vocabulary {len(result['terms']):,} terms; themes:")
        for theme, terms in result["themes"].items():
            print(f"  {theme}: {' '.join(terms)}")
        if args.scaling_mb and "dask" in schedulers:
            path.unlink()
            n = build_archive(path, args.scaling_mb)
            size = path.stat().st_size / 1e6
            print(f"\nscaling archive: {n:,} articles, {size:,.0f} MB; each run in a fresh "
                  f"process, {args.rounds} round(s)", flush=True)  # fmt: skip
            configurations = [("local", None)] + [("dask", k * cores) for k in (1, 2, 4)]
            table = []
            for _ in range(args.rounds):  # alternating, so that the machine's drift hits all
                for scheduler, partitions in configurations:
                    table.append(_fresh(path, n, scheduler, partitions))
                    report(table[-1], size)
            print("\n| scheduler | partitions | counting | MB/s | total wall | peak PSS, all "
                  "processes | largest worker RSS | identical to the pool |")  # fmt: skip
            print("|---|---|---|---|---|---|---|---|")
            for row in table:
                print(
                    f"| {row['scheduler']} | {row['partitions'] or '–'} | {row['count']:.1f} s "
                    f"| {size / row['count']:.1f} | {row['total']:.1f} s | {row['pss']:,.0f} MB "
                    f"| {row['worker']:,.0f} MB | {same(row['result'], table[0]['result'])} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
