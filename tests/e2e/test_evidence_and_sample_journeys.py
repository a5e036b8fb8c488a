"""In a browser: a senior leader adds evidence with a file, ticking criteria grouped under
their judgement; sorts the evidence library by a column of its header; and pastes a case
sample copied from Excel, checks it and adds it."""

from datetime import date, timedelta

import pytest

from councils import accounts
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.library.items import framework_of
from evidence.reviews.models import ReviewKind
from tests.e2e.conftest import PASSWORD, check_accessibility, fill_date, sign_in
from tests.support.factories import make_audit, make_evidence
from tests.support.review_factories import make_review

pytestmark = pytest.mark.browser
EMAIL = "sol@journeyton.example"


@pytest.fixture(scope="module")
def leader(live_app, tmp_path_factory):
    before = live_app.config.get("ATTACHMENTS_DIR")
    live_app.config["ATTACHMENTS_DIR"] = str(tmp_path_factory.mktemp("attachments"))
    with live_app.app_context():
        council = accounts.create_council("Journeyton Council")
        user = accounts.add_user(council, name="Sol Leader", email=EMAIL, password=PASSWORD, role=Role.SENIOR_LEADER)
        make_evidence(council, title="beta policy", evidence_date=date.today() - timedelta(days=3))
        make_evidence(council, title="Alpha audit", evidence_date=date.today() - timedelta(days=1))
        make_audit(council)  # the council's team, Safeguarding East
        review = make_review(council, user, title="Mock inspection, Journeyton")
        with acting_for(council.id):
            review.kind = ReviewKind.MOCK_INSPECTION
        framework = framework_of(council)
        db.session.commit()
        made = {"review_id": review.id, "framework": framework}
    # Out of the app context before the browser signs in: its session would hold the database.
    yield made
    live_app.config["ATTACHMENTS_DIR"] = before


def test_adding_evidence_with_a_file_and_criteria_grouped_by_judgement(page, live_server, leader, tmp_path):
    sign_in(page, live_server, EMAIL)
    page.goto(f"{live_server}/evidence/")
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_role("heading", name="Add evidence").wait_for()
    check_accessibility(page)
    leaders = leader["framework"].area_by_id["leaders"]
    criterion = leaders.criteria[0]
    assert page.locator("#kind").input_value() == ""  # no kind chosen for the person
    assert page.get_by_role("radio", name="Accepted").is_checked()  # accepted evidence counts

    page.get_by_label("Title").fill("Quality assurance framework")
    page.get_by_label("Kind of evidence").select_option(label="Document or policy")
    group = page.get_by_role("group", name=leaders.title)
    group.get_by_label(criterion.prompt, exact=True).check()
    page.get_by_label("Strength", exact=True).check()
    fill_date(page, "Date of the evidence", date.today())
    plan = tmp_path / "qa-framework.pdf"
    plan.write_bytes(b"not a pdf at all")
    page.get_by_label("Attach a file (optional)").set_input_files(str(plan))
    page.get_by_role("button", name="Save evidence").click()
    # The file is refused on its own field; the ticked criterion stays ticked.
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="The file's contents are not a real PDF file").wait_for()
    assert page.locator("#file-error").is_visible()
    assert page.get_by_role("group", name=leaders.title).get_by_label(criterion.prompt, exact=True).is_checked()
    check_accessibility(page)

    plan.write_bytes(b"%PDF-1.7 the framework")
    page.get_by_label("Attach a file (optional)").set_input_files(str(plan))
    page.get_by_role("button", name="Save evidence").click()
    page.get_by_role("heading", name="Quality assurance framework").wait_for()
    assert page.get_by_text("Evidence saved.").is_visible()
    assert page.get_by_role("link", name="qa-framework.pdf").is_visible()
    check_accessibility(page)


def test_sorting_the_evidence_library_by_a_column(page, live_server, leader):
    sign_in(page, live_server, EMAIL)
    page.goto(f"{live_server}/evidence/")
    titles = lambda: page.locator("tbody tr th a, tbody tr td:first-child a").all_inner_texts()  # noqa: E731
    assert titles().index("Alpha audit") < titles().index("beta policy")  # newest first
    title_header = page.locator("thead th", has=page.get_by_role("link", name="Title"))
    assert title_header.get_attribute("aria-sort") == "none"
    title_header.get_by_role("link", name="Title").click()
    page.wait_for_url("**sort=title**")
    title_header = page.locator("thead th", has=page.get_by_role("link", name="Title"))
    assert title_header.get_attribute("aria-sort") == "ascending"
    assert titles() == sorted(titles(), key=str.lower)
    assert "sorted by title, A to Z" in page.locator("caption").inner_text()
    check_accessibility(page)
    title_header.get_by_role("link", name="Title").click()
    page.wait_for_url("**dir=desc**")
    assert page.locator("thead th[aria-sort='descending']").inner_text().startswith("Title")
    assert titles() == sorted(titles(), key=str.lower, reverse=True)


def test_pasting_a_case_sample_copied_from_excel(page, live_server, leader):
    sign_in(page, live_server, EMAIL)
    page.goto(f"{live_server}/mock-inspections/{leader['review_id']}/sample/import")
    page.get_by_role("heading", name="Import the case sample").wait_for()
    check_accessibility(page)
    rows = [
        ["CP-510101", "5 to 9", "Child protection", "Safeguarding East", "WBRI", "no", "Girl", ""],
        ["CIN-510102", "10 to 15", "Child in need", "Safeguarding East", "", "yes", "Boy", ""],
    ]
    page.get_by_label("Or paste the rows").fill("\r\n".join("\t".join(row) for row in rows) + "\r\n")
    page.get_by_role("button", name="Check the cases").click()
    page.get_by_role("heading", name="Check the import").wait_for()
    assert page.get_by_text("Rows pasted from a spreadsheet").is_visible()
    table = page.locator("table", has=page.locator("caption", has_text="The cases to add"))
    assert table.locator("tbody tr").count() == 2
    check_accessibility(page)
    page.get_by_role("button", name="Add 2 cases to the sample").click()
    page.get_by_text("2 cases added to the sample.").wait_for()
    assert page.get_by_text("CIN-510102").first.is_visible()
