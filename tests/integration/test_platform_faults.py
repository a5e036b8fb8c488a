"""Faults of the platform: a database that is gone, silent, unmigrated or behind."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from councils import clock
from councils.db import db
from inspect_ready import create_app, health


def _app(url: str, **settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SHOW_ERROR_PAGES": True, **settings})


def _signed_in(client) -> None:
    # A session cookie naming someone: every page then looks them up in the database.
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"
        session["signed_in_at"] = clock.now().isoformat()  # within the session's lifetime


@pytest.fixture()
def gone(tmp_path):
    """An app whose database cannot be opened at all."""
    return _app(f"sqlite:///{tmp_path / 'no such folder' / 'inspect_ready.sqlite'}")


def test_with_the_database_gone_a_signed_in_person_gets_the_services_own_error_page(gone):
    client = gone.test_client()
    _signed_in(client)
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and "govuk-template__header" in page
    assert "Internal Server Error" not in page


def test_with_the_database_gone_static_files_are_still_served(gone):
    client = gone.test_client()
    _signed_in(client)
    with client.get("/assets/app.css") as response:
        assert response.status_code == 200


def test_with_the_database_gone_health_says_so(gone):
    response = gone.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "problem": "The database is not answering."}


def test_health_on_an_empty_database_is_503(tmp_path):
    response = _app(f"sqlite:///{tmp_path / 'empty.sqlite'}").test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["problem"] == "The database has no tables yet: run `flask db upgrade`."


def test_health_on_a_database_a_migration_behind_is_503(tmp_path):
    path = tmp_path / "behind.sqlite"
    app = _app(f"sqlite:///{path}")
    behind = "5b8e2c4d9f10"
    assert behind not in health.head_revisions(app.extensions["migrate"].directory)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (behind,))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert "not at the schema this version needs" in response.get_json()["problem"]


def test_health_on_the_migrated_database_is_ok(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_a_database_that_accepts_but_never_answers_is_given_up_after_the_connect_timeout():
    # A socket that listens and never speaks: the TCP connection opens, PostgreSQL's
    # greeting never comes. Without a connect timeout the request waits for ever.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    app = _app(f"postgresql+psycopg://nobody@127.0.0.1:{port}/inspect_test", DATABASE_CONNECT_TIMEOUT=1)
    answers = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: answers.append(app.test_client().get("/health")), daemon=True)
    worker.start()
    worker.join(timeout=20)
    silent.close()
    assert answers, "the request was still waiting for the database after 20 seconds"
    assert answers[0].status_code == 503 and time.monotonic() - started < 15


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="a statement timeout is PostgreSQL's"
)
def test_a_statement_running_past_the_statement_timeout_is_stopped(app):
    slow = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "DATABASE_STATEMENT_TIMEOUT": 1})
    with slow.app_context():
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(10)"))
        db.session.rollback()
        db.engine.dispose()
    assert time.monotonic() - started < 5


def test_sqlite_waits_for_another_writer_as_long_as_the_busy_timeout(tmp_path):
    path = tmp_path / "busy.sqlite"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE t (x INTEGER)")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    app = _app(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT=1)
    try:
        with app.app_context():
            started = time.monotonic()
            with pytest.raises(OperationalError, match="database is locked"):
                db.session.execute(text("INSERT INTO t VALUES (1)"))
                db.session.commit()
            waited = time.monotonic() - started
            db.session.rollback()
            db.engine.dispose()
    finally:
        holder.close()
    assert 0.8 < waited < 4
