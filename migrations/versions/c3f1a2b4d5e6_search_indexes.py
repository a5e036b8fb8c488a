"""full-text search indexes (PostgreSQL)

The search page matches words with PostgreSQL's full-text search over these expressions
(evidence/search.py builds the same ones); without an index each search reads every row.
SQLite has no full-text search built in and gets none: its search is a plain scan.

Revision ID: c3f1a2b4d5e6
Revises: 5b8e2c4d9f10
Create Date: 2026-12-01 22:30:00
"""

from alembic import op

revision = "c3f1a2b4d5e6"
down_revision = "5b8e2c4d9f10"
branch_labels = None
depends_on = None

# (index, table, the columns searched): the order of columns is the order of the expression.
INDEXES = [
    ("ix_evidence_item_search", "evidence_item", ["title", "summary", "source_reference"]),
    ("ix_case_audit_search", "case_audit", ["case_reference", "team", "worker", "comment"]),
    ("ix_action_search", "action", ["what", "success_measure", "gap_sentence", "completion_evidence"]),
]


def _document(columns: list[str]) -> str:
    joined = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"to_tsvector('english'::regconfig, {joined})"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, columns in INDEXES:
        op.execute(f'CREATE INDEX {name} ON "{table}" USING gin ({_document(columns)})')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _, _ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
