"""Command-line tasks: creating a council, and setting up the demo."""

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
        login = next(entry for entry in logins if entry["role"] == role.label.lower())
        assert f"{role.label.lower()}: {login['email']} / {login['password']}" in result.output
    again = app.test_cli_runner().invoke(args=["setup-demo"])  # a second run keeps the data and the logins
    assert again.exit_code == 0 and logins[0]["password"] in again.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Council.id))) == 2
        # The demo's logins are for use at once: signing in with one goes straight in.
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        for login in logins:
            response = client.post("/sign-in", data={"email": login["email"], "password": login["password"]})
            assert response.status_code == 302 and response.location == "/", login
            assert client.get("/").status_code == 200, login
            client.post("/sign-out")
        db.engine.dispose()
