"""Each Annex A list's rows, keyed by the template's own headings, with their Excel row numbers.

The one place the readiness report and the import's period meet the workbook reader. The
figures work (branch issue12-annex-a-figures) is rewriting how headings are matched and
will publish a function that returns exactly this; until it does, this module matches
headings itself, the simple way: case, spacing and punctuation ignored, the template's
headings only. At the merge, `read_list_rows` becomes a call to that function and the rest
of this file goes.

Values are given as the workbook holds them (text, numbers, dates), or as the new reader
parsed them (`from_reader`); a cell the reader could not read is an `Unreadable` with its
reason. `cell_date` is the one place the checks turn a cell into a date. Nothing here keeps
or logs a child's data.

At the merge (the figures branch's `workbook.read_lists`, whose canonical columns are the
headings below, list by list):

    def read_list_rows(source):
        return from_reader(read_lists(source))

and `cell_date` loses its text branch (the reader has parsed every date already).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

import pandas as pd

from evidence.performance.annex_a.workbook import LISTS, UNREADABLE, WorkbookUnreadable, to_date

ROW = "row"
CHILD_ID = "Child Unique ID"
HEADER_SEARCH_ROWS = 30
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


def heading_key(text: object) -> str:
    """A heading as compared: case, spacing and punctuation do not count."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower()) if isinstance(text, str) else ""


_KEYS = {number: {heading_key(h): h for h in headings} for number, headings in HEADINGS.items()}
_LIST_NUMBER = re.compile(r"\blist\s*(\d{1,2})\b", re.IGNORECASE)


def read_list_rows(source: str | BinaryIO) -> dict[int, ListRows]:
    """Every Annex A list the workbook holds, by list number. The merge point (see above)."""
    return lists_from_sheets(read_sheets(source))


def read_sheets(source: str | BinaryIO) -> dict[str, pd.DataFrame]:
    """Every sheet, as the cells hold them (the safe opener being built elsewhere goes here)."""
    try:
        return pd.read_excel(source, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception:  # calamine raises several kinds for a file it cannot read
        raise WorkbookUnreadable(UNREADABLE) from None


def lists_from_sheets(sheets: dict[str, pd.DataFrame]) -> dict[int, ListRows]:
    found: dict[int, ListRows] = {}
    for sheet_name, raw in sheets.items():
        header_at = _header_row(raw)
        number = _list_number(sheet_name, raw, header_at)
        if number is None or number in found or header_at is None:
            continue
        found[number] = _rows(number, sheet_name, raw, header_at)
    return found


def _header_row(raw: pd.DataFrame) -> int | None:
    wanted = {heading_key(name) for name in IDENTIFIER.values()}
    for position in range(min(HEADER_SEARCH_ROWS, len(raw))):
        if any(heading_key(cell) in wanted for cell in raw.iloc[position]):
            return position
    return None


def _list_number(sheet_name: str, raw: pd.DataFrame, header_at: int | None) -> int | None:
    texts = [sheet_name]
    if header_at:
        texts += [cell for row in raw.iloc[:header_at].itertuples(index=False) for cell in row if isinstance(cell, str)]
    for text in texts:
        match = _LIST_NUMBER.search(text)
        if match and int(match.group(1)) in HEADINGS:
            return int(match.group(1))
    for text in texts:
        for number, spec in LISTS.items():
            if heading_key(text) == heading_key(spec.name):
                return number
    return None


def _rows(number: int, sheet_name: str, raw: pd.DataFrame, header_at: int) -> ListRows:
    keys = _KEYS[number]
    placed: dict[int, str] = {}
    for position, cell in enumerate(raw.iloc[header_at]):
        heading = keys.get(heading_key(cell))
        if heading and heading not in placed.values():
            placed[position] = heading
    rows = []
    for index, values in zip(
        raw.index[header_at + 1 :], raw.iloc[header_at + 1 :].itertuples(index=False), strict=True
    ):
        row = {heading: _value(values[position]) for position, heading in placed.items()}
        if any(value is not None for value in row.values()):
            rows.append({ROW: int(index) + 1, **row})
    return ListRows(number, sheet_name, tuple(placed.values()), rows)


def _value(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


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
    return _cell_date(value)


# A list repeats the same few hundred dates across thousands of rows. Typed, so that True is
# not taken for the serial number 1.
@lru_cache(maxsize=65536, typed=True)
def _cell_date(value: object) -> dt.date | Unreadable | None:
    day = to_date(value)
    if isinstance(day, str):
        # The present reader's reason quotes the cell; the report must not.
        return Unreadable(
            "is outside the years a record could have" if "outside the years" in day else "is not a real date"
        )
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
