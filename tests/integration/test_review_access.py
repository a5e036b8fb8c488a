"""A peer reviewer from another council reaches one review and nothing else of that council.

Every refusal changes nothing and leaves an entry in the audit log.
"""

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.library.models import EvidenceStatus
from evidence.reviews.models import Finding, ReviewStatus
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import heading, page_text, source, text
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


def test_the_peer_reviewer_sees_the_review_and_its_kloes(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    review = peer_review["review"]
    page = client_request.get("reviews.show", review_id=review.id)
    assert heading(page) == "Safeguarding peer review"
    assert [text(h3) for h3 in page.select(".app-kloe h3")] == [
        f"{number}. {kloe.question}" for number, kloe in enumerate(review.kloes, start=1)
    ]
    assert "Team and invitations" not in page_text(page)  # managing is for the lead
    client_request.get("findings.show", review_id=review.id, kloe_id=review.kloes[2].id)


def test_guessing_another_reviews_url_is_refused_and_logged(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    other = peer_review["other_review"]
    for endpoint, values in (
        ("reviews.show", {"review_id": other.id}),
        ("findings.show", {"review_id": other.id, "kloe_id": other.kloes[0].id}),
        ("reviews.report", {"review_id": other.id}),
        ("reviews.show", {"review_id": 999999}),
    ):
        page = client_request.get(endpoint, **values, _expected_status=404)
        assert "Secret mock inspection" not in source(page)
    refused = _events(peer_review["eastbrook"].id, "review.access_refused")
    assert len(refused) == 4 and refused[0].actor_name == "tom@eastbrook.example"


def test_the_peer_reviewer_cannot_manage_the_review(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    review = peer_review["review"]
    for endpoint in ("reviews.edit", "reviews.team", "reviews.progress"):
        client_request.get_response(endpoint, review_id=review.id, _expected_status=403)
    for file_format in ("docx", "pdf"):
        client_request.get_response(
            "reviews.report_download", review_id=review.id, file_format=file_format, _expected_status=403
        )
    client_request.post(
        "reviews.invite",
        review_id=review.id,
        _data={"email": "friend@x.example", "invite_role": "reviewer"},
        _expected_status=403,
    )
    assert len(_events(peer_review["northshire"].id, "review.invited")) == 0
    assert len(_events(peer_review["eastbrook"].id, "review.access_refused")) == 6


def test_the_rest_of_the_reviewed_council_stays_out_of_reach(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    client_request.get("library.detail", item_id=peer_review["in_scope"].id, _expected_status=(403, 404))
    client_request.get("library.index", _expected_status=403)
    assert "Gareth Leader" not in source(client_request.get("admin.users", _expected_status=403))


def test_evidence_in_scope_is_readable_and_nothing_else(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    review, kloe = peer_review["review"], peer_review["review"].kloes[2]
    page = client_request.get(
        "findings.evidence", review_id=review.id, kloe_id=kloe.id, evidence_item_id=peer_review["in_scope"].id
    )
    assert heading(page) == "Front door audit, March"
    for item in (peer_review["archived"], peer_review["eastbrook_own"]):
        client_request.get(
            "findings.evidence", review_id=review.id, kloe_id=kloe.id, evidence_item_id=item.id, _expected_status=404
        )
    assert len(_events(peer_review["northshire"].id, "review.evidence_refused")) == 2


def test_a_finding_for_a_kloe_not_assigned_is_refused(client_request, peer_review):
    client_request.sign_in(peer_review["tom"])
    review = peer_review["review"]
    kloe = review.kloes[0]
    page = client_request.post(
        "findings.save",
        review_id=review.id,
        kloe_id=kloe.id,
        _data={"strengths": "Sneaky", "version": "0", "confidence": "high", "action": "complete"},
        _expected_status=403,
    )
    assert heading(page) == "You are not assigned to this key line of enquiry"
    with acting_for(None):
        assert db.session.scalars(select(Finding)).all() == []
    assert _events(peer_review["northshire"].id, "finding.refused")[0].record_id == str(kloe.id)


def test_the_peer_reviewer_sees_only_their_own_findings(client_request, peer_review):
    review = peer_review["review"]
    make_finding(review.kloes[0], strengths="A colleague private note")
    make_finding(review.kloes[2], strengths="The reviewer own view")
    db.session.commit()
    client_request.sign_in(peer_review["tom"])
    colleagues = client_request.get("findings.show", review_id=review.id, kloe_id=review.kloes[0].id)
    assert "A colleague private note" not in source(colleagues)
    own = client_request.get("findings.show", review_id=review.id, kloe_id=review.kloes[2].id)
    assert text(own.select_one("textarea#strengths")) == "The reviewer own view"


def test_access_ends_when_the_review_closes(client_request, peer_review):
    review = peer_review["review"]
    client_request.sign_in(peer_review["tom"])
    client_request.get("reviews.show", review_id=review.id)
    with acting_for(review.council_id):
        review.status = ReviewStatus.CLOSED
        db.session.commit()
    page = client_request.get("reviews.show", review_id=review.id, _expected_status=403)
    assert heading(page) == "This review has closed"
    assert "Safeguarding peer review" not in source(client_request.get("reviews.index"))
    assert _events(peer_review["eastbrook"].id, "review.access_refused")[0].detail.startswith("the review is closed")
    client_request.sign_in(peer_review["leader"])
    client_request.get("reviews.report", review_id=review.id)  # the council keeps its report


def test_a_head_of_service_not_on_the_team_cannot_see_the_review(client_request, peer_review):
    head = make_user(peer_review["northshire"], Role.HEAD_OF_SERVICE)
    db.session.commit()
    client_request.sign_in(head)
    client_request.get("reviews.show", review_id=peer_review["review"].id, _expected_status=404)


def test_the_findings_of_an_external_reviewer_belong_to_the_reviewed_council(client_request, peer_review):
    review = peer_review["review"]
    kloe = review.kloes[2]
    client_request.sign_in(peer_review["tom"])
    client_request.post(
        "findings.save",
        review_id=review.id,
        kloe_id=kloe.id,
        _data={"strengths": "Clear thresholds", "version": "0", "confidence": "high", "action": "draft"},
    )
    with acting_for(None):
        finding = db.session.scalars(select(Finding)).one()
        saved = _events(peer_review["northshire"].id, "finding.saved")
    assert finding.council_id == peer_review["northshire"].id
    assert saved[0].actor_name == "tom@eastbrook.example"


def test_the_reviewer_opens_documents_of_evidence_in_scope_and_no_others(
    app, client_request, peer_review, tmp_path, monkeypatch
):
    from evidence.library.attachments import add_attachment

    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    folder = tmp_path
    with acting_for(peer_review["northshire"].id):
        document = add_attachment(peer_review["in_scope"], "audit.txt", b"Front door audit notes", folder, "leader@n")
        hidden = add_attachment(peer_review["archived"], "old.txt", b"Archived notes", folder, "leader@n")
    with acting_for(peer_review["eastbrook"].id):
        own = add_attachment(peer_review["eastbrook_own"], "own.txt", b"Eastbrook notes", folder, "tom@e")
    db.session.commit()
    client_request.sign_in(peer_review["tom"])
    review, kloe = peer_review["review"], peer_review["review"].kloes[2]
    address = {"review_id": review.id, "kloe_id": kloe.id}
    page = client_request.get("findings.evidence", evidence_item_id=peer_review["in_scope"].id, **address)
    assert page.title.get_text().startswith("Front door audit, March – Safeguarding peer review")
    assert len(page.find_all("h2", string="Documents")) == 1  # once, in the page's content
    link = page.find("a", string="audit.txt")
    assert link["href"].endswith(f"/attachments/{document.id}")
    response = client_request.get_response(
        "findings.attachment", evidence_item_id=peer_review["in_scope"].id, attachment_id=document.id, **address
    )
    assert response.get_data() == b"Front door audit notes"
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()
    refused = [
        (peer_review["in_scope"].id, hidden.id),  # another item's document, through an item in scope
        (peer_review["archived"].id, hidden.id),  # evidence the review may not judge
        (peer_review["eastbrook_own"].id, own.id),  # the reviewer's own council's, not the review's
    ]
    for item_id, attachment_id in refused:
        client_request.get_response(
            "findings.attachment",
            evidence_item_id=item_id,
            attachment_id=attachment_id,
            _expected_status=404,
            **address,
        )
    client_request.get_response("library.download", attachment_id=document.id, _expected_status=(403, 404)).close()
