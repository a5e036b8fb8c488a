"""Evidence items, their links to judgement areas, and the files behind them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, ServiceArea, User, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned

if TYPE_CHECKING:  # the audit an item follows; case audits sit above the library
    from evidence.case_audits.models import CaseAudit


class EvidenceKind(LabelledEnum):
    CASE_AUDIT = "case_audit", "Case audit"
    PERFORMANCE_DATA = "performance_data", "Performance data"
    KLOE_FINDING = "kloe_finding", "Key line of enquiry finding"
    DOCUMENT = "document", "Document or policy"
    OBSERVATION = "observation", "Practice observation"
    VOICE_OF_CHILD = "voice_of_child", "Voice of the child or family feedback"
    OTHER = "other", "Other"


class EvidenceStatus(LabelledEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    ARCHIVED = "archived"


class Leaning(LabelledEnum):
    """Whether the evidence shows a strength or raises a concern."""

    STRENGTH = "strength"
    CONCERN = "concern"


class EvidenceItem(Versioned, CouncilOwned, db.Model):
    # The library's list, newest first, reads one page of this index and stops, at any size
    # of council; a date index alone left the database sorting every item for each page.
    __table_args__ = (Index("ix_evidence_item_council_newest", "council_id", "evidence_date", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str | None] = mapped_column(String(40))
    leaning: Mapped[Leaning] = mapped_column(enum_column(Leaning))
    evidence_date: Mapped[date]
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
