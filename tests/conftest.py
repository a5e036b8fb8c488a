"""Shared fixtures: one migrated database per test run, each test in a transaction rolled back after."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from councils import accounts, standing_cache
from councils.db import db
from councils.tenancy import set_current_council
from inspect_ready import create_app
from inspect_ready.config import database_url
from tests.support.checked_client import CheckedClient
from tests.support.client_request import ClientRequest

os.environ["INSPECT_READY_ENV"] = "test"

# Property tests check what is true, not how fast: speed is measured by the benchmarks.
# Without this, a busy 2-core machine fails them on hypothesis's own timing checks.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_configure(config):
    # Real argon2 costs ~50 ms a hash by design; tests make many accounts, so use the
    # cheapest parameters here only. Production hashing is tested in test_accounts.py.
    accounts._hasher = PasswordHasher.from_parameters(CHEAPEST)


def database_url_for_tests(tmp_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_dir / "test.sqlite")
    url = database_url(url)
    # The suite empties the database it is given: refuse one that is not plainly for tests.
    if "test" not in url.rsplit("/", 1)[-1]:
        raise pytest.UsageError(f"DATABASE_URL must name a test database (its name containing 'test'), got {url}")
    return url


def reset_schema(url: str) -> None:
    """Start from an empty database, so the migrations build every table."""
    if url.startswith("sqlite"):
        return  # a new file for each run
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url_for_tests(tmp_path_factory.mktemp("db"))
    # CSRF is switched back on by the tests that check it (test_security.py).
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    app.test_client_class = CheckedClient
    with app.app_context():
        reset_schema(url)
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture()
def app_context(app):
    with app.app_context():
        yield


class TestSession(scoped_session):
    """One session for the whole test, shared by the test and the requests it makes.

    Each request tears down its own app context, which would remove the session and
    detach every object the test holds; here that is deferred to the end of the test.
    """

    def remove(self) -> None:
        """Kept until close_for_real() at the end of the test."""

    def close_for_real(self) -> None:
        super().remove()


@pytest.fixture()
def database(app):
    """Run the test inside a transaction that is rolled back after it, whatever it commits."""
    # db.session below is the one global session every app's context reaches: a job watch
    # thread left running by an earlier test (jobs.stop_watch) would use this test's
    # connection from its own thread, and break it some seconds later, in whichever test.
    watching = [t.name for t in threading.enumerate() if t.name == "inspect-ready-job-watch"]
    assert not watching, "an earlier test left a job watch thread running: stop it with jobs.stop_watch(app)"
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        real_session = db.session
        db.session = TestSession(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield db
        finally:
            db.session.close_for_real()
            db.session = real_session
            outer.rollback()
            connection.close()
            set_current_council(None)
            # The rollback undoes versions the memo was keyed by; the next test may reach them again.
            standing_cache.clear_memo()


@pytest.fixture()
def client(app, database):
    return app.test_client()


@pytest.fixture()
def client_request(client):
    """Pages by endpoint, parsed (see tests/support/client_request.py); shares `client`'s session."""
    return ClientRequest(client)
