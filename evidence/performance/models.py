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

    @property
    def finished(self) -> bool:
        return self in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)


class AnnexAImport(CouncilOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # per cent
    filename: Mapped[str] = mapped_column(String(255))
    month: Mapped[dt.date] = mapped_column(Date)
    cp_visit_working_days: Mapped[int]
    requested_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    # Written every few seconds by the worker running the job: an old one means it died.
    heartbeat_at: Mapped[dt.datetime | None]
    # {"figures": [...], "problems": [...], "rows": n, "stored": n}
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


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
