"""``code`` and ``tone`` on a table of about 1 GB, through this machine's worker processes.

Run: .venv/bin/python -m benchmarks.coding_scale [--rows 1500000]

The table is the one of ``benchmarks.large_inputs`` part d (id, date, title, text,
category; texts of 100 to 300 characters made of THUCNews/Sogou sentences); 1,500,000 rows
are about 1 GB. Each step is a fresh process; wall time and the peak memory of the
process and its workers together (PSS) are printed. Baselines in the same run: reading
the table with ``load_articles`` (every command reads it first: the floor of any
command) and with ``pandas.read_csv``.

- ``code TABLE --rules analysis/resources/labour_codes.txt --view summary``
- ``tone TABLE --group-by category``
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from analysis.methods.codebook import LABOUR_CODES
from benchmarks.large_inputs import load, run, short_texts, write_table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000, help="rows of the table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        mb = write_table(path, args.rows, short_texts())
        os.sync()
        print(f"a table of {args.rows:,} rows ({mb:.0f} MB)")
        for reader in ("pandas.read_csv", "load_articles"):
            seconds, peak = load(reader, path)
            print(f"  {'read with ' + reader:36} {seconds:6.1f} s  {peak:6.0f} MB peak")
        steps = {
            "code --view summary": (
                "code",
                str(path),
                "--rules",
                str(LABOUR_CODES),
                "--view",
                "summary",
            ),
            "tone --group-by category": ("tone", str(path), "--group-by", "category"),
        }
        for label, command in steps.items():
            seconds, peak = run(*command)
            print(f"  {label:36} {seconds:6.1f} s  {peak:6.0f} MB peak")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
