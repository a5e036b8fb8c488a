"""Indicators as evidence: each becomes a performance-data signal for the scorer.

The grade an indicator points to comes from where it stands against its target:
on target (green) points to good, near target (amber) to requires improvement, off target
(red) to inadequate. Performance data alone never points to outstanding: numbers show
compliance, not the quality of practice behind it, so even a green figure better than the
England average points to good. The signal is flagged `off_target` when the latest value is
amber or red, and `worsening` when it has moved the wrong way three periods running.

Two queries whatever the number of indicators and months.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from evidence.performance.indicators import all_indicators, values_by_indicator
from evidence.performance.models import Direction, Indicator, IndicatorValue, Rag
from judgement_framework import EvidenceSignal, Framework, SignalKind, signal_id
from judgement_framework.signals import OFF_TARGET, WORSENING

GRADE_FOR_RAG = {Rag.GREEN: "good", Rag.AMBER: "requires_improvement", Rag.RED: "inadequate"}
WORSENING_RUN = 3


def indicator_signals(framework: Framework, as_of: dt.date) -> list[EvidenceSignal]:
    grouped = values_by_indicator(until=as_of)
    signals = []
    for indicator in all_indicators():
        series = grouped.get(indicator.id, [])
        if series:
            signals += signals_for(indicator, series, framework)
    return signals


def signals_for(indicator: Indicator, series: list[IndicatorValue], framework: Framework) -> list[EvidenceSignal]:
    latest = series[-1]
    rag = indicator.rag(latest.value)
    flags = set()
    if rag is not Rag.GREEN:
        flags.add(OFF_TARGET)
    if is_worsening(indicator, [row.value for row in series]):
        flags.add(WORSENING)
    grade = GRADE_FOR_RAG[rag]
    signals = []
    for area_id in indicator.areas:
        if area_id not in framework.area_by_id:
            continue
        signals.append(
            EvidenceSignal(
                id=signal_id("indicator", indicator.id, area_id),
                area_id=area_id,
                date=latest.period,
                title=f"{indicator.name}: {indicator.show(latest.value)} in {latest.period:%B %Y}",
                kind=SignalKind.PERFORMANCE_DATA,
                criterion_ids=tuple(c for c in indicator.criteria if framework.criterion_area.get(c) == area_id),
                grade=grade if grade in framework.grade_rank else None,
                service_area=indicator.service_area.value if indicator.service_area else None,
                flags=frozenset(flags),
            )
        )
    return signals


def is_worsening(indicator: Indicator, values: list[float]) -> bool:
    """Three consecutive moves the wrong way (four periods, each worse than the one before)."""
    if len(values) <= WORSENING_RUN:
        return False
    recent = values[-(WORSENING_RUN + 1) :]
    return all(indicator.direction(now, before) is Direction.WORSE for before, now in pairwise(recent))
