"""An Annex A readiness report: what a data team fixes the day before the inspection call.

Pure checks over the lists as `list_rows` gives them: for each list its rows and children,
required fields left blank, dates that cannot be true or are hard to believe, a child listed
twice for the same event, answers outside the template's codes; then the checks across
lists an inspector makes by putting lists side by side. Each finding names the list, the
Excel row, the column and a pseudonymised child id, never any other child data (not even
the value found wrong), so the report can be downloaded and passed round.

Choices, where the template leaves room:
- A date after the day of the check, or before the child's birth on lists 8 to 10 (a plan
  or an assessment can start before birth; care, leaving care and adoption cannot), or an
  end before its start, is impossible. A year before 1980 or after 2040, a child of 18 or
  more at the start of a list 1 to 8 event, or a birth date more than 40 weeks ahead, is
  implausible.
- The same child twice with the same start date on lists 1 to 8 is a duplicate (several
  plans or episodes are not); on lists 9 and 10 a child appears once, on list 11 an adopter.
- A child on a plan that started three weeks (15 working days, the ICPC's timescale) or
  more into the period should have a Section 47 enquiry on list 5.
- A child in care for 28 days or more, open at the workbook's date and not on short breaks,
  should have a statutory review, a social work visit and a health assessment recorded:
  each falls due within 20 working days of coming into care.
- A care leaver past their 25th birthday is beyond the council's duties to care leavers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from evidence.performance.annex_a.list_rows import (
    CHILD_ID,
    IDENTIFIER,
    ROW,
    ListRows,
    Unreadable,
    cell_date,
    event_headings,
)
from evidence.performance.annex_a.period import WorkbookPeriod, workbook_period
from evidence.performance.annex_a.workbook import LISTS

DOB = "Date of Birth"
GENDER = "Gender"
CODES_FILE = Path(__file__).with_name("template_codes.yaml")
SHORT_BREAKS = {"v1", "v3", "v4"}
ADULT_AGE = 18
CARE_LEAVER_AGE_LIMIT = 25
CP_S47_GRACE = dt.timedelta(days=21)
CARE_DATES_DUE_AFTER = dt.timedelta(days=28)
UNBORN_DUE_WITHIN = dt.timedelta(weeks=40)

# What every row of a list should have, besides its identifier: the columns headings.yaml
# marks required, the same ones the reader names when a required column is not found.
REQUIRED: dict[int, tuple[str, ...]] = {
    number: tuple(name for name, column in spec.columns.items() if column.required and name != spec.id_column)
    for number, spec in LISTS.items()
}
# The event a row is about: with the identifier, it makes the row one of a kind.
KEY_DATE: dict[int, str | None] = {
    1: "Date of Contact",
    2: "Assessment start date",
    3: "Date of referral",
    4: "Continuous Assessment Start Date",
    5: "Strategy discussion initiating Section 47 Enquiry Start Date",
    6: "CIN Start Date",
    7: "Child Protection Plan Start Date",
    8: "Date Started to be Looked After",
    9: None,
    10: None,
    11: None,
}
# (earlier, later): the later date cannot come first.
IN_ORDER: dict[int, tuple[tuple[str, str], ...]] = {
    2: (("Assessment start date", "Assessment completion date"),),
    4: (("Continuous Assessment Start Date", "Continuous Assessment Date of Authorisation"),),
    5: (
        ("Strategy discussion initiating Section 47 Enquiry Start Date", "Date of Initial Child Protection Conference"),
    ),
    6: (("CIN Start Date", "CIN Closure Date"),),
    7: (("Child Protection Plan Start Date", "Child Protection Plan End Date"),),
    8: (("Date Started to be Looked After", "Date Ceased to be Looked After"),),
    10: (
        ("Date the Child Entered Care", "Date Placed for Adoption"),
        ("Date of Placement Order", "Date of Adoption Order"),
    ),
    11: (("Date Stage 1 started", "Date Stage 1 ended"), ("Date Stage 2 started", "Date Stage 2 ended")),
}
NOT_BEFORE_BIRTH = (8, 9, 10)
CARE_DATES = ("Date of Latest Statutory Review", "Date of Last Social Work Visit", "Date of Last Health Assessment")
CIC_START, CIC_END, LEGAL_STATUS = (
    "Date Started to be Looked After",
    "Date Ceased to be Looked After",
    "Child's Legal Status",
)
CPP_START, S47_START = (
    "Child Protection Plan Start Date",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
)


class Check:
    """The kinds of finding, in the words the page and the download use."""

    BLANK = "Required field blank"
    IMPOSSIBLE_DATE = "Impossible date"
    IMPLAUSIBLE_DATE = "Implausible date"
    DUPLICATE = "Child listed twice"
    UNKNOWN_CODE = "Answer not in the template's codes"
    CP_WITHOUT_S47 = "Child protection plan with no Section 47 enquiry"
    CIC_MISSING_DATES = "Child in care without required dates"
    CARE_LEAVER_OVER_25 = "Care leaver past 25"


PER_LIST = (Check.BLANK, Check.IMPOSSIBLE_DATE, Check.IMPLAUSIBLE_DATE, Check.DUPLICATE, Check.UNKNOWN_CODE)
CROSS_LIST = (Check.CP_WITHOUT_S47, Check.CIC_MISSING_DATES, Check.CARE_LEAVER_OVER_25)


@dataclass(frozen=True)
class RowToFix:
    list_number: int
    row: int
    child: str  # pseudonymised
    check: str
    column: str
    problem: str

    @property
    def list_title(self) -> str:
        return LISTS[self.list_number].title


@dataclass
class ListSummary:
    number: int
    found: bool = False
    rows: int = 0
    children: int = 0
    missing_headings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # per-list check -> rows

    @property
    def title(self) -> str:
        return LISTS[self.number].title


@dataclass
class Readiness:
    period: WorkbookPeriod | None
    lists: list[ListSummary]
    cross_list: dict[str, int]
    rows_to_fix: list[RowToFix]

    def first_seen(self, limit: int = 5) -> list[str]:
        """What an inspector meets first, worst first: lists not there, lists that do not
        agree with each other, then children counted twice and dates that cannot be true."""
        missing = [s.title for s in self.lists if not s.found]
        sentences = [f"{_and(missing)} {'is' if len(missing) == 1 else 'are'} not in the workbook."] if missing else []
        sentences += [f"{s.title} has no rows." for s in self.lists if s.found and not s.rows]
        cross = {
            Check.CP_WITHOUT_S47: "{n} on a child protection plan that started in the period {are} not on list 5 "
            "(no Section 47 enquiry).",
            Check.CARE_LEAVER_OVER_25: "{n} on list 9 {are} past their 25th birthday.",
            Check.CIC_MISSING_DATES: "{n} in care on list 8 {are} missing a review, visit or health assessment date.",
        }
        for check, text in cross.items():
            if self.cross_list.get(check):
                count = self.cross_list[check]
                sentences.append(text.format(n=_children(count), are="is" if count == 1 else "are"))
        worded = {
            Check.DUPLICATE: "{n} on {list} repeat a child already listed for the same event.",
            Check.IMPOSSIBLE_DATE: "{n} on {list} have a date that cannot be true.",
            Check.BLANK: "{n} on {list} leave a required field blank.",
            Check.UNKNOWN_CODE: "{n} on {list} have an answer outside the template's codes.",
            Check.IMPLAUSIBLE_DATE: "{n} on {list} have a date that is hard to believe.",
        }
        for check, text in worded.items():
            for summary in sorted(self.lists, key=lambda s: -s.counts.get(check, 0)):
                if summary.counts.get(check):
                    sentences.append(text.format(n=_rows(summary.counts[check]), list=summary.title))
        sentences += [
            f"{s.title} has no column '{heading}'." for s in self.lists if s.found for heading in s.missing_headings
        ]
        return sentences[:limit]

    @property
    def ready(self) -> bool:
        return not self.rows_to_fix and all(s.found and s.rows and not s.missing_headings for s in self.lists)

    def to_dict(self) -> dict:
        return {
            "period": self.period.to_dict() if self.period else None,
            "lists": [asdict(s) for s in self.lists],
            "cross_list": self.cross_list,
            "rows_to_fix": [asdict(r) for r in self.rows_to_fix],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Readiness:
        period = data.get("period")
        return cls(
            WorkbookPeriod(dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["as_at"]))
            if period
            else None,
            [ListSummary(**s) for s in data["lists"]],
            dict(data["cross_list"]),
            [RowToFix(**r) for r in data["rows_to_fix"]],
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _children(count: int) -> str:
    return f"{count} child" if count == 1 else f"{count} children"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def pseudonymiser(key: bytes) -> Callable[[object], str]:
    """A keyed hash of the child id: the same child has the same pseudonym throughout a
    council's reports, and without the key the id cannot be worked back."""

    @lru_cache(maxsize=65536)
    def pseudonym(identifier: str) -> str:
        digest = hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()
        return f"P-{digest[:10].upper()}"

    def of(value: object) -> str:
        identifier = _identifier(value)
        return pseudonym(identifier) if identifier else ""

    return of


def check_workbook(
    lists: dict[int, ListRows],
    *,
    today: dt.date,
    pseudonym: Callable[[object], str],
    period: WorkbookPeriod | None = None,
) -> Readiness:
    """`period`: the workbook's period when the caller has already worked it out (the import
    has), so that every row's dates are not gone through again."""
    period = period or workbook_period(lists, today)
    as_at = period.as_at if period else today
    found_rows: list[RowToFix] = []
    summaries = []
    for number in LISTS:
        summary = ListSummary(number)
        summaries.append(summary)
        found = lists.get(number)
        if found is None:
            continue
        checker = _ListChecker(found, today, pseudonym)
        checker.run()
        summary.found, summary.rows = True, len(found.rows)
        summary.children = len({_identifier(r.get(IDENTIFIER[number])) for r in found.rows} - {""})
        summary.missing_headings = [h for h in (IDENTIFIER[number], *REQUIRED[number]) if h not in found.headings]
        summary.counts = dict(Counter(item.check for item in _one_per_row(checker.found)))
        found_rows += checker.found
    cross = CrossChecks(lists, period, as_at, pseudonym)
    cross.run()
    found_rows += cross.found
    found_rows.sort(key=lambda r: (r.list_number, r.row, r.check, r.column))
    # Across lists, children are counted: a child with two plans is one child to look into.
    children = {check: {item.child for item in cross.found if item.check == check} for check in CROSS_LIST}
    return Readiness(period, summaries, {check: len(children[check]) for check in CROSS_LIST}, found_rows)


def _one_per_row(items: Iterable[RowToFix]) -> list[RowToFix]:
    """A row with two blank fields is one row to fix for that check, not two."""
    return list({(item.list_number, item.row, item.check): item for item in items}.values())


class _ListChecker:
    def __init__(self, found: ListRows, today: dt.date, pseudonym: Callable[[object], str]) -> None:
        self.list, self.today, self.pseudonym = found, today, pseudonym
        self.number = found.number
        self.found: list[RowToFix] = []
        self.codes = {h: answers for h, answers in template_codes().items() if h in found.headings}
        self.dates = event_headings(found) + ((DOB,) if DOB in found.headings else ())
        self.answers_read: dict[tuple, bool] = {}

    def add(self, row: dict, check: str, column: str, problem: str) -> None:
        child = self.pseudonym(row.get(IDENTIFIER[self.number]))
        self.found.append(RowToFix(self.number, row[ROW], child, check, column, problem))

    def run(self) -> None:
        required = [h for h in (IDENTIFIER[self.number], *REQUIRED[self.number]) if h in self.list.headings]
        seen: dict[tuple, int] = {}
        for row in self.list.rows:
            self.blanks(row, required)
            days = self.check_dates(row)
            self.check_order(row, days)
            self.check_codes(row)
            self.duplicate(row, days, seen)

    def blanks(self, row: dict, required: list[str]) -> None:
        for heading in required:
            if row.get(heading) is None and not (heading == DOB and _unborn(row.get(GENDER))):
                self.add(row, Check.BLANK, heading, f"{heading} is blank")

    def check_dates(self, row: dict) -> dict[str, dt.date]:
        days: dict[str, dt.date] = {}
        for heading in self.dates:
            value = row.get(heading)
            day = cell_date(value)
            if day is None:
                continue
            if isinstance(day, Unreadable):
                check = Check.IMPLAUSIBLE_DATE if day.implausible else Check.IMPOSSIBLE_DATE
                self.add(row, check, heading, f"{heading} {day.reason}")
                continue
            days[heading] = day
            if heading == DOB:
                if day > self.today + UNBORN_DUE_WITHIN:
                    self.add(row, Check.IMPLAUSIBLE_DATE, heading, f"{heading} is more than 40 weeks ahead")
            elif day > self.today:
                self.add(row, Check.IMPOSSIBLE_DATE, heading, f"{heading} is after today")
        born = days.get(DOB)
        if born is None:
            return days
        for heading, day in days.items():
            if heading == DOB:
                continue
            if self.number in NOT_BEFORE_BIRTH and day < born:
                self.add(row, Check.IMPOSSIBLE_DATE, heading, f"{heading} is before the Date of Birth")
        key = KEY_DATE.get(self.number)
        if self.number <= 8 and key in days and _age(born, days[key]) >= ADULT_AGE:
            self.add(row, Check.IMPLAUSIBLE_DATE, DOB, f"the child would have been {ADULT_AGE} or older on the {key}")
        return days

    def check_order(self, row: dict, days: dict[str, dt.date]) -> None:
        for earlier, later in IN_ORDER.get(self.number, ()):
            if earlier in days and later in days and days[later] < days[earlier]:
                self.add(row, Check.IMPOSSIBLE_DATE, later, f"{later} is before {earlier}")

    def check_codes(self, row: dict) -> None:
        for heading, answers in self.codes.items():
            value = row.get(heading)
            if isinstance(value, Unreadable):
                continue  # the reader reports it
            if value is not None and not self.known(heading, answers, value):
                self.add(
                    row,
                    Check.UNKNOWN_CODE,
                    heading,
                    f"{heading} is not one of the template's answers",
                )

    def known(self, heading: str, answers: frozenset[str], value: object) -> bool:
        # A column holds a handful of answers over thousands of rows: read each once.
        key = (heading, type(value), value)
        if key not in self.answers_read:
            self.answers_read[key] = any(reading in answers for reading in code_readings(value))
        return self.answers_read[key]

    def duplicate(self, row: dict, days: dict[str, dt.date], seen: dict[tuple, int]) -> None:
        who = _identifier(row.get(IDENTIFIER[self.number]))
        if not who:
            return
        key_date = KEY_DATE.get(self.number)
        if key_date is not None and key_date not in days:
            return  # no event date to compare: the blank or bad date is reported already
        key = (who, days.get(key_date) if key_date else None)
        if key in seen:
            same = f" with the same {key_date}" if key_date else ""
            self.add(row, Check.DUPLICATE, IDENTIFIER[self.number], f"repeats row {seen[key]}{same}")
        else:
            seen[key] = row[ROW]


class CrossChecks:
    """Checks that need two lists, or a list and the workbook's date."""

    def __init__(
        self, lists: dict[int, ListRows], period: WorkbookPeriod | None, as_at: dt.date, pseudonym: Callable
    ) -> None:
        self.lists, self.period, self.as_at, self.pseudonym = lists, period, as_at, pseudonym
        self.found: list[RowToFix] = []

    def add(self, number: int, row: dict, check: str, column: str, problem: str) -> None:
        self.found.append(RowToFix(number, row[ROW], self.pseudonym(row.get(CHILD_ID)), check, column, problem))

    def run(self) -> None:
        self.plans_without_enquiry()
        self.children_in_care_without_dates()
        self.care_leavers_past_25()

    def plans_without_enquiry(self) -> None:
        plans, enquiries = self.lists.get(7), self.lists.get(5)
        if plans is None or enquiries is None or self.period is None or CPP_START not in plans.headings:
            return
        enquired = {_identifier(row.get(CHILD_ID)) for row in enquiries.rows}
        from_day = self.period.start + CP_S47_GRACE
        for row in plans.rows:
            start = cell_date(row.get(CPP_START))
            who = _identifier(row.get(CHILD_ID))
            if isinstance(start, dt.date) and from_day <= start <= self.as_at and who and who not in enquired:
                self.add(
                    7,
                    row,
                    Check.CP_WITHOUT_S47,
                    CPP_START,
                    "the plan started in the period; the child is not on list 5",
                )

    def children_in_care_without_dates(self) -> None:
        care = self.lists.get(8)
        if care is None or CIC_START not in care.headings:
            return
        wanted = [h for h in CARE_DATES if h in care.headings]
        for row in care.rows:
            start, ended = cell_date(row.get(CIC_START)), cell_date(row.get(CIC_END))
            if not isinstance(start, dt.date) or start > self.as_at - CARE_DATES_DUE_AFTER:
                continue
            if isinstance(ended, dt.date) and ended <= self.as_at:
                continue
            if code_readings(row.get(LEGAL_STATUS)) & SHORT_BREAKS:
                continue
            missing = [h for h in wanted if row.get(h) is None]
            if missing:
                self.add(8, row, Check.CIC_MISSING_DATES, missing[0], "no " + ", no ".join(m.lower() for m in missing))

    def care_leavers_past_25(self) -> None:
        leavers = self.lists.get(9)
        if leavers is None or DOB not in leavers.headings:
            return
        for row in leavers.rows:
            born = cell_date(row.get(DOB))
            if isinstance(born, dt.date) and _birthday_passed(born, self.as_at, CARE_LEAVER_AGE_LIMIT):
                self.add(9, row, Check.CARE_LEAVER_OVER_25, DOB, "past their 25th birthday on the workbook's last date")


def _birthday_passed(born: dt.date, on: dt.date, years: int) -> bool:
    """Strictly after the birthday: on their 25th birthday a care leaver is still 25, not past it."""
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        birthday = dt.date(born.year + years, 3, 1)
    return on > birthday


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _identifier(value: object) -> str:
    """Ids compared as text: 1234 and "1234" and " 1234 " are one child; case does not count."""
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).lower()


_LETTER_PREFIX = re.compile(r"^[a-z]\)\s*")


def code_readings(value: object) -> set[str]:
    """The ways an answer can be read: "a) Yes" as "yes"; "g4: Not in education..." as
    "g4" or its label; numbers as whole numbers."""
    if value is None:
        return set()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _LETTER_PREFIX.sub("", " ".join(str(value).split()).lower())
    readings = {text}
    if ":" in text:
        code, label = text.split(":", 1)
        readings |= {code.strip(), label.strip()}
    return readings


def _unborn(gender: object) -> bool:
    return any("unborn" in reading for reading in code_readings(gender))


@lru_cache(maxsize=1)
def template_codes() -> dict[str, frozenset[str]]:
    data = yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))
    for heading, spec in data["columns"].items():
        # An unquoted yes or no in the file becomes True or False, and no answer would match.
        if not all(isinstance(answer, str) for answer in spec["answers"]):
            raise ValueError(f"{CODES_FILE.name}: every answer for '{heading}' must be written as text")
    return {heading: frozenset(a.lower() for a in spec["answers"]) for heading, spec in data["columns"].items()}
