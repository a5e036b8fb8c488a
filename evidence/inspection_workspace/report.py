"""The published report: its date and grades, and how they compare, judgement by judgement,
with the last mock inspection and with where the evidence said the council stood."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from councils.audit_log import record
from councils.errors import InputError, raise_all
from councils.versions import saving
from evidence.inspection_workspace.checks import WorkspaceError
from evidence.inspection_workspace.models import InspectionNotice, VisitKind
from evidence.mock_inspections.comparison import compare
from judgement_framework import Framework, Outcome

# Focused visits, JTAIs and monitoring visits end in a letter or report with no grades.
GRADED_KINDS = frozenset({VisitKind.STANDARD, VisitKind.SHORT})


def graded_areas(framework: Framework) -> list:
    """The judgements a graded inspection gives, in the framework's order (overall effectiveness
    too, where the framework has it)."""
    return list(framework.areas)


def check_report(
    notice: InspectionNotice, framework: Framework, published_on: dt.date | None, grades: dict[str, str], today: dt.date
) -> None:
    problems: list[InputError] = []
    if published_on is None:
        problems.append(WorkspaceError("Enter the date the report was published", "published_on"))
    elif published_on > today:
        problems.append(
            WorkspaceError("The date the report was published must be today or in the past", "published_on")
        )
    elif published_on < notice.first_day:
        problems.append(WorkspaceError("The report cannot be published before the first day on site", "published_on"))
    if notice.kind in GRADED_KINDS:
        known = {grade.id for grade in framework.grades}
        for area in graded_areas(framework):
            grade = grades.get(area.id) or ""
            if not grade:
                problems.append(WorkspaceError(f"Choose Ofsted's grade for {area.title}", f"grade_{area.id}"))
            elif grade not in known:
                problems.append(
                    WorkspaceError(
                        f"Choose Ofsted's grade for {area.title} from the framework's grades", f"grade_{area.id}"
                    )
                )
    raise_all(problems)


def record_report(
    notice: InspectionNotice,
    framework: Framework,
    published_on: dt.date | None,
    grades: dict[str, str],
    today: dt.date,
    version: int,
) -> None:
    check_report(notice, framework, published_on, grades, today)
    before = {"published_on": notice.published_on, "actual_grades": notice.actual_grades}
    kept = {area.id: grades[area.id] for area in graded_areas(framework)} if notice.kind in GRADED_KINDS else None
    with saving(notice, "published report", version):
        notice.published_on, notice.actual_grades = published_on, kept
    record(
        "inspection.report_recorded",
        "inspection_notice",
        notice.id,
        before={key: value.isoformat() if isinstance(value, dt.date) else value for key, value in before.items()},
        after={"published_on": published_on.isoformat(), "actual_grades": kept},
    )


@dataclass(frozen=True)
class JudgementComparison:
    area_id: str
    title: str
    actual: str | None
    mock: str | None
    evidence: str | None
    sentence: str


# Ofsted's grade set against another ("better": Ofsted's was the better grade).
_AGAINST = {
    "better": "better than {what} ({grade})",
    "worse": "worse than {what} ({grade})",
    "same": "the same as {what}",
    "newly graded": "{what} had none",
    "no longer graded": "{what} had none",
}


def _snapshot(areas: dict[str, str | None], framework: Framework) -> dict:
    return {
        "areas": [{"area_id": a.id, "title": a.title, "final_grade": areas.get(a.id)} for a in framework.areas],
        "gaps": [],
    }


def compare_report(
    notice: InspectionNotice, framework: Framework, mock: dict | None, mock_title: str | None, standing: Outcome
) -> list[JudgementComparison]:
    """Judgement by judgement: Ofsted's grade, the last mock inspection's (`mock`: its recorded
    outcome's data) and the evidence's indicative grade from the cached standing, in words."""
    actual = _snapshot(notice.actual_grades or {}, framework)
    mock_grades = {a["area_id"]: a.get("final_grade") for a in (mock or {}).get("areas", [])}
    evidence_grades = {a.area_id: a.indicative_grade for a in standing.areas}
    order = [grade.id for grade in framework.grades]
    by_mock = {c.area_id: c for c in compare(_snapshot(mock_grades, framework), actual, order).grade_changes}
    by_evidence = {c.area_id: c for c in compare(_snapshot(evidence_grades, framework), actual, order).grade_changes}
    label = {grade.id: grade.label.lower() for grade in framework.grades}
    rows = []
    for area in graded_areas(framework):
        given = (notice.actual_grades or {}).get(area.id)
        if given not in label:
            sentence = "Ofsted gave no grade."
        else:
            against = []
            if mock is None:
                against.append("no mock inspection outcome has been recorded to compare with")
            else:
                change = by_mock[area.id]
                what = f"the last mock inspection{f', {mock_title},' if mock_title else ''}"
                against.append(_AGAINST[change.direction].format(what=what, grade=label.get(change.before, "")))
            change = by_evidence[area.id]
            what = "the evidence-based grade"
            against.append(_AGAINST[change.direction].format(what=what, grade=label.get(change.before, "")))
            sentence = f"Ofsted graded it {label[given]}: {'; '.join(against)}."
        rows.append(
            JudgementComparison(
                area.id, area.title, given, mock_grades.get(area.id), evidence_grades.get(area.id), sentence
            )
        )
    return rows
