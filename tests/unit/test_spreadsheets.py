"""The streamed XLSX writer: openpyxl reads back every value it was given (text that a
spreadsheet would run as a formula kept as text), in a file that is sent a chunk at a time."""

import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from inspect_ready import create_app
from inspect_ready.exports import xlsx_download
from inspect_ready.spreadsheets import CHUNK_BYTES

APP = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
FORMULAS = ["=1+1", "+44 20", "-3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil")']
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(-1e12, 1e12, allow_nan=False).map(lambda x: round(x, 6)),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.sampled_from(FORMULAS),
    st.text(max_size=80),
    st.sampled_from(["a & b < c > d \"e\" 'f'", "  spaces kept  ", "line\r\nbreaks\rhere\n", "x" * 70]),
)


def _read_back(header, rows):
    with APP.test_request_context():
        response = xlsx_download("file.xlsx", "Sheet's title", header, rows)
        chunks = list(response.response)
    sheet = load_workbook(io.BytesIO(b"".join(chunks))).active
    grid = sheet.iter_rows(max_row=len(rows) + 1, max_col=len(header))  # a last row of blanks has no cells
    return sheet, [[cell.value for cell in row] for row in grid], chunks


def _expected(value):
    if isinstance(value, str):
        kept = "".join(
            c
            for c in value
            if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
        )
        return "'" + kept if value.startswith(("=", "+", "-", "@", "\t", "\r")) else kept or None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())  # openpyxl reads a date cell as a datetime
    return value


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(VALUES, min_size=3, max_size=3), max_size=12))
def test_property_openpyxl_reads_back_every_value_and_formulas_stay_text(rows):
    sheet, values, _ = _read_back(["One", "=Two", "Three"], rows)
    assert values[0] == ["One", "'=Two", "Three"]
    assert values[1:] == [[_expected(v) for v in row] for row in rows]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"  # text, never a formula
    assert sheet.auto_filter.ref == f"A1:C{len(rows) + 1}"
    assert sheet.title == "Sheet's title"


def test_a_large_sheet_is_sent_in_chunks_not_whole():
    rows = [[n, f"Row {n} of a long list", dt.date(2026, 1, 1) + dt.timedelta(days=n % 300)] for n in range(30_000)]
    _, values, chunks = _read_back(["Number", "Text", "Date"], rows)
    assert len(values) == 30_001 and values[-1][0] == 29_999
    assert len(chunks) > 2 and max(len(chunk) for chunk in chunks) < 4 * CHUNK_BYTES
