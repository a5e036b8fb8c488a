"""Indicators, their monthly values, and Annex A import jobs. A month's corrective actions are
actions of the plan (evidence/action_plan), which point here: this layer does not know them."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from councils.db import db
from councils.models import LabelledEnum, ServiceArea, enum_column
from councils.tenancy import CouncilOwned
from councils.versions import Versioned


class Unit(LabelledEnum):
    PERCENT = "percent"
    DAYS = "days"
    NUMBER = "number"


class Polarity(LabelledEnum):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Rag(LabelledEnum):
    GREEN = "green", "On target"
    AMBER = "amber", "Near target"
    RED = "red", "Off target"


class Direction(LabelledEnum):
    BETTER = "better", "Improving"
    SAME = "same", "No change"
    WORSE = "worse", "Worsening"


class Indicator(Versioned, CouncilOwned, db.Model):
    __table_args__ = (UniqueConstraint("council_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    numerator: Mapped[str] = mapped_column(Text)
    denominator: Mapped[str] = mapped_column(Text)
    unit: Mapped[Unit] = mapped_column(enum_column(Unit))
    polarity: Mapped[Polarity] = mapped_column(enum_column(Polarity))
    target: Mapped[float]
    tolerance: Mapped[float]
    baseline_value: Mapped[float | None]
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)
    england_average: Mapped[float | None]
    england_note: Mapped[str | None] = mapped_column(String(200))
    comparator_value: Mapped[float | None]
    comparator_note: Mapped[str | None] = mapped_column(String(200))
    # Judgement area and criterion ids for every framework family; unknown ones are skipped.
    areas: Mapped[list] = mapped_column(JSON, default=list)
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    # None: the whole service (complaints, say), not one service area.
    service_area: Mapped[ServiceArea | None] = mapped_column(enum_column(ServiceArea))
    annex_a: Mapped[str | None] = mapped_column(String(80))

    values: Mapped[list[IndicatorValue]] = relationship(back_populates="indicator", order_by="IndicatorValue.period")

    def rag(self, value: float | None) -> Rag | None:
        if value is None:
            return None
        shortfall = self.target - value if self.polarity is Polarity.HIGHER else value - self.target
        if shortfall <= 0:
            return Rag.GREEN
        return Rag.AMBER if shortfall <= self.tolerance else Rag.RED

    def direction(self, now: float | None, before: float | None) -> Direction | None:
        if now is None or before is None:
            return None
        if math.isclose(now, before, abs_tol=1e-9):
            return Direction.SAME
        return Direction.BETTER if (now > before) == (self.polarity is Polarity.HIGHER) else Direction.WORSE

    def better_than_england(self, value: float | None) -> bool:
        if value is None or self.england_average is None:
            return False
        return value > self.england_average if self.polarity is Polarity.HIGHER else value < self.england_average

    def show(self, value: float | None) -> str:
        if value is None:
            return "No figure"
        figure = f"{value:g}" if self.unit is not Unit.PERCENT else f"{value:.1f}%"
        return figure + (" days" if self.unit is Unit.DAYS else "")


class IndicatorValue(Versioned, CouncilOwned, db.Model):
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[dt.date] = mapped_column(Date)  # first day of the month (or quarter)
    value: Mapped[float]
    numerator: Mapped[int | None]
    denominator: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(40))  # form, file or annex_a
    recorded_at: Mapped[dt.datetime]

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class ImportStatus(LabelledEnum):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"
    # Read, but the month already holds figures: saved only when a person confirms.
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Waiting for you to confirm"
    DECLINED = "declined", "Not saved"

    @property
    def finished(self) -> bool:
        """The job's own work is done (confirming is a person's, not the worker's)."""
        return self is not ImportStatus.QUEUED and self is not ImportStatus.RUNNING


class JobKind(LabelledEnum):
    IMPORT = "import", "Import"
    # A workbook read and checked for the readiness report only: no figure is computed or saved.
    CHECK = "check", "Readiness check"


class AnnexAImport(CouncilOwned, db.Model):
    """A job on an uploaded Annex A workbook: an import (figures for `month`), or a readiness
    check (`month` is then the month the check was made in, shown nowhere)."""

    # The job's own bookkeeping (status, heartbeat every few seconds): the values it imports
    # are what the scorer reads, and they say so themselves.
    feeds_standing = False

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind), default=JobKind.IMPORT, server_default="import")
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # per cent
    filename: Mapped[str] = mapped_column(String(255))
    month: Mapped[dt.date] = mapped_column(Date)
    cp_visit_working_days: Mapped[int]
    requested_by: Mapped[str] = mapped_column(String(254))
    # The uploader, so the worker's changes are recorded in the audit log as theirs.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    # Written every few seconds by the worker running the job: an old one means it died.
    heartbeat_at: Mapped[dt.datetime | None]
    # The period the workbook's own dates cover (evidence/performance/annex_a/period.py).
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    saved_at: Mapped[dt.datetime | None]
    saved_by: Mapped[str | None] = mapped_column(String(254))
    # {"figures": [...], "problems": [...], "rows": n, "stored": n, "readiness": {...}}
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)

    changes: Mapped[list[AnnexAFigureChange]] = relationship(
        back_populates="annex_a_import", order_by="AnnexAFigureChange.id", cascade="all, delete-orphan"
    )


class AnnexAHeadingMapping(CouncilOwned, db.Model):
    """A council's answer for a heading its workbooks use that the template does not: which
    template column it is. Kept so the council's next import places it without asking."""

    __table_args__ = (UniqueConstraint("council_id", "list_number", "heading_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_number: Mapped[int]
    heading_key: Mapped[str] = mapped_column(String(200))  # as headings.heading_key compares it
    heading: Mapped[str] = mapped_column(String(200))  # as the workbook wrote it
    column: Mapped[str] = mapped_column(String(200))  # the template's heading (headings.yaml)
    mapped_by: Mapped[str] = mapped_column(String(254))
    mapped_at: Mapped[dt.datetime]


class AnnexAFigureChange(CouncilOwned, db.Model):
    """One figure of one import, with the month's value before it and after: the history."""

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("annex_a_import.id", ondelete="CASCADE"), index=True)
    figure: Mapped[str] = mapped_column(String(80))  # the measure's key
    title: Mapped[str] = mapped_column(String(200))
    month: Mapped[dt.date] = mapped_column(Date)
    before_value: Mapped[float | None]
    before_numerator: Mapped[int | None]
    before_denominator: Mapped[int | None]
    after_value: Mapped[float | None]
    after_numerator: Mapped[int | None]
    after_denominator: Mapped[int | None]

    annex_a_import: Mapped[AnnexAImport] = relationship(back_populates="changes")

    @property
    def changed(self) -> bool:
        return self.before_value != self.after_value
