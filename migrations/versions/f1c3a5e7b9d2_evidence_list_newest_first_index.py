"""evidence list newest first: one index on (council, evidence date, id) in place of the date
index, so a page of the library is read from the index rather than by sorting every item

Revision ID: f1c3a5e7b9d2
Revises: e4a7c2b9d1f5
Create Date: 2026-12-02 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f1c3a5e7b9d2'
down_revision = "e4a7c2b9d1f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_evidence_item_council_newest', 'evidence_item', ['council_id', 'evidence_date', 'id'])
    op.drop_index('ix_evidence_item_evidence_date', table_name='evidence_item')


def downgrade():
    op.create_index('ix_evidence_item_evidence_date', 'evidence_item', ['evidence_date'])
    op.drop_index('ix_evidence_item_council_newest', table_name='evidence_item')
