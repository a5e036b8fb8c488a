"""Signal ids in one form: the migration keeps every action linked to its gap, and every
recorded outcome's gaps comparable, by recomputing the gap ids stored under the old forms."""

import datetime as dt
import importlib.util
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from judgement_framework import signal_id
from judgement_framework.gaps import gap_id
from tests.support.fresh_database import fresh_app

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "5b8e2c4d9f10_one_form_of_signal_id.py"
BEFORE = "b1debba5309b"


def _migration():
    spec = importlib.util.spec_from_file_location("one_form_of_signal_id", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_hashes_gaps_as_the_engine_does():
    migration = _migration()
    old = gap_id("indicator_off_target", "in_care", "ic.visits_reviews", "indicator-4-in_care")
    new_id, evidence = migration.regap(
        "indicator_off_target", "in_care", "ic.visits_reviews", old, ["indicator-4-in_care"], [], migration.OLD_FORMS
    )
    assert evidence == [signal_id("indicator", 4, "in_care")]
    assert new_id == gap_id(
        "indicator_off_target", "in_care", "ic.visits_reviews", signal_id("indicator", 4, "in_care")
    )
    kloe_gap = gap_id("kloe_not_explored", "leaders", None, "review-kloe-7")
    assert migration.regap(
        "kloe_not_explored", "leaders", None, kloe_gap, [], ["review-kloe-6", "review-kloe-7"], migration.OLD_FORMS
    )[0] == gap_id("kloe_not_explored", "leaders", None, signal_id("kloe", 7))
    # A gap about a whole area keeps its id: nothing in it named a signal.
    area_gap = gap_id("no_evidence", "leaders", None, "")
    assert migration.regap("no_evidence", "leaders", None, area_gap, [], [], migration.OLD_FORMS)[0] == area_gap


def test_stored_gap_ids_move_to_the_new_form_and_back(tmp_path):
    old_gap = gap_id("evidence_below_good", "help_protection", None, "finding-3:help_protection")
    with fresh_app(tmp_path) as app, app.app_context():
        from councils.db import db

        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO council (id, name, framework_id, evidence_freshness_days) VALUES (1, 'A', 'ilacs-2026', 183)"
                )
            )
            connection.execute(
                text(
                    'INSERT INTO "user" (id, council_id, name, email, password_hash, role, active, session_version) '
                    "VALUES (1, 1, 'Asha', 'asha@a.example', 'x', 'senior_leader', true, 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO action (id, council_id, what, owner_id, due_date, success_measure, status, area_id, "
                    "gap_id, gap_kind, evidence_ids) VALUES (1, 1, 'Re-audit', 1, :due, 'Good', 'not_started', "
                    "'help_protection', :gap, 'evidence_below_good', :evidence)"
                ),
                {"due": dt.date(2027, 1, 1), "gap": old_gap, "evidence": '["finding-3:help_protection"]'},
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT gap_id, evidence_ids FROM action WHERE id = 1")).one()
        new_subject = signal_id("finding", 3, "help_protection")
        assert row.gap_id == gap_id("evidence_below_good", "help_protection", None, new_subject)
        assert new_subject in str(row.evidence_ids)
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT gap_id FROM action WHERE id = 1")).scalar_one() == old_gap
