"""A peer reviewer from another council reaches one review and nothing else of that council.

Every refusal changes nothing and leaves an entry in the audit log.
"""

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.models import Role
from councils.tenancy import acting_for
from evidence.library.models import EvidenceStatus
from evidence.reviews.models import Finding, ReviewStatus
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_evidence, make_user, sign_in_as
from tests.support.review_factories import add_to_team, make_finding, make_review


@pytest.fixture()
def peer_review(database):
    northshire, eastbrook = make_council("Northshire"), make_council("Eastbrook")
    leader = make_user(northshire, Role.SENIOR_LEADER, name="Gareth Leader")
    tom = make_user(eastbrook, Role.PEER_REVIEWER, name="Tom Okafor", email="tom@eastbrook.example")
    review = make_review(northshire, leader)
    other_review = make_review(northshire, leader, title="Secret mock inspection")
    add_to_team(review, tom, kloes=[review.kloes[2]])  # hp.kloe.shared_understanding
    in_scope = make_evidence(northshire, title="Front door audit, March")
    archived = make_evidence(northshire, title="Old archived audit", status=EvidenceStatus.ARCHIVED)
    db.session.flush()  # the evidence factory leaves its audit events unflushed
    eastbrook_own = make_evidence(eastbrook, title="Eastbrook's own evidence")
    db.session.commit()
    return dict(
        northshire=northshire,
        eastbrook=eastbrook,
        leader=leader,
        tom=tom,
        review=review,
        other_review=other_review,
        in_scope=in_scope,
        archived=archived,
        eastbrook_own=eastbrook_own,
    )


def _events(council_id, action):
    with acting_for(None):
        query = select(AuditEvent).where(AuditEvent.council_id == council_id, AuditEvent.action == action)
        return db.session.scalars(query).all()


def test_the_peer_reviewer_sees_the_review_and_its_kloes(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    review = peer_review["review"]
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Safeguarding peer review" in page
    for kloe in review.kloes:
        assert kloe.question in page
    assert "Team and invitations" not in page  # managing is for the lead
    assert client.get(f"/reviews/{review.id}/kloes/{review.kloes[2].id}").status_code == 200


def test_guessing_another_reviews_url_is_refused_and_logged(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    other = peer_review["other_review"]
    for url in (
        f"/reviews/{other.id}",
        f"/reviews/{other.id}/kloes/{other.kloes[0].id}",
        f"/reviews/{other.id}/report",
        "/reviews/999999",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret mock inspection" not in response.get_data(as_text=True)
    refused = _events(peer_review["eastbrook"].id, "review.access_refused")
    assert len(refused) == 4 and refused[0].actor_name == "tom@eastbrook.example"


def test_the_peer_reviewer_cannot_manage_the_review(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    review = peer_review["review"]
    for url in (
        f"/reviews/{review.id}/edit",
        f"/reviews/{review.id}/team",
        f"/reviews/{review.id}/progress",
        f"/reviews/{review.id}/report.pdf",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/reviews/{review.id}/team/invite", data={"email": "friend@x.example", "invite_role": "reviewer"}
    )
    assert response.status_code == 403
    assert len(_events(peer_review["northshire"].id, "review.invited")) == 0
    assert len(_events(peer_review["eastbrook"].id, "review.access_refused")) == 5


def test_the_rest_of_the_reviewed_council_stays_out_of_reach(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    assert client.get(f"/evidence/{peer_review['in_scope'].id}").status_code in (403, 404)
    assert "Front door audit, March" not in client.get("/evidence/").get_data(as_text=True)
    assert "Gareth Leader" not in client.get("/admin/users").get_data(as_text=True)


def test_evidence_in_scope_is_readable_and_nothing_else(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    review, kloe = peer_review["review"], peer_review["review"].kloes[2]
    base = f"/reviews/{review.id}/kloes/{kloe.id}/evidence"
    page = client.get(f"{base}/{peer_review['in_scope'].id}")
    assert page.status_code == 200 and "Front door audit, March" in page.get_data(as_text=True)
    for item in (peer_review["archived"], peer_review["eastbrook_own"]):
        assert client.get(f"{base}/{item.id}").status_code == 404
    assert len(_events(peer_review["northshire"].id, "review.evidence_refused")) == 2


def test_a_finding_for_a_kloe_not_assigned_is_refused(client, peer_review):
    sign_in_as(client, peer_review["tom"])
    review = peer_review["review"]
    kloe = review.kloes[0]
    response = client.post(
        f"/reviews/{review.id}/kloes/{kloe.id}/finding",
        data={"strengths": "Sneaky", "version": "0", "confidence": "high", "action": "complete"},
    )
    assert response.status_code == 403
    assert "You are not assigned to this key line of enquiry" in response.get_data(as_text=True)
    with acting_for(None):
        assert db.session.scalars(select(Finding)).all() == []
    assert _events(peer_review["northshire"].id, "finding.refused")[0].record_id == str(kloe.id)


def test_the_peer_reviewer_sees_only_their_own_findings(client, peer_review):
    review = peer_review["review"]
    make_finding(review.kloes[0], strengths="A colleague private note")
    make_finding(review.kloes[2], strengths="The reviewer own view")
    db.session.commit()
    sign_in_as(client, peer_review["tom"])
    assert "A colleague private note" not in client.get(f"/reviews/{review.id}/kloes/{review.kloes[0].id}").get_data(
        as_text=True
    )
    assert "The reviewer own view" in client.get(f"/reviews/{review.id}/kloes/{review.kloes[2].id}").get_data(
        as_text=True
    )


def test_access_ends_when_the_review_closes(client, peer_review):
    review = peer_review["review"]
    sign_in_as(client, peer_review["tom"])
    assert client.get(f"/reviews/{review.id}").status_code == 200
    with acting_for(review.council_id):
        review.status = ReviewStatus.CLOSED
        db.session.commit()
    response = client.get(f"/reviews/{review.id}")
    assert response.status_code == 403
    assert "This review has closed" in response.get_data(as_text=True)
    assert "Safeguarding peer review" not in client.get("/reviews/").get_data(as_text=True)
    assert _events(peer_review["eastbrook"].id, "review.access_refused")[0].detail.startswith("the review is closed")
    sign_in_as(client, peer_review["leader"])
    assert client.get(f"/reviews/{review.id}/report").status_code == 200  # the council keeps its report


def test_a_head_of_service_not_on_the_team_cannot_see_the_review(client, peer_review):
    head = make_user(peer_review["northshire"], Role.HEAD_OF_SERVICE)
    db.session.commit()
    sign_in_as(client, head)
    assert client.get(f"/reviews/{peer_review['review'].id}").status_code == 404


def test_the_findings_of_an_external_reviewer_belong_to_the_reviewed_council(client, peer_review):
    review = peer_review["review"]
    kloe = review.kloes[2]
    sign_in_as(client, peer_review["tom"])
    client.post(
        f"/reviews/{review.id}/kloes/{kloe.id}/finding",
        data={"strengths": "Clear thresholds", "version": "0", "confidence": "high", "action": "draft"},
    )
    with acting_for(None):
        finding = db.session.scalars(select(Finding)).one()
        saved = _events(peer_review["northshire"].id, "finding.saved")
    assert finding.council_id == peer_review["northshire"].id
    assert saved[0].actor_name == "tom@eastbrook.example"
