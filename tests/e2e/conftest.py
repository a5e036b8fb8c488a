"""Real-browser tests: the app served on a local port, driven through the system Chromium.

The live app has a database of its own (a second SQLite file, or a second PostgreSQL
database beside the test one), built by the migrations, because a browser's requests
cannot share the rolled-back transaction the integration tests use.

Browser tests go to a page as a person does, by a link or by its address: where they open
an address directly they write its path, as typed in the address bar (the integration
tests name pages by endpoint instead).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from councils.db import db
from inspect_ready import create_app

AXE_SOURCE = (Path(__file__).parent / "axe.min.js").read_text()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a sandboxed, offline machine: no background calls to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _e2e_database_url(tmp_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path / "e2e.sqlite")
    from inspect_ready.config import database_url

    url = make_url(database_url(url))
    e2e = url.set(database=f"{url.database}_e2e")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{e2e.database}"'))
        connection.execute(text(f'CREATE DATABASE "{e2e.database}"'))
    admin.dispose()
    return e2e.render_as_string(hide_password=False)


# When a browser page closes while the live server is still sending it a static file, the
# server thread drops the connection and the file is closed by the garbage collector: a
# ResourceWarning about our own static files from the test server, not from the app.
DROPPED_STATIC_FILE = (
    # (the message is a regex that may hold no colon: "." stands for the one after "in")
    r"ignore:Exception ignored in. <_io\.FileIO name='[^']*inspect_ready/static/"
    r":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.filterwarnings(DROPPED_STATIC_FILE))


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    url = _e2e_database_url(tmp_path_factory.mktemp("e2e"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SERVER_NAME": None})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run should have installed Debian's chromium package")
        pytest.skip("Chromium is not installed here (Debian: apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.reported_problems = problems  # a test expecting an error status clears its own entry
    yield page
    context.close()
    assert problems == [], f"the browser reported errors (CSP or script): {problems}"


def check_accessibility(page) -> None:
    """Run axe-core on the page: no serious or critical violations of WCAG 2.x A/AA."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(
        [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in serious], indent=2
    )


PASSWORD = "a long browser test password"


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the home page."""
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def fill_date(scope, legend: str, day) -> None:
    """Type a date into a GOV.UK date input, found by its legend."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
