"""The clock: every "now" and "today" the service uses.

Times are stored as naive UTC (the database columns carry no zone). Today is the date in
England, where every council using the service is: a server on UTC would otherwise call
23:30 on a summer evening the next day, and a due date would turn overdue an hour early.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


def now() -> dt.datetime:
    """This moment, in UTC without a zone, as the database stores times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date in England."""
    return date_in_england(dt.datetime.now(dt.UTC))


def date_in_england(moment: dt.datetime) -> dt.date:
    """The date in England at a moment (naive times are taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ENGLAND).date()


def time_in_england(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) moment as the clock on a wall in England shows it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ENGLAND)
