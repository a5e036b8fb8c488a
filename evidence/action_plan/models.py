"""Actions and their progress notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, User, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned
from evidence.performance.models import IndicatorValue


class ActionStatus(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Action(Versioned, CouncilOwned, db.Model):
    feeds_standing = False  # nothing the scorer reads

    id: Mapped[int] = mapped_column(primary_key=True)
    what: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    due_date: Mapped[dt.date]
    success_measure: Mapped[str] = mapped_column(String(500))
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.NOT_STARTED)
    area_id: Mapped[str] = mapped_column(String(80), index=True)
    # The gap the action answers, as the scorer described it when the action was made.
    gap_id: Mapped[str | None] = mapped_column(String(40), index=True)
    gap_kind: Mapped[str | None] = mapped_column(String(40))
    gap_sentence: Mapped[str | None] = mapped_column(Text)
    criterion_id: Mapped[str | None] = mapped_column(String(80))
    evidence_ids: Mapped[list] = mapped_column(JSON, default=list)
    # Set when the gap came from a mock inspection's gap list rather than the live one.
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), index=True)
    # Set for a corrective action: the off-target month of an indicator it answers. SET NULL, not
    # CASCADE: the action, its notes and its evidence of completion are the board's record and
    # outlive a figure that is removed.
    indicator_value_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_value.id", ondelete="SET NULL"), index=True
    )
    completion_evidence: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    completed_on: Mapped[dt.date | None]

    owner: Mapped[User] = relationship()
    indicator_value: Mapped[IndicatorValue | None] = relationship()
    notes: Mapped[list[ActionNote]] = relationship(back_populates="action", order_by="ActionNote.written_at.desc()")

    def is_overdue(self, today: dt.date) -> bool:
        return self.status is not ActionStatus.DONE and self.due_date < today


class ActionNote(CouncilOwned, db.Model):
    """A progress note, as reported to the improvement board."""

    feeds_standing = False  # nothing the scorer reads

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    written_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    text: Mapped[str] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
