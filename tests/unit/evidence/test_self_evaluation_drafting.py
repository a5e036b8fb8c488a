"""The self-evaluation's draft, from plain data: each sentence says what its evidence says and
names it; where evidence is missing, the draft says so and names nothing."""

import datetime as dt

from evidence.self_evaluation import drafting
from evidence.self_evaluation.drafting import ActionFact, IndicatorFact, JudgementEvidence, Source
from evidence.self_evaluation.self_evaluations import opening, year_of
from judgement_framework import AreaOutcome, Breadth, EvidenceSignal, Gap, SignalKind
from judgement_framework.results import Coverage

TODAY = dt.date(2026, 12, 1)
LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
GOOD = frozenset({"outstanding", "good"})


def _area(**changes) -> AreaOutcome:
    values = dict(
        area_id="help_protection",
        title="Help and protection",
        kind="judgement",
        indicative_grade="good",
        driven_by=(),
        capped_by_escalation=False,
        coverage=Coverage(1, 2, ("hp.assess",)),
        confidence="medium",
        signal_count=0,
        fresh_count=0,
        reviewer_grades=(),
    )
    values.update(changes)
    return AreaOutcome(**values)


def _signal(number: int, kind=SignalKind.CASE_AUDIT, grade="good", days_ago=10, title=None) -> EvidenceSignal:
    return EvidenceSignal(
        id=f"evidence:{number}:help_protection",
        area_id="help_protection",
        date=TODAY - dt.timedelta(days=days_ago),
        title=title or f"Item {number}",
        kind=kind,
        grade=grade,
    )


def _evidence(signals=(), **changes) -> JudgementEvidence:
    values = dict(
        title="Help and protection",
        outcome=_area(),
        signals=list(signals),
        as_of=TODAY,
        freshness_days=183,
        grade_labels=LABELS,
        good_grades=GOOD,
        criteria={"hp.assess": "Assessments are timely"},
    )
    values.update(changes)
    return JudgementEvidence(**values)


def _texts(sentences) -> list[str]:
    return [s.text for s in sentences]


def test_the_scored_outcome_names_the_evidence_that_drives_it():
    audits = [_signal(1), _signal(2, grade="inadequate")]
    outcome = _area(driven_by=tuple(s.id for s in audits), fresh_count=2)
    first = drafting.what_we_know(_evidence(audits, outcome=outcome))[0]
    assert first.text == (
        "The evidence points to good for “Help and protection”, with medium confidence, from 2 fresh pieces of evidence."
    )
    assert first.sources == (Source("evidence:1", "Item 1"), Source("evidence:2", "Item 2"))


def test_without_a_grade_it_says_what_is_missing_and_claims_nothing():
    outcome = _area(indicative_grade=None, not_enough_evidence=True, missing=("at least 5 graded items of evidence",))
    sentences = drafting.what_we_know(_evidence(outcome=outcome))
    assert _texts(sentences) == [
        "There is not enough fresh graded evidence to grade “Help and protection” yet.",
        "At least 5 graded items of evidence.",
        "No graded case audits of this judgement in the last 183 days.",
        "No indicators are recorded for this judgement.",
        "No peer review or mock inspection findings speak to this judgement yet.",
    ]
    assert all(s.sources == () for s in sentences)


def test_case_audits_are_counted_with_the_worst_grade_said_and_each_audit_named():
    audits = [_signal(1), _signal(2), _signal(3, grade="inadequate"), _signal(4, grade="good", days_ago=400)]
    sentences = drafting.what_we_know(_evidence(audits))
    assert "Of 3 case audits in the last 183 days, 2 (67%) found practice good or better." in _texts(sentences)
    counted = next(s for s in sentences if s.text.startswith("Of 3"))
    assert [s.record for s in counted.sources] == ["evidence:1", "evidence:2", "evidence:3"]  # not the stale one
    worst = next(s for s in sentences if s.text == "1 found it inadequate.")
    assert sentences.index(worst) == sentences.index(counted) + 1
    assert worst.sources == (Source("evidence:3", "Item 3"),)


def test_an_indicator_is_put_against_its_target_england_and_last_month():
    fact = IndicatorFact(
        record="indicator:4",
        name="Re-referrals within 12 months",
        latest="24.0%",
        month=dt.date(2026, 11, 1),
        target="20.0%",
        england="22.4%",
        on_target=False,
        near_target=False,
        worse_than_england=True,
        trend="worse",
    )
    sentences = drafting.what_we_know(_evidence(indicators=[fact]))
    said = next(s for s in sentences if s.sources == (Source("indicator:4", "Re-referrals within 12 months"),))
    assert said.text == (
        "Re-referrals within 12 months was 24.0% in November 2026, off target (the target is 20.0%); England's "
        "figure is 22.4%, so it is worse than England, and worse than the month before."
    )


def test_an_indicator_without_an_england_figure_says_so():
    fact = IndicatorFact(
        "indicator:5", "Visits on time", "90.0%", dt.date(2026, 11, 1), "85.0%", None, True, False, None, None
    )
    sentences = _texts(drafting.what_we_know(_evidence(indicators=[fact])))
    assert (
        "Visits on time was 90.0% in November 2026, on target (the target is 85.0%); no England figure is recorded to compare it with."
        in sentences
    )


def test_how_we_know_counts_the_kinds_names_strong_and_weak_evidence_and_what_is_uncovered():
    signals = [
        _signal(1),
        _signal(2, kind=SignalKind.DOCUMENT, title="Supervision audit"),
        _signal(3, kind=SignalKind.OBSERVATION, grade="requires_improvement", title="Front door visit"),
        _signal(9, kind=SignalKind.DOCUMENT, days_ago=300, title="An old report"),
    ]
    outcome = _area(breadth=Breadth(case_types=("child_protection",), teams=("East", "West"), audits=3, moderated=1))
    sentences = drafting.how_we_know(_evidence(signals, outcome=outcome))
    texts = _texts(sentences)
    assert (
        texts[0] == "We know this from 3 fresh pieces of evidence: 1 case audit, 1 document and 1 practice observation."
    )
    assert "The 3 graded audits cover 1 case type across 2 teams; 1 was moderated by a second person." in texts
    assert "Evidence of good practice includes “Supervision audit”." in texts
    assert "Evidence of weaker practice includes “Front door visit”." in texts
    assert "1 of 2 criteria of this judgement has fresh evidence." in texts
    assert "There is no fresh evidence yet that assessments are timely." in texts
    stale = next(s for s in sentences if "no longer count" in s.text)
    assert stale.text == "1 older piece of evidence no longer counts, being more than 183 days old."
    assert stale.sources == (Source("evidence:9", "An old report"),)


def test_with_no_fresh_evidence_how_we_know_says_so():
    texts = _texts(drafting.how_we_know(_evidence([_signal(1, days_ago=400)])))
    assert texts[0] == "No evidence of this judgement is fresher than 183 days."


def test_plans_list_open_actions_overdue_first_with_owner_and_date_then_unanswered_gaps():
    plans = [
        ActionFact(
            "action:1", "re-audit strategy discussions", "Hana Head", dt.date(2027, 1, 31), "Not started", False, False
        ),
        ActionFact(
            "action:2",
            "Train managers in supervision",
            "Gareth Leader",
            dt.date(2026, 11, 1),
            "In progress",
            False,
            True,
        ),
        ActionFact(
            "action:3", "Publish the practice standards", "Gareth Leader", dt.date(2026, 6, 1), "Done", True, False
        ),
    ]
    gaps = [
        Gap(
            "g1",
            "evidence_below_good",
            "high",
            "help_protection",
            None,
            "Audits show drift in plans.",
            ("evidence:1:help_protection",),
            "Re-audit",
        ),
        Gap("g2", "no_evidence", "medium", "help_protection", "hp.assess", "No evidence on assessments.", (), "Audit"),
    ]
    sentences = drafting.our_plans(_evidence([_signal(1)], actions=plans, gaps=gaps))
    assert _texts(sentences) == [
        "Train managers in supervision. Owner: Gareth Leader; due 1 November 2026 (in progress, and is overdue).",
        "Re-audit strategy discussions. Owner: Hana Head; due 31 January 2027 (not started).",
        "1 action of this judgement has been completed.",
        "No action answers this gap yet: audits show drift in plans.",
        "1 gap in the evidence (none, or too little to grade) has no action to gather it yet.",
    ]
    assert sentences[0].sources == (Source("action:2", "Train managers in supervision"),)
    assert sentences[3].sources == (Source("evidence:1", "Item 1"),)


def test_audits_below_good_are_counted_grade_by_grade_best_first():
    audits = [_signal(1, grade="inadequate"), _signal(2, grade="requires_improvement"), _signal(3, grade="inadequate")]
    texts = _texts(drafting.what_we_know(_evidence(audits)))
    assert "1 found it requires improvement and 2 found it inadequate." in texts


def test_with_no_actions_the_plan_says_so():
    assert _texts(drafting.our_plans(_evidence())) == ["There are no actions for this judgement in the action plan."]


def test_a_sentence_names_a_bounded_number_of_records():
    audits = [_signal(n) for n in range(1, 200)]
    counted = next(s for s in drafting.what_we_know(_evidence(audits)) if s.text.startswith("Of 199"))
    assert len(counted.sources) == drafting.SOURCES_KEPT


def test_the_draft_text_is_one_sentence_a_line():
    answers = drafting.draft(_evidence())
    assert set(answers) == set(drafting.QUESTIONS)
    assert (
        drafting.text_of(answers[drafting.OUR_PLANS]) == "There are no actions for this judgement in the action plan."
    )


def test_the_opening_of_an_answer_is_its_first_sentences():
    assert opening("First one. Second one. Third.\nFourth.", 2) == "First one. Second one."
    assert opening("One line\nAnother line\nA third", 2) == "One line Another line"
    assert opening("", 2) == ""


def test_the_year_runs_from_april_to_march():
    assert year_of(dt.date(2027, 3, 31)) == 2026
    assert year_of(dt.date(2027, 4, 1)) == 2027
