"""On PostgreSQL a page that finds the standing being refreshed waits for the job and reads
what it keeps, rather than working the standing out a second time beside it.

Two connections are needed, the page's and the job's, each committing for real, so this runs
against a database of its own: the suite's transaction-per-test would hide the very commits
it is about.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from councils import accounts, standing_cache
from councils.db import db
from councils.models import Council
from councils.tenancy import acting_for
from evidence import standing
from evidence.library import items
from evidence.library.items import framework_of
from evidence.library.models import EvidenceKind, EvidenceStatus, Leaning
from tests.support.fresh_database import fresh_app

TODAY = dt.date.today()
JOB_STARTS_AFTER = 0.3  # seconds: inside QUEUED_WAIT_SECONDS, so the page is still waiting


@pytest.fixture()
def council_app(tmp_path):
    with fresh_app(tmp_path) as app:
        if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
            pytest.skip("on SQLite a waiting reader would hold off the job's write, so pages never wait there")
        with app.app_context():
            upgrade()
            council = accounts.create_council("Waiting Council")
            db.session.commit()
            with acting_for(council.id):
                fields = items.EvidenceFields(
                    title="Strategy meetings are timely",
                    kind=EvidenceKind.DOCUMENT,
                    leaning=Leaning.STRENGTH,
                    evidence_date=TODAY,
                    grade="good",
                    status=EvidenceStatus.ACCEPTED,
                    links=["leaders"],
                )
                items.create_item(fields, framework_of(council), TODAY)
                db.session.commit()
            council_id = council.id
            db.session.remove()
        yield app, council_id


def _queue_the_refresh(council_id: int) -> tuple[str, int]:
    """The mark a change's transaction leaves for the job, committed."""
    council = db.session.get(Council, council_id)
    key = standing.standing_key(framework_of(council), TODAY, (), None)
    version = standing_cache.version_of(council_id)
    db.session.execute(
        standing_cache.standing_cache.insert().values(
            council_id=council_id, key=key, version=version, payload=standing_cache.QUEUED
        )
    )
    db.session.commit()
    return key, version


def test_a_page_waits_for_the_refresh_in_progress_and_reads_what_it_kept(council_app, monkeypatch):
    app, council_id = council_app
    computed_by = []
    real = standing.fresh_outcome

    def fresh_outcome(*args, **kwargs):
        computed_by.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(standing, "fresh_outcome", fresh_outcome)
    with app.app_context(), acting_for(council_id):
        _key, version = _queue_the_refresh(council_id)

    def the_job():
        time.sleep(JOB_STARTS_AFTER)
        with app.app_context(), acting_for(council_id):
            standing_cache.refresh(council_id, version)
            db.session.remove()

    job = threading.Thread(target=the_job, name="job")
    with app.app_context(), acting_for(council_id):
        council = db.session.get(Council, council_id)
        started = time.monotonic()
        job.start()
        outcome = standing.live_outcome(council, TODAY)
        waited = time.monotonic() - started
        job.join(timeout=30)
        assert computed_by == ["job"]  # worked out once, by the job; the page read it
        assert waited >= JOB_STARTS_AFTER
        assert outcome == real(council, TODAY, framework_of(council))
        db.session.remove()
