"""A focused visit rehearsal: one area of practice, its focus chosen from the visit themes, no
grades anywhere (finding form, finding, evidence, report page, Word and PDF, the standing)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews import findings, signals
from evidence.reviews.models import Finding, Review, ReviewKind
from evidence.reviews.setup import ReviewError
from judgement_framework import Confidence, load_framework
from tests.support.client_request import url
from tests.support.documents import pdf_pages, word, word_text
from tests.support.factories import make_council, make_user
from tests.support.pages import error_summary, page_text, summary_list
from tests.support.review_factories import make_finding
from tests.support.visit_factories import make_visit

SET_UP = {
    "title": "Front door focused visit rehearsal",
    "kind": "focused_visit_rehearsal",
    "focus_theme_id": "front_door",
    "starts_on": ["2", "3", "2026"],
    "ends_on": ["3", "3", "2026"],
}


@pytest.fixture()
def council(database):
    council = make_council("Northshire")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    db.session.commit()
    return {"council": council, "leader": leader}


def _reviews(council):
    with acting_for(council.id):
        return db.session.scalars(select(Review)).all()


def test_a_focused_visit_looks_at_its_focus_alone(client_request, council):
    client_request.sign_in(council["leader"])
    response = client_request.post_response(
        "reviews.new", _data=SET_UP | {"scope_area_ids": ["leaders", "in_care"], "lead_id": str(council["leader"].id)}
    )
    [review] = _reviews(council["council"])
    assert response.location == url("reviews.show", review_id=review.id)
    # The focus sets the one area of practice, whatever judgements were ticked.
    assert (review.focus_theme_id, review.scope_area_ids) == ("front_door", ["help_protection"])
    page = client_request.follow(response)
    assert summary_list(page)["Focus"] == "The front door (contact, referral and assessment)"
    assert "never grades" in page_text(page)
    with acting_for(None):
        created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.created")).one()
    assert created.after["focus_theme_id"] == "front_door"


@pytest.mark.parametrize(
    ("focus", "kind"),
    [("", "focused_visit_rehearsal"), ("domestic_abuse", "focused_visit_rehearsal"), ("no_such", "jtai_rehearsal")],
)
def test_a_focused_visit_or_jtai_without_a_focus_of_its_kind_is_refused(client_request, council, focus, kind):
    client_request.sign_in(council["leader"])
    page = client_request.post(
        "reviews.new",
        _data=SET_UP | {"kind": kind, "focus_theme_id": focus, "lead_id": str(council["leader"].id)},
        _expected_status=200,
    )
    label = (
        "focused visit rehearsal" if kind.startswith("focused") else "joint targeted area inspection (jtai) rehearsal"
    )
    assert error_summary(page) == [f"Choose the focus of the {label} from the list"]
    assert _reviews(council["council"]) == []


def test_a_focus_given_to_a_kind_without_one_is_not_kept(client_request, council):
    client_request.sign_in(council["leader"])
    client_request.post("reviews.new", _data=SET_UP | {"kind": "peer_review", "lead_id": str(council["leader"].id)})
    [review] = _reviews(council["council"])
    assert review.focus_theme_id is None and review.scope_area_ids == []


def test_the_finding_of_a_focused_visit_has_no_grade(client_request, council):
    review = make_visit(council["council"], council["leader"], ReviewKind.FOCUSED_VISIT_REHEARSAL)
    kloe = review.kloes[0]
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("findings.show", review_id=review.id, kloe_id=kloe.id)
    assert page.select("select[name=grade]") == []
    assert "grade" not in page_text(page).lower()
    # A grade posted anyway (an old page, a hand-made post) is not read: the form has none.
    client_request.post(
        "findings.save",
        review_id=review.id,
        kloe_id=kloe.id,
        _data={"strengths": "Contacts are screened the same day.", "grade": "good", "version": "0", "action": "draft"},
    )
    with acting_for(council["council"].id):
        saved = db.session.scalars(select(Finding)).one()
    assert (saved.strengths, saved.grade) == ("Contacts are screened the same day.", None)


def test_the_service_refuses_a_grade_on_an_ungraded_visit(council):
    review = make_visit(council["council"], council["leader"], ReviewKind.FOCUSED_VISIT_REHEARSAL)
    with acting_for(council["council"].id), pytest.raises(ReviewError, match="is not graded"):
        findings.save_finding(
            review.kloes[0],
            findings.FindingFields("Seen", "", "", "good", Confidence.HIGH),
            load_framework(review.framework_id),
            version=0,
            author="Test",
        )
    with acting_for(council["council"].id):
        assert db.session.scalar(select(func.count(Finding.id))) == 0


def test_a_grade_kept_from_before_a_review_became_ungraded_feeds_nothing(council):
    review = make_visit(council["council"], council["leader"], ReviewKind.FOCUSED_VISIT_REHEARSAL)
    review.kind = ReviewKind.PEER_REVIEW
    make_finding(review.kloes[0], grade="inadequate")
    framework = load_framework(review.framework_id)
    with acting_for(council["council"].id):
        assert len(signals.finding_signals(framework, date.today())) == 1
        review.kind = ReviewKind.FOCUSED_VISIT_REHEARSAL
        db.session.flush()
        assert signals.finding_signals(framework, date.today()) == []


def test_the_focused_visit_report_has_its_focus_and_no_grades(client_request, council):
    review = make_visit(council["council"], council["leader"], ReviewKind.FOCUSED_VISIT_REHEARSAL, title="Front door")
    make_finding(review.kloes[0], grade=None, strengths="Contacts are screened the same day.")
    db.session.commit()
    client_request.sign_in(council["leader"])
    page = client_request.get("reviews.report", review_id=review.id)
    shown = page_text(page)
    assert "Focused visit rehearsal report" in shown
    assert "The inspectors' focus: The front door (contact, referral and assessment)." in shown
    assert "Contacts are screened the same day." in shown and "Areas for improvement" in shown
    assert "Points to" not in shown and "grade" not in shown.replace("does not grade", "").lower()
    docx = client_request.get_response("reviews.report_download", review_id=review.id, file_format="docx")
    written = word_text(word(docx.data))
    assert "The inspectors' focus: The front door" in written and "Points to" not in written
    pdf = client_request.get_response("reviews.report_download", review_id=review.id, file_format="pdf")
    printed = " ".join(pdf_pages(pdf.data))
    assert "Focused visit rehearsal report" in printed and "Points to" not in printed


def test_an_existing_peer_review_report_keeps_its_grades(client_request, council):
    from tests.support.review_factories import make_review

    review = make_review(council["council"], council["leader"], kloes=1)
    make_finding(review.kloes[0], grade="good")
    db.session.commit()
    client_request.sign_in(council["leader"])
    assert "Points to: Good" in page_text(client_request.get("reviews.report", review_id=review.id))
