"""Checks every record of the workspace shares: text that can be stored, an owner who is one
of the council's people, and who may work a record."""

from __future__ import annotations

import datetime as dt

from councils import audit_log
from councils.db import db
from councils.errors import InputError, keep
from councils.models import Role, User
from councils.storable import check_text
from councils.tenancy import find
from evidence.library.models import EvidenceItem


class WorkspaceError(InputError):
    """Bad input to the inspection workspace."""


def text(problems: list[InputError], model, name: str, value: str, label: str, required: str | None = None) -> str:
    """The text stripped, with what refuses it added to `problems`: `required` is the message
    when it is empty and must not be."""
    value = (value or "").strip()
    if required and not value:
        problems.append(WorkspaceError(required, name))
    else:
        keep(problems, check_text, model, name, value, label, error=WorkspaceError)
    return value


def owner(problems: list[InputError], owner_id: int | None, message: str, *, required: bool = True) -> None:
    """An owner must be one of the council's active staff (a peer reviewer is not)."""
    if owner_id is None and not required:
        return
    person = find(User, owner_id) if owner_id is not None else None
    if person is None or not person.active or person.role is Role.PEER_REVIEWER:
        problems.append(WorkspaceError(message, "owner_id"))


def may_work(user: User, record) -> bool:
    """Senior leaders run the workspace; a head of service works the records they own."""
    return user.role is Role.SENIOR_LEADER or (user.role is Role.HEAD_OF_SERVICE and record.owner_id == user.id)


def evidence_item(problems: list[InputError], evidence_item_id: int | None) -> None:
    """A chosen evidence item must be one of the council's."""
    if evidence_item_id is not None and find(EvidenceItem, evidence_item_id) is None:
        problems.append(WorkspaceError("Choose the evidence item from the list", "evidence_item_id"))


def reached_on(was, now, final, stamped: dt.date | None, today: dt.date) -> dt.date | None:
    """The day a record reached its final status (done, sent, resolved): today when it reaches
    it now, the day kept while it stays there, none once it leaves it."""
    if now is not final:
        return None
    return stamped if was is final and stamped is not None else today


def added(record, action: str, record_type: str, fields: list[str]):
    """Add a new record of the workspace and log it."""
    db.session.add(record)
    db.session.flush()
    audit_log.record(action, record_type, record.id, after=audit_log.snapshot(record, fields))
    return record
