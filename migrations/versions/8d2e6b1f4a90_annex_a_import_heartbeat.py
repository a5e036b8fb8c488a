"""an Annex A import's heartbeat: when its worker last said it was still running

A job whose worker died (killed, out of memory) stayed "running" for ever. The worker now
writes this time every few seconds while it runs the job; a job whose heartbeat is older
than the lease is known to be dead and is marked failed (inspect_ready/jobs.py).

Revision ID: 8d2e6b1f4a90
Revises: 7c3e9a1f4b20
Create Date: 2026-12-01 22:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '8d2e6b1f4a90'
down_revision = '7c3e9a1f4b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annex_a_import') as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('annex_a_import') as batch_op:
        batch_op.drop_column('heartbeat_at')
