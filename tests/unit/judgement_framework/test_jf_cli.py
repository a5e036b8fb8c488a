"""The command line, called through main(argv) and once as a real subprocess."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from judgement_framework.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        status = main(argv, out, err)
    finally:
        sys.stdin = old_stdin
    return status, out.getvalue(), err.getvalue()


def test_list_text_and_json():
    status, out, _ = run(["list"])
    assert status == 0 and "sif-2013" in out and "ilacs-2026" in out
    status, out, _ = run(["list", "--json"])
    assert [f["id"] for f in json.loads(out)] == ["ilacs-2018", "ilacs-2023", "ilacs-2026", "sif-2013"]


def test_show():
    status, out, _ = run(["show", "sif-2013"])
    assert status == 0 and "looked_after.adoption (graded" in out and "key_judgement_limiter" in out
    status, out, _ = run(["show", "ilacs-2023", "--json"])
    assert json.loads(out)["aggregation"]["rules"][1]["kind"] == "presumption"


def test_show_unknown_framework_exits_2():
    status, _, err = run(["show", "ofsted-1999"])
    assert status == 2 and "ofsted-1999" in err


def test_validate_good_and_broken_file(tmp_path):
    status, out, _ = run(["validate", str(ROOT / "judgement_framework/frameworks/sif-2013.yaml"), "--json"])
    assert status == 0 and json.loads(out) == {
        "valid": True,
        "path": str(ROOT / "judgement_framework/frameworks/sif-2013.yaml"),
        "id": "sif-2013",
    }
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: [oops\n")
    status, _, err = run(["validate", str(broken)])
    assert status == 2 and "broken.yaml" in err and "YAML syntax error" in err


def test_outcome_from_file_with_set_aside(tmp_path):
    grades = tmp_path / "grades.json"
    grades.write_text(
        json.dumps(
            {
                "grades": {
                    "leaders": "inadequate",
                    "help_protection": "good",
                    "in_care": "good",
                    "care_leavers": "good",
                },
                "set_aside": {"leaders_presumption": "Leaders new in post have a credible, funded plan."},
            }
        )
    )
    status, out, _ = run(["outcome", "ilacs-2023", str(grades), "--json"])
    data = json.loads(out)
    assert status == 0 and data["final_grades"]["overall"] == "good"
    assert data["overall"]["indicative_grade"] == "good"
    assert data["overall"]["rules"][0]["effect"] == "set_aside"


def test_outcome_bare_mapping_from_stdin_text_output():
    status, out, _ = run(
        ["outcome", "sif-2013", "-"],
        stdin='{"help_protection": "inadequate", "looked_after": "good", "leadership": "good"}',
    )
    assert status == 0 and "Overall final: Inadequate" in out and "key_judgement_limiter" in out


@pytest.mark.parametrize(
    "payload, named",
    [
        ('{"grades": {"leadership": "good"}}', "'leadership'"),
        ('{"grades": {"leaders": "adequate"}}', "'adequate'"),
        (
            '{"grades": {"in_care": "inadequate"}, "set_aside": {"practice_judgement_limiter": "no"}}',
            "never be set aside",
        ),
        ("not json", "not valid JSON"),
    ],
)
def test_outcome_bad_input_exits_2_naming_the_problem(payload, named):
    status, out, err = run(["outcome", "ilacs-2023", "-"], stdin=payload)
    assert status == 2 and named in err and out == ""


def test_module_runs_as_a_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "judgement_framework", "outcome", "ilacs-2026", "-", "--json"],
        input='{"leaders": "good"}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overall"] is None
