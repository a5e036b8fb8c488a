"""Ofsted's published grades set against the last mock inspection and the evidence, in words."""

from types import SimpleNamespace

from evidence.inspection_workspace.models import VisitKind
from evidence.inspection_workspace.report import compare_report
from judgement_framework import load_framework

FRAMEWORK = load_framework("ilacs-2026")


def _notice(grades):
    return SimpleNamespace(kind=VisitKind.STANDARD, actual_grades=grades)


def _standing(grades):
    return SimpleNamespace(areas=[SimpleNamespace(area_id=a, indicative_grade=g) for a, g in grades.items()])


def test_each_judgement_says_how_ofsteds_grade_compares():
    actual = {"leaders": "good", "help_protection": "requires_improvement", "in_care": "good", "care_leavers": "good"}
    mock = {"areas": [{"area_id": "leaders", "final_grade": "requires_improvement"},
                      {"area_id": "help_protection", "final_grade": "good"},
                      {"area_id": "in_care", "final_grade": "good"}]}  # fmt: skip
    evidence = {"leaders": "good", "help_protection": "good", "in_care": None, "care_leavers": "inadequate"}
    rows = {
        r.area_id: r.sentence for r in compare_report(_notice(actual), FRAMEWORK, mock, "Spring", _standing(evidence))
    }
    assert rows["leaders"] == (
        "Ofsted graded it good: better than the last mock inspection, Spring, (requires improvement to be good); "
        "the same as the evidence-based grade."
    )
    assert rows["help_protection"].startswith("Ofsted graded it requires improvement to be good: worse than")
    assert rows["in_care"].endswith("the evidence-based grade had none.")
    assert "the last mock inspection, Spring, had none" in rows["care_leavers"]


def test_without_a_recorded_mock_inspection_it_says_so():
    rows = compare_report(_notice({"leaders": "good"}), FRAMEWORK, None, None, _standing({}))
    assert "no mock inspection outcome has been recorded" in rows[0].sentence
    assert rows[1].sentence == "Ofsted gave no grade."
