"""Demo evidence for Northshire: case file audits over 18 months, some escalated, some moderated, and a few
other kinds of evidence, so every page has something realistic to show.

Seeded random numbers: the same demo every time. Teams differ on purpose (a strong care
leavers team, a struggling front door) so the summaries have a story to tell.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from councils.db import db
from councils.models import Council, Role, User
from councils.tenancy import acting_for
from evidence.case_audits import audits
from evidence.case_audits.audit_templates import default_template
from evidence.case_audits.audits import AuditInput, EscalationInput
from evidence.case_audits.case_type_areas import default_areas
from evidence.library import items
from evidence.library.models import EvidenceKind, EvidenceStatus, Leaning

AUDITS = 320
DAYS = 548  # about 18 months
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
# team: (case types, grade weights best first); each audit informs its case type's judgements.
TEAMS = {
    "Front Door": (["child_in_need"], [2, 30, 50, 18]),
    "Safeguarding North": (["child_protection", "child_in_need"], [5, 45, 40, 10]),
    "Safeguarding South": (["child_protection"], [4, 38, 45, 13]),
    "Children in Care": (["child_in_care"], [8, 52, 34, 6]),
    "Leaving Care": (["care_leaver"], [12, 58, 26, 4]),
    "Early Help East": (["early_help"], [6, 50, 38, 6]),
}
WORKERS = ["K. Adams", "L. Begum", "M. Clarke", "N. Davies", "O. Evans", "P. Farah", "R. Green", "S. Hall"]
AUDITORS = ["Team manager A", "Team manager B", "Practice lead C", "Service manager D"]
WEAK_BY_GRADE = {"outstanding": 0.03, "good": 0.15, "requires_improvement": 0.45, "inadequate": 0.75}
# The questions practice struggles with most, as seed 001 found: oversight, recording, the child's voice.
HARDER = {"management_oversight": 0.2, "activity_recorded": 0.2, "child_focused": 0.15}
# A second auditor moderates about one audit in seven, more of the recent ones (the quality
# assurance cycle moderates monthly now), and now and then grades it differently.
MODERATED_SHARE = {"recent": 0.25, "older": 0.1}
RECENT_DAYS = 183
DISAGREE_SHARE = 0.2
MODERATION_REASONS = {
    "down": "Management oversight is recorded but gives no direction; the plan has drifted for three months.",
    "up": "The child's views are recorded in every visit and clearly shape the plan: the auditor undersold the work.",
}


def load(council: Council, today: date) -> None:
    rng = random.Random(2016)
    # Its own stream, so adding moderation changed none of the audits, grades or escalations.
    moderation = random.Random(2017)
    template = default_template()
    with acting_for(council.id):
        framework = items.framework_of(council)
        people = db.session.scalars(select(User).order_by(User.id)).all()
        owners = [p for p in people if p.role is Role.HEAD_OF_SERVICE]
        recorder = next(p for p in people if p.role is Role.SENIOR_LEADER)
        # Moderation is a second auditor's: one of the council's leaders or heads of service.
        moderators = [p for p in people if p.role in (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)]
        for number in range(AUDITS):
            team = rng.choice(list(TEAMS))
            case_types, weights = TEAMS[team]
            # Later audits are a little better: the improvement plan is working.
            age = rng.randrange(DAYS)
            shifted = [w * (1.25 if i < 2 and age < DAYS / 3 else 1) for i, w in enumerate(weights)]
            grade = rng.choices(GRADES, shifted)[0]
            audit_date = today - timedelta(days=age)
            escalation = None
            if grade == "inadequate" and rng.random() < 0.5:
                escalation = EscalationInput(
                    "Risk from a parent's partner not assessed; no recent visit recorded.",
                    rng.choice(owners).id,
                    audit_date + timedelta(days=rng.choice([5, 10, 14])),
                )
            case_type = rng.choice(case_types)
            worker, auditor = rng.choice(WORKERS), rng.choice(AUDITORS)
            # This draw once decided whether the audit also spoke to leadership. It is still
            # drawn, so every later audit, grade and escalation of the demo stays as it was.
            rng.random()
            audit = audits.record_audit(
                AuditInput(
                    case_reference=f"NS-{100000 + number * 37}",
                    case_type=case_type,
                    team=team,
                    worker=worker,
                    auditor=auditor,
                    audit_date=audit_date,
                    overall_grade=grade,
                    areas=default_areas(framework, case_type),
                    answers={q.id: (_answer(rng, q, grade), "") for q in template.questions},
                    escalation=escalation,
                ),
                template,
                framework,
                today,
                recorder,
            )
            _moderate(moderation, audit, moderators, age, framework)
            # Escalations more than two months old have been dealt with; recent ones are still open.
            for raised in audit.escalations:
                if age > 60:
                    audits.resolve_escalation(
                        raised, "Strategy discussion held; the child was seen and the plan updated."
                    )
        _other_evidence(today, recorder)


def _moderate(rng: random.Random, audit, moderators: list[User], age: int, framework) -> None:
    """A second auditor's view of some audits: usually agreeing, sometimes a grade apart."""
    if rng.random() >= MODERATED_SHARE["recent" if age < RECENT_DAYS else "older"]:
        return
    moderator = rng.choice(moderators)
    rank = GRADES.index(audit.overall_grade)
    if rng.random() >= DISAGREE_SHARE:
        audits.moderate(audit, moderator, True, None, "", framework)
        return
    # A grade apart: good or better moderated down a grade, requires improvement or worse up one.
    step = 1 if rank < 2 else -1
    reason = MODERATION_REASONS["down" if step > 0 else "up"]
    audits.moderate(audit, moderator, False, GRADES[rank + step], reason, framework)


def _answer(rng: random.Random, question, grade: str) -> str:
    weak = rng.random() < WEAK_BY_GRADE[grade] + HARDER.get(question.id, 0)
    if question.scale != "four_point":
        return "no" if weak else "yes"
    if weak:
        return "requires_improvement" if rng.random() < 0.75 else "inadequate"
    return "good" if rng.random() < 0.85 else "outstanding"


def _other_evidence(today: date, owner: User) -> None:
    framework = items.framework_of(owner.council)
    documents = [
        ("Quality assurance framework, revised", EvidenceKind.DOCUMENT, "good", ["leaders:ld.quality_assurance"], 40),
        (
            "Practice week observations: visits with children",
            EvidenceKind.OBSERVATION,
            "good",
            ["help_protection:hp.child_seen_heard"],
            60,
        ),
        (
            "Children in care council feedback, spring",
            EvidenceKind.VOICE_OF_CHILD,
            "requires_improvement",
            ["in_care:ic.voice"],
            120,
        ),
        (
            "Care leavers survey: accommodation",
            EvidenceKind.VOICE_OF_CHILD,
            "good",
            ["care_leavers:cl.accommodation"],
            250,
        ),
        ("Workforce strategy and caseload review", EvidenceKind.DOCUMENT, None, ["leaders:ld.workforce"], 300),
        (
            "Peer review finding: threshold application at the front door",
            EvidenceKind.KLOE_FINDING,
            "requires_improvement",
            ["help_protection:hp.front_door"],
            90,
        ),
    ]
    for title, kind, grade, links, age in documents:
        items.create_item(
            items.EvidenceFields(
                title=title,
                kind=kind,
                grade=grade,
                links=links,
                evidence_date=today - timedelta(days=age),
                leaning=Leaning.CONCERN if grade == "requires_improvement" else Leaning.STRENGTH,
                owner_id=owner.id,
                status=EvidenceStatus.ACCEPTED,
            ),
            framework,
            today,
        )
