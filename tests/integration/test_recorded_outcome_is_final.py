"""A recorded mock inspection outcome is final, and the review's edit page shows what is
saved (issue 11, point 2)."""

import pytest
from sqlalchemy import func, select

from councils.db import db
from evidence.mock_inspections.models import ModeratedGrade, RecordedOutcome, TrackedCase
from evidence.reviews.models import ReviewKind, ReviewStatus
from tests.integration.test_mock_inspections import _grade, _record_all_good, _start, team  # noqa: F401 - the fixture
from tests.support.pages import banners, error_summary, form_values

CASE = {
    "reference": "CP-100301",
    "age_band": "5 to 9",
    "case_type": "child_protection",
    "gender": "Girl",
    "team": "East",
    "ethnicity": "Indian",
    "area_ids": ["help_protection"],
}
RECORDED = "The outcome of this mock inspection has been recorded"


def _edit_form(client_request, review):
    page = client_request.get("reviews.edit", review_id=review.id)
    return form_values(page.select_one("main form"))


@pytest.fixture()
def recorded(client_request, team):  # noqa: F811 - the fixture imported above
    review = _start(client_request, team)
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=CASE)
    _record_all_good(client_request, review)
    assert review.status is ReviewStatus.REPORTED
    return review


def _snapshot(review):
    db.session.expire_all()
    outcome = db.session.scalars(select(RecordedOutcome)).one()
    grades = {m.area_id: m.grade for m in db.session.scalars(select(ModeratedGrade))}
    cases = db.session.scalars(select(TrackedCase.reference)).all()
    return review.status, review.kind, outcome.data, outcome.recorded_on, grades, cases


def test_the_edit_form_shows_the_saved_kind_status_and_scope(client_request, team):  # noqa: F811
    from tests.support.review_factories import make_review

    review = make_review(team["council"], team["lead"], status=ReviewStatus.MODERATION)
    review.scope_area_ids = ["help_protection", "leadership"]
    db.session.commit()
    client_request.sign_in(team["lead"])
    sent = _edit_form(client_request, review)
    assert sent["kind"] == ["peer_review"]
    assert sent["status"] == ["moderation"]
    assert sent["scope_area_ids"] == ["help_protection", "leadership"]
    client_request.post("reviews.edit", review_id=review.id, _data=sent)
    db.session.expire_all()
    assert (review.kind, review.status, review.scope_area_ids) == (
        ReviewKind.PEER_REVIEW,
        ReviewStatus.MODERATION,
        ["help_protection", "leadership"],
    )


def test_a_recorded_mock_inspection_saves_unchanged_from_its_edit_page(client_request, recorded):
    before = _snapshot(recorded)
    sent = _edit_form(client_request, recorded)
    assert sent["kind"] == ["mock_inspection"] and sent["status"] == ["reported"]
    client_request.post("reviews.edit", review_id=recorded.id, _data=sent | {"title": ["Spring mock, final"]})
    assert recorded.title == "Spring mock, final" and _snapshot(recorded) == before


@pytest.mark.parametrize("status", ["planned", "fieldwork", "moderation"])
def test_a_recorded_outcome_cannot_be_reopened(client_request, recorded, status):
    before = _snapshot(recorded)
    sent = _edit_form(client_request, recorded) | {"status": [status]}
    page = client_request.post("reviews.edit", review_id=recorded.id, _data=sent, _expected_status=200)
    [error] = error_summary(page)
    assert error.startswith(RECORDED) and "reported or closed" in error
    assert _snapshot(recorded) == before
    client_request.get("mock_inspections.show", inspection_id=recorded.id)


def test_a_recorded_mock_inspection_may_close(client_request, recorded):
    client_request.post(
        "reviews.edit", review_id=recorded.id, _data=_edit_form(client_request, recorded) | {"status": ["closed"]}
    )
    assert recorded.status is ReviewStatus.CLOSED
    page = client_request.post(
        "mock_inspections.outcome", inspection_id=recorded.id, _data={"step": "record", "confirmed": "yes"}, _expected_status=200
    )
    assert error_summary(page)[0].startswith(RECORDED)


@pytest.mark.parametrize("kind", ["peer_review", "focused_visit_rehearsal", "thematic_review"])
def test_a_mock_inspection_stays_a_mock_inspection(client_request, team, kind):  # noqa: F811
    review = _start(client_request, team)
    # With a focus, as a focused visit must have: the kind alone is what is refused.
    sent = _edit_form(client_request, review) | {"kind": [kind], "focus_theme_id": ["front_door"]}
    page = client_request.post("reviews.edit", review_id=review.id, _data=sent, _expected_status=200)
    assert error_summary(page) == [
        "A mock inspection stays a mock inspection: its grades, sample and outcome are on its own pages"
    ]
    db.session.expire_all()
    assert review.kind is ReviewKind.MOCK_INSPECTION
    client_request.get("mock_inspections.show", inspection_id=review.id)


def test_regrading_and_recording_again_are_refused(client_request, recorded):
    before = _snapshot(recorded)
    page = _grade(client_request, recorded, "leadership", "inadequate", status=200)
    assert error_summary(page) == [f"{RECORDED}: grades can no longer change"]
    page = client_request.post(
        "mock_inspections.outcome", inspection_id=recorded.id, _data={"step": "record", "confirmed": "yes"}, _expected_status=200
    )
    assert error_summary(page) == [f"{RECORDED} already: it cannot be recorded again"]
    assert _snapshot(recorded) == before


def test_the_sample_of_a_recorded_outcome_is_fixed(client_request, recorded):
    before = _snapshot(recorded)
    page = client_request.get("mock_inspections.sample", inspection_id=recorded.id)
    assert not page.select("main form"), "no add or remove is offered"
    page = client_request.post(
        "mock_inspections.sample",
        inspection_id=recorded.id,
        _data=CASE | {"reference": "CP-100302"},
        _expected_status=200,
    )
    assert error_summary(page) == [f"{RECORDED}: its case sample can no longer change"]
    [case] = db.session.scalars(select(TrackedCase)).all()
    page = client_request.post(
        "mock_inspections.remove_case", inspection_id=recorded.id, case_id=case.id, _follow_redirects=True
    )
    assert f"{RECORDED}: its case sample can no longer change" in " ".join(banners(page) + error_summary(page))
    assert db.session.scalar(select(func.count(TrackedCase.id))) == 1
    assert _snapshot(recorded) == before


def test_a_reported_mock_inspection_reads_its_recorded_standing_and_never_rescores(
    client_request,
    recorded,
    team,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    from councils import standing_cache
    from councils.tenancy import acting_for
    from evidence import standing
    from evidence.mock_inspections import inspections
    from tests.support.factories import make_evidence

    council = team["council"]
    with acting_for(council.id):
        graded = inspections.grading(recorded, council)
    # Later evidence changes nothing of what was recorded, and no page of it scores again.
    make_evidence(council, title="Plans drift for months", grade="inadequate", links=["help_protection"])
    db.session.commit()
    standing_cache.clear_memo()

    def rescored(*_args, **_kwargs):
        raise AssertionError("a reported mock inspection was scored again")

    monkeypatch.setattr(standing, "fresh_outcome", rescored)
    with acting_for(council.id):
        again = inspections.grading(recorded, council)
    assert (again.evidence, again.signals) == (graded.evidence, graded.signals)
    for endpoint in ("mock_inspections.show", "mock_inspections.outcome", "mock_inspections.gaps"):
        client_request.get(endpoint, inspection_id=recorded.id)
    client_request.get_response("mock_inspections.gaps_export", inspection_id=recorded.id, file_format="csv")
