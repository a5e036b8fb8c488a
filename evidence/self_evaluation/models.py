"""A council's self-evaluation for one year, and its sections: three answers per judgement."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import Council, LabelledEnum, User, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned

# A section's text: several pages of plain English, far past any answer Ofsted reads.
MAX_TEXT = 10_000


class SelfEvaluationStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    SIGNED_OFF = "signed_off", "Signed off"


class SelfEvaluation(Versioned, CouncilOwned, db.Model):
    feeds_standing = False  # written from the standing; nothing the scorer reads
    __table_args__ = (UniqueConstraint("council_id", "year_starting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The year it covers, by its first calendar year: 2026 is "2026 to 2027".
    year_starting: Mapped[int]
    framework_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[SelfEvaluationStatus] = mapped_column(
        enum_column(SelfEvaluationStatus), default=SelfEvaluationStatus.DRAFT
    )
    # The day of the standing it was drafted from.
    drafted_on: Mapped[dt.date]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    signed_off_on: Mapped[dt.date | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    council: Mapped[Council] = relationship()
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    sections: Mapped[list[SelfEvaluationSection]] = relationship(
        back_populates="self_evaluation", order_by="SelfEvaluationSection.position", cascade="all, delete-orphan"
    )

    @property
    def year(self) -> str:
        return year_words(self.year_starting)

    @property
    def signed_off(self) -> bool:
        return self.status is SelfEvaluationStatus.SIGNED_OFF


def year_words(year_starting: int) -> str:
    return f"{year_starting} to {year_starting + 1}"


class SelfEvaluationSection(Versioned, CouncilOwned, db.Model):
    """One answer of one judgement: what people edit, agree, and the director signs off."""

    feeds_standing = False
    __table_args__ = (UniqueConstraint("self_evaluation_id", "area_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    self_evaluation_id: Mapped[int] = mapped_column(ForeignKey("self_evaluation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    area_id: Mapped[str] = mapped_column(String(80))
    area_title: Mapped[str] = mapped_column(String(200))  # as the framework named it then
    question: Mapped[str] = mapped_column(String(40))  # drafting.QUESTIONS' keys
    text: Mapped[str] = mapped_column(Text)
    # The draft as made, each sentence with the records it came from (drafting.Sentence).
    drafted: Mapped[list] = mapped_column(JSON, default=list)
    agreed: Mapped[bool] = mapped_column(default=False)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime | None]

    self_evaluation: Mapped[SelfEvaluation] = relationship(back_populates="sections")
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
