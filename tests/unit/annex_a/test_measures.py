"""Each Annex A figure against examples worked by hand (working days counted in comments)."""

import datetime as dt

from evidence.performance.annex_a.measures import MEASURES, Period, compute, compute_all
from evidence.performance.annex_a.workbook import parse_sheets
from tests.unit.annex_a.helpers import sheet, workbook

FEB = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
JAN = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
MAR = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
SETTINGS = {"cp_visit_working_days": 10}
BY_KEY = {m.key: m for m in MEASURES}


def figure(key, book, period):
    return compute(BY_KEY[key], book, period, SETTINGS)


def reasons(result):
    return [(item["row"], item["reason"]) for item in result.unusable]


def test_assessments_within_45_working_days():
    book = workbook(
        list_4=(
            ["Continuous Assessment Start Date", "Continuous Assessment Date of Authorisation"],
            [
                ["02/12/2024", "06/02/2025"],  # row 4: 45 working days (Christmas holidays skipped): met
                ["02/12/2024", "07/02/2025"],  # row 5: 46: not met
                ["15/01/2025", "01/02/2025"],  # row 6: authorised on the period's first day: in scope, met
                ["15/01/2025", "31/01/2025"],  # row 7: authorised the day before: out of scope
                ["10/02/2025", "01/03/2025"],  # row 8: authorised the day after: out of scope
                [None, "10/02/2025"],  # row 9: no start date: unusable
                ["31/02/2025", "28/02/2025"],  # row 10: start is not a real date: unusable
                ["20/02/2025", None],  # row 11: not authorised yet: out of scope, not unusable
                ["20/02/2025", "2025-02-30"],  # row 12: authorisation unreadable: unusable
                ["20/02/2025", "10/02/2025"],  # row 13: authorised before it started: unusable
            ],
        )
    )
    result = figure("assessments_45_working_days", book, FEB)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)
    assert reasons(result) == [
        (9, "Continuous Assessment Start Date is blank"),
        (10, "Continuous Assessment Start Date is not a real date"),
        (12, "Continuous Assessment Date of Authorisation is not a real date"),
        (13, "Continuous Assessment Date of Authorisation is before the start date"),
    ]


def test_icpcs_within_15_working_days_across_bank_holidays():
    book = workbook(
        list_5=(
            ["Strategy discussion initiating Section 47 Enquiry Start Date", "Date of ICPC"],
            [
                ["16/12/2024", "09/01/2025"],  # 15 working days without 25, 26 Dec and 1 Jan: met
                ["16/12/2024", "10/01/2025"],  # 16: not met
                ["20/12/2024", "02/01/2025"],  # 6: met
                ["20/01/2025", None],  # no ICPC (yet): out of scope
                [None, "31/01/2025"],  # row 8: no strategy discussion date: unusable
            ],
        )
    )
    result = figure("icpc_15_working_days", book, JAN)
    assert (result.numerator, result.denominator) == (2, 3)
    assert reasons(result) == [(8, "Strategy discussion initiating Section 47 Enquiry Start Date is blank")]


def test_re_referrals_within_12_months():
    book = workbook(
        list_3=(
            ["Date of referral", "Number of Referrals in Last 12 Months"],
            [
                ["01/03/2025", 1],  # first referral, first day of the period
                ["31/03/2025", 2],  # re-referral, last day of the period
                ["15/03/2025", "a) 3"],  # letter prefix: still 3
                ["28/02/2025", 2],  # before the period
                ["10/03/2025", "two"],  # row 8: unusable
                ["11/03/2025", None],  # row 9: unusable
            ],
        )
    )
    result = figure("re_referrals_12_months", book, MAR)
    assert (result.numerator, result.denominator) == (2, 3)
    assert reasons(result) == [(8, "Number of Referrals in Last 12 Months is not a count"), (9, "Number of Referrals in Last 12 Months is blank")]


CP_COLUMNS = ["CPP Start Date", "Date of the Last Statutory Visit", "CPP End Date", "Number of Previous CPPs"]
CP_ROWS = [
    ["03/03/2025", "25/03/2025", None, 0],  # row 4: new plan, first plan; visited 4 working days before the end
    ["20/03/2025", "17/03/2025", None, 2],  # row 5: new plan, third plan; visited 10 working days before: met
    ["10/01/2023", "14/03/2025", "12/03/2025", 0],  # row 6: ended after more than two years
    ["13/03/2023", "10/03/2025", "12/03/2025", 1],  # row 7: ended one day short of two years
    ["01/06/2024", "17/03/2025", None, 0],  # row 8: open, 10 working days: met
    ["01/06/2024", "14/03/2025", None, 0],  # row 9: open, 11 working days: not met
    ["01/06/2024", None, None, 0],  # row 10: open, never visited: unusable for visits
    ["01/06/2024", "17/03/2025", "02/04/2025", 0],  # row 11: ends after the period: still open at its end
]


def test_second_or_subsequent_plans():
    result = figure("cp_plan_second_or_subsequent", workbook(list_7=(CP_COLUMNS, CP_ROWS)), MAR)
    assert (result.numerator, result.denominator, result.unusable) == (1, 2, [])


def test_plans_lasting_two_years_or_more():
    result = figure("cp_plans_two_years", workbook(list_7=(CP_COLUMNS, CP_ROWS)), MAR)
    assert (result.numerator, result.denominator) == (1, 2)
    exactly_two_years = workbook(list_7=(CP_COLUMNS, [["13/03/2023", None, "13/03/2025", 0]]))
    assert figure("cp_plans_two_years", exactly_two_years, MAR).numerator == 1


def test_cp_visits_within_the_local_standard():
    book = workbook(list_7=(CP_COLUMNS, CP_ROWS))
    result = figure("cp_visits_in_standard", book, MAR)
    assert (result.numerator, result.denominator) == (4, 5)
    assert reasons(result) == [(10, "Date of the Last Statutory Visit is blank")]
    looser = compute(BY_KEY["cp_visits_in_standard"], book, MAR, {"cp_visit_working_days": 20})
    assert looser.numerator == 5


CIC_COLUMNS = [
    "Date Started to be Looked After",
    "Date of Last Social Work Visit",
    "Number of Placements in Last 12 months",
    "Date Ceased",
]
CIC_ROWS = [
    ["01/01/2024", "17/02/2025", 1, None],  # visited 42 days before 31 March: in time
    ["01/01/2024", "16/02/2025", 3, None],  # 43 days: late; 3 placements
    ["01/01/2024", "30/03/2025", 2, "15/03/2025"],  # left care in the period: out of scope
    ["01/04/2025", "01/04/2025", 1, None],  # came into care after the period
    ["05/05/2024", "45700", "a) 4", None],  # serial number as text: 12/02/2025, 47 days: late
    ["05/05/2024", "01/03/2025", None, None],  # row 9: placements blank
]


def test_children_in_care_visited_within_timescale():
    result = figure("cic_visits_in_time", workbook(list_8=(CIC_COLUMNS, CIC_ROWS)), MAR)
    assert (result.numerator, result.denominator, result.unusable) == (2, 4, [])


def test_children_in_care_with_three_or_more_placements():
    result = figure("cic_three_placements", workbook(list_8=(CIC_COLUMNS, CIC_ROWS)), MAR)
    assert (result.numerator, result.denominator) == (2, 3)
    assert reasons(result) == [(9, "Number of Placements in Last 12 months is blank")]


def test_care_leavers():
    book = workbook(
        list_9=(
            ["LA in Touch", "Suitability of Accommodation", "Activity Status"],
            [
                ["a) Yes", "a) Suitable", "F1"],
                ["b) No", "b) Not suitable", "b) Not in education, employment or training"],
                ["Yes", "Suitable", "a) In training"],
                [None, None, "G4"],  # row 7
            ],
        )
    )
    touch = figure("care_leavers_in_touch", book, MAR)
    assert (touch.numerator, touch.denominator) == (2, 3)
    assert reasons(touch) == [(7, "LA in Touch is blank")]
    suitable = figure("care_leavers_suitable_accommodation", book, MAR)
    assert (suitable.numerator, suitable.denominator) == (2, 3)
    eet = figure("care_leavers_eet", book, MAR)
    assert (eet.numerator, eet.denominator, eet.unusable) == (2, 4, [])


def test_missing_lists_and_columns_say_what_was_not_computed():
    book = workbook(list_7=(["CPP Start", *CP_COLUMNS[1:]], CP_ROWS))
    results = {f.key: f for f in compute_all(book, MAR)}
    assert results["assessments_45_working_days"].not_computed == "List 4 (Assessments) is missing from the workbook"
    assert results["cp_plans_two_years"].not_computed == "List 7 (Child Protection) has no column 'CPP Start Date'"
    assert results["cp_plans_two_years"].value is None


def test_a_repeated_child_is_counted_once_and_listed():
    rows = [["C1", "03/03/2025", "25/03/2025", None, 0], ["C1", "04/03/2025", "25/03/2025", None, 1]]
    book = parse_sheets({"List 7": sheet(["Child Unique ID", *CP_COLUMNS], rows)})
    result = figure("cp_plan_second_or_subsequent", book, MAR)
    assert (result.numerator, result.denominator) == (0, 1)
    assert reasons(result) == [(5, "the Child Unique ID repeats row 4; one row per child is expected")]


def test_an_empty_period_gives_no_value():
    result = figure(
        "re_referrals_12_months",
        workbook(list_3=(["Date of referral", "Number of Referrals in Last 12 Months"], [])),
        MAR,
    )
    assert (result.denominator, result.value, result.not_computed) == (0, None, None)
