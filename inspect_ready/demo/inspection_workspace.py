"""A demo call for Northshire: a standard inspection two working days in, its checklist partly
done, a few inspectors' requests (one sent, one overdue) and one referred-back child."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.inspection_workspace import calls
from evidence.inspection_workspace import requests as workspace_requests
from evidence.inspection_workspace.countdown import is_working_day, next_working_day
from evidence.inspection_workspace.models import ItemStatus

# Checklist items done before the inspectors arrived, with what answered each.
DONE = {
    "annex_a": "Lists 1 to 11 uploaded to the sharing site on the day of the call.",
    "self_evaluation": "This year's self-evaluation, as sent before the engagement meeting.",
    "organisation_chart": "Structure chart of children's services, updated last month.",
    "key_contacts": "Contact sheet sent to the lead inspector.",
    "improvement_plan": "Service improvement plan with the board's latest progress report.",
}


def _working_day_before(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _person(email: str) -> User:
    with acting_for(None):
        return db.session.scalars(select(User).where(User.email == email)).one()


def load(council: Council, today: dt.date) -> None:
    director = _person("director@northshire.example")
    cp_head = _person("hos.cp@northshire.example")
    cic_head = _person("hos.cic@northshire.example")
    first_day = today if is_working_day(today) else _working_day_before(today)
    called_on = _working_day_before(first_day)
    second_day = next_working_day(first_day)
    with acting_for(council.id):
        notice = calls.record_call(
            calls.CallFields(called_on, "standard", "Jo Whitfield HMI", first_day), today, director
        )
        for item in notice.checklist:
            owner = cic_head if item.source_id in ("strategies", "annual_reports") else cp_head
            item.owner_id = owner.id if item.source_id != "self_evaluation" else director.id
            if item.source_id in DONE:
                item.status, item.answer, item.done_on = ItemStatus.DONE, DONE[item.source_id], called_on
            elif item.source_id in ("case_tracking_lists", "diary"):
                item.status = ItemStatus.IN_PROGRESS
        asked = [
            ("Minutes of the last three strategy discussions for the children tracked", cp_head, called_on, "sent",
             "Minutes for all three tracked children, on the sharing site."),
            ("The latest independent reviewing officers' annual report", cic_head, first_day, "asked", ""),
            ("Supervision records of the front door team's managers", cp_head, first_day, "in_progress", ""),
        ]  # fmt: skip
        for what, owner, due, status, sent in asked:
            workspace_requests.add_request(
                notice,
                workspace_requests.RequestFields(
                    what, "Jo Whitfield HMI", called_on, owner.id, due, status, sent, None
                ),
                today,
            )
        workspace_requests.refer_case(
            notice,
            workspace_requests.ReferralFields(
                "CP-204871",
                "No statutory visit recorded for seven weeks; the plan's contingency is unclear.",
                min(second_day, today),
                cp_head.id,
                "open",
                "",
            ),
            today,
        )
        db.session.flush()
