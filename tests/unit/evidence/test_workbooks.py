"""The one safe way to read an upload: checked for size and shape first, every reader failure in words."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from evidence import workbooks
from evidence.workbooks import Limits, WorkbookRefused
from tests.support import bad_workbooks

LIMITS = Limits(max_bytes=1024 * 1024, max_rows=5001, max_columns=50)


@pytest.fixture()
def reader_never_called(monkeypatch):
    """Refusing must come before the reader builds anything: fail if it is reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was read before it was refused")

    monkeypatch.setattr(pd, "read_excel", refuse)


def test_a_workbook_is_read_sheet_by_sheet_as_raw_cells():
    data = bad_workbooks.xlsx([["indicator", "value"], ["Re-referrals", 21.5]])
    sheets = workbooks.read_sheets(data, LIMITS)
    assert list(sheets) == ["Sheet"]
    assert sheets["Sheet"].values.tolist() == [["indicator", "value"], ["Re-referrals", 21.5]]
    frame = workbooks.read_first_sheet(data, LIMITS)
    assert list(frame.columns) == ["indicator", "value"] and frame.values.tolist() == [["Re-referrals", 21.5]]


def test_only_the_sheets_asked_for_are_read():
    book = Workbook()
    book.active.title = "Notes"
    book.create_sheet("List 7").append(["Child Unique ID"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(workbooks.read_sheets(buffer.getvalue(), LIMITS, sheets=["List 7", "Missing"])) == ["List 7"]
    assert list(workbooks.read_sheets(buffer.getvalue(), LIMITS, sheets=workbooks.FIRST)) == ["Notes"]


def test_a_cell_that_panics_the_reader_is_refused_in_words():
    # Read directly, python-calamine raises pyo3's PanicException, which `except Exception`
    # does not catch: it killed the job worker and dropped web connections.
    with pytest.raises(BaseException) as raw:
        pd.read_excel(io.BytesIO(bad_workbooks.panicking()), engine="calamine")
    assert not isinstance(raw.value, Exception)
    with pytest.raises(WorkbookRefused, match="Part of the workbook could not be read: it may hold a value Excel"):
        workbooks.read_sheets(bad_workbooks.panicking(), LIMITS)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a workbook at all", b"PK\x03\x04 a zip cut short", bad_workbooks.xlsx([["a"]])[:3000]],
    ids=["empty", "text", "broken zip", "cut short"],
)
def test_a_file_that_is_not_a_workbook_is_refused_in_words(content):
    with pytest.raises(WorkbookRefused, match="could not be read as an Excel workbook: it may be damaged"):
        workbooks.read_sheets(content, LIMITS)


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(reader_never_called):
    with pytest.raises(WorkbookRefused, match=r"The file is 1\.0 MB; the largest file this import takes is 0\.5 MB"):
        workbooks.read_sheets(b"x" * (1024 * 1024), Limits(max_bytes=512 * 1024, max_rows=10))


@pytest.mark.parametrize(
    "change",
    [lambda data: data, bad_workbooks.lying_about_its_dimension, bad_workbooks.without_a_dimension],
    ids=["declared", "declared wrongly", "not declared"],
)
def test_a_sheet_with_a_million_rows_is_refused_before_it_is_read(reader_never_called, change):
    data = change(bad_workbooks.cell_at(1_000_000, "A"))
    assert len(data) < 10_000
    with pytest.raises(WorkbookRefused, match="The sheet 'Sheet' has more rows than this import takes: at most 5,001"):
        workbooks.read_sheets(data, LIMITS)


@pytest.mark.parametrize(
    "change", [lambda data: data, bad_workbooks.lying_about_its_dimension], ids=["declared", "declared wrongly"]
)
def test_a_cell_in_the_last_column_is_refused_before_it_is_read(reader_never_called, change):
    # The reader makes the whole rectangle: one row and 16,384 columns for each row.
    with pytest.raises(WorkbookRefused, match="The sheet 'Sheet' uses more columns than this import takes"):
        workbooks.read_sheets(change(bad_workbooks.cell_at(200, "XFD")), LIMITS)


def test_a_sheet_at_the_limits_is_read():
    data = bad_workbooks.cell_at(LIMITS.max_rows, "AX")  # row 5,001, column 50
    assert len(workbooks.read_sheets(data, LIMITS)["Sheet"]) == LIMITS.max_rows


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(reader_never_called):
    data = bad_workbooks.zip_bomb(LIMITS.max_unpacked_bytes + 1)
    assert len(data) < LIMITS.max_bytes
    with pytest.raises(WorkbookRefused, match="The workbook holds far more than its file size shows"):
        workbooks.read_sheets(data, LIMITS)


def test_a_long_csv_is_refused_without_reading_it_all():
    data = b"indicator,period,value\n" + b"a,2026-03,1\n" * 100_000
    with pytest.raises(WorkbookRefused, match="The file has more rows than this import takes: at most 5,001"):
        workbooks.read_csv(data, Limits(max_bytes=len(data), max_rows=5001))
    at_the_limit = b"indicator,period,value\n" + b"a,2026-03,1\n" * 5000
    assert len(workbooks.read_csv(at_the_limit, Limits(max_bytes=len(at_the_limit), max_rows=5001))) == 5000


def test_a_csv_the_reader_cannot_decode_is_refused_in_words():
    with pytest.raises(WorkbookRefused, match="The file could not be read as a CSV file"):
        workbooks.read_csv(b"\xff\xfe\x00 not utf-8", LIMITS, encoding="utf-8")


def _mutations(data: bytes):
    return st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=8)


VALID = bad_workbooks.xlsx([["indicator", "period", "value"], ["Re-referrals", "2026-03", 21.5]])


@given(_mutations(VALID))
def test_a_damaged_workbook_is_read_or_refused_in_words_never_anything_else(changes):
    data = bytearray(VALID)
    for position, byte in changes:
        data[position] = byte
    try:
        workbooks.read_sheets(bytes(data), LIMITS)
    except WorkbookRefused as error:
        assert str(error)[0].isupper() and "Error" not in str(error)


def test_a_sheet_part_cut_anywhere_is_checked_whole(monkeypatch):
    # The scan reads a sheet in stretches; a row reference cut by a stretch's end still counts.
    monkeypatch.setattr(workbooks, "SCAN_CHUNK", 7)
    data = bad_workbooks.without_a_dimension(bad_workbooks.cell_at(6000, "B"))
    with zipfile.ZipFile(io.BytesIO(data)) as package, pytest.raises(WorkbookRefused, match="more rows"):
        workbooks._check_sheet_part(package, "xl/worksheets/sheet1.xml", "Sheet", LIMITS)
