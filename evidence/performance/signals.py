"""Indicators as evidence: each becomes a performance-data signal for the scorer.

An indicator is graded evidence only when it says something about practice with enough
children behind it, measured against the standard and against England (docs/scoring_rules.md):
- fewer than MIN_CASES children in the months pooled (or counts not recorded): no grade; the
  signal still covers its criteria and carries its flags, since 2 late conferences of 4 say
  little about a service;
- on target and no worse than England: good (numbers show compliance, not the quality of
  practice behind it, so never outstanding); on target with no England figure to compare is
  requires improvement, since a local target alone is not the national standard;
- off target in at least SUSTAINED_RED of the last POOL_PERIODS periods and worse than
  England: inadequate;
- anything else (near target, one red month, or red but no worse than England): requires
  improvement.
The signal is flagged `off_target` when the latest value is amber or red, and `worsening`
when it has moved the wrong way three periods running.

Two queries whatever the number of indicators and months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from evidence.performance.indicators import RecentValue, all_indicators, recent_values_by_indicator
from evidence.performance.models import Direction, Indicator, Polarity, Rag
from judgement_framework import EvidenceSignal, Framework, SignalKind, signal_id
from judgement_framework.signals import OFF_TARGET, WORSENING

WORSENING_RUN = 3
POOL_PERIODS = 3
MIN_CASES = 20
SUSTAINED_RED = 2


def indicator_signals(framework: Framework, as_of: dt.date) -> list[EvidenceSignal]:
    grouped = recent_values_by_indicator(until=as_of, last=max(POOL_PERIODS, WORSENING_RUN + 1))
    signals = []
    for indicator in all_indicators():
        series = grouped.get(indicator.id, [])
        if series:
            signals += signals_for(indicator, series, framework)
    return signals


def signals_for(indicator: Indicator, series: Sequence[RecentValue], framework: Framework) -> list[EvidenceSignal]:
    latest = series[-1]
    rag = indicator.rag(latest.value)
    flags = set()
    if rag is not Rag.GREEN:
        flags.add(OFF_TARGET)
    if is_worsening(indicator, [row.value for row in series]):
        flags.add(WORSENING)
    grade = indicator_grade(indicator, series)
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
                grade=grade if grade is not None and grade in framework.grade_rank else None,
                service_area=indicator.service_area.value if indicator.service_area else None,
                flags=frozenset(flags),
            )
        )
    return signals


def cases_behind(series: Sequence[RecentValue]) -> int | None:
    """Children counted over the last POOL_PERIODS periods, or None when a count is missing."""
    recent = series[-POOL_PERIODS:]
    if any(row.denominator is None for row in recent):
        return None
    return sum(row.denominator or 0 for row in recent)


def worse_than_england(indicator: Indicator, value: float) -> bool:
    if indicator.england_average is None:
        return False
    if indicator.polarity is Polarity.HIGHER:
        return value < indicator.england_average
    return value > indicator.england_average


def indicator_grade(indicator: Indicator, series: Sequence[RecentValue]) -> str | None:
    """The grade the indicator points to, or None when too few children stand behind it."""
    cases = cases_behind(series)
    if cases is None or cases < MIN_CASES:
        return None
    latest = series[-1].value
    rag = indicator.rag(latest)
    if rag is Rag.GREEN and indicator.england_average is not None and not worse_than_england(indicator, latest):
        return "good"
    reds = sum(1 for row in series[-POOL_PERIODS:] if indicator.rag(row.value) is Rag.RED)
    if rag is Rag.RED and reds >= SUSTAINED_RED and worse_than_england(indicator, latest):
        return "inadequate"
    return "requires_improvement"


def is_worsening(indicator: Indicator, values: list[float]) -> bool:
    """Three consecutive moves the wrong way (four periods, each worse than the one before)."""
    if len(values) <= WORSENING_RUN:
        return False
    recent = values[-(WORSENING_RUN + 1) :]
    return all(indicator.direction(now, before) is Direction.WORSE for before, now in pairwise(recent))
