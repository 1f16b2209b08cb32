"""Large and many inputs through the command line: one huge page, 20,000 tiny files, and
a table of a million rows.

Run: .venv/bin/python -m benchmarks.large_inputs [--page-mb 200] [--files 20000]
     [--rows 1000000] [--part a b c d]

Part a, one huge page: the seed page repeated to --page-mb MB (and to a tenth and a third
of it) is split by `articles`. Baseline: linear growth, i.e. the same marginal seconds per
MB from the tenth to the third as from the third to the whole (process start-up, about
1 s, is in every run and cancels out of the marginal cost).
Part b, keywords on that page against keywords on the same articles as separate records
(a JSONL file of the page's articles, the baseline): the difference is the cost of
splitting one page, everything after it is the same work.
Part c, --files short documents (THUCNews-1k and Sogou-mini sentences, one to three a
file, or seed paragraphs when ../shared is absent), one file each: `articles`,
`clusters` (k chosen on a sample) and `themes`. Baseline: `clusters --k 5` and
`themes --k 5`, the same work without choosing k.
Part d, a CSV of --rows rows (id, date, title, text, category; texts of 100 to 300
characters made of those sentences, one in twenty with a quoted line break): loading it
with load_articles (and with compact=True, what `keywords` reads) against pandas.read_csv
of the same file (the baseline: the fastest common way to read a CSV, with no parsing of
articles), then `keywords` on it.

Every run is a fresh process (`python -m analysis ... --no-cache`, or `python -c` for the
readers of part d); wall time and the peak memory of that process and its workers
together (PSS, sampled from /proc by benchmarks._common.MemorySampler) are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.config import SEEDS_DIR
from analysis.reading.corpus import load_articles
from benchmarks._common import MemorySampler, corpus_or_skip

MIB = 1024 * 1024


def run(*args: str) -> tuple[float, float]:
    """Wall seconds and peak PSS (MB) of one CLI run; its output is discarded."""
    return measure([sys.executable, "-m", "analysis", "--no-cache", *args])


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak PSS (MB) of a fresh process; its output is discarded."""
    started = time.perf_counter()
    with MemorySampler() as memory:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if done.returncode:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise SystemExit(f"failed: {' '.join(command[1:])}: {tail}")
    return seconds, memory.peak_pss / MIB


def seed_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))


def write_page(path: Path, megabytes: float, seed: str) -> float:
    copies = max(1, round(megabytes * 1e6 / len(seed.encode("utf-8"))))
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(copies):
            handle.write(seed)
            handle.write("\n\n")
    return path.stat().st_size / 1e6


def short_texts() -> list[str]:
    texts = []
    for name, filename in (
        ("thucnews_cnews_1k", "cnews_sample_1000.tsv"),
        ("sogou_mini_5cat", "sogou_mini_test.csv"),
    ):
        root = corpus_or_skip(name)
        if root is not None:
            texts += load_articles(root / filename)["text"].tolist()
    if not texts:
        texts = [p for a in load_articles()["paragraphs"] for p in a]
    sentences = [s for t in texts for s in re.findall(r"[^。！？]+[。！？]", t) if len(s) > 8]
    return sentences


def write_files(folder: Path, count: int) -> int:
    rng = random.Random(0)
    sentences = short_texts()
    size = 0
    for k in range(count):
        text = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
        (folder / f"{k:05d}.txt").write_text(text + "\n", encoding="utf-8")
        size += len(text.encode("utf-8")) + 1
    return size


CATEGORIES = ("体育", "财经", "房产", "教育", "科技", "时政", "娱乐", "社会")


def write_table(path: Path, rows: int, sentences: list[str]) -> float:
    """A CSV of ``rows`` articles whose texts are random runs of ``sentences`` of 100 to
    300 characters; its size in MB."""
    rng = random.Random(0)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "title", "text", "category"])
        for k in range(rows):
            size = rng.randint(100, 300)
            text = ""
            while len(text) < size:
                text += rng.choice(sentences)
            if k % 20 == 0:
                text = text.replace("。", "。\n", 1)  # quoted, over two lines
            date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            title = rng.choice(sentences)[: rng.randint(8, 24)]
            writer.writerow([f"a{k:07d}", date, title, text[:size], rng.choice(CATEGORIES)])
    return path.stat().st_size / 1e6


def load(reader: str, path: Path) -> tuple[float, float]:
    """Wall seconds and peak PSS (MB) of reading ``path`` in a fresh process."""
    code, options = {
        "load_articles": ("from analysis.reading.corpus import load_articles as read", ""),
        "load_articles compact": (
            "from analysis.reading.corpus import load_articles as read",
            ", compact=True",
        ),
        "pandas.read_csv": ("from pandas import read_csv as read", ""),
    }[reader]
    return measure([sys.executable, "-c", f"{code}; read({str(path)!r}{options})"])


def huge_page(root: Path, megabytes: float, parts: list[str]) -> None:
    """Parts a and b."""
    seed = seed_text()
    page = root / "page.txt"
    if "a" in parts:
        print("a. one page (the seed repeated), `articles`; linear when the marginal")
        print("   cost per MB (between this size and the one before) stays flat")
        print(f"{'MB':>7} {'seconds':>8} {'peak MB':>8} {'marginal s/MB':>14}")
        before = None
        for fraction in (0.1, 1 / 3, 1.0):
            mb = write_page(page, megabytes * fraction, seed)
            seconds, peak = run("articles", str(page))
            marginal = f"{(seconds - before[1]) / (mb - before[0]):14.3f}" if before else ""
            print(f"{mb:7.1f} {seconds:8.1f} {peak:8.0f} {marginal:>14}")
            before = (mb, seconds)
    if "b" in parts:
        # part a left the page at its full size
        mb = page.stat().st_size / 1e6 if "a" in parts else write_page(page, megabytes, seed)
        print(f"\nb. keywords on the {mb:.0f} MB page, baseline: the same articles as records")
        separate = root / "articles.jsonl"
        with open(separate, "w", encoding="utf-8") as handle:
            for text in load_articles(page)["text"]:
                handle.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        for label, path in (("one page", page), ("separate articles (baseline)", separate)):
            seconds, peak = run("keywords", str(path), "--top", "5")
            print(f"  {label:30} {seconds:6.1f} s  {peak:6.0f} MB peak")
        separate.unlink()
    page.unlink(missing_ok=True)


def tiny_files(root: Path, count: int) -> None:
    """Part c."""
    tiny = root / "tiny"
    tiny.mkdir()
    size = write_files(tiny, count)
    print(f"\nc. {count:,} tiny files ({size / 1e6:.1f} MB), baseline: k fixed at 5")
    for command in (
        ["articles"],
        ["clusters"],
        ["clusters", "--k", "5"],
        ["themes"],
        ["themes", "--k", "5"],
    ):
        seconds, peak = run(command[0], str(tiny), *command[1:])
        print(f"  {' '.join(command):30} {seconds:6.1f} s  {peak:6.0f} MB peak")


def large_table(root: Path, rows: int) -> None:
    """Part d."""
    path = root / "big.csv"
    mb = write_table(path, rows, short_texts())
    os.sync()  # the file on disk before the runs, which writing it back would slow
    print(f"\nd. a table of {rows:,} rows ({mb:.0f} MB), baseline: pandas.read_csv")
    for label in ("pandas.read_csv", "load_articles", "load_articles compact"):
        seconds, peak = load(label, path)
        print(f"  {'read with ' + label:30} {seconds:6.1f} s  {peak:6.0f} MB peak")
    seconds, peak = run("keywords", str(path))
    print(f"  {'keywords':30} {seconds:6.1f} s  {peak:6.0f} MB peak")
    path.unlink()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page-mb", type=float, default=200.0, help="size of the huge page")
    parser.add_argument("--files", type=int, default=20_000, help="number of tiny files")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the table")
    parser.add_argument(
        "--part", nargs="+", choices="abcd", default=list("abcd"), help="the parts to run"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if {"a", "b"} & set(args.part):
            huge_page(root, args.page_mb, args.part)
        if "c" in args.part:
            tiny_files(root, args.files)
        if "d" in args.part:
            large_table(root, args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
