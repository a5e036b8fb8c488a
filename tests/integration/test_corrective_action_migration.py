"""The migration that makes corrective actions actions of the plan, run on real rows.

It runs on a scratch database of its own (a SQLite file, or a second PostgreSQL database beside
the test one), because it migrates down and up, which the suite's shared database cannot.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Council
from evidence.action_plan.models import Action, ActionNote, ActionStatus
from evidence.performance.models import Indicator, IndicatorValue
from tests.support.fresh_database import fresh_app

BEFORE = "0d17a76a5550"  # the revision before corrective actions became actions
RECORDED_AT = dt.datetime(2025, 4, 3, 10, 30)
MARCH = dt.date(2025, 3, 1)
NOT_STARTED = ActionStatus.NOT_STARTED

# The table as it was before the migration (its model is gone).
corrective_action = sa.table(
    "corrective_action",
    sa.column("id", sa.Integer),
    sa.column("council_id", sa.Integer),
    sa.column("indicator_value_id", sa.Integer),
    sa.column("who", sa.String),
    sa.column("what", sa.Text),
    sa.column("by_when", sa.Date),
    sa.column("recorded_at", sa.DateTime),
    sa.column("recorded_by", sa.String),
)


@pytest.fixture()
def scratch_app(tmp_path):
    with fresh_app(tmp_path) as app, app.app_context():
        yield app


def _insert(connection, table, **values) -> int:
    return connection.execute(sa.insert(table).values(**values).returning(table.c.id)).scalar_one()


# The people table as it was at BEFORE: the model may have columns added since.
user_before = sa.table(
    "user",
    *(sa.column(name) for name in ("id", "council_id", "name", "email", "password_hash", "role", "active")),
    sa.column("session_version", sa.Integer),
)


def _person(connection, council_id, name, email, role, active=True) -> int:
    return _insert(
        connection,
        user_before,
        council_id=council_id,
        name=name,
        email=email,
        password_hash="not a hash",
        role=role,
        active=active,
        session_version=1,
    )


def _month(connection, council_id, name, areas) -> int:
    indicator_id = _insert(
        connection,
        Indicator.__table__,
        council_id=council_id,
        code=name.lower().replace(" ", "_"),
        name=name,
        numerator="n",
        denominator="d",
        unit="percent",
        polarity="higher",
        target=90.0,
        tolerance=5.0,
        areas=areas,
        criteria=[],
    )
    return _insert(
        connection,
        IndicatorValue.__table__,
        council_id=council_id,
        indicator_id=indicator_id,
        period=MARCH,
        value=50.0,
        source="form",
        recorded_at=RECORDED_AT,
    )


def _clinic(connection, council_id, value_id, who, what, recorded_by) -> int:
    return _insert(
        connection,
        corrective_action,
        council_id=council_id,
        indicator_value_id=value_id,
        who=who,
        what=what,
        by_when=dt.date(2025, 4, 30),
        recorded_at=RECORDED_AT,
        recorded_by=recorded_by,
    )


def _councils_before_the_migration(connection) -> dict:
    """Two councils with corrective actions whose owners are found each way the migration has."""
    north = _insert(connection, Council.__table__, name="Northshire", framework_id="ilacs-2026")
    old = _insert(connection, Council.__table__, name="Oldframe", framework_id="ilacs-2018")
    ids = {
        "gone": _person(connection, north, "Gone Director", "gone@north.example", "senior_leader", active=False),
        "priya": _person(connection, north, "Priya Shah", "priya@north.example", "senior_leader"),
        "lee": _person(connection, north, "Lee Cole", "lee@north.example", "head_of_service"),
        "ada": _person(connection, old, "Ada Admin", "ada@old.example", "administrator"),
    }
    icpc = _month(connection, north, "ICPCs in time", ["help_protection"])
    complaints = _month(connection, north, "Complaints answered", [])
    placements = _month(connection, old, "Placement stability", ["in_care", "in_care_and_leavers", "looked_after"])
    # An action of the plan with a progress note, which must come through both ways untouched.
    ids["plan"] = _insert(
        connection,
        Action.__table__,
        council_id=north,
        what="Refresh the threshold guidance",
        owner_id=ids["lee"],
        due_date=dt.date(2030, 1, 1),
        success_measure="Audits good",
        area_id="help_protection",
    )
    _insert(connection, ActionNote.__table__, council_id=north, action_id=ids["plan"], text="Draft shared")
    ids["named"] = _clinic(connection, north, icpc, " priya SHAH ", "chair a weekly ICPC huddle", "lee@north.example")
    ids["recorder"] = _clinic(
        connection, north, icpc, "Team manager, CP team 2", "decide by day 5", "lee@north.example"
    )
    ids["leader"] = _clinic(connection, north, complaints, "Customer care", "answer the backlog", "demo")
    ids["anyone"] = _clinic(connection, old, placements, "Panel chair", "review every move", "ada@elsewhere.example")
    ids["long"] = _clinic(connection, old, placements, "Ada Admin", "x" * 600, "ada@old.example")
    ids["values"] = {"icpc": icpc, "complaints": complaints, "placements": placements}
    return ids


def test_corrective_actions_become_actions_of_the_plan_and_go_back(scratch_app):
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        ids = _councils_before_the_migration(connection)

    upgrade()

    action, note, event = Action.__table__, ActionNote.__table__, AuditEvent.__table__
    with db.engine.connect() as connection:
        assert "corrective_action" not in sa.inspect(connection).get_table_names()
        carried = connection.execute(
            sa.select(
                action.c.indicator_value_id,
                action.c.owner_id,
                action.c.what,
                action.c.due_date,
                action.c.area_id,
                action.c.status,
                action.c.success_measure,
                action.c.created_at,
            )
            .where(action.c.indicator_value_id.is_not(None))
            .order_by(action.c.id)
        ).all()
        values = ids["values"]
        assert [tuple(row) for row in carried] == [
            # named at the clinic (case and spaces aside): that person owns it, nothing added
            (values["icpc"], ids["priya"], "chair a weekly ICPC huddle", dt.date(2025, 4, 30), "help_protection",
             NOT_STARTED, "ICPCs in time: back on target", RECORDED_AT),
            # a role, not a person: the one who recorded it owns it, and the role is kept
            (values["icpc"], ids["lee"], "decide by day 5 (named at the clinic: Team manager, CP team 2)",
             dt.date(2025, 4, 30), "help_protection", NOT_STARTED, "ICPCs in time: back on target", RECORDED_AT),
            # recorded by no one of the council: its first active senior leader; no area: the framework's first
            (values["complaints"], ids["priya"], "answer the backlog (named at the clinic: Customer care)",
             dt.date(2025, 4, 30), "leaders", NOT_STARTED, "Complaints answered: back on target", RECORDED_AT),
            # no senior leader at all: anyone of the council; the area its ILACS 2018 framework has
            (values["placements"], ids["ada"], "review every move (named at the clinic: Panel chair)",
             dt.date(2025, 4, 30), "in_care_and_leavers", NOT_STARTED, "Placement stability: back on target",
             RECORDED_AT),
            # longer than an action's 500 characters: cut to fit (the audit event keeps it whole)
            (values["placements"], ids["ada"], "x" * 499 + "…", dt.date(2025, 4, 30), "in_care_and_leavers",
             NOT_STARTED, "Placement stability: back on target", RECORDED_AT),
        ]  # fmt: skip
        events = connection.execute(
            sa.select(event.c.before, event.c.record_id).where(event.c.action == "action.carried_over")
        ).all()
        assert sorted(e.before["corrective_action_id"] for e in events) == sorted(
            ids[k] for k in ("named", "recorder", "leader", "anyone", "long")
        )
        assert {e.before["who"] for e in events} >= {" priya SHAH ", "Team manager, CP team 2"}
        assert "x" * 600 in {e.before["what"] for e in events}
        assert connection.execute(sa.select(note.c.action_id, note.c.text)).all() == [(ids["plan"], "Draft shared")]
        assert connection.scalar(sa.select(action.c.indicator_value_id).where(action.c.id == ids["plan"])) is None

    downgrade(revision=BEFORE)

    with db.engine.connect() as connection:
        back = connection.execute(
            sa.select(
                corrective_action.c.indicator_value_id, corrective_action.c.who, corrective_action.c.by_when
            ).order_by(corrective_action.c.id)
        ).all()
        assert [tuple(row) for row in back] == [
            (values["icpc"], "Priya Shah", dt.date(2025, 4, 30)),
            (values["icpc"], "Lee Cole", dt.date(2025, 4, 30)),
            (values["complaints"], "Priya Shah", dt.date(2025, 4, 30)),
            (values["placements"], "Ada Admin", dt.date(2025, 4, 30)),
            (values["placements"], "Ada Admin", dt.date(2025, 4, 30)),
        ]
        assert connection.execute(sa.select(action.c.id, action.c.what)).all() == [
            (ids["plan"], "Refresh the threshold guidance")
        ]
        assert connection.execute(sa.select(note.c.action_id, note.c.text)).all() == [(ids["plan"], "Draft shared")]
        assert "indicator_value_id" not in {c["name"] for c in sa.inspect(connection).get_columns("action")}
