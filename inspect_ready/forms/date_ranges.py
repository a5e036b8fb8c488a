"""How far back and ahead each kind of date may be, in one place, each with its reason.

A date outside its range is a slip of the keyboard (1066, 9999, 2999 for 2029), refused on
its field with the range in words. The ranges are generous: they catch typing errors, not
unusual plans. Counted from today, so they never go out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from councils import clock

# Ofsted's ILACS framework began in 2018 and the single inspection framework before it in
# 2013: no inspection, review, audit or evidence a council keeps here is older than 2010.
SERVICE_RECORDS_BEGIN = dt.date(2010, 1, 1)


def _years_from(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    earliest: Callable[[dt.date], dt.date]
    latest: Callable[[dt.date], dt.date]
    reason: str  # why the range is what it is (for the code's readers; the message gives the dates)

    def problem(self, label: str, date: dt.date, today: dt.date | None = None) -> str | None:
        """What is wrong with the date for the field labelled `label`, or None."""
        today = today or clock.today()
        earliest, latest = self.earliest(today), self.latest(today)
        if earliest <= date <= latest:
            return None
        if latest == today:
            return f"{label} must be today or in the past" if date > latest else _between(label, earliest, latest)
        return _between(label, earliest, latest)


def _between(label: str, earliest: dt.date, latest: dt.date) -> str:
    return f"{label} must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y}"


INSPECTION = DateRange(
    lambda today: SERVICE_RECORDS_BEGIN,
    lambda today: _years_from(today, 2),
    "Mock inspections and reviews are planned at most a couple of years ahead; older ones are "
    "entered from their reports, none before the service's records begin.",
)
DUE = DateRange(
    lambda today: SERVICE_RECORDS_BEGIN,
    lambda today: _years_from(today, 5),
    "An improvement plan looks at most five years ahead. An action already overdue keeps its "
    "past due date when it is changed (the action plan refuses a past date for a new one).",
)
PAST_RECORD = DateRange(
    lambda today: SERVICE_RECORDS_BEGIN,
    lambda today: today,
    "An audit, an observation or a piece of evidence records what has happened: never in the "
    "future, none before the service's records begin.",
)
REVIEW_BY = DateRange(
    lambda today: SERVICE_RECORDS_BEGIN,
    lambda today: _years_from(today, 5),
    "Evidence is looked at again within five years; an item whose review-by date has passed "
    "keeps it when it is changed.",
)
SEARCH = DateRange(
    lambda today: SERVICE_RECORDS_BEGIN,
    lambda today: _years_from(today, 1),
    "A search of what happened: nothing is recorded before the service's records begin, and a "
    "'to' date a little ahead (the end of this month or year) still finds today's changes.",
)
BASELINE = DateRange(
    lambda today: dt.date(2000, 1, 1),
    lambda today: today,
    "A baseline is a figure already measured; the performance pages hold months from 2000.",
)
ENGAGEMENT_MEETING = DateRange(
    lambda today: _years_from(today, -3),
    lambda today: _years_from(today, 1),
    "The engagement meeting is once a year: a pack is made for the next one (at most a year "
    "ahead) or looked at again for one of the last few years.",
)
