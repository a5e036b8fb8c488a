"""Framework pages, the council's choice of framework, and `flask framework`."""

import json

from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.models import Role
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as


def test_framework_list_marks_the_councils_choice(client):
    sign_in_as(client, make_user(make_council(), Role.HEAD_OF_SERVICE))
    page = client.get("/frameworks/").get_data(as_text=True)
    for framework_id in ("sif-2013", "ilacs-2018", "ilacs-2023", "ilacs-2026"):
        assert f"/frameworks/{framework_id}" in page
    assert "Your council" in page


def test_sif_page_shows_judgements_scale_criteria_kloes_and_rules(client):
    sign_in_as(client, make_user(make_council(), Role.PEER_REVIEWER))
    page = client.get("/frameworks/sif-2013").get_data(as_text=True)
    assert "Adoption performance" in page
    assert "Effectiveness of the LSCB" in page or "LSCB" in page
    assert "Requires improvement" in page and "Inadequate" in page
    assert "What graders look for" in page and "Key lines of enquiry" in page
    assert "Limiter (always applies)" in page


def test_ilacs_2026_says_it_gives_no_overall_grade(client):
    sign_in_as(client, make_user(make_council()))
    page = client.get("/frameworks/ilacs-2026").get_data(as_text=True)
    assert "This framework gives no overall effectiveness grade" in page


def test_an_unknown_or_path_like_framework_is_not_found(client):
    sign_in_as(client, make_user(make_council()))
    for framework_id in ("no-such", "..", "sif-2013.yaml", "%2Fetc%2Fpasswd"):
        assert client.get(f"/frameworks/{framework_id}").status_code == 404


def test_an_administrator_chooses_the_framework_and_freshness(client):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    sign_in_as(client, admin)
    assert client.get("/admin/settings").status_code == 200
    response = client.post("/admin/settings", data={"framework_id": "sif-2013", "evidence_freshness_days": "90"})
    assert response.status_code == 302
    assert admin.council.framework_id == "sif-2013"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "council.settings_changed")).one()
    assert event.before == {"framework_id": "ilacs-2026", "evidence_freshness_days": 183}
    assert event.after == {"framework_id": "sif-2013", "evidence_freshness_days": 90}


def test_council_settings_refuse_bad_input_and_change_nothing(client):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    sign_in_as(client, admin)
    for data, message in [
        ({"framework_id": "made-up", "evidence_freshness_days": "90"}, "Not a valid choice"),
        ({"framework_id": "sif-2013", "evidence_freshness_days": "5"}, "Enter a number of days from 30 to 730"),
        ({"framework_id": "sif-2013", "evidence_freshness_days": "lots"}, "Enter the number of days as a whole number"),
        ({"framework_id": "sif-2013", "evidence_freshness_days": ""}, "Enter how many days evidence stays fresh"),
    ]:
        page = client.post("/admin/settings", data=data).get_data(as_text=True)
        assert message in page, data
    assert admin.council.framework_id == "ilacs-2026"
    assert admin.council.evidence_freshness_days == 183


def test_flask_framework_command_applies_the_rules(app, tmp_path):
    grades = tmp_path / "grades.json"
    grades.write_text(json.dumps({"help_protection": "inadequate", "looked_after": "good", "leadership": "good"}))
    result = app.test_cli_runner().invoke(args=["framework", "outcome", "sif-2013", str(grades), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["final_grades"]["overall"] == "inadequate"


def test_flask_framework_command_names_an_unknown_grade(app, tmp_path):
    grades = tmp_path / "grades.json"
    grades.write_text(json.dumps({"help_protection": "brilliant"}))
    result = app.test_cli_runner().invoke(args=["framework", "outcome", "sif-2013", str(grades)])
    assert result.exit_code == 2
    assert "brilliant" in result.output
