"""Printing the gap list and the action plan for a leadership meeting: the content only, no
filters, buttons, downloads or link addresses, and no gap split over two pages."""

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leader(live_app):
    with live_app.app_context():
        council = accounts.create_council("Printford Council")
        accounts.add_user(
            council, name="Pat Printer", email="pat@printford.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        db.session.commit()
    return "pat@printford.example"


def _printed(page, selector: str) -> list[bool]:
    return page.locator(selector).evaluate_all("nodes => nodes.map(n => getComputedStyle(n).display !== 'none')")


@pytest.mark.parametrize("path", ["/gaps/", "/actions/"])
def test_a_printed_list_holds_its_content_and_not_the_controls(page, live_server, leader, path):
    sign_in(page, live_server, leader)
    page.goto(live_server + path)
    assert any(_printed(page, "form[method=get]"))  # on screen the filters are there
    page.emulate_media(media="print")
    assert not any(_printed(page, "form[method=get]"))
    assert not any(_printed(page, ".govuk-service-navigation, .govuk-button, .app-no-print"))
    assert page.locator("h1").is_visible()
    # No link prints its address after it (GOV.UK Frontend's print style would).
    after = page.locator("main a[href]").evaluate_all(
        "links => links.map(a => getComputedStyle(a, '::after').content)"
    )
    assert after and set(after) <= {"none", "normal", '""'}


def test_a_printed_gap_never_splits_over_two_pages(page, live_server, leader):
    sign_in(page, live_server, leader)
    page.goto(live_server + "/gaps/")
    page.emulate_media(media="print")
    cards = page.locator(".govuk-summary-card")
    assert cards.count() > 0  # a new council has gaps: no evidence for any judgement
    assert set(cards.evaluate_all("cards => cards.map(c => getComputedStyle(c).breakInside)")) == {"avoid"}
