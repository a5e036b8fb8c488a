"""Demo data for the embedded default: two fictional councils and one person per role.

Passwords are made at random when the demo is first loaded and kept in the instance
folder (readable by the owner only), so `make run` can show them every time.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select

from councils import accounts
from councils.db import db
from councils.models import Council, Role, ServiceArea
from inspect_ready import demo_evidence, demo_reviews

DEMO_COUNCIL = "Northshire County Council"
PEER_COUNCIL = "Eastbrook Borough Council"

DEMO_PEOPLE = [
    (DEMO_COUNCIL, "Asha Patel", "admin@northshire.example", Role.ADMINISTRATOR, None),
    (DEMO_COUNCIL, "Gareth Hughes", "director@northshire.example", Role.SENIOR_LEADER, None),
    (DEMO_COUNCIL, "Maria Lopez", "hos.cp@northshire.example", Role.HEAD_OF_SERVICE, ServiceArea.CHILD_PROTECTION),
    (DEMO_COUNCIL, "Dev Sharma", "hos.cic@northshire.example", Role.HEAD_OF_SERVICE, ServiceArea.CHILDREN_IN_CARE),
    (PEER_COUNCIL, "Tom Okafor", "reviewer@eastbrook.example", Role.PEER_REVIEWER, None),
]


def is_empty() -> bool:
    return db.session.scalar(select(Council.id).limit(1)) is None


def load(logins_file: Path) -> list[dict]:
    """Create the demo councils and people; returns the logins to show."""
    councils = {name: accounts.create_council(name) for name in (DEMO_COUNCIL, PEER_COUNCIL)}
    logins = []
    for council_name, name, email, role, area in DEMO_PEOPLE:
        password = secrets.token_urlsafe(9)
        accounts.add_user(councils[council_name], name=name, email=email, password=password, role=role, service_area=area)
        logins.append({"role": role.label.lower(), "email": email, "password": password, "council": council_name})
    demo_evidence.load(councils[DEMO_COUNCIL], date.today())
    demo_reviews.load(councils[DEMO_COUNCIL], date.today())
    db.session.commit()
    logins_file.write_text(json.dumps(logins, indent=2))
    os.chmod(logins_file, 0o600)
    return logins


def saved_logins(logins_file: Path) -> list[dict]:
    if not logins_file.exists():
        return []
    return json.loads(logins_file.read_text())
