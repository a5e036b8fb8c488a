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
# The column that says whose row it is: a child, or on list 11 an adopter. The lists and
# their headings come from headings.yaml alone (annex_a/headings.py), as the reader's do.
IDENTIFIER: dict[int, str] = {number: spec.id_column for number, spec in LISTS.items()}


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
