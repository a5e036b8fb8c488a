"""`flask setup-demo --evidence-items N`: the demo council grown to a large council's size,
with the same logins, its bulk-loaded records as the pages expect them, and bad sizes refused."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from councils import clock
from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.case_audits.models import AuditAnswer, CaseAudit, Escalation, EscalationStatus
from evidence.library.models import EvidenceItem, EvidenceLink
from evidence.mock_inspections.models import RecordedOutcome
from evidence.performance.models import IndicatorValue
from evidence.reviews.models import Finding, Review, ReviewKind, ReviewStatus
from tests.support.fresh_database import fresh_app

# The hand-made demo's own counts, which the grown council must exceed.
DEMO_AUDITS = 320


@pytest.fixture()
def demo_app(tmp_path, monkeypatch):
    """An app on an empty database of its own that may load the demo (SQLite or PostgreSQL)."""
    monkeypatch.delenv("LOAD_DEMO_DATA", raising=False)
    with fresh_app(tmp_path) as app:
        app.config["LOAD_DEMO_DATA"] = True
        app.instance_path = str(tmp_path)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _logins_path(app) -> Path:
    return Path(app.instance_path) / "demo-logins.json"


def _count(model) -> int:
    with acting_for(None):
        return db.session.scalar(select(func.count()).select_from(model))


def test_setup_demo_at_500_items_builds_about_that_many_and_its_logins_work(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["setup-demo", "--evidence-items", "500"])
    assert result.exit_code == 0, result.output
    assert "Built the demo council with 500 evidence items" in result.output
    logins = json.loads(_logins_path(demo_app).read_text())
    assert len(logins) == 6  # one a role, a second head of service, and the JTAI's police auditor
    for login in logins:
        assert f"{login['role']}: {login['email']} / {login['password']}" in result.output
    with demo_app.app_context():
        assert 475 <= _count(EvidenceItem) <= 525
        assert _count(CaseAudit) > DEMO_AUDITS  # grown, not only the hand-made demo's
        assert _count(Council) == 3  # the demo council, the peer council, the police force
        client = demo_app.test_client()
        demo_app.config["WTF_CSRF_ENABLED"] = False
        for login in logins:
            response = client.post("/sign-in", data={"email": login["email"], "password": login["password"]})
            assert response.status_code == 302 and response.location == "/", login
            assert client.get("/").status_code == 200, login
            client.post("/sign-out")


def test_a_grown_demo_has_every_kind_of_record_and_the_pages_show_them(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["setup-demo", "--evidence-items", "1500"])
    assert result.exit_code == 0, result.output
    with demo_app.app_context():
        assert 1450 <= _count(EvidenceItem) <= 1550
        with acting_for(None):
            # Every item's judgement areas, and every audit's answers, as record_audit() makes them.
            unlinked = select(EvidenceItem.id).where(~EvidenceItem.links.any())
            assert db.session.scalars(unlinked).first() is None
            assert db.session.scalar(select(func.count(func.distinct(AuditAnswer.case_audit_id)))) == _count(CaseAudit)
            grades = set(db.session.scalars(select(CaseAudit.overall_grade)))
            assert grades == {"outstanding", "good", "requires_improvement", "inadequate"}
            days = db.session.execute(select(func.min(CaseAudit.audit_date), func.max(CaseAudit.audit_date))).one()
            assert (days[1] - days[0]).days > 2 * 365  # over two to three years
            assert db.session.scalar(select(func.count(func.distinct(CaseAudit.team)))) >= 5
            counted = select(func.count()).where(IndicatorValue.numerator.is_not(None))
            assert db.session.scalar(counted) > 0
            statuses = set(db.session.scalars(select(Escalation.status)))
            assert EscalationStatus.RESOLVED in statuses
            peer = db.session.scalars(select(Review).where(Review.kind == ReviewKind.PEER_REVIEW)).all()
            assert len(peer) >= 2 and db.session.scalar(select(func.count(Finding.id))) > 4
            mocks = select(func.count()).where(
                Review.kind == ReviewKind.MOCK_INSPECTION, Review.status == ReviewStatus.REPORTED
            )
            assert db.session.scalar(mocks) == _count(RecordedOutcome) >= 3
            bulk_mock = db.session.scalars(
                select(RecordedOutcome.review_id).order_by(RecordedOutcome.recorded_on).limit(1)
            ).one()
            bulk_review = peer[-1].id
            audit_id = db.session.scalars(select(CaseAudit.id).order_by(CaseAudit.id.desc()).limit(1)).one()
            item_id = db.session.scalars(select(EvidenceItem.id).order_by(EvidenceItem.id.desc()).limit(1)).one()
            link_count = _count(EvidenceLink)
            leader = db.session.scalars(select(User).where(User.email == "director@northshire.example")).one()
        assert link_count >= _count(EvidenceItem)
        assert _count(Action) > 4
        client = demo_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = leader.get_id()
            session["_fresh"] = True
            session["signed_in_at"] = clock.now().isoformat()
        for path in [
            "/",
            f"/mock-inspections/{bulk_mock}/outcome",
            "/mock-inspections/compare",
            f"/reviews/{bulk_review}/report",
            f"/audits/{audit_id}",
            f"/evidence/{item_id}",
            "/evidence/",
            "/evidence/map",
            "/gaps/",
            "/performance/",
            "/actions/",
            "/audits/",
        ]:
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("given", "words"),
    [("0", "0 is too few"), ("-20", "-20 is too few"), (str(10**9), "1,000,000,000 is too many")],
)
def test_setup_demo_refuses_a_size_out_of_range_and_builds_nothing(demo_app, given, words):
    result = demo_app.test_cli_runner().invoke(args=["setup-demo", "--evidence-items", given])
    assert result.exit_code == 2
    assert "--evidence-items" in result.output and words in result.output
    assert "from 500 to 1,000,000" in result.output
    assert not _logins_path(demo_app).exists()
    with demo_app.app_context():
        assert "council" not in db.inspect(db.engine).get_table_names()  # not even migrated


def test_a_size_for_a_demo_already_loaded_says_to_start_again(demo_app):
    runner = demo_app.test_cli_runner()
    assert runner.invoke(args=["setup-demo"]).exit_code == 0
    result = runner.invoke(args=["setup-demo", "--evidence-items", "2000"])
    assert result.exit_code != 0 and "flask reset-demo --yes --evidence-items 2000" in result.output
    refused = runner.invoke(args=["reset-demo", "--yes", "--evidence-items", "0"])
    assert refused.exit_code == 2 and "0 is too few" in refused.output
    with demo_app.app_context():
        assert _count(Council) == 3  # the refused reset deleted nothing
