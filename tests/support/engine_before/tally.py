"""One pass over the evidence signals, building per-area working totals.

This is the hot path (10,000 signals in a few milliseconds): plain loops, integer
weights, a table look-up for the decay, no per-signal objects beyond what the caller
passed in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from judgement_framework.errors import InputError, UnknownAreaError, UnknownCriterionError, UnknownGradeError
from judgement_framework.schema import Framework
from judgement_framework.signals import (
    OFF_TARGET,
    UNRESOLVED_ESCALATION,
    WORSENING,
    Confidence,
    EvidenceSignal,
    SignalKind,
)

# Effective weight = round(weight * 100) * confidence factor * decay factor.
# Integers keep sums exact, so neither input order nor float rounding can move a
# weighted median (and the monotonicity proof holds exactly).
CONFIDENCE_FACTOR = {Confidence.LOW: 2, Confidence.MEDIUM: 3, Confidence.HIGH: 4}

# Recent evidence weighs more than old: the weight halves every freshness window (an item
# as old as the window counts half as much as one from today, one twice as old a quarter).
# Practice found six months ago may since have changed, so it says less about today.
# DECAY_SCALE is today's factor; the factor never falls below 1, so old evidence is
# outweighed by new but never vanishes (it still says something when nothing newer does).
DECAY_SCALE = 1024
DECAY_FLOOR = 1
DECAY_DAYS = 12 * 366  # beyond twelve years every factor is the floor


@lru_cache(maxsize=16)
def decay_table(freshness_days: int) -> tuple[int, ...]:
    """Decay factor by age in days, computed once per window so the hot loop only indexes."""
    half_life = max(1, freshness_days)
    return tuple(max(DECAY_FLOOR, round(DECAY_SCALE * 0.5 ** (age / half_life))) for age in range(DECAY_DAYS))


def decay_factor(age_days: int, freshness_days: int) -> int:
    table = decay_table(freshness_days)
    return table[age_days] if age_days < len(table) else DECAY_FLOOR


class AreaTally:
    __slots__ = (
        "weights",
        "graded_ids",
        "kinds",
        "total",
        "fresh",
        "covered",
        "stale",
        "below_good",
        "escalations",
        "off_target",
        "worsening",
        "counts",
        "fresh_counts",
        "fresh_weight",
        "worst_ids",
        "case_types",
        "teams",
        "audits",
        "moderated",
        "practice",
    )

    def __init__(self, grade_count: int):
        self.weights = [0] * grade_count  # effective (decayed) weight per grade rank
        self.counts = [0] * grade_count  # graded items per grade rank
        self.fresh_counts = [0] * grade_count  # fresh graded items per grade rank
        self.fresh_weight = 0  # the part of the weight from fresh items
        self.worst_ids: list[str] = []  # graded at the worst grade, for the drivers
        self.case_types: set[str] = set()  # among fresh graded items
        self.teams: set[str] = set()
        self.audits = 0  # fresh graded case audits
        self.moderated = 0  # of which moderated
        self.practice = 0  # fresh graded items that look at practice, not numbers
        self.graded_ids: list[str] = []
        self.kinds: set[SignalKind] = set()  # kinds among fresh signals
        self.total = 0
        self.fresh = 0
        self.covered: set[str] = set()  # criteria with fresh evidence
        self.stale: defaultdict[str, list[EvidenceSignal]] = defaultdict(list)
        self.below_good: list[EvidenceSignal] = []
        self.escalations: list[EvidenceSignal] = []
        self.off_target: list[EvidenceSignal] = []
        self.worsening: list[EvidenceSignal] = []


def tally_signals(
    framework: Framework, signals: Sequence[EvidenceSignal], as_of: dt.date, freshness_days: int
) -> dict[str, AreaTally]:
    try:
        return _tally(framework, signals, as_of, freshness_days)
    except InputError:
        # Re-check in id order so the error reported never depends on input order.
        _validate(framework, sorted(signals, key=lambda s: s.id))
        raise


def _tally(
    framework: Framework, signals: Iterable[EvidenceSignal], as_of: dt.date, freshness_days: int
) -> dict[str, AreaTally]:
    rank = framework.grade_rank
    owner = framework.criterion_area  # hoisted: pydantic attribute access is slow in a loop
    expected = rank[framework.expected_grade]
    tallies = {a.id: AreaTally(len(rank)) for a in framework.areas if a.kind != "overall"}
    cutoff = as_of - dt.timedelta(days=freshness_days)
    today = as_of.toordinal()
    decay = decay_table(freshness_days)
    last_age = len(decay)
    worst = len(rank) - 1
    performance = SignalKind.PERFORMANCE_DATA
    case_audit = SignalKind.CASE_AUDIT
    seen: set[str] = set()
    for s in signals:
        t = tallies.get(s.area_id)
        if t is None or s.id in seen or (s.grade is not None and s.grade not in rank):
            raise InputError("invalid signal")  # replaced by a precise message in _validate
        for c in s.criterion_ids:
            if owner.get(c) != s.area_id:
                raise InputError("invalid criterion")
        seen.add(s.id)
        if s.date > as_of:
            continue  # not known yet on the as_of date
        t.total += 1
        fresh = s.date >= cutoff
        if UNRESOLVED_ESCALATION in s.flags:
            t.escalations.append(s)
        if fresh:
            t.fresh += 1
            t.kinds.add(s.kind)
            t.covered.update(s.criterion_ids)
            if s.grade is not None and rank[s.grade] > expected:
                t.below_good.append(s)
            if s.kind is SignalKind.PERFORMANCE_DATA:
                if OFF_TARGET in s.flags:
                    t.off_target.append(s)
                if WORSENING in s.flags:
                    t.worsening.append(s)
        else:
            for c in s.criterion_ids:
                t.stale[c].append(s)
        if s.grade is not None:
            r = rank[s.grade]
            age = today - s.date.toordinal()
            w = max(1, round(s.weight * 100)) * CONFIDENCE_FACTOR[s.confidence]
            w *= decay[age] if age < last_age else DECAY_FLOOR
            t.weights[r] += w
            t.counts[r] += 1
            t.graded_ids.append(s.id)
            if r == worst:
                t.worst_ids.append(s.id)
            if fresh:
                t.fresh_counts[r] += 1
                t.fresh_weight += w
                if s.kind is not performance:
                    t.practice += 1
                if s.case_type is not None:
                    t.case_types.add(s.case_type)
                if s.team is not None:
                    t.teams.add(s.team)
                if s.kind is case_audit:
                    t.audits += 1
                    if s.moderated:
                        t.moderated += 1
    return tallies


def _validate(framework: Framework, signals: Iterable[EvidenceSignal]) -> None:
    seen: set[str] = set()
    for s in signals:
        area = framework.area_by_id.get(s.area_id)
        if area is None:
            raise UnknownAreaError(s.area_id, framework.id)
        if area.kind == "overall":
            raise InputError(
                f"signal {s.id!r} names the overall area {s.area_id!r}; evidence belongs to the judgements it is built from"
            )
        if s.id in seen:
            raise InputError(f"signal id {s.id!r} is used more than once")
        seen.add(s.id)
        if s.grade is not None and s.grade not in framework.grade_rank:
            raise UnknownGradeError(s.grade, framework.id)
        for c in s.criterion_ids:
            if framework.criterion_area.get(c) != s.area_id:
                raise UnknownCriterionError(c, s.area_id)
