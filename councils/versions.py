"""Records two people can edit carry a version, so that a save from a page opened before
someone else's save never silently overwrites it.

A model mixes in `Versioned`: SQLAlchemy bumps `version` on every UPDATE and checks it in the
UPDATE's WHERE clause. A service takes the version the person's form was based on and saves
inside `saving(record, what, version)`: a record changed since then (found by the check before
writing, or by the database when the other save lands between our check and our write) raises
`StaleSave`, the views show both versions and nothing is saved. The person then saves again
having seen both: their form now carries the version saved.

A record created by the first save has no row to check, so two first saves race on the unique
key instead; `first_save` turns the loser's IntegrityError into the same refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from councils.db import db
from councils.errors import InputError

# The version of a record not yet saved: a form for a new one is based on nothing.
NEW = 0


class Versioned:
    # No Python default: the ORM numbers versions itself, and the server default serves
    # plain inserts (a migration test writing rows as an older schema had them).
    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy's declared_attr convention
        return {"version_id_col": cls.__table__.c.version}


class StaleSave(InputError):
    """Someone saved the record after this person opened it; `what` names it in words."""

    def __init__(self, what: str):
        super().__init__(
            f"Someone else saved this {what} after you opened it, so your changes have not been saved yet.", "version"
        )
        self.what = what


def check_version(record, version: int | None, what: str) -> None:
    """Refuse a change to `record` (None: not saved yet) based on another version than its own."""
    if version != (NEW if record is None else record.version):
        raise StaleSave(what)


@contextmanager
def saving(record, what: str, version: int | None) -> Iterator[None]:
    """Change an existing record in the block, if the person's form was based on its version."""
    check_version(record, version, what)
    yield
    touch(record)
    try:
        db.session.flush()
    except StaleDataError:
        # Saved by someone else between our check and our write: the database noticed.
        raise StaleSave(what) from None


def touch(record) -> None:
    """Make the save an UPDATE of the record's row even when only its children changed (an
    item's links) or nothing did: every save is a new version, so a form opened before it is
    stale. Changes made outside a form of the record (linking an item from its page) touch
    it too, so that form cannot put back what they changed."""
    mapper = record.__mapper__
    column = next(
        attr.key
        for attr in mapper.column_attrs
        if attr.columns[0] is not mapper.version_id_col and not attr.columns[0].primary_key
    )
    flag_modified(record, column)


@contextmanager
def first_save(what: str, *, error: InputError | None = None) -> Iterator[None]:
    """Add a new record in the block (session.add), flushed in a savepoint: if another
    request added the same one a moment before (the unique key says so), refuse with
    `error`, or as a stale save of `what`, instead of a server error."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise (error or StaleSave(what)) from None
