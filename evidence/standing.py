"""Where the council stands now: the scorer run over all of its current evidence.

Each kind of stored evidence has a source that turns it into the scorer's plain signals;
this module gathers them, scores them against the council's framework and answers
questions about the resulting gaps.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Callable, Iterable, Sequence

from councils import clock, standing_cache
from councils.models import Council, ServiceArea
from evidence.case_audits.audits import audit_samples, escalated_audit_ids
from evidence.library.items import framework_of
from evidence.library.signals import evidence_signals
from evidence.performance.signals import indicator_signals
from evidence.reviews.signals import finding_signals, review_kloes
from judgement_framework import EvidenceSignal, Framework, Gap, Kloe, Outcome, ReviewerGrade, score

SignalSource = Callable[[Framework, dt.date], Sequence[EvidenceSignal]]


def item_signals(framework: Framework, as_of: dt.date) -> list[EvidenceSignal]:
    """The library's accepted items, audits with an open escalation flagged and each audit's
    case type, team and moderation carried for the confidence in the sample."""
    return evidence_signals(framework, as_of, escalated_audits=escalated_audit_ids(), audit_samples=audit_samples())


# Every source of evidence the scorer sees. Each names its signals by source, record and
# area (`signal_id`: "evidence:12:leaders", "indicator:4:leaders"), so ids never collide.
SIGNAL_SOURCES: list[SignalSource] = [item_signals, indicator_signals, finding_signals]

# Which service areas answer for each judgement area, for gaps that name no evidence.
# Leadership and overall judgements are the whole council's: they map to no one service.
SERVICE_AREAS_FOR_AREA: dict[str, tuple[ServiceArea, ...]] = {
    "help_protection": (ServiceArea.FRONT_DOOR, ServiceArea.EARLY_HELP, ServiceArea.CHILD_PROTECTION),
    "looked_after": (ServiceArea.CHILDREN_IN_CARE, ServiceArea.ADOPTION),
    "looked_after.adoption": (ServiceArea.ADOPTION,),
    "looked_after.care_leavers": (ServiceArea.CARE_LEAVERS,),
    "in_care_and_leavers": (ServiceArea.CHILDREN_IN_CARE, ServiceArea.CARE_LEAVERS, ServiceArea.ADOPTION),
    "in_care": (ServiceArea.CHILDREN_IN_CARE, ServiceArea.ADOPTION),
    "care_leavers": (ServiceArea.CARE_LEAVERS,),
}


def current_signals(framework: Framework, as_of: dt.date) -> list[EvidenceSignal]:
    signals: list[EvidenceSignal] = []
    for source in SIGNAL_SOURCES:
        signals.extend(source(framework, as_of))
    return signals


def live_outcome(
    council: Council,
    as_of: dt.date | None = None,
    *,
    framework: Framework | None = None,
    reviewer_grades: Sequence[ReviewerGrade] = (),
    kloes: Sequence[Kloe] | None = None,
) -> tuple[Outcome, list[EvidenceSignal]]:
    """Score everything the council holds today (or on `as_of`). Unless given, the key lines
    of enquiry are those of every review at moderation or reported: unexplored ones are gaps.

    Worked out once per change of the evidence (councils/standing_cache.py): the answer is
    kept under the council, these inputs and the council's standing version."""
    framework = framework or framework_of(council)
    as_of = as_of or clock.today()

    def compute() -> tuple[Outcome, list[EvidenceSignal]]:
        return fresh_outcome(council, as_of, framework, reviewer_grades, kloes)

    return standing_cache.cached(council.id, standing_key(framework, as_of, reviewer_grades, kloes), compute)


def fresh_outcome(
    council: Council,
    as_of: dt.date,
    framework: Framework,
    reviewer_grades: Sequence[ReviewerGrade] = (),
    kloes: Sequence[Kloe] | None = None,
) -> tuple[Outcome, list[EvidenceSignal]]:
    """The scorer over every signal, read now: what `live_outcome` keeps."""
    # A council's signals are a few hundred thousand objects that all live until the end: the
    # collector would walk them again and again while they are made (a third of the time),
    # and free nothing. It resumes when they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        signals = current_signals(framework, as_of)
        chosen = review_kloes(framework) if kloes is None else kloes
        outcome = score(
            framework, signals, reviewer_grades, as_of, kloes=chosen, freshness_days=council.evidence_freshness_days
        )
    finally:
        if collecting:
            gc.enable()
    return outcome, signals


def standing_key(
    framework: Framework, as_of: dt.date, reviewer_grades: Sequence[ReviewerGrade], kloes: Sequence[Kloe] | None
) -> str:
    """What a standing is of, besides the council's evidence: the framework, the day (freshness
    and recency count from it) and, for a mock inspection, its grades and lines of enquiry."""
    inputs = "live" if kloes is None and not reviewer_grades else repr((tuple(reviewer_grades), kloes and tuple(kloes)))
    digest = hashlib.sha256(inputs.encode(), usedforsecurity=False).hexdigest()[:32]
    return f"{framework.id}|{as_of.isoformat()}|{digest}"


def _live_key(council: Council) -> str:
    return standing_key(framework_of(council), clock.today(), (), None)


def _live_compute(council: Council) -> tuple[Outcome, list[EvidenceSignal]]:
    return fresh_outcome(council, clock.today(), framework_of(council))


# Today's standing, as every leader page asks for it, is worked out again in the background
# after each change (councils/standing_cache.py), under the key `live_outcome` reads.
standing_cache.refreshed("standing", _live_key, _live_compute)


def stale_evidence_count(signals: Sequence[EvidenceSignal], as_of: dt.date, freshness_days: int) -> int:
    """How many records (evidence items, indicators, findings) are older than the council's
    freshness window. A record speaks to several areas as several signals: it counts once."""
    cutoff = as_of - dt.timedelta(days=freshness_days)
    return len({record_of(s.id) for s in signals if s.date < cutoff})


def stale_count_of(outcome: Outcome, signals: Sequence[EvidenceSignal]) -> int:
    """`stale_evidence_count` of a standing on its own day and window, counted once per
    standing kept rather than on each page."""
    return standing_cache.derived(
        outcome, "stale", lambda: stale_evidence_count(signals, outcome.as_of, outcome.freshness_days)
    )


def record_of(signal_id: str) -> str:
    """The record a signal comes from: "evidence:12" of "evidence:12:leaders"."""
    return ":".join(signal_id.split(":", 2)[:2])


def service_areas_of_gap(gap: Gap, signals_by_id: dict[str, EvidenceSignal]) -> set[ServiceArea]:
    """The services a gap belongs to: those of its evidence, else those of its judgement area."""
    named = {signals_by_id[i].service_area for i in gap.evidence_ids if i in signals_by_id}
    found = {ServiceArea(value) for value in named if value}
    if found:
        return found
    return set(SERVICE_AREAS_FOR_AREA.get(gap.area_id, ()))


def filter_gaps(
    gaps: Iterable[Gap],
    signals: Sequence[EvidenceSignal],
    *,
    area_id: str | None = None,
    kind: str | None = None,
    service_area: ServiceArea | None = None,
    first_for: ServiceArea | None = None,
) -> list[tuple[Gap, set[ServiceArea]]]:
    """Gaps with their service areas, filtered; a head of service's own come first,
    keeping the scorer's ranking within each group."""
    by_id = {signal.id: signal for signal in signals}
    chosen = []
    for gap in gaps:
        services = service_areas_of_gap(gap, by_id)
        if area_id and gap.area_id != area_id:
            continue
        if kind and gap.kind != kind:
            continue
        if service_area and service_area not in services:
            continue
        chosen.append((gap, services))
    if first_for:
        chosen.sort(key=lambda pair: first_for not in pair[1])  # stable: ranking kept
    return chosen
