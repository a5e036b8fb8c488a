"""Temporary passwords, reset links, and the password rules on the forms."""

from datetime import timedelta

from sqlalchemy import select

from councils import accounts, clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import PasswordReset, Role, User
from councils.tenancy import acting_for
from tests.support.client_request import ClientRequest, parse, url
from tests.support.factories import PASSWORD, make_council, make_user
from tests.support.pages import error_summary, heading, page_text, summary_list

NEW_PASSWORD = "lantern orbit kettle meadow"


def _sign_in(client_request, email, password, **extra):
    return client_request.post("auth.sign_in", _data={"email": email, "password": password}, **extra)


def _add_person(client_request, email="hana@council.example") -> str:
    """An administrator adds a person; the temporary password shown."""
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    client_request.sign_in(admin)
    page = client_request.post(
        "admin.add_user", _data={"name": "Hana Head", "email": email, "role": "senior_leader"}, _expected_status=200
    )
    client_request.post("auth.sign_out")
    return page.select_one("code.app-secret").text


def test_a_temporary_password_must_be_changed_before_anything_else(client_request):
    temporary = _add_person(client_request)
    _sign_in(client_request, "hana@council.example", temporary)
    for endpoint in ("home.index", "library.index", "gaps.index"):
        client_request.get_response(endpoint, _expected_status=302, _expected_redirect=url("auth.change_password"))
    page = client_request.get("auth.change_password")
    assert heading(page) == "Choose your own password"
    page = client_request.post(
        "auth.change_password",
        _data={"current_password": temporary, "new_password": temporary, "confirm_password": temporary},
        _expected_status=200,
    )
    assert "Your new password must be different from your current one" in error_summary(page)
    client_request.post(
        "auth.change_password",
        _data={"current_password": temporary, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        _expected_redirect=url("home.index"),
    )
    client_request.get("home.index")
    client_request.post("auth.sign_out")
    _sign_in(client_request, "hana@council.example", NEW_PASSWORD, _expected_redirect=url("home.index"))


def test_the_command_lines_first_administrator_must_choose_a_password(app, client_request):
    result = app.test_cli_runner().invoke(
        args=["create-council", "Fenwick Council", "--admin-name", "Fay Admin", "--admin-email", "fay@fenwick.example"]
    )
    temporary = result.output.rsplit(": ", 1)[1].strip()
    _sign_in(client_request, "fay@fenwick.example", temporary)
    client_request.get_response("admin.users", _expected_status=302, _expected_redirect=url("auth.change_password"))


def test_a_new_password_on_the_common_list_or_holding_the_email_is_refused(client_request):
    user = make_user(make_council(), email="priya.shah@council.example")
    client_request.sign_in(user)
    for password, message in [
        ("password1234", "Password is too easy to guess"),
        ("priya.shah.kettle.orbit", "Password must not contain your email address or the name in it"),
    ]:
        page = client_request.post(
            "auth.change_password",
            _data={"current_password": PASSWORD, "new_password": password, "confirm_password": password},
            _expected_status=200,
        )
        assert any(error.startswith(message) for error in error_summary(page)), error_summary(page)
    client_request.post("auth.sign_out")
    _sign_in(client_request, user.email, PASSWORD, _expected_redirect=url("home.index"))


def test_adding_an_email_of_another_council_does_not_say_an_account_has_it(client_request):
    other = make_user(make_council(), email="kim@elsewhere.example", name="Kim Elsewhere")
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    own = make_user(admin.council, name="Olu Own", email="olu@own.example")
    client_request.sign_in(admin)
    page = client_request.post(
        "admin.add_user", _data={"name": "K", "email": other.email, "role": "senior_leader"}, _expected_status=200
    )
    [message] = error_summary(page)
    assert message == accounts.EMAIL_CANNOT_BE_USED
    assert not any(word in message.lower() for word in ("already", "exists", "elsewhere", "council"))
    # The council's own people are on its list anyway: that refusal may name them.
    page = client_request.post(
        "admin.add_user", _data={"name": "O", "email": own.email, "role": "senior_leader"}, _expected_status=200
    )
    assert error_summary(page) == ["Olu Own already has an account with this email address"]


def _make_reset_link(client_request, person) -> str:
    admin = make_user(person.council, Role.ADMINISTRATOR)
    client_request.sign_in(admin)
    page = client_request.post("admin.reset_link", user_id=person.id, _expected_status=200)
    link = summary_list(page)["Reset link"]
    client_request.post("auth.sign_out")
    return link


def test_an_administrator_makes_a_single_use_reset_link(app, client_request):
    person = make_user(make_council(), name="Rae Reset")
    db.session.commit()
    elsewhere = ClientRequest(app.test_client())
    elsewhere.sign_in(person)
    link = _make_reset_link(client_request, person)
    token = link.rsplit("/", 1)[1]
    # Kept hashed; the audit log says a link was made, never what it was.
    reset = db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == person.id)).one()
    assert token not in reset.token_hash
    with acting_for(None):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_id == str(person.id))).all()
    assert "user.password_reset_link_made" in [event.action for event in events]
    assert not any(token in f"{event.before} {event.after} {event.detail}" for event in events)

    page = client_request.post(
        "auth.reset_password",
        reset_token=token,
        _data={"new_password": "password1234", "confirm_password": "password1234"},
        _expected_status=200,
    )
    assert error_summary(page)[0].startswith("Password is too easy to guess")
    client_request.get("auth.reset_password", reset_token=token)  # a refused password leaves the link working
    client_request.post(
        "auth.reset_password",
        reset_token=token,
        _data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        _expected_redirect=url("auth.sign_in"),
    )
    elsewhere.get_response("home.index", _expected_status=302)  # every session ended
    page = client_request.get_response("auth.reset_password", reset_token=token, _expected_status=404)
    assert accounts.RESET_LINK_GONE in page_text(parse(page))
    client_request.post(
        "auth.reset_password",
        reset_token=token,
        _data={"new_password": "another kettle orbit", "confirm_password": "another kettle orbit"},
        _expected_status=404,
    )
    assert error_summary(_sign_in(client_request, person.email, PASSWORD, _expected_status=200))
    _sign_in(client_request, person.email, NEW_PASSWORD, _expected_redirect=url("home.index"))
    with acting_for(None):
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(person.id))).all()
    assert "user.password_reset" in actions


def test_a_reset_link_expires_and_a_new_one_replaces_it(client_request, monkeypatch):
    person = make_user(make_council())
    db.session.commit()
    first = _make_reset_link(client_request, person).rsplit("/", 1)[1]
    second = _make_reset_link(client_request, person).rsplit("/", 1)[1]
    client_request.get_response("auth.reset_password", reset_token=first, _expected_status=404)
    client_request.get("auth.reset_password", reset_token=second)
    later = clock.now() + accounts.RESET_LINK_LIFETIME + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    client_request.get_response("auth.reset_password", reset_token=second, _expected_status=404)
    client_request.get_response("auth.reset_password", reset_token="made-up", _expected_status=404)


def test_a_reset_link_is_not_made_for_a_deactivated_person(client_request):
    person = make_user(make_council())
    admin = make_user(person.council, Role.ADMINISTRATOR)
    with acting_for(person.council_id):
        accounts.set_role(person, person.role, None, active=False)
    client_request.sign_in(admin)
    client_request.post(
        "admin.reset_link", user_id=person.id, _expected_redirect=url("admin.edit_user", user_id=person.id)
    )
    assert db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == person.id)).first() is None


def test_an_administrator_cannot_make_a_reset_link_for_another_councils_person(client_request):
    person = make_user(make_council())
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    client_request.sign_in(admin)
    client_request.post_response("admin.reset_link", user_id=person.id, _expected_status=404)
    assert db.session.scalars(select(PasswordReset)).first() is None
    assert db.session.scalars(select(User).where(User.id == person.id).execution_options(all_councils=True)).one()


def test_a_reset_link_is_not_for_someone_else_signed_in_on_the_browser(client_request):
    person = make_user(make_council())
    db.session.commit()
    link = _make_reset_link(client_request, person)
    token = link.rsplit("/", 1)[1]
    client_request.sign_in(make_user(person.council))
    page = client_request.get_response("auth.reset_password", reset_token=token, _expected_status=404)
    assert "This link is for another person's account" in page_text(parse(page))
    client_request.post("auth.sign_out")
    client_request.get("auth.reset_password", reset_token=token)
