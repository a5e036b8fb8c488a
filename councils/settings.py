"""A council's own settings, changed by its administrators."""

from __future__ import annotations

from councils.audit_log import record, snapshot
from councils.models import Council
from councils.versions import saving

SETTINGS_FIELDS = ["framework_id", "evidence_freshness_days"]


def change_settings(council: Council, *, framework_id: str, evidence_freshness_days: int, version: int) -> None:
    """Save the settings, if the administrator's form was based on the version now saved
    (a council has several administrators)."""
    with saving(council, "council's settings", version):
        before = snapshot(council, SETTINGS_FIELDS)
        council.framework_id = framework_id
        council.evidence_freshness_days = evidence_freshness_days
    record("council.settings_changed", "council", council.id, before=before, after=snapshot(council, SETTINGS_FIELDS))
