"""Recording findings on key lines of enquiry, with a version check so that two people
saving the same finding never silently overwrite each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from councils import audit_log, clock
from councils.db import db
from councils.versions import check_version, first_save, saving
from evidence.library.items import EvidenceError, EvidenceFields, create_item
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.reviews.models import Finding, FindingEvidence, FindingStatus, Review, ReviewKloe
from evidence.reviews.setup import ReviewError, scope_areas
from judgement_framework import Confidence, Framework

FINDING_FIELDS = ["strengths", "areas_for_development", "needs_to_improve", "grade", "confidence", "status"]
# Enough to choose from on one page; the newest come first.
EVIDENCE_CHOICES = 60


@dataclass
class FindingFields:
    strengths: str
    areas_for_development: str
    needs_to_improve: str
    grade: str | None
    confidence: Confidence
    # None keeps the status as it is (an autosave); otherwise the status chosen.
    status: FindingStatus | None = None
    # Evidence items cited; each must be in the review's scope.
    evidence_ids: list[int] = field(default_factory=list)


class EvidenceOutsideScope(ReviewError):
    """Evidence cited that the review cannot see: another council's, archived or out of scope."""

    def __init__(self, evidence_ids: list[int]):
        super().__init__("Choose evidence from this review's scope", "evidence_ids")
        self.evidence_ids = evidence_ids


def _check(fields: FindingFields, framework: Framework, kloe: ReviewKloe) -> None:
    outside = set(fields.evidence_ids) - set(in_scope_ids(kloe.review, framework, fields.evidence_ids))
    if outside:
        raise EvidenceOutsideScope(sorted(outside))
    if fields.grade and not kloe.review.has_grades:
        raise ReviewError(f"A {kloe.review.kind.label.lower()} is not graded: leave the grade out", "grade")
    if fields.grade and fields.grade not in framework.grade_rank:
        raise ReviewError("Choose a grade from the options shown", "grade")
    if fields.status is FindingStatus.COMPLETE:
        if not (fields.strengths.strip() or fields.areas_for_development.strip()):
            words = (
                "strengths or the areas for development"
                if kloe.review.has_grades
                else ("what is working well or the areas for improvement")
            )
            raise ReviewError(f"Enter the {words} before marking the finding complete", "strengths")


def save_finding(
    kloe: ReviewKloe,
    fields: FindingFields,
    framework: Framework,
    *,
    version: int,
    author: str,
    now: datetime | None = None,
) -> Finding:
    """Save what the person sent, if it is based on the version now saved (0 for a new finding)."""
    _check(fields, framework, kloe)
    finding = kloe.finding
    if finding is None:
        check_version(None, version, "finding")
        return _create(kloe, fields, author, now or clock.now())
    with saving(finding, "finding", version):
        before = _snapshot(finding)
        _apply(finding, fields, author, now or clock.now())
    audit_log.record("finding.saved", "finding", finding.id, before=before, after=_snapshot(finding))
    return finding


def _create(kloe: ReviewKloe, fields: FindingFields, author: str, now: datetime) -> Finding:
    finding = Finding(kloe_id=kloe.id, status=FindingStatus.DRAFT)
    _apply(finding, fields, author, now)
    # Someone may have created it a moment before us.
    with first_save("finding"):
        db.session.add(finding)
    audit_log.record("finding.saved", "finding", finding.id, after=_snapshot(finding))
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
    wanted = list(dict.fromkeys(fields.evidence_ids))
    finding.citations = [c for c in finding.citations if c.evidence_item_id in wanted]
    cited = {c.evidence_item_id for c in finding.citations}
    finding.citations.extend(FindingEvidence(evidence_item_id=i) for i in wanted if i not in cited)


def _snapshot(finding: Finding) -> dict:
    return audit_log.snapshot(finding, FINDING_FIELDS) | {
        "evidence_ids": sorted(c.evidence_item_id for c in finding.citations)
    }


# Evidence in the review's scope -----------------------------------------------------------------


def _in_scope(review: Review, framework: Framework):
    """Evidence the review's team may see: not archived, linked to a judgement in scope.

    Run under the reviewed council (review_access), so only that council's evidence is found.
    """
    areas = [a.id for a in scope_areas(review, framework)]
    linked = select(EvidenceLink.evidence_item_id).where(EvidenceLink.area_id.in_(areas))
    return select(EvidenceItem).where(EvidenceItem.status != EvidenceStatus.ARCHIVED, EvidenceItem.id.in_(linked))


def in_scope_ids(review: Review, framework: Framework, evidence_ids: list[int]) -> list[int]:
    if not evidence_ids:
        return []
    query = _in_scope(review, framework).where(EvidenceItem.id.in_(evidence_ids)).with_only_columns(EvidenceItem.id)
    return db.session.scalars(query).all()


def find_in_scope(review: Review, framework: Framework, evidence_id: int) -> EvidenceItem | None:
    return db.session.scalars(_in_scope(review, framework).where(EvidenceItem.id == evidence_id)).first()


def evidence_for(kloe: ReviewKloe, framework: Framework) -> list[EvidenceItem]:
    """Evidence to cite on a KLOE: the newest linked to its judgements, and any already cited."""
    linked = select(EvidenceLink.evidence_item_id).where(EvidenceLink.area_id.in_(kloe.area_ids))
    query = _in_scope(kloe.review, framework).where(EvidenceItem.id.in_(linked))
    items = db.session.scalars(
        query.order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc()).limit(EVIDENCE_CHOICES)
    ).all()
    cited = [c.item for c in (kloe.finding.citations if kloe.finding else []) if c.item not in items]
    return items + cited


# A reviewer's own observation ----------------------------------------------------------------


@dataclass
class ObservationFields:
    kind: EvidenceKind
    title: str
    summary: str
    leaning: Leaning
    evidence_date: date
    grade: str | None = None


def add_observation(
    kloe: ReviewKloe,
    fields: ObservationFields,
    framework: Framework,
    *,
    author: str,
    today: date,
    now: datetime | None = None,
) -> EvidenceItem:
    """Record what a reviewer saw or heard as evidence of the reviewed council, cited by the finding.

    The evidence library's own service makes the item, so it is checked and logged like any other.
    """
    if fields.kind not in (EvidenceKind.OBSERVATION, EvidenceKind.VOICE_OF_CHILD):
        raise ReviewError("Choose a practice observation or the voice of a child or family", "kind")
    if fields.grade and not kloe.review.has_grades:
        raise ReviewError(f"A {kloe.review.kind.label.lower()} is not graded: leave the grade out", "grade")
    try:
        item = create_item(
            EvidenceFields(
                title=fields.title,
                kind=fields.kind,
                leaning=fields.leaning,
                evidence_date=fields.evidence_date,
                summary=fields.summary.strip(),
                grade=fields.grade or None,
                status=EvidenceStatus.ACCEPTED,
                source_reference=f"{kloe.review.title}: {author}"[:200],
                links=list(kloe.area_ids),
            ),
            framework,
            today,
        )
    except EvidenceError as error:
        raise ReviewError(str(error), error.field) from None
    finding = kloe.finding
    if finding is None:
        finding = Finding(
            kloe_id=kloe.id,
            status=FindingStatus.DRAFT,
            strengths="",
            areas_for_development="",
            needs_to_improve="",
            confidence=Confidence.MEDIUM,
        )
        db.session.add(finding)
    before = _snapshot(finding) if finding.id else None
    # Touching the finding bumps its version, so a form opened before this cannot drop the citation.
    finding.updated_by, finding.updated_at = author, now or clock.now()
    finding.citations.append(FindingEvidence(evidence_item_id=item.id))
    db.session.flush()
    audit_log.record("finding.saved", "finding", finding.id, before=before, after=_snapshot(finding))
    return item
