"""Which words of a text are the council's own case references: a tracked case's in a mock
inspection's sample, or an audited case's. A document holding one is OFFICIAL-SENSITIVE.

A reference is a whole run of letters, digits and hyphens of a reference's shape (4 to 20
characters, 3 digits or more, as every reference is checked when it is stored); only the
runs of that shape are looked up, a few queries whatever the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from councils.db import db
from evidence.case_audits.models import CaseAudit
from evidence.mock_inspections.models import TrackedCase

_RUN = re.compile(r"[A-Za-z0-9-]+")
_SHAPE = re.compile(r"^(?=(?:.*\d){3})[A-Za-z0-9-]{4,20}$")
# Well under every database's limit on the values of one IN (...).
_CHUNK = 500


def candidates(texts: Iterable[str]) -> set[str]:
    return {run for text in texts for run in _RUN.findall(text) if _SHAPE.match(run)}


def known_among(texts: Iterable[str]) -> set[str]:
    """The case references of the current council that these texts name."""
    words = sorted(candidates(texts))
    found: set[str] = set()
    for start in range(0, len(words), _CHUNK):
        chunk = words[start : start + _CHUNK]
        # Two plain queries, each scoped to the council by the tenancy filter.
        found.update(db.session.scalars(select(TrackedCase.reference).where(TrackedCase.reference.in_(chunk))))
        found.update(db.session.scalars(select(CaseAudit.case_reference).where(CaseAudit.case_reference.in_(chunk))))
    return found
