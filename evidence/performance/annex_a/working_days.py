"""Working days as statutory timescales count them: no weekends, no English bank holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

# Wide enough for any Annex A workbook: dates outside it are still counted, only without
# bank holidays, and such dates are rejected as implausible before they get here.
FIRST_YEAR, LAST_YEAR = 1990, 2040


@lru_cache(maxsize=1)
def english_bank_holidays() -> np.ndarray:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`: the day of the referral is day
    0, so a same-day completion takes 0 working days and the next working day is day 1."""
    return int(
        working_days_elapsed(np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]"))[0]
    )


def working_days_elapsed(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The same count for whole columns at once (datetime64[D] arrays of equal length)."""
    one = np.timedelta64(1, "D")
    return np.busday_count(starts + one, ends + one, holidays=english_bank_holidays())
