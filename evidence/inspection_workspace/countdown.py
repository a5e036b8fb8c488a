"""Days of an inspection: the countdown from the call to day one, the days on site, and how
old a call can be. Pure: dates in, dates out; working days skip weekends and England's bank
holidays, as statutory timescales count them.

How long each kind of inspection or visit is on site, in working days, as the app reckons it
(DOMAIN.md section 2: a standard inspection is two weeks on site, a short one a week; focused
and monitoring visits are a couple of days; a JTAI's fieldwork a week). The notification
letter gives the real dates: the workspace counts from the first day the leader records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evidence.performance.annex_a.working_days import english_bank_holidays, working_days_between

ON_SITE_WORKING_DAYS = {
    "standard": 10,
    "short": 5,
    "focused_visit": 2,
    "jtai": 5,
    "monitoring_visit": 2,
}
# The longest notice any inspection or visit gives between the call and day one. Under the
# SIF it was one working day (seed 001); no later kind gives more than four weeks.
LONGEST_NOTICE_WORKING_DAYS = 20
# A call older than this is for an inspection that is over, whatever its kind.
OLDEST_CALL_WORKING_DAYS = LONGEST_NOTICE_WORKING_DAYS + max(ON_SITE_WORKING_DAYS.values())


def is_working_day(day: dt.date) -> bool:
    holidays = english_bank_holidays(day.year, day.year)
    return day.weekday() < 5 and day.isoformat() not in {str(h) for h in holidays}


def next_working_day(day: dt.date) -> dt.date:
    """The working day after `day`."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def on_site_days(kind: str, first_day: dt.date) -> list[dt.date]:
    """Each working day on site, day one first (day one itself, even if it were a holiday:
    inspectors said so)."""
    days = [first_day]
    while len(days) < ON_SITE_WORKING_DAYS[kind]:
        days.append(next_working_day(days[-1]))
    return days


@dataclass(frozen=True)
class Countdown:
    working_days_to_go: int  # 0 on day one and after
    day_on_site: int | None  # 1 for day one; None before it and after the last day
    days_on_site: int
    last_day: dt.date

    @property
    def words(self) -> str:
        if self.day_on_site:
            return f"Day {self.day_on_site} of {self.days_on_site} on site"
        if self.working_days_to_go == 1:
            return "1 working day to day one"
        if self.working_days_to_go:
            return f"{self.working_days_to_go} working days to day one"
        return f"The days on site ended on {self.last_day.day} {self.last_day:%B %Y}"


def countdown(kind: str, first_day: dt.date, today: dt.date) -> Countdown:
    days = on_site_days(kind, first_day)
    to_go = working_days_between(today, first_day) if today < first_day else 0
    on_site = next((number for number, day in enumerate(days, 1) if day == today), None)
    if on_site is None and days[0] < today < days[-1]:  # a weekend or holiday between days on site
        on_site = sum(day <= today for day in days)
    return Countdown(to_go, on_site, len(days), days[-1])


def call_problems(
    called_on: dt.date | None, first_day: dt.date | None, today: dt.date, *, recorded_on: dt.date | None = None
) -> list[tuple[str, str]]:
    """What is wrong with the call's dates, as (field, message) pairs: a call in the future, one
    older than any inspection lasts, a first day before the call or too long after it. The age
    guards against a mistyped new call; a call already recorded on `recorded_on`, kept on that
    date, may be as old as it is (its details are corrected after the inspection too)."""
    problems = []
    if called_on is not None:
        if called_on > today:
            problems.append(("called_on", "The date of the call must be today or in the past"))
        elif called_on != recorded_on and working_days_between(called_on, today) > OLDEST_CALL_WORKING_DAYS:
            problems.append(
                (
                    "called_on",
                    f"The date of the call is more than {OLDEST_CALL_WORKING_DAYS} working days ago, longer than any "
                    "inspection or visit lasts from the call to its last day on site: enter the date of the call for "
                    "an inspection still to come or under way",
                )
            )
    if called_on is not None and first_day is not None:
        if first_day < called_on:
            problems.append(("first_day", "The first day on site must be on or after the date of the call"))
        elif working_days_between(called_on, first_day) > LONGEST_NOTICE_WORKING_DAYS:
            problems.append(
                (
                    "first_day",
                    f"The first day on site must be within {LONGEST_NOTICE_WORKING_DAYS} working days of the call: "
                    "no inspection or visit gives longer notice",
                )
            )
    return problems
