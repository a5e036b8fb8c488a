"""The busiest pages run the same number of SQL statements whatever the council's size.

Each page is fetched with a small council and again after many more records are added:
the statement count must not grow (no query per row, no N+1).
"""

import datetime as dt

import pytest

from councils.models import Role
from evidence.actions import Action
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_user, sign_in_as
from tests.support.queries import counted_queries


def add_records(council_id: int, owner_id: int, count: int) -> None:
    """Add `count` of each kind of record a leader's pages read."""
    today = dt.date.today()
    db.session.add_all(
        Action(
            council_id=council_id,
            what=f"Action {i}",
            owner_id=owner_id,
            due_date=today - dt.timedelta(days=i % 5),
            success_measure="Measured",
            area_id="help_protection",
        )
        for i in range(count)
    )
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/gaps/", "/actions/"])
def test_leader_pages_run_a_bounded_number_of_queries(client, path):
    leader = make_user(make_council(), Role.SENIOR_LEADER)
    db.session.commit()
    sign_in_as(client, leader)
    add_records(leader.council_id, leader.id, 3)
    with counted_queries(db.engine) as small:
        assert client.get(path).status_code == 200
    add_records(leader.council_id, leader.id, 60)
    with counted_queries(db.engine) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), f"{path}: {len(small)} queries grew to {len(large)}"
    assert len(large) <= 25, f"{path} runs {len(large)} queries"
