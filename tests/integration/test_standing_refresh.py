"""The standing worked out again in the background after a change (councils/standing_cache.py,
the refresh job in inspect_ready/jobs.py).

A change saved through a page marks the entries the job will keep, in the change's own
transaction; the job (run when the request is over, in the tests' immediate mode) keeps the
standing at the new version, so the next page reads it rather than working it out, and shows
the change. A refresh that fails, or never runs, leaves the page to work the standing out.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from councils import standing_cache
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence import standing
from evidence.library import evidence_map
from evidence.library.items import framework_of
from tests.support.factories import date_parts, make_council, make_evidence, make_user

TODAY = dt.date.today()
table = standing_cache.standing_cache


@pytest.fixture()
def refreshing(app, monkeypatch):
    monkeypatch.setitem(app.config, "STANDING_REFRESH", True)


@pytest.fixture()
def counted(monkeypatch):
    """How many times the standing is worked out."""
    calls = []
    real = standing.fresh_outcome

    def fresh_outcome(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(standing, "fresh_outcome", fresh_outcome)
    return calls


def _leader_with_evidence():
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    make_evidence(council, title="Strategy meetings are timely", grade="good", links=["leaders"])
    db.session.commit()
    return council, leader


def _add_inadequate_evidence(client_request):
    client_request.post_response(
        "library.new",
        _data={
            "title": "Plans drift for months",
            "kind": "document",
            "summary": "Plans are not reviewed.",
            "links": ["leaders"],
            "grade": "inadequate",
            "leaning": "concern",
            "evidence_date": date_parts(TODAY),
            "review_by": ["", "", ""],
            "owner_id": "",
            "service_area": "",
            "source_reference": "",
            "status": "accepted",
        },
    )


def _entries(council):
    """The kept entries of today's standing at the council's version now."""
    key = standing.standing_key(framework_of(council), TODAY, (), None)
    version = standing_cache.version_of(council.id)
    return db.session.execute(
        select(table.c.version, table.c.payload).where(
            table.c.council_id == council.id, table.c.key == key, table.c.version == version
        )
    ).all()


def test_after_a_change_the_next_page_reads_the_refreshed_standing_and_shows_the_change(
    client_request, refreshing, counted
):
    council, leader = _leader_with_evidence()
    client_request.sign_in(leader)
    before = client_request.get("home.index").get_text()
    _add_inadequate_evidence(client_request)
    assert len(counted) == 2  # the first page, then the refresh after the change
    version = standing_cache.version_of(council.id)
    [(kept_version, payload)] = _entries(council)
    assert kept_version == version and payload not in standing_cache.MARKS
    map_entry = select(table.c.payload).where(
        table.c.council_id == council.id,
        table.c.key == evidence_map.map_key(council, TODAY, None),
        table.c.version == version,
    )
    assert db.session.scalar(map_entry) not in (None, *standing_cache.MARKS)  # the map, refreshed too
    after = client_request.get("home.index").get_text()
    assert len(counted) == 2  # the page read what the refresh kept
    assert after != before and "Plans drift for months" not in before
    with acting_for(council.id):
        assert standing_cache.loads(payload) == standing.fresh_outcome(council, TODAY, framework_of(council))


def test_a_refresh_that_fails_leaves_no_mark_and_the_page_works_the_standing_out(
    client_request, refreshing, monkeypatch, caplog
):
    council, leader = _leader_with_evidence()
    client_request.sign_in(leader)
    before = client_request.get("home.index").get_text()
    real = standing.fresh_outcome

    def fail(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(standing, "fresh_outcome", fail)
    _add_inadequate_evidence(client_request)
    monkeypatch.setattr(standing, "fresh_outcome", real)
    assert "refresh of standing of council" in caplog.text
    assert _entries(council) == []  # the mark went with the failure: nobody waits for it
    after = client_request.get("home.index").get_text()
    assert after != before
    with acting_for(council.id):
        fresh = standing.fresh_outcome(council, TODAY, framework_of(council))
        [(_, payload)] = _entries(council)
        assert standing_cache.loads(payload) == fresh


def test_a_mark_no_job_takes_up_is_replaced_by_the_page_that_stops_waiting(database, monkeypatch):
    council, _ = _leader_with_evidence()
    monkeypatch.setattr(standing_cache, "QUEUED_WAIT_SECONDS", 0.1)
    with acting_for(council.id):
        key = standing.standing_key(framework_of(council), TODAY, (), None)
        version = standing_cache.version_of(council.id)
        db.session.execute(
            table.insert().values(council_id=council.id, key=key, version=version, payload=standing_cache.QUEUED)
        )
        db.session.commit()
        fresh = standing.fresh_outcome(council, TODAY, framework_of(council))
        assert standing.live_outcome(council, TODAY) == fresh
        [(_, payload)] = _entries(council)
        assert standing_cache.loads(payload) == fresh


def test_a_refresh_of_a_version_a_later_change_has_passed_does_nothing(database, app, monkeypatch, counted):
    monkeypatch.setitem(app.config, "STANDING_REFRESH", True)
    council, _ = _leader_with_evidence()
    with acting_for(council.id):
        old = standing_cache.version_of(council.id)
        make_evidence(council, grade="inadequate", links=["leaders"])
        db.session.commit()  # outside a request: immediate mode has nowhere to run a job, so no mark
        assert standing_cache.version_of(council.id) == old + 1
        assert _entries(council) == []
        key = standing.standing_key(framework_of(council), TODAY, (), None)
        db.session.execute(
            table.insert().values(council_id=council.id, key=key, version=old, payload=standing_cache.QUEUED)
        )
        db.session.commit()
        assert standing_cache.refresh(council.id, old) == 0
        assert counted == []
