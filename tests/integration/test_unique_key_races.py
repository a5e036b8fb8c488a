"""Two first saves of one record at once meet the unique key: the later is told so on the
page, as a stale save or the page's own message, never a server error (issue 11, point 5).

Each test saves the first record, then lets the second request's look-up miss it, as it
would have if it ran before the first request committed; the database's unique key then
refuses the second insert."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from councils.db import db
from evidence.mock_inspections import inspections
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade, TrackedCase
from evidence.performance import indicators
from evidence.performance.models import IndicatorValue
from tests.integration.test_mock_inspections import _grade, _start, team  # noqa: F401 - the fixture
from tests.integration.test_performance import leader  # noqa: F401 - the fixture
from tests.support.pages import error_summary, page_text


def _missed_once(monkeypatch, module, name):
    """The next look-up `name` of `module` finds nothing; later ones find what is saved."""
    real = getattr(module, name)
    calls = []

    def look_up(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(module, name, look_up)
    return calls


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize(
    "action, look_up, model",
    [("moderate", "final_grade", ModeratedGrade), ("propose", "own_proposal", ProposedGrade)],
)
def test_two_first_grades_at_once(client_request, team, monkeypatch, action, look_up, model):  # noqa: F811
    review = _start(client_request, team)
    if action == "propose":
        client_request.sign_in(team["reviewer"])
    _grade(client_request, review, "leadership", "good", "The first", action=action)
    calls = _missed_once(monkeypatch, inspections, look_up)
    page = client_request.post(
        "mock_inspections.judgement",
        inspection_id=review.id,
        area_id="leadership",
        _data={
            "action": action,
            f"{action}-grade": "inadequate",
            f"{action}-rationale": "The second",
            f"{action}-version": "0",
        },
        _expected_status=409,
    )
    assert calls, "the service looked the grade up"
    assert "Your changes have not been saved yet" in page_text(page)
    db.session.expire_all()
    assert [(g.grade, g.rationale) for g in db.session.scalars(select(model))] == [("good", "The first")]


def test_two_people_add_one_child_to_the_sample_at_once(client_request, team, monkeypatch):  # noqa: F811
    review = _start(client_request, team)
    case = {
        "reference": "CP-100301",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "East",
        "ethnicity": "Indian",
        "area_ids": ["help_protection"],
    }
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case)
    _missed_once(monkeypatch, inspections, "in_sample")
    page = client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case, _expected_status=200)
    assert error_summary(page) == ["CP-100301 is already in the sample"]
    assert _count(TrackedCase) == 1


def test_two_first_values_for_one_month_at_once(client_request, leader, monkeypatch):  # noqa: F811
    from evidence.performance.models import Indicator

    indicator = db.session.scalars(select(Indicator).order_by(Indicator.id)).first()
    month = {"month": "3", "year": "2025", "version": "0"}
    client_request.post("performance.add_value", indicator_id=indicator.id, _data=month | {"value": "40"})
    calls = _missed_once(monkeypatch, indicators, "value_for")
    page = client_request.post(
        "performance.add_value", indicator_id=indicator.id, _data=month | {"value": "60"}, _expected_status=409
    )
    assert calls, "the service looked the month's value up"
    assert "Someone else saved this value for March 2025 after you opened it" in page_text(page)
    db.session.expire_all()
    assert [v.value for v in db.session.scalars(select(IndicatorValue))] == [40]


def test_an_import_meeting_a_value_saved_at_once_is_refused_whole(leader, monkeypatch):  # noqa: F811
    """An import has no page to show both versions: it is refused in words, as its other problems are."""
    from councils.errors import InputError
    from councils.tenancy import acting_for
    from evidence.performance.models import Indicator

    with acting_for(leader.council_id):
        indicator = db.session.scalars(select(Indicator).order_by(Indicator.id)).first()
        indicators.record_value(indicator, dt.date(2025, 3, 1), 40)
        _missed_once(monkeypatch, indicators, "value_for")
        with pytest.raises(InputError, match="was saved by someone else at the same time. Nothing was saved"):
            indicators.record_value(indicator, dt.date(2025, 3, 1), 60, source="file")
        assert [v.value for v in db.session.scalars(select(IndicatorValue))] == [40]
    db.session.rollback()
