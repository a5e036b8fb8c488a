"""An Annex A import: a council's workbook read and its figures stored, as one background job.

The job's state lives in a council-owned row, so only that council sees its progress. The
figures for the month are written in one transaction with the job's result; if anything
fails, that transaction is rolled back and the job is marked failed with a readable reason,
so a failed import changes nothing. Child-level rows are never stored: only the figures,
and for rows that could not be used, their row number and why (the readiness report's rows
carry a pseudonymised child id, never the id itself).

The workbook's own dates say which months it can give (annex_a/period.py): a month it does
not cover whole is refused. A month that already holds figures is not overwritten by the
worker: the job waits, the page shows old and new side by side, and the figures are saved
only when a person confirms. Every saved figure is kept with its value before and after
(AnnexAFigureChange), and the audit log names the uploader, not "system", though the job
runs in the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.models import User
from councils.tenancy import find
from evidence.performance import indicators
from evidence.performance.annex_a.heading_mappings import council_mappings
from evidence.performance.annex_a.list_rows import ListRows, from_reader
from evidence.performance.annex_a.measures import (
    DEFAULT_CP_VISIT_WORKING_DAYS,
    Period,
    Result,
    figures_of,
    unplaced_headings,
)
from evidence.performance.annex_a.period import WorkbookPeriod, workbook_period
from evidence.performance.annex_a.readiness import check_workbook, pseudonymiser
from evidence.performance.annex_a.sheets import WorkbookUnreadable, check_upload
from evidence.performance.annex_a.workbook import AnnexAWorkbook, read_lists
from evidence.performance.models import AnnexAFigureChange, AnnexAImport, ImportStatus, IndicatorValue, JobKind

# Enough rows for a data team to work through; the page says when there were more.
READINESS_ROWS_KEPT = 2000

log = logging.getLogger(__name__)


class AnnexAImportError(InputError):
    """An Annex A upload that cannot be queued, or a workbook that cannot give the month.
    `unplaced` holds the headings no template column fitted, for the person to map: kept on
    the failed job, so its page can offer the mapping that would let the next upload work."""

    def __init__(self, message: str, field: str | None = None, *, unplaced: list[dict] | None = None):
        super().__init__(message, field)
        self.unplaced = unplaced or []


def month_period(month: dt.date) -> Period:
    return Period.month(month)


def last_visit_standard() -> int:
    """The CP visit standard used last time: a council sets it once, not on every import."""
    previous = db.session.scalar(
        select(AnnexAImport.cp_visit_working_days)
        .where(AnnexAImport.kind == JobKind.IMPORT)
        .order_by(AnnexAImport.id.desc())
        .limit(1)
    )
    return previous or DEFAULT_CP_VISIT_WORKING_DAYS


def queue_import(
    *,
    filename: str,
    month: dt.date,
    cp_visit_working_days: int,
    requested_by: str,
    requested_by_id: int | None = None,
    content: bytes | None = None,
) -> AnnexAImport:
    """An import of a workbook, for the job worker. `content`, the file uploaded, is refused
    here if it is not a workbook at all, as a readiness check's is (`refuse_unopenable`)."""
    refuse_unopenable(filename, content)
    if not 1 <= cp_visit_working_days <= 60:
        raise AnnexAImportError(
            "The local standard for child protection visits must be between 1 and 60 working days",
            "cp_visit_working_days",
        )
    job = _queued(JobKind.IMPORT, filename, month, cp_visit_working_days, requested_by, requested_by_id)
    audit_log.record(
        "annex_a_import.queued", "annex_a_import", job.id, after={"filename": job.filename, "month": job.month}
    )
    return job


def queue_check(
    *, filename: str, requested_by: str, requested_by_id: int | None = None, content: bytes | None = None
) -> AnnexAImport:
    """A readiness check of a workbook, for the job worker: checked, reported, never imported.
    `content`, the file uploaded: a file that is not a workbook at all is refused here, on the
    upload's field, rather than by the job (`refuse_unopenable`)."""
    refuse_unopenable(filename, content)
    job = _queued(JobKind.CHECK, filename, clock.today(), DEFAULT_CP_VISIT_WORKING_DAYS, requested_by, requested_by_id)
    audit_log.record("annex_a_check.queued", "annex_a_import", job.id, after={"filename": job.filename})
    return job


def refuse_unopenable(filename: str, content: bytes | None) -> None:
    """An upload that is not a workbook at all (by its name, or its zip directory and index of
    sheets: annex_a/sheets.py `check_upload`, a few milliseconds) is refused on the upload's
    field, before a job is queued; a workbook damaged inside still fails in its job, in words."""
    if not filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise AnnexAImportError("The file must be an Excel workbook (.xlsx)", "workbook")
    if content is not None:
        try:
            check_upload(content)
        except WorkbookUnreadable as refused:
            raise AnnexAImportError(str(refused), "workbook") from None


def _queued(kind: JobKind, filename: str, month, cp_visit_working_days: int, requested_by: str, requested_by_id):
    """The job's row, saved so the worker can find it (a check's month is the month it was made)."""
    job = AnnexAImport(
        kind=kind,
        filename=Path(filename).name[:255],
        month=month.replace(day=1),
        cp_visit_working_days=cp_visit_working_days,
        requested_by=requested_by,
        requested_by_id=requested_by_id,
        created_at=clock.now(),
        status=ImportStatus.QUEUED,
    )
    db.session.add(job)
    db.session.flush()
    return job


def run_import(import_id: int, workbook_path: Path, *, pseudonym_key: bytes) -> None:
    """The job itself, an import or a readiness check; runs with the council current (`acting_for`)."""
    uploader = None
    try:
        job = find(AnnexAImport, import_id)
        if job is None or job.status.finished:
            return
        uploader = _uploader(job)
        with audit_log.acting_as(uploader):
            (_check if job.kind is JobKind.CHECK else _run)(job, workbook_path, pseudonym_key)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: B036 - anything else would leave the job running for ever
        db.session.rollback()
        if not isinstance(error, (WorkbookUnreadable, AnnexAImportError, indicators.IndicatorError)):
            log.exception("Annex A import %s failed", import_id)
        with audit_log.acting_as(uploader):  # a failure is the uploader's import too
            _fail(import_id, error)
    finally:
        workbook_path.unlink(missing_ok=True)


def _uploader(job: AnnexAImport) -> User | None:
    return db.session.get(User, job.requested_by_id) if job.requested_by_id else None


def _run(job: AnnexAImport, workbook_path: Path, pseudonym_key: bytes) -> None:
    month, cp_visit_working_days = job.month, job.cp_visit_working_days
    workbook, lists = _read(job, workbook_path)
    period = workbook_period(lists, clock.today())
    try:
        _check_month(month, period)
    except AnnexAImportError as refused:
        refused.unplaced = unplaced_headings(workbook)
        raise
    result, readiness = figures_and_readiness(
        workbook,
        lists,
        period,
        month=month,
        cp_visit_working_days=cp_visit_working_days,
        today=clock.today(),
        pseudonym=pseudonymiser(pseudonym_key),
    )
    job.period_start, job.period_end = period.start, period.as_at
    _progress(job, ImportStatus.RUNNING, 80)
    job.result = {
        **result.to_dict(),
        "rows": result.rows,
        "stored": 0,
        "unplaced": result.unplaced,
        "readiness": readiness,
    }
    job.finished_at = clock.now()
    if _months_values(job.month):
        job.status, job.progress = ImportStatus.AWAITING_CONFIRMATION, 100
        audit_log.record(
            "annex_a_import.awaiting_confirmation",
            "annex_a_import",
            job.id,
            detail=f"{job.month:%B %Y} already holds figures; nothing saved until confirmed",
        )
    else:
        _save(job, job.requested_by)
    db.session.commit()


def _check(job: AnnexAImport, workbook_path: Path, pseudonym_key: bytes) -> None:
    """A readiness check: the same read as an import's, the report kept, no figure computed."""
    workbook, lists = _read(job, workbook_path)
    report = check_workbook(lists, today=clock.today(), pseudonym=pseudonymiser(pseudonym_key))
    if report.period:
        job.period_start, job.period_end = report.period.start, report.period.as_at
    job.result = {
        "rows": workbook.rows(),
        "unplaced": unplaced_headings(workbook),
        "readiness": _kept(report.to_dict()),
    }
    job.status, job.progress, job.finished_at = ImportStatus.SUCCEEDED, 100, clock.now()
    db.session.commit()


def _read(job: AnnexAImport, workbook_path: Path) -> tuple[AnnexAWorkbook, dict[int, ListRows]]:
    """The job's read of the workbook, with no transaction open while it reads or while the
    caller then works out its figures: on SQLite the job's transactions take the write lock as
    they begin (beside the heartbeat's writes), so one left open would hold the heartbeat off
    for the whole read, and a long read would look like a worker that had stopped."""
    mappings = council_mappings()
    _progress(job, ImportStatus.RUNNING, 5)
    workbook, lists = read_workbook(workbook_path, mappings)
    _progress(job, ImportStatus.RUNNING, 50)
    return workbook, lists


def read_workbook(path: Path, mappings: dict[int, dict[str, str]]) -> tuple[AnnexAWorkbook, dict[int, ListRows]]:
    """One read of the file, every list and column (the readiness report checks them all),
    for both the figures and the readiness report."""
    workbook = read_lists(path, mappings=mappings)
    return workbook, from_reader(workbook)


def figures_and_readiness(
    workbook: AnnexAWorkbook,
    lists: dict[int, ListRows],
    period: WorkbookPeriod,
    *,
    month: dt.date,
    cp_visit_working_days: int,
    today: dt.date,
    pseudonym: Callable[[object], str],
) -> tuple[Result, dict]:
    """The month's figures and the readiness report (its rows to fix cut to what is kept)."""
    result = figures_of(workbook, month_period(month), cp_visit_working_days=cp_visit_working_days, today=today)
    readiness = check_workbook(lists, today=today, pseudonym=pseudonym, period=period).to_dict()
    return result, _kept(readiness)


def _kept(readiness: dict) -> dict:
    kept = readiness["rows_to_fix"][:READINESS_ROWS_KEPT]
    return {**readiness, "rows_to_fix": kept, "rows_to_fix_count": len(readiness["rows_to_fix"])}


def _check_month(month: dt.date, period: WorkbookPeriod | None) -> None:
    if period is None:
        raise AnnexAImportError(
            "The workbook has no dates the import can read, so it cannot give figures for any month."
        )
    if not period.covers(month):
        raise AnnexAImportError(
            f"The workbook's dates run from {period.describe()}, so it can give figures for "
            f"{period.describe_months()}, not for {month:%B %Y}. Choose one of those months and upload it again."
        )


def _months_values(month: dt.date) -> dict[int, IndicatorValue]:
    """The month's values already held for the indicators Annex A gives, by indicator."""
    rows = db.session.scalars(
        select(IndicatorValue).join(IndicatorValue.indicator).where(IndicatorValue.period == month.replace(day=1))
    )
    return {row.indicator_id: row for row in rows if row.indicator.annex_a}


def _save(job: AnnexAImport, saved_by: str) -> None:
    """Store the job's figures for its month, keeping each one's value before and after."""
    indicators.ensure_default_indicators()
    indicators.ensure_annex_a_indicators()
    by_measure = {i.annex_a: i for i in indicators.all_indicators() if i.annex_a}
    # As numbers, not rows: record_value changes the month's row in place.
    before = {key: (row.value, row.numerator, row.denominator) for key, row in _months_values(job.month).items()}
    stored = 0
    for figure in job.result["figures"]:
        indicator = by_measure.get(figure["key"])
        if indicator is None or figure["value"] is None:
            continue
        old = before.get(indicator.id)
        # An average in days keeps no numerator: its "numerator" is a sum of days, not a count.
        days = figure.get("unit") == "days"
        counts = {} if days else {"numerator": figure["numerator"], "denominator": figure["denominator"]}
        indicators.record_value(indicator, job.month, figure["value"], source="annex_a", **counts)
        job.changes.append(
            AnnexAFigureChange(
                figure=figure["key"],
                title=figure["title"],
                month=job.month,
                before_value=old[0] if old else None,
                before_numerator=old[1] if old else None,
                before_denominator=old[2] if old else None,
                after_value=figure["value"],
                after_numerator=None if days else figure["numerator"],
                after_denominator=None if days else figure["denominator"],
            )
        )
        stored += 1
    job.result = {**job.result, "stored": stored}
    job.status, job.progress, job.saved_at, job.saved_by = ImportStatus.SUCCEEDED, 100, clock.now(), saved_by
    audit_log.record(
        "annex_a_import.succeeded",
        "annex_a_import",
        job.id,
        detail=f"{stored} figures stored for {job.month:%B %Y}; {len(job.result['problems'])} problems reported",
    )


def comparison(job: AnnexAImport) -> list[dict]:
    """For a job waiting to be confirmed: each figure with the month's value now and the new one."""
    by_measure = {i.annex_a: i for i in indicators.all_indicators() if i.annex_a}
    now = _months_values(job.month)
    rows = []
    for figure in job.result["figures"]:
        indicator = by_measure.get(figure["key"])
        old = now.get(indicator.id) if indicator else None
        rows.append({"title": figure["title"], "before": old, "after": figure, "indicator": indicator})
    return rows


def confirm_import(job: AnnexAImport, *, by: str) -> int:
    """Save a waiting job's figures over the month's: a person's decision, in their request."""
    if job.status is not ImportStatus.AWAITING_CONFIRMATION:
        raise AnnexAImportError("This import is not waiting for confirmation.", "confirm")
    _save(job, by)
    return job.result["stored"]


def decline_import(job: AnnexAImport) -> None:
    if job.status is not ImportStatus.AWAITING_CONFIRMATION:
        raise AnnexAImportError("This import is not waiting for confirmation.", "confirm")
    job.status = ImportStatus.DECLINED
    audit_log.record(
        "annex_a_import.declined",
        "annex_a_import",
        job.id,
        detail=f"The figures for {job.month:%B %Y} were kept; the import's were not saved",
    )


def history() -> list[AnnexAImport]:
    query = select(AnnexAImport).where(AnnexAImport.kind == JobKind.IMPORT).options(selectinload(AnnexAImport.changes))
    return list(db.session.scalars(query.order_by(AnnexAImport.created_at.desc(), AnnexAImport.id.desc())))


def latest_readiness() -> AnnexAImport | None:
    """The latest import or readiness check that produced a readiness report."""
    for job in db.session.scalars(
        select(AnnexAImport).where(AnnexAImport.result.is_not(None)).order_by(AnnexAImport.id.desc()).limit(20)
    ):
        if (job.result or {}).get("readiness"):
            return job
    return None


def _progress(job: AnnexAImport, status: ImportStatus, percent: int) -> None:
    """Only the job's own row is committed here, so the browser can show progress."""
    job.status, job.progress = status, percent
    db.session.commit()


def _fail(import_id: int, error: BaseException) -> None:
    if isinstance(error, (WorkbookUnreadable, AnnexAImportError, indicators.IndicatorError)):
        reason = str(error).rstrip(".") + "."
    else:
        reason = (
            "The {job} stopped because of an unexpected problem. "
            "Try again later; if it happens again, contact your administrator."
        )
    abandon(import_id, reason, unplaced=getattr(error, "unplaced", None))


def abandon(import_id: int, reason: str, *, unplaced: list[dict] | None = None) -> None:
    """Mark the job failed, saying why; for a job that failed, or whose worker is gone.
    "{job}" in the reason becomes what the job was: "import" or "readiness check"."""
    job = find(AnnexAImport, import_id)
    if job is None or job.status.finished:
        return
    job.status, job.finished_at = ImportStatus.FAILED, clock.now()
    if unplaced:
        job.result = {"unplaced": unplaced}
    job.error = reason.replace("{job}", job.kind.label.lower()) + " Nothing was changed."
    action = "annex_a_check.failed" if job.kind is JobKind.CHECK else "annex_a_import.failed"
    audit_log.record(action, "annex_a_import", job.id, detail=job.error[:500])
    db.session.commit()
