"""Each Annex A figure against examples worked by hand (working days counted in comments)."""

import datetime as dt

from evidence.performance.annex_a import measures as m
from evidence.performance.annex_a.measures import BY_KEY, Context, Period, compute, compute_all
from tests.unit.annex_a.helpers import workbook

FEB = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
JAN = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
MAR = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
APR = Period.month(dt.date(2025, 4, 1))


def figure(key, book, period, *, working_days=10, as_at=None):
    context = Context(period, as_at or period.end, {"cp_visit_working_days": working_days})
    return compute(BY_KEY[key], book, context)


def reasons(result):
    return [(item["row"], item["reason"]) for item in result.unusable]


def test_assessments_within_45_working_days():
    book = workbook(
        list_4=(
            [m.ASSESS_START, m.ASSESS_AUTH],
            [
                ["02/12/2024", "06/02/2025"],  # row 4: 45 working days (Christmas holidays skipped): met
                ["02/12/2024", "07/02/2025"],  # row 5: 46: not met
                ["15/01/2025", "01/02/2025"],  # row 6: authorised on the month's first day: in scope, met
                ["15/01/2025", "31/01/2025"],  # row 7: authorised the day before: out of scope
                ["10/02/2025", "01/03/2025"],  # row 8: authorised the day after: out of scope
                [None, "10/02/2025"],  # row 9: no start date: unusable
                ["31/02/2025", "28/02/2025"],  # row 10: start is not a real date: unusable
                ["20/02/2025", None],  # row 11: not authorised yet: out of scope, not unusable
                ["20/02/2025", "2025-02-30"],  # row 12: authorisation unreadable: out of scope, reported by the reader
                ["20/02/2025", "10/02/2025"],  # row 13: authorised before it started: unusable
            ],
        )
    )
    result = figure("assessments_45_working_days", book, FEB)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)
    assert reasons(result) == [
        (9, f"{m.ASSESS_START} is blank"),
        (10, f"{m.ASSESS_START} is not a date"),
        (12, f"{m.ASSESS_AUTH} is not a date"),
        (13, f"{m.ASSESS_AUTH} is before {m.ASSESS_START}"),
    ]
    # The cell's own text is never repeated
    assert all("31/02" not in reason for _, reason in reasons(result))


def test_icpcs_within_15_working_days_across_bank_holidays():
    book = workbook(
        list_5=(
            [m.STRATEGY, m.ICPC],
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
    assert reasons(result) == [(8, f"{m.STRATEGY} is blank")]


def test_re_referrals_count_the_referrals_before_this_one():
    book = workbook(
        list_3=(
            [m.L3_DATE, m.L3_COUNT, m.L3_NFA],
            [
                ["01/03/2025", 0, "b) No"],  # first referral in 12 months: not a re-referral
                ["31/03/2025", 1, "a) Yes"],  # one before it: a re-referral (the old reader said not)
                ["15/03/2025", "a) 3", "No"],  # letter prefix: still 3
                ["28/02/2025", 2, "No"],  # before the month
                ["10/03/2025", "two", "No"],  # row 8: unusable
                ["11/03/2025", None, None],  # row 9: unusable
            ],
        )
    )
    result = figure("re_referrals_12_months", book, MAR)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)
    assert reasons(result) == [
        (8, f"{m.L3_COUNT} is not a whole number of 0 or more"),
        (9, f"{m.L3_COUNT} is blank"),
    ]
    nfa = figure("referrals_nfa", book, MAR)
    assert (nfa.numerator, nfa.denominator) == (1, 4)
    assert reasons(nfa) == [(9, f"{m.L3_NFA} is blank")]


def test_contacts_that_became_referrals():
    book = workbook(
        list_1=(["Date of Contact"], [["03/03/2025"], ["04/03/2025"], ["05/03/2025"], ["06/03/2025"], ["01/02/2025"]]),
        list_3=([m.L3_DATE, m.L3_COUNT], [["10/03/2025", 0], ["28/02/2025", 0]]),
    )
    result = figure("contact_to_referral", book, MAR)
    assert (result.numerator, result.denominator, result.value) == (1, 4, 25.0)


CP_COLUMNS = [m.CPP_START, m.CP_VISIT, m.CPP_END, m.PREVIOUS_CPPS, m.CP_REVIEW]
CP_ROWS = [
    ["03/03/2025", "25/03/2025", None, 0, None],  # row 4: new plan, first plan; visited 4 working days before the end
    ["20/03/2025", "17/03/2025", None, 2, None],  # row 5: new plan, third; visited 10 working days before: met
    ["10/01/2023", "14/03/2025", "12/03/2025", 0, "01/12/2024"],  # row 6: ended after more than two years
    ["13/03/2023", "10/03/2025", "12/03/2025", 1, "01/12/2024"],  # row 7: ended one day short of two years
    ["01/06/2024", "17/03/2025", None, 0, "01/10/2024"],  # row 8: open, visited 10 working days before: met
    ["01/06/2024", "14/03/2025", None, 0, "30/09/2024"],  # row 9: open, 11 working days: not met
    ["01/06/2024", None, None, 0, None],  # row 10: open, never visited: not in time
    ["01/06/2024", "17/03/2025", "02/04/2025", 0, "01/12/2024"],  # row 11: ends after the month: open at its end
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
    # Rows 4, 5, 8, 11 met; 9 late; 10 never visited
    assert (result.numerator, result.denominator, result.unusable) == (4, 6, [])
    assert figure("cp_visits_in_standard", book, MAR, working_days=20).numerator == 5


def test_cp_reviews_in_time():
    result = figure("cp_reviews_in_time", workbook(list_7=(CP_COLUMNS, CP_ROWS)), MAR)
    # Rows 4, 5: plans under 3 months, not yet due. Row 8: reviewed 01/10/2024, 6 months before
    # 31/03/2025 is 30/09/2024: in time; row 9 reviewed on 30/09/2024: in time (the same day);
    # row 10: never reviewed after 10 months: late; row 11 in time.
    assert (result.numerator, result.denominator) == (5, 6)


def test_a_visit_after_the_month_means_the_month_cannot_be_given():
    book = workbook(list_7=(CP_COLUMNS, CP_ROWS))
    february = figure("cp_visits_in_standard", book, FEB)
    assert february.value is None
    assert (
        "after February 2025" in february.not_computed
        and "latest 'Date of the Last Statutory Visit'" in february.not_computed
    )


def test_a_repeated_child_keeps_the_latest_plan():
    rows = [
        ["C1", "01/06/2024", "01/01/2025", "01/02/2025", 0],  # row 4: the earlier plan, ended
        ["C1", "10/02/2025", "25/03/2025", None, 1],  # row 5: the latest plan: open and visited
        ["C2", "01/06/2024", "25/03/2025", None, 0],
    ]
    book = workbook(list_7=([m.CPP_START, m.CP_VISIT, m.CPP_END, m.PREVIOUS_CPPS], rows, True))
    result = figure("cp_visits_in_standard", book, MAR)
    assert (result.numerator, result.denominator) == (2, 2)


CIC_COLUMNS = [m.CIC_START, m.CIC_VISIT, m.PLACEMENTS, m.CIC_END, m.LEGAL, m.PLACEMENT_TYPE, m.PLACEMENT_START]
CIC_ROWS = [
    ["01/01/2024", "17/02/2025", 1, None, "C2", "U6", "01/01/2024"],  # visited 42 days before 31 March: in time
    ["01/01/2024", "16/02/2025", 3, None, "C2", "U6", "01/01/2024"],  # 43 days: late; 3 placements
    ["01/01/2024", "30/03/2025", 2, "15/03/2025", "C2", "U6", "01/01/2024"],  # left care in the month
    ["01/04/2025", "01/04/2025", 1, None, "C2", "U6", "01/04/2025"],  # came into care after the month
    ["05/05/2024", "45700", "a) 4", None, "C1", "U6", "05/05/2024"],  # serial as text: 12/02/2025, 47 days: late
    ["05/05/2024", "01/03/2025", None, None, "C2", "U6", "05/05/2024"],  # row 9: placements blank
    [
        "01/01/2023",
        "01/01/2025",
        1,
        None,
        "C2",
        "d) U4: Foster placement - long term",
        "01/01/2023",
    ],  # long-term: 3-monthly, in time
    [
        "01/01/2024",
        "01/01/2025",
        5,
        None,
        "V3: Short term breaks, episodes recorded",
        "U6",
        "01/01/2024",
    ],  # short break: out
    ["01/01/2024", None, 0, None, "C2", "U6", "27/03/2025"],  # row 12: placed 4 days before the end: not yet due
]


def test_children_in_care_visited_within_timescale():
    result = figure("cic_visits_in_time", workbook(list_8=(CIC_COLUMNS, CIC_ROWS)), MAR)
    # In care at the end, short break out: rows 4, 5, 8, 9, 10, 12; met: 4, 9, 10, 12
    assert (result.numerator, result.denominator, result.unusable) == (4, 6, [])


def test_children_in_care_with_three_or_more_placements_only_for_the_workbooks_month():
    book = workbook(list_8=(CIC_COLUMNS, CIC_ROWS))
    result = figure("cic_three_placements", book, MAR, as_at=dt.date(2025, 3, 31))
    assert (result.numerator, result.denominator) == (2, 5)
    assert reasons(result) == [(9, f"{m.PLACEMENTS} is blank")]
    earlier = figure("cic_three_placements", book, FEB, as_at=dt.date(2025, 3, 31))
    assert earlier.value is None and "cannot give a figure for February 2025" in earlier.not_computed


def test_missing_episodes_and_return_interviews():
    columns = [m.CIC_START, m.CIC_END, m.LEGAL, m.MISSING, m.OFFERED, m.ACCEPTED, m.LOCATION]
    rows = [
        ["01/01/2024", None, "C2", 0, None, None, "a) In"],
        ["01/01/2024", None, "C2", 2, "a) Yes", "a) Yes", "b) Out"],
        ["01/01/2024", None, "C2", 1, "a) Yes", "b) No", "a) In"],
        ["01/01/2024", None, "C2", 3, "b) No", None, "Out"],
        ["01/01/2024", None, "V1", 3, "b) No", None, "Out"],  # short break: out of every figure
    ]
    book = workbook(list_8=(columns, rows))
    assert (lambda f: (f.numerator, f.denominator))(figure("cic_missing_episodes", book, MAR)) == (3, 4)
    assert (lambda f: (f.numerator, f.denominator))(figure("return_interviews_offered", book, MAR)) == (2, 3)
    assert (lambda f: (f.numerator, f.denominator))(figure("return_interviews_accepted", book, MAR)) == (1, 2)
    assert (lambda f: (f.numerator, f.denominator))(figure("cic_placed_out_of_area", book, MAR)) == (2, 4)


def test_health_and_dental_checks_in_date():
    columns = [m.CIC_START, m.CIC_END, m.LEGAL, m.HEALTH, m.DENTAL, "Date of Birth"]
    rows = [
        ["01/01/2023", None, "C2", "01/04/2024", "01/04/2024", "01/01/2015"],  # within 12 months: both in date
        [
            "01/01/2023",
            None,
            "C2",
            "01/10/2024",
            "30/03/2024",
            "01/01/2022",
        ],  # under 5: 6 months ago is 30/09: in date; dental late
        [
            "01/01/2023",
            None,
            "C2",
            "29/09/2024",
            None,
            "01/01/2022",
        ],  # under 5, 6 months and 2 days: late; no dental check
        ["01/01/2025", None, "C2", None, None, "01/01/2015"],  # in care under 12 months: out
    ]
    book = workbook(list_8=(columns, rows))
    health = figure("cic_health_assessments_in_date", book, MAR)
    assert (health.numerator, health.denominator) == (2, 3)
    dental = figure("cic_dental_checks_in_date", book, MAR)
    assert (dental.numerator, dental.denominator) == (1, 3)


def test_care_leavers_who_died_or_returned_home_leave_the_denominator():
    book = workbook(
        list_9=(
            [m.IN_TOUCH, m.SUITABILITY, m.ACTIVITY, m.ADVISER, m.PATHWAY],
            [
                ["a) Yes", "a) Suitable", "F1: Full time in higher education", "PA 1", "01/12/2024"],
                [
                    "b) No",
                    "b) Unsuitable",
                    "G4: Not in education, employment or training - illness or disability",
                    None,
                    "01/09/2024",
                ],
                ["Yes", "Suitable", "P3: Part time in training or employment", "PA 2", None],
                [
                    "a) Yes",
                    "a) Suitable",
                    "G6: Not in education, employment or training - pregnancy or parenting",
                    "PA 1",
                    "31/03/2025",
                ],
                ["c) Died", None, None, None, None],  # out of every care leaver figure
                ["f) Rhom", "a) Suitable", "F1", "PA 3", "01/03/2025"],  # returned home: out
                [
                    "d) Refu",
                    "a) Suitable",
                    "something else",
                    "PA 3",
                    "01/03/2025",
                ],  # row 10: refused contact: not in touch
            ],
        )
    )
    touch = figure("care_leavers_in_touch", book, MAR)
    assert (touch.numerator, touch.denominator, touch.value) == (3, 5, 60.0)
    suitable = figure("care_leavers_suitable_accommodation", book, MAR)
    assert (suitable.numerator, suitable.denominator) == (4, 5)
    eet = figure("care_leavers_eet", book, MAR)
    # F1 and P3 are in EET; G4 and G6 are not, though their words name education and training
    assert (eet.numerator, eet.denominator, eet.value) == (2, 4, 50.0)
    assert reasons(eet) == [(10, f"{m.ACTIVITY} is not one of the template's activity codes")]
    pathway = figure("care_leavers_pathway_plans_in_date", book, MAR)
    assert (pathway.numerator, pathway.denominator) == (3, 5)
    adviser = figure("care_leavers_personal_adviser", book, MAR)
    assert (adviser.numerator, adviser.denominator) == (4, 5)


def test_adoption_a1_a2_and_adopter_timeliness():
    book = workbook(
        list_10=(
            [m.ENTERED_CARE, m.PLACEMENT_ORDER, m.MATCHED, m.PLACED_FOR_ADOPTION, m.ADOPTION_ORDER],
            [
                ["01/01/2024", "01/06/2024", "01/09/2024", "01/10/2024", "10/03/2025"],  # A1 274 days, A2 92
                ["01/01/2023", "01/01/2024", "01/03/2024", "01/04/2024", "20/03/2025"],  # A1 456, A2 60
                ["01/01/2023", "01/01/2024", "01/03/2024", "01/04/2024", "20/02/2025"],  # adopted in February
            ],
        ),
        list_11=(
            [m.STAGE_1_STARTED, m.APPROVED],
            [["01/09/2024", "01/03/2025"], ["01/08/2024", "02/03/2025"], ["01/01/2025", None]],
        ),
    )
    a1 = figure("adoption_a1_days", book, MAR)
    assert (a1.numerator, a1.denominator, a1.value) == (730, 2, 365.0)
    a2 = figure("adoption_a2_days", book, MAR)
    assert (a2.numerator, a2.denominator, a2.value) == (152, 2, 76.0)
    adopters = figure("adopters_approved_in_time", book, MAR)
    assert (adopters.numerator, adopters.denominator) == (1, 2)


def test_section_47_outcomes_and_children_seen():
    book = workbook(
        list_5=(
            [m.STRATEGY, m.ICPC_UNNEEDED, m.ICPC, m.ICPC_PLAN],
            [
                ["03/03/2025", "b) No", "20/03/2025", "a) Yes"],
                ["04/03/2025", "a) Yes", None, None],
                ["05/03/2025", None, None, None],  # outcome not yet recorded: out
                ["01/02/2025", "b) No", "05/03/2025", "b) No"],
            ],
        ),
        list_4=(
            [m.ASSESS_START, m.ASSESS_AUTH, m.ASSESS_SEEN],
            [["01/03/2025", "10/03/2025", "a) Yes"], ["01/03/2025", "11/03/2025", "b) No"]],
        ),
    )
    s47 = figure("s47_to_icpc", book, MAR)
    assert (s47.numerator, s47.denominator) == (1, 2)
    plan = figure("icpc_to_plan", book, MAR)
    assert (plan.numerator, plan.denominator) == (1, 2)
    seen = figure("assessments_child_seen", book, MAR)
    assert (seen.numerator, seen.denominator) == (1, 2)


def test_missing_lists_and_columns_say_what_was_not_computed():
    book = workbook(list_7=(["CPP Start", *CP_COLUMNS[1:]], CP_ROWS))
    results = {f.key: f for f in compute_all(book, MAR, as_at=dt.date(2025, 3, 31))}
    assert results["assessments_45_working_days"].not_computed == "List 4 (Assessments) is not in the workbook"
    assert results["cp_plans_two_years"].not_computed == f"List 7 (Child Protection) has no column '{m.CPP_START}'"
    assert results["cp_plans_two_years"].value is None
    stopped = m.stopped_figures(book)
    assert any(
        p.column == m.CPP_START and "Child protection plans ending that lasted two years or more" in p.message
        for p in stopped
    )


def test_an_empty_month_gives_no_value():
    book = workbook(list_3=([m.L3_DATE, m.L3_COUNT], [["01/01/2025", 0]]))
    result = figure("re_referrals_12_months", book, MAR)
    assert (result.denominator, result.value, result.not_computed) == (0, None, None)


def test_a_list_with_no_rows_says_so():
    result = figure("re_referrals_12_months", workbook(list_3=([m.L3_DATE, m.L3_COUNT], [])), MAR)
    assert result.not_computed == "List 3 (Referrals) has no rows"


def test_every_figure_has_its_definition_and_standard():
    for measure in m.MEASURES:
        d = measure.definition
        assert all((d.numerator, d.denominator, d.dates, d.cohort, d.standard)), measure.key
