"""demo audits inform their case type's judgements

The audit form ticked every judgement, and the demo's audits were made the same way, so a
child protection audit counted (and made gaps) against children in care and care leavers.
The demo council's case audits are set to the judgements of their case type under its
framework. Only the demo council is changed: a real council's auditors chose their ticks,
and a migration cannot tell a considered tick from a default one.

Revision ID: 3c7a1e9b2d40
Revises: 20a8df19961a
Create Date: 2026-12-01 22:30:00

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '3c7a1e9b2d40'
down_revision = '20a8df19961a'
branch_labels = None
depends_on = None

DEMO_COUNCIL = "Northshire County Council"
# The table (evidence/case_audits/case_type_areas.yaml) as it stands at this revision: a
# migration must not change meaning when the table does.
_ILACS_2023_ON = {
    "early_help": ["help_protection"],
    "child_in_need": ["help_protection"],
    "child_protection": ["help_protection"],
    "child_in_care": ["in_care"],
    "care_leaver": ["care_leavers"],
}
CASE_TYPE_AREAS = {
    "ilacs-2026": _ILACS_2023_ON,
    "ilacs-2023": _ILACS_2023_ON,
    "ilacs-2018": {
        "early_help": ["help_protection"],
        "child_in_need": ["help_protection"],
        "child_protection": ["help_protection"],
        "child_in_care": ["in_care_and_leavers"],
        "care_leaver": ["in_care_and_leavers"],
    },
    "sif-2013": {
        "early_help": ["help_protection"],
        "child_in_need": ["help_protection"],
        "child_protection": ["help_protection"],
        "child_in_care": ["looked_after"],
        "care_leaver": ["looked_after.care_leavers"],
    },
}


def upgrade():
    bind = op.get_bind()
    council = bind.execute(
        sa.text("SELECT id, framework_id FROM council WHERE name = :name"), {"name": DEMO_COUNCIL}
    ).first()
    if council is None or council.framework_id not in CASE_TYPE_AREAS:
        return
    table = CASE_TYPE_AREAS[council.framework_id]
    audits = bind.execute(
        sa.text(
            "SELECT case_audit.id AS audit_id, case_audit.case_type, evidence_item.id AS item_id"
            " FROM case_audit JOIN evidence_item ON evidence_item.case_audit_id = case_audit.id"
            " WHERE case_audit.council_id = :council"
        ),
        {"council": council.id},
    ).all()
    changed = 0
    for audit in audits:
        wanted = table.get(audit.case_type)
        if not wanted:
            continue
        links = bind.execute(
            sa.text("SELECT id, area_id, criterion_id FROM evidence_link WHERE evidence_item_id = :item"),
            {"item": audit.item_id},
        ).all()
        stray = [link.id for link in links if link.area_id not in wanted]
        missing = [area for area in wanted if not any(link.area_id == area for link in links)]
        for link_id in stray:
            bind.execute(sa.text("DELETE FROM evidence_link WHERE id = :id"), {"id": link_id})
        for area in missing:
            bind.execute(
                sa.text(
                    "INSERT INTO evidence_link (council_id, evidence_item_id, area_id, criterion_id)"
                    " VALUES (:council, :item, :area, NULL)"
                ),
                {"council": council.id, "item": audit.item_id, "area": area},
            )
        changed += bool(stray or missing)
    if changed:
        bind.execute(
            sa.text(
                "INSERT INTO audit_event (council_id, occurred_at, actor_id, actor_name, action, record_type,"
                " record_id, detail) VALUES (:council, :now, NULL, 'System (migration)',"
                " 'case_audit.areas_from_case_type', 'case_audit', NULL, :detail)"
            ),
            {
                "council": council.id,
                "now": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "detail": f"{changed} demo audits now inform only the judgements of their case type",
            },
        )


def downgrade():
    # A data correction: the ticks it replaced were the form's defaults, not anyone's choice,
    # so there is nothing worth restoring.
    pass
