"""Every framework says which judgements each kind of case informs, in its own areas."""

import pytest

from evidence.case_audits.case_type_areas import default_areas, frameworks_covered
from evidence.case_audits.models import CaseType
from judgement_framework import list_frameworks, load_framework

FRAMEWORKS = [summary.id for summary in list_frameworks()]


def test_every_framework_has_a_row():
    assert frameworks_covered() == set(FRAMEWORKS)


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
@pytest.mark.parametrize("case_type", list(CaseType))
def test_each_case_type_informs_one_judgement_the_framework_holds_and_never_leadership(framework_id, case_type):
    framework = load_framework(framework_id)
    areas = default_areas(framework, case_type.value)
    assert len(areas) == 1
    assert framework.area_by_id[areas[0]].kind not in ("overall",)
    assert not any(a.startswith("lead") for a in areas)


def test_child_protection_informs_help_and_protection_and_care_leavers_their_own_judgement():
    framework = load_framework("ilacs-2026")
    assert default_areas(framework, "child_protection") == ["help_protection"]
    assert default_areas(framework, "child_in_care") == ["in_care"]
    assert default_areas(framework, "care_leaver") == ["care_leavers"]
    assert default_areas(load_framework("sif-2013"), "care_leaver") == ["looked_after.care_leavers"]


def test_an_unknown_case_type_ticks_nothing():
    assert default_areas(load_framework("ilacs-2026"), "adult_social_care") == []
