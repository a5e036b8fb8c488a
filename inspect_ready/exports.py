"""Spreadsheet downloads (CSV and XLSX) that a spreadsheet cannot turn into formulas.

A cell starting with =, +, -, @ (or a tab or carriage return) could run as a formula when
opened; such text is prefixed with an apostrophe, the usual defence (OWASP's CSV injection
advice). Numbers and dates are written as themselves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Sequence

from flask import Response
from openpyxl import Workbook

from inspect_ready.pages import criterion_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[list]:
    yield [safe_cell(cell) for cell in header]
    for row in rows:
        yield [safe_cell(cell) for cell in row]


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _safe_rows(header, rows):
        writer.writerow(["" if cell is None else cell for cell in row])
    # A byte-order mark makes Excel read the file as UTF-8 (names with accents survive).
    return download("\ufeff" + buffer.getvalue(), filename, "text/csv; charset=utf-8")


def xlsx_download(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for row in _safe_rows(header, rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return download(buffer.getvalue(), filename, XLSX_TYPE)


GAP_HEADER = [
    "Theme rank",
    "Theme",
    "Severity",
    "Kind",
    "Judgement area",
    "Criterion",
    "Gap",
    "Suggested next step",
    "Service areas",
    "Has an action",
    "Gap id",
]


def gap_download(file_format: str, name: str, framework, rows, with_action: Collection[str], themes) -> Response:
    """A gap list (the live one or a mock inspection's) as CSV or XLSX, in one layout: `rows`
    are (gap, service areas) pairs as `standing.filter_gaps` gives them, theme by theme;
    `with_action` the gap ids an action was made from; `themes` the ranked themes."""
    titles = {area.id: area.title for area in framework.areas}
    rank_of = {gap.id: (number, theme) for number, theme in enumerate(themes, start=1) for gap in theme.gaps}
    data = []
    for gap, services in rows:
        number, theme = rank_of.get(gap.id, (None, None))
        data.append(
            [
                number,
                f"{theme.area_title}: {theme.title}" if theme else "",
                gap.severity,
                gap.kind.replace("_", " "),
                titles.get(gap.area_id, gap.area_id),
                criterion_text(framework, gap.criterion_id),
                gap.sentence,
                gap.next_step,
                ", ".join(sorted(s.label for s in services)) or "Whole council",
                "Yes" if gap.id in with_action else "No",
                gap.id,
            ]
        )
    if file_format == "csv":
        return csv_download(f"{name}.csv", GAP_HEADER, data)
    return xlsx_download(f"{name}.xlsx", "Gap list", GAP_HEADER, data)


def download(body, filename: str, mimetype: str) -> Response:
    """A file the browser saves rather than shows."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
