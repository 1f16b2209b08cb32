"""How fast pages are read: MB of page files a second through ``load_articles``.

Run:
    .venv/bin/python -m benchmarks.reading_speed [--copies 50] [--rounds 3]

Issue 17's target: reading stays at 5 MB/s or more for page text on this machine.

Inputs, written to a temporary folder (nothing is read from outside the repository):

- **page text, many files**: the plain-text pages of ``benchmarks/pages/`` and the seed
  page, one copy of each in each of ``--copies`` sub-folders (a folder of different
  pages, as a user's collection is; each folder holds them all, so the folder's repeated
  top and bottom lines are looked for, as they are for a user's);
- **page text, one file**: the same pages written one after another into one file per
  copy (a long dump);
- **markdown** and **web pages**: the labelled ``.md`` and ``.html`` pages, read by the
  line-role model (for the record; the target is for page text).

Each input is read ``--rounds`` times in this process after one warm-up read of the
seed (dictionaries, the model), the token cache off; the best and the median round are
printed with MB/s (bytes of the files on disk).

Also timed: ours in one process (``PARALLEL_BYTES`` set out of reach), as a small load
is read. Baseline in the same run, on the same files: the script a user would write,
each file read as UTF-8 and cut into paragraphs at blank lines (no encoding detection,
no articles): the floor that reading from disk and splitting text costs here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.page_keys import PAGES_DIR, _is_doc

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _text_pages() -> list[Path]:
    return sorted(PAGES_DIR.glob("*/*.txt")) + sorted(SEEDS.glob("*.txt"))


def make_inputs(folder: Path, copies: int) -> dict[str, list[Path]]:
    """Write the inputs under ``folder``; return {name: the folders to read}."""
    pages = _text_pages()
    many, one = folder / "text-many", folder / "text-one"
    one.mkdir(parents=True)
    joined = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in pages) + "\n"
    for n in range(copies):
        sub = many / f"{n:03d}"
        sub.mkdir(parents=True)
        for page in pages:
            shutil.copyfile(page, sub / f"{page.parent.name}-{page.name}")
        (one / f"dump-{n:03d}.txt").write_text(joined, encoding="utf-8")
    # load_articles reads the files of the folders it is given, not of their sub-folders
    inputs = {"page text, many files": sorted(many.iterdir()), "page text, one file a copy": [one]}
    for name, pattern in (("markdown (model)", "*/*.md"), ("web pages (model)", "*/*.html")):
        target = folder / name.split()[0]
        target.mkdir()
        for page in sorted(PAGES_DIR.glob(pattern)):
            if not _is_doc(page):  # a source's SOURCE.md is no page
                shutil.copyfile(page, target / f"{page.parent.name}-{page.name}")
        inputs[name] = [target]
    return inputs


def _files(folders: list[Path]) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.iterdir()) if p.is_file()]


def naive(folders: list[Path]) -> int:
    """The baseline: every file read as UTF-8 and cut at blank lines."""
    paragraphs = 0
    for path in _files(folders):
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs += sum(1 for part in text.split("\n\n") if part.strip())
    return paragraphs


def _timed(function, argument, rounds: int) -> tuple[list[float], object]:
    seconds, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = function(argument)
        seconds.append(time.perf_counter() - started)
    return seconds, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=50, help="copies of the page text")
    parser.add_argument("--rounds", type=int, default=3, help="reads of each input")
    args = parser.parse_args(argv)
    os.environ["ANALYSIS_NO_CACHE"] = "1"
    warnings.simplefilter("ignore")  # the pages' own warnings (Traditional script …)
    from analysis.reading import workers
    from analysis.reading.corpus import load_articles

    def one_process(folders: list[Path]):
        saved, workers.PARALLEL_BYTES = workers.PARALLEL_BYTES, float("inf")
        try:
            return load_articles(folders)
        finally:
            workers.PARALLEL_BYTES = saved

    load_articles(SEEDS)  # warm-up: imports, dictionaries, the line-role model
    folder = Path(tempfile.mkdtemp(prefix="reading-speed-"))
    try:
        inputs = make_inputs(folder, args.copies)
        print(f"{args.rounds} rounds each; best and median MB/s (MB of files on disk)")
        print(f"{'input':26} {'MB':>6} {'files':>5} {'articles':>8}  {'ours best / median':>30}"
              f"  {'one process':>11}  {'baseline':>9}")  # fmt: skip
        for name, path in inputs.items():
            size = sum(p.stat().st_size for p in _files(path)) / 1e6
            files = len(_files(path))
            ours, frame = _timed(load_articles, path, args.rounds)
            alone, _ = _timed(one_process, path, args.rounds)
            base, _ = _timed(naive, path, args.rounds)
            print(
                f"{name:26} {size:6.2f} {files:5d} {len(frame):8d}  "
                f"{size / min(ours):6.2f} / {size / statistics.median(ours):5.2f} MB/s"
                f" ({min(ours):5.2f} s)  {size / min(alone):6.2f} MB/s"
                f"  {size / min(base):5.0f} MB/s"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
