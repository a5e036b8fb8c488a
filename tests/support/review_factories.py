"""Make reviews, teams, KLOEs and findings for tests, through the service functions."""

from __future__ import annotations

from datetime import date, timedelta

from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.reviews import findings, invitations, setup
from evidence.reviews.models import FindingStatus, MemberRole, Review, ReviewKind, ReviewKloe, ReviewStatus
from judgement_framework import Confidence, load_framework


def make_review(
    council: Council,
    lead: User,
    *,
    status: ReviewStatus = ReviewStatus.FIELDWORK,
    title: str = "Safeguarding peer review",
    kloes: int = 4,
) -> Review:
    """A review of `council` on its framework, with `kloes` KLOEs from the framework's bank."""
    framework = load_framework(council.framework_id)
    with acting_for(council.id):
        review = setup.create_review(
            setup.ReviewFields(
                title=title,
                kind=ReviewKind.PEER_REVIEW,
                scope_area_ids=[],
                starts_on=date.today() - timedelta(days=2),
                ends_on=date.today() + timedelta(days=3),
                lead_id=lead.id,
            ),
            framework,
        )
        # The seed council's lines of enquiry first (two on leaders, two on help and protection),
        # so tests that pick a KLOE by position keep their meaning as the bank grows.
        ordered = sorted(setup.bank_kloes(review, framework), key=lambda pair: pair[1].source is None)
        bank = [k.id for _, k in ordered][:kloes]
        if bank:
            setup.add_bank_kloes(review, framework, bank)
        review.status = status
        _flush()
    return review


def add_to_team(review: Review, user: User, role: MemberRole = MemberRole.REVIEWER, *, kloes: list[ReviewKloe] = ()):
    framework = load_framework(review.framework_id)
    with acting_for(review.council_id):
        member = setup.add_member(review, user, role)
        for kloe in kloes:
            setup.update_kloe(
                kloe,
                setup.KloeFields(kloe.question, kloe.sub_questions, kloe.area_ids, kloe.criterion_ids),
                framework,
                sorted(kloe.member_ids | {member.id}),
            )
        _flush()
    return member


def make_finding(
    kloe: ReviewKloe,
    *,
    grade: str | None = "good",
    status: FindingStatus = FindingStatus.COMPLETE,
    strengths: str = "Staff know the children well.",
    evidence_ids: list[int] = (),
):
    framework = load_framework(kloe.review.framework_id)
    with acting_for(kloe.council_id):
        finding = findings.save_finding(
            kloe,
            findings.FindingFields(
                strengths, "Plans lack clear timescales.", "", grade, Confidence.HIGH, status, list(evidence_ids)
            ),
            framework,
            version=kloe.finding.version if kloe.finding else 0,
            author="Test Person, Test Council",
        )
        _flush()
    return finding


def make_invitation(review: Review, email: str, role: MemberRole = MemberRole.REVIEWER, **kwargs):
    with acting_for(review.council_id):
        new = invitations.invite(review, email, role, "lead@test.example", **kwargs)
        _flush()
    return new


def _flush():
    from councils.db import db

    db.session.flush()  # inside acting_for: the rows belong to the reviewed council
