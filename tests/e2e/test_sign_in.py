"""A person signs in through a real browser and reaches their home page."""

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def senior_leader(live_app):
    with live_app.app_context():
        council = accounts.create_council("Browserton Council")
        user = accounts.add_user(
            council, name="Bea Leader", email="bea@browserton.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        db.session.commit()
        return user.email


def test_sign_in_reaches_an_accessible_home_page(page, live_server, senior_leader):
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/sign-in")
    check_accessibility(page)

    page.get_by_label("Email address").fill(senior_leader)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Welcome, Bea Leader").wait_for()
    assert page.title() == "Home – Inspect ready"
    # GOV.UK Frontend's script ran under the CSP: the body carries its class.
    assert "govuk-frontend-supported" in page.get_attribute("body", "class")
    check_accessibility(page)


def test_a_wrong_password_shows_an_accessible_error(page, live_server, senior_leader):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(senior_leader)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    check_accessibility(page)
