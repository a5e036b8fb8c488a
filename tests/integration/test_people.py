"""The council's people, found one way: who can be chosen, and who cannot."""

from flask import url_for

from councils import accounts
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import ReviewMember
from tests.support.factories import make_council, make_user, sign_in_as
from tests.support.review_factories import make_review


def test_people_are_the_councils_own_active_people_by_name(database):
    council, other = make_council(), make_council()
    zoe = make_user(council, Role.SENIOR_LEADER, name="Zoe Adams")
    amir = make_user(council, Role.HEAD_OF_SERVICE, name="Amir Begum")
    gone = make_user(council, Role.SENIOR_LEADER, name="Bea Gone")
    reviewer = make_user(council, Role.PEER_REVIEWER, name="Cal Reviewer")
    make_user(other, Role.SENIOR_LEADER, name="Other Council")
    with acting_for(council.id):
        accounts.set_role(gone, Role.SENIOR_LEADER, None, active=False)
        assert [p.name for p in accounts.people()] == ["Amir Begum", "Cal Reviewer", "Zoe Adams"]
        assert [p.name for p in accounts.people(active=None)] == ["Amir Begum", "Bea Gone", "Cal Reviewer", "Zoe Adams"]
        assert [p.name for p in accounts.people(roles=accounts.STAFF)] == ["Amir Begum", "Zoe Adams"]
        assert [p.name for p in accounts.people(roles=[Role.HEAD_OF_SERVICE])] == [amir.name]
    assert reviewer not in [zoe, amir]


def test_a_deactivated_person_cannot_be_added_to_a_team(app, client):
    council = make_council()
    lead = make_user(council, Role.SENIOR_LEADER)
    gone = make_user(council, Role.HEAD_OF_SERVICE, name="Bea Gone")
    review = make_review(council, lead)
    with acting_for(council.id):
        accounts.set_role(gone, Role.HEAD_OF_SERVICE, gone.service_area, active=False)
    sign_in_as(client, lead)
    with app.test_request_context():
        team_url = url_for("reviews.team", review_id=review.id)
        add_url = url_for("reviews.add_member", review_id=review.id)
    assert "Bea Gone" not in client.get(team_url).get_data(as_text=True)
    # A page loaded before the deactivation still offers the person: the post is refused.
    response = client.post(add_url, data={"user_id": str(gone.id), "role": "reviewer"})
    assert response.status_code == 400
    with acting_for(council.id):
        assert db.session.query(ReviewMember).filter_by(user_id=gone.id).count() == 0
