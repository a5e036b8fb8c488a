"""An Annex A import: a council's workbook read and its figures stored, as one background job.

The job's state lives in a council-owned row, so only that council sees its progress. The
figures for the month are written in one transaction with the job's result; if anything
fails, that transaction is rolled back and the job is marked failed with a readable reason,
so a failed import changes nothing. Child-level rows are never stored: only the figures,
and for rows that could not be used, their row number and why.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import select

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from councils.tenancy import find
from evidence.performance import indicators
from evidence.performance.annex_a.heading_mappings import council_mappings
from evidence.performance.annex_a.measures import DEFAULT_CP_VISIT_WORKING_DAYS, Period, figures_from_workbook
from evidence.performance.annex_a.sheets import WorkbookUnreadable
from evidence.performance.models import AnnexAImport, ImportStatus

log = logging.getLogger(__name__)


class AnnexAImportError(InputError):
    """An Annex A upload that cannot be queued."""


def month_period(month: dt.date) -> Period:
    return Period.month(month)


def last_visit_standard() -> int:
    """The CP visit standard used last time: a council sets it once, not on every import."""
    previous = db.session.scalar(select(AnnexAImport.cp_visit_working_days).order_by(AnnexAImport.id.desc()).limit(1))
    return previous or DEFAULT_CP_VISIT_WORKING_DAYS


def queue_import(*, filename: str, month: dt.date, cp_visit_working_days: int, requested_by: str) -> AnnexAImport:
    if not filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise AnnexAImportError("The file must be an Excel workbook (.xlsx)", "workbook")
    if not 1 <= cp_visit_working_days <= 60:
        raise AnnexAImportError(
            "The local standard for child protection visits must be between 1 and 60 working days",
            "cp_visit_working_days",
        )
    job = AnnexAImport(
        filename=Path(filename).name[:255],
        month=month.replace(day=1),
        cp_visit_working_days=cp_visit_working_days,
        requested_by=requested_by,
        created_at=clock.now(),
        status=ImportStatus.QUEUED,
    )
    db.session.add(job)
    db.session.flush()
    audit_log.record(
        "annex_a_import.queued", "annex_a_import", job.id, after={"filename": job.filename, "month": job.month}
    )
    return job


def run_import(import_id: int, workbook_path: Path) -> None:
    """The job itself; runs with the council current (`acting_for`)."""
    try:
        job = find(AnnexAImport, import_id)
        if job is None or job.status.finished:
            return
        _progress(job, ImportStatus.RUNNING, 5)
        result = figures_from_workbook(
            workbook_path,
            month_period(job.month),
            cp_visit_working_days=job.cp_visit_working_days,
            mappings=council_mappings(),
            today=clock.today(),
        )
        _progress(job, ImportStatus.RUNNING, 70)
        stored = _store(result.figures, job.month)
        job.result = {**result.to_dict(), "rows": result.rows, "stored": stored, "unplaced": result.unplaced}
        job.status, job.progress, job.finished_at = ImportStatus.SUCCEEDED, 100, clock.now()
        audit_log.record(
            "annex_a_import.succeeded",
            "annex_a_import",
            job.id,
            detail=f"{stored} figures stored for {job.month:%B %Y}; {len(result.problems)} problems reported",
        )
        db.session.commit()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: B036 - anything else would leave the job running for ever
        db.session.rollback()
        if not isinstance(error, (WorkbookUnreadable, AnnexAImportError, indicators.IndicatorError)):
            log.exception("Annex A import %s failed", import_id)
        _fail(import_id, error)
    finally:
        workbook_path.unlink(missing_ok=True)


def _progress(job: AnnexAImport, status: ImportStatus, percent: int) -> None:
    """Only the job's own row is committed here, so the browser can show progress."""
    job.status, job.progress = status, percent
    db.session.commit()


def _store(figures, month: dt.date) -> int:
    indicators.ensure_default_indicators()
    indicators.ensure_annex_a_indicators()
    by_measure = {i.annex_a: i for i in indicators.all_indicators() if i.annex_a}
    stored = 0
    for figure in figures:
        indicator = by_measure.get(figure.key)
        if indicator is None or figure.value is None:
            continue
        # An average in days keeps no numerator: its "numerator" is a sum of days, not a count.
        counts = {} if figure.unit == "days" else {"numerator": figure.numerator, "denominator": figure.denominator}
        indicators.record_value(indicator, month, figure.value, source="annex_a", **counts)
        stored += 1
    return stored


def _fail(import_id: int, error: BaseException) -> None:
    if isinstance(error, (WorkbookUnreadable, AnnexAImportError, indicators.IndicatorError)):
        reason = str(error).rstrip(".") + "."
    else:
        reason = (
            "The import stopped because of an unexpected problem. "
            "Try again later; if it happens again, contact your administrator."
        )
    abandon(import_id, reason)


def abandon(import_id: int, reason: str) -> None:
    """Mark the job failed, saying why; for a job that failed, or whose worker is gone."""
    job = find(AnnexAImport, import_id)
    if job is None or job.status.finished:
        return
    job.status, job.finished_at = ImportStatus.FAILED, clock.now()
    job.error = reason + " Nothing was changed."
    audit_log.record("annex_a_import.failed", "annex_a_import", job.id, detail=job.error[:500])
    db.session.commit()
