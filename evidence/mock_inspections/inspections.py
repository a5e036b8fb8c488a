"""Mock inspections: a review of kind "mock inspection" graded judgement by judgement.

Reviewers propose a grade per judgement with a rationale; the lead moderates each to a final
grade with a rationale; the framework's rules then give overall effectiveness (a hard limiter
always applies, a presumption only unless set aside with a reason). The tracked case sample
rehearses the 25 to 30 children inspectors follow. When the outcome is recorded it is kept as
a snapshot, so later inspections compare against what was found then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from councils import clock
from councils.audit_log import record, snapshot
from councils.db import db
from councils.models import User
from evidence import standing
from evidence.case_audits.audits import check_case_reference
from evidence.case_audits.models import CaseAudit
from evidence.library.items import EvidenceError, framework_of
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, GENDERS, SampledCase, Shortfall, shortfalls
from evidence.mock_inspections.models import (
    ModeratedGrade,
    PresumptionSetAside,
    ProposedGrade,
    RecordedOutcome,
    TrackedCase,
)
from evidence.reviews.models import Review, ReviewKind, ReviewStatus
from evidence.reviews.signals import review_kloes
from judgement_framework import (
    EvidenceSignal,
    Framework,
    Outcome,
    ReviewerGrade,
    RuleError,
    RulesResult,
    apply_rules,
)


class MockInspectionError(EvidenceError):
    pass


def mock_inspections() -> list[Review]:
    query = select(Review).where(Review.kind == ReviewKind.MOCK_INSPECTION)
    return list(db.session.scalars(query.order_by(Review.starts_on.desc(), Review.id.desc())))


# The tracked case sample ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseFields(SampledCase):
    """A child for the sample as the form gives it: what the balance check reads, and more."""

    area_ids: list[str]
    note: str = ""


def add_tracked_case(review: Review, fields: CaseFields, framework: Framework) -> TrackedCase:
    _check_open(review)
    reference = check_case_reference(fields.reference)
    for value, allowed, field, message in (
        (fields.age_band, AGE_BANDS, "age_band", "Choose the child's age band"),
        (fields.case_type, CASE_TYPES, "case_type", "Choose the kind of case"),
        (fields.gender, GENDERS, "gender", "Choose the child's gender"),
    ):
        if value not in allowed:
            raise MockInspectionError(message, field)
    if not fields.team.strip():
        raise MockInspectionError("Enter the team that holds the case", "team")
    unknown = [a for a in fields.area_ids if a not in framework.area_by_id]
    if unknown:
        raise MockInspectionError(f"'{unknown[0]}' is not a judgement of {framework.title}", "area_ids")
    if db.session.scalar(
        select(TrackedCase.id).where(TrackedCase.review_id == review.id, TrackedCase.reference == reference)
    ):
        raise MockInspectionError(f"{reference} is already in the sample", "reference")
    case = TrackedCase(
        review_id=review.id,
        reference=reference,
        age_band=fields.age_band,
        case_type=fields.case_type,
        team=fields.team.strip(),
        ethnicity=fields.ethnicity.strip(),
        disability=fields.disability,
        gender=fields.gender,
        area_ids=list(dict.fromkeys(fields.area_ids)),
        note=fields.note.strip(),
    )
    db.session.add(case)
    db.session.flush()
    record(
        "tracked_case.added", "review", review.id, after=snapshot(case, ["reference", "case_type", "team", "area_ids"])
    )
    return case


def remove_tracked_case(review: Review, case: TrackedCase) -> None:
    _check_open(review)
    record("tracked_case.removed", "review", review.id, before={"reference": case.reference})
    db.session.delete(case)
    db.session.flush()


def sample_of(review: Review) -> list[TrackedCase]:
    return list(
        db.session.scalars(select(TrackedCase).where(TrackedCase.review_id == review.id).order_by(TrackedCase.id))
    )


def sample_shortfalls(cases: list[TrackedCase]) -> list[Shortfall]:
    """What the sample lacks; the council's teams are those its case audits name."""
    teams = sorted(set(db.session.scalars(select(CaseAudit.team).distinct())))
    sampled = [
        SampledCase(c.reference, c.age_band, c.case_type, c.team, c.ethnicity, c.disability, c.gender) for c in cases
    ]
    return shortfalls(sampled, teams=teams)


# Grading -------------------------------------------------------------------------------


def _check_grade(framework: Framework, area_id: str, grade: str, rationale: str) -> None:
    if area_id not in framework.area_by_id:
        raise MockInspectionError(f"'{area_id}' is not a judgement of {framework.title}", "area_id")
    if grade not in framework.grade_rank:
        raise MockInspectionError("Choose a grade from the scale", "grade")
    if not (rationale or "").strip():
        raise MockInspectionError("Give the rationale for the grade", "rationale")


def propose_grade(
    review: Review, framework: Framework, area_id: str, reviewer: User, grade: str, rationale: str
) -> None:
    _check_open(review)
    _check_grade(framework, area_id, grade, rationale)
    existing = db.session.scalar(
        select(ProposedGrade).where(
            ProposedGrade.review_id == review.id,
            ProposedGrade.area_id == area_id,
            ProposedGrade.reviewer_id == reviewer.id,
        )
    )
    before = snapshot(existing, ["grade", "rationale"]) if existing else None
    proposal = existing or ProposedGrade(review_id=review.id, area_id=area_id, reviewer_id=reviewer.id)
    proposal.grade, proposal.rationale, proposal.updated_at = grade, rationale.strip(), clock.now()
    db.session.add(proposal)
    db.session.flush()
    record(
        "grade.proposed",
        "review",
        review.id,
        before=before,
        after={"area_id": area_id, "grade": grade, "rationale": proposal.rationale},
    )


def moderate(review: Review, framework: Framework, area_id: str, moderator: User, grade: str, rationale: str) -> None:
    _check_open(review)
    _check_grade(framework, area_id, grade, rationale)
    existing = db.session.scalar(
        select(ModeratedGrade).where(ModeratedGrade.review_id == review.id, ModeratedGrade.area_id == area_id)
    )
    before = snapshot(existing, ["grade", "rationale"]) if existing else None
    final = existing or ModeratedGrade(review_id=review.id, area_id=area_id)
    final.grade, final.rationale, final.moderated_by_id, final.moderated_at = (
        grade,
        rationale.strip(),
        moderator.id,
        clock.now(),
    )
    db.session.add(final)
    db.session.flush()
    record(
        "grade.moderated",
        "review",
        review.id,
        before=before,
        after={"area_id": area_id, "grade": grade, "rationale": final.rationale},
    )


def set_aside(review: Review, framework: Framework, rule_id: str, reason: str, by: User) -> None:
    """Depart from a presumption with a recorded reason; a hard limiter cannot be set aside."""
    _check_open(review)
    try:
        apply_rules(framework, {}, {rule_id: reason})
    except RuleError as error:
        raise MockInspectionError(str(error), "reason") from None
    # A second press of the button, or a second tab: one setting aside per presumption.
    already = db.session.scalar(
        select(PresumptionSetAside.id).where(
            PresumptionSetAside.review_id == review.id, PresumptionSetAside.rule_id == rule_id
        )
    )
    if already is not None:
        raise MockInspectionError("This presumption is already set aside", "reason")
    db.session.add(
        PresumptionSetAside(review_id=review.id, rule_id=rule_id, reason=reason.strip(), set_aside_by_id=by.id)
    )
    db.session.flush()
    record("presumption.set_aside", "review", review.id, after={"rule_id": rule_id, "reason": reason.strip()})


def withdraw_set_aside(review: Review, rule_id: str) -> None:
    _check_open(review)
    row = db.session.scalar(
        select(PresumptionSetAside).where(
            PresumptionSetAside.review_id == review.id, PresumptionSetAside.rule_id == rule_id
        )
    )
    if row:
        record("presumption.restored", "review", review.id, before={"rule_id": rule_id, "reason": row.reason})
        db.session.delete(row)
        db.session.flush()


def _check_open(review: Review) -> None:
    if review.status in (ReviewStatus.REPORTED, ReviewStatus.CLOSED):
        raise MockInspectionError(
            "The outcome of this mock inspection has been recorded: grades can no longer change", "grade"
        )


# The outcome ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grading:
    """Everything the grading pages and the outcome show, from a fixed number of queries."""

    framework: Framework
    evidence: Outcome  # the scorer: evidence-based grades, reviewer gaps, KLOE gaps
    signals: list[EvidenceSignal]  # what the scorer was given, to name the evidence behind a grade
    proposals: dict[str, list[ProposedGrade]]
    moderated: dict[str, ModeratedGrade]
    set_aside: dict[str, str]
    final: RulesResult  # the framework's rules over the moderated grades

    def final_grade(self, area_id: str) -> str | None:
        return self.final.final_grades.get(area_id)


def grading(review: Review, council, as_of: dt.date | None = None) -> Grading:
    """The grading of a mock inspection, with the evidence as it stood on its last day (or
    today, while it is still going on), so a finished one keeps the picture it was graded on."""
    as_of = as_of or min(clock.today(), review.ends_on)
    framework = framework_of(review)
    proposals: dict[str, list[ProposedGrade]] = {}
    for proposal in db.session.scalars(
        select(ProposedGrade)
        .options(joinedload(ProposedGrade.reviewer))
        .where(ProposedGrade.review_id == review.id)
        .order_by(ProposedGrade.id)
    ):
        proposals.setdefault(proposal.area_id, []).append(proposal)
    moderated = {
        m.area_id: m for m in db.session.scalars(select(ModeratedGrade).where(ModeratedGrade.review_id == review.id))
    }
    set_asides = {
        s.rule_id: s.reason
        for s in db.session.scalars(select(PresumptionSetAside).where(PresumptionSetAside.review_id == review.id))
    }
    reviewer_grades = [
        ReviewerGrade(p.area_id, p.reviewer.name, p.grade, p.rationale) for ps in proposals.values() for p in ps
    ]
    kloes = review_kloes(framework, review)
    evidence, signals = standing.live_outcome(
        council, as_of, framework=framework, reviewer_grades=reviewer_grades, kloes=kloes
    )
    final = apply_rules(framework, {area: m.grade for area, m in moderated.items()}, set_asides)
    return Grading(framework, evidence, signals, proposals, moderated, set_asides, final)


def record_outcome(review: Review, result: Grading, by: User) -> RecordedOutcome:
    """Keep the outcome as it stands, and mark the mock inspection reported (once: a recorded
    outcome is what later mock inspections are compared with)."""
    _check_open(review)
    graded = [a.id for a in result.framework.areas if a.kind in ("key", "graded")]
    missing = [a for a in graded if a not in result.moderated]
    if missing:
        title = result.framework.area_by_id[missing[0]].title
        raise MockInspectionError(
            f"Moderate every judgement before recording the outcome: '{title}' has no final grade", "grade"
        )
    data = snapshot_data(result)
    existing = db.session.scalar(select(RecordedOutcome).where(RecordedOutcome.review_id == review.id))
    outcome = existing or RecordedOutcome(review_id=review.id)
    outcome.recorded_on, outcome.data = clock.today(), data
    db.session.add(outcome)
    review.status = ReviewStatus.REPORTED
    db.session.flush()
    record("mock_inspection.outcome_recorded", "review", review.id, after={"final_grades": result.final.final_grades})
    return outcome


def snapshot_data(result: Grading) -> dict:
    return {
        "framework_id": result.framework.id,
        "areas": [
            {"area_id": a.id, "title": a.title, "final_grade": result.final_grade(a.id)} for a in result.framework.areas
        ],
        "rules": result.final.to_dict(),
        "gaps": [gap.to_dict() for gap in result.evidence.gaps],
    }


def latest_recorded() -> RecordedOutcome | None:
    return db.session.scalars(
        select(RecordedOutcome).order_by(RecordedOutcome.recorded_on.desc(), RecordedOutcome.id.desc()).limit(1)
    ).first()


def recorded_outcomes() -> list[RecordedOutcome]:
    return list(db.session.scalars(select(RecordedOutcome).order_by(RecordedOutcome.recorded_on, RecordedOutcome.id)))
