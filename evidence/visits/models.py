"""A JTAI rehearsal's cases, audited jointly (each agency's view of a case the council audited),
and the last inspection's recommendations with each monitoring visit's findings on them.

None of these feeds the scorer: a JTAI and a monitoring visit are not graded.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned
from evidence.case_audits.models import CaseAudit
from evidence.reviews.models import PartnerAgency, Review


class CaseViewFrom(LabelledEnum):
    """Whose view of a jointly audited case: the council's social care, or a partner agency."""

    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health"
    POLICE = "police"
    PROBATION = "probation"
    EDUCATION = "education"

    @classmethod
    def of(cls, agency: PartnerAgency | None) -> CaseViewFrom:
        return cls(agency.value) if agency else cls.CHILDRENS_SOCIAL_CARE


class Progress(LabelledEnum):
    """How far a recommendation has come, in the words a monitoring visit letter uses."""

    NOT_YET = "not_yet", "Not yet"
    SOME = "some", "Some progress"
    GOOD = "good", "Good progress"
    MET = "met", "Met"


class JointCase(CouncilOwned, db.Model):
    """A case the council audited, chosen for a JTAI rehearsal: the council's audit is its own
    view of the case, and each agency adds its view of the same child's case."""

    feeds_standing = False
    __table_args__ = (UniqueConstraint("review_id", "case_audit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    case_audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id", ondelete="RESTRICT"), index=True)

    review: Mapped[Review] = relationship()
    audit: Mapped[CaseAudit] = relationship()
    views: Mapped[list[AgencyCaseView]] = relationship(
        back_populates="joint_case", cascade="all, delete-orphan", order_by="AgencyCaseView.id"
    )


class AgencyCaseView(Versioned, CouncilOwned, db.Model):
    """One agency's view of a jointly audited case: what its records show, what it did, what
    it would change. Auditors of the same agency write the one view, with a version check."""

    feeds_standing = False
    __table_args__ = (UniqueConstraint("joint_case_id", "agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    joint_case_id: Mapped[int] = mapped_column(ForeignKey("joint_case.id", ondelete="CASCADE"), index=True)
    agency: Mapped[CaseViewFrom] = mapped_column(enum_column(CaseViewFrom))
    what_we_saw: Mapped[str] = mapped_column(Text)
    what_to_improve: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]

    joint_case: Mapped[JointCase] = relationship(back_populates="views")


class InspectionRecommendation(Versioned, CouncilOwned, db.Model):
    """A recommendation of the council's last inspection report: a monitoring visit's plan."""

    feeds_standing = False

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    # The date of the inspection report the recommendation is from.
    reported_on: Mapped[date]

    progress: Mapped[list[RecommendationProgress]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="RecommendationProgress.id"
    )


class RecommendationProgress(Versioned, CouncilOwned, db.Model):
    """What one monitoring visit rehearsal found on one recommendation."""

    feeds_standing = False
    __table_args__ = (UniqueConstraint("review_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_recommendation.id", ondelete="CASCADE"), index=True
    )
    progress: Mapped[Progress] = mapped_column(enum_column(Progress))
    findings: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]

    review: Mapped[Review] = relationship()
    recommendation: Mapped[InspectionRecommendation] = relationship(back_populates="progress")
