"""What the annual engagement meeting's pack says, gathered for one meeting day as plain data.

The meeting looks back over a year: everything is read on the meeting's day (today, for a
meeting still to come: nothing later is known) and on the day a year before it. The standing
on those two days comes from `live_outcome`, which keeps each (councils/standing_cache.py), so
the pack scores nothing itself. The document (inspect_ready/engagement_pack.py) is built from
these facts alone.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from councils.models import Council
from evidence.action_plan import actions
from evidence.case_audits.audit_summary import audits_between
from evidence.case_audits.audits import cases_by_record
from evidence.library.items import framework_of
from evidence.mock_inspections import case_references
from evidence.performance.indicators import RecentValue, all_indicators, recent_values_by_indicator
from evidence.performance.models import Indicator
from evidence.performance.signals import worse_than_england
from evidence.self_evaluation.self_evaluations import all_self_evaluations, judgement_summaries, year_of
from evidence.standing import live_outcome
from evidence.themes import ranked_themes
from evidence.visits.recommendations import LatestProgress, latest_progress
from judgement_framework import Framework, Outcome

# Bounds on each list the pack holds: a meeting reads the few that matter, with a count of the rest.
INDICATORS_SHOWN = 40
THEMES_SHOWN = 5
ACTIONS_SHOWN = 10
NO_GRADE = "Not enough graded evidence"


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the year before has none
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    now: str  # the figure as the performance pages show it, with its month
    year_before: str
    against_target: str
    against_england: str
    over_the_year: str


@dataclass(frozen=True)
class AuditQuestion:
    text: str
    weak: int
    answered: int


@dataclass(frozen=True)
class GapTheme:
    judgement: str
    title: str
    severity: str
    gaps: int
    has_action: bool


@dataclass(frozen=True)
class AuditYear:
    audits: int
    good_or_better: int
    weakest: tuple[AuditQuestion, ...]
    themes: tuple[GapTheme, ...]
    theme_count: int


@dataclass(frozen=True)
class ActionLine:
    what: str
    owner: str
    day: dt.date  # due, for one overdue; completed, for one done


@dataclass(frozen=True)
class PlanProgress:
    by_status: tuple[tuple[str, int], ...]  # (status in words, how many), every status
    overdue: tuple[ActionLine, ...]
    overdue_count: int
    done: tuple[ActionLine, ...]  # done in the year to the meeting
    done_count: int


@dataclass(frozen=True)
class JudgementChange:
    judgement: str
    then: str
    now: str


@dataclass(frozen=True)
class Changes:
    judgements: tuple[JudgementChange, ...]
    gaps_then: int
    gaps_now: int
    closed: int  # gaps a year ago that are gone
    opened: int  # gaps now that were not there a year ago


@dataclass(frozen=True)
class PackFacts:
    council: str
    framework: str
    meeting_date: dt.date
    as_of: dt.date  # the meeting's day, or today for a meeting still to come
    year_before: dt.date
    # (judgement title, status in words, summary text) per judgement of the self-evaluation.
    self_evaluation: tuple[tuple[str, str, str], ...]
    indicators: tuple[IndicatorLine, ...]
    indicator_count: int
    audits: AuditYear
    # (recommendation, latest progress in words, date of that progress) per recommendation.
    recommendations: tuple[tuple[str, str, dt.date | None], ...]
    plan: PlanProgress
    changes: Changes
    # The council's case references the free text names: the document marks them.
    case_references: frozenset[str]


def gather(council: Council, meeting_date: dt.date, today: dt.date) -> PackFacts:
    framework = framework_of(council)
    as_of = min(meeting_date, today)
    year_before = a_year_before(as_of)
    outcome_then, _ = live_outcome(council, year_before, framework=framework)
    outcome_now, signals_now = live_outcome(council, as_of, framework=framework)
    lines = indicator_lines(as_of, year_before)
    plan = plan_progress(as_of, year_before)
    self_evaluation = self_evaluation_lines(as_of)
    recommendations = recommendation_lines(latest_progress())
    free_text = [line.what for line in (*plan.overdue, *plan.done)]
    free_text += [summary for _, _, summary in self_evaluation]
    free_text += [text for recommendation, progress, _ in recommendations for text in (recommendation, progress)]
    return PackFacts(
        council=council.name,
        framework=framework.title,
        meeting_date=meeting_date,
        as_of=as_of,
        year_before=year_before,
        self_evaluation=self_evaluation,
        indicators=tuple(lines[:INDICATORS_SHOWN]),
        indicator_count=len(lines),
        audits=audit_year(framework, outcome_now, signals_now, as_of, year_before),
        recommendations=recommendations,
        plan=plan,
        changes=changes(framework, outcome_then, outcome_now),
        case_references=frozenset(case_references.known_among(free_text)),
    )


def indicator_lines(as_of: dt.date, year_before: dt.date) -> list[IndicatorLine]:
    """Each indicator's latest figure by the meeting's day and by the day a year before, graded
    against its target and England as the performance pages grade them. Two queries."""
    # Thirteen values reach a year back: a month has one value at most.
    grouped = recent_values_by_indicator(until=as_of, last=13)
    lines = []
    for indicator in all_indicators():
        series = grouped.get(indicator.id, [])
        now, then = _latest(series, as_of), _latest(series, year_before)
        lines.append(indicator_line(indicator, now, then))
    return lines


def _latest(series: list[RecentValue], day: dt.date) -> RecentValue | None:
    """The last value whose period began by `day` (the series is oldest first)."""
    position = bisect_right([row.period for row in series], day)
    return series[position - 1] if position else None


def indicator_line(indicator: Indicator, now: RecentValue | None, then: RecentValue | None) -> IndicatorLine:
    rag = indicator.rag(now.value if now else None)
    direction = indicator.direction(now.value if now else None, then.value if then else None)
    # A figure a year before means one now (the latest by a later day): only the first can be missing.
    over_the_year = direction.label if direction else "No figure a year before"
    return IndicatorLine(
        name=indicator.name,
        now=_figure(indicator, now),
        year_before=_figure(indicator, then),
        against_target=rag.label if rag else "No figure",
        against_england=_against_england(indicator, now.value if now else None),
        over_the_year=over_the_year,
    )


def _figure(indicator: Indicator, row: RecentValue | None) -> str:
    return f"{indicator.show(row.value)} in {row.period:%B %Y}" if row else "No figure"


def _against_england(indicator: Indicator, value: float | None) -> str:
    if indicator.england_average is None:
        return "No England figure"
    england = indicator.show(indicator.england_average)
    if value is None:
        return f"No figure to compare (England {england})"
    if indicator.better_than_england(value):
        return f"Better than England ({england})"
    if worse_than_england(indicator, value):
        return f"Worse than England ({england})"
    return f"The same as England ({england})"


def audit_year(framework: Framework, outcome: Outcome, signals, as_of: dt.date, year_before: dt.date) -> AuditYear:
    """The year's case audits and the themes of today's gaps, most pressing first."""
    tally, weakest = audits_between(framework, year_before, as_of)
    themes = ranked_themes(
        framework, outcome, signals, cases_of=cases_by_record, gaps_with_action=actions.gaps_with_an_action()
    )
    return AuditYear(
        audits=tally.audits,
        good_or_better=tally.good_or_better,
        weakest=tuple(AuditQuestion(q.text, q.weak, q.answered) for q in weakest),
        themes=tuple(
            GapTheme(t.area_title, t.title, t.severity, len(t.gaps), t.has_action) for t in themes[:THEMES_SHOWN]
        ),
        theme_count=len(themes),
    )


def plan_progress(as_of: dt.date, year_before: dt.date) -> PlanProgress:
    """The action plan as it stands: how many actions of each status, those overdue on the
    meeting's day (due longest ago first) and those done in the year to it (latest first)."""
    overdue, overdue_count = actions.overdue_on(as_of, ACTIONS_SHOWN)
    done, done_count = actions.done_between(year_before, as_of, ACTIONS_SHOWN)
    return PlanProgress(
        by_status=tuple((status.label, count) for status, count in actions.status_counts().items()),
        overdue=tuple(ActionLine(a.what, a.owner.name, a.due_date) for a in overdue),
        overdue_count=overdue_count,
        done=tuple(ActionLine(a.what, a.owner.name, a.completed_on) for a in done),
        done_count=done_count,
    )


def changes(framework: Framework, then: Outcome, now: Outcome) -> Changes:
    """Each judgement's evidence-based grade a year ago and now, in words, and the gaps closed
    and opened between (a gap's id names its kind, judgement, criterion and subject, so the
    same gap has the same id on both days)."""

    def grade(outcome: Outcome, area) -> str:
        if area.kind == "overall":
            found = outcome.overall.final_grades.get(area.id)
        else:
            found = outcome.area(area.id).indicative_grade
        return framework.grade(found).label if found else NO_GRADE

    rows = tuple(JudgementChange(area.title, grade(then, area), grade(now, area)) for area in framework.areas)
    ids_then, ids_now = {gap.id for gap in then.gaps}, {gap.id for gap in now.gaps}
    return Changes(rows, len(ids_then), len(ids_now), len(ids_then - ids_now), len(ids_now - ids_then))


def recommendation_lines(found: Sequence[LatestProgress]) -> tuple[tuple[str, str, dt.date | None], ...]:
    """Each recommendation with the latest monitoring visit's progress on it, in words, as the
    plan stands today (progress is not dated back to the meeting)."""
    lines = []
    for recommendation in found:
        if recommendation.progress is None:
            lines.append((recommendation.text, "No monitoring visit has looked at it yet.", None))
            continue
        words = recommendation.progress.label
        if recommendation.findings:
            words = f"{words}: {recommendation.findings}"
        lines.append((recommendation.text, words, recommendation.visit_starts_on))
    return tuple(lines)


def self_evaluation_lines(as_of: dt.date) -> tuple[tuple[str, str, str], ...]:
    """The self-evaluation in force on the meeting day (its year's, else the latest before it):
    each judgement's title, status with the year, and the opening of what the council knows."""
    in_force = next((s for s in all_self_evaluations() if s.year_starting <= year_of(as_of)), None)
    if in_force is None:
        return ()
    return tuple(
        (summary.title, f"{summary.status} (self-evaluation {in_force.year})", summary.what_we_know)
        for summary in judgement_summaries(in_force)
    )
