"""A JTAI rehearsal with a partner agency: the lead sets it up on domestic abuse and invites a
police auditor, who joins and records the police's view of a case the council audited; the
lead reads both agencies' views in the one multi-agency report."""

import datetime as dt

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in
from tests.support.factories import make_audit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def council(live_app):
    with live_app.app_context():
        jointon = accounts.create_council("Jointon Council")
        police = accounts.create_council("Jointon Police")
        accounts.add_user(
            jointon, name="Jo Lead", email="jo@jointon.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        accounts.add_user(
            police, name="DC Ravi Auditor", email="ravi@police.example", password=PASSWORD, role=Role.PEER_REVIEWER
        )
        db.session.commit()
        make_audit(jointon, case_reference="JT-3001")
        db.session.commit()


def test_a_jtai_rehearsal_with_a_police_auditor(page, browser, live_server, council):
    sign_in(page, live_server, "jo@jointon.example")
    page.get_by_role("link", name="Reviews").first.click()
    page.get_by_role("button", name="Set up a review").click()
    page.get_by_label("Title").fill("Domestic abuse JTAI rehearsal")
    page.get_by_label("Joint targeted area inspection (JTAI) rehearsal").check()
    page.get_by_label("Focus of the visit").select_option(
        label="Joint targeted area inspection (JTAI) rehearsal: Children living with domestic abuse"
    )
    fill_date(page, "Start date", dt.date(2026, 3, 9))
    fill_date(page, "End date", dt.date(2026, 3, 12))
    page.get_by_role("button", name="Save review").click()
    page.get_by_role("heading", name="Domestic abuse JTAI rehearsal").wait_for()
    review_url = page.url

    page.get_by_role("link", name="Team and invitations").click()
    page.get_by_label("Email address").fill("ravi@police.example")
    page.get_by_label("Partner agency").select_option(label="Police")
    check_accessibility(page)
    page.get_by_role("button", name="Invite").click()
    link = page.locator("#invitation-link").input_value()

    page.goto(review_url)
    page.get_by_role("link", name="Cases audited jointly by the agencies").click()
    page.get_by_label("Case audited by the council").select_option(index=1)  # the one case the council has audited
    page.get_by_role("button", name="Audit this case jointly").click()
    page.get_by_text("Case JT-3001 added").wait_for()
    check_accessibility(page)

    auditor = browser.new_context().new_page()
    sign_in(auditor, live_server, "ravi@police.example")
    auditor.goto(link)
    auditor.get_by_role("button", name="Join the review").click()
    auditor.get_by_text("You have joined the team").wait_for()
    auditor.get_by_role("link", name="Cases audited jointly by the agencies").click()
    auditor.get_by_text("You record the view of police").wait_for()
    auditor.get_by_role("link", name="JT-3001").click()
    auditor.get_by_label("What your agency's records and work with the child show").fill(
        "Three call-outs since January."
    )
    check_accessibility(auditor)
    auditor.get_by_role("button", name="Save your agency's view").click()
    auditor.get_by_text("The view of police saved").wait_for()
    auditor.context.close()

    page.goto(review_url)
    page.get_by_role("link", name="Report").click()
    page.get_by_text("Multi-agency report").wait_for()
    page.get_by_text("Three call-outs since January.").wait_for()
    assert "DC Ravi Auditor" in page.content()
    check_accessibility(page)
