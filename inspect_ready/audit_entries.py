"""The audit log as a person reads it: what was done in words, who did it, which record by
name and link, and what changed as a list of fields, before and after.

The log itself (councils/audit_log.py) stores short action codes and JSON snapshots, which is
right for keeping and querying; this module is the one place that turns them into words, for
the page and for the CSV download alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user

from councils import clock
from councils.audit_log import AuditEvent
from evidence.audit_records import NamedRecord, name_records
from inspect_ready.permissions import may_use
from judgement_framework import list_frameworks, load_framework

# Kinds of change a person filters by, each the action codes' prefixes it covers.
KINDS_OF_CHANGE: dict[str, tuple[str, tuple[str, ...]]] = {
    "accounts": ("Accounts, sign-in and settings", ("user.", "sign_in.", "council.", "password_reset.")),
    "evidence": ("Evidence", ("evidence.",)),
    "case_audits": ("Case audits and escalations", ("case_audit.", "escalation.")),
    "performance": ("Performance data", ("indicator.", "indicator_value.", "annex_a_import.", "annex_a_check.", "annex_a_mapping.")),
    "reviews": ("Reviews and findings", ("review.", "finding.", "jtai.", "recommendation.")),
    "grades": ("Mock inspection grades and outcomes", ("grade.", "presumption.", "mock_inspection.", "tracked_case.")),
    "actions": ("Action plan", ("action.",)),
    "inspection": ("Inspection workspace", ("inspection.",)),
    "self_evaluations": ("Self-evaluations", ("self_evaluation.",)),
    "downloads": ("Downloads and refused requests", ("file.", "access.")),
}

ACTION_WORDS = {
    "access.refused": "Request refused",
    "file.download": "File downloaded",
    "file.export": "Data downloaded",
    "action.created": "Action added",
    "action.note_added": "Progress note added to an action",
    "action.updated": "Action changed",
    "annex_a_check.failed": "Annex A readiness check failed",
    "annex_a_check.queued": "Annex A workbook uploaded for a readiness check",
    "annex_a_import.awaiting_confirmation": "Annex A figures waiting for confirmation",
    "annex_a_import.declined": "Annex A figures not saved: the month's kept",
    "annex_a_import.failed": "Annex A import failed",
    "annex_a_mapping.removed": "Annex A heading mapping removed",
    "annex_a_mapping.saved": "Annex A heading mapped to a column",
    "annex_a_import.queued": "Annex A workbook uploaded",
    "annex_a_import.succeeded": "Annex A import finished",
    "case_audit.imported": "Case audits imported from a file",
    "case_audit.moderated": "Case audit moderated",
    "case_audit.recorded": "Case audit recorded",
    "council.created": "Council set up",
    "council.settings_changed": "Council settings changed",
    "escalation.raised": "Escalation raised",
    "escalation.resolved": "Escalation resolved",
    "evidence.archived": "Evidence archived",
    "evidence.attachment_added": "File attached to evidence",
    "evidence.created": "Evidence added",
    "evidence.demo_loaded": "Demo evidence loaded in bulk",
    "evidence.linked": "Evidence linked to a judgement",
    "evidence.unlinked": "Evidence unlinked from a judgement",
    "evidence.updated": "Evidence changed",
    "finding.saved": "Finding saved",
    "grade.moderated": "Grade moderated",
    "grade.proposed": "Grade proposed",
    "inspection.call_recorded": "Inspection call recorded",
    "inspection.call_changed": "Inspection call's details changed",
    "inspection.case_referred": "Case referred back by inspectors",
    "inspection.checklist_item_added": "Checklist item added",
    "inspection.checklist_item_changed": "Checklist item changed",
    "inspection.checklist_item_removed": "Checklist item removed",
    "inspection.referred_case_changed": "Referred case changed",
    "inspection.referred_case_resolved": "Referred case resolved",
    "inspection.report_recorded": "Published inspection report recorded",
    "inspection.request_changed": "Inspector's request changed",
    "inspection.request_logged": "Inspector's request logged",
    "indicator.defaults_added": "Standard indicators added",
    "indicator.targets_changed": "Indicator target changed",
    "indicator_value.changed": "Indicator value changed",
    "indicator_value.demo_loaded": "Demo indicator values loaded",
    "indicator_value.recorded": "Indicator value recorded",
    "mock_inspection.outcome_recorded": "Mock inspection outcome recorded",
    "presumption.restored": "Presumption restored",
    "presumption.set_aside": "Presumption set aside",
    "jtai.case_added": "Case added to a JTAI rehearsal's joint audit",
    "jtai.case_view_saved": "An agency's view of a case audited jointly saved",
    "recommendation.added": "The last inspection's recommendation recorded",
    "recommendation.progress_recorded": "Progress on a recommendation recorded by a monitoring visit",
    "recommendation.updated": "The last inspection's recommendation changed",
    "review.access_refused": "Review access refused",
    "self_evaluation.section_agreed": "Self-evaluation section agreed",
    "self_evaluation.section_saved": "Self-evaluation section changed",
    "self_evaluation.signed_off": "Self-evaluation signed off",
    "self_evaluation.started": "Self-evaluation started and drafted from the evidence",
    "review.created": "Review created",
    "review.invitation_accepted": "Invitation accepted",
    "review.invitation_refused": "Invitation refused",
    "review.invitation_resent": "Invitation resent with a new link",
    "review.invitation_revoked": "Invitation revoked",
    "review.invited": "Person invited to a review",
    "review.kloe_added": "Line of enquiry added",
    "review.kloe_deleted": "Line of enquiry deleted, with its finding",
    "review.kloe_updated": "Line of enquiry changed",
    "review.member_added": "Person added to a review team",
    "review.member_removed": "Person removed from a review team",
    "review.updated": "Review changed",
    "sign_in.failed": "Sign-in failed",
    "sign_in.succeeded": "Signed in",
    "sign_in.signed_out": "Signed out",
    "sign_in.throttled": "Sign-in slowed after failures",
    "tracked_case.added": "Case added to the sample",
    "tracked_case.removed": "Case removed from the sample",
    "tracked_case.changed": "Case in the sample corrected",
    "tracked_case.imported": "Cases imported into the sample",
    "tracked_case.from_audits": "Audited cases added to the sample",
    "user.created": "Person added",
    "user.password_changed": "Password changed",
    "user.password_reset": "Password set from a reset link",
    "user.password_reset_link_made": "Password reset link made",
    "user.role_changed": "Role changed",
}

# Field names that do not read well once their underscores become spaces.
FIELD_WORDS = {
    "area_id": "Judgement",
    "criterion_id": "Criterion",
    "owner_id": "Owner",
    "user_id": "Person",
    "framework_id": "Framework",
    "gap_id": "Gap",
    "rule_id": "Rule",
    "what": "What will be done",
    "evidence_freshness_days": "Evidence stays fresh for (days)",
}

# Columns a reader has no use for in a list of changes: the record's own bookkeeping.
UNSHOWN_FIELDS = {"id", "council_id", "created_at", "updated_at", "version", "version_id"}

CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def action_words(action: str) -> str:
    """Words for an action code; one added without words here still reads as words."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    subject, _, verb = action.partition(".")
    return f"{subject.replace('_', ' ').capitalize()} {verb.replace('_', ' ')}".strip()


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name) or name.replace("_", " ").capitalize()


def framework_words(framework) -> dict[str, str]:
    """The frameworks' ids as people read them: a framework by its title, a judgement by its
    title, a criterion by its prompt, an evidence link ("area:criterion") by both, a line of
    enquiry by its question, a grade by its label. Every shipped framework is read (a review
    may use another than the council's); the council's own `framework` has the last word."""
    words: dict[str, str] = {}
    for one in [*(load_framework(s.id) for s in list_frameworks() if s.id != framework.id), framework]:
        words[one.id] = one.title
        words.update({g.id: g.label for g in one.grades})
        for area in one.areas:
            words[area.id] = area.title
            words.update({k.id: k.question for k in area.kloes})
            for criterion in area.criteria:
                words[criterion.id] = criterion.prompt
                words[f"{area.id}:{criterion.id}"] = f"{area.title}: {criterion.prompt}"
    return words


def value_words(value, words: dict[str, str] | None = None) -> str:
    """A stored value as a reader would write it: the framework's ids as names (`words`),
    codes as words, dates in the GOV.UK style."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value_words(v, words) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_words(k)}: {value_words(v, words)}" for k, v in value.items())
    text = str(value)
    if words and text in words:
        return words[text]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day and len(text) == 10:
        return f"{day.day} {day:%B %Y}"
    if CODE.match(text):
        return text.replace("_", " ")
    return text


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def when_words(moment: dt.datetime) -> str:
    """ "1 December 2026 at 9:59pm", in England's time (GOV.UK style)."""
    local = clock.time_in_england(moment)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Entry:
    when: str
    who: str
    what: str
    record: str
    record_url: str | None
    changes: tuple[Change, ...]
    detail: str


def changes_of(before: dict | None, after: dict | None, words: dict[str, str] | None = None) -> tuple[Change, ...]:
    """The fields that differ, in the order the record keeps them; a new record lists what it
    was made with, a removed one what it held."""
    before, after = before or {}, after or {}
    names = list(dict.fromkeys([*before, *after]))
    return tuple(
        Change(
            field_words(name),
            value_words(before.get(name), words) if before else "",
            value_words(after.get(name), words),
        )
        for name in names
        if name not in UNSHOWN_FIELDS and before.get(name) != after.get(name)
    )


PAGES = {
    "inspection": "inspection_workspace.show",
    "evidence_item": "library.detail",
    "action": "actions.show",
    "case_audit": "audits.detail",
    "review": "reviews.show",
    "mock_inspection": "mock_inspections.show",
    "kloe": "findings.show",
    "user": "admin.edit_user",
    "indicator": "performance.indicator",
    "annex_a_import": "performance.annex_a_import",
    "self_evaluation": "self_evaluation.show",
    "self_evaluation_section": "self_evaluation.section",
}

RECORD_KINDS = {
    "evidence_item": "Evidence",
    "action": "Action",
    "case_audit": "Case audit",
    "escalation": "Escalation",
    "review": "Review",
    "review_kloe": "Line of enquiry",
    "finding": "Finding",
    "user": "Person",
    "indicator": "Indicator",
    "indicator_value": "Indicator value",
    "annex_a_import": "Annex A import",
    "council": "Council",
    "invitation": "Invitation",
    "inspection_notice": "Inspection",
    "checklist_item": "Checklist item",
    "inspector_request": "Inspector's request",
    "referred_case": "Referred case",
    "self_evaluation": "Self-evaluation",
    "self_evaluation_section": "Self-evaluation section",
}


def _record_words(event: AuditEvent, named: NamedRecord | None) -> str:
    if "." in event.record_type:  # a refusal or a download names the page it was on
        return "Page: " + event.record_type.replace(".", " ").replace("_", " ").capitalize()
    kind = RECORD_KINDS.get(event.record_type) or event.record_type.replace("_", " ").capitalize()
    if named:
        return f"{kind}: {named.name}"
    kept = next(
        (
            snap[key]
            for snap in (event.after, event.before)
            if snap
            for key in ("title", "what", "name")
            if snap.get(key)
        ),
        None,
    )
    return f"{kind}: {kept}" if kept else (f"{kind} (no longer held)" if event.record_id else kind)


def _may_open(endpoint: str) -> bool:
    """Whether the signed-in person's role opens the page; review pages are for the review's
    team, which the log's readers (administrators) are not, so they are not linked."""
    view = current_app.view_functions[endpoint]
    return may_use(current_user, view) and not hasattr(view, "review_guard")


def entries(events: list[AuditEvent], *, names: dict[int, str] | None = None, framework=None) -> list[Entry]:
    """Entries for a page (or a download) of events; `names` gives people's names by id, so
    the log says "Gareth Hughes" where it kept an email; `framework` names its judgements,
    criteria and grades where the log kept their ids."""
    named = name_records((event.record_type, event.record_id) for event in events)
    names = names or {}
    words = framework_words(framework) if framework is not None else None
    rows = []
    for event in events:
        record = named.get((event.record_type, event.record_id or ""))
        endpoint = PAGES.get(record.page) if record and record.page else None
        if endpoint and not _may_open(endpoint):
            endpoint = None  # named, but not linked to a page the reader would be refused
        rows.append(
            Entry(
                when=when_words(event.occurred_at),
                who=names.get(event.actor_id) or event.actor_name,
                what=action_words(event.action),
                record=_record_words(event, record),
                record_url=url_for(endpoint, **record.ids) if endpoint else None,
                changes=changes_of(event.before, event.after, words),
                detail=event.detail or "",
            )
        )
    return rows
