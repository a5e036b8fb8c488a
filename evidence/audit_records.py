"""What each audit log entry is about, by name: the audit log stores a record's kind and id,
and a person reading it wants "Action: Re-audit neglect cases", not "action 508".

Names are looked up now, one query per kind for a page of entries; a record deleted since
(an archived attachment, a removed person) falls back to the name its entry kept, if any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from councils.db import db
from councils.models import Council, User
from evidence.action_plan.models import Action
from evidence.case_audits.models import CaseAudit, Escalation
from evidence.inspection_workspace.models import ChecklistItem, InspectionNotice, InspectorRequest, ReferredCase
from evidence.library.models import EvidenceItem
from evidence.performance.models import AnnexAImport, Indicator, IndicatorValue
from evidence.reviews.models import Finding, Review, ReviewKind, ReviewKloe
from evidence.self_evaluation.drafting import QUESTIONS
from evidence.self_evaluation.models import SelfEvaluation, SelfEvaluationSection


@dataclass(frozen=True)
class NamedRecord:
    """A record as a reader knows it: its page (by `page`, a key the app maps to a URL, and
    the ids that page needs) and its name."""

    name: str
    page: str | None = None
    ids: dict[str, int] = field(default_factory=dict)


def _review(review: Review) -> NamedRecord:
    if review.kind is ReviewKind.MOCK_INSPECTION:
        return NamedRecord(review.title, "mock_inspection", {"inspection_id": review.id})
    return NamedRecord(review.title, "review", {"review_id": review.id})


def _kloe(kloe: ReviewKloe) -> NamedRecord:
    return NamedRecord(kloe.question, "kloe", {"review_id": kloe.review_id, "kloe_id": kloe.id})


NAMERS: dict[str, tuple[type, Callable[[object], NamedRecord]]] = {
    "evidence_item": (EvidenceItem, lambda r: NamedRecord(r.title, "evidence_item", {"item_id": r.id})),
    "action": (Action, lambda r: NamedRecord(r.what, "action", {"action_id": r.id})),
    "case_audit": (
        CaseAudit,
        lambda r: NamedRecord(f"Audit of case {r.case_reference}", "case_audit", {"audit_id": r.id}),
    ),
    "escalation": (
        Escalation,
        lambda r: NamedRecord(
            f"Escalation from the audit of case {r.audit.case_reference}",
            "case_audit",
            {"audit_id": r.case_audit_id},
        ),
    ),
    "review": (Review, _review),
    "review_kloe": (ReviewKloe, _kloe),
    "finding": (Finding, lambda r: _kloe(r.kloe)),
    "user": (User, lambda r: NamedRecord(r.name, "user", {"user_id": r.id})),
    "indicator": (Indicator, lambda r: NamedRecord(r.name, "indicator", {"indicator_id": r.id})),
    "indicator_value": (
        IndicatorValue,
        lambda r: NamedRecord(f"{r.indicator.name}, {r.period:%B %Y}", "indicator", {"indicator_id": r.indicator_id}),
    ),
    "annex_a_import": (
        AnnexAImport,
        lambda r: NamedRecord(f"Annex A {r.kind.label.lower()} of {r.filename}", "annex_a_import", {"import_id": r.id}),
    ),
    "council": (Council, lambda r: NamedRecord(r.name)),
    "inspection_notice": (
        InspectionNotice,
        lambda r: NamedRecord(f"{r.kind.label}, called {r.called_on:%-d %B %Y}", "inspection", {"notice_id": r.id}),
    ),
    # The workspace's records are shown on its page: each entry links there.
    "checklist_item": (ChecklistItem, lambda r: NamedRecord(r.title, "inspection", {"notice_id": r.notice_id})),
    "inspector_request": (
        InspectorRequest,
        lambda r: NamedRecord(f"{r.what[:80]} ({r.asked_by})", "inspection", {"notice_id": r.notice_id}),
    ),
    "referred_case": (
        ReferredCase,
        lambda r: NamedRecord(f"Referred case {r.case_reference}", "inspection", {"notice_id": r.notice_id}),
    ),
    "self_evaluation": (
        SelfEvaluation,
        lambda r: NamedRecord(f"Self-evaluation {r.year}", "self_evaluation", {"self_evaluation_id": r.id}),
    ),
    "self_evaluation_section": (
        SelfEvaluationSection,
        lambda r: NamedRecord(
            f"Self-evaluation {r.self_evaluation.year}, {r.area_title}: {QUESTIONS[r.question]}",
            "self_evaluation_section",
            {"self_evaluation_id": r.self_evaluation_id, "section_id": r.id},
        ),
    ),
}


def name_records(keys: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str], NamedRecord]:
    """The records behind (kind, id) pairs that still exist and the reader may see (the
    tenancy filter applies), by pair."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, record_id in keys:
        if kind in NAMERS and record_id and record_id.isdigit() and len(record_id) < 10:
            wanted[kind].add(int(record_id))
    found = {}
    for kind, ids in wanted.items():
        model, namer = NAMERS[kind]
        for row in db.session.scalars(select(model).where(model.id.in_(ids))):
            found[(kind, str(row.id))] = namer(row)
    return found
