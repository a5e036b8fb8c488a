"""The call: recording the notification, which opens the workspace with its checklist,
correcting its details, and the changes to the checklist the council makes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from councils.audit_log import record, snapshot
from councils.db import db
from councils.errors import InputError, keep, raise_all
from councils.models import User
from councils.versions import saving, touch
from evidence.inspection_workspace import checks
from evidence.inspection_workspace.checklist import ilacs_checklist
from evidence.inspection_workspace.checks import WorkspaceError
from evidence.inspection_workspace.countdown import call_problems
from evidence.inspection_workspace.models import ChecklistItem, InspectionNotice, ItemStatus, VisitKind
from evidence.inspection_workspace.report import GRADED_KINDS
from evidence.library import items
from evidence.library.attachments import add_attachment
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceStatus, Leaning
from judgement_framework import Framework

NOTICE_FIELDS = ["called_on", "kind", "lead_inspector", "first_day"]
ITEM_FIELDS = ["title", "detail", "owner_id", "status", "due_date", "evidence_item_id", "answer"]


@dataclass
class CallFields:
    called_on: dt.date | None
    kind: str
    lead_inspector: str
    first_day: dt.date | None


def check_call(fields: CallFields, today: dt.date, *, recorded_on: dt.date | None = None) -> None:
    """Everything wrong with the call, all at once, writing nothing (`recorded_on`: the call
    date already saved, when its details are being corrected)."""
    problems: list[InputError] = []
    if fields.called_on is None:
        problems.append(WorkspaceError("Enter the date of the call", "called_on"))
    if fields.kind not in {k.value for k in VisitKind}:
        problems.append(WorkspaceError("Choose the kind of inspection or visit", "kind"))
    checks.text(
        problems, InspectionNotice, "lead_inspector", fields.lead_inspector, "The lead inspector's name",
        "Enter the lead inspector's name",
    )  # fmt: skip
    if fields.first_day is None:
        problems.append(WorkspaceError("Enter the first day on site", "first_day"))
    dates = call_problems(fields.called_on, fields.first_day, today, recorded_on=recorded_on)
    problems += [WorkspaceError(message, field) for field, message in dates]
    raise_all(problems)


def record_call(fields: CallFields, today: dt.date, by: User) -> InspectionNotice:
    """Record the notification and open its workspace, the checklist seeded from Ofsted's list."""
    check_call(fields, today)
    notice = InspectionNotice(
        called_on=fields.called_on,
        kind=VisitKind(fields.kind),
        lead_inspector=fields.lead_inspector.strip(),
        first_day=fields.first_day,
        recorded_by_id=by.id,
    )
    due = {"call": fields.called_on, "first_day": fields.first_day}
    notice.checklist = [
        ChecklistItem(position=number, source_id=seed.id, title=seed.title, detail=seed.detail, due_date=due[seed.due])
        for number, seed in enumerate(ilacs_checklist().items)
    ]
    db.session.add(notice)
    db.session.flush()
    record(
        "inspection.call_recorded",
        "inspection_notice",
        notice.id,
        after=snapshot(notice, NOTICE_FIELDS) | {"checklist_items": len(notice.checklist)},
    )
    return notice


def call_data(notice: InspectionNotice) -> dict:
    """The saved call as its form holds it."""
    return {
        "called_on": notice.called_on,
        "kind": notice.kind.value,
        "lead_inspector": notice.lead_inspector,
        "first_day": notice.first_day,
        "version": str(notice.version),
    }


def check_change(notice: InspectionNotice, fields: CallFields, today: dt.date) -> None:
    """Everything wrong with the call's new details, all at once, writing nothing: the checks
    of a new call, and what the workspace already holds that they would contradict."""
    problems: list[InputError] = []
    keep(problems, check_call, fields, today, recorded_on=notice.called_on)
    problems += _contradictions(notice, fields)
    raise_all(problems)


def _contradictions(notice: InspectionNotice, fields: CallFields) -> list[InputError]:
    """A request or referred case dated before the new call date could never be saved again
    (each must be on or after the call); a report cannot be published before day one; and
    the grades kept, or not, belong to the kind the report was recorded for."""
    problems: list[InputError] = []
    first_asked = min([r.asked_on for r in notice.requests] + [c.raised_on for c in notice.referrals], default=None)
    if fields.called_on and first_asked and fields.called_on > first_asked:
        problems.append(
            WorkspaceError(
                f"The date of the call must be on or before {first_asked:%-d %B %Y}, when inspectors first asked "
                "for something or referred a case back",
                "called_on",
            )
        )
    if notice.published_on is None:
        return problems
    if fields.first_day and fields.first_day > notice.published_on:
        problems.append(
            WorkspaceError(
                f"The first day on site must be on or before {notice.published_on:%-d %B %Y}, the date the "
                "published report is recorded as published",
                "first_day",
            )
        )
    graded = notice.kind in GRADED_KINDS
    if fields.kind in {k.value for k in VisitKind} and (VisitKind(fields.kind) in GRADED_KINDS) != graded:
        same = " or ".join(k.label for k in VisitKind if (k in GRADED_KINDS) == graded)
        problems.append(
            WorkspaceError(
                f"The published report is recorded {'with' if graded else 'without'} grades, so choose a "
                f"kind that {'gives' if graded else 'gives no'} grades: {same}",
                "kind",
            )
        )
    return problems


def update_call(notice: InspectionNotice, fields: CallFields, today: dt.date, version: int, by: User) -> int:
    """Correct the call's details, if the person's form was based on the version now saved.

    A seeded checklist item still due on the date it was seeded with (the old call date or
    first day) and not done moves to the new date; one a person re-dated or finished stays as
    it is. Returns how many moved."""
    check_change(notice, fields, today)
    before = snapshot(notice, NOTICE_FIELDS)
    old = {"call": notice.called_on, "first_day": notice.first_day}
    with saving(notice, "call", version):
        notice.called_on, notice.kind = fields.called_on, VisitKind(fields.kind)
        notice.lead_inspector, notice.first_day = fields.lead_inspector.strip(), fields.first_day
        moved = _move_seeded_due_dates(notice, old, {"call": fields.called_on, "first_day": fields.first_day}, by)
    record(
        "inspection.call_changed",
        "inspection_notice",
        notice.id,
        before=before,
        after=snapshot(notice, NOTICE_FIELDS) | {"checklist_items_moved": moved},
        actor=by,
    )
    return moved


def _move_seeded_due_dates(notice: InspectionNotice, old: dict, new: dict, by: User) -> int:
    """Move the items still due on the date seeded from the call (see record_call), each
    change logged on the item; the flush of `saving` checks each item's version too."""
    seeded = {seed.id: seed.due for seed in ilacs_checklist().items}
    moved = 0
    for item in notice.checklist:
        due = seeded.get(item.source_id or "")
        if due is None or old[due] == new[due] or item.status is ItemStatus.DONE or item.due_date != old[due]:
            continue
        item_before = snapshot(item, ITEM_FIELDS)
        item.due_date = new[due]
        moved += 1
        record(
            "inspection.checklist_item_changed",
            "checklist_item",
            item.id,
            before=item_before,
            after=snapshot(item, ITEM_FIELDS),
            detail="Due date moved with the call's " + ("date" if due == "call" else "first day on site"),
            actor=by,
        )
    return moved


def notices() -> list[InspectionNotice]:
    """Every call the council has recorded, the latest first (a handful a year)."""
    return list(
        db.session.scalars(
            select(InspectionNotice).order_by(InspectionNotice.called_on.desc(), InspectionNotice.id.desc())
        )
    )


def latest_notice() -> InspectionNotice | None:
    return next(iter(notices()), None)


@dataclass
class ItemFields:
    title: str
    detail: str
    owner_id: int | None
    status: str
    due_date: dt.date | None
    evidence_item_id: int | None
    answer: str


def check_item(fields: ItemFields) -> None:
    problems: list[InputError] = []
    checks.text(problems, ChecklistItem, "title", fields.title, "What Ofsted asks for", "Enter what Ofsted asks for")
    checks.text(problems, ChecklistItem, "detail", fields.detail, "Details")
    checks.text(problems, ChecklistItem, "answer", fields.answer, "What answers it")
    checks.owner(problems, fields.owner_id, "Choose the owner from the council's people", required=False)
    if fields.status not in {s.value for s in ItemStatus}:
        problems.append(WorkspaceError("Choose the status", "status"))
    if fields.due_date is None:
        problems.append(WorkspaceError("Enter the due date", "due_date"))
    checks.evidence_item(problems, fields.evidence_item_id)
    if fields.status == ItemStatus.DONE.value and fields.evidence_item_id is None and not fields.answer.strip():
        problems.append(WorkspaceError("Say what answers it, or choose the evidence item, to mark it done", "answer"))
    raise_all(problems)


def _apply(item: ChecklistItem, fields: ItemFields, today: dt.date) -> None:
    status = ItemStatus(fields.status)
    item.done_on = checks.reached_on(item.status, status, ItemStatus.DONE, item.done_on, today)
    item.title, item.detail, item.answer = fields.title.strip(), fields.detail.strip(), fields.answer.strip()
    item.owner_id, item.status, item.due_date = fields.owner_id, status, fields.due_date
    item.evidence_item_id = fields.evidence_item_id


def add_item(notice: InspectionNotice, fields: ItemFields, today: dt.date) -> ChecklistItem:
    check_item(fields)
    last = db.session.scalar(select(func.max(ChecklistItem.position)).where(ChecklistItem.notice_id == notice.id))
    item = ChecklistItem(notice_id=notice.id, position=(last or 0) + 1, status=ItemStatus.TO_DO)
    _apply(item, fields, today)
    return checks.added(item, "inspection.checklist_item_added", "checklist_item", ITEM_FIELDS)


def update_item(item: ChecklistItem, fields: ItemFields, today: dt.date, version: int) -> None:
    """Change the item, if the person's form was based on the version now saved."""
    check_item(fields)
    before = snapshot(item, ITEM_FIELDS)
    with saving(item, "checklist item", version):
        _apply(item, fields, today)
    record(
        "inspection.checklist_item_changed", "checklist_item", item.id, before=before, after=snapshot(item, ITEM_FIELDS)
    )


def remove_item(item: ChecklistItem) -> None:
    before = snapshot(item, ITEM_FIELDS)
    db.session.delete(item)
    db.session.flush()
    record("inspection.checklist_item_removed", "checklist_item", item.id, before=before)


def item_data(item: ChecklistItem) -> dict:
    """The saved item as its form holds it."""
    return {
        "title": item.title,
        "detail": item.detail,
        "owner_id": item.owner_id,
        "status": item.status.value,
        "due_date": item.due_date,
        "evidence_item_id": item.evidence_item_id,
        "answer": item.answer,
        "version": str(item.version),
    }


# The evidence items a checklist item or request may be answered by: documents and other
# evidence, newest first, at most this many (a council holds thousands of audits).
EVIDENCE_CHOICES = 200


def answering_evidence(keep: int | None = None) -> list[EvidenceItem]:
    """Documents and other evidence that can answer what Ofsted asks, newest first, with the
    one already chosen (`keep`) even if it is older."""
    query = (
        select(EvidenceItem)
        .where(EvidenceItem.kind.in_([EvidenceKind.DOCUMENT, EvidenceKind.OTHER]))
        .where(EvidenceItem.status != EvidenceStatus.ARCHIVED)
        .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())
        .limit(EVIDENCE_CHOICES)
    )
    found = list(db.session.scalars(query))
    if keep is not None and all(item.id != keep for item in found):
        kept = db.session.scalars(select(EvidenceItem).where(EvidenceItem.id == keep)).first()
        found += [kept] if kept else []
    return found


def answer_with_file(
    item: ChecklistItem,
    framework: Framework,
    filename: str,
    content: bytes,
    *,
    folder: Path,
    max_bytes: int,
    by: User,
    today: dt.date,
) -> EvidenceItem:
    """Answer the item with an uploaded file: it goes into the evidence library as a draft
    document (drafts do not feed the standing until someone accepts and links them), with the
    file attached, and the item names it. Any refusal of the file keeps nothing."""
    evidence = items.create_item(
        items.EvidenceFields(
            title=item.title,
            kind=EvidenceKind.DOCUMENT,
            leaning=Leaning.STRENGTH,
            evidence_date=today,
            summary=f"Uploaded in the inspection workspace to answer: {item.title}",
            owner_id=by.id,
            source_reference="Inspection workspace",
        ),
        framework,
        today,
    )
    add_attachment(evidence, filename, content, folder, by.email, max_bytes)
    before = snapshot(item, ITEM_FIELDS)
    item.evidence_item_id = evidence.id
    touch(item)  # a form of the item opened before the upload is now stale
    db.session.flush()
    record(
        "inspection.checklist_item_changed", "checklist_item", item.id, before=before, after=snapshot(item, ITEM_FIELDS)
    )
    return evidence
