"""The period an Annex A workbook covers, read from its own dates, and the months it can give.

Lists 1 and 3 (contacts and referrals) hold only the period's events, so their earliest
date is where the workbook starts (without them, the six months before its last date, the
template's usual span); its latest event date on any list, up to today, is the
day it was drawn up. A month can be given only when the workbook covers all of it. Councils
have contacts and referrals on nearly every working day, so a month counts as covered when
no working day of it falls before the first date or after the last: a workbook starting on
Monday 2 June, the 1st being a Sunday, covers June.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from evidence.performance.annex_a.list_rows import ListRows, cell_date, event_headings
from evidence.performance.annex_a.working_days import working_days_between

STARTING_LISTS = (1, 3)
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkbookPeriod:
    start: dt.date
    as_at: dt.date

    def months(self) -> list[dt.date]:
        """The first days of the months the workbook covers whole, earliest first."""
        months, month = [], self.start.replace(day=1)
        while month <= self.as_at:
            last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            covered_from_start = month >= self.start or working_days_between(month - ONE_DAY, self.start - ONE_DAY) == 0
            covered_to_end = last <= self.as_at or working_days_between(self.as_at, last) == 0
            if covered_from_start and covered_to_end:
                months.append(month)
            month = last + ONE_DAY
        return months

    def covers(self, month: dt.date) -> bool:
        return month.replace(day=1) in self.months()

    def describe(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.as_at:%-d %B %Y}"

    def describe_months(self) -> str:
        months = self.months()
        if not months:
            return "no whole month"
        if len(months) == 1:
            return f"{months[0]:%B %Y}"
        return f"{months[0]:%B %Y} to {months[-1]:%B %Y}"

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "as_at": self.as_at.isoformat()}


def workbook_period(lists: dict[int, ListRows], today: dt.date) -> WorkbookPeriod | None:
    """None when the workbook holds no usable event date at all."""
    latest: dt.date | None = None
    earliest: dt.date | None = None
    for number, found in lists.items():
        headings = event_headings(found)
        for row in found.rows:
            for heading in headings:
                day = cell_date(row.get(heading))
                if not isinstance(day, dt.date) or day > today:
                    continue
                latest = day if latest is None or day > latest else latest
                if number in STARTING_LISTS and (earliest is None or day < earliest):
                    earliest = day
    if latest is None:
        return None
    # Without contacts or referrals, the template's own span: the six months before.
    return WorkbookPeriod(earliest or six_months_before(latest), latest)


def six_months_before(day: dt.date) -> dt.date:
    """The first day of the six months that end on `day`."""
    year, month = (day.year, day.month - 6) if day.month > 6 else (day.year - 1, day.month + 6)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1])) + ONE_DAY
