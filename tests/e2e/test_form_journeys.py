"""A senior leader starts a mock inspection in a browser: a form with several mistakes shows
them all at once, each linked to its field; once it is made, the back button and a second
press of the button show what was made instead of making a second one."""

import datetime as dt

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in

pytestmark = pytest.mark.browser
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def leader(live_app):
    with live_app.app_context():
        council = accounts.create_council("Formton Council")
        accounts.add_user(
            council, name="Fay Lead", email="fay@formton.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        db.session.commit()


def test_several_mistakes_at_once_then_the_back_button_makes_nothing_twice(page, live_server, leader):
    sign_in(page, live_server, "fay@formton.example")
    page.goto(f"{live_server}/mock-inspections/new")
    page.get_by_label("Title").fill("x" * 201)
    fill_date(page, "First day", dt.date(1066, 10, 14))
    page.get_by_role("button", name="Start the mock inspection").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    problems = summary.get_by_role("link").all_inner_texts()
    assert problems[0] == "Title must be 200 characters or fewer"
    assert problems[1].startswith("First day must be between 1 January 2010 and ")
    assert problems[2] == "Enter the last day of the review"
    check_accessibility(page)
    # Each problem links to its own field.
    for problem, label in zip(problems, ["Title", "First day", "Last day"], strict=True):
        target = summary.get_by_role("link", name=problem).get_attribute("href")
        group = page.evaluate(f"document.querySelector({target!r}).closest('.govuk-form-group').innerText")
        assert group.startswith(label), (problem, group)

    # A fresh page, filled in well.
    page.goto(f"{live_server}/mock-inspections/new")
    page.get_by_label("Title").fill("Mock inspection, spring")
    fill_date(page, "First day", TODAY)
    fill_date(page, "Last day", TODAY + dt.timedelta(days=4))
    page.get_by_role("button", name="Start the mock inspection").click()
    page.get_by_role("heading", name="Mock inspection, spring").wait_for()
    made_at = page.url

    # Back to the form: the page is fetched again, with what was typed put back by the
    # browser, and sent again.
    page.go_back()
    page.get_by_role("button", name="Start the mock inspection").wait_for()
    assert page.get_by_label("Title").input_value() == "Mock inspection, spring"
    page.get_by_role("button", name="Start the mock inspection").click()
    page.get_by_role("heading", name="This form was already sent").wait_for()
    page.reported_problems.clear()  # the page answers 409 Conflict, which the console reports
    check_accessibility(page)
    page.get_by_role("link", name="See the mock inspection ‘Mock inspection, spring’").click()
    assert page.url == made_at
    page.goto(f"{live_server}/mock-inspections/")
    assert page.get_by_role("cell", name="Mock inspection, spring").count() == 1


@pytest.fixture(scope="module")
def evidence_id(live_app, leader):
    with live_app.app_context():
        from councils.models import Council
        from tests.support.factories import make_evidence

        council = db.session.scalars(db.select(Council).where(Council.name == "Formton Council")).one()
        item = make_evidence(council, title="Practice week")
        db.session.commit()
        return item.id


def test_a_final_step_asks_first_on_an_accessible_page(page, live_server, evidence_id):
    """The confirmation page every final step shares (templates/confirm.html), which the walk
    of every page cannot reach: it is the answer to a button's post."""
    sign_in(page, live_server, "fay@formton.example")
    page.goto(f"{live_server}/evidence/{evidence_id}")
    page.get_by_role("button", name="Archive").click()
    page.get_by_role("heading", name="Archive ‘Practice week’").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Archive the evidence").click()
    page.get_by_text("Evidence archived.").wait_for()
    assert page.url.endswith(f"/evidence/{evidence_id}")
