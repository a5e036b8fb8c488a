"""A council's standing, worked out once per change of its evidence and kept for every worker.

Scoring a council re-reads and re-scores all of its evidence (20,000 items take half a
second), yet the answer only changes when something behind it is saved. So:

- **The version.** Each council has a counter, `standing_version`, that the tenancy hooks
  (councils/tenancy.py) bump inside the transaction of any write to a council-owned row,
  the one place every write passes; no service can forget it. A bump is in the writer's own
  transaction, so it commits or rolls back with the change it stands for.
- **The cache.** A computed standing is kept in `standing_cache`, keyed by council, a key
  naming its inputs (framework, date, the mock inspection's grades and KLOEs) and the
  version. It is written in the request's own transaction, so a payload and the version it
  was computed under are saved together or not at all, and every gunicorn worker reads it.
  Two workers computing the same key at once both insert; the second is ignored.
- **The memo.** In front, a few payloads per process, by the same key and version.
- **The refresh.** After a commit that changed a council's standing, the app queues a job
  (inspect_ready/jobs.py) that works the standing out again at the new version, so the first
  page after the change finds it kept. The writer's own transaction marks the entries the job
  will keep (payload QUEUED), so the marks are saved with the change or not at all; the job
  marks them WORKING when it starts and puts the value in their place. A page that finds a
  mark waits for it a little, on PostgreSQL (on SQLite a reader waiting would hold off the
  job's write: one writer, no readers, at a time); if the job is slow to start, slow to
  finish, fails or is never run, the page works the value out itself, as without a refresh.
  What is refreshed is registered by the modules that own it (`refreshed`).

Nothing shown is staler than the last saved change: a change bumps the version, and no entry
of an older version is ever read. A cache that cannot be read or written is logged and the
standing computed afresh. Payloads are pickles of the scorer's frozen result types, written
and read only by this module from the app's own database.
"""

from __future__ import annotations

import gc
import logging
import pickle
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, delete, literal, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from councils.db import db, writing_at_once

log = logging.getLogger(__name__)
T = TypeVar("T")

standing_version = Table(
    "standing_version",
    db.metadata,
    Column("council_id", ForeignKey("council.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, nullable=False),
)

standing_cache = Table(
    "standing_cache",
    db.metadata,
    Column("council_id", ForeignKey("council.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("payload", LargeBinary, nullable=False),
)

# Which councils this session's open transaction has bumped already (once is enough: readers
# in other transactions see the new version only when it commits). Forgotten when any
# transaction ends, a savepoint's too: a rolled-back savepoint undid its bump.
BUMPED = "standing_bumped"
# Whether the session's transaction has changed any standing: until it ends, nothing it
# computes is kept (a later write in it would not bump again, and it may roll back).
WROTE = "standing_wrote"
EVERY_COUNCIL = 0  # in BUMPED: every council was bumped (a bulk write with no council current)
# Every council the transaction bumped, savepoints' included (a savepoint that rolled back
# makes a refresh that finds nothing new: harmless), for the refresh when it commits.
CHANGED = "standing_changed"
# {council id: version} whose entries this transaction marked for the refresh, started when it commits.
MARKED = "standing_marked"
# Payloads standing in for a value the refresh is working out (a real payload is zlib's, never these).
QUEUED, WORKING = b"queued", b"working"
MARKS = (QUEUED, WORKING)
QUEUED_WAIT_SECONDS = 1.0  # for the job to start: the SQLite queue is polled 4 times a second
WORKING_WAIT_SECONDS = 10.0  # for it to finish: 100,000 items take 2 to 3 s
POLL_SECONDS = 0.05
MEMO_SIZE = 8
_memo: OrderedDict[tuple[int, str, int], object] = OrderedDict()
# Small values (a count) have their own memo, so that many of them never push a standing out.
SMALL_MEMO_SIZE = 256
_small_memo: OrderedDict[tuple[int, str, int], object] = OrderedDict()
_derived: OrderedDict[tuple[str, int], tuple[object, object]] = OrderedDict()


def _insert(session: Session, table: Table):
    """The dialect's INSERT, which can ignore or update a row already there (both databases
    say ON CONFLICT)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def bump(session: Session, council_ids: Iterable[int]) -> None:
    """Mark these councils' standing changed, in the session's transaction."""
    session.info[WROTE] = True
    bumped: set[int] = session.info.setdefault(BUMPED, set())
    fresh = sorted(set(council_ids) - bumped)
    session.info.setdefault(CHANGED, set()).update(fresh)
    if not fresh or EVERY_COUNCIL in bumped:
        return
    bumped.update(fresh)
    statement = _insert(session, standing_version)
    statement = statement.on_conflict_do_update(
        index_elements=["council_id"], set_={"version": standing_version.c.version + 1}
    )
    connection = session.connection()
    for council_id in fresh:  # in id order, so two writers lock versions in one order
        connection.execute(statement.values(council_id=council_id, version=1))


def bump_every_council(session: Session) -> None:
    """For a bulk write made with no council current (the demo loader, a command)."""
    session.info[WROTE] = True
    bumped: set[int] = session.info.setdefault(BUMPED, set())
    if EVERY_COUNCIL in bumped:
        return
    bumped.add(EVERY_COUNCIL)
    session.info.setdefault(CHANGED, set()).add(EVERY_COUNCIL)
    from councils.models import Council  # a model module imports the tenancy hooks, which import this

    statement = _insert(session, standing_version).from_select(
        ["council_id", "version"], select(Council.id, literal(1)).where(true())
    )
    statement = statement.on_conflict_do_update(
        index_elements=["council_id"], set_={"version": standing_version.c.version + 1}
    )
    session.connection().execute(statement)


def forget_bumps(session: Session, *, transaction_over: bool) -> None:
    session.info.pop(BUMPED, None)
    if transaction_over:
        session.info.pop(WROTE, None)
        session.info.pop(CHANGED, None)
        session.info.pop(MARKED, None)  # rolled back: nothing to refresh (committed: already started)


@dataclass(frozen=True)
class Refreshed:
    """A value kept per version that the refresh works out again after a change: its key for
    a council today, and how to compute it (in the council's tenancy)."""

    key_of: Callable[[Any], str]
    compute: Callable[[Any], object]


class Refresher(Protocol):
    """The app's side of the refresh: whether it refreshes, and queueing the job."""

    def wanted(self) -> bool: ...

    def start(self, council_id: int, version: int) -> None: ...


REFRESHED: dict[str, Refreshed] = {}
_refresher: Refresher | None = None


def refreshed(name: str, key_of: Callable[[Any], str], compute: Callable[[Any], object]) -> None:
    """Have the refresh work this value out again after every change (by the module owning it)."""
    REFRESHED[name] = Refreshed(key_of, compute)


def set_refresher(refresher: Refresher | None) -> None:
    global _refresher
    _refresher = refresher


def mark_for_refresh(session: Session) -> None:
    """Before a commit: mark the entries the refresh will keep for each council this
    transaction changed, at its new version. A failure here only means no refresh."""
    if session.in_nested_transaction():
        return  # a savepoint's release (SQLAlchemy calls the commit hooks for those too)
    if _refresher is None or not REFRESHED or not _refresher.wanted():
        return
    session.flush()  # its bumps first
    bumped = set(session.info.get(CHANGED, ()))
    if not bumped or EVERY_COUNCIL in bumped:
        return  # a bulk load of every council: each works its standing out on its next page
    from councils.models import Council  # a model module imports the tenancy hooks, which import this

    marked: dict[int, int] = {}
    connection = session.connection()
    try:
        # A savepoint of the connection's, not the session's: a session's savepoint commits
        # through this very hook.
        with connection.begin_nested():
            for council_id in sorted(bumped):
                council = session.get(Council, council_id)
                if council is None:
                    continue  # deleted in this transaction
                version = connection.execute(
                    select(standing_version.c.version).where(standing_version.c.council_id == council_id)
                ).scalar()
                for value in REFRESHED.values():
                    connection.execute(
                        _insert(session, standing_cache)
                        .values(council_id=council_id, key=value.key_of(council), version=version, payload=QUEUED)
                        .on_conflict_do_nothing()
                    )
                marked[council_id] = version
    except Exception:
        log.exception("standing cache: refresh of councils %s not marked; pages will compute it", sorted(bumped))
        return
    session.info[MARKED] = marked


def start_refreshes(session: Session) -> None:
    """After the commit: queue the refresh of what it marked. A job that cannot be queued
    leaves marks that pages stop waiting for after QUEUED_WAIT_SECONDS."""
    if session.in_nested_transaction():
        return
    marked = session.info.pop(MARKED, None)
    if not marked or _refresher is None:
        return
    for council_id, version in marked.items():
        try:
            _refresher.start(council_id, version)
        except Exception:
            log.exception("standing cache: refresh of council %s not queued; its pages will compute it", council_id)


def refresh(council_id: int, version: int) -> int:
    """The job: work out every marked value of the council at `version` and keep it, each in
    its own short transactions; returns how many it kept. Run acting for the council. A value
    a page has kept meanwhile, or a version a later change has passed, is left alone; a value
    that fails is unmarked, so pages compute it (and the failure is logged)."""
    from councils.models import Council

    council = db.session.get(Council, council_id)
    if council is None:
        return 0
    kept = 0
    for name, value in REFRESHED.items():
        key = value.key_of(council)
        if not _claim(council_id, key, version):
            continue
        try:
            computed = value.compute(council)
            db.session.rollback()  # the reading ends before the writing starts
            with writing_at_once():
                _write_payload(council_id, key, version, computed)
                db.session.commit()
            kept += 1
        except Exception:
            log.exception(
                "standing cache: refresh of %s of council %s failed; its pages will compute it", name, council_id
            )
            db.session.rollback()
            _unmark(council_id, key, version)
    return kept


def _claim(council_id: int, key: str, version: int) -> bool:
    """Mark a queued entry WORKING, if the version is still the council's; committed."""
    entry = _entry(council_id, key, version)
    db.session.rollback()  # each write in a transaction of its own, begun as a write (SQLite)
    with writing_at_once():
        return _claimed(entry, council_id, version)


def _claimed(entry, council_id: int, version: int) -> bool:
    claimed = db.session.connection().execute(
        update(standing_cache)
        .where(entry, standing_cache.c.payload == QUEUED)
        .where(
            select(standing_version.c.version).where(standing_version.c.council_id == council_id).scalar_subquery()
            == version
        )
        .values(payload=WORKING)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _unmark(council_id: int, key: str, version: int) -> None:
    try:
        with writing_at_once():
            _delete_mark(council_id, key, version)
    except Exception:
        log.exception("standing cache: mark of council %s not removed; pages stop waiting for it", council_id)
        db.session.rollback()


def _delete_mark(council_id: int, key: str, version: int) -> None:
    db.session.connection().execute(
        delete(standing_cache).where(_entry(council_id, key, version), standing_cache.c.payload.in_(MARKS))
    )
    db.session.commit()


def _entry(council_id: int, key: str, version: int):
    return (
        (standing_cache.c.council_id == council_id)
        & (standing_cache.c.key == key)
        & (standing_cache.c.version == version)
    )


def version_of(council_id: int) -> int:
    found = db.session.execute(
        select(standing_version.c.version).where(standing_version.c.council_id == council_id)
    ).scalar()
    return found or 0


def dumps(value) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def loads(payload: bytes):
    # A standing is a few hundred thousand objects, made at once and all kept: the collector
    # would walk them again and again while they are made (three quarters of the time), and
    # free nothing (as evidence/standing.fresh_outcome).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(zlib.decompress(payload))
    finally:
        if collecting:
            gc.enable()


def cached(
    council_id: int | None, key: str, compute: Callable[[], T], *, shared: bool = True, small: bool = False
) -> T:
    """The value for `key` at the council's current version: from this process's memo, else
    the shared table, else computed now and kept. Any failure of the cache is logged and the
    value computed afresh, so a broken cache is slower, never wrong. `shared=False` for a
    value already stored elsewhere (a recorded outcome): the memo alone. `small=True` for a
    value of a few bytes, memoised apart from the standings."""
    from councils.tenancy import current_council  # the tenancy hooks import this module

    if council_id is None or current_council() != council_id:
        # The queries are scoped to the council current (or to none), not to this one: keep nothing.
        return compute()
    try:
        version = version_of(council_id)
    except Exception:
        log.exception("standing cache: version of council %s unreadable; computing afresh", council_id)
        return compute()
    # Inside a transaction that has itself changed evidence, the version is not yet committed
    # and may roll back (and the number be reused for another change): compute, keep nothing.
    if db.session.info.get(WROTE):
        return compute()
    memo, size = (_small_memo, SMALL_MEMO_SIZE) if small else (_memo, MEMO_SIZE)
    memo_key = (council_id, key, version)
    hit = memo.get(memo_key)
    if hit is not None:
        _keep_recent(memo, memo_key)
        return hit  # type: ignore[return-value]
    value = _read(council_id, key, version) if shared else None
    if value is None:
        value = compute()
        if db.session.info.get(WROTE):  # pending changes the computing flushed
            return value
        if shared:
            _write(council_id, key, version, value)
    memo[memo_key] = value
    _trim(memo, size)
    return value


# A threaded worker's requests may share the memo: another thread may have moved or dropped
# an entry between two steps, which is no error.
def _keep_recent(memo: OrderedDict, memo_key) -> None:
    try:
        memo.move_to_end(memo_key)
    except KeyError:
        pass


def _trim(memo: OrderedDict, size: int) -> None:
    try:
        while len(memo) > size:
            memo.popitem(last=False)
    except KeyError:
        pass


def _read(council_id: int, key: str, version: int):
    try:
        return _read_payload(council_id, key, version)
    except Exception:
        log.exception("standing cache: entry %r of council %s unreadable; computing afresh", key, council_id)
        return None


def _read_payload(council_id: int, key: str, version: int):
    query = select(standing_cache.c.payload).where(_entry(council_id, key, version))
    with db.session.begin_nested():  # a failed read must not end the request's transaction
        payload = db.session.execute(query).scalar()
        if payload in MARKS:
            payload = _wait_for_refresh(query, payload)
    return loads(payload) if payload is not None else None


def _wait_for_refresh(query, payload: bytes) -> bytes | None:
    """The refreshed payload, if the job puts it in place soon; else None (compute it). Only
    on PostgreSQL, where each look sees what was committed since (read committed): SQLite's
    reader would hold off the very write it waits for."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    started = time.monotonic()
    deadline = started + (QUEUED_WAIT_SECONDS if payload == QUEUED else WORKING_WAIT_SECONDS)
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        payload = db.session.execute(query).scalar()
        if payload is None or payload not in MARKS:
            return payload
        if payload == WORKING:
            deadline = started + WORKING_WAIT_SECONDS
    return None


def _write(council_id: int, key: str, version: int, value) -> None:
    try:
        _write_payload(council_id, key, version, value)
    except Exception:
        log.exception("standing cache: entry %r of council %s not kept", key, council_id)


def _write_payload(council_id: int, key: str, version: int, value) -> None:
    """Keep the value and drop the council's entries of older versions, in a savepoint of the
    request's transaction: a failure undoes only this, and the page is still shown."""
    payload = dumps(value)
    with db.session.begin_nested():
        connection = db.session.connection()
        insert = _insert(db.session, standing_cache)
        # Over a refresh's mark (the job, or a page that stopped waiting for it), never over a value.
        connection.execute(
            insert.values(council_id=council_id, key=key, version=version, payload=payload).on_conflict_do_update(
                index_elements=["council_id", "key", "version"],
                set_={"payload": insert.excluded.payload},
                where=standing_cache.c.payload.in_(MARKS),
            )
        )
        connection.execute(
            delete(standing_cache).where(standing_cache.c.council_id == council_id, standing_cache.c.version < version)
        )


def derived(base: object, name: str, compute: Callable[[], T]) -> T:
    """A value worked out from a kept standing (its ranked themes, its count of stale records),
    kept in this process beside that very object: while requests are answered with the same
    standing from the memo, its derived values are the same too. Held with the base so an
    object id is never reused for another."""
    memo_key = (name, id(base))
    hit = _derived.get(memo_key)
    if hit is not None and hit[0] is base:
        _keep_recent(_derived, memo_key)
        return hit[1]  # type: ignore[return-value]
    value = compute()
    _derived[memo_key] = (base, value)
    _trim(_derived, MEMO_SIZE * 2)
    return value


def clear_memo() -> None:
    """Empty this process's memo (tests that change the database behind the app's back)."""
    _memo.clear()
    _small_memo.clear()
    _derived.clear()
