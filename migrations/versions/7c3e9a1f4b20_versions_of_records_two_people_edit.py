"""versions of the records two people can edit: grades, actions, evidence, indicators, settings

A save from a page opened before someone else's save is refused and shown beside theirs
(councils/versions.py). Existing rows start at version 1, as new ones do.

Revision ID: 7c3e9a1f4b20
Revises: c3f1a2b4d5e6
Create Date: 2026-12-01 22:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a1f4b20'
down_revision = 'c3f1a2b4d5e6'
branch_labels = None
depends_on = None

TABLES = ('proposed_grade', 'moderated_grade', 'action', 'evidence_item', 'indicator', 'indicator_value', 'council')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
