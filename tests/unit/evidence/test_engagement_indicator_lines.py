"""An indicator's line in the engagement meeting's pack: its figure now and a year before,
against its target and England, as the performance pages grade them."""

import datetime as dt

from evidence.engagement_meeting.pack import indicator_line
from evidence.performance.indicators import RecentValue
from evidence.performance.models import Indicator, Polarity, Unit


def _indicator(**overrides) -> Indicator:
    values = dict(
        name="Re-referrals within 12 months",
        unit=Unit.PERCENT,
        polarity=Polarity.LOWER,
        target=20.0,
        tolerance=2.0,
        england_average=22.4,
    )
    return Indicator(**(values | overrides))


def _value(month: dt.date, value: float) -> RecentValue:
    return RecentValue(month, value, None)


def test_a_line_compares_now_with_a_year_before_and_england():
    line = indicator_line(_indicator(), _value(dt.date(2026, 11, 1), 18.0), _value(dt.date(2025, 11, 1), 24.0))
    assert line.now == "18.0% in November 2026"
    assert line.year_before == "24.0% in November 2025"
    assert line.against_target == "On target"
    assert line.against_england == "Better than England (22.4%)"
    assert line.over_the_year == "Improving"


def test_a_line_off_target_and_worse_than_england_worsening():
    line = indicator_line(_indicator(), _value(dt.date(2026, 11, 1), 30.0), _value(dt.date(2025, 11, 1), 24.0))
    assert (line.against_target, line.against_england, line.over_the_year) == (
        "Off target",
        "Worse than England (22.4%)",
        "Worsening",
    )


def test_a_line_without_figures_says_what_is_missing():
    line = indicator_line(_indicator(england_average=None), None, None)
    assert (line.now, line.year_before, line.against_target) == ("No figure", "No figure", "No figure")
    assert line.against_england == "No England figure"
    assert line.over_the_year == "No figure a year before"
    later = indicator_line(_indicator(), _value(dt.date(2026, 11, 1), 22.4), None)
    assert later.against_england == "The same as England (22.4%)"
    assert later.over_the_year == "No figure a year before"
