"""A workbook written with the template's own headings (from template_headings.txt, one
template version copied from DOMAIN.md, not the reader's headings.yaml), holding the traps
that misled the first import, read through the real file path; every figure worked by hand.

The workbook is as at 30 April 2025; April is the month computed.
"""

import datetime as dt

import pytest
from openpyxl import Workbook

from evidence.performance.annex_a.measures import Period, figures_from_workbook
from evidence.performance.annex_a.synthetic import template_lists

APRIL, MARCH = Period.month(dt.date(2025, 4, 1)), Period.month(dt.date(2025, 3, 1))
TODAY = dt.date(2025, 5, 12)


def serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


ROWS = {
    3: [
        # "Number of Referrals in Last 12 Months" counts those BEFORE this one: 1 is a re-referral
        {"Child Unique ID": "R1", "Date of referral": "10/04/2025 00:00", "Number of Referrals in Last 12 Months": 0},
        {
            "Child Unique ID": "R2",
            "Date of referral": "2025-04-28T00:00:00",
            "Number of Referrals in Last 12 Months": 1,
        },
        {
            "Child Unique ID": "R3",
            "Date of referral": serial(dt.date(2025, 4, 15)),
            "Number of Referrals in Last 12 Months": 1,
        },
        {
            "Child Unique ID": "R4",
            "Date of referral": dt.datetime(2025, 4, 1),
            "Number of Referrals in Last 12 Months": "b) 2",
        },
        {"Child Unique ID": "R5", "Date of referral": "20/03/2025", "Number of Referrals in Last 12 Months": 0},
    ],
    5: [
        # 12 working days (Good Friday and Easter Monday skipped): in time
        {
            "Child Unique ID": "S1",
            "Strategy discussion initiating Section 47 Enquiry Start Date": "01/04/2025",
            "Date of Initial Child Protection Conference": "17/04/2025",
        },
        # 18 working days: late
        {
            "Child Unique ID": "S2",
            "Strategy discussion initiating Section 47 Enquiry Start Date": "25/03/2025",
            "Date of Initial Child Protection Conference": "22/04/2025",
        },
    ],
    7: [
        # C1 has an earlier, ended plan (first row) and the latest plan (second): the latest counts
        {
            "Child Unique ID": "C1",
            "Child Protection Plan Start Date": "01/01/2024",
            "Child Protection Plan End Date": "01/02/2025",
            "Date of the Last Statutory Visit": "20/01/2025",
            "Number of Previous Child Protection Plans": 0,
        },
        {
            "Child Unique ID": "C1",
            "Child Protection Plan Start Date": "01/03/2025",
            "Date of the Last Statutory Visit": "25/04/2025",
            "Number of Previous Child Protection Plans": 1,
        },
        # 10 working days before 30 April (Easter skipped): in time
        {
            "Child Unique ID": "C2",
            "Child Protection Plan Start Date": "01/06/2024",
            "Date of the Last Statutory Visit": "14/04/2025",
            "Number of Previous Child Protection Plans": 0,
        },
        # 12 working days: late
        {
            "Child Unique ID": "C3",
            "Child Protection Plan Start Date": "01/06/2024",
            "Date of the Last Statutory Visit": "10/04/2025",
            "Number of Previous Child Protection Plans": 0,
        },
    ],
    8: [
        {
            "Child Unique ID": "L10",
            "Date Started to be Looked After": "01/01/2024",
            "Child's Legal Status": "C2: FCO",
            "Placement Type": "f) U6: Foster placement - not FFA",
            "Start Date of Most Recent Placement": "01/01/2024",
            "Date of Last Social Work Visit": "20/04/2025",
            "Number of Placements in the Last 12 months": 1,
        },
        # Long-term foster placement held since 2022: 3-monthly, so a visit 74 days ago is in time
        {
            "Child Unique ID": "L11",
            "Date Started to be Looked After": "01/01/2022",
            "Child's Legal Status": "C2: FCO",
            "Placement Type": "d) U4: Foster placement - long term",
            "Start Date of Most Recent Placement": "01/03/2022",
            "Date of Last Social Work Visit": "15/02/2025",
            "Number of Placements in the Last 12 months": 0,
        },
        # 51 days since the visit: late
        {
            "Child Unique ID": "L12",
            "Date Started to be Looked After": "01/01/2024",
            "Child's Legal Status": "C1: ICO",
            "Placement Type": "f) U6: Foster placement - not FFA",
            "Start Date of Most Recent Placement": "01/01/2025",
            "Date of Last Social Work Visit": "10/03/2025",
            "Number of Placements in the Last 12 months": 3,
        },
        # Short breaks: not children in care for visits and placements
        {
            "Child Unique ID": "L13",
            "Date Started to be Looked After": "01/01/2024",
            "Child's Legal Status": "V3: Short term breaks, episodes recorded",
            "Placement Type": "f) U6",
            "Start Date of Most Recent Placement": "01/01/2024",
            "Date of Last Social Work Visit": "01/01/2025",
            "Number of Placements in the Last 12 months": 4,
        },
        {
            "Child Unique ID": "L14",
            "Date Started to be Looked After": "01/01/2024",
            "Child's Legal Status": "V1",
            "Placement Type": "f) U6",
            "Start Date of Most Recent Placement": "01/01/2024",
            "Date of Last Social Work Visit": "01/01/2025",
            "Number of Placements in the Last 12 months": 5,
        },
    ],
    9: [
        {
            "Child Unique ID": "Y1",
            "LA in Touch": "a) Yes",
            "Suitability of Accommodation": "a) Suitable",
            "Activity Status": "F1: Full time in higher education",
        },
        {
            "Child Unique ID": "Y2",
            "LA in Touch": "a) Yes",
            "Suitability of Accommodation": "a) Suitable",
            "Activity Status": "P2: Part time in education other than higher",
        },
        {
            "Child Unique ID": "Y3",
            "LA in Touch": "b) No",
            "Suitability of Accommodation": "b) Unsuitable",
            "Activity Status": "G4: Not in education, employment or training - illness or disability",
        },
        {
            "Child Unique ID": "Y4",
            "LA in Touch": "a) Yes",
            "Suitability of Accommodation": "a) Suitable",
            "Activity Status": "G5: Not in education, employment or training - other",
        },
        # Died, and returned home: out of the in-touch denominator
        {"Child Unique ID": "Y5", "LA in Touch": "c) Died"},
        {
            "Child Unique ID": "Y6",
            "LA in Touch": "f) Rhom",
            "Suitability of Accommodation": "a) Suitable",
            "Activity Status": "F1: Full time in higher education",
        },
    ],
}


@pytest.fixture(scope="module")
def template_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "annex-a.xlsx"
    book = Workbook()
    book.remove(book.active)
    for number, (name, headings) in template_lists().items():
        sheet = book.create_sheet(f"List {number} - {name}"[:31])
        sheet.append([f"Annex A: List {number} {name}"])
        sheet.append([])
        sheet.append(headings)
        for row in ROWS.get(number, []):
            unknown = set(row) - set(headings)
            assert not unknown, f"not a template heading of list {number}: {unknown}"
            sheet.append([row.get(heading) for heading in headings])
    book.save(path)
    return path


def figures(path, period):
    result = figures_from_workbook(path, period, today=TODAY)
    return {figure.key: figure for figure in result.figures}, result


def shown(figure):
    return (figure.numerator, figure.denominator, figure.value)


def test_the_template_headings_are_all_found(template_workbook):
    _, result = figures(template_workbook, APRIL)
    assert not [p for p in result.problems if "not found" in p.message], result.problems
    assert result.as_at == dt.date(2025, 4, 28)


def test_the_figures_of_the_traps_worked_by_hand(template_workbook):
    april, _ = figures(template_workbook, APRIL)
    assert shown(april["re_referrals_12_months"]) == (3, 4, 75.0)  # not 25%
    assert shown(april["icpc_15_working_days"]) == (1, 2, 50.0)
    assert shown(april["cp_plan_second_or_subsequent"]) == (0, 0, None)
    assert shown(april["cp_visits_in_standard"]) == (2, 3, 66.7)
    assert shown(april["cic_visits_in_time"]) == (2, 3, 66.7)
    assert shown(april["cic_three_placements"]) == (1, 3, 33.3)
    assert shown(april["care_leavers_in_touch"]) == (3, 4, 75.0)
    assert shown(april["care_leavers_suitable_accommodation"]) == (3, 4, 75.0)
    assert shown(april["care_leavers_eet"]) == (2, 4, 50.0)  # not 100%


def test_an_earlier_month_gets_no_figure_the_lists_cannot_give(template_workbook):
    march, _ = figures(template_workbook, MARCH)
    assert march["cp_visits_in_standard"].value is None
    assert "after March 2025" in march["cp_visits_in_standard"].not_computed
    assert march["cic_visits_in_time"].value is None
    for key in ("care_leavers_in_touch", "care_leavers_eet", "cic_three_placements"):
        assert march[key].value is None and "cannot give a figure for March 2025" in march[key].not_computed
    assert shown(march["re_referrals_12_months"]) == (0, 1, 0.0)
    assert shown(march["cp_plan_second_or_subsequent"]) == (1, 1, 100.0)


def test_the_generators_template_and_the_readers_headings_agree():
    """The two sources, kept apart on purpose: every heading the generator writes is the
    canonical name of a column the reader knows for that list, and the reader knows no
    template column the generator's copy lacks (variants aside)."""
    from evidence.performance.annex_a.headings import load_lists

    lists = load_lists()
    for number, (name, headings) in template_lists().items():
        assert name == lists[number].name, number
        assert set(headings) == set(lists[number].columns), lists[number].title
