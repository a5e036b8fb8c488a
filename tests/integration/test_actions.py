"""The gap list and the action plan made from it."""

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.models import Role, ServiceArea
from evidence.action_plan.models import Action, ActionStatus
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as

TODAY = dt.date.today()
NEXT_MONTH = TODAY + dt.timedelta(days=30)


def _date(prefix: str, day: dt.date) -> dict:
    # GOV.UK date inputs post day, month and year under one name.
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _leader(client, role=Role.SENIOR_LEADER, **kwargs):
    user = make_user(make_council(), role, **kwargs)
    db.session.commit()
    sign_in_as(client, user)
    return user


def _action_data(owner, **changes):
    data = {
        "what": "Re-audit strategy discussions",
        "owner_id": str(owner.id),
        "success_measure": "80% of audits good or better",
        "area_id": "help_protection",
        **_date("due_date", NEXT_MONTH),
    }
    data.update(changes)
    return data


def test_with_no_evidence_every_criterion_is_a_gap(client):
    _leader(client)
    page = client.get("/gaps/").get_data(as_text=True)
    assert "No evidence" in page and "Make an action" in page


def test_gap_list_filters_work_as_a_plain_form_and_with_htmx(client):
    _leader(client)
    page = client.get("/gaps/?area_id=care_leavers&kind=no_evidence").get_data(as_text=True)
    assert "The experiences and progress of care leavers" in page
    assert "The experiences and progress of children in care</h2>" not in page
    fragment = client.get("/gaps/?area_id=care_leavers", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)


def test_a_head_of_service_sees_their_own_gaps_first(client):
    _leader(client, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CARE_LEAVERS)
    page = client.get("/gaps/").get_data(as_text=True)
    first_card = page.split('govuk-summary-card__title"')[1]
    assert "care leavers" in first_card


def test_making_an_action_from_a_gap_links_them(client):
    leader = _leader(client)
    page = client.get("/gaps/").get_data(as_text=True)
    gap_id = page.split("/actions/new?gap=")[1].split('"')[0]
    form = client.get(f"/actions/new?gap={gap_id}").get_data(as_text=True)
    assert "The gap:" in form
    response = client.post(f"/actions/new?gap={gap_id}", data=_action_data(leader))
    assert response.status_code == 302
    action = db.session.scalars(select(Action)).one()
    assert action.gap_id == gap_id and action.gap_kind == "no_evidence"
    assert action.status is ActionStatus.NOT_STARTED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.created")).one()
    assert event.after["what"] == "Re-audit strategy discussions"
    assert "Re-audit strategy discussions" in client.get("/gaps/").get_data(as_text=True)


def test_bad_actions_are_refused_and_nothing_is_saved(client):
    leader = _leader(client)
    peer = make_user(make_council(), Role.SENIOR_LEADER)  # another council's person
    db.session.commit()
    cases = [
        (_action_data(leader, what=""), "Enter what will be done"),
        (_action_data(leader, owner_id=""), "Choose who owns the action"),
        (_action_data(leader, owner_id=str(peer.id)), "Choose who owns the action"),
        (
            _action_data(leader, **_date("due_date", TODAY - dt.timedelta(days=1))),
            "The due date must be today or in the future",
        ),
        (_action_data(leader, due_date=["31", "2", "2027"]), "Due date must be a real date"),
        (_action_data(leader, due_date=["", "2", "2027"]), "Due date must include a day, month and year"),
        (_action_data(leader, success_measure=" "), "Enter how you will know it has worked"),
        (_action_data(leader, area_id="lscb"), "Not a valid choice"),
    ]
    for data, message in cases:
        page = client.post("/actions/new", data=data).get_data(as_text=True)
        assert message in page, message
        assert "govuk-error-summary" in page
    assert db.session.scalar(select(func.count(Action.id))) == 0


def test_marking_done_asks_for_evidence(client):
    leader = _leader(client)
    client.post("/actions/new", data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    # As the edit page sends it: no judgement area (an action keeps the area it was made for).
    data = {**_action_data(leader), "status": "done", "completion_evidence": ""}
    del data["area_id"]
    page = client.post(f"/actions/{action.id}/edit", data=data).get_data(as_text=True)
    assert "Say what evidence shows the action is done" in page
    assert action.status is ActionStatus.NOT_STARTED
    data["completion_evidence"] = "March audit: 9 of 10 strategy discussions good"
    assert client.post(f"/actions/{action.id}/edit", data=data).status_code == 302
    assert action.status is ActionStatus.DONE and action.completed_on == TODAY
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.updated")).one()
    assert event.before["status"] == "not_started" and event.after["status"] == "done"


def test_progress_notes(client):
    leader = _leader(client)
    client.post("/actions/new", data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    page = client.post(f"/actions/{action.id}/notes", data={"text": "  "}).get_data(as_text=True)
    assert "Enter the progress note" in page
    client.post(f"/actions/{action.id}/notes", data={"text": "Audit booked for March"})
    assert "Audit booked for March" in client.get(f"/actions/{action.id}").get_data(as_text=True)


def test_the_plan_puts_overdue_first_and_exports_safely(client):
    leader = _leader(client)
    client.post("/actions/new", data=_action_data(leader, what="Later action"))
    client.post("/actions/new", data=_action_data(leader, what="=cmd|' /C calc'!A0"))
    late = db.session.scalars(select(Action).where(Action.what.startswith("="))).one()
    late.due_date = TODAY - dt.timedelta(days=3)  # went overdue since it was made
    db.session.commit()
    page = client.get("/actions/").get_data(as_text=True)
    assert page.index("calc") < page.index("Later action") and "Overdue" in page
    csv_text = client.get("/actions/export.csv").get_data(as_text=True)
    assert "'=cmd" in csv_text
    sheet = load_workbook(io.BytesIO(client.get("/actions/export.xlsx").get_data())).active
    assert sheet["A2"].value.startswith("'=cmd") and sheet["F2"].value == "Yes"


def test_gap_list_exports(client):
    _leader(client)
    response = client.get("/gaps/export.csv?kind=no_evidence")
    assert response.mimetype == "text/csv"
    assert "no evidence" in response.get_data(as_text=True)
    assert client.get("/gaps/export.xlsx").status_code == 200


def test_a_gap_that_has_closed_is_explained(client):
    _leader(client)
    page = client.get("/actions/new?gap=not-a-current-gap").get_data(as_text=True)
    assert "That gap has closed" in page


def test_a_senior_leaders_home_shows_standing_top_gaps_and_overdue_actions(client):
    leader = _leader(client)
    client.post("/actions/new", data=_action_data(leader, what="Refresh the threshold guidance"))
    action = db.session.scalars(select(Action)).one()
    action.due_date = TODAY - dt.timedelta(days=1)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Where the evidence says we stand today" in page
    assert "Not enough graded evidence" in page  # nothing graded yet
    assert "Top gaps" in page and "See all" in page
    assert "Refresh the threshold guidance" in page.split("Overdue actions")[1]


def test_other_roles_see_what_they_can_do_instead(client):
    _leader(client, Role.ADMINISTRATOR)
    page = client.get("/").get_data(as_text=True)
    assert "What you can do" in page and "Where the evidence says" not in page


def test_an_action_from_another_frameworks_mock_inspection_can_still_be_edited(client):
    leader = _leader(client)
    client.post("/actions/new", data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    action.area_id = "leadership"  # a SIF judgement; the council prepares against ILACS 2026
    db.session.commit()
    data = {**_action_data(leader), "status": "in_progress", "completion_evidence": ""}
    del data["area_id"]
    assert client.post(f"/actions/{action.id}/edit", data=data).status_code == 302
    assert action.status is ActionStatus.IN_PROGRESS and action.area_id == "leadership"


def test_odd_ids_in_the_address_are_not_server_errors(client):
    _leader(client)
    assert client.get("/actions/?owner=²").status_code == 200
    assert client.get("/actions/new?review=²").status_code == 404
