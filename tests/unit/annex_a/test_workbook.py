"""Reading untidy Annex A workbooks: what is tolerated and what is reported."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from evidence.performance.annex_a import measures as m
from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.annex_a.workbook import WorkbookUnreadable, parse_sheets, read_lists
from tests.unit.annex_a.helpers import CHILD_ID, sheet

CP = [m.CPP_START, m.CP_VISIT, m.CPP_END, m.PREVIOUS_CPPS]


def test_title_rows_blank_rows_prefixes_and_extra_columns_are_tolerated():
    raw = sheet(
        ["Extra", CHILD_ID, "Gender", *CP, "Local notes"],
        [
            ["x", "C1", "a) Male", "01/01/2025", 45700, None, "a) 1", "note"],
            [None, None, None, None, None, None, None, None],  # blank row
            ["y", "C2", "b) Female", dt.datetime(2025, 2, 1, 9, 30), "10/02/2025 00:00", None, "0", ""],
        ],
        title_rows=(("Annex A: List 7",), (), ("Produced 1 March 2025",)),
    )
    book = parse_sheets({"Child Protection": raw}, columns={7: CP + ["Gender"]})
    listed = book.lists[7]
    assert listed.rows == [5, 7]  # spreadsheet row numbers, header on row 4
    assert listed.values[m.PREVIOUS_CPPS] == [1, 0]
    assert listed.values[m.CPP_START] == [dt.date(2025, 1, 1), dt.date(2025, 2, 1)]
    assert listed.values[m.CP_VISIT] == [dt.date(2025, 2, 12), dt.date(2025, 2, 10)]
    assert listed.values["Gender"] == ["Male", "Female"]
    assert [r["row"] for r in listed.records()] == [5, 7]
    assert [(h.column_letter, h.heading) for h in listed.unplaced] == [("A", "Extra"), ("H", "Local notes")]


def test_headings_match_without_case_spacing_or_punctuation_and_by_known_variants():
    raw = sheet(
        [
            "child unique id",
            "CPP START DATE",
            "date  of the last-statutory visit",
            "Child Protection Plan End Date",
            "Number of Previous CPPs",
        ],
        [["C1", "01/01/2025", "02/01/2025", None, 0]],
    )
    listed = parse_sheets({"List 7": raw}, columns={7: CP}).lists[7]
    assert listed.missing == ()
    assert listed.values[m.CPP_START] == [dt.date(2025, 1, 1)]


def test_a_councils_mapping_places_a_heading_the_template_does_not_know():
    raw = sheet([CHILD_ID, "Plan began", *CP[1:]], [["C1", "01/01/2025", None, None, 0]])
    assert parse_sheets({"List 7": raw}, columns={7: CP}).lists[7].missing == (m.CPP_START,)
    mapped = parse_sheets({"List 7": raw}, columns={7: CP}, mappings={7: {"planbegan": m.CPP_START}}).lists[7]
    assert mapped.missing == () and mapped.values[m.CPP_START] == [dt.date(2025, 1, 1)]


def test_a_heading_in_another_language_is_unplaced_and_its_figures_named():
    raw = sheet([CHILD_ID, "Dyddiad dechrau'r cynllun", *CP[1:]], [["C1", "01/01/2025", None, None, 0]])
    book = parse_sheets({"List 7": raw}, columns={7: CP})
    assert book.lists[7].unplaced[0].heading == "Dyddiad dechrau'r cynllun"
    stopped = [p.message for p in m.stopped_figures(book)]
    assert any(f"'{m.CPP_START}' not found" in text and "Children on a plan visited" in text for text in stopped)


def test_a_list_named_only_in_its_title_row_is_found():
    raw = sheet([CHILD_ID, *CP], [["C1", "01/01/2025", None, None, 0]], title_rows=(("List 7 - Child Protection",),))
    assert 7 in parse_sheets({"Sheet3": raw}).lists


def test_a_list_found_by_its_headings_alone():
    raw = sheet([CHILD_ID, *CP], [["C1", "01/01/2025", None, None, 0]], title_rows=())
    assert 7 in parse_sheets({"Sheet1": raw}).lists


def test_a_month_first_column_is_reported_not_swapped():
    rows = [["C1", "03/13/2025"], ["C2", "02/01/2025"], ["C3", "12/25/2024"]]
    book = parse_sheets({"List 3": sheet([CHILD_ID, m.L3_DATE], rows)}, columns={3: [m.L3_DATE]})
    listed = book.lists[3]
    assert listed.values[m.L3_DATE] == [None, None, None]  # 02/01 is not taken as 2 January or 1 February
    assert listed.month_first == (m.L3_DATE,)
    assert any("only make sense month first" in p.message and p.list_number == 3 for p in book.problems)
    assert set(listed.unusable[m.L3_DATE]) == {4, 5, 6}


def test_a_list_with_no_rows_is_reported():
    book = parse_sheets({"List 3": sheet([CHILD_ID, m.L3_DATE, m.L3_COUNT], [])}, columns={3: [m.L3_DATE]})
    assert any(p.message == "has headings but no rows" and p.where == "List 3 (Referrals)" for p in book.problems)


def test_a_sheet_of_a_million_empty_rows_ends_at_its_data():
    def rows():
        yield ["Annex A"]
        yield [CHILD_ID, m.L3_DATE, m.L3_COUNT]
        yield ["C1", "01/03/2025", 1]
        for _ in range(1_000_000):
            yield ["", "", ""]

    book = parse_sheets({"List 3": rows()}, columns={3: [m.L3_DATE, m.L3_COUNT]})
    assert book.lists[3].rows == [3]


def test_unreadable_cells_are_reported_by_row_and_column_without_their_text():
    rows = [["C1", "Jane's birthday", "lots"], ["C2", "01/03/2025", 2]]
    book = parse_sheets(
        {"List 3": sheet([CHILD_ID, m.L3_DATE, m.L3_COUNT], rows)}, columns={3: [m.L3_DATE, m.L3_COUNT]}
    )
    messages = [p.message for p in book.problems if p.list_number == 3]
    assert f"'{m.L3_DATE}' could not be read in 1 row (row 4)" in messages
    assert not any("Jane" in text or "lots" in text for text in messages)


def test_a_workbook_that_is_not_annex_a_is_refused(tmp_path):
    book = Workbook()
    book.active.append(["Name", "Amount"])
    book.active.append(["Rent", 100])
    book.save(tmp_path / "budget.xlsx")
    with pytest.raises(WorkbookUnreadable, match="No Annex A list was found"):
        read_lists(tmp_path / "budget.xlsx")


def test_a_damaged_file_is_refused_in_words(tmp_path):
    (tmp_path / "damaged.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookUnreadable, match="could not be (opened|read) as an Excel workbook"):
        read_lists(tmp_path / "damaged.xlsx")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(WorkbookUnreadable):
        read_lists(io.BytesIO(data.getvalue()))


def test_only_the_sheets_and_columns_asked_for_are_read(tmp_path):
    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=600, seed=3)
    book = read_lists(path, columns={3: [m.L3_DATE]})
    assert sorted(book.lists) == [3]
    assert set(book.lists[3].values) == {CHILD_ID, m.L3_DATE}


def test_a_generated_workbook_reads_whole(tmp_path):
    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=600, seed=3)
    book = read_lists(path)
    assert sorted(book.lists) == list(range(1, 12))
    assert all(listed.missing == () for listed in book.lists.values())
    assert not any("could not be read" in p.message for p in book.problems)
