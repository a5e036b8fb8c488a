"""Monitoring visit rehearsals: the last inspection's recommendations as the plan, each visit's
findings against them, progress over visits, and the latest progress for other parts to read."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import ReviewKind, ReviewStatus
from evidence.visits import recommendations
from evidence.visits.models import InspectionRecommendation, Progress, RecommendationProgress
from tests.support.client_request import url
from tests.support.factories import date_parts, make_council, make_user
from tests.support.pages import error_summary, page_text, table_rows
from tests.support.review_factories import add_to_team, make_review
from tests.support.visit_factories import make_recommendation, make_visit


@pytest.fixture()
def council(database):
    council = make_council("Southmoor")
    leader = make_user(council, Role.SENIOR_LEADER, name="Sam Leader")
    head = make_user(council, Role.HEAD_OF_SERVICE, name="Hana Head")
    db.session.commit()
    return {"council": council, "leader": leader, "head": head}


def _count(model, council):
    with acting_for(council.id):
        return db.session.scalar(select(func.count(model.id)))


def _events(action):
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_senior_leader_records_and_changes_a_recommendation(client_request, council):
    client_request.sign_in(council["leader"])
    reported_on = date.today() - timedelta(days=90)
    response = client_request.post_response(
        "visits.new_recommendation",
        _data={
            "text": "Strengthen management oversight of child protection plans.",
            "reported_on": date_parts(reported_on),
        },
    )
    assert response.location == url("visits.recommendations_index")
    with acting_for(council["council"].id):
        recommendation = db.session.scalars(select(InspectionRecommendation)).one()
    assert (recommendation.text, recommendation.reported_on) == (
        "Strengthen management oversight of child protection plans.",
        reported_on,
    )
    client_request.post(
        "visits.edit_recommendation",
        recommendation_id=recommendation.id,
        _data={"text": "Strengthen oversight of plans.", "reported_on": date_parts(reported_on), "version": "1"},
    )
    assert [e.after["text"] for e in _events("recommendation.added") + _events("recommendation.updated")] == [
        "Strengthen management oversight of child protection plans.",
        "Strengthen oversight of plans.",
    ]
    # A change from a page opened before that save is shown beside it, not saved over it.
    page = client_request.post(
        "visits.edit_recommendation",
        recommendation_id=recommendation.id,
        _data={"text": "From an old page", "reported_on": date_parts(reported_on), "version": "1"},
        _expected_status=409,
    )
    assert "Strengthen oversight of plans." in page_text(page)
    with acting_for(council["council"].id):
        assert db.session.scalars(select(InspectionRecommendation.text)).one() == "Strengthen oversight of plans."


@pytest.mark.parametrize(
    ("text", "day", "message"),
    [
        ("", date.today(), "Enter the recommendation, as the inspection report words it"),
        ("Improve", date.today() + timedelta(days=1), "Date of the inspection report must be today or in the past"),
        ("x" * 5001, date.today(), "Recommendation must be 5000 characters or fewer"),
    ],
)
def test_a_bad_recommendation_is_not_saved(client_request, council, text, day, message):
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "visits.new_recommendation", _data={"text": text, "reported_on": date_parts(day)}, _expected_status=200
    )
    assert error_summary(page) == [message]
    assert _count(InspectionRecommendation, council["council"]) == 0


def test_a_head_of_service_reads_the_recommendations_but_does_not_change_them(client_request, council):
    make_recommendation(council["council"])
    db.session.commit()
    client_request.sign_in(council["head"])
    page = client_request.get("visits.recommendations_index")
    assert "Record a recommendation" not in page_text(page)
    client_request.get("visits.new_recommendation", _expected_status=403)


def test_a_monitoring_visit_records_progress_on_each_recommendation(client_request, council):
    recommendation = make_recommendation(council["council"])
    visit = make_visit(council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("visits.visit_recommendations", monitoring_visit_id=visit.id)
    assert table_rows(page, "Progress found by this visit")[0][1] == "No finding yet"
    response = client_request.post_response(
        "visits.record_progress",
        monitoring_visit_id=visit.id,
        recommendation_id=recommendation.id,
        _data={"progress": "some", "findings": "Conferences are now mostly on time.", "version": "0"},
    )
    assert response.location == url("visits.visit_recommendations", monitoring_visit_id=visit.id)
    page = client_request.follow(response)
    assert table_rows(page, "Progress found by this visit")[0][1] == "Some progress"
    assert _events("recommendation.progress_recorded")[0].after["progress"] == "some"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"findings": "Seen", "version": "0"}, "Choose the progress made"),
        (
            {"progress": "brilliant", "findings": "Seen", "version": "0"},
            "Choose the progress since the inspection from the options shown",
        ),
        ({"progress": "met", "findings": " ", "version": "0"}, "Enter what the visit found on this recommendation"),
    ],
)
def test_bad_progress_is_not_saved(client_request, council, data, message):
    recommendation = make_recommendation(council["council"])
    visit = make_visit(council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "visits.record_progress",
        monitoring_visit_id=visit.id,
        recommendation_id=recommendation.id,
        _data=data,
        _expected_status=400,
    )
    assert error_summary(page) == [message]
    assert _count(RecommendationProgress, council["council"]) == 0


def test_an_observer_reads_but_does_not_record(client_request, council):
    from evidence.reviews.models import MemberRole

    recommendation = make_recommendation(council["council"])
    visit = make_visit(council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL)
    observer = make_user(make_council("Eastbrook"), Role.PEER_REVIEWER, name="Obi Observer")
    add_to_team(visit, observer, MemberRole.OBSERVER)
    db.session.commit()
    client_request.sign_in(observer)
    page = client_request.get(
        "visits.record_progress", monitoring_visit_id=visit.id, recommendation_id=recommendation.id
    )
    assert page.select("form textarea") == []
    client_request.post(
        "visits.record_progress",
        monitoring_visit_id=visit.id,
        recommendation_id=recommendation.id,
        _data={"progress": "met", "findings": "Done", "version": "0"},
        _expected_status=403,
    )
    assert _count(RecommendationProgress, council["council"]) == 0


def test_another_kind_of_review_has_no_recommendations_page(client_request, council):
    review = make_review(council["council"], council["leader"], kloes=0)
    db.session.commit()
    client_request.sign_in(council["leader"])
    client_request.get("visits.visit_recommendations", monitoring_visit_id=review.id, _expected_status=404)


def test_progress_over_visits_and_the_latest_progress(client_request, council):
    first, second = (
        make_recommendation(council["council"], "Improve conferences."),
        make_recommendation(council["council"], "Improve supervision."),
    )
    earlier = make_visit(
        council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL, title="First visit",
        starts_on=date.today() - timedelta(days=120),
    )  # fmt: skip
    later = make_visit(
        council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL, title="Second visit",
        starts_on=date.today() - timedelta(days=10),
    )  # fmt: skip
    with acting_for(council["council"].id):
        for visit, progress in ((earlier, Progress.NOT_YET), (later, Progress.GOOD)):
            recommendations.record_progress(visit, first, progress, f"{progress.label} found", version=0, author="T")
        earlier.status = ReviewStatus.REPORTED
        db.session.flush()
        latest = recommendations.latest_progress()
    db.session.commit()
    assert [(p.text, p.progress, p.visit_title) for p in latest] == [
        ("Improve conferences.", Progress.GOOD, "Second visit"),
        ("Improve supervision.", None, None),
    ]
    client_request.sign_in(council["leader"])
    rows = table_rows(client_request.get("visits.recommendations_index"), "Progress over monitoring visits")
    assert [row[1:] for row in rows] == [["Not yet", "Good progress"], ["Not looked at", "Not looked at"]]
    # The reported visit's findings are the record.
    page = client_request.post(
        "visits.record_progress",
        monitoring_visit_id=earlier.id,
        recommendation_id=second.id,
        _data={"progress": "met", "findings": "Late", "version": "0"},
        _expected_status=400,
    )
    assert error_summary(page) == ["The rehearsal has reported, so its findings are the record"]


def test_the_monitoring_visit_report(client_request, council):
    recommendation = make_recommendation(council["council"], "Improve conferences.")
    visit = make_visit(council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL)
    with acting_for(council["council"].id):
        recommendations.record_progress(visit, recommendation, Progress.MET, "All on time.", version=0, author="T")
    db.session.commit()
    client_request.sign_in(council["leader"])
    shown = page_text(client_request.get("reviews.report", review_id=visit.id))
    assert "Monitoring visit rehearsal report" in shown
    assert "1. Improve conferences." in shown and "Progress: Met." in shown and "All on time." in shown
    assert "Points to" not in shown
    download = client_request.get_response("reviews.report_download", review_id=visit.id, file_format="docx")
    assert download.status_code == 200


def test_a_first_finding_sent_from_a_page_based_on_a_version_is_refused_not_an_error(client_request, council):
    recommendation = make_recommendation(council["council"])
    visit = make_visit(council["council"], council["leader"], ReviewKind.MONITORING_VISIT_REHEARSAL)
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "visits.record_progress",
        monitoring_visit_id=visit.id,
        recommendation_id=recommendation.id,
        _data={"progress": "met", "findings": "Done", "version": "3"},
        _expected_status=409,
    )
    assert "Your changes have not been saved yet" in page_text(page)
    assert _count(RecommendationProgress, council["council"]) == 0
