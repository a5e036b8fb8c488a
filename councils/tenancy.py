"""One council never sees another's data: the single mechanism that scopes every query.

Every council-owned model mixes in `CouncilOwned`. While a council is "current" (the app
sets it for each request from the signed-in user), every ORM query, lazy load and bulk
update or delete on such a model is filtered to that council, and new rows are stamped
with it. Views never add the filter themselves, so none can forget it.

Code that must look across councils (signing in by email, a CLI command, the demo loader)
says so explicitly with `.execution_options(all_councils=True)` or runs with no current
council at all (outside a request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ClassVar

from sqlalchemy import ForeignKey, event, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria

from councils import standing_cache
from councils.db import db

# None: no scoping (CLI, migrations, demo data). NOBODY: a request with nobody signed in.
NOBODY = -1
_current_council: ContextVar[int | None] = ContextVar("current_council", default=None)


class CouncilOwned:
    """Mixin for every row that belongs to one council."""

    # A write to the row changes what the council's standing is computed from (see
    # councils/standing_cache.py). True unless the model says otherwise: a new table is
    # behind the standing until someone shows it is not.
    feeds_standing: ClassVar[bool] = True

    @declared_attr
    def council_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr convention
        return mapped_column(ForeignKey("council.id", ondelete="RESTRICT"), index=True)


class CrossCouncilWrite(RuntimeError):
    """A row of one council was about to be written while another council is current."""


def current_council() -> int | None:
    return _current_council.get()


def set_current_council(council_id: int | None) -> None:
    _current_council.set(council_id)


@contextmanager
def acting_for(council_id: int | None) -> Iterator[None]:
    """Run a block as if `council_id` were signed in (used by tests and commands)."""
    token = _current_council.set(council_id)
    try:
        yield
    finally:
        _current_council.reset(token)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_current_council(state: ORMExecuteState) -> None:
    council_id = _current_council.get()
    if state.is_insert or state.is_update or state.is_delete:
        _bump_for_bulk_write(state, council_id)
    if council_id is None or state.execution_options.get("all_councils"):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # Refreshing expired columns of a row already loaded (say after a commit) needs no
    # filter: the query that first loaded it was filtered. SQLAlchemy's own recipe for
    # global criteria skips these loads too. Without this, a peer reviewer working under
    # the reviewed council (see inspect_ready/review_access.py) could not refresh their
    # own account row after a commit.
    if state.is_column_load:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            CouncilOwned,
            lambda cls: cls.council_id == council_id,
            include_aliases=True,
        )
    )


def _bump_for_bulk_write(state: ORMExecuteState, council_id: int | None) -> None:
    """An insert, update or delete statement (not a flush) on council-owned rows changes the
    standing of the current council, or of every council when none is current."""
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, CouncilOwned) or not mapper.class_.feeds_standing:
        return
    if council_id is None or council_id == NOBODY:
        standing_cache.bump_every_council(state.session)
    else:
        standing_cache.bump(state.session, [council_id])


@event.listens_for(Session, "before_flush")
def _stamp_and_guard_writes(session: Session, _context, _instances) -> None:
    council_id = _current_council.get()
    _bump_for_flush(session, council_id)
    if council_id is None:
        return
    for obj in session.new:
        if isinstance(obj, CouncilOwned):
            if obj.council_id is None:
                if council_id != NOBODY:
                    obj.council_id = council_id
            elif obj.council_id != council_id:
                raise CrossCouncilWrite(f"{type(obj).__name__} belongs to another council")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, CouncilOwned) and obj.council_id != council_id:
            raise CrossCouncilWrite(f"{type(obj).__name__} belongs to another council")


def _bump_for_flush(session: Session, council_id: int | None) -> None:
    """Bump the standing of every council whose rows this flush writes, before it writes them
    (so the version's row lock is a write transaction's first, on PostgreSQL)."""
    changed: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, CouncilOwned):
            if obj.feeds_standing:
                owner = obj.council_id if obj.council_id is not None else council_id
                if owner is not None and owner != NOBODY:
                    changed.add(owner)
        elif getattr(obj, "council_settings_feed_standing", False) and obj.id is not None:
            changed.add(obj.id)  # the council itself: its framework or freshness window
    if changed:
        standing_cache.bump(session, changed)


@event.listens_for(Session, "before_commit")
def _mark_for_refresh(session: Session) -> None:
    standing_cache.mark_for_refresh(session)


@event.listens_for(Session, "after_commit")
def _start_refreshes(session: Session) -> None:
    standing_cache.start_refreshes(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_bumps(session: Session, transaction) -> None:
    # After a commit the bump is everyone's; after a rollback (a savepoint's too) it is undone
    # and the next write must bump again. Either way, start counting afresh.
    standing_cache.forget_bumps(session, transaction_over=transaction.parent is None)


def find(model, record_id: int):
    """The current council's record with this id, or None.

    Always a query, never `session.get()`: get() can answer from the session's identity
    map without running SQL, and so without the council filter above.
    """
    return db.session.scalars(select(model).where(model.id == record_id)).first()
