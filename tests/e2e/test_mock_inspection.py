"""The whole mock inspection in a browser: a senior leader starts it, a reviewer proposes a
grade, the lead moderates with one key judgement inadequate and sees overall effectiveness
limited, turns two gaps into actions and downloads the outcome report."""

import datetime as dt
import re

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role, ServiceArea
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in

pytestmark = pytest.mark.browser
NEXT_MONTH = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        council = accounts.create_council("Mockton Council")
        council.framework_id = "sif-2013"
        accounts.add_user(
            council, name="Mo Lead", email="mo@mockton.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        accounts.add_user(
            council,
            name="Rae Reviewer",
            email="rae@mockton.example",
            password=PASSWORD,
            role=Role.HEAD_OF_SERVICE,
            service_area=ServiceArea.CHILD_PROTECTION,
        )
        db.session.commit()


def _grade(page, button: str, grade: str, rationale: str):
    form = page.locator("form", has=page.get_by_role("button", name=button))
    form.get_by_label(grade, exact=True).check()
    form.get_by_label("Rationale").fill(rationale)
    form.get_by_role("button", name=button).click()


def _make_action(page, what: str):
    page.get_by_role("link", name="Make an action").first.click()
    page.get_by_label("What will be done").fill(what)
    page.get_by_label("Owner").select_option(label="Mo Lead")
    fill_date(page, "Due date", NEXT_MONTH)
    page.get_by_label("How you will know it has worked").fill("Re-audit shows good practice in 8 of 10 cases")
    page.get_by_role("button", name="Save action").click()
    page.get_by_text("Action added to the plan.").wait_for()


def test_a_mock_inspection_from_start_to_report(page, browser, live_server, people):
    # The senior leader starts the mock inspection and puts a reviewer on the team.
    sign_in(page, live_server, "mo@mockton.example")
    page.get_by_role("link", name="Mock inspections").first.click()
    page.get_by_role("button", name="Start a mock inspection").click()
    check_accessibility(page)
    page.get_by_label("Title").fill("Mock inspection, winter")
    page.get_by_label("Framework").select_option("sif-2013")
    fill_date(page, "First day", dt.date.today())
    fill_date(page, "Last day", dt.date.today() + dt.timedelta(days=4))
    page.get_by_role("button", name="Start the mock inspection").click()
    page.get_by_role("heading", name="Mock inspection, winter").wait_for()
    inspection_url = page.url
    page.get_by_role("link", name="Team and key lines of enquiry").click()
    page.get_by_role("link", name=re.compile("Team and invitations")).click()
    page.get_by_label("Person from your council").select_option(label="Rae Reviewer")
    page.get_by_role("button", name="Add to the team").click()
    page.get_by_text("Added to the team.").wait_for()
    # Fieldwork begins: the team proposes grades and the lead moderates them.
    page.goto(inspection_url)
    page.get_by_role("link", name="Team and key lines of enquiry").click()
    page.get_by_role("link", name="Change details or status").click()
    page.get_by_label("Fieldwork", exact=True).check()
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("Review details saved.").wait_for()

    # The reviewer proposes a grade for help and protection.
    reviewer = browser.new_context().new_page()
    sign_in(reviewer, live_server, "rae@mockton.example")
    reviewer.goto(inspection_url)
    reviewer.get_by_role("link", name=re.compile("need help and protection")).click()
    check_accessibility(reviewer)
    _grade(reviewer, "Save my proposed grade", "Inadequate", "Strategy discussions drift in most tracked cases.")
    reviewer.get_by_text("Your proposed grade is saved.").wait_for()
    reviewer.context.close()

    # The lead moderates: help and protection inadequate, everything else good.
    for judgement, grade in [
        ("need help and protection", "Inadequate"),
        ("children looked after", "Good"),
        ("Leadership, management and governance", "Good"),
        ("Adoption performance", "Good"),
        ("care leavers", "Good"),
    ]:
        page.goto(inspection_url)
        page.get_by_role("link", name=re.compile(judgement)).first.click()
        _grade(page, "Save the final grade", grade, f"Moderated: {grade.lower()} on the evidence and proposals.")
        page.get_by_text("Final grade saved.").wait_for()
    page.goto(inspection_url)
    page.get_by_role("link", name="Outcome").click()
    page.get_by_text("Overall effectiveness is limited to inadequate.").wait_for()
    assert "cannot be set aside" in page.inner_text("main")
    overall = page.get_by_role("row", name=re.compile("Overall effectiveness"))
    assert "Inadequate" in overall.inner_text()
    check_accessibility(page)

    # Two gaps become actions.
    page.goto(inspection_url)
    page.get_by_role("link", name=re.compile("Gap list")).click()
    check_accessibility(page)
    gaps_url = page.url
    _make_action(page, "Audit every strategy discussion for a month")
    page.goto(gaps_url)
    # A theme none of whose gaps has an action yet.
    page.locator(".govuk-summary-card", has_text="No action yet").first.get_by_role(
        "link", name="Make an action"
    ).first.click()
    page.get_by_label("What will be done").fill("Gather the voice of children on child protection plans")
    page.get_by_label("Owner").select_option(label="Mo Lead")
    fill_date(page, "Due date", NEXT_MONTH)
    page.get_by_label("How you will know it has worked").fill("Views recorded on 9 of 10 plans")
    page.get_by_role("button", name="Save action").click()
    page.get_by_text("Action added to the plan.").wait_for()
    page.get_by_role("link", name="Action plan").first.click()
    plan = page.inner_text("main")
    assert "Audit every strategy discussion" in plan and "Gather the voice of children" in plan

    # And the outcome report downloads as a PDF and as a Word file.
    page.goto(inspection_url + "/outcome")
    for link, starts in (("Download the outcome (PDF)", b"%PDF"), ("Download the outcome (Word, .docx)", b"PK")):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=link).click()
        download = download_info.value
        assert download.suggested_filename.startswith("Mockton Council - ")
        with open(download.path(), "rb") as report:
            assert report.read(len(starts)) == starts
