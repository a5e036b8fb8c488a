"""Reviews (peer reviews, mock inspections and rehearsals), their teams, key lines of enquiry
and findings.

Every row belongs to the reviewed council, including the membership and findings of a peer
reviewer from another council: the review is that council's record of what was found.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import Council, LabelledEnum, enum_column
from councils.tenancy import CouncilOwned
from evidence.library.models import EvidenceItem
from judgement_framework import Confidence


class ReviewKind(LabelledEnum):
    PEER_REVIEW = "peer_review"
    MOCK_INSPECTION = "mock_inspection"
    FOCUSED_VISIT_REHEARSAL = "focused_visit_rehearsal"
    THEMATIC_REVIEW = "thematic_review"
    JTAI_REHEARSAL = "jtai_rehearsal", "Joint targeted area inspection (JTAI) rehearsal"
    MONITORING_VISIT_REHEARSAL = "monitoring_visit_rehearsal", "Monitoring visit rehearsal"


# Ofsted grades none of these visits: a rehearsal of one records findings and areas for
# improvement, never a grade, so none of its pages, reports or signals carries one.
UNGRADED_KINDS = frozenset(
    {ReviewKind.FOCUSED_VISIT_REHEARSAL, ReviewKind.JTAI_REHEARSAL, ReviewKind.MONITORING_VISIT_REHEARSAL}
)
# The kinds whose inspectors look at one theme, chosen from evidence/reviews/visit_themes.yaml.
FOCUSED_KINDS = frozenset({ReviewKind.FOCUSED_VISIT_REHEARSAL, ReviewKind.JTAI_REHEARSAL})


class PartnerAgency(LabelledEnum):
    """The agencies whose inspectorates join Ofsted on a JTAI, and whose auditors join its rehearsal."""

    HEALTH = "health"
    POLICE = "police"
    PROBATION = "probation"
    EDUCATION = "education"


class ReviewStatus(LabelledEnum):
    PLANNED = "planned"
    FIELDWORK = "fieldwork"
    MODERATION = "moderation"
    REPORTED = "reported"
    CLOSED = "closed"


# Findings can be written until the report is out; after that they are the record.
OPEN_FOR_FINDINGS = frozenset({ReviewStatus.PLANNED, ReviewStatus.FIELDWORK, ReviewStatus.MODERATION})


class InvitationStatus(LabelledEnum):
    WAITING = "waiting", "Waiting"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class MemberRole(LabelledEnum):
    LEAD = "lead"
    REVIEWER = "reviewer"
    OBSERVER = "observer"


class FindingStatus(LabelledEnum):
    DRAFT = "draft"
    COMPLETE = "complete"


class Review(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ReviewKind] = mapped_column(enum_column(ReviewKind))
    framework_id: Mapped[str] = mapped_column(String(80))
    # Judgement area ids the review looks at; empty means all of the framework's judgements.
    scope_area_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    lead_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    # A focused visit's or JTAI's theme (visit_themes.yaml); None for every other kind.
    focus_theme_id: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.PLANNED, index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    council: Mapped[Council] = relationship()
    members: Mapped[list[ReviewMember]] = relationship(back_populates="review", order_by="ReviewMember.id")
    kloes: Mapped[list[ReviewKloe]] = relationship(back_populates="review", order_by="ReviewKloe.position")

    @property
    def is_open_for_findings(self) -> bool:
        return self.status in OPEN_FOR_FINDINGS

    @property
    def has_grades(self) -> bool:
        return self.kind not in UNGRADED_KINDS


class ReviewMember(CouncilOwned, db.Model):
    """A person on a review's team. The person may belong to any council."""

    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole))
    # Kept as text: the person's own council's record is out of this council's reach.
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(120))
    # A partner agency's auditor on a JTAI rehearsal; None for the council's and peers' people.
    agency: Mapped[PartnerAgency | None] = mapped_column(enum_column(PartnerAgency))

    review: Mapped[Review] = relationship(back_populates="members")


class ReviewKloe(CouncilOwned, db.Model):
    """A key line of enquiry the review tests, from the framework's bank or the council's own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    bank_id: Mapped[str | None] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(Text)
    sub_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    criterion_ids: Mapped[list[str]] = mapped_column(JSON, default=list)

    review: Mapped[Review] = relationship(back_populates="kloes")
    assignments: Mapped[list[KloeAssignment]] = relationship(
        back_populates="kloe", cascade="all, delete-orphan", order_by="KloeAssignment.id"
    )
    finding: Mapped[Finding | None] = relationship(back_populates="kloe")

    @property
    def member_ids(self) -> set[int]:
        return {assignment.member_id for assignment in self.assignments}


class KloeAssignment(CouncilOwned, db.Model):
    __table_args__ = (UniqueConstraint("kloe_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kloe_id: Mapped[int] = mapped_column(ForeignKey("review_kloe.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("review_member.id", ondelete="CASCADE"), index=True)

    kloe: Mapped[ReviewKloe] = relationship(back_populates="assignments")
    member: Mapped[ReviewMember] = relationship()


class Finding(CouncilOwned, db.Model):
    """What the team found on one key line of enquiry. Everyone assigned to it writes here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kloe_id: Mapped[int] = mapped_column(ForeignKey("review_kloe.id", ondelete="CASCADE"), unique=True)
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    needs_to_improve: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[Confidence] = mapped_column(enum_column(Confidence), default=Confidence.MEDIUM)
    status: Mapped[FindingStatus] = mapped_column(enum_column(FindingStatus), default=FindingStatus.DRAFT)
    # Bumped by every save: a save based on an older version is a conflict, not an overwrite.
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]

    kloe: Mapped[ReviewKloe] = relationship(back_populates="finding")
    citations: Mapped[list[FindingEvidence]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="FindingEvidence.id"
    )

    __mapper_args__ = {"version_id_col": version}


class FindingEvidence(CouncilOwned, db.Model):
    """An evidence item the reviewers saw and cite for a finding."""

    __table_args__ = (UniqueConstraint("finding_id", "evidence_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    evidence_item_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True)

    finding: Mapped[Finding] = relationship(back_populates="citations")
    item: Mapped[EvidenceItem] = relationship()


class Invitation(CouncilOwned, db.Model):
    """An emailed link asking a person, usually from another council, to join a review."""

    feeds_standing = False  # nothing the scorer reads

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole))
    agency: Mapped[PartnerAgency | None] = mapped_column(enum_column(PartnerAgency))
    # Only a hash: a leaked database does not hand out working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    invited_by: Mapped[str] = mapped_column(String(254))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Kept, not deleted: the team page and the audit log show who was asked and withdrawn.
    revoked_at: Mapped[datetime | None]

    review: Mapped[Review] = relationship()
