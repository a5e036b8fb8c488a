"""Framework pages, the council's choice of framework, and `flask framework`."""

import json

from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from tests.support.client_request import url
from tests.support.factories import make_council, make_user
from tests.support.pages import error_summary, page_text, section, table_rows, text


def test_framework_list_marks_the_councils_choice(client_request):
    client_request.sign_in(make_user(make_council(), Role.HEAD_OF_SERVICE))
    page = client_request.get("frameworks.index")
    links = [a["href"] for a in page.select("main table a")]
    for framework_id in ("sif-2013", "ilacs-2018", "ilacs-2023", "ilacs-2026"):
        assert url("frameworks.show", framework_id=framework_id) in links
    ours = [row for row in page.select("main table tbody tr") if "Your council" in text(row)]
    assert [row.select_one("a")["href"] for row in ours] == [url("frameworks.show", framework_id="ilacs-2026")]
    assert "ilacs-2026" not in page_text(page)  # people read the framework's name, not its id


def test_sif_page_shows_judgements_scale_criteria_kloes_and_rules(client_request):
    client_request.sign_in(make_user(make_council(), Role.PEER_REVIEWER))
    page = client_request.get("frameworks.show", framework_id="sif-2013")
    assert "Adoption performance" in [text(h2) for h2 in page.select("h2")]
    assert "LSCB" in page_text(page)
    grades = [row[0] for row in table_rows(page, "Grades, best first")]
    assert "Requires improvement" in grades and "Inadequate" in grades
    subheadings = {text(h3) for h3 in page.select("h3")}
    assert "What graders look for" in subheadings and "Key lines of enquiry" in subheadings
    assert "Limiter (always applies)" in [row[0] for row in table_rows(page, "Rules")]
    # The seed council's peer-review lines of enquiry are shown as that: one council's example.
    assert "One council's peer-review lines of enquiry (2013)" in page_text(page)
    assert "Does the board know how well children are safeguarded locally" in page_text(page)  # the bank's own


def test_ilacs_2026_says_it_gives_no_overall_grade(client_request):
    client_request.sign_in(make_user(make_council()))
    page = client_request.get("frameworks.show", framework_id="ilacs-2026")
    assert "This framework gives no overall effectiveness grade." in [
        text(p) for p in section(page, "How the overall grade is reached")
    ]


def test_an_unknown_or_path_like_framework_is_not_found(client_request):
    client_request.sign_in(make_user(make_council()))
    for framework_id in ("no-such", "..", "sif-2013.yaml", "%2Fetc%2Fpasswd"):
        # The id goes into the path as it is, not encoded by url_for: a test of URL handling itself.
        assert client_request.client.get(url("frameworks.index") + framework_id).status_code == 404, framework_id


def test_an_administrator_chooses_the_framework_and_freshness(client_request):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    client_request.sign_in(admin)
    client_request.get("admin.settings")
    client_request.post(
        "admin.settings",
        _data={"framework_id": "sif-2013", "evidence_freshness_days": "90", "version": str(admin.council.version)},
    )
    assert admin.council.framework_id == "sif-2013"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "council.settings_changed")).one()
    assert event.before == {"framework_id": "ilacs-2026", "evidence_freshness_days": 183}
    assert event.after == {"framework_id": "sif-2013", "evidence_freshness_days": 90}


def test_council_settings_refuse_bad_input_and_change_nothing(client_request):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    client_request.sign_in(admin)
    for data, message in [
        (
            {"framework_id": "made-up", "evidence_freshness_days": "90"},
            "Choose the inspection framework from the options shown",
        ),
        ({"framework_id": "sif-2013", "evidence_freshness_days": "5"}, "Enter a number of days from 30 to 730"),
        (
            {"framework_id": "sif-2013", "evidence_freshness_days": "lots"},
            "Enter the number of days as a whole number, like 183",
        ),
        ({"framework_id": "sif-2013", "evidence_freshness_days": ""}, "Enter how many days evidence stays fresh"),
    ]:
        page = client_request.post("admin.settings", _data=data, _expected_status=200)
        assert error_summary(page) == [message], data
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
