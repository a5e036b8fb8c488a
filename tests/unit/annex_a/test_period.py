"""The months a workbook can give, from its own first and last dates."""

import calendar
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from evidence.performance.annex_a.period import WorkbookPeriod, six_months_before
from evidence.performance.annex_a.working_days import working_days_between

D = dt.date
DAYS = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


def test_a_month_counts_when_no_working_day_of_it_is_outside_the_workbook():
    # Sunday 1 June 2025: a workbook from Monday 2 June covers June.
    assert WorkbookPeriod(D(2025, 6, 2), D(2025, 10, 31)).months() == [D(2025, m, 1) for m in (6, 7, 8, 9, 10)]
    # From Tuesday 3 June, Monday 2 June is missing: June is not whole.
    assert WorkbookPeriod(D(2025, 6, 3), D(2025, 10, 31)).months()[0] == D(2025, 7, 1)
    # Friday 29 August ends August: the bank holiday Monday 25th is inside, the weekend after needs nothing.
    assert WorkbookPeriod(D(2025, 8, 1), D(2025, 8, 29)).months() == [D(2025, 8, 1)]
    assert WorkbookPeriod(D(2025, 8, 1), D(2025, 8, 28)).months() == []
    assert WorkbookPeriod(D(2025, 8, 1), D(2025, 8, 28)).describe_months() == "no whole month"


def test_without_contacts_or_referrals_the_six_months_before_are_taken():
    assert six_months_before(D(2025, 11, 14)) == D(2025, 5, 15)
    assert six_months_before(D(2025, 8, 31)) == D(2025, 3, 1)  # 28 February, then the next day
    assert six_months_before(D(2025, 3, 31)) == D(2024, 10, 1)


@given(DAYS, st.integers(min_value=0, max_value=800))
def test_every_month_given_is_whole_inside_the_workbook_and_none_is_left_out(start, length):
    period = WorkbookPeriod(start, start + dt.timedelta(days=length))
    months = period.months()
    for month in months:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        # No working day of the month falls before the first date or after the last.
        if month < period.start:
            assert working_days_between(month - dt.timedelta(days=1), period.start - dt.timedelta(days=1)) == 0
        if last > period.as_at:
            assert working_days_between(period.as_at, last) == 0
    # Every month lying wholly between the dates is given.
    month = period.start.replace(day=1)
    while month <= period.as_at:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        if month >= period.start and last <= period.as_at:
            assert month in months
        month = last + dt.timedelta(days=1)
    assert months == sorted(set(months))
