"""One council never sees another's data."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils.models import Role, User
from councils.tenancy import CrossCouncilWrite, acting_for
from evidence.actions import Action
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as

# How to find council B's record for each kind of id a URL can carry. A new route with
# an id must add its kind here, or test_every_route_refuses_another_councils_ids fails.
OTHER_COUNCILS_IDS = {
    "user_id": lambda other: other["user"].id,
    "action_id": lambda other: other["action"].id,
}
# Arguments that name shared reference data or a file format, not a council's records.
SHARED_ARGUMENTS = {"framework_id", "file_format"}


@pytest.fixture()
def two_councils(database):
    council_a, council_b = make_council("Council A"), make_council("Council B")
    admin_a = make_user(council_a, Role.ADMINISTRATOR, name="Alice of A")
    user_b = make_user(council_b, Role.ADMINISTRATOR, name="Bob of B", email="bob@b.example")
    with acting_for(council_b.id):
        action_b = Action(
            what="B's action",
            owner_id=user_b.id,
            due_date=dt.date(2030, 1, 1),
            success_measure="B",
            area_id="help_protection",
        )
        db.session.add(action_b)
        db.session.flush()
    db.session.commit()
    return {"admin_a": admin_a, "user": user_b, "council_b": council_b, "action": action_b}


@pytest.mark.parametrize("role", list(Role))
def test_every_route_refuses_another_councils_ids(app, client, two_councils, role):
    two_councils["admin_a"].role = role  # every role, so no view is skipped for lack of permission
    db.session.commit()
    sign_in_as(client, two_councils["admin_a"])
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments - SHARED_ARGUMENTS or rule.endpoint == "static":
            continue
        unknown = rule.arguments - OTHER_COUNCILS_IDS.keys() - SHARED_ARGUMENTS
        assert not unknown, f"{rule.rule}: add {unknown} to OTHER_COUNCILS_IDS"
        url = rule.rule.replace("<any(csv, xlsx):file_format>", "csv")
        for argument in rule.arguments - SHARED_ARGUMENTS:
            url = url.replace(f"<int:{argument}>", str(OTHER_COUNCILS_IDS[argument](two_councils)))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"role": "peer_reviewer", "active": "y", "text": "x"})
            allowed = app.view_functions[rule.endpoint].allowed_roles
            expected = 404 if allowed is None or role in allowed else 403
            assert response.status_code == expected, f"{role.value}: {method} {url} gave {response.status_code}"
            assert "Bob of B" not in response.get_data(as_text=True)
            checked += 1
    assert checked > 0
    with acting_for(None):
        bob = db.session.get(User, two_councils["user"].id)
        assert bob.role is Role.ADMINISTRATOR, "a refused request changed council B's data"


def test_lists_show_only_the_signed_in_council(client, two_councils):
    sign_in_as(client, two_councils["admin_a"])
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert "Alice of A" in users_page and "Bob of B" not in users_page
    audit_page = client.get("/admin/audit-log").get_data(as_text=True)
    assert "bob@b.example" not in audit_page


def test_queries_are_scoped_without_a_filter_in_the_query(two_councils):
    with acting_for(two_councils["admin_a"].council_id):
        names = db.session.scalars(select(User.name)).all()
    assert names == ["Alice of A"]


def test_writing_into_another_council_is_refused(two_councils):
    with acting_for(two_councils["admin_a"].council_id):
        db.session.add(
            User(
                council_id=two_councils["council_b"].id,
                name="Intruder",
                email="i@x.example",
                password_hash="x",
                role=Role.ADMINISTRATOR,
            )
        )
        with pytest.raises(CrossCouncilWrite):
            db.session.flush()
    db.session.rollback()


def test_new_rows_take_the_current_council(two_councils):
    council_a = two_councils["admin_a"].council_id
    with acting_for(council_a):
        user = User(name="New", email="new@a.example", password_hash="x", role=Role.SENIOR_LEADER)
        db.session.add(user)
        db.session.flush()
    assert user.council_id == council_a
