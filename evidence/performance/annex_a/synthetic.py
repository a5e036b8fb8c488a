"""A synthetic Annex A workbook, made up from nothing real, for tests, demos and the benchmark.

It is as untidy as real ones: a title row and a blank row above each table, letter-prefixed
codes, an extra column, and (when `untidy`) some dates typed as text or left as Excel serial
numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

from evidence.performance.annex_a.workbook import LISTS

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DISABILITY = "Does the Child have a Disability"
# Share of the rows each list gets, roughly as in a real county's workbook.
SHARES = {1: 26, 2: 5, 3: 15, 4: 15, 5: 8, 6: 12, 7: 7, 8: 8, 9: 4}
LIST_COLUMNS = {
    1: ["Date of Contact", "Contact Source"],
    2: ["Assessment start date", "Assessment completion date", "Organisation completing assessment"],
    3: [
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ],
    4: [
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        "Team",
        "Worker",
    ],
    5: [
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an ICPC deemed unnecessary?",
        "Date of ICPC",
        "Did the ICPC Result in a CP Plan",
        "Number of S47 Enquiries in last 12 months",
        "Number of ICPCs in last 12 months",
        "Team",
        "Worker",
    ],
    6: [
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        "Team",
        "Worker",
    ],
    7: [
        "CPP Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "CPP End Date",
        "Number of Previous CPPs",
    ],
    8: [
        "Date Started to be Looked After",
        "Category of Need",
        "Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "Permanence plan",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in Last 12 months",
        "Date Ceased",
        "Reason Ceased",
        "Placement Type",
        "Placement Location (In/Out)",
        "Missing episodes in 12 months",
    ],
    9: [
        "Allocated Personal Advisor",
        "Eligibility Category",
        "Latest Pathway Plan Review Date",
        "LA in Touch",
        "Latest Date of Contact",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ],
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def generate_workbook(
    path: str | Path,
    *,
    rows: int = 1000,
    period_end: dt.date = dt.date(2025, 3, 31),
    seed: int = 1,
    untidy: bool = True,
) -> Path:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    total = sum(SHARES.values())
    for number, share in SHARES.items():
        sheet = book.create_sheet(f"List {number}")
        sheet.append([f"Annex A {LISTS[number].title}"])
        sheet.append([])
        columns = COMMON + ([DISABILITY] if number >= 4 else []) + LIST_COLUMNS[number] + ["Local notes"]
        sheet.append(columns)
        make = _ROW_MAKERS.get(number, _plain_row)
        for index in range(max(1, rows * share // total)):
            specific = make(rng, period_end, LIST_COLUMNS[number])
            if untidy:
                specific = [_untidy(rng, value) for value in specific]
            common = [
                f"{number}-{index:07d}",
                rng.choice(["a) Male", "b) Female"]),
                "a) White British",
                period_end - dt.timedelta(days=rng.randint(30, 6500)),
                rng.randint(0, 17),
            ]
            sheet.append(common + (["b) No"] if number >= 4 else []) + specific + [""])
    path = Path(path)
    book.save(path)
    return path


def _untidy(rng: random.Random, value):
    if isinstance(value, dt.date):
        roll = rng.random()
        if roll < 0.1:
            return value.strftime("%d/%m/%Y")
        if roll < 0.2:
            return (value - EXCEL_EPOCH).days
    return value


def _day(rng: random.Random, end: dt.date, back: int) -> dt.date:
    return end - dt.timedelta(days=rng.randint(0, back))


def _after(rng: random.Random, start: dt.date, low: int, high: int, end: dt.date) -> dt.date | None:
    day = start + dt.timedelta(days=rng.randint(low, high))
    return day if day <= end else None


def _plain_row(rng, end, columns):
    return [_day(rng, end, 180) if "Date" in column or "date" in column else "a) Example" for column in columns]


def _referral(rng, end, _columns):
    return [_day(rng, end, 180), "a) Police", "b) No", rng.choice([1, 1, 1, 2, 3]), "Team 1", "Worker 1"]


def _assessment(rng, end, _columns):
    start = _day(rng, end, 200)
    return [start, "a) Yes", _after(rng, start, 5, 70, end), "a) Yes", "Team 1", "Worker 1"]


def _section_47(rng, end, _columns):
    start = _day(rng, end, 200)
    return [start, "b) No", _after(rng, start, 3, 30, end), "a) Yes", 1, 1, "Team 1", "Worker 1"]


def _child_protection(rng, end, _columns):
    start = _day(rng, end, 1000)
    closed = _after(rng, start, 90, 900, end) if rng.random() < 0.3 else None
    visit = _day(rng, end, 25)
    return [
        start,
        "a) Neglect",
        "a) Neglect",
        visit,
        "a) Yes",
        _day(rng, end, 120),
        closed,
        rng.choice([0, 0, 0, 1, 2]),
    ]


def _in_care(rng, end, _columns):
    start = _day(rng, end, 2500)
    ceased = _after(rng, start, 30, 2000, end) if rng.random() < 0.15 else None
    return [
        start,
        "a) N1",
        "a) C2",
        _day(rng, end, 150),
        _day(rng, end, 60),
        "a) Long-term fostering",
        _day(rng, end, 300),
        _day(rng, end, 300),
        rng.choice([1, 1, 1, 2, 3, 4]),
        ceased,
        "",
        "a) U4",
        "a) In",
        0,
    ]


def _care_leaver(rng, end, _columns):
    return [
        "Adviser 1",
        "a) Relevant",
        _day(rng, end, 200),
        rng.choice(["a) Yes", "a) Yes", "a) Yes", "b) No"]),
        _day(rng, end, 60),
        "a) Independent living",
        rng.choice(["a) Suitable", "a) Suitable", "b) Not suitable"]),
        rng.choice(["F1", "P4", "G4", "a) In training", "b) Not in education, employment or training"]),
    ]


_ROW_MAKERS = {3: _referral, 4: _assessment, 5: _section_47, 7: _child_protection, 8: _in_care, 9: _care_leaver}
