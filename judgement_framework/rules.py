"""Aggregation: the indicative overall grade and the limiting rules.

Order of work for the overall area:
1. indicative grade = best fit of the contributing grades (the median; an even split is
   settled by the framework's tie-break judgement when it names one, else toward the worse),
   held below the expected grade when a judgement read with its graded parts leans below it;
2. starting grade = the moderator's grade for overall if given, else the indicative one;
3. floor rules, then presumptions (unless set aside with a reason), then hard limiters.
Hard limiters come last so nothing can undo them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import RuleError, UnknownAreaError, UnknownGradeError
from .schema import FloorRule, Framework, LimiterRule


@dataclass(frozen=True)
class RuleApplication:
    """A rule whose condition was met: what it did and why."""

    rule_id: str
    kind: str
    triggered_by: tuple[str, ...]
    effect: str  # "limited", "raised", "no_change", "set_aside"
    overrode_moderator: bool
    why: str
    set_aside_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, triggered_by=list(self.triggered_by))


@dataclass(frozen=True)
class OverallResult:
    area_id: str
    contributing: tuple[str, ...]
    indicative_grade: str | None
    moderator_grade: str | None
    final_grade: str | None
    rules: tuple[RuleApplication, ...]
    best_fit_why: str = ""  # how the indicative grade was reached, in words

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__, contributing=list(self.contributing), rules=[r.to_dict() for r in self.rules])


@dataclass(frozen=True)
class RulesResult:
    framework_id: str
    final_grades: Mapping[str, str | None]  # every area in framework order, overall included
    overall: OverallResult | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework_id": self.framework_id,
            "final_grades": dict(self.final_grades),
            "overall": self.overall.to_dict() if self.overall else None,
        }


def rule_name(framework: Framework, rule: LimiterRule | FloorRule) -> str:
    """A rule in words from the framework's own titles and grades, for the pages that name
    one: "the presumption that when The impact of leaders is Inadequate, Overall
    effectiveness is at best Requires improvement". Users never see a rule's id."""
    grade = {g.id: g.label for g in framework.grades}
    area = {a.id: a.title for a in framework.areas}
    kind = {"presumption": "presumption", "hard_limiter": "hard limiter", "floor": "floor"}[rule.kind]
    if isinstance(rule, FloorRule):
        unless = " or ".join(area.get(a, a) for a in rule.unless_any_of)
        return (
            f"the {kind} that {area.get(rule.target, rule.target)} is at least {grade.get(rule.at_least, rule.at_least)} "
            f"unless {unless} is {grade.get(rule.graded, rule.graded)}"
        )
    when = " or ".join(area.get(a, a) for a in rule.when_any_of)
    return (
        f"the {kind} that when {when} is {grade.get(rule.graded, rule.graded)}, "
        f"{area.get(rule.target, rule.target)} is at best {grade.get(rule.limit_to, rule.limit_to)}"
    )


def best_fit(framework: Framework, grade_ids: list[str], tie_break: str | None = None) -> str | None:
    """Median of the grades by rank. With an even count split between two middle grades, the
    framework's tie-break judgement (its grade is `tie_break`) settles it when it is graded at
    the better middle grade or better: the better grade when the two are neighbours, the
    grade between them when they are further apart (half the judgements are well short of
    the better one). Otherwise, the worse middle grade. "Or better" keeps the result
    monotone: a better tie-break judgement can never lower it.

    The result is never worse than the worse middle grade, so it is never inadequate unless
    an input is inadequate, and one weaker key judgement among better ones cannot drag
    the overall grade down on its own (good, good, RI -> good).
    """
    if not grade_ids:
        return None
    ranks = sorted(framework.grade_rank[g] for g in grade_ids)
    better, worse = ranks[(len(ranks) - 1) // 2], ranks[len(ranks) // 2]
    if _tie_settled(framework, better, worse, tie_break):
        return framework.grades[better if worse == better + 1 else better + 1].id
    return framework.grades[worse].id


def read_with_parts(framework: Framework, grades: Mapping[str, str], result: str | None) -> tuple[str | None, str]:
    """The best fit held at the grade below the expected one when a judgement read with its
    graded parts (best_fit.read_with_parts) is itself below the expected grade and, with its
    parts, averages nearer that grade than the expected one: its weakness is then confirmed by
    its own parts, not one weaker judgement among better ones. Returns the grade and the
    judgement that held it ("" when none did). Only a worse grade raises the average, so a
    better grade can never lower the result."""
    spec = framework.aggregation.best_fit
    if result is None or spec is None:
        return result, ""
    rank = framework.grade_rank
    below = rank[framework.expected_grade] + 1
    for area_id in spec.read_with_parts:
        group = [area_id, *(a.id for a in framework.areas if a.parent == area_id)]
        ranks = [rank[grades[a]] for a in group if a in grades]
        # The judgement itself below the expected grade: its parts alone never move overall.
        weak = area_id in grades and rank[grades[area_id]] >= below
        # Nearer the grade below than the expected one: the mean is more than half a grade
        # below it (in integers: 2 x sum > (2 x below - 1) x count).
        if weak and rank[result] < below and 2 * sum(ranks) > (2 * below - 1) * len(ranks):
            return framework.grades[below].id, area_id
    return result, ""


def _tie_settled(framework: Framework, better: int, worse: int, tie_break: str | None) -> bool:
    return tie_break is not None and worse > better and framework.grade_rank[tie_break] <= better


def _best_fit_why(
    framework: Framework, grades: Mapping[str, str], feeding: list[str], tie_break_area: str | None, result: str | None
) -> str:
    if result is None:
        return "No judgement that feeds overall effectiveness is graded yet."
    label = framework.grade(result).label.lower()
    ranks = sorted(framework.grade_rank[g] for g in feeding)
    better, worse = ranks[(len(ranks) - 1) // 2], ranks[len(ranks) // 2]
    split = better != worse
    tie = grades[tie_break_area] if tie_break_area is not None else None
    if _tie_settled(framework, better, worse, tie):
        spec = framework.aggregation.best_fit
        why = spec.tie_break_why if spec is not None and spec.tie_break_why else ""
        title = framework.area_by_id[tie_break_area].title
        return f"The judgements split evenly; {title} settles the best fit at {label}. {why}".strip()
    if split:
        return f"The judgements split evenly; the best fit is the worse of the two middle grades, {label}."
    return f"The best fit (middle grade) of the {len(feeding)} judgements is {label}."


def apply_rules(
    framework: Framework,
    grades: Mapping[str, str],
    set_aside: Mapping[str, str] | None = None,
) -> RulesResult:
    """Final grade of every area; `grades` may include a moderator's grade for overall."""
    _check_grades(framework, grades)
    reasons = _check_set_aside(framework, set_aside or {})
    final: dict[str, str | None] = {a.id: grades.get(a.id) for a in framework.areas}
    overall = _overall(framework, grades, reasons)
    if overall is not None:
        final[overall.area_id] = overall.final_grade
    return RulesResult(framework.id, final, overall)


def _check_grades(framework: Framework, grades: Mapping[str, str]) -> None:
    for area_id in sorted(grades):
        if area_id not in framework.area_by_id:
            raise UnknownAreaError(area_id, framework.id)
        if grades[area_id] not in framework.grade_rank:
            raise UnknownGradeError(grades[area_id], framework.id)


def _check_set_aside(framework: Framework, set_aside: Mapping[str, str]) -> dict[str, str]:
    rules = {r.id: r for r in framework.aggregation.rules}
    reasons: dict[str, str] = {}
    for rule_id in sorted(set_aside):
        rule = rules.get(rule_id)
        if rule is None:
            raise RuleError(f"cannot set aside {rule_id!r}: framework {framework.id!r} has no rule with that id")
        if rule.kind != "presumption":
            raise RuleError(f"rule {rule_id!r} is a {rule.kind.replace('_', ' ')} and can never be set aside")
        reason = set_aside[rule_id]
        if not isinstance(reason, str) or not reason.strip():
            raise RuleError(f"setting aside rule {rule_id!r} needs a recorded reason; none was given")
        reasons[rule_id] = reason.strip()
    return reasons


def _overall(framework: Framework, grades: Mapping[str, str], reasons: Mapping[str, str]) -> OverallResult | None:
    spec = framework.aggregation.best_fit
    if spec is None:
        return None
    contributing = tuple(a for a in spec.from_areas if a in grades)
    tie_area = spec.tie_break if spec.tie_break in contributing else None
    feeding = [grades[a] for a in contributing]
    indicative = best_fit(framework, feeding, grades[tie_area] if tie_area is not None else None)
    indicative, held_by = read_with_parts(framework, grades, indicative)
    moderator = grades.get(spec.target)
    grade = moderator if moderator is not None else indicative
    applied: list[RuleApplication] = []
    if grade is not None:
        ordered = sorted(
            framework.aggregation.rules, key=lambda r: ("floor", "presumption", "hard_limiter").index(r.kind)
        )
        for rule in ordered:
            if rule.target == spec.target:
                grade, application = _apply(framework, rule, grade, grades, reasons, moderator)
                if application is not None:
                    applied.append(application)
    return OverallResult(
        spec.target,
        contributing,
        indicative,
        moderator,
        grade,
        tuple(applied),
        _held_why(framework, held_by, indicative) or _best_fit_why(framework, grades, feeding, tie_area, indicative),
    )


def _held_why(framework: Framework, held_by: str, result: str | None) -> str:
    if not held_by or result is None:
        return ""
    spec = framework.aggregation.best_fit
    area = framework.area_by_id[held_by]
    parts = " and ".join(a.title.lower() for a in framework.areas if a.parent == held_by)
    why = spec.read_with_parts_why if spec is not None and spec.read_with_parts_why else ""
    return (
        f"{area.title}, read with {parts}, is nearer {framework.grade(result).label.lower()} than "
        f"{framework.grade(framework.expected_grade).label.lower()}: the best fit is "
        f"{framework.grade(result).label.lower()} at best. {why}"
    ).strip()


def _apply(
    framework: Framework,
    rule: LimiterRule | FloorRule,
    grade: str,
    grades: Mapping[str, str],
    reasons: Mapping[str, str],
    moderator: str | None,
) -> tuple[str, RuleApplication | None]:
    rank = framework.grade_rank
    areas = rule.when_any_of if isinstance(rule, LimiterRule) else rule.unless_any_of
    hit = tuple(a for a in areas if a in grades and rank[grades[a]] >= rank[rule.graded])
    if isinstance(rule, FloorRule):
        if hit or rank[grade] <= rank[rule.at_least]:
            return grade, None
        new, effect = rule.at_least, "raised"
    else:
        if not hit:
            return grade, None
        if rule.id in reasons:
            return grade, RuleApplication(rule.id, rule.kind, hit, "set_aside", False, rule.why, reasons[rule.id])
        new = grade if rank[grade] >= rank[rule.limit_to] else rule.limit_to
        effect = "limited" if new != grade else "no_change"
    overrode = moderator is not None and new != moderator and grade == moderator
    return new, RuleApplication(rule.id, rule.kind, hit, effect, overrode, rule.why)
