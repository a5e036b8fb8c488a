"""The call and its workspace: the notified inspection or visit, the checklist of what Ofsted
asks for, the inspectors' requests and the children whose cases inspectors refer back.

None of it feeds the scorer: the workspace reads the standing, it never changes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, User, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned
from evidence.library.models import EvidenceItem


class VisitKind(LabelledEnum):
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"


class ItemStatus(LabelledEnum):
    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class RequestStatus(LabelledEnum):
    ASKED = "asked", "Asked"
    IN_PROGRESS = "in_progress"
    SENT = "sent", "Sent"


class ReferralStatus(LabelledEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class InspectionNotice(Versioned, CouncilOwned, db.Model):
    """The call: Ofsted's notification of an inspection or visit, and, once the report is
    published, the grades it gave."""

    feeds_standing = False  # nothing the scorer reads

    id: Mapped[int] = mapped_column(primary_key=True)
    called_on: Mapped[dt.date] = mapped_column(index=True)
    kind: Mapped[VisitKind] = mapped_column(enum_column(VisitKind))
    lead_inspector: Mapped[str] = mapped_column(String(120))
    first_day: Mapped[dt.date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # The published report: its date and the grade of each judgement ({area id: grade id}).
    published_on: Mapped[dt.date | None]
    actual_grades: Mapped[dict | None] = mapped_column(JSON)

    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="ChecklistItem.position"
    )
    requests: Mapped[list[InspectorRequest]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="InspectorRequest.id"
    )
    referrals: Mapped[list[ReferredCase]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="ReferredCase.id"
    )


class ChecklistItem(Versioned, CouncilOwned, db.Model):
    """Something Ofsted asks for at the start, as the council tracks it: seeded from
    checklist.yaml, then the council's own to change, add to and remove."""

    feeds_standing = False

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("inspection_notice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # The item of checklist.yaml it was seeded from; None for one the council added.
    source_id: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.TO_DO)
    due_date: Mapped[dt.date]
    evidence_item_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_item.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[dt.date | None]

    notice: Mapped[InspectionNotice] = relationship(back_populates="checklist")
    owner: Mapped[User | None] = relationship()
    evidence_item: Mapped[EvidenceItem | None] = relationship()


class InspectorRequest(Versioned, CouncilOwned, db.Model):
    """Something an inspector asked for on site, who answers it and what was sent."""

    feeds_standing = False

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("inspection_notice.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[str] = mapped_column(String(120))
    asked_on: Mapped[dt.date]
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    due_date: Mapped[dt.date]
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.ASKED)
    sent: Mapped[str] = mapped_column(Text, default="")
    evidence_item_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_item.id", ondelete="SET NULL"))
    sent_on: Mapped[dt.date | None]

    notice: Mapped[InspectionNotice] = relationship(back_populates="requests")
    owner: Mapped[User] = relationship()
    evidence_item: Mapped[EvidenceItem | None] = relationship()

    def is_overdue(self, on: dt.date) -> bool:
        return self.due_date < on and (self.sent_on is None or self.sent_on > on)


class ReferredCase(Versioned, CouncilOwned, db.Model):
    """A child whose case inspectors referred back to the council, tracked, as an escalation
    is, to a recorded resolution. By pseudonymised case reference only."""

    feeds_standing = False

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("inspection_notice.id", ondelete="CASCADE"), index=True)
    case_reference: Mapped[str] = mapped_column(String(40))
    raised: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[dt.date]
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus), default=ReferralStatus.OPEN)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[dt.date | None]

    notice: Mapped[InspectionNotice] = relationship(back_populates="referrals")
    owner: Mapped[User] = relationship()
