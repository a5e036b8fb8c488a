"""Signing in and out, passwords, sessions, throttling."""

from datetime import timedelta

from sqlalchemy import select

from councils import accounts, clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import FailedSignIn, Role
from councils.tenancy import acting_for
from tests.support.client_request import ClientRequest, sign_in_redirect, url
from tests.support.factories import PASSWORD, make_council, make_user
from tests.support.pages import banners, error_summary, heading, title


def _sign_in(client_request, email, password, **extra):
    return client_request.post("auth.sign_in", _data={"email": email, "password": password}, **extra)


def test_signing_in_takes_you_home(client_request):
    user = make_user(make_council(), Role.SENIOR_LEADER, name="Sam Leader")
    db.session.commit()
    page = _sign_in(client_request, user.email.upper(), PASSWORD, _follow_redirects=True)
    assert heading(page) == "Welcome, Sam Leader"


def test_signing_in_follows_only_a_local_next_page(client_request):
    user = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD, next=url("admin.users"), _expected_redirect=url("admin.users"))
    client_request.post("auth.sign_out")
    # Hostile next values (url_for encodes the tab and the newline as %09 and %0A), not pages of the app.
    for next_page in [
        "//evil.example/",
        "/\t/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil.example",
    ]:
        _sign_in(client_request, user.email, PASSWORD, next=next_page, _expected_redirect=url("home.index"))
        client_request.post("auth.sign_out")


def test_wrong_password_and_unknown_email_give_the_same_message(client_request):
    user = make_user(make_council())
    db.session.commit()
    wrong = _sign_in(client_request, user.email, "not the password", _expected_status=200)
    unknown = _sign_in(client_request, "nobody@nowhere.example", PASSWORD, _expected_status=200)
    message = "The email address or password is not right"
    assert error_summary(wrong) == [message] and error_summary(unknown) == [message]
    client_request.get_response("home.index", _expected_status=302)  # still signed out


def test_failed_sign_ins_are_audited(client_request):
    user = make_user(make_council())
    db.session.commit()
    _sign_in(client_request, user.email, "not the password", _expected_status=200)
    with acting_for(None):
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(user.id))).all()
    assert "sign_in.failed" in actions


def test_missing_and_malformed_fields_are_named(client_request):
    page = _sign_in(client_request, "", "", _expected_status=200)
    assert "Enter your email address" in error_summary(page) and "Enter your password" in error_summary(page)
    page = _sign_in(client_request, "not-an-email", "x", _expected_status=200)
    assert "Enter an email address in the correct format, like name@council.gov.uk" in error_summary(page)
    assert title(page).startswith("Error: Sign in")


def test_repeated_failures_lock_further_attempts(client_request):
    user = make_user(make_council())
    db.session.commit()
    for _ in range(accounts.FAILURES_PER_EMAIL):
        _sign_in(client_request, user.email, "guess", _expected_status=200)
    page = _sign_in(client_request, user.email, PASSWORD, _expected_status=200)
    assert error_summary(page) == ["There have been too many attempts to sign in. Wait 15 minutes, then try again."]
    client_request.get_response("home.index", _expected_status=302)


def test_old_failures_no_longer_count(client_request):
    user = make_user(make_council())
    long_ago = clock.now() - accounts.THROTTLE_WINDOW - timedelta(minutes=1)
    for _ in range(accounts.FAILURES_PER_EMAIL):
        db.session.add(FailedSignIn(email=user.email, ip_address="127.0.0.1", occurred_at=long_ago))
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))


def test_sign_out_needs_a_post(client_request):
    user = make_user(make_council())
    db.session.commit()
    client_request.sign_in(user)
    client_request.get_response("auth.sign_out", _expected_status=405)
    client_request.post("auth.sign_out")
    client_request.get_response("home.index", _expected_status=302)


def test_changing_password_ends_other_sessions(app, client_request):
    user = make_user(make_council())
    db.session.commit()
    other_device = ClientRequest(app.test_client())
    client_request.sign_in(user)
    other_device.sign_in(user)
    client_request.post(
        "auth.change_password",
        _data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
        _expected_redirect=url("home.index"),
    )
    client_request.get("home.index")
    other_device.get_response("home.index", _expected_status=302)
    client_request.post("auth.sign_out")
    _sign_in(client_request, user.email, "a brand new passphrase")


def test_changing_password_checks_the_current_one_and_the_new_one(client_request):
    user = make_user(make_council())
    db.session.commit()
    client_request.sign_in(user)
    page = client_request.post(
        "auth.change_password",
        _data={
            "current_password": "wrong",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
        _expected_status=200,
    )
    assert "Your current password is not right" in error_summary(page)
    page = client_request.post(
        "auth.change_password",
        _data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "other"},
        _expected_status=200,
    )
    assert "Password must be 12 characters or more" in error_summary(page)
    assert "The passwords do not match" in error_summary(page)
    client_request.post("auth.sign_out")
    _sign_in(client_request, user.email, PASSWORD)  # a refused change left the password as it was


def test_a_deactivated_person_is_signed_out(client_request):
    user = make_user(make_council())
    db.session.commit()
    client_request.sign_in(user)
    with acting_for(user.council_id):
        accounts.set_role(user, user.role, None, active=False)
    db.session.commit()
    client_request.get_response("home.index", _expected_status=302)


def test_an_expired_session_asks_you_to_sign_in_again(app, client_request, monkeypatch):
    user = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD)
    client_request.get("admin.users")
    # Every session cookie is now older than its lifetime, as after a night away.
    monkeypatch.setattr(app, "permanent_session_lifetime", timedelta(seconds=-1))
    response = client_request.get_response(
        "admin.users", _expected_status=302, _expected_redirect=sign_in_redirect(url("admin.users"))
    )
    monkeypatch.undo()  # the new session the redirect starts is a fresh one
    assert "Sign in to continue." in banners(client_request.follow(response))


def test_production_strength_hashing_round_trips():
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    digest = hasher.hash("a long enough password")
    assert digest.startswith("$argon2id$")
    assert hasher.verify(digest, "a long enough password")
