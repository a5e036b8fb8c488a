"""A head of service reviews an indicator in a real browser and records a corrective action."""

import datetime as dt

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.performance import indicators
from tests.e2e.conftest import PASSWORD, check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def head_of_service(live_app):
    with live_app.app_context():
        council = accounts.create_council("Clinicshire Council")
        user = accounts.add_user(
            council,
            name="Hana Head",
            email="hana@clinicshire.example",
            password=PASSWORD,
            role=Role.HEAD_OF_SERVICE,
            service_area=ServiceArea.CHILD_PROTECTION,
        )
        with acting_for(council.id):
            indicators.ensure_default_indicators()
            icpc = next(i for i in indicators.all_indicators() if i.code == "icpc_15_working_days")
            for month, value in ((1, 88), (2, 74), (3, 52)):
                indicators.record_value(icpc, dt.date(2025, month, 1), value)
        db.session.commit()
        return user.email


def test_an_indicator_with_its_chart_table_and_a_corrective_action(page, live_server, head_of_service):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(head_of_service)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Hana Head").wait_for()

    page.get_by_role("link", name="Performance").first.click()
    page.get_by_role("heading", name="Performance indicators").wait_for()
    check_accessibility(page)

    page.get_by_role("link", name="ICPCs held within 15 working days of the strategy discussion").click()
    page.get_by_role(
        "img", name="ICPCs held within 15 working days of the strategy discussion: trend by month"
    ).wait_for()
    assert page.get_by_role("table", name="Figures by month, with corrective actions").is_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Add a corrective action for March 2025").click()
    due = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label("What will be done").fill("Decide whether an ICPC is needed by day 5 of every enquiry")
    page.get_by_label("Owner").select_option(label="Hana Head")
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    check_accessibility(page)
    page.get_by_role("button", name="Save corrective action").click()

    page.get_by_text("Corrective action for March 2025 saved and added to the action plan.").wait_for()
    assert page.get_by_role("link", name="Decide whether an ICPC is needed by day 5 of every enquiry").is_visible()
    assert page.get_by_text(f"Hana Head, due {due.day} {due:%B %Y}: not started").is_visible()
    check_accessibility(page)
