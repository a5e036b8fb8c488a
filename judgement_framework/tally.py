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
from operator import attrgetter

from .errors import InputError, UnknownAreaError, UnknownCriterionError, UnknownGradeError
from .schema import Framework
from .signals import OFF_TARGET, UNRESOLVED_ESCALATION, WORSENING, Confidence, EvidenceSignal, SignalKind

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
        "ungraded",
        "fresh_ungraded",
        "fresh_performance",
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
        # The loop counts only what the graded counts do not give (totals() works out the rest):
        self.ungraded = 0  # items without a grade
        self.fresh_ungraded = 0
        self.fresh_performance = 0  # fresh graded performance data
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

    def totals(self) -> None:
        """The counts the loop leaves out, from those it keeps: one increment fewer per item."""
        fresh_graded = sum(self.fresh_counts)
        self.total = sum(self.counts) + self.ungraded
        self.fresh = fresh_graded + self.fresh_ungraded
        self.practice = fresh_graded - self.fresh_performance


class Tallies(dict[str, AreaTally]):
    """Each judgement's tally by area id, and what the loop saw of the ids: whether they came in
    increasing order (as a council's are read), and then every graded item's id, in that order
    (so sorted), for the signals behind overall effectiveness without a sort of a million."""

    __slots__ = ("in_id_order", "graded_ids")

    def __init__(self, tallies: dict[str, AreaTally], in_id_order: bool, graded_ids: list[str]):
        super().__init__(tallies)
        self.in_id_order = in_id_order
        self.graded_ids = graded_ids


def tally_signals(
    framework: Framework, signals: Sequence[EvidenceSignal], as_of: dt.date, freshness_days: int
) -> Tallies:
    if not isinstance(signals, list | tuple):
        signals = list(signals)  # read twice: once to tally, once for repeated ids
    try:
        return _tally(framework, signals, as_of, freshness_days)
    except InputError:
        # Re-check in id order so the error reported never depends on input order.
        _validate(framework, sorted(signals, key=lambda s: s.id))
        raise


def _tally(framework: Framework, signals: Sequence[EvidenceSignal], as_of: dt.date, freshness_days: int) -> Tallies:
    rank = dict(framework.grade_rank)  # hoisted: pydantic attribute access is slow in a loop
    expected = rank[framework.expected_grade]
    worst = len(rank) - 1
    rank[None] = UNGRADED  # one look-up gives the rank, or UNGRADED, or a KeyError for a grade not known
    tallies = {a.id: AreaTally(len(framework.grade_rank)) for a in framework.areas if a.kind != "overall"}
    days = _DayTable(as_of, freshness_days)
    bases: dict[float, int] = {}  # round(weight * 100), at least 1, by weight: few weights, many signals
    medium, high = Confidence.MEDIUM, Confidence.HIGH
    by_low, by_medium, by_high = (CONFIDENCE_FACTOR[c] for c in (Confidence.LOW, medium, high))
    performance = SignalKind.PERFORMANCE_DATA
    case_audit = SignalKind.CASE_AUDIT
    future: list[EvidenceSignal] = []
    graded: list[str] = []  # every graded item's id, in input order
    in_order, last = True, ""  # ids strictly increasing so far, and the one before
    # A million signals pass through this loop: each check a dict look-up or an identity test,
    # the criteria checked once per area after it (what was covered or went stale), not per signal.
    try:
        for s in signals:
            # Ids in increasing order cannot repeat: checked here, as each id is read anyway,
            # rather than by a second pass over a million items (or a set of their ids).
            sid = s.id
            if sid <= last:
                in_order = False
            last = sid
            t = tallies[s.area_id]
            r = rank[s.grade]
            fresh, factor = days[s.date]
            if factor == 0:
                future.append(s)
                continue  # not known yet on the as_of date
            flags = s.flags
            if flags and UNRESOLVED_ESCALATION in flags:
                t.escalations.append(s)
            if fresh:
                kind = s.kind
                t.kinds.add(kind)
                t.covered.update(s.criterion_ids)
                if r > expected:
                    t.below_good.append(s)
                if flags and kind is performance:
                    if OFF_TARGET in flags:
                        t.off_target.append(s)
                    if WORSENING in flags:
                        t.worsening.append(s)
            else:
                for c in s.criterion_ids:
                    t.stale[c].append(s)
            if r != UNGRADED:
                weight = s.weight
                base = bases.get(weight)
                if base is None:
                    base = bases[weight] = max(1, round(weight * 100))
                confidence = s.confidence
                w = base * (by_medium if confidence is medium else by_high if confidence is high else by_low) * factor
                t.weights[r] += w
                t.counts[r] += 1
                t.graded_ids.append(sid)
                graded.append(sid)
                if r == worst:
                    t.worst_ids.append(sid)
                if fresh:
                    t.fresh_counts[r] += 1
                    t.fresh_weight += w
                    if kind is performance:
                        t.fresh_performance += 1
                    elif kind is case_audit:
                        t.audits += 1
                        if s.moderated:
                            t.moderated += 1
                    if s.case_type is not None:
                        t.case_types.add(s.case_type)
                    if s.team is not None:
                        t.teams.add(s.team)
            else:
                t.ungraded += 1
                if fresh:
                    t.fresh_ungraded += 1
    except KeyError:
        raise InputError("invalid signal") from None  # replaced by a precise message in _validate
    for t in tallies.values():
        t.totals()
    _check_criteria(framework, tallies, future)
    if not in_order and len(set(map(_signal_id, signals))) != len(signals):
        raise InputError("repeated signal id")
    return Tallies(tallies, in_order, graded)


# The rank the grade look-up gives a signal without a grade.
UNGRADED = -1


class _DayTable(dict):
    """Per evidence date: (fresh, decay factor), the factor 0 for a date after as_of. Worked out
    once per date, as a council's evidence shares a few hundred dates among many items."""

    def __init__(self, as_of: dt.date, freshness_days: int):
        super().__init__()
        self.as_of = as_of
        self.cutoff = as_of - dt.timedelta(days=freshness_days)
        self.decay = decay_table(freshness_days)

    def __missing__(self, day: dt.date) -> tuple[bool, int]:
        if day > self.as_of:
            info = (False, 0)
        else:
            age = (self.as_of - day).days
            info = (day >= self.cutoff, self.decay[age] if age < len(self.decay) else DECAY_FLOOR)
        self[day] = info
        return info


def _check_criteria(framework: Framework, tallies: dict[str, AreaTally], future: list[EvidenceSignal]) -> None:
    """Every criterion a signal names belongs to its area: each one a signal named went into
    its area's covered or stale criteria, or the signal is dated after as_of."""
    for area_id, t in tallies.items():
        own = {c.id for c in framework.area_by_id[area_id].criteria}
        if not own.issuperset(t.covered) or not own.issuperset(t.stale):
            raise InputError("invalid criterion")
    owner = framework.criterion_area
    for s in future:
        for c in s.criterion_ids:
            if owner.get(c) != s.area_id:
                raise InputError("invalid criterion")


_signal_id = attrgetter("id")


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
