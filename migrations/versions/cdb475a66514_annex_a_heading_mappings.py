"""annex a heading mappings: a council's answers for headings the template does not know

One row per council, list and heading (compared as headings.heading_key does): the template
column the council said it is. The Annex A import reads them so a heading mapped once is
placed on every later import.

Revision ID: cdb475a66514
Revises: c4f1a9d3e2b7
Create Date: 2026-12-01 22:40:12.868133

"""
from alembic import op
import sqlalchemy as sa

revision = 'cdb475a66514'
down_revision = 'c4f1a9d3e2b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annex_a_heading_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_number', sa.Integer(), nullable=False),
    sa.Column('heading_key', sa.String(length=200), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('column', sa.String(length=200), nullable=False),
    sa.Column('mapped_by', sa.String(length=254), nullable=False),
    sa.Column('mapped_at', sa.DateTime(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_annex_a_heading_mapping_council_id_council'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annex_a_heading_mapping')),
    sa.UniqueConstraint('council_id', 'list_number', 'heading_key', name=op.f('uq_annex_a_heading_mapping_council_id'))
    )
    with op.batch_alter_table('annex_a_heading_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annex_a_heading_mapping_council_id'), ['council_id'], unique=False)



def downgrade():
    with op.batch_alter_table('annex_a_heading_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annex_a_heading_mapping_council_id'))

    op.drop_table('annex_a_heading_mapping')
