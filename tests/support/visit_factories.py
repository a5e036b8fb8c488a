"""Make rehearsals of the visits Ofsted does not grade for tests, through the service functions:
a focused visit, a JTAI with a case audited jointly, a monitoring visit with a recommendation."""

from __future__ import annotations

from datetime import date, timedelta

from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.reviews import setup
from evidence.reviews.models import Review, ReviewKind, ReviewStatus
from evidence.visits import joint_audits, recommendations
from judgement_framework import load_framework

FOCUS = {ReviewKind.FOCUSED_VISIT_REHEARSAL: "front_door", ReviewKind.JTAI_REHEARSAL: "domestic_abuse"}


def make_visit(
    council: Council, lead: User, kind: ReviewKind, *, title: str | None = None, starts_on: date | None = None
) -> Review:
    framework = load_framework(council.framework_id)
    starts_on = starts_on or date.today() - timedelta(days=1)
    with acting_for(council.id):
        review = setup.create_review(
            setup.ReviewFields(
                title=title or kind.label,
                kind=kind,
                scope_area_ids=[],
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=2),
                lead_id=lead.id,
                focus_theme_id=FOCUS.get(kind),
            ),
            framework,
        )
        bank = [k.id for _, k in setup.bank_kloes(review, framework)][:1]
        if bank:
            setup.add_bank_kloes(review, framework, bank)
        review.status = ReviewStatus.FIELDWORK
        db.session.flush()
    return review


def add_joint_case(review: Review, audit):
    with acting_for(review.council_id):
        joint_case = joint_audits.add_case(review, audit.id)
        db.session.flush()
    return joint_case


def make_recommendation(council: Council, text: str = "Improve the timeliness of child protection conferences."):
    with acting_for(council.id):
        recommendation = recommendations.add_recommendation(text, date.today() - timedelta(days=200), date.today())
        db.session.flush()
    return recommendation
