"""Deleting a line of enquiry, with its finding, after a confirmation, while the review is open."""

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import Finding, FindingEvidence, KloeAssignment, ReviewKloe, ReviewStatus
from tests.support.client_request import url
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import banners, heading, text
from tests.support.review_factories import add_to_team, make_finding, make_review


@pytest.fixture()
def review(database):
    council = make_council("Northshire")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    reviewer = make_user(council, Role.HEAD_OF_SERVICE, name="Priya Shah")
    review = make_review(council, leader)
    db.session.commit()
    return dict(council=council, leader=leader, reviewer=reviewer, review=review)


def _rows(model, council_id):
    with acting_for(council_id):
        return db.session.scalars(select(model)).all()


def _deleted_events():
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.kloe_deleted")).all()


def test_the_lead_deletes_a_kloe_and_its_finding_after_confirming(client_request, review):
    council_id = review["council"].id
    kloe = review["review"].kloes[1]
    add_to_team(review["review"], review["reviewer"], kloes=[kloe])
    evidence = make_evidence(review["council"])
    make_finding(kloe, evidence_ids=[evidence.id])
    db.session.commit()
    kloe_id, question = kloe.id, kloe.question
    client_request.sign_in(review["leader"])
    shown = client_request.get("reviews.show", review_id=review["review"].id)
    delete_link = url("reviews.delete_kloe", review_id=review["review"].id, kloe_id=kloe_id)
    assert shown.select_one(f"a[href='{delete_link}']") is not None
    page = client_request.get("reviews.delete_kloe", review_id=review["review"].id, kloe_id=kloe_id)
    assert heading(page) == "Delete this line of enquiry?"
    assert question in text(page.select_one("main"))
    assert "Its finding (complete, last saved by Test Person, Test Council) will be deleted with it." in text(
        page.select_one("main")
    )
    assert len(_rows(ReviewKloe, council_id)) == 4  # looking deletes nothing
    client_request.post(
        "reviews.delete_kloe",
        review_id=review["review"].id,
        kloe_id=kloe_id,
        _expected_redirect=url("reviews.show", review_id=review["review"].id),
    )
    assert kloe_id not in [k.id for k in _rows(ReviewKloe, council_id)] and len(_rows(ReviewKloe, council_id)) == 3
    assert _rows(Finding, council_id) == [] and _rows(FindingEvidence, council_id) == []
    assert all(a.kloe_id != kloe_id for a in _rows(KloeAssignment, council_id))
    (event,) = _deleted_events()
    assert event.record_id == str(kloe_id)
    assert event.before["question"] == question and event.before["finding"]["evidence_item_ids"] == [evidence.id]
    page = client_request.get("reviews.show", review_id=review["review"].id)
    assert banners(page) == ["Line of enquiry deleted, with its finding."]


def test_a_reported_review_keeps_its_kloes(client_request, review):
    kloe = review["review"].kloes[0]
    make_finding(kloe)
    with acting_for(review["council"].id):
        review["review"].status = ReviewStatus.REPORTED
        db.session.commit()
    client_request.sign_in(review["leader"])
    page = client_request.get("reviews.delete_kloe", review_id=review["review"].id, kloe_id=kloe.id)
    assert page.select_one("main form") is None
    assert "The review has reported" in text(page.select_one("main"))
    shown = client_request.get("reviews.show", review_id=review["review"].id)
    assert (
        shown.select_one(f"a[href='{url('reviews.delete_kloe', review_id=review['review'].id, kloe_id=kloe.id)}']")
        is None
    )
    page = client_request.post(
        "reviews.delete_kloe", review_id=review["review"].id, kloe_id=kloe.id, _follow_redirects=True
    )
    assert banners(page) == ["The review has reported, so its lines of enquiry are the record and cannot be deleted"]
    assert len(_rows(ReviewKloe, review["council"].id)) == 4 and len(_rows(Finding, review["council"].id)) == 1
    assert _deleted_events() == []


def test_another_reviews_kloe_is_not_found(client_request, review):
    other = make_review(review["council"], review["leader"], title="Another review")
    db.session.commit()
    client_request.sign_in(review["leader"])
    other_kloe = other.kloes[0].id
    client_request.post("reviews.delete_kloe", review_id=review["review"].id, kloe_id=other_kloe, _expected_status=404)
    assert other_kloe in [k.id for k in _rows(ReviewKloe, review["council"].id)]


def test_a_team_member_who_does_not_manage_cannot_delete(client_request, review):
    kloe = review["review"].kloes[0]
    add_to_team(review["review"], review["reviewer"], kloes=[kloe])
    db.session.commit()
    client_request.sign_in(review["reviewer"])
    client_request.post("reviews.delete_kloe", review_id=review["review"].id, kloe_id=kloe.id, _expected_status=403)
    assert len(_rows(ReviewKloe, review["council"].id)) == 4
