"""the audit log refuses TRUNCATE

The row triggers of 66a19803dbe2 refuse UPDATE and DELETE, but TRUNCATE fires no row
trigger, so one statement could empty the log. PostgreSQL has statement-level TRUNCATE
triggers; SQLite has no TRUNCATE at all (its DELETE without WHERE is already refused).

Revision ID: c4f1a9d3e2b7
Revises: ced2fe2290df
Create Date: 2026-12-01 23:00:00

"""
from alembic import op

revision = 'c4f1a9d3e2b7'
down_revision = 'ced2fe2290df'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The same function as the row triggers: it raises whatever fired it.
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
