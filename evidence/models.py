"""Evidence items, their links to judgement areas, attachments, case file audits and escalations."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import ServiceArea, User, enum_column
from councils.tenancy import CouncilOwned


class _Labelled(enum.Enum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EvidenceKind(_Labelled):
    CASE_AUDIT = "case_audit"
    PERFORMANCE_DATA = "performance_data"
    KLOE_FINDING = "kloe_finding"
    DOCUMENT = "document"
    OBSERVATION = "observation"
    VOICE_OF_CHILD = "voice_of_child"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    EvidenceKind.CASE_AUDIT: "Case audit",
    EvidenceKind.PERFORMANCE_DATA: "Performance data",
    EvidenceKind.KLOE_FINDING: "Key line of enquiry finding",
    EvidenceKind.DOCUMENT: "Document or policy",
    EvidenceKind.OBSERVATION: "Practice observation",
    EvidenceKind.VOICE_OF_CHILD: "Voice of the child or family feedback",
    EvidenceKind.OTHER: "Other",
}


class EvidenceStatus(_Labelled):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    ARCHIVED = "archived"


class Leaning(_Labelled):
    """Whether the evidence shows a strength or raises a concern."""

    STRENGTH = "strength"
    CONCERN = "concern"


class CaseType(_Labelled):
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION = "child_protection"
    CHILD_IN_CARE = "child_in_care"
    CARE_LEAVER = "care_leaver"
    EARLY_HELP = "early_help"


# The service that owns each kind of case, so an audit's evidence lands in the right service.
CASE_TYPE_SERVICE = {
    CaseType.CHILD_IN_NEED: ServiceArea.CHILD_PROTECTION,
    CaseType.CHILD_PROTECTION: ServiceArea.CHILD_PROTECTION,
    CaseType.CHILD_IN_CARE: ServiceArea.CHILDREN_IN_CARE,
    CaseType.CARE_LEAVER: ServiceArea.CARE_LEAVERS,
    CaseType.EARLY_HELP: ServiceArea.EARLY_HELP,
}


class EscalationStatus(_Labelled):
    OPEN = "open"
    RESOLVED = "resolved"


class CaseAudit(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(80))
    # Pseudonymised: the case management system's reference, never a child's name.
    case_reference: Mapped[str] = mapped_column(String(40), index=True)
    case_type: Mapped[CaseType] = mapped_column(enum_column(CaseType))
    team: Mapped[str] = mapped_column(String(120), index=True)
    worker: Mapped[str] = mapped_column(String(120))
    auditor: Mapped[str] = mapped_column(String(120))
    audit_date: Mapped[date] = mapped_column(index=True)
    overall_grade: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    moderator: Mapped[str | None] = mapped_column(String(120))
    moderation_agreed: Mapped[bool | None]
    moderated_grade: Mapped[str | None] = mapped_column(String(40))
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    answers: Mapped[list[AuditAnswer]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="AuditAnswer.id"
    )
    escalations: Mapped[list[Escalation]] = relationship(back_populates="audit", order_by="Escalation.id")
    evidence_item: Mapped[EvidenceItem | None] = relationship(back_populates="case_audit")

    @property
    def final_grade(self) -> str:
        """The grade that stands: a moderator's different grade replaces the auditor's."""
        return self.moderated_grade or self.overall_grade


class AuditAnswer(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    # A grade id of the four-point scale, or yes / no / not_applicable.
    answer: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[CaseAudit] = relationship(back_populates="answers")


class Escalation(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id", ondelete="RESTRICT"), index=True)
    concern: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    due_date: Mapped[date]
    status: Mapped[EscalationStatus] = mapped_column(enum_column(EscalationStatus), default=EscalationStatus.OPEN, index=True)
    action_taken: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(server_default=func.now())
    resolved_at: Mapped[datetime | None]

    audit: Mapped[CaseAudit] = relationship(back_populates="escalations")
    owner: Mapped[User] = relationship()


class EvidenceItem(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str | None] = mapped_column(String(40))
    leaning: Mapped[Leaning] = mapped_column(enum_column(Leaning))
    evidence_date: Mapped[date] = mapped_column(index=True)
    review_by: Mapped[date | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    service_area: Mapped[ServiceArea | None] = mapped_column(enum_column(ServiceArea), index=True)
    source_reference: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[EvidenceStatus] = mapped_column(enum_column(EvidenceStatus), index=True)
    # Set when the item is a case audit's own evidence: it follows that audit.
    case_audit_id: Mapped[int | None] = mapped_column(ForeignKey("case_audit.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    owner: Mapped[User | None] = relationship()
    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="EvidenceLink.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="item", order_by="Attachment.id")
    case_audit: Mapped[CaseAudit | None] = relationship(back_populates="evidence_item")


class EvidenceLink(CouncilOwned, db.Model):
    """An evidence item speaks to a judgement area, and optionally one of its criteria."""

    __table_args__ = (UniqueConstraint("evidence_item_id", "area_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_item_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[str] = mapped_column(String(80), index=True)
    criterion_id: Mapped[str | None] = mapped_column(String(80))

    item: Mapped[EvidenceItem] = relationship(back_populates="links")


class Attachment(CouncilOwned, db.Model):
    """A file behind an evidence item. The bytes live on disk, named by their checksum."""

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_item_id: Mapped[int] = mapped_column(ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    item: Mapped[EvidenceItem] = relationship(back_populates="attachments")

