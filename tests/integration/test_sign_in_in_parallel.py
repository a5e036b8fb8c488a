"""Sign-ins at the same moment, as threads against a real database of their own (a SQLite
file, or a PostgreSQL database beside the suite's): the transaction-per-test fixture would
hide exactly the locking these tests are about."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from councils import accounts
from councils.db import db
from councils.models import Role, SignInThrottle
from tests.support.factories import PASSWORD
from tests.support.fresh_database import fresh_app

PARALLEL = 10
NOT_RIGHT = "The email address or password is not right"
TOO_MANY = "There have been too many attempts to sign in"
NEW_PASSWORD = "lantern orbit kettle meadow"


@pytest.fixture()
def parallel_app(tmp_path):
    with fresh_app(tmp_path) as app:
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            upgrade()
            council = accounts.create_council("Parallel Council")
            for number in range(PARALLEL):
                accounts.add_user(
                    council,
                    name=f"Person {number}",
                    email=f"person{number}@parallel.example",
                    password=PASSWORD,
                    role=Role.SENIOR_LEADER,
                )
            db.session.commit()
            db.session.remove()
        yield app


def at_once(app, posts: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """Each (path, form) posted by its own thread and browser, all released together."""
    barrier = threading.Barrier(len(posts))

    def post(path_and_data):
        path, data = path_and_data
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = client.post(path, data=data)
            return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(post, posts))


def test_parallel_guesses_get_no_more_free_tries_than_guesses_one_at_a_time(parallel_app, monkeypatch):
    # A delay longer than any busy machine takes to answer the burst, so none is let in
    # because its wait had passed.
    monkeypatch.setattr(accounts, "FIRST_DELAY", timedelta(hours=1))
    guess = ("/sign-in", {"email": "person0@parallel.example", "password": "a wrong guess"})
    answers = at_once(parallel_app, [guess] * PARALLEL)
    assert [status for status, _ in answers] == [200] * PARALLEL, answers
    checked = sum(NOT_RIGHT in body for _, body in answers)
    assert checked == accounts.FREE_FAILURES["account"]
    assert sum(TOO_MANY in body for _, body in answers) == PARALLEL - checked
    with parallel_app.app_context():
        throttle = db.session.scalars(select(SignInThrottle).where(SignInThrottle.kind == "account")).one()
        assert throttle.failures == checked


def test_parallel_sign_ins_all_succeed(parallel_app):
    """SQLite answered some with "database is locked" (a 500): each sign-in read, then wrote."""
    posts = [
        ("/sign-in", {"email": f"person{number}@parallel.example", "password": PASSWORD}) for number in range(PARALLEL)
    ]
    answers = at_once(parallel_app, posts)
    assert [status for status, _ in answers] == [302] * PARALLEL, [status for status, _ in answers]


def test_a_reset_link_posted_twice_at_once_sets_one_password(parallel_app):
    with parallel_app.app_context():
        from councils.models import User

        person = db.session.scalars(select(User).where(User.email == "person1@parallel.example")).one()
        token = accounts.create_password_reset(person).token
        db.session.commit()
    posts = [
        (f"/reset-password/{token}", {"new_password": f"{NEW_PASSWORD} {number}", "confirm_password": f"{NEW_PASSWORD} {number}"})
        for number in range(4)
    ]
    answers = at_once(parallel_app, posts)
    statuses = [status for status, _ in answers]
    assert statuses.count(302) == 1 and all(status in (200, 302, 404) for status in statuses), statuses
    refused = [body for status, body in answers if status != 302]
    assert all(re.search("expired or has already been used", body) for body in refused)
