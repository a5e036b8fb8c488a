"""Dates as councils' systems write them into Annex A workbooks.

Read: real dates and date-times, Excel serial numbers, dd/mm/yyyy (or yy), dd/mm/yyyy hh:mm
and hh:mm:ss, ISO 8601 with or without a time (and a zone, which is dropped: the day is the
day written), dd-mm-yyyy, dd.mm.yyyy and "5 April 2025". Slashed dates are read day first,
as English records are; a column whose slashed dates only make sense month first (a 13 or
more in the second place, never in the first) is reported and its slashed dates are not
used: swapping them silently would misread every day up to the 12th.

Reasons never repeat the cell's text: a cell can hold personal data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2958465  # 31/12/9999
# Earlier or later years are typing mistakes (a year of 2205, say), not real events.
PLAUSIBLE_YEARS = range(1980, 2041)

NOT_A_DATE = "is not a date"
OUTSIDE_YEARS = f"is a date outside {PLAUSIBLE_YEARS[0]} to {PLAUSIBLE_YEARS[-1]}"
MONTH_FIRST = "reads only month first (mm/dd/yyyy); the column's slashed dates were not used"

_SLASHED = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$", re.ASCII
)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.ASCII,
)
_OTHER_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y")

# What a text date turned out to be
OK, DAY_FIRST_ONLY, MONTH_FIRST_ONLY, BAD, OUTSIDE = "ok", "day_first", "month_first", "bad", "outside"


@dataclass
class DateColumn:
    dates: list[dt.date | None]  # None where blank or unusable
    unusable: dict[int, str] = field(default_factory=dict)  # position in the column -> reason
    month_first: bool = False


def parse_date_column(values: Sequence[object]) -> DateColumn:
    """Each distinct value is read once (a column holds a few hundred distinct dates), then
    the column is put together from those readings."""
    try:
        readings = {value: read_value(value) for value in set(values)}
    except TypeError:  # an unhashable cell
        readings = None
    if readings is None:
        found = [read_value(value) for value in values]
        distinct = found
    else:
        # One pass for the dates; each row's whole reading only when the column has a
        # problem (most have none).
        day_of = {value: reading[0] for value, reading in readings.items()}
        found = None
        distinct = readings.values()
    dates = list(map(day_of.__getitem__, values)) if found is None else [reading[0] for reading in found]
    unusable: dict[int, str] = {}
    column = DateColumn(dates, unusable)
    kinds = {reading[2] for reading in distinct}
    troubled = any(reading[1] for reading in distinct)
    if found is None and (troubled or MONTH_FIRST_ONLY in kinds):
        found = [readings[value] for value in values]
    if troubled:
        for position, reading in enumerate(found):
            if reading[1]:
                unusable[position] = reading[1]
    if MONTH_FIRST_ONLY in kinds and DAY_FIRST_ONLY not in kinds:
        # Written month first throughout: every slashed date is suspect, not only those
        # with a day above 12.
        column.month_first = True
        for position, reading in enumerate(found):
            if reading[3]:
                dates[position] = None
                unusable[position] = MONTH_FIRST
    return column


def read_value(value: object) -> tuple[dt.date | None, str | None, str, bool]:
    """(date or None, reason it is unusable or None, what the text was, whether slashed)."""
    kind = type(value)
    if kind is dt.datetime:
        day = value.date()
    elif kind is dt.date:
        day = value
    elif kind is str:
        if not value or value.isspace():
            return None, None, OK, False
        day, how, slashed = _from_text(value.strip())
        if day is None:
            return None, (OUTSIDE_YEARS if how == OUTSIDE else NOT_A_DATE), how, slashed
        return day, None, how, slashed
    elif value is None or (kind is float and math.isnan(value)):
        return None, None, OK, False
    elif kind in (int, float):
        day = from_serial(value)
        if day is None:
            return None, NOT_A_DATE, BAD, False
    else:
        day = to_date(value)
        if day is None:
            return None, NOT_A_DATE, BAD, False
    if day.year not in PLAUSIBLE_YEARS:
        return None, OUTSIDE_YEARS, OUTSIDE, False
    return day, None, OK, False


def to_date(value: object) -> dt.date | None:
    """One value as a date, or None (blank or not a date)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        return None
    elif isinstance(value, (int, float)):
        day = None if isinstance(value, float) and math.isnan(value) else from_serial(value)
    elif isinstance(value, str):
        day = _from_text(value.strip())[0]
    else:
        return None
    return day if day is not None and day.year in PLAUSIBLE_YEARS else None


def from_serial(number: float) -> dt.date | None:
    """Excel's day count from 30/12/1899 (the 1900 date system); a time of day is dropped."""
    if not 1 <= number <= EXCEL_LAST_SERIAL:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


@lru_cache(maxsize=65536)
def _from_text(text: str) -> tuple[dt.date | None, str, bool]:
    """(date or None, what it was, whether it was slashed)."""
    match = _SLASHED.match(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
        year_number = int(year) + (2000 if len(year) == 2 else 0)
        if not _time_ok(match.group(4), match.group(5), match.group(6)):
            return None, BAD, True
        day_first = _real(year_number, second, first)
        month_first = _real(year_number, first, second)
        if day_first is None:
            return None, (MONTH_FIRST_ONLY if month_first else BAD), True
        how = OK if month_first is not None else DAY_FIRST_ONLY
        return _plausible(day_first, how) + (True,)
    match = _ISO.match(text)
    if match:
        if not _time_ok(match.group(4), match.group(5), match.group(6)):
            return None, BAD, False
        day = _real(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return _plausible(day, OK) + (False,) if day else (None, BAD, False)
    if text.isascii() and text.isdigit():
        day = from_serial(int(text))
        return _plausible(day, OK) + (False,) if day else (None, BAD, False)
    for pattern in _OTHER_FORMATS:
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return _plausible(day, OK) + (False,)
    return None, BAD, False


def _plausible(day: dt.date, how: str) -> tuple[dt.date | None, str]:
    return (day, how) if day.year in PLAUSIBLE_YEARS else (None, OUTSIDE)


def _real(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _time_ok(hours: str | None, minutes: str | None, seconds: str | None) -> bool:
    if hours is None:
        return True
    return int(hours) < 24 and int(minutes) < 60 and (seconds is None or int(seconds) < 60)
