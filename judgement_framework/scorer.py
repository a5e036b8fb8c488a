"""The scorer: evidence signals in, an indicative grade, coverage, confidence and gaps out.

A pure function: the same inputs in any order give the same Outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .errors import InputError, UnknownAreaError, UnknownGradeError
from .gaps import build_gaps
from .results import AreaOutcome, Coverage, Outcome
from .rules import RulesResult, apply_rules
from .schema import Area, Framework
from .signals import EvidenceSignal, Kloe, ReviewerGrade
from .tally import AreaTally, tally_signals

CONFIDENCE_LEVELS = ("none", "low", "medium", "high")


def score(
    framework: Framework,
    signals: Sequence[EvidenceSignal],
    reviewer_grades: Sequence[ReviewerGrade],
    as_of: dt.date,
    *,
    kloes: Sequence[Kloe] = (),
    freshness_days: int = 183,
) -> Outcome:
    reviews = _sorted_reviews(framework, reviewer_grades)
    kloe_list = _sorted_kloes(framework, kloes)
    tallies = tally_signals(framework, signals, as_of, freshness_days)
    outcomes = {
        a.id: _area_outcome(framework, a, tallies[a.id], reviews) for a in framework.areas if a.kind != "overall"
    }
    indicative = {k: o.indicative_grade for k, o in outcomes.items() if o.indicative_grade is not None}
    rules = apply_rules(framework, indicative)
    overall_area = framework.overall_area
    if overall_area is not None:
        outcomes[overall_area.id] = _overall_outcome(framework, overall_area, rules, outcomes, reviews)
    ordered = tuple(outcomes[a.id] for a in framework.areas)
    gaps = build_gaps(framework, tallies, ordered, kloe_list, as_of, freshness_days)
    return Outcome(framework.id, as_of, freshness_days, ordered, rules, gaps)


def weighted_median_rank(weights: Sequence[int]) -> int | None:
    """Best rank r whose cumulative weight (r or better) exceeds half the total.

    Ties resolve toward the worse grade. Adding weight at a rank no worse than the
    current median keeps that rank's cumulative share above half, so the median can
    only stay or improve: the indicative grade is monotone in better evidence.
    """
    total = sum(weights)
    if total == 0:
        return None
    running = 0
    for r, w in enumerate(weights):
        running += w
        if 2 * running > total:
            return r
    raise AssertionError("unreachable: cumulative weight reaches the total")


def _area_outcome(
    framework: Framework, area: Area, t: AreaTally, reviews: dict[str, tuple[ReviewerGrade, ...]]
) -> AreaOutcome:
    rank = weighted_median_rank(t.weights)
    driven_by = sorted(t.graded_ids)
    capped = False
    cap = framework.escalation_cap
    # An unresolved escalation means a child may not yet be safe: the area cannot be
    # indicated better than the cap (requires improvement) until it is resolved.
    if rank is not None and cap is not None and t.escalations and rank < framework.grade_rank[cap]:
        rank, capped = framework.grade_rank[cap], True
        driven_by = sorted({*driven_by, *(s.id for s in t.escalations)})
    coverage = _coverage(area, t)
    return AreaOutcome(
        area.id,
        area.title,
        area.kind,
        framework.grades[rank].id if rank is not None else None,
        tuple(driven_by),
        capped,
        coverage,
        _confidence(t, coverage),
        t.total,
        t.fresh,
        reviews.get(area.id, ()),
    )


def _coverage(area: Area, t: AreaTally) -> Coverage:
    uncovered = tuple(c.id for c in area.criteria if c.id not in t.covered)
    total = len(area.criteria)
    return Coverage(total - len(uncovered), total, uncovered)


def _confidence(t: AreaTally, coverage: Coverage) -> str:
    """none: no evidence; low: under 3 fresh items or one kind only;
    high: 10+ fresh items, 3+ kinds and 75%+ of criteria covered; otherwise medium."""
    if t.total == 0:
        return "none"
    if t.fresh < 3 or len(t.kinds) < 2:
        return "low"
    if t.fresh >= 10 and len(t.kinds) >= 3 and 4 * coverage.covered >= 3 * coverage.total:
        return "high"
    return "medium"


def _overall_outcome(
    framework: Framework,
    area: Area,
    rules: RulesResult,
    outcomes: dict[str, AreaOutcome],
    reviews: dict[str, tuple[ReviewerGrade, ...]],
) -> AreaOutcome:
    assert rules.overall is not None  # a framework with an overall area has best_fit (checked on load)
    feeding = [outcomes[a] for a in rules.overall.contributing]
    # Overall can be no surer than its least certain contributing judgement.
    confidence = min((o.confidence for o in feeding), key=CONFIDENCE_LEVELS.index, default="none")
    return AreaOutcome(
        area.id,
        area.title,
        area.kind,
        rules.overall.final_grade,
        tuple(sorted({i for o in feeding for i in o.driven_by})),
        False,
        Coverage(0, 0, ()),
        confidence,
        sum(o.signal_count for o in feeding),
        sum(o.fresh_count for o in feeding),
        reviews.get(area.id, ()),
    )


def _sorted_reviews(
    framework: Framework, reviewer_grades: Sequence[ReviewerGrade]
) -> dict[str, tuple[ReviewerGrade, ...]]:
    by_area: dict[str, list[ReviewerGrade]] = {}
    for r in sorted(reviewer_grades, key=lambda r: (r.area_id, r.reviewer, r.grade, r.rationale)):
        if r.area_id not in framework.area_by_id:
            raise UnknownAreaError(r.area_id, framework.id)
        if r.grade not in framework.grade_rank:
            raise UnknownGradeError(r.grade, framework.id)
        by_area.setdefault(r.area_id, []).append(r)
    return {k: tuple(v) for k, v in by_area.items()}


def _sorted_kloes(framework: Framework, kloes: Sequence[Kloe]) -> tuple[Kloe, ...]:
    ordered = tuple(sorted(kloes, key=lambda k: (k.id, k.area_ids, k.question, k.explored)))
    seen: set[str] = set()
    for k in ordered:
        if k.id in seen:
            raise InputError(f"key line of enquiry id {k.id!r} is used more than once")
        seen.add(k.id)
        if not k.area_ids:
            raise InputError(f"key line of enquiry {k.id!r} names no area")
        for a in k.area_ids:
            if a not in framework.area_by_id:
                raise UnknownAreaError(a, framework.id)
    return ordered
