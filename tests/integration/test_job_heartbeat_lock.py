"""An Annex A job on SQLite beside its heartbeat: neither is refused "database is locked".

The job reads (its row), then writes (its progress, the figures); the consumer's watch thread
writes the heartbeat meanwhile. Begun as a plain BEGIN, the job's transaction held a shared
lock when the heartbeat took the write lock, and SQLite refused the job's write at once,
whatever the busy timeout. Begun as a write (councils/db.writing_at_once), each waits its turn.

Its own app and database file (not the suite's one-connection transaction): the point is two
connections at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from councils import clock
from councils.db import db
from councils.models import Council
from councils.tenancy import acting_for, find
from evidence.performance.annex_a import imports
from evidence.performance.models import AnnexAImport, ImportStatus
from inspect_ready import create_app, jobs


@pytest.fixture()
def file_app(tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jobs.sqlite'}",
            "HUEY_IMMEDIATE": False,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite"),
            "SQLITE_BUSY_TIMEOUT": 10,
            "JOB_LEASE_SECONDS": 600,  # the watch's own loop beats rarely: the test beats by hand
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        db.create_all()
        council = Council(name="Lockshire")
        db.session.add(council)
        db.session.flush()
        with acting_for(council.id):
            job = AnnexAImport(
                filename="annex-a.xlsx",
                month=dt.date(2026, 3, 1),
                cp_visit_working_days=10,
                requested_by="Test",
                created_at=clock.now(),
                status=ImportStatus.QUEUED,
            )
            db.session.add(job)
            db.session.commit()
        ids = council.id, job.id
        db.session.remove()
    yield app, ids
    # The watch thread loops for as long as the process lives; left running, it would reach
    # the suite's shared test session (db.session is the suite's) from this app's context.
    jobs.stop_watch(app)
    with app.app_context():
        db.engine.dispose()


def test_a_job_that_reads_then_writes_waits_for_the_heartbeat_and_is_not_refused(file_app, monkeypatch, tmp_path):
    app, (council_id, import_id) = file_app
    read, failures, beats = threading.Event(), [], []

    def job_that_reads_then_writes(job_id, _path, *, pseudonym_key):
        job = find(AnnexAImport, job_id)  # the read: the transaction has begun
        read.set()
        time.sleep(0.5)  # the heartbeat writes meanwhile
        db.session.execute(
            update(AnnexAImport).where(AnnexAImport.id == job.id).values(status=ImportStatus.RUNNING, progress=50)
        )
        db.session.commit()

    def beat_meanwhile():
        read.wait(10)
        try:
            jobs._watch(app).beat()
            beats.append(1)
        except Exception as error:  # noqa: BLE001 - the failure is the test's finding
            failures.append(f"heartbeat: {error}")

    monkeypatch.setattr(imports, "run_import", job_that_reads_then_writes)
    beating = threading.Thread(target=beat_meanwhile)
    beating.start()
    with app.app_context():
        try:
            jobs._run(council_id, import_id, str(tmp_path / "annex-a.xlsx"))
        except Exception as error:  # noqa: BLE001
            failures.append(f"job: {error}")
    beating.join(30)
    assert failures == [] and beats == [1]
    with app.app_context(), acting_for(council_id):
        job = db.session.scalars(select(AnnexAImport)).one()
        assert job.status is ImportStatus.RUNNING and job.heartbeat_at is not None
    assert Path(tmp_path / "jobs.sqlite").exists()


def test_the_heartbeat_is_written_while_the_job_reads_its_workbook(file_app, monkeypatch, tmp_path):
    """The job holds no transaction while it reads: a long read never holds the heartbeat off
    (which would, past the lease, make the job look stopped). Were a transaction open, the
    beat would wait out the busy timeout and be refused."""
    app, (council_id, import_id) = file_app
    reading, done_beating, outcome = threading.Event(), threading.Event(), []

    def slow_read(_path, _mappings):
        reading.set()
        done_beating.wait(30)  # the read goes on until the heartbeat has been written
        raise imports.WorkbookUnreadable("The test stops the job here")

    def run_the_job():
        with app.app_context():
            jobs._run(council_id, import_id, str(tmp_path / "annex-a.xlsx"))

    monkeypatch.setattr(imports, "read_workbook", slow_read)
    job = threading.Thread(target=run_the_job)
    job.start()
    assert reading.wait(10)
    try:
        jobs._watch(app).beat()
        outcome.append("beat")
    except Exception as error:  # noqa: BLE001 - the failure is the test's finding
        outcome.append(f"heartbeat refused: {error}")
    finally:
        done_beating.set()
    job.join(30)
    assert outcome == ["beat"]
    with app.app_context(), acting_for(council_id):
        job_row = db.session.scalars(select(AnnexAImport)).one()
        assert job_row.heartbeat_at is not None
        assert job_row.status is ImportStatus.FAILED and "The test stops the job here" in job_row.error
