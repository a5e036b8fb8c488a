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
from judgement_framework.tally import decay_factor

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


HP_CRITERIA = [c.id for c in SIF.area_by_id["help_protection"].criteria]


def many(grade, n, prefix=None, **kw):
    return [sig(f"{prefix or grade}{i}", grade=grade, **kw) for i in range(n)]


def test_no_graded_evidence_gives_no_grade():
    result = area([sig("a", grade=None, criteria=["hp.risk"])])
    assert result.indicative_grade is None and result.driven_by == ()
    assert (result.coverage.covered, result.coverage.total) == (1, len(HP_CRITERIA))
    assert "hp.risk" not in result.coverage.uncovered


def test_weighted_median_with_ties_toward_worse():
    assert area(many("good", 3) + many("requires_improvement", 3)).indicative_grade == "requires_improvement"
    assert area(many("good", 3, weight=2) + many("requires_improvement", 3)).indicative_grade == "good"
    high_conf = many("good", 3, confidence="high") + many("requires_improvement", 3, confidence="low")
    assert area(high_conf).indicative_grade == "good"


def test_recent_evidence_weighs_more_than_old_and_future_evidence_is_ignored():
    assert area(many("good", 5) + many("requires_improvement", 5, date=OLD)).indicative_grade == "good"
    assert area(many("good", 5, date=OLD) + many("requires_improvement", 5)).indicative_grade == "requires_improvement"
    future = area([*many("good", 5), sig("b", grade="inadequate", date=dt.date(2025, 1, 1))])
    assert future.indicative_grade == "good" and future.signal_count == 5


def test_decay_halves_the_weight_every_freshness_window_and_never_reaches_nothing():
    assert decay_factor(0, 183) == 2 * decay_factor(183, 183) == 4 * decay_factor(366, 183)
    assert all(decay_factor(d, 183) >= decay_factor(d + 1, 183) >= 1 for d in range(0, 6000, 7))
    assert decay_factor(100_000, 183) == 1


def test_six_good_and_four_inadequate_recent_audits_are_widespread_failure_not_good():
    result = area(many("good", 6) + many("inadequate", 4))
    assert result.evidence_grade == "good"  # what the median alone says
    assert result.indicative_grade == "inadequate"
    assert result.drivers[0].rule == "widespread_inadequate"
    assert result.drivers[0].evidence_ids == tuple(f"inadequate{i}" for i in range(4))


def test_ten_old_good_and_four_recent_inadequate_audits_do_not_give_good():
    older = area(many("good", 10, date=dt.date(2024, 1, 31)) + many("inadequate", 4))  # five months old
    assert older.evidence_grade == "good" and older.indicative_grade == "inadequate"
    a_year_old = area(many("good", 10, date=dt.date(2023, 6, 30)) + many("inadequate", 4))
    assert a_year_old.evidence_grade == "inadequate" and a_year_old.indicative_grade is None  # 4 recent items only


def test_a_fifth_of_the_weight_inadequate_is_more_than_a_few_weaknesses():
    assert area(many("good", 9) + many("inadequate", 2)).indicative_grade == "good"  # 18%
    result = area(many("good", 8) + many("inadequate", 2))  # 20%
    assert result.indicative_grade == "requires_improvement"
    assert [d.rule for d in result.drivers] == ["more_than_a_few_inadequate", "weighted_median"]


def test_thin_evidence_is_not_enough_and_says_what_is_missing():
    thin = area(many("good", 4))
    assert thin.indicative_grade is None and thin.not_enough_evidence and thin.confidence == "none"
    assert "5 graded items" in thin.missing[0] and "there are 4" in thin.missing[0]
    numbers = area(many("good", 6, kind="performance_data"))
    assert numbers.indicative_grade is None and "practice itself" in numbers.missing[0]
    stale = area(many("good", 6, date=OLD))
    assert stale.indicative_grade is None and "there are 0" in stale.missing[0]
    gap = next(g for g in score(SIF, many("good", 4), [], AS_OF).gaps if g.kind == "not_enough_evidence")
    assert gap.area_id == "help_protection" and "cannot be graded yet" in gap.sentence
    empty = area([])
    assert empty.not_enough_evidence and "there are 0" in empty.missing[0]
    assert not [g for g in score(SIF, [], [], AS_OF).gaps if g.kind == "not_enough_evidence"]


def test_freshness_window_is_adjustable():
    result = area([sig("a", date=dt.date(2024, 5, 1), criteria=["hp.risk"])], freshness_days=30)
    assert result.fresh_count == 0 and "hp.risk" in result.coverage.uncovered


def test_unresolved_escalation_caps_area_at_requires_improvement():
    signals = many("outstanding", 5) + [sig("esc", grade=None, flags=["unresolved_escalation"])]
    result = area(signals)
    assert result.indicative_grade == "requires_improvement" and result.capped_by_escalation
    assert "esc" in result.driven_by and result.drivers[0].rule == "escalation_cap"


def _broad(n, *, moderated_every=None, case_types=("child_protection", "child_in_need"), teams=("North", "South")):
    kinds = ["case_audit", "observation", "voice_of_child"]
    return [
        sig(
            f"s{i}",
            kind=kinds[i % 3],
            criteria=[HP_CRITERIA[i % len(HP_CRITERIA)]],
            case_type=case_types[i % len(case_types)],
            team=teams[i % len(teams)],
            moderated=moderated_every is not None and i % moderated_every == 0,
        )
        for i in range(n)
    ]


def test_confidence_reflects_breadth_moderation_and_freshness():
    assert area([]).confidence == "none"
    assert area(many("good", 5)).confidence == "low"  # one kind, one case type, one team, none moderated
    broad = area(_broad(14, moderated_every=3))
    assert broad.confidence == "high" and not [r for r in broad.confidence_reasons if "needed" in r]
    assert broad.breadth.case_types == ("child_in_need", "child_protection") and broad.breadth.teams == (
        "North",
        "South",
    )
    unmoderated = area(_broad(14))
    assert unmoderated.confidence == "medium"
    assert unmoderated.confidence_reasons[0] == "0 of 5 recent audits moderated (at least one in ten should be)."
    one_team = area(_broad(14, moderated_every=3, teams=("North",), case_types=("child_protection",)))
    assert one_team.confidence == "medium"
    assert any("1 team (2 or more needed)" in r for r in one_team.confidence_reasons)
    old = area(_broad(14, moderated_every=3) + [sig(f"o{i}", date=dt.date(2023, 10, 1)) for i in range(40)])
    assert (
        old.confidence != "high" and "Much of the weight is older than the freshness window." in old.confidence_reasons
    )


def test_distribution_counts_items_and_decayed_weight_per_grade():
    result = area(many("good", 6) + many("inadequate", 2, date=OLD))
    shares = {g.grade: g for g in result.distribution}
    assert [g.grade for g in result.distribution] == GRADES
    assert (shares["good"].count, shares["good"].fresh, shares["inadequate"].count, shares["inadequate"].fresh) == (
        6,
        6,
        2,
        0,
    )
    assert shares["good"].weight_percent > 90 and sum(g.weight_percent for g in result.distribution) == 100


def test_overall_applies_rules_to_indicative_grades():
    signals = [
        *many("inadequate", 5, "hp"),
        *many("good", 5, "la", area="looked_after"),
        *many("good", 5, "lm", area="leadership"),
    ]
    outcome = score(SIF, signals, [], AS_OF)
    assert outcome.area("overall").indicative_grade == "inadequate"
    assert outcome.overall.overall.indicative_grade == "good"
    assert outcome.overall.overall.rules[0].rule_id == "key_judgement_limiter"
    assert outcome.area("overall").drivers[0].rule == "key_judgement_limiter"
    json.dumps(outcome.to_dict())


def test_overall_needs_every_judgement_that_feeds_it():
    signals = [*many("good", 5, "hp"), *many("good", 5, "la", area="looked_after")]
    overall = score(SIF, signals, [], AS_OF).area("overall")
    assert overall.indicative_grade is None and overall.not_enough_evidence
    assert overall.missing == ("Leadership, management and governance has no evidence-based grade yet.",)


def test_ilacs_2026_outcome_has_no_overall():
    outcome = score(load_framework("ilacs-2026"), many("good", 5, area="in_care"), [], AS_OF)
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


def _grade_rank(outcome, area_id):
    grade = outcome.area(area_id).indicative_grade
    return None if grade is None else GRADES.index(grade)


def _inadequate_audit(area_id, age, weight=1.0, confidence="medium", id="extra"):
    return EvidenceSignal(
        id=id,
        area_id=area_id,
        date=AS_OF - dt.timedelta(days=age),
        title="Extra audit",
        kind="case_audit",
        grade="inadequate",
        weight=weight,
        confidence=confidence,
    )


@settings(max_examples=150)
@given(
    signals_strategy(),
    st.sampled_from(AREAS),
    st.integers(0, 400),
    st.floats(0.01, 100),
    st.sampled_from(["low", "medium", "high"]),
)
def test_property_more_inadequate_evidence_never_raises_a_grade(signals, target, age, weight, confidence):
    before = _grade_rank(score(ILACS, signals, [], AS_OF), target.id)
    extra = _inadequate_audit(target.id, age, weight, confidence)
    after = _grade_rank(score(ILACS, [*signals, extra], [], AS_OF), target.id)
    if before is not None:
        assert after is not None and after >= before


@settings(max_examples=150)
@given(signals_strategy(), st.sampled_from(AREAS), st.integers(0, 400), st.integers(1, 400))
def test_property_a_recent_inadequate_audit_weighs_more_than_an_old_one(signals, target, age, older_by):
    assert decay_factor(age, 183) >= decay_factor(age + older_by, 183)
    if age + older_by <= 3 * 183:  # within three windows the factor falls strictly
        assert decay_factor(age, 183) > decay_factor(age + older_by, 183)
    recent = _grade_rank(score(ILACS, [*signals, _inadequate_audit(target.id, age)], [], AS_OF), target.id)
    old = _grade_rank(score(ILACS, [*signals, _inadequate_audit(target.id, age + older_by)], [], AS_OF), target.id)
    if recent is not None and old is not None:
        assert recent >= old  # the recent one pulls the grade down at least as far
