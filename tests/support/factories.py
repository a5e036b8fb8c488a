"""Make councils and people for tests, through the same service functions the app uses."""

from __future__ import annotations

import itertools

from councils import accounts, clock
from councils.db import db
from councils.models import Council, Role, ServiceArea, User

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_council(name: str | None = None) -> Council:
    return accounts.create_council(name or f"Test Council {next(_numbers)}")


def make_user(
    council: Council,
    role: Role = Role.SENIOR_LEADER,
    *,
    name: str | None = None,
    email: str | None = None,
    service_area: ServiceArea | None = None,
) -> User:
    number = next(_numbers)
    if role is Role.HEAD_OF_SERVICE and service_area is None:
        service_area = ServiceArea.CHILD_PROTECTION
    return accounts.add_user(
        council,
        name=name or f"Person {number}",
        email=email or f"person{number}@council{council.id}.example",
        password=PASSWORD,
        role=role,
        service_area=service_area,
    )


def sign_in_as(client, user: User) -> None:
    """Sign in without the form (the form itself is tested in test_auth.py). What the test
    made so far is committed first, as it would be in use: a request answered with an
    error rolls back everything not yet committed."""
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["signed_in_at"] = clock.now().isoformat()  # as the form does: when the sign-in began


def make_evidence(council: Council, **overrides):
    """An accepted evidence item of the council, linked to help and protection."""
    from datetime import date

    from councils.tenancy import acting_for
    from evidence.library import items
    from evidence.library.models import EvidenceKind, Leaning

    values = dict(
        title="Front door audit findings",
        kind=EvidenceKind.DOCUMENT,
        leaning=Leaning.STRENGTH,
        evidence_date=date.today(),
        status=items.EvidenceStatus.ACCEPTED,
        links=["help_protection:hp.front_door"],
        grade="good",
    )
    values.update(overrides)
    with acting_for(council.id):
        return items.create_item(items.EvidenceFields(**values), items.framework_of(council), date.today())


def audit_input(**overrides):
    from datetime import date

    from evidence.case_audits.audits import AuditInput

    values = dict(
        case_reference="CP-204871",
        case_type="child_protection",
        team="Safeguarding East",
        worker="Sam Worker",
        auditor="Alex Auditor",
        audit_date=date.today(),
        overall_grade="requires_improvement",
        areas=["help_protection"],
        answers={"risk_managed": ("good", "Risk well understood"), "activity_recorded": ("no", "")},
    )
    values.update(overrides)
    return AuditInput(**values)


def make_audit(council: Council, recorded_by: User | None = None, **overrides):
    from datetime import date

    from councils.tenancy import acting_for
    from evidence.case_audits import audits
    from evidence.case_audits.audit_templates import default_template
    from evidence.library import items

    with acting_for(council.id):
        return audits.record_audit(
            audit_input(**overrides), default_template(), items.framework_of(council), date.today(), recorded_by
        )


def date_parts(day) -> list[str]:
    """A date as the GOV.UK date input posts it: day, month and year, in three boxes."""
    return [str(day.day), str(day.month), str(day.year)]
