"""Case file audits, their answers and the escalations they raise."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, ServiceArea, User, enum_column
from councils.tenancy import CouncilOwned
from evidence.library.models import EvidenceItem


class CaseType(LabelledEnum):
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


class EscalationStatus(LabelledEnum):
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
    status: Mapped[EscalationStatus] = mapped_column(
        enum_column(EscalationStatus), default=EscalationStatus.OPEN, index=True
    )
    action_taken: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(server_default=func.now())
    resolved_at: Mapped[datetime | None]

    audit: Mapped[CaseAudit] = relationship(back_populates="escalations")
    owner: Mapped[User] = relationship()
