"""Checks on a framework that the schema alone cannot express (ids that refer to each other)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .errors import Problem
from .schema import Framework, LimiterRule

# An area needs at least one criterion for evidence to cover; there is no upper limit, since
# a judgement such as help and protection covers many groups of children Ofsted reports on.
MIN_CRITERIA = 1


def semantic_problems(fw: Framework) -> list[Problem]:
    return [
        *_duplicates("grades", (g.id for g in fw.grades), "grade"),
        *_duplicates("areas", (a.id for a in fw.areas), "area"),
        *_duplicate_nested(fw, "criteria", "criterion"),
        *_duplicate_nested(fw, "kloes", "key line of enquiry"),
        *_duplicates("aggregation.rules", (r.id for r in fw.aggregation.rules), "rule"),
        *_grade_refs(fw),
        *_area_tree(fw),
        *_best_fit(fw),
        *_rules(fw),
    ]


def _duplicates(path: str, ids: Iterable[str], what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            yield Problem(f"{path}[{i}].id", f"duplicate {what} id {item_id!r} (ids must be unique)")
        seen.add(item_id)


def _duplicate_nested(fw: Framework, attr: str, what: str) -> Iterator[Problem]:
    # Criterion and KLOE ids are unique across the whole framework so evidence can name
    # a criterion without also naming its area.
    seen: set[str] = set()
    for i, area in enumerate(fw.areas):
        for j, item in enumerate(getattr(area, attr)):
            if item.id in seen:
                yield Problem(f"areas[{i}].{attr}[{j}].id", f"duplicate {what} id {item.id!r} (ids must be unique)")
            seen.add(item.id)


def _grade_refs(fw: Framework) -> Iterator[Problem]:
    for field in ("expected_grade", "escalation_cap"):
        value = getattr(fw, field)
        if value is not None and value not in fw.grade_rank:
            yield Problem(field, f"names grade {value!r}, which is not in the grade scale")
    if fw.in_force_to is not None and fw.in_force_to < fw.in_force_from:
        yield Problem("in_force_to", "is earlier than in_force_from")


def _area_tree(fw: Framework) -> Iterator[Problem]:
    overall_seen = False
    for i, area in enumerate(fw.areas):
        if area.parent is not None and area.parent not in fw.area_by_id:
            yield Problem(f"areas[{i}].parent", f"names {area.parent!r}, but no area has that id")
        elif _in_cycle(fw, area.id):
            yield Problem(f"areas[{i}].parent", f"area {area.id!r} is its own ancestor (a cycle)")
        if area.kind == "overall":
            if overall_seen:
                yield Problem(f"areas[{i}].kind", "a framework can have only one overall area")
            overall_seen = True
            if area.criteria:
                yield Problem(
                    f"areas[{i}].criteria",
                    "the overall area has no criteria of its own; it is built from other judgements",
                )
        elif len(area.criteria) < MIN_CRITERIA:
            yield Problem(
                f"areas[{i}].criteria",
                f"area {area.id!r} has no criteria; give at least {MIN_CRITERIA} so evidence can cover it",
            )


def _in_cycle(fw: Framework, area_id: str) -> bool:
    seen = {area_id}
    parent = fw.area_by_id[area_id].parent
    while parent is not None and parent in fw.area_by_id:
        if parent in seen:
            return True
        seen.add(parent)
        parent = fw.area_by_id[parent].parent
    return False


def _best_fit(fw: Framework) -> Iterator[Problem]:
    overall = fw.overall_area
    best_fit = fw.aggregation.best_fit
    if best_fit is None:
        if overall is not None:
            yield Problem(
                "aggregation.best_fit", f"is required because the framework has an overall area ({overall.id!r})"
            )
        return
    if overall is None or best_fit.target != overall.id:
        yield Problem(
            "aggregation.best_fit.target", f"names {best_fit.target!r}, which is not the framework's overall area"
        )
    if best_fit.tie_break is not None and best_fit.tie_break not in best_fit.from_areas:
        yield Problem(
            "aggregation.best_fit.tie_break", f"names {best_fit.tie_break!r}, which does not feed the overall grade"
        )
    if best_fit.tie_break is not None and not (best_fit.tie_break_why or "").strip():
        yield Problem(
            "aggregation.best_fit.tie_break_why", "is required with a tie_break: say why that judgement settles it"
        )
    for i, area_id in enumerate(best_fit.read_with_parts):
        if area_id not in best_fit.from_areas or not any(a.parent == area_id for a in fw.areas):
            yield Problem(
                f"aggregation.best_fit.read_with_parts[{i}]",
                f"names {area_id!r}, which must feed the overall grade and have graded parts",
            )
    if best_fit.read_with_parts and not (best_fit.read_with_parts_why or "").strip():
        yield Problem(
            "aggregation.best_fit.read_with_parts_why", "is required with read_with_parts: say why the parts count"
        )
    for i, area_id in enumerate(best_fit.from_areas):
        path = f"aggregation.best_fit.from_areas[{i}]"
        area = fw.area_by_id.get(area_id)
        if area is None:
            yield Problem(path, f"names {area_id!r}, but no area has that id")
        elif area.kind in ("overall", "separate"):
            yield Problem(path, f"area {area_id!r} is {area.kind} and cannot feed the overall grade")


def _rules(fw: Framework) -> Iterator[Problem]:
    for i, rule in enumerate(fw.aggregation.rules):
        path = f"aggregation.rules[{i}]"
        if rule.target not in fw.area_by_id:
            yield Problem(f"{path}.target", f"names {rule.target!r}, but no area has that id")
        areas_field = "when_any_of" if isinstance(rule, LimiterRule) else "unless_any_of"
        for j, area_id in enumerate(getattr(rule, areas_field)):
            area = fw.area_by_id.get(area_id)
            if area is None:
                yield Problem(f"{path}.{areas_field}[{j}]", f"names {area_id!r}, but no area has that id")
            elif area.kind == "separate":
                yield Problem(f"{path}.{areas_field}[{j}]", f"area {area_id!r} is separate and limits nothing")
        grade_field = "limit_to" if isinstance(rule, LimiterRule) else "at_least"
        for field in ("graded", grade_field):
            if getattr(rule, field) not in fw.grade_rank:
                yield Problem(
                    f"{path}.{field}", f"names grade {getattr(rule, field)!r}, which is not in the grade scale"
                )
