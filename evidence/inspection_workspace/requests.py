"""What inspectors ask for on site, and the children whose cases they refer back: each with an
owner, tracked to what was sent or to a recorded resolution (as an audit's escalation is)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from councils.audit_log import record, snapshot
from councils.errors import InputError, keep, raise_all
from councils.versions import saving
from evidence.case_audits.audits import check_case_reference
from evidence.inspection_workspace import checks
from evidence.inspection_workspace.checks import WorkspaceError
from evidence.inspection_workspace.models import (
    InspectionNotice,
    InspectorRequest,
    ReferralStatus,
    ReferredCase,
    RequestStatus,
)

REQUEST_FIELDS = ["what", "asked_by", "asked_on", "owner_id", "due_date", "status", "sent", "evidence_item_id"]
REFERRAL_FIELDS = ["case_reference", "raised", "raised_on", "owner_id", "status", "resolution"]


@dataclass
class RequestFields:
    what: str
    asked_by: str
    asked_on: dt.date | None
    owner_id: int | None
    due_date: dt.date | None
    status: str
    sent: str
    evidence_item_id: int | None


def check_request(fields: RequestFields, notice: InspectionNotice) -> None:
    """Everything wrong with a request, all at once, writing nothing."""
    problems: list[InputError] = []
    checks.text(problems, InspectorRequest, "what", fields.what, "What was asked for", "Enter what was asked for")
    checks.text(
        problems, InspectorRequest, "asked_by", fields.asked_by, "The inspector's name",
        "Enter the name of the inspector who asked",
    )  # fmt: skip
    checks.owner(problems, fields.owner_id, "Choose who owns the request")
    if fields.asked_on is None:
        problems.append(WorkspaceError("Enter the date it was asked for", "asked_on"))
    elif fields.asked_on < notice.called_on:
        problems.append(
            WorkspaceError("The date it was asked for must be on or after the date of the call", "asked_on")
        )
    if fields.due_date is None:
        problems.append(WorkspaceError("Enter the date it is due", "due_date"))
    elif fields.asked_on is not None and fields.due_date < fields.asked_on:
        problems.append(WorkspaceError("The due date must be on or after the date it was asked for", "due_date"))
    if fields.status not in {s.value for s in RequestStatus}:
        problems.append(WorkspaceError("Choose the status", "status"))
    checks.text(problems, InspectorRequest, "sent", fields.sent, "What was sent")
    checks.evidence_item(problems, fields.evidence_item_id)
    if fields.status == RequestStatus.SENT.value and not fields.sent.strip() and fields.evidence_item_id is None:
        problems.append(WorkspaceError("Say what was sent, or choose the evidence item sent, to mark it sent", "sent"))
    raise_all(problems)


def _apply_request(request: InspectorRequest, fields: RequestFields, today: dt.date) -> None:
    status = RequestStatus(fields.status)
    request.sent_on = checks.reached_on(request.status, status, RequestStatus.SENT, request.sent_on, today)
    request.what, request.asked_by, request.sent = fields.what.strip(), fields.asked_by.strip(), fields.sent.strip()
    request.asked_on, request.owner_id, request.due_date = fields.asked_on, fields.owner_id, fields.due_date
    request.status, request.evidence_item_id = status, fields.evidence_item_id


def add_request(notice: InspectionNotice, fields: RequestFields, today: dt.date) -> InspectorRequest:
    check_request(fields, notice)
    request = InspectorRequest(notice_id=notice.id, status=RequestStatus.ASKED)
    _apply_request(request, fields, today)
    return checks.added(request, "inspection.request_logged", "inspector_request", REQUEST_FIELDS)


def update_request(request: InspectorRequest, fields: RequestFields, today: dt.date, version: int) -> None:
    check_request(fields, request.notice)
    before = snapshot(request, REQUEST_FIELDS)
    with saving(request, "request", version):
        _apply_request(request, fields, today)
    record(
        "inspection.request_changed",
        "inspector_request",
        request.id,
        before=before,
        after=snapshot(request, REQUEST_FIELDS),
    )


def request_data(request: InspectorRequest) -> dict:
    return {
        "what": request.what,
        "asked_by": request.asked_by,
        "asked_on": request.asked_on,
        "owner_id": request.owner_id,
        "due_date": request.due_date,
        "status": request.status.value,
        "sent": request.sent,
        "evidence_item_id": request.evidence_item_id,
        "version": str(request.version),
    }


@dataclass
class ReferralFields:
    case_reference: str
    raised: str
    raised_on: dt.date | None
    owner_id: int | None
    status: str
    resolution: str


def check_referral(fields: ReferralFields, notice: InspectionNotice) -> None:
    problems: list[InputError] = []
    keep(problems, check_case_reference, fields.case_reference)
    checks.text(
        problems, ReferredCase, "raised", fields.raised, "What inspectors raised", "Enter what inspectors raised"
    )
    checks.owner(problems, fields.owner_id, "Choose who owns the referred case")
    if fields.raised_on is None:
        problems.append(WorkspaceError("Enter the date inspectors referred it back", "raised_on"))
    elif fields.raised_on < notice.called_on:
        problems.append(
            WorkspaceError("The date it was referred back must be on or after the date of the call", "raised_on")
        )
    if fields.status not in {s.value for s in ReferralStatus}:
        problems.append(WorkspaceError("Choose the status", "status"))
    checks.text(problems, ReferredCase, "resolution", fields.resolution, "The resolution")
    if fields.status == ReferralStatus.RESOLVED.value and not fields.resolution.strip():
        problems.append(WorkspaceError("Record the resolution: what was done for the child", "resolution"))
    raise_all(problems)


def _apply_referral(case: ReferredCase, fields: ReferralFields, today: dt.date) -> None:
    status = ReferralStatus(fields.status)
    case.resolved_on = checks.reached_on(case.status, status, ReferralStatus.RESOLVED, case.resolved_on, today)
    case.case_reference, case.raised = fields.case_reference.strip(), fields.raised.strip()
    case.raised_on, case.owner_id, case.status = fields.raised_on, fields.owner_id, status
    case.resolution = fields.resolution.strip()


def refer_case(notice: InspectionNotice, fields: ReferralFields, today: dt.date) -> ReferredCase:
    check_referral(fields, notice)
    case = ReferredCase(notice_id=notice.id, status=ReferralStatus.OPEN)
    _apply_referral(case, fields, today)
    return checks.added(case, "inspection.case_referred", "referred_case", REFERRAL_FIELDS)


def update_referral(case: ReferredCase, fields: ReferralFields, today: dt.date, version: int) -> None:
    check_referral(fields, case.notice)
    before = snapshot(case, REFERRAL_FIELDS)
    with saving(case, "referred case", version):
        _apply_referral(case, fields, today)
    resolved_now = case.status is ReferralStatus.RESOLVED and before["status"] != ReferralStatus.RESOLVED.value
    record(
        "inspection.referred_case_resolved" if resolved_now else "inspection.referred_case_changed",
        "referred_case",
        case.id,
        before=before,
        after=snapshot(case, REFERRAL_FIELDS),
    )


def referral_data(case: ReferredCase) -> dict:
    return {
        "case_reference": case.case_reference,
        "raised": case.raised,
        "raised_on": case.raised_on,
        "owner_id": case.owner_id,
        "status": case.status.value,
        "resolution": case.resolution,
        "version": str(case.version),
    }
