"""A peer reviewer from another council grades a mock inspection: every page that scores it
still works for everyone, and shows the reviewer by name (issue 11, point 1)."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils.db import db
from councils.models import Role
from evidence.reviews.models import MemberRole, Review
from tests.integration.test_mock_inspections import _date, _grade
from tests.support.factories import make_council, make_user
from tests.support.pages import page_text
from tests.support.review_factories import add_to_team

TODAY = dt.date.today()


@pytest.fixture()
def graded(client_request):
    """A mock inspection of Northshire with a grade proposed by Eastbrook's peer reviewer."""
    north, east = make_council(name="Northshire"), make_council(name="Eastbrook")
    north.framework_id = "sif-2013"
    lead = make_user(north, Role.SENIOR_LEADER, name="Lena Lead")
    peer = make_user(east, Role.PEER_REVIEWER, name="Tom Okafor")
    db.session.commit()
    client_request.sign_in(lead)
    client_request.post(
        "mock_inspections.new",
        _data={
            "title": "Mock inspection, help and protection",
            "framework_id": "sif-2013",
            **_date("starts_on", TODAY),
            **_date("ends_on", TODAY + dt.timedelta(days=5)),
        },
    )
    review = db.session.scalars(select(Review)).one()
    add_to_team(review, peer, MemberRole.REVIEWER)
    db.session.commit()
    client_request.sign_in(peer)
    _grade(client_request, review, "help_protection", "requires_improvement", "Plans drift", action="propose")
    return {"review": review, "lead": lead, "peer": peer}


SCORING_PAGES = [
    ("mock_inspections.show", {}),
    ("mock_inspections.judgement", {"area_id": "help_protection"}),
    ("mock_inspections.outcome", {}),
    ("mock_inspections.gaps", {}),
]


@pytest.mark.parametrize("who", ["lead", "peer"])
@pytest.mark.parametrize("endpoint, args", SCORING_PAGES)
def test_every_page_that_scores_it_works_for_everyone(client_request, graded, who, endpoint, args):
    client_request.sign_in(graded[who])
    client_request.get(endpoint, inspection_id=graded["review"].id, **args)


def test_the_reviewer_is_named_beside_their_grade(client_request, graded):
    client_request.sign_in(graded["lead"])
    page = client_request.get(
        "mock_inspections.judgement", inspection_id=graded["review"].id, area_id="help_protection"
    )
    assert "Tom Okafor" in page_text(page) and "Plans drift" in page_text(page)


@pytest.mark.parametrize("who", ["lead", "peer"])
def test_the_outcome_documents_and_exports_download(client_request, graded, who):
    client_request.sign_in(graded[who])
    review = graded["review"]
    pdf = client_request.get_response("mock_inspections.outcome_download", inspection_id=review.id, file_format="pdf")
    assert pdf.get_data().startswith(b"%PDF")
    word = client_request.get_response("mock_inspections.outcome_download", inspection_id=review.id, file_format="docx")
    # The reviewed council's document, whoever downloads it.
    assert word.headers["Content-Disposition"].startswith('attachment; filename="Northshire - ')
    for file_format in ("csv", "xlsx"):
        client_request.get_response("mock_inspections.gaps_export", inspection_id=review.id, file_format=file_format)


def test_a_new_action_from_its_gaps_opens(client_request, graded):
    client_request.sign_in(graded["lead"])
    review = graded["review"]
    page = client_request.get("mock_inspections.gaps", inspection_id=review.id)
    link = page.select_one(".govuk-summary-card__action a")["href"]
    assert client_request.client.get(link).status_code == 200


def test_names_across_councils_are_only_those_the_review_names(client_request, graded):
    from councils.tenancy import acting_for
    from evidence.mock_inspections.models import ProposedGrade
    from evidence.reviews import setup

    review = graded["review"]
    make_user(make_council(name="Westmoor"), Role.SENIOR_LEADER, name="Wendy Westmoor")
    db.session.commit()
    with acting_for(review.council_id):
        setup.remove_member(review, setup.membership(review, graded["peer"].id))
        assert setup.names_on_review(review) == {graded["lead"].id: "Lena Lead"}
        # Removed from the team, the reviewer is still named beside the grade they proposed.
        assert setup.names_on_review(review, ProposedGrade.reviewer_id) == {
            graded["lead"].id: "Lena Lead",
            graded["peer"].id: "Tom Okafor",
        }


def test_in_the_demo_eastbrooks_reviewer_grades_the_mock_inspection_under_way(client_request, tmp_path):
    from councils.models import User
    from councils.tenancy import acting_for
    from evidence.reviews.models import ReviewKind, ReviewStatus
    from inspect_ready import demo

    demo.load(tmp_path / "logins.json")
    with acting_for(None):
        people = {u.email: u for u in db.session.scalars(select(User))}
        ongoing = db.session.scalars(
            select(Review).where(Review.kind == ReviewKind.MOCK_INSPECTION, Review.status == ReviewStatus.FIELDWORK)
        ).one()
    tom, director = people["reviewer@eastbrook.example"], people["director@northshire.example"]
    client_request.sign_in(tom)
    _grade(client_request, ongoing, "help_protection", "good", "Timely strategy discussions", action="propose")
    for person in (director, tom):
        client_request.sign_in(person)
        for endpoint, args in SCORING_PAGES:
            client_request.get(endpoint, inspection_id=ongoing.id, **args)
        client_request.get_response("mock_inspections.outcome_download", inspection_id=ongoing.id, file_format="pdf")
    page = client_request.get("mock_inspections.judgement", inspection_id=ongoing.id, area_id="help_protection")
    assert "Tom Okafor" in page_text(page)
