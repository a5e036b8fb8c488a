"""The review levels as people meet them: for each, someone without it is refused a page and a
post, nothing changes, and someone with it gets through."""

import pytest
from flask import url_for
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.mock_inspections.models import ProposedGrade, TrackedCase
from evidence.reviews.models import Finding, MemberRole, ReviewKind, ReviewMember
from tests.support.factories import make_council, make_user, sign_in_as
from tests.support.review_factories import add_to_team, make_review

CASE = {
    "reference": "CP-100401",
    "age_band": "5 to 9",
    "case_type": "child_protection",
    "gender": "Girl",
    "team": "East",
    "ethnicity": "Indian",
    "area_ids": ["help_protection"],
}
NOT_PERMITTED = "You do not have permission to see this page"  # the plain 403 page
ONLY_THE_LEAD = "Only the review&#39;s lead can do this"  # open_review's refusal to manage


@pytest.fixture()
def people(database):
    northshire, eastbrook = make_council("Northshire"), make_council("Eastbrook")
    lead = make_user(northshire, Role.SENIOR_LEADER)
    review = make_review(northshire, lead)
    mock = make_review(northshire, lead, title="Mock inspection, spring")
    with acting_for(northshire.id):
        mock.kind = ReviewKind.MOCK_INSPECTION
        db.session.flush()
    reviewer = make_user(eastbrook, Role.PEER_REVIEWER, name="Rae Reviewer")
    observer = make_user(eastbrook, Role.PEER_REVIEWER, name="Obi Observer")
    for each in (review, mock):
        add_to_team(each, reviewer, MemberRole.REVIEWER, kloes=[each.kloes[0]])
        add_to_team(each, observer, MemberRole.OBSERVER)
    db.session.commit()
    return dict(
        northshire=northshire,
        eastbrook=eastbrook,
        lead=lead,
        # A senior leader of the reviewed council manages its reviews, on the team or not.
        senior=make_user(northshire, Role.SENIOR_LEADER),
        head=make_user(northshire, Role.HEAD_OF_SERVICE),  # of the council, on no team
        stranger=make_user(eastbrook, Role.PEER_REVIEWER),  # of another council, on no team
        reviewer=reviewer,
        observer=observer,
        review=review,
        mock=mock,
    )


def _url(app, endpoint, **values):
    with app.test_request_context():
        return url_for(endpoint, **values)


def _count(model, *where):
    with acting_for(None):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _refusals(council):
    return _count(AuditEvent, AuditEvent.council_id == council.id, AuditEvent.action == "review.access_refused")


def test_managing_needs_the_lead_or_a_senior_leader_of_the_council(app, client, people):
    review, head = people["review"], people["head"]
    team = _url(app, "reviews.team", review_id=review.id)
    add = _url(app, "reviews.add_member", review_id=review.id)
    sign_in_as(client, people["reviewer"])
    page = client.get(team)
    assert page.status_code == 403 and ONLY_THE_LEAD in page.get_data(as_text=True)
    assert client.post(add, data={"user_id": str(head.id), "role": "reviewer"}).status_code == 403
    assert _count(ReviewMember, ReviewMember.user_id == head.id) == 0
    assert _refusals(people["eastbrook"]) == 2
    sign_in_as(client, people["senior"])
    assert client.get(team).status_code == 200
    assert client.post(add, data={"user_id": str(head.id), "role": "reviewer"}).status_code == 302
    assert _count(ReviewMember, ReviewMember.user_id == head.id) == 1


def test_the_outcome_is_read_by_the_team_and_changed_by_those_managing(app, client, people):
    outcome = _url(app, "mock_inspections.outcome", inspection_id=people["mock"].id)
    restore = {"step": "restore", "rule_id": ""}
    sign_in_as(client, people["reviewer"])
    assert client.get(outcome).status_code == 200
    refused = client.post(outcome, data=restore)
    assert refused.status_code == 403 and NOT_PERMITTED in refused.get_data(as_text=True)
    sign_in_as(client, people["lead"])
    assert client.post(outcome, data=restore).status_code == 302


def test_contributing_needs_a_reviewer_on_the_team_or_someone_managing(app, client, people):
    mock = people["mock"]
    sample = _url(app, "mock_inspections.sample", inspection_id=mock.id)
    judgement = _url(app, "mock_inspections.judgement", inspection_id=mock.id, area_id="help_protection")
    proposal = {
        "action": "propose",
        "propose-grade": "good",
        "propose-rationale": "Audits and tracked cases",
        "propose-version": "0",
    }
    sign_in_as(client, people["observer"])
    assert client.get(sample).status_code == 200 and client.get(judgement).status_code == 200
    refused = client.post(sample, data=CASE)
    assert refused.status_code == 403 and NOT_PERMITTED in refused.get_data(as_text=True)
    assert client.post(judgement, data=proposal).status_code == 403
    assert _count(TrackedCase) == 0 and _count(ProposedGrade) == 0
    sign_in_as(client, people["reviewer"])
    assert client.post(sample, data=CASE).status_code == 302
    assert client.post(judgement, data=proposal).status_code == 302
    sign_in_as(client, people["senior"])  # manages, though not on the team
    assert client.post(sample, data={**CASE, "reference": "CP-100402"}).status_code == 302
    assert _count(TrackedCase) == 2 and _count(ProposedGrade) == 1


def test_reading_needs_a_place_on_the_team_or_managing(app, client, people):
    review, kloe = people["review"], people["review"].kloes[0]
    show = _url(app, "reviews.show", review_id=review.id)
    save = _url(app, "findings.save", review_id=review.id, kloe_id=kloe.id)
    finding = {"strengths": "Clear thresholds", "version": "0", "confidence": "high", "action": "draft"}
    for outsider, council in ((people["stranger"], people["eastbrook"]), (people["head"], people["northshire"])):
        sign_in_as(client, outsider)
        assert client.get(show).status_code == 404
        assert client.post(save, data=finding).status_code == 404
        assert _refusals(council) == 2
    assert _count(Finding) == 0
    for insider in ("observer", "reviewer", "senior"):
        sign_in_as(client, people[insider])
        assert client.get(show).status_code == 200, insider
    assert client.get(_url(app, "mock_inspections.show", inspection_id=people["mock"].id)).status_code == 200
    assert client.post(save, data=finding).status_code == 302  # those managing write any finding
    assert _count(Finding) == 1


def test_an_inspection_id_opens_only_a_mock_inspection(app, client, people):
    sign_in_as(client, people["lead"])
    assert client.get(_url(app, "mock_inspections.show", inspection_id=people["review"].id)).status_code == 404
    assert client.get(_url(app, "reviews.show", review_id=people["mock"].id)).status_code == 200
