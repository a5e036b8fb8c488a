"""How long score() takes on synthetic evidence. Not a test: run it and read the figures.

    PYTHONPATH=. python benchmarks/score_benchmark.py

Target: 10,000 signals in under 50 ms on one core.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from judgement_framework import EvidenceSignal, ReviewerGrade, SignalKind, load_framework, score
from judgement_framework.schema import Framework

AS_OF = dt.date(2024, 6, 30)
RUNS = 7


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


def median_ms(fw: Framework, signals: list[EvidenceSignal]) -> float:
    reviews = [ReviewerGrade(a.id, "Mock inspector", "good") for a in fw.areas]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        score(fw, signals, reviews, AS_OF)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print(f"score() median of {RUNS} runs, milliseconds")
    print(f"{'framework':<12}{'signals':>10}{'ms':>10}")
    for framework_id in ("sif-2013", "ilacs-2023"):
        fw = load_framework(framework_id)
        for count in (100, 10_000, 100_000):
            print(f"{framework_id:<12}{count:>10,}{median_ms(fw, synthetic_signals(fw, count)):>10.1f}")


if __name__ == "__main__":
    main()
