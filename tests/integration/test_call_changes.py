"""Changing the call's details: a mistyped name or a wrong date is corrected, checklist items
still due on the dates seeded from the old call move with it (those a person finished or
re-dated stay), every change is logged, and bad, stale or foreign posts are refused."""

import datetime as dt

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.inspection_workspace.checklist import ilacs_checklist
from evidence.inspection_workspace.countdown import next_working_day
from evidence.inspection_workspace.models import ChecklistItem, InspectionNotice, ItemStatus, VisitKind
from judgement_framework import load_framework
from tests.fuzz.values import DATE_PARTS, TEXT
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import banners, error_summary, form_values, page_text

TODAY = dt.date.today()
OLD_CALL = TODAY - dt.timedelta(days=7)
OLD_FIRST_DAY = next_working_day(TODAY)
NEW_CALL = TODAY - dt.timedelta(days=6)
NEW_FIRST_DAY = next_working_day(OLD_FIRST_DAY)
SEEDED_DUE = {seed.id: seed.due for seed in ilacs_checklist().items}


def _date(prefix: str, day: dt.date) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _call(**changes) -> dict:
    data = {"kind": "standard", "lead_inspector": "Pat Inspecter", **_date("called_on", OLD_CALL)}
    data |= _date("first_day", OLD_FIRST_DAY)
    return data | changes


def _people():
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER, name="Sam Leader")
    head = make_user(council, Role.HEAD_OF_SERVICE, name="Hana Head", service_area=ServiceArea.CHILD_PROTECTION)
    db.session.commit()
    return council, leader, head


def _record_call(client_request, **changes) -> InspectionNotice:
    client_request.post("inspection_workspace.new", _data=_call(**changes))
    return db.session.scalars(select(InspectionNotice).order_by(InspectionNotice.id.desc())).first()


def _change(notice: InspectionNotice, **changes) -> dict:
    return _call(version=str(notice.version), **changes)


def _events(council, action: str) -> list[AuditEvent]:
    with acting_for(council.id):
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _edit_item(client_request, notice, item, **changes) -> None:
    data = {
        "title": item.title,
        "status": item.status.value,
        "version": str(item.version),
        **_date("due_date", item.due_date),
    }
    client_request.post(
        "inspection_workspace.edit_item", notice_id=notice.id, checklist_item_id=item.id, _data=data | changes
    )


def _seeded(notice, due: str) -> list[ChecklistItem]:
    return [item for item in notice.checklist if SEEDED_DUE.get(item.source_id) == due]


def test_the_call_is_corrected_and_seeded_due_dates_move_with_it(client_request):
    council, leader, head = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    finished, *call_items = _seeded(notice, "call")
    redated, *first_day_items = _seeded(notice, "first_day")
    _edit_item(client_request, notice, finished, status="done", answer="Sent on the day of the call")
    _edit_item(client_request, notice, redated, **_date("due_date", OLD_FIRST_DAY + dt.timedelta(days=3)))
    in_progress = first_day_items[0]
    _edit_item(client_request, notice, in_progress, status="in_progress")
    own = {"title": "Children missing education", "status": "to_do", **_date("due_date", OLD_FIRST_DAY)}
    client_request.post("inspection_workspace.new_item", notice_id=notice.id, _data=own)
    added = next(item for item in notice.checklist if item.source_id is None)

    workspace = client_request.get("inspection_workspace.show", notice_id=notice.id)
    assert url("inspection_workspace.edit_call", notice_id=notice.id) in {a.get("href") for a in workspace.select("a")}
    form = client_request.get("inspection_workspace.edit_call", notice_id=notice.id).select_one("main form")
    shown = form_values(form)
    assert shown["lead_inspector"] == ["Pat Inspecter"] and shown["kind"] == ["standard"]
    assert shown["version"] == [str(notice.version)]
    assert shown["called_on"] == _date("called_on", OLD_CALL)["called_on"]

    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(
            notice, lead_inspector="Pat Inspector", **_date("called_on", NEW_CALL), **_date("first_day", NEW_FIRST_DAY)
        ),
        _follow_redirects=True,
    )
    moving = len(call_items) + len(first_day_items)
    assert f"The call's details are saved. {moving} checklist items moved to the new dates." in banners(page)
    db.session.refresh(notice)
    assert (notice.lead_inspector, notice.called_on, notice.first_day) == ("Pat Inspector", NEW_CALL, NEW_FIRST_DAY)
    assert all(item.due_date == NEW_CALL for item in call_items)
    assert all(item.due_date == NEW_FIRST_DAY for item in first_day_items)
    assert in_progress.status is ItemStatus.IN_PROGRESS and in_progress.due_date == NEW_FIRST_DAY
    assert finished.due_date == OLD_CALL and finished.status is ItemStatus.DONE
    assert redated.due_date == OLD_FIRST_DAY + dt.timedelta(days=3)
    assert added.due_date == OLD_FIRST_DAY  # the council's own item was never seeded from the call
    assert "Day one: " + f"{NEW_FIRST_DAY:%-d %B %Y}" in page_text(page)

    [changed] = _events(council, "inspection.call_changed")
    assert changed.before == {
        "called_on": OLD_CALL.isoformat(),
        "kind": "standard",
        "lead_inspector": "Pat Inspecter",
        "first_day": OLD_FIRST_DAY.isoformat(),
    }
    assert (
        changed.after["lead_inspector"] == "Pat Inspector" and changed.after["first_day"] == NEW_FIRST_DAY.isoformat()
    )
    assert changed.after["checklist_items_moved"] == moving and changed.actor_id == leader.id
    moved = [e for e in _events(council, "inspection.checklist_item_changed") if e.detail]
    assert len(moved) == moving
    assert {e.record_id for e in moved} == {str(item.id) for item in call_items + first_day_items}


def test_a_corrected_name_moves_nothing_and_says_so(client_request):
    council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, lead_inspector="Pat Inspector"),
        _follow_redirects=True,
    )
    assert "The call's details are saved. No checklist item's due date moved." in banners(page)
    assert {item.due_date for item in notice.checklist} == {OLD_CALL, OLD_FIRST_DAY}
    assert len(_events(council, "inspection.call_changed")) == 1


def test_a_call_long_past_may_still_be_corrected_but_not_moved_to_another_old_date(client_request):
    """A new call over 30 working days old is refused as mistyped; one recorded then, kept on
    its date, has its name corrected after the inspection all the same."""
    council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    long_ago = TODAY - dt.timedelta(days=120)
    notice.called_on, notice.first_day = long_ago, next_working_day(long_ago)
    db.session.commit()
    kept_dates = _date("called_on", long_ago) | _date("first_day", notice.first_day)
    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, lead_inspector="Pat Inspector", **kept_dates),
        _follow_redirects=True,
    )
    assert "The call's details are saved. No checklist item's due date moved." in banners(page)
    assert notice.lead_inspector == "Pat Inspector"
    earlier = long_ago - dt.timedelta(days=7)
    moved = _date("called_on", earlier) | _date("first_day", next_working_day(earlier))
    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, **moved),
        _expected_status=400,
    )
    assert any("working days ago" in message for message in error_summary(page))
    assert notice.called_on == long_ago


def test_the_kind_may_change_and_the_days_on_site_follow_it(client_request):
    _council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    form = client_request.get("inspection_workspace.edit_call", notice_id=notice.id)
    assert "The checklist is the same for every kind" in page_text(form)
    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, kind="focused_visit"),
        _follow_redirects=True,
    )
    assert notice.kind is VisitKind.FOCUSED_VISIT
    assert "(2 working days, as the app reckons a focused visit)" in page_text(page)
    assert len(notice.checklist) == len(ilacs_checklist().items)


def test_bad_input_is_refused_with_its_messages_and_nothing_saved(client_request):
    council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    version = notice.version
    page = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(
            notice,
            kind="inspection_by_post",
            lead_inspector="   ",
            **_date("called_on", TODAY + dt.timedelta(days=3)),
            **_date("first_day", TODAY),
        ),
        _expected_status=400,
    )
    errors = error_summary(page)
    assert "Choose the kind of inspection or visit from the options shown" in errors
    assert "Enter the lead inspector's name" in errors
    assert "The date of the call must be today or in the past" in errors
    assert "The first day on site must be on or after the date of the call" in errors
    unreal = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, called_on=["31", "2", str(TODAY.year)], first_day=["", "", ""]),
        _expected_status=400,
    )
    assert error_summary(unreal)
    db.session.refresh(notice)
    assert notice.version == version and notice.lead_inspector == "Pat Inspecter" and notice.called_on == OLD_CALL
    assert _events(council, "inspection.call_changed") == []


def test_what_the_workspace_holds_bounds_the_new_dates_and_kind(client_request):
    council, leader, head = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request, **_date("called_on", OLD_CALL), **_date("first_day", OLD_CALL))
    request = {
        "what": "Minutes",
        "asked_by": "Pat Inspector",
        "owner_id": str(head.id),
        "status": "asked",
        **_date("asked_on", OLD_CALL),
        **_date("due_date", TODAY),
    }
    client_request.post("inspection_workspace.new_request", notice_id=notice.id, _data=request)
    later = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, **_date("called_on", NEW_CALL), **_date("first_day", NEW_CALL)),
        _expected_status=400,
    )
    assert any("when inspectors first asked for something" in e for e in error_summary(later))
    grades = {f"grade_{area.id}": "good" for area in load_framework(council.framework_id).areas}
    client_request.post(
        "inspection_workspace.published_report",
        notice_id=notice.id,
        _data={**grades, "version": str(notice.version), **_date("published_on", OLD_CALL)},
    )
    db.session.refresh(notice)
    assert notice.published_on == OLD_CALL
    refused = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, kind="jtai", **_date("first_day", OLD_CALL + dt.timedelta(days=1))),
        _expected_status=400,
    )
    errors = error_summary(refused)
    assert any(e.startswith("The first day on site must be on or before") for e in errors)
    assert any(e.startswith("The published report is recorded with grades") for e in errors)
    db.session.refresh(notice)
    assert notice.kind is VisitKind.STANDARD and notice.first_day == OLD_CALL


def test_a_stale_form_is_refused_with_both_versions_and_nothing_lost(client_request):
    council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    opened = _change(notice, lead_inspector="Pat Inspector")
    client_request.post("inspection_workspace.edit_call", notice_id=notice.id, _data=opened)
    second = client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=opened | {"lead_inspector": "Someone Else", **_date("first_day", NEW_FIRST_DAY)},
        _expected_status=409,
    )
    assert "Someone else saved this call after you opened it" in page_text(second)
    db.session.refresh(notice)
    assert notice.lead_inspector == "Pat Inspector" and notice.first_day == OLD_FIRST_DAY
    assert form_values(second.select_one("main form"))["version"] == [str(notice.version)]
    assert {item.due_date for item in notice.checklist} == {OLD_CALL, OLD_FIRST_DAY}
    assert len(_events(council, "inspection.call_changed")) == 1


def test_another_councils_call_is_not_found(client_request):
    _council, leader, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    other = make_user(make_council("Council B"), Role.SENIOR_LEADER)
    db.session.commit()
    client_request.sign_in(other)
    client_request.get("inspection_workspace.edit_call", notice_id=notice.id, _expected_status=404)
    client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, lead_inspector="Intruder"),
        _expected_status=404,
    )
    db.session.refresh(notice)
    assert notice.lead_inspector == "Pat Inspecter"


def test_only_those_who_may_record_a_call_may_change_it(client_request):
    council, leader, head = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    client_request.sign_in(head)
    workspace = client_request.get("inspection_workspace.show", notice_id=notice.id)
    assert "Change the call's details" not in page_text(workspace)
    client_request.get("inspection_workspace.edit_call", notice_id=notice.id, _expected_status=403)
    client_request.post(
        "inspection_workspace.edit_call",
        notice_id=notice.id,
        _data=_change(notice, lead_inspector="Hana's guess"),
        _expected_status=403,
    )
    db.session.refresh(notice)
    assert notice.lead_inspector == "Pat Inspecter"
    assert _events(council, "inspection.call_changed") == []


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@st.composite
def call_forms(draw) -> dict:
    """The form as a person fills it (most often rightly, so saves are drawn too), with each
    field in turn wrong, nonsense or left out."""
    called_on = TODAY - dt.timedelta(days=draw(st.integers(0, 10)))
    first_day = called_on + dt.timedelta(days=draw(st.integers(0, 14)))
    nearby = st.integers(-60, 60).map(lambda days: _parts(TODAY + dt.timedelta(days=days)))
    fields = {
        "called_on": (st.just(_parts(called_on)), st.one_of(nearby, DATE_PARTS)),
        "first_day": (st.just(_parts(first_day)), st.one_of(nearby, DATE_PARTS)),
        "kind": (st.sampled_from([k.value for k in VisitKind]), TEXT),
        "lead_inspector": (st.just("Pat Inspector"), TEXT),
        "version": (st.just("current"), st.one_of(st.just("1"), TEXT)),
    }
    data = {}
    for name, (good, wrong) in fields.items():
        how = draw(st.sampled_from(["good", "good", "good", "good", "wrong", "left out"]))
        if how != "left out":
            data[name] = draw(good if how == "good" else wrong)
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=call_forms())
def test_no_post_of_the_call_form_is_a_server_error(client_request, data):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    client_request.sign_in(leader)
    notice = _record_call(client_request, **_date("called_on", TODAY), **_date("first_day", TODAY))
    if data.get("version") == "current":
        data["version"] = str(notice.version)
    before = (notice.version, notice.called_on, notice.first_day, notice.lead_inspector, notice.kind)
    response = client_request.post_response(
        "inspection_workspace.edit_call", notice_id=notice.id, _data=data, _expected_status=(302, 400, 409)
    )
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics: saves and refusals both drawn
    db.session.refresh(notice)
    if response.status_code != 302:
        assert (notice.version, notice.called_on, notice.first_day, notice.lead_inspector, notice.kind) == before
