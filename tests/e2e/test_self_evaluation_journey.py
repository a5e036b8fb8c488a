"""The self-evaluation in a browser: the director starts this year's, drafted from the evidence;
edits a section (autosaved as they type); is refused sign-off while sections are unagreed;
agrees every section, signs it off and downloads it as Word, which opens and names the council."""

import io
import re

import pytest
from docx import Document

from councils import accounts
from councils.db import db
from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, sign_in
from tests.support.factories import make_evidence

pytestmark = pytest.mark.browser
COUNCIL = "Evalton Council"


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        council = accounts.create_council(COUNCIL)
        accounts.add_user(
            council, name="Eva Director", email="eva@evalton.example", password=PASSWORD, role=Role.SENIOR_LEADER
        )
        make_evidence(council, title="Front door audit findings")
        db.session.commit()


def _unagreed_links(page):
    rows = page.locator("tbody tr", has_text="Not agreed yet")
    return rows.get_by_role("link")


def test_draft_edit_agree_sign_off_and_download_as_word(page, live_server, people):
    sign_in(page, live_server, "eva@evalton.example")
    page.get_by_role("link", name="Self-evaluation").first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Start this year's self-evaluation").click()
    check_accessibility(page)
    page.get_by_role("button", name="Start and draft from the evidence").click()
    page.get_by_text("drafted from the evidence. Check and agree each section.").wait_for()
    check_accessibility(page)
    show_url = page.url

    # One section, edited: autosaved as the director types, then agreed.
    page.get_by_role(
        "link", name=re.compile(r"How do we know it\? \(The experiences and progress of children who need help")
    ).click()
    check_accessibility(page)
    assert "Front door audit findings" in page.inner_text("main")  # the draft names its evidence
    answer = page.get_by_label("Answer")
    answer.fill(answer.input_value() + "\nThe director has read every audit of the front door this year.")
    page.get_by_text("Saved at").wait_for()
    page.get_by_role("button", name="Save and mark agreed").click()
    page.get_by_text("Section saved and marked agreed.").wait_for()

    # Sign-off is refused, saying why, while any section is not agreed.
    page.get_by_role("button", name="Sign off the self-evaluation").click()
    page.get_by_text("not agreed yet, so it cannot be signed off").wait_for()
    check_accessibility(page)
    assert page.get_by_role("button", name="Sign off").count() == 0
    page.goto(show_url)

    # Every other section agreed, then signed off.
    while _unagreed_links(page).count():
        _unagreed_links(page).first.click()
        page.get_by_role("button", name="Save and mark agreed").click()
        page.get_by_text("Section saved and marked agreed.").wait_for()
    page.get_by_role("button", name="Sign off the self-evaluation").click()
    check_accessibility(page)
    page.get_by_role("button", name="Sign off", exact=True).click()
    page.get_by_text("signed off.").first.wait_for()
    assert page.get_by_role("button", name="Sign off the self-evaluation").count() == 0

    # Downloaded as Word: the file opens and names the council.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{COUNCIL} - Self-evaluation ")
    with open(download.path(), "rb") as file:
        document = Document(io.BytesIO(file.read()))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    body = "\n".join(p.text for p in document.paragraphs)
    assert COUNCIL in header and COUNCIL in body
    assert "The director has read every audit of the front door this year." in body
    assert "Signed off by Eva Director" in body
