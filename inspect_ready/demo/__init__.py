"""Demo data for the embedded default: two fictional councils and one person per role.

Passwords are made at random when the demo is first loaded and kept in the instance
folder (readable by the owner only), so `make run` can show them every time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
from pathlib import Path

from sqlalchemy import select

from councils import accounts, audit_log, clock
from councils.db import db
from councils.models import Council, Role, ServiceArea
from councils.tenancy import acting_for
from evidence.action_plan import actions
from evidence.action_plan.models import ActionStatus
from evidence.library.items import framework_of
from evidence.performance import indicators
from evidence.performance.models import IndicatorValue, Polarity, Unit
from inspect_ready.demo import evidence as demo_evidence
from inspect_ready.demo import inspection_workspace as demo_inspection_workspace
from inspect_ready.demo import mock_inspections as demo_mock_inspections
from inspect_ready.demo import reviews as demo_reviews
from inspect_ready.demo import scale as demo_scale
from inspect_ready.demo import self_evaluation as demo_self_evaluation
from inspect_ready.demo import visits as demo_visits
from inspect_ready.demo.scale import MAX_EVIDENCE_ITEMS, MIN_EVIDENCE_ITEMS, evidence_count

__all__ = ["MAX_EVIDENCE_ITEMS", "MIN_EVIDENCE_ITEMS", "evidence_count", "is_empty", "load", "saved_logins"]

DEMO_COUNCIL = "Northshire County Council"
PEER_COUNCIL = "Eastbrook Borough Council"
# A partner agency's auditors hold accounts in an organisation of their own, as a peer
# reviewer's are their council's: they see the one review they join and nothing else.
PARTNER_AGENCY = "Northshire Police"

DEMO_PEOPLE = [
    (DEMO_COUNCIL, "Asha Patel", "admin@northshire.example", Role.ADMINISTRATOR, None),
    (DEMO_COUNCIL, "Gareth Hughes", "director@northshire.example", Role.SENIOR_LEADER, None),
    (DEMO_COUNCIL, "Maria Lopez", "hos.cp@northshire.example", Role.HEAD_OF_SERVICE, ServiceArea.CHILD_PROTECTION),
    (DEMO_COUNCIL, "Dev Sharma", "hos.cic@northshire.example", Role.HEAD_OF_SERVICE, ServiceArea.CHILDREN_IN_CARE),
    (PEER_COUNCIL, "Tom Okafor", "reviewer@eastbrook.example", Role.PEER_REVIEWER, None),
    (PARTNER_AGENCY, "DS Priya Shah", demo_visits.POLICE_AUDITOR, Role.PEER_REVIEWER, None),
]


def is_empty() -> bool:
    return db.session.scalar(select(Council.id).limit(1)) is None


def load(logins_file: Path, evidence_items: int | None = None) -> list[dict]:
    """Create the demo councils and people; returns the logins to show. With `evidence_items`,
    the demo council is grown to about that many evidence items (demo/scale.py)."""
    councils = {name: accounts.create_council(name) for name in (DEMO_COUNCIL, PEER_COUNCIL, PARTNER_AGENCY)}
    logins = []
    for council_name, name, email, role, area in DEMO_PEOPLE:
        # Not temporary: the demo's logins are printed for whoever runs it to use at once.
        password = secrets.token_urlsafe(9)
        accounts.add_user(
            councils[council_name], name=name, email=email, password=password, role=role, service_area=area
        )
        shown_role = "partner agency auditor (police)" if council_name == PARTNER_AGENCY else _login_role(role, area)
        logins.append({"role": shown_role, "email": email, "password": password, "council": council_name})
    demo_evidence.load(councils[DEMO_COUNCIL], clock.today())
    demo_reviews.load(councils[DEMO_COUNCIL], clock.today())
    with acting_for(councils[DEMO_COUNCIL].id):
        load_indicator_history(councils[DEMO_COUNCIL], clock.today())
    demo_mock_inspections.load(councils[DEMO_COUNCIL], clock.today())
    demo_inspection_workspace.load(councils[DEMO_COUNCIL], clock.today())
    demo_visits.load(councils[DEMO_COUNCIL], clock.today())
    if evidence_items is not None:
        demo_scale.grow(councils[DEMO_COUNCIL], evidence_items, clock.today())
        demo_scale.analyze()  # before the draft below scores the grown council
    # Drafted last, from all the demo's evidence and actions.
    demo_self_evaluation.load(councils[DEMO_COUNCIL], clock.today())
    db.session.commit()
    logins_file.write_text(json.dumps(logins, indent=2))
    os.chmod(logins_file, 0o600)
    return logins


def _login_role(role: Role, area: ServiceArea | None) -> str:
    """ "head of service (child protection)": two heads of service are told apart by service."""
    return f"{role.label.lower()} ({area.label.lower()})" if area else role.label.lower()


def saved_logins(logins_file: Path) -> list[dict]:
    if not logins_file.exists():
        return []
    return json.loads(logins_file.read_text())


DEMO_MONTHS = 36
# Children counted in a month, per indicator (a percentage's denominator): a county's front
# door sees dozens, its private fostering a handful. Some are too few to grade an indicator
# (fewer than 20 children over three months), so the demo shows both.
MONTHLY_CHILDREN = [3, 5, 12, 25, 40, 60]


def load_indicator_history(council: Council, today: dt.date, seed: int = 2015) -> None:
    """36 months of made-up values for the current council's indicators: each starts away
    from its target and drifts towards it, with noise, so some months are off target and
    carry corrective actions as a performance clinic would record them. A percentage comes
    with the children counted (numerator of denominator) and agrees with them."""
    rng = random.Random(seed)
    # Its own stream, so the counts leave the drift and noise of every value as they were.
    counts = random.Random(seed + 1)
    indicators.ensure_default_indicators()
    first = _months_back(today.replace(day=1), DEMO_MONTHS)
    recorded = clock.now()
    red_months = []
    for indicator in indicators.all_indicators():
        worse = 1 if indicator.polarity is Polarity.LOWER else -1
        spread = indicator.tolerance * 3
        children = counts.choice(MONTHLY_CHILDREN) if indicator.unit is Unit.PERCENT else None
        start = indicator.target + worse * spread
        for month in range(DEMO_MONTHS):
            period = _months_back(first, -month)
            drift = start + (indicator.target - start) * month / (DEMO_MONTHS - 8)
            value = round(drift + rng.uniform(-1, 1) * indicator.tolerance, 1)
            value = max(0.0, min(100.0, value)) if indicator.unit is Unit.PERCENT else max(0.0, value)
            numerator = denominator = None
            if children is not None:
                denominator = max(1, children + counts.randint(-children // 4, children // 4))
                numerator = round(value * denominator / 100)
                value = round(100 * numerator / denominator, 1)
            row = IndicatorValue(
                indicator_id=indicator.id,
                period=period,
                value=value,
                numerator=numerator,
                denominator=denominator,
                source="demo",
                recorded_at=recorded,
            )
            db.session.add(row)
            if month == 0:
                indicator.baseline_value, indicator.baseline_date = value, period
            if indicator.rag(value) is indicators.Rag.RED and month >= DEMO_MONTHS - 12:
                red_months.append(row)
    db.session.flush()
    audit_log.record("indicator_value.demo_loaded", "indicator_value", detail=f"{DEMO_MONTHS} months of demo values")
    _clinic_actions(council, red_months, today)


def _clinic_actions(council: Council, red_months: list[IndicatorValue], today: dt.date) -> None:
    """Corrective actions as the monthly clinic records them, the month after the figure: owned
    by the head of the indicator's service (else the senior leader), due a month later; those
    due by now are done."""
    framework = framework_of(council)
    people = accounts.people(roles=accounts.STAFF)
    leader = next(person for person in people if person.role is Role.SENIOR_LEADER)
    for row in red_months:
        service = row.indicator.service_area
        owner = next((p for p in people if service and p.service_area is service), leader)
        clinic = _months_back(row.period, -1)
        action = actions.create_corrective(
            framework,
            row,
            what="Review every case past timescale with team managers and agree dates",
            owner_id=owner.id,
            due_date=_months_back(row.period, -2),
            success_measure=actions.corrective_success_measure(row.indicator),
            today=clinic,
        )
        if action.due_date < today:
            actions.update(
                action,
                what=action.what,
                owner_id=owner.id,
                due_date=action.due_date,
                success_measure=action.success_measure,
                status=ActionStatus.DONE,
                completion_evidence="Every case past timescale reviewed; dates agreed and tracked at the next clinic",
                today=action.due_date,
                version=action.version,
            )


def _months_back(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)
