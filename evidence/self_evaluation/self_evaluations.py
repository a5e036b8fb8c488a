"""A council's self-evaluations: started (and drafted) by a senior leader, each section edited
and agreed by the leadership team, then signed off by the director, after which it is the
year's record and cannot change.

The draft is written from the cached standing (`evidence.standing.live_outcome`), never a
scoring of its own, with the indicators' months and the action plan read once each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.models import Council, User
from councils.versions import first_save, saving
from evidence.action_plan import actions
from evidence.action_plan.models import ActionStatus
from evidence.performance.indicators import all_indicators, recent_values_by_indicator
from evidence.performance.models import Direction, Rag
from evidence.performance.signals import worse_than_england
from evidence.self_evaluation import drafting
from evidence.self_evaluation.models import (
    MAX_TEXT,
    SelfEvaluation,
    SelfEvaluationSection,
    SelfEvaluationStatus,
    year_words,
)
from evidence.standing import live_outcome
from judgement_framework import EvidenceSignal, Framework, Outcome

SECTION_FIELDS = ["text", "agreed"]


class SelfEvaluationError(InputError):
    """Bad input to a self-evaluation."""


def year_of(day: dt.date) -> int:
    """The year a day falls in, as councils count it: April to March, so 1 March 2027 is in
    2026 to 2027."""
    return day.year if day.month >= 4 else day.year - 1


# Reading ------------------------------------------------------------------------------------


def all_self_evaluations() -> list[SelfEvaluation]:
    """The council's self-evaluations, the latest year first."""
    return list(db.session.scalars(select(SelfEvaluation).order_by(SelfEvaluation.year_starting.desc())))


def latest_self_evaluation() -> SelfEvaluation | None:
    """The signed-in council's latest self-evaluation (by year), signed off or not, or None."""
    return db.session.scalars(select(SelfEvaluation).order_by(SelfEvaluation.year_starting.desc()).limit(1)).first()


def for_year(year_starting: int) -> SelfEvaluation | None:
    return db.session.scalars(select(SelfEvaluation).where(SelfEvaluation.year_starting == year_starting)).first()


def year_before(self_evaluation: SelfEvaluation) -> SelfEvaluation | None:
    """The latest self-evaluation of an earlier year: the one to compare with."""
    query = (
        select(SelfEvaluation)
        .where(SelfEvaluation.year_starting < self_evaluation.year_starting)
        .order_by(SelfEvaluation.year_starting.desc())
        .options(selectinload(SelfEvaluation.sections))
        .limit(1)
    )
    return db.session.scalars(query).first()


def unagreed(self_evaluation: SelfEvaluation) -> list[SelfEvaluationSection]:
    return [section for section in self_evaluation.sections if not section.agreed]


def section_counts(self_evaluation: SelfEvaluation) -> tuple[int, int]:
    """How many sections it has and how many are not agreed yet, counted by the database: a
    page that shows only the counts need not load every section's text and draft."""
    sections, not_agreed = db.session.execute(
        select(
            func.count(SelfEvaluationSection.id),
            func.count(SelfEvaluationSection.id).filter(SelfEvaluationSection.agreed.is_(False)),
        ).where(SelfEvaluationSection.self_evaluation_id == self_evaluation.id)
    ).one()
    return sections, not_agreed


@dataclass(frozen=True)
class JudgementSummary:
    """One judgement of a self-evaluation in a line or two, for other pages to show."""

    area_id: str
    title: str
    status: str  # "Agreed", "Not agreed yet" or "Signed off"
    what_we_know: str  # its first sentence or two


def judgement_summaries(self_evaluation: SelfEvaluation, sentences: int = 2) -> list[JudgementSummary]:
    """Each judgement's title, status and the opening of "what do we know", in framework order."""
    by_area: dict[str, list[SelfEvaluationSection]] = defaultdict(list)
    for section in self_evaluation.sections:
        by_area[section.area_id].append(section)
    summaries = []
    for area_id, sections in by_area.items():
        if self_evaluation.signed_off:
            status = "Signed off"
        else:
            status = "Agreed" if all(s.agreed for s in sections) else "Not agreed yet"
        known = next((s.text for s in sections if s.question == drafting.WHAT_WE_KNOW), "")
        summaries.append(JudgementSummary(area_id, sections[0].area_title, status, opening(known, sentences)))
    return summaries


def opening(text: str, sentences: int) -> str:
    """The first sentences of a text: its first lines, or up to the full stops in one line."""
    found: list[str] = []
    for line in text.splitlines():
        rest = line.strip()
        while rest and len(found) < sentences:
            head, stop, rest = rest.partition(". ")
            found.append(head + ("." if stop else ""))
            rest = rest.strip()
        if len(found) >= sentences:
            break
    return " ".join(found)


# Drafting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgementDraft:
    area_id: str
    title: str
    answers: dict[str, list[drafting.Sentence]]


def draft_for(council: Council, framework: Framework, today: dt.date) -> list[JudgementDraft]:
    """The three answers of every judgement, from the council's standing today (cached per
    change of its evidence), its indicators' recent months and its action plan."""
    outcome, signals = live_outcome(council, today, framework=framework)
    by_area: dict[str, list[EvidenceSignal]] = defaultdict(list)
    for signal in signals:
        by_area[signal.area_id].append(signal)
    indicators = _indicator_facts(framework, today)
    plan = actions.plan(today=today)
    plans = _action_facts(plan, today)
    answered = {action.gap_id for action in plan if action.gap_id}
    labels = {grade.id: grade.label for grade in framework.grades}
    rank = framework.grade_rank
    good = frozenset(g for g in rank if rank[g] <= rank[framework.expected_grade])
    drafts = []
    for area in framework.areas:
        evidence = drafting.JudgementEvidence(
            title=area.title,
            outcome=outcome.area(area.id),
            signals=by_area.get(area.id, []),
            as_of=outcome.as_of,
            freshness_days=outcome.freshness_days,
            grade_labels=labels,
            good_grades=good,
            criteria={c.id: c.prompt for c in area.criteria},
            indicators=indicators.get(area.id, []),
            actions=plans.get(area.id, []),
            gaps=_unanswered_gaps(outcome, area.id, answered),
        )
        drafts.append(JudgementDraft(area.id, area.title, drafting.draft(evidence)))
    return drafts


def _unanswered_gaps(outcome: Outcome, area_id: str, answered: set[str]) -> list:
    return [gap for gap in outcome.gaps if gap.area_id == area_id and gap.id not in answered]


def _indicator_facts(framework: Framework, today: dt.date) -> dict[str, list[drafting.IndicatorFact]]:
    """Each indicator's latest month against its target and England, and its move since the
    month before, under every judgement it speaks to. Two queries."""
    months = recent_values_by_indicator(until=today, last=2)
    facts: dict[str, list[drafting.IndicatorFact]] = defaultdict(list)
    for indicator in all_indicators():
        series = months.get(indicator.id)
        if not series:
            continue
        latest = series[-1]
        before = series[-2].value if len(series) > 1 else None
        rag = indicator.rag(latest.value)
        trend = indicator.direction(latest.value, before)
        england = indicator.england_average
        fact = drafting.IndicatorFact(
            record=f"indicator:{indicator.id}",
            name=indicator.name,
            latest=indicator.show(latest.value),
            month=latest.period,
            target=indicator.show(indicator.target),
            england=None if england is None else indicator.show(england),
            on_target=rag is Rag.GREEN,
            near_target=rag is Rag.AMBER,
            worse_than_england=None if england is None else worse_than_england(indicator, latest.value),
            trend={Direction.BETTER: "better", Direction.WORSE: "worse", Direction.SAME: "same"}.get(trend),
        )
        for area_id in indicator.areas:
            if area_id in framework.area_by_id:
                facts[area_id].append(fact)
    return facts


def _action_facts(plan, today: dt.date) -> dict[str, list[drafting.ActionFact]]:
    facts: dict[str, list[drafting.ActionFact]] = defaultdict(list)
    for action in plan:
        facts[action.area_id].append(
            drafting.ActionFact(
                record=f"action:{action.id}",
                what=action.what,
                owner=action.owner.name,
                due=action.due_date,
                status=action.status.label,
                done=action.status is ActionStatus.DONE,
                overdue=action.is_overdue(today),
            )
        )
    return facts


# Commands -----------------------------------------------------------------------------------


def check_year(year_starting: int | None) -> None:
    """Refuse a year that already has a self-evaluation, naming it."""
    if year_starting is None:
        raise SelfEvaluationError("Choose the year the self-evaluation covers", "year_starting")
    existing = for_year(year_starting)
    if existing is not None:
        raise SelfEvaluationError(
            f"There is already a self-evaluation for {existing.year} ({existing.status.label.lower()}): "
            "open it from the list of self-evaluations",
            "year_starting",
        )


def start(
    council: Council, framework: Framework, year_starting: int | None, *, by: User, today: dt.date | None = None
) -> SelfEvaluation:
    """This year's self-evaluation, drafted for every judgement of the council's framework."""
    check_year(year_starting)
    today = today or clock.today()
    self_evaluation = SelfEvaluation(
        year_starting=year_starting,
        framework_id=framework.id,
        status=SelfEvaluationStatus.DRAFT,
        drafted_on=today,
        started_by_id=by.id,
    )
    position = 0
    for judgement in draft_for(council, framework, today):
        for question, sentences in judgement.answers.items():
            self_evaluation.sections.append(
                SelfEvaluationSection(
                    position=position,
                    area_id=judgement.area_id,
                    area_title=judgement.title,
                    question=question,
                    text=drafting.text_of(sentences),
                    drafted=[s.to_dict() for s in sentences],
                    agreed=False,
                )
            )
            position += 1
    # Two leaders starting the same year at once: the unique key refuses the second.
    with first_save("self-evaluation", error=SelfEvaluationError(_taken(year_starting), "year_starting")):
        db.session.add(self_evaluation)
    audit_log.record(
        "self_evaluation.started",
        "self_evaluation",
        self_evaluation.id,
        after={"year": self_evaluation.year, "framework_id": framework.id, "sections": position},
    )
    return self_evaluation


def _taken(year_starting: int) -> str:
    return (
        f"There is already a self-evaluation for {year_words(year_starting)}: open it from the list of self-evaluations"
    )


def save_section(
    section: SelfEvaluationSection,
    text: str,
    *,
    version: int,
    by: User,
    agreed: bool | None = None,
    now: dt.datetime | None = None,
) -> SelfEvaluationSection:
    """Save a section's text, if the person's page was based on the version saved. `agreed`
    None keeps the mark as it is (an autosave); a change of the words of an agreed section
    takes the mark away, since what was agreed is no longer what it says."""
    _writable(section.self_evaluation)
    text = _clean_text(text)
    if agreed and not text:
        raise SelfEvaluationError("Enter the answer before marking it agreed", "text")
    with saving(section, "section", version):
        before = audit_log.snapshot(section, SECTION_FIELDS)
        changed = text != section.text
        section.text = text
        if agreed is not None:
            section.agreed = agreed
        elif changed:
            section.agreed = False
        section.agreed_by_id = by.id if section.agreed else None
        section.updated_by_id = by.id
        section.updated_at = now or clock.now()
    after = audit_log.snapshot(section, SECTION_FIELDS)
    if before != after:
        action = (
            "self_evaluation.section_agreed"
            if after["agreed"] and not before["agreed"]
            else "self_evaluation.section_saved"
        )
        audit_log.record(action, "self_evaluation_section", section.id, before=before, after=after)
    return section


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise SelfEvaluationError(f"The answer must be {MAX_TEXT:,} characters or fewer", "text")
    return text


def check_sign_off(self_evaluation: SelfEvaluation) -> None:
    """Refuse to sign off a self-evaluation that is signed off, or has sections not agreed."""
    _writable(self_evaluation)
    waiting = unagreed(self_evaluation)
    if waiting:
        named = "; ".join(f"{s.area_title}: {drafting.QUESTIONS[s.question]}" for s in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        raise SelfEvaluationError(
            f"{len(waiting)} section{'s are' if len(waiting) != 1 else ' is'} not agreed yet, so it cannot be "
            f"signed off: {named}{more}",
            "sign_off",
        )


def sign_off(self_evaluation: SelfEvaluation, *, version: int, by: User, today: dt.date | None = None) -> None:
    """The director's sign-off: from now on the self-evaluation is the year's record."""
    check_sign_off(self_evaluation)
    with saving(self_evaluation, "self-evaluation", version):
        self_evaluation.status = SelfEvaluationStatus.SIGNED_OFF
        self_evaluation.signed_off_on = today or clock.today()
        self_evaluation.signed_off_by_id = by.id
    audit_log.record(
        "self_evaluation.signed_off",
        "self_evaluation",
        self_evaluation.id,
        before={"status": SelfEvaluationStatus.DRAFT.value},
        after={"status": self_evaluation.status.value, "signed_off_on": self_evaluation.signed_off_on},
    )


def _writable(self_evaluation: SelfEvaluation) -> None:
    if self_evaluation.signed_off:
        raise SelfEvaluationError(
            f"The self-evaluation for {self_evaluation.year} has been signed off, so it can no longer change", "text"
        )


# Comparing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedSection:
    title: str
    question: str
    this_year: str | None  # None: the section is not in that year's self-evaluation
    last_year: str | None

    @property
    def changed(self) -> bool:
        return self.this_year != self.last_year


def compare(this_year: SelfEvaluation, last_year: SelfEvaluation) -> list[ComparedSection]:
    """The two years section by section, this year's order first, then last year's sections
    this year has not (a judgement of an earlier framework)."""
    earlier = {(s.area_id, s.question): s for s in last_year.sections}
    rows = []
    for section in this_year.sections:
        before = earlier.pop((section.area_id, section.question), None)
        rows.append(
            ComparedSection(
                section.area_title, drafting.QUESTIONS[section.question], section.text, before.text if before else None
            )
        )
    for section in earlier.values():
        rows.append(ComparedSection(section.area_title, drafting.QUESTIONS[section.question], None, section.text))
    return rows


def sections_by_judgement(self_evaluation: SelfEvaluation) -> list[tuple[str, Sequence[SelfEvaluationSection]]]:
    """The sections grouped under their judgement, in framework order."""
    grouped: dict[str, list[SelfEvaluationSection]] = {}
    for section in self_evaluation.sections:
        grouped.setdefault(section.area_title, []).append(section)
    return list(grouped.items())
