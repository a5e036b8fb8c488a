"""self-evaluations: a council's self-evaluation for Ofsted for each year, and its sections
(three answers per judgement), each with a version so two people never lose a change

Revision ID: e4a7c2b9d1f5
Revises: a95b2ad5eb63
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c2b9d1f5'
down_revision = "a95b2ad5eb63"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('self_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_starting', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=80), nullable=False),
    sa.Column('status', sa.Enum('draft', 'signed_off', name='selfevaluationstatus', native_enum=False, length=40), nullable=False),
    sa.Column('drafted_on', sa.Date(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_self_evaluation_council_id_council'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['user.id'], name=op.f('fk_self_evaluation_signed_off_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_self_evaluation_started_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_evaluation')),
    sa.UniqueConstraint('council_id', 'year_starting', name=op.f('uq_self_evaluation_council_id'))
    )
    with op.batch_alter_table('self_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_evaluation_council_id'), ['council_id'], unique=False)

    op.create_table('self_evaluation_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('self_evaluation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.String(length=80), nullable=False),
    sa.Column('area_title', sa.String(length=200), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('drafted', sa.JSON(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=False),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['user.id'], name=op.f('fk_self_evaluation_section_agreed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_self_evaluation_section_council_id_council'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['self_evaluation_id'], ['self_evaluation.id'], name=op.f('fk_self_evaluation_section_self_evaluation_id_self_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_self_evaluation_section_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_evaluation_section')),
    sa.UniqueConstraint('self_evaluation_id', 'area_id', 'question', name=op.f('uq_self_evaluation_section_self_evaluation_id'))
    )
    with op.batch_alter_table('self_evaluation_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_evaluation_section_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_evaluation_section_self_evaluation_id'), ['self_evaluation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('self_evaluation_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_evaluation_section_self_evaluation_id'))
        batch_op.drop_index(batch_op.f('ix_self_evaluation_section_council_id'))
    op.drop_table('self_evaluation_section')
    with op.batch_alter_table('self_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_evaluation_council_id'))
    op.drop_table('self_evaluation')
