"""Signing in and out, passwords, sessions, throttling."""

from datetime import timedelta

from sqlalchemy import select

from councils import accounts, clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, SignInThrottle
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


def test_an_email_with_no_account_is_not_written_in_the_audit_log(client_request):
    for _ in range(accounts.FREE_FAILURES["account"] + 1):  # failed, then refused
        _sign_in(client_request, "typed.by.mistake@home.example", "guess", _expected_status=200)
    with acting_for(None):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("sign_in.%"))).all()
    assert {event.action for event in events} == {"sign_in.failed", "sign_in.throttled"}
    assert not any("typed.by.mistake" in str(event.detail) for event in events)


def test_missing_and_malformed_fields_are_named(client_request):
    page = _sign_in(client_request, "", "", _expected_status=200)
    assert "Enter your email address" in error_summary(page) and "Enter your password" in error_summary(page)
    page = _sign_in(client_request, "not-an-email", "x", _expected_status=200)
    assert "Enter an email address in the correct format, like name@council.gov.uk" in error_summary(page)
    assert title(page).startswith("Error: Sign in")


def _later(monkeypatch, delta):
    """Move the service's clock on by `delta` (Flask's idle check keeps real time)."""
    now = clock.now() + delta
    monkeypatch.setattr(clock, "now", lambda: now)


TOO_MANY = "There have been too many attempts to sign in. Wait a minute, then try again."


def test_repeated_failures_slow_further_attempts_down_then_let_the_right_password_in(client_request, monkeypatch):
    user = make_user(make_council())
    db.session.commit()
    for _ in range(accounts.FREE_FAILURES["account"]):
        page = _sign_in(client_request, user.email, "guess", _expected_status=200)
        assert error_summary(page) == ["The email address or password is not right"]
    page = _sign_in(client_request, user.email, PASSWORD, _expected_status=200)
    assert error_summary(page) == [TOO_MANY]
    client_request.get_response("home.index", _expected_status=302)
    # Slowed down, not locked: once the delay has passed the right password works.
    _later(monkeypatch, accounts.delay_after(accounts.FREE_FAILURES["account"], "account") + timedelta(seconds=1))
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))


def test_the_delay_doubles_with_each_failure_up_to_a_ceiling():
    free = accounts.FREE_FAILURES["account"]
    delays = [accounts.delay_after(failures, "account") for failures in range(free + 12)]
    assert delays[:free] == [timedelta(0)] * free
    assert delays[free] == accounts.FIRST_DELAY and delays[free + 1] == 2 * accounts.FIRST_DELAY
    assert max(delays) == accounts.MAX_DELAY == delays[-1] and delays == sorted(delays)
    assert accounts.delay_after(10**6, "account") == accounts.MAX_DELAY


def test_guessing_at_an_account_does_not_lock_its_person_out_of_their_own_browser(app, client_request, monkeypatch):
    user = make_user(make_council())
    db.session.commit()
    own_browser = ClientRequest(app.test_client())
    _sign_in(own_browser, user.email, PASSWORD, _expected_redirect=url("home.index"))
    own_browser.post("auth.sign_out")
    # An attacker guesses, waiting out each delay, until the account's delay is long.
    for guess in range(accounts.FREE_FAILURES["account"] + 6):
        if guess:
            _later(monkeypatch, accounts.MAX_DELAY)
        _sign_in(client_request, user.email, "guess", _expected_status=200)
    assert error_summary(_sign_in(client_request, user.email, PASSWORD, _expected_status=200))[0].startswith(
        "There have been too many attempts"
    )
    another_browser = ClientRequest(app.test_client())  # new to the account: shares its delay
    assert error_summary(_sign_in(another_browser, user.email, PASSWORD, _expected_status=200))[0].startswith(
        "There have been too many attempts"
    )
    _sign_in(own_browser, user.email, PASSWORD, _expected_redirect=url("home.index"))


def test_a_device_cookie_counts_only_for_its_own_email_and_when_genuine(app, client_request):
    user, other = make_user(make_council()), make_user(make_council())
    db.session.commit()
    _sign_in(client_request, other.email, PASSWORD, _expected_redirect=url("home.index"))
    client_request.post("auth.sign_out")
    for _ in range(accounts.FREE_FAILURES["account"]):
        _sign_in(client_request, user.email, "guess", _expected_status=200)
    # The browser's cookie is for another email: this email's tries count for the account.
    assert error_summary(_sign_in(client_request, user.email, PASSWORD, _expected_status=200)) == [TOO_MANY]
    forged = ClientRequest(app.test_client())
    forged.client.set_cookie("inspect_ready_device", "made-up", domain=app.config["SERVER_NAME"])
    assert error_summary(_sign_in(forged, user.email, PASSWORD, _expected_status=200)) == [TOO_MANY]


def test_an_unknown_email_is_slowed_down_like_a_known_one(client_request):
    for _ in range(accounts.FREE_FAILURES["account"]):
        _sign_in(client_request, "nobody@nowhere.example", "guess", _expected_status=200)
    assert error_summary(_sign_in(client_request, "nobody@nowhere.example", "guess", _expected_status=200)) == [
        TOO_MANY
    ]


def test_one_address_is_slowed_down_across_emails(client_request):
    for number in range(accounts.FREE_FAILURES["address"]):
        _sign_in(client_request, f"guess{number}@nowhere.example", "guess", _expected_status=200)
    user = make_user(make_council())
    db.session.commit()
    assert error_summary(_sign_in(client_request, user.email, PASSWORD, _expected_status=200)) == [TOO_MANY]


def test_an_office_signing_in_from_one_address_is_not_slowed_down(app, client_request):
    council = make_council()
    people = [make_user(council) for _ in range(accounts.FREE_FAILURES["address"] + 5)]
    db.session.commit()
    for person in people:
        browser = ClientRequest(app.test_client())
        _sign_in(browser, person.email, PASSWORD, _expected_redirect=url("home.index"))
    page = _sign_in(client_request, people[0].email, "a slip of the finger", _expected_status=200)
    assert error_summary(page) == ["The email address or password is not right"]


def test_old_failures_no_longer_count(client_request):
    user = make_user(make_council())
    long_ago = clock.now() - timedelta(hours=1)
    db.session.add(SignInThrottle(kind="account", key=user.email, failures=50, last_failure_at=long_ago))
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))


def test_failures_for_emails_nobody_has_are_forgotten_after_a_day(client_request):
    old = clock.now() - accounts.FORGET_AFTER - timedelta(minutes=1)
    recent = clock.now() - timedelta(hours=1)
    db.session.add(SignInThrottle(kind="account", key="gone@nowhere.example", failures=3, last_failure_at=old))
    db.session.add(SignInThrottle(kind="account", key="kept@nowhere.example", failures=3, last_failure_at=recent))
    db.session.commit()
    _sign_in(client_request, "someone@nowhere.example", "guess", _expected_status=200)
    keys = set(db.session.scalars(select(SignInThrottle.key)))
    assert "gone@nowhere.example" not in keys and {"kept@nowhere.example", "someone@nowhere.example"} <= keys


def test_unknown_deactivated_and_wrong_each_check_one_password_hash(client_request, monkeypatch):
    """Timing must not tell a deactivated account (which answered without hashing) from others."""
    council = make_council()
    active, deactivated = make_user(council), make_user(council)
    with acting_for(council.id):
        accounts.set_role(deactivated, deactivated.role, None, active=False)
    db.session.commit()
    checked = []

    class CountingHasher:
        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, *args):
            checked.append(1)
            return self.hasher.verify(*args)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher(accounts._hasher))
    for email, password in [
        (active.email, "not the password"),
        ("nobody@nowhere.example", PASSWORD),
        (deactivated.email, PASSWORD),
    ]:
        checked.clear()
        page = _sign_in(client_request, email, password, _expected_status=200)
        assert error_summary(page) == ["The email address or password is not right"]
        assert len(checked) == 1, email


def test_signing_out_ends_the_session_on_the_server(app, client_request):
    user = make_user(make_council())
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))
    copied = client_request.client.get_cookie("session", domain=app.config["SERVER_NAME"]).value
    client_request.post("auth.sign_out")
    thief = ClientRequest(app.test_client())
    thief.client.set_cookie("session", copied, domain=app.config["SERVER_NAME"])
    thief.get_response("home.index", _expected_status=302)


def test_a_session_ends_after_its_absolute_lifetime_however_much_it_is_used(app, client_request, monkeypatch):
    user = make_user(make_council())
    db.session.commit()
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))
    lifetime = app.config["SESSION_ABSOLUTE_LIFETIME"]
    assert app.config["PERMANENT_SESSION_LIFETIME"] < lifetime
    _later(monkeypatch, lifetime - timedelta(minutes=1))
    client_request.get("home.index")  # used all along: each request renews the idle time
    _later(monkeypatch, timedelta(minutes=2))
    client_request.get_response("home.index", _expected_status=302)


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
