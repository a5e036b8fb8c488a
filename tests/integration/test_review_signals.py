"""Findings feed the scorer as kloe_finding signals; an unanswered KLOE at moderation is a gap."""

from datetime import date, timedelta

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import FindingStatus, ReviewStatus
from evidence.reviews.signals import finding_signals, review_kloes
from judgement_framework import SignalKind, load_framework, score
from tests.support.factories import make_council, make_user
from tests.support.review_factories import make_finding, make_review

FRAMEWORK = load_framework("ilacs-2026")
TOMORROW = date.today() + timedelta(days=1)


def _setup(status):
    council = make_council()
    review = make_review(council, make_user(council, Role.SENIOR_LEADER), status=status)
    return council, review


def test_completed_graded_findings_become_signals(database):
    council, review = _setup(ReviewStatus.FIELDWORK)
    make_finding(review.kloes[2], grade="requires_improvement")
    make_finding(review.kloes[3], grade="good", status=FindingStatus.DRAFT)  # drafts do not count yet
    make_finding(review.kloes[0], grade=None)  # nor ungraded findings
    with acting_for(council.id):
        signals = finding_signals(FRAMEWORK, TOMORROW)
    assert [(s.area_id, s.kind, s.grade) for s in signals] == [
        ("help_protection", SignalKind.KLOE_FINDING, "requires_improvement")
    ]
    assert signals[0].title == review.kloes[2].question


def test_a_planned_review_and_another_councils_findings_give_nothing(database):
    council, review = _setup(ReviewStatus.PLANNED)
    make_finding(review.kloes[0])
    other, other_review = _setup(ReviewStatus.FIELDWORK)
    make_finding(other_review.kloes[0])
    with acting_for(council.id):
        assert finding_signals(FRAMEWORK, TOMORROW) == []


def test_a_kloe_with_no_finding_at_moderation_is_a_gap(database):
    council, review = _setup(ReviewStatus.MODERATION)
    make_finding(review.kloes[0], grade="good")
    with acting_for(council.id):
        kloes = review_kloes(FRAMEWORK)
        signals = finding_signals(FRAMEWORK, TOMORROW)
    assert [k.explored for k in kloes] == [True, False, False, False]
    outcome = score(FRAMEWORK, signals, [], as_of=TOMORROW, kloes=kloes)
    assert sum(g.kind == "kloe_not_explored" for g in outcome.gaps) == 3


def test_kloes_in_fieldwork_are_not_yet_gaps(database):
    council, review = _setup(ReviewStatus.FIELDWORK)
    with acting_for(council.id):
        assert review_kloes(FRAMEWORK) == []
    db.session.rollback()
