"""Administrators add people, set roles and read the audit log."""

from sqlalchemy import select

from councils import accounts
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea, User
from tests.support.factories import make_council, make_user
from tests.support.pages import error_summary, summary_list, text


def _admin(client_request):
    admin = make_user(make_council(), Role.ADMINISTRATOR, name="Ada Admin")
    db.session.commit()
    return client_request.sign_in(admin)


def test_adding_a_user_shows_a_temporary_password_once(client_request):
    admin = _admin(client_request)
    page = client_request.post(
        "admin.add_user",
        _data={
            "name": "Hana Head",
            "email": "Hana@Council.example",
            "role": "head_of_service",
            "service_area": "care_leavers",
        },
        _expected_status=200,
    )
    assert text(page.select_one(".govuk-panel__title")) == "Hana Head has been added"
    assert summary_list(page)["Temporary password"]
    user = db.session.scalars(select(User).where(User.email == "hana@council.example")).one()
    assert user.council_id == admin.council_id
    assert user.service_area is ServiceArea.CARE_LEAVERS
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.created", AuditEvent.record_id == str(user.id))
    ).one()
    assert event.actor_name == admin.email
    assert event.after["role"] == "head_of_service"
    assert "password" not in str(event.after)


def test_adding_a_user_refuses_bad_input_and_saves_nothing(client_request):
    _admin(client_request)
    existing = make_user(make_council(), email="taken@elsewhere.example")
    db.session.commit()
    count = db.session.scalar(select(db.func.count(User.id)).execution_options(all_councils=True))
    cases = [
        ({"name": "", "email": "a@b.example", "role": "senior_leader"}, "Enter the person's full name"),
        (
            {"name": "X", "email": "not an email", "role": "senior_leader"},
            "Enter an email address in the correct format, like name@council.gov.uk",
        ),
        ({"name": "X", "email": "a@b.example"}, "Choose a role"),
        ({"name": "X", "email": "a@b.example", "role": "emperor"}, "Choose the role from the options shown"),
        (
            {"name": "X", "email": "a@b.example", "role": "head_of_service", "service_area": ""},
            "Choose the service area this head of service leads",
        ),
        (
            {"name": "X", "email": existing.email, "role": "senior_leader"},
            accounts.EMAIL_CANNOT_BE_USED,
        ),
    ]
    for data, message in cases:
        page = client_request.post("admin.add_user", _data=data, _expected_status=200)
        assert error_summary(page) == [message], data
    assert db.session.scalar(select(db.func.count(User.id)).execution_options(all_councils=True)) == count


def test_changing_a_role_is_audited_with_before_and_after(client_request):
    admin = _admin(client_request)
    person = make_user(admin.council, Role.SENIOR_LEADER)
    db.session.commit()
    client_request.post("admin.edit_user", user_id=person.id, _data={"role": "peer_reviewer", "active": "y"})
    assert person.role is Role.PEER_REVIEWER
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_changed")).one()
    assert event.before["role"] == "senior_leader" and event.after["role"] == "peer_reviewer"


def test_an_administrator_cannot_lock_themselves_out(client_request):
    admin = _admin(client_request)
    page = client_request.post(
        "admin.edit_user", user_id=admin.id, _data={"role": "senior_leader", "active": "y"}, _expected_status=200
    )
    assert error_summary(page) == ["You cannot remove your own administrator access"]
    assert admin.role is Role.ADMINISTRATOR
