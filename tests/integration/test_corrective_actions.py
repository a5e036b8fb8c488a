"""A performance clinic's corrective actions are actions of the plan: owned by a person, shown on
the indicator's page and in the action plan with the indicator and month they answer."""

import csv
import datetime as dt
import io

import pytest
from flask import url_for
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.action_plan.models import Action, ActionStatus
from evidence.performance import indicators
from evidence.performance.models import Indicator
from tests.support.factories import make_council, make_user, sign_in_as

TODAY = dt.date.today()
NEXT_MONTH = TODAY + dt.timedelta(days=30)


def _date(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture()
def clinic(client):
    """A head of service signed in, with an indicator off target in March 2025 and on target in April."""
    council = make_council()
    head = make_user(council, Role.HEAD_OF_SERVICE, name="Hana Head")
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        indicator = db.session.scalars(select(Indicator).where(Indicator.code == "icpc_15_working_days")).one()
        red = indicators.record_value(indicator, dt.date(2025, 3, 1), 50)
        green = indicators.record_value(indicator, dt.date(2025, 4, 1), 95)
    sign_in_as(client, head)
    return {"council": council, "head": head, "indicator": indicator, "red": red, "green": green}


def _data(owner, **changes) -> dict:
    return {
        "what": "Decide on every ICPC by day 5",
        "owner_id": str(owner.id),
        "due_date": _date(NEXT_MONTH),
        "success_measure": "ICPCs back on target",
        **changes,
    }


def _actions() -> int:
    return db.session.scalar(select(func.count(Action.id)))


def test_the_form_suggests_how_success_is_measured(client, clinic):
    page = client.get(url_for("performance.add_action", value_id=clinic["red"].id)).get_data(as_text=True)
    assert "ICPCs held within 15 working days of the strategy discussion: back on target (85.0% or better)" in page
    assert (
        '<option value="" selected>Choose an owner</option>' in page
        and f'<option value="{clinic["head"].id}">Hana Head</option>' in page
    )


def test_a_clinics_corrective_action_is_on_the_indicator_page_and_in_the_plan(client, clinic):
    head, indicator, red = clinic["head"], clinic["indicator"], clinic["red"]
    response = client.post(url_for("performance.add_action", value_id=red.id), data=_data(head))
    assert response.status_code == 302
    with acting_for(clinic["council"].id):
        action = db.session.scalars(select(Action)).one()
    assert (action.indicator_value_id, action.owner_id, action.area_id) == (red.id, head.id, "help_protection")
    assert action.status is ActionStatus.NOT_STARTED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.created")).one()
    assert event.after["indicator_value_id"] == red.id and event.after["owner_id"] == head.id

    page = client.get(url_for("performance.indicator", indicator_id=indicator.id)).get_data(as_text=True)
    link = url_for("actions.show", action_id=action.id, _external=False)
    assert f'href="{link}">Decide on every ICPC by day 5</a>' in page
    assert f"Hana Head, due {NEXT_MONTH.day} {NEXT_MONTH:%B %Y}: not started" in page

    answers = "Corrective action for ICPCs held within 15 working days of the strategy discussion, March 2025"
    plan = client.get(url_for("actions.index")).get_data(as_text=True)
    assert "Decide on every ICPC by day 5" in plan and answers in plan
    shown = client.get(url_for("actions.show", action_id=action.id)).get_data(as_text=True)
    month = url_for("performance.indicator", indicator_id=indicator.id, _anchor=f"month-{red.id}", _external=False)
    assert f'href="{month}">ICPCs held within 15 working days of the strategy discussion, March 2025</a>' in shown
    assert "March 2025</a>: 50.0% against a target of 85.0%" in shown
    rows = list(
        csv.reader(io.StringIO(client.get(url_for("actions.export", file_format="csv")).get_data(as_text=True)))
    )
    assert rows[0][-1] == "Indicator month it answers"
    assert rows[1][-1] == "ICPCs held within 15 working days of the strategy discussion, March 2025"


def test_the_plan_filters_to_corrective_actions_and_to_one_indicator(client, clinic):
    head = clinic["head"]
    client.post(url_for("performance.add_action", value_id=clinic["red"].id), data=_data(head))
    other_data = {**_data(head, what="Refresh the threshold guidance"), "area_id": "help_protection"}
    assert client.post(url_for("actions.new"), data=other_data).status_code == 302
    with acting_for(clinic["council"].id):
        another = db.session.scalars(select(Indicator).where(Indicator.code == "care_leavers_eet")).one()

    def shown(**filters) -> tuple[bool, bool]:
        page = client.get(url_for("actions.index", **filters)).get_data(as_text=True)
        return "Decide on every ICPC by day 5" in page, "Refresh the threshold guidance" in page

    assert shown() == (True, True)
    assert shown(indicator="any") == (True, False)
    assert shown(indicator=clinic["indicator"].id) == (True, False)
    assert shown(indicator=another.id) == (False, False)


def test_a_corrective_action_is_tracked_to_done_in_the_plan(client, clinic):
    head = clinic["head"]
    client.post(url_for("performance.add_action", value_id=clinic["red"].id), data=_data(head))
    with acting_for(clinic["council"].id):
        action = db.session.scalars(select(Action)).one()
    client.post(url_for("actions.add_note", action_id=action.id), data={"text": "Huddle running weekly"})
    done = {**_data(head), "status": "done", "completion_evidence": "May figure 92%", "version": str(action.version)}
    assert client.post(url_for("actions.edit", action_id=action.id), data=done).status_code == 302
    assert action.status is ActionStatus.DONE and action.indicator_value_id == clinic["red"].id
    page = client.get(url_for("performance.indicator", indicator_id=clinic["indicator"].id)).get_data(as_text=True)
    assert f"Hana Head, due {NEXT_MONTH.day} {NEXT_MONTH:%B %Y}: done" in page
    assert "Huddle running weekly" in client.get(url_for("actions.show", action_id=action.id)).get_data(as_text=True)


def test_the_owner_is_an_active_person_of_the_council_not_free_text(client, clinic):
    head = clinic["head"]
    elsewhere = make_user(make_council(), Role.SENIOR_LEADER)
    gone = make_user(clinic["council"], Role.SENIOR_LEADER, name="Gone Leader")
    gone.active = False
    db.session.commit()
    url = url_for("performance.add_action", value_id=clinic["red"].id)
    assert "Gone Leader" not in client.get(url).get_data(as_text=True)
    for owner in ("Team manager, CP team 2", str(elsewhere.id), str(gone.id)):
        page = client.post(url, data=_data(head, owner_id=owner)).get_data(as_text=True)
        assert 'id="owner_id-error"' in page and "Choose who owns the action" in page, owner
    with acting_for(clinic["council"].id):
        assert _actions() == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"owner_id": ""}, "owner_id", "Choose who owns the action"),
        ({"due_date": _date(TODAY - dt.timedelta(days=1))}, "due_date", "The due date must be today or in the future"),
        ({"what": "  "}, "what", "Enter what will be done"),
        ({"success_measure": ""}, "success_measure", "Enter how you will know it has worked"),
    ],
)
def test_bad_input_is_a_message_on_its_field_and_saves_nothing(client, clinic, changes, field, message):
    page = client.post(
        url_for("performance.add_action", value_id=clinic["red"].id), data=_data(clinic["head"], **changes)
    ).get_data(as_text=True)
    assert "govuk-error-summary" in page
    error = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    with acting_for(clinic["council"].id):
        assert _actions() == 0
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.created")).all() == []


def test_a_month_on_target_takes_no_corrective_action(client, clinic):
    page = client.post(
        url_for("performance.add_action", value_id=clinic["green"].id), data=_data(clinic["head"])
    ).get_data(as_text=True)
    assert "Corrective actions are for months that are off target" in page.split('id="what-error"', 1)[1]
    with acting_for(clinic["council"].id):
        assert _actions() == 0
