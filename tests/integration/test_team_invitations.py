"""The lead's list of invitations: status, a link to copy, resend, revoke; nobody invited twice."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import Invitation, ReviewStatus
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import banners, error_summary, heading, table_rows, text
from tests.support.review_factories import add_to_team, make_invitation, make_review


@pytest.fixture()
def team(database):
    northshire, eastbrook = make_council("Northshire"), make_council("Eastbrook")
    leader = make_user(northshire, Role.SENIOR_LEADER, name="Gareth Leader", email="gareth@northshire.example")
    tom = make_user(eastbrook, Role.PEER_REVIEWER, name="Tom Okafor", email="tom@eastbrook.example")
    review = make_review(northshire, leader)
    db.session.commit()
    return dict(northshire=northshire, leader=leader, tom=tom, review=review)


def _events(action):
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def _invitations(review):
    with acting_for(review.council_id):
        return db.session.scalars(select(Invitation).where(Invitation.review_id == review.id)).all()


def _link_token(page) -> str:
    return page.select_one("textarea#invitation-link[readonly]").text.rsplit("/", 1)[1]


def _statuses(page):
    return [row[:3] for row in table_rows(page, "Invitations")]


def test_the_list_shows_every_status(client_request, team):
    review = team["review"]
    waiting = make_invitation(review, "waiting@eastbrook.example").invitation
    expired = make_invitation(review, "expired@eastbrook.example").invitation
    revoked = make_invitation(review, "revoked@eastbrook.example").invitation
    accepted = make_invitation(review, "tom@eastbrook.example").invitation
    with acting_for(review.council_id):
        expired.expires_at = datetime.now() - timedelta(hours=1)
        revoked.revoked_at = datetime.now()
        accepted.accepted_at = datetime.now()
        db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.get("reviews.team", review_id=review.id)
    assert _statuses(page) == [
        ["tom@eastbrook.example", "Reviewer", "Accepted"],
        ["revoked@eastbrook.example", "Reviewer", "Revoked"],
        ["expired@eastbrook.example", "Reviewer", "Expired"],
        ["waiting@eastbrook.example", "Reviewer", "Waiting"],
    ]
    # Resend and revoke only where there is a link that may still be wanted.
    actions = [row[4] for row in table_rows(page, "Invitations")]
    assert [("Resend" in a, "Revoke" in a) for a in actions] == [
        (False, False),
        (False, False),
        (True, True),
        (True, True),
    ]
    assert waiting.id  # listed above as Waiting


def test_the_new_link_is_in_a_readonly_box_with_a_copy_button(client_request, team):
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=team["review"].id,
        _data={"email": "sam@eastbrook.example", "invite_role": "observer"},
        _expected_status=200,
    )
    box = page.select_one("textarea#invitation-link")
    assert box.has_attr("readonly") and page.select_one("label[for=invitation-link]")
    assert box.text.startswith("http") and "app-link-box" in box["class"]  # wraps in its column (app.css)
    button = page.select_one("button[data-module=app-copy-link]")
    # Hidden until app.js finds a clipboard: without JavaScript nobody meets a dead button.
    assert button.has_attr("hidden") and button["data-copy-from"] == "invitation-link"
    assert "govuk-button--secondary" in button["class"] and button.get("type") == "button"
    assert page.select_one(f"#{button['data-copy-status']}[role=status]") is not None


def test_someone_on_the_team_is_not_invited(client_request, team):
    add_to_team(team["review"], team["tom"])
    db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=team["review"].id,
        _data={"email": "Tom@Eastbrook.EXAMPLE", "invite_role": "reviewer"},
        _expected_status=400,
    )
    assert error_summary(page) == ["tom@eastbrook.example is already on the team"]
    assert "tom@eastbrook.example is already on the team" in text(page.select_one("#email-error"))  # on the field
    assert _invitations(team["review"]) == [] and _events("review.invited") == []


def test_the_lead_themselves_is_not_invited(client_request, team):
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=team["review"].id,
        _data={"email": "gareth@northshire.example", "invite_role": "reviewer"},
        _expected_status=400,
    )
    assert error_summary(page) == ["gareth@northshire.example is already on the team"]
    assert _invitations(team["review"]) == []


def test_a_second_invitation_while_one_waits_is_refused(client_request, team):
    make_invitation(team["review"], "sam@eastbrook.example")
    db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=team["review"].id,
        _data={"email": "sam@eastbrook.example", "invite_role": "reviewer"},
        _expected_status=400,
    )
    assert error_summary(page) == [
        "sam@eastbrook.example already has an invitation waiting: resend it from the list below"
    ]
    assert len(_invitations(team["review"])) == 1


def test_resending_replaces_the_link(client_request, team):
    old = make_invitation(team["review"], "tom@eastbrook.example")
    with acting_for(team["northshire"].id):
        old.invitation.expires_at = datetime.now() - timedelta(days=1)
        db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.resend_invitation", review_id=team["review"].id, invitation_id=old.invitation.id, _expected_status=200
    )
    token = _link_token(page)
    assert token != old.token
    assert "The old link no longer works." in page.select_one(".app-new-link").text
    (invitation,) = _invitations(team["review"])
    assert token not in invitation.token_hash and old.token not in invitation.token_hash
    assert timedelta(days=13) < invitation.expires_at - datetime.now() < timedelta(days=15)
    assert _statuses(page) == [["tom@eastbrook.example", "Reviewer", "Waiting"]]
    (event,) = _events("review.invitation_resent")
    assert event.after["invitation_id"] == invitation.id and token not in str(event.after)
    # The old link is refused; the new one works for Tom.
    client_request.sign_in(team["tom"])
    client_request.get("reviews.accept_invitation", token=old.token, _expected_status=404)
    client_request.post(
        "reviews.accept_invitation", token=token, _expected_redirect=url("reviews.show", review_id=team["review"].id)
    )


def test_an_accepted_invitation_is_not_resent(client_request, team):
    new = make_invitation(team["review"], "sam@eastbrook.example")
    with acting_for(team["northshire"].id):
        new.invitation.accepted_at = datetime.now()
        db.session.commit()
        hash_before = new.invitation.token_hash
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.resend_invitation",
        review_id=team["review"].id,
        invitation_id=new.invitation.id,
        _follow_redirects=True,
    )
    assert banners(page) == ["sam@eastbrook.example has already accepted, so the invitation cannot be resent"]
    assert _invitations(team["review"])[0].token_hash == hash_before
    assert _events("review.invitation_resent") == []


def test_revoking_asks_first_then_the_link_stops_working(client_request, team):
    new = make_invitation(team["review"], "tom@eastbrook.example")
    db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.get("reviews.revoke_invitation", review_id=team["review"].id, invitation_id=new.invitation.id)
    assert heading(page) == "Revoke the invitation for tom@eastbrook.example?"
    assert _invitations(team["review"])[0].revoked_at is None  # looking changes nothing
    client_request.post(
        "reviews.revoke_invitation",
        review_id=team["review"].id,
        invitation_id=new.invitation.id,
        _expected_redirect=url("reviews.team", review_id=team["review"].id),
    )
    page = client_request.get("reviews.team", review_id=team["review"].id)
    assert banners(page) == ["Invitation for tom@eastbrook.example revoked: its link no longer works."]
    assert _statuses(page) == [["tom@eastbrook.example", "Reviewer", "Revoked"]]
    (event,) = _events("review.invitation_revoked")
    assert (event.before["status"], event.after["status"]) == ("waiting", "revoked")
    client_request.sign_in(team["tom"])
    page = client_request.post("reviews.accept_invitation", token=new.token, _expected_status=410)
    assert "withdrawn this invitation" in page.select_one("h1 + p").text


def test_a_revoked_invitation_is_not_revoked_again_or_resent(client_request, team):
    new = make_invitation(team["review"], "sam@eastbrook.example")
    with acting_for(team["northshire"].id):
        new.invitation.revoked_at = datetime.now()
        db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.get("reviews.revoke_invitation", review_id=team["review"].id, invitation_id=new.invitation.id)
    assert page.select_one("main form") is None
    assert "This invitation is revoked, so there is nothing to revoke." in text(page.select_one("main"))
    page = client_request.post(
        "reviews.resend_invitation",
        review_id=team["review"].id,
        invitation_id=new.invitation.id,
        _follow_redirects=True,
    )
    assert banners(page) == [
        "The invitation for sam@eastbrook.example was revoked: invite them again if they should join"
    ]
    assert _events("review.invitation_resent") == [] and _events("review.invitation_revoked") == []


def test_after_the_report_invitations_are_not_changed(client_request, team):
    new = make_invitation(team["review"], "sam@eastbrook.example")
    with acting_for(team["northshire"].id):
        team["review"].status = ReviewStatus.REPORTED
        db.session.commit()
    client_request.sign_in(team["leader"])
    page = client_request.post(
        "reviews.revoke_invitation",
        review_id=team["review"].id,
        invitation_id=new.invitation.id,
        _follow_redirects=True,
    )
    assert banners(page) == ["The review has reported, so invitations cannot be revoked"]
    assert _invitations(team["review"])[0].revoked_at is None


def test_another_reviews_invitation_is_not_found(client_request, team):
    other = make_review(team["northshire"], team["leader"], title="Another review")
    new = make_invitation(other, "sam@eastbrook.example")
    db.session.commit()
    client_request.sign_in(team["leader"])
    client_request.get(
        "reviews.revoke_invitation", review_id=team["review"].id, invitation_id=new.invitation.id, _expected_status=404
    )
    client_request.post(
        "reviews.resend_invitation", review_id=team["review"].id, invitation_id=new.invitation.id, _expected_status=404
    )
    assert _events("review.invitation_resent") == []
