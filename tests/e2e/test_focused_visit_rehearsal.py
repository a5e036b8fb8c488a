"""A senior leader runs a focused visit rehearsal: sets it up with the inspectors' focus,
adds a line of enquiry, records what was found (no grade is asked for), and downloads its
report as Word and PDF."""

import datetime as dt
import io
import re

import docx
import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def council(live_app):
    with live_app.app_context():
        focusby = accounts.create_council("Focusby Council")
        accounts.add_user(
            focusby, name="Fay Lead", email="fay@focusby.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        db.session.commit()


def test_a_focused_visit_rehearsal_from_set_up_to_report(page, live_server, council):
    sign_in(page, live_server, "fay@focusby.example")
    page.get_by_role("link", name="Reviews").first.click()
    page.get_by_role("button", name="Set up a review").click()
    page.get_by_label("Title").fill("Front door focused visit rehearsal")
    page.get_by_label("Focused visit rehearsal").check()
    page.get_by_label("Focus of the visit").select_option(
        label="Focused visit rehearsal: The front door (contact, referral and assessment)"
    )
    fill_date(page, "Start date", dt.date(2026, 3, 2))
    fill_date(page, "End date", dt.date(2026, 3, 3))
    check_accessibility(page)
    page.get_by_role("button", name="Save review").click()
    page.get_by_role("heading", name="Front door focused visit rehearsal").wait_for()
    page.get_by_text("The front door (contact, referral and assessment)").wait_for()
    check_accessibility(page)
    review_url = page.url

    # Only the focus's area of practice is offered.
    page.get_by_role("link", name="Add lines of enquiry from the framework").click()
    options = page.locator("input[name=bank_ids]")
    labels = [
        page.locator(f"label[for='{options.nth(i).get_attribute('id')}']").inner_text() for i in range(options.count())
    ]
    assert labels and all(
        label.startswith("The experiences and progress of children who need help") for label in labels
    )
    options.first.check()
    page.get_by_role("button", name="Add chosen lines of enquiry").click()
    page.get_by_text("1 key lines of enquiry added").wait_for()

    # The finding: what works well and what to improve; no grade.
    page.get_by_role("link", name=re.compile("^1\\. ")).click()
    assert page.get_by_label("The grade this finding points to").count() == 0
    page.get_by_label("What is working well").fill("Contacts are screened on the day they arrive.")
    page.get_by_label("Areas for improvement").fill("Consent is not always recorded.")
    check_accessibility(page)
    page.get_by_role("button", name="Save and mark complete").click()
    page.get_by_text("Finding marked complete").wait_for()

    page.goto(review_url)
    page.get_by_role("link", name="Report").click()
    page.get_by_role("heading", name="Areas for improvement").first.wait_for()
    assert "Points to" not in page.content()
    check_accessibility(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("Focusby Council - ")
    with open(download.path(), "rb") as report:
        written = "\n".join(p.text for p in docx.Document(io.BytesIO(report.read())).paragraphs)
    assert "Focused visit rehearsal report" in written and "Contacts are screened on the day they arrive." in written
    assert "Points to" not in written
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    with open(download_info.value.path(), "rb") as report:
        assert report.read(5) == b"%PDF-"
