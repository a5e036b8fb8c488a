"""The Annex A readiness report, the import's own period, confirmation over a month's figures,
the history of imports and the uploader named in the audit log."""

import io
import re
from pathlib import Path
from tempfile import mkdtemp

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from councils import clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.performance import indicators
from evidence.performance.annex_a import imports
from evidence.performance.models import (
    AnnexAFigureChange,
    AnnexAImport,
    ImportStatus,
    Indicator,
    IndicatorValue,
    JobKind,
)
from inspect_ready import jobs
from inspect_ready.exports import XLSX_TYPE
from inspect_ready.pseudonyms import pseudonym_key
from tests.support import annex_a_template as fixture
from tests.support import bad_workbooks, factories
from tests.support.client_request import parse, url
from tests.support.factories import make_user, sign_in_as
from tests.support.pages import page_text, text

# A figure every month of the fixture gives (care leavers' figures come only for the
# workbook's own month).
HEALTH = "cic_health_assessments_in_date"
# Findings in the fixture: the per-list counts plus the rows the checks across lists name.
FINDINGS = sum(sum(v for k, v in counts.items() if k not in ("rows", "children")) for counts in
               fixture.EXPECTED_LISTS.values()) + sum(len(rows) for rows in fixture.EXPECTED_CROSS_ROWS.values())  # fmt: skip


@pytest.fixture(autouse=True)
def checked_on(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: fixture.CHECKED_ON)


@pytest.fixture()
def leader(client):
    council = factories.make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    user = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    sign_in_as(client, user)
    return user


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> bytes:
    return fixture.write_template_workbook(tmp_path_factory.mktemp("annex") / "annex-a.xlsx").read_bytes()


def _import(client_request, content: bytes, month: int, year: int = 2025):
    response = client_request.post_response(
        "performance.annex_a",
        _data={
            "month": str(month),
            "year": str(year),
            "cp_visit_working_days": "10",
            "workbook": (io.BytesIO(content), "annex-a.xlsx"),
        },
        _content_type="multipart/form-data",
        _expected_status=302,
    )
    return client_request.follow(response)


def _jobs() -> list[AnnexAImport]:
    return list(db.session.scalars(select(AnnexAImport).order_by(AnnexAImport.id)))


def _value(code: str, month) -> IndicatorValue | None:
    indicator = db.session.scalars(select(Indicator).where(Indicator.code == code)).one()
    return db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == month)
    ).one_or_none()


def _xlsx_rows(response) -> list[tuple]:
    assert response.headers["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def _assert_no_child_data(rows: list[tuple]) -> None:
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    assert not cells & set(fixture.RAW_CHILD_IDS), "a child's own id is in the download"
    assert not any(re.search(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}", cell) for cell in cells), "a date"
    assert not cells & {"x) Other", "Financial", "Z9", "XX", "Maybe"}, "a value from the workbook"
    assert not any(value in cell for cell in cells for value in ("x) Other", "Financial", "'Z9'", "Maybe"))


def test_an_import_keeps_a_readiness_report_and_its_rows_to_fix(client_request, leader, workbook):
    page = _import(client_request, workbook, 8)
    with acting_for(leader.council_id):
        job = _jobs()[0]
        assert job.status is ImportStatus.SUCCEEDED
        assert (job.period_start, job.period_end) == (fixture.PERIOD_START, fixture.AS_AT)
    assert "Readiness of the workbook" in page_text(page)
    first = [text(item) for item in page.select("ol.govuk-list--number li")]
    assert first[0].startswith("List 2 (Early Help), List 4 (Assessments)")
    assert "2 children on list 9 are past their 25th birthday." in first

    readiness = client_request.get("performance.annex_a_readiness")
    assert "From the latest import" in page_text(readiness)
    assert "can give figures for June 2025 to October 2025" in page_text(readiness)
    link = readiness.select_one("a[download]")["href"]
    assert link == url("performance.annex_a_rows_to_fix", import_id=job.id)

    rows = _xlsx_rows(client_request.get_response("performance.annex_a_rows_to_fix", import_id=job.id))
    assert rows[0] == ("List", "Row", "Child (pseudonymised)", "Check", "Column", "What to fix")
    assert len(rows) - 1 == FINDINGS
    assert ("List 7 (Child Protection)", 6) in {(row[0], row[1]) for row in rows}
    _assert_no_child_data(rows)


def _check(client_request, content: bytes):
    """Upload a workbook for a readiness check; the job runs (immediate mode); its page."""
    _data = {"workbook": (io.BytesIO(content), "annex-a.xlsx"), "check": "Check the workbook"}
    response = client_request.post_response(
        "performance.check_annex_a_readiness", _data=_data, _content_type="multipart/form-data", _expected_status=302
    )
    return response, client_request.follow(response)


def test_a_workbook_checked_by_the_worker_is_reported_and_nothing_is_imported(client_request, client, leader, workbook):
    response, page = _check(client_request, workbook)
    with acting_for(leader.council_id):
        (job,) = _jobs()
        assert job.kind is JobKind.CHECK and job.status is ImportStatus.SUCCEEDED
        assert response.headers["Location"] == url("performance.annex_a_check", check_id=job.id)
        assert (job.period_start, job.period_end) == (fixture.PERIOD_START, fixture.AS_AT)
        assert db.session.scalar(select(func.count(IndicatorValue.id))) == 0
        assert "figures" not in job.result
    assert not jobs.workbook_path(leader.council_id, job.id).exists(), "the workbook is deleted once read"
    assert "nothing was imported" in page_text(page)
    cells = {row.select_one("th").get_text(" ", strip=True): [text(td) for td in row.select("td")]
             for row in page.select("table.govuk-table")[0].select("tbody tr")}  # fmt: skip
    assert cells["List 8 (Children in Care)"] == ["7", "7", "0", "2", "0", "0", "1"]
    assert cells["List 2 (Early Help)"] == ["Not in the workbook"]

    link = page.select_one("a[download]")["href"]
    assert link == url("performance.annex_a_rows_to_fix", import_id=job.id)
    rows = _xlsx_rows(client.get(link))
    assert len(rows) - 1 == FINDINGS
    _assert_no_child_data(rows)

    # The readiness page shows the latest report, saying it came from a check.
    readiness = client_request.get("performance.annex_a_readiness")
    assert "From the latest workbook checked" in page_text(readiness)
    assert readiness.select_one(f"a[href='{url('performance.annex_a_check', check_id=job.id)}']") is not None
    # A check is not an import: not in the history, and its id on the import page leads to its own page.
    assert "annex-a.xlsx" not in page_text(client_request.get("performance.annex_a_history"))
    moved = client_request.get_response("performance.annex_a_import", import_id=job.id, _expected_status=302)
    assert moved.headers["Location"] == url("performance.annex_a_check", check_id=job.id)
    with acting_for(leader.council_id):
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert "annex_a_check.queued" in actions and not any(a.startswith("annex_a_import.") for a in actions)


def test_a_check_in_progress_shows_its_progress_and_a_button_that_works_without_javascript(client_request, leader):
    with acting_for(leader.council_id):
        job = imports.queue_check(filename="annex-a.xlsx", requested_by=leader.email, requested_by_id=leader.id)
        job.status, job.progress = ImportStatus.RUNNING, 50
        db.session.commit()
    page = client_request.get("performance.annex_a_check", check_id=job.id)
    assert "Running: 50% done." in page_text(page)
    button = page.select_one("a.govuk-button")
    assert text(button) == "Check progress"
    assert button["href"] == url("performance.annex_a_check", check_id=job.id)
    # Polled by htmx until done, then sent to the check's page, not an import's.
    progress = page.select_one("#import-progress")
    assert progress["hx-get"] == url("performance.annex_a_progress", import_id=job.id)
    with acting_for(leader.council_id):
        job.status, job.progress = ImportStatus.SUCCEEDED, 100
        job.result = {"rows": 0, "unplaced": [], "readiness": None}
        db.session.commit()
    done = client_request.get_response("performance.annex_a_progress", import_id=job.id, _expected_status=204,
                                       _headers={"HX-Request": "true"})  # fmt: skip
    assert done.headers["HX-Redirect"] == url("performance.annex_a_check", check_id=job.id)


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not really a zip", b"", b"%PDF-1.7 a letter"], ids=["broken zip", "empty", "a PDF"]
)
def test_a_file_that_is_not_a_workbook_is_refused_on_the_field_when_uploaded(client_request, leader, content):
    page = parse(
        client_request.post_response(
            "performance.check_annex_a_readiness",
            _data={"workbook": (io.BytesIO(content), "annex-a.xlsx"), "check": "Check the workbook"},
            _content_type="multipart/form-data",
            _expected_status=400,
        )
    )
    message = text(page.select_one("#workbook-error"))
    assert message.startswith("Error: The file could not be read as an Excel workbook: it may be damaged")
    assert "Calamine" not in message and "Zip" not in message
    with acting_for(leader.council_id):
        assert _jobs() == []


def test_a_workbook_damaged_inside_fails_its_check_in_words(client_request, leader):
    # Whole enough to open (its zip directory and index of sheets), so the job finds the damage.
    content = bad_workbooks.damaged_inside(fixture.write_template_workbook(Path(mkdtemp()) / "a.xlsx").read_bytes())
    _, page = _check(client_request, content)
    summary = page.select_one(".govuk-error-summary")
    assert text(summary.select_one("h2")) == "The check failed"
    message = text(summary.select_one("p"))
    assert message.startswith("The file could not be read as an Excel workbook")
    assert message.endswith("Nothing was changed.")
    assert "CalamineError" not in message and "Zip" not in message
    with acting_for(leader.council_id):
        (job,) = _jobs()
        assert job.status is ImportStatus.FAILED
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "annex_a_check.failed"))
    assert not jobs.workbook_path(leader.council_id, job.id).exists()


def test_a_check_without_a_file_is_refused_on_the_field(client_request, leader):
    page = parse(
        client_request.post_response(
            "performance.check_annex_a_readiness",
            _data={"check": "Check the workbook"},
            _content_type="multipart/form-data",
            _expected_status=400,
        )
    )
    assert text(page.select_one(".govuk-error-message")) == "Error: Choose the Annex A workbook"
    with acting_for(leader.council_id):
        assert _jobs() == []


def test_an_administrator_reads_the_report_but_cannot_upload_and_a_peer_reviewer_is_refused(client_request, leader):
    council = factories.make_council()
    administrator, reviewer = make_user(council, Role.ADMINISTRATOR), make_user(council, Role.PEER_REVIEWER)
    db.session.commit()
    client_request.sign_in(administrator)
    page = client_request.get("performance.annex_a_readiness")
    assert "No import or check has a readiness report yet." in page_text(page)
    assert page.select_one("input[type=file]") is None
    client_request.sign_in(reviewer)
    client_request.get("performance.annex_a_readiness", _expected_status=403)


def test_a_month_the_workbook_does_not_cover_whole_is_refused(client_request, leader, workbook):
    page = _import(client_request, workbook, 11)  # the workbook ends on 14 November
    reason = text(page.select_one(".govuk-error-summary__body"))
    assert reason == (
        "The workbook's dates run from 15 May 2025 to 14 November 2025, so it can give figures for June 2025 to "
        "October 2025, not for November 2025. Choose one of those months and upload it again. Nothing was changed."
    )
    with acting_for(leader.council_id):
        assert _jobs()[0].status is ImportStatus.FAILED
        assert db.session.scalar(select(func.count(IndicatorValue.id))) == 0


def test_figures_over_a_month_that_has_them_wait_until_a_person_confirms(client_request, leader, workbook):
    june = fixture.MONTHS[0]
    with acting_for(leader.council_id):
        held = db.session.scalars(select(Indicator).where(Indicator.code == HEALTH)).one()
        indicators.record_value(held, june, 12.5, numerator=1, denominator=8)
        db.session.commit()
    page = _import(client_request, workbook, 6)
    assert "June 2025 already has figures. Nothing has been saved" in page_text(page)
    row = next(r for r in page.select("table tbody tr") if "health assessment" in text(r.select_one("th")))
    now, new = (text(cell) for cell in row.select("td"))
    with acting_for(leader.council_id):
        job = _jobs()[0]
        assert job.status is ImportStatus.AWAITING_CONFIRMATION
        figure = next(f for f in job.result["figures"] if f["key"] == HEALTH)
        assert _value(HEALTH, june).value == 12.5, "saved before anyone confirmed"
        assert db.session.scalar(select(func.count(AnnexAFigureChange.id))) == 0
    assert now == "12.5% (1 of 8)"
    assert new == f"{figure['value']:.1f}% ({figure['numerator']} of {figure['denominator']})"

    client_request.post("performance.confirm_annex_a", import_id=job.id, _data={"confirm": "Save the new figures"})
    with acting_for(leader.council_id):
        job = db.session.get(AnnexAImport, job.id)
        assert job.status is ImportStatus.SUCCEEDED and job.saved_by == leader.email
        assert _value(HEALTH, june).value == figure["value"]
        change = next(c for c in job.changes if c.figure == HEALTH)
        assert (change.before_value, change.before_numerator, change.before_denominator) == (12.5, 1, 8)
        assert (change.after_value, change.after_denominator) == (figure["value"], figure["denominator"])
        confirmed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "indicator_value.changed")).all()
        assert confirmed and {event.actor_name for event in confirmed} == {leader.email}
    client_request.post(
        "performance.confirm_annex_a", import_id=job.id, _data={"confirm": "Save"}, _follow_redirects=True
    )  # a second confirmation finds nothing waiting, and says so
    with acting_for(leader.council_id):
        assert db.session.scalar(select(func.count(AnnexAFigureChange.id))) == len(job.changes)


def test_keeping_the_months_figures_saves_nothing(client_request, leader, workbook):
    _import(client_request, workbook, 7)
    with acting_for(leader.council_id):
        first = _value(HEALTH, fixture.MONTHS[1])
        recorded = (first.value, first.recorded_at)
    _import(client_request, workbook, 7)
    with acting_for(leader.council_id):
        job = _jobs()[1]
        assert job.status is ImportStatus.AWAITING_CONFIRMATION
    client_request.post("performance.confirm_annex_a", import_id=job.id, _data={"decline": "Keep"})
    with acting_for(leader.council_id):
        assert db.session.get(AnnexAImport, job.id).status is ImportStatus.DECLINED
        again = _value(HEALTH, fixture.MONTHS[1])
        assert (again.value, again.recorded_at) == recorded


def test_the_history_lists_every_import_with_who_when_and_the_figures(client_request, leader, workbook):
    _import(client_request, workbook, 8)
    _import(client_request, workbook, 11)
    page = client_request.get("performance.annex_a_history")
    rows = page.select("table tbody tr")
    assert len(rows) == 2
    failed, saved = ([text(cell) for cell in row.select("td")] for row in rows)  # the latest first
    assert saved[1] == leader.email and saved[2] == "annex-a.xlsx" and saved[3] == "August 2025"
    assert saved[4] == "15 May 2025 to 14 November 2025"
    assert saved[5].startswith("Finished: saved by " + leader.email)
    assert "Children in care with a health assessment in date: none to" in saved[6]
    assert failed[5] == "Failed" and failed[6] == "None saved"


def test_the_audit_log_names_the_uploader_though_the_job_runs_in_the_worker(app, leader, workbook, tmp_path):
    """The worker runs the job outside any request: no one is signed in there."""
    path = tmp_path / "upload.xlsx"
    path.write_bytes(workbook)
    with app.app_context(), acting_for(leader.council_id):
        job = imports.queue_import(
            filename="annex-a.xlsx",
            month=fixture.MONTHS[2],
            cp_visit_working_days=10,
            requested_by=leader.email,
            requested_by_id=leader.id,
        )
        db.session.commit()
        imports.run_import(job.id, Path(path), pseudonym_key=pseudonym_key(leader.council_id))
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(["annex_a_import.succeeded", "indicator_value.recorded"]))
        ).all()
        assert {event.action for event in events} == {"annex_a_import.succeeded", "indicator_value.recorded"}
        assert {event.actor_name for event in events} == {leader.email}
        assert {event.actor_id for event in events} == {leader.id}


def test_a_refused_import_is_the_uploaders_in_the_audit_log_too(app, leader, workbook, tmp_path):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(workbook)
    with app.app_context(), acting_for(leader.council_id):
        job = imports.queue_import(
            filename="annex-a.xlsx",
            month=fixture.AS_AT,  # November: the workbook ends on the 14th
            cp_visit_working_days=10,
            requested_by=leader.email,
            requested_by_id=leader.id,
        )
        db.session.commit()
        imports.run_import(job.id, Path(path), pseudonym_key=pseudonym_key(leader.council_id))
        failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "annex_a_import.failed")).one()
        assert failed.actor_name == leader.email
        assert "not for November 2025" in failed.detail


def test_another_council_can_neither_confirm_nor_read_an_import(client_request, leader, workbook):
    june = fixture.MONTHS[0]
    with acting_for(leader.council_id):
        held = db.session.scalars(select(Indicator).where(Indicator.code == HEALTH)).one()
        indicators.record_value(held, june, 12.5, numerator=1, denominator=8)
        db.session.commit()
    _import(client_request, workbook, 6)
    with acting_for(leader.council_id):
        job_id = _jobs()[0].id
    other = factories.make_council()
    client_request.sign_in(make_user(other, Role.SENIOR_LEADER))
    db.session.commit()
    client_request.post(
        "performance.confirm_annex_a", import_id=job_id, _data={"confirm": "Save"}, _expected_status=404
    )
    client_request.get("performance.annex_a_rows_to_fix", import_id=job_id, _expected_status=404)
    assert "No import or check has a readiness report yet." in page_text(
        client_request.get("performance.annex_a_readiness")
    )
    with acting_for(leader.council_id):
        assert _value(HEALTH, june).value == 12.5
        assert db.session.get(AnnexAImport, job_id).status is ImportStatus.AWAITING_CONFIRMATION
