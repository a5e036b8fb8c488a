"""A JTAI rehearsal's case audits, done jointly: the lead chooses cases the council has audited,
and each agency on the team (the council's social care, and each partner agency's auditors)
records its own view of each. The council's case audit is reused as it is, never copied.

Run under the reviewed council (inspect_ready/review_access.py), so only its audits are found.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from councils import audit_log, clock
from councils.db import db
from councils.tenancy import find
from councils.versions import check_version, first_save, saving
from evidence.case_audits.models import CaseAudit
from evidence.reviews.models import Review, ReviewKind, ReviewMember
from evidence.reviews.setup import ReviewError
from evidence.visits.models import AgencyCaseView, CaseViewFrom, JointCase

# Enough cases to choose from on one page, newest audits first.
AUDIT_CHOICES = 60
# A JTAI looks at a handful of children's cases in depth: the list is capped, with a count.
MOST_CASES = 40
LONGEST_TEXT = 5000


def _check_jtai(review: Review) -> None:
    if review.kind is not ReviewKind.JTAI_REHEARSAL:
        raise ReviewError("Only a joint targeted area inspection rehearsal audits cases jointly", "case_audit_id")
    if not review.is_open_for_findings:
        raise ReviewError("The rehearsal has reported, so its joint case audits are the record", "case_audit_id")


def cases_of(review: Review) -> list[JointCase]:
    query = (
        select(JointCase)
        .options(selectinload(JointCase.audit), selectinload(JointCase.views))
        .where(JointCase.review_id == review.id)
        .order_by(JointCase.id)
        .limit(MOST_CASES)
    )
    return list(db.session.scalars(query))


def find_case(review: Review, joint_case_id: int) -> JointCase | None:
    joint_case = find(JointCase, joint_case_id)
    return joint_case if joint_case is not None and joint_case.review_id == review.id else None


def audits_to_choose(review: Review) -> list[CaseAudit]:
    """The council's newest case audits not yet on the rehearsal."""
    chosen = select(JointCase.case_audit_id).where(JointCase.review_id == review.id)
    query = (
        select(CaseAudit)
        .where(CaseAudit.id.not_in(chosen))
        .order_by(CaseAudit.audit_date.desc(), CaseAudit.id.desc())
        .limit(AUDIT_CHOICES)
    )
    return list(db.session.scalars(query))


def add_case(review: Review, case_audit_id: int | None) -> JointCase:
    _check_jtai(review)
    audit = find(CaseAudit, case_audit_id) if case_audit_id is not None else None
    if audit is None:
        raise ReviewError("Choose a case audit from the list", "case_audit_id")
    if len(cases_of(review)) >= MOST_CASES:
        raise ReviewError(f"A rehearsal audits at most {MOST_CASES} cases jointly", "case_audit_id")
    joint_case = JointCase(review_id=review.id, case_audit_id=audit.id)
    refused = ReviewError(f"Case {audit.case_reference} is already on the rehearsal", "case_audit_id")
    with first_save("joint case", error=refused):
        db.session.add(joint_case)
    audit_log.record(
        "jtai.case_added",
        "review",
        review.id,
        after={"joint_case_id": joint_case.id, "case_audit_id": audit.id, "case_reference": audit.case_reference},
    )
    return joint_case


def agency_of(member: ReviewMember | None) -> CaseViewFrom:
    """Whose view a person writes: their partner agency's, or else the council's social care."""
    return CaseViewFrom.of(member.agency if member else None)


def view_from(joint_case: JointCase, agency: CaseViewFrom) -> AgencyCaseView | None:
    return next((v for v in joint_case.views if v.agency is agency), None)


def save_view(
    joint_case: JointCase,
    agency: CaseViewFrom,
    what_we_saw: str,
    what_to_improve: str,
    *,
    version: int,
    author: str,
    now: datetime | None = None,
) -> AgencyCaseView:
    """Save an agency's view of the case, if based on the version now saved (0 for a new one)."""
    _check_jtai(joint_case.review)
    what_we_saw, what_to_improve = what_we_saw.strip(), what_to_improve.strip()
    if not what_we_saw:
        raise ReviewError("Enter what your agency's records and work with the child show", "what_we_saw")
    if len(what_we_saw) > LONGEST_TEXT or len(what_to_improve) > LONGEST_TEXT:
        raise ReviewError(f"Keep each answer to {LONGEST_TEXT} characters or fewer", "what_we_saw")
    now = now or clock.now()
    view = view_from(joint_case, agency)
    fields = ["agency", "what_we_saw", "what_to_improve"]
    if view is None:
        check_version(None, version, "view of the case")
        view = AgencyCaseView(
            agency=agency, what_we_saw=what_we_saw, what_to_improve=what_to_improve, updated_by=author, updated_at=now
        )
        with first_save("view of the case"):
            joint_case.views.append(view)
            db.session.flush()
        audit_log.record("jtai.case_view_saved", "joint_case", joint_case.id, after=audit_log.snapshot(view, fields))
        return view
    before = audit_log.snapshot(view, fields)
    with saving(view, "view of the case", version):
        view.what_we_saw, view.what_to_improve = what_we_saw, what_to_improve
        view.updated_by, view.updated_at = author, now
    audit_log.record(
        "jtai.case_view_saved", "joint_case", joint_case.id, before=before, after=audit_log.snapshot(view, fields)
    )
    return view
