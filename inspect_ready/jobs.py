"""Background jobs (huey): the Annex A import runs here, not in the web request.

Each app gets its queue in create_app, from its settings: huey's immediate mode in tests
(HUEY_IMMEDIATE: the real task code, run at once inside the request), Redis when
HUEY_REDIS_URL is set (production: every web server and worker share one queue), else a
SQLite file (HUEY_SQLITE_PATH, by default huey.sqlite in the instance folder). The consumer
runs the queue of an app of its own: `huey_consumer inspect_ready.worker.huey` (worker.py;
`make run` starts one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from councils.tenancy import acting_for
from evidence.performance.annex_a import imports
from inspect_ready.pseudonyms import pseudonym_key

QUEUE_NAME = "inspect-ready"


def init_app(app: Flask) -> None:
    huey = make_huey(app.config, app.instance_path)

    # Named as before huey was configured per app, so jobs queued then still run.
    @huey.task(name="import_annex_a")
    def import_annex_a_task(council_id: int, import_id: int, workbook_path: str) -> None:
        _in_context_of(app, lambda: _run(council_id, import_id, workbook_path))

    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = {"import_annex_a": import_annex_a_task}


def make_huey(config: Mapping[str, Any], instance_path: str) -> Huey:
    if config["HUEY_IMMEDIATE"]:
        return MemoryHuey(QUEUE_NAME, immediate=True)
    if config.get("HUEY_REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=config["HUEY_REDIS_URL"])  # connects on first use, not here
    path = Path(config.get("HUEY_SQLITE_PATH") or Path(instance_path) / "huey.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(path))


def import_annex_a(council_id: int, import_id: int, workbook_path: str):
    """Queue an Annex A import on the current app's queue (in immediate mode, run it now)."""
    return current_app.extensions["huey_tasks"]["import_annex_a"](council_id, import_id, workbook_path)


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "annex_a_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _in_context_of(app: Flask, work: Callable[[], None]) -> None:
    # Immediate mode runs the task inside the request, already in this app's context (and
    # its database session); the consumer runs it in a thread with no context at all.
    if has_app_context() and current_app._get_current_object() is app:
        work()
        return
    with app.app_context():
        work()


def _run(council_id: int, import_id: int, workbook_path: str) -> None:
    with acting_for(council_id):
        imports.run_import(import_id, Path(workbook_path), pseudonym_key=pseudonym_key(council_id))
