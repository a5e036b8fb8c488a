"""Every page, in a real browser, checked with axe-core: no serious or critical WCAG 2.2 A/AA issues.

The test walks the app's URL map, so a new page is checked without anyone remembering to
add it. Pages whose URL carries an id need a sample record: add one in tests/support/every_page.py.
"""

import pytest

from councils.models import Role
from tests.e2e.conftest import PASSWORD, check_accessibility, sign_in
from tests.support.every_page import pages, sample_council, url_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        return sample_council(live_app, PASSWORD)


def test_every_page_is_accessible(page, live_app, live_server, people):
    pages_by_role: dict = {}
    for rule, roles in pages(live_app, people["ids"]):
        role = next(r for r in Role if r in roles)
        pages_by_role.setdefault(role, []).append(url_of(rule, people["ids"]))
    checked = []
    for role, urls in pages_by_role.items():
        sign_in(page, live_server, people["emails"][role])
        for url in urls:
            if "text/html" not in page.request.get(f"{live_server}{url}").headers.get("content-type", ""):
                continue  # a download (CSV, spreadsheet, file), not a page
            response = page.goto(f"{live_server}{url}")
            assert response.status == 200, f"{url} as {role.value}: {response.status}"
            check_accessibility(page)
            checked.append(url)
        page.get_by_role("button", name="Sign out").click()
    assert len(checked) >= 8, checked


def test_error_pages_are_accessible(page, live_server):
    response = page.goto(f"{live_server}/no-such-page")
    assert response.status == 404
    page.reported_problems.clear()  # the browser logs the 404 itself as an error
    page.get_by_role("heading", name="Page not found").wait_for()
    check_accessibility(page)
