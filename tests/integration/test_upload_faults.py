"""Uploads that break readers, and jobs whose worker is gone: every one ends with words, never
a dropped connection or a job running for ever, and leaves no workbook behind."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from huey import MemoryHuey, RedisHuey
from sqlalchemy import func, select

from councils import clock
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.case_audits.models import CaseAudit
from evidence.performance import indicators
from evidence.performance.models import AnnexAImport, ImportStatus, IndicatorValue, JobKind
from inspect_ready import jobs
from tests.support import bad_workbooks, factories
from tests.support.client_request import url
from tests.support.factories import make_user, sign_in_as
from tests.support.pages import text

ANNEX_A_FORM = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}


@pytest.fixture()
def leader(client):
    council = factories.make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    user = make_user(council, Role.SENIOR_LEADER)
    sign_in_as(client, user)
    return user


@pytest.fixture()
def head(client):
    user = make_user(factories.make_council(), Role.HEAD_OF_SERVICE, service_area=ServiceArea.CHILD_PROTECTION)
    sign_in_as(client, user)
    return user


def _post_file(client_request, endpoint, field, filename, content, status, **fields):
    return client_request.post_response(
        endpoint,
        _data={**fields, field: (io.BytesIO(content), filename)},
        _content_type="multipart/form-data",
        _expected_status=status,
    )


def _uploads(app) -> list[Path]:
    return list((Path(app.instance_path) / "annex_a_uploads").glob("*"))


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# Reading ---------------------------------------------------------------------------------


def test_an_audit_import_of_a_workbook_that_panics_the_reader_says_so(client_request, head):
    response = _post_file(client_request, "audits.import_audits", "file", "audits.xlsx", bad_workbooks.panicking(), 400)
    assert "Part of the workbook could not be read" in response.get_data(as_text=True)
    with acting_for(head.council_id):
        assert _count(CaseAudit) == 0


def test_an_audit_import_of_a_million_rows_is_refused_by_its_shape(client_request, head):
    data = bad_workbooks.cell_at(1_000_000, "A")
    response = _post_file(client_request, "audits.import_audits", "file", "audits.xlsx", data, 400)
    assert "has more rows than this import takes: at most 5,001" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bad_workbooks.panicking(), "Part of the workbook could not be read"),
        (b"PK\x03\x04 a damaged workbook", "could not be read as an Excel workbook"),
        (bad_workbooks.cell_at(1_000_000, "A"), "has more rows than this import takes"),
    ],
    ids=["panics the reader", "damaged", "a million rows"],
)
def test_a_values_import_of_a_bad_workbook_says_why(client_request, leader, content, message):
    client_request.get("performance.import_values")
    response = _post_file(client_request, "performance.import_values", "values_file", "values.xlsx", content, 200)
    assert message in response.get_data(as_text=True)
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bad_workbooks.panicking(), "Part of the workbook could not be read"),
        (bad_workbooks.cell_at(200_000, "A"), "has more rows than this import takes: at most 100,031"),
    ],
    ids=["panics the reader", "too many rows"],
)
def test_an_annex_a_job_of_a_bad_workbook_fails_in_words_and_keeps_no_file(
    app, client_request, leader, content, message
):
    client_request.get("performance.annex_a")
    response = _post_file(
        client_request, "performance.annex_a", "workbook", "annex-a.xlsx", content, 302, **ANNEX_A_FORM
    )
    page = client_request.follow(response)
    assert text(page.select_one(".govuk-error-summary__title")) == "The import failed"
    reason = text(page.select_one(".govuk-error-summary__body"))
    assert message in reason and reason.endswith("Nothing was changed.")
    assert "Exception" not in reason and "Error" not in reason
    assert not page.select("[hx-get]"), "a finished job's page still polls"
    assert _uploads(app) == []


# The queue -------------------------------------------------------------------------------


def test_a_job_the_queue_refuses_at_upload_fails_at_once_and_keeps_no_file(app, client_request, leader, monkeypatch):
    # Nothing listens on port 1: queueing raises redis's ConnectionError, as with Redis down.
    unreachable = RedisHuey("inspect-ready-test", url="redis://127.0.0.1:1/0")
    task = unreachable.task(name=jobs.TASK_NAME)(lambda *args: None)
    monkeypatch.setitem(app.extensions["huey_tasks"], jobs.TASK_NAME, task)
    client_request.get("performance.annex_a")
    content = bad_workbooks.xlsx([["Child Unique ID"]])
    response = _post_file(
        client_request, "performance.annex_a", "workbook", "annex-a.xlsx", content, 302, **ANNEX_A_FORM
    )
    page = client_request.follow(response)
    assert "the service's job queue is not answering" in text(page.select_one(".govuk-error-summary__body"))
    with acting_for(leader.council_id):
        assert db.session.scalars(select(AnnexAImport)).one().status is ImportStatus.FAILED
    assert _uploads(app) == []


def _job(
    council_id: int,
    status: ImportStatus,
    *,
    age: dt.timedelta,
    heartbeat_age: dt.timedelta | None,
    kind: JobKind = JobKind.IMPORT,
):
    now = clock.now()
    with acting_for(council_id):
        job = AnnexAImport(
            kind=kind,
            filename="annex-a.xlsx",
            month=dt.date(2025, 3, 1),
            cp_visit_working_days=10,
            requested_by="leader@example.org",
            created_at=now - age,
            heartbeat_at=None if heartbeat_age is None else now - heartbeat_age,
            status=status,
            progress=5 if status is ImportStatus.RUNNING else 0,
        )
        db.session.add(job)
        db.session.commit()
    jobs.workbook_path(council_id, job.id).write_bytes(b"the uploaded workbook")
    return job


def test_the_sweep_fails_jobs_nobody_runs_and_deletes_their_workbooks(app, leader, monkeypatch):
    lease = jobs.lease(app)
    council = leader.council_id
    with app.app_context():
        dead = _job(council, ImportStatus.RUNNING, age=5 * lease, heartbeat_age=lease + dt.timedelta(seconds=1))
        alive = _job(council, ImportStatus.RUNNING, age=5 * lease, heartbeat_age=dt.timedelta(seconds=1))
        lost = _job(council, ImportStatus.QUEUED, age=3 * lease, heartbeat_age=None)
        waiting = _job(council, ImportStatus.QUEUED, age=3 * lease, heartbeat_age=None)
        just_queued = _job(council, ImportStatus.QUEUED, age=dt.timedelta(seconds=1), heartbeat_age=None)
        queue = MemoryHuey("inspect-ready-test")
        queue.task(name=jobs.TASK_NAME)(lambda *args: None)(council, waiting.id, "annex-a.xlsx")
        monkeypatch.setitem(app.extensions, "huey", queue)
        assert jobs.sweep(app) == 2
        assert jobs.sweep(app) == 0  # once failed, a job is left alone
    with acting_for(council):
        db.session.expire_all()
        assert dead.status is ImportStatus.FAILED and "the service's job worker stopped" in dead.error
        assert lost.status is ImportStatus.FAILED and "the service's job queue did not take it" in lost.error
        assert dead.error.endswith("Nothing was changed.") and dead.finished_at is not None
        assert [job.status for job in (alive, waiting, just_queued)] == [ImportStatus.RUNNING, ImportStatus.QUEUED] + [
            ImportStatus.QUEUED
        ]
    with app.app_context():
        assert sorted(path.name for path in _uploads(app)) == sorted(
            jobs.workbook_path(council, job.id).name for job in (alive, waiting, just_queued)
        )
        for job in (alive, waiting, just_queued):
            jobs.workbook_path(council, job.id).unlink()


def test_a_job_whose_worker_stopped_beating_stops_polling_without_a_write(app, client_request, leader):
    with app.app_context():
        job = _job(leader.council_id, ImportStatus.RUNNING, age=jobs.lease(app) * 3, heartbeat_age=jobs.lease(app) * 2)
        jobs.workbook_path(leader.council_id, job.id).unlink()
    page = client_request.get("performance.annex_a_import", import_id=job.id)
    assert text(page.select_one(".govuk-error-summary__title")) == "The import stopped"
    assert not page.select("[hx-get]")
    fragment = client_request.get_response(
        "performance.annex_a_progress", import_id=job.id, _headers={"HX-Request": "true"}, _expected_status=204
    )
    assert fragment.headers["HX-Redirect"] == url("performance.annex_a_import", import_id=job.id)
    with acting_for(leader.council_id):
        db.session.expire_all()
        assert job.status is ImportStatus.RUNNING  # a page only reads: the sweep writes


def test_a_readiness_check_whose_worker_died_is_failed_by_the_sweep_in_its_own_words(app, client_request, leader):
    lease = jobs.lease(app)
    with app.app_context():
        job = _job(leader.council_id, ImportStatus.RUNNING, age=5 * lease, heartbeat_age=2 * lease, kind=JobKind.CHECK)
    page = client_request.get("performance.annex_a_check", check_id=job.id)
    assert text(page.select_one(".govuk-error-summary__title")) == "The check stopped"
    assert not page.select("[hx-get]"), "a check whose worker stopped still polls"
    fragment = client_request.get_response(
        "performance.annex_a_progress", import_id=job.id, _headers={"HX-Request": "true"}, _expected_status=204
    )
    assert fragment.headers["HX-Redirect"] == url("performance.annex_a_check", check_id=job.id)
    with app.app_context():
        assert jobs.sweep(app) == 1
    with acting_for(leader.council_id):
        db.session.expire_all()
        assert job.status is ImportStatus.FAILED
        assert job.error.startswith("The readiness check stopped before it finished: the service's job worker stopped")
    with app.app_context():
        assert _uploads(app) == []
    page = client_request.get("performance.annex_a_check", check_id=job.id)
    assert text(page.select_one(".govuk-error-summary__title")) == "The check failed"
    assert "The readiness check stopped before it finished" in text(page.select_one(".govuk-error-summary__body"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bad_workbooks.panicking(), "Part of the workbook could not be read"),
        (bad_workbooks.cell_at(200_000, "A"), "has more rows than this import takes: at most 100,031"),
    ],
    ids=["panics the reader", "too many rows"],
)
def test_a_readiness_check_of_a_bad_workbook_fails_in_words_and_keeps_no_file(
    app, client_request, leader, content, message
):
    client_request.get("performance.annex_a_readiness")
    response = _post_file(
        client_request, "performance.check_annex_a_readiness", "workbook", "annex-a.xlsx", content, 302
    )
    page = client_request.follow(response)
    assert text(page.select_one(".govuk-error-summary__title")) == "The check failed"
    reason = text(page.select_one(".govuk-error-summary__body"))
    assert message in reason and reason.endswith("Nothing was changed.")
    assert "Exception" not in reason and "Error" not in reason
    assert _uploads(app) == []


def test_a_running_job_that_beats_keeps_polling(app, client_request, leader):
    with app.app_context():
        job = _job(leader.council_id, ImportStatus.RUNNING, age=jobs.lease(app) * 3, heartbeat_age=dt.timedelta(0))
        jobs.workbook_path(leader.council_id, job.id).unlink()
    page = client_request.get("performance.annex_a_import", import_id=job.id)
    assert page.select_one("#import-progress[hx-get]") is not None


def test_the_sweep_deletes_previews_older_than_an_hour_without_any_import(app):
    """The consumer's watch sweeps every few seconds: an unconfirmed preview goes once its hour
    is up, even if no one imports again (previews are checked child-level rows)."""
    import os
    import time

    from inspect_ready import previews

    folder = Path(app.instance_path) / "previews"
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / "audits-old.json", folder / "audits-new.json"
    for path in (old, new):
        path.write_text("[]")
    hour_and_a_bit = time.time() - previews.KEPT_SECONDS - 60
    os.utime(old, (hour_and_a_bit, hour_and_a_bit))
    jobs.sweep(app)
    assert not old.exists() and new.exists()
    new.unlink()
