"""The aggregation rules of every shipped framework, by example and by property."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judgement_framework import RuleError, UnknownAreaError, UnknownGradeError, apply_rules, best_fit, load_framework

GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
SIF = load_framework("sif-2013")
ILACS_2018 = load_framework("ilacs-2018")
ILACS_2023 = load_framework("ilacs-2023")
ILACS_2026 = load_framework("ilacs-2026")
ILACS_WITH_OVERALL = {
    "ilacs-2018": (ILACS_2018, ["help_protection", "in_care_and_leavers"]),
    "ilacs-2023": (ILACS_2023, ["help_protection", "in_care", "care_leavers"]),
}


def all_good(fw, **changes):
    grades = {a.id: "good" for a in fw.areas if a.kind != "overall"}
    grades.update({k.replace("__", "."): v for k, v in changes.items()})
    return grades


def rule_ids(result):
    return [(r.rule_id, r.effect) for r in result.overall.rules]


# --- SIF ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["help_protection", "looked_after", "leadership"])
def test_sif_any_key_judgement_inadequate_limits_overall(key):
    result = apply_rules(SIF, all_good(SIF, **{key: "inadequate"}))
    assert result.final_grades["overall"] == "inadequate"
    assert ("key_judgement_limiter", "limited") in rule_ids(result)
    assert result.overall.rules[0].triggered_by == (key,)


@pytest.mark.parametrize("graded", ["looked_after__adoption", "looked_after__care_leavers", "lscb"])
def test_sif_graded_and_separate_judgements_limit_nothing(graded):
    result = apply_rules(SIF, all_good(SIF, **{graded: "inadequate"}))
    assert result.final_grades["overall"] == "good"
    assert result.overall.rules == ()


def test_sif_one_key_requires_improvement_can_still_be_good_overall():
    result = apply_rules(SIF, all_good(SIF, leadership="requires_improvement"))
    assert result.overall.indicative_grade == "good"


def test_sif_children_looked_after_below_good_and_confirmed_by_a_part_holds_the_best_fit():
    # Requires improvement, with adoption requiring improvement too: the three average nearer
    # requires improvement than good, so the best fit of good, RI, good is held below good.
    grades = all_good(SIF, looked_after="requires_improvement", looked_after__adoption="requires_improvement")
    result = apply_rules(SIF, grades)
    assert result.overall.indicative_grade == "requires_improvement"
    assert result.overall.best_fit_why.startswith(
        "The experiences and progress of children looked after and achieving permanence, read with adoption "
        "performance and the experiences and progress of care leavers, is nearer requires improvement than good"
    )
    # One part below good and one outstanding: the three average good, the best fit stands.
    grades["looked_after.care_leavers"] = "outstanding"
    assert apply_rules(SIF, grades).overall.indicative_grade == "good"
    # A grader's good is not overturned: the reading shapes only the indicative grade.
    assert (
        apply_rules(SIF, {**grades, "looked_after.care_leavers": "good", "overall": "good"}).final_grades["overall"]
        == "good"
    )


def test_sif_adoption_and_care_leavers_alone_never_move_overall():
    grades = all_good(SIF, looked_after__adoption="inadequate", looked_after__care_leavers="inadequate")
    assert apply_rules(SIF, grades).overall.indicative_grade == "good"


def test_sif_a_better_judgement_never_lowers_the_indicative_overall_grade():
    areas = ["help_protection", "looked_after", "looked_after.adoption", "looked_after.care_leavers", "leadership"]
    rank = {g: i for i, g in enumerate(GRADES)}
    for combo in itertools.product(GRADES, repeat=len(areas)):
        grades = dict(zip(areas, combo, strict=True))
        given_grade = rank[apply_rules(SIF, grades).overall.indicative_grade]
        for area in areas:
            if rank[grades[area]] > 0:
                better = {**grades, area: GRADES[rank[grades[area]] - 1]}
                assert rank[apply_rules(SIF, better).overall.indicative_grade] <= given_grade, (grades, area)


def test_sif_lscb_never_feeds_overall():
    result = apply_rules(SIF, {"lscb": "inadequate"})
    assert result.overall.contributing == ()
    assert result.final_grades["overall"] is None


def test_sif_moderator_grade_used_but_hard_limiter_overrides_it():
    result = apply_rules(SIF, all_good(SIF, overall="outstanding"))
    assert result.final_grades["overall"] == "outstanding"
    result = apply_rules(SIF, all_good(SIF, overall="good", looked_after="inadequate"))
    assert result.final_grades["overall"] == "inadequate"
    assert result.overall.moderator_grade == "good"
    assert result.overall.rules[0].overrode_moderator


def test_sif_hard_limiter_cannot_be_set_aside():
    with pytest.raises(RuleError, match="key_judgement_limiter.*never be set aside"):
        apply_rules(SIF, all_good(SIF, help_protection="inadequate"), {"key_judgement_limiter": "we disagree"})


# --- ILACS 2018 / 2023 -------------------------------------------------------------


@pytest.mark.parametrize("fw_id", ILACS_WITH_OVERALL)
def test_ilacs_any_practice_judgement_inadequate_limits_overall(fw_id):
    fw, practice = ILACS_WITH_OVERALL[fw_id]
    for area in practice:
        result = apply_rules(fw, all_good(fw, **{area: "inadequate"}, overall="good"))
        assert result.final_grades["overall"] == "inadequate"
        assert ("practice_judgement_limiter", "limited") in rule_ids(result)


@pytest.mark.parametrize("fw_id", ILACS_WITH_OVERALL)
def test_ilacs_leaders_inadequate_limits_overall_to_requires_improvement_and_the_grader_decides_more(fw_id):
    fw, _ = ILACS_WITH_OVERALL[fw_id]
    result = apply_rules(fw, all_good(fw, leaders="inadequate", overall="good"))
    assert result.final_grades["overall"] == "requires_improvement"
    assert ("leaders_presumption", "limited") in rule_ids(result)
    # Published outcomes went both ways: a grader's inadequate stands, and the text claims no normal case.
    assert (
        apply_rules(fw, all_good(fw, leaders="inadequate", overall="inadequate")).final_grades["overall"]
        == "inadequate"
    )
    rule = next(r for r in fw.aggregation.rules if r.id == "leaders_presumption")
    assert "normally" not in rule.why and "both ways" in rule.why


@pytest.mark.parametrize("fw_id", ILACS_WITH_OVERALL)
def test_ilacs_leaders_presumption_set_aside_with_reason_is_recorded(fw_id):
    fw, _ = ILACS_WITH_OVERALL[fw_id]
    reason = "New leadership team has already turned practice round; practice judgements are good."
    result = apply_rules(
        fw, all_good(fw, leaders="inadequate", overall="requires_improvement"), {"leaders_presumption": reason}
    )
    assert result.final_grades["overall"] == "requires_improvement"
    (applied,) = result.overall.rules
    assert (applied.rule_id, applied.effect, applied.set_aside_reason) == ("leaders_presumption", "set_aside", reason)
    assert result.to_dict()["overall"]["rules"][0]["set_aside_reason"] == reason


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_ilacs_blank_reason_is_rejected(reason):
    with pytest.raises(RuleError, match="needs a recorded reason"):
        apply_rules(ILACS_2023, all_good(ILACS_2023, leaders="inadequate"), {"leaders_presumption": reason})


def test_ilacs_hard_limiter_cannot_be_set_aside():
    with pytest.raises(RuleError, match="hard limiter and can never be set aside"):
        apply_rules(ILACS_2023, all_good(ILACS_2023, in_care="inadequate"), {"practice_judgement_limiter": "because"})


def test_set_aside_of_unknown_rule_is_rejected():
    with pytest.raises(RuleError, match="'no_such_rule'"):
        apply_rules(ILACS_2023, {}, {"no_such_rule": "reason"})


@pytest.mark.parametrize("fw_id", ILACS_WITH_OVERALL)
def test_ilacs_moderator_cannot_make_overall_inadequate_without_an_inadequate_judgement(fw_id):
    fw, _ = ILACS_WITH_OVERALL[fw_id]
    result = apply_rules(fw, all_good(fw, leaders="requires_improvement", overall="inadequate"))
    assert result.final_grades["overall"] == "requires_improvement"
    (applied,) = result.overall.rules
    assert (applied.rule_id, applied.effect, applied.overrode_moderator) == (
        "no_inadequate_without_cause",
        "raised",
        True,
    )


def test_ilacs_2026_has_no_overall():
    assert ILACS_2026.overall_area is None
    result = apply_rules(ILACS_2026, all_good(ILACS_2026, help_protection="inadequate"))
    assert result.overall is None
    assert "overall" not in result.final_grades
    with pytest.raises(UnknownAreaError, match="'overall'"):
        apply_rules(ILACS_2026, {"overall": "good"})


def test_unknown_area_and_grade_are_named():
    with pytest.raises(UnknownAreaError, match="'leadership'.*ilacs-2023"):
        apply_rules(ILACS_2023, {"leadership": "good"})
    with pytest.raises(UnknownGradeError, match="'adequate'"):
        apply_rules(ILACS_2023, {"leaders": "adequate"})


def test_best_fit_is_median_rounded_toward_worse_when_leaders_are_at_the_worse_grade():
    result = apply_rules(
        ILACS_2023,
        {
            "leaders": "requires_improvement",
            "help_protection": "good",
            "in_care": "good",
            "care_leavers": "requires_improvement",
        },
    )
    assert result.overall.indicative_grade == "requires_improvement"
    assert (
        best_fit(ILACS_2023, ["good", "good", "requires_improvement", "requires_improvement"]) == "requires_improvement"
    )


# --- properties --------------------------------------------------------------------

FRAMEWORKS = [SIF, ILACS_2018, ILACS_2023]
grade = st.sampled_from(GRADES)


@st.composite
def graded_inputs(draw):
    fw = draw(st.sampled_from(FRAMEWORKS))
    areas = [a.id for a in fw.areas]
    grades = draw(st.dictionaries(st.sampled_from(areas), grade))
    return fw, grades


@given(graded_inputs())
def test_property_hard_limiters_always_hold(inputs):
    fw, grades = inputs
    result = apply_rules(fw, grades)
    for rule in fw.aggregation.rules:
        if rule.kind == "hard_limiter" and any(grades.get(a) == "inadequate" for a in rule.when_any_of):
            assert result.final_grades[rule.target] == "inadequate"


@given(graded_inputs(), st.text(min_size=1).filter(str.strip))
def test_property_ilacs_overall_never_inadequate_without_an_inadequate_judgement(inputs, reason):
    fw, grades = inputs
    if fw is SIF:
        return
    result = apply_rules(fw, grades, {"leaders_presumption": reason})
    if result.final_grades["overall"] == "inadequate":
        assert "inadequate" in [grades.get(a) for a in fw.aggregation.best_fit.from_areas]


@given(st.lists(grade, min_size=1, max_size=6))
def test_property_indicative_overall_is_one_of_the_contributing_grades(grades):
    from judgement_framework import best_fit

    assert best_fit(ILACS_2023, grades) in grades


ILACS_2023 = load_framework("ilacs-2023")
FOUR = ["leaders", "help_protection", "in_care", "care_leavers"]
SCALE = ["outstanding", "good", "requires_improvement", "inadequate"]


def test_four_judgements_split_evenly_are_settled_by_leaders_not_toward_the_worse():
    def overall(leaders, *others):
        result = apply_rules(ILACS_2023, dict(zip(FOUR, (leaders, *others), strict=True)))
        return result.overall.indicative_grade, result.overall.best_fit_why

    grade, why = overall("outstanding", "outstanding", "good", "good")
    assert grade == "outstanding" and "settles the best fit" in why
    assert overall("good", "outstanding", "outstanding", "good")[0] == "good"
    assert overall("requires_improvement", "good", "good", "requires_improvement")[0] == "requires_improvement"
    grade, why = overall("inadequate", "outstanding", "good", "good")
    assert grade == "good" and "split" not in why  # 3 of 4 good: no split
    # A split two grades apart is no close call: leaders settle it at the grade between.
    assert overall("outstanding", "outstanding", "requires_improvement", "requires_improvement")[0] == "good"
    grade, why = overall("requires_improvement", "outstanding", "outstanding", "requires_improvement")
    assert grade == "requires_improvement" and "worse of the two middle grades" in why
    # Leaders better than the better middle grade settle it too (so better leaders never lower it).
    assert overall("outstanding", "good", "requires_improvement", "requires_improvement")[0] == "good"
    assert overall("good", "outstanding", "requires_improvement", "requires_improvement")[0] == "good"
    assert overall("requires_improvement", "outstanding", "good", "requires_improvement")[0] == "requires_improvement"


def test_a_tie_break_must_feed_the_overall_grade_and_give_its_reason():
    from judgement_framework.checks import semantic_problems

    spec = ILACS_2023.aggregation.best_fit
    bad = ILACS_2023.model_copy(
        update={
            "aggregation": ILACS_2023.aggregation.model_copy(
                update={"best_fit": spec.model_copy(update={"tie_break": "overall", "tie_break_why": ""})}
            )
        }
    )
    messages = [p.message for p in semantic_problems(bad)]
    assert any("does not feed the overall grade" in m for m in messages)
    assert any("say why that judgement settles it" in m for m in messages)


def test_a_better_judgement_never_lowers_the_best_fit_in_any_of_the_256_combinations():
    """Exhaustive over ILACS 2023's four judgements: every combination, every one-step-or-more
    improvement of one judgement (leaders included, so the tie-break cannot break it)."""
    lowered = []
    for grades in itertools.product(SCALE, repeat=4):
        before = dict(zip(FOUR, grades, strict=True))
        first = SCALE.index(apply_rules(ILACS_2023, before).overall.indicative_grade)
        for which in FOUR:
            for better in SCALE[: SCALE.index(before[which])]:
                second = SCALE.index(apply_rules(ILACS_2023, {**before, which: better}).overall.indicative_grade)
                if second > first:
                    lowered.append((grades, which, better))
    assert lowered == []


def test_a_judgement_read_with_its_parts_must_feed_overall_have_parts_and_give_its_reason():
    from judgement_framework.checks import semantic_problems

    spec = SIF.aggregation.best_fit
    bad = SIF.model_copy(
        update={
            "aggregation": SIF.aggregation.model_copy(
                update={
                    "best_fit": spec.model_copy(update={"read_with_parts": ("leadership",), "read_with_parts_why": ""})
                }
            )
        }
    )
    messages = [p.message for p in semantic_problems(bad)]
    assert any("must feed the overall grade and have graded parts" in m for m in messages)
    assert any("say why the parts count" in m for m in messages)
