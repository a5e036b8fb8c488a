"""Indicator values from a spreadsheet (CSV or XLSX): read, checked row by row, then saved
all together or not at all.

One row per indicator per month, with the columns `indicator` (its code or name),
`period` (2026-03, 03/2026 or a date in the month), `value`, and optionally `numerator` and
`denominator`. The preview shows every row and every problem; nothing is saved while any
row has a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from councils import clock
from councils.storable import unstorable
from evidence import workbooks
from evidence.performance.indicators import (
    IndicatorError,
    all_indicators,
    check_month,
    check_value,
    month_start,
    record_value,
    values_by_indicator,
)

COLUMNS = ("indicator", "period", "value", "numerator", "denominator")
REQUIRED = ("indicator", "period", "value")
MAX_ROWS = 5000
# Checked before the file is read (evidence/workbooks.py): a header row and MAX_ROWS values.
LIMITS = workbooks.Limits(max_bytes=5 * 1024 * 1024, max_rows=MAX_ROWS + 1)
PERIOD_FORMATS = ("%Y-%m", "%m/%Y", "%Y-%m-%d", "%d/%m/%Y", "%b %Y", "%B %Y")


class ValuesFileError(IndicatorError):
    """The file as a whole cannot be used."""


@dataclass
class PreviewRow:
    row: int
    indicator_id: int
    indicator: str
    period: dt.date
    value: float
    numerator: int | None
    denominator: int | None
    replaces: float | None


@dataclass
class Preview:
    records: list[dict]
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def read_values_file(filename: str, data: bytes) -> list[dict]:
    """The file's rows as text, with their spreadsheet row numbers (header is row 1)."""
    name = filename.lower()
    try:
        if name.endswith(".csv"):
            frame = workbooks.read_csv(data, LIMITS, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
            frame = workbooks.read_first_sheet(data, LIMITS)
        else:
            raise ValuesFileError("The file must be a CSV or an Excel workbook (.csv or .xlsx)", "values_file")
    except workbooks.WorkbookRefused as error:
        raise ValuesFileError(str(error), "values_file") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValuesFileError(
            f"The file has no column called {', '.join(missing)} (columns needed: {', '.join(REQUIRED)})", "values_file"
        )
    if len(frame) > MAX_ROWS:
        raise ValuesFileError(f"The file has more than {MAX_ROWS} rows; split it into smaller files", "values_file")
    records = []
    for position, row in enumerate(frame.to_dict("records")):
        record = {c: _text(row.get(c)) for c in COLUMNS}
        for column, value in record.items():
            if unstorable(value):  # named by row and column, never shown: no page can show it
                raise ValuesFileError(
                    f"Row {position + 2}, column {column} has a hidden control character; remove it", "values_file"
                )
        if any(record.values()):
            records.append({"row": position + 2, **record})
    if not records:
        raise ValuesFileError("The file has no rows of values", "values_file")
    return records


def check_rows(records: list[dict]) -> Preview:
    preview = Preview(records)
    today = clock.today()
    known = {}
    for indicator in all_indicators():
        known[indicator.code.lower()] = indicator
        known[indicator.name.lower()] = indicator
    existing = {(i, v.period): v.value for i, rows in values_by_indicator().items() for v in rows}
    seen = {}
    for record in records:
        row = int(record["row"])
        indicator = known.get(record["indicator"].lower())
        try:
            if indicator is None:
                raise IndicatorError(f"no indicator called '{record['indicator']}'")
            period = _period(record["period"])
            value = _number(record["value"], "value")
            numerator = _count(record.get("numerator", ""), "numerator")
            denominator = _count(record.get("denominator", ""), "denominator")
            check_month(period, today)
            check_value(indicator, value, numerator, denominator)
            if (indicator.id, period) in seen:
                raise IndicatorError(f"repeats row {seen[(indicator.id, period)]} (same indicator and month)")
        except IndicatorError as error:
            preview.errors.append((row, str(error)))
            continue
        seen[(indicator.id, period)] = row
        preview.rows.append(
            PreviewRow(
                row,
                indicator.id,
                indicator.name,
                period,
                value,
                numerator,
                denominator,
                existing.get((indicator.id, period)),
            )
        )
    return preview


def save(preview: Preview) -> int:
    """Save every row of a preview with no problems; the caller commits or rolls back."""
    if not preview.ok:
        raise ValuesFileError("Nothing was saved: correct the problems in the file first", "values_file")
    indicators = {i.id: i for i in all_indicators()}
    for row in preview.rows:
        record_value(
            indicators[row.indicator_id],
            row.period,
            row.value,
            numerator=row.numerator,
            denominator=row.denominator,
            source="file",
        )
    return len(preview.rows)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _period(text: str) -> dt.date:
    for pattern in PERIOD_FORMATS:
        try:
            return month_start(dt.datetime.strptime(text.strip(), pattern).date())
        except ValueError:
            continue
    raise IndicatorError(f"period '{text}' is not a month, like 2026-03")


def _number(text: str, name: str) -> float:
    try:
        return float(text.replace("%", "").strip())
    except ValueError:
        raise IndicatorError(f"{name} '{text}' is not a number") from None


def _count(text: str, name: str) -> int | None:
    if not text.strip():
        return None
    number = _number(text, name)
    if not number.is_integer():
        raise IndicatorError(f"{name} '{text}' is not a whole number")
    return int(number)
