"""A rule is named in words from its framework's titles and grades, never by its id."""

import pytest

from judgement_framework import list_frameworks, load_framework, rule_name


def test_the_leaders_presumption_in_words():
    framework = load_framework("ilacs-2023")
    [rule] = [r for r in framework.aggregation.rules if r.id == "leaders_presumption"]
    assert rule_name(framework, rule) == (
        "the presumption that when The impact of leaders on social work practice with children and families is "
        "Inadequate, Overall effectiveness is at best Requires improvement to be good"
    )


@pytest.mark.parametrize("framework_id", [f.id for f in list_frameworks()])
def test_no_rule_name_holds_an_id(framework_id):
    framework = load_framework(framework_id)
    ids = {area.id for area in framework.areas} | {grade.id for grade in framework.grades}
    for rule in framework.aggregation.rules:
        words = rule_name(framework, rule).replace(",", " ").split()
        assert rule.id not in words
        assert not [word for word in words if word in ids and "_" in word], rule.id
