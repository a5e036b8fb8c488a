"""The audit log: an append-only record of who did what, when, to which record.

Every feature that changes a grade, an evidence item, an action or an account calls
`record()`. Nothing updates or deletes a row here: the ORM refuses, and the migration adds
database triggers that refuse too, so even a hand-written SQL statement cannot rewrite history.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Select, String, Text, cast, event, func, inspect, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from councils import clock
from councils.db import db
from councils.tenancy import CouncilOwned, current_council

_current_actor: ContextVar[Any] = ContextVar("current_actor", default=None)


class AuditLogIsAppendOnly(RuntimeError):
    pass


class AuditEvent(CouncilOwned, db.Model):
    feeds_standing = False  # the record of changes, not a change (refusals are logged on a GET)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null only for events that belong to no council, such as a sign-in with an unknown email.
    council_id: Mapped[int | None] = mapped_column(ForeignKey("council.id", ondelete="RESTRICT"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # Kept as text too, so the log still reads well if the account is later removed.
    actor_name: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(80), index=True)
    record_type: Mapped[str] = mapped_column(String(80), index=True)
    record_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    detail: Mapped[str | None] = mapped_column(String(500))


def set_current_actor(user: Any) -> None:
    _current_actor.set(user)


def json_safe(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The column values of a row, ready to store as 'before' or 'after'."""
    names = fields or [c.key for c in inspect(obj).mapper.column_attrs]
    return {name: json_safe(getattr(obj, name)) for name in names}


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record events as `user`'s while work runs away from their request (a background job)."""
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


def record(
    action: str,
    record_type: str,
    record_id: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    detail: str | None = None,
    actor: Any = None,
    council_id: int | None = None,
) -> AuditEvent:
    """Add one event to the current transaction: it is saved with the change it describes,
    or not at all."""
    actor = actor or _current_actor.get()
    if council_id is None:
        # The council whose data is being worked on: usually the actor's own, but a peer
        # reviewer from another council works on the reviewed council's data (acting_for).
        council_id = _positive(current_council()) or getattr(actor, "council_id", None)
    event_row = AuditEvent(
        council_id=council_id,
        occurred_at=clock.now(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "email", None) or "system",
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        before=json_safe(before),
        after=json_safe(after),
        detail=detail,
    )
    db.session.add(event_row)
    return event_row


def find_events(
    *,
    prefixes: tuple[str, ...] = (),
    actor_id: int | None = None,
    words: str = "",
    since=None,
    until=None,
) -> Select:
    """The council's events, the latest first, narrowed by what was done (action codes
    starting with any of `prefixes`), who did it, words anywhere in who, the detail or the
    before and after, and the days from `since` to `until` inclusive."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if prefixes:
        query = query.where(or_(*(AuditEvent.action.startswith(prefix) for prefix in prefixes)))
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    for word in words.split()[:8]:
        # JSON kept as text on both databases, so a word in any field of a change is found.
        pattern = f"%{word.lower()}%"
        query = query.where(
            or_(
                func.lower(AuditEvent.actor_name).like(pattern),
                func.lower(AuditEvent.detail).like(pattern),
                func.lower(cast(AuditEvent.before, Text)).like(pattern),
                func.lower(cast(AuditEvent.after, Text)).like(pattern),
            )
        )
    if since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.occurred_at < datetime.combine(until + timedelta(days=1), time.min))
    return query


def each_batch(query: Select, size: int = 500) -> Iterator[list[AuditEvent]]:
    """A query's events a batch at a time, for a download of the whole log without holding
    it all as objects at once."""
    batch = []
    for event_row in db.session.scalars(query.execution_options(yield_per=size)):
        batch.append(event_row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _positive(council_id: int | None) -> int | None:
    return council_id if council_id and council_id > 0 else None


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
