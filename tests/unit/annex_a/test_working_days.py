"""Working days: weekends and English bank holidays do not count; the start day is day 0."""

import datetime as dt

import pytest

from evidence.performance.annex_a.working_days import working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2025, 3, 3), D(2025, 3, 3), 0),  # same day
        (D(2025, 3, 3), D(2025, 3, 4), 1),  # Monday to Tuesday
        (D(2025, 3, 7), D(2025, 3, 10), 1),  # Friday to Monday: the weekend does not count
        (D(2025, 3, 8), D(2025, 3, 10), 1),  # from a Saturday, Monday is the first working day
        # Christmas: 25 and 26 December and 1 January are bank holidays.
        # Fri 20 Dec: Mon 23 (1), Tue 24 (2), Fri 27 (3), Mon 30 (4), Tue 31 (5), Thu 2 Jan (6).
        (D(2024, 12, 20), D(2025, 1, 2), 6),
        # Easter 2025: Good Friday 18 April and Easter Monday 21 April.
        (D(2025, 4, 17), D(2025, 4, 22), 1),
        # Early May bank holiday, Monday 5 May 2025.
        (D(2025, 5, 2), D(2025, 5, 6), 1),
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_45_working_days_over_christmas():
    # Assessment starting Monday 2 December 2024: the 45th working day, skipping 25 and
    # 26 December and 1 January, is Thursday 6 February 2025 (19 in December, 22 in
    # January, 4 in February).
    assert working_days_between(D(2024, 12, 2), D(2025, 2, 6)) == 45
    assert working_days_between(D(2024, 12, 2), D(2025, 2, 7)) == 46


def test_scottish_bank_holidays_do_not_count():
    # 2 January is a bank holiday in Scotland, not in England.
    assert working_days_between(D(2025, 1, 1), D(2025, 1, 2)) == 1
