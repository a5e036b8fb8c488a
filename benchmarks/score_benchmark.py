"""How long score() takes on synthetic evidence, beside its floor. Not a test: run it and read the figures.

    PYTHONPATH=. python benchmarks/score_benchmark.py [--sizes 100,10000,100000,1000000]

The floor is a trivial pass over the same signals (each one's area, grade, weight and date
read and summed by area and grade): what any scorer must at least do. score() and the floor
alternate in the same run; each figure is the median of its runs. Targets (printed, not
asserted): 10,000 signals in under 50 ms, 1,000,000 in under 1 s, on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import time

from judgement_framework import EvidenceSignal, ReviewerGrade, SignalKind, load_framework, score
from judgement_framework.schema import Framework

AS_OF = dt.date(2024, 6, 30)
RUNS = 7
RUNS_AT_A_MILLION = 3  # a run is seconds there, and the figure steadies within three
SIZES = (100, 10_000, 100_000, 1_000_000)
TARGETS_MS = {10_000: 50.0, 1_000_000: 1000.0}


def synthetic_signals(fw: Framework, count: int, seed: int = 1) -> list[EvidenceSignal]:
    rng = random.Random(seed)
    areas = [a for a in fw.areas if a.kind != "overall"]
    grades = [g.id for g in fw.grades] + [None]
    kinds = list(SignalKind)
    signals = []
    for i in range(count):
        area = rng.choice(areas)
        flags = frozenset(
            f
            for f, p in (("off_target", 0.05), ("worsening", 0.03), ("unresolved_escalation", 0.002))
            if rng.random() < p
        )
        signals.append(
            EvidenceSignal(
                id=f"ev-{i:06d}",
                area_id=area.id,
                date=AS_OF - dt.timedelta(days=rng.randrange(400)),
                title=f"Evidence item {i}",
                kind=rng.choice(kinds),
                criterion_ids=tuple(c.id for c in rng.sample(area.criteria, k=rng.randint(1, 2))),
                grade=rng.choice(grades),
                weight=rng.choice((0.5, 1.0, 2.0)),
                confidence=rng.choice(("low", "medium", "high")),
                flags=flags,
            )
        )
    return signals


def floor_pass(signals: list[EvidenceSignal]) -> dict:
    """The floor: one pass reading what every score must read of each signal."""
    totals: dict = {}
    for signal in signals:
        key = (signal.area_id, signal.grade)
        totals[key] = totals.get(key, 0.0) + signal.weight * (AS_OF - signal.date).days
    return totals


def median_ms(fw: Framework, signals: list[EvidenceSignal], runs: int) -> tuple[float, float, float]:
    """Median ms of score() and of the floor, alternating run by run, and score()'s median CPU
    ms (on a shared machine the steadier figure: time other work takes is not in it)."""
    reviews = [ReviewerGrade(a.id, "Mock inspector", "good") for a in fw.areas]
    times, floors, cpus = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        floor_pass(signals)
        floors.append((time.perf_counter() - start) * 1000)
        start, cpu = time.perf_counter(), time.process_time()
        score(fw, signals, reviews, AS_OF)
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(times), statistics.median(floors), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES),
        help="signal counts, comma-separated (default 100,10000,100000,1000000)",
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("score() and its floor (a trivial pass over the same signals), median of runs, milliseconds")
    print(
        f"{'framework':<12}{'signals':>11}{'runs':>6}{'score ms':>11}{'cpu ms':>9}{'floor ms':>10}{'x floor':>9}  target"
    )
    verdicts = []
    for framework_id in ("sif-2013", "ilacs-2023"):
        fw = load_framework(framework_id)
        for count in sizes:
            signals = synthetic_signals(fw, count)
            runs = RUNS_AT_A_MILLION if count >= 1_000_000 else RUNS
            ms, floor, cpu = median_ms(fw, signals, runs)
            del signals
            gc.collect()
            target = TARGETS_MS.get(count)
            verdict = ""
            if target is not None:
                verdict = f"under {target:g} ms: {'met' if ms < target else 'NOT MET'}"
                verdicts.append((count, ms, floor, cpu))
            print(
                f"{framework_id:<12}{count:>11,}{runs:>6}{ms:>11.1f}{cpu:>9.1f}{floor:>10.1f}{ms / floor:>8.1f}x  {verdict}"
            )
    if 1_000_000 in sizes:
        _count, ms, floor, cpu = max((v for v in verdicts if v[0] == 1_000_000), key=lambda v: v[1])
        print(
            f"score: 1,000,000 signals in {ms:.0f} ms at worst ({cpu:.0f} ms CPU), the floor {floor:.0f} ms, "
            f"{ms / floor:.1f}x (target under 1,000 ms: {'met' if ms < 1000 else 'NOT MET'})"
        )


if __name__ == "__main__":
    main()
