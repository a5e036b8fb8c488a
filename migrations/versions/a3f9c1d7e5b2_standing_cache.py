"""standing cache: each council's standing version, standings kept per version, and a recorded
mock inspection's outcome keeps the standing it was graded on

Revision ID: a3f9c1d7e5b2
Revises: b81e5c3a9d27
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f9c1d7e5b2'
down_revision = "b81e5c3a9d27"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'standing_version',
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_standing_version_council_id_council'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('council_id', name=op.f('pk_standing_version')),
    )
    op.create_table(
        'standing_cache',
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_standing_cache_council_id_council'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('council_id', 'key', 'version', name=op.f('pk_standing_cache')),
    )
    with op.batch_alter_table('recorded_outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('recorded_outcome', schema=None) as batch_op:
        batch_op.drop_column('standing')
    op.drop_table('standing_cache')
    op.drop_table('standing_version')
