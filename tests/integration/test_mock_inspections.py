"""Mock inspections: create, sample, propose, moderate, outcome with the rules, gaps, actions, compare."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.models import Role
from evidence.action_plan.models import Action
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade, RecordedOutcome, TrackedCase
from evidence.reviews.models import MemberRole, Review, ReviewKind, ReviewStatus
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as
from tests.support.review_factories import add_to_team

TODAY = dt.date.today()


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


def _start(client, team, framework_id="sif-2013", title="Mock inspection, spring"):
    sign_in_as(client, team["lead"])
    data = {
        "title": title,
        "framework_id": framework_id,
        **_date("starts_on", TODAY),
        **_date("ends_on", TODAY + dt.timedelta(days=5)),
    }
    response = client.post("/mock-inspections/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    review = db.session.scalars(select(Review).where(Review.title == title)).one()
    add_to_team(review, team["reviewer"], MemberRole.REVIEWER)
    db.session.commit()
    return review


def _grade(client, review, area_id, grade, rationale="Evidence from audits and tracked cases", action="moderate"):
    return client.post(
        f"/mock-inspections/{review.id}/judgements/{area_id}",
        data={"action": action, f"{action}-grade": grade, f"{action}-rationale": rationale},
    )


SIF_JUDGEMENTS = ("help_protection", "looked_after", "leadership", "looked_after.adoption", "looked_after.care_leavers")


def _record_all_good(client, review):
    """Moderate every SIF judgement good, then record the outcome."""
    for area_id in SIF_JUDGEMENTS:
        _grade(client, review, area_id, "good")
    return client.post(f"/mock-inspections/{review.id}/outcome", data={"step": "record"})


def test_a_senior_leader_starts_a_mock_inspection(client, team):
    review = _start(client, team)
    assert review.kind is ReviewKind.MOCK_INSPECTION and review.lead_id == team["lead"].id
    page = client.get(f"/mock-inspections/{review.id}").get_data(as_text=True)
    assert "Adoption performance" in page and "Case tracking sample (0 cases" in page
    assert review.title in client.get("/mock-inspections/").get_data(as_text=True)


def test_starting_refuses_bad_input(client, team):
    sign_in_as(client, team["lead"])
    page = client.post(
        "/mock-inspections/new",
        data={"title": "", "framework_id": "sif-2013", **_date("starts_on", TODAY), "ends_on": ["31", "2", "2027"]},
    ).get_data(as_text=True)
    assert "Last day must be a real date" in page
    assert db.session.scalar(select(func.count(Review.id))) == 0


def test_the_case_sample_and_its_balance(client, team):
    review = _start(client, team)
    case = {
        "reference": "CP-100201",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "Safeguarding East",
        "ethnicity": "White British",
        "area_ids": ["help_protection"],
    }
    assert client.post(f"/mock-inspections/{review.id}/sample", data=case).status_code == 302
    page = client.get(f"/mock-inspections/{review.id}/sample").get_data(as_text=True)
    assert "The sample has 1 cases; inspectors track 25 to 30." in page
    assert "No disabled child is in the sample." in page
    for bad, message in [
        ({"reference": "Jane Smith"}, "not a pseudonymised reference"),
        ({"reference": "CP-100201"}, "already in the sample"),
        ({"reference": "CP-100202", "age_band": ""}, "Choose the child&#39;s age band"),
    ]:
        page = client.post(f"/mock-inspections/{review.id}/sample", data={**case, **bad}).get_data(as_text=True)
        assert message in page, message
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 1
    tracked = db.session.scalars(select(TrackedCase)).one()
    client.post(f"/mock-inspections/{review.id}/sample/{tracked.id}/remove")
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 0


def test_reviewers_propose_and_the_lead_moderates(client, team):
    review = _start(client, team)
    sign_in_as(client, team["reviewer"])
    assert _grade(client, review, "help_protection", "good", action="propose").status_code == 302
    page = _grade(client, review, "help_protection", "good", rationale=" ", action="propose").get_data(as_text=True)
    assert "Give the rationale for the grade" in page
    page = _grade(client, review, "help_protection", "brilliant", action="propose").get_data(as_text=True)
    assert "Choose a grade from the scale" in page
    assert _grade(client, review, "help_protection", "inadequate").status_code == 403  # a reviewer cannot moderate
    sign_in_as(client, team["lead"])
    page = _grade(client, review, "help_protection", "requires_improvement", rationale="").get_data(as_text=True)
    assert "Give the rationale for the grade" in page
    assert db.session.scalar(select(func.count(ModeratedGrade.id))) == 0
    assert _grade(client, review, "help_protection", "requires_improvement").status_code == 302
    page = client.get(f"/mock-inspections/{review.id}/judgements/help_protection").get_data(as_text=True)
    assert "Rae Reviewer" in page and "Final grade: Requires improvement" in page
    proposal = db.session.scalars(select(ProposedGrade)).one()
    assert proposal.grade == "good"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"grade.proposed", "grade.moderated"} <= actions


def test_someone_not_on_the_team_cannot_reach_it(client, team):
    review = _start(client, team)
    sign_in_as(client, team["outsider"])
    assert client.get(f"/mock-inspections/{review.id}").status_code == 404
    assert _grade(client, review, "help_protection", "good", action="propose").status_code == 404
    assert db.session.scalar(select(func.count(ProposedGrade.id))) == 0


def test_a_key_judgement_inadequate_limits_overall_and_cannot_be_set_aside(client, team):
    review = _start(client, team)
    for area_id, grade in [
        ("help_protection", "inadequate"),
        ("looked_after", "good"),
        ("leadership", "good"),
        ("looked_after.adoption", "good"),
        ("looked_after.care_leavers", "good"),
    ]:
        assert _grade(client, review, area_id, grade).status_code == 302
    page = client.get(f"/mock-inspections/{review.id}/outcome").get_data(as_text=True)
    assert "Overall effectiveness is limited to inadequate." in page
    assert "cannot be set aside" in page
    rule_id = "key_judgement_limiter" if "key_judgement_limiter" in page else page.split('id="rule-')[1].split('"')[0]
    page = client.post(
        f"/mock-inspections/{review.id}/outcome",
        data={"step": "set_aside", "rule_id": rule_id, "reason": "We disagree"},
    ).get_data(as_text=True)
    assert "govuk-error-summary" in page and "cannot" in page.lower()
    assert "Overall effectiveness is limited to inadequate." in page


def test_care_leavers_inadequate_alone_does_not_limit_overall(client, team):
    review = _start(client, team)
    for area_id, grade in [
        ("help_protection", "good"),
        ("looked_after", "good"),
        ("leadership", "good"),
        ("looked_after.care_leavers", "inadequate"),
    ]:
        _grade(client, review, area_id, grade)
    page = client.get(f"/mock-inspections/{review.id}/outcome").get_data(as_text=True)
    assert "limited to inadequate" not in page
    overall_row = page.split("Overall effectiveness</th>")[1].split("</tr>")[0]
    assert "Good" in overall_row


def test_a_presumption_is_set_aside_only_with_a_reason(client, team):
    team["council"].framework_id = "ilacs-2023"
    review = _start(client, team, framework_id="ilacs-2023")
    for area_id, grade in [
        ("leaders", "inadequate"),
        ("help_protection", "good"),
        ("in_care", "good"),
        ("care_leavers", "good"),
    ]:
        _grade(client, review, area_id, grade)
    page = client.get(f"/mock-inspections/{review.id}/outcome").get_data(as_text=True)
    assert "Overall effectiveness is limited to inadequate." in page and "Set the presumption aside" in page
    rule_id = page.split('name="rule_id" value="')[1].split('"')[0]
    page = client.post(
        f"/mock-inspections/{review.id}/outcome", data={"step": "set_aside", "rule_id": rule_id, "reason": " "}
    ).get_data(as_text=True)
    assert "govuk-error-summary" in page
    reason = "New leaders have a funded plan and practice is good"
    client.post(
        f"/mock-inspections/{review.id}/outcome", data={"step": "set_aside", "rule_id": rule_id, "reason": reason}
    )
    page = client.get(f"/mock-inspections/{review.id}/outcome").get_data(as_text=True)
    assert "A presumption was set aside." in page and reason in page
    assert "limited to inadequate" not in page


def test_recording_the_outcome_needs_every_judgement_and_then_closes_grading(client, team):
    review = _start(client, team)
    _grade(client, review, "help_protection", "good")
    page = client.post(f"/mock-inspections/{review.id}/outcome", data={"step": "record"}).get_data(as_text=True)
    assert "Moderate every judgement before recording the outcome" in page
    for area_id in ("looked_after", "leadership", "looked_after.adoption", "looked_after.care_leavers"):
        _grade(client, review, area_id, "good")
    assert client.post(f"/mock-inspections/{review.id}/outcome", data={"step": "record"}).status_code == 302
    assert review.status is ReviewStatus.REPORTED
    recorded = db.session.scalars(select(RecordedOutcome)).one()
    assert {a["area_id"]: a["final_grade"] for a in recorded.data["areas"]}["overall"] == "good"
    page = _grade(client, review, "leadership", "inadequate").get_data(as_text=True)
    assert "can no longer change" in page


def test_gaps_become_actions_linked_to_the_mock_inspection(client, team):
    review = _start(client, team)
    page = client.get(f"/mock-inspections/{review.id}/gaps").get_data(as_text=True)
    link = page.split('href="/actions/new?')[1].split('"')[0].replace("&amp;", "&")
    assert f"review={review.id}" in link
    data = {
        "what": "Audit strategy discussions",
        "owner_id": str(team["lead"].id),
        "success_measure": "Audits good",
        "area_id": "help_protection",
        **_date("due_date", TODAY + dt.timedelta(days=20)),
    }
    response = client.post(f"/actions/new?{link}", data=data)
    assert response.status_code == 302
    action = db.session.scalars(select(Action)).one()
    assert action.review_id == review.id and action.gap_id
    assert "Audit strategy discussions" in client.get(f"/mock-inspections/{review.id}/gaps").get_data(as_text=True)
    assert client.get(f"/mock-inspections/{review.id}/gaps.csv").mimetype == "text/csv"


def test_two_recorded_mock_inspections_compare(client, team):
    grades_then = {
        "help_protection": "requires_improvement",
        "looked_after": "good",
        "leadership": "requires_improvement",
        "looked_after.adoption": "good",
        "looked_after.care_leavers": "good",
    }
    first = _start(client, team, title="Autumn mock")
    for area_id, grade in grades_then.items():
        _grade(client, first, area_id, grade)
    client.post(f"/mock-inspections/{first.id}/outcome", data={"step": "record"})
    second = _start(client, team, title="Spring mock")
    for area_id, grade in {**grades_then, "leadership": "good"}.items():
        _grade(client, second, area_id, grade)
    client.post(f"/mock-inspections/{second.id}/outcome", data={"step": "record"})
    page = client.get(f"/mock-inspections/compare?earlier={first.id}&later={second.id}").get_data(as_text=True)
    leadership = page.split("Leadership, management and governance")[1].split("</tr>")[0]
    assert "Better" in leadership
    assert "Gaps closed" in page and "New gaps" in page
    page = client.get("/mock-inspections/compare?earlier=999&later=1").get_data(as_text=True)
    assert "Choose two mock inspections whose outcomes have been recorded" in page


def test_the_outcome_downloads_as_a_pdf(client, team):
    review = _start(client, team)
    _grade(client, review, "help_protection", "inadequate")
    response = client.get(f"/mock-inspections/{review.id}/outcome.pdf")
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF")


def test_a_peer_review_is_not_a_mock_inspection(client, team):
    from tests.support.review_factories import make_review

    review = make_review(team["council"], team["lead"])
    db.session.commit()
    sign_in_as(client, team["lead"])
    assert client.get(f"/mock-inspections/{review.id}").status_code == 404


def test_the_home_page_shows_the_latest_recorded_outcome(client, team):
    review = _start(client, team, title="Winter mock")
    _record_all_good(client, review)
    page = client.get("/").get_data(as_text=True)
    assert "Latest mock inspection outcome" in page and "Winter mock" in page


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
def test_starting_names_each_problem_and_saves_nothing(client, team, change, message):
    sign_in_as(client, team["lead"])
    data = {
        "title": "Mock",
        "framework_id": "sif-2013",
        **_date("starts_on", TODAY),
        **_date("ends_on", TODAY),
        **change,
    }
    page = client.post("/mock-inspections/new", data=data).get_data(as_text=True)
    assert message in page and "govuk-error-summary" in page
    assert db.session.scalar(select(func.count(Review.id))) == 0


def test_observers_cannot_change_the_sample_and_nobody_can_after_recording(client, team):
    review = _start(client, team)
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
    sign_in_as(client, observer)
    assert client.get(f"/mock-inspections/{review.id}/sample").status_code == 200
    assert client.post(f"/mock-inspections/{review.id}/sample", data=case).status_code == 403
    sign_in_as(client, team["lead"])
    _record_all_good(client, review)
    page = client.post(f"/mock-inspections/{review.id}/sample", data=case).get_data(as_text=True)
    assert "can no longer change" in page
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 0
    first = db.session.scalars(select(RecordedOutcome)).one().recorded_on
    page = client.post(f"/mock-inspections/{review.id}/outcome", data={"step": "record"}).get_data(as_text=True)
    assert "can no longer change" in page
    assert db.session.scalars(select(RecordedOutcome)).one().recorded_on == first


def test_the_report_stylesheet_is_embedded_as_css(app):
    from inspect_ready import review_report

    with app.app_context():
        html = app.jinja_env.from_string("<style>{{ css }}</style>").render(css=review_report.stylesheet())
    assert "&#34;" not in html and "font-family" in html
