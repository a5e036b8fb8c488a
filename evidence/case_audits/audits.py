"""Case file audits: recording them, moderating them, and escalating cases of concern.

Every audit becomes an evidence item for the areas it informs, so the evidence map and the
scorer see audits without anyone entering them twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError, keep, raise_all
from councils.models import Role, User
from councils.storable import check_text
from councils.tenancy import find
from evidence.case_audits.audit_templates import FOUR_POINT, YES_NO_ANSWERS, AuditTemplate
from evidence.case_audits.models import (
    CASE_TYPE_SERVICE,
    AuditAnswer,
    CaseAudit,
    CaseType,
    Escalation,
    EscalationStatus,
)
from evidence.library.items import EvidenceError, check_grade, check_not_future, in_label_order, parse_links
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.library.signals import CaseSample
from judgement_framework import Framework, signal_id

CASE_REFERENCE_RULE = (
    "Use the case reference from your case management system: 4 to 20 letters, digits or "
    "hyphens with at least 3 digits and no spaces, like CP-204871, with no run of 5 letters or "
    "more. Never a child's name or date of birth."
)
_CASE_REFERENCE = re.compile(r"^(?=(?:.*\d){3})[A-Za-z0-9-]{4,20}$")
# Two capitalised words run together ("JaneSmith1") still read as a name; so does a run of
# five letters or more in any case ("JANESMITH123", "MOHAMMED-0304-2015"): systems' prefixes
# are short (CP, LAC, NS), a name with digits attached is not pseudonymised.
_LOOKS_LIKE_A_NAME = re.compile(r"[A-Z][a-z]+[-_]?[A-Z][a-z]+|[A-Za-z]{5,}")
# A day, month and year together ("0304-2015", "03042015") read as a date of birth.
_LOOKS_LIKE_A_BIRTH_DATE = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])-?(0[1-9]|1[0-2])-?(19|20)\d\d(?!\d)")


def check_case_reference(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EvidenceError("Enter the case reference", "case_reference")
    if not _CASE_REFERENCE.match(value) or _LOOKS_LIKE_A_NAME.search(value) or _LOOKS_LIKE_A_BIRTH_DATE.search(value):
        raise EvidenceError(
            f"The case reference '{value}' is not a pseudonymised reference. {CASE_REFERENCE_RULE}", "case_reference"
        )
    return value


@dataclass
class EscalationInput:
    concern: str
    owner_id: int | None
    due_date: date | None


@dataclass
class AuditInput:
    case_reference: str
    case_type: str
    team: str
    worker: str
    auditor: str
    audit_date: date
    overall_grade: str
    areas: list[str]
    comment: str = ""
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # question id: (answer, comment)
    escalation: EscalationInput | None = None


def check_answer(question, answer: str, framework: Framework) -> None:
    field_name = f"answer_{question.id}"
    if question.scale == FOUR_POINT:
        check_grade(answer, framework, field_name)
        if not answer:
            raise EvidenceError(f"Grade the question: {question.text}", field_name)
    elif answer not in YES_NO_ANSWERS:
        raise EvidenceError(f"Answer yes, no or not applicable to the question: {question.text}", field_name)


def check_audit(
    data: AuditInput, template: AuditTemplate, framework: Framework, today: date
) -> list[tuple[str, str | None]]:
    """Everything wrong with an audit, all at once, before anything is written. A field a form
    has refused already comes here empty (None), and is not refused twice."""
    problems: list[InputError] = []
    keep(problems, check_case_reference, data.case_reference)
    if data.case_type not in {t.value for t in CaseType}:
        # In words, as a person reads and an import file may write them ("child in need").
        kinds = ", ".join(t.value.replace("_", " ") for t in CaseType)
        problems.append(EvidenceError(f"The case type must be one of {kinds}", "case_type"))
    for name in ("team", "worker", "auditor"):
        value = (getattr(data, name) or "").strip()
        if not value:
            problems.append(EvidenceError(f"Enter the {name}", name))
        else:
            # Here, not at the commit: an imported file's preview must refuse what saving would.
            keep(problems, check_text, CaseAudit, name, value, f"The {name}", error=EvidenceError)
    keep(problems, check_text, CaseAudit, "comment", data.comment or "", "The comment", error=EvidenceError)
    if data.audit_date is None:
        problems.append(EvidenceError("Enter the date of the audit", "audit_date"))
    else:
        keep(problems, check_not_future, data.audit_date, today, "audit_date", "The date of the audit")
    if not data.overall_grade:
        problems.append(EvidenceError("Choose the overall grade", "overall_grade"))
    else:
        keep(problems, check_grade, data.overall_grade, framework, "overall_grade")
    known = {q.id: q for q in template.questions}
    if any(question_id not in known for question_id in data.answers):
        problems.append(EvidenceError(f"Answer only the questions of the {template.title}", "answers"))
    for question_id, (answer, _comment) in data.answers.items():
        if question_id in known:
            keep(problems, check_answer, known[question_id], answer, framework)
    links = parse_links(data.areas, framework, problems, "areas")
    if not data.areas:
        problems.append(EvidenceError("Choose at least one judgement area the audit informs", "areas"))
    if data.escalation:
        keep(problems, check_escalation, data.escalation, data.audit_date)
    raise_all(problems)
    return links


def check_escalation(escalation: EscalationInput, audit_date: date | None) -> None:
    """Everything wrong with an escalation, all at once, writing nothing."""
    problems: list[InputError] = []
    if not escalation.concern.strip():
        problems.append(EvidenceError("Describe the concern for the child's safety", "concern"))
    if escalation.owner_id is None or find(User, escalation.owner_id) is None:
        problems.append(EvidenceError("Choose who owns the escalation", "escalation_owner"))
    if escalation.due_date is None:
        problems.append(EvidenceError("Enter the date the escalation is due to be resolved by", "due_date"))
    elif audit_date is not None and escalation.due_date < audit_date:
        problems.append(
            EvidenceError("The escalation's due date must be on or after the date of the audit", "due_date")
        )
    raise_all(problems)


def leaning_of(grade: str, framework: Framework) -> Leaning:
    good_enough = framework.grade_rank[grade] <= framework.grade_rank[framework.expected_grade]
    return Leaning.STRENGTH if good_enough else Leaning.CONCERN


def record_audit(
    data: AuditInput, template: AuditTemplate, framework: Framework, today: date, recorded_by: User | None
) -> CaseAudit:
    links = check_audit(data, template, framework, today)
    case_type = CaseType(data.case_type)
    audit = CaseAudit(
        template_id=template.id,
        case_reference=data.case_reference.strip(),
        case_type=case_type,
        team=data.team.strip(),
        worker=data.worker.strip(),
        auditor=data.auditor.strip(),
        audit_date=data.audit_date,
        overall_grade=data.overall_grade,
        comment=data.comment.strip(),
        answers=[AuditAnswer(question_id=q, answer=a, comment=c.strip()) for q, (a, c) in data.answers.items()],
    )
    audit.evidence_item = EvidenceItem(
        title=f"Case audit {audit.case_reference} ({case_type.label.lower()}, {audit.team})",
        kind=EvidenceKind.CASE_AUDIT,
        summary=audit.comment,
        grade=data.overall_grade,
        leaning=leaning_of(data.overall_grade, framework),
        evidence_date=data.audit_date,
        owner_id=getattr(recorded_by, "id", None),
        service_area=CASE_TYPE_SERVICE[case_type],
        source_reference=f"Case file audit of {audit.case_reference}",
        status=EvidenceStatus.ACCEPTED,
        links=[EvidenceLink(area_id=a, criterion_id=c) for a, c in links],
    )
    db.session.add(audit)
    db.session.flush()
    audit_log.record(
        "case_audit.recorded",
        "case_audit",
        audit.id,
        after=audit_log.snapshot(
            audit, ["case_reference", "case_type", "team", "worker", "auditor", "audit_date", "overall_grade"]
        )
        | {"areas": data.areas, "answers": {q: a for q, (a, _c) in data.answers.items()}},
    )
    if data.escalation:
        raise_escalation(audit, data.escalation)
    return audit


def raise_escalation(audit: CaseAudit, data: EscalationInput) -> Escalation:
    check_escalation(data, audit.audit_date)
    escalation = Escalation(audit=audit, concern=data.concern.strip(), owner_id=data.owner_id, due_date=data.due_date)
    db.session.add(escalation)
    db.session.flush()
    audit_log.record(
        "escalation.raised",
        "escalation",
        escalation.id,
        after={
            "case_audit_id": audit.id,
            "owner_id": data.owner_id,
            "due_date": data.due_date,
            "concern": escalation.concern,
        },
    )
    return escalation


def check_resolution(escalation: Escalation, action_taken: str) -> None:
    """What refuses resolving the escalation now, writing nothing (its confirmation says it)."""
    if escalation.status is EscalationStatus.RESOLVED:
        raise EvidenceError("This escalation is already resolved", "action_taken")
    if not action_taken.strip():
        raise EvidenceError("Record the action taken to keep the child safe", "action_taken")


def resolve_escalation(escalation: Escalation, action_taken: str) -> None:
    check_resolution(escalation, action_taken)
    escalation.status = EscalationStatus.RESOLVED
    escalation.action_taken = action_taken.strip()
    escalation.resolved_at = clock.now()
    db.session.flush()
    audit_log.record(
        "escalation.resolved",
        "escalation",
        escalation.id,
        before={"status": "open"},
        after={"status": "resolved", "action_taken": escalation.action_taken},
    )


def moderate(
    audit: CaseAudit, moderator: User | None, agreed: bool, grade: str | None, reason: str, framework: Framework
) -> None:
    """A second auditor agrees with the grade, or records a different one with a reason.
    `moderator` is one of the council's people who may moderate (the caller's list), or None
    for a choice that was none of them."""
    if audit.moderation_agreed is not None:
        raise EvidenceError("This audit has already been moderated", "agreed")
    if moderator is None:
        raise EvidenceError("Choose the moderator from the council's senior leaders and heads of service", "moderator")
    if moderator.name.strip().lower() == audit.auditor.strip().lower():
        raise EvidenceError("Moderation needs a second auditor, not the one who audited the case", "moderator")
    if not agreed:
        if not grade:
            raise EvidenceError("Choose the moderated grade", "grade")
        check_grade(grade, framework)
        if grade == audit.overall_grade:
            raise EvidenceError("The moderated grade is the same as the auditor's: choose 'agree' instead", "grade")
        if not reason.strip():
            raise EvidenceError("Give the reason for the different grade", "reason")
    before = audit_log.snapshot(audit, ["overall_grade", "moderator", "moderation_agreed", "moderated_grade"])
    audit.moderator = moderator.name
    audit.moderation_agreed = agreed
    audit.moderated_grade = None if agreed else grade
    audit.moderation_reason = None if agreed else reason.strip()
    if audit.evidence_item:
        audit.evidence_item.grade = audit.final_grade
        audit.evidence_item.leaning = leaning_of(audit.final_grade, framework)
    db.session.flush()
    audit_log.record(
        "case_audit.moderated",
        "case_audit",
        audit.id,
        before=before,
        after=audit_log.snapshot(
            audit, ["overall_grade", "moderator", "moderation_agreed", "moderated_grade", "moderation_reason"]
        ),
    )


def _open_escalations() -> Select:
    return (
        select(Escalation)
        .join(Escalation.audit)
        .options(contains_eager(Escalation.audit), joinedload(Escalation.owner))
        .where(Escalation.status == EscalationStatus.OPEN)
        .order_by(Escalation.due_date, Escalation.id)
    )


def open_escalations() -> list[Escalation]:
    """Open escalations, most urgent first. Lists show each case's reference, team and owner:
    they are loaded with the escalations, not one by one."""
    return list(db.session.scalars(_open_escalations()))


def open_escalations_for(user: User) -> list[Escalation]:
    """Open escalations a person owns, or in the service they lead."""
    return list(db.session.scalars(_open_escalations().where(_theirs(user))))


def _theirs(user: User):
    types = [t for t, area in CASE_TYPE_SERVICE.items() if user.service_area is not None and area is user.service_area]
    return or_(Escalation.owner_id == user.id, CaseAudit.case_type.in_(types))


@dataclass(frozen=True)
class EscalationsAtAGlance:
    first: list[Escalation]  # the most urgent, overdue first
    open: int
    overdue: int


def escalations_at_a_glance(user: User, today: date, limit: int) -> EscalationsAtAGlance:
    """The open escalations a person's home shows: a senior leader answers for the whole
    council, so sees every one; anyone else their own and their service's. The first `limit`
    by due date (so overdue first), with how many are open and overdue: two short queries."""
    shown, counted = (
        _open_escalations(),
        (
            select(func.count(Escalation.id), func.count(Escalation.id).filter(Escalation.due_date < today))
            .join(Escalation.audit)
            .where(Escalation.status == EscalationStatus.OPEN)
        ),
    )
    if user.role is not Role.SENIOR_LEADER:
        shown, counted = shown.where(_theirs(user)), counted.where(_theirs(user))
    total, overdue = db.session.execute(counted).one()
    return EscalationsAtAGlance(list(db.session.scalars(shown.limit(limit))), total, overdue)


def _grade_order(framework: Framework):
    """The grade that stands (a moderator's, else the auditor's) in the scale's order, best first."""
    final = func.coalesce(CaseAudit.moderated_grade, CaseAudit.overall_grade)
    return case(*((final == grade, rank) for grade, rank in framework.grade_rank.items()), else_=len(framework.grades))


# What the list of audits may be sorted by (inspect_ready/sorting.py reads the request).
SORTS = {
    "case": lambda framework: func.lower(CaseAudit.case_reference),
    "case_type": lambda framework: in_label_order(CaseAudit.case_type, CaseType),
    "team": lambda framework: func.lower(CaseAudit.team),
    "date": lambda framework: CaseAudit.audit_date,
    # Worst first when descending: the grade's rank counts down the scale.
    "grade": lambda framework: _grade_order(framework),
}


def recent_audits(framework: Framework, sort: str = "date", descending: bool = True) -> Select:
    """Every audit (a page at a time), the latest first, or sorted by one of SORTS with the
    latest first within it."""
    column = SORTS[sort](framework)
    return select(CaseAudit).order_by(
        column.desc() if descending else column.asc(), CaseAudit.audit_date.desc(), CaseAudit.id.desc()
    )


def audit_samples() -> dict[int, CaseSample]:
    """Each audit's case type (in words), team and whether it was moderated, for the
    scorer's confidence in how broad and assured the sample is. One query."""
    query = select(CaseAudit.id, CaseAudit.case_type, CaseAudit.team, CaseAudit.moderation_agreed)
    return {
        audit_id: CaseSample(case_type.label, team, moderation_agreed is not None)
        for audit_id, case_type, team, moderation_agreed in db.session.execute(query)
    }


def cases_by_record() -> dict[str, tuple[str, str]]:
    """Each case audit's evidence record ("evidence:12") with the audited case's reference and
    team, for counting the cases and teams behind a gap: one query, two short columns a row."""
    rows = db.session.execute(
        select(EvidenceItem.id, CaseAudit.case_reference, CaseAudit.team).join(
            CaseAudit, EvidenceItem.case_audit_id == CaseAudit.id
        )
    )
    return {signal_id("evidence", item_id): (reference, team) for item_id, reference, team in rows}


def escalated_audit_ids() -> frozenset[int]:
    """The audits with an escalation still open: their evidence is flagged to the scorer."""
    query = select(Escalation.case_audit_id).where(Escalation.status == EscalationStatus.OPEN)
    return frozenset(db.session.scalars(query))
