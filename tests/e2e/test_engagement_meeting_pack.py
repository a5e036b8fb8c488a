"""A senior leader prepares the annual engagement meeting's pack in a real browser: from home
to the pack, a wrong date refused on its field, the pack for the meeting's day on the page and
downloaded as Word; and the same without JavaScript."""

import datetime as dt
import io

import docx
import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.engagement_meeting.pack import a_year_before
from evidence.performance import indicators
from inspect_ready.pages import govuk_date
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in

pytestmark = pytest.mark.browser
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def senior_leader(live_app):
    with live_app.app_context():
        council = accounts.create_council("Meetingshire Council")
        user = accounts.add_user(
            council, name="Mo Leader", email="mo@meetingshire.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        with acting_for(council.id):
            indicators.ensure_default_indicators()
            first = indicators.all_indicators()[0]
            indicators.record_value(first, a_year_before(TODAY).replace(day=1), 70)
            indicators.record_value(first, TODAY.replace(day=1), 90)
        db.session.commit()
        return {"email": user.email, "indicator": first.name}


def test_a_senior_leader_opens_the_pack_and_downloads_it_as_word(page, live_server, senior_leader):
    sign_in(page, live_server, senior_leader["email"])
    page.get_by_role("link", name="Prepare the annual engagement meeting pack").click()
    page.get_by_role("heading", name="Annual engagement meeting pack").wait_for()
    assert page.get_by_role("heading", name="Indicators against England and last year").is_visible()
    check_accessibility(page)

    fill_date(page, "Meeting date", dt.date(2027, 3, 1))
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Show the pack").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_role("link", name="Meeting date must be a real date, like 31 3 2027").is_visible()
    assert not page.get_by_role("heading", name="Audit themes").is_visible()
    check_accessibility(page)

    meeting = TODAY + dt.timedelta(days=21)
    fill_date(page, "Meeting date", meeting)
    page.get_by_role("button", name="Show the pack").click()
    page.get_by_text(f"Pack for the meeting on {govuk_date(meeting)}").wait_for()
    assert page.get_by_role("row", name=senior_leader["indicator"]).first.is_visible()
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("Meetingshire Council - Annual engagement meeting - pack - ")
    with open(download.path(), "rb") as file:
        document = docx.Document(io.BytesIO(file.read()))
    assert "Meetingshire Council" in "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert f"Pack for the meeting on {govuk_date(meeting)}" in "\n".join(p.text for p in document.paragraphs)


def test_the_pack_works_without_javascript(browser, live_server, senior_leader):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, senior_leader["email"])
        page.goto(f"{live_server}/engagement-meeting/")
        meeting = TODAY - dt.timedelta(days=30)
        fill_date(page, "Meeting date", meeting)
        page.get_by_role("button", name="Show the pack").click()
        page.get_by_text(f"Pack for the meeting on {govuk_date(meeting)}").wait_for()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download as PDF").click()
        with open(download_info.value.path(), "rb") as file:
            assert file.read(4) == b"%PDF"
    finally:
        context.close()
