"""Mock inspections: create, sample, propose, moderate, outcome with the rules, gaps, actions, compare."""

import csv
import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from evidence.action_plan.models import Action
from evidence.library.models import EvidenceKind
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade, RecordedOutcome, TrackedCase
from evidence.reviews.models import MemberRole, Review, ReviewKind, ReviewStatus
from tests.support.client_request import url
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import card_titles, error_summary, page_text, section_text, table_rows, text
from tests.support.review_factories import add_to_team

TODAY = dt.date.today()
OUTCOME_RECORDED = "The outcome of this mock inspection has been recorded: grades can no longer change"


def _date(name, day):
    return {name: [str(day.day), str(day.month), str(day.year)]}


@pytest.fixture()
def team(client):
    council = make_council()
    council.framework_id = "sif-2013"
    lead = make_user(council, Role.SENIOR_LEADER, name="Lena Lead")
    reviewer = make_user(council, Role.HEAD_OF_SERVICE, name="Rae Reviewer")
    outsider = make_user(council, Role.HEAD_OF_SERVICE, name="Olly Outsider")
    db.session.commit()
    return {"lead": lead, "reviewer": reviewer, "outsider": outsider, "council": council}


def _start(client_request, team, framework_id="sif-2013", title="Mock inspection, spring"):
    client_request.sign_in(team["lead"])
    data = {
        "title": title,
        "framework_id": framework_id,
        **_date("starts_on", TODAY),
        **_date("ends_on", TODAY + dt.timedelta(days=5)),
    }
    client_request.post("mock_inspections.new", _data=data)
    review = db.session.scalars(select(Review).where(Review.title == title)).one()
    add_to_team(review, team["reviewer"], MemberRole.REVIEWER)
    # Under way: a planned one with no proposals has nothing to moderate (tested on its own).
    review.status = ReviewStatus.FIELDWORK
    db.session.commit()
    return review


def _grade(
    client_request,
    review,
    area_id,
    grade,
    rationale="Evidence from audits and tracked cases",
    action="moderate",
    status=302,
):
    """Save a grade as the judgement page would, based on the version it shows."""
    page = client_request.get(
        "mock_inspections.judgement", inspection_id=review.id, area_id=area_id, _expected_status=(200, 404)
    )
    version = page.select_one(f'input[name="{action}-version"]')
    return client_request.post(
        "mock_inspections.judgement",
        inspection_id=review.id,
        area_id=area_id,
        _data={
            "action": action,
            f"{action}-grade": grade,
            f"{action}-rationale": rationale,
            f"{action}-version": version["value"] if version else "0",
        },
        _expected_status=status,
    )


SIF_JUDGEMENTS = ("help_protection", "looked_after", "leadership", "looked_after.adoption", "looked_after.care_leavers")


def _record_all_good(client_request, review):
    """Moderate every SIF judgement good, then record the outcome."""
    for area_id in SIF_JUDGEMENTS:
        _grade(client_request, review, area_id, "good")
    return client_request.post(
        "mock_inspections.outcome", inspection_id=review.id, _data={"step": "record", "confirmed": "yes"}
    )


def _limits(page):
    """What each rule applied to overall effectiveness says, on the outcome page."""
    return [text(rule) for rule in page.select('.govuk-inset-text[id^="rule-"]')]


def test_a_senior_leader_starts_a_mock_inspection(client_request, team):
    review = _start(client_request, team)
    assert review.kind is ReviewKind.MOCK_INSPECTION and review.lead_id == team["lead"].id
    page = client_request.get("mock_inspections.show", inspection_id=review.id)
    assert "Adoption performance" in [row[0] for row in table_rows(page)]
    sample_link = page.select_one(f'a[href="{url("mock_inspections.sample", inspection_id=review.id)}"]')
    assert text(sample_link).startswith("Case tracking sample (0 cases")
    assert review.title in [row[0] for row in table_rows(client_request.get("mock_inspections.index"))]


def test_starting_refuses_bad_input(client_request, team):
    client_request.sign_in(team["lead"])
    page = client_request.post(
        "mock_inspections.new",
        _data={"title": "", "framework_id": "sif-2013", **_date("starts_on", TODAY), "ends_on": ["31", "2", "2027"]},
        _expected_status=200,
    )
    assert "Last day must be a real date, like 31 3 2027" in error_summary(page)
    assert db.session.scalar(select(func.count(Review.id))) == 0


def test_the_case_sample_and_its_balance(client_request, team):
    review = _start(client_request, team)
    case = {
        "reference": "CP-100201",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "Safeguarding East",
        "ethnicity": "White British",
        "area_ids": ["help_protection"],
    }
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case)
    page = client_request.get("mock_inspections.sample", inspection_id=review.id)
    shortfalls = [text(item) for item in page.select("main .govuk-list--bullet li")]
    assert "The sample has 1 cases; inspectors track 25 to 30." in shortfalls
    assert "No disabled child is in the sample." in shortfalls
    for bad, message in [
        ({"reference": "Jane Smith"}, "The case reference 'Jane Smith' is not a pseudonymised reference. "),
        ({"reference": "CP-100201"}, "CP-100201 is already in the sample"),
        ({"reference": "CP-100202", "age_band": ""}, "Choose the child's age band"),
    ]:
        page = client_request.post(
            "mock_inspections.sample", inspection_id=review.id, _data={**case, **bad}, _expected_status=200
        )
        [error] = error_summary(page)
        assert error.startswith(message), message
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 1
    tracked = db.session.scalars(select(TrackedCase)).one()
    client_request.post(
        "mock_inspections.remove_case", inspection_id=review.id, case_id=tracked.id, _data={"confirmed": "yes"}
    )
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 0


def test_reviewers_propose_and_the_lead_moderates(client_request, team):
    review = _start(client_request, team)
    client_request.sign_in(team["reviewer"])
    _grade(client_request, review, "help_protection", "good", action="propose")
    page = _grade(client_request, review, "help_protection", "good", rationale=" ", action="propose", status=200)
    assert error_summary(page) == ["Give the rationale for the grade"]
    page = _grade(client_request, review, "help_protection", "brilliant", action="propose", status=200)
    assert error_summary(page) == ["Choose a grade from the scale"]
    _grade(client_request, review, "help_protection", "inadequate", status=403)  # a reviewer cannot moderate
    client_request.sign_in(team["lead"])
    page = _grade(client_request, review, "help_protection", "requires_improvement", rationale="", status=200)
    assert error_summary(page) == ["Give the rationale for the grade"]
    assert db.session.scalar(select(func.count(ModeratedGrade.id))) == 0
    _grade(client_request, review, "help_protection", "requires_improvement")
    page = client_request.get("mock_inspections.judgement", inspection_id=review.id, area_id="help_protection")
    assert [row[0] for row in table_rows(page, "Reviewers' proposed grades")] == ["Rae Reviewer"]
    assert text(page.select_one(".govuk-inset-text strong")) == "Final grade: Requires improvement."
    proposal = db.session.scalars(select(ProposedGrade)).one()
    assert proposal.grade == "good"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"grade.proposed", "grade.moderated"} <= actions


def test_someone_not_on_the_team_cannot_reach_it(client_request, team):
    review = _start(client_request, team)
    client_request.sign_in(team["outsider"])
    client_request.get("mock_inspections.show", inspection_id=review.id, _expected_status=404)
    _grade(client_request, review, "help_protection", "good", action="propose", status=404)
    assert db.session.scalar(select(func.count(ProposedGrade.id))) == 0


def test_a_key_judgement_inadequate_limits_overall_and_cannot_be_set_aside(client_request, team):
    review = _start(client_request, team)
    for area_id, grade in [
        ("help_protection", "inadequate"),
        ("looked_after", "good"),
        ("leadership", "good"),
        ("looked_after.adoption", "good"),
        ("looked_after.care_leavers", "good"),
    ]:
        _grade(client_request, review, area_id, grade)
    page = client_request.get("mock_inspections.outcome", inspection_id=review.id)
    [limit] = _limits(page)
    assert limit.startswith("Overall effectiveness is limited to inadequate.")
    assert limit.endswith("This rule always applies: it cannot be set aside.")
    rule_ids = [rule["id"].removeprefix("rule-") for rule in page.select('.govuk-inset-text[id^="rule-"]')]
    rule_id = "key_judgement_limiter" if "key_judgement_limiter" in rule_ids else rule_ids[0]
    page = client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "set_aside", "rule_id": rule_id, "reason": "We disagree"},
        _expected_status=200,
    )
    [refusal] = error_summary(page)
    assert refusal.startswith("The hard limiter that when The experiences and progress of children who need help")
    assert refusal.endswith("Overall effectiveness is at best Inadequate can never be set aside")
    assert "key_judgement_limiter" not in page_text(page)
    [limit] = _limits(page)
    assert limit.startswith("Overall effectiveness is limited to inadequate.")
    assert limit.endswith("it cannot be set aside.")


def test_care_leavers_inadequate_alone_does_not_limit_overall(client_request, team):
    review = _start(client_request, team)
    for area_id, grade in [
        ("help_protection", "good"),
        ("looked_after", "good"),
        ("leadership", "good"),
        ("looked_after.care_leavers", "inadequate"),
    ]:
        _grade(client_request, review, area_id, grade)
    page = client_request.get("mock_inspections.outcome", inspection_id=review.id)
    assert "limited to inadequate" not in page_text(page)
    grades = dict(table_rows(page, "Judgements and grades"))
    assert grades["Overall effectiveness"] == "Good"


def test_a_presumption_is_set_aside_only_with_a_reason(client_request, team):
    team["council"].framework_id = "ilacs-2023"
    review = _start(client_request, team, framework_id="ilacs-2023")
    for area_id, grade in [
        ("leaders", "inadequate"),
        ("help_protection", "good"),
        ("in_care", "good"),
        ("care_leavers", "good"),
    ]:
        _grade(client_request, review, area_id, grade)
    page = client_request.get("mock_inspections.outcome", inspection_id=review.id)
    assert _limits(page)[0].startswith("Overall effectiveness is limited to requires improvement to be good.")
    assert "Set the presumption aside" in [text(button) for button in page.select("main button")]
    rule_id = page.select_one('input[name="rule_id"]')["value"]
    page = client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "set_aside", "rule_id": rule_id, "reason": " "},
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Enter why the presumption that when The impact of leaders on social work practice with children and "
        "families is Inadequate, Overall effectiveness is at best Requires improvement to be good should not apply here"
    ]
    reason = "New leaders have a funded plan and practice is good"
    client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "set_aside", "rule_id": rule_id, "reason": reason},
    )
    page = client_request.get("mock_inspections.outcome", inspection_id=review.id)
    [set_aside] = _limits(page)
    assert set_aside.startswith("A presumption was set aside.") and set_aside.endswith(f"The reason recorded: {reason}")
    assert "limited to inadequate" not in page_text(page)
    # A second press of the button (a second tab) was a unique-key server error; now a message.
    page = client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "set_aside", "rule_id": rule_id, "reason": reason},
        _expected_status=(200, 400),
    )
    assert error_summary(page) == ["This presumption is already set aside"]


def test_recording_the_outcome_needs_every_judgement_and_then_closes_grading(client_request, team):
    review = _start(client_request, team)
    _grade(client_request, review, "help_protection", "good")
    page = client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "record", "confirmed": "yes"},
        _expected_status=200,
    )
    [error] = error_summary(page)
    assert error.startswith("Moderate every judgement before recording the outcome: ")
    for area_id in ("looked_after", "leadership", "looked_after.adoption", "looked_after.care_leavers"):
        _grade(client_request, review, area_id, "good")
    client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "record", "confirmed": "yes"},
        _expected_redirect=url("mock_inspections.outcome", inspection_id=review.id),
    )
    assert review.status is ReviewStatus.REPORTED
    recorded = db.session.scalars(select(RecordedOutcome)).one()
    assert {a["area_id"]: a["final_grade"] for a in recorded.data["areas"]}["overall"] == "good"
    page = _grade(client_request, review, "leadership", "inadequate", status=200)
    assert error_summary(page) == [OUTCOME_RECORDED]


def test_gaps_become_actions_linked_to_the_mock_inspection(client_request, team):
    review = _start(client_request, team)
    page = client_request.get("mock_inspections.gaps", inspection_id=review.id)
    link = urlsplit(page.select_one(f'.govuk-summary-card a[href^="{url("actions.new")}"]')["href"])
    assert link.path == url("actions.new")
    query = {name: value for name, [value] in parse_qs(link.query).items()}
    assert query["review"] == str(review.id) and query["gap"]
    data = {
        "what": "Audit strategy discussions",
        "owner_id": str(team["lead"].id),
        "success_measure": "Audits good",
        "area_id": "help_protection",
        **_date("due_date", TODAY + dt.timedelta(days=20)),
    }
    client_request.post("actions.new", **query, _data=data)
    action = db.session.scalars(select(Action)).one()
    assert action.review_id == review.id and action.gap_id
    page = client_request.get("mock_inspections.gaps", inspection_id=review.id)
    linked = page.select(f'.govuk-summary-card a[href="{url("actions.show", action_id=action.id)}"]')
    assert [text(a) for a in linked] == ["Audit strategy discussions"]
    export = client_request.get_response("mock_inspections.gaps_export", inspection_id=review.id, file_format="csv")
    assert export.mimetype == "text/csv"
    header, *rows = csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")))
    assert header[-2:] == ["Service areas", "Has an action"]
    assert [row[-1] for row in rows].count("Yes") == 1  # the gap the action was made from


def test_two_recorded_mock_inspections_compare(client_request, team):
    grades_then = {
        "help_protection": "requires_improvement",
        "looked_after": "good",
        "leadership": "requires_improvement",
        "looked_after.adoption": "good",
        "looked_after.care_leavers": "good",
    }
    first = _start(client_request, team, title="Autumn mock")
    for area_id, grade in grades_then.items():
        _grade(client_request, first, area_id, grade)
    client_request.post(
        "mock_inspections.outcome", inspection_id=first.id, _data={"step": "record", "confirmed": "yes"}
    )
    second = _start(client_request, team, title="Spring mock")
    for area_id, grade in {**grades_then, "leadership": "good"}.items():
        _grade(client_request, second, area_id, grade)
    client_request.post(
        "mock_inspections.outcome", inspection_id=second.id, _data={"step": "record", "confirmed": "yes"}
    )
    page = client_request.get("mock_inspections.compare_outcomes", earlier=first.id, later=second.id)
    changes = {row[0]: row[3] for row in table_rows(page, "Grades")}
    assert changes["Leadership, management and governance"] == "Better"
    subheadings = [text(h2) for h2 in page.select("h2")]
    assert any(h.startswith("Gaps closed (") for h in subheadings) and any(
        h.startswith("New gaps (") for h in subheadings
    )
    page = client_request.get("mock_inspections.compare_outcomes", earlier=999, later=1)
    assert error_summary(page) == ["Choose two mock inspections whose outcomes have been recorded"]


def test_a_peer_review_is_not_a_mock_inspection(client_request, team):
    from tests.support.review_factories import make_review

    review = make_review(team["council"], team["lead"])
    db.session.commit()
    client_request.sign_in(team["lead"])
    client_request.get("mock_inspections.show", inspection_id=review.id, _expected_status=404)


def test_the_home_page_shows_the_latest_recorded_outcome(client_request, team):
    review = _start(client_request, team, title="Winter mock")
    _record_all_good(client_request, review)
    page = client_request.get("home.index")
    assert section_text(page, "Latest mock inspection outcome").startswith("Winter mock, recorded ")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "Enter a title for the review"),
        ({"ends_on": ["", "", ""]}, "Enter the last day of the review"),
        (
            {"ends_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year - 1)]},
            "The end date must be the same as or after",
        ),
    ],
)
def test_starting_names_each_problem_and_saves_nothing(client_request, team, change, message):
    client_request.sign_in(team["lead"])
    data = {
        "title": "Mock",
        "framework_id": "sif-2013",
        **_date("starts_on", TODAY),
        **_date("ends_on", TODAY),
        **change,
    }
    page = client_request.post("mock_inspections.new", _data=data, _expected_status=200)
    [error] = error_summary(page)
    assert error.startswith(message)
    assert db.session.scalar(select(func.count(Review.id))) == 0


def test_observers_cannot_change_the_sample_and_nobody_can_after_recording(client_request, team):
    review = _start(client_request, team)
    observer = make_user(team["council"], Role.PEER_REVIEWER, name="Obi Observer")
    add_to_team(review, observer, MemberRole.OBSERVER)
    db.session.commit()
    case = {
        "reference": "CP-100301",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "East",
        "ethnicity": "Indian",
        "area_ids": ["help_protection"],
    }
    client_request.sign_in(observer)
    client_request.get("mock_inspections.sample", inspection_id=review.id)
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case, _expected_status=403)
    client_request.sign_in(team["lead"])
    _record_all_good(client_request, review)
    page = client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case, _expected_status=200)
    assert error_summary(page) == [
        "The outcome of this mock inspection has been recorded: its case sample can no longer change"
    ]
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 0
    first = db.session.scalars(select(RecordedOutcome)).one().recorded_on
    page = client_request.post(
        "mock_inspections.outcome",
        inspection_id=review.id,
        _data={"step": "record", "confirmed": "yes"},
        _expected_status=200,
    )
    assert error_summary(page) == [
        "The outcome of this mock inspection has been recorded already: it cannot be recorded again"
    ]
    assert db.session.scalars(select(RecordedOutcome)).one().recorded_on == first


def test_the_report_stylesheet_is_embedded_as_css(app):
    from inspect_ready.documents.pdf import stylesheet

    with app.app_context():
        html = app.jinja_env.from_string("<style>{{ css }}</style>").render(css=stylesheet())
    assert "&#34;" not in html and "font-family" in html


def test_a_final_grade_closes_a_reviewers_grade_apart_from_the_evidence(client_request, team):
    review = _start(client_request, team)
    # Enough evidence for a grade (the scorer needs five graded items, one of practice itself).
    for n in range(5):
        make_evidence(
            team["council"],
            title=f"Observation {n}",
            kind=EvidenceKind.OBSERVATION,
            links=["help_protection"],
            grade="good",
        )
    db.session.commit()
    client_request.sign_in(team["reviewer"])
    _grade(client_request, review, "help_protection", "inadequate", action="propose")
    apart = {"inspection_id": review.id, "kind": "reviewer_grade_apart"}
    page = client_request.get("mock_inspections.gaps", **apart)
    assert card_titles(page) == [
        "High The experiences and progress of children who need help and protection: Across the judgement"
    ]
    assert "Rae Reviewer graded" in page_text(page)
    client_request.sign_in(team["lead"])
    _grade(client_request, review, "help_protection", "requires_improvement")
    page = client_request.get("mock_inspections.gaps", **apart)
    assert card_titles(page) == [] and "Rae Reviewer graded" not in page_text(page)
