"""Invitation links: single use, with an expiry, only for the invited person's own account."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import MemberRole, ReviewMember
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as
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


def _refusals():
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.invitation_refused")).all()


def test_the_invited_reviewer_joins_the_review(client, invited):
    sign_in_as(client, invited["tom"])
    page = client.get(f"/reviews/invitations/{invited['token']}").get_data(as_text=True)
    assert "Northshire invites you" in page
    assert "Tom Okafor" not in _members(invited["review"])  # looking does not join
    response = client.post(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 302 and response.location.endswith(f"/reviews/{invited['review'].id}")
    assert "Tom Okafor" in _members(invited["review"])
    with acting_for(None):
        member = db.session.scalars(select(ReviewMember).where(ReviewMember.user_id == invited["tom"].id)).one()
    assert (member.council_id, member.organisation, member.role) == (
        invited["northshire"].id,
        "Eastbrook",
        MemberRole.REVIEWER,
    )
    assert client.get(f"/reviews/{invited['review'].id}").status_code == 200


def test_a_used_invitation_is_refused(client, invited):
    sign_in_as(client, invited["tom"])
    client.post(f"/reviews/invitations/{invited['token']}")
    response = client.post(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    assert len(_refusals()) == 1 and _refusals()[0].council_id == invited["northshire"].id


def test_an_expired_invitation_is_refused(client, invited):
    with acting_for(invited["northshire"].id):
        invited["invitation"].expires_at = datetime.now() - timedelta(minutes=1)
        db.session.commit()
    sign_in_as(client, invited["tom"])
    response = client.post(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)
    assert "Tom Okafor" not in _members(invited["review"])
    assert len(_refusals()) == 1


def test_someone_else_cannot_use_the_link(client, invited):
    someone = make_user(invited["eastbrook"], Role.PEER_REVIEWER, email="someone@eastbrook.example")
    db.session.commit()
    sign_in_as(client, someone)
    response = client.post(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 404 and "not valid for your account" in response.get_data(as_text=True)
    assert len(_members(invited["review"])) == 1  # only the lead
    assert len(_refusals()) == 1


def test_an_unknown_token_is_refused(client, invited):
    sign_in_as(client, invited["tom"])
    response = client.get("/reviews/invitations/made-up-token")
    assert response.status_code == 404
    assert _refusals()[0].council_id == invited["eastbrook"].id  # the link names no council: logged in the person's own


def test_another_councils_invitation_needs_a_peer_reviewer_account(client, invited):
    tom = invited["tom"]
    with acting_for(tom.council_id):
        tom.role = Role.SENIOR_LEADER
        db.session.commit()
    sign_in_as(client, tom)
    response = client.post(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 403 and "peer reviewer accounts" in response.get_data(as_text=True)


def test_invitations_need_sign_in(client, invited):
    response = client.get(f"/reviews/invitations/{invited['token']}")
    assert response.status_code == 302 and "/sign-in" in response.location
