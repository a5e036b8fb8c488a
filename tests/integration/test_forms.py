"""The forms' mechanisms, journey by journey: every problem at once in the error summary, each
naming its field; dates outside what is plausible refused with nothing saved; a create form
sent twice (the back button and submit) shows what it made and makes nothing; a final step
asks first; a planned mock inspection with no proposals cannot be moderated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from councils.db import db
from councils.models import FormSubmission, Role
from evidence.action_plan.models import Action, ActionNote
from evidence.case_audits.models import CaseAudit
from evidence.library.models import EvidenceItem
from evidence.mock_inspections.models import ModeratedGrade, RecordedOutcome, TrackedCase
from evidence.reviews.models import Review, ReviewKloe, ReviewStatus
from tests.integration.test_case_audits import _form as audit_form
from tests.integration.test_mock_inspections import (  # noqa: F401
    SIF_JUDGEMENTS,
    _date,
    _grade,
    _start,
    team,
)
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import error_summary, form_values, heading, page_text, text

TODAY = dt.date.today()


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _leader():
    user = make_user(make_council(), Role.SENIOR_LEADER, name="Lena Lead")
    db.session.commit()
    return user


# Every problem at once ---------------------------------------------------------------------


def test_a_new_mock_inspection_shows_every_problem_at_once(client_request):
    client_request.sign_in(_leader())
    page = client_request.post(
        "mock_inspections.new",
        _data={"title": "", "framework_id": "ilacs-2023", "starts_on": ["1", "1", "1066"], "ends_on": ["", "", ""]},
        _expected_status=200,
    )
    today_plus_two = TODAY.replace(year=TODAY.year + 2)
    assert error_summary(page) == [
        "Enter a title for the review",
        f"First day must be between 1 January 2010 and {today_plus_two.day} {today_plus_two:%B %Y}",
        "Enter the last day of the review",
    ]
    page = client_request.post(
        "mock_inspections.new",
        _data={"title": "x" * 201, "framework_id": "ilacs-2023", **_date("starts_on", TODAY)}
        | _date("ends_on", TODAY - dt.timedelta(days=1)),
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Title must be 200 characters or fewer",
        "The end date must be the same as or after the start date",
    ]
    assert _count(Review) == 0


def test_an_action_shows_every_problem_at_once_and_refuses_a_due_date_in_2999(client_request):
    leader = client_request.sign_in(_leader())
    page = client_request.post(
        "actions.new",
        _data={"what": "", "owner_id": "", "success_measure": "", "area_id": "help_protection"}
        | {"due_date": ["1", "1", "2999"]},
        _expected_status=200,
    )
    [due] = [message for message in error_summary(page) if message.startswith("Due date")]
    assert due.startswith("Due date must be between 1 January 2010 and ")
    assert error_summary(page) == [
        "Enter what will be done",
        "Choose who owns the action",
        due,
        "Enter how you will know it has worked",
    ]
    page = client_request.post(
        "actions.new",
        _data={"what": "x" * 501, "owner_id": str(leader.id), "success_measure": "Audits good"}
        | {"area_id": "atlantis", **_date("due_date", TODAY - dt.timedelta(days=1))},
        _expected_status=200,
    )
    assert error_summary(page) == [
        "What will be done must be 500 characters or fewer",
        "The due date must be today or in the future",
        "Choose the judgement area from the options shown",
    ]
    assert _count(Action) == 0


def test_a_case_for_the_sample_shows_every_problem_at_once(client_request, team):  # noqa: F811
    review = _start(client_request, team)
    page = client_request.post(
        "mock_inspections.sample",
        inspection_id=review.id,
        _data={"reference": "", "age_band": "", "case_type": "", "gender": "", "team": "", "ethnicity": "Martian"},
        _expected_status=200,
    )
    assert len(error_summary(page)) == 6, error_summary(page)
    assert "Choose the child's gender" in error_summary(page)
    assert "Choose the team that holds the case" in error_summary(page)
    assert _count(TrackedCase) == 0


@pytest.mark.parametrize(
    "endpoint, field, day, message",
    [
        ("reviews.new", "starts_on", dt.date(1066, 10, 14), "Start date must be between 1 January 2010 and "),
        ("reviews.new", "ends_on", dt.date(9999, 12, 31), "End date must be between 1 January 2010 and "),
        ("library.new", "evidence_date", dt.date(9999, 1, 1), "Date of the evidence must be today or in the past"),
        ("library.new", "review_by", dt.date(2999, 1, 1), "Review-by date must be between 1 January 2010 and "),
    ],
)
def test_dates_out_of_range_are_refused_on_their_field_and_nothing_is_saved(
    client_request, endpoint, field, day, message
):
    client_request.sign_in(_leader())
    page = client_request.get(endpoint)
    data = form_values(page.select_one("main form"))
    data.update({"title": ["A title"], "kind": ["peer_review"], "leaning": ["strength"]})
    data.setdefault("starts_on", _parts(TODAY))
    data["ends_on"] = data["starts_on"] if endpoint == "reviews.new" else data.get("ends_on")
    data = {name: value for name, value in data.items() if value is not None}
    data[field] = [str(day.day), str(day.month), str(day.year)]
    page = client_request.post(endpoint, _data=data, _expected_status=200)
    assert [m for m in error_summary(page) if m.startswith(message)], error_summary(page)
    assert _count(Review) == _count(EvidenceItem) == 0


# Sent once ----------------------------------------------------------------------------------


def _send_twice(client_request, endpoint, data, model, **args):
    made = client_request.post_response(endpoint, **args, _data=data, _expected_status=302)
    again = client_request.post(endpoint, **args, _data=data, _expected_status=409)
    assert heading(again) == "This form was already sent"
    assert _count(model) == 1
    return made, again


def test_a_new_mock_inspection_sent_again_shows_what_it_made(client_request):
    client_request.sign_in(_leader())
    page = client_request.get("mock_inspections.new")
    data = form_values(page.select_one("main form"))
    assert len(data["once"][0]) >= 16
    data |= {"title": ["Mock inspection, spring"], **_date("starts_on", TODAY), **_date("ends_on", TODAY)}
    made, again = _send_twice(client_request, "mock_inspections.new", data, Review)
    link = again.select_one('main a[href="' + made.location + '"]')
    assert text(link) == "See the mock inspection ‘Mock inspection, spring’"
    assert again.select("main form") == []  # the same page twice: nothing to make again
    # The back button fetches the page again (a new token) and the browser puts back what
    # was typed: the same content is taken for a repeat, and a second one is made only on purpose.
    fresh = form_values(client_request.get("mock_inspections.new").select_one("main form"))
    assert fresh["once"] != data["once"]
    repeat = client_request.post("mock_inspections.new", _data=data | {"once": fresh["once"]}, _expected_status=409)
    assert heading(repeat) == "This form was already sent"
    assert _count(Review) == 1
    on_purpose = repeat.select_one("main form")
    assert text(on_purpose.select_one("button")) == "Make another, the same"
    client_request.post("mock_inspections.new", _data=form_values(on_purpose), _expected_status=302)
    assert _count(Review) == 2
    # Different content is a different mock inspection.
    other = form_values(client_request.get("mock_inspections.new").select_one("main form"))
    other |= {"title": ["Mock inspection, autumn"], **_date("starts_on", TODAY), **_date("ends_on", TODAY)}
    client_request.post("mock_inspections.new", _data=other, _expected_status=302)
    assert _count(Review) == 3


def test_an_action_and_its_note_sent_again_make_one_each(client_request):
    leader = client_request.sign_in(_leader())
    data = form_values(client_request.get("actions.new").select_one("main form"))
    data |= {
        "what": ["Re-audit strategy discussions"],
        "owner_id": [str(leader.id)],
        "success_measure": ["Audits good"],
        "area_id": ["help_protection"],
        **_date("due_date", TODAY + dt.timedelta(days=30)),
    }
    made, _ = _send_twice(client_request, "actions.new", data, Action)
    action = db.session.scalars(select(Action)).one()
    note = form_values(client_request.get("actions.show", action_id=action.id).select_one("main form"))
    _send_twice(client_request, "actions.add_note", note | {"text": ["Audits booked"]}, ActionNote, action_id=action.id)


def test_a_case_a_review_and_its_line_of_enquiry_sent_again_make_one_each(client_request, team):  # noqa: F811
    review = _start(client_request, team)
    case = form_values(client_request.get("mock_inspections.sample", inspection_id=review.id).select_one("main form"))
    case |= {
        "reference": ["AB-1234"],
        "age_band": ["5 to 9"],
        "case_type": ["child_protection"],
        "gender": ["Girl"],
        "team": ["Safeguarding East"],
    }
    _send_twice(client_request, "mock_inspections.sample", case, TrackedCase, inspection_id=review.id)
    details = form_values(client_request.get("reviews.new").select_one("main form"))
    details |= {
        "title": ["Peer review"],
        "kind": ["peer_review"],
        **_date("starts_on", TODAY),
        **_date("ends_on", TODAY),
    }
    before = _count(Review)
    client_request.post("reviews.new", _data=details, _expected_status=302)
    client_request.post("reviews.new", _data=details, _expected_status=409)
    assert _count(Review) == before + 1
    peer = db.session.scalars(select(Review).where(Review.title == "Peer review")).one()
    kloe = form_values(client_request.get("reviews.new_kloe", review_id=peer.id).select_one("main form"))
    kloe |= {"question": ["How well are children helped?"], "area_ids": ["help_protection"]}
    _send_twice(client_request, "reviews.new_kloe", kloe, ReviewKloe, review_id=peer.id)


def test_an_audit_and_evidence_sent_again_make_one_each(client_request):
    head = client_request.sign_in(make_user(make_council(), Role.HEAD_OF_SERVICE))
    evidence = form_values(client_request.get("library.new").select_one("main form"))
    evidence |= {"title": ["Practice week"], "kind": ["observation"], "leaning": ["strength"]}
    evidence |= {"links": ["help_protection"], **_date("evidence_date", TODAY)}
    _send_twice(client_request, "library.new", evidence, EvidenceItem)
    once = form_values(client_request.get("audits.new").select_one("main form"))["once"]
    _send_twice(client_request, "audits.new", audit_form(head) | {"once": once}, CaseAudit)


def test_a_token_is_the_senders_own(client_request):
    """Another person's form with the same token (they cannot have it, but a token is
    looked up with its sender) makes their own record."""
    first = client_request.sign_in(_leader())
    data = form_values(client_request.get("mock_inspections.new").select_one("main form"))
    data |= {"title": ["Spring"], **_date("starts_on", TODAY), **_date("ends_on", TODAY)}
    client_request.post("mock_inspections.new", _data=data, _expected_status=302)
    second = make_user(first.council, Role.SENIOR_LEADER)
    db.session.commit()
    client_request.sign_in(second)
    client_request.post("mock_inspections.new", _data=data, _expected_status=302)
    assert _count(Review) == 2
    assert _count(FormSubmission) == 2


# A final step asks first -------------------------------------------------------------------


def test_recording_the_outcome_asks_first_saying_what_becomes_final(client_request, team):  # noqa: F811
    review = _start(client_request, team)
    page = client_request.post(
        "mock_inspections.outcome", inspection_id=review.id, _data={"step": "record"}, _expected_status=200
    )
    assert heading(page) == f"Record the outcome of {review.title}"
    assert "Moderate every judgement before recording the outcome" in page_text(page)
    assert page.select("main form button") == []  # nothing to confirm while it is refused
    for area_id in SIF_JUDGEMENTS:
        _grade(client_request, review, area_id, "good")
    page = client_request.post(
        "mock_inspections.outcome", inspection_id=review.id, _data={"step": "record"}, _expected_status=200
    )
    said = page_text(page)
    assert "These final grades become the mock inspection's outcome: " in said
    assert "grading closes" in said and "It cannot be recorded again." in said
    assert _count(RecordedOutcome) == 0
    db.session.refresh(review)
    assert review.status is ReviewStatus.FIELDWORK
    confirm = page.select_one("main form")
    assert confirm["action"] == url("mock_inspections.outcome", inspection_id=review.id)
    sent = form_values(confirm)
    assert sent["step"] == ["record"] and sent["confirmed"] == ["yes"]
    client_request.post("mock_inspections.outcome", inspection_id=review.id, _data=sent, _expected_status=302)
    assert _count(RecordedOutcome) == 1


def test_a_planned_mock_inspection_with_no_proposals_cannot_be_moderated(client_request, team):  # noqa: F811
    review = _start(client_request, team)
    review.status = ReviewStatus.PLANNED
    db.session.commit()
    page = _grade(client_request, review, "leadership", "good", status=200)
    [refusal] = error_summary(page)
    assert refusal.startswith("No reviewer has proposed a grade for ‘Leadership, management and governance’")
    assert "still planned" in refusal
    assert _count(ModeratedGrade) == 0
    client_request.sign_in(team["reviewer"])
    _grade(client_request, review, "leadership", "good", action="propose")
    client_request.sign_in(team["lead"])
    _grade(client_request, review, "leadership", "good")
    assert _count(ModeratedGrade) == 1


def test_removing_a_case_from_the_sample_asks_first(client_request, team):  # noqa: F811
    review = _start(client_request, team)
    case = form_values(client_request.get("mock_inspections.sample", inspection_id=review.id).select_one("main form"))
    case |= {"reference": ["AB-1234"], "age_band": ["5 to 9"], "case_type": ["child_protection"]}
    case |= {"gender": ["Girl"], "team": ["Safeguarding East"]}
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case)
    tracked = db.session.scalars(select(TrackedCase)).one()
    page = client_request.post(
        "mock_inspections.remove_case", inspection_id=review.id, case_id=tracked.id, _expected_status=200
    )
    assert heading(page) == "Remove AB-1234 from the sample"
    assert "AB-1234 (5 to 9, child protection, Safeguarding East) leaves the case tracking sample" in page_text(page)
    assert _count(TrackedCase) == 1
    client_request.post(
        "mock_inspections.remove_case",
        inspection_id=review.id,
        case_id=tracked.id,
        _data=form_values(page.select_one("main form")),
    )
    assert _count(TrackedCase) == 0
