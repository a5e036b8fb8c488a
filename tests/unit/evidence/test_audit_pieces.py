"""Pure parts of case file audits: templates, import row checks, summary statistics."""

from datetime import date

import pytest

from evidence.case_audits import audit_import
from evidence.case_audits.audit_summary import AuditRow, monthly_trend, tally_by, weakest_questions
from evidence.case_audits.audit_templates import AuditTemplateError, all_templates, default_template, parse_template
from evidence.case_audits.audits import check_case_reference
from evidence.library.evidence_map import median_grade
from evidence.library.items import EvidenceError
from judgement_framework import load_framework

FRAMEWORK = load_framework("ilacs-2026")
GOOD = {"outstanding", "good"}


def test_the_shipped_templates_load_with_one_default():
    templates = all_templates()
    assert [t.id for t in templates] == ["practice-questions", "practice-sections"]
    assert default_template().id == "practice-questions" and len(default_template().questions) == 9
    sections = {s.title for s in templates[1].sections}
    assert sections == {"Assessment", "Planning", "Voice of the child", "Management oversight", "Recording"}
    every_area = {a for t in templates for q in t.questions for a in q.areas}
    assert every_area <= set(FRAMEWORK.area_by_id)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["sections"][0]["questions"].append(dict(d["sections"][0]["questions"][0])), "more than once"),
        (lambda d: d["sections"][0]["questions"][0].update(scale="five_point"), "five_point"),
        (lambda d: d.pop("title"), "title"),
    ],
)
def test_a_broken_template_is_refused_with_a_reason(change, message):
    data = {
        "id": "t",
        "title": "T",
        "sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "text": "Q?", "scale": "yes_no"}]}],
    }
    change(data)
    with pytest.raises(AuditTemplateError, match=message):
        parse_template(data, "t.yaml")


@pytest.mark.parametrize("reference", ["CP-204871", "LCS12345", "NS-100037"])
def test_pseudonymised_references_are_accepted(reference):
    assert check_case_reference(reference) == reference


@pytest.mark.parametrize(
    "reference",
    [
        "Jane Smith",
        "JaneSmith123",
        "AB",
        "ABCDEF",
        "CP 204871",
        "Smith-Jones-991",
        # A name or a date of birth with digits attached is not pseudonymised either.
        "JANESMITH123",
        "MOHAMMED-0304-2015",
        "ALI-03042015",
        "jayden-123",
    ],
)
def test_names_and_malformed_references_are_refused(reference):
    with pytest.raises(EvidenceError, match="pseudonymised"):
        check_case_reference(reference)


def _row(**changes):
    row = {
        "case_reference": "CP-204871",
        "case_type": "child_protection",
        "team": "Team",
        "worker": "W",
        "auditor": "A",
        "audit_date": "2025-01-31",
        "overall_grade": "good",
        "areas": "help_protection; leaders",
        "comment": "",
    }
    row.update(changes)
    return row


def test_good_rows_are_ready_to_save():
    rows, errors = audit_import.check_rows(
        [_row(), _row(audit_date=date(2025, 2, 1))], default_template(), FRAMEWORK, date(2026, 1, 1)
    )
    assert errors == [] and [r["audit_date"] for r in rows] == ["2025-01-31", "2025-02-01"]


@pytest.mark.parametrize(
    "changes, column, words",
    [
        ({"audit_date": "31/01/2025"}, "audit_date", "YYYY-MM-DD"),
        ({"audit_date": "2027-01-01"}, "audit_date", "today or in the past"),
        ({"overall_grade": "excellent"}, "overall_grade", "Choose a grade on the scale"),
        ({"areas": "help_protection; nowhere"}, "areas", "Choose judgement areas from the options shown"),
        ({"case_reference": "Jane Smith"}, "case_reference", "pseudonymised"),
        ({"case_type": "adult"}, "case_type", "The case type must be one of"),
        ({"risk_managed": "brilliant"}, "risk_managed", "Choose a grade on the scale"),
        # Longer than the column or unstorable: refused at the preview, not at the commit.
        ({"team": "T" * 121}, "team", "The team must be 120 characters or fewer"),
        ({"auditor": "Alex\x00Auditor"}, "auditor", "hidden control character"),
        ({"comment": "Plan\x00"}, "comment", "hidden control character"),
    ],
)
def test_each_bad_row_names_its_row_column_and_problem(changes, column, words):
    rows, errors = audit_import.check_rows([_row(), _row(**changes)], default_template(), FRAMEWORK, date(2026, 1, 1))
    assert len(rows) == 1 and len(errors) == 1
    assert errors[0].row == 3 and errors[0].column == column and words in errors[0].message


def test_a_file_missing_columns_is_refused_naming_them():
    with pytest.raises(EvidenceError, match="missing the columns: team, areas"):
        audit_import.read_table("a.csv", b"case_reference,case_type,worker,auditor,audit_date,overall_grade\n")


def test_the_template_workbook_reads_back_with_every_column():
    content = audit_import.template_workbook(default_template())
    rows = audit_import.read_table("template.xlsx", content)
    assert list(rows[0]) == audit_import.expected_columns(default_template())


def _audit(day, team, grade, areas=("help_protection",)):
    return AuditRow(1, day, team, "child_protection", grade, areas)


def test_tallies_count_audits_and_the_share_good_or_better():
    rows = [
        _audit(date(2025, 1, 5), "North", "good"),
        _audit(date(2025, 1, 9), "North", "inadequate"),
        _audit(date(2025, 2, 1), "South", "outstanding", ("help_protection", "leaders")),
    ]
    by_team = tally_by(rows, lambda r: [r.team], GOOD)
    assert [(t.label, t.audits, t.share_good) for t in by_team] == [("North", 2, 50), ("South", 1, 100)]
    assert [(t.label, t.audits) for t in tally_by(rows, lambda r: r.areas, GOOD)] == [
        ("help_protection", 3),
        ("leaders", 1),
    ]
    assert [(t.label, t.share_good) for t in monthly_trend(rows, GOOD)] == [("2025-01", 50), ("2025-02", 100)]


def test_themes_are_the_questions_most_often_weak_ignoring_not_applicable():
    answers = (
        [("a", "no")] * 3
        + [("a", "yes")]
        + [("b", "good")] * 4
        + [("c", "inadequate")] * 2
        + [("c", "not_applicable")] * 5
        + [("d", "requires_improvement")] * 3
    )
    themes = weakest_questions(answers, {"a": "Question A"})
    assert [(t.question_id, t.share_weak) for t in themes] == [("d", 100), ("a", 75)]
    assert themes[1].text == "Question A"


def test_the_median_grade_goes_to_the_worse_grade_on_a_tie():
    from collections import Counter

    assert median_grade(Counter({"good": 1, "requires_improvement": 1}), FRAMEWORK) == "requires_improvement"
    assert median_grade(Counter({"good": 3, "inadequate": 1}), FRAMEWORK) == "good"
    assert median_grade(Counter(), FRAMEWORK) is None
