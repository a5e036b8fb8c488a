"""Why a judgement has its grade: what drives it, how the graded evidence is spread across the
grades and over the last twelve months, its strongest and weakest items, its indicators, what
is stale, which criteria the evidence covers, and what the audit answers and findings keep saying.

Everything is counted in one pass over the area's signals and shown capped, so the page is
the same size with 200 items or 100,000. The scorer's own explanation (drivers, confidence
reasons, distribution by weight) is used when the outcome carries it; until then the same
questions are answered from the fields every outcome has.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from evidence.case_audits.audit_summary import Theme as AnswerTheme
from evidence.case_audits.audit_summary import weakest_answers_for_area
from evidence.reviews.signals import needs_to_improve_of
from evidence.standing import record_of
from judgement_framework import AreaOutcome, EvidenceSignal, Framework, Outcome

SHOWN = 5  # strongest, weakest, stale and findings: this many each, with a count of the rest
SHOWN_INDICATORS = 10
MONTHS = 12


@dataclass(frozen=True)
class Bar:
    grade: str
    label: str
    count: int
    percent: int  # of the area's fresh graded evidence (by weight when the scorer gives it)

    @property
    def width(self) -> int:
        """The bar's width in steps of 5%, for a CSS class (the CSP forbids inline styles)."""
        return 5 * round(self.percent / 5)


@dataclass(frozen=True)
class Month:
    month: dt.date
    counts: dict[str, int]
    good_or_better: int
    graded: int

    @property
    def share_good(self) -> int | None:
        return round(100 * self.good_or_better / self.graded) if self.graded else None


@dataclass(frozen=True)
class CriterionCover:
    prompt: str
    fresh: int
    stale: int


@dataclass
class WhyTheGrade:
    outcome: AreaOutcome
    drivers: list[str]
    confidence_reasons: list[str]
    missing: list[str]
    distribution: list[Bar]
    trend: list[Month]
    strongest: list[EvidenceSignal]
    weakest: list[EvidenceSignal]
    graded_fresh: int
    stale: list[EvidenceSignal]
    stale_count: int
    criteria: list[CriterionCover]
    answer_themes: list[AnswerTheme] = field(default_factory=list)
    findings: list[tuple[EvidenceSignal, str]] = field(default_factory=list)
    findings_count: int = 0
    # The judgement's indicators, graded ones first (weakest first): an ungraded one has too
    # few children counted behind it to say anything about the service.
    indicators: list[EvidenceSignal] = field(default_factory=list)
    indicators_count: int = 0


def why_the_grade(
    framework: Framework, area_id: str, outcome: Outcome, signals: Sequence[EvidenceSignal]
) -> WhyTheGrade:
    area = framework.area_by_id[area_id]
    result = outcome.area(area_id)
    rank = framework.grade_rank
    good = {g.id for g in framework.grades if rank[g.id] <= rank[framework.expected_grade]}
    cutoff = outcome.as_of - dt.timedelta(days=outcome.freshness_days)
    first_month = _months_back(outcome.as_of.replace(day=1), MONTHS - 1)
    counts: Counter[str] = Counter()
    months: dict[dt.date, Counter[str]] = {_months_back(first_month, -i): Counter() for i in range(MONTHS)}
    fresh_by_criterion: Counter[str] = Counter()
    stale_by_criterion: Counter[str] = Counter()
    graded, stale, findings, measures = [], [], [], []
    for s in signals:
        if s.area_id != area_id:
            continue
        fresh = s.date >= cutoff
        for criterion in s.criterion_ids:
            (fresh_by_criterion if fresh else stale_by_criterion)[criterion] += 1
        # The trend is of every graded item of the twelve months, stale or not: it shows how
        # practice has moved, which the freshness window alone would hide.
        month = s.date.replace(day=1)
        if s.grade in rank and month in months:
            months[month][s.grade] += 1
        if s.kind == "performance_data":
            measures.append(s)
        if not fresh:
            stale.append(s)
            continue
        if s.grade in rank:
            graded.append(s)
            counts[s.grade] += 1
        if s.kind == "kloe_finding":
            findings.append(s)
    by_rank = sorted(graded, key=lambda s: (rank[s.grade], -s.date.toordinal(), s.id))
    weakest = sorted(graded, key=lambda s: (-rank[s.grade], -s.date.toordinal(), s.id))
    findings.sort(key=lambda s: (-rank.get(s.grade, -1), -s.date.toordinal()))
    shown_findings = findings[:SHOWN]
    texts = needs_to_improve_of([int(record_of(s.id).split(":")[1]) for s in shown_findings])
    return WhyTheGrade(
        outcome=result,
        drivers=_drivers(framework, result, len(graded)),
        confidence_reasons=list(getattr(result, "confidence_reasons", ())),
        missing=list(getattr(result, "missing", ())),
        distribution=_distribution(framework, result, counts, len(graded)),
        trend=[
            Month(month, dict(c), sum(n for g, n in c.items() if g in good), sum(c.values()))
            for month, c in months.items()
        ],
        strongest=[s for s in by_rank if s.grade in good][:SHOWN],
        weakest=[s for s in weakest if s.grade not in good][:SHOWN],
        graded_fresh=len(graded),
        stale=sorted(stale, key=lambda s: (-s.date.toordinal(), s.id))[:SHOWN],
        stale_count=len(stale),
        criteria=[CriterionCover(c.prompt, fresh_by_criterion[c.id], stale_by_criterion[c.id]) for c in area.criteria],
        answer_themes=weakest_answers_for_area(area_id, cutoff),
        findings=[(s, texts.get(int(record_of(s.id).split(":")[1]), "")) for s in shown_findings],
        findings_count=len(findings),
        indicators=sorted(measures, key=lambda s: (s.grade not in rank, -rank.get(s.grade, 0), s.title))[
            :SHOWN_INDICATORS
        ],
        indicators_count=len(measures),
    )


def _drivers(framework: Framework, result: AreaOutcome, graded: int) -> list[str]:
    """What set the grade, in words: the scorer's own drivers when it gives them."""
    given = getattr(result, "drivers", ())
    if given:
        return [d.sentence for d in given]
    if result.indicative_grade is None:
        return ["There is no fresh graded evidence for this judgement, so the evidence gives no grade."]
    label = framework.grade(result.indicative_grade).label.lower()
    lines = [
        f"The best fit (the middle grade) of {graded} fresh graded piece{'s' if graded != 1 else ''} of evidence is {label}."
    ]
    if result.capped_by_escalation:
        lines.append(
            f"An escalated case that is still unresolved holds the grade at "
            f"{framework.grade(framework.escalation_cap).label.lower()} at best."
        )
    return lines


def _distribution(framework: Framework, result: AreaOutcome, counts: Counter, graded: int) -> list[Bar]:
    """One bar per grade, best first: by the scorer's weights when it gives them (recent
    evidence counts more), else by the number of fresh graded items."""
    given = {share.grade: share for share in getattr(result, "distribution", ())}
    bars = []
    for grade in framework.grades:
        if given:
            share = given.get(grade.id)
            bars.append(Bar(grade.id, grade.label, share.count if share else 0, share.weight_percent if share else 0))
        else:
            count = counts[grade.id]
            bars.append(Bar(grade.id, grade.label, count, round(100 * count / graded) if graded else 0))
    return bars


def _months_back(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)
