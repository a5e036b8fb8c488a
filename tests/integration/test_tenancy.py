"""One council never sees another's data."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils.models import Role, User
from councils.tenancy import CrossCouncilWrite, acting_for
from evidence import indicators
from evidence.annex_a import imports
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as

# How to find council B's record for each kind of id a URL can carry. A new route with
# an id must add its kind here, or test_every_route_refuses_another_councils_ids fails.
OTHER_COUNCILS_IDS = {
    "user_id": lambda other: other["user"].id,
    "indicator_id": lambda other: other["indicator"].id,
    "value_id": lambda other: other["value"].id,
    "import_id": lambda other: other["import"].id,
}


@pytest.fixture()
def two_councils(database):
    council_a, council_b = make_council("Council A"), make_council("Council B")
    admin_a = make_user(council_a, Role.ADMINISTRATOR, name="Alice of A")
    leader_a = make_user(council_a, Role.SENIOR_LEADER, name="Lee of A")
    user_b = make_user(council_b, Role.ADMINISTRATOR, name="Bob of B", email="bob@b.example")
    with acting_for(council_b.id):
        indicators.ensure_default_indicators()
        indicator = indicators.all_indicators()[0]
        value = indicators.record_value(indicator, dt.date(2025, 3, 1), 1)  # far off target
        indicators.add_corrective_action(value, who="Bob of B", what="act", by_when=dt.date(2025, 4, 1), recorded_by="bob@b.example")
        job = imports.queue_import(filename="b.xlsx", month=dt.date(2025, 3, 1), cp_visit_working_days=10, requested_by="Bob of B")
    db.session.commit()
    return {"admin_a": admin_a, "leader_a": leader_a, "user": user_b, "council_b": council_b,
            "indicator": indicator, "value": value, "import": job}


def test_every_route_refuses_another_councils_ids(app, client, two_councils):
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        unknown = rule.arguments - OTHER_COUNCILS_IDS.keys()
        assert not unknown, f"{rule.rule}: add {unknown} to OTHER_COUNCILS_IDS"
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", str(OTHER_COUNCILS_IDS[argument](two_councils)))
        # Someone in council A whose role may use the view, so a 404 means "not yours", not "not allowed".
        allowed = app.view_functions[rule.endpoint].allowed_roles
        sign_in_as(client, two_councils["admin_a"] if Role.ADMINISTRATOR in allowed else two_councils["leader_a"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"role": "peer_reviewer", "active": "y"})
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
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
    assert sorted(names) == ["Alice of A", "Lee of A"]


def test_writing_into_another_council_is_refused(two_councils):
    with acting_for(two_councils["admin_a"].council_id):
        db.session.add(
            User(council_id=two_councils["council_b"].id, name="Intruder", email="i@x.example",
                 password_hash="x", role=Role.ADMINISTRATOR)
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
