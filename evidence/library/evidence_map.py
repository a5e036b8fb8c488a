"""The evidence map: judgement areas and criteria against kinds of evidence, with counts.

Two grouped queries build the whole map, however much evidence a council holds; still, at
20,000 items they take ten times a bare page, so the map is kept per change of the evidence,
like the standing (councils/standing_cache.py), and the whole council's map is refreshed in
the background after each change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from councils import clock, standing_cache
from councils.db import db
from councils.models import Council, ServiceArea
from evidence.library.items import framework_of, stale_condition
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus
from judgement_framework import Framework

# Fewer fresh items than this is thin: the scorer has low confidence below three.
THIN_BELOW = 3


def median_grade(grades: Counter, framework: Framework) -> str | None:
    """The grade the evidence points to: the median, ties going to the worse grade."""
    total = sum(n for g, n in grades.items() if g in framework.grade_rank)
    running = 0
    for grade in framework.grades:
        running += grades.get(grade.id, 0)
        if total and running * 2 > total:
            return grade.id
    return None


@dataclass
class Cell:
    count: int = 0
    stale: int = 0
    grades: Counter = field(default_factory=Counter)
    grade: str | None = None

    @property
    def fresh(self) -> int:
        return self.count - self.stale

    @property
    def thin(self) -> bool:
        return self.fresh < THIN_BELOW

    def add(self, grade: str | None, stale: bool, count: int) -> None:
        self.count += count
        self.stale += count if stale else 0
        if grade:
            self.grades[grade] += count


@dataclass
class MapRow:
    area_id: str
    criterion_id: str | None
    title: str
    cells: dict[EvidenceKind, Cell]
    total: Cell

    @property
    def link_value(self) -> str:
        return f"{self.area_id}:{self.criterion_id}" if self.criterion_id else self.area_id


def council_map(council: Council, today: date, service_area: ServiceArea | None) -> list[MapRow]:
    """The council's map on its own framework and freshness window, kept per version of its
    evidence (the framework and window are the council's settings: changing them bumps it)."""
    framework = framework_of(council)

    def compute() -> list[MapRow]:
        return evidence_map(framework, today, council.evidence_freshness_days, service_area)

    return standing_cache.cached(council.id, map_key(council, today, service_area), compute)


def map_key(council: Council, today: date, service_area: ServiceArea | None) -> str:
    area = service_area.value if service_area else "all"
    return f"map|{council.framework_id}|{today.isoformat()}|{council.evidence_freshness_days}|{area}"


# The whole council's map, as a senior leader first sees it, is refreshed after each change.
standing_cache.refreshed(
    "evidence map",
    lambda council: map_key(council, clock.today(), None),
    lambda council: evidence_map(framework_of(council), clock.today(), council.evidence_freshness_days, None),
)


def evidence_map(
    framework: Framework, today: date, freshness_days: int, service_area: ServiceArea | None
) -> list[MapRow]:
    stale = case((stale_condition(today, freshness_days), 1), else_=0).label("stale")
    base = (
        select(EvidenceLink.area_id, EvidenceItem.kind, EvidenceItem.grade, stale)
        .join(EvidenceItem, EvidenceItem.id == EvidenceLink.evidence_item_id)
        .where(EvidenceItem.status == EvidenceStatus.ACCEPTED)
    )
    if service_area is not None:
        base = base.where(EvidenceItem.service_area == service_area)
    by_area = base.add_columns(func.count(func.distinct(EvidenceItem.id))).group_by(
        EvidenceLink.area_id, EvidenceItem.kind, EvidenceItem.grade, stale
    )
    by_criterion = (
        base.add_columns(EvidenceLink.criterion_id, func.count(EvidenceItem.id))
        .where(EvidenceLink.criterion_id.is_not(None))
        .group_by(EvidenceLink.area_id, EvidenceLink.criterion_id, EvidenceItem.kind, EvidenceItem.grade, stale)
    )
    rows: dict[tuple[str, str | None], MapRow] = {}
    for area in framework.areas:
        if area.kind == "overall":
            continue
        rows[(area.id, None)] = _row(area.id, None, area.title)
        for criterion in area.criteria:
            rows[(area.id, criterion.id)] = _row(area.id, criterion.id, criterion.prompt)
    for area_id, kind, grade, is_stale, count in db.session.execute(by_area):
        _add(rows.get((area_id, None)), kind, grade, is_stale, count)
    for area_id, kind, grade, is_stale, criterion_id, count in db.session.execute(by_criterion):
        _add(rows.get((area_id, criterion_id)), kind, grade, is_stale, count)
    for row in rows.values():
        for cell in [*row.cells.values(), row.total]:
            cell.grade = median_grade(cell.grades, framework)
    return list(rows.values())


def _row(area_id: str, criterion_id: str | None, title: str) -> MapRow:
    return MapRow(area_id, criterion_id, title, {kind: Cell() for kind in EvidenceKind}, Cell())


def _add(row: MapRow | None, kind: EvidenceKind, grade: str | None, is_stale: int, count: int) -> None:
    if row is None:
        return  # linked under a framework the council has since left
    row.cells[kind].add(grade, bool(is_stale), count)
    row.total.add(grade, bool(is_stale), count)
