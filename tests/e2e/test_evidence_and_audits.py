"""A head of service follows a thin cell of the evidence map, records a case audit with an
escalation, and finds the escalation on their home page."""

from datetime import date

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role, ServiceArea
from evidence.case_audits.audit_templates import default_template
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date
from tests.support.factories import make_evidence

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def head_of_service(live_app):
    with live_app.app_context():
        council = accounts.create_council("Mapleton Council")
        user = accounts.add_user(
            council,
            name="Hana Head",
            email="hana@mapleton.example",
            password=PASSWORD,
            role=Role.HEAD_OF_SERVICE,
            service_area=ServiceArea.CHILD_PROTECTION,
        )
        make_evidence(council, title="Front door threshold review", service_area=ServiceArea.CHILD_PROTECTION)
        db.session.commit()
        return user.email


def test_map_to_list_to_audit_with_escalation_to_home(page, live_server, head_of_service):
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(head_of_service)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Hana Head").wait_for()

    page.get_by_role("link", name="Evidence map for child protection").click()
    page.get_by_role("heading", name="Evidence map").wait_for()
    check_accessibility(page)
    # The front door criterion has one document: a thin cell. Follow it to the list.
    page.locator("td:has(.app-thin) a[href*='hp.front_door'][href*='kind=document']").first.click()
    page.get_by_role("heading", name="Evidence library").wait_for()
    assert page.get_by_role("link", name="Front door threshold review").is_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Case audits").first.click()
    page.get_by_role("button", name="Record an audit: Practice questions audit").click()
    page.get_by_role("heading", name="Record a case audit").wait_for()
    check_accessibility(page)
    page.get_by_label("Case reference", exact=True).fill("CP-778812")
    page.select_option("#case_type", "child_protection")
    page.get_by_label("Team", exact=True).fill("Safeguarding West")
    page.get_by_label("Worker", exact=True).fill("R. Green")
    for question in default_template().questions:
        page.select_option(f"#answer_{question.id}", "inadequate" if question.scale == "four_point" else "no")
    page.select_option("#overall_grade", "inadequate")
    page.get_by_label("I have a concern for a child's safety: escalate this case").check()
    page.get_by_label("Concern for the child's safety").fill("No visit recorded for ten weeks.")
    page.select_option("#escalation_owner", label="Hana Head (head of service)")
    fill_date(page, "Due date", date.today())
    page.get_by_role("button", name="Save audit").click()
    page.get_by_role("heading", name="Case audit CP-778812").wait_for()
    assert page.get_by_text("Escalation 1: open").is_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("heading", name="Open escalations").wait_for()
    assert page.get_by_role("link", name="CP-778812").is_visible()
    check_accessibility(page)
