"""The countdown to day one and the days on site, in working days (no weekends, no English bank
holidays), and the call's dates that no inspection can have."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from evidence.inspection_workspace.countdown import (
    LONGEST_NOTICE_WORKING_DAYS,
    OLDEST_CALL_WORKING_DAYS,
    ON_SITE_WORKING_DAYS,
    call_problems,
    countdown,
    is_working_day,
    next_working_day,
    on_site_days,
)

# Christmas 2026: Friday 25 December, Boxing Day on Saturday, so Monday 28 December is the
# substitute bank holiday (gov.uk's list of bank holidays in England and Wales).
CHRISTMAS_EVE = dt.date(2026, 12, 24)


def test_bank_holidays_and_weekends_are_not_working_days():
    assert is_working_day(CHRISTMAS_EVE)
    assert not is_working_day(dt.date(2026, 12, 25))
    assert not is_working_day(dt.date(2026, 12, 26))
    assert not is_working_day(dt.date(2026, 12, 28))
    assert next_working_day(CHRISTMAS_EVE) == dt.date(2026, 12, 29)


def test_a_call_on_friday_for_monday_is_one_working_day_to_go():
    friday, monday = dt.date(2026, 11, 27), dt.date(2026, 11, 30)
    shown = countdown("standard", monday, friday)
    assert shown.working_days_to_go == 1 and shown.words == "1 working day to day one"


def test_over_christmas_the_countdown_skips_the_holidays():
    shown = countdown("short", dt.date(2026, 12, 30), CHRISTMAS_EVE)
    assert shown.working_days_to_go == 2  # the 29th and the 30th


def test_a_standard_inspection_is_ten_working_days_on_site():
    days = on_site_days("standard", dt.date(2026, 12, 21))
    assert len(days) == 10 and days[0] == dt.date(2026, 12, 21)
    assert dt.date(2026, 12, 25) not in days and dt.date(2027, 1, 1) not in days
    assert countdown("standard", days[0], days[3]).words == "Day 4 of 10 on site"
    assert countdown("standard", days[0], days[-1] + dt.timedelta(days=1)).day_on_site is None


def test_a_weekend_between_days_on_site_counts_as_the_day_before():
    first = dt.date(2026, 11, 26)  # a Thursday
    assert countdown("standard", first, dt.date(2026, 11, 28)).day_on_site == 2


def test_a_call_older_than_any_inspection_is_refused():
    today = dt.date(2026, 12, 2)
    long_ago = today - dt.timedelta(days=OLDEST_CALL_WORKING_DAYS * 2)
    assert [field for field, _ in call_problems(long_ago, long_ago, today)] == ["called_on"]
    assert call_problems(today, next_working_day(today), today) == []


def test_a_first_day_before_the_call_or_too_long_after_it_is_refused():
    today = dt.date(2026, 12, 2)
    assert call_problems(today, today - dt.timedelta(days=1), today)[0][0] == "first_day"
    far = today + dt.timedelta(days=LONGEST_NOTICE_WORKING_DAYS * 2)
    assert call_problems(today, far, today)[0][0] == "first_day"


@given(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.sampled_from(sorted(ON_SITE_WORKING_DAYS)))
def test_days_on_site_are_working_days_in_order(first, kind):
    days = on_site_days(kind, first)
    assert len(days) == ON_SITE_WORKING_DAYS[kind]
    assert days == sorted(set(days))
    assert all(is_working_day(day) for day in days[1:])


@given(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.integers(1, 40))
def test_the_countdown_falls_by_one_each_working_day(today, ahead):
    first = today
    for _ in range(ahead):
        first = next_working_day(first)
    assert countdown("short", first, today).working_days_to_go == ahead
