"""Command-line tasks: creating a council, setting up the demo, Annex A figures."""

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from councils.db import db
from councils.models import Council, Role, User
from inspect_ready import create_app


def test_create_council_makes_its_first_administrator(app, database):
    result = app.test_cli_runner().invoke(
        args=[
            "create-council",
            "Riverside Council",
            "--admin-name",
            "Rita Admin",
            "--admin-email",
            "Rita@Riverside.example",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Temporary password" in result.output
    user = db.session.scalars(select(User).where(User.email == "rita@riverside.example")).one()
    assert user.role is Role.ADMINISTRATOR and user.council.name == "Riverside Council"


def test_create_council_refuses_a_duplicate_and_changes_nothing(app, database):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-council", "Twice Council", "--admin-name", "A", "--admin-email", "a@twice.example"])
    result = runner.invoke(
        args=["create-council", "twice council", "--admin-name", "B", "--admin-email", "b@twice.example"]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert db.session.scalar(select(User).where(User.email == "b@twice.example")) is None


def test_a_reset_link_from_the_command_line_works_once(app, database, client_request):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-council", "Linkton Council", "--admin-name", "L", "--admin-email", "l@linkton.example"])
    result = runner.invoke(args=["password-reset-link", "L@Linkton.example"])
    assert result.exit_code == 0, result.output
    path = "/reset-password/" + result.output.rsplit("/reset-password/", 1)[1].strip()
    new = {"new_password": "lantern orbit kettle meadow", "confirm_password": "lantern orbit kettle meadow"}
    assert client_request.client.post(path, data=new).status_code == 302
    assert client_request.client.post(path, data=new).status_code == 404
    refused = runner.invoke(args=["password-reset-link", "nobody@linkton.example"])
    assert refused.exit_code != 0 and "No one who can sign in has the email address" in refused.output


def test_setup_demo_migrates_loads_and_prints_one_login_per_role(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite'}", "LOAD_DEMO_DATA": True})
    app.instance_path = str(tmp_path)
    result = app.test_cli_runner().invoke(args=["setup-demo"])
    assert result.exit_code == 0, result.output
    logins = json.loads((Path(tmp_path) / "demo-logins.json").read_text())
    for role in Role:
        login = next(entry for entry in logins if entry["role"].startswith(role.label.lower()))
        assert f"{login['role']}: {login['email']} / {login['password']}" in result.output
    # Two heads of service: each login line says which service.
    assert "head of service (child protection): hos.cp@" in result.output
    assert "head of service (children in care): hos.cic@" in result.output
    assert "partner agency auditor (police): police.auditor@" in result.output
    again = app.test_cli_runner().invoke(args=["setup-demo"])  # a second run keeps the data and the logins
    assert again.exit_code == 0 and logins[0]["password"] in again.output
    with app.app_context():
        # The demo council, the peer council and the police force of the JTAI's auditor, once each.
        assert db.session.scalar(select(db.func.count(Council.id))) == 3
        # The demo's logins are for use at once: signing in with one goes straight in.
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        for login in logins:
            response = client.post("/sign-in", data={"email": login["email"], "password": login["password"]})
            assert response.status_code == 302 and response.location == "/", login
            assert client.get("/").status_code == 200, login
            client.post("/sign-out")
        db.engine.dispose()


def test_reset_demo_starts_again_with_new_logins(tmp_path, monkeypatch):
    from tests.support.fresh_database import fresh_app

    monkeypatch.delenv("LOAD_DEMO_DATA", raising=False)
    with fresh_app(tmp_path) as app:
        app.config["LOAD_DEMO_DATA"] = True
        app.instance_path = str(tmp_path)
        runner = app.test_cli_runner()
        assert runner.invoke(args=["setup-demo"]).exit_code == 0
        first = json.loads((tmp_path / "demo-logins.json").read_text())
        with app.app_context():
            council = db.session.scalars(select(Council).order_by(Council.id)).first()
            council.name = "Renamed by someone trying things"
            db.session.commit()
        refused = runner.invoke(args=["reset-demo"], input="n\n")
        assert refused.exit_code != 0 and "Go on?" in refused.output
        result = runner.invoke(args=["reset-demo", "--yes"])
        assert result.exit_code == 0, result.output
        again = json.loads((tmp_path / "demo-logins.json").read_text())
        assert [e["email"] for e in again] == [e["email"] for e in first]
        assert {e["password"] for e in again}.isdisjoint({e["password"] for e in first})
        assert again[0]["password"] in result.output
        with app.app_context():
            names = set(db.session.scalars(select(Council.name)))
            assert "Renamed by someone trying things" not in names and len(names) == 3
            db.session.remove()
            db.engine.dispose()


def test_reset_demo_refuses_a_database_that_is_not_for_the_demo(app, database):
    from tests.support.factories import make_council

    make_council("Kept Council")
    db.session.commit()
    app.config["LOAD_DEMO_DATA"] = False
    result = app.test_cli_runner().invoke(args=["reset-demo", "--yes"])
    assert result.exit_code != 0 and "only for the demo" in result.output
    assert db.session.scalar(select(Council.name).where(Council.name == "Kept Council")) == "Kept Council"
def test_annex_a_figures_prints_the_uploads_figures_without_a_database(app, tmp_path):
    from evidence.performance.annex_a.measures import MEASURES
    from evidence.performance.annex_a.synthetic import generate_workbook

    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=600, period_end=dt.date(2025, 3, 31))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["annex-a-figures", str(path), "--month", "2025-03", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [figure["key"] for figure in payload["figures"]] == [measure.key for measure in MEASURES]
    assert set(payload["figures"][0]) == {
        "key",
        "title",
        "numerator",
        "denominator",
        "value",
        "not_computed",
        "unusable",
    }
    by_key = {figure["key"]: figure for figure in payload["figures"]}
    assert by_key["re_referrals_12_months"]["denominator"] > 0
    assert by_key["care_leavers_in_touch"]["value"] is not None  # the workbook's own month
    assert all({"where", "message"} <= set(problem) for problem in payload["problems"])

    earlier = json.loads(runner.invoke(args=["annex-a-figures", str(path), "--month", "2025-01", "--json"]).output)
    assert {f["key"]: f for f in earlier["figures"]}["care_leavers_in_touch"]["not_computed"]

    plain = runner.invoke(args=["annex-a-figures", str(path), "--month", "2025-03"])
    assert plain.exit_code == 0 and "Re-referrals within 12 months of a previous referral:" in plain.output


def test_annex_a_figures_refuses_a_file_that_is_not_a_workbook(app, tmp_path):
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    result = app.test_cli_runner().invoke(args=["annex-a-figures", str(tmp_path / "notes.xlsx"), "--month", "2025-03"])
    assert result.exit_code == 1
    assert "could not be read as an Excel workbook" in result.output
    bad_month = app.test_cli_runner().invoke(args=["annex-a-figures", str(tmp_path / "notes.xlsx"), "--month", "March"])
    assert bad_month.exit_code == 2 and "YYYY-MM" in bad_month.output
