"""The scorer: indicative grades, coverage, confidence, overall, determinism and speed-safe rules."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judgement_framework import (
    EvidenceSignal,
    InputError,
    Kloe,
    ReviewerGrade,
    UnknownAreaError,
    UnknownCriterionError,
    UnknownGradeError,
    load_framework,
    score,
)

AS_OF = dt.date(2024, 6, 30)
RECENT = dt.date(2024, 6, 1)
OLD = dt.date(2023, 1, 1)
SIF = load_framework("sif-2013")
ILACS = load_framework("ilacs-2023")
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]


def sig(id, area="help_protection", grade="good", *, date=RECENT, kind="case_audit", criteria=(), flags=(), **kw):
    return EvidenceSignal(
        id=id,
        area_id=area,
        date=date,
        title=f"Audit {id}",
        kind=kind,
        criterion_ids=tuple(criteria),
        grade=grade,
        flags=frozenset(flags),
        **kw,
    )


def area(signals, area_id="help_protection", fw=SIF, **kw):
    return score(fw, signals, [], AS_OF, **kw).area(area_id)


def test_no_graded_evidence_gives_no_grade():
    result = area([sig("a", grade=None, criteria=["hp.risk"])])
    assert result.indicative_grade is None and result.driven_by == ()
    assert (result.coverage.covered, result.coverage.total) == (1, 8)
    assert "hp.risk" not in result.coverage.uncovered


def test_weighted_median_with_ties_toward_worse():
    assert (
        area([sig("a", grade="good"), sig("b", grade="requires_improvement")]).indicative_grade
        == "requires_improvement"
    )
    assert area([sig("a", grade="good", weight=2), sig("b", grade="requires_improvement")]).indicative_grade == "good"
    high_conf = [sig("a", grade="good", confidence="high"), sig("b", grade="requires_improvement", confidence="low")]
    assert area(high_conf).indicative_grade == "good"


def test_stale_evidence_counts_half_and_future_evidence_is_ignored():
    stale_ri = [sig("a", grade="good"), sig("b", grade="requires_improvement", date=OLD, weight=1.5)]
    assert area(stale_ri).indicative_grade == "good"  # 2*1 fresh versus 1*1.5 stale
    future = area([sig("a", grade="good"), sig("b", grade="inadequate", date=dt.date(2025, 1, 1))])
    assert future.indicative_grade == "good" and future.signal_count == 1


def test_freshness_window_is_adjustable():
    result = area([sig("a", date=dt.date(2024, 5, 1), criteria=["hp.risk"])], freshness_days=30)
    assert result.fresh_count == 0 and "hp.risk" in result.coverage.uncovered


def test_unresolved_escalation_caps_area_at_requires_improvement():
    signals = [sig(f"g{i}", grade="outstanding") for i in range(5)] + [
        sig("esc", grade=None, flags=["unresolved_escalation"])
    ]
    result = area(signals)
    assert result.indicative_grade == "requires_improvement" and result.capped_by_escalation
    assert "esc" in result.driven_by


def test_confidence_levels():
    assert area([]).confidence == "none"
    assert area([sig("a"), sig("b"), sig("c")]).confidence == "low"  # one kind only
    mixed = [sig(f"s{i}", kind=k) for i, k in enumerate(["case_audit", "observation", "document"])]
    assert area(mixed).confidence == "medium"
    crits = [c.id for c in SIF.area_by_id["help_protection"].criteria]
    many = [
        sig(f"s{i}", kind=["case_audit", "observation", "voice_of_child"][i % 3], criteria=[crits[i % 8]])
        for i in range(12)
    ]
    assert area(many).confidence == "high"


def test_overall_applies_rules_to_indicative_grades():
    signals = [
        sig("hp", "help_protection", "inadequate"),
        sig("la", "looked_after", "good"),
        sig("lm", "leadership", "good"),
    ]
    outcome = score(SIF, signals, [], AS_OF)
    assert outcome.area("overall").indicative_grade == "inadequate"
    assert outcome.overall.overall.indicative_grade == "good"
    assert outcome.overall.overall.rules[0].rule_id == "key_judgement_limiter"
    json.dumps(outcome.to_dict())


def test_ilacs_2026_outcome_has_no_overall():
    outcome = score(load_framework("ilacs-2026"), [sig("a", "in_care", "good")], [], AS_OF)
    assert [a.area_id for a in outcome.areas] == ["leaders", "help_protection", "in_care", "care_leavers"]
    assert outcome.overall.overall is None


@pytest.mark.parametrize(
    "bad, error, name",
    [
        (sig("x", area="leadershp"), UnknownAreaError, "leadershp"),
        (sig("x", grade="adequate"), UnknownGradeError, "adequate"),
        (sig("x", criteria=["la.placements"]), UnknownCriterionError, "la.placements"),
        (sig("x", area="overall"), InputError, "overall"),
        (sig("a"), InputError, "'a' is used more than once"),
    ],
)
def test_bad_signals_are_named(bad, error, name):
    with pytest.raises(error, match=name):
        score(SIF, [sig("a"), bad], [], AS_OF)


def test_error_reported_does_not_depend_on_order():
    signals = [sig("b", grade="adequate"), sig("a", area="nowhere")]
    for order in (signals, signals[::-1]):
        with pytest.raises(UnknownAreaError, match="nowhere"):
            score(SIF, order, [], AS_OF)


def test_bad_reviewer_grade_and_kloe_are_named():
    with pytest.raises(UnknownGradeError, match="'great'"):
        score(SIF, [], [ReviewerGrade("leadership", "A", "great")], AS_OF)
    with pytest.raises(UnknownAreaError, match="'leaders'"):
        score(SIF, [], [], AS_OF, kloes=[Kloe("k", ("leaders",), "Q?")])


def test_weight_must_be_positive():
    with pytest.raises(ValueError, match="weight"):
        sig("a", weight=0)


# --- properties --------------------------------------------------------------------

AREAS = [a for a in ILACS.areas if a.kind != "overall"]


@st.composite
def signals_strategy(draw, escalations=True, max_size=25):
    n = draw(st.integers(0, max_size))
    out = []
    for i in range(n):
        a = draw(st.sampled_from(AREAS))
        flags = draw(
            st.sets(
                st.sampled_from(
                    ["off_target", "worsening", "concern"] + (["unresolved_escalation"] if escalations else [])
                )
            )
        )
        out.append(
            EvidenceSignal(
                id=f"s{i}",
                area_id=a.id,
                date=AS_OF - dt.timedelta(days=draw(st.integers(-10, 400))),
                title=f"Item {i}",
                kind=draw(st.sampled_from(["case_audit", "performance_data", "observation", "voice_of_child"])),
                criterion_ids=tuple(draw(st.sets(st.sampled_from([c.id for c in a.criteria]), max_size=2))),
                grade=draw(st.sampled_from(GRADES + [None])),
                weight=draw(st.floats(0.01, 100)),
                confidence=draw(st.sampled_from(["low", "medium", "high"])),
                flags=frozenset(flags),
            )
        )
    return out


@settings(max_examples=150)
@given(
    signals_strategy(escalations=False),
    st.sampled_from(AREAS),
    st.sampled_from(GRADES),
    st.floats(0.01, 100),
    st.sampled_from(["low", "medium", "high"]),
    st.integers(-10, 400),
)
def test_property_better_evidence_never_lowers_an_indicative_grade(signals, target, grade, weight, confidence, age):
    """Over signals without the unresolved_escalation flag (an escalation may cap an area)."""
    before = score(ILACS, signals, [], AS_OF).area(target.id).indicative_grade
    extra = EvidenceSignal(
        id="extra",
        area_id=target.id,
        date=AS_OF - dt.timedelta(days=age),
        title="Extra",
        grade=grade,
        weight=weight,
        confidence=confidence,
    )
    after = score(ILACS, [*signals, extra], [], AS_OF).area(target.id).indicative_grade
    if before is not None and GRADES.index(grade) <= GRADES.index(before):
        assert GRADES.index(after) <= GRADES.index(before)


@settings(max_examples=100)
@given(signals_strategy(), st.randoms(use_true_random=False))
def test_property_input_order_never_changes_the_outcome(signals, rnd):
    reviews = [ReviewerGrade(a.id, r, g) for a, r, g in zip(AREAS, ["Ann", "Bo", "Cy", "Di"], GRADES, strict=True)]
    kloes = [Kloe("k1", ("leaders",), "Q1?"), Kloe("k2", ("in_care", "help_protection"), "Q2?", explored=True)]
    first = score(ILACS, signals, reviews, AS_OF, kloes=kloes).to_dict()
    for seq in (signals, reviews, kloes):
        rnd.shuffle(seq)
    assert score(ILACS, signals, reviews, AS_OF, kloes=kloes).to_dict() == first


@settings(max_examples=100)
@given(signals_strategy())
def test_property_overall_never_inadequate_without_an_inadequate_judgement(signals):
    outcome = score(ILACS, signals, [], AS_OF)
    if outcome.area("overall").indicative_grade == "inadequate":
        assert any(outcome.area(a.id).indicative_grade == "inadequate" for a in AREAS)
