"""The gap list and the action plan made from it."""

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea
from evidence.action_plan.models import Action, ActionStatus
from judgement_framework import load_framework
from tests.support.client_request import parse, url
from tests.support.factories import make_council, make_user
from tests.support.pages import card_titles, error_summary, page_text, section_text, table_rows, text

TODAY = dt.date.today()
NEXT_MONTH = TODAY + dt.timedelta(days=30)


def _date(prefix: str, day: dt.date) -> dict:
    # GOV.UK date inputs post day, month and year under one name.
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _leader(client_request, role=Role.SENIOR_LEADER, **kwargs):
    user = make_user(make_council(), role, **kwargs)
    db.session.commit()
    return client_request.sign_in(user)


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


def _make_action_links(page):
    return page.select(f'.govuk-summary-card a[href^="{url("actions.new")}"]')


def test_with_no_evidence_every_criterion_is_a_theme_a_page_at_a_time(client_request):
    _leader(client_request)
    framework = load_framework("ilacs-2026")
    criteria = [c for a in framework.areas for c in a.criteria]
    page = client_request.get("gaps.index")
    titles = card_titles(page)
    assert len(titles) == 10 and all(title.startswith("Medium ") for title in titles)
    assert titles[0] == f"Medium {framework.areas[0].title}: {framework.areas[0].criteria[0].prompt}"
    assert f"{len(criteria)} themes, {len(criteria)} gaps: page 1 of {-(-len(criteria) // 10)}" in page_text(page)
    assert all(text(link) == "Make an action for this gap" for link in _make_action_links(page))
    assert [text(tag) for tag in page.select(".govuk-summary-card .govuk-tag--grey")] == ["No action yet"] * 10
    last = client_request.get("gaps.index", page=-(-len(criteria) // 10))
    assert len(card_titles(last)) == len(criteria) % 10 or 10


def test_gap_list_filters_work_as_a_plain_form_and_with_htmx(client_request):
    _leader(client_request)
    page = client_request.get("gaps.index", area_id="care_leavers", kind="no_evidence")
    titles = card_titles(page)
    assert titles and all(title.startswith("Medium The experiences and progress of care leavers: ") for title in titles)
    fragment = client_request.get_response("gaps.index", area_id="care_leavers", _headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)  # a fragment, not a whole page
    assert card_titles(parse(fragment)) == card_titles(client_request.get("gaps.index", area_id="care_leavers"))
    searched = card_titles(client_request.get("gaps.index", q="pathway PLANS"))
    assert searched == [
        "Medium The experiences and progress of care leavers: Pathway plans are current, written with the young person and acted on."
    ]


def test_a_judgement_the_framework_lacks_is_refused_with_a_message(client_request):
    _leader(client_request)
    page = client_request.get("gaps.index", area_id="lscb")
    assert error_summary(page) == [
        "Choose a judgement of Inspecting local authority children's services (ILACS), from April 2026"
    ]
    assert card_titles(page) == []


def test_a_head_of_service_sees_their_own_gaps_first(client_request):
    _leader(client_request, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CARE_LEAVERS)
    page = client_request.get("gaps.index")
    assert "care leavers" in card_titles(page)[0]


def test_making_an_action_from_a_gap_links_them_and_the_theme_shows_it(client_request):
    leader = _leader(client_request)
    page = client_request.get("gaps.index")
    make_action = urlsplit(_make_action_links(page)[0]["href"])
    assert make_action.path == url("actions.new")
    gap_id = parse_qs(make_action.query)["gap"][0]
    form = client_request.get("actions.new", gap=gap_id)
    assert text(form.select_one(".govuk-inset-text")).startswith("The gap: ")
    client_request.post("actions.new", gap=gap_id, _data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    assert action.gap_id == gap_id and action.gap_kind == "no_evidence"
    assert action.status is ActionStatus.NOT_STARTED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.created")).one()
    assert event.after["what"] == "Re-audit strategy discussions"
    linked = client_request.get("gaps.index").select(
        f'.govuk-summary-card a[href="{url("actions.show", action_id=action.id)}"]'
    )
    assert [text(a) for a in linked] == ["Re-audit strategy discussions"]
    with_action = client_request.get("gaps.index", has_action="yes")
    assert len(card_titles(with_action)) == 1
    assert [text(tag) for tag in with_action.select(".govuk-tag--green")] == ["Has an action"]
    without = client_request.get("gaps.index", has_action="no")
    assert card_titles(with_action)[0] not in card_titles(without)


def test_bad_actions_are_refused_and_nothing_is_saved(client_request):
    leader = _leader(client_request)
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
        (_action_data(leader, due_date=["31", "2", "2027"]), "Due date must be a real date, like 31 3 2027"),
        (_action_data(leader, due_date=["", "2", "2027"]), "Due date must include a day, month and year"),
        (_action_data(leader, success_measure=" "), "Enter how you will know it has worked"),
        (_action_data(leader, area_id="lscb"), "Choose the judgement area from the options shown"),
    ]
    for data, message in cases:
        page = client_request.post("actions.new", _data=data, _expected_status=200)
        assert error_summary(page) == [message], message
    assert db.session.scalar(select(func.count(Action.id))) == 0


def test_marking_done_asks_for_evidence(client_request):
    leader = _leader(client_request)
    client_request.post("actions.new", _data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    # As the edit page sends it: no judgement area (an action keeps the area it was made for).
    data = {**_action_data(leader), "status": "done", "completion_evidence": "", "version": str(action.version)}
    del data["area_id"]
    page = client_request.post("actions.edit", action_id=action.id, _data=data, _expected_status=200)
    assert error_summary(page) == ["Say what evidence shows the action is done"]
    assert action.status is ActionStatus.NOT_STARTED
    data["completion_evidence"] = "March audit: 9 of 10 strategy discussions good"
    client_request.post(
        "actions.edit", action_id=action.id, _data=data, _expected_redirect=url("actions.show", action_id=action.id)
    )
    assert action.status is ActionStatus.DONE and action.completed_on == TODAY
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.updated")).one()
    assert event.before["status"] == "not_started" and event.after["status"] == "done"


def test_progress_notes(client_request):
    leader = _leader(client_request)
    client_request.post("actions.new", _data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    page = client_request.post("actions.add_note", action_id=action.id, _data={"text": "  "}, _expected_status=200)
    assert error_summary(page) == ["Enter the progress note"]
    client_request.post("actions.add_note", action_id=action.id, _data={"text": "Audit booked for March"})
    page = client_request.get("actions.show", action_id=action.id)
    assert [text(note.select("p")[-1]) for note in page.select(".govuk-inset-text")] == ["Audit booked for March"]


def test_the_plan_puts_overdue_first_and_exports_safely(client_request):
    leader = _leader(client_request)
    client_request.post("actions.new", _data=_action_data(leader, what="Later action"))
    client_request.post("actions.new", _data=_action_data(leader, what="=cmd|' /C calc'!A0"))
    late = db.session.scalars(select(Action).where(Action.what.startswith("="))).one()
    late.due_date = TODAY - dt.timedelta(days=3)  # went overdue since it was made
    db.session.commit()
    rows = table_rows(client_request.get("actions.index"))
    assert [row[0] for row in rows] == ["=cmd|' /C calc'!A0", "Later action"]
    assert rows[0][2].endswith("Overdue") and not rows[1][2].endswith("Overdue")
    csv_text = client_request.get_response("actions.export", file_format="csv").get_data(as_text=True)
    assert "'=cmd" in csv_text
    xlsx = client_request.get_response("actions.export", file_format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet["A2"].value.startswith("'=cmd") and sheet["F2"].value == "Yes"


def test_the_plan_sorts_by_a_column_through_links_in_its_header(client_request):
    leader = _leader(client_request, name="Zara Leader")
    other = make_user(leader.council, Role.HEAD_OF_SERVICE, name="Amir Head")
    db.session.commit()
    client_request.post("actions.new", _data=_action_data(leader, what="beta: later", **_date("due_date", NEXT_MONTH)))
    client_request.post(
        "actions.new",
        _data=_action_data(other, what="Alpha: sooner", **_date("due_date", TODAY + dt.timedelta(days=5))),
    )
    client_request.post(
        "actions.new",
        _data=_action_data(leader, what="Gamma: latest", **_date("due_date", NEXT_MONTH + dt.timedelta(days=9))),
    )
    actions = lambda **args: [row[0] for row in table_rows(client_request.get("actions.index", **args))]  # noqa: E731
    assert actions() == ["Alpha: sooner", "beta: later", "Gamma: latest"]  # the plan's order: soonest first
    assert actions(sort="due", dir="desc") == ["Gamma: latest", "beta: later", "Alpha: sooner"]
    assert actions(sort="action", dir="asc") == ["Alpha: sooner", "beta: later", "Gamma: latest"]
    assert actions(sort="action", dir="desc") == ["Gamma: latest", "beta: later", "Alpha: sooner"]
    assert actions(sort="owner", dir="asc")[0] == "Alpha: sooner"  # Amir before Zara
    assert actions(sort="nonsense", dir="x") == actions()
    page = client_request.get("actions.index", sort="owner", dir="asc", status="not_started")
    owner = page.select_one("thead th a[href*='sort=owner']")
    assert owner.find_parent("th")["aria-sort"] == "ascending"
    query = parse_qs(urlsplit(owner["href"]).query)
    assert query["dir"] == ["desc"] and query["status"] == ["not_started"]  # the filters kept
    assert page.select_one('form input[name="sort"]')["value"] == "owner"


def test_gap_list_exports_carry_the_themes(client_request):
    _leader(client_request)
    response = client_request.get_response("gaps.export", file_format="csv", kind="no_evidence")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    header = rows[0]
    assert header[:2] == ["Theme rank", "Theme"] and "Has an action" in header and "Gap id" not in header
    first = load_framework("ilacs-2026").areas[0]
    assert rows[1][:2] == ["1", f"{first.title}: {first.criteria[0].prompt}"]
    assert rows[1][header.index("Criterion")] == first.criteria[0].prompt  # its words, never its id
    assert {row[header.index("Kind of gap")] for row in rows[1:]} == {"No evidence"}  # words, not codes
    assert all(row[header.index("Severity")] in {"High", "Medium", "Low"} for row in rows[1:])
    sheet = load_workbook(io.BytesIO(client_request.get_response("gaps.export", file_format="xlsx").get_data())).active
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_a_gap_that_has_closed_is_explained(client_request):
    _leader(client_request)
    page = client_request.get("actions.new", gap="not-a-current-gap")
    assert text(page.select_one(".govuk-inset-text")).startswith("That gap has closed")


def test_a_senior_leaders_home_shows_standing_top_gaps_and_overdue_actions(client_request):
    leader = _leader(client_request)
    client_request.post("actions.new", _data=_action_data(leader, what="Refresh the threshold guidance"))
    action = db.session.scalars(select(Action)).one()
    action.due_date = TODAY - dt.timedelta(days=1)
    db.session.commit()
    page = client_request.get("home.index")
    subheadings = [text(h2) for h2 in page.select("h2")]
    assert "Where the evidence says we stand today" in subheadings and "What to fix first" in subheadings
    grades = [row[1] for row in table_rows(page, "Indicative grade by judgement")]
    assert "Not enough graded evidence" in grades  # nothing graded yet
    assert text(page.select_one(f'main a[href="{url("gaps.index")}"]')).startswith("See all")
    assert "Refresh the threshold guidance" in section_text(page, "Overdue actions")


def test_other_roles_see_what_they_can_do_instead(client_request):
    _leader(client_request, Role.ADMINISTRATOR)
    page = client_request.get("home.index")
    assert "What you can do" in [text(h2) for h2 in page.select("h2")]
    assert "Where the evidence says" not in page_text(page)


def test_an_action_from_another_frameworks_mock_inspection_can_still_be_edited(client_request):
    leader = _leader(client_request)
    client_request.post("actions.new", _data=_action_data(leader))
    action = db.session.scalars(select(Action)).one()
    action.area_id = "leadership"  # a SIF judgement; the council prepares against ILACS 2026
    db.session.commit()
    data = {**_action_data(leader), "status": "in_progress", "completion_evidence": "", "version": str(action.version)}
    del data["area_id"]
    client_request.post("actions.edit", action_id=action.id, _data=data)
    assert action.status is ActionStatus.IN_PROGRESS and action.area_id == "leadership"


def test_odd_ids_in_the_address_are_not_server_errors(client_request):
    _leader(client_request)
    client_request.get("actions.index", owner="²")
    client_request.get("actions.new", review="²", _expected_status=404)
