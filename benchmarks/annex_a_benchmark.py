"""Annex A import speed and memory: synthetic workbooks read and every figure computed.

Speed: a 100,000-row workbook imported (only the sheets and columns the figures need read,
cleaned, every figure computed) against its floor, a direct python_calamine read of those
same sheets, alternating in the same run (best of `--repeat` each); the target is at most
1.2 times the floor. Memory: a 300,000-row workbook imported in a fresh process, against
the floor of a fresh process that only reads the same sheets directly; the target is a peak
under 400 MB. Each figure is printed beside its floor, with the ratio.

    python benchmarks/annex_a_benchmark.py [--rows 100000] [--memory-rows 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine  # noqa: E402

from evidence.performance.annex_a.headings import list_for_name  # noqa: E402
from evidence.performance.annex_a.measures import Period, columns_needed, figures_from_workbook  # noqa: E402
from evidence.performance.annex_a.synthetic import generate_workbook  # noqa: E402

MONTH = Period.month(dt.date(2025, 3, 1))
TODAY = dt.date(2025, 4, 10)


def direct_read(path: Path) -> int:
    """The floor: python_calamine reading every cell of the sheets the import reads."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    wanted = columns_needed()
    cells = 0
    for name in book.sheet_names:
        if list_for_name(name) in wanted:
            rows = book.get_sheet_by_name(name).to_python()
            cells += sum(len(row) for row in rows)
    return cells


def direct_read_collector_paused(path: Path) -> int:
    """The same direct read with Python's cycle collector paused, as the import pauses it."""
    gc.disable()
    try:
        return direct_read(path)
    finally:
        gc.enable()


def imported(path: Path) -> int:
    return len(figures_from_workbook(path, MONTH, today=TODAY).figures)


def best_of(repeat: int, work, path: Path) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work(path)
        times.append(time.perf_counter() - started)
    return min(times)


def peak_memory(path: Path, work: str = "imported") -> float:
    """Peak resident memory (MB) of a fresh process that runs `work` (a function here) on the workbook."""
    root, workbook = str(Path(__file__).resolve().parent.parent), str(path)
    code = (
        f"import resource, sys; sys.path.insert(0, {root!r});"
        f"from benchmarks.annex_a_benchmark import {work}; {work}({workbook!r});"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(output.split()[-1]) / 1024  # ru_maxrss is in kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workbook", type=Path, help="Use this synthetic workbook instead of generating one.")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = arguments.workbook or Path(folder) / "annex-a.xlsx"
        if not arguments.workbook:
            started = time.perf_counter()
            generate_workbook(path, rows=arguments.rows, period_end=dt.date(2025, 3, 31))
            print(
                f"generated {arguments.rows:,} rows in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.1f} MB)"
            )
        # Alternate, best of each, so that neither side gets a quieter machine.
        floor, paused, import_time = float("inf"), float("inf"), float("inf")
        for _ in range(arguments.repeat):
            floor = min(floor, best_of(1, direct_read, path))
            import_time = min(import_time, best_of(1, imported, path))
            paused = min(paused, best_of(1, direct_read_collector_paused, path))
        ratio = import_time / floor
        print(
            f"import of {arguments.rows:,} rows (read the columns needed, clean, compute every figure): "
            f"{import_time:.2f} s; floor (python_calamine reading the same sheets): {floor:.2f} s; "
            f"{ratio:.2f}x the floor (target at most 1.2x): {'met' if ratio <= 1.2 else 'NOT MET'}"
        )
        print(
            f"  (the floor with the cycle collector paused, as the import pauses it: {paused:.2f} s; "
            f"{import_time / paused:.2f}x that)"
        )

        if arguments.memory_rows:
            big = Path(folder) / "annex-a-big.xlsx"
            generate_workbook(big, rows=arguments.memory_rows, period_end=dt.date(2025, 3, 31))
            peak, floor_peak = peak_memory(big), peak_memory(big, "direct_read")
            print(
                f"peak memory importing {arguments.memory_rows:,} rows: {peak:.0f} MB; floor (a fresh process "
                f"reading the same sheets): {floor_peak:.0f} MB; {peak / floor_peak:.2f}x the floor "
                f"(target under 400 MB): {'met' if peak < 400 else 'NOT MET'}"
            )


if __name__ == "__main__":
    main()
