"""Importing a case tracking sample from a CSV or XLSX file: every row checked, then all or nothing.

Rows are numbered as a spreadsheet shows them (the header is row 1). The file is read by the
safe workbook reader, and each row is checked as the form checks one case, so a file can
hold nothing the form would refuse.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass

import pandas as pd

from councils.storable import unstorable
from evidence import workbooks
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, ETHNICITIES, GENDERS
from evidence.mock_inspections.inspections import CaseFields, MockInspectionError, checked_case
from judgement_framework import Framework

COLUMNS = ["reference", "age", "kind_of_case", "team", "ethnicity", "disabled", "gender", "judgements"]
REQUIRED = ["reference", "age", "kind_of_case", "team", "gender"]
# Inspectors track 25 to 30; a little room for a longer list to choose from.
MAX_ROWS = 100
LIMITS = workbooks.Limits(max_bytes=1024 * 1024, max_rows=MAX_ROWS + 1)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def read_table(filename: str, content: bytes) -> list[dict]:
    """The file's rows as dicts of column to text, or an error on the file field saying why not."""
    try:
        frame = workbooks.read_table(filename, content, LIMITS)
    except workbooks.WorkbookRefused as error:
        raise MockInspectionError(str(error), "file") from None
    frame.columns = [str(c) for c in frame.columns]
    return _rows(list(frame.columns), frame.to_dict("records"), FROM_FILE)


def read_pasted(text: str) -> tuple[list[dict], int]:
    """Rows copied from a spreadsheet and pasted (cells split by tabs, one row a line), with
    or without the header row, as the same rows a file gives; and the line its first case is
    on (2 under a header, else 1), for the problems to name. Without a header the columns are
    taken in the template's order. Errors are on the pasted field."""
    if len(text.encode("utf-8", "surrogatepass")) > LIMITS.max_bytes:
        raise MockInspectionError(
            f"The pasted rows are more than {LIMITS.max_bytes // (1024 * 1024)} MB; paste at most {MAX_ROWS} cases",
            "pasted",
        )
    # Spreadsheets quote a cell holding a tab or a line break, as the excel-tab dialect reads.
    try:
        lines = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), dialect="excel-tab"))
    except csv.Error:  # a quote left open, or a cell past the reader's limit
        raise MockInspectionError(
            "The pasted rows could not be read; copy them from the spreadsheet again and paste them", "pasted"
        ) from None
    while lines and not any(cell.strip() for cell in lines[-1]):
        lines.pop()  # a copied range often ends with an empty line
    while lines and not any(cell.strip() for cell in lines[0]):
        lines.pop(0)
    if not lines:
        raise MockInspectionError("Paste the rows of the case sample, copied from the spreadsheet", "pasted")
    header = [_column(cell) for cell in lines[0]]
    if all(c in COLUMNS for c in header if c) and any(header):
        columns, body, first_line = lines[0], lines[1:], 2
    else:
        columns, body, first_line = list(COLUMNS), lines, 1
    widest = max(len(line) for line in body) if body else 0
    if widest > len(columns):
        raise MockInspectionError(
            f"A pasted row has {widest} cells; the sample has {len(columns)} columns: {', '.join(COLUMNS)}", "pasted"
        )
    records = [dict(zip(columns, line + [""] * (len(columns) - len(line)), strict=True)) for line in body]
    return _rows(columns, records, FROM_PASTE, first_line), first_line


def _column(heading: str) -> str:
    return heading.strip().lower().replace(" ", "_")


@dataclass(frozen=True)
class _Source:
    """How the problems of a table speak of where it came from."""

    is_: str
    has: str
    field: str


FROM_FILE = _Source("The file is", "The file has", "file")
FROM_PASTE = _Source("The pasted rows are", "The pasted rows have", "pasted")


def _rows(columns: list[str], records: list[dict], source: _Source, first_line: int = 2) -> list[dict]:
    """A table's rows as dicts of column to text, checked alike from a file or a paste: the
    columns the sample needs, at least one case and at most MAX_ROWS, and no hidden control
    characters."""
    names = {original: _column(original) for original in columns}
    missing = [c for c in REQUIRED if c not in names.values()]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise MockInspectionError(f"{source.is_} missing the column{plural}: {', '.join(missing)}", source.field)
    if not records:
        raise MockInspectionError(f"{source.has} no cases under the header", source.field)
    if len(records) > MAX_ROWS:
        raise MockInspectionError(
            f"{source.has} {len(records)} cases; import at most {MAX_ROWS} at a time", source.field
        )
    rows = [{names[k]: _text(v) for k, v in record.items() if names.get(k) in COLUMNS} for record in records]
    for number, row in enumerate(rows, start=first_line):
        for column, value in row.items():
            if unstorable(value):
                raise MockInspectionError(
                    f"Row {number}, column {column} has a hidden control character; remove it", source.field
                )
    return rows


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _one_of(value: str, choices, column: str) -> str:
    """The choice the cell names, in any case; a blank or unknown cell is refused."""
    found = next((choice for choice in choices if choice.lower() == value.lower()), None)
    if found is None:
        raise ValueError(column)
    return found


def row_to_fields(row: dict, framework: Framework) -> CaseFields:
    """A row as the form would send it; a cell that is none of its choices is left blank, so
    the form's check names it."""
    case_types = {label.lower(): key for key, label in CASE_TYPES.items()} | {key: key for key in CASE_TYPES}
    kind = row.get("kind_of_case", "").strip().lower()
    age = next((band for band in AGE_BANDS if band.lower() == row.get("age", "").strip().lower()), "")
    gender = next((g for g in GENDERS if g.lower() == row.get("gender", "").strip().lower()), "")
    areas_by_words = {a.title.lower(): a.id for a in framework.areas} | {a.id: a.id for a in framework.areas}
    judgements = [j.strip() for j in row.get("judgements", "").replace(",", ";").split(";") if j.strip()]
    return CaseFields(
        reference=row.get("reference", ""),
        age_band=age,
        case_type=case_types.get(kind, ""),
        team=row.get("team", ""),
        ethnicity=row.get("ethnicity", ""),
        disability=_disabled(row.get("disabled", "")),
        gender=gender,
        area_ids=[areas_by_words.get(j.lower(), j) for j in judgements],
    )


def _disabled(value: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(value)


# The form's field names, as the file's columns call them.
COLUMN_OF_FIELD = {
    "reference": "reference",
    "age_band": "age",
    "case_type": "kind_of_case",
    "team": "team",
    "ethnicity": "ethnicity",
    "gender": "gender",
    "area_ids": "judgements",
}


def check_rows(
    rows: list[dict], framework: Framework, teams: list[str], already: set[str], first_row: int = 2
) -> tuple[list[dict], list[RowError]]:
    """Every row checked; the cases ready to save (as CaseFields' values) and every problem found.
    `already` holds the references the sample has; `first_row` is the first case's row as the
    person sees it (2 under a file's header; a paste's own line)."""
    ready, errors, seen = [], [], set(already)
    for number, row in enumerate(rows, start=first_row):
        try:
            fields = row_to_fields(row, framework)
        except ValueError:
            errors.append(RowError(number, "disabled", "Enter yes or no (or leave it blank for no)"))
            continue
        try:
            values = checked_case(fields, framework, teams)
        except MockInspectionError as error:
            errors.append(RowError(number, COLUMN_OF_FIELD.get(error.field or "", error.field or ""), str(error)))
            continue
        if values["reference"] in seen:
            errors.append(RowError(number, "reference", f"{values['reference']} is already in the sample or the file"))
            continue
        seen.add(values["reference"])
        ready.append({key: values[key] for key in asdict(fields)})
    return ready, errors


def template_csv(teams: list[str]) -> bytes:
    """A file to fill in: the header, and one example row in the words the import reads,
    with one of the council's own teams so the example itself would import."""
    example = {
        "reference": "CP-100201",
        "age": "5 to 9",
        "kind_of_case": "Child protection",
        "team": teams[0] if teams else "The team that holds the case",
        "ethnicity": ETHNICITIES[0],
        "disabled": "no",
        "gender": "Girl",
        "judgements": "",
    }
    buffer = io.StringIO()
    pd.DataFrame([example], columns=COLUMNS).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
