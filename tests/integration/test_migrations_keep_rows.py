"""Migrations keep the rows they do not mean to change: on SQLite, batch mode rebuilds a table
by dropping it, which with foreign keys on would cascade to its children (migrations/env.py)."""

import datetime as dt

from flask_migrate import upgrade
from sqlalchemy import text

from tests.support.fresh_database import fresh_app


def test_rebuilding_the_action_table_keeps_its_progress_notes(tmp_path):
    # 0d17a76a5550 rebuilds `action` on SQLite (batch mode) to add its review column.
    with fresh_app(tmp_path) as app, app.app_context():
        from councils.db import db

        upgrade(revision="1a105ed7d468")
        with db.engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO council (id, name, framework_id, evidence_freshness_days) VALUES (1, 'A', 'ilacs-2026', 183)"
                )
            )
            c.execute(
                text(
                    "INSERT INTO \"user\" (id, council_id, name, email, password_hash, role, active, session_version) VALUES (1, 1, 'Asha', 'a@a.example', 'x', 'senior_leader', true, 1)"
                )
            )
            c.execute(
                text(
                    "INSERT INTO action (id, council_id, what, owner_id, due_date, success_measure, status, area_id, evidence_ids) VALUES (1, 1, 'x', 1, :d, 'y', 'not_started', 'leaders', '[]')"
                ),
                {"d": dt.date(2027, 1, 1)},
            )
            c.execute(
                text(
                    "INSERT INTO action_note (id, council_id, action_id, author_id, text) VALUES (1, 1, 1, 1, 'progress')"
                )
            )
        upgrade(revision="0d17a76a5550")
        with db.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM action_note")).scalar_one() == 1
