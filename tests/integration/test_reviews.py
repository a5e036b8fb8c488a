"""Setting up a review, its team, invitations and key lines of enquiry; progress; the report."""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import (
    FindingStatus,
    Invitation,
    MemberRole,
    Review,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import banners, error_summary, heading, page_text, table_rows, text
from tests.support.review_factories import add_to_team, make_finding, make_review


@pytest.fixture()
def council(database):
    council = make_council("Northshire")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    db.session.commit()
    return {"council": council, "leader": leader}


def _events(action):
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_senior_leader_sets_up_a_review(client_request, council):
    client_request.sign_in(council["leader"])
    client_request.get("reviews.new")
    response = client_request.post_response(
        "reviews.new",
        _data={
            "title": "Safeguarding peer review",
            "kind": "peer_review",
            "scope_area_ids": ["help_protection", "leaders"],
            "starts_on": ["27", "1", "2026"],
            "ends_on": ["31", "1", "2026"],
            "lead_id": str(council["leader"].id),
        },
    )
    with acting_for(council["council"].id):
        review = db.session.scalars(select(Review)).one()
    assert response.location == url("reviews.show", review_id=review.id)
    assert review.scope_area_ids == ["help_protection", "leaders"]
    assert review.status is ReviewStatus.PLANNED
    assert [(m.name, m.role) for m in review.members] == [("Gareth Leader", MemberRole.LEAD)]
    assert _events("review.created")
    page = client_request.follow(response)
    assert heading(page) == "Safeguarding peer review"
    assert text(page.select_one(f'a[href="{url("reviews.team", review_id=review.id)}"]')) == "Team and invitations"


def test_bad_dates_change_nothing(client_request, council):
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "reviews.new",
        _data={
            "title": "Backwards",
            "kind": "peer_review",
            "starts_on": ["31", "1", "2026"],
            "ends_on": ["1", "1", "2026"],
            "lead_id": str(council["leader"].id),
        },
        _expected_status=200,
    )
    assert error_summary(page) == ["The end date must be the same as or after the start date"]
    with acting_for(council["council"].id):
        assert db.session.scalars(select(Review)).all() == []


def test_only_senior_leaders_set_up_reviews(client_request, council):
    head = make_user(council["council"], Role.HEAD_OF_SERVICE)
    client_request.sign_in(head)
    client_request.get("reviews.new", _expected_status=403)


def test_the_lead_adds_kloes_from_the_bank_and_writes_one(client_request, council):
    review = make_review(council["council"], council["leader"], kloes=0, status=ReviewStatus.PLANNED)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("reviews.add_bank_kloes", review_id=review.id)
    early_access = page.select_one('input[name="bank_ids"][value="hp.kloe.early_access"]')
    assert text(page.select_one(f'label[for="{early_access["id"]}"]')).endswith(
        ": Do children and families get help early, before their needs reach the threshold for social care?"
    )
    client_request.post(
        "reviews.add_bank_kloes",
        review_id=review.id,
        _data={"bank_ids": ["hp.kloe.early_access", "ld.kloe.learning_culture"]},
    )
    client_request.post(
        "reviews.new_kloe",
        review_id=review.id,
        _data={
            "question": "Are children seen alone?",
            "sub_questions": "Are visits on time?\n\nIs the child's view recorded?",
            "area_ids": ["help_protection"],
            "criterion_ids": ["hp.front_door"],
        },
    )
    with acting_for(council["council"].id):
        kloes = db.session.scalars(select(ReviewKloe).order_by(ReviewKloe.position)).all()
    assert [k.bank_id for k in kloes] == ["ld.kloe.learning_culture", "hp.kloe.early_access", None]
    assert kloes[2].sub_questions == ["Are visits on time?", "Is the child's view recorded?"]
    assert kloes[0].sub_questions  # the bank's sub-questions come with it


def test_a_criterion_of_another_area_is_refused(client_request, council):
    review = make_review(council["council"], council["leader"], kloes=0)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "reviews.new_kloe",
        review_id=review.id,
        _data={"question": "Q", "area_ids": ["leaders"], "criterion_ids": ["hp.front_door"]},
        _expected_status=200,
    )
    assert error_summary(page) == ["A criterion chosen is not one of the judgements chosen"]
    assert review.kloes == []


def test_the_lead_assigns_kloes_to_the_team(client_request, council):
    review = make_review(council["council"], council["leader"])
    reviewer = make_user(council["council"], Role.HEAD_OF_SERVICE, name="Maria Reviewer")
    member = add_to_team(review, reviewer)
    db.session.commit()
    kloe = review.kloes[0]
    client_request.sign_in(council["leader"])
    client_request.get("reviews.edit_kloe", review_id=review.id, kloe_id=kloe.id)
    client_request.post(
        "reviews.edit_kloe",
        review_id=review.id,
        kloe_id=kloe.id,
        _data={
            "question": kloe.question,
            "sub_questions": "\n".join(kloe.sub_questions),
            "area_ids": kloe.area_ids,
            "member_ids": [str(member.id)],
        },
    )
    assert kloe.member_ids == {member.id}


def test_the_lead_adds_and_removes_team_members(client_request, council):
    review = make_review(council["council"], council["leader"])
    colleague = make_user(council["council"], Role.HEAD_OF_SERVICE, name="Colleague")
    db.session.commit()
    client_request.sign_in(council["leader"])
    client_request.get("reviews.team", review_id=review.id)
    client_request.post(
        "reviews.add_member",
        review_id=review.id,
        _data={"user_id": str(colleague.id), "role": "observer"},
        _follow_redirects=True,
    )
    member = next(m for m in review.members if m.user_id == colleague.id)
    assert member.role is MemberRole.OBSERVER
    client_request.post(
        "reviews.remove_member",
        review_id=review.id,
        member_id=member.id,
        _data={"confirmed": "yes"},
        _follow_redirects=True,
    )
    with acting_for(council["council"].id):
        assert db.session.scalars(select(ReviewMember).where(ReviewMember.user_id == colleague.id)).all() == []
    lead_member = review.members[0]
    page = client_request.post(
        "reviews.remove_member",
        review_id=review.id,
        member_id=lead_member.id,
        _data={"confirmed": "yes"},
        _follow_redirects=True,
    )
    assert banners(page) == ["The lead cannot be removed: choose another lead first"]


def test_inviting_shows_the_link_and_never_logs_it(client_request, council, caplog):
    review = make_review(council["council"], council["leader"])
    db.session.commit()
    client_request.sign_in(council["leader"])
    with caplog.at_level(logging.INFO, logger="inspect_ready.views.reviews"):
        page = client_request.post(
            "reviews.invite",
            review_id=review.id,
            _data={"email": "Tom@Eastbrook.example", "invite_role": "reviewer"},
            _expected_status=200,
        )
    link = page.select_one("textarea#invitation-link[readonly]").text
    assert urlsplit(link).path == url("reviews.accept_invitation", token=link.rsplit("/", 1)[1])
    # The link admits whoever holds it: shown to the lead, never written to the log.
    token = link.rsplit("/", 1)[1]
    assert "Invitation" in caplog.text and token not in caplog.text and "eastbrook" not in caplog.text.lower()
    with acting_for(council["council"].id):
        invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.email == "tom@eastbrook.example"
    assert link.rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is kept
    assert timedelta(days=13) < invitation.expires_at - datetime.now() < timedelta(days=15)
    team = client_request.get("reviews.team", review_id=review.id)
    assert [row[:3] for row in table_rows(team, "Invitations")] == [["tom@eastbrook.example", "Reviewer", "Waiting"]]


def test_a_bad_invitation_email_is_refused(client_request, council):
    review = make_review(council["council"], council["leader"])
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=review.id,
        _data={"email": "not an email", "invite_role": "reviewer"},
        _expected_status=400,
    )
    assert error_summary(page) == ["Enter an email address in the correct format, like name@council.gov.uk"]


def test_the_lead_changes_status_and_lead(client_request, council):
    review = make_review(council["council"], council["leader"])
    other = make_user(council["council"], Role.SENIOR_LEADER, name="New Lead")
    db.session.commit()
    client_request.sign_in(council["leader"])
    client_request.get("reviews.edit", review_id=review.id)
    client_request.post(
        "reviews.edit",
        review_id=review.id,
        _data={
            "title": "Renamed",
            "kind": "mock_inspection",
            "starts_on": ["1", "2", "2026"],
            "ends_on": ["5", "2", "2026"],
            "lead_id": str(other.id),
            "status": "moderation",
        },
    )
    assert (review.title, review.status, review.lead_id) == ("Renamed", ReviewStatus.MODERATION, other.id)
    assert {m.name: m.role for m in review.members} == {
        "Gareth Leader": MemberRole.REVIEWER,
        "New Lead": MemberRole.LEAD,
    }


def test_the_reviews_page_lists_my_reviews_and_what_is_left(client_request, council):
    review = make_review(council["council"], council["leader"])
    peer_council = make_council("Eastbrook")
    tom = make_user(peer_council, Role.PEER_REVIEWER, name="Tom Okafor")
    add_to_team(review, tom, kloes=review.kloes[:2])
    make_finding(review.kloes[0])
    db.session.commit()
    client_request.sign_in(tom)
    page = client_request.get("reviews.index")
    [row] = table_rows(page, "Reviews you are on, with your key lines of enquiry")
    assert row[:2] == ["Safeguarding peer review", "Northshire"]
    assert row[4:] == ["2", "1"]  # two KLOEs, one finding complete: one left
    assert "Set up a review" not in page_text(page)


def test_the_lead_sees_progress_by_kloe_and_reviewer(client_request, council):
    review = make_review(council["council"], council["leader"])
    tom = make_user(make_council("Eastbrook"), Role.PEER_REVIEWER, name="Tom Okafor")
    add_to_team(review, tom, kloes=review.kloes[:2])
    make_finding(review.kloes[0], strengths="Front door decisions are timely.")
    make_finding(review.kloes[1], status=FindingStatus.DRAFT)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("reviews.progress", review_id=review.id)
    assert "Tom Okafor, Eastbrook" in [row[0] for row in table_rows(page, "By reviewer")]
    assert "Front door decisions are timely." in [text(dd) for dd in page.select(".app-kloe dd")]
    statuses = [text(tag) for tag in page.select(".app-kloe .govuk-tag")]
    assert "Not started" in statuses and "Draft" in statuses


def test_the_report_prints_and_downloads(client_request, council):
    review = make_review(council["council"], council["leader"], status=ReviewStatus.REPORTED)
    make_finding(review.kloes[0], strengths="Leaders know their service well.")
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("reviews.report", review_id=review.id)
    assert "Leaders know their service well." in page_text(page) and "has not been explored yet" in page_text(page)
    links = [a["href"] for a in page.select("main a[download]")]
    assert links == [url("reviews.report_download", review_id=review.id, file_format=f) for f in ("docx", "pdf")]


def test_the_pdf_fetches_nothing_from_the_network(app):
    from inspect_ready.documents.pdf import ReportFetchRefused, local_static_only

    with app.test_request_context():
        with pytest.raises(ReportFetchRefused):
            local_static_only("https://example.com/tracker.png")
        with pytest.raises(ReportFetchRefused):
            local_static_only("/assets/../../../etc/passwd")  # a path climbing out of the assets: URL handling itself
        assert local_static_only(url_for("static", filename="report.css"))["string"].startswith(b"/*")
