"""Working days as statutory timescales count them: no weekends, no English bank holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

# Wide enough for any Annex A workbook: dates outside it are still counted, only without
# bank holidays, and such dates are rejected as implausible before they get here.
FIRST_YEAR, LAST_YEAR = 1990, 2040


@lru_cache(maxsize=64)
def english_bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> np.ndarray:
    """The bank holidays of those years only: working them out takes the holidays library
    about 15 ms a year, and a workbook spans a few years, not fifty."""
    first_year, last_year = max(first_year, FIRST_YEAR), min(last_year, LAST_YEAR)
    if first_year > last_year:
        return np.array([], dtype="datetime64[D]")
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`: the day of the referral is day
    0, so a same-day completion takes 0 working days and the next working day is day 1."""
    return int(
        working_days_elapsed(np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]"))[0]
    )


def working_days_elapsed(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The same count for whole columns at once (datetime64[D] arrays of equal length; NaT
    gives a meaningless count, so callers leave such rows out)."""
    one = np.timedelta64(1, "D")
    known = np.concatenate([starts[~np.isnat(starts)], ends[~np.isnat(ends)]])
    if not len(known):
        return np.zeros(len(starts), dtype=np.int64)
    years = known.astype("datetime64[Y]").astype(int) + 1970
    bank_holidays = english_bank_holidays(int(years.min()), int(years.max()) + 1)
    starts = np.where(np.isnat(starts), ends, starts)
    ends = np.where(np.isnat(ends), starts, ends)
    return np.busday_count(starts + one, ends + one, holidays=bank_holidays)
