"""one form of signal id: stored gap ids and evidence ids follow it

Signals were named in three forms ("evidence:12:leaders", "finding-3:leaders",
"indicator-4-leaders", "review-kloe-5"); now all are source:record[:area]. A gap's id hashes
the id of the evidence it is about, so the gap ids that actions and recorded outcomes keep are
recomputed here, or an action would lose its gap. A gap id is changed only where the old id
is proven to be the hash of the old evidence id, so nothing is guessed.

Revision ID: 5b8e2c4d9f10
Revises: b1debba5309b
Create Date: 2026-12-01 20:40:00

"""
import hashlib
import json
import re

import sqlalchemy as sa
from alembic import op

revision = '5b8e2c4d9f10'
down_revision = 'b1debba5309b'
branch_labels = None
depends_on = None

OLD_FORMS = [
    (re.compile(r"^finding-(\d+):(.+)$"), r"finding:\1:\2"),
    (re.compile(r"^indicator-(\d+)-(.+)$"), r"indicator:\1:\2"),
    (re.compile(r"^review-kloe-(\d+)$"), r"kloe:\1"),
]
NEW_FORMS = [
    (re.compile(r"^finding:(\d+):(.+)$"), r"finding-\1:\2"),
    (re.compile(r"^indicator:(\d+):(.+)$"), r"indicator-\1-\2"),
    (re.compile(r"^kloe:(\d+)$"), r"review-kloe-\1"),
]


def gap_id(kind, area_id, criterion_id, subject):
    # The engine's formula (judgement_framework/gaps.py) as it stands at this revision: a
    # migration must not change meaning when the engine does.
    key = f"{kind}\x1f{area_id}\x1f{criterion_id or ''}\x1f{subject}".encode()
    return "gap-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


def renamed(signal_id, forms):
    for pattern, replacement in forms:
        if pattern.match(signal_id):
            return pattern.sub(replacement, signal_id)
    return signal_id


def regap(kind, area_id, criterion_id, old_gap_id, evidence_ids, kloe_ids, forms):
    """The gap's new id and evidence ids: the id changes only if it is the hash of one of
    the old subjects (an evidence id, or for an unexplored line of enquiry, its id)."""
    new_evidence = [renamed(e, forms) for e in evidence_ids]
    subjects = list(evidence_ids)
    if kind == "kloe_not_explored":
        subjects += kloe_ids
    for subject in subjects:
        if gap_id(kind, area_id, criterion_id, subject) == old_gap_id:
            return gap_id(kind, area_id, criterion_id, renamed(subject, forms)), new_evidence
    return old_gap_id, new_evidence


def _as_list(value):
    return json.loads(value) if isinstance(value, str) else (value or [])


def _as_dict(value):
    return json.loads(value) if isinstance(value, str) else value


def _kloe_subjects(connection, forms):
    ids = [row.id for row in connection.execute(sa.text("SELECT id FROM review_kloe"))]
    old = "review-kloe-{}" if forms is OLD_FORMS else "kloe:{}"
    return [old.format(i) for i in ids]


def _move(forms):
    connection = op.get_bind()
    kloe_ids = _kloe_subjects(connection, forms)
    actions = connection.execute(
        sa.text("SELECT id, gap_id, gap_kind, area_id, criterion_id, evidence_ids FROM action WHERE gap_id IS NOT NULL")
    ).all()
    for row in actions:
        evidence = _as_list(row.evidence_ids)
        new_id, new_evidence = regap(row.gap_kind, row.area_id, row.criterion_id, row.gap_id, evidence, kloe_ids, forms)
        if new_id != row.gap_id or new_evidence != evidence:
            connection.execute(
                sa.text("UPDATE action SET gap_id = :gap_id, evidence_ids = :evidence_ids WHERE id = :id").bindparams(
                    sa.bindparam("evidence_ids", type_=sa.JSON)
                ),
                {"gap_id": new_id, "evidence_ids": new_evidence, "id": row.id},
            )
    for row in connection.execute(sa.text("SELECT id, data FROM recorded_outcome")).all():
        data = _as_dict(row.data)
        changed = False
        for gap in data.get("gaps", []):
            evidence = list(gap.get("evidence_ids", []))
            new_id, new_evidence = regap(
                gap["kind"], gap["area_id"], gap.get("criterion_id"), gap["id"], evidence, kloe_ids, forms
            )
            if new_id != gap["id"] or new_evidence != evidence:
                gap["id"], gap["evidence_ids"], changed = new_id, new_evidence, True
        if changed:
            connection.execute(
                sa.text("UPDATE recorded_outcome SET data = :data WHERE id = :id").bindparams(
                    sa.bindparam("data", type_=sa.JSON)
                ),
                {"data": data, "id": row.id},
            )


def upgrade():
    _move(OLD_FORMS)


def downgrade():
    _move(NEW_FORMS)
