"""One write path: views never commit; a request that ends well is committed after it, any
other is rolled back; and looking at a page never changes what is stored."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from tests.support.every_page import pages, sample_council, url_of
from tests.support.factories import make_council, make_user, sign_in_as

# Refusals (a review the person is not on) are written to the audit log on purpose, and
# sign-in failures are counted: neither is a change to the council's records. A page keeps
# the standing it worked out for the next one (councils/standing_cache.py): a cache.
NOT_RECORDS = {"audit_event", "sign_in_throttle", "standing_cache"}


def stored_rows() -> dict[str, list]:
    """Every row of every table, as plain values (the tenancy filter sees only ORM queries)."""
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
        if table.name not in NOT_RECORDS
    }


def test_no_get_changes_the_database(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    sample = sample_council(app, "a long enough password for tests")
    before = stored_rows()
    fetched = 0
    for role, user in sample["users"].items():
        sign_in_as(client, user)
        for rule, roles in pages(app, sample["ids"]):
            if role in roles:
                response = client.get(url_of(rule, sample["ids"]))
                response.close()  # downloads hold their file open until closed
                assert response.status_code < 500, f"{rule.rule} as {role.value}: {response.status_code}"
                fetched += 1
    assert fetched > 60  # every page, as each role that may see it
    assert stored_rows() == before


def test_a_refused_change_keeps_nothing(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    client_request.sign_in(leader)
    with acting_for(council.id):
        count = len(db.session.scalars(select(Action)).all())
    # A due date of 1066 is refused by the action plan's own check, after the form passed.
    client_request.post(
        "actions.new",
        _data={
            "what": "Re-audit strategy discussions",
            "owner_id": str(leader.id),
            "due_date": ["1", "1", "1066"],
            "success_measure": "Audits good or better",
            "area_id": "help_protection",
        },
        _expected_status=200,
    )
    with acting_for(council.id):
        assert len(db.session.scalars(select(Action)).all()) == count


def test_a_change_that_succeeds_is_committed_after_the_request(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    client_request.sign_in(leader)
    client_request.post(
        "actions.new",
        _data={
            "what": "Re-audit strategy discussions",
            "owner_id": str(leader.id),
            "due_date": ["1", "1", str(dt.date.today().year + 1)],
            "success_measure": "Audits good or better",
            "area_id": "help_protection",
        },
    )
    db.session.rollback()  # only what the request committed is still there
    with acting_for(council.id):
        assert [a.what for a in db.session.scalars(select(Action))] == ["Re-audit strategy discussions"]


def test_the_test_client_fails_a_request_that_leaves_changes_uncommitted(app, client_request):
    from councils.models import Council
    from tests.support.checked_client import SessionLeftDirty

    client_request.sign_in(make_user(make_council()))

    def write_after_the_commit(response):
        db.session.add(Council(name="Left behind"))
        return response

    # after-request functions run last-registered first: at the front, this one runs after the commit
    app.after_request_funcs[None].insert(0, write_after_the_commit)
    try:
        with pytest.raises(SessionLeftDirty):
            client_request.get_response("frameworks.index")
    finally:
        app.after_request_funcs[None].remove(write_after_the_commit)
        db.session.rollback()
