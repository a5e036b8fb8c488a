"""Recording findings on key lines of enquiry, with a version check so that two people
saving the same finding never silently overwrite each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from councils import audit_log
from councils.accounts import utcnow
from councils.db import db
from evidence.review_models import Finding, FindingStatus, ReviewKloe
from evidence.reviews import ReviewError
from judgement_framework import Confidence, Framework

FINDING_FIELDS = ["strengths", "areas_for_development", "needs_to_improve", "grade", "confidence", "status"]


@dataclass
class FindingFields:
    strengths: str
    areas_for_development: str
    needs_to_improve: str
    grade: str | None
    confidence: Confidence
    # None keeps the status as it is (an autosave); otherwise the status chosen.
    status: FindingStatus | None = None


class FindingConflict(ReviewError):
    """Someone saved the finding after this person opened it."""

    def __init__(self, saved: Finding):
        super().__init__("Someone else saved this finding after you opened it, so your changes have not been saved yet.", "version")
        self.saved = saved


def _check(fields: FindingFields, framework: Framework) -> None:
    if fields.grade and fields.grade not in framework.grade_rank:
        raise ReviewError(f"'{fields.grade}' is not a grade of {framework.title}", "grade")
    if fields.status is FindingStatus.COMPLETE:
        if not (fields.strengths.strip() or fields.areas_for_development.strip()):
            raise ReviewError("Enter the strengths or the areas for development before marking the finding complete", "strengths")


def save_finding(kloe: ReviewKloe, fields: FindingFields, framework: Framework, *, version: int,
                 author: str, now: datetime | None = None) -> Finding:
    """Save what the person sent, if it is based on the version now saved (0 for a new finding)."""
    _check(fields, framework)
    finding = kloe.finding
    if finding is None and version == 0:
        return _create(kloe, fields, author, now or utcnow())
    if finding is None or finding.version != version:
        raise FindingConflict(finding)
    before = audit_log.snapshot(finding, FINDING_FIELDS)
    _apply(finding, fields, author, now or utcnow())
    try:
        db.session.flush()
    except StaleDataError:
        # Saved by someone else between our check and our write: the database noticed.
        raise FindingConflict(finding) from None
    audit_log.record("finding.saved", "finding", finding.id, before=before, after=audit_log.snapshot(finding, FINDING_FIELDS))
    return finding


def _create(kloe: ReviewKloe, fields: FindingFields, author: str, now: datetime) -> Finding:
    finding = Finding(kloe_id=kloe.id, status=FindingStatus.DRAFT)
    _apply(finding, fields, author, now)
    try:
        with db.session.begin_nested():
            db.session.add(finding)
    except IntegrityError:
        # Someone created it a moment before us.
        db.session.expire(kloe, ["finding"])
        raise FindingConflict(kloe.finding) from None
    audit_log.record("finding.saved", "finding", finding.id, after=audit_log.snapshot(finding, FINDING_FIELDS))
    return finding


def _apply(finding: Finding, fields: FindingFields, author: str, now: datetime) -> None:
    finding.strengths = fields.strengths.strip()
    finding.areas_for_development = fields.areas_for_development.strip()
    finding.needs_to_improve = fields.needs_to_improve.strip()
    finding.grade = fields.grade or None
    finding.confidence = fields.confidence
    if fields.status is not None:
        finding.status = fields.status
    finding.updated_by = author
    finding.updated_at = now
