"""Background jobs (huey): the Annex A import and the readiness check of an uploaded workbook
run here, not in the web request (one task, the job's row saying which; annex_a/imports.py);
so does the refresh of a council's standing after a change (a second task, with no row: no
one waits on its page, and a refresh that fails or never runs only means the next page works
the standing out itself; councils/standing_cache.py).

Each app gets its queue in create_app, from its settings: huey's immediate mode in tests
(HUEY_IMMEDIATE: the real task code, run at once inside the request), Redis when
HUEY_REDIS_URL is set (production: every web server and worker share one queue), else a
SQLite file (HUEY_SQLITE_PATH, by default huey.sqlite in the instance folder). The consumer
runs the queue of an app of its own: `huey_consumer inspect_ready.worker.huey` (worker.py;
`make run` starts one).

Redis hands a job to a waiting consumer the moment it is queued; a SQLite queue can only be
polled. huey's consumer polls an empty queue less and less often, up to every 10 seconds,
which kept a quarter-second Annex A import waiting 5 to 11 seconds. A SQLite queue's
consumer polls at least every SQLITE_POLL_SECONDS instead (`PromptSqliteHuey`): huey's
poll is one query on the task table's index, so four a second cost the queue file nothing.

A job must end, failed or finished, whatever happens to the process running it. A worker
killed mid-job (out of memory, a deploy, `kill -9`) cannot say so, so each consumer keeps a
watch thread that, every few seconds, writes a heartbeat on the rows of the jobs it is
running and looks for jobs nobody is running any more:

- a running job whose heartbeat is older than the lease (JOB_LEASE_SECONDS) lost its worker;
- a queued job that is not in the queue after twice the lease never reached it (the web
  server died between saving the job and queueing it).

Both are marked failed, saying why, and their uploaded workbook is deleted. The sweep, a
write, runs in the consumer, never on a page view: pages only read (`has_stopped` lets the
job's page stop polling as soon as the lease runs out, before the sweep has written). A
queue that refuses the job at upload (Redis down) fails the job there and then.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context, has_request_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import select, update

from councils import clock, standing_cache
from councils.db import db, writing_at_once
from councils.tenancy import acting_for
from evidence.performance.annex_a import imports
from evidence.performance.models import AnnexAImport, ImportStatus
from inspect_ready import previews
from inspect_ready.pseudonyms import pseudonym_key

QUEUE_NAME = "inspect-ready"
TASK_NAME = "import_annex_a"
REFRESH_TASK_NAME = "refresh_standing"
# The longest an idle SQLite queue's consumer waits between looks for work.
SQLITE_POLL_SECONDS = 0.25
log = logging.getLogger(__name__)

WORKER_STOPPED = (
    "The {job} stopped before it finished: the service's job worker stopped while working on it. "
    "Upload the workbook again; if it stops again, save the workbook again from Excel, or split it, and try again."
)
NEVER_QUEUED = "The {job} could not be started: the service's job queue did not take it. Upload the workbook again."
QUEUE_DOWN = (
    "The {job} could not be started: the service's job queue is not answering. "
    "Upload the workbook again in a few minutes; if it happens again, contact your administrator."
)


def init_app(app: Flask) -> None:
    huey = make_huey(app.config, app.instance_path)

    # Named as before huey was configured per app, so jobs queued then still run.
    @huey.task(name=TASK_NAME)
    def import_annex_a_task(council_id: int, import_id: int, workbook_path: str) -> None:
        _in_context_of(app, lambda: _run(council_id, import_id, workbook_path))

    @huey.task(name=REFRESH_TASK_NAME)
    def refresh_standing_task(council_id: int, version: int) -> None:
        _in_context_of(app, lambda: _refresh(council_id, version))

    if huey.immediate:
        app.teardown_request(_run_deferred_refreshes)
    else:
        # In each consumer's worker as it starts: a consumer restarted after a crash finds
        # the jobs the crash left behind at once, not a lease later.
        huey.on_startup("watch_jobs")(lambda: _watch(app).start_once())

    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = {TASK_NAME: import_annex_a_task, REFRESH_TASK_NAME: refresh_standing_task}


def make_huey(config: Mapping[str, Any], instance_path: str) -> Huey:
    if config["HUEY_IMMEDIATE"]:
        return MemoryHuey(QUEUE_NAME, immediate=True)
    if config.get("HUEY_REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=config["HUEY_REDIS_URL"])  # connects on first use, not here
    path = Path(config.get("HUEY_SQLITE_PATH") or Path(instance_path) / "huey.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    # huey makes the file's tables (and sets its journal mode) as it starts. Gunicorn's workers
    # all start at once, and on a fresh instance folder they collided making them ("database
    # is locked": "Worker failed to boot"): one process at a time, by a lock file beside it.
    with path.with_name(path.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return PromptSqliteHuey(QUEUE_NAME, filename=str(path))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class PromptSqliteHuey(SqliteHuey):
    """A SQLite queue whose consumer, however started (`huey_consumer`'s default or its `-m`
    option), polls at least every SQLITE_POLL_SECONDS: a job is picked up within a second."""

    def create_consumer(self, **options):
        options["max_delay"] = min(options.get("max_delay", SQLITE_POLL_SECONDS), SQLITE_POLL_SECONDS)
        options["initial_delay"] = min(options.get("initial_delay", SQLITE_POLL_SECONDS), options["max_delay"])
        return super().create_consumer(**options)


def import_annex_a(council_id: int, import_id: int, workbook_path: str):
    """Queue an Annex A import on the current app's queue (in immediate mode, run it now)."""
    return current_app.extensions["huey_tasks"][TASK_NAME](council_id, import_id, workbook_path)


def queue_annex_a_import(job: AnnexAImport) -> None:
    """Queue a saved job; if the queue refuses it, the job fails now and its workbook goes."""
    council_id, import_id = job.council_id, job.id
    try:
        import_annex_a(council_id, import_id, str(workbook_path(council_id, import_id)))
    except Exception as error:  # Redis down, the queue file unwritable: the job cannot start
        log.warning("Annex A import %s could not be queued (%s)", import_id, type(error).__name__)
        db.session.rollback()
        _give_up(council_id, import_id, QUEUE_DOWN)


class _StandingRefresher:
    """Queues the refresh of a council's standing once a change is committed."""

    def wanted(self) -> bool:
        if not has_app_context() or not current_app.config.get("STANDING_REFRESH"):
            return False
        huey = current_app.extensions.get("huey")
        # Immediate mode (tests) runs the job when the request is over: a commit's own hook
        # cannot use the session. Outside a request it has nowhere to run.
        return huey is not None and (not huey.immediate or has_request_context())

    def start(self, council_id: int, version: int) -> None:
        if current_app.extensions["huey"].immediate:
            g.setdefault(DEFERRED_REFRESHES, []).append((council_id, version))
        else:
            current_app.extensions["huey_tasks"][REFRESH_TASK_NAME](council_id, version)


DEFERRED_REFRESHES = "standing_refreshes"
standing_cache.set_refresher(_StandingRefresher())


def _run_deferred_refreshes(_error: BaseException | None) -> None:
    for council_id, version in g.pop(DEFERRED_REFRESHES, []):
        try:
            current_app.extensions["huey_tasks"][REFRESH_TASK_NAME](council_id, version)
        except Exception:
            log.exception("The standing of council %s was not refreshed", council_id)
            db.session.rollback()


def _refresh(council_id: int, version: int) -> None:
    with acting_for(council_id):
        standing_cache.refresh(council_id, version)


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "annex_a_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def workbook_path(council_id: int, import_id: int) -> Path:
    """Where a job's workbook waits for it: named by the job, so whoever ends the job finds it."""
    return upload_folder() / f"{council_id}-{import_id}.xlsx"


def lease(app: Flask | None = None) -> dt.timedelta:
    return dt.timedelta(seconds=(app or current_app).config["JOB_LEASE_SECONDS"])


def has_stopped(job: AnnexAImport) -> bool:
    """A running job whose worker has stopped beating: over, though not yet marked so."""
    return (
        job.status is ImportStatus.RUNNING and job.heartbeat_at is not None and job.heartbeat_at < clock.now() - lease()
    )


def _in_context_of(app: Flask, work: Callable[[], None]) -> None:
    # Immediate mode runs the task inside the request, already in this app's context (and
    # its database session); the consumer runs it in a thread with no context at all.
    if has_app_context() and current_app._get_current_object() is app:
        work()
        return
    with app.app_context():
        work()


def _run(council_id: int, import_id: int, workbook_path: str) -> None:
    app = current_app._get_current_object()
    watch = None if app.extensions["huey"].immediate else _watch(app)
    if watch:
        watch.start_once()  # a consumer started some other way still beats
        watch.running.add(import_id)
        watch.beat()  # before the job starts, so no sweep takes it for a dead one
    try:
        with acting_for(council_id), writing_at_once():  # beside the heartbeat's writes (SQLite)
            imports.run_import(import_id, Path(workbook_path), pseudonym_key=pseudonym_key(council_id))
    finally:
        if watch:
            watch.running.discard(import_id)


class _Watch:
    """One per consumer process: heartbeats for its running jobs, and the sweep for dead ones."""

    def __init__(self, app: Flask):
        self.app = app
        self.running: set[int] = set()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def start_once(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._loop, name="inspect-ready-job-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ends the loop and waits for it: a consumer's watch lives as long as its process, but
        an app that is done with (a test's) must not go on using the database after it."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(30)

    def _loop(self) -> None:
        interval = max(1, self.app.config["JOB_LEASE_SECONDS"] // 6)
        while not self._stopping.is_set():
            try:
                self.beat()
                sweep(self.app)
            except Exception as error:  # the database away for a moment: try again next time
                log.warning("The job watch could not reach the database (%s)", type(error).__name__)
            self._stopping.wait(interval)

    def beat(self) -> None:
        ids = set(self.running)
        if not ids:
            return
        with self.app.app_context(), writing_at_once():
            db.session.execute(
                update(AnnexAImport)
                .where(AnnexAImport.id.in_(ids), AnnexAImport.status.in_([ImportStatus.QUEUED, ImportStatus.RUNNING]))
                .values(heartbeat_at=clock.now())
                .execution_options(all_councils=True, synchronize_session=False)
            )
            db.session.commit()


_watches: dict[int, _Watch] = {}
_watches_lock = threading.Lock()


def _watch(app: Flask) -> _Watch:
    with _watches_lock:
        return _watches.setdefault(id(app), _Watch(app))


def stop_watch(app: Flask) -> None:
    """Stop this app's watch thread, if it has one (see _Watch.stop)."""
    with _watches_lock:
        watch = _watches.pop(id(app), None)
    if watch:
        watch.stop()


def sweep(app: Flask) -> int:
    """Mark failed every job nobody is running any more; returns how many. Import previews
    older than an hour go too: the consumer's watch runs this every few seconds, so a preview
    never outlives its hour by much, whether or not anyone imports again."""
    with app.app_context():
        previews.delete_expired()
        now, held = clock.now(), lease(app)
        dead = db.session.execute(
            select(AnnexAImport.council_id, AnnexAImport.id)
            .where(AnnexAImport.status == ImportStatus.RUNNING)
            .where((AnnexAImport.heartbeat_at.is_(None)) | (AnnexAImport.heartbeat_at < now - held))
            .execution_options(all_councils=True)
        ).all()
        waiting = db.session.execute(
            select(AnnexAImport.council_id, AnnexAImport.id)
            .where(AnnexAImport.status == ImportStatus.QUEUED, AnnexAImport.created_at < now - 2 * held)
            .where((AnnexAImport.heartbeat_at.is_(None)) | (AnnexAImport.heartbeat_at < now - held))
            .execution_options(all_councils=True)
        ).all()
        db.session.rollback()
        lost = [row for row in waiting if row.id not in _in_the_queue(app)] if waiting else []
        for council_id, import_id in dead:
            _give_up(council_id, import_id, WORKER_STOPPED)
        for council_id, import_id in lost:
            _give_up(council_id, import_id, NEVER_QUEUED)
        return len(dead) + len(lost)


def _in_the_queue(app: Flask) -> set[int]:
    huey = app.extensions["huey"]
    tasks = huey.pending() + huey.scheduled()
    return {task.args[1] for task in tasks if task.name == TASK_NAME and len(task.args) > 1}


def _give_up(council_id: int, import_id: int, reason: str) -> None:
    with acting_for(council_id), writing_at_once():
        imports.abandon(import_id, reason)
    workbook_path(council_id, import_id).unlink(missing_ok=True)
    log.warning("Annex A import %s marked failed: %s", import_id, reason.split(":")[0])
