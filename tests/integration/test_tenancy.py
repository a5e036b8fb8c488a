"""One council never sees another's data."""

import datetime as dt
from datetime import date

import pytest
from sqlalchemy import select

from councils import accounts
from councils.db import db
from councils.models import Role, User
from councils.tenancy import CrossCouncilWrite, acting_for
from evidence.action_plan import actions
from evidence.action_plan.models import Action
from evidence.case_audits.audits import EscalationInput
from evidence.case_audits.models import CaseAudit, Escalation, EscalationStatus
from evidence.inspection_workspace import calls
from evidence.inspection_workspace import requests as workspace_requests
from evidence.library.attachments import add_attachment
from evidence.library.models import EvidenceItem, EvidenceStatus
from evidence.mock_inspections.models import TrackedCase
from evidence.performance import indicators
from evidence.performance.annex_a import imports
from evidence.reviews.models import ReviewKind
from evidence.self_evaluation import self_evaluations
from evidence.self_evaluation.models import SelfEvaluationSection
from evidence.themes import theme_id
from judgement_framework import load_framework
from tests.support.client_request import url
from tests.support.every_page import with_file_format
from tests.support.factories import make_audit, make_council, make_evidence, make_user, sign_in_as
from tests.support.pages import source, table_rows
from tests.support.review_factories import make_invitation, make_review
from tests.support.visit_factories import add_joint_case, make_recommendation, make_visit

# How to find council B's record for each kind of id a URL can carry. A new route with
# an id must add its kind here, or test_every_route_refuses_another_councils_ids fails.
OTHER_COUNCILS_IDS = {
    "user_id": lambda other: other["user"].id,
    "action_id": lambda other: other["action"].id,
    "item_id": lambda other: other["evidence"].id,
    "link_id": lambda other: other["evidence"].links[0].id,
    "attachment_id": lambda other: other["attachment"].id,
    "audit_id": lambda other: other["audit"].id,
    "escalation_id": lambda other: other["escalation"].id,
    "indicator_id": lambda other: other["indicator"].id,
    "value_id": lambda other: other["value"].id,
    "import_id": lambda other: other["import"].id,
    "check_id": lambda other: other["check"].id,
    "review_id": lambda other: other["review"].id,
    "kloe_id": lambda other: other["review"].kloes[0].id,
    "member_id": lambda other: other["review"].members[0].id,
    "evidence_item_id": lambda other: other["evidence"].id,
    "token": lambda other: other["invitation_token"],
    "invitation_id": lambda other: other["invitation"].id,
    "reset_token": lambda other: other["reset_token"],
    "inspection_id": lambda other: other["mock_inspection"].id,
    "case_id": lambda other: other["tracked_case"].id,
    "notice_id": lambda other: other["notice"].id,
    "checklist_item_id": lambda other: other["notice"].checklist[0].id,
    "request_id": lambda other: other["inspector_request"].id,
    "referral_id": lambda other: other["referred_case"].id,
    "jtai_id": lambda other: other["jtai"].id,
    "joint_case_id": lambda other: other["joint_case"].id,
    "monitoring_visit_id": lambda other: other["monitoring_visit"].id,
    "recommendation_id": lambda other: other["recommendation"].id,
    "self_evaluation_id": lambda other: other["self_evaluation"].id,
    "section_id": lambda other: other["self_evaluation"].sections[0].id,
}
# Arguments that name shared reference data or a file format, not a council's records.
# A theme's id names a judgement and criterion, the same in every council.
SHARED_ARGUMENTS = {"framework_id", "file_format", "area_id", "theme_id"}
SHARED_VALUES = {
    "framework_id": "ilacs-2026",
    "file_format": "csv",
    "area_id": "help_protection",
    "theme_id": theme_id("help_protection", None),
}


@pytest.fixture()
def two_councils(database, tmp_path):
    council_a, council_b = make_council("Council A"), make_council("Council B")
    admin_a = make_user(council_a, Role.ADMINISTRATOR, name="Alice of A")
    user_b = make_user(council_b, Role.ADMINISTRATOR, name="Bob of B", email="bob@b.example")
    head_b = make_user(council_b, Role.HEAD_OF_SERVICE, name="Bob's head of service")
    evidence_b = make_evidence(council_b, title="Bob of B's evidence")
    audit_b = make_audit(
        council_b, case_reference="BOB-123", escalation=EscalationInput("Bob of B's concern", head_b.id, date.today())
    )
    with acting_for(council_b.id):
        attachment_b = add_attachment(evidence_b, "b.txt", b"Bob of B's file", tmp_path, "bob@b.example")
        action_b = Action(
            what="Bob of B's action",
            owner_id=user_b.id,
            due_date=dt.date(2030, 1, 1),
            success_measure="B",
            area_id="help_protection",
        )
        db.session.add(action_b)
        db.session.flush()
        indicators.ensure_default_indicators()
        indicator = indicators.all_indicators()[0]
        value = indicators.record_value(indicator, dt.date(2025, 3, 1), 1)  # far off target
        actions.create_corrective(
            load_framework("ilacs-2026"),
            value,
            what="Bob of B's corrective action",
            owner_id=user_b.id,
            due_date=dt.date(2030, 1, 1),
            success_measure="B",
            today=dt.date.today(),
        )
        job = imports.queue_import(
            filename="b.xlsx", month=dt.date(2025, 3, 1), cp_visit_working_days=10, requested_by="Bob of B"
        )
        check = imports.queue_check(filename="b-check.xlsx", requested_by="Bob of B")
    review_b = make_review(council_b, user_b, title="Bob of B's review")
    invited_b = make_invitation(review_b, "guest@b.example")  # Bob leads it: he cannot be invited
    token_b = invited_b.token
    mock_b = make_review(council_b, user_b, title="Bob of B's mock inspection")
    mock_b.kind = ReviewKind.MOCK_INSPECTION
    with acting_for(council_b.id):
        case_b = TrackedCase(
            review_id=mock_b.id,
            reference="BOB-9001",
            age_band="5 to 9",
            case_type="child_in_need",
            team="B team",
            ethnicity="",
            gender="Boy",
            area_ids=["help_protection"],
        )
        db.session.add(case_b)
        self_evaluation_b = self_evaluations.start(council_b, load_framework("ilacs-2026"), 2026, by=user_b)
        db.session.flush()
        notice_b = calls.record_call(
            calls.CallFields(date.today(), "short", "Bob of B's inspector", date.today()), date.today(), user_b
        )
        request_b = workspace_requests.add_request(
            notice_b,
            workspace_requests.RequestFields(
                "Bob of B's request", "Bob of B's inspector", date.today(), head_b.id, date.today(), "asked", "", None
            ),
            date.today(),
        )
        referred_b = workspace_requests.refer_case(
            notice_b,
            workspace_requests.ReferralFields(
                "BOB-7001", "Bob of B's referred case", date.today(), head_b.id, "open", ""
            ),
            date.today(),
        )
    jtai_b = make_visit(council_b, user_b, ReviewKind.JTAI_REHEARSAL, title="Bob of B's JTAI")
    joint_case_b = add_joint_case(jtai_b, audit_b)
    monitoring_b = make_visit(council_b, user_b, ReviewKind.MONITORING_VISIT_REHEARSAL, title="Bob of B's visit")
    recommendation_b = make_recommendation(council_b, "Bob of B's recommendation")
    db.session.commit()
    # One person of council A in each role, so each route is tried by someone allowed to use it.
    people_a = {role: make_user(council_a, role) for role in Role if role is not Role.ADMINISTRATOR}
    people_a[Role.ADMINISTRATOR] = admin_a
    db.session.commit()
    return {
        "admin_a": admin_a,
        "people_a": people_a,
        "user": user_b,
        "council_b": council_b,
        "evidence": evidence_b,
        "audit": audit_b,
        "escalation": audit_b.escalations[0],
        "attachment": attachment_b,
        "action": action_b,
        "indicator": indicator,
        "value": value,
        "import": job,
        "check": check,
        "review": review_b,
        "jtai": jtai_b,
        "joint_case": joint_case_b,
        "monitoring_visit": monitoring_b,
        "recommendation": recommendation_b,
        "invitation_token": token_b,
        "invitation": invited_b.invitation,
        "reset_token": accounts.create_password_reset(user_b).token,
        "mock_inspection": mock_b,
        "tracked_case": case_b,
        "notice": notice_b,
        "inspector_request": request_b,
        "referred_case": referred_b,
        "self_evaluation": self_evaluation_b,
    }


def _allowed_person(view, people: dict):
    roles = view.allowed_roles
    return next(person for role, person in people.items() if roles is None or role in roles)


def test_every_route_refuses_another_councils_ids(app, client, two_councils):
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments - SHARED_ARGUMENTS or rule.endpoint == "static":
            continue
        sign_in_as(client, _allowed_person(app.view_functions[rule.endpoint], two_councils["people_a"]))
        unknown = rule.arguments - OTHER_COUNCILS_IDS.keys() - SHARED_ARGUMENTS
        assert not unknown, f"{rule.rule}: add {unknown} to OTHER_COUNCILS_IDS"
        values = {argument: SHARED_VALUES[argument] for argument in rule.arguments & SHARED_ARGUMENTS}
        for argument in rule.arguments - SHARED_ARGUMENTS:
            values[argument] = OTHER_COUNCILS_IDS[argument](two_councils)
        path = url(rule.endpoint, **with_file_format(rule, values))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"role": "peer_reviewer", "active": "y", "text": "x"})
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            assert "Bob of B" not in response.get_data(as_text=True)
            checked += 1
    assert checked > 0
    with acting_for(None):
        bob = db.session.get(User, two_councils["user"].id)
        assert bob.role is Role.ADMINISTRATOR, "a refused request changed council B's data"
        assert db.session.get(EvidenceItem, two_councils["evidence"].id).status is EvidenceStatus.ACCEPTED
        assert db.session.get(Escalation, two_councils["escalation"].id).status is EscalationStatus.OPEN
        assert db.session.get(CaseAudit, two_councils["audit"].id).moderation_agreed is None
        assert db.session.get(Action, two_councils["action"].id).notes == []
        section_b = db.session.get(SelfEvaluationSection, two_councils["self_evaluation"].sections[0].id)
        assert section_b.text != "x" and section_b.version == 1


def test_lists_show_only_the_signed_in_council(client_request, two_councils):
    client_request.sign_in(two_councils["admin_a"])
    users_page = client_request.get("admin.users")
    assert "Alice of A" in [row[0] for row in table_rows(users_page)]
    assert "Bob of B" not in source(users_page)
    assert "bob@b.example" not in source(client_request.get("admin.audit_log"))
    client_request.sign_in(two_councils["people_a"][Role.SENIOR_LEADER])
    for endpoint in [
        "library.index", "library.map", "audits.index", "home.index", "actions.index", "gaps.index",
        "inspection_workspace.index", "engagement_meeting.index",
    ]:  # fmt: skip
        page = source(client_request.get(endpoint))
        assert "Bob of B" not in page and "BOB-123" not in page, endpoint


def test_queries_are_scoped_without_a_filter_in_the_query(two_councils):
    with acting_for(two_councils["admin_a"].council_id):
        names = db.session.scalars(select(User.name)).all()
    assert "Alice of A" in names and not any("Bob" in name for name in names)


def test_writing_into_another_council_is_refused(two_councils):
    with acting_for(two_councils["admin_a"].council_id):
        db.session.add(
            User(
                council_id=two_councils["council_b"].id,
                name="Intruder",
                email="i@x.example",
                password_hash="x",
                role=Role.ADMINISTRATOR,
            )
        )
        with pytest.raises(CrossCouncilWrite):
            db.session.flush()
    db.session.rollback()


def test_new_rows_take_the_current_council(two_councils):
    council_a = two_councils["admin_a"].council_id
    with acting_for(council_a):
        user = User(name="New", email="new@a.example", password_hash="x", role=Role.SENIOR_LEADER)
        db.session.add(user)
        db.session.flush()
    assert user.council_id == council_a


def test_refreshing_a_row_already_loaded_is_not_filtered(two_councils):
    """A peer reviewer works under the reviewed council; their own row must still refresh after a commit."""
    bob = two_councils["user"]
    with acting_for(two_councils["admin_a"].council_id):
        db.session.expire(bob)
        assert bob.name == "Bob of B"
        assert db.session.scalars(select(User).where(User.id == bob.id)).first() is None  # queries stay filtered


def test_deleting_another_councils_row_is_refused(two_councils):
    with acting_for(None):
        bobs = db.session.get(User, two_councils["user"].id)
    with acting_for(two_councils["admin_a"].council_id):
        db.session.delete(bobs)
        with pytest.raises(CrossCouncilWrite):
            db.session.flush()
    db.session.rollback()
