"""The readiness report against a workbook laid out as the template is, counted by hand."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.performance.annex_a.list_rows import ROW, ListRows, from_reader, read_list_rows
from evidence.performance.annex_a.readiness import Check, Readiness, check_workbook, code_readings, pseudonymiser
from tests.support import annex_a_template as fixture

COUNTS = {
    "blank": Check.BLANK,
    "impossible": Check.IMPOSSIBLE_DATE,
    "implausible": Check.IMPLAUSIBLE_DATE,
    "duplicate": Check.DUPLICATE,
    "code": Check.UNKNOWN_CODE,
}
CROSS = {
    "cp_without_s47": Check.CP_WITHOUT_S47,
    "cic_missing_dates": Check.CIC_MISSING_DATES,
    "care_leaver_over_25": Check.CARE_LEAVER_OVER_25,
}
PSEUDONYM = pseudonymiser(b"test key")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Readiness:
    path = fixture.write_template_workbook(tmp_path_factory.mktemp("annex") / "annex-a.xlsx")
    return check_workbook(read_list_rows(str(path)), today=fixture.CHECKED_ON, pseudonym=PSEUDONYM)


def test_each_list_is_counted_as_the_hand_count_says(report):
    by_list = {summary.number: summary for summary in report.lists}
    for number, expected in fixture.EXPECTED_LISTS.items():
        summary = by_list[number]
        assert summary.found, number
        assert (summary.rows, summary.children) == (expected["rows"], expected["children"]), summary.title
        assert {key: summary.counts.get(check, 0) for key, check in COUNTS.items()} == {
            key: expected[key] for key in COUNTS
        }, summary.title
        assert summary.missing_headings == [], summary.title
    assert [s.number for s in report.lists if not s.found] == list(fixture.MISSING_LISTS)


def test_the_checks_across_lists_find_the_children_placed_there(report):
    assert {key: report.cross_list[check] for key, check in CROSS.items()} == fixture.EXPECTED_CROSS
    for key, check in CROSS.items():
        found = [(item.list_number, item.row) for item in report.rows_to_fix if item.check == check]
        assert found == fixture.EXPECTED_CROSS_ROWS[key], key


def test_rows_to_fix_name_the_row_and_a_pseudonym_only(report):
    problems = {(item.list_number, item.row, item.check, item.column) for item in report.rows_to_fix}
    assert (1, 6, Check.BLANK, "Gender") in problems
    assert (1, 7, Check.IMPOSSIBLE_DATE, "Date of Contact") in problems  # 31 June
    assert (1, 8, Check.DUPLICATE, "Child Unique ID") in problems  # row 5 again
    assert (5, 3, Check.IMPOSSIBLE_DATE, "Date of Initial Child Protection Conference") in problems
    assert (8, 7, Check.IMPOSSIBLE_DATE, "Date Started to be Looked After") in problems  # before birth
    assert (8, 8, Check.IMPOSSIBLE_DATE, "Date of Last Social Work Visit") in problems  # after today
    assert not any(item.row == 10 and item.list_number == 1 for item in report.rows_to_fix), "unborn, no birth date"
    text = repr([item.__dict__ for item in report.rows_to_fix])
    for child in fixture.RAW_CHILD_IDS:
        assert f"'{child}'" not in text and f" {child} " not in text
    repeated = [item.child for item in report.rows_to_fix if item.check == Check.CP_WITHOUT_S47]
    assert repeated[0] == repeated[1] != repeated[2], "one child, one pseudonym; another child, another"
    assert all(item.child.startswith("P-") for item in report.rows_to_fix)


def test_the_period_and_the_months_come_from_the_workbook(report):
    assert (report.period.start, report.period.as_at) == (fixture.PERIOD_START, fixture.AS_AT)
    assert report.period.months() == fixture.MONTHS


def test_what_an_inspector_sees_first_is_worst_first(report):
    first = report.first_seen()
    assert first[0] == (
        "List 2 (Early Help), List 4 (Assessments), List 6 (Children in Need), List 10 (Adoption) and "
        "List 11 (Adopters) are not in the workbook."
    )
    assert first[1].startswith("2 children on a child protection plan")
    assert first[2] == "2 children on list 9 are past their 25th birthday."
    assert first[3].startswith("1 child in care on list 8 is missing")
    assert len(first) == 5 and "repeat a child" in first[4]
    assert not report.ready


def test_the_report_survives_being_stored(report):
    again = Readiness.from_dict(report.to_dict())
    assert again.rows_to_fix == report.rows_to_fix and again.first_seen() == report.first_seen()
    assert again.period == report.period


def test_a_clean_list_is_ready():
    rows = ListRows(9, "List 9", ("Child Unique ID", "Gender", "Date of Birth", "Eligibility Category", "LA in Touch"))
    rows.rows = [{ROW: 2, "Child Unique ID": 7, "Gender": "b) Female", "Date of Birth": "01/01/2005",
                  "Eligibility Category": "Relevant", "LA in Touch": "a) Yes"}]  # fmt: skip
    report = check_workbook({9: rows}, today=dt.date(2025, 11, 20), pseudonym=PSEUDONYM)
    assert report.rows_to_fix == [] and report.lists[8].children == 1


def test_answers_are_read_with_or_without_their_prefix():
    assert "yes" in code_readings("a) Yes") and "yes" in code_readings("  A)  yes ")
    assert {"g4", "not in education"} <= code_readings("g4: Not in education")
    assert "1" in code_readings(1.0)


def test_a_pseudonym_depends_on_the_key_and_not_on_how_the_id_is_written():
    assert PSEUDONYM(1234) == PSEUDONYM(" 1234 ") == PSEUDONYM(1234.0)
    assert PSEUDONYM("C1") != pseudonymiser(b"another key")("C1") and PSEUDONYM(None) == ""


class _ReadList:
    """Shaped as the figures branch's ListRows: rows, parsed values, unusable cells by row."""

    def __init__(self, sheet, rows, values, unusable):
        self.sheet, self.rows, self.values, self.unusable = sheet, rows, values, unusable

    def records(self):
        for index, row in enumerate(self.rows):
            yield {ROW: row, **{name: column[index] for name, column in self.values.items()}}


def test_the_new_readers_lists_are_checked_the_same_way():
    """The adapter for the figures branch's reader: parsed dates, codes without their prefix,
    and an unreadable cell known only by its reason."""
    values = {
        "Child Unique ID": ["C32", "C33"],
        "Gender": ["Male", "Female"],
        "Date of Birth": [dt.date(2000, 11, 13), None],
        "Eligibility Category": ["Former relevant", "Former relevant"],
        "LA in Touch": ["Yes", "Yes"],
        "Activity Status": ["g4: Not in education", "XX"],
    }
    read = _ReadList("List 9", [4, 5], values, {"Date of Birth": {5: "is a date outside 1980 to 2040"}})
    lists = from_reader(type("Workbook", (), {"lists": {9: read}})())
    report = check_workbook(lists, today=fixture.CHECKED_ON, pseudonym=PSEUDONYM)
    found = {(item.row, item.check, item.problem) for item in report.rows_to_fix}
    assert found == {
        (4, Check.CARE_LEAVER_OVER_25, "past their 25th birthday on the workbook's last date"),
        (5, Check.IMPLAUSIBLE_DATE, "Date of Birth is a date outside 1980 to 2040"),
        (5, Check.UNKNOWN_CODE, "Activity Status is not one of the template's answers"),
    }


@given(st.text(alphabet=st.characters(categories=("L", "N", "Zs")), max_size=30))
def test_an_answer_reads_the_same_with_or_without_a_letter_prefix(answer):
    """Any words, case and spacing aside, with "b) " before them or not, read alike."""
    expected = code_readings(answer)
    assert code_readings(f"b) {answer}") == expected
    assert code_readings(f"  {answer.upper()}  ") == {reading.upper().lower() for reading in expected} or not answer


def test_the_required_fields_are_the_ones_headings_yaml_marks():
    """One source: the readiness report and the reader take "required" from headings.yaml."""
    from evidence.performance.annex_a import readiness
    from evidence.performance.annex_a.headings import load_lists

    for number, spec in load_lists().items():
        marked = {name for name, column in spec.columns.items() if column.required} - {spec.id_column}
        assert set(readiness.REQUIRED[number]) == marked, spec.title
    assert "CIN Start Date" in readiness.REQUIRED[6] and "Ethnicity" in readiness.REQUIRED[1]
    assert "Allocated Worker" not in readiness.REQUIRED[3], "a referral closed with no further action has no worker"


def test_every_column_the_checks_name_is_one_headings_yaml_knows():
    from evidence.performance.annex_a import readiness
    from evidence.performance.annex_a.headings import load_lists

    lists = load_lists()
    named = [(n, h) for n, h in readiness.KEY_DATE.items() if h]
    named += [(n, h) for n, pairs in readiness.IN_ORDER.items() for pair in pairs for h in pair]
    named += [(8, h) for h in (*readiness.CARE_DATES, readiness.CIC_START, readiness.CIC_END, readiness.LEGAL_STATUS)]
    named += [(7, readiness.CPP_START), (5, readiness.S47_START)]
    assert [(n, h) for n, h in named if h not in lists[n].columns] == []
    every_column = {h for spec in lists.values() for h in spec.columns}
    assert set(readiness.template_codes()) - every_column == set()


def test_an_ethnicity_left_blank_is_a_row_to_fix():
    headings = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Date of Contact", "Contact Source")
    rows = ListRows(1, "List 1", headings)
    rows.rows = [{ROW: 4, "Child Unique ID": "C1", "Gender": "a) Male", "Ethnicity": None, "Date of Birth": "01/01/2015",
                  "Date of Contact": "01/11/2025", "Contact Source": "Police"}]  # fmt: skip
    report = check_workbook({1: rows}, today=dt.date(2025, 11, 20), pseudonym=PSEUDONYM)
    assert [(item.row, item.check, item.column) for item in report.rows_to_fix] == [(4, Check.BLANK, "Ethnicity")]
