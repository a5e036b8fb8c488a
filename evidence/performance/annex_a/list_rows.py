"""Each Annex A list's rows, keyed by the template's own headings, with their Excel row numbers:
the one place the readiness report and the import's period meet the Annex A reader
(annex_a/workbook.py `read_lists`, which matches the headings and parses every value).

A cell the reader could not read is an `Unreadable` with its reason (never its text).
`cell_date` is the one place the checks turn a cell into a date. Nothing here keeps or logs
a child's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import BinaryIO

from evidence.performance.annex_a import dates
from evidence.performance.annex_a.workbook import LISTS

ROW = "row"
CHILD_ID = "Child Unique ID"
COMMON = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
DISABILITY = "Does the Child have a Disability"
UASC = "UASC"
ALLOCATED = ("Allocated Team", "Allocated Worker")

# The template's headings (DOMAIN.md section 3), list by list.
HEADINGS: dict[int, tuple[str, ...]] = {
    1: (*COMMON, "Date of Contact", "Contact Source"),
    2: (
        *COMMON,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ),
    3: (
        *COMMON,
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *ALLOCATED,
    ),
    4: (
        *COMMON,
        DISABILITY,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    ),
    5: (
        *COMMON,
        DISABILITY,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *ALLOCATED,
    ),
    6: (
        *COMMON,
        DISABILITY,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    ),
    7: (
        *COMMON,
        DISABILITY,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *ALLOCATED,
    ),
    8: (
        *COMMON,
        DISABILITY,
        UASC,
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *ALLOCATED,
    ),
    9: (
        *COMMON,
        UASC,
        *ALLOCATED,
        "Allocated Personal Advisor",
        "Eligibility Category",
        "Latest Pathway Plan Review Date",
        "LA in Touch",
        "Latest Date of Contact",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ),
    10: (
        *COMMON,
        DISABILITY,
        "Family identifier",
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters",
        "Date Placed for Adoption",
        "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    ),
    11: (
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        "Date enquiry received",
        "Date Stage 1 started",
        "Date Stage 1 ended",
        "Date Stage 2 started",
        "Date Stage 2 ended",
        "Date application submitted",
        "Date application approved",
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    ),
}
# The column that says whose row it is: a child, or on list 11 an adopter.
IDENTIFIER = {number: CHILD_ID for number in HEADINGS} | {11: "Individual adopter identifier"}


@dataclass
class ListRows:
    """One list as found: the headings placed, and its rows ({ROW: n, heading: value})."""

    number: int
    sheet: str
    headings: tuple[str, ...]  # the template's headings found on the sheet
    rows: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return LISTS[self.number].title


def read_list_rows(source: str | BinaryIO, mappings: dict[int, dict[str, str]] | None = None) -> dict[int, ListRows]:
    """Every Annex A list the workbook holds, by list number, read by the Annex A reader
    (annex_a/workbook.py: the template's headings, the safe opener's checks)."""
    from evidence.performance.annex_a.workbook import read_lists

    return from_reader(read_lists(source, mappings=mappings))


def event_headings(found: ListRows) -> tuple[str, ...]:
    """The list's date columns that record something done (every date but a birth date)."""
    return tuple(h for h in found.headings if "date" in h.lower() and h != "Date of Birth")


@dataclass(frozen=True)
class Unreadable:
    """A cell the reader could not read, with why (never repeating the cell's text)."""

    reason: str

    @property
    def implausible(self) -> bool:
        """A real date, in a year no record could have (the reader says "outside")."""
        return "outside" in self.reason


def cell_date(value: object) -> dt.date | Unreadable | None:
    """A cell as a date: None when blank, Unreadable when it cannot be one."""
    if value is None or isinstance(value, Unreadable):
        return value
    # The reader has already made its date columns' cells dates: those are not read again.
    if type(value) is dt.date and value.year in dates.PLAUSIBLE_YEARS:
        return value
    return _cell_date(value)


def _cell_date(value: object) -> dt.date | Unreadable | None:
    # The reader has parsed the dates of its date columns; a value still text here is read
    # by the same rules (annex_a/dates.py), and its reason never quotes it.
    day, reason, how, _ = dates.read_value(value)
    if reason:
        return Unreadable("is outside the years a record could have" if how == dates.OUTSIDE else "is not a real date")
    return day


def from_reader(workbook) -> dict[int, ListRows]:
    """The figures branch's AnnexAWorkbook (`lists[n]` with `rows`, `values[column]` and
    `unusable[column][row]`) as the checks take it."""
    found = {}
    for number, read in workbook.lists.items():
        rows = []
        for record in read.records():
            row = record[ROW]
            for column, reasons in read.unusable.items():
                if row in reasons:
                    record[column] = Unreadable(reasons[row])
            rows.append(record)
        found[number] = ListRows(number, read.sheet, tuple(read.values), rows)
    return found
