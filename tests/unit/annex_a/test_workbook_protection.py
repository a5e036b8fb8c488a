"""The Annex A reader's protection: a workbook that would make python-calamine build far more
than it holds is refused in words before the sheet is parsed, and the check runs only on the
sheets read. If a refusal failed here the reader would be reached, and a cell far away is an
allocation Rust cannot make: the test process would end, not pass."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from evidence.performance.annex_a import sheets
from evidence.performance.annex_a.sheets import LIMITS, WorkbookUnreadable, check_upload
from evidence.performance.annex_a.workbook import read_lists
from tests.support import bad_workbooks

CHILD_ID, REFERRAL = "Child Unique ID", "Date of referral"
MORE_ROWS = "has more rows than this import takes: at most 100,031"
MORE_COLUMNS = "uses more columns than this import takes: at most 156"


def _list_3(rows: int = 2) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "List 3"
    sheet.append([CHILD_ID, REFERRAL])
    for index in range(rows):
        sheet.append([f"C{index}", "01/03/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def never_parsed(monkeypatch):
    """Refusing must come before python-calamine parses the sheet: fail if it gets there."""
    import python_calamine

    def parse(self, name):
        raise AssertionError(f"the sheet '{name}' was parsed before it was refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", parse, raising=False)


def _refused(data: bytes, match: str) -> None:
    with pytest.raises(WorkbookUnreadable, match=match):
        read_lists(io.BytesIO(data), columns={3: [REFERRAL]})


def test_a_cell_far_below_in_an_early_row_is_refused():
    # The row says it is row 2; its cell says row 5,000,000. The reader goes by the cell.
    cell = b'<row r="2"><c r="A5000000" t="inlineStr"><is><t>x</t></is></c></row>'
    _refused(bad_workbooks.with_rows(_list_3(), b'<row r="1"><c r="A1"><v>1</v></c></row>' + cell), MORE_ROWS)


@pytest.mark.parametrize("column", ["FA", "ZZ", "AAA", "XFD"])
def test_a_cell_past_the_last_column_is_refused(column):
    cell = f'<row r="2"><c r="{column}2"><v>1</v></c></row>'.encode()
    _refused(bad_workbooks.with_rows(_list_3(), b'<row r="1"><c r="A1"><v>1</v></c></row>' + cell), MORE_COLUMNS)


def test_a_sheet_at_the_last_column_and_row_allowed_is_read():
    rows = (
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{CHILD_ID}</t></is></c>'
        f'<c r="B1" t="inlineStr"><is><t>{REFERRAL}</t></is></c></row>'
        f'<row r="{LIMITS.max_rows}"><c r="A{LIMITS.max_rows}" t="inlineStr"><is><t>C1</t></is></c>'
        f'<c r="EZ{LIMITS.max_rows}"><v>1</v></c></row>'
    ).encode()
    book = read_lists(io.BytesIO(bad_workbooks.with_rows(_list_3(), rows)), columns={3: [REFERRAL]})
    assert book.lists[3].rows == [LIMITS.max_rows]


def test_a_sheet_of_a_million_formatted_empty_rows_is_refused_quickly():
    rows = b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (n, n) for n in range(1, 1_000_001))
    data = bad_workbooks.with_rows(_list_3(), rows)
    started = time.perf_counter()
    _refused(data, MORE_ROWS)
    # The scan stops at the first stretch past the limit, long before the sheet's end.
    assert time.perf_counter() - started < 5


def test_a_huge_declared_dimension_is_refused_from_the_first_bytes(never_parsed):
    data = bad_workbooks.with_sheet_xml(
        _list_3(), lambda xml: xml.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1:XFD1048576"/>')
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    _refused(data, MORE_ROWS)


def test_a_zip_bomb_is_refused_from_the_zip_directory_at_upload(never_parsed):
    # Declared in the directory as 800 MB unpacked: refused before a byte is unpacked (a real
    # one of that size takes seconds to build; bad_workbooks.zip_bomb is one, for the small
    # limits of tests/unit/evidence/test_workbooks.py).
    data = bad_workbooks.lying_about_its_size(_list_3(), declared=LIMITS.max_unpacked_bytes + 1)
    with pytest.raises(WorkbookUnreadable, match="The workbook holds far more than its file size shows"):
        check_upload(data)
    _refused(data, "The workbook holds far more than its file size shows")


def test_a_sheet_unpacking_to_more_than_it_declares_is_refused(never_parsed):
    data = bad_workbooks.lying_about_its_size(_list_3(rows=2000))
    check_upload(data)  # its directory looks like any workbook's
    _refused(data, "could not be read as an Excel workbook: it may be damaged")


def test_a_sheet_the_reader_skips_is_not_checked_and_a_sheet_it_reads_is():
    book = Workbook()
    book.active.title = "List 2"
    book.active["A1000000"] = 1  # far below: refused if it were checked
    listed = book.create_sheet("List 3")
    listed.append([CHILD_ID, REFERRAL])
    listed.append(["C1", "01/03/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert read_lists(io.BytesIO(data), columns={3: [REFERRAL]}).lists[3].rows == [2]
    with pytest.raises(WorkbookUnreadable, match=MORE_ROWS):
        read_lists(io.BytesIO(data), columns={2: ["Assessment start date"], 3: [REFERRAL]})


def test_a_sheet_is_parsed_only_after_its_own_check_passed(monkeypatch):
    order = []
    real_open = sheets.workbooks.open_checked

    def open_checked(source, limits):
        checked = real_open(source, limits)

        def check_sheet(name):
            order.append(("checked", name))
            checked.check_sheet(name)

        return type(checked)(checked.data, checked.names, check_sheet)

    import python_calamine

    real_parse = python_calamine.CalamineWorkbook.get_sheet_by_name

    def parse(self, name):
        order.append(("parsed", name))
        return real_parse(self, name)

    monkeypatch.setattr(sheets.workbooks, "open_checked", open_checked)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", parse, raising=False)
    book = Workbook()
    book.active.title = "List 1"
    book.active.append([CHILD_ID, "Date of Contact"])
    book.active.append(["C1", "01/03/2025"])
    listed = book.create_sheet("List 3")
    listed.append([CHILD_ID, REFERRAL])
    listed.append(["C1", "01/03/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    read_lists(io.BytesIO(buffer.getvalue()), columns={1: ["Date of Contact"], 3: [REFERRAL]})
    for name in ("List 1", "List 3"):
        assert order.index(("checked", name)) < order.index(("parsed", name))
