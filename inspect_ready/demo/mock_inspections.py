"""Demo mock inspections for Northshire: two recorded six months apart, showing improvement,
and a case tracking sample for the one under way (made by demo/reviews.py)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.action_plan import actions
from evidence.action_plan.models import ActionStatus
from evidence.mock_inspections import inspections
from evidence.mock_inspections.case_sample import AGE_BANDS_EXPECTED, CASE_TYPES
from evidence.reviews import setup
from evidence.reviews.models import MemberRole, Review, ReviewKind, ReviewStatus
from inspect_ready.demo.evidence import TEAMS as AUDITED_TEAMS
from judgement_framework import load_framework

# Final grades (ILACS 2026 ids) and the lead's rationale, in our own words.
EARLIER = {
    "leaders": (
        "requires_improvement",
        "Leaders know where practice is weak but the improvement plan is new and untested.",
    ),
    "help_protection": (
        "requires_improvement",
        "Strategy discussions are timely; too many assessments run past 45 working days.",
    ),
    "in_care": ("good", "Children are visited on time and their plans reflect their wishes."),
    "care_leavers": (
        "requires_improvement",
        "Pathway plans are up to date but too few care leavers are in education or work.",
    ),
}
LATER = {
    "leaders": (
        "good",
        "The improvement plan is working: audit grades and timeliness have both risen for two quarters.",
    ),
    "help_protection": ("good", "Assessments are now timely and audits show management oversight on most files."),
    "in_care": ("good", "Stable placements and good visiting, confirmed by the tracked cases."),
    "care_leavers": (
        "requires_improvement",
        "Contact has improved; the share in education or work is still below target.",
    ),
}
# The teams the demo audits name, so every team has a case in the sample.
TEAMS = list(AUDITED_TEAMS)
ETHNICITIES = [
    "White British",
    "Pakistani",
    "Black Caribbean",
    "White and Black African",
    "Any other White background",
    "Indian",
]


def load(council: Council, today: date) -> None:
    framework = load_framework(council.framework_id)
    with acting_for(None):
        lead = db.session.scalars(select(User).where(User.email == "director@northshire.example")).one()
        reviewer = db.session.scalars(select(User).where(User.email == "hos.cp@northshire.example")).one()
    with acting_for(council.id):
        for title, ended, grades in (
            ("Mock inspection, spring", today - timedelta(days=240), EARLIER),
            ("Mock inspection, autumn", today - timedelta(days=60), LATER),
        ):
            review = setup.create_review(
                setup.ReviewFields(title, ReviewKind.MOCK_INSPECTION, [], ended - timedelta(days=4), ended, lead.id),
                framework,
            )
            setup.add_member(review, reviewer, MemberRole.REVIEWER)
            for area_id, (grade, rationale) in grades.items():
                inspections.propose_grade(review, framework, area_id, reviewer, grade, rationale, version=NEW)
                inspections.moderate(review, framework, area_id, lead, grade, rationale, version=NEW)
            result = inspections.grading(review, council)
            recorded = inspections.record_outcome(review, result, lead)
            recorded.recorded_on = ended
        _actions(review, result, framework, lead, reviewer, today)
        _sample(_under_way(), framework)
        db.session.flush()  # inside acting_for: these rows are Northshire's


# (what, success measure, due in days from today, status, progress note, evidence it is done)
ACTIONS = [
    (
        "Re-audit a sample of strategy discussions each month",
        "8 of 10 audited discussions good or better",
        -10,
        ActionStatus.IN_PROGRESS,
        "Two monthly samples done; both 7 of 10.",
        None,
    ),
    (
        "Add the child's own words to every child protection plan",
        "Voice of the child on 9 of 10 plans at audit",
        45,
        ActionStatus.IN_PROGRESS,
        "Template changed; briefings held in all teams.",
        None,
    ),
    (
        "Weekly tracker for assessments nearing 45 working days",
        "Assessments in timescale at or above 85%",
        -30,
        ActionStatus.DONE,
        "Tracker in use since the spring.",
        "Assessments in timescale 88% for three months",
    ),
    (
        "Refresh the threshold guidance with partners",
        "Re-referral rate below the England average",
        90,
        ActionStatus.NOT_STARTED,
        None,
        None,
    ),
]


def _actions(review: Review, result, framework, lead: User, reviewer: User, today: date) -> None:
    """The action plan made from the latest mock inspection's gaps, as the board tracks it."""
    gaps = [gap for gap in result.evidence.gaps if gap.area_id in framework.area_by_id][: len(ACTIONS)]
    for (what, measure, due_in, status, note, done), gap in zip(ACTIONS, gaps, strict=False):
        owner = (lead, reviewer)[len(what) % 2]
        action = actions.create(
            framework,
            what=what,
            owner_id=owner.id,
            due_date=today + timedelta(days=max(due_in, 0)),
            success_measure=measure,
            area_id=gap.area_id,
            gap=gap,
            today=today,
            review_id=review.id,
        )
        action.due_date = today + timedelta(days=due_in)  # some are overdue, as on any real plan
        action.status, action.completion_evidence = status, done
        action.completed_on = today - timedelta(days=20) if status is ActionStatus.DONE else None
        if note:
            actions.add_note(action, owner, note)


def _under_way() -> Review:
    return db.session.scalars(
        select(Review).where(Review.kind == ReviewKind.MOCK_INSPECTION, Review.status == ReviewStatus.FIELDWORK)
    ).first()


def _sample(review: Review, framework) -> None:
    """26 tracked cases, nearly balanced: no disabled child yet, so the check has something to say."""
    rng = random.Random(26)
    case_types = list(CASE_TYPES)
    areas = {
        "early_help": "help_protection",
        "child_in_need": "help_protection",
        "child_protection": "help_protection",
        "child_in_care": "in_care",
        "care_leaver": "care_leavers",
    }
    children = 0
    for number in range(26):
        case_type = case_types[number % len(case_types)]
        if case_type == "care_leaver":
            age_band = "18 and over"
        else:
            age_band, children = AGE_BANDS_EXPECTED[children % len(AGE_BANDS_EXPECTED)], children + 1
        inspections.add_tracked_case(
            review,
            inspections.CaseFields(
                reference=f"NS-{4100 + number * 7}",
                age_band=age_band,
                case_type=case_type,
                team=TEAMS[number % len(TEAMS)],
                ethnicity=rng.choice(ETHNICITIES),
                disability=False,
                gender=("Girl", "Boy")[number % 2],
                area_ids=[areas[case_type]],
            ),
            framework,
        )
