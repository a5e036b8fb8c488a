"""Reading untidy Annex A workbooks: what is tolerated and what is reported."""

import datetime as dt

import pandas as pd

from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.annex_a.workbook import CHILD_ID, parse_dates, parse_sheets, read_workbook, to_date
from tests.unit.annex_a.helpers import sheet

CP = ["CPP Start Date", "Date of the Last Statutory Visit", "CPP End Date", "Number of Previous CPPs"]


def test_dates_in_every_form_a_workbook_holds():
    assert to_date(dt.datetime(2025, 3, 4, 0, 0)) == dt.date(2025, 3, 4)
    assert to_date(45720) == dt.date(2025, 3, 4)  # Excel serial number
    assert to_date(45720.0) == dt.date(2025, 3, 4)
    assert to_date("04/03/2025") == dt.date(2025, 3, 4)  # dd/mm/yyyy, not US order
    assert to_date(" 2025-03-04 ") == dt.date(2025, 3, 4)
    assert to_date("4 Mar 2025") == dt.date(2025, 3, 4)
    assert to_date("") is None and to_date(None) is None and to_date(float("nan")) is None


def test_impossible_dates_are_reported_not_guessed():
    # The reason never repeats the cell's text: it may be a child's name and date of birth.
    assert to_date("31/02/2025") == "is not a real date"
    assert to_date("Jayden Smith (DOB 03/04/2015)") == "is not a real date"
    assert "outside the years" in to_date("01/01/2205")
    dates, reasons = parse_dates(pd.Series(["01/02/2025", "31/02/2025", None]))
    assert dates.iloc[0] == pd.Timestamp(2025, 2, 1) and pd.isna(dates.iloc[1]) and pd.isna(dates.iloc[2])
    assert reasons.to_dict() == {1: "is not a real date"}


def test_title_rows_blank_rows_prefixes_and_extra_columns_are_tolerated():
    raw = sheet(
        ["Extra", CHILD_ID, "Gender", *CP, "Local notes"],
        [
            ["x", "C1", "a) Male", "01/01/2025", 45700, None, "a) 1", "note"],
            [None, None, None, None, None, None, None, None],  # blank row
            ["y", "C2", "b) Female", dt.datetime(2025, 2, 1), "10/02/2025", None, "0", ""],
        ],
        title_rows=(("Annex A: List 7",), (), ("Produced 1 March 2025",)),
    )
    book = parse_sheets({"Child Protection": raw})
    frame = book.lists[7].frame
    assert list(frame["row"]) == [5, 7]  # spreadsheet row numbers, header on row 4
    assert list(frame["Number of Previous CPPs"]) == [1, 0]
    assert frame["CPP Start Date"].tolist() == [pd.Timestamp(2025, 1, 1), pd.Timestamp(2025, 2, 1)]
    assert [p.where for p in book.problems] == [
        "List 3 (Referrals)",
        "List 4 (Assessments)",
        "List 5 (Section 47 enquiries and ICPCs)",
        "List 8 (Children in Care)",
        "List 9 (Care Leavers)",
    ]
    assert all(p.message == "not found in the workbook" for p in book.problems)


def test_a_list_named_only_in_its_title_row_is_found():
    raw = sheet([CHILD_ID, *CP], [["C1", "01/01/2025", None, None, 0]], title_rows=(("List 7 - Child Protection",),))
    assert 7 in parse_sheets({"Sheet3": raw}).lists


def test_a_renamed_column_is_reported_with_what_it_stops():
    raw = sheet([CHILD_ID, "CPP Start", *CP[1:]], [["C1", "01/01/2025", None, None, 0]])
    book = parse_sheets({"List 7": raw})
    assert book.lists[7].missing_columns == ("CPP Start Date",)
    assert any("column 'CPP Start Date' not found" in p.message for p in book.problems)


def test_a_repeated_child_is_left_out_and_reported():
    raw = sheet(
        [CHILD_ID, *CP],
        [
            ["C1", "01/01/2025", None, None, 0],
            ["C2", "01/01/2025", None, None, 0],
            ["c1 ", "02/01/2025", None, None, 1],
        ],
    )
    book = parse_sheets({"List 7": raw})
    assert len(book.lists[7].frame) == 2
    assert book.lists[7].excluded == [(6, f"the {CHILD_ID} repeats row 4; one row per child is expected")]
    assert any("1 rows repeat" in p.message for p in book.problems)


def test_a_generated_workbook_reads_whole(tmp_path):
    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=500, seed=3)
    book = read_workbook(str(path))
    assert book.problems == []
    assert sorted(book.lists) == [3, 4, 5, 7, 8, 9]
    assert book.rows() > 250  # only the lists the figures use are read
