"""An indicator value is checked against its month and its numerator and denominator."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.performance.indicators import IndicatorError, check_month, check_value
from evidence.performance.models import Indicator, Unit

PERCENT = Indicator(unit=Unit.PERCENT)
DAYS = Indicator(unit=Unit.DAYS)
counts = st.integers(min_value=1, max_value=100_000)


@given(denominator=counts, data=st.data())
def test_the_share_itself_to_one_decimal_always_agrees(denominator, data):
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    check_value(PERCENT, round(100 * numerator / denominator, 1), numerator, denominator)


@given(denominator=counts, data=st.data(), off=st.floats(min_value=0.51, max_value=100))
def test_a_percentage_more_than_half_a_point_from_the_share_is_refused(denominator, data, off):
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    share = 100 * numerator / denominator
    value = share + off if share + off <= 100 else share - off
    if value < 0:
        return  # no percentage on the scale lies that far from this share
    with pytest.raises(IndicatorError, match="does not agree"):
        check_value(PERCENT, value, numerator, denominator)


@given(denominator=counts, extra=counts)
def test_a_numerator_above_the_denominator_is_refused(denominator, extra):
    with pytest.raises(IndicatorError, match="between 0 and the denominator"):
        check_value(DAYS, 10, denominator + extra, denominator)


@given(today=st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 1, 1)), days=st.integers(0, 400))
def test_no_month_after_this_one(today, days):
    month = today + dt.timedelta(days=days)
    if (month.year, month.month) > (today.year, today.month):
        with pytest.raises(IndicatorError, match="cannot be after this month"):
            check_month(month, today)
    else:
        check_month(month, today)
    check_month(today - dt.timedelta(days=days), today)
