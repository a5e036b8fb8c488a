"""Invitation links: single use, with an expiry, only for the invited person's own account."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import MemberRole, ReviewMember
from tests.support.client_request import sign_in_redirect, url
from tests.support.factories import make_council, make_user
from tests.support.pages import banners, heading, text
from tests.support.review_factories import make_invitation, make_review


@pytest.fixture()
def invited(database):
    northshire, eastbrook = make_council("Northshire"), make_council("Eastbrook")
    leader = make_user(northshire, Role.SENIOR_LEADER)
    tom = make_user(eastbrook, Role.PEER_REVIEWER, name="Tom Okafor", email="tom@eastbrook.example")
    review = make_review(northshire, leader)
    new = make_invitation(review, "Tom@Eastbrook.example")
    db.session.commit()
    return dict(
        northshire=northshire, eastbrook=eastbrook, tom=tom, review=review, token=new.token, invitation=new.invitation
    )


def _members(review):
    with acting_for(None):
        return db.session.scalars(select(ReviewMember.name).where(ReviewMember.review_id == review.id)).all()


def _refusal(page):
    """The reason a refused invitation page gives."""
    assert heading(page) == "This invitation cannot be used"
    return text(page.select_one("h1 + p"))


def _refusals():
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.invitation_refused")).all()


def test_the_invited_reviewer_joins_the_review(client_request, invited):
    client_request.sign_in(invited["tom"])
    page = client_request.get("reviews.accept_invitation", token=invited["token"])
    assert text(page.select_one("h1 + p")).startswith("Northshire invites you to its review 'Safeguarding peer review'")
    assert "Tom Okafor" not in _members(invited["review"])  # looking does not join
    client_request.post(
        "reviews.accept_invitation",
        token=invited["token"],
        _expected_redirect=url("reviews.show", review_id=invited["review"].id),
    )
    assert "Tom Okafor" in _members(invited["review"])
    with acting_for(None):
        member = db.session.scalars(select(ReviewMember).where(ReviewMember.user_id == invited["tom"].id)).one()
    assert (member.council_id, member.organisation, member.role) == (
        invited["northshire"].id,
        "Eastbrook",
        MemberRole.REVIEWER,
    )
    page = client_request.get("reviews.show", review_id=invited["review"].id)
    assert banners(page) == ["You have joined the team of 'Safeguarding peer review'."]


def test_a_used_invitation_is_refused(client_request, invited):
    client_request.sign_in(invited["tom"])
    client_request.post("reviews.accept_invitation", token=invited["token"])
    page = client_request.post("reviews.accept_invitation", token=invited["token"], _expected_status=410)
    assert (
        _refusal(page) == "This invitation has already been used. Ask the review's lead for a new one if you need it."
    )
    assert len(_refusals()) == 1 and _refusals()[0].council_id == invited["northshire"].id


def test_an_expired_invitation_is_refused(client_request, invited):
    with acting_for(invited["northshire"].id):
        invited["invitation"].expires_at = datetime.now() - timedelta(minutes=1)
        db.session.commit()
    client_request.sign_in(invited["tom"])
    page = client_request.post("reviews.accept_invitation", token=invited["token"], _expected_status=410)
    assert _refusal(page) == "This invitation has expired. Ask the review's lead to invite you again."
    assert "Tom Okafor" not in _members(invited["review"])
    assert len(_refusals()) == 1


def test_someone_else_cannot_use_the_link(client_request, invited):
    someone = make_user(invited["eastbrook"], Role.PEER_REVIEWER, email="someone@eastbrook.example")
    db.session.commit()
    client_request.sign_in(someone)
    page = client_request.post("reviews.accept_invitation", token=invited["token"], _expected_status=404)
    assert _refusal(page).startswith("This invitation link is not valid for your account.")
    assert len(_members(invited["review"])) == 1  # only the lead
    assert len(_refusals()) == 1


def test_an_unknown_token_is_refused(client_request, invited):
    client_request.sign_in(invited["tom"])
    client_request.get("reviews.accept_invitation", token="made-up-token", _expected_status=404)
    assert _refusals()[0].council_id == invited["eastbrook"].id  # the link names no council: logged in the person's own


def test_another_councils_invitation_needs_a_peer_reviewer_account(client_request, invited):
    tom = invited["tom"]
    with acting_for(tom.council_id):
        tom.role = Role.SENIOR_LEADER
        db.session.commit()
    client_request.sign_in(tom)
    page = client_request.post("reviews.accept_invitation", token=invited["token"], _expected_status=403)
    assert _refusal(page) == (
        "Invitations to another council's review are for peer reviewer accounts. "
        "Ask your council's administrator to give you one."
    )


def test_invitations_need_sign_in(client_request, invited):
    invitation = url("reviews.accept_invitation", token=invited["token"])
    client_request.get(
        "reviews.accept_invitation",
        token=invited["token"],
        _expected_status=302,
        _expected_redirect=sign_in_redirect(invitation),
    )
