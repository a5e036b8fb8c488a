"""Importing case file audits from a CSV or XLSX file: check every row, then all or nothing.

Rows are numbered as a spreadsheet shows them (the header is row 1), so a person can go
straight to the cell that is wrong.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from councils import audit_log
from councils.models import User
from councils.storable import unstorable
from evidence import workbooks
from evidence.case_audits.audit_templates import AuditTemplate
from evidence.case_audits.audits import AuditInput, check_audit, record_audit
from evidence.case_audits.case_type_areas import default_areas
from evidence.library.items import EvidenceError
from judgement_framework import Framework

REQUIRED_COLUMNS = ["case_reference", "case_type", "team", "worker", "auditor", "audit_date", "overall_grade", "areas"]
OPTIONAL_COLUMNS = ["comment"]
DATE_FORMAT = "%Y-%m-%d"
MAX_ROWS = 5000
# Checked before the file is read (evidence/workbooks.py): a header row and MAX_ROWS audits.
LIMITS = workbooks.Limits(max_bytes=5 * 1024 * 1024, max_rows=MAX_ROWS + 1)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def expected_columns(template: AuditTemplate) -> list[str]:
    return REQUIRED_COLUMNS + OPTIONAL_COLUMNS + [q.id for q in template.questions]


def read_table(filename: str, content: bytes) -> list[dict]:
    """The file's rows as dicts of column name to cell value, or an error saying why not."""
    try:
        frame = workbooks.read_table(filename, content, LIMITS)
    except workbooks.WorkbookRefused as error:
        raise EvidenceError(str(error), "file") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise EvidenceError(
            f"The file is missing the column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}", "file"
        )
    if frame.empty:
        raise EvidenceError("The file has no rows of audits under its header", "file")
    if len(frame) > MAX_ROWS:
        raise EvidenceError(f"The file has {len(frame)} rows; import at most {MAX_ROWS} at a time", "file")
    rows = [{k: _text(v) if k != "audit_date" else v for k, v in row.items()} for row in frame.to_dict("records")]
    _refuse_unstorable(rows)
    return rows


def _refuse_unstorable(rows: list[dict]) -> None:
    """A control character no column can store is named by row and column, never shown."""
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            if isinstance(value, str) and unstorable(value):
                raise EvidenceError(f"Row {number}, column {column} has a hidden control character; remove it", "file")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def parse_date(value) -> date:
    """A real date cell, or text in the form YYYY-MM-DD; anything else is refused rather
    than guessed, because 03/04/2025 means a different day to different people."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        raise ValueError("is blank; enter the date of the audit")
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD (the file must use one date format)") from None


def row_to_input(row: dict, template: AuditTemplate, framework: Framework) -> AuditInput:
    """A row as the audit form would send it; a row that leaves the areas blank informs its
    case type's judgements, as the form ticks them."""
    answers = {q.id: (row[q.id].lower(), "") for q in template.questions if row.get(q.id)}
    case_type = row["case_type"].lower().replace(" ", "_")
    areas = [a.strip() for a in row["areas"].replace(",", ";").split(";") if a.strip()]
    return AuditInput(
        case_reference=row["case_reference"],
        case_type=case_type,
        team=row["team"],
        worker=row["worker"],
        auditor=row["auditor"],
        audit_date=row["audit_date"],
        overall_grade=row["overall_grade"].lower().replace(" ", "_"),
        areas=areas or default_areas(framework, case_type),
        comment=row.get("comment", ""),
        answers=answers,
    )


def check_rows(
    rows: list[dict], template: AuditTemplate, framework: Framework, today: date
) -> tuple[list[dict], list[RowError]]:
    """Every row checked; returns the rows ready to save (dates as text) and every problem found."""
    ready, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            audit_date = parse_date(row["audit_date"])
        except ValueError as error:
            errors.append(RowError(number, "audit_date", str(error)))
            continue
        clean = dict(row, audit_date=audit_date)
        try:
            check_audit(row_to_input(clean, template, framework), template, framework, today)
        except EvidenceError as error:
            for problem in error.every:  # every problem in the row, not the first alone
                column = problem.field.removeprefix("answer_") if problem.field else ""
                errors.append(RowError(number, column, str(problem)))
            continue
        ready.append(dict(clean, audit_date=audit_date.isoformat()))
    return ready, errors


def commit_rows(rows: list[dict], template: AuditTemplate, framework: Framework, today: date, user: User) -> int:
    """Save checked rows; any failure raises before the caller commits, so none are kept."""
    for row in rows:
        data = row_to_input(dict(row, audit_date=date.fromisoformat(row["audit_date"])), template, framework)
        record_audit(data, template, framework, today, user)
    audit_log.record("case_audit.imported", "case_audit", detail=f"{len(rows)} audits imported from a file")
    return len(rows)


def template_workbook(template: AuditTemplate) -> bytes:
    """An XLSX file with the expected columns and one example row."""
    example = {
        "case_reference": "CP-204871",
        "case_type": "child_protection",
        "team": "Safeguarding East",
        "worker": "J. Worker",
        "auditor": "A. Auditor",
        "audit_date": "2026-01-15",
        "overall_grade": "requires_improvement",
        "areas": "help_protection; leaders",
        "comment": "Risk understood; plan lacks timescales.",
    }
    for question in template.questions:
        example[question.id] = "good" if question.scale == "four_point" else "yes"
    buffer = io.BytesIO()
    pd.DataFrame([example], columns=expected_columns(template)).to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()
