"""A mock inspection's case sample, proposed and moderated grades, and recorded outcome."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.tenancy import CouncilOwned
from councils.versions import Versioned
from evidence.reviews.models import Review


class TrackedCase(CouncilOwned, db.Model):
    """One child in the case tracking sample, by pseudonymised reference only."""

    __table_args__ = (UniqueConstraint("review_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    age_band: Mapped[str] = mapped_column(String(20))
    case_type: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(120))
    ethnicity: Mapped[str] = mapped_column(String(80))
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    gender: Mapped[str] = mapped_column(String(40))
    area_ids: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class ProposedGrade(Versioned, CouncilOwned, db.Model):
    """A reviewer's proposed grade for one judgement, before moderation."""

    __table_args__ = (UniqueConstraint("review_id", "area_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[str] = mapped_column(String(80))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    grade: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime]
    # No relationship to the reviewer's User row: a peer reviewer's account is their own
    # council's, out of the reviewed council's reach; Grading.names carries their name.


class ModeratedGrade(Versioned, CouncilOwned, db.Model):
    """The lead's final grade for one judgement (overall included, within the rules)."""

    __table_args__ = (UniqueConstraint("review_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    moderated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    moderated_at: Mapped[dt.datetime]


class PresumptionSetAside(CouncilOwned, db.Model):
    """A presumption (e.g. leaders inadequate normally limits overall) departed from, and why."""

    __table_args__ = (UniqueConstraint("review_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    set_aside_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))


class RecordedOutcome(CouncilOwned, db.Model):
    """The outcome as it stood when the lead recorded it: grades, rules and gaps."""

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), unique=True)
    recorded_on: Mapped[dt.date] = mapped_column(index=True)
    data: Mapped[dict] = mapped_column(JSON)
    # The scorer's outcome and the signals it was given, as graded when recorded
    # (councils/standing_cache.py's payload): the reported pages read it, never re-score.
    # Deferred: a list of recorded outcomes needs none of it. None for outcomes recorded before.
    standing: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    review: Mapped[Review] = relationship()
