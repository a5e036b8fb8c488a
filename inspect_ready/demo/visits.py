"""Demo rehearsals of the visits Ofsted does not grade, for Northshire: a focused visit on the
front door, reported, and a joint targeted area inspection (JTAI) on domestic abuse under way,
with a police auditor on the team and cases audited jointly.

No monitoring visit: those follow a judgement of inadequate, and Northshire's story (its mock
inspections) is of a council requiring improvement and getting better. The peer council has no
data of its own to hang one on, so the demo leaves monitoring visits out.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.case_audits.models import CaseAudit
from evidence.reviews import findings, invitations, setup
from evidence.reviews.models import FindingStatus, MemberRole, PartnerAgency, ReviewKind, ReviewStatus
from evidence.visits import joint_audits
from evidence.visits.models import CaseViewFrom
from judgement_framework import Confidence, load_framework

POLICE_AUDITOR = "police.auditor@northshire-police.example"

# (what is working well, areas for improvement, what needs to improve), in our own words.
FRONT_DOOR_FINDINGS = [
    (
        "Contacts are screened on the day they arrive, and managers record why each decision was made.",
        "Consent is not always sought, or the reason for going ahead without it recorded.",
        "Record consent, or the reason it was not sought, on every contact.",
    ),
    (
        "Strategy discussions held out of hours include the police and the emergency duty team.",
        "Health colleagues are seldom part of strategy discussions, so what they know is missed.",
        "Invite health to every strategy discussion and record when they cannot attend.",
    ),
]

CASE_VIEWS = {
    CaseViewFrom.CHILDRENS_SOCIAL_CARE: (
        "Allocated on the day of referral; the child was seen alone within five working days.",
        "The plan does not yet say what the school should do after an incident at home.",
    ),
    CaseViewFrom.POLICE: (
        "Two call-outs to the address in March; the risk assessment was high both times and shared the next day.",
        "Notify the school the next morning, not only children's social care.",
    ),
}


def load(council: Council, today: date) -> None:
    framework = load_framework(council.framework_id)
    with acting_for(None):
        people = {u.email: u for u in db.session.scalars(select(User))}
    lead, head = people["director@northshire.example"], people["hos.cp@northshire.example"]
    with acting_for(council.id):
        _focused_visit(framework, today, lead, head)
        _jtai(framework, today, lead, head, people[POLICE_AUDITOR])
        db.session.flush()  # inside acting_for: these rows are Northshire's


def _visit(framework, title: str, kind: ReviewKind, focus: str, starts_on: date, lead: User):
    review = setup.create_review(
        setup.ReviewFields(title, kind, [], starts_on, starts_on + timedelta(days=1), lead.id, focus),
        framework,
    )
    bank = [k.id for _, k in setup.bank_kloes(review, framework)][:2]
    setup.add_bank_kloes(review, framework, bank)
    return review


def _assign(review, framework, member) -> None:
    for kloe in review.kloes:
        setup.update_kloe(
            kloe,
            setup.KloeFields(kloe.question, kloe.sub_questions, kloe.area_ids, kloe.criterion_ids),
            framework,
            [member.id],
        )


def _focused_visit(framework, today: date, lead: User, head: User) -> None:
    review = _visit(
        framework,
        "Focused visit rehearsal: the front door",
        ReviewKind.FOCUSED_VISIT_REHEARSAL,
        "front_door",
        today - timedelta(days=30),
        lead,
    )
    _assign(review, framework, setup.add_member(review, head, MemberRole.REVIEWER))
    for kloe, (working_well, to_improve, needs) in zip(review.kloes, FRONT_DOOR_FINDINGS, strict=False):
        findings.save_finding(
            kloe,
            findings.FindingFields(working_well, to_improve, needs, None, Confidence.MEDIUM, FindingStatus.COMPLETE),
            framework,
            version=NEW,
            author=f"{head.name}, {head.council.name}",
            now=datetime.combine(review.ends_on, time(15)),
        )
    review.status = ReviewStatus.REPORTED


def _jtai(framework, today: date, lead: User, head: User, police: User) -> None:
    review = _visit(
        framework,
        "JTAI rehearsal: children living with domestic abuse",
        ReviewKind.JTAI_REHEARSAL,
        "domestic_abuse",
        today - timedelta(days=1),
        lead,
    )
    setup.add_member(review, head, MemberRole.REVIEWER)
    # The police auditor joins as a peer reviewer would: invited, and accepting the link.
    invitation = invitations.invite(review, police.email, MemberRole.REVIEWER, lead.email, agency=PartnerAgency.POLICE)
    invitations.accept(invitation.invitation, police)
    member = next(m for m in review.members if m.user_id == police.id)
    _assign(review, framework, member)
    review.status = ReviewStatus.FIELDWORK
    audits = db.session.scalars(select(CaseAudit).order_by(CaseAudit.audit_date.desc(), CaseAudit.id).limit(2)).all()
    authors = {
        CaseViewFrom.CHILDRENS_SOCIAL_CARE: f"{head.name}, {head.council.name}",
        CaseViewFrom.POLICE: f"{police.name}, {member.organisation}",
    }
    # The first case has both agencies' views; the second waits for the police's.
    for number, audit in enumerate(audits):
        joint_case = joint_audits.add_case(review, audit.id)
        for agency, (saw, improve) in list(CASE_VIEWS.items())[: 2 if number == 0 else 1]:
            joint_audits.save_view(joint_case, agency, saw, improve, version=NEW, author=authors[agency])
