"""The call: recording it opens the workspace; the checklist, the request log and referred-back
children are worked on it; bad input is refused with nothing saved; every change is logged."""

import datetime as dt
import io

from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.inspection_workspace import calls, requests
from evidence.inspection_workspace.checklist import ilacs_checklist
from evidence.inspection_workspace.countdown import OLDEST_CALL_WORKING_DAYS, next_working_day
from evidence.inspection_workspace.models import (
    ChecklistItem,
    InspectionNotice,
    InspectorRequest,
    ItemStatus,
    ReferralStatus,
    ReferredCase,
)
from evidence.library.models import EvidenceItem, EvidenceStatus
from evidence.mock_inspections import inspections
from evidence.reviews.models import ReviewKind
from judgement_framework import load_framework
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import error_summary, page_text, table_rows
from tests.support.review_factories import make_review

TODAY = dt.date.today()


def _date(prefix: str, day: dt.date) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _people():
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER, name="Sam Leader")
    head = make_user(council, Role.HEAD_OF_SERVICE, name="Hana Head", service_area=ServiceArea.CHILD_PROTECTION)
    other_head = make_user(council, Role.HEAD_OF_SERVICE, name="Omar Other", service_area=ServiceArea.FRONT_DOOR)
    db.session.commit()
    return council, leader, head, other_head


def _call(**changes) -> dict:
    data = {"kind": "standard", "lead_inspector": "Pat Inspector", **_date("called_on", TODAY)}
    data |= _date("first_day", next_working_day(TODAY))
    data.update(changes)
    return data


def _record_call(client_request, **changes) -> InspectionNotice:
    client_request.post("inspection_workspace.new", _data=_call(**changes))
    return db.session.scalars(select(InspectionNotice).order_by(InspectionNotice.id.desc())).first()


def _count(model) -> int:
    with acting_for(None):
        return db.session.scalar(select(func.count()).select_from(model))


def _events(action: str) -> int:
    with acting_for(None):
        return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_recording_the_call_opens_the_workspace_with_the_checklist(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    assert notice.lead_inspector == "Pat Inspector" and notice.kind.value == "standard"
    assert [item.title for item in notice.checklist] == [seed.title for seed in ilacs_checklist().items]
    assert _events("inspection.call_recorded") == 1
    page = client_request.get("inspection_workspace.show", notice_id=notice.id)
    text = page_text(page)
    assert "1 working day to day one" in text
    assert "Annex A child-level lists" in text
    assert "0 of 14 done" in text
    assert "The council has no self-evaluation yet" in text
    listed = client_request.get("inspection_workspace.index")
    assert "Pat Inspector" in page_text(listed)


def test_a_call_too_old_for_any_inspection_is_refused_and_nothing_saved(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    old = TODAY - dt.timedelta(days=OLDEST_CALL_WORKING_DAYS * 2)
    page = client_request.post(
        "inspection_workspace.new",
        _data=_call(**_date("called_on", old), **_date("first_day", old)),
        _expected_status=200,
    )
    assert any(f"more than {OLDEST_CALL_WORKING_DAYS} working days ago" in e for e in error_summary(page))
    assert _count(InspectionNotice) == 0 and _count(ChecklistItem) == 0


def test_a_first_day_before_the_call_and_missing_fields_are_refused(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    page = client_request.post(
        "inspection_workspace.new",
        _data=_call(lead_inspector="", kind="", **_date("first_day", TODAY - dt.timedelta(days=1))),
        _expected_status=200,
    )
    errors = error_summary(page)
    assert "The first day on site must be on or after the date of the call" in errors
    assert "Enter the lead inspector's name" in errors
    assert "Choose the kind of inspection or visit" in errors
    future = client_request.post(
        "inspection_workspace.new",
        _data=_call(**_date("called_on", TODAY + dt.timedelta(days=3))),
        _expected_status=200,
    )
    assert "The date of the call must be today or in the past" in error_summary(future)
    assert _count(InspectionNotice) == 0


def test_the_checklist_is_worked_added_to_and_trimmed(client_request):
    _council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    item = notice.checklist[0]
    data = {
        "title": item.title,
        "detail": item.detail,
        "owner_id": str(head.id),
        "status": "done",
        "answer": "On the sharing site, folder 1",
        "version": str(item.version),
        **_date("due_date", item.due_date),
    }
    client_request.post("inspection_workspace.edit_item", notice_id=notice.id, checklist_item_id=item.id, _data=data)
    db.session.refresh(item)
    assert item.status is ItemStatus.DONE and item.owner_id == head.id and item.done_on == TODAY
    # The same form again, based on the old version: refused, both shown, nothing lost.
    stale = client_request.post(
        "inspection_workspace.edit_item",
        notice_id=notice.id,
        checklist_item_id=item.id,
        _data=data | {"answer": "Somewhere else"},
        _expected_status=409,
    )
    assert "Someone else saved this checklist item" in page_text(stale)
    db.session.refresh(item)
    assert item.answer == "On the sharing site, folder 1"
    new = {
        "title": "Children missing education",
        "owner_id": str(head.id),
        "status": "to_do",
        **_date("due_date", TODAY),
    }
    client_request.post("inspection_workspace.new_item", notice_id=notice.id, _data=new)
    assert _count(ChecklistItem) == len(ilacs_checklist().items) + 1
    confirm = client_request.post(
        "inspection_workspace.remove_item",
        notice_id=notice.id,
        checklist_item_id=item.id,
        _data={},
        _expected_status=200,
    )
    assert "Remove" in page_text(confirm)
    assert _count(ChecklistItem) == len(ilacs_checklist().items) + 1
    client_request.post(
        "inspection_workspace.remove_item", notice_id=notice.id, checklist_item_id=item.id, _data={"confirmed": "yes"}
    )
    assert _count(ChecklistItem) == len(ilacs_checklist().items)
    for action in ("checklist_item_changed", "checklist_item_added", "checklist_item_removed"):
        assert _events(f"inspection.{action}") == 1


def test_done_needs_what_answers_it(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    item = notice.checklist[1]
    page = client_request.post(
        "inspection_workspace.edit_item",
        notice_id=notice.id,
        checklist_item_id=item.id,
        _data={"title": item.title, "status": "done", "version": str(item.version), **_date("due_date", item.due_date)},
        _expected_status=200,
    )
    assert "Say what answers it, or choose the evidence item, to mark it done" in error_summary(page)
    db.session.refresh(item)
    assert item.status is ItemStatus.TO_DO


def _request(owner, **changes) -> dict:
    data = {
        "what": "Minutes of the last three strategy meetings",
        "asked_by": "Pat Inspector",
        "owner_id": str(owner.id) if owner else "",
        "status": "asked",
        **_date("asked_on", TODAY),
        **_date("due_date", TODAY),
    }
    data.update(changes)
    return data


def test_a_request_needs_an_owner_and_is_worked_to_sent(client_request):
    _council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    refused = client_request.post(
        "inspection_workspace.new_request", notice_id=notice.id, _data=_request(None), _expected_status=200
    )
    assert "Choose who owns the request" in error_summary(refused)
    assert _count(InspectorRequest) == 0
    client_request.post("inspection_workspace.new_request", notice_id=notice.id, _data=_request(head))
    logged = db.session.scalars(select(InspectorRequest)).one()
    client_request.sign_in(head)  # a head of service works the requests they own
    client_request.post(
        "inspection_workspace.edit_request",
        notice_id=notice.id,
        request_id=logged.id,
        _data=_request(head, status="sent", sent="Sent the minutes", version=str(logged.version)),
    )
    db.session.refresh(logged)
    assert logged.sent_on == TODAY and logged.sent == "Sent the minutes"
    assert _events("inspection.request_logged") == 1 and _events("inspection.request_changed") == 1
    summary = client_request.get("inspection_workspace.daily_summary", notice_id=notice.id)
    assert table_rows(summary)


def test_heads_of_service_work_only_what_they_own(client_request):
    _council, leader, head, other_head = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    client_request.post("inspection_workspace.new_request", notice_id=notice.id, _data=_request(head))
    logged = db.session.scalars(select(InspectorRequest)).one()
    client_request.sign_in(other_head)
    client_request.get("inspection_workspace.show", notice_id=notice.id)
    client_request.get(
        "inspection_workspace.edit_request", notice_id=notice.id, request_id=logged.id, _expected_status=403
    )
    client_request.get("inspection_workspace.new_request", notice_id=notice.id, _expected_status=403)
    client_request.get("inspection_workspace.new", _expected_status=403)


def test_a_referred_case_is_tracked_to_a_recorded_resolution(client_request):
    _council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    data = {
        "case_reference": "CP-204871",
        "raised": "No visit for six weeks",
        "owner_id": str(head.id),
        "status": "open",
        **_date("raised_on", TODAY),
    }
    named = client_request.post(
        "inspection_workspace.new_referral", notice_id=notice.id, _data=data | {"case_reference": "JaneSmith1"},
        _expected_status=200,
    )  # fmt: skip
    assert any("is not a pseudonymised reference" in e for e in error_summary(named))
    client_request.post("inspection_workspace.new_referral", notice_id=notice.id, _data=data)
    case = db.session.scalars(select(ReferredCase)).one()
    unresolved = client_request.post(
        "inspection_workspace.edit_referral",
        notice_id=notice.id,
        referral_id=case.id,
        _data=data | {"status": "resolved", "version": str(case.version)},
        _expected_status=200,
    )
    assert "Record the resolution: what was done for the child" in error_summary(unresolved)
    client_request.post(
        "inspection_workspace.edit_referral",
        notice_id=notice.id,
        referral_id=case.id,
        _data=data | {"status": "resolved", "resolution": "Visited the next day", "version": str(case.version)},
    )
    db.session.refresh(case)
    assert case.status is ReferralStatus.RESOLVED and case.resolved_on == TODAY
    assert _events("inspection.case_referred") == 1 and _events("inspection.referred_case_resolved") == 1


def test_the_daily_summary_downloads_as_word_and_pdf(client_request):
    _council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    for file_format in ("docx", "pdf"):
        response = client_request.get_response(
            "inspection_workspace.summary_download", notice_id=notice.id, file_format=file_format
        )
        assert response.data[:2] in (b"PK", b"%P")


def test_the_published_grades_are_compared_with_the_mock_inspection_and_the_evidence(client_request):
    council, leader, *_ = _people()
    framework = load_framework(council.framework_id)
    review = make_review(council, leader, title="Spring mock inspection")
    review.kind = ReviewKind.MOCK_INSPECTION
    with acting_for(council.id):
        for area in framework.areas:
            grade = "inadequate" if area.id == "help_protection" else "good"
            inspections.moderate(review, framework, area.id, leader, grade, "From the sample", version=NEW)
        inspections.record_outcome(review, inspections.grading(review, council), leader)
    db.session.commit()
    client_request.sign_in(leader)
    notice = _record_call(
        client_request,
        **_date("called_on", TODAY - dt.timedelta(days=7)),
        **_date("first_day", TODAY - dt.timedelta(days=6)),
    )
    grades = {f"grade_{area.id}": "good" for area in framework.areas}
    unknown = client_request.post(
        "inspection_workspace.published_report",
        notice_id=notice.id,
        _data={
            **grades,
            "grade_help_protection": "brilliant",
            "version": str(notice.version),
            **_date("published_on", TODAY),
        },
        _expected_status=200,
    )
    assert error_summary(unknown)
    db.session.refresh(notice)
    assert notice.published_on is None
    client_request.post(
        "inspection_workspace.published_report",
        notice_id=notice.id,
        _data={**grades, "version": str(notice.version), **_date("published_on", TODAY)},
    )
    db.session.refresh(notice)
    assert notice.actual_grades["help_protection"] == "good"
    page = page_text(client_request.get("inspection_workspace.show", notice_id=notice.id))
    assert "Ofsted graded it good: better than the last mock inspection, Spring mock inspection, (inadequate)" in page
    assert _events("inspection.report_recorded") == 1


def test_the_services_refuse_a_request_without_an_owner_directly(app_context):
    council, leader, *_ = _people()
    with acting_for(council.id):
        notice = calls.record_call(calls.CallFields(TODAY, "short", "Pat", next_working_day(TODAY)), TODAY, leader)
        fields = requests.RequestFields("Minutes", "Pat", TODAY, None, TODAY, "asked", "", None)
        try:
            requests.add_request(notice, fields, TODAY)
        except requests.WorkspaceError as error:
            assert error.field == "owner_id"
        else:
            raise AssertionError("a request with no owner was saved")
    assert url("inspection_workspace.index") == "/inspection/"


def test_two_people_editing_a_request_never_lose_a_change(client_request):
    _council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    client_request.post("inspection_workspace.new_request", notice_id=notice.id, _data=_request(head))
    logged = db.session.scalars(select(InspectorRequest)).one()
    opened = str(logged.version)
    client_request.post(
        "inspection_workspace.edit_request",
        notice_id=notice.id,
        request_id=logged.id,
        _data=_request(head, status="in_progress", version=opened),
    )
    second = client_request.post(
        "inspection_workspace.edit_request",
        notice_id=notice.id,
        request_id=logged.id,
        _data=_request(head, what="Something else entirely", version=opened),
        _expected_status=409,
    )
    assert "Someone else saved this request" in page_text(second)
    db.session.refresh(logged)
    assert logged.status.value == "in_progress" and logged.what.startswith("Minutes")


def test_peer_reviewers_and_administrators_see_nothing_of_it(client_request):
    council, leader, *_ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    for role in (Role.PEER_REVIEWER, Role.ADMINISTRATOR):
        client_request.sign_in(make_user(council, role))
        db.session.commit()
        client_request.get("inspection_workspace.index", _expected_status=403)
        client_request.get("inspection_workspace.show", notice_id=notice.id, _expected_status=403)
        client_request.get("inspection_workspace.daily_summary", notice_id=notice.id, _expected_status=403)
        home = client_request.get("home.index")
        assert "Inspection workspace" not in page_text(home)


def test_a_senior_leader_finds_the_workspace_from_home(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    home = client_request.get("home.index")
    hrefs = {a.get("href") for a in home.select("a")}
    assert url("inspection_workspace.index") in hrefs
    notice = _record_call(client_request)
    home = client_request.get("home.index")
    assert "Standard inspection" in page_text(home) and "1 working day to day one" in page_text(home)
    assert url("inspection_workspace.show", notice_id=notice.id) in {a.get("href") for a in home.select("a")}


def test_the_audit_log_names_the_workspace_changes_in_words(client_request):
    council, leader, head, _ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    client_request.post("inspection_workspace.new_request", notice_id=notice.id, _data=_request(head))
    admin = make_user(council, Role.ADMINISTRATOR)
    db.session.commit()
    client_request.sign_in(admin)
    text = page_text(client_request.get("admin.audit_log"))
    assert "Inspection call recorded" in text and "Inspector's request logged" in text
    assert "Standard inspection, called" in text


def test_a_file_uploaded_answers_the_item_as_a_draft_document(client_request):
    _council, leader, *_ = _people()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    item = notice.checklist[5]
    client_request.post(
        "inspection_workspace.upload_file",
        notice_id=notice.id,
        checklist_item_id=item.id,
        _data={"file": (io.BytesIO(b"Chart of the service"), "chart.txt")},
        _content_type="multipart/form-data",
    )
    db.session.refresh(item)
    evidence = item.evidence_item
    assert evidence.status is EvidenceStatus.DRAFT and evidence.title == item.title
    assert [a.filename for a in evidence.attachments] == ["chart.txt"]
    assert _events("inspection.checklist_item_changed") == 1
    refused = client_request.post(
        "inspection_workspace.upload_file",
        notice_id=notice.id,
        checklist_item_id=notice.checklist[6].id,
        _data={"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe")},
        _content_type="multipart/form-data",
        _expected_status=400,
    )
    assert error_summary(refused)
    assert _count(EvidenceItem) == 1


def test_the_workspace_shows_the_latest_self_evaluation_to_send(client_request):
    from evidence.self_evaluation import self_evaluations

    council, leader, *_ = _people()
    with acting_for(council.id):
        started = self_evaluations.start(
            council, load_framework(council.framework_id), self_evaluations.year_of(TODAY), by=leader
        )
    db.session.commit()
    client_request.sign_in(leader)
    notice = _record_call(client_request)
    page = client_request.get("inspection_workspace.show", notice_id=notice.id)
    text = page_text(page)
    sections = len(started.sections)
    assert f"Self-evaluation {started.year}: in draft, {sections} of {sections} sections not agreed yet." in text
    links = {a["href"] for a in page.select("main a")}
    assert url("self_evaluation.show", self_evaluation_id=started.id) in links
    assert url("self_evaluation.download", self_evaluation_id=started.id, file_format="docx") in links
