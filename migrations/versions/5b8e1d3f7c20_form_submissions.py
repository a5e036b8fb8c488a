"""form submissions: a create form's one-time token and what it made, so the same form sent
again (the back button and submit) is shown that instead of making a second record

Revision ID: 5b8e1d3f7c20
Revises: a3f9c1d7e5b2
Create Date: 2026-12-02 01:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8e1d3f7c20'
down_revision = "a3f9c1d7e5b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('made_path', sa.String(length=300), nullable=False),
    sa.Column('made_what', sa.String(length=300), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_form_submission_council_id_council'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_form_submission_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submission')),
    sa.UniqueConstraint('user_id', 'token', name=op.f('uq_form_submission_user_id'))
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submission_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submission_fingerprint'), ['fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submission_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submission_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submission_user_id'))
        batch_op.drop_index(batch_op.f('ix_form_submission_sent_at'))
        batch_op.drop_index(batch_op.f('ix_form_submission_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_form_submission_council_id'))

    op.drop_table('form_submission')
