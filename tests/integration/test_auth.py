"""Signing in and out, passwords, sessions, throttling."""

from datetime import timedelta

from sqlalchemy import select

from councils import accounts, clock
from councils.audit_log import AuditEvent
from councils.models import FailedSignIn, Role
from councils.tenancy import acting_for
from inspect_ready.extensions import db
from tests.support.factories import PASSWORD, make_council, make_user, sign_in_as


def _sign_in(client, email, password, **extra):
    return client.post("/sign-in", data={"email": email, "password": password}, **extra)


def test_signing_in_takes_you_home(client):
    user = make_user(make_council(), Role.SENIOR_LEADER, name="Sam Leader")
    db.session.commit()
    response = _sign_in(client, user.email.upper(), PASSWORD, follow_redirects=True)
    assert response.status_code == 200
    assert "Welcome, Sam Leader" in response.get_data(as_text=True)


def test_signing_in_follows_only_a_local_next_page(client):
    user = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    response = client.post("/sign-in?next=/admin/users", data={"email": user.email, "password": PASSWORD})
    assert response.location.endswith("/admin/users")
    client.post("/sign-out")
    for next_page in [
        "//evil.example/",
        "/%09/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%0a/evil.example",
    ]:
        response = client.post(f"/sign-in?next={next_page}", data={"email": user.email, "password": PASSWORD})
        assert response.location.endswith("/"), next_page
        assert "evil" not in response.location, next_page
        client.post("/sign-out")


def test_wrong_password_and_unknown_email_give_the_same_message(client):
    user = make_user(make_council())
    db.session.commit()
    wrong = _sign_in(client, user.email, "not the password").get_data(as_text=True)
    unknown = _sign_in(client, "nobody@nowhere.example", PASSWORD).get_data(as_text=True)
    message = "The email address or password is not right"
    assert message in wrong and message in unknown
    assert "govuk-error-summary" in wrong
    assert client.get("/").status_code == 302  # still signed out


def test_failed_sign_ins_are_audited(client):
    user = make_user(make_council())
    db.session.commit()
    _sign_in(client, user.email, "not the password")
    with acting_for(None):
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(user.id))).all()
    assert "sign_in.failed" in actions


def test_missing_and_malformed_fields_are_named(client):
    page = _sign_in(client, "", "").get_data(as_text=True)
    assert "Enter your email address" in page and "Enter your password" in page
    page = _sign_in(client, "not-an-email", "x").get_data(as_text=True)
    assert "Enter an email address in the correct format" in page
    assert "<title>Error: Sign in" in page


def test_repeated_failures_lock_further_attempts(client):
    user = make_user(make_council())
    db.session.commit()
    for _ in range(accounts.FAILURES_PER_EMAIL):
        _sign_in(client, user.email, "guess")
    page = _sign_in(client, user.email, PASSWORD).get_data(as_text=True)
    assert "too many attempts" in page
    assert client.get("/").status_code == 302


def test_old_failures_no_longer_count(client):
    user = make_user(make_council())
    long_ago = clock.now() - accounts.THROTTLE_WINDOW - timedelta(minutes=1)
    for _ in range(accounts.FAILURES_PER_EMAIL):
        db.session.add(FailedSignIn(email=user.email, ip_address="127.0.0.1", occurred_at=long_ago))
    db.session.commit()
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def test_sign_out_needs_a_post(client):
    user = make_user(make_council())
    db.session.commit()
    sign_in_as(client, user)
    assert client.get("/sign-out").status_code == 405
    client.post("/sign-out")
    assert client.get("/").status_code == 302


def test_changing_password_ends_other_sessions(app, client):
    user = make_user(make_council())
    db.session.commit()
    other_device = app.test_client()
    sign_in_as(client, user)
    sign_in_as(other_device, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    client.post("/sign-out")
    assert _sign_in(client, user.email, "a brand new passphrase").status_code == 302


def test_changing_password_checks_the_current_one_and_the_new_one(client):
    user = make_user(make_council())
    db.session.commit()
    sign_in_as(client, user)
    page = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    ).get_data(as_text=True)
    assert "Your current password is not right" in page
    page = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "other"}
    ).get_data(as_text=True)
    assert "Password must be 12 characters or more" in page and "The passwords do not match" in page
    client.post("/sign-out")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302, "a refused change changed the password"


def test_a_deactivated_person_is_signed_out(client):
    user = make_user(make_council())
    db.session.commit()
    sign_in_as(client, user)
    with acting_for(user.council_id):
        accounts.set_role(user, user.role, None, active=False)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_an_expired_session_asks_you_to_sign_in_again(app, client, monkeypatch):
    user = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    assert client.get("/admin/users").status_code == 200
    # Every session cookie is now older than its lifetime, as after a night away.
    monkeypatch.setattr(app, "permanent_session_lifetime", timedelta(seconds=-1))
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.location
    monkeypatch.undo()  # the new session the redirect starts is a fresh one
    assert "Sign in to continue." in client.get(response.location).get_data(as_text=True)


def test_production_strength_hashing_round_trips():
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    digest = hasher.hash("a long enough password")
    assert digest.startswith("$argon2id$")
    assert hasher.verify(digest, "a long enough password")
