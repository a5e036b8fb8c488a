"""Performance indicators: what each measures, its target, and its value month by month.

Each council has its own copy of the indicator set (made from `default_indicators.yaml` on
first use), so it can set its own targets. Values are one per indicator per period (the
first day of the month). A performance clinic answers an off-target month with corrective
actions, which are actions of the plan (`evidence.action_plan.actions.create_corrective`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml
from sqlalchemy import func, select

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.models import ServiceArea
from councils.storable import MAX_INTEGER
from councils.versions import check_version, first_save, saving
from evidence.performance.models import Direction, Indicator, IndicatorValue, Polarity, Rag, Unit

DEFAULT_SET = Path(__file__).with_name("default_indicators.yaml")


class IndicatorError(InputError):
    """Bad input to an indicator, its targets or values."""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def default_set() -> list[dict]:
    return yaml.safe_load(DEFAULT_SET.read_text())


def ensure_default_indicators() -> int:
    """Give the current council its own copy of the default set, if it has no indicators yet."""
    if db.session.scalar(select(Indicator.id).limit(1)) is not None:
        return 0
    for position, item in enumerate(default_set()):
        db.session.add(_from_default(item, position))
    db.session.flush()
    count = len(default_set())
    audit_log.record("indicator.defaults_added", "indicator", detail=f"{count} indicators from the default set")
    return count


def ensure_annex_a_indicators() -> int:
    """Add, to a council that already has its indicators, those of the default set fed by an
    Annex A figure that it lacks: new figures are stored only against an indicator."""
    held = {item.annex_a for item in all_indicators() if item.annex_a}
    codes = {item.code for item in all_indicators()}
    position = len(codes)
    added = []
    for item in default_set():
        if item.get("annex_a") and item["annex_a"] not in held and item["code"] not in codes:
            db.session.add(_from_default(item, position))
            position += 1
            added.append(item["name"])
    if added:
        db.session.flush()
        audit_log.record(
            "indicator.defaults_added",
            "indicator",
            detail=f"{len(added)} indicators for Annex A figures: " + "; ".join(added),
        )
    return len(added)


def _from_default(item: dict, position: int) -> Indicator:
    return Indicator(
        code=item["code"],
        position=position,
        name=item["name"],
        numerator=item["numerator"],
        denominator=item["denominator"],
        unit=Unit(item["unit"]),
        polarity=Polarity(item["polarity"]),
        target=float(item["target"]),
        tolerance=float(item["tolerance"]),
        england_average=item.get("england_average"),
        england_note=item.get("england_note"),
        areas=list(item.get("areas", [])),
        criteria=list(item.get("criteria", [])),
        service_area=ServiceArea(item["service_area"]) if item.get("service_area") else None,
        annex_a=item.get("annex_a"),
    )


def all_indicators() -> list[Indicator]:
    return list(db.session.scalars(select(Indicator).order_by(Indicator.position, Indicator.id)))


@dataclass(frozen=True)
class Summary:
    """An indicator's latest position, as a performance clinic reads it."""

    indicator: Indicator
    latest: IndicatorValue | None
    previous: IndicatorValue | None

    @property
    def rag(self) -> Rag | None:
        return self.indicator.rag(self.latest.value if self.latest else None)

    @property
    def since_previous(self) -> Direction | None:
        return self.indicator.direction(_value(self.latest), _value(self.previous))

    @property
    def since_baseline(self) -> Direction | None:
        return self.indicator.direction(_value(self.latest), self.indicator.baseline_value)


def _value(row: IndicatorValue | None) -> float | None:
    return row.value if row else None


def values_by_indicator(until: dt.date | None = None) -> dict[int, list[IndicatorValue]]:
    """Every value of the council's indicators in one query, oldest first."""
    query = select(IndicatorValue).order_by(IndicatorValue.indicator_id, IndicatorValue.period)
    if until is not None:
        query = query.where(IndicatorValue.period <= until)
    grouped: dict[int, list[IndicatorValue]] = {}
    for row in db.session.scalars(query):
        grouped.setdefault(row.indicator_id, []).append(row)
    return grouped


class RecentValue(NamedTuple):
    """What the scorer reads of one month's value (evidence/performance/signals.py)."""

    period: dt.date
    value: float
    denominator: int | None


def recent_values_by_indicator(until: dt.date, last: int) -> dict[int, list[RecentValue]]:
    """The last `last` values of each indicator up to a day, oldest first: three columns a
    row, not the records, as scoring a council reads every indicator's months. The database
    keeps the last `last` of each (numbering each indicator's months newest first), so years
    of history are not sent only to be dropped here."""
    newest_first = (
        func.row_number()
        .over(partition_by=IndicatorValue.indicator_id, order_by=IndicatorValue.period.desc())
        .label("newest_first")
    )
    numbered = (
        select(IndicatorValue.indicator_id, IndicatorValue.period, IndicatorValue.value, IndicatorValue.denominator)
        .add_columns(newest_first)
        .where(IndicatorValue.period <= until)
        .subquery()
    )
    query = (
        select(numbered.c.indicator_id, numbered.c.period, numbered.c.value, numbered.c.denominator)
        .where(numbered.c.newest_first <= last)
        .order_by(numbered.c.indicator_id, numbered.c.period)
    )
    grouped: dict[int, list[RecentValue]] = {}
    for indicator_id, period, value, denominator in db.session.execute(query):
        grouped.setdefault(indicator_id, []).append(RecentValue(period, value, denominator))
    return grouped


def summaries(service_area_first: ServiceArea | None = None) -> list[Summary]:
    grouped = values_by_indicator()
    result = []
    for indicator in all_indicators():
        series = grouped.get(indicator.id, [])
        result.append(Summary(indicator, series[-1] if series else None, series[-2] if len(series) > 1 else None))
    if service_area_first is not None:
        result.sort(key=lambda s: s.indicator.service_area is not service_area_first)
    return result


def record_value(
    indicator: Indicator,
    period: dt.date,
    value: float,
    *,
    numerator: int | None = None,
    denominator: int | None = None,
    source: str = "form",
    version: int | None = None,
) -> IndicatorValue:
    """Add or replace the indicator's value for a period (the month it falls in).

    From the form, `version` is the version of the month's value the person saw (versions.NEW
    for none): a value saved since is not overwritten. An import passes None: its file
    replaces what is saved, as the person confirmed in its preview.
    """
    check_month(period, clock.today())
    check_value(indicator, value, numerator, denominator)
    period = month_start(period)
    what = f"value for {period:%B %Y}"
    row = value_for(indicator, period)
    fields = ["period", "value", "numerator", "denominator", "source"]

    def change(row: IndicatorValue) -> None:
        row.value, row.numerator, row.denominator, row.source = value, numerator, denominator, source
        row.recorded_at = clock.now()

    if row is None:
        if version is not None:
            check_version(None, version, what)
        row = IndicatorValue(indicator_id=indicator.id, period=period)
        change(row)
        # Two people (or a person and an import) saving the first value of a month at once:
        # the form shows both versions; an import, which has no page to show them, says so.
        raced = None
        if version is None:
            raced = IndicatorError(
                f"A value for {indicator.name}, {period:%B %Y} was saved by someone else at the same time. "
                "Nothing was saved: try again.",
                "value",
            )
        with first_save(what, error=raced):
            db.session.add(row)
        before = None
    else:
        with saving(row, what, row.version if version is None else version):
            before = audit_log.snapshot(row, fields)
            change(row)
    audit_log.record(
        "indicator_value.recorded" if before is None else "indicator_value.changed",
        "indicator_value",
        row.id,
        before=before,
        after=audit_log.snapshot(row, fields),
        detail=indicator.code,
    )
    return row


def value_for(indicator: Indicator, period: dt.date) -> IndicatorValue | None:
    """The indicator's value for the month `period` falls in, if one is saved."""
    return db.session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == month_start(period)
        )
    ).first()


# The numerator and denominator are INTEGER columns: a larger count is refused here, for the
# form and the file alike, rather than by the database at commit.
MAX_COUNT = MAX_INTEGER


def check_month(period: dt.date, today: dt.date) -> None:
    """A month's figure exists only once the month has begun: a later month is a typing slip."""
    if month_start(period) > month_start(today):
        raise IndicatorError(f"The month cannot be after this month ({today:%B %Y})", "month")


# How far a percentage may sit from numerator / denominator and still agree: half a point,
# so a figure rounded to a whole percentage (1 of 3 entered as 33) is accepted.
AGREEMENT = 0.5


def check_value(indicator: Indicator, value: float, numerator: int | None, denominator: int | None) -> None:
    if value is None or not math.isfinite(value):
        raise IndicatorError("Enter the value as a number", "value")
    if value < 0:
        raise IndicatorError("The value cannot be negative", "value")
    if indicator.unit is Unit.PERCENT and value > 100:
        raise IndicatorError("A percentage cannot be more than 100", "value")
    if (numerator is None) != (denominator is None):
        raise IndicatorError("Enter both the numerator and the denominator, or neither", "denominator")
    if denominator is not None and denominator > MAX_COUNT:
        raise IndicatorError(f"The denominator must be {MAX_COUNT:,} or less", "denominator")
    if numerator is not None and (numerator < 0 or denominator <= 0 or numerator > denominator):
        raise IndicatorError(
            "The numerator must be between 0 and the denominator, which must be more than 0", "numerator"
        )
    if numerator is not None and indicator.unit is Unit.PERCENT:
        share = 100 * numerator / denominator
        if abs(value - share) > AGREEMENT:
            raise IndicatorError(
                f"The value does not agree with the numerator and denominator: {numerator} of {denominator} "
                f"is {share:.1f}%",
                "value",
            )


def set_targets(
    indicator: Indicator,
    *,
    target: float,
    tolerance: float,
    baseline_value: float | None,
    baseline_date: dt.date | None,
    comparator_value: float | None,
    comparator_note: str | None,
    version: int,
) -> None:
    """Change the indicator's targets, if the person's form was based on the version now saved."""
    fields = ["target", "tolerance", "baseline_value", "baseline_date", "comparator_value", "comparator_note"]
    for name, number in (
        ("target", target),
        ("tolerance", tolerance),
        ("baseline_value", baseline_value),
        ("comparator_value", comparator_value),
    ):
        if number is not None and not math.isfinite(number):
            raise IndicatorError("Enter a number", name)
    if tolerance < 0:
        raise IndicatorError("The tolerance cannot be negative", "tolerance")
    with saving(indicator, "indicator's targets", version):
        before = audit_log.snapshot(indicator, fields)
        indicator.target, indicator.tolerance = target, tolerance
        indicator.baseline_value, indicator.baseline_date = baseline_value, baseline_date
        indicator.comparator_value = comparator_value
        indicator.comparator_note = (comparator_note or "").strip() or None
    audit_log.record(
        "indicator.targets_changed",
        "indicator",
        indicator.id,
        before=before,
        after=audit_log.snapshot(indicator, fields),
        detail=indicator.code,
    )
