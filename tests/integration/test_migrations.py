"""The migrations are the schema's one source of truth: they must match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from councils import audit_log
from councils.db import compared_by_autogenerate, db
from tests.support.factories import make_council


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def test_models_and_migrations_agree(app_context):
    with db.engine.connect() as connection:
        options = {"compare_type": True, "include_object": compared_by_autogenerate}
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"run `flask db migrate`: the models differ from the migrations: {differences}"


def test_there_is_one_migration_head(app_context):
    heads = _script_directory().get_heads()
    assert len(heads) == 1, f"more than one migration head: {heads}; merge them with `flask db merge`"


def test_the_database_is_at_the_head(app_context):
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(_script_directory().get_heads())


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET action = 'rewritten'", "DELETE FROM audit_event"])
def test_the_database_refuses_to_rewrite_the_audit_log(database, statement):
    make_council()  # writes a council.created event
    db.session.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(text(statement))


def test_postgresql_refuses_to_truncate_the_audit_log(database):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE of every row is refused above")
    make_council()
    db.session.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.session.begin_nested():
            db.session.execute(text("TRUNCATE audit_event CASCADE"))


def test_the_orm_refuses_to_rewrite_the_audit_log(database):
    make_council()
    db.session.flush()
    event = db.session.scalars(db.select(audit_log.AuditEvent)).first()
    event.action = "rewritten"
    with pytest.raises(audit_log.AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
