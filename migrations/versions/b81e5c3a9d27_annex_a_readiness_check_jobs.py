"""annex a readiness check jobs: an uploaded workbook is checked by the job worker, not in the web request

Revision ID: b81e5c3a9d27
Revises: 7e4b2c91a0d5
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81e5c3a9d27'
down_revision = '7e4b2c91a0d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annex_a_import', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sa.Enum('import', 'check', name='jobkind', native_enum=False, length=40),
                server_default='import',
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table('annex_a_import', schema=None) as batch_op:
        batch_op.drop_column('kind')
