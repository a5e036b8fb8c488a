"""An Annex A workbook laid out as the template is, with problems a readiness report must find.

The headings are typed out here from the template (DOMAIN.md section 3), not taken from the
reader's own lists, so a reader that drifts from the template fails. Every problem is
placed by hand and counted in EXPECTED: the comment on each row says what is wrong with it.
The workbook was drawn up on Friday 14 November 2025 (its latest date); it is checked on
20 November 2025. Lists 2, 4, 6, 10 and 11 are left out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

CHECKED_ON = dt.date(2025, 11, 20)
COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]

CONTACTS = [*COMMON, "Date of Contact", "Contact Source"]
CONTACT_ROWS = [  # title row 1, blank row 2, headings row 3: the first child is row 4
    ["C1", "a) Male", "WBRI", "01/02/2015", 10, "15/05/2025", "Police"],  # 4: the earliest contact
    ["C2", "b) Female", "WBRI", dt.datetime(2016, 3, 3), 9, "14/11/2025", "School"],  # 5: the latest date
    ["C3", None, "WBRI", "04/04/2014", 11, "01/07/2025", "Health"],  # 6: gender blank
    ["C4", "x) Other", "WBRI", "05/05/2013", 12, "31/06/2025", "Police"],  # 7: code; no 31 June
    ["C2", "b) Female", "WBRI", dt.datetime(2016, 3, 3), 9, "14/11/2025", "School"],  # 8: repeats row 5
    ["C5", "a) Male", "WBRI", "01/01/2000", 25, "02/08/2025", "Police"],  # 9: 25 years old on a contact
    ["C6", "c) Not stated/recorded (unborn)", "WBRI", None, None, "03/09/2025", "Health"],  # 10: unborn, no birth date
]

REFERRALS = [
    *COMMON,
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]
REFERRAL_ROWS = [  # headings row 1
    ["C1", "a) Male", "WBRI", "01/02/2015", 10, "20/05/2025", "Police", "b) No", 0, "Team A", "Worker A"],  # 2
    ["C7", "b) Female", "WBRI", "05/05/2012", 13, "10/06/2025", "School", "Maybe", None, "Team A", "Worker B"],  # 3
    ["C8", "a) Male", "WBRI", 45000, 2, "30/06/2025", "Health", "a) Yes", 1, "Team B", "Worker C"],  # 4: serial date
]

ENQUIRIES = [
    *COMMON,
    "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
]
ENQUIRY_ROWS = [
    ["C10", "a) Male", "WBRI", "01/01/2018", 7, "b) No", "02/06/2025", "b) No", "20/06/2025", "a) Yes", 1, 1, "T", "W"],
    [
        "C11",
        "b) Female",
        "WBRI",
        "01/01/2019",
        6,
        "b) No",
        "10/07/2025",
        "b) No",
        "01/07/2025",
        "b) No",
        1,
        1,
        "T",
        "W",
    ],
]  # rows 2, 3; row 3: the conference is before the strategy discussion

PLANS = [
    *COMMON,
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]
PLAN_ROWS = [
    # 2: on list 5, fine
    [
        "C10",
        "a) Male",
        "WBRI",
        "01/01/2018",
        7,
        "b) No",
        "20/06/2025",
        "a) Neglect",
        "a) Neglect",
        "10/11/2025",
        "a) Yes",
        "20/09/2025",
        None,
        "b) No",
        0,
        "T",
        "W",
    ],
    # 3: plan in the period, child not on list 5
    [
        "C12",
        "b) Female",
        "WBRI",
        "01/01/2017",
        8,
        "b) No",
        "01/08/2025",
        "a) Neglect",
        "a) Neglect",
        "10/11/2025",
        "a) Yes",
        "20/10/2025",
        None,
        "b) No",
        0,
        "T",
        "W",
    ],
    # 4: started in the first three weeks of the period: its enquiry may be before it
    [
        "C13",
        "a) Male",
        "WBRI",
        "01/01/2016",
        9,
        "b) No",
        "20/05/2025",
        "a) Neglect",
        "a) Neglect",
        "10/11/2025",
        "a) Yes",
        "20/08/2025",
        None,
        "b) No",
        0,
        "T",
        "W",
    ],
    # 5: repeats row 3 (same child, same start), and not on list 5 either
    [
        "C12",
        "b) Female",
        "WBRI",
        "01/01/2017",
        8,
        "b) No",
        "01/08/2025",
        "a) Neglect",
        "a) Neglect",
        "10/11/2025",
        "a) Yes",
        "20/10/2025",
        None,
        "b) No",
        0,
        "T",
        "W",
    ],
    # 6: a category the template does not have; the plan ends before it starts; not on list 5
    [
        "C14",
        "b) Female",
        "WBRI",
        "01/01/2015",
        10,
        "b) No",
        "01/10/2025",
        "a) Neglect",
        "Financial",
        "10/11/2025",
        "a) Yes",
        None,
        "15/09/2025",
        "b) No",
        1,
        "T",
        "W",
    ],
]

IN_CARE = [
    *COMMON,
    "Does the Child have a Disability",
    "UASC",
    "Date Started to be Looked After",
    "Child's Category of Need",
    "Child's Legal Status",
    "Date of Latest Statutory Review",
    "Date of Last Social Work Visit",
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Number of Placements in the Last 12 months",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
]
# The template's other columns for every child in care, filled alike on every row below so
# that no finding comes from them (the report does not compare a legal status's or a
# placement's start with the episode's; October is before the day of the check).
IN_CARE_PLACEMENT = [
    "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
    "Start date of current legal status",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Provider",
    "Placement postcode",
    "Placement Location",
    "LA of Placement",
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
]
IN_CARE_ROWS = [
    # 2: fine
    [
        "C20",
        "a) Male",
        "WBRI",
        "01/01/2012",
        13,
        "b) No",
        "b) No",
        "01/01/2024",
        "N1",
        "C2",
        "01/10/2025",
        "01/11/2025",
        "01/03/2025",
        "01/03/2025",
        1,
        None,
        None,
    ],
    # 3: in care since March with no statutory review
    [
        "C21",
        "b) Female",
        "WBRI",
        "01/01/2013",
        12,
        "b) No",
        "b) No",
        "01/03/2025",
        "N1",
        "C2",
        None,
        "01/11/2025",
        "01/04/2025",
        None,
        1,
        None,
        None,
    ],
    # 4: short breaks: no dates are due
    [
        "C22",
        "a) Male",
        "WBRI",
        "01/01/2014",
        11,
        "a) Yes",
        "b) No",
        "01/03/2025",
        "N1",
        "V3",
        None,
        None,
        None,
        None,
        1,
        None,
        None,
    ],
    # 5: in care under 28 days: not due yet
    [
        "C23",
        "b) Female",
        "WBRI",
        "01/01/2015",
        10,
        "b) No",
        "b) No",
        "01/11/2025",
        "N1",
        "C2",
        None,
        None,
        None,
        None,
        1,
        None,
        None,
    ],
    # 6: left care in June: not due
    [
        "C24",
        "a) Male",
        "WBRI",
        "01/01/2016",
        9,
        "b) No",
        "b) No",
        "01/02/2025",
        "N1",
        "C2",
        None,
        None,
        None,
        None,
        1,
        "01/06/2025",
        "E11",
    ],
    # 7: in care before birth; a legal status the template does not have
    [
        "C25",
        "b) Female",
        "WBRI",
        "01/06/2020",
        5,
        "b) No",
        "b) No",
        "01/01/2019",
        "N1",
        "Z9",
        "01/10/2025",
        "01/11/2025",
        "01/06/2025",
        "01/06/2025",
        1,
        None,
        None,
    ],
    # 8: a visit after the day of the check
    [
        "C26",
        "a) Male",
        "WBRI",
        "01/01/2017",
        8,
        "b) No",
        "b) No",
        "01/05/2025",
        "N1",
        "C2",
        "01/06/2025",
        "01/12/2025",
        "01/06/2025",
        "01/06/2025",
        1,
        None,
        None,
    ],
]

LEAVERS = [
    *COMMON,
    "UASC",
    "Does the Child have a Disability",
    "Allocated Team",
    "Allocated Worker",
    "Allocated Personal Advisor",
    "Eligibility Category",
    "Latest Pathway Plan Review Date",
    "LA in Touch",
    "Latest Date of Contact",
    "Type of Accommodation",
    "Suitability of Accommodation",
    "Activity Status",
]
NEET = "g4: Not in education, employment or training - illness or disability"
LEAVER_ROWS = [
    # 2: 25 tomorrow
    [
        "C30",
        "a) Male",
        "WBRI",
        "15/11/2000",
        24,
        "b) No",
        "b) No",
        "T",
        "W",
        "PA",
        "Former relevant",
        "01/10/2025",
        "a) Yes",
        "01/11/2025",
        "Independent",
        "1",
        NEET,
    ],
    # 3: 25 on the workbook's date: still 25
    [
        "C31",
        "b) Female",
        "WBRI",
        "14/11/2000",
        25,
        "b) No",
        "b) No",
        "T",
        "W",
        "PA",
        "Former relevant",
        "01/10/2025",
        "a) Yes",
        "01/11/2025",
        "Independent",
        "1",
        "F1",
    ],
    # 4: 25 yesterday
    [
        "C32",
        "a) Male",
        "WBRI",
        "13/11/2000",
        25,
        "b) No",
        "b) No",
        "T",
        "W",
        "PA",
        "Former relevant",
        "01/10/2025",
        "a) Yes",
        "01/11/2025",
        "Independent",
        "2",
        "P1",
    ],
    # 5: 26; in touch blank; an activity the template does not have
    [
        "C33",
        "b) Female",
        "WBRI",
        "01/01/1999",
        26,
        "b) No",
        "b) No",
        "T",
        "W",
        "PA",
        "Former relevant",
        "01/10/2025",
        None,
        "01/11/2025",
        "Independent",
        "1",
        "XX",
    ],
    # 6: repeats row 2
    [
        "C30",
        "a) Male",
        "WBRI",
        "15/11/2000",
        24,
        "b) No",
        "b) No",
        "T",
        "W",
        "PA",
        "Former relevant",
        "01/10/2025",
        "a) Yes",
        "01/11/2025",
        "Independent",
        "1",
        NEET,
    ],
]

# Hand-counted: rows, children, then rows per check.
EXPECTED_LISTS = {
    1: {"rows": 7, "children": 6, "blank": 1, "impossible": 1, "implausible": 1, "duplicate": 1, "code": 1},
    3: {"rows": 3, "children": 3, "blank": 1, "impossible": 0, "implausible": 0, "duplicate": 0, "code": 1},
    5: {"rows": 2, "children": 2, "blank": 0, "impossible": 1, "implausible": 0, "duplicate": 0, "code": 0},
    7: {"rows": 5, "children": 4, "blank": 0, "impossible": 1, "implausible": 0, "duplicate": 1, "code": 1},
    8: {"rows": 7, "children": 7, "blank": 0, "impossible": 2, "implausible": 0, "duplicate": 0, "code": 1},
    9: {"rows": 5, "children": 4, "blank": 1, "impossible": 0, "implausible": 0, "duplicate": 1, "code": 1},
}
MISSING_LISTS = (2, 4, 6, 10, 11)
# children: C12 (two rows) and C14; C21; C32 and C33
EXPECTED_CROSS = {"cp_without_s47": 2, "cic_missing_dates": 1, "care_leaver_over_25": 2}
EXPECTED_CROSS_ROWS = {
    "cp_without_s47": [(7, 3), (7, 5), (7, 6)],
    "cic_missing_dates": [(8, 3)],
    "care_leaver_over_25": [(9, 4), (9, 5)],
}
PERIOD_START, AS_AT = dt.date(2025, 5, 15), dt.date(2025, 11, 14)
MONTHS = [dt.date(2025, month, 1) for month in (6, 7, 8, 9, 10)]
RAW_CHILD_IDS = sorted(
    {
        row[0]
        for rows in (CONTACT_ROWS, REFERRAL_ROWS, ENQUIRY_ROWS, PLAN_ROWS, IN_CARE_ROWS, LEAVER_ROWS)
        for row in rows
    }
)


def write_template_workbook(path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    contacts = book.create_sheet("List 1 - Contacts")
    contacts.append(["Annex A List 1: Contacts in the six months before the inspection"])
    contacts.append([])
    for row in (CONTACTS, *CONTACT_ROWS):
        contacts.append(row)
    in_care = [
        [*row, "b) No", "01/10/2025", "01/10/2025", "U1", "PR1", "AB1 2CD", "a) In", "E10000001", 0, 0]
        for row in IN_CARE_ROWS
    ]
    for title, headings, rows in (
        ("List 3", REFERRALS, REFERRAL_ROWS),
        ("List 5", ENQUIRIES, ENQUIRY_ROWS),
        ("List 7", PLANS, PLAN_ROWS),
        ("List 8", [*IN_CARE, *IN_CARE_PLACEMENT], in_care),
        ("List 9", LEAVERS, LEAVER_ROWS),
    ):
        sheet = book.create_sheet(title)
        for row in (headings, *rows):
            sheet.append(row)
    book.save(path)
    return path
