"""The scorer: evidence signals in, an indicative grade, coverage, confidence and gaps out.

A pure function: the same inputs in any order give the same Outcome.
"""

from __future__ import annotations

import datetime as dt
import gc
from bisect import bisect_left
from collections.abc import Sequence
from itertools import chain

from .errors import InputError, UnknownAreaError, UnknownGradeError
from .gaps import build_gaps
from .results import AreaOutcome, Breadth, Coverage, Driver, GradeShare, Outcome
from .rules import RulesResult, apply_rules
from .schema import Area, Framework
from .signals import EvidenceSignal, Kloe, ReviewerGrade
from .tally import AreaTally, Tallies, tally_signals

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
    # A council's million signals make a million long-lived objects, and the gaps and results
    # built from them make hundreds of thousands more: each of the collector's full passes
    # would walk them all, several times a score. Nothing here makes a reference cycle, so
    # reference counting frees all it drops; the collector is back on as it was after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _score(framework, signals, reviewer_grades, as_of, kloes, freshness_days)
    finally:
        if collecting:
            gc.enable()


def _score(
    framework: Framework,
    signals: Sequence[EvidenceSignal],
    reviewer_grades: Sequence[ReviewerGrade],
    as_of: dt.date,
    kloes: Sequence[Kloe],
    freshness_days: int,
) -> Outcome:
    reviews = _sorted_reviews(framework, reviewer_grades)
    kloe_list = _sorted_kloes(framework, kloes)
    tallies = tally_signals(framework, signals, as_of, freshness_days)
    outcomes = {
        a.id: _area_outcome(framework, a, tallies[a.id], reviews, tallies.in_id_order)
        for a in framework.areas
        if a.kind != "overall"
    }
    indicative = {k: o.indicative_grade for k, o in outcomes.items() if o.indicative_grade is not None}
    rules = apply_rules(framework, indicative)
    overall_area = framework.overall_area
    if overall_area is not None:
        outcomes[overall_area.id] = _overall_outcome(framework, overall_area, rules, outcomes, reviews, tallies)
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


# Scoring rules (docs/scoring_rules.md gives each with its reason).
# Enough to grade: this many fresh graded items, at least one looking at practice itself.
MIN_FRESH_GRADED = 5
# The framework's inadequate is "serious or widespread failures": inadequate practice in a
# third or more of the (decayed) weight is widespread, and the judgement is inadequate;
# in a fifth or more it is more than the few weaknesses good allows, and the judgement is
# at best the grade above inadequate. Shares are fractions (numerator, denominator) so the
# comparison stays exact on integer weights.
WIDESPREAD_SHARE = (1, 3)
MORE_THAN_A_FEW_SHARE = (1, 5)
# Confidence: what high confidence needs of the fresh graded evidence.
HIGH_FRESH_GRADED = 10
HIGH_KINDS = 3
HIGH_CASE_TYPES = 2
HIGH_TEAMS = 2
HIGH_MODERATED_SHARE = (1, 10)
HIGH_FRESH_WEIGHT_SHARE = (3, 4)
HIGH_COVERAGE_SHARE = (3, 4)


def _at_least(part: int, whole: int, share: tuple[int, int]) -> bool:
    return whole > 0 and part * share[1] >= whole * share[0]


def _area_outcome(
    framework: Framework,
    area: Area,
    t: AreaTally,
    reviews: dict[str, tuple[ReviewerGrade, ...]],
    in_id_order: bool,
) -> AreaOutcome:
    coverage = _coverage(area, t)
    breadth = Breadth(
        tuple(sorted(k.value for k in t.kinds)),
        tuple(sorted(t.case_types)),
        tuple(sorted(t.teams)),
        t.audits,
        t.moderated,
    )
    distribution = _distribution(framework, t)
    fresh_graded = sum(t.fresh_counts)
    missing = _missing(t, fresh_graded)
    evidence_rank = weighted_median_rank(t.weights)
    drivers: list[Driver] = []
    rank = evidence_rank
    capped = False
    if missing:
        rank = None
        drivers.append(
            Driver("not_enough_evidence", "There is not enough recent graded evidence to grade this judgement.")
        )
    elif rank is not None:
        rank, drivers = _limited(framework, t, rank, fresh_graded)
        cap = framework.escalation_cap
        # An unresolved escalation means a child may not yet be safe: the area cannot be
        # indicated better than the cap (requires improvement) until it is resolved.
        if cap is not None and t.escalations and rank < framework.grade_rank[cap]:
            rank, capped = framework.grade_rank[cap], True
            drivers.insert(
                0,
                Driver(
                    "escalation_cap",
                    f"{_count(len(t.escalations), 'unresolved escalation')} about a child's safety "
                    f"{'holds' if len(t.escalations) == 1 else 'hold'} the grade at "
                    f"{framework.grades[rank].label.lower()} until resolved.",
                    tuple(sorted(s.id for s in t.escalations)),
                ),
            )
    # Signal ids are unique (tally checks), so the graded ids need no set; an escalation may be
    # one of them.
    driven_by = t.graded_ids if rank is not None else []
    if in_id_order:  # items read in id order were tallied in it: their ids need no sort
        driven_by = _merged(driven_by, _ungraded_escalations(t) if capped else [])
    else:
        if capped:
            driven_by = list({*driven_by, *(s.id for s in t.escalations)})
        driven_by = tuple(sorted(driven_by))
    confidence, reasons = _confidence(t, coverage, breadth, fresh_graded, graded=rank is not None)
    return AreaOutcome(
        area.id,
        area.title,
        area.kind,
        framework.grades[rank].id if rank is not None else None,
        driven_by,
        capped,
        coverage,
        confidence,
        t.total,
        t.fresh,
        reviews.get(area.id, ()),
        evidence_grade=framework.grades[evidence_rank].id if evidence_rank is not None else None,
        not_enough_evidence=bool(missing),
        missing=missing,
        drivers=tuple(drivers),
        confidence_reasons=reasons,
        distribution=distribution,
        breadth=breadth,
    )


def _missing(t: AreaTally, fresh_graded: int) -> tuple[str, ...]:
    """What a grade would need that the evidence lacks (empty when there is enough)."""
    missing = []
    if fresh_graded < MIN_FRESH_GRADED:
        missing.append(
            f"{_count(MIN_FRESH_GRADED, 'graded item')} of evidence from the last freshness window are needed; "
            f"there {'is' if fresh_graded == 1 else 'are'} {fresh_graded}."
        )
    if t.practice == 0:
        missing.append(
            "No recent graded evidence looks at practice itself (a case audit, an observation, "
            "a review finding or children's views); indicators alone show compliance, not the quality of help."
        )
    return tuple(missing)


def _limited(framework: Framework, t: AreaTally, rank: int, fresh_graded: int) -> tuple[int, list[Driver]]:
    """The weighted median, then the limits a share of inadequate practice puts on it."""
    grades = framework.grades
    worst = len(grades) - 1
    total, inadequate = sum(t.weights), t.weights[worst]
    percent = 100 * inadequate // total
    median = Driver(
        "weighted_median",
        f"The weighted middle of {_count(sum(t.counts), 'graded item')} ({fresh_graded} recent; "
        f"recent evidence counts more) is {grades[rank].label.lower()}.",
    )
    share = f"{_count(t.counts[worst], 'item')} graded {grades[worst].label.lower()} carry {percent}% of the weight"
    worst_ids = tuple(sorted(t.worst_ids))
    if _at_least(inadequate, total, WIDESPREAD_SHARE) and rank < worst:
        return worst, [
            Driver(
                "widespread_inadequate", f"{share}: failure this widespread makes the judgement inadequate.", worst_ids
            ),
            median,
        ]
    limit = worst - 1
    if _at_least(inadequate, total, MORE_THAN_A_FEW_SHARE) and rank < limit:
        return limit, [
            Driver(
                "more_than_a_few_inadequate",
                f"{share}: more than the few weaknesses a good service has, so the grade is at best "
                f"{grades[limit].label.lower()}.",
                worst_ids,
            ),
            median,
        ]
    return rank, [median]


def _distribution(framework: Framework, t: AreaTally) -> tuple[GradeShare, ...]:
    total = sum(t.weights)
    return tuple(
        GradeShare(g.id, t.counts[r], t.fresh_counts[r], round(100 * t.weights[r] / total) if total else 0)
        for r, g in enumerate(framework.grades)
    )


PLURALS = {"criterion": "criteria"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else PLURALS.get(noun, noun + 's')}"


def _coverage(area: Area, t: AreaTally) -> Coverage:
    uncovered = tuple(c.id for c in area.criteria if c.id not in t.covered)
    total = len(area.criteria)
    return Coverage(total - len(uncovered), total, uncovered)


def _confidence(
    t: AreaTally, coverage: Coverage, breadth: Breadth, fresh_graded: int, *, graded: bool
) -> tuple[str, tuple[str, ...]]:
    """How far the grade can be trusted, from the breadth, moderation and freshness of the
    evidence. High needs every check below; low is two kinds of evidence or fewer than that,
    or three or more checks unmet; otherwise medium. No grade, no confidence."""
    if t.total == 0:
        return "none", ("There is no evidence for this judgement.",)
    checks = [
        (
            fresh_graded >= HIGH_FRESH_GRADED,
            f"{_count(fresh_graded, 'recent graded item')}",
            f"only {_count(fresh_graded, 'recent graded item')} ({HIGH_FRESH_GRADED} or more give high confidence)",
        ),
        (
            len(breadth.kinds) >= HIGH_KINDS,
            f"{_count(len(breadth.kinds), 'kind')} of recent evidence",
            f"only {_count(len(breadth.kinds), 'kind')} of recent evidence ({HIGH_KINDS} or more confirm each other)",
        ),
        (
            len(breadth.case_types) >= HIGH_CASE_TYPES,
            f"cases of {_count(len(breadth.case_types), 'type')}",
            f"the audited cases cover {_count(len(breadth.case_types), 'case type')} ({HIGH_CASE_TYPES} or more needed)",
        ),
        (
            len(breadth.teams) >= HIGH_TEAMS,
            f"cases from {_count(len(breadth.teams), 'team')}",
            f"the audited cases come from {_count(len(breadth.teams), 'team')} ({HIGH_TEAMS} or more needed)",
        ),
        (
            _at_least(breadth.moderated, breadth.audits, HIGH_MODERATED_SHARE),
            f"{breadth.moderated} of {_count(breadth.audits, 'recent audit')} moderated",
            f"{breadth.moderated} of {_count(breadth.audits, 'recent audit')} moderated (at least one in ten should be)",
        ),
        (
            _at_least(t.fresh_weight, sum(t.weights), HIGH_FRESH_WEIGHT_SHARE),
            "the grade rests mostly on recent evidence",
            "much of the weight is older than the freshness window",
        ),
        (
            _at_least(coverage.covered, coverage.total, HIGH_COVERAGE_SHARE),
            f"{coverage.covered} of {_count(coverage.total, 'criterion')} covered",
            f"only {coverage.covered} of {_count(coverage.total, 'criterion')} covered",
        ),
    ]
    unmet = [no for ok, _, no in checks if not ok]
    met = [yes for ok, yes, _ in checks if ok]
    reasons = tuple(s[0].upper() + s[1:] + "." for s in (*unmet, *met))
    if not graded:
        return "none", reasons
    if not unmet:
        return "high", reasons
    if len(breadth.kinds) < 2 or len(unmet) >= 3:
        return "low", reasons
    return "medium", reasons


def _overall_outcome(
    framework: Framework,
    area: Area,
    rules: RulesResult,
    outcomes: dict[str, AreaOutcome],
    reviews: dict[str, tuple[ReviewerGrade, ...]],
    tallies: Tallies,
) -> AreaOutcome:
    assert rules.overall is not None  # a framework with an overall area has best_fit (checked on load)
    assert framework.aggregation.best_fit is not None
    feeding = [outcomes[a] for a in rules.overall.contributing]
    # A best fit of some judgements is not the best fit of all of them: overall needs every
    # judgement that feeds it to be graded.
    ungraded = [outcomes[a] for a in framework.aggregation.best_fit.from_areas if outcomes[a].indicative_grade is None]
    missing = tuple(f"{o.title} has no evidence-based grade yet." for o in ungraded)
    grade = None if missing else rules.overall.final_grade
    drivers: list[Driver] = []
    if missing:
        drivers.append(
            Driver("not_enough_evidence", "Not every judgement that feeds overall effectiveness can be graded yet.")
        )
    else:
        for application in rules.overall.rules:
            if application.effect in ("limited", "raised"):
                drivers.append(Driver(application.rule_id, application.why, application.triggered_by))
        drivers.append(Driver("best_fit", rules.overall.best_fit_why, rules.overall.contributing))
    # Overall can be no surer than its least certain contributing judgement.
    confidence = min((o.confidence for o in feeding), key=CONFIDENCE_LEVELS.index, default="none")
    if missing:
        confidence = "none"
    return AreaOutcome(
        area.id,
        area.title,
        area.kind,
        grade,
        _ids_of(feeding, tallies) if grade is not None else (),
        False,
        Coverage(0, 0, ()),
        confidence,
        sum(o.signal_count for o in feeding),
        sum(o.fresh_count for o in feeding),
        reviews.get(area.id, ()),
        evidence_grade=rules.overall.indicative_grade,
        not_enough_evidence=bool(missing),
        missing=missing,
        drivers=tuple(drivers),
        confidence_reasons=("Overall effectiveness is no surer than the least certain judgement that feeds it.",),
    )


def _ids_of(feeding: list[AreaOutcome], tallies: Tallies) -> tuple[str, ...]:
    """The signals behind the contributing judgements, sorted: distinct judgements have
    distinct signals, so their sorted lists are merged, not put in a set (a million ids)."""
    areas = {o.area_id for o in feeding}
    if tallies.in_id_order and areas == {area_id for area_id, t in tallies.items() if t.graded_ids}:
        # Every graded item's id, in the order read (sorted), when every judgement with graded
        # items is behind overall (filtering out the others' ids costs more than the sort);
        # and the ungraded escalations that hold a judgement behind it at the cap.
        capped = {o.area_id for o in feeding if o.capped_by_escalation}
        return _merged(tallies.graded_ids, sorted({i for a in capped for i in _ungraded_escalations(tallies[a])}))
    if len(areas) < len(feeding):
        return tuple(sorted({i for o in feeding for i in o.driven_by}))
    return tuple(sorted(chain.from_iterable(o.driven_by for o in feeding)))


def _ungraded_escalations(t: AreaTally) -> list[str]:
    """The ids of the escalations not among the graded items, sorted (signals read in id order)."""
    return [s.id for s in t.escalations if s.grade is None]


def _merged(ids: list[str], extra: list[str]) -> tuple[str, ...]:
    """Two sorted lists of distinct ids, none in both, as one sorted tuple: the few extra put in
    place by bisection, not the whole sorted again."""
    if not extra:
        return tuple(ids)
    parts: list[list[str] | tuple[str]] = []
    start = 0
    for i in extra:
        at = bisect_left(ids, i, start)
        parts += (ids[start:at], (i,))
        start = at
    parts.append(ids[start:])
    return tuple(chain.from_iterable(parts))


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
