"""Annex A import speed: a synthetic workbook of 100,000 rows read and computed.

Prints the time for the import (reading, cleaning and computing every figure) and its ratio
to a bare `pandas.read_excel` of the same workbook with the same engine. Targets: under 20
seconds, and under 3 times the bare read.

    python benchmarks/annex_a_benchmark.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidence.performance.annex_a.measures import Period, compute_all
from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.annex_a.workbook import read_workbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex-a.xlsx"
        started = time.perf_counter()
        generate_workbook(path, rows=rows, period_end=dt.date(2025, 3, 31))
        print(f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")

        started = time.perf_counter()
        pd.read_excel(path, sheet_name=None, engine="calamine")
        bare = time.perf_counter() - started

        started = time.perf_counter()
        workbook = read_workbook(str(path))
        figures = compute_all(workbook, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
        imported = time.perf_counter() - started

    print(f"bare pandas.read_excel (calamine): {bare:.2f} s")
    print(f"import (read, clean, compute {len(figures)} figures): {imported:.2f} s")
    print(f"ratio import / bare read: {imported / bare:.2f}x (target under 3x)")
    print(f"under 20 s: {'yes' if imported < 20 else 'NO'}")


if __name__ == "__main__":
    main()
