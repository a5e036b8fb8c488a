import datetime as dt

from councils.clock import date_in_england, now


def test_a_summer_evening_after_11pm_in_utc_is_already_tomorrow_in_england():
    assert date_in_england(dt.datetime(2026, 7, 14, 23, 30)) == dt.date(2026, 7, 15)


def test_in_winter_england_keeps_utc_dates():
    assert date_in_england(dt.datetime(2026, 1, 14, 23, 30)) == dt.date(2026, 1, 14)
    assert date_in_england(dt.datetime(2026, 1, 15, 0, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 15)


def test_now_is_naive_utc_as_the_database_stores_it():
    moment = now()
    assert moment.tzinfo is None
    assert abs(dt.datetime.now(dt.UTC).replace(tzinfo=None) - moment) < dt.timedelta(seconds=5)
