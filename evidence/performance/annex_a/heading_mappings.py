"""A council's mappings of headings the template does not know onto the template's columns.

When an import meets a heading it cannot place, the person is asked which column it is (or
to leave it out); the answer is kept, per council and list, and every later import uses it.
"""

from __future__ import annotations

from sqlalchemy import select

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError
from evidence.performance.annex_a.headings import heading_key, load_lists
from evidence.performance.models import AnnexAHeadingMapping


class MappingError(InputError):
    """A mapping that names a list or column the template does not have."""


def template_columns(list_number: int) -> list[str]:
    """The template's columns of a list, as the person chooses among them."""
    spec = load_lists().get(list_number)
    return list(spec.columns) if spec else []


def council_mappings() -> dict[int, dict[str, str]]:
    """{list number: {heading key: template column}} for the current council."""
    mappings: dict[int, dict[str, str]] = {}
    for row in db.session.scalars(select(AnnexAHeadingMapping)):
        mappings.setdefault(row.list_number, {})[row.heading_key] = row.column
    return mappings


def save_mappings(choices: list[tuple[int, str, str | None]], *, mapped_by: str) -> int:
    """Keep each (list number, heading found, template column or None to leave it out).

    A heading left out forgets any earlier mapping of it. Returns how many are kept."""
    lists = load_lists()
    existing = {(row.list_number, row.heading_key): row for row in db.session.scalars(select(AnnexAHeadingMapping))}
    kept = 0
    for list_number, heading, column in choices:
        spec = lists.get(list_number)
        key = heading_key(heading)
        if spec is None or not key:
            raise MappingError("That heading is not one this import found")
        if column and column not in spec.columns:
            raise MappingError(f"Choose a column of {spec.title}")
        row = existing.get((list_number, key))
        if not column:
            if row is not None:
                audit_log.record(
                    "annex_a_mapping.removed", "annex_a_heading_mapping", row.id, detail=f"{spec.title}: {row.heading}"
                )
                db.session.delete(row)
            continue
        before = audit_log.snapshot(row, ["column"]) if row is not None else None
        if row is None:
            row = AnnexAHeadingMapping(list_number=list_number, heading_key=key)
            db.session.add(row)
        row.heading, row.column, row.mapped_by, row.mapped_at = heading[:200], column, mapped_by, clock.now()
        db.session.flush()
        audit_log.record(
            "annex_a_mapping.saved",
            "annex_a_heading_mapping",
            row.id,
            before=before,
            after={"column": column},
            detail=f"{spec.title}: '{row.heading}' is '{column}'",
        )
        kept += 1
    return kept
