"""A lead sets up a peer review with two key lines of enquiry and invites a reviewer from
another council; the reviewer joins, records a finding citing evidence; the lead sees it."""

import datetime as dt
import re

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in
from tests.support.factories import make_evidence

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def councils(live_app):
    with live_app.app_context():
        riverton, hillford = accounts.create_council("Riverton Council"), accounts.create_council("Hillford Council")
        accounts.add_user(
            riverton, name="Lena Lead", email="lena@riverton.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        accounts.add_user(
            hillford, name="Pat Peer", email="pat@hillford.example", password=PASSWORD, role=Role.PEER_REVIEWER
        )
        make_evidence(riverton, title="Multi-agency threshold audit")
        db.session.commit()


def test_a_peer_review_from_invitation_to_finding(page, browser, live_server, councils):
    # The lead sets up the review and two lines of enquiry.
    sign_in(page, live_server, "lena@riverton.example")
    page.get_by_role("link", name="Reviews").first.click()
    page.get_by_role("button", name="Set up a review").click()
    check_accessibility(page)
    page.get_by_label("Title").fill("Safeguarding peer review 2026")
    page.get_by_label("Peer review").check()
    fill_date(page, "Start date", dt.date(2026, 1, 26))
    fill_date(page, "End date", dt.date(2026, 1, 30))
    page.get_by_role("button", name="Save review").click()
    page.get_by_role("heading", name="Safeguarding peer review 2026").wait_for()
    review_url = page.url
    page.get_by_role("link", name="Add lines of enquiry from the framework").click()
    page.get_by_label(re.compile("share a clear picture of what good child protection")).check()
    page.get_by_label(re.compile("get help early")).check()
    check_accessibility(page)
    page.get_by_role("button", name="Add chosen lines of enquiry").click()
    page.get_by_text("2 key lines of enquiry added").wait_for()

    # ...and invites a reviewer from another council.
    page.get_by_role("link", name="Team and invitations").click()
    page.get_by_label("Email address").fill("pat@hillford.example")
    page.get_by_role("button", name="Invite").click()
    link = page.locator("#invitation-link").input_value()
    # The long link wraps inside its box, and the box stays inside its column (no scrolling sideways).
    assert page.evaluate(
        """() => { const box = document.getElementById("invitation-link");
                   const column = box.closest(".govuk-inset-text").getBoundingClientRect();
                   return box.scrollWidth <= box.clientWidth && box.getBoundingClientRect().right <= column.right; }"""
    )
    # With JavaScript the copy button shows, and puts the whole link on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    check_accessibility(page)

    # The reviewer signs in with their own council's account and joins.
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, live_server, "pat@hillford.example")
    reviewer.goto(link)
    check_accessibility(reviewer)
    reviewer.get_by_role("button", name="Join the review").click()
    reviewer.get_by_text("You have joined the team").wait_for()

    # The lead assigns the first line of enquiry to them.
    page.goto(review_url)
    page.get_by_role("link", name="Change or assign line of enquiry 1").click()
    page.get_by_label(re.compile("Pat Peer, Hillford Council")).check()
    page.get_by_role("button", name="Save key line of enquiry").click()
    page.get_by_text("Key line of enquiry saved").wait_for()

    # The reviewer records a finding citing the council's evidence.
    reviewer.goto(review_url)
    check_accessibility(reviewer)
    reviewer.get_by_role("link", name=re.compile("^1. Do staff and leaders")).click()
    reviewer.get_by_label("Strengths").fill("Partners describe thresholds the same way.")
    reviewer.get_by_label("Areas for development").fill("Risk assessments in health are uneven.")
    reviewer.get_by_label("The grade this finding points to").select_option("good")
    reviewer.get_by_label(re.compile("Multi-agency threshold audit")).check()
    check_accessibility(reviewer)
    reviewer.get_by_role("button", name="Save and mark complete").click()
    reviewer.get_by_text("Finding marked complete").wait_for()
    reviewer.get_by_role("link", name="Multi-agency threshold audit").click()
    reviewer.get_by_role("heading", name="Multi-agency threshold audit").wait_for()
    check_accessibility(reviewer)
    reviewer.context.close()

    # The lead sees it come in.
    page.goto(review_url)
    page.get_by_role("link", name="Progress and findings").click()
    page.get_by_text("Partners describe thresholds the same way.").wait_for()
    assert "Pat Peer, Hillford Council" in page.content()
    check_accessibility(page)
