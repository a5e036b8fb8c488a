"""The busiest pages run the same number of SQL statements whatever the council's size.

Each page is fetched with a small council and again after many more records of every kind
are added: the statement count must not grow (no query per row, no N+1).
"""

import datetime as dt

import pytest

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.action_plan.models import Action
from evidence.case_audits.audits import EscalationInput
from evidence.mock_inspections import inspections
from evidence.performance import indicators
from evidence.reviews import setup
from evidence.reviews.models import ReviewKind
from judgement_framework import load_framework
from tests.support.client_request import url
from tests.support.factories import make_audit, make_council, make_evidence, make_user, sign_in_as
from tests.support.queries import counted_queries
from tests.support.review_factories import make_finding, make_review

TODAY = dt.date.today()


@pytest.fixture()
def council(client):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    sign_in_as(client, leader)
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    inspection = make_review(council, leader, title="Mock", kloes=2)
    inspection.kind = ReviewKind.MOCK_INSPECTION
    db.session.commit()
    return {"council": council, "leader": leader, "inspection": inspection, "added": 0}


def add_records(state, count: int) -> None:
    """Add `count` records of each kind the leaders' pages read."""
    council, leader, inspection = state["council"], state["leader"], state["inspection"]
    framework = load_framework(inspection.framework_id)
    start = state["added"]
    for i in range(start, start + count):
        make_evidence(council, title=f"Evidence {i}", links=["help_protection:hp.risk", "leaders"])
        db.session.flush()
        escalation = EscalationInput(f"Concern {i}", leader.id, TODAY + dt.timedelta(days=7))
        make_audit(
            council,
            case_reference=f"CP-{10000 + i}",
            overall_grade=["good", "inadequate"][i % 2],
            escalation=escalation,
        )
        db.session.flush()
    with acting_for(council.id):
        indicator = indicators.all_indicators()[0]
        for i in range(start, start + count):
            month = (TODAY.replace(day=1) - dt.timedelta(days=31 * (i + 1))).replace(day=1)
            indicators.record_value(indicator, month, 50 + i % 40)
            db.session.add(
                Action(
                    what=f"Action {i}",
                    owner_id=leader.id,
                    due_date=TODAY - dt.timedelta(days=1),
                    success_measure="Measured",
                    area_id="help_protection",
                )
            )
            fields = inspections.CaseFields(
                f"TC-{1000 + i}", "5 to 9", "child_protection", "Safeguarding East", "Indian", False, "Boy", ["help_protection"]
            )
            inspections.add_tracked_case(inspection, fields, framework)
        for area_id in ("leaders", "help_protection"):
            saved = inspections.final_grade(inspection, area_id)
            version = saved.version if saved else NEW
            inspections.moderate(inspection, framework, area_id, leader, "good", "Good practice", version=version)
        db.session.flush()
    with acting_for(council.id):
        for i in range(start, start + count):
            kloe = setup.add_kloe(
                inspection, setup.KloeFields(f"Question {i}?", [], ["help_protection"], []), framework
            )
            db.session.flush()
            make_finding(kloe)
    extra = make_review(council, leader, title=f"Review {start}", kloes=count % 4 + 1)
    for kloe in extra.kloes:
        make_finding(kloe)
    state["added"] = start + count
    db.session.commit()


@pytest.mark.parametrize(
    "page",
    [
        "home.index",
        "gaps.index",
        "actions.index",
        "audits.index",
        "mock_inspections.outcome",
        "mock_inspections.judgement",
        "mock_inspections.show",
        "reviews.show",
    ],
)
def test_leader_pages_run_a_bounded_number_of_queries(client_request, council, page):
    inspection = council["inspection"]
    values = {
        "mock_inspections.outcome": {"inspection_id": inspection.id},
        "mock_inspections.judgement": {"inspection_id": inspection.id, "area_id": "help_protection"},
        "mock_inspections.show": {"inspection_id": inspection.id},
        "reviews.show": {"review_id": inspection.id},
    }.get(page, {})
    path = url(page, **values)
    add_records(council, 2)
    with counted_queries(db.engine) as small:
        client_request.get_response(page, **values)
    add_records(council, 12)
    with counted_queries(db.engine) as large:
        client_request.get_response(page, **values)
    assert len(large) == len(small), f"{path}: {len(small)} queries grew to {len(large)}"
    assert len(large) <= 40, f"{path} runs {len(large)} queries"
