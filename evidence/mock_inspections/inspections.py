"""Mock inspections: a review of kind "mock inspection" graded judgement by judgement.

Reviewers propose a grade per judgement with a rationale; the lead moderates each to a final
grade with a rationale; the framework's rules then give overall effectiveness (a hard limiter
always applies, a presumption only unless set aside with a reason). The tracked case sample
rehearses the 25 to 30 children inspectors follow. When the outcome is recorded it is kept as
a snapshot, so later inspections compare against what was found then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from councils import clock, standing_cache
from councils.audit_log import record, snapshot
from councils.db import db
from councils.errors import InputError, raise_all
from councils.models import User
from councils.versions import check_version, first_save, saving
from evidence import standing
from evidence.case_audits.audits import check_case_reference
from evidence.case_audits.models import CaseAudit
from evidence.library.items import EvidenceError, framework_of
from evidence.mock_inspections.case_sample import (
    AGE_BANDS,
    CASE_TYPES,
    GENDERS,
    SampledCase,
    Shortfall,
    age_problem,
    ethnicity_named,
    shortfalls,
)
from evidence.mock_inspections.models import (
    ModeratedGrade,
    PresumptionSetAside,
    ProposedGrade,
    RecordedOutcome,
    TrackedCase,
)
from evidence.reviews import setup
from evidence.reviews.models import Review, ReviewKind, ReviewStatus
from evidence.reviews.signals import review_kloes
from judgement_framework import (
    EvidenceSignal,
    Framework,
    Outcome,
    ReviewerGrade,
    RulesResult,
    apply_rules,
    rule_name,
)


class MockInspectionError(EvidenceError):
    pass


def mock_inspections() -> list[Review]:
    query = select(Review).where(Review.kind == ReviewKind.MOCK_INSPECTION)
    return list(db.session.scalars(query.order_by(Review.starts_on.desc(), Review.id.desc())))


# The tracked case sample ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseFields(SampledCase):
    """A child for the sample as the form gives it: what the balance check reads, and more."""

    area_ids: list[str]
    note: str = ""


SAMPLE_FIXED = "its case sample can no longer change"


def council_teams() -> list[str]:
    """The teams the council's case audits name: the teams a sample's cases are chosen from."""
    return sorted({team for team in db.session.scalars(select(CaseAudit.team).distinct()) if team.strip()})


def checked_case(fields: CaseFields, framework: Framework, teams: list[str]) -> dict:
    """The case's columns, checked as the form, the edit and an imported row all need; every
    problem is raised at once, each on its field."""
    problems: list[InputError] = []
    reference = fields.reference
    try:
        reference = check_case_reference(fields.reference)
    except EvidenceError as error:
        problems.append(MockInspectionError(str(error), "reference"))
    else:
        if len(reference) > 40:
            problems.append(MockInspectionError("The case reference must be 40 characters or fewer", "reference"))
    for value, allowed, field, message in (
        (fields.age_band, AGE_BANDS, "age_band", "Choose the child's age band"),
        (fields.case_type, CASE_TYPES, "case_type", "Choose the kind of case"),
        (fields.gender, GENDERS, "gender", "Choose the child's gender"),
    ):
        if value not in allowed:
            problems.append(MockInspectionError(message, field))
    wrong_age = age_problem(fields.case_type, fields.age_band)
    if wrong_age and not any(p.field == "age_band" for p in problems):
        problems.append(MockInspectionError(wrong_age, "age_band"))
    team = fields.team.strip()
    if not team:
        problems.append(MockInspectionError("Choose the team that holds the case", "team"))
    elif teams and team.lower() not in {name.lower() for name in teams}:
        problems.append(
            MockInspectionError(
                f"'{team[:120]}' is not a team in the council's case audits: choose one of " + ", ".join(teams), "team"
            )
        )
    elif teams:
        # The council's own spelling, so the balance check finds every team's cases.
        team = {name.lower(): name for name in teams}[team.lower()]
    if len(team) > 120:
        problems.append(MockInspectionError("The team's name must be 120 characters or fewer", "team"))
    ethnicity = ethnicity_named(fields.ethnicity)
    if ethnicity is None:
        problems.append(
            MockInspectionError(
                "Choose the child's ethnicity from the 2011 census categories, or leave it not recorded", "ethnicity"
            )
        )
    unknown = [a for a in fields.area_ids if a not in framework.area_by_id]
    if unknown:
        problems.append(MockInspectionError(f"Choose judgements of {framework.title} from the list", "area_ids"))
    raise_all(problems)
    return {
        "reference": reference,
        "age_band": fields.age_band,
        "case_type": fields.case_type,
        "team": team,
        "ethnicity": ethnicity,
        "disability": bool(fields.disability),
        "gender": fields.gender,
        "area_ids": list(dict.fromkeys(fields.area_ids)),
        "note": fields.note.strip(),
    }


CASE_LOGGED = ["reference", "age_band", "case_type", "team", "ethnicity", "disability", "gender", "area_ids"]


def add_tracked_case(
    review: Review, fields: CaseFields, framework: Framework, *, teams: list[str] | None = None
) -> TrackedCase:
    _check_open(review, SAMPLE_FIXED, "reference")
    values = checked_case(fields, framework, council_teams() if teams is None else teams)
    already = MockInspectionError(f"{values['reference']} is already in the sample", "reference")
    if in_sample(review, values["reference"]):
        raise already
    case = TrackedCase(review_id=review.id, **values)
    # Two people adding the same child at once: the unique key keeps one, the other is told.
    with first_save("case", error=already):
        db.session.add(case)
    record("tracked_case.added", "review", review.id, after=snapshot(case, CASE_LOGGED))
    return case


def change_tracked_case(review: Review, case: TrackedCase, fields: CaseFields, framework: Framework) -> None:
    """Correct a case in place; its reference may change, to one not already in the sample."""
    _check_open(review, SAMPLE_FIXED, "reference")
    values = checked_case(fields, framework, council_teams())
    if values["reference"] != case.reference and in_sample(review, values["reference"]):
        raise MockInspectionError(f"{values['reference']} is already in the sample", "reference")
    before = snapshot(case, CASE_LOGGED)
    for name, value in values.items():
        setattr(case, name, value)
    with first_save("case", error=MockInspectionError(f"{values['reference']} is already in the sample", "reference")):
        db.session.flush()
    after = snapshot(case, CASE_LOGGED)
    if after != before:
        record("tracked_case.changed", "review", review.id, before=before, after=after)


def add_tracked_cases(review: Review, rows: list[CaseFields], framework: Framework, action: str) -> int:
    """Add many cases at once (an import or a choice of audits): all of them or none, the first
    problem raised naming its case; one audit-log entry for the lot."""
    _check_open(review, SAMPLE_FIXED, "reference")
    teams = council_teams()
    seen: set[str] = set()
    cases = []
    for fields in rows:
        try:
            values = checked_case(fields, framework, teams)
        except MockInspectionError as error:
            raise MockInspectionError(f"{fields.reference[:40]}: {error}", "file") from None
        if values["reference"] in seen or in_sample(review, values["reference"]):
            raise MockInspectionError(f"{values['reference']} is already in the sample", "file")
        seen.add(values["reference"])
        cases.append(TrackedCase(review_id=review.id, **values))
    with first_save("case", error=MockInspectionError("Someone added one of these cases meanwhile", "file")):
        db.session.add_all(cases)
    record(action, "review", review.id, after={"references": [case.reference for case in cases]})
    return len(cases)


def check_sample_open(review: Review) -> None:
    _check_open(review, SAMPLE_FIXED, "file")


def audited_cases_not_in_sample(review: Review) -> list[CaseAudit]:
    """The council's audited cases, latest audit of each reference, not yet in the sample."""
    sampled = set(db.session.scalars(select(TrackedCase.reference).where(TrackedCase.review_id == review.id)))
    latest: dict[str, CaseAudit] = {}
    for audit in db.session.scalars(select(CaseAudit).order_by(CaseAudit.audit_date, CaseAudit.id)):
        latest[audit.case_reference] = audit
    return sorted((a for ref, a in latest.items() if ref not in sampled), key=lambda a: (a.team, a.case_reference))


def in_sample(review: Review, reference: str) -> bool:
    query = select(TrackedCase.id).where(TrackedCase.review_id == review.id, TrackedCase.reference == reference)
    return db.session.scalar(query) is not None


def remove_tracked_case(review: Review, case: TrackedCase) -> None:
    _check_open(review, SAMPLE_FIXED, "reference")
    record("tracked_case.removed", "review", review.id, before={"reference": case.reference})
    db.session.delete(case)
    db.session.flush()


def sample_of(review: Review) -> list[TrackedCase]:
    return list(
        db.session.scalars(select(TrackedCase).where(TrackedCase.review_id == review.id).order_by(TrackedCase.id))
    )


def sample_shortfalls(cases: list[TrackedCase]) -> list[Shortfall]:
    """What the sample lacks; the council's teams are those its case audits name."""
    teams = council_teams()
    sampled = [
        SampledCase(c.reference, c.age_band, c.case_type, c.team, c.ethnicity, c.disability, c.gender) for c in cases
    ]
    return shortfalls(sampled, teams=teams)


# Grading -------------------------------------------------------------------------------


def _check_grade(framework: Framework, area_id: str, grade: str, rationale: str) -> None:
    if area_id not in framework.area_by_id:
        raise MockInspectionError("Choose a judgement from the options shown", "area_id")
    if grade not in framework.grade_rank:
        raise MockInspectionError("Choose a grade from the scale", "grade")
    if not (rationale or "").strip():
        raise MockInspectionError("Give the rationale for the grade", "rationale")


def own_proposal(review: Review, area_id: str, reviewer_id: int) -> ProposedGrade | None:
    return db.session.scalar(
        select(ProposedGrade).where(
            ProposedGrade.review_id == review.id,
            ProposedGrade.area_id == area_id,
            ProposedGrade.reviewer_id == reviewer_id,
        )
    )


def final_grade(review: Review, area_id: str) -> ModeratedGrade | None:
    return db.session.scalar(
        select(ModeratedGrade).where(ModeratedGrade.review_id == review.id, ModeratedGrade.area_id == area_id)
    )


def propose_grade(
    review: Review, framework: Framework, area_id: str, reviewer: User, grade: str, rationale: str, *, version: int
) -> None:
    """A reviewer's proposal, if based on the version they saw (versions.NEW for their first)."""
    _check_open(review)
    _check_grade(framework, area_id, grade, rationale)

    def change(proposal: ProposedGrade) -> None:
        proposal.grade, proposal.rationale, proposal.updated_at = grade, rationale.strip(), clock.now()

    before = _save_grade(
        own_proposal(review, area_id, reviewer.id),
        lambda: ProposedGrade(review_id=review.id, area_id=area_id, reviewer_id=reviewer.id),
        change,
        "proposed grade",
        version,
    )
    after = {"area_id": area_id, "grade": grade, "rationale": rationale.strip()}
    record("grade.proposed", "review", review.id, before=before, after=after)


def moderate(
    review: Review, framework: Framework, area_id: str, moderator: User, grade: str, rationale: str, *, version: int
) -> None:
    """The final grade, if based on the version the moderator saw (versions.NEW for the first).
    Moderation settles the reviewers' proposals: while the mock inspection is still planned
    (no fieldwork yet) a judgement with none has nothing to moderate."""
    _check_open(review)
    _check_grade(framework, area_id, grade, rationale)
    if review.status is ReviewStatus.PLANNED and not _has_proposals(review, area_id):
        title = framework.area_by_id[area_id].title
        raise MockInspectionError(
            f"No reviewer has proposed a grade for ‘{title}’ and the mock inspection is still planned: "
            "moderate once the team has proposed grades, or move the mock inspection to fieldwork or moderation",
            "grade",
        )

    def change(final: ModeratedGrade) -> None:
        final.grade, final.rationale = grade, rationale.strip()
        final.moderated_by_id, final.moderated_at = moderator.id, clock.now()

    before = _save_grade(
        final_grade(review, area_id),
        lambda: ModeratedGrade(review_id=review.id, area_id=area_id),
        change,
        "final grade",
        version,
    )
    after = {"area_id": area_id, "grade": grade, "rationale": rationale.strip()}
    record("grade.moderated", "review", review.id, before=before, after=after)


def _has_proposals(review: Review, area_id: str) -> bool:
    return (
        db.session.scalar(
            select(ProposedGrade.id)
            .where(ProposedGrade.review_id == review.id, ProposedGrade.area_id == area_id)
            .limit(1)
        )
        is not None
    )


def _save_grade(existing, new: Callable, change: Callable, what: str, version: int) -> dict | None:
    """Change the saved grade, or make the first: either only if based on the version the
    person saw. Two first saves at once (two leaders, two tabs) meet the unique key, and the
    later is refused like any stale save. Returns the grade as it was, for the audit log."""
    if existing is None:
        check_version(None, version, what)
        row = new()
        change(row)
        with first_save(what):
            db.session.add(row)
        return None
    with saving(existing, what, version):
        before = snapshot(existing, ["grade", "rationale"])
        change(existing)
    return before


def set_aside(review: Review, framework: Framework, rule_id: str, reason: str, by: User) -> None:
    """Depart from a presumption with a recorded reason; a hard limiter cannot be set aside."""
    _check_open(review)
    # Checked here rather than left to the rules, whose messages name the rule by its id.
    rule = next((r for r in framework.aggregation.rules if r.id == rule_id), None)
    if rule is None:
        raise MockInspectionError(f"That presumption is not one of the rules of {framework.title}", "reason")
    name = rule_name(framework, rule)
    if rule.kind != "presumption":
        raise MockInspectionError(f"{name[:1].upper()}{name[1:]} can never be set aside", "reason")
    if not reason.strip():
        raise MockInspectionError(f"Enter why {name} should not apply here", "reason")
    # A second press of the button, or a second tab: one setting aside per presumption.
    already = db.session.scalar(
        select(PresumptionSetAside.id).where(
            PresumptionSetAside.review_id == review.id, PresumptionSetAside.rule_id == rule_id
        )
    )
    if already is not None:
        raise MockInspectionError("This presumption is already set aside", "reason")
    db.session.add(
        PresumptionSetAside(review_id=review.id, rule_id=rule_id, reason=reason.strip(), set_aside_by_id=by.id)
    )
    db.session.flush()
    record("presumption.set_aside", "review", review.id, after={"rule_id": rule_id, "reason": reason.strip()})


def withdraw_set_aside(review: Review, rule_id: str) -> None:
    _check_open(review)
    row = db.session.scalar(
        select(PresumptionSetAside).where(
            PresumptionSetAside.review_id == review.id, PresumptionSetAside.rule_id == rule_id
        )
    )
    if row:
        record("presumption.restored", "review", review.id, before={"rule_id": rule_id, "reason": row.reason})
        db.session.delete(row)
        db.session.flush()


# A recorded outcome is final: what later mock inspections are compared with. Closed without
# one, a mock inspection is over too.
FINISHED = (ReviewStatus.REPORTED, ReviewStatus.CLOSED)


def outcome_recorded(review: Review) -> bool:
    return db.session.scalar(select(RecordedOutcome.id).where(RecordedOutcome.review_id == review.id)) is not None


def _finished(review: Review) -> str:
    """How a finished mock inspection is described in a refusal."""
    if outcome_recorded(review):
        return "The outcome of this mock inspection has been recorded"
    return "This mock inspection has closed"


def _check_open(review: Review, what: str = "grades can no longer change", field: str = "grade") -> None:
    if review.status in FINISHED:
        raise MockInspectionError(f"{_finished(review)}: {what}", field)


def update_review(review: Review, fields: setup.ReviewFields, framework: Framework, status: ReviewStatus) -> None:
    """Save a review's details (setup.update_review) with what a mock inspection adds: it stays
    a mock inspection (its grades, sample and outcome are on pages only a mock inspection has),
    and once its outcome is recorded it stays reported or closed."""
    if review.kind is ReviewKind.MOCK_INSPECTION:
        if fields.kind is not ReviewKind.MOCK_INSPECTION:
            raise MockInspectionError(
                "A mock inspection stays a mock inspection: its grades, sample and outcome are on its own pages", "kind"
            )
        if status not in FINISHED and outcome_recorded(review):
            raise MockInspectionError(
                "The outcome of this mock inspection has been recorded: it stays reported or closed", "status"
            )
    setup.update_review(review, fields, framework, status)


# The outcome ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grading:
    """Everything the grading pages and the outcome show, from a fixed number of queries."""

    framework: Framework
    evidence: Outcome  # the scorer: evidence-based grades, reviewer gaps, KLOE gaps
    signals: list[EvidenceSignal]  # what the scorer was given, to name the evidence behind a grade
    proposals: dict[str, list[ProposedGrade]]
    # The name of each person who proposed a grade, by user id, from any council (a peer
    # reviewer's account is their own council's: setup.names_on_review).
    names: dict[int, str]
    moderated: dict[str, ModeratedGrade]
    set_aside: dict[str, str]
    final: RulesResult  # the framework's rules over the moderated grades

    def final_grade(self, area_id: str) -> str | None:
        return self.final.final_grades.get(area_id)

    def reviewer_name(self, proposal: ProposedGrade) -> str:
        return self.names[proposal.reviewer_id]


def grading(review: Review, council, as_of: dt.date | None = None) -> Grading:
    """The grading of a mock inspection, with the evidence as it stood on its last day (or
    today, while it is still going on), so a finished one keeps the picture it was graded on."""
    as_of = as_of or min(clock.today(), review.ends_on)
    framework = framework_of(review)
    proposals: dict[str, list[ProposedGrade]] = {}
    for proposal in db.session.scalars(
        select(ProposedGrade).where(ProposedGrade.review_id == review.id).order_by(ProposedGrade.id)
    ):
        proposals.setdefault(proposal.area_id, []).append(proposal)
    moderated = {
        m.area_id: m for m in db.session.scalars(select(ModeratedGrade).where(ModeratedGrade.review_id == review.id))
    }
    set_asides = {
        s.rule_id: s.reason
        for s in db.session.scalars(select(PresumptionSetAside).where(PresumptionSetAside.review_id == review.id))
    }
    names = setup.names_on_review(review, ProposedGrade.reviewer_id)
    recorded = recorded_standing(review, council)
    if recorded is not None:
        evidence, signals = recorded
    else:
        reviewer_grades = [
            ReviewerGrade(p.area_id, names[p.reviewer_id], p.grade, p.rationale)
            for ps in proposals.values()
            for p in ps
        ]
        kloes = review_kloes(framework, review)
        evidence, signals = standing.live_outcome(
            council, as_of, framework=framework, reviewer_grades=reviewer_grades, kloes=kloes
        )
    final = apply_rules(framework, {area: m.grade for area, m in moderated.items()}, set_asides)
    return Grading(framework, evidence, signals, proposals, names, moderated, set_asides, final)


def recorded_standing(review: Review, council) -> tuple[Outcome, list[EvidenceSignal]] | None:
    """The scorer's outcome and signals as recorded with the mock inspection's outcome, or None
    (not recorded yet, or recorded before outcomes kept them). Read, unpickled once per
    process and change of the council's evidence, never re-scored."""
    recorded_id = db.session.scalar(
        select(RecordedOutcome.id).where(RecordedOutcome.review_id == review.id, RecordedOutcome.standing.is_not(None))
    )
    if recorded_id is None:
        return None

    def load() -> tuple[Outcome, list[EvidenceSignal]]:
        payload = db.session.scalar(select(RecordedOutcome.standing).where(RecordedOutcome.id == recorded_id))
        return standing_cache.loads(payload)

    return standing_cache.cached(council.id, f"recorded:{recorded_id}", load, shared=False)


def recording_problems(review: Review, result: Grading) -> list[InputError]:
    """What stops the outcome being recorded now (none: it can be), for its confirmation page
    and for recording it."""
    if outcome_recorded(review):
        return [MockInspectionError(f"{_finished(review)} already: it cannot be recorded again", "grade")]
    if review.status in FINISHED:
        return [MockInspectionError(f"{_finished(review)}: grades can no longer change", "grade")]
    graded = [a for a in result.framework.areas if a.kind in ("key", "graded")]
    return [
        MockInspectionError(
            f"Moderate every judgement before recording the outcome: '{a.title}' has no final grade", "grade"
        )
        for a in graded
        if a.id not in result.moderated
    ]


def record_outcome(review: Review, result: Grading, by: User) -> RecordedOutcome:
    """Keep the outcome as it stands, and mark the mock inspection reported (once: a recorded
    outcome is what later mock inspections are compared with)."""
    raise_all(recording_problems(review, result))
    data = snapshot_data(result)
    outcome = RecordedOutcome(
        review_id=review.id,
        recorded_on=clock.today(),
        data=data,
        standing=standing_cache.dumps((result.evidence, result.signals)),
    )
    db.session.add(outcome)
    review.status = ReviewStatus.REPORTED
    db.session.flush()
    record("mock_inspection.outcome_recorded", "review", review.id, after={"final_grades": result.final.final_grades})
    return outcome


def snapshot_data(result: Grading) -> dict:
    return {
        "framework_id": result.framework.id,
        "areas": [
            {"area_id": a.id, "title": a.title, "final_grade": result.final_grade(a.id)} for a in result.framework.areas
        ],
        "rules": result.final.to_dict(),
        "gaps": [gap.to_dict() for gap in result.evidence.gaps],
    }


def latest_recorded() -> RecordedOutcome | None:
    return db.session.scalars(
        select(RecordedOutcome).order_by(RecordedOutcome.recorded_on.desc(), RecordedOutcome.id.desc()).limit(1)
    ).first()


def recorded_outcomes() -> list[RecordedOutcome]:
    return list(db.session.scalars(select(RecordedOutcome).order_by(RecordedOutcome.recorded_on, RecordedOutcome.id)))
