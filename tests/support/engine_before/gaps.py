"""The gap list: what a senior leader should fix or gather before an inspection.

Every gap has a stable id: a hash of (kind, area, criterion, subject), where the
subject is the one evidence id, reviewer or KLOE the gap is about (empty for gaps
about a whole criterion or area). Recomputing with more evidence keeps the ids of
gaps that still exist, so the app can link actions to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from judgement_framework.results import SEVERITY_RANK, AreaOutcome, Gap
from judgement_framework.schema import Framework
from judgement_framework.signals import EvidenceSignal, Kloe

if TYPE_CHECKING:
    from .tally import AreaTally


# Listing order within a severity; also the documented set of kinds.
KINDS = (
    "unresolved_escalation",
    "evidence_below_good",
    "reviewer_grade_apart",
    "indicator_off_target",
    "indicator_worsening",
    "no_evidence",
    "not_enough_evidence",
    "reviewer_grade_unsupported",
    "stale_evidence",
    "kloe_not_explored",
    "no_triangulation",
)

# How each kind reads in a sentence or a spreadsheet column.
KIND_LABELS = {
    "unresolved_escalation": "Unresolved escalation",
    "evidence_below_good": "Evidence below good",
    "reviewer_grade_apart": "Reviewer's grade apart from the evidence",
    "indicator_off_target": "Indicator off target",
    "indicator_worsening": "Indicator worsening",
    "no_evidence": "No evidence",
    "not_enough_evidence": "Not enough evidence for a grade",
    "reviewer_grade_unsupported": "Reviewer's grade not supported by evidence",
    "stale_evidence": "Stale evidence",
    "kloe_not_explored": "Line of enquiry not explored",
    "no_triangulation": "Only one kind of evidence",
}


# The kinds of evidence as a sentence names them ("judged only on case audit evidence").
EVIDENCE_KIND_WORDS = {
    "case_audit": "case audit",
    "performance_data": "performance data",
    "kloe_finding": "review finding",
    "document": "document",
    "observation": "observation",
    "voice_of_child": "children's views",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]


NEXT_STEP = {
    "unresolved_escalation": "Confirm the child is safe, then record the remedial action and close the escalation.",
    "evidence_below_good": "Agree a named action to improve this practice and re-audit once it has had time to work.",
    "reviewer_grade_apart": "Moderate the grade: set the reviewer's rationale against the evidence and record the agreed grade.",
    "indicator_off_target": "Add a corrective action with an owner and date at the next performance clinic.",
    "indicator_worsening": "Find the reason for the trend at the next performance clinic and record a corrective action.",
    "no_evidence": "Audit cases or gather data that show how well this is done.",
    "not_enough_evidence": "Audit a spread of recent cases (and record observations or children's views) so the judgement can be graded.",
    "reviewer_grade_unsupported": "Gather graded evidence (audits, observations) to test the reviewer's grade.",
    "stale_evidence": "Refresh the evidence with a recent audit, dataset or observation.",
    "kloe_not_explored": "Plan how and when this line of enquiry will be tested, and record the findings.",
    "no_triangulation": "Check the picture with a different kind of evidence, such as the child's voice or an observation.",
}


def gap_id(kind: str, area_id: str, criterion_id: str | None, subject: str) -> str:
    key = f"{kind}\x1f{area_id}\x1f{criterion_id or ''}\x1f{subject}".encode()
    return "gap-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


def _gap(
    kind: str,
    severity: str,
    area_id: str,
    criterion_id: str | None,
    subject: str,
    sentence: str,
    evidence: Sequence[str],
) -> tuple[str, Gap]:
    g = Gap(
        gap_id(kind, area_id, criterion_id, subject),
        kind,
        severity,
        area_id,
        criterion_id,
        sentence,
        tuple(sorted(evidence)),
        NEXT_STEP[kind],
    )
    return subject, g


def build_gaps(
    framework: Framework,
    tallies: dict[str, AreaTally],
    outcomes: Sequence[AreaOutcome],
    kloes: Sequence[Kloe],
    as_of: dt.date,
    freshness_days: int,
) -> tuple[Gap, ...]:
    found = [*_kloe_gaps(framework, kloes)]
    for o in outcomes:
        found += _reviewer_gaps(framework, o)
        if o.area_id in tallies:
            found += _evidence_gaps(framework, o, tallies[o.area_id], freshness_days)
    area_pos = framework.area_order
    crit_pos = {c.id: i for a in framework.areas for i, c in enumerate(a.criteria)}
    found.sort(
        key=lambda sg: (
            -SEVERITY_RANK[sg[1].severity],
            KINDS.index(sg[1].kind),
            area_pos[sg[1].area_id],
            crit_pos.get(sg[1].criterion_id, -1),
            sg[0],
            sg[1].id,
        )
    )
    # The same reviewer giving the same grade twice is one gap, not two.
    unique: dict[str, Gap] = {}
    for _, g in found:
        unique.setdefault(g.id, g)
    return tuple(unique.values())


def _evidence_gaps(
    framework: Framework, o: AreaOutcome, t: AreaTally, freshness_days: int
) -> Iterator[tuple[str, Gap]]:
    area = framework.area_by_id[o.area_id]
    worst = framework.worst_grade
    expected = framework.grade(framework.expected_grade).label.lower()
    if o.not_enough_evidence and o.signal_count:  # an area with nothing at all has its no_evidence gaps
        yield _gap(
            "not_enough_evidence",
            "medium",
            area.id,
            None,
            "",
            f"{_q(area.title)} cannot be graded yet: " + " ".join(m[0].lower() + m[1:] for m in o.missing),
            [],
        )
    for s in t.escalations:
        yield _gap(
            "unresolved_escalation",
            "high",
            area.id,
            _one(s),
            s.id,
            f"{_q(s.title)} is an escalated case in {_q(area.title)} that is still unresolved.",
            [s.id],
        )
    for s in t.below_good:
        label = framework.grade(s.grade).label.lower()  # type: ignore[arg-type]
        yield _gap(
            "evidence_below_good",
            "high" if s.grade == worst else "medium",
            area.id,
            _one(s),
            s.id,
            f"{_q(s.title)} ({_day(s.date)}) rates practice in {_q(area.title)} as {label}, below {expected}.",
            [s.id],
        )
    for s in t.off_target:
        yield _gap(
            "indicator_off_target",
            "medium",
            area.id,
            _one(s),
            s.id,
            f"The indicator {_q(s.title)} for {_q(area.title)} is off target.",
            [s.id],
        )
    for s in t.worsening:
        yield _gap(
            "indicator_worsening",
            "medium",
            area.id,
            _one(s),
            s.id,
            f"The indicator {_q(s.title)} for {_q(area.title)} is getting worse.",
            [s.id],
        )
    for c in area.criteria:
        if c.id in t.covered:
            continue
        stale = t.stale.get(c.id)
        if stale:
            newest = max(stale, key=lambda s: (s.date, s.id))
            yield _gap(
                "stale_evidence",
                "low",
                area.id,
                c.id,
                "",
                f"The evidence for {_q(area.title)} on {_q(c.prompt)} is out of date: the newest item, "
                f"{_q(newest.title)}, is from {_day(newest.date)}, more than {freshness_days} days ago.",
                [s.id for s in stale],
            )
        else:
            yield _gap(
                "no_evidence",
                "medium",
                area.id,
                c.id,
                "",
                f"There is no evidence yet for {_q(area.title)} on {_q(c.prompt)}.",
                [],
            )
    if t.fresh and len(t.kinds) == 1:
        (kind,) = t.kinds
        yield _gap(
            "no_triangulation",
            "low",
            area.id,
            None,
            "",
            f"{_q(area.title)} is judged only on {EVIDENCE_KIND_WORDS[kind.value]} evidence; no other kind of evidence confirms it.",
            [],
        )


def _reviewer_gaps(framework: Framework, o: AreaOutcome) -> Iterator[tuple[str, Gap]]:
    rank = framework.grade_rank
    for r in o.reviewer_grades:
        subject = f"{r.reviewer}\x1f{r.grade}"  # one gap per distinct grade a reviewer gave
        label = framework.grade(r.grade).label.lower()
        if o.indicative_grade is None:
            yield _gap(
                "reviewer_grade_unsupported",
                "medium",
                o.area_id,
                None,
                subject,
                f"{r.reviewer} graded {_q(o.title)} as {label}, but there is not enough graded evidence for this area to test it.",
                [],
            )
            continue
        apart = abs(rank[r.grade] - rank[o.indicative_grade])
        if apart >= 1:
            evidence_label = framework.grade(o.indicative_grade).label.lower()
            yield _gap(
                "reviewer_grade_apart",
                "high" if apart >= 2 else "medium",
                o.area_id,
                None,
                subject,
                f"{r.reviewer} graded {_q(o.title)} as {label}, but the evidence points to {evidence_label} "
                f"({apart} grade{'s' if apart > 1 else ''} apart).",
                o.driven_by,
            )


def _kloe_gaps(framework: Framework, kloes: Sequence[Kloe]) -> Iterator[tuple[str, Gap]]:
    for k in kloes:
        if k.explored:
            continue
        area_ids = sorted(set(k.area_ids), key=framework.area_order.__getitem__)
        titles = " and ".join(_q(framework.area_by_id[a].title) for a in area_ids)
        yield _gap(
            "kloe_not_explored",
            "low",
            area_ids[0],
            None,
            k.id,
            f"The key line of enquiry {_q(k.question)} ({titles}) has not been explored yet.",
            [],
        )


def _one(s: EvidenceSignal) -> str | None:
    return s.criterion_ids[0] if len(s.criterion_ids) == 1 else None


def _day(day: dt.date) -> str:
    """A date as GOV.UK writes it, like the app's pages: 1 December 2026."""
    return f"{day.day} {day:%B %Y}"


def _q(text: str) -> str:
    return f"\u2018{text.rstrip('.?')}\u2019"
