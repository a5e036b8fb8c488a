"""A peer reviewer from another council lands on a home page that lists their reviews and
what each asks of them, with links straight to the work; the navigation shows only what
they can use."""

import datetime as dt

from councils import versions
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.mock_inspections import inspections
from evidence.reviews.models import MemberRole, ReviewKind, ReviewStatus
from judgement_framework import load_framework
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import navigation, page_text, text
from tests.support.review_factories import add_to_team, make_finding, make_review


def _cards(page):
    return {
        text(card.select_one(".govuk-summary-card__title a")): card
        for card in page.select(".govuk-summary-card")
        if card.select_one(".govuk-summary-card__title a")
    }


def test_a_reviewer_sees_their_reviews_and_what_each_asks_of_them(client_request):
    reviewed = make_council("Reviewed Council")
    leader = make_user(reviewed, Role.SENIOR_LEADER)
    reviewer = make_user(make_council("Visiting Council"), Role.PEER_REVIEWER, name="Tom Okafor")
    peer_review = make_review(reviewed, leader, title="Early help peer review", kloes=3)
    first, second, third = peer_review.kloes
    add_to_team(peer_review, reviewer, kloes=[first, second])
    make_finding(first)  # complete
    mock = make_review(reviewed, leader, title="Spring mock inspection", kloes=0)
    mock.kind = ReviewKind.MOCK_INSPECTION
    add_to_team(mock, reviewer)
    framework = load_framework(mock.framework_id)
    areas = [a for a in framework.areas if a.kind != "overall"]
    with acting_for(reviewed.id):
        inspections.propose_grade(
            mock, framework, areas[0].id, reviewer, "good", "Practice is consistently good.", version=versions.NEW
        )
    closed = make_review(reviewed, leader, title="Last year's review", kloes=0, status=ReviewStatus.CLOSED)
    add_to_team(closed, reviewer)
    db.session.commit()

    client_request.sign_in(reviewer)
    page = client_request.get("home.index")
    cards = _cards(page)
    assert set(cards) == {"Early help peer review", "Spring mock inspection"}  # closed reviews are over

    review_card = cards["Early help peer review"]
    assert review_card.select_one(".govuk-summary-card__title a")["href"] == url("reviews.show", review_id=peer_review.id)
    assert "Reviewed Council" in text(review_card)
    kloe_links = review_card.select("ul.govuk-list a")
    assert [a["href"] for a in kloe_links] == [
        url("findings.show", review_id=peer_review.id, kloe_id=first.id),
        url("findings.show", review_id=peer_review.id, kloe_id=second.id),
    ]
    assert [text(li.select_one("span")) for li in review_card.select("ul.govuk-list li")] == ["(complete)", "(not started)"]
    assert text(review_card.select_one(".govuk-tag")) == "1 to do"

    mock_card = cards["Spring mock inspection"]
    assert mock_card.select_one(".govuk-summary-card__title a")["href"] == url("mock_inspections.show", inspection_id=mock.id)
    awaited = [a["href"] for a in mock_card.select("ul.govuk-list a")]
    assert awaited == [
        url("mock_inspections.judgement", inspection_id=mock.id, area_id=area.id) for area in areas[1:]
    ]

    menu = navigation(page)
    assert "Reviews" in menu and "Home" in menu
    for useless in ("Evidence", "Case audits", "Performance"):
        assert useless not in menu


def test_a_reviewer_on_no_review_is_told_how_one_appears(client_request):
    client_request.sign_in(make_user(make_council(), Role.PEER_REVIEWER))
    page = client_request.get("home.index")
    assert "You are not on any review team yet" in page_text(page)


def test_a_mock_inspections_review_page_leads_to_its_grading(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    mock = make_review(council, leader, title="Mock", kloes=0)
    mock.kind = ReviewKind.MOCK_INSPECTION
    db.session.commit()
    client_request.sign_in(leader)
    page = client_request.get("reviews.show", review_id=mock.id)
    link = page.find("a", string="Grade the judgements of this mock inspection")
    assert link["href"] == url("mock_inspections.show", inspection_id=mock.id)


def test_a_head_of_service_on_a_review_team_sees_it_at_home_too(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    head = make_user(council, Role.HEAD_OF_SERVICE)
    review = make_review(council, leader, title="Our own audit week", kloes=1)
    add_to_team(review, head, MemberRole.REVIEWER, kloes=list(review.kloes))
    review.ends_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    client_request.sign_in(head)
    card = _cards(client_request.get("home.index"))["Our own audit week"]
    assert "Past its end date" in text(card)


def test_home_shows_ten_reviews_those_still_open_first_and_counts_the_rest(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    reviewer = make_user(make_council("Visiting Council"), Role.PEER_REVIEWER)
    today = dt.date.today()
    for number in range(9):  # reported: nothing left to do, listed after the open ones
        reported = make_review(council, leader, title=f"Reported review {number}", kloes=0, status=ReviewStatus.REPORTED)
        reported.ends_on = today - dt.timedelta(days=30 + number)
        add_to_team(reported, reviewer)
    for number in range(3):
        open_review = make_review(council, leader, title=f"Open review {number}", kloes=0)
        open_review.ends_on = today + dt.timedelta(days=10 - number)  # the last made ends soonest
        add_to_team(open_review, reviewer)
    db.session.commit()
    client_request.sign_in(reviewer)
    page = client_request.get("home.index")
    titles = list(_cards(page))
    assert len(titles) == 10
    assert titles[:3] == ["Open review 2", "Open review 1", "Open review 0"]
    assert titles[3:] == [f"Reported review {n}" for n in range(8, 1, -1)]  # soonest ended first
    more = page.find("a", string="see all your reviews")
    assert more["href"] == url("reviews.index")
    assert "2 more reviews you are on, finished or ending later" in text(more.parent)
