"""What the leadership team reads each evening on site: per day, the requests asked, sent and
overdue, the referred-back children open and resolved, the checklist done and outstanding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evidence.inspection_workspace.countdown import on_site_days
from evidence.inspection_workspace.models import InspectionNotice, InspectorRequest, ReferredCase


@dataclass(frozen=True)
class DaySummary:
    number: int  # day one is 1
    day: dt.date
    to_come: bool  # a day after today: nothing to count yet
    requests_asked: int
    requests_sent: int
    requests_overdue: int
    referred_open: int
    referred_resolved: int
    checklist_done: int
    checklist_outstanding: int


def _overdue(request: InspectorRequest, day: dt.date) -> bool:
    """Asked by the day's end, due by then, and not sent by then."""
    return request.asked_on <= day and request.due_date <= day and (request.sent_on is None or request.sent_on > day)


def _open_on(case: ReferredCase, day: dt.date) -> bool:
    return case.raised_on <= day and (case.resolved_on is None or case.resolved_on > day)


def day_summary(notice: InspectionNotice, number: int, day: dt.date, today: dt.date) -> DaySummary:
    requests, referrals, checklist = notice.requests, notice.referrals, notice.checklist
    done = sum(1 for item in checklist if item.done_on is not None and item.done_on <= day)
    return DaySummary(
        number=number,
        day=day,
        to_come=day > today,
        requests_asked=sum(1 for r in requests if r.asked_on == day),
        requests_sent=sum(1 for r in requests if r.sent_on == day),
        requests_overdue=sum(1 for r in requests if _overdue(r, day)),
        referred_open=sum(1 for c in referrals if _open_on(c, day)),
        referred_resolved=sum(1 for c in referrals if c.resolved_on is not None and c.resolved_on <= day),
        checklist_done=done,
        checklist_outstanding=len(checklist) - done,
    )


def daily_summaries(notice: InspectionNotice, today: dt.date) -> list[DaySummary]:
    """One summary per day on site (a standard inspection has ten)."""
    return [
        day_summary(notice, number, day, today)
        for number, day in enumerate(on_site_days(notice.kind.value, notice.first_day), 1)
    ]


def day_chosen(summaries: list[DaySummary], wanted: dt.date | None, today: dt.date) -> DaySummary:
    """The day asked for, else today if on site, else the latest day that has passed, else day one."""
    by_day = {s.day: s for s in summaries}
    if wanted in by_day:
        return by_day[wanted]
    passed = [s for s in summaries if s.day <= today]
    return by_day.get(today) or (passed[-1] if passed else summaries[0])


def requests_overdue_on(notice: InspectionNotice, day: dt.date) -> list[InspectorRequest]:
    return sorted((r for r in notice.requests if _overdue(r, day)), key=lambda r: (r.due_date, r.id))


def requests_asked_on(notice: InspectionNotice, day: dt.date) -> list[InspectorRequest]:
    return [r for r in notice.requests if r.asked_on == day]


def referred_open_on(notice: InspectionNotice, day: dt.date) -> list[ReferredCase]:
    return [c for c in notice.referrals if _open_on(c, day)]
