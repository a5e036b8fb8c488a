"""Setting up a review, its team, invitations and key lines of enquiry; progress; the report."""

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
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
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as
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


def test_a_senior_leader_sets_up_a_review(client, council):
    sign_in_as(client, council["leader"])
    assert client.get("/reviews/new").status_code == 200
    response = client.post(
        "/reviews/new",
        data={
            "title": "Safeguarding peer review",
            "kind": "peer_review",
            "scope_area_ids": ["help_protection", "leaders"],
            "starts_on": ["27", "1", "2026"],
            "ends_on": ["31", "1", "2026"],
            "lead_id": str(council["leader"].id),
        },
    )
    assert response.status_code == 302
    with acting_for(council["council"].id):
        review = db.session.scalars(select(Review)).one()
    assert review.scope_area_ids == ["help_protection", "leaders"]
    assert review.status is ReviewStatus.PLANNED
    assert [(m.name, m.role) for m in review.members] == [("Gareth Leader", MemberRole.LEAD)]
    assert _events("review.created")
    page = client.get(response.location).get_data(as_text=True)
    assert "Safeguarding peer review" in page and "Team and invitations" in page


def test_bad_dates_change_nothing(client, council):
    sign_in_as(client, council["leader"])
    response = client.post(
        "/reviews/new",
        data={
            "title": "Backwards",
            "kind": "peer_review",
            "starts_on": ["31", "1", "2026"],
            "ends_on": ["1", "1", "2026"],
            "lead_id": str(council["leader"].id),
        },
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.get_data(as_text=True)
    with acting_for(council["council"].id):
        assert db.session.scalars(select(Review)).all() == []


def test_only_senior_leaders_set_up_reviews(client, council):
    head = make_user(council["council"], Role.HEAD_OF_SERVICE)
    sign_in_as(client, head)
    assert client.get("/reviews/new").status_code == 403


def test_the_lead_adds_kloes_from_the_bank_and_writes_one(client, council):
    review = make_review(council["council"], council["leader"], kloes=0, status=ReviewStatus.PLANNED)
    db.session.commit()
    sign_in_as(client, council["leader"])
    page = client.get(f"/reviews/{review.id}/kloes/bank").get_data(as_text=True)
    assert "Do children and families get help early" in page
    response = client.post(
        f"/reviews/{review.id}/kloes/bank", data={"bank_ids": ["hp.kloe.early_access", "ld.kloe.learning_culture"]}
    )
    assert response.status_code == 302
    response = client.post(
        f"/reviews/{review.id}/kloes/new",
        data={
            "question": "Are children seen alone?",
            "sub_questions": "Are visits on time?\n\nIs the child's view recorded?",
            "area_ids": ["help_protection"],
            "criterion_ids": ["hp.front_door"],
        },
    )
    assert response.status_code == 302
    with acting_for(council["council"].id):
        kloes = db.session.scalars(select(ReviewKloe).order_by(ReviewKloe.position)).all()
    assert [k.bank_id for k in kloes] == ["ld.kloe.learning_culture", "hp.kloe.early_access", None]
    assert kloes[2].sub_questions == ["Are visits on time?", "Is the child's view recorded?"]
    assert kloes[0].sub_questions  # the bank's sub-questions come with it


def test_a_criterion_of_another_area_is_refused(client, council):
    review = make_review(council["council"], council["leader"], kloes=0)
    db.session.commit()
    sign_in_as(client, council["leader"])
    response = client.post(
        f"/reviews/{review.id}/kloes/new",
        data={"question": "Q", "area_ids": ["leaders"], "criterion_ids": ["hp.front_door"]},
    )
    assert "is not a criterion of the areas chosen" in response.get_data(as_text=True)
    assert review.kloes == []


def test_the_lead_assigns_kloes_to_the_team(client, council):
    review = make_review(council["council"], council["leader"])
    reviewer = make_user(council["council"], Role.HEAD_OF_SERVICE, name="Maria Reviewer")
    member = add_to_team(review, reviewer)
    db.session.commit()
    kloe = review.kloes[0]
    sign_in_as(client, council["leader"])
    assert client.get(f"/reviews/{review.id}/kloes/{kloe.id}/edit").status_code == 200
    response = client.post(
        f"/reviews/{review.id}/kloes/{kloe.id}/edit",
        data={
            "question": kloe.question,
            "sub_questions": "\n".join(kloe.sub_questions),
            "area_ids": kloe.area_ids,
            "member_ids": [str(member.id)],
        },
    )
    assert response.status_code == 302
    assert kloe.member_ids == {member.id}


def test_the_lead_adds_and_removes_team_members(client, council):
    review = make_review(council["council"], council["leader"])
    colleague = make_user(council["council"], Role.HEAD_OF_SERVICE, name="Colleague")
    db.session.commit()
    sign_in_as(client, council["leader"])
    assert client.get(f"/reviews/{review.id}/team").status_code == 200
    client.post(
        f"/reviews/{review.id}/team/add", data={"user_id": str(colleague.id), "role": "observer"}, follow_redirects=True
    )
    member = next(m for m in review.members if m.user_id == colleague.id)
    assert member.role is MemberRole.OBSERVER
    client.post(f"/reviews/{review.id}/team/{member.id}/remove", follow_redirects=True)
    with acting_for(council["council"].id):
        assert db.session.scalars(select(ReviewMember).where(ReviewMember.user_id == colleague.id)).all() == []
    lead_member = review.members[0]
    response = client.post(f"/reviews/{review.id}/team/{lead_member.id}/remove", follow_redirects=True)
    assert "The lead cannot be removed" in response.get_data(as_text=True)


def test_inviting_shows_the_link_and_logs_it(client, council, caplog):
    review = make_review(council["council"], council["leader"])
    db.session.commit()
    sign_in_as(client, council["leader"])
    with caplog.at_level(logging.INFO, logger="inspect_ready.views.reviews"):
        page = client.post(
            f"/reviews/{review.id}/team/invite", data={"email": "Tom@Eastbrook.example", "invite_role": "reviewer"}
        )
    text = page.get_data(as_text=True)
    link = text.split('<code class="app-secret">')[1].split("</code>")[0]
    assert "/reviews/invitations/" in link
    assert link in caplog.text
    with acting_for(council["council"].id):
        invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.email == "tom@eastbrook.example"
    assert link.rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is kept
    assert timedelta(days=13) < invitation.expires_at - datetime.now() < timedelta(days=15)
    assert "tom@eastbrook.example" in client.get(f"/reviews/{review.id}/team").get_data(as_text=True)


def test_a_bad_invitation_email_is_refused(client, council):
    review = make_review(council["council"], council["leader"])
    db.session.commit()
    sign_in_as(client, council["leader"])
    response = client.post(
        f"/reviews/{review.id}/team/invite", data={"email": "not an email", "invite_role": "reviewer"}
    )
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_the_lead_changes_status_and_lead(client, council):
    review = make_review(council["council"], council["leader"])
    other = make_user(council["council"], Role.SENIOR_LEADER, name="New Lead")
    db.session.commit()
    sign_in_as(client, council["leader"])
    assert client.get(f"/reviews/{review.id}/edit").status_code == 200
    response = client.post(
        f"/reviews/{review.id}/edit",
        data={
            "title": "Renamed",
            "kind": "mock_inspection",
            "starts_on": ["1", "2", "2026"],
            "ends_on": ["5", "2", "2026"],
            "lead_id": str(other.id),
            "status": "moderation",
        },
    )
    assert response.status_code == 302
    assert (review.title, review.status, review.lead_id) == ("Renamed", ReviewStatus.MODERATION, other.id)
    assert {m.name: m.role for m in review.members} == {
        "Gareth Leader": MemberRole.REVIEWER,
        "New Lead": MemberRole.LEAD,
    }


def test_the_reviews_page_lists_my_reviews_and_what_is_left(client, council):
    review = make_review(council["council"], council["leader"])
    peer_council = make_council("Eastbrook")
    tom = make_user(peer_council, Role.PEER_REVIEWER, name="Tom Okafor")
    add_to_team(review, tom, kloes=review.kloes[:2])
    make_finding(review.kloes[0])
    db.session.commit()
    sign_in_as(client, tom)
    page = client.get("/reviews/").get_data(as_text=True)
    assert "Safeguarding peer review" in page and "Northshire" in page
    # Two KLOEs, one finding complete: one left.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page
    assert "Set up a review" not in page


def test_the_lead_sees_progress_by_kloe_and_reviewer(client, council):
    review = make_review(council["council"], council["leader"])
    tom = make_user(make_council("Eastbrook"), Role.PEER_REVIEWER, name="Tom Okafor")
    add_to_team(review, tom, kloes=review.kloes[:2])
    make_finding(review.kloes[0], strengths="Front door decisions are timely.")
    make_finding(review.kloes[1], status=FindingStatus.DRAFT)
    db.session.commit()
    sign_in_as(client, council["leader"])
    page = client.get(f"/reviews/{review.id}/progress").get_data(as_text=True)
    assert "Tom Okafor, Eastbrook" in page
    assert "Front door decisions are timely." in page
    assert "Not started" in page and "Draft" in page


def test_the_report_prints_and_downloads(client, council):
    review = make_review(council["council"], council["leader"], status=ReviewStatus.REPORTED)
    make_finding(review.kloes[0], strengths="Leaders know their service well.")
    db.session.commit()
    sign_in_as(client, council["leader"])
    page = client.get(f"/reviews/{review.id}/report").get_data(as_text=True)
    assert "Leaders know their service well." in page and "has not been explored yet" in page
    pdf = client.get(f"/reviews/{review.id}/report.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="safeguarding-peer-review-report.pdf"'
    doc = client.get(f"/reviews/{review.id}/report.doc")
    assert doc.mimetype == "application/msword"
    assert "Leaders know their service well." in doc.get_data(as_text=True)
    assert "attachment" in doc.headers["Content-Disposition"]


def test_the_pdf_fetches_nothing_from_the_network(app):
    from inspect_ready.review_report import ReportFetchRefused, local_static_only

    with app.test_request_context():
        with pytest.raises(ReportFetchRefused):
            local_static_only("https://example.com/tracker.png")
        with pytest.raises(ReportFetchRefused):
            local_static_only("/assets/../../../etc/passwd")
        assert local_static_only("/assets/report.css")["string"].startswith(b"/*")
