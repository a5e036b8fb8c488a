"""The adapter to the scorer: the signed-in council's accepted evidence as plain signals.

One query whatever the number of items (a council may hold 20,000): every item-and-area
pair. Which audits have an unresolved escalation is the case audits' to say: the standing
passes their ids in, so the library needs nothing of the layers above it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from councils.db import db
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from judgement_framework import EvidenceSignal, Framework, SignalKind, signal_id
from judgement_framework.signals import UNRESOLVED_ESCALATION

CONCERN = "concern"
# The scorer has no "other" kind: such evidence counts as a document.
SIGNAL_KIND = {kind: SignalKind(kind.value) for kind in EvidenceKind if kind is not EvidenceKind.OTHER}
SIGNAL_KIND[EvidenceKind.OTHER] = SignalKind.DOCUMENT


class CaseSample(NamedTuple):
    """What the scorer's confidence needs of an audited case: the case type in words, the
    team and whether the audit was moderated (the case audits supply these, by audit id)."""

    case_type: str
    team: str
    moderated: bool


def evidence_signals(
    framework: Framework,
    as_of: date,
    *,
    escalated_audits: frozenset[int] = frozenset(),
    audit_samples: Mapping[int, CaseSample] | None = None,
) -> list[EvidenceSignal]:
    rows = db.session.execute(
        select(
            EvidenceItem.id,
            EvidenceItem.title,
            EvidenceItem.kind,
            EvidenceItem.grade,
            EvidenceItem.leaning,
            EvidenceItem.evidence_date,
            EvidenceItem.service_area,
            EvidenceItem.case_audit_id,
            EvidenceLink.area_id,
            EvidenceLink.criterion_id,
        )
        .join(EvidenceLink, EvidenceLink.evidence_item_id == EvidenceItem.id)
        .where(EvidenceItem.status == EvidenceStatus.ACCEPTED, EvidenceItem.evidence_date <= as_of)
        .order_by(EvidenceItem.id, EvidenceLink.area_id, EvidenceLink.criterion_id)
    ).all()
    # One signal per item and area, carrying every criterion of that area the item names.
    grouped: dict[tuple[int, str], list] = defaultdict(list)
    for row in rows:
        grouped[(row.id, row.area_id)].append(row)
    # Looked up once: the framework's lookups are pydantic properties, slow in a loop of 20,000.
    areas, criterion_area, grade_rank = framework.area_by_id, framework.criterion_area, framework.grade_rank
    samples = audit_samples or {}
    signals = []
    for (item_id, area_id), item_rows in grouped.items():
        first = item_rows[0]
        if area_id not in areas:
            continue  # linked under a framework the council has since left
        flags = set()
        if first.case_audit_id in escalated_audits:
            flags.add(UNRESOLVED_ESCALATION)
        if first.leaning is Leaning.CONCERN:
            flags.add(CONCERN)
        sample = samples.get(first.case_audit_id) if first.case_audit_id is not None else None
        signals.append(
            EvidenceSignal(
                id=signal_id("evidence", item_id, area_id),
                area_id=area_id,
                date=first.evidence_date,
                title=first.title,
                kind=SIGNAL_KIND[first.kind],
                # Only criteria this framework has under this area (a council may change framework).
                criterion_ids=tuple(
                    sorted({r.criterion_id for r in item_rows if criterion_area.get(r.criterion_id) == area_id})
                ),
                grade=first.grade if first.grade in grade_rank else None,
                service_area=first.service_area.value if first.service_area else None,
                flags=frozenset(flags),
                case_type=sample.case_type if sample else None,
                team=sample.team if sample else None,
                moderated=sample.moderated if sample else False,
            )
        )
    return signals
