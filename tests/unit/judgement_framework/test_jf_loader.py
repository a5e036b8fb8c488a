"""Loading frameworks: shipped files, council files, and plain error messages for broken ones."""

import re
import textwrap
from pathlib import Path

import pytest

from judgement_framework import FrameworkError, list_frameworks, load_framework

SHIPPED = ["ilacs-2018", "ilacs-2023", "ilacs-2026", "sif-2013"]

MINIMAL = """\
id: council-test
title: A council's own practice framework
version: "0.1"
in_force_from: 2024-01-01
expected_grade: good
grades:
  - {id: good, label: Good, short_label: G, meaning: Children are well served.}
  - {id: weak, label: Weak, short_label: W, meaning: Children are not well served.}
areas:
  - id: practice
    title: Quality of practice
    kind: key
    criteria:
      - {id: p1, prompt: one}
      - {id: p2, prompt: two}
      - {id: p3, prompt: three}
      - {id: p4, prompt: four}
  - id: overall
    title: Overall
    kind: overall
aggregation:
  best_fit: {target: overall, from_areas: [practice]}
  rules:
    - id: practice_limiter
      kind: hard_limiter
      target: overall
      when_any_of: [practice]
      graded: weak
      limit_to: weak
      why: Weak practice means a weak service.
"""


def write(tmp_path, text, name="council-test.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_for(tmp_path, text):
    path = write(tmp_path, text, "broken.yaml")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    message = str(info.value)
    assert "broken.yaml" in message
    return message


def test_shipped_frameworks_are_listed():
    assert [s.id for s in list_frameworks()] == SHIPPED


@pytest.mark.parametrize("fw_id", SHIPPED)
def test_shipped_frameworks_have_four_point_scale_criteria_and_kloes_for_every_judgement(fw_id):
    fw = load_framework(fw_id)
    assert [g.id for g in fw.grades] == ["outstanding", "good", "requires_improvement", "inadequate"]
    for area in fw.areas:
        if area.kind != "overall":
            assert area.criteria, area.id
            # The bank: the project's own lines of enquiry for every judgement, not only a council's list.
            assert [k for k in area.kloes if k.source is None], area.id


def test_sif_areas_and_labels():
    fw = load_framework("sif-2013")
    assert [(a.id, a.kind, a.parent) for a in fw.areas] == [
        ("help_protection", "key", None),
        ("looked_after", "key", None),
        ("looked_after.adoption", "graded", "looked_after"),
        ("looked_after.care_leavers", "graded", "looked_after"),
        ("leadership", "key", None),
        ("overall", "overall", None),
        ("lscb", "separate", None),
    ]
    assert fw.area_by_id["lscb"].title == "Effectiveness of the LSCB"
    assert fw.grade("requires_improvement").label == "Requires improvement"


@pytest.mark.parametrize(
    "fw_id, areas",
    [
        ("ilacs-2018", ["leaders", "help_protection", "in_care_and_leavers", "overall"]),
        ("ilacs-2023", ["leaders", "help_protection", "in_care", "care_leavers", "overall"]),
        ("ilacs-2026", ["leaders", "help_protection", "in_care", "care_leavers"]),
    ],
)
def test_ilacs_areas_and_labels(fw_id, areas):
    fw = load_framework(fw_id)
    assert [a.id for a in fw.areas] == areas
    assert fw.grade("requires_improvement").label == "Requires improvement to be good"


def test_peer_review_kloes_are_in_the_banks():
    fw = load_framework("ilacs-2023")
    kloes = {k.id for a in fw.areas for k in a.kloes}
    assert {
        "ld.kloe.learning_culture",
        "ld.kloe.assurance_systems",
        "hp.kloe.shared_understanding",
        "hp.kloe.early_access",
    } <= kloes


def test_council_framework_by_path_env_var_and_search_paths(tmp_path, monkeypatch):
    write(tmp_path, MINIMAL)
    assert load_framework(tmp_path / "council-test.yaml").id == "council-test"
    assert load_framework("council-test", search_paths=[tmp_path]).id == "council-test"
    with pytest.raises(FrameworkError, match="no framework with this id"):
        load_framework("council-test")
    monkeypatch.setenv("JUDGEMENT_FRAMEWORK_PATH", f"/nonexistent:{tmp_path}")
    assert load_framework("council-test").id == "council-test"
    assert "council-test" in [s.id for s in list_frameworks()]


def test_file_name_must_match_id(tmp_path):
    write(tmp_path, MINIMAL, "other-name.yaml")
    with pytest.raises(FrameworkError, match="other-name.yaml: id: is 'council-test'"):
        load_framework("other-name", search_paths=[tmp_path])


def test_missing_field(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("title: A council's own practice framework\n", ""))
    assert "title: is required but missing" in message


def test_bad_kind(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("kind: key", "kind: main"))
    assert "areas[0].kind: is 'main', but must be one of 'key', 'graded', 'overall' or 'separate'" in message


def test_unknown_parent(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("    kind: key\n", "    kind: key\n    parent: practise\n"))
    assert "areas[0].parent: names 'practise', but no area has that id" in message


def test_parent_cycle(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("    kind: key\n", "    kind: key\n    parent: practice\n"))
    assert "areas[0].parent: area 'practice' is its own ancestor" in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("{id: p2, prompt: two}", "{id: p1, prompt: two}", "areas[0].criteria[1].id: duplicate criterion id 'p1'"),
        ("  - id: overall\n", "  - id: practice\n", "areas[1].id: duplicate area id 'practice'"),
        ("{id: weak, label", "{id: good, label", "grades[1].id: duplicate grade id 'good'"),
    ],
)
def test_duplicate_ids(tmp_path, old, new, expected):
    assert expected in error_for(tmp_path, MINIMAL.replace(old, new))


def test_rule_naming_unknown_area(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("when_any_of: [practice]", "when_any_of: [practice, leaders]"))
    assert "aggregation.rules[0].when_any_of[1]: names 'leaders', but no area has that id" in message


def test_rule_with_bad_kind(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("kind: hard_limiter", "kind: soft_limiter"))
    assert "aggregation.rules[0].kind: is 'soft_limiter', but must be one of" in message


def test_two_overall_areas(tmp_path):
    extra = "  - {id: overall2, title: Again, kind: overall}\naggregation:"
    message = error_for(tmp_path, MINIMAL.replace("aggregation:", extra, 1))
    assert "areas[2].kind: a framework can have only one overall area" in message


def test_too_few_criteria(tmp_path):
    text = re.sub(r"      - \{id: p\d, prompt: \w+\}\n", "", MINIMAL)
    message = error_for(tmp_path, text.replace("    criteria:\n", "    criteria: []\n", 1))
    assert "areas[0].criteria: area 'practice' has no criteria; give at least 1" in message


def test_bad_date(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("2024-01-01", "January 2024"))
    assert "in_force_from: must be a date written as YYYY-MM-DD" in message


def test_yaml_syntax_error_gives_line(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("    title: Quality of practice", "    title: [Quality of practice"))
    assert "line 12, column 9: YAML syntax error" in message


def test_several_problems_are_all_listed(tmp_path):
    message = error_for(tmp_path, MINIMAL.replace("kind: key", "kind: main").replace('version: "0.1"\n', ""))
    assert "2 problems" in message and "version: is required" in message and "areas[0].kind" in message


# Groups of children and services Ofsted reports cover routinely (issue 13): each has a
# criterion in every framework, so evidence about them has somewhere to go.
ROUTINE_TOPICS = {
    "help_protection": [
        "disabled_children",
        "lado",
        "private_fostering",
        "homeless_16_17",
        "missing_education",
        "out_of_hours",
    ],
    "care": ["unaccompanied", "unregistered", "advocacy", "family_time", "kinship_care"],
}
CARE_AREA = {
    "sif-2013": "looked_after",
    "ilacs-2018": "in_care_and_leavers",
    "ilacs-2023": "in_care",
    "ilacs-2026": "in_care",
}


@pytest.mark.parametrize("fw_id", SHIPPED)
def test_routine_topics_have_criteria(fw_id):
    fw = load_framework(fw_id)
    for area_id, topics in (
        ("help_protection", ROUTINE_TOPICS["help_protection"]),
        (CARE_AREA[fw_id], ROUTINE_TOPICS["care"]),
    ):
        suffixes = {c.id.split(".", 1)[1] for c in fw.area_by_id[area_id].criteria}
        assert set(topics) <= suffixes, (area_id, set(topics) - suffixes)


def test_criteria_named_by_indicators_audit_templates_and_the_demo_still_exist():
    # Stored evidence links, findings and indicators name criteria by id: ids are only added.
    root = Path(__file__).resolve().parents[3]
    sources = [
        root / "evidence" / "performance" / "default_indicators.yaml",
        *(root / "evidence" / "case_audits" / "audit_templates").glob("*.yaml"),
        *(root / "inspect_ready" / "demo").glob("*.py"),
    ]
    named = {m for p in sources for m in re.findall(r"\b(?:hp|ic|cl|icl|la|ld|lm|ad|lscb)\.[a-z_]+\b", p.read_text())}
    named = {n for n in named if ".kloe" not in n}
    known = {c.id for f in SHIPPED for a in load_framework(f).areas for c in a.criteria}
    assert named and named <= known, named - known


def test_ilacs_2026_reflects_the_april_2026_revision():
    fw = load_framework("ilacs-2026")
    assert fw.overall_area is None and fw.in_force_from.isoformat() == "2026-04-01"
    own = {c.id for a in fw.areas for c in a.criteria}
    earlier = {c.id for a in load_framework("ilacs-2023").areas for c in a.criteria}
    assert {
        "hp.family_help",
        "hp.family_group_decisions",
        "hp.multi_agency_protection",
        "ic.stable_loving_homes",
    } <= own - earlier
    assert (
        "no longer given"
        in (Path(__file__).resolve().parents[3] / "judgement_framework" / "frameworks" / "ilacs-2026.yaml").read_text()
    )


def test_sif_ran_to_july_2018():
    assert load_framework("sif-2013").in_force_to.isoformat() == "2018-08-01"  # exclusive: the last day is 31 July
