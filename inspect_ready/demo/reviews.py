"""Demo reviews for Northshire: last year's safeguarding peer review, reported, with the four
lines of enquiry the council chose (seed 002), and a mock inspection under way."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.reviews import findings, setup
from evidence.reviews.models import FindingStatus, MemberRole, ReviewKind, ReviewStatus
from judgement_framework import Confidence, load_framework

SEED_002_KLOES = [
    "ld.kloe.learning_culture",
    "hp.kloe.shared_understanding",
    "ld.kloe.assurance_systems",
    "hp.kloe.early_access",
]

# (strengths, areas for development, what needs to improve, grade, confidence), in our own words.
PEER_REVIEW_FINDINGS = {
    "ld.kloe.learning_culture": (
        "Staff describe senior leaders as visible and approachable. Practice weeks and staff briefings are well attended.",
        "Feedback from partner agencies is gathered but rarely reported back to them, so partners do not see what changed.",
        "Close the loop with partners: say what was done about each concern they raised.",
        "requires_improvement",
        Confidence.MEDIUM,
    ),
    "hp.kloe.shared_understanding": (
        "Social workers and police colleagues gave consistent accounts of what a good outcome-focused plan looks like.",
        "Health and school staff were less sure about timescales for strategy discussions.",
        "Joint training on timescales for health and education staff.",
        "good",
        Confidence.HIGH,
    ),
    "ld.kloe.assurance_systems": (
        "Monthly audits are completed on time and graded on the same four-point scale across teams.",
        "Audit findings are not yet tracked through to changes in practice; performance reports describe but do not explain.",
        "Track each audit action to completion and add commentary to the monthly performance report.",
        "requires_improvement",
        Confidence.MEDIUM,
    ),
    "hp.kloe.early_access": (
        "Families can reach early help through multi-agency forums in every locality.",
        "Thresholds are applied unevenly, and stepping down from social care to early help is slow.",
        "Relaunch the threshold document with partners and review step-down cases monthly.",
        "requires_improvement",
        Confidence.HIGH,
    ),
}


def load(council: Council, today: date) -> None:
    framework = load_framework(council.framework_id)
    with acting_for(None):
        people = {u.email: u for u in db.session.scalars(select(User))}
    lead, head, peer = (
        people["director@northshire.example"],
        people["hos.cp@northshire.example"],
        people["reviewer@eastbrook.example"],
    )
    with acting_for(council.id):
        reported = _review(
            framework, "Safeguarding peer review", ReviewKind.PEER_REVIEW, today - timedelta(days=120), lead
        )
        setup.add_bank_kloes(reported, framework, SEED_002_KLOES)
        _team(reported, framework, [peer, head])
        for kloe in reported.kloes:
            strengths, development, improve, grade, confidence = PEER_REVIEW_FINDINGS[kloe.bank_id]
            findings.save_finding(
                kloe,
                findings.FindingFields(strengths, development, improve, grade, confidence, FindingStatus.COMPLETE),
                framework,
                version=0,
                author="Tom Okafor, Eastbrook Borough Council",
                now=datetime.combine(reported.ends_on, time(16)),
            )
        reported.status = ReviewStatus.REPORTED

        ongoing = _review(
            framework,
            "Mock inspection: help and protection",
            ReviewKind.MOCK_INSPECTION,
            today - timedelta(days=2),
            lead,
        )
        setup.add_bank_kloes(ongoing, framework, ["hp.kloe.shared_understanding", "hp.kloe.early_access"])
        _team(ongoing, framework, [peer])
        findings.save_finding(
            ongoing.kloes[0],
            findings.FindingFields(
                "Strategy discussions we sampled were held on time with police present.", "", "", None, Confidence.LOW
            ),
            framework,
            version=0,
            author="Tom Okafor, Eastbrook Borough Council",
        )
        ongoing.status = ReviewStatus.FIELDWORK
        db.session.flush()  # inside acting_for: these rows are Northshire's


def _review(framework, title: str, kind: ReviewKind, starts_on: date, lead: User):
    return setup.create_review(
        setup.ReviewFields(
            title=title,
            kind=kind,
            scope_area_ids=[],
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=4),
            lead_id=lead.id,
        ),
        framework,
    )


def _team(review, framework, people: list[User]) -> None:
    """Add the people as reviewers and share the lines of enquiry out between them in turn."""
    members = [setup.add_member(review, person, MemberRole.REVIEWER) for person in people]
    for number, kloe in enumerate(review.kloes):
        setup.update_kloe(
            kloe,
            setup.KloeFields(kloe.question, kloe.sub_questions, kloe.area_ids, kloe.criterion_ids),
            framework,
            [members[number % len(members)].id],
        )
