"""The demo's audits, made when the form ticked every judgement, are set to the judgements of
their case type; a real council's audits are left as their auditors ticked them."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.support.fresh_database import fresh_app

BEFORE = "5b8e2c4d9f10"
EVERY_AREA = ["leaders", "help_protection", "in_care", "care_leavers"]


def _areas(db, item_id):
    from evidence.library.models import EvidenceLink

    return sorted(db.session.scalars(select(EvidenceLink.area_id).where(EvidenceLink.evidence_item_id == item_id)))


def test_the_demo_councils_audits_keep_only_their_case_types_judgements(tmp_path):
    with fresh_app(tmp_path) as app, app.app_context():
        from councils.audit_log import AuditEvent
        from councils.db import db
        from councils.tenancy import acting_for
        from tests.support.factories import make_audit, make_council

        upgrade()
        demo, real = make_council("Northshire County Council"), make_council("Real Borough Council")
        db.session.commit()
        protection = make_audit(demo, areas=EVERY_AREA).evidence_item.id
        leaver = make_audit(demo, case_reference="CL-1001", case_type="care_leaver", areas=["leaders"]).evidence_item.id
        chosen = make_audit(real, areas=EVERY_AREA).evidence_item.id
        db.session.commit()
        downgrade(revision=BEFORE)  # a data correction: its downgrade keeps the rows as they are
        upgrade()
        db.session.expire_all()

        assert _areas(db, protection) == ["help_protection"]
        assert _areas(db, leaver) == ["care_leavers"]
        assert _areas(db, chosen) == sorted(EVERY_AREA)
        with acting_for(demo.id):
            [event] = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "case_audit.areas_from_case_type")
            ).all()
        assert event.detail == "2 demo audits now inform only the judgements of their case type"
        db.session.remove()
