"""The demo data: a reported peer review with the four lines of enquiry of seed 002, a mock
inspection under way, and two recorded mock inspections six months apart showing improvement."""

from datetime import date

from sqlalchemy import select

from councils.db import db
from councils.tenancy import acting_for
from evidence.action_plan import actions
from evidence.action_plan.models import ActionStatus
from evidence.mock_inspections.inspections import sample_of, sample_shortfalls
from evidence.mock_inspections.models import RecordedOutcome
from evidence.reviews.models import FindingStatus, Review, ReviewKind, ReviewStatus
from inspect_ready import demo


def test_the_demo_has_a_reported_peer_review_and_an_ongoing_one(database, tmp_path):
    demo.load(tmp_path / "logins.json")
    with acting_for(None):
        reported = db.session.scalars(select(Review).where(Review.kind == ReviewKind.PEER_REVIEW)).one()
        ongoing = db.session.scalars(
            select(Review).where(Review.status == ReviewStatus.FIELDWORK, Review.kind == ReviewKind.MOCK_INSPECTION)
        ).one()
    assert reported.status is ReviewStatus.REPORTED and ongoing.status is ReviewStatus.FIELDWORK
    assert [k.bank_id for k in reported.kloes] == [
        "ld.kloe.learning_culture",
        "ld.kloe.assurance_systems",
        "hp.kloe.shared_understanding",
        "hp.kloe.early_access",
    ]
    assert all(k.finding.status is FindingStatus.COMPLETE and k.member_ids for k in reported.kloes)
    assert "Eastbrook Borough Council" in {m.organisation for m in ongoing.members}


def test_the_demo_has_two_recorded_mock_inspections_showing_improvement(database, tmp_path):
    demo.load(tmp_path / "logins.json")
    with acting_for(None):
        earlier, later = db.session.scalars(select(RecordedOutcome).order_by(RecordedOutcome.recorded_on)).all()
        ongoing = db.session.scalars(
            select(Review).where(Review.status == ReviewStatus.FIELDWORK, Review.kind == ReviewKind.MOCK_INSPECTION)
        ).one()
        assert 175 <= (later.recorded_on - earlier.recorded_on).days <= 190
        grades = (
            {a["area_id"]: a["final_grade"] for a in earlier.data["areas"]},
            {a["area_id"]: a["final_grade"] for a in later.data["areas"]},
        )
        assert grades[0]["leaders"] == "requires_improvement" and grades[1]["leaders"] == "good"
        with acting_for(ongoing.council_id):
            # The performance clinic's corrective actions are in the plan too; these are the gaps'.
            plan = [a for a in actions.plan(today=date.today()) if a.indicator_value_id is None]
            assert len(plan) == 4 and all(a.gap_id and a.review_id == later.review_id for a in plan)
            assert actions.plan(today=date.today(), corrective=True)
            assert plan[0].is_overdue(date.today()) and any(a.status is ActionStatus.DONE for a in plan)
            cases = sample_of(ongoing)
            assert len(cases) == 26
            assert [s.dimension for s in sample_shortfalls(cases)] == ["disability"]


def test_the_demo_has_a_focused_visit_and_a_jtai_with_a_police_auditor(database, tmp_path):
    logins = demo.load(tmp_path / "logins.json")
    from evidence.visits.models import AgencyCaseView, CaseViewFrom, JointCase

    with acting_for(None):
        focused = db.session.scalars(select(Review).where(Review.kind == ReviewKind.FOCUSED_VISIT_REHEARSAL)).one()
        jtai = db.session.scalars(select(Review).where(Review.kind == ReviewKind.JTAI_REHEARSAL)).one()
        views = db.session.scalars(select(AgencyCaseView.agency).join(JointCase)).all()
    assert (focused.focus_theme_id, focused.status) == ("front_door", ReviewStatus.REPORTED)
    assert all(k.finding.status is FindingStatus.COMPLETE and k.finding.grade is None for k in focused.kloes)
    assert jtai.focus_theme_id == "domestic_abuse"
    police = next(m for m in jtai.members if m.agency is not None)
    assert (police.name, police.organisation) == ("DS Priya Shah", "Police")
    assert sorted(views, key=lambda v: v.value) == [
        CaseViewFrom.CHILDRENS_SOCIAL_CARE,
        CaseViewFrom.CHILDRENS_SOCIAL_CARE,
        CaseViewFrom.POLICE,
    ]
    # The police auditor's login is printed with the others, under their own organisation.
    [login] = [entry for entry in logins if entry["role"] == "partner agency auditor (police)"]
    assert login["council"] == "Northshire Police"
