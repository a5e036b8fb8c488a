"""The home page tells a senior leader the truth: every open escalation of the council,
overdue first; how much evidence is stale; whether the framework has an overall grade;
names, never ids; dates in the one GOV.UK form."""

from datetime import date, timedelta

from councils.db import db
from councils.models import Role, ServiceArea
from evidence.case_audits.audits import EscalationInput
from tests.support.factories import make_audit, make_council, make_evidence, make_user, sign_in_as
from tests.support.pages import page_text, section_text, table_rows

TODAY = date.today()


def _escalated(council, owner, reference, audit_date, due):
    return make_audit(
        council,
        case_reference=reference,
        overall_grade="inadequate",
        audit_date=audit_date,
        escalation=EscalationInput("Risk not assessed", owner.id, due),
    )


def _leader_home(client_request, client, council):
    leader = make_user(council, Role.SENIOR_LEADER)
    sign_in_as(client, leader)
    return client_request.get("home.index")


def test_a_senior_leader_sees_every_open_escalation_of_the_council_overdue_first(client_request, client):
    council = make_council()
    head = make_user(council, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CHILD_PROTECTION)
    _escalated(council, head, "CP-100002", TODAY - timedelta(days=3), TODAY + timedelta(days=7))
    _escalated(council, head, "CP-100001", TODAY - timedelta(days=40), TODAY - timedelta(days=25))
    other = make_council()
    _escalated(other, make_user(other, Role.HEAD_OF_SERVICE), "CP-999999", TODAY, TODAY + timedelta(days=1))
    db.session.commit()

    home = _leader_home(client_request, client, council)

    rows = table_rows(home, "2 open")
    assert [row[0] for row in rows] == ["CP-100001", "CP-100002"]
    overdue_due = TODAY - timedelta(days=25)
    assert rows[0][3] == f"{overdue_due.day} {overdue_due:%B %Y} Overdue"
    assert "1 of 2 open escalations is overdue." in section_text(home, "Open escalations")
    assert "CP-999999" not in page_text(home)
    assert "no open escalations" not in page_text(home)


def test_home_counts_stale_evidence_and_names_the_framework(client_request, client):
    council = make_council()
    make_evidence(council, title="Old front door audit", evidence_date=TODAY - timedelta(days=400))
    make_evidence(council, title="Older audit", evidence_date=TODAY - timedelta(days=500), links=["leaders", "in_care"])
    make_evidence(council, title="New audit")
    db.session.commit()

    home = _leader_home(client_request, client, council)

    today_section = section_text(home, "Where the evidence says we stand today")
    assert "2 pieces of evidence are more than 183 days old" in today_section
    assert "Inspecting local authority children's services (ILACS), from April 2026" in today_section
    assert "ilacs-2026" not in page_text(home)


def test_a_framework_without_an_overall_grade_says_so(client_request, client):
    home = _leader_home(client_request, client, make_council())
    assert "This framework gives no overall effectiveness grade" in section_text(
        home, "Where the evidence says we stand today"
    )


def test_a_framework_with_an_overall_grade_shows_it(client_request, client):
    council = make_council()
    council.framework_id = "ilacs-2023"
    home = _leader_home(client_request, client, council)
    shown = section_text(home, "Where the evidence says we stand today")
    assert "Overall effectiveness" in shown
    assert "This framework gives no overall effectiveness grade" not in shown


def test_home_shows_the_ten_most_urgent_escalations_and_counts_the_rest(client_request, client):
    council = make_council()
    head = make_user(council, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CHILD_PROTECTION)
    for n in range(12):
        _escalated(council, head, f"CP-2000{n:02d}", TODAY - timedelta(days=30), TODAY - timedelta(days=12 - n))
    db.session.commit()

    home = _leader_home(client_request, client, council)

    rows = table_rows(home, "12 open, the 10 most urgent shown")
    assert [row[0] for row in rows] == [f"CP-2000{n:02d}" for n in range(10)]
    shown = section_text(home, "Open escalations")
    assert "12 of 12 open escalations are overdue." in shown and "See all 12 open escalations" in shown


def test_home_lists_the_ten_longest_overdue_actions_and_counts_them_all(client_request, client):
    from councils.tenancy import acting_for
    from evidence.action_plan.models import Action, ActionStatus

    council = make_council()
    owner = make_user(council, Role.HEAD_OF_SERVICE)
    with acting_for(council.id):
        for days_late in range(1, 13):
            db.session.add(
                Action(
                    what=f"Late by {days_late} days",
                    owner_id=owner.id,
                    due_date=TODAY - timedelta(days=days_late),
                    success_measure="Done",
                    area_id="leaders",
                )
            )
        db.session.add(
            Action(
                what="Finished late",
                owner_id=owner.id,
                due_date=TODAY - timedelta(days=30),
                success_measure="Done",
                area_id="leaders",
                status=ActionStatus.DONE,
            )
        )
        db.session.add(
            Action(
                what="Due next week",
                owner_id=owner.id,
                due_date=TODAY + timedelta(days=7),
                success_measure="Done",
                area_id="leaders",
            )
        )
        db.session.commit()

    home = _leader_home(client_request, client, council)

    listed = section_text(home, "Overdue actions")
    assert [f"Late by {n} days" in listed for n in range(1, 13)] == [n > 2 for n in range(1, 13)]
    assert "Finished late" not in listed and "Due next week" not in listed
    assert "See all 12 overdue actions" in listed
