"""Administrators add people, set roles and read the audit log."""

from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.models import Role, ServiceArea, User
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as


def _admin(client):
    admin = make_user(make_council(), Role.ADMINISTRATOR, name="Ada Admin")
    db.session.commit()
    sign_in_as(client, admin)
    return admin


def test_adding_a_user_shows_a_temporary_password_once(client):
    admin = _admin(client)
    page = client.post(
        "/admin/users/new",
        data={
            "name": "Hana Head",
            "email": "Hana@Council.example",
            "role": "head_of_service",
            "service_area": "care_leavers",
        },
    ).get_data(as_text=True)
    assert "Hana Head has been added" in page and "Temporary password" in page
    user = db.session.scalars(select(User).where(User.email == "hana@council.example")).one()
    assert user.council_id == admin.council_id
    assert user.service_area is ServiceArea.CARE_LEAVERS
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.created", AuditEvent.record_id == str(user.id))
    ).one()
    assert event.actor_name == admin.email
    assert event.after["role"] == "head_of_service"
    assert "password" not in str(event.after)


def test_adding_a_user_refuses_bad_input_and_saves_nothing(client):
    _admin(client)
    existing = make_user(make_council(), email="taken@elsewhere.example")
    db.session.commit()
    count = db.session.scalar(select(db.func.count(User.id)).execution_options(all_councils=True))
    cases = [
        ({"name": "", "email": "a@b.example", "role": "senior_leader"}, "Enter the person&#39;s full name"),
        (
            {"name": "X", "email": "not an email", "role": "senior_leader"},
            "Enter an email address in the correct format",
        ),
        ({"name": "X", "email": "a@b.example"}, "Choose a role"),
        ({"name": "X", "email": "a@b.example", "role": "emperor"}, "Not a valid choice"),
        (
            {"name": "X", "email": "a@b.example", "role": "head_of_service", "service_area": ""},
            "Choose the service area",
        ),
        ({"name": "X", "email": existing.email, "role": "senior_leader"}, "already exists"),
    ]
    for data, message in cases:
        page = client.post("/admin/users/new", data=data).get_data(as_text=True)
        assert message in page, data
        assert "govuk-error-summary" in page
    assert db.session.scalar(select(db.func.count(User.id)).execution_options(all_councils=True)) == count


def test_changing_a_role_is_audited_with_before_and_after(client):
    admin = _admin(client)
    person = make_user(admin.council, Role.SENIOR_LEADER)
    db.session.commit()
    response = client.post(f"/admin/users/{person.id}", data={"role": "peer_reviewer", "active": "y"})
    assert response.status_code == 302
    assert person.role is Role.PEER_REVIEWER
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_changed")).one()
    assert event.before["role"] == "senior_leader" and event.after["role"] == "peer_reviewer"


def test_an_administrator_cannot_lock_themselves_out(client):
    admin = _admin(client)
    page = client.post(f"/admin/users/{admin.id}", data={"role": "senior_leader", "active": "y"}).get_data(as_text=True)
    assert "You cannot remove your own administrator access" in page
    assert admin.role is Role.ADMINISTRATOR


def test_the_audit_log_filters(client):
    admin = _admin(client)
    make_user(admin.council, name="Filtered Person")
    db.session.commit()
    page = client.get("/admin/audit-log?action=user.created").get_data(as_text=True)
    assert "user.created" in page and "council.created" not in page
    page = client.get("/admin/audit-log?since=2999-01-01").get_data(as_text=True)
    assert "0 entries" in page


def test_the_audit_log_explains_a_bad_date(client):
    _admin(client)
    page = client.get("/admin/audit-log?since=31/02/2025").get_data(as_text=True)
    assert "From date must be a real date" in page
