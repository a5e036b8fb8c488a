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
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.action_plan.models import Action, ActionNote
from evidence.case_audits.models import CaseAudit, Escalation, EscalationStatus
from evidence.library.models import EvidenceItem, EvidenceStatus
from evidence.mock_inspections import inspections
from evidence.mock_inspections.models import ModeratedGrade, RecordedOutcome, TrackedCase
from evidence.reviews import findings, setup
from evidence.reviews.models import MemberRole, Review, ReviewKloe, ReviewMember, ReviewStatus
from judgement_framework import Confidence, load_framework
from tests.integration.test_case_audits import _form as audit_form
from tests.integration.test_mock_inspections import (  # noqa: F401
    SIF_JUDGEMENTS,
    _date,
    _grade,
    _start,
    team,
)
from tests.support.client_request import url
from tests.support.factories import make_audit, make_council, make_evidence, make_user
from tests.support.pages import error_summary, field_error, form_values, heading, page_text, text
from tests.support.review_factories import add_to_team, make_review

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


def _linked(page, field_id: str) -> str:
    """The field's own message, after checking the error summary links to the field."""
    links, message = field_error(page, field_id)
    assert (message, f"#{field_id}") in links, (field_id, links)
    return message


def test_an_audit_shows_every_problem_at_once_each_on_its_field(client_request):
    head = client_request.sign_in(make_user(make_council(), Role.HEAD_OF_SERVICE))
    data = audit_form(head) | {"once": form_values(client_request.get("audits.new").select_one("main form"))["once"]}
    # The form's own checks (a missing team) and the service's (a reference that reads as a
    # name, a future audit date, an escalation due before it) in one summary.
    data |= {"team": "", "case_reference": "Jane Smith", **_date("audit_date", TODAY + dt.timedelta(days=3))}
    data |= {"due_date": _parts(TODAY), "areas": ["help_protection", "atlantis"]}
    page = client_request.post("audits.new", _data=data, _expected_status=200)
    shown = error_summary(page)
    assert len(shown) == 5, shown
    assert _linked(page, "case_reference").startswith("The case reference 'Jane Smith' is not a pseudonymised")
    assert _linked(page, "team") == "Enter the team"
    assert _linked(page, "audit_date") == "Date of the audit must be today or in the past"
    assert _linked(page, "due_date") == "The escalation's due date must be on or after the date of the audit"
    assert "Choose judgement areas from the options shown" in shown  # never the id sent
    assert "atlantis" not in page_text(page)
    assert _count(CaseAudit) == _count(Escalation) == _count(EvidenceItem) == 0


def test_evidence_shows_every_problem_at_once_each_on_its_field(client_request):
    client_request.sign_in(_leader())
    data = form_values(client_request.get("library.new").select_one("main form"))
    data |= {"title": [""], "kind": [""], "leaning": ["strength"], "status": ["accepted"], "links": []}
    data |= {
        "grade": ["excellent"],
        **_date("evidence_date", TODAY),
        **_date("review_by", TODAY - dt.timedelta(days=1)),
    }
    page = client_request.post("library.new", _data=data, _expected_status=200)
    assert _linked(page, "title") == "Enter a title for the evidence"
    assert _linked(page, "kind") == "Choose the kind of evidence"
    assert _linked(page, "review_by") == "The review-by date must be on or after the date of the evidence"
    assert "Link accepted evidence to at least one judgement area" in error_summary(page)
    assert len(error_summary(page)) == 5, error_summary(page)  # and the grade not on the scale
    assert "excellent" not in " ".join(error_summary(page))
    assert _count(EvidenceItem) == 0


def test_a_line_of_enquiry_shows_every_problem_at_once(client_request):
    leader = client_request.sign_in(_leader())
    review = make_review(leader.council, leader, kloes=0)
    db.session.commit()
    data = form_values(client_request.get("reviews.new_kloe", review_id=review.id).select_one("main form"))
    data |= {"question": [""], "area_ids": ["help_protection"], "criterion_ids": ["ic.voice"]}
    page = client_request.post("reviews.new_kloe", review_id=review.id, _data=data, _expected_status=200)
    assert _linked(page, "question") == "Enter the key line of enquiry"
    assert error_summary(page) == [
        "Enter the key line of enquiry",
        "A criterion chosen is not one of the judgements chosen",
    ]
    assert _count(ReviewKloe) == 0


def test_a_tampered_bank_line_of_enquiry_is_refused_without_its_id(client_request):
    leader = client_request.sign_in(_leader())
    review = make_review(leader.council, leader, kloes=0)
    db.session.commit()
    with acting_for(leader.council_id), pytest.raises(setup.ReviewError) as refused:
        setup.add_bank_kloes(review, load_framework(review.framework_id), ["atlantis-kloe"])
    assert str(refused.value) == "Choose key lines of enquiry from the options shown"


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


def test_resolving_an_escalation_asks_first(client_request):
    head = client_request.sign_in(make_user(make_council(), Role.HEAD_OF_SERVICE))
    audit = make_audit(head.council, case_reference="CP-30303")
    with acting_for(head.council_id):
        escalation = Escalation(audit=audit, concern="No visit", owner_id=head.id, due_date=TODAY)
        db.session.add(escalation)
        db.session.flush()
    db.session.commit()
    data = {"resolve-action_taken": "Child seen same day", "next": "home"}
    page = client_request.post("audits.resolve", escalation_id=escalation.id, _data=data, _expected_status=200)
    assert heading(page) == "Resolve the escalation about case CP-30303"
    said = page_text(page)
    assert "recorded as resolved, with the action taken: Child seen same day" in said
    assert "This cannot be undone." in said
    db.session.refresh(escalation)
    assert escalation.status is EscalationStatus.OPEN
    sent = form_values(page.select_one("main form"))
    assert sent["resolve-action_taken"] == ["Child seen same day"] and sent["confirmed"] == ["yes"]
    client_request.post("audits.resolve", escalation_id=escalation.id, _data=sent, _expected_redirect=url("home.index"))
    db.session.refresh(escalation)
    assert escalation.status is EscalationStatus.RESOLVED and escalation.action_taken == "Child seen same day"
    # Asked again, it says why it cannot be, with nothing to press.
    again = client_request.post("audits.resolve", escalation_id=escalation.id, _data=data, _expected_status=200)
    assert "This escalation is already resolved" in page_text(again)
    assert again.select("main form button") == []


def test_archiving_evidence_asks_first(client_request):
    leader = client_request.sign_in(_leader())
    item = make_evidence(leader.council, title="Practice week")
    db.session.commit()
    page = client_request.post("library.archive", item_id=item.id, _expected_status=200)
    assert heading(page) == "Archive ‘Practice week’"
    said = page_text(page)
    assert "It no longer counts towards any judgement" in said
    assert "To count it again, edit it and save it as a draft or accepted." in said
    db.session.refresh(item)
    assert item.status is not EvidenceStatus.ARCHIVED
    confirm = page.select_one("main form")
    assert confirm["action"] == url("library.archive", item_id=item.id)
    client_request.post("library.archive", item_id=item.id, _data=form_values(confirm))
    db.session.refresh(item)
    assert item.status is EvidenceStatus.ARCHIVED


def test_removing_a_team_member_asks_first(client_request):
    leader = client_request.sign_in(_leader())
    review = make_review(leader.council, leader, kloes=2)
    colleague = make_user(leader.council, Role.HEAD_OF_SERVICE, name="Rae Reviewer")
    member = add_to_team(review, colleague, MemberRole.REVIEWER, kloes=[review.kloes[0]])
    db.session.commit()
    page = client_request.post("reviews.remove_member", review_id=review.id, member_id=member.id, _expected_status=200)
    assert heading(page) == "Remove Rae Reviewer from the team"
    said = page_text(page)
    assert f"Rae Reviewer leaves the team of {review.title} as its reviewer." in said
    assert f"no longer assigned to these key lines of enquiry: {review.kloes[0].question}" in said
    assert db.session.get(ReviewMember, member.id) is not None
    client_request.post(
        "reviews.remove_member",
        review_id=review.id,
        member_id=member.id,
        _data=form_values(page.select_one("main form")),
    )
    with acting_for(leader.council_id):
        assert db.session.get(ReviewMember, member.id) is None
    # The lead: refused as it is asked, with no button.
    lead = next(m for m in review.members if m.role is MemberRole.LEAD)
    page = client_request.post("reviews.remove_member", review_id=review.id, member_id=lead.id, _expected_status=200)
    assert "The lead cannot be removed: choose another lead first" in page_text(page)
    assert page.select("main form button") == []


# A tampered id is refused in words, never repeated ------------------------------------------


def test_a_tampered_judgement_or_grade_is_refused_without_repeating_it(team):  # noqa: F811
    lead = team["lead"]
    review = make_review(lead.council, lead)
    framework = load_framework(review.framework_id)
    with acting_for(lead.council_id):
        with pytest.raises(inspections.MockInspectionError) as refused:
            inspections.propose_grade(review, framework, "atlantis", lead, "good", "Why", version=NEW)
        assert str(refused.value) == "Choose a judgement from the options shown"
        fields = findings.FindingFields("Strong", "", "", "superb", Confidence.MEDIUM)
        with pytest.raises(setup.ReviewError) as refused:
            findings.save_finding(review.kloes[0], fields, framework, version=NEW, author="Lena Lead")
        assert str(refused.value) == "Choose a grade from the options shown"
    assert _count(ModeratedGrade) == 0


def test_an_escalation_shows_every_problem_at_once(client_request):
    head = client_request.sign_in(make_user(make_council(), Role.HEAD_OF_SERVICE))
    audit = make_audit(head.council, audit_date=TODAY)
    db.session.commit()
    data = {"escalate-concern": "", "escalate-escalation_owner": ""}
    data |= {"escalate-due_date": _parts(TODAY - dt.timedelta(days=1))}
    page = client_request.post("audits.escalate", audit_id=audit.id, _data=data, _expected_status=400)
    assert error_summary(page) == [
        "Describe the concern for the child's safety",
        "Choose who owns the escalation",
        "The escalation's due date must be on or after the date of the audit",
    ]
    assert _count(Escalation) == 0
